//! Every mutation answers a refusable condition — a wrong stage, something already done, a name or a
//! role already taken — as `ok: false` with a stable `refusal.code` and a message, and changes nothing;
//! only bad input and who is asking are GraphQL errors (decision 60).

use chrono::Duration;
use gongzhi_tests::app::person_id;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::pipeline_support::demo;
use crate::refusals_support::{done, implementing, refusal_code};
use crate::votes_support::{open_vote_http, owners_vote_input};

const TASK: &str = "ok refusal { code message } task { id state reminderAt warningAt }";

on_both!(task_steps_taken_out_of_turn_are_refused_as_data, |backend| async move {
    // Arrange: an open task of the property company.
    let Some(app) = spawn_app(backend).await else { return };
    let (_, task) = implementing(&app, Duration::days(7)).await;
    let staff = app.login_as("rc_staff").await;
    let manager = app.login_as("property_manager").await;
    let step = |name: &str| format!("mutation($k: ID!) {{ {name}(taskId: $k) {{ {TASK} }} }}");
    let k = json!({ "k": task });

    // Act
    let accept_open = app.gql(Some(&staff), &step("acceptTask"), k.clone()).await;
    let send_back_open = app.gql(Some(&staff), &step("sendTaskBack"), k.clone()).await;
    let warned = app.gql(Some(&staff), &step("warnTask"), k.clone()).await;
    let warned_again = app.gql(Some(&staff), &step("warnTask"), k.clone()).await;
    let finished = app.gql(Some(&manager), &step("finishTask"), k.clone()).await;
    let finished_again = app.gql(Some(&manager), &step("finishTask"), k.clone()).await;
    let accepted = app.gql(Some(&staff), &step("acceptTask"), k.clone()).await;
    let progress_after = app
        .gql(
            Some(&manager),
            &format!("mutation($k: ID!) {{ reportTaskProgress(taskId: $k, note: \"补充照片\") {{ {TASK} }} }}"),
            k.clone(),
        )
        .await;

    // Assert
    assert_eq!(refusal_code(&accept_open, "acceptTask", "task"), "wrong_state");
    assert_eq!(refusal_code(&send_back_open, "sendTaskBack", "task"), "wrong_state");
    assert!(done(&warned, "warnTask", "task")["warningAt"].is_string(), "{warned}");
    assert_eq!(refusal_code(&warned_again, "warnTask", "task"), "letter_already_sent");
    assert_eq!(done(&finished, "finishTask", "task")["state"], "done");
    assert_eq!(refusal_code(&finished_again, "finishTask", "task"), "wrong_state");
    assert_eq!(done(&accepted, "acceptTask", "task")["state"], "accepted");
    assert_eq!(refusal_code(&progress_after, "reportTaskProgress", "task"), "wrong_state");
});

on_both!(a_vote_on_a_topic_not_deliberating_and_a_reopening_before_publication_are_refused, |backend| async move {
    // Arrange: the roof topic awaits triage; the parking topic is being implemented.
    let Some(app) = spawn_app(backend).await else { return };
    let (implemented, _) = implementing(&app, Duration::days(7)).await;
    let staff = app.login_as("rc_staff").await;
    let roof = gongzhi_tests::app::demo_topic(&app, &staff, "屋顶漏雨").await;
    let resident = app.login_as("resident").await;

    // Act
    let vote = open_vote_http(&app, &staff, owners_vote_input(&app, &roof, "USE_MAINTENANCE_FUND", 0, 48)).await;
    let reopen = app
        .gql(
            Some(&resident),
            "mutation($t: ID!) { requestReopen(topicId: $t, reason: \"还没修好\") { ok refusal { code message } request { id } } }",
            json!({ "t": implemented }),
        )
        .await;

    // Assert
    assert_eq!(refusal_code(&vote, "openVote", "vote"), "wrong_stage");
    assert_eq!(refusal_code(&reopen, "requestReopen", "request"), "wrong_stage");
});

