//! API partners: city administrators register them (the secret is shown once and stored only as a hash),
//! rotate their secrets and disable them; partners exchange client credentials for a bearer token at
//! `POST /oauth/token` (RFC 6749 §4.4) and read the public topics of their scope — nothing outside it, and
//! no person's action.

use gongzhi_tests::graphql::{error_code, error_codes, error_message};
use gongzhi_tests::instances::another_instance;
use gongzhi_tests::{Backend, on_both, spawn_app, spawn_app_with};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::partners_support::*;
use crate::pipeline_support::{CO_SIGN, ROUTE, SUBMIT, category, demo, demo_topics, document, topic_input};

async fn json_of(response: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.json().await.expect("JSON body"))
}

/// Every stored secret hash, as the database holds them.
async fn stored_hashes(app: &gongzhi_tests::TestApp) -> Vec<String> {
    let db = app.store.connection();
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT secret_hash FROM api_partners"))
        .await
        .expect("partners read");
    rows.iter().map(|row| row.try_get::<String>("", "secret_hash").expect("secret_hash")).collect()
}

on_both!(registering_a_partner_shows_its_secret_once_and_stores_only_its_hash, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;

    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, Some(5_000)).await;
    let listed = app.gql(Some(&admin), PARTNERS, json!({})).await;
    let hashes = stored_hashes(&app).await;

    let registered = &partner.body["data"]["registerPartner"]["partner"];
    assert!(partner.client_id.starts_with("gzp_"), "{}", partner.client_id);
    assert!(partner.client_secret.starts_with("gzs_") && partner.client_secret.len() > 40);
    assert_eq!(registered["clientId"], partner.client_id.as_str());
    assert_eq!(registered["kind"], "CITY_SYSTEM");
    assert_eq!(registered["ratePoints"], 5_000);
    assert_eq!(registered["effectiveRatePoints"], 5_000);
    assert_eq!(registered["enabled"], true);
    assert_eq!(registered["scope"]["name"], "锦绣花园");
    assert!(registered["secretRotatedAt"].is_null() && registered["disabledAt"].is_null());
    assert_eq!(listed["data"]["partners"][0]["clientId"], partner.client_id.as_str(), "{listed}");
    assert!(!listed.to_string().contains(&partner.client_secret), "the listing never shows the secret");
    assert_eq!(hashes, [hex::encode(Sha256::digest(partner.client_secret.as_bytes()))]);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_city_administrators_keep_the_partner_registry() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register(&app, &admin, "12345市民热线", &places.community, None).await;
    let input = json!({ "name": "越权登记", "kind": "SMART_COMMUNITY_APP", "scopePlaceId": places.jinxiu });

    for handle in ["resident", "owner", "rc_staff", "party_secretary", "street_officer", "district_officer"] {
        let token = app.login_as(handle).await;
        let registered = app.gql(Some(&token), REGISTER, json!({ "input": input })).await;
        let listed = app.gql(Some(&token), PARTNERS, json!({})).await;
        let rotated = app.gql(Some(&token), ROTATE, json!({ "id": partner.id })).await;
        let disabled = app.gql(Some(&token), DISABLE, json!({ "id": partner.id })).await;

        for body in [&registered, &listed, &rotated, &disabled] {
            assert_eq!(error_code(body), Some("FORBIDDEN"), "{handle}: {body}");
        }
    }
    let anonymous = app.gql(None, PARTNERS, json!({})).await;
    let still = app.gql(Some(&admin), PARTNERS, json!({})).await;

    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"), "{anonymous}");
    assert_eq!(still["data"]["partners"].as_array().map(Vec::len), Some(1), "nobody else registered one: {still}");
    assert_eq!(still["data"]["partners"][0]["enabled"], true, "nor disabled it");
    partner_token(&app, &partner).await;
}

