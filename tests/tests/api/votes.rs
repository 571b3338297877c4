//! Votes on topics under deliberation (DOMAIN.md, "Deliberate"), on SQLite and PostgreSQL: the owners'
//! statutory vote under Civil Code art. 278 counted through storage (the roll taken at the opening, one
//! head per owning party, area summed by the database), the residents' household vote and the meeting
//! vote, and the API's refusals, windows and hidden results.

use chrono::Duration;
use futures::future::join_all;
use gongzhi_domain::Denied;
use gongzhi_domain::vote::{Choice, OwnersMatter, Verdict, VoteKind, Weight};
use gongzhi_infra::votes::{CastAs, VoteResult};
use gongzhi_infra::{Error, Store};
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::votes_support::*;

fn weight(area_centi_m2: i64, heads: u64) -> Weight {
    Weight::new(area_centi_m2, heads).expect("weight")
}

// ---- Concurrency ----

on_both!(a_hundred_ballots_cast_at_once_are_each_counted_exactly_once, |backend| async move {
    // Arrange: 100 owners of 100 units of different areas, an owners' vote open on their compound.
    let Some(w) = world(backend).await else { return };
    let area = |i: i64| 6_000 + 37 * i;
    let lines: Vec<Line> = (0..100_i64)
        .map(|i| {
            let (name, phone) = (format!("业主{i}"), format!("137{i:08}"));
            let centi = area(i);
            let unit = format!("{}", 101 + i % 25);
            line(
                &format!("{}号楼", i / 25 + 1),
                &unit,
                &format!("{}.{:02}", centi / 100, centi % 100),
                Some((&name, &phone)),
            )
        })
        .collect();
    let compound = import_compound(&w, "百户小区", &lines).await;
    let topic = topic_under_deliberation(&w, &compound, compound.owner("13700000000")).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OtherMajorMatter)).await;
    let choice = |i: i64| [Choice::For, Choice::Against, Choice::Abstain][(i % 3) as usize];
    let mut voters = Vec::new();
    for i in 0..100_i64 {
        voters.push((i, w.store.actor(compound.owner(&format!("137{i:08}"))).await.expect("actor")));
    }

    // Act: every owner casts from a task of their own, all at once.
    let tasks = voters.into_iter().map(|(i, actor)| {
        let store: Store = w.store.clone();
        let id = vote.id;
        tokio::spawn(async move { store.cast_ballot(&actor, id, choice(i), CastAs::Myself { household: None }).await })
    });
    let results = join_all(tasks).await;

    // Assert: every ballot was taken, and each is counted once with its unit's area.
    for (i, result) in results.into_iter().enumerate() {
        let taken = result.expect("task ran");
        assert!(taken.is_ok(), "ballot {i} refused: {taken:?}");
    }
    let outcome = owners_outcome(&w, &vote).await;
    let sum = |c: Choice| (0..100_i64).filter(|i| choice(*i) == c).map(area).sum::<i64>();
    assert_eq!(outcome.tally.in_favour(), weight(sum(Choice::For), 34));
    assert_eq!(outcome.tally.against(), weight(sum(Choice::Against), 33));
    assert_eq!(outcome.tally.abstaining(), weight(sum(Choice::Abstain), 33));
    let total: i64 = (0..100_i64).map(area).sum();
    assert_eq!(outcome.tally.participating(), weight(total, 100));
    assert_eq!((outcome.electorate.area_centi_m2(), outcome.electorate.heads()), (total, 100));
    assert_eq!(measured(outcome.turnout.area), ("1/1".to_owned(), "≥ 2/3".to_owned(), true));
    assert_eq!(measured(outcome.turnout.heads), ("1/1".to_owned(), "≥ 2/3".to_owned(), true));
    assert_eq!(outcome.verdict, Verdict::Failed, "34 of 100 owners agreeing is no majority");
});

// ---- Art. 278 at its boundaries, through storage ----

