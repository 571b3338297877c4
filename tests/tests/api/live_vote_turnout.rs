//! `voteProgress` while a vote hides its results until the close: its turnout (heads and area) is sent as
//! ballots come in, its choices never.

use gongzhi_tests::live::{connect, next, subscribe};
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

const PROGRESS: &str = "subscription($v: ID!) { voteProgress(voteId: $v) { seq vote { id hideResults
  turnout { ballots heads areaM2 electorateHeads electorateAreaM2 } result { counts { choice count } } } } }";

on_both!(a_hidden_vote_s_progress_shows_its_turnout_and_never_its_choices, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = crate::votes_support::jinxiu_topic(&app, &staff).await;
    let now = gongzhi_domain::clock::Clock::now(app.clock.as_ref());
    let opened = app
        .gql(
            Some(&staff),
            "mutation($i: OpenVoteInput!) { openVote(input: $i) { vote { id } } }",
            json!({ "i": { "topicId": topic, "type": "OWNERS", "matter": "OTHER_MAJOR_MATTER", "title": "更换楼道灯",
                "hideResults": true,
                "opensAt": now.to_rfc3339(), "closesAt": (now + chrono::Duration::days(7)).to_rfc3339() } }),
        )
        .await;
    let vote = opened["data"]["openVote"]["vote"]["id"].as_str().unwrap_or_else(|| panic!("{opened}")).to_owned();
    let owner = app.login_as("owner").await;
    let client = connect(&app.address, Some(&owner)).await.expect("connected");
    let mut progress = subscribe(&client, PROGRESS, json!({ "v": vote })).await;

    let first = next(&mut progress).await.expect("the vote as it stands");
    let before = &first["data"]["voteProgress"]["vote"];
    assert_eq!(before["hideResults"], true, "{first}");
    assert_eq!(before["turnout"]["ballots"], 0, "{first}");
    assert_eq!(before["turnout"]["heads"], 0, "{first}");
    assert_eq!(before["turnout"]["areaM2"], "0.00", "{first}");
    assert!(before["turnout"]["electorateHeads"].as_u64().is_some_and(|n| n > 0), "{first}");
    assert!(before["result"].is_null(), "hidden until the close: {first}");

    let cast = "mutation($v: ID!) { castBallot(input: { voteId: $v, choice: FOR }) { ok } }";
    let ballot = app.gql(Some(&owner), cast, json!({ "v": vote })).await;
    assert_eq!(ballot["data"]["castBallot"]["ok"], true, "{ballot}");

    let message = next(&mut progress).await.expect("the ballot");
    let vote_now = &message["data"]["voteProgress"]["vote"];
    assert!(message["data"]["voteProgress"]["seq"].as_i64().is_some(), "{message}");
    assert_eq!(vote_now["turnout"]["ballots"], 1, "{message}");
    assert_eq!(vote_now["turnout"]["heads"], 1, "{message}");
    let area = vote_now["turnout"]["areaM2"].as_str().unwrap_or_else(|| panic!("{message}"));
    assert_ne!(area, "0.00", "the owner's unit's area counts: {message}");
    assert!(vote_now["result"].is_null(), "the choices stay hidden while it is open: {message}");
    assert!(!message.to_string().contains("FOR"), "no choice anywhere in the message: {message}");
});
