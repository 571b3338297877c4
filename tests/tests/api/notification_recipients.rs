//! Who a notice reaches, through storage: a vote's non-voters a day before it closes, once.

use chrono::Duration;
use gongzhi_domain::notify::{Channel, NotificationKind};
use gongzhi_domain::vote::{Choice, VoteKind};
use gongzhi_infra::outbox::OutboxFilter;
use gongzhi_tests::on_both;

use crate::votes_support::*;

on_both!(a_day_before_a_vote_closes_those_who_have_not_voted_are_reminded_once, |backend| async move {
    // Arrange: 101 has 甲 (owner) and the demo resident; 102 has 乙. 乙 wants SMS for this kind.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "提醒小区",
        &[
            line("1号楼", "101", "88.00", Some(("甲业主", "13719000011"))),
            line("1号楼", "102", "88.00", Some(("乙业主", "13719000012"))),
        ],
    )
    .await;
    let resident = gongzhi_infra::demo::cast_id("resident").expect("resident");
    w.store
        .grant_role_as_operator(resident, gongzhi_domain::role::Role::Resident, compound.unit("1号楼", "101"))
        .await
        .expect("resident moves in");
    let (jia, yi) = (compound.owner("13719000011"), compound.owner("13719000012"));
    let yi_actor = w.store.actor(yi).await.expect("乙");
    w.store
        .set_notification_preference(&yi_actor, NotificationKind::VoteClosing, Channel::Sms, true)
        .await
        .expect("set");
    let topic = topic_under_deliberation(&w, &compound, jia).await;
    let mut input = new_vote(&w, topic, VoteKind::Household);
    input.closes_at = input.opens_at + Duration::hours(30);
    let vote = w.store.open_vote(&w.staff, input).await.expect("vote opened");
    cast(&w, jia, &vote, Choice::For).await;
    let admin = demo_actor(&w.store, "city_admin").await;
    let closing = |all: Vec<gongzhi_infra::outbox::OutboxMessage>| {
        all.into_iter().filter(|m| m.kind == "vote_closing").collect::<Vec<_>>()
    };
    let filter = OutboxFilter { topic: Some(topic), ..OutboxFilter::default() };

    // Act: a round at 8 hours (22 left) reminds; the next round does not remind again.
    let early = w.store.supervise(Duration::days(3)).await.expect("round");
    let before = closing(w.store.outbox_messages(&admin, &filter, None, 100).await.expect("list"));
    w.clock.advance(Duration::hours(8));
    let first = w.store.supervise(Duration::days(3)).await.expect("round");
    let second = w.store.supervise(Duration::days(3)).await.expect("round");
    let after = closing(w.store.outbox_messages(&admin, &filter, None, 100).await.expect("list"));

    // Assert
    assert_eq!(early.closing_notices, 0);
    assert!(before.is_empty(), "{before:?}");
    assert_eq!((first.closing_notices, second.closing_notices), (1, 0));
    let to: Vec<_> = after.iter().map(|m| (m.person.expect("a person"), m.channel)).collect();
    assert!(to.contains(&(resident, Channel::WechatSubscribe)), "{to:?}");
    assert!(to.contains(&(yi, Channel::Sms)), "{to:?}");
    assert!(!to.iter().any(|(person, _)| *person == jia), "甲 voted: {to:?}");
    assert_eq!(after.len(), 2, "{to:?}");
});
