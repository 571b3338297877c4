//! The three disclosures (三个公开) and 双晒 (issue 17) through the API, on SQLite and PostgreSQL: publishing
//! accounts whose totals add up and refusing those that do not, corrections as new versions shown line by
//! line, the per-place hash chain and a stored row altered behind its back, who may publish and answer,
//! questions (质询), and the letters for a missing disclosure on the injected clock.

use chrono::{Duration, TimeZone, Utc};
use gongzhi_domain::disclosure::DisclosureRules;
use gongzhi_infra::disclosures::{DisclosureLetters, DisclosureTimeliness};
use gongzhi_tests::graphql::{error_code, uuid_of};
use gongzhi_tests::{on_both, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::disclosures_support::*;

// ---- Publishing and correcting ----

on_both!(a_property_company_publishes_accounts_that_add_up_and_corrects_them_line_by_line, |backend| async move {
    // Arrange: 锦绣花园's company under contract, and the second quarter of 2026, long ended.
    let Some(app) = spawn_app(backend).await else { return };
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;

    // Act: publish, then correct the parking income.
    let first = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-04-01", accounts("20.50", "120.50")).await;
    let v1 = &first["data"]["publishDisclosure"];
    assert_eq!(v1["version"], 1, "{first}");
    assert_eq!(v1["totalIncome"]["fen"], "12050", "exact fen, as a string");
    assert_eq!(v1["totalIncome"]["yuan"], "120.50");
    let second =
        correct(&app, &manager, v1["id"].as_str().unwrap_or_default(), "停车费少计", accounts("25.00", "125.00")).await;

    // Assert: a new version with its reason, the first untouched, and the change line by line.
    let v2 = &second["data"]["correctDisclosure"];
    assert_eq!(v2["version"], 2, "{second}");
    assert_eq!(v2["reason"], "停车费少计");
    assert_eq!(v2["previousHash"], v1["contentHash"], "chained to the version it corrects");
    let changes = &v2["changes"];
    assert_eq!(changes["totalsChanged"], true);
    assert_eq!(changes["summaryChanged"], false);
    assert_eq!(
        changes["lines"],
        json!([{ "key": "parking", "change": "CHANGED", "before": { "amount": { "yuan": "20.50" } }, "after": { "amount": { "yuan": "25.00" } } }])
    );
    let versions = list(&app, None, &jinxiu).await;
    let q2: Vec<_> = versions.iter().filter(|v| v["periodStart"] == "2026-04-01").collect();
    assert_eq!(q2.len(), 2, "both versions kept, readable without logging in");
    assert_eq!(q2[0]["version"], 2);
    assert_eq!(q2[1]["version"], 1);
    assert!(q2[1]["reason"].is_null());
    let chain = verify(&app, &jinxiu).await;
    assert_eq!(chain["intact"], true, "{chain}");
    assert_eq!(chain["length"], 4, "the demo's two versions and these two");
    assert_eq!(chain["headHash"], v2["contentHash"]);
});

on_both!(accounts_whose_totals_do_not_add_up_are_refused_and_nothing_is_published, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;
    let before = list(&app, None, &jinxiu).await.len();

    // Income lines sum to 120.50; 120.51 is declared.
    let off = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-04-01", accounts("20.50", "120.51")).await;
    assert_eq!(error_code(&off), Some("BAD_USER_INPUT"), "{off}");
    assert_eq!(reason(&off), Some("TOTALS_DO_NOT_ADD_UP"));
    let message = off["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("120.51") && message.contains("120.50"), "says both figures: {message}");
    // An amount in floating-point form, a money line without an amount, a line of another kind.
    let float =
        publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-04-01", accounts("20.505", "120.505")).await;
    assert_eq!(reason(&float), Some("AMOUNT"), "{float}");
    let mut missing = accounts("20.50", "120.50");
    missing["lines"][2].as_object_mut().map(|l| l.remove("amount"));
    let missing = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-04-01", missing).await;
    assert_eq!(reason(&missing), Some("AMOUNT_REQUIRED"), "{missing}");
    let mut foreign = accounts("20.50", "120.50");
    foreign["lines"][0]["category"] = json!("MAINTENANCE_FUND_USE");
    foreign["lines"][0]["amount"] = json!("1.00");
    let foreign = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-04-01", foreign).await;
    assert_eq!(reason(&foreign), Some("CATEGORY_NOT_IN_KIND"), "{foreign}");
    // A quarter that has not ended, and a day that starts no quarter.
    let early = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-10-01", accounts("20.50", "120.50")).await;
    assert_eq!(reason(&early), Some("PERIOD_NOT_ENDED"), "{early}");
    let odd = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-05-01", accounts("20.50", "120.50")).await;
    assert_eq!(reason(&odd), Some("PERIOD_START"), "{odd}");

    assert_eq!(list(&app, None, &jinxiu).await.len(), before, "nothing was published");
    assert_eq!(verify(&app, &jinxiu).await["intact"], true);
});

on_both!(a_published_version_is_never_edited_only_corrected_with_a_reason_against_the_latest, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;
    let versions = list(&app, None, &jinxiu).await;
    // The demo's 双晒: version 2 (the correction) first, then version 1.
    let (latest, first) =
        (versions[0]["id"].as_str().unwrap_or_default(), versions[1]["id"].as_str().unwrap_or_default());
    let start = versions[0]["periodStart"].as_str().unwrap_or_default().to_owned();

    // Publishing the period again is the company trying to change what it published.
    let again = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", &start, accounts("1.00", "101.00")).await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    assert_eq!(reason(&again), Some("PUBLISHED_IS_IMMUTABLE"));
    let blank = correct(&app, &manager, latest, "  ", accounts("1.00", "101.00")).await;
    assert_eq!(reason(&blank), Some("CORRECTION_REASON"), "{blank}");
    let stale = correct(&app, &manager, first, "再改", accounts("1.00", "101.00")).await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    assert_eq!(reason(&stale), Some("STALE_VERSION"));

    let after = list(&app, None, &jinxiu).await;
    assert_eq!(after.len(), versions.len(), "nothing was added");
    assert_eq!(verify(&app, &jinxiu).await["intact"], true);
});