on_both!(a_claim_made_twice_or_decided_twice_is_refused_as_data, |backend| async move {
    // Arrange: a newcomer claims a household of 锦绣花园.
    let Some(app) = spawn_app(backend).await else { return };
    let login =
        app.gql(None, "mutation { loginWithWeChat(code: \"ok:oClaimTwice01\") { accessToken } }", json!({})).await;
    let newcomer = login["data"]["loginWithWeChat"]["accessToken"].as_str().expect("token").to_owned();
    let staff = app.login_as("property_staff").await;
    let household = app.place_id(&staff, &["和平社区", "锦绣花园", "2号楼", "1单元102"]).await;
    let claim = "mutation($h: ID!) { claimHousehold(householdId: $h, relation: RESIDENT) { ok refusal { code message } claim { id status } } }";
    let decide = |name: &str| {
        format!("mutation($c: ID!) {{ {name}(claimId: $c) {{ ok refusal {{ code message }} claim {{ status }} }} }}")
    };

    // Act
    let first = app.gql(Some(&newcomer), claim, json!({ "h": household })).await;
    let id = done(&first, "claimHousehold", "claim")["id"].clone();
    let second = app.gql(Some(&newcomer), claim, json!({ "h": household })).await;
    let confirmed = app.gql(Some(&staff), &decide("confirmClaim"), json!({ "c": id })).await;
    let confirmed_again = app.gql(Some(&staff), &decide("confirmClaim"), json!({ "c": id })).await;
    let withdrawn = app.gql(Some(&newcomer), &decide("withdrawClaim"), json!({ "c": id })).await;

    // Assert
    assert_eq!(refusal_code(&second, "claimHousehold", "claim"), "claim_pending");
    assert_eq!(done(&confirmed, "confirmClaim", "claim")["status"], "CONFIRMED");
    assert_eq!(refusal_code(&confirmed_again, "confirmClaim", "claim"), "claim_decided");
    assert_eq!(refusal_code(&withdrawn, "withdrawClaim", "claim"), "claim_decided");
});

on_both!(a_role_granted_twice_or_revoked_twice_is_refused_as_data, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let building = app.place_id(&staff, &["和平社区", "锦绣花园", "2号楼"]).await;
    let resident = person_id(&app, &app.login_as("resident").await).await;
    let grant = "mutation($p: ID!, $at: ID!) { grantRole(input: { personId: $p, role: BUILDING_LEADER, placeId: $at }) { ok refusal { code message } grant { id } } }";
    let revoke = "mutation($g: ID!) { revokeRole(grantId: $g, reason: \"换届\") { ok refusal { code message } grant { revokedAt } } }";

    // Act
    let granted = app.gql(Some(&staff), grant, json!({ "p": resident, "at": building })).await;
    let twice = app.gql(Some(&staff), grant, json!({ "p": resident, "at": building })).await;
    let id = done(&granted, "grantRole", "grant")["id"].clone();
    let revoked = app.gql(Some(&staff), revoke, json!({ "g": id })).await;
    let revoked_again = app.gql(Some(&staff), revoke, json!({ "g": id })).await;

    // Assert
    assert_eq!(refusal_code(&twice, "grantRole", "grant"), "role_already_held");
    assert!(done(&revoked, "revokeRole", "grant")["revokedAt"].is_string(), "{revoked}");
    assert_eq!(refusal_code(&revoked_again, "revokeRole", "grant"), "already_revoked");
});

