//! From events to figures, without I/O (decision 151): each event adds to the figures of its period at
//! every level of its place's path, in its topic's category, and moves its topic between stages. What the
//! projection must remember of a topic between events (`TopicFacts`) is loaded before and stored after.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use gongzhi_domain::statistics::{DEEPEST, Metric, Period, durations};
use gongzhi_domain::topic::Stage;
use uuid::Uuid;

use crate::event_log::LoggedEvent;
use crate::event_log::wire::WireEvent;

/// What the projection knows of one topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopicFacts {
    /// City first, the topic's place last, as its last `topic.*` event had it.
    pub path: Vec<Uuid>,
    pub category: Uuid,
    /// `None` until an event tells it (a topic the log met before its submission: none today).
    pub stage: Option<Stage>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it entered `stage`, to time its next move (decision 156).
    pub stage_since: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct FigureKey {
    pub place: Uuid,
    pub parent: Option<Uuid>,
    pub period: Period,
    pub start: NaiveDate,
    pub metric: Metric,
    pub category: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct StageKey {
    pub place: Uuid,
    pub parent: Option<Uuid>,
    pub stage: Stage,
    pub category: Uuid,
}

/// A bucket of time spent in a stage, left in a period (decision 156).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DurationKey {
    pub place: Uuid,
    pub parent: Option<Uuid>,
    pub period: Period,
    pub start: NaiveDate,
    pub stage: Stage,
    pub bucket: u16,
}

/// What a batch adds to the stored rows.
#[derive(Debug, Default)]
pub(crate) struct Deltas {
    pub figures: BTreeMap<FigureKey, i64>,
    pub stages: BTreeMap<StageKey, i64>,
    pub durations: BTreeMap<DurationKey, i64>,
}

/// Each place of the path down to the deepest level figures are kept for, with its parent.
fn levels(path: &[Uuid]) -> impl Iterator<Item = (Uuid, Option<Uuid>)> + '_ {
    path.iter()
        .take(DEEPEST.depth() + 1)
        .enumerate()
        .map(move |(depth, place)| (*place, depth.checked_sub(1).map(|d| path[d])))
}

impl Deltas {
    fn add(&mut self, path: &[Uuid], at: DateTime<Utc>, metric: Metric, category: Uuid, by: i64) {
        if by == 0 {
            return;
        }
        for (place, parent) in levels(path) {
            for period in Period::ALL {
                let key = FigureKey { place, parent, period, start: period.start_at(at), metric, category };
                *self.figures.entry(key).or_default() += by;
            }
        }
    }

    /// A topic left `stage` at `at` after `seconds` in it: counted in the period it left.
    fn left(&mut self, path: &[Uuid], at: DateTime<Utc>, stage: Stage, seconds: i64) {
        let bucket = durations::bucket_of(seconds);
        for (place, parent) in levels(path) {
            for period in Period::ALL {
                let key = DurationKey { place, parent, period, start: period.start_at(at), stage, bucket };
                *self.durations.entry(key).or_default() += 1;
            }
        }
    }

    fn stage(&mut self, path: &[Uuid], stage: Stage, category: Uuid, by: i64) {
        for (place, parent) in levels(path) {
            *self.stages.entry(StageKey { place, parent, stage, category }).or_default() += by;
        }
    }
}

/// The stage a topic is in after `event`, from the one it was in (`TopicState::stage`'s mapping, told
/// by the steps: a closed service request stays `Service`, a reopened topic deliberates again).
fn stage_after(event: &WireEvent, now: Option<Stage>) -> Option<Stage> {
    Some(match event {
        WireEvent::TopicSubmitted { .. } => Stage::Collecting,
        WireEvent::TopicWithdrawn => Stage::Withdrawn,
        WireEvent::TopicAccepted { .. }
        | WireEvent::TopicResolved { .. }
        | WireEvent::TopicReconsidered
        | WireEvent::TopicReopened { .. } => Stage::Deliberating,
        WireEvent::TopicMerged { .. } => Stage::Merged,
        WireEvent::TopicRouted { .. } => Stage::Service,
        WireEvent::TopicRejected => Stage::Rejected,
        WireEvent::TopicImplementationStarted { .. } | WireEvent::TopicCompleted => Stage::Implementing,
        WireEvent::TopicPublished | WireEvent::TopicRatingOpened { .. } => Stage::Feedback,
        WireEvent::TopicClosed if now == Some(Stage::Service) => Stage::Service,
        WireEvent::TopicClosed => Stage::Closed,
        _ => return now,
    })
}

fn seconds_between(from: Option<DateTime<Utc>>, to: DateTime<Utc>) -> Option<i64> {
    from.map(|from| (to - from).num_seconds().max(0))
}

