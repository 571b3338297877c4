//! A topic's whole journey over HTTP, from submission to rating, with a different person at each step;
//! and the scheduler's letters and escalation on the mock clock.

use chrono::Duration;
use gongzhi_tests::app::person_id;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

async fn run(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let body = app.gql(Some(token), query, variables).await;
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body["data"].clone()
}

/// Runs a pipeline mutation and checks it was not refused.
async fn step(app: &TestApp, token: &str, field: &str, query: &str, variables: Value) -> Value {
    let data = run(app, token, query, variables).await;
    assert_eq!(data[field]["ok"], true, "{field} refused: {data}");
    data[field]["topic"].clone()
}

fn at(app: &TestApp, offset: Duration) -> String {
    (gongzhi_domain::clock::Clock::now(app.clock.as_ref()) + offset).to_rfc3339()
}

struct Accepted {
    topic: String,
}

/// Submitted by `resident`, co-signed by `owner`, accepted by `rc_staff`.
async fn accepted_topic(app: &TestApp) -> Accepted {
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    let community = app.place_id(&staff, &["和平社区"]).await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let catalogue =
        run(app, &staff, "query($c: ID!) { catalogue(communityId: $c) { id code } }", json!({ "c": community })).await;
    let parking = catalogue["catalogue"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == "parking"))
        .expect("parking")["id"]
        .clone();
    let submitted = step(
        app,
        &resident,
        "submitTopic",
        "mutation($i: SubmitTopicInput!) { submitTopic(input: $i) { ok topic { id } } }",
        json!({ "i": { "placeId": compound, "categoryId": parking, "title": "地下车库照明不足", "description": "B1 层多处灯管损坏，夜间取车不安全。" } }),
    )
    .await;
    let topic = submitted["id"].as_str().expect("topic id").to_owned();
    step(
        app,
        &app.login_as("owner").await,
        "coSignTopic",
        "mutation($t: ID!) { coSignTopic(topicId: $t) { ok topic { id } } }",
        json!({ "t": topic }),
    )
    .await;
    step(
        app,
        &staff,
        "acceptTopic",
        "mutation($t: ID!, $p: PlanInput!) { acceptTopic(topicId: $t, plan: $p) { ok topic { id } } }",
        json!({ "t": topic, "p": { "form": "ONLINE", "parties": ["RESIDENTS_COMMITTEE", "OWNERS_COMMITTEE", "PROPERTY_COMPANY"], "startsOn": "2026-11-23", "endsOn": "2026-11-30" } }),
    )
    .await;
    Accepted { topic }
}

