//! 一院一案 (decision 118): a problem compound's rectification plan, drafted by its community's residents'
//! committee, reviewed by its street, its measures run as tasks; through GraphQL on SQLite and PostgreSQL.

use chrono::Duration;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::deliberation_support::person_id;
use crate::pipeline_support::{category, demo};

const COMPUTE: &str = "mutation($c: ID!, $q: String!) { computeQuarter(cityId: $c, quarter: $q) { problemCompounds } }";
const PLAN: &str = "id quarter state summary reason topicId measures { owner title dueAt } compound { name }";

fn draft_doc() -> String {
    format!(
        "mutation($p: ID!, $i: RectificationPlanInput!) {{ draftRectificationPlan(compoundId: $p, input: $i) {{ {PLAN} }} }}"
    )
}

fn review_doc() -> String {
    format!(
        "mutation($l: ID!, $a: Boolean!, $r: String) {{ reviewRectificationPlan(planId: $l, approve: $a, reason: $r) {{ {PLAN} }} }}"
    )
}

fn revise_doc() -> String {
    format!(
        "mutation($l: ID!, $i: RectificationPlanInput!) {{ reviseRectificationPlan(planId: $l, input: $i) {{ {PLAN} }} }}"
    )
}

fn at(app: &TestApp, days: i64) -> String {
    (gongzhi_domain::clock::Clock::now(app.clock.as_ref()) + Duration::days(days)).to_rfc3339()
}

/// A plan of two measures: the residents' committee's, and the owners' committee's (which 老街小院 lacks,
/// so the residents' committee acts for it).
fn plan_input(app: &TestApp, category: &str, summary: &str) -> Value {
    json!({ "categoryId": category, "summary": summary, "measures": [
        { "owner": "RESIDENTS_COMMITTEE", "title": "清理楼道堆物", "criteria": "每栋楼道无堆物", "dueAt": at(app, 30) },
        { "owner": "OWNERS_COMMITTEE", "title": "规范停车", "criteria": "划定车位并公示", "dueAt": at(app, 60) },
    ] })
}

/// How many `task_assigned` messages the outbox holds for `person`, as the city administrator lists them.
async fn assigned_to(app: &TestApp, person: &str) -> usize {
    let admin = app.login_as("city_admin").await;
    let body = app
        .gql(
            Some(&admin),
            "query($r: ID) { outboxMessages(recipientId: $r, first: 100) { edges { node { kind } } } }",
            json!({ "r": person }),
        )
        .await;
    let edges = body["data"]["outboxMessages"]["edges"].as_array().cloned().unwrap_or_else(|| panic!("{body}"));
    edges.iter().filter(|e| e["node"]["kind"] == "task_assigned").count()
}

async fn city(app: &TestApp, token: &str) -> String {
    let body = app.gql(Some(token), "{ cities(first: 5) { edges { node { id name } } } }", json!({})).await;
    body["data"]["cities"]["edges"][0]["node"]["id"].as_str().expect("the demo city").to_owned()
}

async fn problem_compounds(app: &TestApp, token: &str, city: &str) -> Value {
    let body = app
        .gql(
            Some(token),
            "query($c: ID!) { problemCompounds(cityId: $c, quarter: \"2026Q4\") { compound { name } complaints \
             rectificationPlan { state summary topicId } } }",
            json!({ "c": city }),
        )
        .await;
    body["data"]["problemCompounds"].clone()
}