on_both!(turnout_of_exactly_two_thirds_by_area_and_by_head_makes_an_owners_vote_valid, |backend| async move {
    // Arrange: two owners of 100 m² each, and two unsold units of 50 m² that are the developer's, one head
    // for both: 300 m² and three heads in all.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "三分小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13711000001"))),
            line("1号楼", "102", "100.00", Some(("乙业主", "13711000002"))),
            line("2号楼", "101", "50.00", None),
            line("2号楼", "102", "50.00", None),
        ],
    )
    .await;
    let topic = topic_under_deliberation(&w, &compound, compound.owner("13711000001")).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::ManagementStatute)).await;

    // Act: both owners take part.
    cast(&w, compound.owner("13711000001"), &vote, Choice::For).await;
    cast(&w, compound.owner("13711000002"), &vote, Choice::Against).await;

    // Assert: 200 of 300 m² and 2 of 3 heads is exactly two thirds, which is enough (三分之二以上).
    let electorate = vote.electorate.expect("the roll taken at the opening");
    assert_eq!((electorate.area_centi_m2(), electorate.heads()), (30_000, 3));
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(measured(outcome.turnout.area), ("2/3".to_owned(), "≥ 2/3".to_owned(), true));
    assert_eq!(measured(outcome.turnout.heads), ("2/3".to_owned(), "≥ 2/3".to_owned(), true));
    assert_eq!(measured(outcome.approval.area), ("1/2".to_owned(), "> 1/2".to_owned(), false));
    assert_eq!(outcome.verdict, Verdict::Failed, "valid, but half agreeing is no majority");
});

on_both!(turnout_one_hundredth_of_a_square_metre_below_two_thirds_makes_an_owners_vote_invalid, |backend| async move {
    // Arrange: 300.00 m² in all; the two owners who vote hold 199.99 m², two thirds less 0.01 m².
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "差一点小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13712000001"))),
            line("1号楼", "102", "99.99", Some(("乙业主", "13712000002"))),
            line("2号楼", "101", "50.00", None),
            line("2号楼", "102", "50.01", None),
        ],
    )
    .await;
    let topic = topic_under_deliberation(&w, &compound, compound.owner("13712000001")).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::ManagementStatute)).await;

    // Act
    cast(&w, compound.owner("13712000001"), &vote, Choice::For).await;
    cast(&w, compound.owner("13712000002"), &vote, Choice::For).await;

    // Assert: two thirds by head is met, but not by area, so the vote decides nothing, unanimous as it is.
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(measured(outcome.turnout.area), ("19999/30000".to_owned(), "≥ 2/3".to_owned(), false));
    assert_eq!(measured(outcome.turnout.heads), ("2/3".to_owned(), "≥ 2/3".to_owned(), true));
    assert!(outcome.approval.met(), "approval is still measured, for information");
    assert_eq!(outcome.verdict, Verdict::Invalid);
});

on_both!(turnout_below_two_thirds_by_head_makes_an_owners_vote_invalid_whatever_the_area, |backend| async move {
    // Arrange: four owners; the two who vote hold 200 of 202 m².
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "大户小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13713000001"))),
            line("1号楼", "102", "100.00", Some(("乙业主", "13713000002"))),
            line("1号楼", "201", "1.00", Some(("丙业主", "13713000003"))),
            line("1号楼", "202", "1.00", Some(("丁业主", "13713000004"))),
        ],
    )
    .await;
    let topic = topic_under_deliberation(&w, &compound, compound.owner("13713000001")).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::PropertyManager)).await;

    // Act
    cast(&w, compound.owner("13713000001"), &vote, Choice::For).await;
    cast(&w, compound.owner("13713000002"), &vote, Choice::For).await;

    // Assert
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(measured(outcome.turnout.area), ("100/101".to_owned(), "≥ 2/3".to_owned(), true));
    assert_eq!(measured(outcome.turnout.heads), ("1/2".to_owned(), "≥ 2/3".to_owned(), false));
    assert_eq!(outcome.verdict, Verdict::Invalid);
});

