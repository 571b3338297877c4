//! The storage use cases of `gongzhi_infra::Store`, on a fresh demo world per test, on SQLite and
//! PostgreSQL: the tenancy tree, role grants, the compound rules, household claims and refresh sessions.

use gongzhi_domain::claim::{ClaimRelation, ClaimStatus};
use gongzhi_domain::ids::{PersonId, PlaceId};
use gongzhi_domain::place::{OwnersCommittee, PlaceKind};
use gongzhi_domain::policy::{Action, Actor, authorize};
use gongzhi_domain::role::Role;
use gongzhi_domain::{Conflict, Denied, Invalid};
use gongzhi_infra::auth::AuthError;
use gongzhi_infra::places::PlaceInput;
use gongzhi_infra::{Error, Store};
use gongzhi_tests::{demo_store, on_both};

const COMMUNITY: [&str; 4] = ["邯郸市", "丛台区", "中华大街街道", "和平社区"];

/// The child of `parent` (a city when `None`) with this name.
async fn child(store: &Store, parent: Option<PlaceId>, name: &str) -> PlaceId {
    store
        .children(parent, None, 100)
        .await
        .expect("children")
        .into_iter()
        .find(|place| place.name == name)
        .unwrap_or_else(|| panic!("no place named {name} under {parent:?}"))
        .id()
}

/// The place at the end of a path of names, from the city down.
async fn place_at(store: &Store, path: &[&str]) -> PlaceId {
    let mut parent = None;
    for name in path {
        parent = Some(child(store, parent, name).await);
    }
    parent.expect("a non-empty path")
}

async fn community(store: &Store) -> PlaceId {
    place_at(store, &COMMUNITY).await
}

/// A place below 和平社区, by the names under it (compound, building, household).
async fn in_community(store: &Store, below: &[&str]) -> PlaceId {
    let path: Vec<&str> = COMMUNITY.iter().chain(below).copied().collect();
    place_at(store, &path).await
}

fn person(handle: &str) -> PersonId {
    gongzhi_infra::demo::cast_id(handle).unwrap_or_else(|| panic!("{handle} is in the demo cast"))
}

async fn actor(store: &Store, handle: &str) -> Actor {
    store.actor(person(handle)).await.expect("actor")
}

/// Someone who just logged in and holds no role anywhere.
async fn stranger(store: &Store, openid: &str) -> Actor {
    let person = store.person_for_wechat(openid, None).await.expect("person");
    store.actor(person.id).await.expect("actor")
}

fn named(name: &str) -> PlaceInput {
    PlaceInput { name: name.to_owned(), ..PlaceInput::default() }
}

fn unit(name: &str, area: &str) -> PlaceInput {
    PlaceInput { name: name.to_owned(), code: None, area_m2: Some(area.to_owned()) }
}

on_both!(places_are_created_only_under_a_parent_of_the_kind_above_them, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let community = community(&store).await;

    let compound = store.create_place(&staff, community, PlaceKind::Compound, named("幸福家园")).await;
    let compound = compound.expect("a compound under a community");
    let building = store.create_place(&staff, compound.id(), PlaceKind::Building, named("1号楼")).await;
    let building = building.expect("a building under a compound");
    let household = store.create_place(&staff, building.id(), PlaceKind::Household, unit("101", "89.56")).await;
    let household = household.expect("a household under a building");
    let building_under_community = store.create_place(&staff, community, PlaceKind::Building, named("9号楼")).await;
    let household_under_compound =
        store.create_place(&staff, compound.id(), PlaceKind::Household, unit("102", "90")).await;
    let community_under_community =
        store.create_place(&staff, community, PlaceKind::Community, named("另一个社区")).await;

    assert_eq!(compound.kind(), PlaceKind::Compound);
    assert_eq!(compound.ancestry.parent_id(), Some(community));
    assert_eq!(building.ancestry.parent_id(), Some(compound.id()));
    assert_eq!(household.kind(), PlaceKind::Household);
    assert_eq!(household.ancestry.at(PlaceKind::Community), Some(community));
    assert_eq!(household.ancestry.at(PlaceKind::Compound), Some(compound.id()));
    assert_eq!(store.place(household.id()).await.expect("stored household"), household);
    assert!(
        matches!(
            building_under_community,
            Err(Error::Invalid(Invalid::PlaceParent { child: "building", parent: "community" }))
        ),
        "{building_under_community:?}"
    );
    assert!(
        matches!(
            household_under_compound,
            Err(Error::Invalid(Invalid::PlaceParent { child: "household", parent: "compound" }))
        ),
        "{household_under_compound:?}"
    );
    assert!(
        matches!(
            community_under_community,
            Err(Error::Invalid(Invalid::PlaceParent { child: "community", parent: "community" }))
        ),
        "{community_under_community:?}"
    );
    let compounds = store.children(Some(community), None, 100).await.expect("children");
    assert_eq!(compounds.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["锦绣花园", "老街小院", "幸福家园"]);
});

