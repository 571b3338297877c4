//! Open311 GeoReport v2 (issue 18): a city hotline (a partner with the `open311` scope) lists the
//! services of its jurisdiction, files a request that enters the pipeline as a topic of the compound its
//! address names, and follows it through the staff's and the property company's steps to `closed`, in
//! JSON and XML; and the spec's errors with its HTTP codes for a bad jurisdiction, a bad service code, a
//! missing or wrong api_key and a partner without the scope.

use gongzhi_tests::on_both;
use serde_json::json;

use crate::open311_support::*;
use crate::pipeline_support::{ACKNOWLEDGE, FINISH, ROUTE, act, demo, done};

/// Files a repairs request at 锦绣花园 as the hotline and returns its id; the filing must succeed.
async fn file(app: &gongzhi_tests::TestApp, key: &str, extension: &str) -> String {
    let form = [
        ("api_key", key),
        ("jurisdiction_id", "邯郸市"),
        ("service_code", "repairs"),
        ("address_string", "锦绣花园"),
        ("lat", "36.609001"),
        ("long", "114.482002"),
        ("description", "3号楼电梯停运\n已经三天了，老人上下楼困难"),
        ("first_name", "张"),
        ("phone", "13900001111"),
    ];
    let (status, _, body) = post(app, &format!("requests.{extension}"), &form).await;
    assert_eq!(status, 200, "{body}");
    if extension == "json" {
        json_of(&body)[0]["service_request_id"].as_str().unwrap_or_else(|| panic!("no id: {body}")).to_owned()
    } else {
        let start = body.find("<service_request_id>").expect("an id element") + "<service_request_id>".len();
        let end = body[start..].find('<').expect("its end") + start;
        body[start..end].to_owned()
    }
}

/// The staff route the topic to 安居物业, who acknowledge it and report it done.
async fn carry_out(app: &gongzhi_tests::TestApp, id: &str) {
    let staff = app.login_as("rc_staff").await;
    let property = app.login_as("property_staff").await;
    let topic = topic_global_id(id);
    done(&act(app, &staff, ROUTE, json!({ "t": topic })).await);
    done(&act(app, &property, ACKNOWLEDGE, json!({ "t": topic })).await);
    done(&act(app, &property, FINISH, json!({ "t": topic, "report": "已更换电梯主板，恢复运行" })).await);
}

on_both!(a_request_filed_in_json_enters_the_pipeline_and_follows_it_to_closed, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let hotline = hotline(&app).await;
    let key = hotline.client_secret.as_str();

    let (status, content_type, services) = get(&app, "services.json", &[("api_key", key)]).await;
    let id = file(&app, key, "json").await;
    let (_, _, filed) = get(&app, &format!("requests/{id}.json"), &[("api_key", key)]).await;
    carry_out(&app, &id).await;
    let (_, _, closed) =
        get(&app, &format!("requests/{id}.json"), &[("api_key", key), ("jurisdiction_id", "邯郸市")]).await;
    let (_, _, listed) =
        get(&app, "requests.json", &[("api_key", key), ("status", "closed"), ("service_code", "repairs")]).await;
    let (_, _, open) = get(&app, "requests.json", &[("api_key", key), ("status", "open")]).await;
    let (_, _, token) = get(&app, &format!("tokens/{id}.json"), &[("api_key", key)]).await;

    assert_eq!(status, 200, "{services}");
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let services = json_of(&services);
    let repairs = services.as_array().and_then(|all| all.iter().find(|s| s["service_code"] == "repairs"));
    let repairs = repairs.unwrap_or_else(|| panic!("repairs is a service: {services}"));
    assert_eq!(repairs["service_name"], "房屋及设施维修");
    assert_eq!(repairs["metadata"], false);
    assert_eq!(repairs["type"], "realtime");
    let filed = &json_of(&filed)[0];
    assert_eq!(filed["service_request_id"], id.as_str());
    assert_eq!(filed["status"], "open");
    assert_eq!(filed["service_code"], "repairs");
    assert_eq!(filed["description"], "3号楼电梯停运\n已经三天了，老人上下楼困难");
    assert_eq!(filed["agency_responsible"], "和平社区", "the community triages it: {filed}");
    assert_eq!(filed["address"], "锦绣花园");
    assert_eq!(filed["lat"], 36.609001);
    assert_eq!(filed["long"], 114.482002);
    assert!(filed["expected_datetime"].is_string(), "triage's deadline: {filed}");
    assert!(filed["requested_datetime"].as_str().is_some_and(|t| t.ends_with('Z')), "{filed}");
    assert!(!filed.to_string().contains("13900001111"), "the caller's contact is not kept");
    let closed = &json_of(&closed)[0];
    assert_eq!(closed["status"], "closed", "{closed}");
    assert_eq!(closed["status_notes"], "已更换电梯主板，恢复运行");
    assert_eq!(closed["agency_responsible"], "安居物业服务有限公司");
    let listed = json_of(&listed);
    let listed = listed.as_array().unwrap_or_else(|| panic!("a list: {listed}"));
    assert!(listed.iter().any(|r| r["service_request_id"] == id.as_str()), "{listed:?}");
    assert!(listed.iter().all(|r| r["status"] == "closed" && r["service_code"] == "repairs"), "{listed:?}");
    assert!(json_of(&open).as_array().is_some_and(|all| all.iter().all(|r| r["service_request_id"] != id.as_str())));
    assert_eq!(json_of(&token)[0]["service_request_id"], id.as_str());
});