on_both!(
    a_problem_compounds_plan_is_drafted_sent_back_revised_approved_and_its_measures_are_tasks,
    |backend| async move {
        // Arrange: the quarter computed; 老街小院 is the city's problem compound.
        let Some(app) = spawn_app(backend).await else { return };
        let admin = app.login_as("city_admin").await;
        let city = city(&app, &admin).await;
        let computed = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;
        assert_eq!(computed["data"]["computeQuarter"]["problemCompounds"], 1, "{computed}");
        let places = demo(&app).await;
        let staff = app.login_as("rc_staff").await;
        let street = app.login_as("street_officer").await;
        let other = category(&app, &staff, &places.community, "other").await;
        let (staff_id, street_id) = (person_id(&app, &staff).await, person_id(&app, &street).await);

        // Act: drafted, sent back, revised, approved.
        let drafted = app
            .gql(
                Some(&staff),
                &draft_doc(),
                json!({ "p": places.laojie, "i": plan_input(&app, &other, "楼道与停车整治") }),
            )
            .await;
        let plan =
            drafted["data"]["draftRectificationPlan"]["id"].as_str().unwrap_or_else(|| panic!("{drafted}")).to_owned();
        let unreasoned = app.gql(Some(&street), &review_doc(), json!({ "l": plan, "a": false })).await;
        let back =
            app.gql(Some(&street), &review_doc(), json!({ "l": plan, "a": false, "r": "缺少消防通道措施" })).await;
        let approve_sent_back = app.gql(Some(&street), &review_doc(), json!({ "l": plan, "a": true })).await;
        let told_after_sending_back = (assigned_to(&app, &street_id).await, assigned_to(&app, &staff_id).await);
        let revised = app
            .gql(
                Some(&staff),
                &revise_doc(),
                json!({ "l": plan, "i": plan_input(&app, &other, "楼道、停车与消防通道整治") }),
            )
            .await;
        let approved = app.gql(Some(&street), &review_doc(), json!({ "l": plan, "a": true })).await;
        let again = app.gql(Some(&street), &review_doc(), json!({ "l": plan, "a": true })).await;

        // Assert: each step's state; the street's reason is shown.
        assert_eq!(drafted["data"]["draftRectificationPlan"]["state"], "SUBMITTED", "{drafted}");
        assert_eq!(drafted["data"]["draftRectificationPlan"]["quarter"], "2026Q4");
        assert_eq!(error_code(&unreasoned), Some("BAD_USER_INPUT"), "sending back needs a reason: {unreasoned}");
        let sent = &back["data"]["reviewRectificationPlan"];
        assert_eq!(
            (sent["state"].clone(), sent["reason"].clone()),
            (json!("SENT_BACK"), json!("缺少消防通道措施")),
            "{back}"
        );
        assert_eq!(
            error_code(&approve_sent_back),
            Some("CONFLICT"),
            "a plan sent back is revised first: {approve_sent_back}"
        );
        assert_eq!(revised["data"]["reviseRectificationPlan"]["state"], "SUBMITTED", "{revised}");
        let done = &approved["data"]["reviewRectificationPlan"];
        assert_eq!(done["state"], "APPROVED", "{approved}");
        assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
        // The street was told of the plan to review, the drafter of the plan sent back; then the street again.
        assert_eq!(told_after_sending_back, (1, 1), "(street, drafter)");
        assert_eq!(assigned_to(&app, &street_id).await, 2, "told of the revised plan too");

        // The plan is on the problem compound, public, and its topic is implementing with the measures as tasks.
        let resident = app.login_as("resident").await;
        let listed = problem_compounds(&app, &resident, &city).await;
        assert_eq!(listed[0]["rectificationPlan"]["state"], "APPROVED", "{listed}");
        assert_eq!(listed[0]["rectificationPlan"]["summary"], "楼道、停车与消防通道整治");
        let topic = done["topicId"].as_str().expect("the plan's topic").to_owned();
        let body = app
            .gql(
                Some(&staff),
                "query($t: ID!) { node(id: $t) { ... on Topic { title stage tasks { id owner title state } } } }",
                json!({ "t": topic }),
            )
            .await;
        let opened = &body["data"]["node"];
        assert_eq!(opened["stage"], "IMPLEMENTING", "{body}");
        assert_eq!(opened["title"], "一院一案：老街小院（2026Q4）");
        let owners: Vec<Value> =
            opened["tasks"].as_array().expect("tasks").iter().map(|t| t["owner"].clone()).collect();
        assert_eq!(owners, vec![json!("RESIDENTS_COMMITTEE"), json!("OWNERS_COMMITTEE")]);

        // The task machinery runs the measures unchanged: progress, done, accepted.
        let task = opened["tasks"][0]["id"].clone();
        for step in [
            "mutation($k: ID!) { reportTaskProgress(taskId: $k, note: \"已清理 1、2 号楼\") { ok } }",
            "mutation($k: ID!) { finishTask(taskId: $k) { ok } }",
            "mutation($k: ID!) { acceptTask(taskId: $k) { ok task { state } } }",
        ] {
            let ran = app.gql(Some(&staff), step, json!({ "k": task })).await;
            assert!(ran["errors"].is_null(), "{step}: {ran}");
        }

        // The plan's topic is the answer to complaints, not one: recomputing counts 老街小院's one topic still.
        let recomputed = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;
        assert!(recomputed["errors"].is_null(), "{recomputed}");
        let listed = problem_compounds(&app, &resident, &city).await;
        assert_eq!(listed[0]["complaints"], 1, "{listed}");
    }
);

