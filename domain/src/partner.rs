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
    /// Its secret and every token issued to it stopped working at this time. Re-enabling issues a new
    /// secret (decision 122): the old one may be why the partner was stopped.
    Disabled {
        at: DateTime<Utc>,
    },
}

/// What a partner may read or do, granted by the city administrator who registers it (decision 120).
/// A partner holds only what it was given: a hotline that files service requests needs `Open311` and
/// perhaps `Topics`, not the city's votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartnerScope {
    /// Topic feeds, counts and a topic's public fields and timeline.
    Topics,
    /// A topic's tasks and their progress.
    Tasks,
    /// Votes and their results, as the public sees them.
    Votes,
    /// Meetings and their minutes.
    Meetings,
    /// Solicitation rounds.
    Rounds,
    /// Statistics of streets, districts and the city (the feeds come with issue 18's statistics).
    Statistics,
    /// Filing and following service requests through Open311 GeoReport v2.
    Open311,
}

impl PartnerScope {
    pub const ALL: [PartnerScope; 7] = [
        PartnerScope::Topics,
        PartnerScope::Tasks,
        PartnerScope::Votes,
        PartnerScope::Meetings,
        PartnerScope::Rounds,
        PartnerScope::Statistics,
        PartnerScope::Open311,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            PartnerScope::Topics => "topics",
            PartnerScope::Tasks => "tasks",
            PartnerScope::Votes => "votes",
            PartnerScope::Meetings => "meetings",
            PartnerScope::Rounds => "rounds",
            PartnerScope::Statistics => "statistics",
            PartnerScope::Open311 => "open311",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|scope| scope.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "scope", given: input.to_owned() })
    }
}

/// The scopes a partner holds: a set, never empty (a partner that may read nothing is no partner).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartnerScopes(std::collections::BTreeSet<PartnerScope>);

impl PartnerScopes {
    /// Partners registered before scopes existed read topics, which was all a partner could.
    pub fn topics_only() -> Self {
        Self([PartnerScope::Topics].into_iter().collect())
    }

    pub fn new(scopes: impl IntoIterator<Item = PartnerScope>) -> Result<Self, Invalid> {
        let set: std::collections::BTreeSet<_> = scopes.into_iter().collect();
        if set.is_empty() {
            return Err(Invalid::Required { field: "scopes" });
        }
        Ok(Self(set))
    }

    /// From storage's comma list (`topics,open311`).
    pub fn parse(stored: &str) -> Result<Self, Invalid> {
        let scopes = stored.split(',').map(str::trim).filter(|s| !s.is_empty()).map(PartnerScope::parse);
        Self::new(scopes.collect::<Result<Vec<_>, _>>()?)
    }

    /// Storage's comma list, in a fixed order.
    pub fn to_stored(&self) -> String {
        self.0.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(",")
    }

    pub fn contains(&self, scope: PartnerScope) -> bool {
        self.0.contains(&scope)
    }

    pub fn iter(&self) -> impl Iterator<Item = PartnerScope> + '_ {
        self.0.iter().copied()
    }
}

/// The secret a rotation replaced, still honoured until `until` so that a partner's systems can move to
/// the new one without an outage (decision 121).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretOverlap {
    pub version: u32,
    pub until: DateTime<Utc>,
}

impl SecretOverlap {
    /// The longest an old secret may stay valid after a rotation: a leaked secret must not outlive its
    /// rotation by more than a week.
    pub const MAX: chrono::TimeDelta = chrono::TimeDelta::days(7);

