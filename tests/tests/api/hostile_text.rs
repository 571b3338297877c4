//! Text meant to mislead or to run somewhere else: directional overrides in what people write for others
//! are refused (and those stored before the rule are replaced when the database is migrated), an
//! `Idempotency-Key` header that is not ASCII is refused before the mutation runs, and the values
//! `gongzhi import` echoes from a bad file cannot run as spreadsheet formulas.

use gongzhi_domain::Invalid;
use gongzhi_domain::register::{Problem, RowProblem};
use gongzhi_infra::Error;
use gongzhi_tests::graphql::{error_code, error_message, uuid_of};
use gongzhi_tests::{TestApp, demo_store, on_both, spawn_app, spawn_app_with};
use reqwest::header::HeaderValue;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use serde_json::{Value, json};

use crate::pipeline_support::{SUBMIT, act_lang, category, demo, demo_topics, topic, topic_input};

/// The titles of the topics about 锦绣花园, as the residents' committee sees them.
async fn titles_in_jinxiu(app: &TestApp, jinxiu: &str) -> Vec<String> {
    let staff = app.login_as("rc_staff").await;
    let query = "query($p: ID!) { topics(placeId: $p, first: 100) { edges { node { title } } } }";
    gongzhi_tests::graphql::feed_field(&app.gql(Some(&staff), query, json!({ "p": jinxiu })).await, "title")
}

/// The names of a place's children, as the residents' committee sees them.
async fn children_of(app: &TestApp, place: &str) -> Vec<String> {
    let staff = app.login_as("rc_staff").await;
    let query = "query($id: ID!) { place(id: $id) { children(first: 100) { edges { node { name } } } } }";
    let body = app.gql(Some(&staff), query, json!({ "id": place })).await;
    body["data"]["place"]["children"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no children: {body}"))
        .iter()
        .filter_map(|edge| edge["node"]["name"].as_str().map(str::to_owned))
        .collect()
}

on_both!(a_topic_whose_title_or_description_turns_text_around_is_refused_and_nothing_is_raised, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let parking = category(&app, &resident, &places.community, "parking").await;
    let before = titles_in_jinxiu(&app, &places.jinxiu).await;
    // Shown in a list, "\u{202E}" makes everything after it read backwards, here "…免费停车".
    let overridden = topic_input(&places.jinxiu, &parking, "物业通知：\u{202E}车停费免\u{202C}起即日");
    let mut isolated = topic_input(&places.jinxiu, &parking, "地下车库积水");
    isolated["description"] = json!("车库\u{2067}积水\u{2069}已三天");

    let zh = act_lang(&app, &resident, SUBMIT, json!({ "input": overridden }), None).await;
    let en = act_lang(&app, &resident, SUBMIT, json!({ "input": overridden }), Some("en")).await;
    let description = act_lang(&app, &resident, SUBMIT, json!({ "input": isolated }), Some("en")).await;

    for body in [&zh, &en, &description] {
        assert_eq!(error_code(body), Some("BAD_USER_INPUT"), "{body}");
        assert!(body["data"]["submitTopic"].is_null(), "{body}");
    }
    let zh_message = error_message(&zh).unwrap_or_default();
    assert!(zh_message.starts_with("标题含有改变文字显示方向的控制字符"), "{zh_message}");
    let en_message = error_message(&en).unwrap_or_default();
    assert!(en_message.starts_with("title contains characters that change the direction of the text"), "{en_message}");
    let description_message = error_message(&description).unwrap_or_default();
    assert!(description_message.starts_with("description contains characters"), "{description_message}");
    assert_eq!(titles_in_jinxiu(&app, &places.jinxiu).await, before, "nothing was raised");
    app.still_answers().await;
});

on_both!(a_person_or_place_name_that_turns_text_around_is_refused_and_nothing_changes, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let resident = app.login_as("resident").await;
    let staff = app.login_as("rc_staff").await;
    let name_before = app.gql(Some(&resident), "{ me { name } }", json!({})).await["data"]["me"]["name"].clone();
    let create = "mutation($parent: ID!, $name: String!) {
      createPlace(input: { parentId: $parent, kind: BUILDING, name: $name }) { place { id name } } }";

    let renamed = app
        .gql_lang(
            Some(&resident),
            "mutation($n: String!) { setMyName(name: $n) { name } }",
            json!({ "n": "王\u{202D}英秀" }),
            Some("en"),
        )
        .await;
    let created = app.gql(Some(&staff), create, json!({ "parent": places.laojie, "name": "\u{2066}3号楼" })).await;

    assert_eq!(error_code(&renamed), Some("BAD_USER_INPUT"), "{renamed}");
    let renamed_message = error_message(&renamed).unwrap_or_default();
    assert!(renamed_message.starts_with("name contains characters that change the direction"), "{renamed_message}");
    assert_eq!(app.gql(Some(&resident), "{ me { name } }", json!({})).await["data"]["me"]["name"], name_before);
    assert_eq!(error_code(&created), Some("BAD_USER_INPUT"), "{created}");
    let created_message = error_message(&created).unwrap_or_default();
    assert!(created_message.starts_with("名称含有改变文字显示方向的控制字符"), "{created_message}");
    assert_eq!(children_of(&app, &places.laojie).await, ["1号楼"], "no building was created");
});

