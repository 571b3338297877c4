//! One owner, one person (decision 52), on SQLite and PostgreSQL: confirming an OWNER claim on a unit the
//! register already holds an owner for links the person who logged in to that record — its units, its
//! place on the roll of a vote already open — so they vote once, as one head with all their area.

use gongzhi_domain::Denied;
use gongzhi_domain::claim::ClaimRelation;
use gongzhi_domain::role::Role;
use gongzhi_domain::vote::{Choice, OwnersMatter, VoteKind, Weight};
use gongzhi_infra::Error;
use gongzhi_infra::votes::CastAs;
use gongzhi_tests::on_both;

use crate::votes_support::*;

on_both!(a_claimed_imported_owner_votes_once_with_all_their_units, |backend| async move {
    // Arrange: 甲 owns two units (100 m² and 80 m²) in the imported register, 乙 one (100 m²); a vote is
    // open. 甲 then logs in with WeChat, gives their name and claims 101 as its owner.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "合一小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13741000001"))),
            line("1号楼", "102", "80.00", Some(("甲业主", "13741000001"))),
            line("1号楼", "201", "100.00", Some(("乙业主", "13741000002"))),
        ],
    )
    .await;
    let (imported, yi) = (compound.owner("13741000001"), compound.owner("13741000002"));
    let topic = topic_under_deliberation(&w, &compound, yi).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OtherMajorMatter)).await;
    let jia = w.store.person_for_wechat("openid-jia", None).await.expect("logged in").id;
    w.store.set_name(jia, "甲业主").await.expect("named");
    let claimant = w.store.actor(jia).await.expect("actor");
    let claim = w
        .store
        .claim_household(&claimant, compound.unit("1号楼", "101"), ClaimRelation::Owner, None)
        .await
        .expect("claimed");

    // Act: staff confirm the claim; 甲 votes as they are now; the imported record tries to.
    w.store.decide_claim(&w.staff, claim.id, true, None).await.expect("confirmed");
    let jia_now = w.store.actor(jia).await.expect("actor");
    let cast = w.store.cast_ballot(&jia_now, vote.id, Choice::For, CastAs::Myself { household: None }).await;
    let record = w.store.actor(imported).await.expect("record");
    let by_record = w.store.cast_ballot(&record, vote.id, Choice::Against, CastAs::Myself { household: None }).await;

    // Assert: 甲 owns both units as one person, the record nothing; their ballot counts once with 180 m²,
    // against an electorate of two owners still; the record cannot vote.
    assert!(cast.is_ok(), "{cast:?}");
    // The record holds nothing in the compound any more: to it, the vote's topic is not there.
    assert!(matches!(by_record, Err(Error::NotFound(_) | Error::Denied(Denied::Forbidden))), "{by_record:?}");
    for unit in ["101", "102"] {
        let members = w.store.household_members(&w.staff, compound.unit("1号楼", unit)).await.expect("members");
        let owners: Vec<_> = members.iter().filter(|g| g.role == Role::Owner).map(|g| g.person).collect();
        assert_eq!(owners, [jia], "1号楼 {unit}");
    }
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(outcome.tally.in_favour(), Weight::new(18_000, 1).expect("weight"));
    assert_eq!(outcome.tally.against(), Weight::ZERO);
    assert_eq!(outcome.electorate.heads(), 2);
    assert_eq!(w.store.person(jia).await.expect("person").phone.as_deref(), Some("13741000001"));
    let fresh = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OtherMajorMatter)).await;
    assert_eq!(fresh.electorate.map(|e| e.heads()), Some(2), "a later roll counts 甲 once too");
});

on_both!(an_owner_claim_matching_no_record_by_name_or_phone_merges_nothing, |backend| async move {
    // Arrange: the register's owner of 101 is 甲; someone else, of another name, claims it.
    let Some(w) = world(backend).await else { return };
    let compound =
        import_compound(&w, "两人小区", &[line("1号楼", "101", "100.00", Some(("甲业主", "13742000001")))]).await;
    let imported = compound.owner("13742000001");
    let other = w.store.person_for_wechat("openid-bing", None).await.expect("logged in").id;
    w.store.set_name(other, "丙业主").await.expect("named");
    let actor = w.store.actor(other).await.expect("actor");
    let claim = w
        .store
        .claim_household(&actor, compound.unit("1号楼", "101"), ClaimRelation::Owner, Some("共有人"))
        .await
        .expect("claimed");

    // Act
    w.store.decide_claim(&w.staff, claim.id, true, None).await.expect("confirmed");

    // Assert: both are owners of 101 (co-owners, as staff confirmed), two people.
    let members = w.store.household_members(&w.staff, compound.unit("1号楼", "101")).await.expect("members");
    let mut owners: Vec<_> = members.iter().filter(|g| g.role == Role::Owner).map(|g| g.person).collect();
    owners.sort();
    let mut expected = vec![imported, other];
    expected.sort();
    assert_eq!(owners, expected);
});

