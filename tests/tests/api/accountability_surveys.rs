//! Satisfaction surveys (满意度测评, issue 17) through GraphQL on SQLite and PostgreSQL: one response per
//! household, changeable until the close; only the count while open; results only once closed and
//! answered by at least the city's threshold of households; no way for anyone to read a single response.

use chrono::{Duration, SecondsFormat};
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

const OPEN: &str = "mutation($i: OpenSurveyInput!) { openSurvey(input: $i) { ok refusal { code } survey { id households responses } } }";
const ANSWER: &str =
    "mutation($i: AnswerSurveyInput!) { answerSurvey(input: $i) { ok refusal { code message } survey { responses } } }";
const CLOSE: &str = "mutation($s: ID!) { closeSurvey(surveyId: $s) { ok refusal { code } survey { closed } } }";
const READ: &str = "query($s: ID!) { survey(id: $s) { responses responseRate closed myHouseholdAnswered resultsWithheld \
    results { number answered mean distribution texts } } }";

async fn open_survey(app: &TestApp, staff: &str) -> String {
    let compound = app.place_id(staff, &["和平社区", "锦绣花园"]).await;
    let closes = (gongzhi_domain::clock::Clock::now(app.clock.as_ref()) + Duration::days(7))
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    let input = json!({
        "compoundId": compound,
        "title": "2026年第四季度物业服务满意度测评",
        "quarter": "2026Q4",
        "closesAt": closes,
        "questions": [
            { "prompt": "物业服务总体满意度", "kind": "RATING" },
            { "prompt": "最需要改进的方面", "kind": "SINGLE", "options": ["保洁", "安保", "绿化"] },
            { "prompt": "其他意见", "kind": "TEXT" }
        ]
    });
    let body = app.gql(Some(staff), OPEN, json!({ "i": input })).await;
    assert_eq!(body["data"]["openSurvey"]["ok"], true, "{body}");
    assert_eq!(body["data"]["openSurvey"]["survey"]["households"], 6, "锦绣花园 has six households: {body}");
    body["data"]["openSurvey"]["survey"]["id"].as_str().expect("survey id").to_owned()
}

async fn answer(app: &TestApp, token: &str, survey: &str, rating: i64) -> Value {
    let answers = json!([{ "rating": rating }, { "option": 0 }, { "text": format!("评分{rating}") }]);
    app.gql(Some(token), ANSWER, json!({ "i": { "surveyId": survey, "answers": answers } })).await
}

async fn read(app: &TestApp, token: &str, survey: &str) -> Value {
    let body = app.gql(Some(token), READ, json!({ "s": survey })).await;
    body["data"]["survey"].clone()
}

on_both!(a_survey_shows_only_its_count_while_open_and_withholds_results_below_five_households, |backend| async move {
    // Arrange: a survey of 锦绣花园, and four of its households' people.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let survey = open_survey(&app, &staff).await;
    let people = ["resident", "owner", "oc_chair", "oc_member"];
    let mut tokens = Vec::new();
    for handle in people {
        tokens.push(app.login_as(handle).await);
    }

    // Act: four households answer, and one changes its answer.
    for (i, token) in tokens.iter().enumerate() {
        let body = answer(&app, token, &survey, i as i64 + 2).await;
        assert_eq!(body["data"]["answerSurvey"]["ok"], true, "{body}");
    }
    let changed = answer(&app, &tokens[0], &survey, 5).await;

    // Assert: a changed answer is still one household's; only the count shows while open.
    assert_eq!(changed["data"]["answerSurvey"]["survey"]["responses"], 4, "{changed}");
    let open = read(&app, &tokens[0], &survey).await;
    assert_eq!((open["responses"].clone(), open["responseRate"].clone()), (json!(4), json!("66.7")), "{open}");
    assert_eq!(open["myHouseholdAnswered"], true);
    assert_eq!((open["results"].clone(), open["resultsWithheld"].clone()), (Value::Null, json!("STILL_OPEN")));
    let closed = app.gql(Some(&staff), CLOSE, json!({ "s": survey })).await;
    assert_eq!(closed["data"]["closeSurvey"]["survey"]["closed"], true, "{closed}");
    let after = read(&app, &staff, &survey).await;
    assert_eq!(after["resultsWithheld"], "TOO_FEW_RESPONSES", "four households of six could be told apart: {after}");
    assert_eq!(after["results"], Value::Null);
    assert_eq!(after["myHouseholdAnswered"], Value::Null, "after the close nothing ties an answer to a household");
    let late = answer(&app, &tokens[1], &survey, 1).await;
    assert_eq!(late["data"]["answerSurvey"]["refusal"]["code"], "survey_closed", "{late}");
});

