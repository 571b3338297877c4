//! Audited access to personal data (issue 19; decisions 140–142, 146), on SQLite and PostgreSQL: staff
//! reading a ballot roll with names shows in each named owner's accesses; a city administrator queries the
//! log with a reason (and is logged for it), and only about people of their own city (decision 138);
//! nobody else may; rows and phone numbers past their keeping
//! are removed by the retention round on the clock.

use chrono::Duration;
use gongzhi_domain::privacy::retention::Retention;
use gongzhi_infra::demo::cast_id;
use gongzhi_tests::app::person_id;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::privacy_support::*;
use crate::votes_support::{cast_http, jinxiu_topic, opened, owners_vote_input, taken};

const ROLL: &str = "query($id: ID!) { node(id: $id) { ... on Vote {
  ballotRoll(first: 20) { edges { node { owners { id name } tookPart { castBy { id } } } } } } } }";

/// An owners' vote of 锦绣花园 in which the owner has voted; its id.
async fn voted(app: &TestApp) -> String {
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(app, &staff).await;
    let vote = opened(app, &staff, owners_vote_input(app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    taken(&cast_http(app, &app.login_as("owner").await, json!({ "voteId": vote, "choice": "FOR" })).await);
    vote
}

async fn read_roll(app: &TestApp, token: &str, vote: &str) -> Value {
    let body = app.gql(Some(token), ROLL, json!({ "id": vote })).await;
    assert!(body["data"]["node"]["ballotRoll"]["edges"].is_array(), "{body}");
    body
}

on_both!(staff_reading_a_ballot_roll_with_names_shows_in_the_owners_accesses, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let vote = voted(&app).await;
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;
    let (staff_id, owner_id) = (person_id(&app, &staff).await, person_id(&app, &owner).await);
    let before = my_accesses(&app, &owner).await;

    // Act
    let roll = read_roll(&app, &staff, &vote).await;

    // Assert: the owner is named on the roll, and sees who read it, when, and which vote.
    assert!(roll.to_string().contains(&owner_id), "{roll}");
    assert!(before.is_empty(), "{before:?}");
    let after = my_accesses(&app, &owner).await;
    assert_eq!(kinds(&after), ["BALLOT_ROLL"], "{after:?}");
    assert_eq!(after[0]["actor"]["id"], staff_id.as_str());
    assert_eq!(after[0]["actor"]["name"], "周主任");
    assert_eq!(after[0]["subject"]["id"], owner_id.as_str());
    let at = chrono::DateTime::parse_from_rfc3339(after[0]["at"].as_str().expect("a time")).expect("RFC 3339");
    assert_eq!(at, gongzhi_domain::clock::Clock::now(app.clock.as_ref()));
    assert!(after[0]["reference"].is_string());
    // The reader's own name on the page is not an access to their data.
    assert!(my_accesses(&app, &staff).await.is_empty());
});

on_both!(owners_reading_the_roll_after_the_close_see_what_neighbours_see_and_are_not_logged, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let vote = voted(&app).await;
    app.clock.advance(Duration::hours(49));
    let (owner, chair) = (app.login_as("owner").await, app.login_as("oc_chair").await);

    // Act: an owner of the compound, who holds no office, reads the closed vote's roll.
    let roll = read_roll(&app, &owner, &vote).await;

    // Assert: the chair is named on it, and nobody's list shows the read.
    let chair_id = person_id(&app, &chair).await;
    assert!(roll.to_string().contains(&chair_id), "{roll}");
    assert!(my_accesses(&app, &chair).await.is_empty());
    assert!(my_accesses(&app, &owner).await.is_empty());
});

on_both!(a_city_administrator_queries_the_log_with_a_reason_and_others_may_not, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let vote = voted(&app).await;
    let (staff, owner, admin) =
        (app.login_as("rc_staff").await, app.login_as("owner").await, app.login_as("city_admin").await);
    read_roll(&app, &staff, &vote).await;
    let (staff_id, owner_id) = (person_id(&app, &staff).await, person_id(&app, &owner).await);
    let by_owner = json!({ "reason": "业主投诉核查", "p": owner_id });

    // Act
    let answered = app.gql(Some(&admin), ACCESS_LOG, by_owner.clone()).await;
    let by_actor = app.gql(Some(&admin), ACCESS_LOG, json!({ "reason": "核查", "a": staff_id })).await;
    let outside = app
        .gql(Some(&admin), ACCESS_LOG, json!({ "reason": "核查", "p": owner_id, "until": "2026-11-01T00:00:00Z" }))
        .await;
    let no_reason = app.gql(Some(&admin), ACCESS_LOG, json!({ "reason": " ", "p": owner_id })).await;
    let mut refusals = Vec::new();
    for handle in ["resident", "owner", "rc_staff", "street_officer"] {
        let token = app.login_as(handle).await;
        refusals.push((handle, app.gql(Some(&token), ACCESS_LOG, by_owner.clone()).await));
    }

    // Assert: the administrator finds the read by person and by actor, and nothing before it happened.
    let rows = edges(&answered, "dataAccesses");
    assert_eq!(kinds(&rows), ["BALLOT_ROLL"], "{answered}");
    assert_eq!(rows[0]["actor"]["name"], "周主任");
    assert_eq!(rows[0]["subject"]["name"], "卫业主");
    assert!(edges(&by_actor, "dataAccesses").iter().any(|r| r["subject"]["id"] == owner_id.as_str()), "{by_actor}");
    assert!(edges(&outside, "dataAccesses").is_empty(), "{outside}");
    assert_eq!(error_code(&no_reason), Some("BAD_USER_INPUT"), "{no_reason}");
    for (handle, refusal) in &refusals {
        assert_eq!(error_code(refusal), Some("FORBIDDEN"), "{handle}: {refusal}");
    }
    // The administrator's reading is in the owner's own list, with the reason given.
    let seen = my_accesses(&app, &owner).await;
    assert_eq!(kinds(&seen), ["ACCESS_LOG", "ACCESS_LOG", "BALLOT_ROLL"], "by person, then by actor: {seen:?}");
    assert_eq!((seen[1]["reason"].as_str(), seen[0]["reason"].as_str()), (Some("业主投诉核查"), Some("核查")));
    assert_eq!(seen[1]["actor"]["name"], "赵市管");
});