/// Adds one event to `deltas`, updating its topic's facts (`topic`, when the event concerns a topic).
/// Kinds and versions this build does not know count nothing.
pub(crate) fn fold(event: &LoggedEvent, topic: Option<&mut TopicFacts>, deltas: &mut Deltas) {
    let Some(payload) = event.wire() else { return };
    let wire = &payload.event;
    let at = event.at;
    let category = topic.as_ref().map_or(Uuid::nil(), |t| t.category);
    let submitted_at = topic.as_ref().and_then(|t| t.submitted_at);
    let timed = |seconds: Metric, timed: Metric| match seconds_between(submitted_at, at) {
        Some(s) => vec![(seconds, s), (timed, 1)],
        None => Vec::new(),
    };
    let one = |metric: Metric| vec![(metric, 1)];
    // A step taken by its deadline, at the very instant included (`Deadline::is_overdue`).
    let on_time = |deadline: Option<(Metric, Metric, DateTime<Utc>)>| match deadline {
        Some((due, met, by)) => vec![(due, 1), (met, i64::from(at <= by))],
        None => Vec::new(),
    };
    let figures: Vec<(Metric, i64)> = match wire {
        WireEvent::TopicSubmitted { .. } => one(Metric::TopicsSubmitted),
        WireEvent::TopicCoSigned => one(Metric::CoSigns),
        WireEvent::TopicWithdrawn => one(Metric::TopicsWithdrawn),
        WireEvent::TopicAccepted { .. } => {
            [one(Metric::TopicsAccepted), timed(Metric::AcceptSeconds, Metric::AcceptTimed)].concat()
        }
        WireEvent::TopicMerged { .. } => one(Metric::TopicsMerged),
        WireEvent::TopicRouted { .. } => one(Metric::TopicsRouted),
        WireEvent::TopicRejected => one(Metric::TopicsRejected),
        WireEvent::TopicEscalated { .. } => one(Metric::TopicsEscalated),
        WireEvent::TopicServiceConfirmed { .. } => one(Metric::ServiceConfirmed),
        WireEvent::TopicResolved { .. } => {
            [one(Metric::TopicsResolved), timed(Metric::ResolveSeconds, Metric::ResolveTimed)].concat()
        }
        WireEvent::TopicCompleted => one(Metric::TopicsCompleted),
        WireEvent::TopicTaskLetter { .. } => one(Metric::TaskLetters),
        WireEvent::TopicPublished => one(Metric::TopicsPublished),
        WireEvent::TopicClosed => [one(Metric::TopicsClosed), timed(Metric::CloseSeconds, Metric::CloseTimed)].concat(),
        WireEvent::TopicReopened { .. } => one(Metric::TopicsReopened),
        WireEvent::VoteOpened { electorate_heads, .. } => vec![
            (Metric::VotesOpened, 1),
            (Metric::VoteElectorate, electorate_heads.map_or(0, |h| i64::try_from(h).unwrap_or(i64::MAX))),
        ],
        WireEvent::VoteClosed { verdict, .. } if verdict == "passed" => {
            vec![(Metric::VotesClosed, 1), (Metric::VotesPassed, 1)]
        }
        WireEvent::VoteClosed { .. } => one(Metric::VotesClosed),
        WireEvent::BallotCast { .. } | WireEvent::BallotPaperEntered { .. } => one(Metric::BallotsCast),
        WireEvent::MeetingScheduled { .. } => one(Metric::MeetingsScheduled),
        WireEvent::MeetingCheckedIn { .. } => one(Metric::MeetingCheckIns),
        WireEvent::TaskFinished { due_at, .. } => {
            [one(Metric::TasksFinished), on_time(due_at.map(|due| (Metric::TasksDue, Metric::TasksOnTime, due)))]
                .concat()
        }
        WireEvent::RatingGiven { score } => vec![(Metric::Ratings, 1), (Metric::RatingScore, i64::from(*score))],
        WireEvent::DisclosureLetterSent { .. } => one(Metric::DisclosureLetters),
        WireEvent::SurveyClosed { responses, households, ratings, rating_score, .. } => vec![
            (Metric::SurveysClosed, 1),
            (Metric::SurveyResponses, i64::try_from(*responses).unwrap_or(i64::MAX)),
            (Metric::SurveyHouseholds, i64::from(*households)),
            (Metric::SurveyRatings, ratings.map_or(0, i64::from)),
            (Metric::SurveyRatingScore, rating_score.map_or(0, |s| i64::try_from(s).unwrap_or(i64::MAX))),
        ],
        WireEvent::ProblemCompoundListed { .. } => one(Metric::ProblemCompoundsListed),
        _ => Vec::new(),
    };
    let deadline = payload.due.as_ref().and_then(|due| match (wire, due.kind.as_str()) {
        (
            WireEvent::TopicAccepted { .. }
            | WireEvent::TopicRejected
            | WireEvent::TopicRouted { .. }
            | WireEvent::TopicMerged { .. }
            | WireEvent::TopicEscalated { .. },
            "triage",
        ) => Some((Metric::TriageDecided, Metric::TriageOnTime, due.at)),
        (WireEvent::TopicPublished, "publication") => Some((Metric::PublicationDue, Metric::PublicationOnTime, due.at)),
        _ => None,
    });
    let figures = [figures, on_time(deadline)].concat();
    for (metric, by) in figures {
        deltas.add(&event.place_path, at, metric, category, by);
    }
    // Only a topic's own steps tell where it is and what stage it is in: a vote or rating of the topic
    // may be placed at a compound below it.
    if let Some(facts) = topic.filter(|_| event.kind.starts_with("topic.")) {
        move_topic(facts, event, wire, deltas);
    }
}