on_both!(five_households_answers_are_shown_in_aggregate_once_the_survey_closes, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let survey = open_survey(&app, &staff).await;

    // Act: five households rate 1 to 5; the survey closes.
    for (i, handle) in ["resident", "owner", "oc_chair", "oc_member", "oc_member2"].into_iter().enumerate() {
        let token = app.login_as(handle).await;
        let body = answer(&app, &token, &survey, i as i64 + 1).await;
        assert_eq!(body["data"]["answerSurvey"]["ok"], true, "{body}");
    }
    app.gql(Some(&staff), CLOSE, json!({ "s": survey })).await;

    // Assert: mean and distribution per question, free texts sorted; the property company reads the same.
    let manager = app.login_as("property_manager").await;
    let shown = read(&app, &manager, &survey).await;
    assert_eq!(shown["resultsWithheld"], Value::Null, "{shown}");
    assert_eq!(shown["results"][0]["mean"], "3.00");
    assert_eq!(shown["results"][0]["distribution"], json!([1, 1, 1, 1, 1]));
    assert_eq!(shown["results"][1]["distribution"], json!([5, 0, 0]));
    assert_eq!(shown["results"][2]["texts"], json!(["评分1", "评分2", "评分3", "评分4", "评分5"]));
});

on_both!(no_one_can_read_who_answered_what_and_only_households_answer, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let survey = open_survey(&app, &staff).await;
    let resident = app.login_as("resident").await;
    answer(&app, &resident, &survey, 4).await;

    // Act: a resident and the property company ask for the individual responses; the company and a
    // resident of another compound try to answer; a resident tries to open a survey.
    let individual = "query($s: ID!) { survey(id: $s) { answers { household rating } } }";
    let by_resident = app.gql(Some(&resident), individual, json!({ "s": survey })).await;
    let manager = app.login_as("property_manager").await;
    let by_company = app.gql(Some(&manager), individual, json!({ "s": survey })).await;
    let company_answers = answer(&app, &manager, &survey, 5).await;
    let outsider = app.login_as("old_owner").await;
    let outsider_answers = answer(&app, &outsider, &survey, 1).await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let closes = (gongzhi_domain::clock::Clock::now(app.clock.as_ref()) + Duration::days(7))
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    let input = json!({ "compoundId": compound, "title": "测评", "closesAt": closes,
        "questions": [{ "prompt": "满意度", "kind": "RATING" }] });
    let resident_opens = app.gql(Some(&resident), OPEN, json!({ "i": input })).await;
    let bad = app
        .gql(Some(&resident), ANSWER, json!({ "i": { "surveyId": survey, "answers": [{ "rating": 6 }, null, null] } }))
        .await;

    // Assert: the schema has no way to ask, for anyone; the refusals are typed and changed nothing.
    for asked in [&by_resident, &by_company] {
        assert_eq!(error_code(asked), Some("BAD_USER_INPUT"), "{asked}");
        assert!(asked["errors"][0]["message"].as_str().is_some_and(|m| m.contains("answers")), "{asked}");
        assert_eq!(asked["data"], Value::Null, "{asked}");
    }
    assert_eq!(error_code(&company_answers), Some("FORBIDDEN"), "{company_answers}");
    assert_eq!(error_code(&outsider_answers), Some("FORBIDDEN"), "{outsider_answers}");
    assert_eq!(error_code(&resident_opens), Some("FORBIDDEN"), "{resident_opens}");
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");
    assert_eq!(read(&app, &staff, &survey).await["responses"], 1);
});

on_both!(opening_a_survey_tells_each_resident_and_owner_of_the_compound_once, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;

    // Act
    open_survey(&app, &staff).await;

    // Assert: the outbox holds one WeChat message per person living in or owning a household of 锦绣花园
    // (owner, resident and the three committee members who own flats there), and nobody else.
    let admin = app.login_as("city_admin").await;
    let body = app
        .gql(Some(&admin), "{ outboxMessages(first: 50) { edges { node { kind recipientId channel } } } }", json!({}))
        .await;
    let edges = body["data"]["outboxMessages"]["edges"].as_array().cloned().unwrap_or_else(|| panic!("{body}"));
    let survey_messages: Vec<&Value> = edges.iter().filter(|e| e["node"]["kind"] == "survey_to_answer").collect();
    let mut recipients: Vec<String> =
        survey_messages.iter().filter_map(|e| e["node"]["recipientId"].as_str().map(str::to_owned)).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 5, "{body}");
    assert_eq!(survey_messages.len(), 5, "once each: {body}");
    let old_owner = gongzhi_tests::app::person_id(&app, &app.login_as("old_owner").await).await;
    assert!(!recipients.contains(&old_owner), "老街小院's owner is not told");
});