on_both!(
    raising_the_maintenance_fund_passes_at_exactly_three_quarters_agreeing_and_fails_just_below,
    |backend| async move {
        // Arrange: two compounds of four owners each. In the first each holds 100 m²; in the second the three
        // who will agree hold 299.99 of 400 m².
        let Some(w) = world(backend).await else { return };
        let even = import_compound(
            &w,
            "四方小区",
            &[
                line("1号楼", "101", "100.00", Some(("甲业主", "13714000001"))),
                line("1号楼", "102", "100.00", Some(("乙业主", "13714000002"))),
                line("1号楼", "201", "100.00", Some(("丙业主", "13714000003"))),
                line("1号楼", "202", "100.00", Some(("丁业主", "13714000004"))),
            ],
        )
        .await;
        let uneven = import_compound(
            &w,
            "四邻小区",
            &[
                line("1号楼", "101", "100.00", Some(("戊业主", "13715000001"))),
                line("1号楼", "102", "100.00", Some(("己业主", "13715000002"))),
                line("1号楼", "201", "99.99", Some(("庚业主", "13715000003"))),
                line("1号楼", "202", "100.01", Some(("辛业主", "13715000004"))),
            ],
        )
        .await;
        let fund = VoteKind::Owners(OwnersMatter::RaiseMaintenanceFund);
        let even_vote = open_vote(&w, topic_under_deliberation(&w, &even, even.owner("13714000001")).await, fund).await;
        let uneven_vote =
            open_vote(&w, topic_under_deliberation(&w, &uneven, uneven.owner("13715000001")).await, fund).await;

        // Act: in both, three agree and the fourth takes part without agreeing.
        for (phone, choice) in [
            ("13714000001", Choice::For),
            ("13714000002", Choice::For),
            ("13714000003", Choice::For),
            ("13714000004", Choice::Against),
        ] {
            cast(&w, even.owner(phone), &even_vote, choice).await;
        }
        for (phone, choice) in [
            ("13715000001", Choice::For),
            ("13715000002", Choice::For),
            ("13715000003", Choice::For),
            ("13715000004", Choice::Abstain),
        ] {
            cast(&w, uneven.owner(phone), &uneven_vote, choice).await;
        }

        // Assert: exactly three quarters is enough (四分之三以上); 0.01 m² less is not, and abstaining is taking
        // part without agreeing.
        let passed = owners_outcome(&w, &even_vote).await;
        assert_eq!(measured(passed.approval.area), ("3/4".to_owned(), "≥ 3/4".to_owned(), true));
        assert_eq!(measured(passed.approval.heads), ("3/4".to_owned(), "≥ 3/4".to_owned(), true));
        assert_eq!(passed.verdict, Verdict::Passed);
        let failed = owners_outcome(&w, &uneven_vote).await;
        assert!(failed.turnout.met());
        assert_eq!(failed.tally.abstaining(), weight(10_001, 1));
        assert_eq!(measured(failed.approval.area), ("29999/40000".to_owned(), "≥ 3/4".to_owned(), false));
        assert_eq!(measured(failed.approval.heads), ("3/4".to_owned(), "≥ 3/4".to_owned(), true));
        assert_eq!(failed.verdict, Verdict::Failed);
    }
);

on_both!(an_ordinary_owners_matter_with_exactly_half_agreeing_fails, |backend| async move {
    // Arrange: four owners of 100 m² each.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "对半小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13716000001"))),
            line("1号楼", "102", "100.00", Some(("乙业主", "13716000002"))),
            line("1号楼", "201", "100.00", Some(("丙业主", "13716000003"))),
            line("1号楼", "202", "100.00", Some(("丁业主", "13716000004"))),
        ],
    )
    .await;
    let topic = topic_under_deliberation(&w, &compound, compound.owner("13716000001")).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::PropertyManager)).await;

    // Act: two for, two against.
    for (phone, choice) in [
        ("13716000001", Choice::For),
        ("13716000002", Choice::For),
        ("13716000003", Choice::Against),
        ("13716000004", Choice::Against),
    ] {
        cast(&w, compound.owner(phone), &vote, choice).await;
    }

    // Assert: 过半数 means more than half.
    let outcome = owners_outcome(&w, &vote).await;
    assert!(outcome.turnout.met());
    assert_eq!(measured(outcome.approval.area), ("1/2".to_owned(), "> 1/2".to_owned(), false));
    assert_eq!(measured(outcome.approval.heads), ("1/2".to_owned(), "> 1/2".to_owned(), false));
    assert_eq!(outcome.verdict, Verdict::Failed);
});

// ---- Who counts, and how often ----

on_both!(
    an_owner_of_two_units_votes_once_and_co_owners_are_one_head_decided_by_the_last_ballot,
    |backend| async move {
        // Arrange: 甲 owns two units (80 + 120 m²); 乙 and 丙 co-own one (100 m²); 丁 owns one (50 m²).
        let Some(w) = world(backend).await else { return };
        let compound = import_compound(
            &w,
            "共有小区",
            &[
                line("1号楼", "101", "80.00", Some(("甲业主", "13717000001"))),
                line("1号楼", "102", "120.00", Some(("甲业主", "13717000001"))),
                line("1号楼", "201", "100.00", Some(("乙业主", "13717000002"))),
                line("1号楼", "201", "100.00", Some(("丙业主", "13717000003"))),
                line("1号楼", "202", "50.00", Some(("丁业主", "13717000004"))),
            ],
        )
        .await;
        let (jia, yi, bing) =
            (compound.owner("13717000001"), compound.owner("13717000002"), compound.owner("13717000003"));
        let topic = topic_under_deliberation(&w, &compound, jia).await;
        let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::UseMaintenanceFund)).await;

        // Act: 甲 votes once; the co-owners disagree, 丙 last.
        cast(&w, jia, &vote, Choice::For).await;
        cast(&w, yi, &vote, Choice::For).await;
        cast(&w, bing, &vote, Choice::Against).await;

        // Assert: three heads in all (甲, 乙 and 丙 together, 丁); 甲 is one head with 200 m², and the co-owned
        // unit is one head, against, as its last ballot said.
        let electorate = vote.electorate.expect("roll");
        assert_eq!((electorate.area_centi_m2(), electorate.heads()), (35_000, 3));
        let outcome = owners_outcome(&w, &vote).await;
        assert_eq!(outcome.tally.in_favour(), weight(20_000, 1));
        assert_eq!(outcome.tally.against(), weight(10_000, 1));
        assert_eq!(outcome.tally.participating(), weight(30_000, 2));
        assert_eq!(measured(outcome.approval.area), ("2/3".to_owned(), "> 1/2".to_owned(), true));
        assert_eq!(measured(outcome.approval.heads), ("1/2".to_owned(), "> 1/2".to_owned(), false));
        assert_eq!(outcome.verdict, Verdict::Failed, "most of the area is not enough without most of the owners");
        assert_eq!(w.store.my_ballot(jia, vote.id).await.expect("ballot"), Some(Choice::For));
        assert_eq!(w.store.my_ballot(bing, vote.id).await.expect("ballot"), Some(Choice::Against));

        // Act again: 乙 votes last, for.
        cast(&w, yi, &vote, Choice::For).await;

        // Assert: the unit now counts for, still once.
        let outcome = owners_outcome(&w, &vote).await;
        assert_eq!(outcome.tally.in_favour(), weight(30_000, 2));
        assert_eq!(outcome.tally.against(), Weight::ZERO);
        assert_eq!(outcome.verdict, Verdict::Passed);
    }
);