on_both!(a_household_needs_an_area_and_no_other_place_takes_one, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let compound = in_community(&store, &["锦绣花园"]).await;
    let building = in_community(&store, &["锦绣花园", "1号楼"]).await;

    let without_area = store.create_place(&staff, building, PlaceKind::Household, named("3单元101")).await;
    let bad_area = store.create_place(&staff, building, PlaceKind::Household, unit("3单元102", "abc")).await;
    let with_area = store.create_place(&staff, building, PlaceKind::Household, unit("3单元103", "75.5")).await;
    let building_with_area = store.create_place(&staff, compound, PlaceKind::Building, unit("3号楼", "500")).await;

    assert!(matches!(without_area, Err(Error::Invalid(Invalid::AreaRequired))), "{without_area:?}");
    assert!(matches!(&bad_area, Err(Error::Invalid(Invalid::FloorArea { given })) if given == "abc"), "{bad_area:?}");
    let household = with_area.expect("a household with its area");
    assert_eq!(household.area.map(|a| a.centi_m2()), Some(7550));
    assert!(matches!(building_with_area, Err(Error::Invalid(Invalid::AreaOnlyOnHouseholds))), "{building_with_area:?}");
    let names: Vec<String> =
        store.children(Some(building), None, 100).await.expect("children").into_iter().map(|p| p.name).collect();
    assert!(!names.iter().any(|n| n == "3单元101" || n == "3单元102"), "{names:?}");
    assert!(!store.children(Some(compound), None, 100).await.expect("children").iter().any(|p| p.name == "3号楼"));

    // Editing keeps the rule: a household edited without an area is refused, a building given one too.
    let edited_without_area = store.edit_place(&staff, household.id(), named("3单元103")).await;
    let building_edited_with_area = store.edit_place(&staff, building, unit("1号楼", "500")).await;
    assert!(matches!(edited_without_area, Err(Error::Invalid(Invalid::AreaRequired))), "{edited_without_area:?}");
    assert!(
        matches!(building_edited_with_area, Err(Error::Invalid(Invalid::AreaOnlyOnHouseholds))),
        "{building_edited_with_area:?}"
    );
    assert_eq!(store.place(household.id()).await.expect("household").area.map(|a| a.centi_m2()), Some(7550));
});

on_both!(sibling_names_are_unique_but_cousins_may_share_one, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let community = community(&store).await;
    let laojie = in_community(&store, &["老街小院"]).await;

    let same_compound = store.create_place(&staff, community, PlaceKind::Compound, named("锦绣花园")).await;
    let same_after_trimming = store.create_place(&staff, community, PlaceKind::Compound, named(" 锦绣花园 ")).await;
    let same_building = store.create_place(&staff, laojie, PlaceKind::Building, named("1号楼")).await;
    let cousin = store.create_place(&staff, laojie, PlaceKind::Building, named("2号楼")).await;
    let renamed_onto_sibling = store.edit_place(&staff, laojie, named("锦绣花园")).await;

    assert!(matches!(same_compound, Err(Error::Conflict(Conflict::SiblingName))), "{same_compound:?}");
    assert!(matches!(same_after_trimming, Err(Error::Conflict(Conflict::SiblingName))), "{same_after_trimming:?}");
    assert!(matches!(same_building, Err(Error::Conflict(Conflict::SiblingName))), "{same_building:?}");
    // 锦绣花园 has a 2号楼 too: names only need to differ among siblings.
    assert_eq!(cousin.expect("a cousin's name is free").name, "2号楼");
    assert!(matches!(renamed_onto_sibling, Err(Error::Conflict(Conflict::SiblingName))), "{renamed_onto_sibling:?}");
    assert_eq!(store.place(laojie).await.expect("laojie").name, "老街小院");
    let compounds = store.children(Some(community), None, 100).await.expect("children");
    assert_eq!(compounds.len(), 2);
});

