//! GraphQL enums mirroring the domain's, converted both ways.

use async_graphql::Enum;
use gongzhi_domain::claim::ClaimRelation as DomainRelation;
use gongzhi_domain::place::PlaceKind as DomainKind;
use gongzhi_domain::role::Role as DomainRole;

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident <=> $domain:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $($domain::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => $domain::$variant),+ }
            }
        }
    };
}

mirror!(
    /// A level of the tenancy tree.
    PlaceKind <=> DomainKind { City, District, Street, Community, Compound, Building, Household }
);

mirror!(
    /// A role held at a place; see DOMAIN.md "People and roles".
    Role <=> DomainRole {
        Resident, Owner, BuildingLeader, OwnersCommitteeMember, OwnersCommitteeChair,
        ResidentsCommitteeStaff, PartySecretary, PropertyStaff, PropertyManager,
        StreetOfficer, DistrictOfficer, CityAdministrator, Lawyer, Mediator, Deputy, SocialWorker,
    }
);

mirror!(
    /// What a claimant says they are to a household.
    ClaimRelation <=> DomainRelation { Resident, Owner }
);

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ClaimStatus {
    Pending,
    Confirmed,
    Rejected,
    Withdrawn,
}