on_both!(a_city_administrator_reads_the_log_only_about_people_of_their_own_city, |backend| async move {
    // Arrange: staff read the roll (a row about the owner of 邯郸市); the lawyer administers another city.
    let Some(app) = spawn_app(backend).await else { return };
    let vote = voted(&app).await;
    let staff = app.login_as("rc_staff").await;
    read_roll(&app, &staff, &vote).await;
    let input = gongzhi_infra::places::PlaceInput { name: "邢台市".into(), code: None, area_m2: None };
    let other_city = app.store.create_city(input).await.expect("city created");
    let lawyer = cast_id("lawyer").expect("cast");
    let role = gongzhi_domain::role::Role::CityAdministrator;
    app.store.grant_role_as_operator(lawyer, role, other_city.id()).await.expect("granted");
    let (elsewhere, admin) = (app.login_as("lawyer").await, app.login_as("city_admin").await);
    let owner_id = person_id(&app, &app.login_as("owner").await).await;
    let staff_id = person_id(&app, &staff).await;

    // Act
    let by_owner = app.gql(Some(&elsewhere), ACCESS_LOG, json!({ "reason": "核查", "p": owner_id })).await;
    let by_actor = app.gql(Some(&elsewhere), ACCESS_LOG, json!({ "reason": "核查", "a": staff_id })).await;
    let own_city = app.gql(Some(&admin), ACCESS_LOG, json!({ "reason": "核查", "p": owner_id })).await;

    // Assert: the other city's administrator sees no row about 邯郸市's people; 邯郸市's does.
    assert!(by_owner["errors"].is_null(), "{by_owner}");
    assert!(edges(&by_owner, "dataAccesses").is_empty(), "{by_owner}");
    assert!(edges(&by_actor, "dataAccesses").is_empty(), "{by_actor}");
    assert_eq!(kinds(&edges(&own_city, "dataAccesses")), ["BALLOT_ROLL"], "{own_city}");
});

on_both!(the_retention_round_purges_old_access_rows_and_phones_past_keeping_on_the_clock, |backend| async move {
    // Arrange: a read logged now; 沈业主 loses their only role now.
    let Some(app) = spawn_app(backend).await else { return };
    let vote = voted(&app).await;
    let staff = app.login_as("rc_staff").await;
    read_roll(&app, &staff, &vote).await;
    let old_owner = app.login_as("old_owner").await;
    let roles = app.gql(Some(&old_owner), "{ me { roles { id } } }", json!({})).await;
    let grant = roles["data"]["me"]["roles"][0]["id"].clone();
    let revoked = app
        .gql(
            Some(&staff),
            "mutation($g: ID!) { revokeRole(grantId: $g, reason: \"已售房\") { ok } }",
            json!({ "g": grant }),
        )
        .await;
    assert_eq!(revoked["data"]["revokeRole"]["ok"], true, "{revoked}");
    let retention = Retention { access_log_days: 30, phone_days: 180 };
    let phone = |handle: &'static str| {
        let store = app.store.clone();
        async move { store.person(cast_id(handle).expect("cast")).await.expect("person").phone }
    };

    // Act: a round at 29 days, at 31 days, and at 181 days.
    app.clock.advance(Duration::days(29));
    let early = app.store.apply_retention(&retention).await.expect("a round");
    let kept = my_accesses(&app, &app.login_as("owner").await).await;
    app.clock.advance(Duration::days(2));
    let month = app.store.apply_retention(&retention).await.expect("a round");
    let purged = my_accesses(&app, &app.login_as("owner").await).await;
    let phone_at_month = phone("old_owner").await;
    app.clock.advance(Duration::days(150));
    let half_year = app.store.apply_retention(&retention).await.expect("a round");

    // Assert
    assert_eq!((early.accesses_purged, early.phones_erased), (0, 0));
    assert_eq!(kinds(&kept), ["BALLOT_ROLL"]);
    assert!(month.accesses_purged >= 1, "{month:?}");
    assert!(purged.is_empty(), "{purged:?}");
    assert!(phone_at_month.is_some(), "kept within 180 days of the last role's end");
    assert_eq!(half_year.phones_erased, 1, "{half_year:?}");
    assert_eq!(phone("old_owner").await, None);
    assert!(phone("owner").await.is_some(), "a live role keeps the number");
});
