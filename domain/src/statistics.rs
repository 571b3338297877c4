//! Statistics for the offices above a community (issue 18, decisions 150–155): what a street, district or
//! city official reads about the pipeline of the places below them, the periods the figures are kept
//! for, and who may read them. The figures themselves are kept by a projection of the event log
//! (`gongzhi_infra::statistics`); this module holds the rules it and the API share.

pub mod durations;

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate, Utc};

use crate::Denied;
use crate::Invalid;
use crate::place::{Ancestry, PlaceKind};
use crate::policy::Actor;
use crate::role::Role;

/// UTC+8: a day or month is the calendar's in China, as the offices count them (as `Quarter` does).
fn china() -> FixedOffset {
    const EIGHT_HOURS: i32 = 8 * 3600;
    FixedOffset::east_opt(EIGHT_HOURS).unwrap_or_else(|| unreachable!("eight hours is a valid offset"))
}

/// The length of the periods figures are kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Day,
    Month,
}

impl Period {
    pub const ALL: [Period; 2] = [Period::Day, Period::Month];

    pub const fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|period| period.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "period", given: input.to_owned() })
    }

    /// The first day of the period `date` falls in.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The first day of the period an instant falls in, by the calendar in China.
    pub fn start_at(self, at: DateTime<Utc>) -> NaiveDate {
        self.start_of(at.with_timezone(&china()).date_naive())
    }

    /// The first day of the next period.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => start.succ_opt(),
            Period::Month => start.checked_add_months(Months::new(1)),
        }
    }

    /// How many periods a query may span: a year of days, ten years of months.
    pub const fn max_span(self) -> u32 {
        match self {
            Period::Day => 366,
            Period::Month => 120,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The periods a query covers: from the period `from` falls in to the one `to` falls in, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    period: Period,
    first: NaiveDate,
    last: NaiveDate,
}

impl Window {
    /// Refuses a window that ends before it starts, or spans more than the period's `max_span`.
    pub fn new(period: Period, from: NaiveDate, to: NaiveDate) -> Result<Self, Invalid> {
        let first = period.start_of(from);
        let last = period.start_of(to);
        let refused = || Invalid::StatisticsWindow { period: period.as_str(), max: period.max_span() };
        if last < first {
            return Err(refused());
        }
        let span = match period {
            Period::Day => (last - first).num_days() + 1,
            Period::Month => {
                i64::from(last.year() - first.year()) * 12 + i64::from(last.month()) - i64::from(first.month()) + 1
            }
        };
        if span > i64::from(period.max_span()) {
            return Err(refused());
        }
        Ok(Window { period, first, last })
    }

    pub fn period(&self) -> Period {
        self.period
    }

    /// The first period's first day.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last period's first day.
    pub fn last(&self) -> NaiveDate {
        self.last
    }

    /// Every period's first day, in order.
    pub fn starts(&self) -> Vec<NaiveDate> {
        let mut starts = vec![self.first];
        while let Some(next) = starts.last().and_then(|s| self.period.next(*s)).filter(|n| *n <= self.last) {
            starts.push(next);
        }
        starts
    }
}

/// Every figure the projection keeps, per place, period and category. Counts count the events of that
/// kind in the period; `*_seconds` are sums, read with their `*_timed` count as an average. Each event
/// is counted in the period it happened in and at every level of its place's path down to the compound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Topics submitted (raised by residents, or filed through Open311).
    TopicsSubmitted,
    /// Accepted for deliberation at triage.
    TopicsAccepted,
    TopicsRejected,
    TopicsWithdrawn,
    /// Merged into another topic.
    TopicsMerged,
    /// Routed to the property company as a service request.
    TopicsRouted,
    /// Escalated to the level above.
    TopicsEscalated,
    /// A deliberation resolved (by meeting or vote).
    TopicsResolved,
    /// Implementation completed.
    TopicsCompleted,
    /// The outcome published to residents.
    TopicsPublished,
    TopicsClosed,
    TopicsReopened,
    /// Service requests the submitter confirmed (or the scheduler confirmed by default).
    ServiceConfirmed,
    /// Seconds from submission to acceptance, summed over `AcceptTimed` topics.
    AcceptSeconds,
    AcceptTimed,
    /// Seconds from submission to resolution, summed over `ResolveTimed` topics.
    ResolveSeconds,
    ResolveTimed,
    /// Seconds from submission to closing, summed over `CloseTimed` topics.
    CloseSeconds,
    CloseTimed,
    CoSigns,
    VotesOpened,
    /// The households or owners on the rolls of the votes opened (the turnout's denominator).
    VoteElectorate,
    VotesClosed,
    VotesPassed,
    /// Ballots cast, online or on paper (a replaced ballot is not counted again).
    BallotsCast,
    MeetingsScheduled,
    MeetingCheckIns,
    Ratings,
    /// Ratings' scores (1–5), summed over `Ratings`.
    RatingScore,
    /// Letters about late tasks (提示函, 警示函).
    TaskLetters,
    TasksFinished,
    /// Letters about missing disclosures (提示函, 警示函, escalation).
    DisclosureLetters,
    /// Triage decisions (accepted, rejected, routed, merged, escalated) taken while a triage deadline ran.
    TriageDecided,
    /// Of those, taken by the deadline (decision 157).
    TriageOnTime,
    /// Outcomes published while a publication deadline ran.
    PublicationDue,
    PublicationOnTime,
    /// Tasks finished, each against its own due date.
    TasksDue,
    TasksOnTime,
    /// Satisfaction surveys closed; their responses and the households asked.
    SurveysClosed,
    SurveyResponses,
    SurveyHouseholds,
    /// Rating answers (1–5) of closed surveys whose results are shown, and their scores' sum.
    SurveyRatings,
    SurveyRatingScore,
    /// Compounds put on a quarter's problem list (问题小区).
    ProblemCompoundsListed,
}