on_both!(a_changed_ballot_replaces_the_first_and_is_not_counted_twice, |backend| async move {
    // Arrange: three owners, one of whom will change their mind.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "改票小区",
        &[
            line("1号楼", "101", "90.00", Some(("甲业主", "13718000001"))),
            line("1号楼", "102", "90.00", Some(("乙业主", "13718000002"))),
            line("1号楼", "201", "90.00", Some(("丙业主", "13718000003"))),
        ],
    )
    .await;
    let (jia, yi, bing) = (compound.owner("13718000001"), compound.owner("13718000002"), compound.owner("13718000003"));
    let topic = topic_under_deliberation(&w, &compound, jia).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OwnersCommittee)).await;
    cast(&w, jia, &vote, Choice::For).await;
    cast(&w, yi, &vote, Choice::For).await;
    cast(&w, bing, &vote, Choice::Against).await;
    assert_eq!(owners_outcome(&w, &vote).await.verdict, Verdict::Passed);

    // Act: 乙 votes again, against; then once more, the same way.
    w.clock.advance(Duration::hours(1));
    cast(&w, yi, &vote, Choice::Against).await;
    cast(&w, yi, &vote, Choice::Against).await;

    // Assert: the last ballot counts, and the number of ballots did not grow.
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(outcome.tally.in_favour(), weight(9_000, 1));
    assert_eq!(outcome.tally.against(), weight(18_000, 2));
    assert_eq!(outcome.tally.participating(), weight(27_000, 3));
    assert_eq!(outcome.verdict, Verdict::Failed);
    assert_eq!(w.store.my_ballot(yi, vote.id).await.expect("ballot"), Some(Choice::Against));
});

// ---- Household and meeting votes ----

on_both!(a_household_votes_once_whichever_member_casts_last_and_a_tie_fails, |backend| async move {
    // Arrange: 101 has an owner and a resident (蒋居民 of the demo, moved in); 102 and 201 an owner each.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "协商小区",
        &[
            line("1号楼", "101", "88.00", Some(("甲业主", "13719000001"))),
            line("1号楼", "102", "88.00", Some(("乙业主", "13719000002"))),
            line("1号楼", "201", "88.00", Some(("丙业主", "13719000003"))),
        ],
    )
    .await;
    let resident = gongzhi_infra::demo::cast_id("resident").expect("resident");
    w.store
        .grant_role_as_operator(resident, gongzhi_domain::role::Role::Resident, compound.unit("1号楼", "101"))
        .await
        .expect("resident moves in");
    let (jia, yi) = (compound.owner("13719000001"), compound.owner("13719000002"));
    let topic = topic_under_deliberation(&w, &compound, jia).await;
    let vote = open_vote(&w, topic, VoteKind::Household).await;

    // Act: both members of 101 vote, the resident last; 102 votes for.
    cast(&w, jia, &vote, Choice::For).await;
    cast(&w, resident, &vote, Choice::Against).await;
    cast(&w, yi, &vote, Choice::For).await;

    // Assert: two households took part, one each way: a tie, which is no majority.
    let Some(VoteResult::Household(outcome)) = w.store.vote_result(&vote).await.expect("result") else {
        panic!("not a household result")
    };
    assert_eq!((outcome.votes.in_favour(), outcome.votes.against(), outcome.votes.cast()), (1, 1, 2));
    assert_eq!(measured(outcome.approval), ("1/2".to_owned(), "> 1/2".to_owned(), false));
    assert_eq!(outcome.verdict, Verdict::Failed);
});

