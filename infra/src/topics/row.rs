//! A topic row and the domain `Topic`, both ways. The state lives in a handful of columns (its code, the
//! one timestamp it carries, and what the particular state needs); the plan is JSON, checked again when
//! read. Anything that does not parse back is a storage fault, not something to trust.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{CategoryId, CompanyId, PersonId, RoundId, TopicId};
use gongzhi_domain::place::Ancestry;
use gongzhi_domain::topic::{
    Datum, Deadlines, Deliberation, DeliberationPlan, EscalationLevel, Location, Phase, Photos, Reason, ServiceRequest,
    ServiceStatus, Topic, TopicDescription, TopicState, TopicTitle,
};
use sea_orm::ActiveValue::Set;
use sea_orm::DbErr;

use crate::entities::topic;
use crate::rows::corrupt;

fn bad(id: uuid::Uuid) -> impl Fn() -> DbErr {
    move || corrupt("topic", id)
}

pub(crate) fn topic_of(row: &topic::Model, place: Ancestry) -> Result<Topic, DbErr> {
    let bad = bad(row.id);
    let location = match (row.datum.as_deref(), row.lat_micro, row.lng_micro) {
        (Some(datum), Some(lat), Some(lng)) => {
            let datum = Datum::parse(datum).map_err(|_| bad())?;
            Some(Location::from_micro_degrees(datum, lat, lng).map_err(|_| bad())?)
        }
        _ => None,
    };
    let photo_keys: Vec<String> = serde_json::from_str(&row.photos).map_err(|_| bad())?;
    Ok(Topic {
        id: TopicId::from_uuid(row.id),
        submitter: PersonId::from_uuid(row.submitter_id),
        place,
        category: CategoryId::from_uuid(row.category_id),
        round: row.round_id.map(RoundId::from_uuid),
        title: TopicTitle::parse(&row.title).map_err(|_| bad())?,
        description: TopicDescription::parse(&row.description).map_err(|_| bad())?,
        location,
        photos: Photos::parse(&photo_keys).map_err(|_| bad())?,
        submitted_at: row.submitted_at,
        level: EscalationLevel::parse(&row.level).map_err(|_| bad())?,
        state: state_of(row)?,
    })
}

fn state_of(row: &topic::Model) -> Result<TopicState, DbErr> {
    let bad = bad(row.id);
    let at = row.state_at;
    let service = |status| -> Result<TopicState, DbErr> {
        Ok(TopicState::Routed(ServiceRequest {
            company: CompanyId::from_uuid(row.company_id.ok_or_else(&bad)?),
            routed_at: row.routed_at.ok_or_else(&bad)?,
            status,
        }))
    };
    let accepted = |phase| -> Result<TopicState, DbErr> {
        let plan: DeliberationPlan = serde_json::from_str(row.plan.as_deref().ok_or_else(&bad)?).map_err(|_| bad())?;
        Ok(TopicState::Accepted(Deliberation { plan, phase }))
    };
    match row.state.as_str() {
        "awaiting_triage" => Ok(TopicState::AwaitingTriage { since: at }),
        "withdrawn" => Ok(TopicState::Withdrawn { at }),
        "rejected" => {
            let reason = Reason::parse(row.reason.as_deref().ok_or_else(&bad)?).map_err(|_| bad())?;
            Ok(TopicState::Rejected { at, reason })
        }
        "merged" => Ok(TopicState::Merged { at, into: TopicId::from_uuid(row.merged_into.ok_or_else(&bad)?) }),
        "service_routed" => service(ServiceStatus::Routed),
        "service_acknowledged" => service(ServiceStatus::Acknowledged { at }),
        "service_done" => service(ServiceStatus::Done { at }),
        "service_confirmed" => service(ServiceStatus::Confirmed { at, by_default: row.by_default.unwrap_or(false) }),
        "deliberating" => accepted(Phase::Deliberating { since: at }),
        "resolved" => accepted(Phase::Resolved { at }),
        "announced" => accepted(Phase::Announced { at }),
        "implementing" => accepted(Phase::Implementing { since: at }),
        "completed" => accepted(Phase::Completed { at }),
        "published" => accepted(Phase::Published { at }),
        "rating_open" => accepted(Phase::RatingOpen { closes_at: at }),
        "closed" => accepted(Phase::Closed { at }),
        _ => Err(bad()),
    }
}

/// The one timestamp a state carries.
fn state_at(state: &TopicState) -> DateTime<Utc> {
    match state {
        TopicState::AwaitingTriage { since } => *since,
        TopicState::Withdrawn { at } | TopicState::Rejected { at, .. } | TopicState::Merged { at, .. } => *at,
        TopicState::Routed(request) => match request.status {
            ServiceStatus::Routed => request.routed_at,
            ServiceStatus::Acknowledged { at } | ServiceStatus::Done { at } | ServiceStatus::Confirmed { at, .. } => at,
        },
        TopicState::Accepted(deliberation) => match deliberation.phase {
            Phase::Deliberating { since } | Phase::Implementing { since } => since,
            Phase::Resolved { at }
            | Phase::Announced { at }
            | Phase::Completed { at }
            | Phase::Published { at }
            | Phase::Closed { at } => at,
            Phase::RatingOpen { closes_at } => closes_at,
        },
    }
}

/// Writes everything a transition may change onto the row: state columns, level and deadline.
pub(crate) fn write_state(
    active: &mut topic::ActiveModel,
    topic: &Topic,
    deadlines: &Deadlines,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let state = &topic.state;
    active.state = Set(state.code().to_owned());
    active.stage = Set(topic.stage().as_str().to_owned());
    active.state_at = Set(state_at(state));
    active.level = Set(topic.level.as_str().to_owned());
    active.category_id = Set(topic.category.as_uuid());
    active.reason = Set(match state {
        TopicState::Rejected { reason, .. } => Some(reason.as_str().to_owned()),
        _ => None,
    });
    active.merged_into = Set(match state {
        TopicState::Merged { into, .. } => Some(into.as_uuid()),
        _ => None,
    });
    let (company, routed_at, by_default) = match state {
        TopicState::Routed(request) => (
            Some(request.company.as_uuid()),
            Some(request.routed_at),
            match request.status {
                ServiceStatus::Confirmed { by_default, .. } => Some(by_default),
                _ => None,
            },
        ),
        _ => (None, None, None),
    };
    active.company_id = Set(company);
    active.routed_at = Set(routed_at);
    active.by_default = Set(by_default);
    active.plan = Set(match state.plan() {
        Some(plan) => Some(serde_json::to_string(plan).map_err(|e| DbErr::Custom(e.to_string()))?),
        None => None,
    });
    let due = topic.deadline(deadlines);
    active.due_kind = Set(due.map(|d| d.kind.as_str().to_owned()));
    active.due_at = Set(due.map(|d| d.due_at));
    active.updated_at = Set(now);
    Ok(())
}
