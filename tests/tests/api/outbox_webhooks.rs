//! Partners' webhooks: an endpoint registered by the city administrator receives the public steps of
//! topics in the Standard Webhooks format — verified here by the reference library, as a partner would —
//! and never a staff-only step.

use gongzhi_api::error::{ApiError, Code};
use gongzhi_domain::notify::{Channel, MessageStatus};
use gongzhi_domain::place::PlaceKind;
use gongzhi_infra::places::PlaceInput;
use gongzhi_tests::fake_gateway::{FakeGateway, Mode};
use gongzhi_tests::on_both;

use crate::outbox_support::{SECRET, quick, sorted, world};

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
    // Public facts that are not a topic's steps are the platform's own: a place created, a role granted.
    let input = PlaceInput { name: "9号楼".to_owned(), ..PlaceInput::default() };
    w.store.create_place(&w.admin, w.compound, PlaceKind::Building, input).await.expect("a building");

    w.feed_webhooks().await;
    w.deliver(&w.worker(&gateway, quick())).await;

    let hooks: Vec<_> = gateway.arrivals().into_iter().filter(|a| a.path == "/hooks/partner").collect();
    let mut events: Vec<_> = hooks.iter().map(|a| a.body["type"].as_str().unwrap_or_default().to_owned()).collect();
    // Messages go out concurrently, so partners order events by their `timestamp`, not by arrival.
    events.sort();
    assert_eq!(events, ["topic.accepted", "topic.submitted"], "the public steps, and not `topic.co_signed`");
    assert!(hooks.iter().all(|a| a.signed), "verified by standardwebhooks with the endpoint's secret");
    assert_eq!(gateway.bad_signatures(), 0);
    for hook in &hooks {
        assert_eq!(hook.body["data"]["topicId"], topic.as_uuid().to_string());
        assert!(hook.key.starts_with("msg_"), "a webhook-id: {}", hook.key);
        assert_eq!(hook.timestamp, Some(w.clock_now().timestamp()), "stamped by the injected clock");
        let at = hook.body["timestamp"].as_str().unwrap_or_default();
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "an RFC 3339 timestamp: {at}");
        let text = hook.body.to_string();
        assert!(!text.contains("invitedPeople"), "who was invited is counted, not named: {text}");
        for person in [author.person, co_signer.person, w.staff.person] {
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

    w.feed_webhooks().await;
    w.deliver(&w.worker(&gateway, quick())).await;

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

    w.feed_webhooks().await;
    w.deliver(&w.worker(&gateway, quick())).await;

    let events: Vec<_> = gateway
        .arrivals()
        .into_iter()
        .filter(|a| a.path == "/hooks/accepted-only")
        .map(|a| a.body["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(events, ["topic.accepted"]);
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
    w.feed_webhooks().await;

    w.store.disable_webhook(&w.admin, endpoint.id).await.expect("disabled");
    w.deliver(&w.worker(&gateway, quick())).await;

    let message = w.messages().await.into_iter().find(|m| m.channel == Channel::Webhook).expect("queued before");
    assert_eq!(message.status, MessageStatus::Dead);
    assert_eq!(message.last_error.as_deref(), Some("the webhook endpoint was removed or disabled"));
    assert!(gateway.arrivals().is_empty(), "nothing was posted to it");
});

/// The `sequence` of each message an endpoint took, in the order it took them, and `previousSequence`.
fn sequences(gateway: &FakeGateway, path: &str) -> Vec<(i64, Option<i64>)> {
    let taken = gateway.taken();
    let arrivals = gateway.arrivals();
    taken
        .iter()
        .filter_map(|key| arrivals.iter().find(|a| &a.key == key && a.path == path))
        .map(|a| (a.body["data"]["sequence"].as_i64().unwrap_or(-1), a.body["data"]["previousSequence"].as_i64()))
        .collect()
}

on_both!(an_endpoint_takes_its_events_in_log_order_each_naming_the_one_before, |backend| async move {
    let Some(w) = world(backend).await else { return };
    w.clock_to_wall_time();
    let gateway = FakeGateway::start(SECRET).await;
    let (_, secret) =
        w.store.register_webhook(&w.admin, "p", &gateway.webhook_url("p"), &[], None).await.expect("registered");
    gateway.add_webhook("p", &secret);
    let author = w.wechat_resident("o-author").await;
    for _ in 0..3 {
        let topic = w.raise(&author, &[]).await;
        w.accept(topic).await;
    }
    w.feed_webhooks().await;
    let worker = w.worker(&gateway, quick());

    w.deliver(&worker).await;

    let seen = sequences(&gateway, "/hooks/p");
    assert_eq!(seen.len(), 6, "three submissions and three acceptances: {seen:?}");
    assert_eq!(seen[0].1, None, "the endpoint's first event has none before it");
    for pair in seen.windows(2) {
        assert!(pair[0].0 < pair[1].0, "taken in log order: {seen:?}");
        assert_eq!(pair[1].1, Some(pair[0].0), "each names the one before: {seen:?}");
    }
});

on_both!(an_endpoint_scoped_elsewhere_receives_nothing_of_this_place, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let cities = w.store.children(None, None, 100).await.expect("cities");
    let input = PlaceInput { name: "复兴区".to_owned(), ..PlaceInput::default() };
    let elsewhere =
        w.store.create_place_as_operator(cities[0].id(), PlaceKind::District, input).await.expect("a district");
    let url = gateway.webhook_url("elsewhere");
    let (_, secret) =
        w.store.register_webhook(&w.admin, "elsewhere", &url, &[], Some(elsewhere)).await.expect("registered");
    gateway.add_webhook("elsewhere", &secret);
    let author = w.wechat_resident("o-author").await;
    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;

    w.feed_webhooks().await;
    w.deliver(&w.worker(&gateway, quick())).await;

    assert!(gateway.received("/hooks/elsewhere").is_empty());
    assert!(w.messages().await.iter().all(|m| m.channel != Channel::Webhook), "nothing was queued for it");
});