on_both!(
    only_the_residents_committee_drafts_only_the_street_reviews_and_only_a_listed_compound_gets_one_plan,
    |backend| async move {
        // Arrange
        let Some(app) = spawn_app(backend).await else { return };
        let admin = app.login_as("city_admin").await;
        let city = city(&app, &admin).await;
        let computed = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;
        assert_eq!(computed["data"]["computeQuarter"]["problemCompounds"], 1, "{computed}");
        let places = demo(&app).await;
        let staff = app.login_as("rc_staff").await;
        let other = category(&app, &staff, &places.community, "other").await;
        let input = plan_input(&app, &other, "楼道与停车整治");

        // Act
        let mut drafting = Vec::new();
        for who in ["resident", "owner", "property_manager", "street_officer"] {
            let token = app.login_as(who).await;
            let body = app.gql(Some(&token), &draft_doc(), json!({ "p": places.laojie, "i": input })).await;
            drafting.push((who, error_code(&body).map(str::to_owned)));
        }
        let not_listed = app.gql(Some(&staff), &draft_doc(), json!({ "p": places.jinxiu, "i": input })).await;
        let mut late = input.clone();
        late["measures"][1]["dueAt"] = json!(at(&app, -1));
        let past_due = app.gql(Some(&staff), &draft_doc(), json!({ "p": places.laojie, "i": late })).await;
        let mut empty = input.clone();
        empty["measures"] = json!([]);
        let no_measures = app.gql(Some(&staff), &draft_doc(), json!({ "p": places.laojie, "i": empty })).await;
        let first = app.gql(Some(&staff), &draft_doc(), json!({ "p": places.laojie, "i": input })).await;
        let second = app.gql(Some(&staff), &draft_doc(), json!({ "p": places.laojie, "i": input })).await;
        let plan = first["data"]["draftRectificationPlan"]["id"].clone();
        let mut reviewing = Vec::new();
        for who in ["property_manager", "rc_staff", "resident", "district_officer"] {
            let token = app.login_as(who).await;
            let body = app.gql(Some(&token), &review_doc(), json!({ "l": plan, "a": true })).await;
            reviewing.push((who, error_code(&body).map(str::to_owned)));
        }

        // Assert: refusals are typed and change nothing.
        for (who, code) in drafting {
            assert_eq!(code.as_deref(), Some("FORBIDDEN"), "{who} may not draft the plan");
        }
        assert_eq!(error_code(&not_listed), Some("CONFLICT"), "{not_listed}");
        assert!(not_listed["errors"][0]["message"].as_str().is_some_and(|m| m.contains("问题小区")), "{not_listed}");
        assert_eq!(error_code(&past_due), Some("BAD_USER_INPUT"), "{past_due}");
        assert_eq!(error_code(&no_measures), Some("BAD_USER_INPUT"), "{no_measures}");
        assert_eq!(first["data"]["draftRectificationPlan"]["state"], "SUBMITTED", "{first}");
        assert_eq!(error_code(&second), Some("CONFLICT"), "one plan per listing: {second}");
        assert!(second["errors"][0]["message"].as_str().is_some_and(|m| m.contains("整改方案")), "{second}");
        for (who, code) in reviewing {
            assert_eq!(code.as_deref(), Some("FORBIDDEN"), "{who} may not review the plan");
        }
        let resident = app.login_as("resident").await;
        let listed = problem_compounds(&app, &resident, &city).await;
        assert_eq!(listed[0]["rectificationPlan"]["state"], "SUBMITTED", "still waiting for the street: {listed}");
        assert_eq!(listed[0]["rectificationPlan"]["topicId"], Value::Null);
    }
);