    /// Checks an administrator's `until`: after `now`, at most [`Self::MAX`] later.
    pub fn check_until(until: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, Invalid> {
        if until <= now || until - now > Self::MAX {
            return Err(Invalid::SecretOverlap { max_days: Self::MAX.num_days() });
        }
        Ok(until)
    }
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
    /// The previous secret, while it is still honoured after a rotation.
    pub previous_secret: Option<SecretOverlap>,
    /// What it may read or do (decision 120).
    pub scopes: PartnerScopes,
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

    /// Whether a secret or token of `secret_version` still works at `now`: the partner is active, and the
    /// version is its current secret's, or the one it rotated from while the overlap lasts.
    pub fn honours(&self, secret_version: u32, now: DateTime<Utc>) -> bool {
        self.is_active()
            && (self.secret_version == secret_version
                || self.previous_secret.is_some_and(|old| old.version == secret_version && now < old.until))
    }

    /// Whether the partner holds `scope`; a refusal names the scope it lacks.
    pub fn may(&self, scope: PartnerScope) -> Result<(), PartnerDenied> {
        if !self.is_active() {
            return Err(PartnerDenied::Disabled);
        }
        if self.scopes.contains(scope) { Ok(()) } else { Err(PartnerDenied::MissingScope(scope)) }
    }

    /// Whether the partner may read what `scope` covers at `place`: it holds the scope and the place is at
    /// or below its own (never a household: one household's affairs are nobody's feed).
    pub fn reads(&self, scope: PartnerScope, place: &Ancestry) -> Result<(), PartnerDenied> {
        self.may(scope)?;
        if place.kind() != PlaceKind::Household && place.is_within(self.scope.id()) {
            Ok(())
        } else {
            Err(PartnerDenied::OutOfScope)
        }
    }

    /// A new secret replaces the old one. Without an overlap the old one's tokens stop working at once;
    /// with one (checked by [`SecretOverlap::check_until`]) the old secret and its tokens work until
    /// then. A secret older than the one replaced is not honoured any more. A disabled partner has no
    /// secret to rotate.
    pub fn rotate_secret(self, overlap_until: Option<DateTime<Utc>>) -> Result<Self, Conflict> {
        match self.status {
            PartnerStatus::Active => Ok(Self {
                secret_version: self.secret_version.saturating_add(1),
                previous_secret: overlap_until.map(|until| SecretOverlap { version: self.secret_version, until }),
                ..self
            }),
            PartnerStatus::Disabled { .. } => Err(Conflict::PartnerDisabled),
        }
    }

    /// Lets a disabled partner in again, under a new secret: whatever secret it held before stays dead.
    /// Enabling an active partner is refused, so that nobody ends a working secret by mistake.
    pub fn enable(self) -> Result<Self, Conflict> {
        match self.status {
            PartnerStatus::Disabled { .. } => Ok(Self {
                secret_version: self.secret_version.saturating_add(1),
                previous_secret: None,
                status: PartnerStatus::Active,
                ..self
            }),
            PartnerStatus::Active => Err(Conflict::PartnerActive),
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
    /// The partner was not granted this scope (decision 120).
    #[error("the API partner lacks the {} scope", .0.as_str())]
    MissingScope(PartnerScope),
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
            previous_secret: None,
            scopes: PartnerScopes::topics_only(),
            status: PartnerStatus::Active,
        }
    }

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, hour, 0, 0).single().unwrap_or_else(|| panic!("valid time"))
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

        let after = before.clone().rotate_secret(None);

        let Ok(after) = after else { panic!("an active partner rotates") };
        assert_eq!(after.secret_version, 2);
        assert!(before.honours(1, at(8)));
        assert!(!after.honours(1, at(8)));
        assert!(after.honours(2, at(8)));
    }

    #[test]
    fn an_overlapping_rotation_honours_the_old_secret_until_the_stated_time_only() {
        let Ok(after) = partner().rotate_secret(Some(at(12))) else { panic!("an active partner rotates") };

        assert!(after.honours(1, at(11)));
        assert!(!after.honours(1, at(12)), "the overlap ends at the stated time");
        assert!(after.honours(2, at(13)));
        let Ok(again) = after.rotate_secret(Some(at(12))) else { panic!("rotates again") };
        assert!(!again.honours(1, at(9)), "two rotations back is not honoured");
        assert!(again.honours(2, at(9)));
    }

    #[test]
    fn an_overlap_ends_after_now_and_within_a_week() {
        assert!(SecretOverlap::check_until(at(9), at(8)).is_ok());
        assert!(SecretOverlap::check_until(at(8), at(8)).is_err());
        assert!(SecretOverlap::check_until(at(8) + chrono::Duration::days(7), at(8)).is_ok());
        assert!(
            SecretOverlap::check_until(at(8) + chrono::Duration::days(7) + chrono::Duration::seconds(1), at(8))
                .is_err()
        );
    }

    #[test]
    fn enabling_a_disabled_partner_issues_a_new_secret_and_an_active_one_is_refused() {
        let disabled = partner().disable(at(8));

        let Ok(enabled) = disabled.enable() else { panic!("a disabled partner is enabled") };

        assert!(enabled.is_active());
        assert!(!enabled.honours(1, at(9)), "the secret it was stopped with stays dead");
        assert!(enabled.honours(2, at(9)));
        assert_eq!(partner().enable(), Err(Conflict::PartnerActive));
    }

    #[test]
    fn a_partner_holds_only_its_scopes() {
        let Ok(scopes) = PartnerScopes::parse("open311,topics") else { panic!("parses") };
        let hotline = Partner { scopes, ..partner() };

        assert_eq!(hotline.scopes.to_stored(), "topics,open311");
        assert_eq!(hotline.may(PartnerScope::Open311), Ok(()));
        assert_eq!(hotline.may(PartnerScope::Votes), Err(PartnerDenied::MissingScope(PartnerScope::Votes)));
        assert!(PartnerScopes::parse("").is_err());
        assert!(PartnerScopes::parse("topics,robots").is_err());
        for scope in PartnerScope::ALL {
            assert_eq!(PartnerScope::parse(scope.as_str()), Ok(scope));
        }
    }

    #[test]
    fn a_disabled_partner_honours_no_token_and_rotates_no_secret() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().unwrap_or_else(|| panic!("valid time"));
        let later = at + chrono::Duration::hours(1);

        let disabled = partner().disable(at);
        let again = disabled.clone().disable(later);

        assert!(!disabled.honours(1, at));
        assert_eq!(again.status, PartnerStatus::Disabled { at }, "disabling twice keeps the first time");
        assert_eq!(disabled.rotate_secret(None), Err(Conflict::PartnerDisabled));
    }
}
