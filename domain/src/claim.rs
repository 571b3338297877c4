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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

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
