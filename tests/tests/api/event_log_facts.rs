//! Facts beyond the timeline recorded in the event log, each with its wire kind: role grants, votes and
//! ballots (the choice only where the vote tells it), and a rating, whose comment is kept apart.

use gongzhi_domain::vote::{Choice, VoteKind};
use gongzhi_infra::event_log::{Audience, LoggedEvent};
use gongzhi_infra::votes::{CastAs, NewVote};
use gongzhi_tests::on_both;

use crate::event_log_support::events_after;
use crate::outbox_support::world;

fn of_kind<'a>(events: &'a [LoggedEvent], kind: &str) -> Vec<&'a LoggedEvent> {
    events.iter().filter(|e| e.kind == kind).collect()
}

on_both!(grants_votes_and_ballots_are_logged_and_a_secret_choice_is_not, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let head = w.store.log_head().await.expect("head");
    let author = w.wechat_resident("o-author").await;
    let neighbour = w.wechat_resident("o-neighbour").await;

    let events = events_after(&w.store, head).await;
    let granted = of_kind(&events, "role.granted");
    assert_eq!(granted.len(), 2, "one grant each: {events:?}");
    assert_eq!(granted[0].payload["person"], serde_json::json!(author.person.as_uuid()));
    assert_eq!(granted[0].payload["role"], "resident");
    assert_eq!(granted[0].audience, Audience::Staff);

    let topic = w.raise(&author, &[]).await;
    w.accept(topic).await;
    let now = w.clock_now();
    let input = |title: &str| NewVote {
        topic,
        kind: VoteKind::Household,
        title: title.into(),
        opens_at: now,
        closes_at: now + chrono::Duration::days(7),
        hide_results: false,
        invitees: Vec::new(),
    };
    let open = w.store.open_vote(&w.staff, input("楼道灯改造方案表决")).await.expect("vote opened");
    let head = w.store.log_head().await.expect("head");
    let myself = CastAs::Myself { household: None };
    w.store.cast_ballot(&author, open.id, Choice::For, myself.clone()).await.expect("cast");
    w.store.cast_ballot(&author, open.id, Choice::Against, myself.clone()).await.expect("cast again");
    let events = events_after(&w.store, head).await;
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["ballot.cast", "ballot.superseded"]);
    assert_eq!(events[0].vote, Some(open.id));
    assert_eq!(events[0].topic, Some(topic));
    assert_eq!(events[0].audience, Audience::Participants);
    assert_eq!(events[0].payload["choice"], "for", "an open ballot's choice is told");
    assert_eq!(events[1].payload["choice"], "against");

    let secret = w.store.open_vote(&w.staff, input("外墙粉刷颜色表决")).await.expect("vote opened");
    w.store.set_ballot_secrecy(&w.staff, secret.id, true).await.expect("secret");
    let head = w.store.log_head().await.expect("head");
    w.store.cast_ballot(&neighbour, secret.id, Choice::For, myself).await.expect("cast");
    let events = events_after(&w.store, head).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "ballot.cast");
    assert!(events[0].payload.get("choice").is_none_or(serde_json::Value::is_null), "{:?}", events[0].payload);
    assert!(!events[0].payload.to_string().contains("\"for\""), "a secret ballot's choice is nowhere in the log");

    let opened = of_kind(&events_after(&w.store, 0).await, "vote.opened").len();
    assert!(opened >= 2, "each vote opened is logged");

    let head = w.store.log_head().await.expect("head");
    w.advance(8 * 24 * 3600);
    w.store.supervise(chrono::Duration::days(3)).await.expect("scheduler round");
    w.store.supervise(chrono::Duration::days(3)).await.expect("another round");
    let events = events_after(&w.store, head).await;
    let closed = of_kind(&events, "vote.closed");
    let votes: Vec<_> = closed.iter().map(|e| e.vote).collect();
    assert!(votes.contains(&Some(open.id)) && votes.contains(&Some(secret.id)), "each close is logged: {events:?}");
    assert_eq!(closed.iter().filter(|e| e.vote == Some(open.id)).count(), 1, "once, however many rounds");
    for event in closed {
        assert!(["passed", "failed", "invalid"].contains(&event.payload["verdict"].as_str().unwrap_or("")));
        assert_eq!(event.audience, Audience::Public);
    }
});
