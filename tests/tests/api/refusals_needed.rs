//! The FORBIDDENs issue 14 left without the roles that would permit them, and the refusals that were
//! FORBIDDEN but say where things stand (decisions 61 and 80): through GraphQL, on SQLite and PostgreSQL.

use chrono::Duration;
use gongzhi_tests::graphql::{error_code, error_message};
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::deliberation_support::{
    CHECK_IN, INVITE, deliberating_topic, meeting_done, meeting_gql, meeting_input, person_id, scheduled,
};
use crate::votes_support::{
    cast_http, jinxiu_topic, now, opened, owners_vote_input, refusal, rfc3339, taken, vote_gql,
};

/// The roles an error's `extensions.needed` names, in order.
fn needed_roles(body: &Value) -> Vec<String> {
    assert_eq!(error_code(body), Some("FORBIDDEN"), "{body}");
    body["errors"][0]["extensions"]["needed"]
        .as_array()
        .unwrap_or_else(|| panic!("no roles named: {body}"))
        .iter()
        .map(|n| n["role"].as_str().unwrap_or_default().to_owned())
        .collect()
}

on_both!(an_outside_invitee_doing_what_the_leads_do_is_told_the_roles_that_lead_the_topic, |backend| async move {
    // Arrange: the community's lawyer, who cannot see the compound's topics, is invited to a meeting.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let lawyer_id = person_id(&app, &app.login_as("lawyer").await).await;
    let owner_id = person_id(&app, &app.login_as("owner").await).await;
    let invited = json!([{ "personId": lawyer_id, "capacity": "LAWYER" }]);
    let meeting = scheduled(&app, &staff, meeting_input(&app, &topic, 1, 3, invited)).await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    app.clock.advance(Duration::minutes(31));
    let lawyer = app.login_as("lawyer").await;

    // Act: the lawyer checks the owner in, and invites the owner.
    let check_in = json!({ "input": { "meetingId": id, "personId": owner_id } });
    let checked = meeting_gql(&app, &lawyer, CHECK_IN, check_in).await;
    let invite =
        json!({ "input": { "meetingId": id, "invitees": [{ "personId": owner_id, "capacity": "RESIDENT" }] } });
    let invited = meeting_gql(&app, &lawyer, INVITE, invite).await;

    // Assert: both name the community's staff first, as any refusal of a lead's step does.
    for refused in [&checked, &invited] {
        let roles = needed_roles(refused);
        assert_eq!(roles.first().map(String::as_str), Some("RESIDENTS_COMMITTEE_STAFF"), "{refused}");
        assert!(roles.contains(&"CITY_ADMINISTRATOR".to_owned()), "{refused}");
    }
    let staff = app.login_as("rc_staff").await;
    let seen =
        meeting_gql(&app, &staff, CHECK_IN, json!({ "input": { "meetingId": id, "personId": lawyer_id } })).await;
    assert_eq!(meeting_done(&seen)["attendance"]["walkIns"], 0, "nobody was checked in by the lawyer: {seen}");
    assert_eq!(meeting_done(&seen)["attendance"]["invited"], 1, "nobody was invited by the lawyer: {seen}");
});

