//! A topic's detail lists for many topics at once, for the API's loaders: tasks, votes, meetings (with
//! who is on their lists), timelines, requests and rating summaries, one statement each whatever the
//! number of topics; and the minutes of many meetings, and topics by id, in one statement each.
//!
//! The lists are read for [`Standing`]s, so only for topics the viewer was found allowed to see, and what a
//! standing limits (staff-only events, names, other people's requests) is applied per topic, exactly as
//! for one topic read alone. Every key gets an answer, an empty list included, so a loader that remembers
//! never asks again for a topic without any.

use std::collections::HashMap;

use gongzhi_domain::ids::{MeetingId, PersonId, TopicId};
use gongzhi_domain::meeting::MinutesVersion;
use gongzhi_domain::task::Task;
use gongzhi_domain::topic::Visibility;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{Condition, ExprTrait, FromQueryResult, JoinType, QueryOrder, QuerySelect, QueryTrait};

use super::TopicRecord;
use super::events::{TimelineEntry, entry_of};
use super::feedback::{RatingSummary, TopicRequest, request_of};
use super::meetings::{MeetingRecord, meeting_of, minutes_of, participant_of};
use super::standing::Standing;
use crate::entities::{
    meeting, meeting_attendee, meeting_minutes, rating, task, topic, topic_event, topic_request, vote,
};
use crate::joined::select_prefixed;
use crate::topics::implementation::task_of;
use crate::votes::{VoteRecord, vote_of};
use crate::{Error, Result, Store};

fn topic_ids(keys: &[Standing]) -> Vec<Uuid> {
    keys.iter().map(|k| k.topic().as_uuid()).collect()
}

/// Hands each key the values of its topic that it may see, in the order read; an empty list when none.
fn per_key<V: Clone>(
    keys: &[Standing],
    values: Vec<(TopicId, V)>,
    shown: impl Fn(&Standing, &V) -> bool,
) -> HashMap<Standing, Vec<V>> {
    let mut by_topic: HashMap<TopicId, Vec<V>> = HashMap::new();
    for (topic, value) in values {
        by_topic.entry(topic).or_default().push(value);
    }
    keys.iter()
        .map(|key| {
            let own = by_topic.get(&key.topic()).map(Vec::as_slice).unwrap_or_default();
            (*key, own.iter().filter(|value| shown(key, value)).cloned().collect())
        })
        .collect()
}

/// A meeting with one person on its list (or none), as the LEFT JOIN reads it.
#[derive(FromQueryResult)]
struct MeetingRow {
    #[sea_orm(nested)]
    meeting: meeting::Model,
    #[sea_orm(nested(prefix = "a_"))]
    attendee: Option<meeting_attendee::Model>,
}

impl Store {
    /// Each topic's tasks, in the order they were made.
    pub async fn tasks_of(&self, topics: &[Standing]) -> Result<HashMap<Standing, Vec<Task>>> {
        let rows =
            task::Entity::find().filter(task::Column::TopicId.is_in(topic_ids(topics))).order_by_asc(task::Column::Id);
        let tasks = rows.all(&self.db).await?.iter().map(task_of).collect::<Result<Vec<_>, _>>()?;
        Ok(per_key(topics, tasks.into_iter().map(|t| (t.topic, t)).collect(), |_, _| true))
    }

    /// Each topic's votes, oldest first.
    pub async fn votes_of(&self, topics: &[Standing]) -> Result<HashMap<Standing, Vec<VoteRecord>>> {
        let rows =
            vote::Entity::find().filter(vote::Column::TopicId.is_in(topic_ids(topics))).order_by_asc(vote::Column::Id);
        let votes = rows.all(&self.db).await?.iter().map(vote_of).collect::<Result<Vec<_>, _>>()?;
        Ok(per_key(topics, votes.into_iter().map(|v| (v.topic, v)).collect(), |_, _| true))
    }

    /// Each topic's meetings by start time, each with its list (invitees and walk-ins in the order they were
    /// put on it), read in one statement.
    pub async fn meetings_of(&self, topics: &[Standing]) -> Result<HashMap<Standing, Vec<MeetingRecord>>> {
        let attendee = Alias::new("a");
        let mut query = meeting::Entity::find().filter(meeting::Column::TopicId.is_in(topic_ids(topics)));
        let statement = QueryTrait::query(&mut query);
        statement.join_as(
            JoinType::LeftJoin,
            meeting_attendee::Entity,
            attendee.clone(),
            Expr::col((attendee.clone(), meeting_attendee::Column::MeetingId))
                .equals((meeting::Entity, meeting::Column::Id)),
        );
        select_prefixed::<meeting_attendee::Entity>(statement, "a", "a_");
        statement
            .order_by((meeting::Entity, meeting::Column::StartsAt), sea_orm::Order::Asc)
            .order_by((meeting::Entity, meeting::Column::Id), sea_orm::Order::Asc)
            .order_by((attendee.clone(), meeting_attendee::Column::Position), sea_orm::Order::Asc)
            .order_by((attendee, meeting_attendee::Column::PersonId), sea_orm::Order::Asc);
        let mut meetings: Vec<(TopicId, MeetingRecord)> = Vec::new();
        for row in query.into_model::<MeetingRow>().all(&self.db).await? {
            let same = meetings.last().is_some_and(|(_, last)| last.meeting.id.as_uuid() == row.meeting.id);
            if !same {
                let record = MeetingRecord { meeting: meeting_of(&row.meeting)?, participants: Vec::new() };
                meetings.push((TopicId::from_uuid(row.meeting.topic_id), record));
            }
            if let (Some(attendee), Some((_, record))) = (row.attendee, meetings.last_mut()) {
                record.participants.push(participant_of(&attendee)?);
            }
        }
        Ok(per_key(topics, meetings, |_, _| true))
    }