on_both!(only_a_meetings_invitees_vote_and_it_needs_a_quorum_of_them, |backend| async move {
    // Arrange: a meeting vote among three invited parties of 锦绣花园.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let chair = app.login_as("oc_chair").await;
    let manager = app.login_as("property_manager").await;
    let leader = app.login_as("building_leader").await;
    let owner = app.login_as("owner").await;
    let mut invitees = Vec::new();
    for token in [&chair, &manager, &leader] {
        invitees.push(person_id(&app, token).await);
    }
    let mut input = owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48);
    input["type"] = json!("MEETING");
    input["inviteeIds"] = json!(invitees);
    let vote = opened(&app, &staff, input).await;

    // Act: someone not invited tries; then one invitee votes.
    let uninvited = cast_http(&app, &owner, json!({ "voteId": vote, "choice": "FOR" })).await;
    let first = cast_http(&app, &chair, json!({ "voteId": vote, "choice": "FOR" })).await;

    // Assert: the uninvited are refused; one of three invitees is no quorum.
    assert_eq!(error_code(&uninvited), Some("FORBIDDEN"), "{uninvited}");
    let result = &taken(&first)["result"];
    assert_eq!(result["verdict"], "INVALID", "{first}");
    assert!(!met(result, "quorum"));

    // Act: a second invitee votes.
    let second = cast_http(&app, &manager, json!({ "voteId": vote, "choice": "FOR" })).await;

    // Assert: two of three is more than half; both agreed.
    let result = &taken(&second)["result"];
    assert!(met(result, "quorum"), "{second}");
    assert!(met(result, "majority"));
    assert_eq!(result["verdict"], "PASSED");
    assert_eq!(count_of(result, "FOR"), (2, json!(null)));
    assert_eq!(result["electorateHeads"], json!(null));
});

// ---- Refusals over HTTP ----

on_both!(only_owners_of_the_compound_vote_in_an_owners_vote, |backend| async move {
    // Arrange: an owners' vote in 锦绣花园.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let resident = app.login_as("resident").await;
    let old_owner = app.login_as("old_owner").await;

    // Act: a resident of the compound who owns nothing there, and an owner in another compound.
    let by_resident = cast_http(&app, &resident, json!({ "voteId": vote, "choice": "FOR" })).await;
    let by_outsider = cast_http(&app, &old_owner, json!({ "voteId": vote, "choice": "FOR" })).await;

    // Assert: the resident may see the vote but not vote in it; to the owner of 老街小院, 锦绣花园's topics
    // and their votes do not exist.
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    let needed = &by_resident["errors"][0]["extensions"]["needed"];
    assert_eq!(needed[0]["role"], "OWNER", "the refusal names what would make the vote theirs: {by_resident}");
    assert_eq!(needed[0]["placeId"], app.place_id(&staff, &["和平社区", "锦绣花园"]).await.as_str());
    assert_eq!(needed[0]["within"], true, "an owner of a unit inside the compound: {by_resident}");
    assert_eq!(error_code(&by_outsider), Some("NOT_FOUND"), "{by_outsider}");
    let seen = vote_node(&app, &staff, &vote).await;
    assert_eq!(count_of(&seen["result"], "FOR").0, 0);
});

on_both!(a_proxy_votes_for_an_owner_only_under_a_mandate_the_owner_gave, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let resident = app.login_as("resident").await;
    let owner = app.login_as("owner").await;
    let (owner_id, resident_id) = (person_id(&app, &owner).await, person_id(&app, &resident).await);
    let ballot = json!({ "voteId": vote, "choice": "FOR", "onBehalfOf": owner_id });

    // Act: before the owner gives a mandate, and after.
    let none = cast_http(&app, &resident, ballot.clone()).await;
    let grant = app
        .gql(
            Some(&owner),
            "mutation($i: GrantMandateInput!) { grantMandate(input: $i) { ok } }",
            json!({ "i": { "proxyId": resident_id, "scope": { "voteId": vote } } }),
        )
        .await;
    assert_eq!(grant["data"]["grantMandate"]["ok"], true, "{grant}");
    let mandated = cast_http(&app, &resident, ballot).await;

    // Assert: refused, then counted for the owner (1单元101, 89.56 m²), as the owner sees.
    assert_eq!(refusal(&none), "no_mandate", "{none}");
    let result = &taken(&mandated)["result"];
    assert_eq!(count_of(result, "FOR"), (1, json!("89.56")));
    assert_eq!(vote_node(&app, &owner, &vote).await["myBallot"], "FOR");
    assert_eq!(
        vote_node(&app, &resident, &vote).await["myBallot"],
        json!(null),
        "the proxy cast no ballot of their own"
    );
});