on_both!(children_page_in_creation_order_after_the_cursor, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let community = community(&store).await;
    for name in ["幸福家园", "和谐家园", "阳光小区"] {
        store.create_place(&staff, community, PlaceKind::Compound, named(name)).await.expect("compound");
    }
    let names = |page: &[gongzhi_infra::places::Place]| page.iter().map(|p| p.name.clone()).collect::<Vec<_>>();

    let first = store.children(Some(community), None, 2).await.expect("first page");
    let second = store.children(Some(community), first.last().map(|p| p.id()), 2).await.expect("second page");
    let third = store.children(Some(community), second.last().map(|p| p.id()), 2).await.expect("third page");
    let past_the_end = store.children(Some(community), third.last().map(|p| p.id()), 2).await.expect("no page");
    let cities = store.children(None, None, 100).await.expect("cities");

    assert_eq!(names(&first), ["锦绣花园", "老街小院"]);
    assert_eq!(names(&second), ["幸福家园", "和谐家园"]);
    assert_eq!(names(&third), ["阳光小区"]);
    assert!(past_the_end.is_empty(), "{past_the_end:?}");
    assert_eq!(names(&cities), ["邯郸市"]);
});

on_both!(a_role_is_held_once_at_a_time_and_may_be_granted_again_after_revocation, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let building = in_community(&store, &["锦绣花园", "2号楼"]).await;
    let resident = person("resident");

    let first = store.grant_role(&staff, resident, Role::BuildingLeader, building).await.expect("first grant");
    let twice = store.grant_role(&staff, resident, Role::BuildingLeader, building).await;
    let revoked = store.revoke_role(&staff, first.id, Some("搬去外地")).await.expect("revoke");
    let held_after_revoking = store.grants_of(resident).await.expect("grants");
    let again = store.grant_role(&staff, resident, Role::BuildingLeader, building).await.expect("granted again");

    assert_eq!(first.granted_by, Some(staff.person));
    assert_eq!(first.place, building);
    assert!(matches!(twice, Err(Error::Conflict(Conflict::LiveGrant))), "{twice:?}");
    assert_eq!(revoked.id, first.id);
    assert_eq!(revoked.revoked_by, Some(staff.person));
    assert!(revoked.revoked_at.is_some());
    assert_eq!(revoked.revoke_reason.as_deref(), Some("搬去外地"));
    assert!(!held_after_revoking.iter().any(|g| g.role == Role::BuildingLeader), "{held_after_revoking:?}");
    assert_ne!(again.id, first.id);
    let leaders: Vec<_> = store
        .grants_of(resident)
        .await
        .expect("grants")
        .into_iter()
        .filter(|g| g.role == Role::BuildingLeader && g.place == building)
        .map(|g| g.id)
        .collect();
    assert_eq!(leaders, [again.id]);
});

on_both!(a_grant_is_revoked_only_once, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let building = in_community(&store, &["锦绣花园", "2号楼"]).await;
    let grant = store.grant_role(&staff, person("resident"), Role::BuildingLeader, building).await.expect("grant");
    let first = store.revoke_role(&staff, grant.id, None).await.expect("first revocation");

    let second = store.revoke_role(&staff, grant.id, Some("again")).await;

    assert!(matches!(second, Err(Error::Invalid(Invalid::AlreadyRevoked))), "{second:?}");
    let unchanged = store.grant_for(&staff, grant.id).await.expect("grant");
    assert_eq!(unchanged.revoked_at, first.revoked_at);
    assert_eq!(unchanged.revoke_reason, None);
});

