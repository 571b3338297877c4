//! Which level of government leads a topic: 一般问题不出社区、复杂问题不出街道、重大问题不出区县.
//!
//! Decision: the level is a field of the topic beside its state, not a state of its own. Escalation
//! changes who is responsible (who triages, who supervises) but not where the topic stands in the
//! pipeline: an implementing topic escalated to the street is still implementing, with its tasks, and its
//! stage counts stay right. The level only ever rises.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::place::PlaceKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationLevel {
    /// 社区: the residents' committee under the community party organisation. Every topic starts here.
    Community,
    /// 街道: topics spanning several communities, and complex disputes.
    Street,
    /// 区县: major disputes the street could not settle.
    District,
}

impl EscalationLevel {
    pub const ALL: [EscalationLevel; 3] =
        [EscalationLevel::Community, EscalationLevel::Street, EscalationLevel::District];

    /// The level above, if any.
    pub const fn next(self) -> Option<EscalationLevel> {
        match self {
            EscalationLevel::Community => Some(EscalationLevel::Street),
            EscalationLevel::Street => Some(EscalationLevel::District),
            EscalationLevel::District => None,
        }
    }

    /// The kind of place whose officers lead at this level; the topic's ancestor of this kind is the
    /// place the policy is asked about.
    pub const fn place_kind(self) -> PlaceKind {
        match self {
            EscalationLevel::Community => PlaceKind::Community,
            EscalationLevel::Street => PlaceKind::Street,
            EscalationLevel::District => PlaceKind::District,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            EscalationLevel::Community => "community",
            EscalationLevel::Street => "street",
            EscalationLevel::District => "district",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|level| level.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "level", given: input.to_owned() })
    }
}

impl fmt::Display for EscalationLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StrDeserializer};

    #[test]
    fn levels_rise_from_community_to_district_and_stop() {
        assert_eq!(EscalationLevel::Community.next(), Some(EscalationLevel::Street));
        assert_eq!(EscalationLevel::Street.next(), Some(EscalationLevel::District));
        assert_eq!(EscalationLevel::District.next(), None);
    }

    #[test]
    fn levels_round_trip_through_their_codes_in_serde_too() {
        for level in EscalationLevel::ALL {
            assert_eq!(EscalationLevel::parse(level.as_str()), Ok(level));
            let code: StrDeserializer<'_, Error> = level.as_str().into_deserializer();
            assert_eq!(EscalationLevel::deserialize(code), Ok(level));
        }
    }
}
