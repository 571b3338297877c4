//! Solicitation rounds (征集活动): staff invite topics on a theme for a while, e.g. "电梯广告收益使用意见征集"
//! in one compound for two weeks. Topics may also be submitted outside any round; a topic that names a
//! round must fall inside it, in place and in time.

use chrono::{DateTime, Utc};

use crate::Invalid;
use crate::ids::{PlaceId, RoundId};
use crate::place::{Ancestry, PlaceKind};
use crate::topic::{RoundTheme, TopicError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolicitationRound {
    pub id: RoundId,
    /// The street, community or compound whose residents are invited.
    pub place: PlaceId,
    pub theme: RoundTheme,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl SolicitationRound {
    /// A round must close after it opens, and not already be over when it is created. It may open at
    /// once (`opens_at` in the past) or later.
    pub fn new(
        id: RoundId,
        place: &Ancestry,
        theme: RoundTheme,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, TopicError> {
        if !matches!(place.kind(), PlaceKind::Street | PlaceKind::Community | PlaceKind::Compound) {
            let given = place.kind().as_str();
            return Err(Invalid::WrongPlaceKind { expected: "street, community or compound", given }.into());
        }
        if closes_at <= opens_at || closes_at <= now {
            return Err(TopicError::RoundDates);
        }
        Ok(Self { id, place: place.id(), theme, opens_at, closes_at })
    }

    /// Open from `opens_at` inclusive until `closes_at` exclusive.
    pub fn is_open_at(&self, t: DateTime<Utc>) -> bool {
        self.opens_at <= t && t < self.closes_at
    }

    /// Whether a topic at `place` may be submitted to this round at `now`.
    pub fn check_accepts(&self, place: &Ancestry, now: DateTime<Utc>) -> Result<(), TopicError> {
        if !place.is_within(self.place) {
            return Err(TopicError::RoundElsewhere);
        }
        if !self.is_open_at(now) {
            return Err(TopicError::RoundNotOpen { opens_at: self.opens_at, closes_at: self.closes_at });
        }
        Ok(())
    }

    /// Staff end a round early; it closes at `now`. Closing a round that is already over is refused.
    pub fn close_early(self, now: DateTime<Utc>) -> Result<Self, TopicError> {
        if now >= self.closes_at {
            return Err(TopicError::RoundNotOpen { opens_at: self.opens_at, closes_at: self.closes_at });
        }
        // A round closed before it opened would have closes_at < opens_at; keep the order valid.
        let closes_at = now.max(self.opens_at);
        Ok(Self { closes_at, ..self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topic::testing::{World, days, ok, t0};
    use uuid::Uuid;

    fn round(place: &Ancestry, opens_in_days: i64, closes_in_days: i64) -> Result<SolicitationRound, TopicError> {
        let id = RoundId::from_uuid(Uuid::new_v4());
        let theme = ok(RoundTheme::parse("电梯广告收益使用意见征集"));
        SolicitationRound::new(id, place, theme, t0() + days(opens_in_days), t0() + days(closes_in_days), t0())
    }

    #[test]
    fn a_round_is_open_from_its_opening_until_just_before_its_closing() {
        let world = World::new();
        let round = ok(round(&world.compound, 1, 15));
        assert!(!round.is_open_at(t0()));
        assert!(round.is_open_at(t0() + days(1)));
        assert!(round.is_open_at(t0() + days(15) - chrono::Duration::seconds(1)));
        assert!(!round.is_open_at(t0() + days(15)));
    }

    #[test]
    fn a_round_that_closes_before_it_opens_or_is_already_over_is_refused() {
        let world = World::new();
        assert_eq!(round(&world.compound, 3, 3), Err(TopicError::RoundDates));
        assert_eq!(round(&world.compound, 3, 2), Err(TopicError::RoundDates));
        assert_eq!(round(&world.compound, -10, -1), Err(TopicError::RoundDates));
        assert!(round(&world.compound, -10, 1).is_ok());
    }

    #[test]
    fn a_round_is_held_in_a_street_community_or_compound() {
        let world = World::new();
        assert!(round(&world.community, 0, 7).is_ok());
        assert!(matches!(
            round(&world.building, 0, 7),
            Err(TopicError::Invalid(Invalid::WrongPlaceKind { given: "building", .. }))
        ));
    }

    #[test]
    fn a_round_takes_topics_only_from_inside_its_place() {
        let world = World::new();
        let round = ok(round(&world.compound, 0, 7));
        assert_eq!(round.check_accepts(&world.building, t0()), Ok(()));
        assert_eq!(round.check_accepts(&world.other_compound, t0()), Err(TopicError::RoundElsewhere));
        assert!(matches!(round.check_accepts(&world.building, t0() + days(7)), Err(TopicError::RoundNotOpen { .. })));
    }

    #[test]
    fn a_round_closed_early_takes_no_more_topics() {
        let world = World::new();
        let closed = ok(ok(round(&world.compound, 0, 7)).close_early(t0() + days(2)));
        assert_eq!(closed.closes_at, t0() + days(2));
        assert!(!closed.is_open_at(t0() + days(2)));
        assert!(matches!(closed.close_early(t0() + days(3)), Err(TopicError::RoundNotOpen { .. })));
    }
}