on_both!(a_ballot_in_a_meeting_vote_from_someone_not_invited_says_only_invitees_vote, |backend| async move {
    // Arrange: a meeting vote among the owners' committee chair and the property manager.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let chair = person_id(&app, &app.login_as("oc_chair").await).await;
    let manager = person_id(&app, &app.login_as("property_manager").await).await;
    let at = now(&app);
    let input = json!({
        "topicId": topic, "type": "MEETING", "title": "联席会议表决",
        "opensAt": rfc3339(at), "closesAt": rfc3339(at + Duration::hours(2)), "inviteeIds": [chair, manager],
    });
    let vote = opened(&app, &staff, input).await;
    let resident = app.login_as("resident").await;

    // Act
    let zh = cast_http(&app, &resident, json!({ "voteId": vote, "choice": "FOR" })).await;
    let en = app
        .gql_lang(
            Some(&resident),
            "mutation($i: CastBallotInput!) { castBallot(input: $i) { ok } }",
            json!({ "i": { "voteId": vote, "choice": "FOR" } }),
            Some("en"),
        )
        .await;

    // Assert: no role would do, so none is named; the reason says what would.
    assert_eq!(error_code(&zh), Some("FORBIDDEN"), "{zh}");
    assert_eq!(zh["errors"][0]["extensions"]["reason"], "NOT_INVITED", "{zh}");
    assert!(zh["errors"][0]["extensions"]["needed"].is_null(), "{zh}");
    assert!(error_message(&zh).is_some_and(|m| m.contains("受邀")), "{zh}");
    assert!(error_message(&en).is_some_and(|m| m.contains("invited")), "{en}");
});

const ROLL: &str = "query($v: ID!) { node(id: $v) { ... on Vote { ballotRoll(first: 10) { nodes { areaM2 } } } } }";

on_both!(the_ballot_roll_refused_names_the_organisers_and_after_the_close_an_owner, |backend| async move {
    // Arrange: an owners' vote open for two days; the tenant is no owner and no organiser.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let tenant = app.login_as("resident").await;

    // Act: asked while the vote runs, and after its close.
    let open = app.gql(Some(&tenant), ROLL, json!({ "v": vote })).await;
    app.clock.advance(Duration::hours(49));
    let tenant = app.login_as("resident").await;
    let closed = app.gql(Some(&tenant), ROLL, json!({ "v": vote })).await;

    // Assert: the organisers while it runs (community staff, the owners' committee), and an owner in the
    // compound after.
    let while_open = needed_roles(&open);
    assert!(while_open.contains(&"RESIDENTS_COMMITTEE_STAFF".to_owned()), "{open}");
    assert!(!while_open.contains(&"OWNER".to_owned()), "owners read it only after the close: {open}");
    let after = needed_roles(&closed);
    assert_eq!(after.last().map(String::as_str), Some("OWNER"), "{closed}");
    let owner = &closed["errors"][0]["extensions"]["needed"].as_array().and_then(|n| n.last().cloned());
    assert_eq!(owner.as_ref().map(|o| o["within"].clone()), Some(json!(true)), "{closed}");
    assert_eq!(owner.as_ref().map(|o| o["placeKind"].clone()), Some(json!("COMPOUND")), "{closed}");
});

