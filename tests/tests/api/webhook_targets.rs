//! Webhooks never reach the server's own network (decision 71): an endpoint whose host is, or resolves
//! to, a loopback, private, link-local, metadata, shared (CGNAT), unspecified, multicast or broadcast
//! address is refused at registration, and a name that resolves to one at delivery — though it resolved
//! elsewhere when registered — is dead-lettered with the reason, without a connection.

use gongzhi_api::error::{ApiError, Code};
use gongzhi_domain::Invalid;
use gongzhi_domain::notify::{Channel, MessageStatus, TargetClass};
use gongzhi_infra::outbox::{Transport, Worker};
use gongzhi_tests::app::spawn_app;
use gongzhi_tests::fake_gateway::FakeGateway;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::logs::Logs;
use gongzhi_tests::on_both;
use secrecy::SecretString;
use serde_json::json;
use tracing::Instrument;

use crate::outbox_support::{SECRET, quick, world};

const REGISTER: &str = "mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret } }";

on_both!(every_internal_address_class_is_refused_at_registration, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let store = w.store_refusing_loopback();
    w.dns.set("intranet.partner.example", &["203.0.113.9", "10.20.30.40"]);
    let cases = [
        ("https://127.0.0.1/hook", TargetClass::Loopback),
        ("http://localhost:8080/hook", TargetClass::Loopback),
        ("https://2130706433/hook", TargetClass::Loopback),
        ("https://[::1]/hook", TargetClass::Loopback),
        ("https://10.1.2.3/hook", TargetClass::Private),
        ("https://172.16.5.4/hook", TargetClass::Private),
        ("https://192.168.0.10/hook", TargetClass::Private),
        ("https://[fc00::1]/hook", TargetClass::Private),
        ("https://169.254.10.10/hook", TargetClass::LinkLocal),
        ("https://[fe80::1]/hook", TargetClass::LinkLocal),
        ("https://169.254.169.254/latest/meta-data", TargetClass::Metadata),
        ("https://[fd00:ec2::254]/latest", TargetClass::Metadata),
        ("http://metadata.google.internal/computeMetadata/v1", TargetClass::Metadata),
        ("https://100.64.0.7/hook", TargetClass::SharedAddress),
        ("https://0.0.0.0/hook", TargetClass::Unspecified),
        ("https://224.0.0.251/hook", TargetClass::Multicast),
        ("https://255.255.255.255/hook", TargetClass::Broadcast),
        ("https://[::ffff:10.0.0.1]/hook", TargetClass::Private),
        ("https://[::ffff:127.0.0.1]/hook", TargetClass::Loopback),
        // A name is refused for any refused address it resolves to.
        ("https://intranet.partner.example/hook", TargetClass::Private),
    ];

    for (url, class) in cases {
        let refused = store.register_webhook(&w.admin, "partner", url, &[], None).await;
        match refused {
            Err(gongzhi_infra::Error::Invalid(Invalid::WebhookTarget { class: given, .. })) => {
                assert_eq!(given, class, "{url}")
            }
            other => panic!("{url} was not refused as {class:?}: {other:?}"),
        }
    }
    for url in
        ["https://user:pw@partner.example.cn/hook", "ftp://partner.example.cn/hook", "http://partner.example.cn/h"]
    {
        let refused = store.register_webhook(&w.admin, "partner", url, &[], None).await;
        assert!(
            matches!(refused, Err(gongzhi_infra::Error::Invalid(Invalid::WebhookUrl { .. }))),
            "{url}: {refused:?}"
        );
    }
    assert!(store.webhooks(&w.admin).await.expect("webhooks").is_empty(), "nothing was registered");
});

on_both!(a_refused_address_is_bad_user_input_with_a_reason_in_both_languages, |backend| async move {
    let logs = Logs::capture();
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let input = json!({ "input": { "name": "内网", "url": "https://169.254.169.254/latest/meta-data" } });

    let zh = app.gql_lang(Some(&admin), REGISTER, input.clone(), Some("zh-CN")).await;
    let en = app.gql_lang(Some(&admin), REGISTER, input, Some("en")).await;
    let loopback =
        app.gql(Some(&admin), REGISTER, json!({ "input": { "name": "x", "url": "http://127.0.0.1:9/hook" } })).await;
    let input = json!({ "input": { "name": "x", "url": "https://10.0.0.1/hook" } });
    let marked = app.post_with(&admin, REGISTER, input, &[("user-agent", logs.marker())]).await;
    let marked: serde_json::Value = marked.json().await.expect("JSON");

    assert_eq!(error_code(&zh), Some("BAD_USER_INPUT"), "{zh}");
    assert_eq!(zh["errors"][0]["extensions"]["reason"], "WEBHOOK_TARGET_REFUSED", "{zh}");
    assert!(zh["errors"][0]["message"].as_str().unwrap_or_default().contains("元数据"), "{zh}");
    assert!(en["errors"][0]["message"].as_str().unwrap_or_default().contains("metadata address"), "{en}");
    assert_eq!(error_code(&loopback), Some("BAD_USER_INPUT"), "loopback is refused unless allowed: {loopback}");
    assert_eq!(error_code(&marked), Some("BAD_USER_INPUT"), "{marked}");
    let lines = logs.lines();
    assert!(!lines.is_empty(), "the refusal was logged");
    assert!(lines.iter().all(|l| !l.contains("ERROR")), "a refusal is not an error: {lines:?}");
    let listed = app.gql(Some(&admin), "{ webhooks { url } }", json!({})).await;
    assert_eq!(listed["data"]["webhooks"], json!([]), "nothing was registered");
});