on_both!(a_topic_goes_from_submission_to_rating_with_a_public_record_of_every_step, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let Accepted { topic } = accepted_topic(&app).await;
    let staff = app.login_as("rc_staff").await;
    let chair = app.login_as("oc_chair").await;
    let manager = app.login_as("property_manager").await;

    // Deliberate: a meeting vote among the invited parties.
    let invitees = vec![person_id(&app, &staff).await, person_id(&app, &chair).await, person_id(&app, &manager).await];
    let vote = run(
        &app,
        &staff,
        "mutation($i: OpenVoteInput!) { openVote(input: $i) { vote { id isOpen } } }",
        json!({ "i": { "topicId": topic, "type": "MEETING", "title": "更换车库照明", "opensAt": at(&app, Duration::zero()), "closesAt": at(&app, Duration::days(2)), "inviteeIds": invitees } }),
    )
    .await["openVote"]["vote"]["id"]
        .clone();
    for token in [&staff, &chair, &manager] {
        let cast = run(
            &app,
            token,
            "mutation($v: ID!) { castBallot(input: { voteId: $v, choice: FOR }) { ok } }",
            json!({ "v": vote }),
        )
        .await;
        assert_eq!(cast["castBallot"]["ok"], true);
    }
    app.clock.advance(Duration::days(2));
    // Access tokens live 15 minutes: log in again after moving the clock.
    let staff = app.login_as("rc_staff").await;
    let manager = app.login_as("property_manager").await;
    let worker = app.login_as("property_staff").await;
    let secretary = app.login_as("party_secretary").await;
    let result = run(
        &app,
        &staff,
        "query($v: ID!) { node(id: $v) { ... on Vote { result { verdict } } } }",
        json!({ "v": vote }),
    )
    .await;
    assert_eq!(result["node"]["result"]["verdict"], "PASSED");
    step(
        &app,
        &staff,
        "resolveTopic",
        "mutation($t: ID!, $v: ID) { resolveTopic(topicId: $t, decision: \"物业两周内更换 B1 层全部灯管\", minutes: \"联席会议一致同意。\", voteId: $v) { ok topic { id } } }",
        json!({ "t": topic, "v": vote }),
    )
    .await;

    // Implement: one task for the property company.
    let started = step(
        &app,
        &staff,
        "startImplementation",
        "mutation($t: ID!, $due: DateTime!) { startImplementation(topicId: $t, tasks: [{ owner: PROPERTY_COMPANY, title: \"更换 B1 层灯管\", criteria: \"B1 层照明全部正常\", dueAt: $due }]) { ok topic { id tasks { id } } } }",
        json!({ "t": topic, "due": at(&app, Duration::days(14)) }),
    )
    .await;
    let task = started["tasks"][0]["id"].clone();
    run(
        &app,
        &worker,
        "mutation($k: ID!) { reportTaskProgress(taskId: $k, note: \"已更换一半\") { ok task { state } } }",
        json!({ "k": task }),
    )
    .await;
    let refused = app
        .gql(
            Some(&app.login_as("resident").await),
            "mutation($k: ID!) { finishTask(taskId: $k) { ok task { state } } }",
            json!({ "k": task }),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "only the owning party finishes a task");
    run(&app, &manager, "mutation($k: ID!) { finishTask(taskId: $k) { ok task { state } } }", json!({ "k": task }))
        .await;
    run(&app, &staff, "mutation($k: ID!) { acceptTask(taskId: $k) { ok task { state } } }", json!({ "k": task })).await;

    // Feedback: published by the party secretary, rated by residents.
    step(&app, &secretary, "publishOutcome", "mutation($t: ID!) { publishOutcome(topicId: $t, summary: \"B1 层 46 支灯管已全部更换。\") { ok topic { id } } }", json!({ "t": topic })).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    step(
        &app,
        &resident,
        "rateTopic",
        "mutation($t: ID!) { rateTopic(topicId: $t, score: 5) { ok topic { id } } }",
        json!({ "t": topic }),
    )
    .await;
    step(
        &app,
        &owner,
        "rateTopic",
        "mutation($t: ID!) { rateTopic(topicId: $t, score: 2, comment: \"拖得太久\") { ok topic { id } } }",
        json!({ "t": topic }),
    )
    .await;
    let asked = run(
        &app,
        &owner,
        "mutation($t: ID!) { requestExplanation(topicId: $t, question: \"为什么拖了两周？\") { request { id status } } }",
        json!({ "t": topic }),
    )
    .await;
    let answered = run(
        &app,
        &staff,
        "mutation($r: ID!) { answerExplanation(requestId: $r, answer: \"灯管需统一采购，已督促物业今后缩短周期。\") { request { status } } }",
        json!({ "r": asked["requestExplanation"]["request"]["id"] }),
    )
    .await;
    assert_eq!(answered["answerExplanation"]["request"]["status"], "answered");
    let not_a_resident = app
        .gql(
            Some(&app.login_as("old_owner").await),
            "mutation($t: ID!) { rateTopic(topicId: $t, score: 1) { ok } }",
            json!({ "t": topic }),
        )
        .await;
    assert_eq!(error_code(&not_a_resident), Some("NOT_FOUND"), "someone from another compound may not even see it");
    let company = app
        .gql(Some(&manager), "mutation($t: ID!) { rateTopic(topicId: $t, score: 5) { ok } }", json!({ "t": topic }))
        .await;
    assert_eq!(error_code(&company), Some("FORBIDDEN"), "the property company sees the topic but does not rate itself");

    // The public record, as another resident sees it.
    let neighbour = app.login_as("oc_member").await;
    let seen = run(
        &app,
        &neighbour,
        "query($t: ID!) { node(id: $t) { ... on Topic { stage stateCode ratings { count byScore mean } timeline { kind visibility actor { name } } } } }",
        json!({ "t": topic }),
    )
    .await["node"]
        .clone();
    assert_eq!(seen["stage"], "FEEDBACK");
    assert_eq!(seen["stateCode"], "rating_open");
    assert_eq!(seen["ratings"], json!({ "count": 2, "byScore": [0, 1, 0, 0, 1], "mean": "7/2" }));
    let kinds: Vec<&str> =
        seen["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "submitted",
            "accepted",
            "vote_opened",
            "resolved",
            "implementation_started",
            "task_accepted",
            "completed",
            "published",
            "rating_opened"
        ]
    );
    assert!(seen["timeline"].as_array().expect("timeline").iter().all(|e| e["visibility"] == "PUBLIC"));
    let actors: Vec<&str> = seen["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["actor"]["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actors[..4],
        ["", "周主任", "周主任", "周主任"],
        "neighbours see who acted in office, not who raised it"
    );
    assert_eq!(actors[7], "李书记");

    // Rating closes on the clock, and the topic with it.
    app.clock.advance(Duration::days(15));
    let report = app.store.supervise(Duration::days(3)).await.expect("supervision runs");
    assert_eq!(report.closed, 1);
    let neighbour = app.login_as("oc_member").await;
    let closed =
        run(&app, &neighbour, "query($t: ID!) { node(id: $t) { ... on Topic { stage } } }", json!({ "t": topic }))
            .await;
    assert_eq!(closed["node"]["stage"], "CLOSED");
});

