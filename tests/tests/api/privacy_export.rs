//! A person's copy of their own data (个人信息查阅、复制, issue 19; decisions 143–145), on SQLite and
//! PostgreSQL: what the archive holds for a person who took part in every step, and nothing of a
//! neighbour's; its link expires on the clock; nobody exports another's data; request and download are
//! in the person's access log; one export a day per person (decision 139).

use chrono::{Duration, SecondsFormat};
use gongzhi_domain::clock::Clock;
use gongzhi_infra::demo::cast_id;
use gongzhi_tests::app::person_id;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::deliberation_support::posted;
use crate::pipeline_support::{category, co_sign, demo, raise, topic_input};
use crate::privacy_support::*;
use crate::votes_support::{cast_http, jinxiu_topic, opened, owners_vote_input, taken};

const FILES: [&str; 14] = [
    "README.txt",
    "profile.json",
    "identities.json",
    "roles.json",
    "households_and_claims.json",
    "topics.json",
    "co_signs.json",
    "opinions.json",
    "ballots.json",
    "ratings.json",
    "survey_answers.json",
    "notifications.json",
    "consents.json",
    "sessions.json",
];

async fn open_survey(app: &TestApp, staff: &str) -> String {
    let compound = app.place_id(staff, &["和平社区", "锦绣花园"]).await;
    let closes = (app.clock.now() + Duration::days(7)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let input = json!({
        "compoundId": compound, "title": "物业服务满意度测评", "quarter": "2026Q4", "closesAt": closes,
        "questions": [{ "prompt": "其他意见", "kind": "TEXT" }],
    });
    let body = app
        .gql(
            Some(staff),
            "mutation($i: OpenSurveyInput!) { openSurvey(input: $i) { ok survey { id } } }",
            json!({ "i": input }),
        )
        .await;
    body["data"]["openSurvey"]["survey"]["id"].as_str().unwrap_or_else(|| panic!("no survey: {body}")).to_owned()
}

async fn answer_survey(app: &TestApp, token: &str, survey: &str, text: &str) {
    let body = app
        .gql(
            Some(token),
            "mutation($i: AnswerSurveyInput!) { answerSurvey(input: $i) { ok refusal { code } } }",
            json!({ "i": { "surveyId": survey, "answers": [{ "text": text }] } }),
        )
        .await;
    assert_eq!(body["data"]["answerSurvey"]["ok"], true, "{body}");
}

/// The owner (卫业主) raises a topic, co-signs the resident's, gives an opinion, votes and answers a survey;
/// the resident next door (蒋居民) does the same on their side.
async fn everything_done(app: &TestApp) {
    let staff = app.login_as("rc_staff").await;
    let (owner, resident) = (app.login_as("owner").await, app.login_as("resident").await);
    let places = demo(app).await;
    let repairs = category(app, &staff, &places.community, "repairs").await;
    let mine = raise(app, &owner, topic_input(&places.jinxiu_1, &repairs, "一号楼门禁损坏")).await;
    let theirs = raise(app, &resident, topic_input(&places.jinxiu_1, &repairs, "二号楼路灯不亮")).await;
    co_sign(app, &owner, &theirs).await;
    co_sign(app, &resident, &mine).await;
    let topic = jinxiu_topic(app, &staff).await;
    posted(app, &owner, &topic, "FOR", "业主的意见：支持划定停放区").await;
    posted(app, &resident, &topic, "AGAINST", "居民的意见：停放区太远").await;
    let vote = opened(app, &staff, owners_vote_input(app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    taken(&cast_http(app, &owner, json!({ "voteId": vote, "choice": "FOR" })).await);
    let survey = open_survey(app, &staff).await;
    answer_survey(app, &owner, &survey, "业主的答卷：保洁要加强").await;
}

fn phone_of(app_people: &[(String, Option<String>)], name: &str) -> String {
    app_people.iter().find(|(n, _)| n == name).and_then(|(_, p)| p.clone()).expect("a phone")
}

on_both!(an_export_holds_the_persons_own_records_and_nothing_of_a_neighbours, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    everything_done(&app).await;
    let mut people = Vec::new();
    for handle in ["owner", "resident"] {
        let person = app.store.person(cast_id(handle).expect("cast")).await.expect("person");
        people.push((person.name.clone().unwrap_or_default(), person.phone.clone()));
    }
    let owner = app.login_as("owner").await;

    // Act
    let export = export_of_me(&app, &owner).await;
    let (status, bytes) = fetch(&app, export["download"]["url"].as_str().expect("a link")).await;

    // Assert: every file, each with the owner's own records.
    assert_eq!(status, 200);
    let files = unzip(&bytes);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for name in &FILES {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    assert!(files["README.txt"].contains("ballots.json") && files["README.txt"].contains("您投出的票"));
    let json = |name: &str| -> Value { serde_json::from_str(&files[name]).unwrap_or_else(|e| panic!("{name}: {e}")) };
    assert_eq!(json("profile.json")["name"], "卫业主");
    assert_eq!(json("profile.json")["phone"], phone_of(&people, "卫业主").as_str());
    assert_eq!(json("identities.json")[0]["openid"], "demo_openid_owner");
    assert!(
        json("roles.json").as_array().is_some_and(|r| r.iter().any(|g| g["role"] == "owner")),
        "{}",
        files["roles.json"]
    );
    assert_eq!(json("topics.json")[0]["title"], "一号楼门禁损坏");
    assert!(json("co_signs.json").as_array().is_some_and(|c| c.iter().any(|c| c["topic"] == "二号楼路灯不亮")));
    assert_eq!(json("opinions.json").as_array().map(Vec::len), Some(1));
    assert_eq!(json("opinions.json")[0]["text"], "业主的意见：支持划定停放区");
    let ballots = json("ballots.json");
    assert_eq!((ballots[0]["choice"].as_str(), ballots[0]["mine"].as_bool()), (Some("for"), Some(true)), "{ballots}");
    assert!(files["survey_answers.json"].contains("业主的答卷：保洁要加强"), "{}", files["survey_answers.json"]);
    assert!(json("sessions.json").as_array().is_some_and(|s| !s.is_empty()));
    // Nothing of the neighbour: not their name, phone, openid, id or words.
    let resident_id = person_id(&app, &app.login_as("resident").await).await;
    let resident_uuid = cast_id("resident").expect("cast").to_string();
    for (name, text) in &files {
        for needle in [
            "蒋居民",
            phone_of(&people, "蒋居民").as_str(),
            "demo_openid_resident",
            resident_id.as_str(),
            resident_uuid.as_str(),
            "居民的意见",
        ] {
            assert!(!text.contains(needle), "{name} holds the neighbour's {needle:?}");
        }
    }
    // Request and download are the owner's own entries in their access log.
    let accesses = my_accesses(&app, &owner).await;
    assert_eq!(kinds(&accesses), ["EXPORT_DOWNLOADED", "EXPORT_REQUESTED"], "{accesses:?}");
    assert_eq!(accesses[1]["reference"], export["id"]);
});

on_both!(an_exports_link_expires_on_the_clock, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let owner = app.login_as("owner").await;
    let export = export_of_me(&app, &owner).await;
    let url = export["download"]["url"].as_str().expect("a link").to_owned();
    let expires = chrono::DateTime::parse_from_rfc3339(export["download"]["expiresAt"].as_str().expect("expiry"))
        .expect("a time")
        .with_timezone(&chrono::Utc);

    // Act
    app.clock.set(expires - Duration::seconds(1));
    let (before, _) = fetch(&app, &url).await;
    app.clock.set(expires);
    let (after, body) = fetch(&app, &url).await;

    // Assert
    assert_eq!(before, 200);
    assert_eq!(after, 403);
    let body: Value = serde_json::from_slice(&body).expect("a coded refusal");
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
    let owner = app.login_as("owner").await;
    assert_eq!(kinds(&my_accesses(&app, &owner).await), ["EXPORT_DOWNLOADED", "EXPORT_REQUESTED"], "one download");
});

on_both!(nobody_exports_another_persons_data, |backend| async move {
    // Arrange: staff and the city administrator both know the owner's id.
    let Some(app) = spawn_app(backend).await else { return };
    let owner = app.login_as("owner").await;
    let owner_id = person_id(&app, &owner).await;

    // Act
    let mut refusals = Vec::new();
    for handle in ["rc_staff", "city_admin", "resident"] {
        let token = app.login_as(handle).await;
        refusals.push(app.gql(Some(&token), REQUEST_EXPORT, json!({ "p": owner_id })).await);
    }

    // Assert: refused, and nothing was built or logged for the owner.
    for refusal in &refusals {
        assert_eq!(error_code(refusal), Some("FORBIDDEN"), "{refusal}");
    }
    let exports = app.gql(Some(&owner), "{ myDataExports { id } }", json!({})).await;
    assert_eq!(exports["data"]["myDataExports"], json!([]), "{exports}");
    assert!(my_accesses(&app, &owner).await.is_empty());
});

on_both!(a_second_export_within_a_day_is_refused_as_rate_limited_and_allowed_after_it, |backend| async move {
    // Arrange: the owner exported once.
    let Some(app) = spawn_app(backend).await else { return };
    let owner = app.login_as("owner").await;
    export_of_me(&app, &owner).await;

    // Act: again an hour before the day is out, then once it is.
    app.clock.advance(Duration::hours(23));
    let owner = app.login_as("owner").await;
    let too_soon = app.gql(Some(&owner), REQUEST_EXPORT, json!({ "p": null })).await;
    let exports_then = app.gql(Some(&owner), "{ myDataExports { id } }", json!({})).await;
    app.clock.advance(Duration::hours(1));
    let owner = app.login_as("owner").await;
    let next_day = export_of_me(&app, &owner).await;

    // Assert: refused with the wait, in both languages, and nothing written; allowed the next day.
    assert_eq!(error_code(&too_soon), Some("RATE_LIMITED"), "{too_soon}");
    assert!(too_soon["errors"][0]["message"].as_str().is_some_and(|m| m.contains("3600")), "{too_soon}");
    assert_eq!(exports_then["data"]["myDataExports"].as_array().map(Vec::len), Some(1), "{exports_then}");
    assert_eq!(next_day["status"], "READY");
});
