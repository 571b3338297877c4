//! Roles are granted per place and may combine (交叉任职 is encouraged by policy). Each role is granted on
//! one kind of place; the powers it carries are decided in [`crate::policy`].

use std::fmt;

use crate::Invalid;
use crate::ids::{CompanyId, RoleGrantId};
use crate::place::{Ancestry, PlaceKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 居民: lives in the household.
    Resident,
    /// 业主: verified owner of the household (the unit), whose area weighs in owners' votes.
    Owner,
    /// 楼门长: informant, mediator, publicist, patroller and liaison of a building.
    BuildingLeader,
    /// 业委会委员.
    OwnersCommitteeMember,
    /// 业委会主任.
    OwnersCommitteeChair,
    /// 居委会工作人员.
    ResidentsCommitteeStaff,
    /// 社区党组织书记.
    PartySecretary,
    /// 物业人员, for a compound its company serves.
    PropertyStaff,
    /// 物业项目经理.
    PropertyManager,
    /// 街道干部.
    StreetOfficer,
    /// 区县干部.
    DistrictOfficer,
    /// 市级管理员.
    CityAdministrator,
    /// Third parties on a community's roster, invited to single deliberations: 律师, 调解员, 人大代表/政协委员,
    /// 社工. The roster role itself carries no powers beyond those of anyone connected to the community.
    Lawyer,
    Mediator,
    Deputy,
    SocialWorker,
}

impl Role {
    pub const ALL: [Role; 16] = [
        Role::Resident,
        Role::Owner,
        Role::BuildingLeader,
        Role::OwnersCommitteeMember,
        Role::OwnersCommitteeChair,
        Role::ResidentsCommitteeStaff,
        Role::PartySecretary,
        Role::PropertyStaff,
        Role::PropertyManager,
        Role::StreetOfficer,
        Role::DistrictOfficer,
        Role::CityAdministrator,
        Role::Lawyer,
        Role::Mediator,
        Role::Deputy,
        Role::SocialWorker,
    ];

    /// The kind of place this role is granted on.
    pub const fn scope(self) -> PlaceKind {
        match self {
            Role::Resident | Role::Owner => PlaceKind::Household,
            Role::BuildingLeader => PlaceKind::Building,
            Role::OwnersCommitteeMember | Role::OwnersCommitteeChair | Role::PropertyStaff | Role::PropertyManager => {
                PlaceKind::Compound
            }
            Role::ResidentsCommitteeStaff
            | Role::PartySecretary
            | Role::Lawyer
            | Role::Mediator
            | Role::Deputy
            | Role::SocialWorker => PlaceKind::Community,
            Role::StreetOfficer => PlaceKind::Street,
            Role::DistrictOfficer => PlaceKind::District,
            Role::CityAdministrator => PlaceKind::City,
        }
    }

    pub const fn is_property(self) -> bool {
        matches!(self, Role::PropertyStaff | Role::PropertyManager)
    }

    pub const fn is_owners_committee(self) -> bool {
        matches!(self, Role::OwnersCommitteeMember | Role::OwnersCommitteeChair)
    }

    pub const fn is_community_staff(self) -> bool {
        matches!(self, Role::ResidentsCommitteeStaff | Role::PartySecretary)
    }

    /// Street, district and city officers, by how high they sit (street 1, district 2, city 3).
    pub const fn officer_level(self) -> Option<u8> {
        match self {
            Role::StreetOfficer => Some(1),
            Role::DistrictOfficer => Some(2),
            Role::CityAdministrator => Some(3),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Owner => "owner",
            Role::BuildingLeader => "building_leader",
            Role::OwnersCommitteeMember => "owners_committee_member",
            Role::OwnersCommitteeChair => "owners_committee_chair",
            Role::ResidentsCommitteeStaff => "residents_committee_staff",
            Role::PartySecretary => "party_secretary",
            Role::PropertyStaff => "property_staff",
            Role::PropertyManager => "property_manager",
            Role::StreetOfficer => "street_officer",
            Role::DistrictOfficer => "district_officer",
            Role::CityAdministrator => "city_administrator",
            Role::Lawyer => "lawyer",
            Role::Mediator => "mediator",
            Role::Deputy => "deputy",
            Role::SocialWorker => "social_worker",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "role", given: input.to_owned() })
    }

    /// A grant must sit on a place of the role's kind.
    pub fn check_scope(self, place: PlaceKind) -> Result<(), Invalid> {
        if place == self.scope() {
            Ok(())
        } else {
            Err(Invalid::RoleScope { role: self.as_str(), expected: self.scope().as_str(), given: place.as_str() })
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role a person holds now, with where it sits. Property roles also name the company they work for:
/// they only count while that company holds the compound's contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: RoleGrantId,
    pub role: Role,
    pub place: Ancestry,
    pub company: Option<CompanyId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("emperor").is_err());
    }

    #[test]
    fn roles_sit_on_their_own_kind_of_place() {
        assert!(Role::BuildingLeader.check_scope(PlaceKind::Building).is_ok());
        assert!(Role::BuildingLeader.check_scope(PlaceKind::Compound).is_err());
        assert!(Role::Owner.check_scope(PlaceKind::Household).is_ok());
        assert!(Role::PartySecretary.check_scope(PlaceKind::Community).is_ok());
    }
}