// ---- Who may publish ----

on_both!(only_the_party_that_owes_a_disclosure_may_publish_it, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let community = app.place_id(&staff, &["和平社区"]).await;
    let jinxiu = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let laojie = app.place_id(&staff, &["和平社区", "老街小院"]).await;
    let committee = json!({
        "summary": "业委会第二季度工作和经费公开",
        "lines": [
            { "key": "meeting", "category": "COMMITTEE_WORK", "label": "召开业委会会议三次" },
            { "key": "lift", "category": "MAINTENANCE_FUND_USE", "label": "2号楼电梯维修", "amount": "35000.00" },
            { "key": "office", "category": "COMMITTEE_EXPENSE", "label": "办公用品", "amount": "320.00" }
        ],
        "totalExpense": "35320.00"
    });

    // Refused: a resident; the company for the committee's report; the committee for the accounts; the
    // company for a compound it holds no contract of.
    for (who, place, kind, content) in [
        ("resident", &jinxiu, "PROPERTY_ACCOUNTS", accounts("20.50", "120.50")),
        ("property_manager", &jinxiu, "COMMITTEE_FUNDS", committee.clone()),
        ("oc_chair", &jinxiu, "PROPERTY_ACCOUNTS", accounts("20.50", "120.50")),
        ("property_manager", &laojie, "PROPERTY_ACCOUNTS", accounts("20.50", "120.50")),
        ("oc_chair", &community, "MINUTES", json!({ "summary": "纪要" })),
    ] {
        let token = app.login_as(who).await;
        let body = publish(&app, &token, place, kind, "2026-04-01", content).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{who} publishing {kind}: {body}");
    }

    // Allowed: the committee its report, the residents' committee the month's minutes.
    let chair = app.login_as("oc_chair").await;
    let report = publish(&app, &chair, &jinxiu, "COMMITTEE_FUNDS", "2026-04-01", committee).await;
    assert_eq!(report["data"]["publishDisclosure"]["version"], 1, "{report}");
    let minutes =
        publish(&app, &staff, &community, "MINUTES", "2026-10-01", json!({ "summary": "十月联席会议纪要" })).await;
    assert_eq!(minutes["data"]["publishDisclosure"]["version"], 1, "{minutes}");
    // Minutes are drawn from the meetings; lines given by hand are refused.
    let by_hand = publish(
        &app,
        &staff,
        &community,
        "MINUTES",
        "2026-09-01",
        json!({ "summary": "s", "lines": [{ "category": "MEETING", "label": "会" }] }),
    )
    .await;
    assert_eq!(reason(&by_hand), Some("LINES_FROM_MEETINGS"), "{by_hand}");
});

