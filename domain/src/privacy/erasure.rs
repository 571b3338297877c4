//! Closing an account (删除个人信息 / 注销, PIPL art. 47; decisions 165–169): who may ask for it, what
//! must be handed over first, and what the erased person is called from then on. Storage applies the rest.

use crate::Denied;
use crate::ids::PersonId;
use crate::place::{Ancestry, PlaceKind};
use crate::policy::Actor;
use crate::role::Role;

/// What an erased person is shown as wherever their records stay: topics, opinions, ballots, rolls.
pub const PSEUDONYM: &str = "已注销用户";

/// The words a person types to close their account, so that a stray tap never erases anyone.
pub const CONFIRMATION: &str = "注销";

/// Why an erasure was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErasureRefusal {
    /// An office is a duty to others: it is handed over (the grant revoked) before its holder leaves.
    #[error("the person holds the office of {0:?}; it must be handed over first")]
    HoldsOffice(Role),
    /// A proxy mandate someone gave them to vote for their unit, still standing.
    #[error("the person holds a standing proxy mandate; it must be revoked first")]
    HoldsMandate,
    #[error("the person's account is already closed")]
    AlreadyErased,
    /// The confirmation typed was not [`CONFIRMATION`].
    #[error("the confirmation does not match")]
    NotConfirmed,
    /// A staff request already carried out.
    #[error("the request was already carried out")]
    RequestDone,
}

/// Whether a role is an office (a duty to others) rather than the person's own standing at home.
pub const fn is_office(role: Role) -> bool {
    !matches!(role, Role::Resident | Role::Owner)
}

/// Whether a role is register data the residents' committee keeps by law (the owner of a unit, 不动产登记
/// and 业主名册): it stays after erasure, under the pseudonym, and the person is told so.
pub const fn kept_by_law(role: Role) -> bool {
    matches!(role, Role::Owner)
}

/// Refuses while the person holds an office or a standing proxy mandate, naming the first office found.
pub fn check_nothing_to_hand_over(live_roles: &[Role], standing_mandates: usize) -> Result<(), ErasureRefusal> {
    if let Some(role) = live_roles.iter().copied().find(|role| is_office(*role)) {
        return Err(ErasureRefusal::HoldsOffice(role));
    }
    if standing_mandates > 0 {
        return Err(ErasureRefusal::HoldsMandate);
    }
    Ok(())
}

/// A person closes their own account: only themselves, and only with the confirmation typed.
pub fn authorize_self_erasure(actor: &Actor, person: PersonId, confirmation: &str) -> Result<(), ErasureRefusal> {
    debug_assert_eq!(actor.person, person);
    if confirmation.trim() == CONFIRMATION { Ok(()) } else { Err(ErasureRefusal::NotConfirmed) }
}

/// Staff record (and later carry out) a person's request to be erased — made in writing or in person at
/// the residents' committee, when the person cannot use the app. Who may: the residents' committee staff of
/// a community where the person has or had a place (`places`: the places of their grants, live or past),
/// or a city administrator of its city. Nobody records a request for themselves (they close their own
/// account), and nobody else may.
pub fn authorize_erasure_request(actor: &Actor, person: PersonId, places: &[Ancestry]) -> Result<(), Denied> {
    if actor.person == person {
        return Err(Denied::Forbidden);
    }
    let serves = |grant_role: Role, grant_place: &Ancestry| {
        places.iter().any(|place| match grant_role {
            Role::ResidentsCommitteeStaff => {
                grant_place.kind() == PlaceKind::Community && place.is_within(grant_place.id())
            }
            Role::CityAdministrator => place.is_within(grant_place.id()),
            _ => false,
        })
    };
    if actor.grants.iter().any(|grant| serves(grant.role, &grant.place)) { Ok(()) } else { Err(Denied::Forbidden) }
}

/// How a staff-recorded erasure request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Recorded,
    Done,
}

impl RequestStatus {
    pub const fn code(self) -> &'static str {
        match self {
            RequestStatus::Recorded => "recorded",
            RequestStatus::Done => "done",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "recorded" => Some(RequestStatus::Recorded),
            "done" => Some(RequestStatus::Done),
            _ => None,
        }
    }

    /// Carrying the request out: once.
    pub fn carry_out(self) -> Result<Self, ErasureRefusal> {
        match self {
            RequestStatus::Recorded => Ok(RequestStatus::Done),
            RequestStatus::Done => Err(ErasureRefusal::RequestDone),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_office_must_be_handed_over_first() {
        assert_eq!(check_nothing_to_hand_over(&[Role::Owner, Role::Resident], 0), Ok(()));
        assert_eq!(
            check_nothing_to_hand_over(&[Role::Owner, Role::BuildingLeader], 0),
            Err(ErasureRefusal::HoldsOffice(Role::BuildingLeader))
        );
        assert_eq!(check_nothing_to_hand_over(&[Role::Owner], 1), Err(ErasureRefusal::HoldsMandate));
    }

    #[test]
    fn only_an_owners_place_on_the_register_is_kept_by_law() {
        assert!(kept_by_law(Role::Owner));
        assert!(!kept_by_law(Role::Resident));
        assert!(Role::ALL.iter().filter(|r| !is_office(**r)).count() == 2);
    }

    #[test]
    fn closing_needs_the_confirmation_typed() {
        let actor = Actor { person: PersonId::from_uuid(uuid::Uuid::nil()), grants: vec![] };
        assert_eq!(authorize_self_erasure(&actor, actor.person, " 注销 "), Ok(()));
        assert_eq!(authorize_self_erasure(&actor, actor.person, "yes"), Err(ErasureRefusal::NotConfirmed));
    }

    #[test]
    fn a_request_is_carried_out_once() {
        assert_eq!(RequestStatus::Recorded.carry_out(), Ok(RequestStatus::Done));
        assert_eq!(RequestStatus::Done.carry_out(), Err(ErasureRefusal::RequestDone));
        assert_eq!(RequestStatus::parse("done"), Some(RequestStatus::Done));
    }
}