on_both!(a_request_filed_in_xml_is_followed_to_closed_in_xml, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let hotline = hotline(&app).await;
    let key = hotline.client_secret.as_str();
    let places = demo(&app).await;

    let (status, content_type, services) = get(&app, "services.xml", &[("api_key", key)]).await;
    let building = raw_id(&places.jinxiu_1);
    let form = [
        ("api_key", key),
        ("service_code", "repairs"),
        ("address_id", building.as_str()),
        ("description", "楼道灯坏了 & 不亮"),
    ];
    let (filed_status, _, filed) = post(&app, "requests.xml", &form).await;
    let start = filed.find("<service_request_id>").expect("an id") + "<service_request_id>".len();
    let id = filed[start..start + 36].to_owned();
    let (_, _, open) = get(&app, &format!("requests/{id}.xml"), &[("api_key", key)]).await;
    carry_out(&app, &id).await;
    let (_, _, closed) = get(&app, &format!("requests/{id}.xml"), &[("api_key", key)]).await;

    assert_eq!(status, 200, "{services}");
    assert!(content_type.starts_with("text/xml"), "{content_type}");
    assert!(services.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service>"), "{services}");
    assert!(services.contains("<service_code>repairs</service_code>"), "{services}");
    assert_eq!(filed_status, 200, "{filed}");
    assert!(filed.contains("<service_requests><request>"), "{filed}");
    assert!(open.contains("<status>open</status>"), "{open}");
    assert!(open.contains("<description>楼道灯坏了 &amp; 不亮</description>"), "escaped: {open}");
    assert!(open.contains("<address>锦绣花园 1号楼</address>"), "{open}");
    assert!(open.contains("<lat/>"), "no location given: {open}");
    assert!(closed.contains("<status>closed</status>"), "{closed}");
    assert!(closed.contains("<status_notes>已更换电梯主板，恢复运行</status_notes>"), "{closed}");
    assert!(closed.contains("<agency_responsible>安居物业服务有限公司</agency_responsible>"), "{closed}");
});

