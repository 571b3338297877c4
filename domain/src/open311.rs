//! Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) as the rules see it: which partner may file and
//! follow requests where, what a request's `open`/`closed` status is for each state of the pipeline,
//! how a filed request becomes a topic's title and description, and the spec's bounds on a listing.
//! The wire formats (JSON and XML) are the API's.

use chrono::{DateTime, TimeDelta, Utc};

use crate::Invalid;
use crate::partner::{Partner, PartnerDenied, PartnerScope};
use crate::place::{Ancestry, PlaceKind};
use crate::topic::{EventKind, Phase, ServiceStatus, TopicDescription, TopicState, TopicTitle};

/// The spec's two statuses. A request is closed once nothing more will be done about it: withdrawn,
/// rejected, merged into another, its service job reported done (and confirmed or not), or its
/// deliberation carried out to completion; a dispute of the job reopens it (decision 124).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    Open,
    Closed,
}

impl RequestStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Closed => "closed",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input.trim() {
            "open" => Ok(RequestStatus::Open),
            "closed" => Ok(RequestStatus::Closed),
            other => Err(Invalid::UnknownValue { field: "status", given: other.to_owned() }),
        }
    }

    pub fn of(state: &TopicState) -> Self {
        match state {
            TopicState::AwaitingTriage { .. } => RequestStatus::Open,
            TopicState::Withdrawn { .. } | TopicState::Rejected { .. } | TopicState::Merged { .. } => {
                RequestStatus::Closed
            }
            TopicState::Routed(request) => match request.status {
                ServiceStatus::Routed | ServiceStatus::Acknowledged { .. } => RequestStatus::Open,
                ServiceStatus::Done { .. } | ServiceStatus::Confirmed { .. } => RequestStatus::Closed,
            },
            TopicState::Accepted(deliberation) => match deliberation.phase {
                Phase::Deliberating { .. }
                | Phase::Resolved { .. }
                | Phase::Announced { .. }
                | Phase::Implementing { .. } => RequestStatus::Open,
                Phase::Completed { .. } | Phase::Published { .. } | Phase::RatingOpen { .. } | Phase::Closed { .. } => {
                    RequestStatus::Closed
                }
            },
        }
    }

    /// Every state code (`TopicState::code`) whose requests have this status, for a listing's filter.
    pub fn state_codes(self) -> Vec<&'static str> {
        TopicState::CODES.iter().copied().filter(|code| status_of_code(code) == Some(self)).collect()
    }
}

/// The status of a stored state code, for storage that filters on the code.
fn status_of_code(code: &str) -> Option<RequestStatus> {
    match code {
        "awaiting_triage"
        | "service_routed"
        | "service_acknowledged"
        | "deliberating"
        | "resolved"
        | "announced"
        | "implementing" => Some(RequestStatus::Open),
        "withdrawn" | "rejected" | "merged" | "service_done" | "service_confirmed" | "completed" | "published"
        | "rating_open" | "closed" => Some(RequestStatus::Closed),
        _ => None,
    }
}

