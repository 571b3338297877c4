//! The ballot roll of an owners' vote (decision 50), through GraphQL on SQLite and PostgreSQL: who took
//! part by unit and how, without choices while the vote runs, with them after the close unless the vote
//! is secret; read by the organisers, and after the close by every owner; its totals add up to the tally.

use chrono::Duration;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::votes_support::*;

const ROLL: &str = "query($id: ID!) { node(id: $id) { ... on Vote {
  secretBallot
  result { counts { choice count areaM2 } }
  unidentifiedUnits { name }
  ballotRoll(first: 20) {
    electorateAreaM2 electorateHeads unitsVoted votedAreaM2 votedHeads
    edges { node { unit { name } areaM2 partyKey owners { id }
      tookPart { method castBy { id } mandateId note castAt choice } } }
    pageInfo { hasNextPage }
  }
} } }";

async fn roll(app: &TestApp, token: &str, vote: &str) -> Value {
    app.gql(Some(token), ROLL, json!({ "id": vote })).await
}

/// Area in hundredths of a square metre from "123.45".
fn centi(area: &Value) -> i64 {
    let text = area.as_str().unwrap_or_else(|| panic!("no area: {area}"));
    let (whole, frac) = text.split_once('.').expect("two decimals");
    whole.parse::<i64>().expect("whole") * 100 + frac.parse::<i64>().expect("hundredths")
}

