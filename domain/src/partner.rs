//! API partners (接口合作方): smart-community apps and city systems that call the API as machines, not
//! people. A city administrator registers each one with a place scope (everything at or below one place;
//! a city's id for the whole city) and, optionally, its own rate budget. A partner authenticates with a
//! client id and secret (OAuth2 client credentials) and reads what the public of its scope reads; what it
//! may do is decided in [`crate::policy::authorize_partner`].

use std::fmt;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::ids::PartnerId;
use crate::place::{Ancestry, PlaceKind};
use crate::{Conflict, Invalid};

/// What kind of system the partner is; it changes nothing the partner may do, and tells administrators
/// who they are dealing with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartnerKind {
    /// A third-party smart-community app (智慧社区应用).
    SmartCommunityApp,
    /// A city integration system (城市系统: 12345 hotline, grid management, statistics).
    CitySystem,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 2] = [PartnerKind::SmartCommunityApp, PartnerKind::CitySystem];

    pub const fn as_str(self) -> &'static str {
        match self {
            PartnerKind::SmartCommunityApp => "smart_community_app",
            PartnerKind::CitySystem => "city_system",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "kind", given: input.to_owned() })
    }
}

impl fmt::Display for PartnerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::person::bounded_text_type!(
    /// How administrators know the partner ("XX智慧社区", "12345市民热线").
    PartnerName, "name", 60
);

/// A partner's own rate budget, in query-complexity points per window, overriding the configured
/// default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateBudget(u64);

impl RateBudget {
    pub const MIN: u64 = 1;
    /// A hundred million points a window: far above any one system's need, and far below an overflow.
    pub const MAX: u64 = 100_000_000;

    pub fn parse(points: i64) -> Result<Self, Invalid> {
        match u64::try_from(points) {
            Ok(points) if (Self::MIN..=Self::MAX).contains(&points) => Ok(Self(points)),
            _ => Err(Invalid::RateBudget { min: Self::MIN, max: Self::MAX }),
        }
    }

    pub const fn points(self) -> u64 {
        self.0
    }
}

/// The public half of a partner's credential: `gzp_` and the partner id's 32 hex digits. It names the
/// partner and proves nothing; the secret does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    const PREFIX: &'static str = "gzp_";

    pub fn of(partner: PartnerId) -> Self {
        Self(format!("{}{}", Self::PREFIX, partner.as_uuid().simple()))
    }

    /// The partner a client id names; `None` for anything that is not one of ours.
    pub fn parse(input: &str) -> Option<PartnerId> {
        let hex = input.strip_prefix(Self::PREFIX)?;
        // `Uuid::try_parse` also takes hyphenated forms; a client id has exactly one spelling.
        if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return None;
        }
        uuid::Uuid::try_parse(hex).ok().map(PartnerId::from_uuid)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a partner's credential works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerStatus {
    Active,
    /// Its secret and every token issued to it stopped working at this time. There is no way back: a
    /// partner to be trusted again is registered anew, with a new credential.
    Disabled {
        at: DateTime<Utc>,
    },
}

/// A registered partner, as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: PartnerId,
    pub name: PartnerName,
    pub kind: PartnerKind,
    /// What it may read: topics at or below this place.
    pub scope: Ancestry,
    /// Its own budget; `None` takes the configured default.
    pub rate_budget: Option<RateBudget>,
    /// Counts the secrets issued: 1 at registration, one more at each rotation. Tokens carry the version
    /// they were issued under, so a rotation ends the old secret's tokens too.
    pub secret_version: u32,
    pub status: PartnerStatus,
}

impl Partner {
    /// A place may be a partner's scope unless it is a household: one household's topics are no feed.
    pub fn check_scope(kind: PlaceKind) -> Result<(), Invalid> {
        if kind == PlaceKind::Household {
            return Err(Invalid::WrongPlaceKind {
                expected: "city, district, street, community, compound or building",
                given: kind.as_str(),
            });
        }
        Ok(())
    }

    pub fn client_id(&self) -> ClientId {
        ClientId::of(self.id)
    }

    pub fn is_active(&self) -> bool {
        self.status == PartnerStatus::Active
    }

    /// Whether a token issued under `secret_version` still works: the partner is active and has not
    /// rotated its secret since.
    pub fn honours(&self, secret_version: u32) -> bool {
        self.is_active() && self.secret_version == secret_version
    }