on_both!(an_overdue_task_draws_a_reminder_then_a_warning_then_escalation_to_the_street, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let Accepted { topic } = accepted_topic(&app).await;
    let staff = app.login_as("rc_staff").await;
    step(&app, &staff, "resolveTopic", "mutation($t: ID!) { resolveTopic(topicId: $t, decision: \"更换灯管\", minutes: \"同意\") { ok topic { id } } }", json!({ "t": topic })).await;
    step(
        &app,
        &staff,
        "startImplementation",
        "mutation($t: ID!, $due: DateTime!) { startImplementation(topicId: $t, tasks: [{ owner: PROPERTY_COMPANY, title: \"更换灯管\", criteria: \"照明正常\", dueAt: $due }]) { ok topic { id } } }",
        json!({ "t": topic, "due": at(&app, Duration::days(7)) }),
    )
    .await;
    let grace = Duration::days(3);
    let letters = |data: &Value| -> (Value, Value) {
        let task = &data["node"]["tasks"][0];
        (task["reminderAt"].clone(), task["warningAt"].clone())
    };
    let read = "query($t: ID!) { node(id: $t) { ... on Topic { level tasks { reminderAt warningAt } timeline { kind details } } } }";

    app.clock.advance(Duration::days(6));
    assert_eq!(app.store.supervise(grace).await.expect("runs").reminders, 0, "not yet due");
    app.clock.advance(Duration::days(1));
    assert_eq!(app.store.supervise(grace).await.expect("runs").reminders, 1);
    assert_eq!(app.store.supervise(grace).await.expect("runs").reminders, 0, "one reminder, not one per round");
    let (reminder, warning) = letters(&run(&app, &app.login_as("rc_staff").await, read, json!({ "t": topic })).await);
    assert!(reminder.is_string() && warning.is_null());

    app.clock.advance(Duration::days(3));
    assert_eq!(app.store.supervise(grace).await.expect("runs").warnings, 1);
    app.clock.advance(Duration::days(3));
    assert_eq!(app.store.supervise(grace).await.expect("runs").escalations, 1);

    let resident = app.login_as("resident").await;
    let seen = run(&app, &resident, read, json!({ "t": topic })).await;
    assert_eq!(seen["node"]["level"], "STREET");
    let letters: Vec<&str> = seen["node"]["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["kind"] == "task_letter")
        .filter_map(|e| e["details"]["letter"].as_str())
        .collect();
    assert_eq!(letters, vec!["reminder", "warning"], "letters are part of the public record");
    let officer = app.login_as("street_officer").await;
    assert_eq!(
        run(&app, &officer, "query($t: ID!) { node(id: $t) { ... on Topic { level } } }", json!({ "t": topic })).await
            ["node"]["level"],
        "STREET"
    );
});

