//! Shared steps for the disclosure tests: the demo's 双晒 and GraphQL documents.

use gongzhi_tests::TestApp;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

pub const PUBLISH: &str = "mutation($input: PublishDisclosureInput!) { publishDisclosure(input: $input) {
    id version reason contentHash previousHash totalIncome { fen yuan } totalExpense { yuan }
    lines { key category label amount { fen yuan } } } }";

pub const CORRECT: &str = "mutation($input: CorrectDisclosureInput!) { correctDisclosure(input: $input) {
    id version reason contentHash previousHash
    changes { summaryChanged totalsChanged lines { key change before { amount { yuan } } after { amount { yuan } } } } } }";

pub const LIST: &str = "query($p: ID!) { disclosures(placeId: $p) { id kind periodStart version reason
    lines { key } questions { id line text answer answeredAt overdue mine } } }";

pub const VERIFY: &str =
    "query($p: ID!) { verifyDisclosureChain(placeId: $p) { intact length headHash brokenAt problem } }";

/// A quarter's 双晒 whose totals add up (income 100.00 + 20.50, expense 90.25), in GraphQL input form.
pub fn accounts(parking: &str, income: &str) -> Value {
    json!({
        "summary": "本季度物业服务与收支公示",
        "lines": [
            { "key": "cleaning", "category": "SERVICE", "label": "保洁", "note": "每日两次" },
            { "key": "fees", "category": "PROPERTY_FEE", "label": "物业费", "amount": "100.00" },
            { "key": "parking", "category": "PARKING", "label": "停车费", "amount": parking },
            { "key": "staff", "category": "OPERATING_COST", "label": "人员工资", "amount": "90.25" }
        ],
        "totalIncome": income,
        "totalExpense": "90.25"
    })
}

pub async fn publish(app: &TestApp, token: &str, place: &str, kind: &str, start: &str, content: Value) -> Value {
    let input = json!({ "placeId": place, "kind": kind, "periodStart": start, "content": content });
    app.gql(Some(token), PUBLISH, json!({ "input": input })).await
}

pub async fn correct(app: &TestApp, token: &str, of: &str, reason: &str, content: Value) -> Value {
    let input = json!({ "disclosureId": of, "reason": reason, "content": content });
    app.gql(Some(token), CORRECT, json!({ "input": input })).await
}

pub async fn list(app: &TestApp, token: Option<&str>, place: &str) -> Vec<Value> {
    let body = app.gql(token, LIST, json!({ "p": place })).await;
    body["data"]["disclosures"].as_array().cloned().unwrap_or_else(|| panic!("no disclosures: {body}"))
}

pub async fn verify(app: &TestApp, place: &str) -> Value {
    let body = app.gql(None, VERIFY, json!({ "p": place })).await;
    body["data"]["verifyDisclosureChain"].clone()
}

/// The `extensions.reason` of the first error.
pub fn reason(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["reason"].as_str()
}

/// `sql` with its one `?` bound to the uuid, in the backend's placeholder and uuid form.
fn bound(app: &TestApp, sql: &str, uuid: &str) -> Statement {
    let backend = app.store.connection().get_database_backend();
    let id = uuid::Uuid::parse_str(uuid).expect("uuid");
    let sql = if backend == DbBackend::Postgres { sql.replace('?', "$1") } else { sql.to_owned() };
    Statement::from_sql_and_values(backend, sql, [id.into()])
}

/// Runs a statement behind the API's back (a forger with database access); the rows it changed.
pub async fn run(app: &TestApp, sql: &str, uuid: &str) -> u64 {
    app.store.connection().execute_raw(bound(app, sql, uuid)).await.expect("statement").rows_affected()
}

/// `SELECT COUNT(*) AS n …` with one bound uuid.
pub async fn count(app: &TestApp, sql: &str, uuid: &str) -> i64 {
    let row = app.store.connection().query_one_raw(bound(app, sql, uuid)).await.expect("count");
    row.and_then(|r| r.try_get::<i64>("", "n").ok()).unwrap_or_default()
}