on_both!(names_and_codes_already_taken_are_refused_as_data_and_nothing_changes, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let credit = "mutation($n: String!) { registerPropertyCompany(name: $n, creditCode: \"91130400MA0CTEST01\") { ok refusal { code message } company { id } } }";

    // Act
    let renamed = app
        .gql(
            Some(&staff),
            "mutation($id: ID!) { editPlace(input: { id: $id, name: \"锦绣花园\" }) { ok refusal { code message } place { name } } }",
            json!({ "id": places.laojie }),
        )
        .await;
    let grid = "mutation($c: ID!) { createGrid(communityId: $c, name: \"北片网格\") { ok refusal { code message } grid { id } } }";
    let first_grid = app.gql(Some(&staff), grid, json!({ "c": places.community })).await;
    let second_grid = app.gql(Some(&staff), grid, json!({ "c": places.community })).await;
    let category = app
        .gql(
            Some(&staff),
            "mutation($c: ID!) { addCategory(communityId: $c, code: \"parking\", nameZh: \"停车\", nameEn: \"Parking\") { ok refusal { code message } category { id } } }",
            json!({ "c": places.community }),
        )
        .await;
    let company = app.gql(Some(&staff), credit, json!({ "n": "安泰物业" })).await;
    let same_code = app.gql(Some(&staff), credit, json!({ "n": "另一家物业" })).await;
    let laojie =
        app.gql(Some(&staff), "query($id: ID!) { place(id: $id) { name } }", json!({ "id": places.laojie })).await;

    // Assert
    assert_eq!(refusal_code(&renamed, "editPlace", "place"), "name_taken");
    assert_eq!(laojie["data"]["place"]["name"], "老街小院", "nothing was renamed");
    assert!(done(&first_grid, "createGrid", "grid")["id"].is_string());
    assert_eq!(refusal_code(&second_grid, "createGrid", "grid"), "name_taken");
    assert_eq!(refusal_code(&category, "addCategory", "category"), "category_code_taken");
    assert!(done(&company, "registerPropertyCompany", "company")["id"].is_string());
    assert_eq!(refusal_code(&same_code, "registerPropertyCompany", "company"), "credit_code_taken");
});

on_both!(bad_input_stays_an_error_beside_the_refusals, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let (_, task) = implementing(&app, Duration::days(7)).await;
    let manager = app.login_as("property_manager").await;

    // Act: a note too long to be one, and an id of the wrong type.
    let long = "很".repeat(3000);
    let too_long = app
        .gql(
            Some(&manager),
            &format!("mutation($k: ID!, $n: String!) {{ reportTaskProgress(taskId: $k, note: $n) {{ {TASK} }} }}"),
            json!({ "k": task, "n": long }),
        )
        .await;
    let wrong_id = app
        .gql(
            Some(&manager),
            &format!("mutation($k: ID!) {{ finishTask(taskId: $k) {{ {TASK} }} }}"),
            json!({ "k": "bm9wZQ" }),
        )
        .await;

    // Assert
    assert_eq!(error_code(&too_long), Some("BAD_USER_INPUT"), "{too_long}");
    assert_eq!(error_code(&wrong_id), Some("BAD_USER_INPUT"), "{wrong_id}");
});

on_both!(a_refused_mutation_leaves_its_idempotency_key_free, |backend| async move {
    // Arrange: a name already taken, sent with a key; then a corrected request with the same key.
    let Some(app) = spawn_app(backend).await else { return };
    let places = demo(&app).await;
    let staff = app.login_as("rc_staff").await;
    let grid = "mutation($c: ID!, $n: String!) { createGrid(communityId: $c, name: $n) { ok refusal { code message } grid { name } } }";
    app.gql(Some(&staff), grid, json!({ "c": places.community, "n": "东片" })).await;

    // Act
    let taken = app
        .post_with(&staff, grid, json!({ "c": places.community, "n": "东片" }), &[("idempotency-key", "grid-1")])
        .await
        .json::<serde_json::Value>()
        .await
        .expect("json");
    let corrected = app
        .post_with(&staff, grid, json!({ "c": places.community, "n": "西片" }), &[("idempotency-key", "grid-1")])
        .await
        .json::<serde_json::Value>()
        .await
        .expect("json");

    // Assert: the refusal was not kept under the key, so the corrected request ran.
    assert_eq!(refusal_code(&taken, "createGrid", "grid"), "name_taken");
    assert_eq!(done(&corrected, "createGrid", "grid")["name"], "西片", "{corrected}");
});