on_both!(property_roles_need_a_company_under_contract, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let laojie = in_community(&store, &["老街小院"]).await;
    let jinxiu = in_community(&store, &["锦绣花园"]).await;
    let contractor = store.place(jinxiu).await.expect("jinxiu").property_company;

    let without_contract = store.grant_role(&staff, person("resident"), Role::PropertyStaff, laojie).await;
    let under_contract = store.grant_role(&staff, person("resident"), Role::PropertyStaff, jinxiu).await;

    assert!(matches!(without_contract, Err(Error::Invalid(Invalid::NoPropertyCompany))), "{without_contract:?}");
    assert!(contractor.is_some());
    assert_eq!(under_contract.expect("grant under contract").company, contractor);
    assert!(!store.grants_of(person("resident")).await.expect("grants").iter().any(|g| g.place == laojie));
});

on_both!(property_roles_lose_their_powers_when_the_contract_goes_to_another_company, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let manager = actor(&store, "property_manager").await;
    let jinxiu = in_community(&store, &["锦绣花园"]).await;
    let household = in_community(&store, &["锦绣花园", "1号楼", "1单元101"]).await;
    let before = store.place_context(household).await.expect("context");
    assert_eq!(authorize(&manager, Action::ReviewClaim, &before), Ok(()));
    let newcomer = store.register_company(&staff, "宜居物业服务有限公司", None).await.expect("company");

    let compound = store.assign_property_company(&staff, jinxiu, Some(newcomer.id)).await.expect("reassigned");

    assert_eq!(compound.property_company, Some(newcomer.id));
    let after = store.place_context(household).await.expect("context");
    assert_eq!(authorize(&manager, Action::ReviewClaim, &after), Err(Denied::Forbidden));
    // The old company's manager still holds the grant, but it no longer lets them appoint staff there.
    let manager = actor(&store, "property_manager").await;
    assert!(manager.grants.iter().any(|g| g.role == Role::PropertyManager));
    let appointed = store.grant_role(&manager, person("resident"), Role::PropertyStaff, jinxiu).await;
    assert!(matches!(appointed, Err(Error::Denied(Denied::Requires(_)))), "{appointed:?}");
    // New property grants are for the new company.
    let hired = store.grant_role(&staff, person("resident"), Role::PropertyStaff, jinxiu).await.expect("grant");
    assert_eq!(hired.company, Some(newcomer.id));
    let hired_staff = actor(&store, "resident").await;
    assert_eq!(authorize(&hired_staff, Action::ReviewClaim, &after), Ok(()));
});

on_both!(the_owners_committee_takes_no_more_members_than_it_has_seats, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let officer = actor(&store, "street_officer").await;
    let jinxiu = in_community(&store, &["锦绣花园"]).await;
    assert_eq!(
        store.compound_facts(jinxiu).await.expect("facts").owners_committee,
        Some(OwnersCommittee { seats: 5, filled: 3 })
    );

    let fourth = store.grant_role(&officer, person("owner"), Role::OwnersCommitteeMember, jinxiu).await;
    let fifth = store.grant_role(&officer, person("resident"), Role::OwnersCommitteeMember, jinxiu).await;
    let sixth = store.grant_role(&officer, person("old_owner"), Role::OwnersCommitteeMember, jinxiu).await;
    let sixth_as_chair = store.grant_role(&officer, person("old_owner"), Role::OwnersCommitteeChair, jinxiu).await;

    assert!(fourth.is_ok(), "{fourth:?}");
    assert!(fifth.is_ok(), "{fifth:?}");
    assert!(matches!(sixth, Err(Error::Invalid(Invalid::CommitteeFull { seats: 5 }))), "{sixth:?}");
    assert!(matches!(sixth_as_chair, Err(Error::Invalid(Invalid::CommitteeFull { seats: 5 }))), "{sixth_as_chair:?}");
    assert_eq!(
        store.compound_facts(jinxiu).await.expect("facts").owners_committee,
        Some(OwnersCommittee { seats: 5, filled: 5 })
    );
});