on_both!(good_credentials_get_a_short_lived_bearer_token_however_they_are_sent, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, None).await;
    let json_body = json!({
        "grant_type": "client_credentials",
        "client_id": partner.client_id,
        "client_secret": partner.client_secret,
    });

    let (status, headers, by_form) =
        json_of(token_request(&app, form(&partner.client_id, &partner.client_secret), None).await).await;
    let (by_json_status, _, by_json) =
        json_of(app.client.post(token_url(&app)).json(&json_body).send().await.expect("sent")).await;
    let (by_basic_status, _, by_basic) =
        json_of(token_request_basic(&app, &partner.client_id, &partner.client_secret).await).await;
    let token = by_form["access_token"].as_str().expect("access_token");
    let feed = app.gql(Some(token), FEED, json!({ "p": places.jinxiu })).await;

    assert_eq!(status, 200, "{by_form}");
    assert_eq!(by_form["token_type"], "Bearer");
    assert_eq!(by_form["expires_in"], 900);
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert_eq!((by_json_status, by_basic_status), (200, 200), "{by_json} {by_basic}");
    assert!(by_json["access_token"].is_string() && by_basic["access_token"].is_string());
    assert!(feed.get("errors").is_none(), "{feed}");
    assert_eq!(titles(&feed), ["夜间电动车乱停放，堵塞消防通道"]);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_endpoint_refuses_as_rfc_6749_says() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, None).await;
    let unknown = format!("gzp_{}", uuid::Uuid::new_v4().simple());
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", partner.client_id, partner.client_secret),
    );

    let wrong_secret = json_of(token_request(&app, form(&partner.client_id, "gzs_wrong"), Some("en")).await).await;
    let unknown_client = json_of(token_request(&app, form(&unknown, &partner.client_secret), None).await).await;
    let not_a_client = json_of(token_request(&app, form("someone", "something"), None).await).await;
    let no_credentials = json_of(token_request(&app, "grant_type=client_credentials".into(), None).await).await;
    let password_grant = json_of(
        token_request(
            &app,
            format!("grant_type=password&client_id={}&client_secret={}", partner.client_id, partner.client_secret),
            Some("en"),
        )
        .await,
    )
    .await;
    let no_grant = json_of(
        token_request(&app, format!("client_id={}&client_secret={}", partner.client_id, partner.client_secret), None)
            .await,
    )
    .await;
    let twice = json_of(
        token_request(
            &app,
            format!("{}&grant_type=client_credentials", form(&partner.client_id, &partner.client_secret)),
            None,
        )
        .await,
    )
    .await;
    let two_methods = json_of(
        app.client
            .post(token_url(&app))
            .header("authorization", format!("Basic {basic}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("grant_type=client_credentials&client_secret={}", partner.client_secret))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    let plain_text = json_of(
        app.client
            .post(token_url(&app))
            .header("content-type", "text/plain")
            .body(form(&partner.client_id, &partner.client_secret))
            .send()
            .await
            .expect("sent"),
    )
    .await;

    for (status, headers, body) in [&wrong_secret, &unknown_client, &not_a_client, &no_credentials] {
        assert_eq!(*status, 401, "{body}");
        assert_eq!(body["error"], "invalid_client", "{body}");
        assert!(headers.contains_key("www-authenticate"), "{body}");
        assert!(body.get("access_token").is_none());
    }
    assert_eq!(wrong_secret.2["error_description"], "Client authentication failed");
    assert!(unknown_client.2["error_description"].as_str().is_some_and(|d| d.contains("客户端认证失败")));
    assert_eq!((password_grant.0, &password_grant.2["error"]), (400, &json!("unsupported_grant_type")));
    assert!(password_grant.2["error_description"].as_str().is_some_and(|d| d.contains("client_credentials")));
    for (status, _, body) in [&no_grant, &twice, &two_methods, &plain_text] {
        assert_eq!((*status, &body["error"]), (400, &json!("invalid_request")), "{body}");
    }
}

on_both!(disabling_a_partner_stops_its_issued_token_and_its_secret_at_once, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, None).await;
    let token = partner_token(&app, &partner).await;
    let before = app.gql(Some(&token), FEED, json!({ "p": places.jinxiu })).await;

    let disabled = app.gql(Some(&admin), DISABLE, json!({ "id": partner.id })).await;
    let after = app.gql_lang(Some(&token), FEED, json!({ "p": places.jinxiu }), Some("en")).await;
    let (status, _, exchange) =
        json_of(token_request(&app, form(&partner.client_id, &partner.client_secret), None).await).await;
    let again = app.gql(Some(&admin), DISABLE, json!({ "id": partner.id })).await;
    let rotated = app.gql(Some(&admin), ROTATE, json!({ "id": partner.id })).await;

    assert!(before.get("errors").is_none(), "{before}");
    assert_eq!(disabled["data"]["disablePartner"]["enabled"], false, "{disabled}");
    assert!(disabled["data"]["disablePartner"]["disabledAt"].is_string());
    assert_eq!(error_code(&after), Some("UNAUTHENTICATED"), "{after}");
    assert!(error_message(&after).is_some_and(|m| m.contains("disabled")), "{after}");
    assert_eq!((status, &exchange["error"]), (401, &json!("invalid_client")), "{exchange}");
    assert_eq!(again["data"]["disablePartner"]["disabledAt"], disabled["data"]["disablePartner"]["disabledAt"]);
    assert_eq!(
        rotated["data"]["rotatePartnerSecret"]["refusal"]["code"], "partner_disabled",
        "a disabled partner has no secret to rotate: {rotated}"
    );
});