on_both!(paper_ballots_are_entered_by_the_topics_leads_only, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let member = app.login_as("oc_member").await;
    let member_id = person_id(&app, &member).await;
    let resident = app.login_as("resident").await;
    let paper =
        |note: &str| json!({ "input": { "voteId": vote, "ownerId": member_id, "choice": "AGAINST", "note": note } });

    // Act
    let by_resident = vote_gql(&app, &resident, PAPER_BALLOT, paper("纸质票，蒋居民代收")).await;
    let by_staff = vote_gql(&app, &staff, PAPER_BALLOT, paper("纸质票第 12 号，楼长褚某收集")).await;

    // Assert: the resident is refused; staff's entry counts for the owner (1单元202, 120 m²).
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    let result = &taken(&by_staff)["result"];
    assert_eq!(count_of(result, "AGAINST"), (1, json!("120.00")));
    assert_eq!(count_of(result, "FOR").0, 0);
    assert_eq!(result["electorateAreaM2"], "593.87");
    assert_eq!(
        result["electorateHeads"], 6,
        "four owners, the developer for its unsold unit, and the unknown owner of the let 1单元102"
    );
    assert_eq!(vote_node(&app, &member, &vote).await["myBallot"], "AGAINST");
});

on_both!(ballots_are_taken_only_while_the_vote_is_open, |backend| async move {
    // Arrange: a vote opening in an hour and closing an hour later.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let vote = opened(&app, &staff, owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 1, 2)).await;
    let owner = app.login_as("owner").await;
    let ballot = json!({ "voteId": vote, "choice": "FOR" });

    // Act / Assert: too early.
    let early = cast_http(&app, &owner, ballot.clone()).await;
    assert_eq!(refusal(&early), "vote_not_open", "{early}");
    assert_eq!(ballot_payload(&early)["vote"]["isOpen"], false);

    // Act / Assert: open.
    app.clock.advance(Duration::hours(1));
    let owner = app.login_as("owner").await; // access tokens are short-lived on the mock clock too
    let open = cast_http(&app, &owner, ballot.clone()).await;
    assert_eq!(taken(&open)["isOpen"], true);

    // Act / Assert: at the close, and after it.
    app.clock.advance(Duration::hours(1));
    let owner = app.login_as("owner").await;
    let at_close = cast_http(&app, &owner, json!({ "voteId": vote, "choice": "AGAINST" })).await;
    assert_eq!(refusal(&at_close), "vote_closed", "{at_close}");
    app.clock.advance(Duration::days(3));
    let owner = app.login_as("owner").await;
    let late = cast_http(&app, &owner, json!({ "voteId": vote, "choice": "AGAINST" })).await;
    assert_eq!(refusal(&late), "vote_closed", "{late}");
    let message = ballot_payload(&late)["refusal"]["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{late}");
    let closed = vote_node(&app, &owner, &vote).await;
    assert_eq!(closed["myBallot"], "FOR", "the ballot cast while open stands");
    assert_eq!(count_of(&closed["result"], "AGAINST").0, 0);
});

on_both!(a_vote_is_opened_only_by_the_topics_leads_on_a_topic_under_deliberation, |backend| async move {
    // Arrange: the roof topic of 老街小院 still awaits triage; the parking topic of 锦绣花园 is accepted.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let roof = demo_topic(&app, &staff, "屋顶漏雨").await;
    let parking = jinxiu_topic(&app, &staff).await;
    let resident = app.login_as("resident").await;

    // Act
    let awaiting = open_vote_http(&app, &staff, owners_vote_input(&app, &roof, "USE_MAINTENANCE_FUND", 0, 48)).await;
    let by_resident =
        open_vote_http(&app, &resident, owners_vote_input(&app, &parking, "OTHER_MAJOR_MATTER", 0, 48)).await;
    let without_matter = open_vote_http(&app, &staff, {
        let mut input = owners_vote_input(&app, &parking, "OTHER_MAJOR_MATTER", 0, 48);
        input.as_object_mut().expect("input").remove("matter");
        input
    })
    .await;
    let backwards = open_vote_http(&app, &staff, owners_vote_input(&app, &parking, "OTHER_MAJOR_MATTER", 48, 24)).await;

    // Assert: the topic's stage is a refusal the client switches on (wrong_stage); the resident is no
    // lead; an owners' vote names its matter; a window must close after it opens.
    assert_eq!(awaiting["data"]["openVote"]["ok"], false, "{awaiting}");
    assert_eq!(awaiting["data"]["openVote"]["refusal"]["code"], "wrong_stage", "{awaiting}");
    assert!(awaiting["data"]["openVote"]["vote"].is_null(), "{awaiting}");
    assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
    assert_eq!(error_code(&without_matter), Some("BAD_USER_INPUT"), "{without_matter}");
    assert_eq!(error_code(&backwards), Some("BAD_USER_INPUT"), "{backwards}");
    let votes = app
        .gql(Some(&staff), "query($id: ID!) { node(id: $id) { ... on Topic { votes { id } } } }", json!({ "id": roof }))
        .await;
    assert_eq!(votes["data"]["node"]["votes"], json!([]), "{votes}");
});