on_both!(staff_merge_two_records_of_one_owner_and_may_undo_it_until_either_votes, |backend| async move {
    // Arrange: the register's 甲 owns 101; 甲 also logged in with WeChat and was confirmed as a resident of
    // 101. A vote is open.
    let Some(w) = world(backend).await else { return };
    let compound = import_compound(
        &w,
        "合并小区",
        &[
            line("1号楼", "101", "100.00", Some(("甲业主", "13743000001"))),
            line("1号楼", "102", "100.00", Some(("乙业主", "13743000002"))),
        ],
    )
    .await;
    let (imported, yi) = (compound.owner("13743000001"), compound.owner("13743000002"));
    let topic = topic_under_deliberation(&w, &compound, yi).await;
    let vote = open_vote(&w, topic, VoteKind::Owners(OwnersMatter::OtherMajorMatter)).await;
    let jia = w.store.person_for_wechat("openid-jia-merge", None).await.expect("logged in").id;
    w.store.set_name(jia, "甲业主").await.expect("named");
    let claim = w
        .store
        .claim_household(
            &w.store.actor(jia).await.expect("actor"),
            compound.unit("1号楼", "101"),
            ClaimRelation::Resident,
            None,
        )
        .await
        .expect("claimed");
    w.store.decide_claim(&w.staff, claim.id, true, None).await.expect("confirmed");

    // Act: staff list likely duplicates; 甲 tries to merge; staff merge, undo, merge again; 甲 votes; staff
    // try to undo.
    let duplicates = w.store.likely_duplicates(&w.staff, compound.id).await.expect("listed");
    let by_jia =
        w.store.merge_people(&w.store.actor(jia).await.expect("actor"), compound.id, imported, jia, "是我").await;
    let first =
        w.store.merge_people(&w.staff, compound.id, imported, jia, "同一业主，核对身份证").await.expect("merged");
    let first = first.expect("not refused");
    let undone = w.store.undo_merge(&w.staff, compound.id, first.id).await.expect("undone");
    let owners_after_undo = owners_of(&w, compound.unit("1号楼", "101")).await;
    let second = w.store.merge_people(&w.staff, compound.id, imported, jia, "同一业主").await.expect("merged");
    let second = second.expect("not refused");
    w.clock.advance(chrono::Duration::minutes(5));
    let cast = w
        .store
        .cast_ballot(
            &w.store.actor(jia).await.expect("actor"),
            vote.id,
            Choice::For,
            CastAs::Myself { household: None },
        )
        .await;
    let late = w.store.undo_merge(&w.staff, compound.id, second.id).await.expect("answered");

    // Assert
    let pair =
        duplicates.iter().any(|d| [d.first, d.second] == [imported, jia] || [d.first, d.second] == [jia, imported]);
    assert!(pair, "{duplicates:?}");
    assert_eq!(duplicates.len(), 1, "乙 has no double: {duplicates:?}");
    assert!(matches!(by_jia, Err(Error::Denied(_))), "{by_jia:?}");
    assert!(undone.is_ok(), "{undone:?}");
    assert_eq!(owners_after_undo, [imported], "the undo gave the record its unit back");
    assert!(cast.is_ok(), "{cast:?}");
    assert_eq!(late.err(), Some(gongzhi_domain::claim::MergeRefusal::VotedSince));
    assert_eq!(owners_of(&w, compound.unit("1号楼", "101")).await, [jia]);
    let outcome = owners_outcome(&w, &vote).await;
    assert_eq!(outcome.tally.in_favour(), Weight::new(10_000, 1).expect("weight"));
});

on_both!(two_records_that_both_log_in_are_not_merged, |backend| async move {
    // Arrange: two WeChat users both named 甲业主, residents of one unit.
    let Some(w) = world(backend).await else { return };
    let compound =
        import_compound(&w, "双登小区", &[line("1号楼", "101", "100.00", Some(("乙业主", "13744000001")))]).await;
    let mut people = Vec::new();
    for openid in ["openid-a", "openid-b"] {
        let person = w.store.person_for_wechat(openid, None).await.expect("logged in").id;
        w.store.set_name(person, "甲业主").await.expect("named");
        let actor = w.store.actor(person).await.expect("actor");
        let claim = w
            .store
            .claim_household(&actor, compound.unit("1号楼", "101"), ClaimRelation::Resident, None)
            .await
            .expect("claimed");
        w.store.decide_claim(&w.staff, claim.id, true, None).await.expect("confirmed");
        people.push(person);
    }

    // Act
    let merged = w.store.merge_people(&w.staff, compound.id, people[0], people[1], "同名").await.expect("answered");

    // Assert
    assert_eq!(merged.err(), Some(gongzhi_domain::claim::MergeRefusal::BothLogIn));
});

async fn owners_of(w: &World, unit: gongzhi_domain::ids::PlaceId) -> Vec<gongzhi_domain::ids::PersonId> {
    let members = w.store.household_members(&w.staff, unit).await.expect("members");
    members.iter().filter(|g| g.role == Role::Owner).map(|g| g.person).collect()
}