on_both!(the_residents_committee_acts_once_fewer_than_half_the_seats_are_filled, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let officer = actor(&store, "street_officer").await;
    let staff = actor(&store, "rc_staff").await;
    let chair = actor(&store, "oc_chair").await;
    let jinxiu = in_community(&store, &["锦绣花园"]).await;
    let laojie = in_community(&store, &["老街小院"]).await;
    let before = store.compound_facts(jinxiu).await.expect("facts");
    let context_before = store.place_context(jinxiu).await.expect("context");
    let mut members = Vec::new();
    for handle in ["oc_member", "oc_member2"] {
        let grants = store.grants_of(person(handle)).await.expect("grants");
        let grant = grants.into_iter().find(|g| g.role == Role::OwnersCommitteeMember && g.place == jinxiu);
        members.push(grant.expect("a committee seat").id);
    }

    for member in members {
        store.revoke_role(&officer, member, Some("辞职")).await.expect("revoked");
    }

    let after = store.compound_facts(jinxiu).await.expect("facts");
    let context_after = store.place_context(jinxiu).await.expect("context");
    assert!(!before.residents_committee_acts_for_owners(), "{before:?}");
    assert_eq!(after.owners_committee, Some(OwnersCommittee { seats: 5, filled: 1 }));
    assert!(after.residents_committee_acts_for_owners(), "{after:?}");
    assert!(store.compound_facts(laojie).await.expect("facts").residents_committee_acts_for_owners());
    assert_eq!(authorize(&chair, Action::ActForOwnersCommittee, &context_before), Ok(()));
    assert!(authorize(&staff, Action::ActForOwnersCommittee, &context_before).is_err());
    assert!(authorize(&chair, Action::ActForOwnersCommittee, &context_after).is_err());
    assert_eq!(authorize(&staff, Action::ActForOwnersCommittee, &context_after), Ok(()));
});

on_both!(a_household_claim_is_confirmed_once_and_grants_the_claimed_role, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let claimant = actor(&store, "resident").await;
    let other = actor(&store, "owner").await;
    let household = in_community(&store, &["锦绣花园", "1号楼", "1单元102"]).await;

    let claim = store
        .claim_household(&claimant, household, ClaimRelation::Owner, Some("产权证上是我的名字"))
        .await
        .expect("claim");
    let second = store.claim_household(&claimant, household, ClaimRelation::Owner, None).await;
    let confirmed = store.decide_claim(&staff, claim.id, true, None).await.expect("confirmed");
    let grants = store.grants_of(claimant.person).await.expect("grants");
    let confirmed_again = store.decide_claim(&staff, claim.id, true, None).await;
    let withdrawn_by_other = store.withdraw_claim(&other, claim.id).await;
    let withdrawn_by_claimant = store.withdraw_claim(&claimant, claim.id).await;

    assert_eq!(claim.status, ClaimStatus::Pending);
    assert_eq!(claim.note.as_deref(), Some("产权证上是我的名字"));
    assert!(matches!(second, Err(Error::Conflict(Conflict::PendingClaim))), "{second:?}");
    assert!(
        matches!(confirmed.status, ClaimStatus::Confirmed { by, .. } if by == staff.person),
        "{:?}",
        confirmed.status
    );
    let owned: Vec<_> = grants.iter().filter(|g| g.role == Role::Owner && g.place == household).collect();
    assert_eq!(owned.len(), 1, "{grants:?}");
    assert_eq!(owned[0].granted_by, Some(staff.person));
    assert!(
        matches!(confirmed_again, Err(Error::Invalid(Invalid::ClaimNotPending { state: "confirmed" }))),
        "{confirmed_again:?}"
    );
    assert!(matches!(withdrawn_by_other, Err(Error::NotFound(_))), "{withdrawn_by_other:?}");
    assert!(
        matches!(withdrawn_by_claimant, Err(Error::Invalid(Invalid::ClaimNotPending { .. }))),
        "{withdrawn_by_claimant:?}"
    );
    let stored = store.claim_for(&claimant, claim.id).await.expect("claim");
    assert!(matches!(stored.status, ClaimStatus::Confirmed { .. }), "{stored:?}");
    // Holding the role now, the claimant cannot claim it again.
    let held = store.claim_household(&claimant, household, ClaimRelation::Owner, None).await;
    assert!(matches!(held, Err(Error::Conflict(Conflict::AlreadyHeld))), "{held:?}");
});