on_both!(hidden_results_appear_only_at_the_close_while_each_voter_sees_their_own_ballot, |backend| async move {
    // Arrange: an owners' vote with hidden results, closing in two days.
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let topic = jinxiu_topic(&app, &staff).await;
    let mut input = owners_vote_input(&app, &topic, "OTHER_MAJOR_MATTER", 0, 48);
    input["hideResults"] = json!(true);
    let vote = opened(&app, &staff, input).await;
    let owner = app.login_as("owner").await;
    let chair = app.login_as("oc_chair").await;

    // Act: two owners vote.
    let first = cast_http(&app, &owner, json!({ "voteId": vote, "choice": "FOR" })).await;
    cast_http(&app, &chair, json!({ "voteId": vote, "choice": "AGAINST" })).await;

    // Assert: nobody sees a count, staff included; each voter sees their own ballot.
    assert_eq!(taken(&first)["result"], json!(null), "{first}");
    assert_eq!(taken(&first)["hideResults"], true);
    assert_eq!(vote_node(&app, &staff, &vote).await["result"], json!(null));
    assert_eq!(vote_node(&app, &owner, &vote).await["myBallot"], "FOR");
    assert_eq!(vote_node(&app, &chair, &vote).await["myBallot"], "AGAINST");
    app.clock.advance(Duration::hours(47));
    let staff = app.login_as("rc_staff").await; // access tokens are short-lived on the mock clock too
    assert_eq!(vote_node(&app, &staff, &vote).await["result"], json!(null), "an hour before the close");

    // Act: the vote closes.
    app.clock.advance(Duration::hours(1));
    let (owner, staff) = (app.login_as("owner").await, app.login_as("rc_staff").await);

    // Assert: the result appears, for everyone who may see the vote.
    let closed = vote_node(&app, &owner, &vote).await;
    assert_eq!(closed["isOpen"], false);
    let result = &closed["result"];
    assert_eq!(count_of(result, "FOR"), (1, json!("89.56")));
    assert_eq!(count_of(result, "AGAINST"), (1, json!("89.56")));
    assert_eq!(result["verdict"], "INVALID", "two of six owners took part: {closed}");
    assert!(!met(result, "turnout_heads"));
    assert!(vote_node(&app, &staff, &vote).await["result"]["verdict"].is_string());
});

// ---- Refusals at the store ----

on_both!(a_ballot_for_someone_owning_nothing_is_refused_at_the_store, |backend| async move {
    // Arrange
    let Some(w) = world(backend).await else { return };
    let compound =
        import_compound(&w, "无权小区", &[line("1号楼", "101", "90.00", Some(("甲业主", "13720000001")))]).await;
    let jia = compound.owner("13720000001");
    let topic = topic_under_deliberation(&w, &compound, jia).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OtherMajorMatter)).await;

    // Act: staff, who may see the topic, try to vote themselves and to enter a paper ballot for an owner of
    // another compound.
    let own = w.store.cast_ballot(&w.staff, vote.id, Choice::For, CastAs::Myself { household: None }).await;
    let outsider = gongzhi_infra::demo::cast_id("old_owner").expect("old_owner");
    let paper = CastAs::Paper { owner: outsider, note: "纸质票".into() };
    let paper = w.store.cast_ballot(&w.staff, vote.id, Choice::For, paper).await;

    // Assert
    assert!(matches!(&own, Err(Error::Denied(Denied::Requires(needed))) if needed.len() == 1), "{own:?}");
    assert!(matches!(paper, Err(Error::Denied(Denied::Forbidden))), "{paper:?}");
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(outcome.tally.participating(), Weight::ZERO);
});

// ---- Regressions: rules that once failed ----

