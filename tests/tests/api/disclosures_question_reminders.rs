//! A question (质询) left unanswered past its deadline draws a reminder (提示函) to the publisher, once, on
//! the scheduler and the injected clock (decision 107); one answered in time draws none.

use chrono::Duration;
use gongzhi_domain::disclosure::DisclosureRules;
use gongzhi_tests::{on_both, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::disclosures_support::*;

const ASK: &str =
    "mutation($input: QuestionDisclosureInput!) { questionDisclosure(input: $input) { question { id answerDueAt } } }";
const ANSWER: &str =
    "mutation($input: AnswerDisclosureQuestionInput!) { answerDisclosureQuestion(input: $input) { id } }";

on_both!(an_unanswered_question_past_its_deadline_draws_one_reminder_to_the_publisher, |backend| async move {
    // Arrange: a resident asks two questions on the demo's 双晒; the company answers one in time.
    let Some(app) = spawn_app(backend).await else { return };
    let rules = DisclosureRules::default();
    let resident = app.login_as("resident").await;
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&resident, &["和平社区", "锦绣花园"]).await;
    let latest = list(&app, None, &jinxiu).await[0]["id"].as_str().unwrap_or_default().to_owned();
    let mut ids = Vec::new();
    for (line, text) in [("parking", "停车费为何更正？"), ("fees", "物业费收缴率多少？")] {
        let asked = app
            .gql(Some(&resident), ASK, json!({ "input": { "disclosureId": latest, "line": line, "text": text } }))
            .await;
        ids.push(
            asked["data"]["questionDisclosure"]["question"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{asked}"))
                .to_owned(),
        );
    }
    let answered =
        app.gql(Some(&manager), ANSWER, json!({ "input": { "questionId": ids[1], "answer": "收缴率95%" } })).await;
    assert!(answered["errors"].is_null(), "{answered}");
    let manager_id = gongzhi_infra::demo::cast_id("property_manager").expect("cast").as_uuid().to_string();
    let letters = "SELECT COUNT(*) AS n FROM outbox_messages WHERE kind = 'task_overdue' AND person_id = ?";
    let before = count(&app, letters, &manager_id).await;

    // Act and assert: nothing before the deadline (15 days); one reminder after it, and only one.
    app.clock.advance(Duration::days(14));
    assert_eq!(app.store.supervise_disclosures(&rules).await.expect("round").question_reminders, 0, "not yet due");
    app.clock.advance(Duration::days(2));
    let round = app.store.supervise_disclosures(&rules).await.expect("round");
    assert_eq!(round.question_reminders, 1, "the unanswered one, not the answered one: {round:?}");
    assert_eq!(app.store.supervise_disclosures(&rules).await.expect("round").question_reminders, 0, "once");
    app.clock.advance(Duration::days(30));
    assert_eq!(app.store.supervise_disclosures(&rules).await.expect("round").question_reminders, 0, "still once");

    // The company's manager got the 提示函, and the letter is a fact in the log.
    assert_eq!(count(&app, letters, &manager_id).await, before + 1, "one 提示函 to the publishing company");
    let db = app.store.connection();
    let logged = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT kind FROM event_log WHERE kind = 'disclosure.question_reminded'".to_owned(),
        ))
        .await
        .expect("log");
    assert_eq!(logged.len(), 1);
    // Still open to an answer, now late (a fresh login: a month has passed on the clock).
    let manager = app.login_as("property_manager").await;
    let late = app
        .gql(
            Some(&manager),
            "mutation($input: AnswerDisclosureQuestionInput!) { answerDisclosureQuestion(input: $input) { overdue } }",
            json!({ "input": { "questionId": ids[0], "answer": "系统导出遗漏" } }),
        )
        .await;
    assert_eq!(late["data"]["answerDisclosureQuestion"]["overdue"], true, "{late}");
});
