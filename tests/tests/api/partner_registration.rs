//! `registerPartner` is idempotent by a unique index on (scope, name) (decision 170): registrations sent
//! at once make one partner, and the database itself refuses a second row of the same name and scope.

use gongzhi_tests::on_both;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::partners_support::PARTNERS;
use crate::pipeline_support::demo;

const REGISTER: &str = "mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { created clientSecret partner { id } } }";

on_both!(registrations_sent_at_once_make_one_partner, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let input = json!({ "input": { "name": "同时登记", "kind": "CITY_SYSTEM", "scopePlaceId": places.community } });

    let answers = futures::future::join_all((0..4).map(|_| app.gql(Some(&admin), REGISTER, input.clone()))).await;
    let listed = app.gql(Some(&admin), PARTNERS, json!({})).await;

    let created = answers.iter().filter(|a| a["data"]["registerPartner"]["created"] == true).count();
    assert_eq!(created, 1, "{answers:?}");
    let ids: Vec<_> = answers.iter().map(|a| a["data"]["registerPartner"]["partner"]["id"].clone()).collect();
    assert!(ids.iter().all(|id| *id == ids[0] && id.is_string()), "every answer names the one partner: {ids:?}");
    let secrets = answers.iter().filter(|a| a["data"]["registerPartner"]["clientSecret"].is_string()).count();
    assert_eq!(secrets, 1, "the secret is shown once");
    assert_eq!(listed["data"]["partners"].as_array().map(Vec::len), Some(1), "{listed}");
});

on_both!(the_database_refuses_a_second_partner_of_the_same_name_and_scope, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let input = json!({ "input": { "name": "唯一名称", "kind": "CITY_SYSTEM", "scopePlaceId": places.community } });
    app.gql(Some(&admin), REGISTER, input).await;
    let db = app.store.connection();
    let copy = "INSERT INTO api_partners (id, name, kind, scope_place_id, rate_points, secret_hash, secret_version, \
                secret_rotated_at, created_by, created_at, disabled_at, disabled_by, scopes) \
                SELECT '00000000-0000-4000-8000-000000000001', name, kind, scope_place_id, rate_points, 'x', 1, \
                NULL, created_by, created_at, NULL, NULL, scopes FROM api_partners WHERE name = '唯一名称'";

    let inserted = db.execute_raw(Statement::from_string(db.get_database_backend(), copy)).await;

    assert!(inserted.is_err(), "a duplicate row is refused by the index: {inserted:?}");
});