impl Metric {
    pub const ALL: [Metric; 44] = [
        Metric::TopicsSubmitted,
        Metric::TopicsAccepted,
        Metric::TopicsRejected,
        Metric::TopicsWithdrawn,
        Metric::TopicsMerged,
        Metric::TopicsRouted,
        Metric::TopicsEscalated,
        Metric::TopicsResolved,
        Metric::TopicsCompleted,
        Metric::TopicsPublished,
        Metric::TopicsClosed,
        Metric::TopicsReopened,
        Metric::ServiceConfirmed,
        Metric::AcceptSeconds,
        Metric::AcceptTimed,
        Metric::ResolveSeconds,
        Metric::ResolveTimed,
        Metric::CloseSeconds,
        Metric::CloseTimed,
        Metric::CoSigns,
        Metric::VotesOpened,
        Metric::VoteElectorate,
        Metric::VotesClosed,
        Metric::VotesPassed,
        Metric::BallotsCast,
        Metric::MeetingsScheduled,
        Metric::MeetingCheckIns,
        Metric::Ratings,
        Metric::RatingScore,
        Metric::TaskLetters,
        Metric::TasksFinished,
        Metric::DisclosureLetters,
        Metric::TriageDecided,
        Metric::TriageOnTime,
        Metric::PublicationDue,
        Metric::PublicationOnTime,
        Metric::TasksDue,
        Metric::TasksOnTime,
        Metric::SurveysClosed,
        Metric::SurveyResponses,
        Metric::SurveyHouseholds,
        Metric::SurveyRatings,
        Metric::SurveyRatingScore,
        Metric::ProblemCompoundsListed,
    ];