// ---- Tamper evidence ----

on_both!(a_row_altered_in_the_database_breaks_the_chain_for_the_api_and_the_cli, |backend| async move {
    // Arrange: the demo's two versions of 锦绣花园's 双晒, intact.
    let Some(app) = spawn_app(backend).await else { return };
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;
    assert_eq!(verify(&app, &jinxiu).await["intact"], true);
    let mut out = Vec::new();
    assert_eq!(gongzhi_api::disclosures_cli::verify(&app.store, None, &mut out).await.expect("runs"), 0);
    let first = list(&app, None, &jinxiu).await[1]["id"].as_str().unwrap_or_default().to_owned();

    // Act: someone with database access lowers the first version's parking income behind the API's back.
    let sql = "UPDATE disclosures SET content = REPLACE(content, '1200000', '1100000') WHERE id = ?";
    assert_eq!(run(&app, sql, &uuid_of(&first)).await, 1);

    // Assert: the API names the altered version; the CLI reports it and fails.
    let chain = verify(&app, &jinxiu).await;
    assert_eq!(chain["intact"], false, "{chain}");
    assert_eq!(chain["problem"], "ALTERED");
    assert_eq!(chain["brokenAt"], first.as_str());
    let mut out = Vec::new();
    let broken = gongzhi_api::disclosures_cli::verify(&app.store, None, &mut out).await.expect("runs");
    assert_eq!(broken, 1);
    let printed = String::from_utf8(out).unwrap_or_default();
    assert!(printed.contains("BROKEN") && printed.contains("altered"), "{printed}");
});

on_both!(a_rehashed_forgery_still_breaks_the_link_after_it, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;
    let versions = list(&app, None, &jinxiu).await;
    let (second, first) =
        (versions[0]["id"].as_str().unwrap_or_default(), versions[1]["id"].as_str().unwrap_or_default());

    // The forger also rewrites the first version's stored hash, so that row checks out on its own.
    let sql = format!("UPDATE disclosures SET content_hash = '{}' WHERE id = ?", "ab".repeat(32));
    assert_eq!(run(&app, &sql, &uuid_of(first)).await, 1);

    let chain = verify(&app, &jinxiu).await;
    assert_eq!(chain["intact"], false, "{chain}");
    // The first version's own columns no longer hash to the forged hash.
    assert_eq!(chain["brokenAt"], first, "caught at the forged row");
    assert_ne!(chain["brokenAt"], second);
});

// ---- Questions ----

