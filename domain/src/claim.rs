//! A person's claim to live in or own a household (认领), confirmed or rejected by the residents'
//! committee or the property company. Confirmation is what makes someone a resident or a verified owner.

use chrono::{DateTime, Utc};

use crate::Invalid;
use crate::ids::{HouseholdClaimId, PersonId, PlaceId};
use crate::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRelation {
    Resident,
    Owner,
}

impl ClaimRelation {
    /// The role a confirmed claim grants on the household.
    pub const fn role(self) -> Role {
        match self {
            ClaimRelation::Resident => Role::Resident,
            ClaimRelation::Owner => Role::Owner,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ClaimRelation::Resident => "resident",
            ClaimRelation::Owner => "owner",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input {
            "resident" => Ok(ClaimRelation::Resident),
            "owner" => Ok(ClaimRelation::Owner),
            other => Err(Invalid::UnknownValue { field: "relation", given: other.to_owned() }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimStatus {
    Pending,
    Confirmed { by: PersonId, at: DateTime<Utc> },
    Rejected { by: PersonId, at: DateTime<Utc>, reason: String },
    Withdrawn { at: DateTime<Utc> },
}

impl ClaimStatus {
    pub const fn as_str(&self) -> &'static str {
        match self {
            ClaimStatus::Pending => "pending",
            ClaimStatus::Confirmed { .. } => "confirmed",
            ClaimStatus::Rejected { .. } => "rejected",
            ClaimStatus::Withdrawn { .. } => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdClaim {
    pub id: HouseholdClaimId,
    pub person: PersonId,
    pub household: PlaceId,
    pub relation: ClaimRelation,
    /// What the claimant says to help staff recognise them (e.g. the name on the property certificate).
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub status: ClaimStatus,
}

impl HouseholdClaim {
    const MAX_REASON_CHARS: usize = 200;

    fn pending(&self) -> Result<(), Invalid> {
        match self.status {
            ClaimStatus::Pending => Ok(()),
            ref other => Err(Invalid::ClaimNotPending { state: other.as_str() }),
        }
    }

    pub fn confirm(self, by: PersonId, at: DateTime<Utc>) -> Result<Self, Invalid> {
        self.pending()?;
        Ok(Self { status: ClaimStatus::Confirmed { by, at }, ..self })
    }

    /// The claimant sees the reason, so one is required.
    pub fn reject(self, by: PersonId, at: DateTime<Utc>, reason: &str) -> Result<Self, Invalid> {
        self.pending()?;
        let reason = crate::person::bounded_text("reason", reason, Self::MAX_REASON_CHARS)
            .map_err(|_| Invalid::ReasonRequired)?;
        Ok(Self { status: ClaimStatus::Rejected { by, at, reason }, ..self })
    }

    pub fn withdraw(self, at: DateTime<Utc>) -> Result<Self, Invalid> {
        self.pending()?;
        Ok(Self { status: ClaimStatus::Withdrawn { at }, ..self })
    }
}

/// An owner the register holds for a household, as the rule below needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredOwner {
    pub person: PersonId,
    pub name: Option<String>,
    pub phone: Option<String>,
    /// Has logged in (a WeChat identity): a person of their own, never an imported record to merge.
    pub has_login: bool,
}

/// One owner, one person (decision 52): when an OWNER claim is confirmed, which imported owner record of the
/// household the claimant is, so that the record's units, ballots and mandates become theirs instead of
/// the claimant standing beside it as a second owner. An imported record (no login) matches on the phone
/// number, else on the name — the claimant's own, or the name on the property certificate they gave in
/// the claim's note — and only when exactly one record matches: a co-owner of the same flat is someone
/// else, and a guess would hand one person's vote to another. No match: the claim grants ownership as
/// before, and staff may merge the records by hand.
pub fn imported_owner(
    claim: &HouseholdClaim,
    claimant_name: Option<&str>,
    claimant_phone: Option<&str>,
    owners: &[RegisteredOwner],
) -> Option<PersonId> {
    if claim.relation != ClaimRelation::Owner {
        return None;
    }
    let imported: Vec<&RegisteredOwner> =
        owners.iter().filter(|owner| !owner.has_login && owner.person != claim.person).collect();
    let only = |found: Vec<&RegisteredOwner>| match found.as_slice() {
        [one] => Some(one.person),
        _ => None,
    };
    if let Some(phone) = claimant_phone.map(str::trim).filter(|p| !p.is_empty()) {
        let by_phone: Vec<&RegisteredOwner> =
            imported.iter().copied().filter(|owner| owner.phone.as_deref() == Some(phone)).collect();
        if !by_phone.is_empty() {
            return only(by_phone);
        }
    }
    let names: Vec<&str> =
        [claimant_name, claim.note.as_deref()].into_iter().flatten().map(str::trim).filter(|n| !n.is_empty()).collect();
    only(imported.into_iter().filter(|owner| owner.name.as_deref().is_some_and(|name| names.contains(&name))).collect())
}

/// Why staff could not merge two person records, or undo a merge: data the client shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MergeRefusal {
    /// Both records have logged in: two people with their own logins are not one owner by a click.
    #[error("both records log in; they are two people")]
    BothLogIn,
    /// A person of the merge has voted since: undoing it would move a ballot cast on the merged record.
    #[error("one of them has voted since the merge")]
    VotedSince,
    #[error("the merge was already undone")]
    AlreadyUndone,
}

impl MergeRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            MergeRefusal::BothLogIn => "both_log_in",
            MergeRefusal::VotedSince => "voted_since",
            MergeRefusal::AlreadyUndone => "already_undone",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn registered(name: &str, phone: &str, has_login: bool) -> RegisteredOwner {
        RegisteredOwner {
            person: PersonId::from_uuid(Uuid::new_v4()),
            name: Some(name.to_owned()),
            phone: Some(phone.to_owned()),
            has_login,
        }
    }

    #[test]
    fn a_confirmed_owner_is_the_imported_record_with_their_phone_or_their_name() {
        let (wang, li) = (registered("王秀英", "13800138000", false), registered("李建国", "13800138001", false));
        let owners = [wang.clone(), li.clone()];
        assert_eq!(imported_owner(&claim(), None, Some("13800138001"), &owners), Some(li.person));
        assert_eq!(imported_owner(&claim(), Some("王秀英"), None, &owners), Some(wang.person));
        let noted = HouseholdClaim { note: Some(" 李建国 ".into()), ..claim() };
        assert_eq!(imported_owner(&noted, None, None, &owners), Some(li.person));
    }

    #[test]
    fn no_record_is_merged_on_a_guess_a_login_or_a_residents_claim() {
        let owners = [registered("王秀英", "13800138000", false), registered("王秀英", "13900139000", false)];
        assert_eq!(imported_owner(&claim(), Some("王秀英"), None, &owners), None, "two records of that name");
        assert_eq!(imported_owner(&claim(), Some("赵敏"), None, &owners), None, "nobody of that name");
        let logged_in = [registered("王秀英", "13800138000", true)];
        assert_eq!(imported_owner(&claim(), Some("王秀英"), None, &logged_in), None, "a person of their own");
        let resident = HouseholdClaim { relation: ClaimRelation::Resident, ..claim() };
        assert_eq!(imported_owner(&resident, Some("王秀英"), None, &owners[..1]), None);
    }

    fn claim() -> HouseholdClaim {
        HouseholdClaim {
            id: HouseholdClaimId::from_uuid(Uuid::new_v4()),
            person: PersonId::from_uuid(Uuid::new_v4()),
            household: PlaceId::from_uuid(Uuid::new_v4()),
            relation: ClaimRelation::Owner,
            note: None,
            created_at: Utc.timestamp_opt(0, 0).single().unwrap_or_default(),
            status: ClaimStatus::Pending,
        }
    }

    #[test]
    fn a_pending_claim_is_decided_once() {
        let staff = PersonId::from_uuid(Uuid::new_v4());
        let at = Utc.timestamp_opt(100, 0).single().unwrap_or_default();
        let confirmed = claim().confirm(staff, at);
        assert!(matches!(confirmed, Ok(HouseholdClaim { status: ClaimStatus::Confirmed { .. }, .. })));
        let again = confirmed.and_then(|c| c.reject(staff, at, "wrong flat"));
        assert_eq!(again, Err(Invalid::ClaimNotPending { state: "confirmed" }));
    }

    #[test]
    fn a_rejection_needs_a_reason_the_claimant_can_read() {
        let staff = PersonId::from_uuid(Uuid::new_v4());
        let at = Utc.timestamp_opt(100, 0).single().unwrap_or_default();
        assert_eq!(claim().reject(staff, at, "  "), Err(Invalid::ReasonRequired));
        let rejected = claim().reject(staff, at, "产权证姓名不符");
        assert!(
            matches!(rejected, Ok(HouseholdClaim { status: ClaimStatus::Rejected { ref reason, .. }, .. }) if reason == "产权证姓名不符")
        );
    }

    #[test]
    fn a_withdrawn_claim_cannot_be_confirmed() {
        let at = Utc.timestamp_opt(100, 0).single().unwrap_or_default();
        let withdrawn = claim().withdraw(at);
        let staff = PersonId::from_uuid(Uuid::new_v4());
        assert_eq!(withdrawn.and_then(|c| c.confirm(staff, at)), Err(Invalid::ClaimNotPending { state: "withdrawn" }));
    }
}
