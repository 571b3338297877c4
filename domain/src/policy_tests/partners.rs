//! Policy tests: API partners read topics within their scope and take no person's action; only city
//! administrators keep the partner registry.

use chrono::TimeZone;

use super::*;
use crate::ids::PartnerId;
use crate::partner::{Partner, PartnerDenied, PartnerKind, PartnerName, PartnerStatus};
use crate::policy::{Caller, authorize_partner, authorize_partner_administration, authorize_partner_registry};
use crate::topic::Party;

fn partner_over(scope: &Ancestry) -> Partner {
    Partner {
        id: PartnerId::from_uuid(Uuid::new_v4()),
        name: PartnerName::parse("智慧社区").unwrap_or_else(|e| panic!("{e}")),
        kind: PartnerKind::SmartCommunityApp,
        scope: scope.clone(),
        rate_budget: None,
        secret_version: 1,
        previous_secret: None,
        scopes: crate::partner::PartnerScopes::new(crate::partner::PartnerScope::ALL).unwrap_or_else(|e| panic!("{e}")),
        status: PartnerStatus::Active,
    }
}

/// Every action but reading topics, at a compound, where most of them apply.
fn peoples_actions() -> Vec<Action> {
    let mut actions = actions_at(PlaceKind::Compound);
    actions.extend([
        Action::SubmitTopic,
        Action::CoSignTopic,
        Action::TriageTopic,
        Action::TriageEscalatedTopic(PlaceKind::Street),
        Action::ViewStaffTimeline,
        Action::HandleServiceRequest,
        Action::ActForParty(Party::PropertyCompany),
        Action::RateTopic,
        Action::PostOpinion,
        Action::ModerateOpinions,
        Action::ManageRounds,
        Action::RecordDeveloper,
        Action::MergePeople,
        Action::ManageSurveys,
        Action::AnswerSurvey,
        Action::ViewSurveys,
        Action::ModerateContent,
    ]);
    actions
}

#[test]
fn a_partner_reads_the_topics_of_places_at_or_below_its_scope_only() {
    // Arrange
    let tree = Tree::new();
    let partner = partner_over(&tree.community_1);

    // Act
    let read = |place: &Ancestry| authorize_partner(&partner, Action::ViewTopics, &tree.at(place));

    // Assert
    assert_eq!(read(&tree.community_1), Ok(()));
    assert_eq!(read(&tree.compound_a), Ok(()));
    assert_eq!(read(&tree.building_b), Ok(()));
    assert_eq!(read(&tree.compound_c2), Err(PartnerDenied::OutOfScope), "another community");
    assert_eq!(read(&tree.street), Err(PartnerDenied::OutOfScope), "above its scope");
    assert_eq!(read(&tree.household_a1), Err(PartnerDenied::OutOfScope), "a household is no feed");
}

#[test]
fn a_city_wide_partner_reads_every_topic_of_its_city() {
    // Arrange
    let tree = Tree::new();
    let partner = partner_over(&tree.city);

    // Act
    let in_one = authorize_partner(&partner, Action::ViewTopics, &tree.at(&tree.compound_a));
    let in_other = authorize_partner(&partner, Action::ViewTopics, &tree.at(&tree.compound_c2));
    let whole = authorize_partner(&partner, Action::ViewTopics, &tree.at(&tree.city));

    // Assert
    assert_eq!((in_one, in_other, whole), (Ok(()), Ok(()), Ok(())));
}

#[test]
fn a_partner_takes_no_persons_action_even_inside_its_scope() {
    // Arrange
    let tree = Tree::new();
    let partner = partner_over(&tree.city);

    for action in peoples_actions() {
        // Act
        let answer = authorize_partner(&partner, action, &tree.at(&tree.compound_a));

        // Assert
        assert_eq!(answer, Err(PartnerDenied::PeopleOnly), "{action:?}");
    }
}

#[test]
fn a_disabled_partner_reads_nothing() {
    // Arrange
    let tree = Tree::new();
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().unwrap_or_else(|| panic!("valid time"));
    let partner = partner_over(&tree.city).disable(at);

    // Act
    let answer = authorize_partner(&partner, Action::ViewTopics, &tree.at(&tree.compound_a));

    // Assert
    assert_eq!(answer, Err(PartnerDenied::Disabled));
}

#[test]
fn a_partner_caller_is_never_a_person_and_is_refused_like_one_when_reading() {
    // Arrange
    let tree = Tree::new();
    let partner = partner_over(&tree.compound_a);
    let resident = one_role(Role::Resident, &tree.household_a1);

    // Act
    let as_partner = Caller::from(&partner);
    let as_resident = Caller::from(&resident);

    // Assert
    assert_eq!(as_partner.person().err(), Some(PartnerDenied::PeopleOnly));
    assert_eq!(as_partner.person_id(), None);
    assert_eq!(as_resident.person().map(|actor| actor.person), Ok(resident.person));
    assert_eq!(as_partner.authorize(Action::ViewTopics, &tree.at(&tree.building_a)), Ok(()));
    assert_eq!(as_partner.authorize(Action::ViewTopics, &tree.at(&tree.compound_b)), Err(Denied::Hidden));
    assert_eq!(as_partner.authorize(Action::ViewStaffTimeline, &tree.at(&tree.compound_a)), Err(Denied::Forbidden));
    assert_eq!(as_resident.authorize(Action::ViewTopics, &tree.at(&tree.compound_a)), Ok(()));
}

#[test]
fn only_a_city_administrator_of_the_scopes_city_administers_its_partners() {
    // Arrange
    let tree = Tree::new();
    let other_city = Tree::new();
    let admin = one_role(Role::CityAdministrator, &tree.city);
    let admin_elsewhere = one_role(Role::CityAdministrator, &other_city.city);
    let refused = [
        one_role(Role::DistrictOfficer, &tree.district),
        one_role(Role::StreetOfficer, &tree.street),
        one_role(Role::ResidentsCommitteeStaff, &tree.community_1),
        one_role(Role::PartySecretary, &tree.community_1),
        one_role(Role::Resident, &tree.household_a1),
    ];

    // Act
    let by_admin = authorize_partner_administration(&admin, &tree.compound_a);
    let whole_city = authorize_partner_administration(&admin, &tree.city);
    let by_admin_elsewhere = authorize_partner_administration(&admin_elsewhere, &tree.compound_a);

    // Assert
    assert_eq!((by_admin, whole_city), (Ok(()), Ok(())));
    assert!(matches!(&by_admin_elsewhere, Err(Denied::Requires(needed)) if needed[0].place == tree.city.id()));
    assert_eq!(authorize_partner_registry(&admin), Ok(()));
    assert_eq!(authorize_partner_registry(&admin_elsewhere), Ok(()), "lists its own city's partners");
    for actor in refused {
        let administration = authorize_partner_administration(&actor, &tree.community_1);
        assert!(matches!(administration, Err(Denied::Requires(_))), "{actor:?}");
        assert!(matches!(authorize_partner_registry(&actor), Err(Denied::Requires(_))), "{actor:?}");
    }
}