on_both!(a_resident_questions_a_line_and_only_the_publisher_answers_once, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;
    let jinxiu = app.place_id(&resident, &["和平社区", "锦绣花园"]).await;
    let latest = list(&app, None, &jinxiu).await[0]["id"].as_str().unwrap_or_default().to_owned();
    let ask = "mutation($input: QuestionDisclosureInput!) { questionDisclosure(input: $input) { question { id line text answerDueAt mine } } }";
    let answer = "mutation($input: AnswerDisclosureQuestionInput!) { answerDisclosureQuestion(input: $input) { id answer answeredAt overdue } }";

    // Refused: a line the version does not have; a resident of another compound.
    let nowhere = app
        .gql(Some(&resident), ask, json!({ "input": { "disclosureId": latest, "line": "nope", "text": "?" } }))
        .await;
    assert_eq!(reason(&nowhere), Some("NO_SUCH_LINE"), "{nowhere}");
    let outsider = app.login_as("old_owner").await;
    let foreign = app
        .gql(Some(&outsider), ask, json!({ "input": { "disclosureId": latest, "line": "parking", "text": "?" } }))
        .await;
    assert_eq!(error_code(&foreign), Some("FORBIDDEN"), "{foreign}");

    // A resident of the compound asks about the parking income.
    let asked = app
        .gql(
            Some(&resident),
            ask,
            json!({ "input": { "disclosureId": latest, "line": "parking", "text": "临时停车收入为何此前漏计？" } }),
        )
        .await;
    let question = &asked["data"]["questionDisclosure"]["question"];
    assert_eq!(question["mine"], true, "{asked}");
    let manager_id = gongzhi_infra::demo::cast_id("property_manager").expect("cast").as_uuid().to_string();
    let to_answer = "SELECT COUNT(*) AS n FROM outbox_messages WHERE kind = 'task_assigned' AND person_id = ?";
    assert_eq!(count(&app, to_answer, &manager_id).await, 1, "the company is told there is a question to answer");
    let id = question["id"].as_str().unwrap_or_default().to_owned();

    // The wrong parties are refused; nothing is answered.
    for who in ["resident", "oc_chair"] {
        let token = app.login_as(who).await;
        let body = app.gql(Some(&token), answer, json!({ "input": { "questionId": id, "answer": "答" } })).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{who}: {body}");
    }
    // The company answers, once.
    let manager = app.login_as("property_manager").await;
    let answered = app
        .gql(Some(&manager), answer, json!({ "input": { "questionId": id, "answer": "系统导出遗漏，已更正并附票据" } }))
        .await;
    assert_eq!(answered["data"]["answerDisclosureQuestion"]["overdue"], false, "{answered}");
    let twice = app.gql(Some(&manager), answer, json!({ "input": { "questionId": id, "answer": "再答" } })).await;
    assert_eq!(reason(&twice), Some("ALREADY_ANSWERED"), "{twice}");

    // Public on the disclosure, the asker unnamed; the asker is told.
    let versions = list(&app, None, &jinxiu).await;
    let questions = &versions[0]["questions"];
    assert_eq!(questions[0]["text"], "临时停车收入为何此前漏计？");
    assert_eq!(questions[0]["answer"], "系统导出遗漏，已更正并附票据");
    assert_eq!(questions[0]["mine"], false, "not the anonymous reader's");
    let resident_id = gongzhi_infra::demo::cast_id("resident").expect("cast").as_uuid().to_string();
    let sql = "SELECT COUNT(*) AS n FROM outbox_messages WHERE kind = 'explanation_answered' AND person_id = ?";
    assert_eq!(count(&app, sql, &resident_id).await, 1, "the asker hears of the answer");
});

// ---- Deadlines and letters ----

