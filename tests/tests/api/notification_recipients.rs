//! Who a notice reaches, through storage: a vote's non-voters a day before it closes, once; a task's
//! party, as the policy decides who acts for it.

use std::collections::BTreeMap;

use chrono::Duration;
use gongzhi_domain::clock::Clock;
use gongzhi_domain::ids::{PlaceId, TopicId};
use gongzhi_domain::notify::{Channel, NotificationKind};
use gongzhi_domain::topic::{Party, PlanDraft};
use gongzhi_domain::vote::{Choice, VoteKind};
use gongzhi_infra::outbox::OutboxFilter;
use gongzhi_infra::topics::{NewTask, NewTopic, Standing};
use gongzhi_tests::on_both;

use crate::outbox_support::online_plan;
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

on_both!(a_task_is_told_to_the_people_who_may_act_for_its_party, |backend| async move {
    // Arrange: 锦绣花园's owners' committee has 3 of 7 seats filled, so the residents' committee acts for
    // it (代行).
    let Some(w) = world(backend).await else { return };
    let jinxiu = compound(&w, "锦绣花园").await;
    let officer = demo_actor(&w.store, "street_officer").await;
    w.store.set_owners_committee(&officer, jinxiu, Some(7)).await.expect("seats raised");

    // Act: a topic there gets one task for each of the five parties.
    let topic = implement(&w, jinxiu, "owner", &Party::ALL).await;

    // Assert: community staff hear of three tasks (party organisation, residents' and owners' committee),
    // and only they may act for the owners' committee while it is under half.
    let expected = [
        ("building_leader", 1),
        ("party_secretary", 3),
        ("property_manager", 1),
        ("property_staff", 1),
        ("rc_staff", 3),
    ];
    assert_eq!(told(&w, topic).await, BTreeMap::from(expected));
    let record = w.store.topic(&w.staff, topic).await.expect("the topic");
    let place = record.topic.place.id();
    let contexts = w.store.place_contexts(&[place]).await.expect("its place");
    let standing = Standing::of(&w.staff, topic, &contexts[&place]).expect("staff see it");
    let committee_task = w
        .store
        .tasks_of(&[standing])
        .await
        .expect("tasks")
        .remove(&standing)
        .unwrap_or_default()
        .into_iter()
        .find(|t| t.owner == Party::OwnersCommittee)
        .expect("the owners' committee's task");
    let chair = demo_actor(&w.store, "oc_chair").await;
    let by_chair = w.store.report_task_progress(&chair, committee_task.id, "已联系施工队", Vec::new()).await;
    let by_staff = w.store.report_task_progress(&w.staff, committee_task.id, "已联系施工队", Vec::new()).await;
    assert!(by_chair.is_err(), "the chair is not told, and may not act: {by_chair:?}");
    assert!(by_staff.is_ok(), "{by_staff:?}");
});

on_both!(a_task_for_a_missing_party_is_told_to_whoever_acts_for_it_or_to_nobody, |backend| async move {
    // Arrange: 老街小院 has no owners' committee and no property company.
    let Some(w) = world(backend).await else { return };
    let laojie = compound(&w, "老街小院").await;

    // Act
    let topic = implement(&w, laojie, "old_owner", &[Party::OwnersCommittee, Party::PropertyCompany]).await;

    // Assert: community staff act for the missing committee; no property company, nobody to tell.
    assert_eq!(told(&w, topic).await, BTreeMap::from([("party_secretary", 1), ("rc_staff", 1)]));
});

async fn compound(w: &World, name: &str) -> PlaceId {
    let compounds = w.store.children(Some(w.community), None, 50).await.expect("compounds");
    compounds.into_iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no compound {name}")).id()
}

/// A topic about `place` raised by the demo person `author`, accepted, resolved and implemented with one
/// task for each of `parties`.
async fn implement(w: &World, place: PlaceId, author: &str, parties: &[Party]) -> TopicId {
    let author = demo_actor(&w.store, author).await;
    let category = w.store.catalogue(w.community, false).await.expect("catalogue")[0].id;
    let new_topic = NewTopic {
        place,
        category,
        round: None,
        title: "北门路面塌陷".into(),
        description: "北门内路面塌陷，雨后积水。".into(),
        location: None,
        photos: Vec::new(),
    };
    let topic = w.store.submit_topic(&author, new_topic).await.expect("submitted").topic.id;
    let plan = PlanDraft { parties: parties.to_vec(), ..online_plan() };
    w.store.accept_topic(&w.staff, topic, plan, None).await.expect("accepted");
    w.store.resolve_topic(&w.staff, topic, "修复路面", "各方一致同意。", None).await.expect("resolved");
    let due_at = w.clock.now() + Duration::days(14);
    let tasks = parties
        .iter()
        .map(|owner| NewTask {
            owner: *owner,
            title: format!("{}的任务", owner.as_str()),
            criteria: "完成".into(),
            due_at,
        })
        .collect();
    w.store.start_implementation(&w.staff, topic, tasks).await.expect("implementation started");
    topic
}

/// How many task messages about the topic each member of the demo cast got.
async fn told(w: &World, topic: TopicId) -> BTreeMap<&'static str, usize> {
    let admin = demo_actor(&w.store, "city_admin").await;
    let filter = OutboxFilter { topic: Some(topic), ..OutboxFilter::default() };
    let messages = w.store.outbox_messages(&admin, &filter, None, 100).await.expect("messages");
    let mut told = BTreeMap::new();
    for member in gongzhi_infra::demo::CAST {
        let person = gongzhi_infra::demo::cast_id(member.handle).expect("cast");
        let count = messages.iter().filter(|m| m.kind == "task_assigned" && m.person == Some(person)).count();
        if count > 0 {
            told.insert(member.handle, count);
        }
    }
    told
}