on_both!(a_claim_is_rejected_only_with_a_reason_the_claimant_can_read, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let claimant = stranger(&store, "openid-newcomer").await;
    let household = in_community(&store, &["锦绣花园", "1号楼", "1单元201"]).await;
    let claim = store.claim_household(&claimant, household, ClaimRelation::Resident, None).await.expect("claim");

    let without_reason = store.decide_claim(&staff, claim.id, false, None).await;
    let blank_reason = store.decide_claim(&staff, claim.id, false, Some("   ")).await;
    let still_pending = store.claim_for(&claimant, claim.id).await.expect("claim");
    let rejected = store.decide_claim(&staff, claim.id, false, Some("查无此人")).await.expect("rejected");

    assert!(matches!(without_reason, Err(Error::Invalid(Invalid::ReasonRequired))), "{without_reason:?}");
    assert!(matches!(blank_reason, Err(Error::Invalid(Invalid::ReasonRequired))), "{blank_reason:?}");
    assert_eq!(still_pending.status, ClaimStatus::Pending);
    assert!(
        matches!(&rejected.status, ClaimStatus::Rejected { by, reason, .. } if *by == staff.person && reason == "查无此人"),
        "{:?}",
        rejected.status
    );
    let mine = store.my_claims(&claimant).await.expect("my claims");
    assert_eq!(mine.len(), 1);
    assert!(matches!(&mine[0].status, ClaimStatus::Rejected { reason, .. } if reason == "查无此人"), "{mine:?}");
    assert!(store.grants_of(claimant.person).await.expect("grants").is_empty());
    // A rejected claim is no longer pending, so the claimant may try again.
    let retry = store.claim_household(&claimant, household, ClaimRelation::Resident, Some("补充了租房合同")).await;
    assert!(retry.is_ok(), "{retry:?}");
});