fn rows(body: &Value) -> Vec<Value> {
    body["data"]["node"]["ballotRoll"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no roll: {body}"))
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

/// The roll's rows that took part, summed as anyone can: area, and distinct party keys.
fn summed(rows: &[Value]) -> (i64, usize) {
    let voted: Vec<&Value> = rows.iter().filter(|row| !row["tookPart"].is_null()).collect();
    let area = voted.iter().map(|row| centi(&row["areaM2"])).sum();
    let parties: std::collections::BTreeSet<&str> = voted.iter().filter_map(|row| row["partyKey"].as_str()).collect();
    (area, parties.len())
}

/// Owners' vote on 锦绣花园: the owner votes in person, the chair through the tenant under a mandate, and
/// staff enter 郑委员's paper ballot. Returns the vote's id.
async fn three_ways(app: &TestApp, topic: &str, secret: bool) -> String {
    let staff = app.login_as("rc_staff").await;
    let vote = opened(app, &staff, owners_vote_input(app, topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    if secret {
        let set = app
            .gql(
                Some(&staff),
                "mutation($v: ID!) { setBallotSecrecy(voteId: $v, secret: true) { ok vote { secretBallot } } }",
                json!({ "v": vote }),
            )
            .await;
        assert_eq!(set["data"]["setBallotSecrecy"]["vote"]["secretBallot"], true, "{set}");
    }
    let (owner, chair, tenant) =
        (app.login_as("owner").await, app.login_as("oc_chair").await, app.login_as("resident").await);
    let (chair_id, tenant_id) = (person_id(app, &chair).await, person_id(app, &tenant).await);
    let member_id = person_id(app, &app.login_as("oc_member").await).await;
    taken(&cast_http(app, &owner, json!({ "voteId": vote, "choice": "FOR" })).await);
    let grant = app
        .gql(
            Some(&chair),
            "mutation($i: GrantMandateInput!) { grantMandate(input: $i) { ok } }",
            json!({ "i": { "proxyId": tenant_id, "scope": { "voteId": vote } } }),
        )
        .await;
    assert_eq!(grant["data"]["grantMandate"]["ok"], true, "{grant}");
    taken(&cast_http(app, &tenant, json!({ "voteId": vote, "choice": "AGAINST", "onBehalfOf": chair_id })).await);
    let paper = json!({ "input": { "voteId": vote, "ownerId": member_id, "choice": "FOR", "note": "纸质票第 3 号" } });
    taken(&vote_gql(app, &staff, PAPER_BALLOT, paper).await);
    vote
}

on_both!(the_roll_shows_how_each_unit_took_part_and_adds_up_to_the_tally, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let vote = three_ways(&app, &topic, false).await;
    let tenant_id = person_id(&app, &app.login_as("resident").await).await;

    // Act: the organiser reads the roll while the vote runs.
    let open = roll(&app, &staff, &vote).await;

    // Assert: every unit of the roll, three took part — in person, by proxy with its mandate, on paper
    // with its note — and no choice is shown; the sums of the rows are the totals and the tally's.
    let rows_open = rows(&open);
    assert_eq!(rows_open.len(), 6, "{open}");
    let how: Vec<&str> = rows_open.iter().filter_map(|r| r["tookPart"]["method"].as_str()).collect();
    assert_eq!(how.iter().filter(|m| **m == "IN_PERSON").count(), 1, "{open}");
    let proxy = rows_open.iter().find(|r| r["tookPart"]["method"] == "PROXY").expect("proxy row");
    assert_eq!(proxy["tookPart"]["castBy"]["id"], tenant_id.as_str());
    assert!(proxy["tookPart"]["mandateId"].is_string());
    let paper = rows_open.iter().find(|r| r["tookPart"]["method"] == "PAPER").expect("paper row");
    assert_eq!(paper["tookPart"]["note"], "纸质票第 3 号");
    assert!(rows_open.iter().all(|r| r["tookPart"].is_null() || r["tookPart"]["choice"].is_null()));
    let totals = &open["data"]["node"]["ballotRoll"];
    let (area, heads) = summed(&rows_open);
    assert_eq!((area, heads), (29_912, 3), "89.56 + 89.56 + 120.00 m², three owners");
    assert_eq!(centi(&totals["votedAreaM2"]), area);
    assert_eq!(totals["votedHeads"], heads);
    assert_eq!(totals["unitsVoted"], 3);
    let result = &open["data"]["node"]["result"];
    let tally_area: i64 = ["FOR", "AGAINST", "ABSTAIN"].iter().map(|c| centi(&count_of(result, c).1)).sum();
    let tally_heads: u64 = ["FOR", "AGAINST", "ABSTAIN"].iter().map(|c| count_of(result, c).0).sum();
    assert_eq!((tally_area, tally_heads), (area, heads as u64));
    assert_eq!(centi(&totals["electorateAreaM2"]), rows_open.iter().map(|r| centi(&r["areaM2"])).sum::<i64>());
    assert_eq!(totals["electorateHeads"], 6, "four owners, the developer, and the unknown owner of 1单元102");
});

on_both!(after_the_close_every_owner_reads_the_roll_with_choices_unless_the_vote_is_secret, |backend| async move {
    // Arrange: two votes run three ways, one secret; both close.
    let Some(app) = spawn_app(backend).await else { return };
    let topic = jinxiu_topic(&app, &app.login_as("rc_staff").await).await;
    let open_vote = three_ways(&app, &topic, false).await;
    let secret_vote = three_ways(&app, &topic, true).await;
    let early_owner = app.login_as("owner").await;
    let early_tenant = app.login_as("resident").await;
    let while_open = roll(&app, &early_owner, &open_vote).await;
    let tenant_while_open = roll(&app, &early_tenant, &open_vote).await;
    app.clock.advance(Duration::hours(49));
    let (owner, tenant, member2) =
        (app.login_as("owner").await, app.login_as("resident").await, app.login_as("oc_member2").await);

    // Act
    let by_owner = roll(&app, &owner, &open_vote).await;
    let by_non_voter = roll(&app, &member2, &open_vote).await;
    let secret = roll(&app, &owner, &secret_vote).await;
    let by_tenant = roll(&app, &tenant, &open_vote).await;

    // Assert: an owner may not read it while the vote runs, nor a tenant ever; after the close any owner
    // (who voted or not) reads the choices, except in the secret vote.
    assert_eq!(error_code(&while_open), Some("FORBIDDEN"), "{while_open}");
    assert_eq!(error_code(&tenant_while_open), Some("FORBIDDEN"), "{tenant_while_open}");
    assert_eq!(error_code(&by_tenant), Some("FORBIDDEN"), "{by_tenant}");
    let choices = |body: &Value| -> Vec<String> {
        let mut c: Vec<String> =
            rows(body).iter().filter_map(|r| r["tookPart"]["choice"].as_str().map(str::to_owned)).collect();
        c.sort();
        c
    };
    assert_eq!(choices(&by_owner), ["AGAINST", "FOR", "FOR"], "{by_owner}");
    assert_eq!(choices(&by_non_voter), ["AGAINST", "FOR", "FOR"]);
    assert_eq!(secret["data"]["node"]["secretBallot"], true);
    assert_eq!(rows(&secret).iter().filter(|r| !r["tookPart"].is_null()).count(), 3);
    assert!(choices(&secret).is_empty(), "{secret}");
});

on_both!(a_votes_secrecy_is_fixed_once_a_ballot_is_cast, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let owner = app.login_as("owner").await;
    let set = "mutation($v: ID!) { setBallotSecrecy(voteId: $v, secret: true) { ok refusal { code } } }";

    // Act
    let by_owner = app.gql(Some(&owner), set, json!({ "v": vote })).await;
    taken(&cast_http(&app, &owner, json!({ "voteId": vote, "choice": "FOR" })).await);
    let late = app.gql(Some(&staff), set, json!({ "v": vote })).await;

    // Assert
    assert_eq!(error_code(&by_owner), Some("FORBIDDEN"), "{by_owner}");
    assert_eq!(late["data"]["setBallotSecrecy"]["refusal"]["code"], "ballots_cast", "{late}");
    let seen = app
        .gql(Some(&staff), "query($id: ID!) { node(id: $id) { ... on Vote { secretBallot } } }", json!({ "id": vote }))
        .await;
    assert_eq!(seen["data"]["node"]["secretBallot"], false, "{seen}");
});

/// Secrecy may change only before the first ballot (decision 50), and a ballot being cast as it changes is
/// not missed (decision 81): the change is refused exactly when the ballot went in first, and a ballot that
/// went in after answers the new secrecy. Raced over real connections on PostgreSQL, where writers run at
/// once; several rounds, since one round may not interleave.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn secrecy_changed_while_a_ballot_is_cast_never_slips_past_it_on_postgres() {
    // Arrange
    let Some(app) = gongzhi_tests::spawn_app(gongzhi_tests::Backend::Postgres).await else { return };
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let set = "mutation($v: ID!) { setBallotSecrecy(voteId: $v, secret: true) { ok refusal { code } } }";
    let cast = "mutation($i: CastBallotInput!) { castBallot(input: $i) { ok vote { secretBallot } } }";

    for round in 0..12 {
        let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;

        // Act
        let (ballot, secrecy) = tokio::join!(
            app.gql(Some(&owner), cast, json!({ "i": { "voteId": vote, "choice": "FOR" } })),
            app.gql(Some(&staff), set, json!({ "v": vote })),
        );

        // Assert
        assert_eq!(ballot["data"]["castBallot"]["ok"], true, "round {round}: {ballot}");
        let changed = &secrecy["data"]["setBallotSecrecy"];
        let answered_secret = &ballot["data"]["castBallot"]["vote"]["secretBallot"];
        if changed["ok"] == true {
            assert_eq!(answered_secret, true, "round {round}: a ballot cast before the change slipped past it");
        } else {
            assert_eq!(changed["refusal"]["code"], "ballots_cast", "round {round}: {secrecy}");
            assert_eq!(answered_secret, false, "round {round}: {ballot}");
        }
        let seen = app
            .gql(
                Some(&staff),
                "query($id: ID!) { node(id: $id) { ... on Vote { secretBallot } } }",
                json!({ "id": vote }),
            )
            .await;
        assert_eq!(seen["data"]["node"]["secretBallot"], changed["ok"], "round {round}: {seen}");
    }
}