on_both!(votes_and_tasks_wait_for_the_people_who_owe_them, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let Accepted { topic } = accepted_topic(&app).await;
    let staff = app.login_as("rc_staff").await;
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let awaiting = "{ votesAwaitingMyBallot { title } }";

    let vote = run(
        &app,
        &staff,
        "mutation($i: OpenVoteInput!) { openVote(input: $i) { vote { id } } }",
        json!({ "i": { "topicId": topic, "type": "OWNERS", "matter": "OTHER_MAJOR_MATTER", "title": "车库照明改造", "opensAt": at(&app, Duration::zero()), "closesAt": at(&app, Duration::days(7)) } }),
    )
    .await["openVote"]["vote"]["id"]
        .clone();
    let before = run(&app, &owner, awaiting, json!({})).await;
    let not_an_owner = run(&app, &resident, awaiting, json!({})).await;
    run(
        &app,
        &owner,
        "mutation($v: ID!) { castBallot(input: { voteId: $v, choice: FOR }) { ok } }",
        json!({ "v": vote }),
    )
    .await;
    let after = run(&app, &owner, awaiting, json!({})).await;

    assert_eq!(before["votesAwaitingMyBallot"], json!([{ "title": "车库照明改造" }]));
    assert_eq!(not_an_owner["votesAwaitingMyBallot"], json!([]), "a tenant is not on the owners' roll");
    assert_eq!(after["votesAwaitingMyBallot"], json!([]));

    step(
        &app,
        &staff,
        "resolveTopic",
        "mutation($t: ID!) { resolveTopic(topicId: $t, decision: \"改造\", minutes: \"同意\") { ok topic { id } } }",
        json!({ "t": topic }),
    )
    .await;
    step(
        &app,
        &staff,
        "startImplementation",
        "mutation($t: ID!, $due: DateTime!) { startImplementation(topicId: $t, tasks: [{ owner: PROPERTY_COMPANY, title: \"改造照明\", criteria: \"验收合格\", dueAt: $due }, { owner: OWNERS_COMMITTEE, title: \"监督施工\", criteria: \"记录在案\", dueAt: $due }]) { ok topic { id } } }",
        json!({ "t": topic, "due": at(&app, Duration::days(10)) }),
    )
    .await;
    let property = run(&app, &app.login_as("property_manager").await, "{ myTasks { title owner } }", json!({})).await;
    let committee = run(&app, &app.login_as("oc_chair").await, "{ myTasks { title owner } }", json!({})).await;
    let neither = run(&app, &resident, "{ myTasks { title } }", json!({})).await;

    assert_eq!(property["myTasks"], json!([{ "title": "改造照明", "owner": "PROPERTY_COMPANY" }]));
    assert_eq!(committee["myTasks"], json!([{ "title": "监督施工", "owner": "OWNERS_COMMITTEE" }]));
    assert_eq!(neither["myTasks"], json!([]));
});
