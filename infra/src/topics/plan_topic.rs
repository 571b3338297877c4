//! An approved rectification plan (一院一案, decision 118) opens a topic of its own in the compound, taken
//! through the ordinary steps at once — submitted by the plan's drafter, accepted as a coordination among
//! the measures' owners, resolved with the plan as its decision and the street's approval as its minutes,
//! implementing with the measures as its tasks — so progress reports, supervision letters, acceptance by
//! the residents' committee and publication all work on it unchanged, and its timeline tells the story.

use chrono::{DateTime, FixedOffset, Utc};
use gongzhi_domain::accountability::rectification::RectificationPlan;
use gongzhi_domain::ids::{CategoryId, PersonId, TaskId, TopicId};
use gongzhi_domain::place::{Ancestry, PlaceKind};
use gongzhi_domain::topic::{
    DeliberationForm, DeliberationPlan, Minutes, Photos, Placement, PlanDraft, Resolution, ResolutionText, Topic,
    TopicDescription, TopicDraft, TopicTitle, Transition,
};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;

use super::catalogue::find_category;
use super::{events, row};
use crate::entities::{task, topic};
use crate::topics::write::TopicWrite;
use crate::{Error, Result, new_id};

const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => unreachable!(),
};

/// The approved plan and where its topic goes.
pub(crate) struct PlanTopic<'a> {
    pub plan: &'a RectificationPlan,
    /// The compound, with its ancestors.
    pub place: &'a Ancestry,
    pub category: CategoryId,
    pub compound_name: &'a str,
    /// The street officer who approved it: the resolution is theirs.
    pub reviewer: PersonId,
}

/// Opens the approved plan's topic and its tasks inside the caller's transaction; the topic's id.
pub(crate) async fn open_plan_topic(
    txn: &TopicWrite,
    opening: PlanTopic<'_>,
    deadlines: &gongzhi_domain::topic::Deadlines,
    now: DateTime<Utc>,
) -> Result<TopicId> {
    let PlanTopic { plan, place, category, compound_name, reviewer } = opening;
    let id = TopicId::from_uuid(new_id());
    let tasks = plan.tasks(id, now, || TaskId::from_uuid(new_id()))?;
    let title: String = format!("一院一案：{compound_name}（{}）", plan.quarter).chars().take(60).collect();
    let draft = TopicDraft {
        title: TopicTitle::parse(&title)?,
        description: TopicDescription::parse(&plan.summary)?,
        location: None,
        photos: Photos::parse::<&str>(&[])?,
    };
    let category = find_category(txn, category).await?;
    let placement = Placement { place, category: &category, round: None };
    let submitted = Topic::submit(id, plan.drafted_by, draft, placement, now)?;
    let today = now.with_timezone(&CHINA).date_naive();
    let mut parties: Vec<_> = plan.measures.iter().map(|m| m.owner).collect();
    parties.dedup();
    let coordination = DeliberationPlan::new(PlanDraft {
        form: DeliberationForm::CoordinationMeeting,
        parties,
        invitees: Vec::new(),
        starts_on: today,
        ends_on: today,
        major: false,
    })?;
    let accepted = submitted.topic.clone().accept(plan.drafted_by, coordination, None, now)?;
    let minutes = format!("街道审核通过整改方案（{}）。", plan.quarter);
    let resolution = Resolution {
        decision: ResolutionText::parse(&plan.summary)?,
        minutes: Minutes::parse(&minutes)?,
        meeting: None,
        vote: None,
    };
    let resolved = accepted.topic.clone().resolve(reviewer, resolution, now)?;
    let Transition { topic: implementing, event: started } =
        resolved.topic.clone().start_implementation(plan.drafted_by, tasks.iter().map(|t| t.id).collect(), now)?;
    let at = |kind| place.at(kind).map(|p| p.as_uuid()).ok_or(Error::NotFound("place"));
    let mut active = topic::ActiveModel {
        id: Set(id.as_uuid()),
        place_id: Set(place.id().as_uuid()),
        community_id: Set(at(PlaceKind::Community)?),
        compound_id: Set(at(PlaceKind::Compound)?),
        street_id: Set(at(PlaceKind::Street)?),
        category_id: Set(category.id.as_uuid()),
        round_id: Set(None),
        submitter_id: Set(plan.drafted_by.as_uuid()),
        title: Set(implementing.title.as_str().to_owned()),
        description: Set(implementing.description.as_str().to_owned()),
        datum: Set(None),
        lat_micro: Set(None),
        lng_micro: Set(None),
        photos: Set("[]".to_owned()),
        submitted_at: Set(now),
        co_sign_count: Set(0),
        ..Default::default()
    };
    row::write_state(&mut active, &implementing, deadlines, now)?;
    active.insert(txn).await?;
    // The tasks exist before the event that names them: its notifications read them.
    for task in &tasks {
        task::ActiveModel {
            id: Set(task.id.as_uuid()),
            topic_id: Set(id.as_uuid()),
            owner_party: Set(task.owner.as_str().to_owned()),
            title: Set(task.title.clone()),
            criteria: Set(task.criteria.clone()),
            due_at: Set(task.due_at),
            state: Set(task.state.code().to_owned()),
            done_at: Set(None),
            done_by: Set(None),
            accepted_at: Set(None),
            accepted_by: Set(None),
            reminder_at: Set(None),
            warning_at: Set(None),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    for event in [&submitted.event, &accepted.event, &resolved.event, &started] {
        events::append(txn, event).await?;
    }
    Ok(id)
}

/// A plan's category must be one its topic could be filed under: the compound's community's, in use.
pub(crate) async fn check_category(db: &impl sea_orm::ConnectionTrait, id: CategoryId, place: &Ancestry) -> Result<()> {
    Ok(find_category(db, id).await?.check_usable_at(place)?)
}