/// The demo parking topic implemented, accepted and published: rating is open.
pub(crate) async fn rating_open(app: &TestApp) -> String {
    let (topic, task) = crate::refusals_support::implementing(app, Duration::days(7)).await;
    let manager = app.login_as("property_manager").await;
    let staff = app.login_as("rc_staff").await;
    for (token, step) in [
        (&manager, "mutation($k: ID!) { finishTask(taskId: $k) { ok refusal { code } } }"),
        (&staff, "mutation($k: ID!) { acceptTask(taskId: $k) { ok refusal { code } } }"),
    ] {
        let body = app.gql(Some(token), step, json!({ "k": task })).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let published = app
        .gql(
            Some(&staff),
            "mutation($t: ID!) { publishOutcome(topicId: $t, summary: \"停放区已划线。\") { ok refusal { code } } }",
            json!({ "t": topic }),
        )
        .await;
    assert_eq!(published["data"]["publishOutcome"]["ok"], true, "{published}");
    topic
}

const EXPLAIN: &str = "mutation($t: ID!) { requestExplanation(topicId: $t, question: \"为什么这么久？\") { ok refusal { code message } request { id } } }";

on_both!(an_explanation_is_asked_by_those_who_rate_and_owed_to_the_dissatisfied, |backend| async move {
    // Arrange: rating is open; the tenant rated 5.
    let Some(app) = spawn_app(backend).await else { return };
    let topic = rating_open(&app).await;
    let tenant = app.login_as("resident").await;
    let rated = app
        .gql(Some(&tenant), "mutation($t: ID!) { rateTopic(topicId: $t, score: 5) { ok } }", json!({ "t": topic }))
        .await;
    assert_eq!(rated["data"]["rateTopic"]["ok"], true, "{rated}");
    let manager = app.login_as("property_manager").await;

    // Act
    let satisfied = app.gql(Some(&tenant), EXPLAIN, json!({ "t": topic })).await;
    let by_company = app.gql(Some(&manager), EXPLAIN, json!({ "t": topic })).await;
    app.gql(Some(&tenant), "mutation($t: ID!) { rateTopic(topicId: $t, score: 2) { ok } }", json!({ "t": topic }))
        .await;
    let dissatisfied = app.gql(Some(&tenant), EXPLAIN, json!({ "t": topic })).await;

    // Assert: the satisfied resident is answered where things stand; the company is told who rates.
    let refused = &satisfied["data"]["requestExplanation"];
    assert_eq!((refused["ok"].clone(), refused["refusal"]["code"].clone()), (json!(false), json!("not_dissatisfied")));
    assert!(refused["request"].is_null(), "{satisfied}");
    assert_eq!(needed_roles(&by_company), ["RESIDENT", "OWNER"]);
    assert_eq!(dissatisfied["data"]["requestExplanation"]["ok"], true, "{dissatisfied}");
});

on_both!(a_service_request_routed_to_a_company_whose_contract_ended_is_refused_as_data, |backend| async move {
    // Arrange: the parking topic is routed to 安居物业; the compound then contracts another company, whose
    // manager the community appoints.
    let Some(app) = spawn_app(backend).await else { return };
    let passed = crate::service_support::contract_passed(&app).await;

    // Act
    let by_new = crate::service_support::acknowledge(&app, &passed.new_manager, &passed.topics).await;
    let by_old = crate::service_support::acknowledge(&app, &passed.old_manager, &passed.topics).await;

    // Assert: today's company is answered where the request stands; the old one no longer sees the
    // compound's requests at all.
    assert_eq!(crate::pipeline_support::refused(&by_new), "routed_elsewhere", "{by_new}");
    assert_eq!(error_code(&by_old), Some("NOT_FOUND"), "{by_old}");
});

on_both!(the_developers_representative_refused_a_ballot_sees_the_refusal, |backend| async move {
    // Arrange: 韩律师 represents 锦绣花园's developer, which holds 1单元102; the vote has closed.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let unit = app.place_id(&staff, &["和平社区", "锦绣花园", "1号楼", "1单元102"]).await;
    let lawyer_id = person_id(&app, &app.login_as("lawyer").await).await;
    app.gql(
        Some(&staff),
        "mutation($i: CompoundDeveloperInput!) { setCompoundDeveloper(input: $i) { name } }",
        json!({ "i": { "compoundId": compound, "name": "锦绣置业有限公司", "representativeId": lawyer_id } }),
    )
    .await;
    app.gql(
        Some(&staff),
        "mutation($u: ID!) { markDeveloperUnit(unitId: $u, held: true) { developerHeld } }",
        json!({ "u": unit }),
    )
    .await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 2)).await;
    let lawyer = app.login_as("lawyer").await;
    taken(&cast_http(&app, &lawyer, json!({ "voteId": vote, "choice": "FOR", "forDeveloper": true })).await);
    app.clock.advance(Duration::hours(3));
    let lawyer = app.login_as("lawyer").await;

    // Act
    let late = cast_http(&app, &lawyer, json!({ "voteId": vote, "choice": "AGAINST", "forDeveloper": true })).await;

    // Assert: the refusal with the vote, not NOT_FOUND.
    assert_eq!(refusal(&late), "vote_closed", "{late}");
    let seen = vote_gql(&app, &lawyer, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": vote })).await;
    assert_eq!(late["data"]["castBallot"]["vote"]["id"], vote.as_str(), "{late} / {seen}");
});