on_both!(a_missing_disclosure_draws_a_reminder_then_a_warning_then_escalation_on_the_clock, |backend| async move {
    // Arrange: the fourth quarter of 2026 ends; 锦绣花园 has a company and a committee, 和平社区 holds
    // joint meetings. Due: minutes 10 days after December, 双晒 and the committee's report 15 after the quarter.
    let Some(app) = spawn_app(backend).await else { return };
    // A month of look-back: the demo's places, made on 22 November, owe November's minutes too, which
    // `disclosures_catch_up` covers; here only the periods ending at the turn of the year are followed.
    let rules = DisclosureRules { look_back_days: 31, ..DisclosureRules::default() };
    let store = &app.store;
    let company = store.companies().await.expect("companies")[0].id;
    let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2027, 1, d, h, 0, 0).single().unwrap_or_default();
    app.clock.set(at(1, 0));
    let opened = store.supervise_disclosures(&rules).await.expect("round");
    assert_eq!(opened.opened, 3, "December's minutes, 锦绣花园's 双晒 and committee report: {opened:?}");
    assert_eq!(opened.reminders, 0, "nothing is due yet");
    assert_eq!(store.supervise_disclosures(&rules).await.expect("round").opened, 0, "opened once");

    // Act and assert: reminders once each is due, on the mock clock.
    app.clock.set(at(11, 0));
    assert_eq!(store.supervise_disclosures(&rules).await.expect("round").reminders, 1, "the minutes, due 10 Jan 24:00");
    app.clock.set(at(16, 0));
    let due = store.supervise_disclosures(&rules).await.expect("round");
    assert_eq!((due.reminders, due.warnings), (2, 0), "the 双晒 and the committee's report: {due:?}");
    assert_eq!(store.supervise_disclosures(&rules).await.expect("round").reminders, 0, "one reminder each");
    app.clock.set(at(23, 0));
    let warned = store.supervise_disclosures(&rules).await.expect("round");
    assert_eq!(warned.warnings, 3, "seven days of grace after each due date: {warned:?}");

    // The company publishes, late: its letters stop, and its record shows one due, none on time.
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;
    let late = publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-10-01", accounts("20.50", "120.50")).await;
    assert_eq!(late["data"]["publishDisclosure"]["version"], 1, "{late}");
    app.clock.set(at(31, 0));
    let escalated = store.supervise_disclosures(&rules).await.expect("round");
    assert_eq!(
        escalated.escalations, 2,
        "the minutes and the committee's report, not the published 双晒: {escalated:?}"
    );
    assert_eq!(store.supervise_disclosures(&rules).await.expect("round").escalations, 0, "escalated once");

    let quarter = (at(1, 0), Utc.with_ymd_and_hms(2027, 4, 1, 0, 0, 0).single().unwrap_or_default());
    let record = store.disclosure_timeliness(company, quarter.0, quarter.1).await.expect("timeliness");
    assert_eq!(record, DisclosureTimeliness { due: 1, on_time: 0 });
    let letters = store.disclosure_letters_received(company, quarter.0, quarter.1).await.expect("letters");
    assert_eq!(letters, DisclosureLetters { reminders: 1, warnings: 1, escalations: 0 });

    // The street sees where each stands; the company's staff were told by 提示函 and 警示函.
    let officer = app.login_as("street_officer").await;
    let street = app.place_id(&officer, &[]).await;
    let owed = app
        .gql(
            Some(&officer),
            "query($p: ID!) { disclosureObligations(placeId: $p, first: 100) { nodes { kind periodStart onTime publishedAt reminderAt warningAt escalatedAt } } }",
            json!({ "p": street }),
        )
        .await;
    let rows = owed["data"]["disclosureObligations"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 3, "{owed}");
    let accounts_row = rows.iter().find(|r| r["kind"] == "PROPERTY_ACCOUNTS").expect("the 双晒");
    assert_eq!(accounts_row["onTime"], false);
    assert!(accounts_row["escalatedAt"].is_null());
    assert!(rows.iter().filter(|r| r["kind"] != "PROPERTY_ACCOUNTS").all(|r| !r["escalatedAt"].is_null()));
    app.clock.advance(Duration::days(30));
    let later = store.supervise_disclosures(&rules).await.expect("round");
    // Every period ended within the look-back is opened (decision 106): January's minutes, missed by the
    // rounds in January, and February's.
    assert_eq!(
        (later.opened, later.reminders, later.escalations),
        (2, 1, 0),
        "January's and February's minutes opened, January's reminded; escalated once: {later:?}"
    );
    let manager_id = gongzhi_infra::demo::cast_id("property_manager").expect("cast").as_uuid().to_string();
    let sql =
        "SELECT COUNT(*) AS n FROM outbox_messages WHERE kind IN ('task_overdue', 'task_warning') AND person_id = ?";
    assert_eq!(count(&app, sql, &manager_id).await, 2, "the manager got the 双晒's reminder and warning");
    let db = store.connection();
    let logged = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT kind FROM event_log WHERE kind = 'disclosure.letter_sent'".to_owned(),
        ))
        .await
        .expect("log");
    assert_eq!(
        logged.len(),
        9,
        "each letter a fact: three each for December's minutes and the report, two for the 双晒, January's reminder"
    );
});

on_both!(a_disclosure_published_by_its_due_date_counts_as_on_time_and_draws_no_letter, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let rules = DisclosureRules::default();
    let company = app.store.companies().await.expect("companies")[0].id;
    app.clock.set(Utc.with_ymd_and_hms(2027, 1, 5, 0, 0, 0).single().unwrap_or_default());
    let manager = app.login_as("property_manager").await;
    let jinxiu = app.place_id(&manager, &["和平社区", "锦绣花园"]).await;
    let on_time =
        publish(&app, &manager, &jinxiu, "PROPERTY_ACCOUNTS", "2026-10-01", accounts("20.50", "120.50")).await;
    assert_eq!(on_time["data"]["publishDisclosure"]["version"], 1, "{on_time}");
    app.store.supervise_disclosures(&rules).await.expect("opens, fulfilled");
    app.clock.set(Utc.with_ymd_and_hms(2027, 2, 28, 0, 0, 0).single().unwrap_or_default());
    let round = app.store.supervise_disclosures(&rules).await.expect("round");
    let from = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single().unwrap_or_default();
    let record = app.store.disclosure_timeliness(company, from, from + Duration::days(90)).await.expect("record");
    assert_eq!(record, DisclosureTimeliness { due: 1, on_time: 1 });
    let letters =
        app.store.disclosure_letters_received(company, from, from + Duration::days(90)).await.expect("letters");
    assert_eq!(letters, DisclosureLetters::default(), "no letter to the company: {round:?}");
});