fn move_topic(facts: &mut TopicFacts, event: &LoggedEvent, wire: &WireEvent, deltas: &mut Deltas) {
    let before = (facts.path.clone(), facts.stage, facts.category);
    if !event.place_path.is_empty() {
        facts.path.clone_from(&event.place_path);
    }
    if let WireEvent::TopicReclassified { to, .. } = wire {
        facts.category = *to;
    }
    facts.stage = stage_after(wire, facts.stage);
    if facts.stage != before.1 {
        if let (Some(left), Some(since)) = (before.1, facts.stage_since) {
            deltas.left(&before.0, event.at, left, (event.at - since).num_seconds());
        }
        facts.stage_since = Some(event.at);
    }
    match wire {
        WireEvent::TopicSubmitted { .. } => facts.submitted_at = Some(event.at),
        WireEvent::TopicAccepted { .. } => facts.accepted_at = Some(event.at),
        _ => {}
    }
    if before != (facts.path.clone(), facts.stage, facts.category) {
        if let Some(stage) = before.1 {
            deltas.stage(&before.0, stage, before.2, -1);
        }
        if let Some(stage) = facts.stage {
            deltas.stage(&facts.path, stage, facts.category, 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_log::{Audience, wire::Payload};

    fn event(seq: i64, wire: WireEvent, path: &[Uuid]) -> LoggedEvent {
        let payload =
            serde_json::to_value(Payload { event: wire.clone(), texts: Vec::new(), due: None }).expect("json");
        LoggedEvent {
            seq,
            id: Uuid::new_v4(),
            kind: wire.kind(),
            schema_version: 1,
            at: "2026-12-07T02:00:00Z".parse().expect("instant"),
            actor: None,
            topic: None,
            vote: None,
            place: None,
            place_path: path.to_vec(),
            audience: Audience::Public,
            payload,
        }
    }

    #[test]
    fn an_event_counts_at_every_level_down_to_the_compound_and_in_both_periods() {
        let path: Vec<Uuid> = (0..6).map(|_| Uuid::new_v4()).collect();
        let mut deltas = Deltas::default();
        fold(
            &event(
                1,
                WireEvent::MeetingScheduled {
                    meeting: Uuid::nil(),
                    form: "online".into(),
                    starts_at: DateTime::UNIX_EPOCH,
                    ends_at: DateTime::UNIX_EPOCH,
                },
                &path,
            ),
            None,
            &mut deltas,
        );
        assert_eq!(deltas.figures.len(), 5 * 2, "city to compound, day and month; never the building");
        assert!(deltas.figures.keys().all(|k| k.place != path[5]));
        assert!(deltas.figures.keys().any(|k| k.place == path[2] && k.parent == Some(path[1])));
    }

    #[test]
    fn a_topic_moves_between_stages_and_its_acceptance_is_timed() {
        let path = vec![Uuid::new_v4(), Uuid::new_v4()];
        let mut facts = TopicFacts {
            path: path.clone(),
            category: Uuid::new_v4(),
            stage: None,
            submitted_at: None,
            accepted_at: None,
            stage_since: None,
        };
        let mut deltas = Deltas::default();
        let submitted = event(1, WireEvent::TopicSubmitted { category: None }, &path);
        fold(&submitted, Some(&mut facts), &mut deltas);
        let mut accepted = event(2, WireEvent::TopicCoSigned, &path);
        accepted.at = submitted.at + chrono::Duration::hours(2);
        fold(&accepted, Some(&mut facts), &mut deltas);
        let plan = crate::event_log::wire::WirePlan {
            form: "meeting".into(),
            parties: Vec::new(),
            starts_on: submitted.at.date_naive(),
            ends_on: submitted.at.date_naive(),
            major: false,
            invitees: 0,
            invited_people: Vec::new(),
        };
        let mut accepted = event(3, WireEvent::TopicAccepted { plan }, &path);
        accepted.at = submitted.at + chrono::Duration::hours(3);
        fold(&accepted, Some(&mut facts), &mut deltas);

        assert_eq!(facts.stage, Some(Stage::Deliberating));
        let at_city =
            |stage| deltas.stages.get(&StageKey { place: path[0], parent: None, stage, category: facts.category });
        assert_eq!(at_city(Stage::Collecting), Some(&0), "in and out again");
        assert_eq!(at_city(Stage::Deliberating), Some(&1));
        let figure = |metric| {
            deltas.figures.get(&FigureKey {
                place: path[0],
                parent: None,
                period: Period::Month,
                start: Period::Month.start_at(submitted.at),
                metric,
                category: facts.category,
            })
        };
        assert_eq!(figure(Metric::AcceptSeconds), Some(&(3 * 3600)));
        assert_eq!(figure(Metric::AcceptTimed), Some(&1));
        assert_eq!(figure(Metric::CoSigns), Some(&1));
    }
}