    /// A new secret replaces the old one, and the old one's tokens stop working. A disabled partner has
    /// no secret to rotate.
    pub fn rotate_secret(self) -> Result<Self, Conflict> {
        match self.status {
            PartnerStatus::Active => Ok(Self { secret_version: self.secret_version.saturating_add(1), ..self }),
            PartnerStatus::Disabled { .. } => Err(Conflict::PartnerDisabled),
        }
    }

    /// Stops the partner at once. Disabling a disabled partner changes nothing (it keeps the first time).
    pub fn disable(self, at: DateTime<Utc>) -> Self {
        match self.status {
            PartnerStatus::Active => Self { status: PartnerStatus::Disabled { at }, ..self },
            PartnerStatus::Disabled { .. } => self,
        }
    }
}

/// Why a partner was refused an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PartnerDenied {
    /// The target lies outside the partner's scope: answered as if it did not exist, as a person's
    /// unauthorised read of topics is.
    #[error("not found")]
    OutOfScope,
    /// Everything but reading is done by people in their roles — submitting, co-signing, voting,
    /// triaging, administering — and a partner is not a person.
    #[error("API partners may only read; a person must do this")]
    PeopleOnly,
    /// The partner was disabled: its credential opens nothing.
    #[error("the API partner is disabled")]
    Disabled,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    fn partner() -> Partner {
        let Some(city) = Ancestry::from_path(&[crate::ids::PlaceId::from_uuid(Uuid::new_v4())]) else {
            panic!("a one-id path is a city");
        };
        Partner {
            id: PartnerId::from_uuid(Uuid::new_v4()),
            name: PartnerName::parse("12345市民热线").unwrap_or_else(|e| panic!("{e}")),
            kind: PartnerKind::CitySystem,
            scope: city,
            rate_budget: None,
            secret_version: 1,
            status: PartnerStatus::Active,
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in PartnerKind::ALL {
            assert_eq!(PartnerKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(PartnerKind::parse("robot").is_err());
    }

    #[test]
    fn a_rate_budget_is_a_positive_bounded_number_of_points() {
        assert_eq!(RateBudget::parse(500).map(RateBudget::points), Ok(500));
        assert_eq!(RateBudget::parse(RateBudget::MAX as i64).map(RateBudget::points), Ok(RateBudget::MAX));
        for bad in [0, -1, RateBudget::MAX as i64 + 1] {
            assert_eq!(RateBudget::parse(bad), Err(Invalid::RateBudget { min: 1, max: RateBudget::MAX }), "{bad}");
        }
    }

    #[test]
    fn a_client_id_names_its_partner_in_one_spelling_only() {
        let id = PartnerId::from_uuid(Uuid::new_v4());
        let client = ClientId::of(id);

        assert!(client.as_str().starts_with("gzp_"));
        assert_eq!(ClientId::parse(client.as_str()), Some(id));
        assert_eq!(ClientId::parse(&format!("gzp_{}", id.as_uuid().hyphenated())), None);
        assert_eq!(ClientId::parse(&client.as_str().to_uppercase()), None);
        assert_eq!(ClientId::parse(&id.as_uuid().simple().to_string()), None);
        assert_eq!(ClientId::parse("gzp_"), None);
    }

    #[test]
    fn households_are_no_scope() {
        assert!(Partner::check_scope(PlaceKind::City).is_ok());
        assert!(Partner::check_scope(PlaceKind::Building).is_ok());
        assert!(Partner::check_scope(PlaceKind::Household).is_err());
    }

    #[test]
    fn rotating_a_secret_ends_the_old_versions_tokens() {
        let before = partner();

        let after = before.clone().rotate_secret();

        let Ok(after) = after else { panic!("an active partner rotates") };
        assert_eq!(after.secret_version, 2);
        assert!(before.honours(1));
        assert!(!after.honours(1));
        assert!(after.honours(2));
    }

    #[test]
    fn a_disabled_partner_honours_no_token_and_rotates_no_secret() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().unwrap_or_else(|| panic!("valid time"));
        let later = at + chrono::Duration::hours(1);

        let disabled = partner().disable(at);
        let again = disabled.clone().disable(later);

        assert!(!disabled.honours(1));
        assert_eq!(again.status, PartnerStatus::Disabled { at }, "disabling twice keeps the first time");
        assert_eq!(disabled.rotate_secret(), Err(Conflict::PartnerDisabled));
    }
}