on_both!(rotating_a_secret_retires_the_old_secret_and_its_tokens, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, None).await;
    let old_token = partner_token(&app, &partner).await;

    let rotated = app.gql(Some(&admin), ROTATE, json!({ "id": partner.id })).await;
    let new_secret =
        rotated["data"]["rotatePartnerSecret"]["credentials"]["clientSecret"].as_str().expect("new secret").to_owned();
    let (old_status, _, old_exchange) =
        json_of(token_request(&app, form(&partner.client_id, &partner.client_secret), None).await).await;
    let with_old_token = app.gql(Some(&old_token), FEED, json!({ "p": places.jinxiu })).await;
    let renewed = Registered { client_secret: new_secret.clone(), ..partner };
    let new_token = partner_token(&app, &renewed).await;
    let with_new_token = app.gql(Some(&new_token), FEED, json!({ "p": places.jinxiu })).await;

    assert_ne!(new_secret, renewed.body["data"]["registerPartner"]["clientSecret"].as_str().unwrap_or_default());
    assert_eq!(rotated["data"]["rotatePartnerSecret"]["credentials"]["clientId"], renewed.client_id.as_str());
    assert!(
        rotated["data"]["rotatePartnerSecret"]["credentials"]["partner"]["secretRotatedAt"].is_string(),
        "{rotated}"
    );
    assert_eq!((old_status, &old_exchange["error"]), (401, &json!("invalid_client")));
    assert_eq!(error_code(&with_old_token), Some("UNAUTHENTICATED"), "{with_old_token}");
    assert!(with_new_token.get("errors").is_none(), "{with_new_token}");
});