on_both!(open311_refusals_use_the_specs_error_format_and_codes, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let hotline = hotline(&app).await;
    let key = hotline.client_secret.as_str();
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let reader = register_scoped(&app, &admin, "只读应用", &places.community, &["TOPICS"]).await;
    let filing = |code: &'static str| {
        vec![("api_key", key), ("service_code", code), ("address_string", "锦绣花园"), ("description", "路灯不亮")]
    };

    let (_, _, before) = get(&app, "requests.json", &[("api_key", key)]).await;
    let (bad_jurisdiction, _, bad_jurisdiction_body) =
        get(&app, "services.json", &[("api_key", key), ("jurisdiction_id", "石家庄市")]).await;
    let (bad_jurisdiction_xml, xml_type, bad_jurisdiction_xml_body) =
        get(&app, "services.xml", &[("api_key", key), ("jurisdiction_id", "石家庄市")]).await;
    let (bad_code, _, bad_code_body) = post(&app, "requests.json", &filing("spaceships")).await;
    let (no_key, _, no_key_body) = get(&app, "requests.json", &[]).await;
    let no_key_post = app
        .client
        .post(url(&app, "requests.json"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&[("service_code", "repairs")]))
        .send()
        .await
        .expect("sent");
    let challenge = no_key_post.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (wrong_key, _, _) = get(&app, "services.json", &[("api_key", "gzs_not-a-secret")]).await;
    let (no_scope, _, no_scope_body) = get(&app, "services.json", &[("api_key", reader.client_secret.as_str())]).await;
    let (unplaced, _, unplaced_body) =
        post(&app, "requests.json", &[("api_key", key), ("service_code", "repairs"), ("address_string", "不存在小区")])
            .await;
    let (no_request, _, _) = get(&app, "requests/00000000-0000-4000-8000-000000000000.json", &[("api_key", key)]).await;
    let (no_service, _, _) = get(&app, "services/spaceships.json", &[("api_key", key)]).await;
    let (bad_status, _, _) = get(&app, "requests.json", &[("api_key", key), ("status", "pending")]).await;
    let (bad_format, _, _) = get(&app, "services.csv", &[("api_key", key)]).await;
    let (_, _, after) = get(&app, "requests.json", &[("api_key", key)]).await;
    let english = app
        .client
        .get(url(&app, "services.json"))
        .query(&[("api_key", key), ("jurisdiction_id", "石家庄市")])
        .header("accept-language", "en")
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");

    assert_eq!(bad_jurisdiction, 404, "{bad_jurisdiction_body}");
    let error = &json_of(&bad_jurisdiction_body)[0];
    assert_eq!(error["code"], 404);
    assert!(error["description"].as_str().is_some_and(|d| d.contains("石家庄市")), "{error}");
    assert!(json_of(&english)[0]["description"].as_str().is_some_and(|d| d.contains("was not found")), "{english}");
    assert_eq!(bad_jurisdiction_xml, 404);
    assert!(xml_type.starts_with("text/xml"));
    assert!(
        bad_jurisdiction_xml_body.contains("<errors><error><code>404</code><description>"),
        "{bad_jurisdiction_xml_body}"
    );
    assert_eq!(bad_code, 400, "{bad_code_body}");
    assert!(bad_code_body.contains("spaceships"), "{bad_code_body}");
    assert_eq!(no_key, 401, "{no_key_body}");
    assert_eq!(json_of(&no_key_body)[0]["code"], 401);
    assert_eq!(challenge.as_deref(), Some("Basic realm=\"open311\""));
    assert_eq!(wrong_key, 403);
    assert_eq!(no_scope, 403, "a partner without the open311 scope: {no_scope_body}");
    assert!(no_scope_body.contains("open311"), "{no_scope_body}");
    assert_eq!(unplaced, 400, "{unplaced_body}");
    assert_eq!(no_request, 404);
    assert_eq!(no_service, 404);
    assert_eq!(bad_status, 400);
    assert_eq!(bad_format, 400);
    assert_eq!(json_of(&after), json_of(&before), "nothing was filed");
});

on_both!(a_hotline_files_only_within_its_scope_and_basic_auth_carries_the_key, |backend| async move {
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let places = demo(&app).await;
    let laojie_only = register_scoped(&app, &admin, "老街小院应用", &places.laojie, &["OPEN311"]).await;
    let key = laojie_only.client_secret.as_str();

    let (outside, _, outside_body) = post(
        &app,
        "requests.json",
        &[("api_key", key), ("service_code", "repairs"), ("address_string", "锦绣花园"), ("description", "越界")],
    )
    .await;
    let basic = app.client.get(url(&app, "requests.json")).basic_auth("anyone", Some(key)).send().await.expect("sent");

    assert_eq!(outside, 400, "锦绣花园 is not in its scope, so the address places nothing: {outside_body}");
    assert_eq!(basic.status().as_u16(), 200);
});