on_both!(pending_claims_lists_only_pending_claims_and_only_to_reviewers, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let community = community(&store).await;
    let jinxiu = in_community(&store, &["锦绣花园"]).await;
    let jinxiu_1 = in_community(&store, &["锦绣花园", "1号楼"]).await;
    let unit_201 = in_community(&store, &["锦绣花园", "1号楼", "1单元201"]).await;
    let unit_202 = in_community(&store, &["锦绣花园", "1号楼", "1单元202"]).await;
    let jinxiu_2_101 = in_community(&store, &["锦绣花园", "2号楼", "1单元101"]).await;
    let laojie_102 = in_community(&store, &["老街小院", "1号楼", "102"]).await;
    let (a, b, c, d) = (
        stranger(&store, "openid-a").await,
        stranger(&store, "openid-b").await,
        stranger(&store, "openid-c").await,
        stranger(&store, "openid-d").await,
    );
    let pending_in_jinxiu = store.claim_household(&a, unit_201, ClaimRelation::Resident, None).await.expect("claim");
    let withdrawn = store.claim_household(&b, unit_202, ClaimRelation::Resident, None).await.expect("claim");
    store.withdraw_claim(&b, withdrawn.id).await.expect("withdrawn");
    let rejected = store.claim_household(&c, jinxiu_2_101, ClaimRelation::Owner, None).await.expect("claim");
    store.decide_claim(&staff, rejected.id, false, Some("无产权证明")).await.expect("rejected");
    let confirmed = store.claim_household(&d, unit_202, ClaimRelation::Resident, None).await.expect("claim");
    store.decide_claim(&staff, confirmed.id, true, None).await.expect("confirmed");
    let pending_in_laojie = store.claim_household(&a, laojie_102, ClaimRelation::Owner, None).await.expect("claim");
    let ids = |claims: Vec<gongzhi_domain::claim::HouseholdClaim>| claims.into_iter().map(|c| c.id).collect::<Vec<_>>();

    let staff_in_community = store.pending_claims(&staff, community, 100).await.expect("staff");
    let staff_in_jinxiu = store.pending_claims(&staff, jinxiu, 100).await.expect("staff");
    let manager_in_jinxiu = store.pending_claims(&actor(&store, "property_manager").await, jinxiu, 100).await;
    let leader_in_building = store.pending_claims(&actor(&store, "building_leader").await, jinxiu_1, 100).await;
    let chair_in_jinxiu = store.pending_claims(&actor(&store, "oc_chair").await, jinxiu, 100).await;
    let resident_in_community = store.pending_claims(&actor(&store, "resident").await, community, 100).await;
    let stranger_in_community = store.pending_claims(&stranger(&store, "openid-e").await, community, 100).await;

    assert_eq!(ids(staff_in_community), [pending_in_jinxiu.id, pending_in_laojie.id]);
    assert_eq!(ids(staff_in_jinxiu), [pending_in_jinxiu.id]);
    assert_eq!(ids(manager_in_jinxiu.expect("property manager")), [pending_in_jinxiu.id]);
    // Building leaders and committee members read the register but do not review claims.
    assert!(leader_in_building.expect("building leader").is_empty());
    assert!(chair_in_jinxiu.expect("committee chair").is_empty());
    assert!(matches!(resident_in_community, Err(Error::Denied(Denied::Requires(_)))), "{resident_in_community:?}");
    assert!(matches!(stranger_in_community, Err(Error::Denied(Denied::Hidden))), "{stranger_in_community:?}");
});

on_both!(a_reused_refresh_token_revokes_the_whole_session, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let keys = gongzhi_api::startup::jwt_keys(&gongzhi_api::config::Settings::default()).expect("demo keys");
    let owner = person("owner");
    let login = store.start_session(&keys, owner).await.expect("session");
    let claims = keys.verify(&login.access_token, store.clock().now()).expect("a valid access token");
    assert_eq!((claims.person(), claims.session()), (owner, login.session));
    assert!(store.session_live(login.session).await.expect("live"));

    let refreshed = store.refresh_session(&keys, &login.refresh_token).await.expect("refreshed");
    let reused = store.refresh_session(&keys, &login.refresh_token).await;
    let newest = store.refresh_session(&keys, &refreshed.refresh_token).await;

    assert_eq!((refreshed.person, refreshed.session), (owner, login.session));
    assert_ne!(refreshed.refresh_token, login.refresh_token);
    let claims = keys.verify(&refreshed.access_token, store.clock().now()).expect("a valid access token");
    assert_eq!(claims.session(), login.session);
    assert!(matches!(reused, Err(Error::Auth(AuthError::RefreshReused))), "{reused:?}");
    assert!(matches!(newest, Err(Error::Auth(AuthError::SessionEnded))), "{newest:?}");
    assert!(!store.session_live(login.session).await.expect("live"));
});

on_both!(ending_a_session_ends_only_that_session, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let keys = gongzhi_api::startup::jwt_keys(&gongzhi_api::config::Settings::default()).expect("demo keys");
    let phone = store.start_session(&keys, person("owner")).await.expect("session");
    let tablet = store.start_session(&keys, person("owner")).await.expect("session");

    store.end_session(phone.session, person("owner")).await.expect("ended");

    assert!(!store.session_live(phone.session).await.expect("live"));
    assert!(store.session_live(tablet.session).await.expect("live"));
    let refresh_ended = store.refresh_session(&keys, &phone.refresh_token).await;
    assert!(matches!(refresh_ended, Err(Error::Auth(AuthError::SessionEnded))), "{refresh_ended:?}");
    assert!(store.refresh_session(&keys, &tablet.refresh_token).await.is_ok());
    let unknown = store.refresh_session(&keys, "not-a-token-we-issued").await;
    assert!(matches!(unknown, Err(Error::Auth(AuthError::InvalidRefresh))), "{unknown:?}");
});

