//! Writing messages: a pipeline step queues its messages in its own transaction, addressed to the people
//! it concerns, on the channels they have; a step that fails queues nothing.

use std::collections::HashSet;

use gongzhi_domain::notify::{Channel, MessageStatus, NotificationKind};
use gongzhi_domain::vote::VoteKind;
use gongzhi_infra::votes::NewVote;
use gongzhi_tests::on_both;
use sea_orm::ConnectionTrait;

use crate::outbox_support::world;

on_both!(accepting_a_topic_queues_one_wechat_message_for_its_author_and_each_co_signer, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let co_signers = vec![w.wechat_resident("o-cosigner-1").await, w.wechat_resident("o-cosigner-2").await];
    let bystander = w.wechat_resident("o-bystander").await;
    let topic = w.raise(&author, &co_signers).await;
    assert!(w.messages().await.is_empty(), "submitting and co-signing notify no one");

    w.accept(topic).await;

    let messages = w.messages_about(topic).await;
    let people: HashSet<_> = messages.iter().filter_map(|m| m.person).collect();
    let raisers: HashSet<_> = [&author, &co_signers[0], &co_signers[1]].iter().map(|a| a.person).collect();
    assert_eq!(people, raisers, "the author and the co-signers, and no one else");
    assert!(!people.contains(&bystander.person));
    assert_eq!(messages.len(), 3, "one message each: {messages:?}");
    for message in &messages {
        assert_eq!(message.kind, NotificationKind::TopicAccepted.code());
        assert_eq!(message.channel, Channel::WechatSubscribe, "SMS and app push are off unless chosen");
        assert_eq!(message.status, MessageStatus::Queued);
        assert_eq!(message.attempts, 0);
        assert_eq!(message.created_at, w.clock_now());
    }
    let addresses: HashSet<_> = messages.iter().map(|m| m.address.as_str()).collect();
    assert_eq!(addresses, HashSet::from(["o-author", "o-cosigner-1", "o-cosigner-2"]), "addressed to the openids");
});

on_both!(people_without_a_wechat_identity_get_no_message_unless_they_chose_a_channel, |backend| async move {
    let Some(w) = world(backend).await else { return };
    // `owner` is a demo person; without their WeChat identity they have no address. `o-app` switched
    // app push on.
    let owner = crate::outbox_support::demo_actor(&w.store, "owner").await;
    w.store
        .connection()
        .execute_unprepared("DELETE FROM identities WHERE subject = 'demo_openid_owner'")
        .await
        .expect("identity removed");
    let app_user = w.wechat_resident("o-app").await;
    w.store
        .set_notification_preference(&app_user, NotificationKind::TopicAccepted, Channel::AppPush, true)
        .await
        .expect("preference set");
    let quiet = w.wechat_resident("o-quiet").await;
    w.store
        .set_notification_preference(&quiet, NotificationKind::TopicAccepted, Channel::WechatSubscribe, false)
        .await
        .expect("preference set");
    let topic = w.raise(&owner, &[app_user.clone(), quiet.clone()]).await;

    w.accept(topic).await;

    let mut got: Vec<_> = w.messages_about(topic).await.into_iter().map(|m| (m.person, m.channel)).collect();
    got.sort();
    let mut expected =
        vec![(Some(app_user.person), Channel::WechatSubscribe), (Some(app_user.person), Channel::AppPush)];
    expected.sort();
    assert_eq!(got, expected, "no address for `owner`; `o-quiet` switched WeChat off");
});

on_both!(an_accept_that_is_refused_queues_nothing, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let co_signer = w.wechat_resident("o-cosigner").await;
    let topic = w.raise(&author, std::slice::from_ref(&co_signer)).await;

    let by_resident = w.accept_as(&author, topic).await;

    assert!(matches!(by_resident, Err(gongzhi_infra::Error::Denied(_))), "a resident may not triage: {by_resident:?}");
    assert!(w.messages().await.is_empty(), "a forbidden step writes no messages");
});

on_both!(accepting_a_topic_twice_queues_the_messages_once, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;

    let again = w.accept_as(&w.staff, topic).await;

    assert!(again.is_err(), "a topic is accepted once: {again:?}");
    assert_eq!(w.messages_about(topic).await.len(), 1, "the refused second step added nothing");
});

/// A household vote on a topic of 锦绣花园, opening now and closing in a week.
fn household_vote(w: &crate::outbox_support::World, topic: gongzhi_domain::ids::TopicId) -> NewVote {
    let now = w.clock_now();
    NewVote {
        topic,
        kind: VoteKind::Household,
        title: "楼道灯改造方案表决".into(),
        opens_at: now,
        closes_at: now + chrono::Duration::days(7),
        hide_results: false,
        invitees: Vec::new(),
    }
}

on_both!(opening_a_vote_queues_a_message_for_everyone_on_its_roll, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let neighbours = [w.wechat_resident("o-neighbour-1").await, w.wechat_resident("o-neighbour-2").await];
    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;

    w.store.open_vote(&w.staff, household_vote(&w, topic)).await.expect("vote opened");

    let opened: Vec<_> =
        w.messages_about(topic).await.into_iter().filter(|m| m.kind == NotificationKind::VoteOpened.code()).collect();
    let on_the_roll: HashSet<_> = opened.iter().filter_map(|m| m.person).collect();
    for resident in [&author, &neighbours[0], &neighbours[1]] {
        assert!(on_the_roll.contains(&resident.person), "every resident of the compound may vote");
    }
    let resident = gongzhi_infra::demo::cast_id("resident").expect("demo resident");
    assert!(on_the_roll.contains(&resident), "the demo residents of the compound too: {on_the_roll:?}");
    assert_eq!(opened.len(), on_the_roll.len(), "one message a person, however many units they hold");
    assert!(opened.iter().all(|m| m.channel == Channel::WechatSubscribe));
});

on_both!(a_vote_a_resident_may_not_open_queues_nothing, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;
    let before = w.messages().await.len();

    let by_resident = w.store.open_vote(&author, household_vote(&w, topic)).await;

    assert!(by_resident.is_err(), "only the topic's leads open votes");
    assert_eq!(w.messages().await.len(), before, "the refused step wrote no messages");
});

on_both!(an_acceptance_rolled_back_takes_its_messages_with_it, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let author = w.wechat_resident("o-author").await;
    let topic = w.raise(&author, &[]).await;
    // The request-wide transaction a mutation runs in when it must be all-or-nothing.
    let work = w.store.unit_of_work().await.expect("unit of work");
    let plan = crate::outbox_support::online_plan();
    work.accept_topic(&w.staff, topic, plan, None).await.expect("accepted inside the unit of work");
    let inside = work.outbox_messages(&w.admin, &Default::default(), None, 100).await.expect("messages");

    work.finish(false).await.expect("rolled back");

    assert_eq!(inside.len(), 1, "queued in the step's own transaction");
    assert!(w.messages().await.is_empty(), "the rollback took the message with the acceptance");
    let still = w.store.topic(&w.staff, topic).await.expect("topic");
    assert_eq!(still.topic.state.code(), "awaiting_triage");
});