// ---- The event log ----

on_both!(publishing_correcting_questioning_and_answering_are_facts_in_the_log, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let db = app.store.connection();
    let kinds = || async {
        // Read by seq as every reader of the log does: once what has committed is numbered (decision 87).
        app.store.log_head().await.expect("the log numbered");
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT kind FROM event_log WHERE kind LIKE 'disclosure.%' ORDER BY seq".to_owned(),
            ))
            .await
            .expect("log");
        rows.iter().filter_map(|r| r.try_get::<String>("", "kind").ok()).collect::<Vec<_>>()
    };
    // The demo's publication and correction are already there.
    assert_eq!(kinds().await, ["disclosure.published", "disclosure.corrected"]);
    let resident = app.login_as("resident").await;
    let jinxiu = app.place_id(&resident, &["和平社区", "锦绣花园"]).await;
    let latest = list(&app, None, &jinxiu).await[0]["id"].as_str().unwrap_or_default().to_owned();
    let asked = app
        .gql(
            Some(&resident),
            "mutation($i: QuestionDisclosureInput!) { questionDisclosure(input: $i) { question { id } } }",
            json!({ "i": { "disclosureId": latest, "line": "ads", "text": "广告收入明细？" } }),
        )
        .await;
    let id = asked["data"]["questionDisclosure"]["question"]["id"].as_str().unwrap_or_default().to_owned();
    let manager = app.login_as("property_manager").await;
    app.gql(
        Some(&manager),
        "mutation($i: AnswerDisclosureQuestionInput!) { answerDisclosureQuestion(input: $i) { id } }",
        json!({ "i": { "questionId": id, "answer": "见附件合同" } }),
    )
    .await;
    assert_eq!(
        kinds().await,
        ["disclosure.published", "disclosure.corrected", "disclosure.questioned", "disclosure.answered"]
    );
});

// ---- Minutes from the meetings, and attachments ----

on_both!(the_months_minutes_are_drawn_from_its_meetings_with_documents_anyone_can_open, |backend| async move {
    // Arrange: a meeting on the demo parking topic in November, with its minutes; December has begun.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    crate::files_support::minutes_with_attachments(&app, &staff, vec![]).await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).single().unwrap_or_default());
    let staff = app.login_as("rc_staff").await;
    let community = app.place_id(&staff, &["和平社区"]).await;
    let scan = crate::files_support::uploaded(&app, &staff, "uploadDocument", &crate::files_support::pdf(64)).await;
    let resident = app.login_as("resident").await;
    let not_theirs =
        crate::files_support::uploaded(&app, &resident, "uploadPhoto", &crate::files_support::png(16)).await;
    let document = "mutation($input: PublishDisclosureInput!) { publishDisclosure(input: $input) {
        id lines { category label note } attachments { key url contentType } } }";
    let input = |attachments: Vec<String>| {
        json!({ "input": { "placeId": community, "kind": "MINUTES", "periodStart": "2026-11-01",
            "content": { "summary": "十一月联席会议纪要", "attachments": attachments } } })
    };

    // Refused: attaching someone else's upload.
    let borrowed = app.gql(Some(&staff), document, input(vec![not_theirs])).await;
    assert_eq!(error_code(&borrowed), Some("BAD_USER_INPUT"), "{borrowed}");

    // Act
    let published = app.gql(Some(&staff), document, input(vec![scan.clone()])).await;

    // Assert: the meeting and its minutes are the line; the scan is a link anyone may open.
    let version = &published["data"]["publishDisclosure"];
    let lines = version["lines"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 1, "{published}");
    assert_eq!(lines[0]["category"], "MEETING");
    assert!(lines[0]["note"].as_str().is_some_and(|n| n.contains("签到表")), "{published}");
    assert_eq!(version["attachments"][0]["key"], scan.as_str());
    assert_eq!(version["attachments"][0]["contentType"], "application/pdf");
    let url = version["attachments"][0]["url"].as_str().unwrap_or_default();
    let fetched = crate::files_support::fetch(&app, url, &[]).await;
    assert_eq!(fetched.status().as_u16(), 200, "opened without a token");
});