/// Why an Open311 call was refused by the rules (the API words it in the spec's error format, with the
/// spec's HTTP codes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Open311Refusal {
    /// The partner lacks the `open311` scope, or is disabled, or the place is outside its scope.
    #[error(transparent)]
    Partner(#[from] PartnerDenied),
    /// `jurisdiction_id` names no city, or a city the partner's scope is not in.
    #[error("unknown jurisdiction {given:?}")]
    Jurisdiction { given: String },
    /// No catalogue in the jurisdiction (within the partner's scope) has this service code.
    #[error("unknown service code {code:?}")]
    UnknownService { code: String },
    /// The place's community does not offer the service (its catalogue lacks the code, or retired it).
    #[error("service {code:?} is not offered at {place}")]
    ServiceNotOffered { code: String, place: String },
    /// Neither `address_id` nor `address_string` names a compound or building (lat/long alone place
    /// nothing: places have no geometry yet).
    #[error("the location resolves to no compound or building")]
    Unplaced,
    /// `address_string` names more than one compound or building.
    #[error("address {given:?} names {count} places")]
    AmbiguousAddress { given: String, count: usize },
    /// The request breaks a rule of topics (a description too long, a location out of range).
    #[error(transparent)]
    Topic(#[from] crate::topic::TopicError),
}

impl From<Invalid> for Open311Refusal {
    fn from(invalid: Invalid) -> Self {
        Open311Refusal::Topic(invalid.into())
    }
}

/// The text of a step that explains where a request stands, for `status_notes`: a rejection's or an
/// escalation's reason, the company's report, a dispute's or reconsideration's reason. These are public
/// (timeline decision of issue 13); staff notes never are.
pub fn status_note(kind: &EventKind) -> Option<&str> {
    match kind {
        EventKind::Rejected { reason }
        | EventKind::Escalated { reason, .. }
        | EventKind::ServiceDisputed { reason }
        | EventKind::Reconsidered { reason } => Some(reason.as_str()),
        EventKind::ServiceDone { report } => Some(report.as_str()),
        _ => None,
    }
}

/// A partner may file and follow Open311 requests at places at or below its scope, with the `open311`
/// scope. Households are no place for a request (a request is about shared matters).
pub fn authorize_open311(partner: &Partner, place: &Ancestry) -> Result<(), PartnerDenied> {
    partner.reads(PartnerScope::Open311, place)
}

/// Whether the city a jurisdiction names is one the partner may use: its scope lies in that city
/// (a district's partner files in its own city), so the jurisdiction is the city of the scope.
pub fn check_jurisdiction(partner: &Partner, city: Option<&Ancestry>, given: &str) -> Result<(), Open311Refusal> {
    partner.may(PartnerScope::Open311)?;
    match city {
        Some(city) if city.kind() == PlaceKind::City && partner.scope.at(PlaceKind::City) == Some(city.id()) => Ok(()),
        _ => Err(Open311Refusal::Jurisdiction { given: given.to_owned() }),
    }
}

/// What the citizen said, as a topic takes it: the description's first line (cut to a title's length)
/// is the title, the whole text the description. Without a description the service's name is both
/// (the spec makes the description optional; a topic needs both).
pub fn topic_text(description: Option<&str>, service_name: &str) -> Result<(TopicTitle, TopicDescription), Invalid> {
    let text = description.map(str::trim).filter(|d| !d.is_empty()).unwrap_or(service_name);
    let first_line = text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or(service_name);
    let title: String = first_line.chars().take(TopicTitle::MAX_CHARS).collect();
    Ok((TopicTitle::parse(&title)?, TopicDescription::parse(text)?))
}

/// The spec's window for a listing of requests: by `requested_datetime`, at most 90 days, the last 90
/// days when neither end is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestWindow {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl RequestWindow {
    pub const MAX: TimeDelta = TimeDelta::days(90);

    pub fn new(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<Self, Invalid> {
        let (start, end) = match (start, end) {
            (Some(start), Some(end)) => (start, end),
            (Some(start), None) => (start, (start + Self::MAX).min(now)),
            (None, Some(end)) => (end - Self::MAX, end),
            (None, None) => (now - Self::MAX, now),
        };
        if end < start || end - start > Self::MAX {
            return Err(Invalid::RequestWindow { max_days: Self::MAX.num_days() });
        }
        Ok(Self { start, end })
    }
}

/// The most requests one listing answers (the spec leaves the number to the server; 1,000 as most do).
pub const MAX_LISTED: u64 = 1000;

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 8, 0, 0).single().unwrap_or_else(|| panic!("valid time"))
    }

    #[test]
    fn every_state_code_has_one_status_and_done_service_is_closed() {
        for code in TopicState::CODES {
            assert!(status_of_code(code).is_some(), "{code}");
        }
        assert!(RequestStatus::Closed.state_codes().contains(&"service_done"));
        assert!(RequestStatus::Open.state_codes().contains(&"service_acknowledged"));
        let all = RequestStatus::Open.state_codes().len() + RequestStatus::Closed.state_codes().len();
        assert_eq!(all, TopicState::CODES.len());
        assert!(RequestStatus::parse("pending").is_err());
    }

    #[test]
    fn the_state_and_its_code_agree_on_the_status() {
        let request = |status| {
            TopicState::Routed(crate::topic::ServiceRequest {
                company: crate::ids::CompanyId::from_uuid(uuid::Uuid::new_v4()),
                routed_at: at(1),
                status,
            })
        };
        let states = [
            TopicState::AwaitingTriage { since: at(1) },
            TopicState::Withdrawn { at: at(1) },
            request(ServiceStatus::Acknowledged { at: at(2) }),
            request(ServiceStatus::Done { at: at(3) }),
        ];
        for state in states {
            assert_eq!(Some(RequestStatus::of(&state)), status_of_code(state.code()), "{}", state.code());
        }
    }

    #[test]
    fn a_topic_takes_its_title_from_the_first_line_or_the_service() {
        let Ok((title, description)) = topic_text(Some("\n 3号楼电梯停运 \n已三天"), "维修") else {
            panic!("parses")
        };
        assert_eq!(title.as_str(), "3号楼电梯停运");
        assert_eq!(description.as_str(), "3号楼电梯停运 \n已三天");

        let Ok((title, _)) = topic_text(None, "停车管理") else { panic!("parses") };
        assert_eq!(title.as_str(), "停车管理");

        let long = "漏".repeat(100);
        let Ok((title, _)) = topic_text(Some(&long), "维修") else { panic!("parses") };
        assert_eq!(title.as_str().chars().count(), TopicTitle::MAX_CHARS);
    }

    #[test]
    fn a_window_spans_at_most_ninety_days_and_defaults_to_the_last_ninety() {
        let now = at(30);
        assert_eq!(
            RequestWindow::new(None, None, now),
            Ok(RequestWindow { start: now - RequestWindow::MAX, end: now })
        );
        assert!(RequestWindow::new(Some(at(1)), Some(at(2)), now).is_ok());
        assert!(RequestWindow::new(Some(at(2)), Some(at(1)), now).is_err());
        assert!(RequestWindow::new(Some(at(1) - TimeDelta::days(91)), Some(at(1)), now).is_err());
    }
}