    /// The stable code stored and served in the feeds.
    pub const fn as_str(self) -> &'static str {
        match self {
            Metric::TopicsSubmitted => "topics_submitted",
            Metric::TopicsAccepted => "topics_accepted",
            Metric::TopicsRejected => "topics_rejected",
            Metric::TopicsWithdrawn => "topics_withdrawn",
            Metric::TopicsMerged => "topics_merged",
            Metric::TopicsRouted => "topics_routed",
            Metric::TopicsEscalated => "topics_escalated",
            Metric::TopicsResolved => "topics_resolved",
            Metric::TopicsCompleted => "topics_completed",
            Metric::TopicsPublished => "topics_published",
            Metric::TopicsClosed => "topics_closed",
            Metric::TopicsReopened => "topics_reopened",
            Metric::ServiceConfirmed => "service_confirmed",
            Metric::AcceptSeconds => "accept_seconds",
            Metric::AcceptTimed => "accept_timed",
            Metric::ResolveSeconds => "resolve_seconds",
            Metric::ResolveTimed => "resolve_timed",
            Metric::CloseSeconds => "close_seconds",
            Metric::CloseTimed => "close_timed",
            Metric::CoSigns => "co_signs",
            Metric::VotesOpened => "votes_opened",
            Metric::VoteElectorate => "vote_electorate",
            Metric::VotesClosed => "votes_closed",
            Metric::VotesPassed => "votes_passed",
            Metric::BallotsCast => "ballots_cast",
            Metric::MeetingsScheduled => "meetings_scheduled",
            Metric::MeetingCheckIns => "meeting_check_ins",
            Metric::Ratings => "ratings",
            Metric::RatingScore => "rating_score",
            Metric::TaskLetters => "task_letters",
            Metric::TasksFinished => "tasks_finished",
            Metric::DisclosureLetters => "disclosure_letters",
            Metric::TriageDecided => "triage_decided",
            Metric::TriageOnTime => "triage_on_time",
            Metric::PublicationDue => "publication_due",
            Metric::PublicationOnTime => "publication_on_time",
            Metric::TasksDue => "tasks_due",
            Metric::TasksOnTime => "tasks_on_time",
            Metric::SurveysClosed => "surveys_closed",
            Metric::SurveyResponses => "survey_responses",
            Metric::SurveyHouseholds => "survey_households",
            Metric::SurveyRatings => "survey_ratings",
            Metric::SurveyRatingScore => "survey_rating_score",
            Metric::ProblemCompoundsListed => "problem_compounds_listed",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|metric| metric.as_str() == input)
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The deepest level figures are kept for: a compound. Buildings and households are too small for
/// statistics to say anything a resident's neighbours could not be recognised in.
pub const DEEPEST: PlaceKind = PlaceKind::Compound;

/// The roles that read statistics: the offices above a community (街道, 区县, 市).
const OFFICES: [Role; 3] = [Role::StreetOfficer, Role::DistrictOfficer, Role::CityAdministrator];

/// A person reads a place's statistics when they hold an office role at that place or above it: a
/// street officer their street and what lies below, a district officer their district, a city
/// administrator the city. Community staff and residents read none (their own community's figures are
/// its pipeline, which they see in full); nobody reads a building's or household's.
pub fn authorize_reading(actor: &Actor, place: &Ancestry) -> Result<(), Denied> {
    if place.kind() > DEEPEST {
        return Err(Denied::Forbidden);
    }
    let holds_office =
        actor.grants.iter().any(|grant| OFFICES.contains(&grant.role) && place.is_within(grant.place.id()));
    if holds_office { Ok(()) } else { Err(Denied::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_month_window_covers_the_months_its_days_fall_in() {
        let window = Window::new(Period::Month, day(2026, 11, 15), day(2027, 1, 3)).expect("valid");
        assert_eq!(window.starts(), [day(2026, 11, 1), day(2026, 12, 1), day(2027, 1, 1)]);
    }

    #[test]
    fn a_window_that_ends_before_it_starts_or_spans_too_long_is_refused() {
        assert!(Window::new(Period::Day, day(2026, 12, 2), day(2026, 12, 1)).is_err());
        assert!(Window::new(Period::Day, day(2026, 1, 1), day(2026, 12, 31)).is_ok(), "365 days");
        assert!(Window::new(Period::Day, day(2026, 1, 1), day(2027, 1, 2)).is_err(), "367 days");
        assert!(Window::new(Period::Month, day(2020, 1, 1), day(2029, 12, 31)).is_ok(), "120 months");
        assert!(Window::new(Period::Month, day(2020, 1, 1), day(2030, 1, 1)).is_err(), "121 months");
    }

    #[test]
    fn a_day_is_the_day_in_china() {
        let late_evening_utc = "2026-12-06T17:00:00Z".parse::<DateTime<Utc>>().expect("instant");
        assert_eq!(Period::Day.start_at(late_evening_utc), day(2026, 12, 7));
        assert_eq!(Period::Month.start_at(late_evening_utc), day(2026, 12, 1));
    }

    #[test]
    fn every_metric_code_reads_back() {
        for metric in Metric::ALL {
            assert_eq!(Metric::parse(metric.as_str()), Some(metric));
        }
    }
}