on_both!(a_name_that_resolves_to_a_refused_address_at_delivery_is_dead_lettered_unsent, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let store = w.store_refusing_loopback();
    let gateway = FakeGateway::start(SECRET).await;
    // Public when registered; this machine when the message is sent (DNS rebinding). The fake gateway
    // listens there: had the rule let the connection through, it would have arrived.
    let port = gateway.base.rsplit(':').next().expect("a port").to_owned();
    w.dns.set("hooks.partner.example", &["203.0.113.7"]);
    let url = format!("https://hooks.partner.example:{port}/hooks/partner");
    let (_, secret) = store.register_webhook(&w.admin, "partner", &url, &[], None).await.expect("registered");
    gateway.add_webhook("partner", &secret);
    let author = w.wechat_resident("o-author").await;
    w.raise(&author, &[]).await;
    w.feed_webhooks().await;
    w.dns.set("hooks.partner.example", &["127.0.0.1", "::ffff:127.0.0.1"]);
    let logs = Logs::capture();
    let transport = Transport::Gateway { url: gateway.base.clone(), secret: SecretString::from(SECRET.to_owned()) };
    let worker = Worker::new(store, quick(), transport).expect("worker builds");

    let span = tracing::info_span!("probe", user_agent = %logs.marker());
    worker.run_once().instrument(span).await.expect("round");

    let message = w.messages().await.into_iter().find(|m| m.channel == Channel::Webhook).expect("queued");
    assert_eq!(message.status, MessageStatus::Dead, "not retried: the rule will not change its mind");
    let reason = message.last_error.unwrap_or_default();
    assert!(reason.contains("hooks.partner.example") && reason.contains("loopback"), "{reason}");
    assert!(gateway.received("/hooks/partner").is_empty(), "nothing connected to the refused address");
    let lines = logs.lines();
    assert!(lines.iter().any(|l| l.contains("WARN") && l.contains("dead-lettered")), "{lines:?}");
    assert!(lines.iter().all(|l| !l.contains("ERROR")), "{lines:?}");
});

on_both!(an_unknown_kind_is_refused_by_name_and_chosen_kinds_are_kept_as_values, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let kinds = ["accepted".to_owned(), "nope.kind".to_owned()];

    let refused = w.store.register_webhook(&w.admin, "x", "https://partner.example.cn/h", &kinds, None).await;
    let kinds = ["topic.vote_opened".to_owned(), "accepted".to_owned(), "topic.accepted".to_owned()];
    let (registered, _) =
        w.store.register_webhook(&w.admin, "x", "https://partner.example.cn/h", &kinds, None).await.expect("ok");

    let refused = refused.map(|_| ()).map_err(ApiError::from);
    assert_eq!(refused.as_ref().map_err(ApiError::code).err(), Some(Code::BadUserInput));
    assert!(format!("{refused:?}").contains("nope.kind"), "{refused:?}");
    assert_eq!(registered.kinds, ["topic.accepted", "topic.vote_opened"], "each kind once, as its wire code");
    let listed = w.store.webhooks(&w.admin).await.expect("webhooks");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].kinds, ["topic.accepted", "topic.vote_opened"]);
});

on_both!(replaying_an_endpoint_is_refused_over_the_api_to_all_but_city_administrators, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let staff = app.login_as("rc_staff").await;
    let officer = app.login_as("district_officer").await;
    let input = json!({ "input": { "name": "p", "url": "https://partner.example.cn/hooks" } });
    let registered = app
        .gql(
            Some(&admin),
            "mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id } } }",
            input,
        )
        .await;
    let id = registered["data"]["registerWebhook"]["webhook"]["id"].as_str().unwrap_or_else(|| panic!("{registered}"));
    let replay =
        "mutation($id: ID!) { replayWebhooks(endpointId: $id, fromSequence: 1) { queued throughSequence more } }";

    let by_staff = app.gql(Some(&staff), replay, json!({ "id": id })).await;
    let by_officer = app.gql(Some(&officer), replay, json!({ "id": id })).await;
    let by_admin = app.gql(Some(&admin), replay, json!({ "id": id })).await;

    assert_eq!(error_code(&by_staff), Some("FORBIDDEN"), "{by_staff}");
    assert_eq!(error_code(&by_officer), Some("FORBIDDEN"), "{by_officer}");
    assert!(by_admin.get("errors").is_none(), "{by_admin}");
    assert_eq!(by_admin["data"]["replayWebhooks"]["more"], false, "{by_admin}");
});