/// The roll is taken unit by unit when an owners' vote opens: units sold afterwards bring no new heads,
/// and the result stays judged against the electorate at the opening.
#[tokio::test]
async fn units_sold_after_the_opening_do_not_move_the_goalposts() {
    // Arrange: one owner and two unsold units: two heads (the owner, the developer) at the opening.
    let Some(w) = world(gongzhi_tests::Backend::Sqlite).await else { return };
    let compound = import_compound(
        &w,
        "新售小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13721000001"))),
            line("1号楼", "102", "100.00", None),
            line("1号楼", "201", "100.00", None),
        ],
    )
    .await;
    let jia = compound.owner("13721000001");
    let topic = topic_under_deliberation(&w, &compound, jia).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OtherMajorMatter)).await;
    let buyers = [
        gongzhi_infra::demo::cast_id("lawyer").expect("buyer"),
        gongzhi_infra::demo::cast_id("resident").expect("buyer"),
    ];
    for (buyer, unit) in buyers.into_iter().zip(["102", "201"]) {
        let unit = compound.unit("1号楼", unit);
        w.store.grant_role_as_operator(buyer, gongzhi_domain::role::Role::Owner, unit).await.expect("sold");
    }

    // Act: the owner and both buyers try to vote.
    cast(&w, jia, &vote, Choice::For).await;
    for buyer in buyers {
        let actor = w.store.actor(buyer).await.expect("buyer");
        let _ = w.store.cast_ballot(&actor, vote.id, Choice::For, CastAs::Myself { household: None }).await;
    }

    // Assert: the result is still measured against the roll of the opening.
    let outcome = w.store.vote_result(&vote).await;
    let Ok(Some(VoteResult::Owners(outcome))) = outcome else { panic!("no result: {outcome:?}") };
    assert!(outcome.tally.participating().heads() <= outcome.electorate.heads());
}

/// An invitee to a meeting vote votes even if they may not see the topic (a lawyer on the roster).
#[tokio::test]
async fn an_invited_lawyer_votes_at_the_meeting() {
    // Arrange: a meeting vote inviting the community's lawyer and one owner.
    let Some(w) = world(gongzhi_tests::Backend::Sqlite).await else { return };
    let compound =
        import_compound(&w, "律师小区", &[line("1号楼", "101", "90.00", Some(("甲业主", "13722000001")))]).await;
    let jia = compound.owner("13722000001");
    let topic = topic_under_deliberation(&w, &compound, jia).await;
    let lawyer = demo_actor(&w.store, "lawyer").await;
    let mut input = new_vote(&w, topic, VoteKind::Meeting);
    input.invitees = vec![lawyer.person, jia];
    let vote = w.store.open_vote(&w.staff, input).await.expect("vote opened");

    // Act
    let cast = w.store.cast_ballot(&lawyer, vote.id, Choice::For, CastAs::Myself { household: None }).await;

    // Assert
    assert!(cast.is_ok(), "{cast:?}");
}

/// Invitees must be known people: an unknown id is refused, not a database error.
#[tokio::test]
async fn a_meeting_inviting_nobody_known_is_refused_as_input() {
    // Arrange
    let Some(w) = world(gongzhi_tests::Backend::Sqlite).await else { return };
    let compound =
        import_compound(&w, "无名小区", &[line("1号楼", "101", "90.00", Some(("甲业主", "13723000001")))]).await;
    let topic = topic_under_deliberation(&w, &compound, compound.owner("13723000001")).await;
    let mut input = new_vote(&w, topic, VoteKind::Meeting);
    input.invitees = vec![gongzhi_domain::ids::PersonId::from_uuid(uuid::Uuid::new_v4())];

    // Act
    let opened = w.store.open_vote(&w.staff, input).await;

    // Assert
    assert!(matches!(opened, Err(Error::NotFound(_) | Error::Invalid(_))), "{opened:?}");
}

/// A unit with many co-owners has a long party key; it fits on PostgreSQL as on SQLite.
#[tokio::test]
async fn a_unit_of_eleven_co_owners_votes_on_postgresql() {
    // Arrange: one unit, eleven co-owners (an inherited flat, say).
    let Some(w) = world(gongzhi_tests::Backend::Postgres).await else { return };
    let lines: Vec<Line> = (0..11)
        .map(|i| line("1号楼", "101", "100.00", Some((&format!("共有人{i}"), &format!("137240000{i:02}")))))
        .collect();
    let compound = import_compound(&w, "共有人小区", &lines).await;
    let first = compound.owner("13724000000");
    let topic = topic_under_deliberation(&w, &compound, first).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OtherMajorMatter)).await;

    // Act
    let actor = w.store.actor(first).await.expect("co-owner");
    let cast = w.store.cast_ballot(&actor, vote.id, Choice::For, CastAs::Myself { household: None }).await;

    // Assert
    assert!(cast.is_ok(), "{cast:?}");
}