on_both!(a_partner_that_was_down_gets_the_missed_events_again_in_order_under_their_ids, |backend| async move {
    let Some(w) = world(backend).await else { return };
    w.clock_to_wall_time();
    let gateway = FakeGateway::start(SECRET).await;
    let (endpoint, secret) =
        w.store.register_webhook(&w.admin, "p", &gateway.webhook_url("p"), &[], None).await.expect("registered");
    gateway.add_webhook("p", &secret);
    let author = w.wechat_resident("o-author").await;
    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;
    w.feed_webhooks().await;
    gateway.set_mode(Mode::Fail);
    let worker = w.worker(&gateway, quick());
    // Down: every attempt fails until the messages are dead letters, on the injected clock.
    for _ in 0..40 {
        worker.run_once().await.expect("round");
        w.advance(2);
    }
    let dead: Vec<_> = w.messages().await.into_iter().filter(|m| m.channel == Channel::Webhook).collect();
    assert!(dead.iter().all(|m| m.status == MessageStatus::Dead), "{:?}", w.statuses().await);
    let first_ids = sorted(gateway.received("/hooks/p")).into_iter().collect::<std::collections::BTreeSet<_>>();
    let missed_from =
        gateway.arrivals().iter().filter_map(|a| a.body["data"]["sequence"].as_i64()).min().expect("attempts arrived");
    gateway.set_mode(Mode::Accept);

    let replay = w.store.replay_webhooks(&w.admin, endpoint.id, missed_from).await.expect("replayed");
    w.deliver(&worker).await;

    assert_eq!(replay.queued, 2, "{replay:?}");
    assert!(!replay.more);
    let seen = sequences(&gateway, "/hooks/p");
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[0].0 < seen[1].0, "in order: {seen:?}");
    assert_eq!(replay.through, Some(seen[1].0));
    let taken: std::collections::BTreeSet<_> = gateway.taken().into_iter().collect();
    assert_eq!(taken, first_ids, "the same webhook-ids as the attempts that failed, so a receiver deduplicates");
});

on_both!(only_a_city_administrator_replays_an_endpoint, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let (endpoint, _) = w
        .store
        .register_webhook(&w.admin, "p", "https://partner.example.cn/hooks", &[], None)
        .await
        .expect("registered");
    let author = w.wechat_resident("o-author").await;
    w.raise(&author, &[]).await;

    let by_staff = w.store.replay_webhooks(&w.staff, endpoint.id, 1).await;
    let by_resident = w.store.replay_webhooks(&author, endpoint.id, 1).await;

    assert_eq!(by_staff.map(|_| ()).map_err(|e| ApiError::from(e).code()), Err(Code::Forbidden));
    assert_eq!(by_resident.map(|_| ()).map_err(|e| ApiError::from(e).code()), Err(Code::Forbidden));
    assert!(w.messages().await.iter().all(|m| m.channel != Channel::Webhook), "nothing was queued");
});
