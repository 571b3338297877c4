//! Topic steps recorded in the event log: in the wire type, with the topic's place path, the audience of
//! the timeline, free text apart; a step that rolls back leaves no event.

use gongzhi_infra::event_log::{Audience, EventFilter};
use gongzhi_tests::on_both;

use crate::event_log_support::events_after;
use crate::outbox_support::world;

on_both!(topic_steps_are_logged_in_order_with_their_place_and_texts_apart, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let co_signer = w.wechat_resident("o-co").await;
    let head = w.store.log_head().await.expect("head");

    let topic = w.raise(&author, std::slice::from_ref(&co_signer)).await;
    w.store.reject_topic(&w.staff, topic, "不属于本社区议事范围，请向街道反映").await.expect("rejected");

    let events = events_after(&w.store, head).await;
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["topic.submitted", "topic.co_signed", "topic.rejected"]);
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [head + 1, head + 2, head + 3], "one seq each, without holes");
    assert_eq!(w.store.log_head().await.expect("head"), head + 3);
    for event in &events {
        assert_eq!(event.topic, Some(topic));
        assert_eq!(event.schema_version, 1);
        assert_eq!(event.place, Some(w.compound));
        assert_eq!(event.place_path.last(), Some(&w.compound.as_uuid()), "the place itself last");
        assert_eq!(event.place_path.len(), 5, "city, district, street, community, compound");
        assert_eq!(event.at, w.clock_now());
        assert!(event.payload.get("seq").is_none(), "the seq is the row's, not the payload's");
    }
    assert_eq!(events[1].actor, Some(co_signer.person));
    assert_eq!(events[1].audience, Audience::Staff, "who co-signs is not public");
    assert_eq!(events[2].audience, Audience::Public);
    // The step carries the deadline it was taken against (decision 157), and no text.
    let mut payload = events[2].payload.clone();
    let due = payload.as_object_mut().and_then(|fields| fields.remove("due")).unwrap_or_default();
    assert_eq!(payload, serde_json::json!({"kind": "topic.rejected", "texts": ["reason"]}));
    assert_eq!(due["kind"], "triage", "{due}");
    assert!(due["at"].as_str().is_some_and(|at| at > events[2].at.to_rfc3339().as_str()), "{due}");
    assert!(!events[2].payload.to_string().contains("街道"), "no free text in the payload");
    let texts = w.store.event_texts(&[events[2].id]).await.expect("texts");
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].field, "reason");
    assert_eq!(texts[0].body.as_deref(), Some("不属于本社区议事范围，请向街道反映"));

    let within = EventFilter { within: Some(w.compound), ..EventFilter::default() };
    assert_eq!(w.store.events_after(head, 100, &within).await.expect("events").len(), 3);
    let elsewhere = EventFilter { within: Some(gongzhi_domain::ids::PlaceId::from_uuid(uuid::Uuid::nil())), ..within };
    assert!(w.store.events_after(head, 100, &elsewhere).await.expect("events").is_empty());
});

on_both!(a_step_in_a_unit_of_work_that_rolls_back_leaves_no_event, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let co_signer = w.wechat_resident("o-co").await;
    let topic = w.raise(&author, &[]).await;
    let head = w.store.log_head().await.expect("head");

    let work = w.store.unit_of_work().await.expect("unit of work");
    work.co_sign_topic(&co_signer, topic).await.expect("co-signed inside the unit");
    work.finish(false).await.expect("rolled back");
    assert!(events_after(&w.store, head).await.is_empty(), "the step rolled back, and its event with it");
    assert_eq!(w.store.log_head().await.expect("head"), head, "no seq was taken");

    let work = w.store.unit_of_work().await.expect("unit of work");
    work.co_sign_topic(&co_signer, topic).await.expect("co-signed inside the unit");
    if backend == gongzhi_tests::Backend::Postgres {
        // (SQLite's one connection is the unit's until it ends.)
        assert!(events_after(&w.store, head).await.is_empty(), "nothing in the log before the outer commit");
    }
    work.finish(true).await.expect("committed");
    let events = events_after(&w.store, head).await;
    assert_eq!(events.iter().map(|e| (e.seq, e.kind.as_str())).collect::<Vec<_>>(), [(head + 1, "topic.co_signed")]);
});
