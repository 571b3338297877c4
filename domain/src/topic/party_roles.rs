//! Which roles act for each of the five parties at a compound. The policy (`ActForParty`,
//! `ActForOwnersCommittee`) and the outbox's recipients of a party's messages both read this, so the people
//! told about a task are the people allowed to carry it out.
//!
//! Each role sits on one kind of place (`Role::scope`), which says where the acting grants are: community
//! staff on the compound's community, the owners' committee and the property company on the compound,
//! building leaders on its buildings. Property roles count only while their company holds the compound's
//! contract, as everywhere in the policy.

use super::Party;
use crate::place::CompoundFacts;
use crate::role::Role;

const COMMUNITY_STAFF: &[Role] = &[Role::ResidentsCommitteeStaff, Role::PartySecretary];
const OWNERS_COMMITTEE: &[Role] = &[Role::OwnersCommitteeChair, Role::OwnersCommitteeMember];
const PROPERTY: &[Role] = &[Role::PropertyManager, Role::PropertyStaff];
const BUILDING_LEADERS: &[Role] = &[Role::BuildingLeader];

impl Party {
    /// The roles that act for this party at a compound with these facts. The owners' committee is the one
    /// party that depends on them: where it is missing or fewer than half its seats are filled, community
    /// staff act for it (代行, `CompoundFacts::residents_committee_acts_for_owners`).
    pub fn acting_roles(self, compound: &CompoundFacts) -> &'static [Role] {
        match self {
            Party::PartyOrganisation | Party::ResidentsCommittee => COMMUNITY_STAFF,
            Party::OwnersCommittee if compound.residents_committee_acts_for_owners() => COMMUNITY_STAFF,
            Party::OwnersCommittee => OWNERS_COMMITTEE,
            Party::BuildingLeaders => BUILDING_LEADERS,
            Party::PropertyCompany => PROPERTY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::place::{OwnersCommittee, PlaceKind};

    fn committee(seats: u16, filled: u16) -> CompoundFacts {
        CompoundFacts { owners_committee: Some(OwnersCommittee { seats, filled }), property_company: None }
    }

    fn sorted(roles: &[Role]) -> Vec<Role> {
        let mut roles = roles.to_vec();
        roles.sort();
        roles
    }

    #[test]
    fn each_party_is_acted_for_by_its_own_roles() {
        let full = committee(7, 7);
        let staff = vec![Role::ResidentsCommitteeStaff, Role::PartySecretary];
        let expected = [
            (Party::PartyOrganisation, staff.clone()),
            (Party::ResidentsCommittee, staff),
            (Party::OwnersCommittee, vec![Role::OwnersCommitteeMember, Role::OwnersCommitteeChair]),
            (Party::BuildingLeaders, vec![Role::BuildingLeader]),
            (Party::PropertyCompany, vec![Role::PropertyStaff, Role::PropertyManager]),
        ];
        for (party, roles) in expected {
            assert_eq!(sorted(party.acting_roles(&full)), sorted(&roles), "{party:?}");
        }
    }

    #[test]
    fn community_staff_act_for_a_missing_or_under_half_owners_committee() {
        let staff = sorted(&[Role::ResidentsCommitteeStaff, Role::PartySecretary]);
        let members = sorted(&[Role::OwnersCommitteeMember, Role::OwnersCommitteeChair]);
        let cases = [
            (CompoundFacts::default(), &staff),
            (committee(7, 0), &staff),
            (committee(7, 3), &staff),
            (committee(6, 3), &members),
            (committee(7, 4), &members),
        ];
        for (facts, roles) in cases {
            assert_eq!(&sorted(Party::OwnersCommittee.acting_roles(&facts)), roles, "{facts:?}");
        }
    }

    #[test]
    fn no_other_party_depends_on_the_owners_committee() {
        for party in Party::ALL.into_iter().filter(|p| *p != Party::OwnersCommittee) {
            assert_eq!(party.acting_roles(&CompoundFacts::default()), party.acting_roles(&committee(7, 7)));
        }
    }

    #[test]
    fn every_acting_role_sits_on_the_compound_its_community_or_its_buildings() {
        let sits = [PlaceKind::Community, PlaceKind::Compound, PlaceKind::Building];
        for facts in [CompoundFacts::default(), committee(7, 7)] {
            for party in Party::ALL {
                for role in party.acting_roles(&facts) {
                    assert!(sits.contains(&role.scope()), "{party:?}: {role:?} sits on a {}", role.scope());
                }
            }
        }
    }
}