    /// Each topic's timeline as its viewer may see it: public events, and staff-only ones for the staff;
    /// a neighbour's own steps without their name (see [`Standing::shown`]).
    pub async fn timelines(&self, topics: &[Standing]) -> Result<HashMap<Standing, Vec<TimelineEntry>>> {
        let (staff, public): (Vec<&Standing>, Vec<&Standing>) = topics.iter().partition(|k| k.staff());
        let ids = |keys: &[&Standing]| keys.iter().map(|k| k.topic().as_uuid()).collect::<Vec<_>>();
        let public_only = Visibility::Public.as_str();
        let visible = Condition::any().add(topic_event::Column::TopicId.is_in(ids(&staff))).add(
            Condition::all()
                .add(topic_event::Column::TopicId.is_in(ids(&public)))
                .add(topic_event::Column::Visibility.eq(public_only)),
        );
        let rows =
            topic_event::Entity::find().filter(visible).order_by_asc(topic_event::Column::Id).all(&self.db).await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let public = row.visibility == public_only;
            entries.push((TopicId::from_uuid(row.topic_id), (public, entry_of(row)?)));
        }
        let seen = per_key(topics, entries, |key, (public, _)| key.staff() || *public);
        Ok(seen.into_iter().map(|(key, list)| (key, list.into_iter().map(|(_, e)| key.shown(e)).collect())).collect())
    }

    /// Each topic's explanation and reopen requests, oldest first: all of them for the staff, one's own for
    /// a resident.
    pub async fn requests_of(&self, topics: &[Standing]) -> Result<HashMap<Standing, Vec<TopicRequest>>> {
        let mut whose: HashMap<Option<PersonId>, Vec<Uuid>> = HashMap::new();
        for key in topics {
            whose.entry(key.requests_of()).or_default().push(key.topic().as_uuid());
        }
        let mut visible = Condition::any();
        for (person, ids) in whose {
            let mut these = Condition::all().add(topic_request::Column::TopicId.is_in(ids));
            if let Some(person) = person {
                these = these.add(topic_request::Column::PersonId.eq(person.as_uuid()));
            }
            visible = visible.add(these);
        }
        let rows =
            topic_request::Entity::find().filter(visible).order_by_asc(topic_request::Column::Id).all(&self.db).await?;
        let requests = rows.into_iter().map(request_of).map(|r| (r.topic, r)).collect();
        Ok(per_key(topics, requests, |key, request| key.requests_of().is_none_or(|p| p == request.person)))
    }

    /// How each topic's residents rated it so far, counted by the database.
    pub async fn rating_summaries(&self, topics: &[Standing]) -> Result<HashMap<Standing, RatingSummary>> {
        let counts: Vec<(Uuid, i16, i64)> = rating::Entity::find()
            .select_only()
            .column(rating::Column::TopicId)
            .column(rating::Column::Score)
            .column_as(rating::Column::PersonId.count(), "n")
            .filter(rating::Column::TopicId.is_in(topic_ids(topics)))
            .group_by(rating::Column::TopicId)
            .group_by(rating::Column::Score)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut summaries: HashMap<TopicId, RatingSummary> = HashMap::new();
        for (topic, score, n) in counts {
            let summary = summaries.entry(TopicId::from_uuid(topic)).or_default();
            if let Some(slot) = usize::try_from(score - 1).ok().and_then(|i| summary.by_score.get_mut(i)) {
                *slot = u64::try_from(n).unwrap_or(0);
            }
        }
        Ok(topics.iter().map(|key| (*key, summaries.get(&key.topic()).copied().unwrap_or_default())).collect())
    }

    /// Every version of each meeting's minutes, oldest first. The caller has already been shown the meetings.
    pub async fn minutes_of(&self, meetings: &[MeetingId]) -> Result<HashMap<MeetingId, Vec<MinutesVersion>>> {
        let rows = meeting_minutes::Entity::find()
            .filter(meeting_minutes::Column::MeetingId.is_in(meetings.iter().map(MeetingId::as_uuid)))
            .order_by_asc(meeting_minutes::Column::Version)
            .all(&self.db)
            .await?;
        let mut versions: HashMap<MeetingId, Vec<MinutesVersion>> =
            meetings.iter().map(|id| (*id, Vec::new())).collect();
        for row in &rows {
            let version = minutes_of(row)?;
            versions.entry(version.meeting).or_default().push(version);
        }
        Ok(versions)
    }

    /// Topics by id with their places, as rows only: nobody's permission is checked here, so the caller
    /// decides each one's [`Standing`] before showing it. Ids with no topic are left out.
    pub async fn topic_records(&self, ids: &[TopicId]) -> Result<HashMap<TopicId, TopicRecord>> {
        let query = topic::Entity::find().filter(topic::Column::Id.is_in(ids.iter().map(TopicId::as_uuid)));
        let rows = self.rows_with_places(query).await?;
        rows.into_iter().map(|row| row.record().map(|r| (r.topic.id, r))).collect::<Result<_, Error>>()
    }
}