/// Writes the topic's title straight into the database, as a build before the rule could have, and forgets
/// that the migration replacing such characters ran, so the next start runs it again.
async fn title_as_an_older_build_stored_it(app: &TestApp, topic: &str, title: &str) {
    use sea_orm::sea_query::ExprTrait;
    let db = sea_orm::Database::connect(&app.db.url).await.expect("a second connection");
    let id = uuid::Uuid::parse_str(&uuid_of(topic)).expect("a uuid");
    let update = Query::update()
        .table(Alias::new("topics"))
        .value(Alias::new("title"), title)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    let updated = db.execute_raw(db.get_database_backend().build(&update)).await.expect("title written");
    assert_eq!(updated.rows_affected(), 1);
    db.execute_unprepared("DELETE FROM seaql_migrations WHERE version = 'm20261122_000011_direction_controls'")
        .await
        .expect("the migration forgotten");
    db.close().await.expect("closed");
}

on_both!(a_title_stored_before_the_rule_reads_back_with_the_override_replaced, |backend| async move {
    // Read caches off: the topic is read from the database after the migration, not from memory.
    let Some(app) = spawn_app_with(backend, |settings| settings.cache.enabled = false).await else { return };
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let staff = app.login_as("rc_staff").await;

    title_as_an_older_build_stored_it(&app, &topics.parking, "电动车\u{202E}放停乱").await;

    // Opening a store migrates the database, as a new build does on start.
    let settings = gongzhi_api::config::Settings { database_url: Some(app.db.url.clone()), ..Default::default() };
    gongzhi_api::startup::open_store(&settings, app.clock.clone()).await.expect("migrated again");

    assert_eq!(topic(&app, &staff, &topics.parking).await["title"], "电动车\u{FFFD}放停乱");
});

/// createPlace under 老街小院 with this `Idempotency-Key` header, as raw bytes.
async fn create_with_key(app: &TestApp, token: &str, compound: &str, key: &[u8], lang: &str) -> (u16, Value) {
    let query = "mutation($parent: ID!) { createPlace(input: { parentId: $parent, kind: BUILDING, name: \"9号楼\" }) { place { id } } }";
    let response = app
        .client
        .post(app.graphql_url())
        .bearer_auth(token)
        .header("accept-language", lang)
        .header("idempotency-key", HeaderValue::from_bytes(key).expect("obs-text is a valid header value"))
        .json(&json!({ "query": query, "variables": { "parent": compound } }))
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON response"))
}

on_both!(
    an_idempotency_key_header_that_is_not_ascii_is_refused_with_400_before_the_mutation_runs,
    |backend| async move {
        let Some(app) = spawn_app(backend).await else { return };
        let places = demo(&app).await;
        let staff = app.login_as("rc_staff").await;

        let (zh_status, zh) = create_with_key(&app, &staff, &places.laojie, "幂等键-1".as_bytes(), "zh-CN").await;
        let (en_status, en) = create_with_key(&app, &staff, &places.laojie, "clé-1".as_bytes(), "en").await;

        assert_eq!((zh_status, en_status), (400, 400), "{zh} {en}");
        assert_eq!(error_code(&zh), Some("BAD_USER_INPUT"), "{zh}");
        assert_eq!(error_code(&en), Some("BAD_USER_INPUT"), "{en}");
        assert!(
            error_message(&zh).unwrap_or_default().starts_with("Idempotency-Key 请求头只能由可见的 ASCII 字符组成"),
            "{zh}"
        );
        assert!(error_message(&en).unwrap_or_default().starts_with("The Idempotency-Key header may only hold"), "{en}");
        assert!(zh["data"].is_null(), "{zh}");
        assert_eq!(children_of(&app, &places.laojie).await, ["1号楼"], "the mutation did not run");
        app.still_answers().await;
    }
);

/// 和平社区, found by walking names from the city down.
async fn community_in(store: &gongzhi_infra::Store) -> gongzhi_domain::ids::PlaceId {
    let mut parent = None;
    for name in ["邯郸市", "丛台区", "中华大街街道", "和平社区"] {
        let children = store.children(parent, None, 100).await.expect("children");
        parent = Some(children.into_iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no {name}")).id());
    }
    parent.expect("和平社区")
}

on_both!(values_the_import_echoes_from_a_bad_file_cannot_run_as_spreadsheet_formulas, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let community = community_in(&store).await;
    // Line 2's area is a link in a spreadsheet; line 3's phone a formula; line 4's owner a name that is one,
    // echoed on line 5, which gives the same phone another name.
    let file = r#"compound,building,household,area_m2,owner_name,owner_phone
幸福家园,1号楼,101,"=HYPERLINK(""http://evil.example/"",""点我"")",王秀英,13800138000
幸福家园,1号楼,102,89.56,李建国,@SUM(1+1)
幸福家园,1号楼,103,89.56,=1+2,13800138002
幸福家园,1号楼,104,89.56,赵敏,13800138002
"#;

    let result = store.import_register(community, file.as_bytes()).await;

    let Err(Error::Register(problems)) = result else { panic!("expected the register's problems, got {result:?}") };
    let hyperlink = "'=HYPERLINK(\"http://evil.example/\",\"点我\")".to_owned();
    assert_eq!(
        problems,
        [
            RowProblem { line: 2, problem: Problem::Invalid(Invalid::FloorArea { given: hyperlink }) },
            RowProblem { line: 3, problem: Problem::Invalid(Invalid::Phone { given: "'@SUM(1+1)".to_owned() }) },
            RowProblem {
                line: 5,
                problem: Problem::PhoneNameMismatch { first_line: 4, other_name: "'=1+2".to_owned() }
            },
        ]
    );
    let report: Vec<String> = problems.iter().map(|p| p.problem.to_string()).collect();
    assert!(report[0].starts_with("floor area \"'=HYPERLINK("), "{report:?}");
});
