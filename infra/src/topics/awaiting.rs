//! What is waiting for a person: open votes they have not voted in, and open tasks their party owns.

use std::collections::HashMap;

use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, authorize};
use gongzhi_domain::role::Role;
use gongzhi_domain::task::Task;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect, QueryTrait};

use super::implementation::task_of;
use crate::entities::{ballot, place, role_grant, task, topic, vote, vote_invitee, vote_roll_owner};
use crate::place_contexts::contexts_of;
use crate::votes::VoteRecord;
use crate::{Result, Store};

/// At most this many items in a list of things awaiting someone.
const LIMIT: u64 = 100;

impl Store {
    /// Open votes the person may vote in and has not: owners' votes whose roll names them, household votes
    /// in compounds where they live, meetings they are invited to.
    pub async fn votes_awaiting(&self, actor: &Actor) -> Result<Vec<VoteRecord>> {
        let now = self.clock.now();
        let me = actor.person.as_uuid();
        let on_roll = vote_roll_owner::Entity::find()
            .select_only()
            .column(vote_roll_owner::Column::VoteId)
            .filter(vote_roll_owner::Column::PersonId.eq(me))
            .into_query();
        let invited = vote_invitee::Entity::find()
            .select_only()
            .column(vote_invitee::Column::VoteId)
            .filter(vote_invitee::Column::PersonId.eq(me))
            .into_query();
        let homes: Vec<Uuid> = role_grant::Entity::find()
            .filter(role_grant::Column::PersonId.eq(me))
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(role_grant::Column::Role.is_in([Role::Resident.as_str(), Role::Owner.as_str()]))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|g| g.place_id)
            .collect();
        let compounds: Vec<Uuid> = place::Entity::find()
            .filter(place::Column::Id.is_in(homes))
            .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|p| p.compound_id)
            .collect();
        let voted = ballot::Entity::find()
            .select_only()
            .column(ballot::Column::VoteId)
            .filter(ballot::Column::PersonId.eq(me))
            .into_query();
        let rows = vote::Entity::find()
            .filter(vote::Column::OpensAt.lte(now))
            .filter(vote::Column::ClosesAt.gt(now))
            .filter(
                sea_orm::Condition::any()
                    .add(vote::Column::Id.in_subquery(on_roll))
                    .add(vote::Column::Id.in_subquery(invited))
                    .add(
                        sea_orm::Condition::all()
                            .add(vote::Column::Kind.eq("household"))
                            .add(vote::Column::CompoundId.is_in(compounds)),
                    ),
            )
            .filter(vote::Column::Id.not_in_subquery(voted))
            .order_by_asc(vote::Column::ClosesAt)
            .limit(LIMIT)
            .all(&self.db)
            .await?;
        // Built from the rows already loaded: the person is on the roll, invited or living there, so each vote
        // is theirs to see (an invited lawyer votes without seeing the compound's topics).
        let votes = rows.iter().map(crate::votes::vote_of).collect::<Result<Vec<_>, _>>()?;
        Ok(votes)
    }

    /// Open tasks owned by a party the person acts for, soonest due first.
    pub async fn tasks_awaiting(&self, actor: &Actor) -> Result<Vec<Task>> {
        let communities: Vec<Uuid> =
            actor.grants.iter().filter_map(|g| g.place.at(PlaceKind::Community)).map(|c| c.as_uuid()).collect();
        let topics = topic::Entity::find()
            .select_only()
            .column(topic::Column::Id)
            .filter(topic::Column::CommunityId.is_in(communities))
            .into_query();
        let rows = task::Entity::find()
            .filter(task::Column::State.eq("open"))
            .filter(task::Column::TopicId.in_subquery(topics))
            .order_by_asc(task::Column::DueAt)
            .limit(LIMIT)
            .all(&self.db)
            .await?;
        // The tasks' topics and their places' contexts, each read once for the whole list.
        let topic_places: HashMap<Uuid, Uuid> = topic::Entity::find()
            .select_only()
            .column(topic::Column::Id)
            .column(topic::Column::PlaceId)
            .filter(topic::Column::Id.is_in(rows.iter().map(|row| row.topic_id)))
            .into_tuple::<(Uuid, Uuid)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let places: Vec<Uuid> = topic_places.values().copied().collect();
        let contexts = contexts_of(&self.db, &places).await?;
        let mut tasks = Vec::new();
        for row in rows {
            let task = task_of(&row)?;
            let Some(ctx) = topic_places.get(&row.topic_id).and_then(|place| contexts.get(place)) else { continue };
            if authorize(actor, Action::ViewTopics, ctx).is_ok()
                && authorize(actor, Action::ActForParty(task.owner), ctx).is_ok()
            {
                tasks.push(task);
            }
        }
        Ok(tasks)
    }
}
