//! Partners' webhooks: an endpoint registered by the city administrator receives the public steps of
//! topics, signed with its own secret, and never a staff-only step.

use gongzhi_api::error::{ApiError, Code};
use gongzhi_domain::notify::{Channel, MessageStatus};
use gongzhi_tests::fake_gateway::FakeGateway;
use gongzhi_tests::on_both;

use crate::outbox_support::{SECRET, quick, world};

on_both!(a_registered_endpoint_receives_each_public_event_signed_and_no_staff_only_event, |backend| async move {
    let Some(w) = world(backend).await else { return };
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
    let mut events: Vec<_> = hooks.iter().map(|a| a.body["event"].as_str().unwrap_or_default().to_owned()).collect();
    // Messages go out concurrently, so partners order events by their `at`, not by arrival.
    events.sort();
    assert_eq!(events, ["accepted", "submitted"], "the public steps, and not `co_signed`");
    assert!(hooks.iter().all(|a| a.signed), "signed with the endpoint's own secret");
    assert_eq!(gateway.bad_signatures(), 0);
    for hook in &hooks {
        assert_eq!(hook.body["topicId"], topic.as_uuid().to_string());
        assert_eq!(hook.body["id"], hook.key.as_str(), "the key is the message id");
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
        .map(|a| a.body["event"].as_str().unwrap_or_default().to_owned())
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