on_both!(a_sitting_member_can_be_made_chair_of_a_full_committee, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let officer = actor(&store, "street_officer").await;
    let jinxiu = in_community(&store, &["锦绣花园"]).await;
    store.set_owners_committee(&officer, jinxiu, Some(3)).await.expect("3 seats for the 3 members");
    let member = person("oc_member");

    let promoted = store.grant_role(&officer, member, Role::OwnersCommitteeChair, jinxiu).await;
    let outsider = store.grant_role(&officer, person("resident"), Role::OwnersCommitteeMember, jinxiu).await;

    assert!(promoted.is_ok(), "{promoted:?}");
    assert!(matches!(outsider, Err(Error::Invalid(Invalid::CommitteeFull { seats: 3 }))), "{outsider:?}");
});

on_both!(seats_cannot_be_set_below_the_members_in_office, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let officer = actor(&store, "street_officer").await;
    let jinxiu = in_community(&store, &["锦绣花园"]).await;

    let too_few = store.set_owners_committee(&officer, jinxiu, Some(2)).await;

    assert!(matches!(too_few, Err(Error::Invalid(Invalid::CommitteeSeats { .. }))), "below the minimum: {too_few:?}");
    store.grant_role(&officer, person("resident"), Role::OwnersCommitteeMember, jinxiu).await.expect("4th member");
    let below = store.set_owners_committee(&officer, jinxiu, Some(3)).await;
    assert!(matches!(below, Err(Error::Invalid(Invalid::SeatsBelowMembers { seats: 3, filled: 4 }))), "{below:?}");
});

on_both!(confirming_a_claim_for_a_role_already_held_succeeds_without_a_second_grant, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let household = in_community(&store, &["老街小院", "1号楼", "102"]).await;
    let newcomer = store.person_for_wechat("oNewcomerClaim01", None).await.expect("person");
    let claimant = store.actor(newcomer.id).await.expect("actor");
    let claim = store.claim_household(&claimant, household, ClaimRelation::Resident, None).await.expect("claim");
    store.grant_role(&staff, newcomer.id, Role::Resident, household).await.expect("granted directly meanwhile");

    let confirmed = store.decide_claim(&staff, claim.id, true, None).await;

    assert!(confirmed.is_ok(), "{confirmed:?}");
    let grants = store.grants_of(newcomer.id).await.expect("grants");
    assert_eq!(grants.iter().filter(|g| g.role == Role::Resident).count(), 1);
});

on_both!(grids_group_buildings_of_their_own_community_only, |backend| async move {
    let Some((store, _db)) = demo_store(backend).await else { return };
    let staff = actor(&store, "rc_staff").await;
    let community = community(&store).await;
    let building = in_community(&store, &["锦绣花园", "1号楼"]).await;

    let grid = store.create_grid(&staff, community, "第一网格").await.expect("grid");
    let again = store.create_grid(&staff, community, "第一网格").await;
    let by_resident = store.create_grid(&actor(&store, "resident").await, community, "第二网格").await;
    store.assign_building_to_grid(&staff, grid.id, building).await.expect("assigned");
    let compound = in_community(&store, &["锦绣花园"]).await;
    let not_a_building = store.assign_building_to_grid(&staff, grid.id, compound).await;

    assert!(matches!(again, Err(Error::Conflict(Conflict::GridName))), "{again:?}");
    assert!(matches!(by_resident, Err(Error::Denied(Denied::Requires(_)))), "{by_resident:?}");
    assert!(matches!(not_a_building, Err(Error::Invalid(Invalid::WrongPlaceKind { .. }))), "{not_a_building:?}");
    assert_eq!(store.grid_buildings(grid.id).await.expect("buildings"), vec![building]);
});
