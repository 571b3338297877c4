//! Meetings on a topic under deliberation (DOMAIN.md, "Deliberate"), over HTTP on SQLite and PostgreSQL:
//! scheduling (recorded on the topic's timeline), invitations in a capacity the invitee holds, check-in by
//! invitees and by the topic's leads, and minutes whose every version is kept.

use chrono::Duration;
use gongzhi_tests::graphql::{error_code, error_message, uuid_of};
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::deliberation_support::*;

/// The ids of the demo people invited to the tests' meeting, by handle.
async fn invitees(app: &TestApp) -> Value {
    let manager = person_id(app, &app.login_as("property_manager").await).await;
    let chair = person_id(app, &app.login_as("oc_chair").await).await;
    let lawyer = person_id(app, &app.login_as("lawyer").await).await;
    let owner = person_id(app, &app.login_as("owner").await).await;
    json!([
        { "personId": manager, "capacity": "PROPERTY_COMPANY" },
        { "personId": chair, "capacity": "OWNERS_COMMITTEE" },
        { "personId": lawyer, "capacity": "LAWYER" },
        { "personId": owner, "capacity": "RESIDENT" },
    ])
}

on_both!(scheduling_a_meeting_records_it_on_the_topics_timeline_and_lists_it_on_the_topic, |backend| async move {
    // Arrange: the parking topic under deliberation.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let invited = invitees(&app).await;

    // Act: its leads schedule a coordination meeting tomorrow afternoon with the parties and a lawyer.
    let meeting = scheduled(&app, &staff, meeting_input(&app, &topic, 30, 32, invited.clone())).await;

    // Assert: the meeting as scheduled, everyone invited in their capacity and nobody checked in yet.
    assert_eq!(meeting["title"], "电动车停放联席会议");
    assert_eq!(meeting["form"], "COORDINATION_MEETING");
    assert_eq!(meeting["location"], "社区党群服务中心二楼会议室");
    assert_eq!(time(&meeting["endsAt"]) - time(&meeting["startsAt"]), Duration::hours(2));
    assert_eq!(time(&meeting["startsAt"]) - time(&meeting["checkInOpensAt"]), Duration::minutes(30));
    assert_eq!(meeting["checkInOpen"], false);
    assert_eq!(meeting["scheduledBy"]["id"], person_id(&app, &staff).await);
    assert_eq!(meeting["topic"]["id"], topic);
    let capacities: Vec<&str> = meeting["invitees"]
        .as_array()
        .expect("invitees")
        .iter()
        .map(|i| i["capacity"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(capacities, ["PROPERTY_COMPANY", "OWNERS_COMMITTEE", "LAWYER", "RESIDENT"]);
    assert_eq!(meeting["attendance"], json!({ "invited": 4, "inviteesCheckedIn": 0, "walkIns": 0 }));
    assert!(meeting["minutes"].is_null());
    assert_eq!(meeting["minutesVersions"], json!([]));

    // The topic's public timeline records the meeting, by whom; every resident of the compound sees it.
    let resident = app.login_as("resident").await;
    let events = timeline(&app, &resident, &topic).await;
    let last = events.last().expect("events");
    assert_eq!(last["kind"], "meeting_scheduled");
    assert_eq!(last["actor"]["id"], person_id(&app, &staff).await);
    assert_eq!(last["details"]["meeting"].as_str(), Some(uuid_of(meeting["id"].as_str().expect("id")).as_str()));
    let listed = meetings_of(&app, &resident, &topic).await;
    assert_eq!(listed["data"]["node"]["meetings"][0]["id"], meeting["id"], "{listed}");
});

on_both!(scheduling_is_for_the_topics_leads_on_a_topic_under_deliberation_only, |backend| async move {
    // Arrange: the parking topic under deliberation, and the roof topic of 老街小院 still awaiting triage.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let waiting = demo_topic(&app, &staff, "屋顶漏雨").await;
    let resident = app.login_as("resident").await;
    let lawyer = person_id(&app, &app.login_as("lawyer").await).await;
    let before = timeline(&app, &staff, &topic).await.len();

    // Act
    let by_resident =
        meeting_gql(&app, &resident, SCHEDULE, json!({ "input": meeting_input(&app, &topic, 30, 32, json!([])) }))
            .await;
    let not_deliberating =
        meeting_gql(&app, &staff, SCHEDULE, json!({ "input": meeting_input(&app, &waiting, 30, 32, json!([])) })).await;
    let mut online = meeting_input(&app, &topic, 30, 32, json!([]));
    online["form"] = json!("ONLINE");
    let online = meeting_gql(&app, &staff, SCHEDULE, json!({ "input": online })).await;
    let too_long =
        meeting_gql(&app, &staff, SCHEDULE, json!({ "input": meeting_input(&app, &topic, 30, 43, json!([])) })).await;
    let as_mediator = meeting_input(&app, &topic, 30, 32, json!([{ "personId": lawyer, "capacity": "MEDIATOR" }]));
    let as_mediator = app
        .gql_lang(
            Some(&staff),
            &format!("{SCHEDULE}\nfragment MP on MeetingPayload {{ ok }}"),
            json!({ "input": as_mediator }),
            Some("en"),
        )
        .await;

    // Assert: a resident may not schedule; a topic awaiting triage refuses with its stage as data; the
    // rest is bad input worded for the client; and nothing was scheduled or recorded.
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    let (code, message) = refused(&not_deliberating);
    assert_eq!(code, "wrong_stage");
    assert!(message.contains("待梳理"), "{message}");
    assert!(payload(&not_deliberating)["meeting"].is_null());
    assert_eq!(error_code(&online), Some("BAD_USER_INPUT"), "{online}");
    assert!(error_message(&online).is_some_and(|m| m.contains("网上协商")), "{online}");
    assert_eq!(error_code(&too_long), Some("BAD_USER_INPUT"), "{too_long}");
    assert_eq!(error_code(&as_mediator), Some("BAD_USER_INPUT"), "{as_mediator}");
    assert!(error_message(&as_mediator).is_some_and(|m| m.contains("cannot be invited as mediator")), "{as_mediator}");
    assert_eq!(timeline(&app, &staff, &topic).await.len(), before);
    assert_eq!(meetings_of(&app, &staff, &topic).await["data"]["node"]["meetings"], json!([]));
    assert_eq!(meetings_of(&app, &staff, &waiting).await["data"]["node"]["meetings"], json!([]));
});

on_both!(invitees_only_check_themselves_in_and_the_leads_check_in_anyone, |backend| async move {
    // Arrange: a meeting starting in an hour, with the owner and the community's lawyer invited.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let owner_id = person_id(&app, &app.login_as("owner").await).await;
    let lawyer_id = person_id(&app, &app.login_as("lawyer").await).await;
    let resident_id = person_id(&app, &app.login_as("resident").await).await;
    let invited = json!([
        { "personId": owner_id, "capacity": "RESIDENT" },
        { "personId": lawyer_id, "capacity": "LAWYER" },
    ]);
    let meeting = scheduled(&app, &staff, meeting_input(&app, &topic, 1, 3, invited)).await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    let check_in = |person: Option<&str>| json!({ "input": { "meetingId": id, "personId": person } });

    // Act & Assert: too early, even for an invitee: refused as data, with the meeting as it stands.
    let owner = app.login_as("owner").await;
    let early = meeting_gql(&app, &owner, CHECK_IN, check_in(None)).await;
    assert_eq!(refused(&early).0, "check_in_closed");
    assert_eq!(payload(&early)["meeting"]["attendance"]["inviteesCheckedIn"], 0);

    // Check-in opens half an hour before the start (access tokens last minutes: log in again).
    app.clock.advance(Duration::minutes(31));
    let owner = app.login_as("owner").await;
    let lawyer = app.login_as("lawyer").await;
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;

    // An invited resident checks in.
    let checked = meeting_gql(&app, &owner, CHECK_IN, check_in(None)).await;
    let checked = meeting_done(&checked);
    assert_eq!(checked["me"], json!({ "capacity": "RESIDENT", "checkedIn": true }));
    assert_eq!(checked["attendance"]["inviteesCheckedIn"], 1);

    // A resident who was not invited may not check themselves in, and changes nothing.
    let uninvited = meeting_gql(&app, &resident, CHECK_IN, check_in(None)).await;
    assert_eq!(error_code(&uninvited), Some("FORBIDDEN"), "{uninvited}");
    let uninvited_other = meeting_gql(&app, &resident, CHECK_IN, check_in(Some(&lawyer_id))).await;
    assert_eq!(error_code(&uninvited_other), Some("FORBIDDEN"), "{uninvited_other}");

    // The lawyer does not see the compound's topics, but sees and checks into the meeting they are invited to.
    assert_eq!(error_code(&meetings_of(&app, &lawyer, &topic).await), Some("NOT_FOUND"));
    let seen = meeting_node(&app, &lawyer, &id).await;
    assert_eq!(seen["data"]["node"]["id"], id, "{seen}");
    assert!(seen["data"]["node"]["topic"].is_null(), "{seen}");
    let lawyer_in = meeting_gql(&app, &lawyer, CHECK_IN, check_in(None)).await;
    assert_eq!(meeting_done(&lawyer_in)["attendance"]["inviteesCheckedIn"], 2);

    // Someone neither invited nor able to see the topic does not find the meeting.
    let outsider = app.login_as("old_owner").await;
    assert_eq!(error_code(&meeting_gql(&app, &outsider, CHECK_IN, check_in(None)).await), Some("NOT_FOUND"));

    // The topic's lead checks in the resident who came without an invitation (a walk-in).
    let walk_in = meeting_gql(&app, &staff, CHECK_IN, check_in(Some(&resident_id))).await;
    let after = meeting_done(&walk_in);
    assert_eq!(after["attendance"], json!({ "invited": 2, "inviteesCheckedIn": 2, "walkIns": 1 }));
    let walked_in = after["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .find(|a| a["person"]["id"] == resident_id)
        .cloned()
        .expect("the walk-in attends");
    assert_eq!(walked_in["invited"], false);
    assert!(walked_in["capacity"].is_null());
    assert_eq!(walked_in["checkedInByStaff"], true);

    // Checking in again keeps the first check-in.
    let owners_check_in = |meeting: &Value| {
        meeting["invitees"].as_array().expect("invitees").iter().find(|i| i["person"]["id"] == owner_id).cloned()
    };
    let first_at = owners_check_in(after).expect("the owner is invited")["checkedInAt"].clone();
    assert!(first_at.is_string(), "{after}");
    app.clock.advance(Duration::minutes(5));
    let owner = app.login_as("owner").await;
    let again = meeting_gql(&app, &owner, CHECK_IN, check_in(None)).await;
    assert_eq!(owners_check_in(meeting_done(&again)).expect("still invited")["checkedInAt"], first_at);

    // After the end, invitees can no longer check themselves in; the leads still enter the paper sheet.
    app.clock.advance(Duration::hours(3));
    let lawyer = app.login_as("lawyer").await;
    let staff = app.login_as("rc_staff").await;
    assert_eq!(refused(&meeting_gql(&app, &lawyer, CHECK_IN, check_in(None)).await).0, "check_in_closed");
    let late = meeting_gql(&app, &staff, CHECK_IN, check_in(Some(&person_id(&app, &staff).await))).await;
    assert_eq!(meeting_done(&late)["attendance"]["walkIns"], 2);
});

on_both!(every_version_of_the_minutes_is_kept, |backend| async move {
    // Arrange: a meeting starting in an hour.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let meeting = scheduled(&app, &staff, meeting_input(&app, &topic, 1, 3, json!([]))).await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    let signin = crate::files_support::uploaded(&app, &staff, "uploadPhoto", &crate::files_support::png(16)).await;
    let signed = crate::files_support::uploaded(&app, &staff, "uploadDocument", &crate::files_support::pdf(64)).await;
    let write = |text: &str, attachments: Value, reason: Option<&str>| json!({ "input": { "meetingId": id, "text": text, "attachments": attachments, "reason": reason } });

    // Act & Assert: before the meeting starts there is nothing to record.
    let early = meeting_gql(&app, &staff, MINUTES, write("会议纪要", json!([]), None)).await;
    assert_eq!(refused(&early).0, "meeting_not_started");
    assert!(payload(&early)["meeting"]["minutes"].is_null());

    app.clock.advance(Duration::hours(2));
    let staff = app.login_as("rc_staff").await;
    let resident = app.login_as("resident").await;

    // Only the topic's leads write minutes.
    let by_resident = meeting_gql(&app, &resident, MINUTES, write("我来记", json!([]), None)).await;
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    let ten: Vec<String> = (0..10).map(|i| format!("minutes/scan-{i}.jpg")).collect();
    let too_many = meeting_gql(&app, &staff, MINUTES, write("纪要", json!(ten), None)).await;
    assert_eq!(error_code(&too_many), Some("BAD_USER_INPUT"), "{too_many}");

    // The first version, with the sign-in sheet attached.
    let first = meeting_gql(
        &app,
        &staff,
        MINUTES,
        write("一、物业同意在北侧划定电动车停放区。\n二、业委会负责宣传。", json!([signin]), None),
    )
    .await;
    let first = meeting_done(&first);
    assert_eq!(first["minutes"]["version"], 1);
    assert_eq!(first["minutes"]["attachments"], json!([signin]));
    assert_eq!(first["minutes"]["writtenBy"]["id"], person_id(&app, &staff).await);

    // A correction of published minutes needs its reason, and a refused one stores nothing.
    app.clock.advance(Duration::hours(1));
    let staff = app.login_as("rc_staff").await;
    let unexplained = meeting_gql(&app, &staff, MINUTES, write("更正后的纪要", json!([]), None)).await;
    assert_eq!(error_code(&unexplained), Some("BAD_USER_INPUT"), "{unexplained}");
    let corrected = meeting_gql(
        &app,
        &staff,
        MINUTES,
        write(
            "一、物业同意在北侧划定电动车停放区，并加装充电桩。\n二、业委会负责宣传。",
            json!([signin, signed]),
            Some("补记物业关于充电桩的表态"),
        ),
    )
    .await;
    let corrected = meeting_done(&corrected);

    // Both versions are kept, oldest first; the latest is the correction, with its reason.
    assert_eq!(corrected["minutes"]["version"], 2);
    assert_eq!(corrected["minutes"]["reason"], "补记物业关于充电桩的表态");
    let versions = corrected["minutesVersions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["text"], "一、物业同意在北侧划定电动车停放区。\n二、业委会负责宣传。");
    assert_eq!(versions[0]["attachments"], json!([signin]));
    assert!(versions[0]["reason"].is_null());
    assert_eq!(versions[1]["attachments"], json!([signin, signed]));
    assert!(time(&versions[1]["writtenAt"]) > time(&versions[0]["writtenAt"]));

    // Residents read the same record.
    let resident = app.login_as("resident").await;
    let seen = meetings_of(&app, &resident, &topic).await;
    let seen = &seen["data"]["node"]["meetings"][0];
    assert_eq!(seen["minutes"]["version"], 2, "{seen}");
    assert_eq!(seen["minutesVersions"].as_array().map(Vec::len), Some(2));
    // Each version is a step on the topic's public record.
    let recorded: Vec<Value> = timeline(&app, &resident, &topic)
        .await
        .into_iter()
        .filter(|e| e["kind"] == "minutes_recorded")
        .map(|e| e["details"]["version"].clone())
        .collect();
    assert_eq!(recorded, vec![json!(1), json!(2)]);
});

on_both!(invitations_are_added_until_the_meeting_ends_and_nobody_is_invited_twice, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let owner_id = person_id(&app, &app.login_as("owner").await).await;
    let leader_id = person_id(&app, &app.login_as("building_leader").await).await;
    let meeting = scheduled(
        &app,
        &staff,
        meeting_input(&app, &topic, 1, 2, json!([{ "personId": owner_id, "capacity": "RESIDENT" }])),
    )
    .await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    let invite = |person: &str, capacity: &str| json!({ "input": { "meetingId": id, "invitees": [{ "personId": person, "capacity": capacity }] } });

    // Act & Assert: a building leader is invited for the building leaders; inviting the owner a second
    // time, and anyone after the end, is refused as data.
    let added = meeting_gql(&app, &staff, INVITE, invite(&leader_id, "BUILDING_LEADERS")).await;
    assert_eq!(meeting_done(&added)["attendance"]["invited"], 2);
    let twice = meeting_gql(&app, &staff, INVITE, invite(&owner_id, "RESIDENT")).await;
    assert_eq!(refused(&twice).0, "already_invited", "{twice}");
    app.clock.advance(Duration::hours(2));
    let staff = app.login_as("rc_staff").await;
    let resident_id = person_id(&app, &app.login_as("resident").await).await;
    let late = meeting_gql(&app, &staff, INVITE, invite(&resident_id, "RESIDENT")).await;
    assert_eq!(refused(&late).0, "meeting_ended");
    assert_eq!(payload(&late)["meeting"]["attendance"]["invited"], 2);
});

on_both!(minutes_attach_only_uploads_of_their_writer_or_another_lead_of_the_topic, |backend| async move {
    // Arrange: a meeting that has started; the tenant, the party secretary (who also leads the community's
    // topics) and the writer each uploaded a photo.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = deliberating_topic(&app, &staff).await;
    let meeting = scheduled(&app, &staff, meeting_input(&app, &topic, 1, 3, json!([]))).await;
    let id = meeting["id"].as_str().expect("id").to_owned();
    app.clock.advance(Duration::hours(2));
    let (staff, secretary, tenant) =
        (app.login_as("rc_staff").await, app.login_as("party_secretary").await, app.login_as("resident").await);
    let photo = crate::files_support::png(8);
    let own = crate::files_support::uploaded(&app, &staff, "uploadPhoto", &photo).await;
    let colleagues = crate::files_support::uploaded(&app, &secretary, "uploadPhoto", &photo).await;
    let tenants = crate::files_support::uploaded(&app, &tenant, "uploadPhoto", &photo).await;
    let nobodys = "photos/0197a1b2-0000-7000-8000-000000000000.png";
    let write =
        |keys: Value| json!({ "input": { "meetingId": id, "text": "一、签到表见附件。", "attachments": keys } });

    // Act
    let with_tenants = meeting_gql(&app, &staff, MINUTES, write(json!([own, tenants]))).await;
    let with_nobodys = meeting_gql(&app, &staff, MINUTES, write(json!([nobodys]))).await;
    let with_colleagues = meeting_gql(&app, &staff, MINUTES, write(json!([own, colleagues]))).await;

    // Assert: refused as a photo that is not its author's is, naming the key, and nothing was recorded.
    for refused in [&with_tenants, &with_nobodys] {
        assert_eq!(error_code(refused), Some("BAD_USER_INPUT"), "{refused}");
    }
    assert!(error_message(&with_tenants).is_some_and(|m| m.contains(&tenants) && !m.contains(&own)), "{with_tenants}");
    let written = meeting_done(&with_colleagues);
    assert_eq!(written["minutes"]["version"], 1, "the refused attempts stored no version: {written}");
    assert_eq!(written["minutes"]["attachments"], json!([own, colleagues]));
});