on_both!(a_partner_reads_the_public_feed_counts_and_topics_of_its_scope, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let city = city(&app, &admin).await;
    let partner = register(&app, &admin, "邯郸市城市运行管理平台", &city, None).await;
    let token = partner_token(&app, &partner).await;

    let feed = app.gql(Some(&token), FEED, json!({ "p": places.community })).await;
    let counts = app.gql(Some(&token), COUNTS, json!({ "p": city })).await;
    let parking = app.gql(Some(&token), TOPIC, json!({ "id": topics.parking })).await;

    assert!(feed.get("errors").is_none(), "{feed}");
    let mut seen = titles(&feed);
    seen.sort();
    assert_eq!(seen, ["1号楼屋顶漏雨", "夜间电动车乱停放，堵塞消防通道"]);
    assert!(counts.get("errors").is_none(), "{counts}");
    let total: u64 =
        counts["data"]["topicCounts"].as_array().expect("counts").iter().filter_map(|c| c["count"].as_u64()).sum();
    assert_eq!(total, 2);
    assert!(parking.get("errors").is_none(), "{parking}");
    let topic = &parking["data"]["node"];
    assert_eq!(topic["title"], "夜间电动车乱停放，堵塞消防通道");
    assert!(topic["submitter"].is_null(), "the public does not see who raised it: {topic}");
    let timeline = topic["timeline"].as_array().expect("timeline");
    assert!(timeline.iter().any(|e| e["kind"] == "submitted"), "{topic}");
    assert!(timeline.iter().all(|e| e["visibility"] == "PUBLIC"), "no staff notes: {topic}");
    assert!(timeline.iter().all(|e| e["actor"].is_null()), "no resident named: {topic}");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_is_answered_not_found_outside_its_scope() {
    let CompoundPartner { app, places, topics, token } = compound_partner().await;

    let own = app.gql(Some(&token), FEED, json!({ "p": places.jinxiu })).await;
    let building = app.gql(Some(&token), FEED, json!({ "p": places.jinxiu_1 })).await;
    let neighbour = app.gql(Some(&token), FEED, json!({ "p": places.laojie })).await;
    let community = app.gql(Some(&token), FEED, json!({ "p": places.community })).await;
    let counts = app.gql(Some(&token), COUNTS, json!({ "p": places.laojie })).await;
    let roof = app.gql(Some(&token), TOPIC, json!({ "id": topics.roof })).await;
    let parking = app.gql(Some(&token), TOPIC, json!({ "id": topics.parking })).await;

    assert_eq!(titles(&own), ["夜间电动车乱停放，堵塞消防通道"]);
    assert!(building.get("errors").is_none(), "a building inside its scope: {building}");
    for body in [&neighbour, &community, &counts, &roof] {
        assert_eq!(error_code(body), Some("NOT_FOUND"), "{body}");
    }
    assert!(parking.get("errors").is_none(), "{parking}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_takes_no_persons_action() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let admin = app.login_as("city_admin").await;
    let staff = app.login_as("rc_staff").await;
    let places = demo(&app).await;
    let topics = demo_topics(&app, &places.community).await;
    let repairs = category(&app, &staff, &places.community, "repairs").await;
    let city = city(&app, &admin).await;
    let partner = register(&app, &admin, "邯郸市城市运行管理平台", &city, None).await;
    let token = partner_token(&app, &partner).await;
    let submit = json!({ "input": topic_input(&places.jinxiu, &repairs, "合作方代提的议题") });
    let register_input = json!({ "input": { "name": "自我登记", "kind": "CITY_SYSTEM", "scopePlaceId": city } });

    let refused = [
        app.gql_lang(Some(&token), &document(SUBMIT), submit, Some("en")).await,
        app.gql(Some(&token), &document(CO_SIGN), json!({ "t": topics.parking })).await,
        app.gql(Some(&token), &document(ROUTE), json!({ "t": topics.parking })).await,
        app.gql(Some(&token), "{ me { id } }", json!({})).await,
        app.gql(Some(&token), "{ myTopics { edges { node { id } } } }", json!({})).await,
        app.gql(Some(&token), REGISTER, register_input).await,
        app.gql(Some(&token), PARTNERS, json!({})).await,
        app.gql(Some(&token), "mutation { logout }", json!({})).await,
    ];
    let after = app.gql(Some(&staff), FEED, json!({ "p": places.community })).await;

    for body in &refused {
        assert_eq!(error_codes(body), ["FORBIDDEN"], "{body}");
        assert_eq!(body["errors"][0]["extensions"]["reason"], "PEOPLE_ONLY", "{body}");
    }
    assert!(error_message(&refused[0]).is_some_and(|m| m.contains("API partners may only read")), "{}", refused[0]);
    assert!(error_message(&refused[1]).is_some_and(|m| m.contains("接口合作方只能读取")), "{}", refused[1]);
    assert!(!titles(&after).iter().any(|t| t == "合作方代提的议题"), "nothing was submitted: {after}");
    let parking = after["data"]["topics"]["edges"]
        .as_array()
        .and_then(|edges| edges.iter().find(|e| e["node"]["id"] == topics.parking.as_str()))
        .expect("parking topic");
    assert_eq!(parking["node"]["coSignCount"], 1, "no co-signature was added");
    assert_eq!(parking["node"]["stage"], "COLLECTING", "nor was it routed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instance_stops_a_disabled_partners_token_within_the_cache_time() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.partners.cache_seconds = 1).await.expect("app");
    let second = another_instance(&app).await;
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let partner = register(&app, &admin, "锦绣智慧社区", &places.jinxiu, None).await;
    let token = partner_token(&app, &partner).await;
    let before = second.gql(Some(&token), FEED, json!({ "p": places.jinxiu })).await;

    app.gql(Some(&admin), DISABLE, json!({ "id": partner.id })).await;
    let here = app.gql(Some(&token), FEED, json!({ "p": places.jinxiu })).await;
    app.clock.advance(chrono::Duration::milliseconds(1_200));
    let there = second.gql(Some(&token), FEED, json!({ "p": places.jinxiu })).await;

    assert!(before.get("errors").is_none(), "the second instance knew the partner: {before}");
    assert_eq!(error_code(&here), Some("UNAUTHENTICATED"), "at once where it was disabled: {here}");
    assert_eq!(error_code(&there), Some("UNAUTHENTICATED"), "within the cache time elsewhere: {there}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_asking_what_it_did_itself_is_answered_no_not_refused() {
    let CompoundPartner { app, places, topics, token } = compound_partner().await;
    let owner = app.login_as("owner").await;
    let mine = "query($p: ID!) { topics(placeId: $p) { edges { node { id coSignedByMe submittedByMe myRating } } } }";
    let parking = |feed: &Value| {
        let edges = feed["data"]["topics"]["edges"].as_array().cloned().unwrap_or_default();
        edges.into_iter().find(|e| e["node"]["id"] == topics.parking.as_str()).map(|e| e["node"].clone())
    };

    let as_partner = app.gql(Some(&token), mine, json!({ "p": places.jinxiu })).await;
    let as_owner = app.gql(Some(&owner), mine, json!({ "p": places.jinxiu })).await;

    assert!(as_partner.get("errors").is_none(), "a feed shared with people's apps still answers: {as_partner}");
    let seen = parking(&as_partner).expect("the partner sees the parking topic");
    assert_eq!((&seen["coSignedByMe"], &seen["submittedByMe"]), (&json!(false), &json!(false)), "{seen}");
    assert!(seen["myRating"].is_null(), "{seen}");
    let signed = parking(&as_owner).expect("the owner sees it too");
    assert_eq!(signed["coSignedByMe"], true, "the owner co-signed it: {as_owner}");
}
