//! Partners' webhooks: an endpoint registered by the city administrator receives the public steps of
//! topics in the Standard Webhooks format — verified here by the reference library, as a partner would —
//! and never a staff-only step.

use gongzhi_api::error::{ApiError, Code};
use gongzhi_domain::notify::{Channel, MessageStatus};
use gongzhi_tests::fake_gateway::FakeGateway;
use gongzhi_tests::on_both;

use crate::outbox_support::{SECRET, quick, world};

on_both!(a_registered_endpoint_receives_each_public_event_signed_and_no_staff_only_event, |backend| async move {
    let Some(w) = world(backend).await else { return };
    w.clock_to_wall_time();
    let gateway = FakeGateway::start(SECRET).await;
    let url = gateway.webhook_url("partner");
    let (endpoint, secret) =
        w.store.register_webhook(&w.admin, "街道网格平台", &url, &[], None).await.expect("registered");
    gateway.add_webhook("partner", &secret);
    let author = w.wechat_resident("o-author").await;
    let co_signer = w.wechat_resident("o-cosigner").await;
    // Submitted (public), co-signed (staff only: who supports what is personal), accepted (public).
    let topic = w.raise(&author, std::slice::from_ref(&co_signer)).await;
    w.accept(topic).await;

    w.worker(&gateway, quick()).run_once().await.expect("round");

    let hooks: Vec<_> = gateway.arrivals().into_iter().filter(|a| a.path == "/hooks/partner").collect();
    let mut events: Vec<_> = hooks.iter().map(|a| a.body["type"].as_str().unwrap_or_default().to_owned()).collect();
    // Messages go out concurrently, so partners order events by their `timestamp`, not by arrival.
    events.sort();
    assert_eq!(events, ["accepted", "submitted"], "the public steps, and not `co_signed`");
    assert!(hooks.iter().all(|a| a.signed), "verified by standardwebhooks with the endpoint's secret");
    assert_eq!(gateway.bad_signatures(), 0);
    for hook in &hooks {
        assert_eq!(hook.body["data"]["topicId"], topic.as_uuid().to_string());
        assert!(hook.key.starts_with("msg_"), "a webhook-id: {}", hook.key);
        assert_eq!(hook.timestamp, Some(w.clock_now().timestamp()), "stamped by the injected clock");
        let at = hook.body["timestamp"].as_str().unwrap_or_default();
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "an RFC 3339 timestamp: {at}");
        let text = hook.body.to_string();
        for person in [author.person, co_signer.person] {
            assert!(!text.contains(&person.as_uuid().to_string()), "no one is named: {text}");
        }
    }
    let webhooks: Vec<_> = w.messages().await.into_iter().filter(|m| m.channel == Channel::Webhook).collect();
    assert_eq!(webhooks.len(), 2);
    assert!(webhooks.iter().all(|m| m.status == MessageStatus::Sent && m.endpoint == Some(endpoint.id)));
    assert!(webhooks.iter().all(|m| m.last_error.is_none()), "no consent is needed for a partner");
});

on_both!(a_secret_is_whsec_and_32_bytes_and_a_wrong_secret_does_not_verify, |backend| async move {
    let Some(w) = world(backend).await else { return };
    w.clock_to_wall_time();
    let gateway = FakeGateway::start(SECRET).await;
    let (_, secret) = w
        .store
        .register_webhook(&w.admin, "partner", &gateway.webhook_url("partner"), &[], None)
        .await
        .expect("registered");
    // The partner holds another endpoint's secret: the stock verifier must refuse what arrives.
    let (_, other) = w
        .store
        .register_webhook(&w.admin, "other", &gateway.webhook_url("other"), &[], None)
        .await
        .expect("registered");
    gateway.add_webhook("partner", &other);
    let author = w.wechat_resident("o-author").await;
    w.raise(&author, &[]).await;

    w.worker(&gateway, quick()).run_once().await.expect("round");

    let key = secret.strip_prefix("whsec_").expect("a whsec_ secret");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(key).expect("base64");
    assert_eq!(bytes.len(), 32);
    assert!(gateway.bad_signatures() >= 1, "a signature under another secret does not verify");
});

on_both!(an_endpoint_that_chose_kinds_receives_only_those, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let url = gateway.webhook_url("accepted-only");
    let kinds = ["accepted".to_owned()];
    let (_, secret) = w.store.register_webhook(&w.admin, "受理通知", &url, &kinds, None).await.expect("registered");
    gateway.add_webhook("accepted-only", &secret);
    let author = w.wechat_resident("o-author").await;
    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;

    w.worker(&gateway, quick()).run_once().await.expect("round");

    let events: Vec<_> = gateway
        .arrivals()
        .into_iter()
        .filter(|a| a.path == "/hooks/accepted-only")
        .map(|a| a.body["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(events, ["accepted"]);
});

on_both!(only_the_city_administrator_registers_an_endpoint, |backend| async move {
    let Some(w) = world(backend).await else { return };

    let by_staff = w.store.register_webhook(&w.staff, "partner", "https://partner.example.cn/hook", &[], None).await;

    assert_eq!(by_staff.map(|_| ()).map_err(|e| ApiError::from(e).code()), Err(Code::Forbidden));
    assert!(w.store.webhooks(&w.admin).await.expect("webhooks").is_empty());
});

on_both!(a_message_for_a_disabled_endpoint_is_dead_lettered_with_the_reason, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let url = gateway.webhook_url("partner");
    let (endpoint, secret) = w.store.register_webhook(&w.admin, "partner", &url, &[], None).await.expect("registered");
    gateway.add_webhook("partner", &secret);
    let author = w.wechat_resident("o-author").await;
    w.raise(&author, &[]).await;

    w.store.disable_webhook(&w.admin, endpoint.id).await.expect("disabled");
    w.worker(&gateway, quick()).run_once().await.expect("round");

    let message = w.messages().await.into_iter().find(|m| m.channel == Channel::Webhook).expect("queued before");
    assert_eq!(message.status, MessageStatus::Dead);
    assert_eq!(message.last_error.as_deref(), Some("the webhook endpoint was removed or disabled"));
    assert!(gateway.arrivals().is_empty(), "nothing was posted to it");
});
