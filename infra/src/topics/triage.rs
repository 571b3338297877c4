//! 议题梳理: the residents' committee (or, once escalated, the street) decides each topic: accept with a
//! deliberation plan, merge into another topic, route to the property company, reject, or escalate.

use gongzhi_domain::ids::{CategoryId, TopicId};
use gongzhi_domain::policy::Actor;
use gongzhi_domain::topic::{DeliberationPlan, Merge, Note, PlanDraft, Reason, Transition};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, PaginatorTrait};
use tracing::instrument;

use super::catalogue::find_category;
use super::{Loaded, TopicRecord, authorize_lead, events, load_visible, record_of, save};
use crate::entities::{topic, topic_co_signature};
use crate::{Result, Store};

fn note_of(note: Option<&str>) -> Result<Option<Note>> {
    Ok(note.map(str::trim).filter(|n| !n.is_empty()).map(Note::parse).transpose()?)
}

impl Store {
    pub(super) async fn lead_step(
        &self,
        actor: &Actor,
        id: TopicId,
        step: impl FnOnce(&Loaded, chrono::DateTime<chrono::Utc>) -> Result<Transition>,
    ) -> Result<TopicRecord> {
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let Transition { topic, event } = step(&loaded, now)?;
        let row = save(&txn, &loaded.row, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        Ok(record_of(&row, topic))
    }

    #[instrument(skip_all)]
    pub async fn accept_topic(
        &self,
        actor: &Actor,
        id: TopicId,
        plan: PlanDraft,
        note: Option<&str>,
    ) -> Result<TopicRecord> {
        let plan = DeliberationPlan::new(plan)?;
        let note = note_of(note)?;
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic.clone().accept(actor.person, plan, note, now)?)).await
    }

    #[instrument(skip_all)]
    pub async fn route_topic(&self, actor: &Actor, id: TopicId, note: Option<&str>) -> Result<TopicRecord> {
        let note = note_of(note)?;
        self.lead_step(actor, id, |loaded, now| {
            let company = loaded.ctx.compound.and_then(|c| c.property_company);
            Ok(loaded.topic.clone().route(actor.person, company, note, now)?)
        })
        .await
    }

    /// Hands a request whose company lost the compound's contract to the company holding it now.
    #[instrument(skip_all)]
    pub async fn reroute_topic(&self, actor: &Actor, id: TopicId, note: Option<&str>) -> Result<TopicRecord> {
        let note = note_of(note)?;
        self.lead_step(actor, id, |loaded, now| {
            let company = loaded.ctx.compound.and_then(|c| c.property_company);
            Ok(loaded.topic.clone().reroute(actor.person, company, note, now)?)
        })
        .await
    }

    #[instrument(skip_all)]
    pub async fn reject_topic(&self, actor: &Actor, id: TopicId, reason: &str) -> Result<TopicRecord> {
        let reason = Reason::parse(reason)?;
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic.clone().reject(actor.person, reason, now)?)).await
    }

    #[instrument(skip_all)]
    pub async fn escalate_topic(&self, actor: &Actor, id: TopicId, reason: &str) -> Result<TopicRecord> {
        let reason = Reason::parse(reason)?;
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic.clone().escalate(actor.person, reason, now)?)).await
    }

    #[instrument(skip_all)]
    pub async fn reclassify_topic(&self, actor: &Actor, id: TopicId, category: CategoryId) -> Result<TopicRecord> {
        let category = find_category(&self.db, category).await?;
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic.clone().reclassify(actor.person, &category, now)?))
            .await
    }

    /// Folds a duplicate into `into`, carrying its submitter and co-signers over as co-signers of the
    /// target. Both topics are written in one transaction.
    #[instrument(skip_all)]
    pub async fn merge_topic(
        &self,
        actor: &Actor,
        id: TopicId,
        into: TopicId,
        note: Option<&str>,
    ) -> Result<TopicRecord> {
        let note = note_of(note)?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        authorize_lead(actor, &loaded)?;
        let target = load_visible(&txn, actor, into).await?;
        let now = self.clock.now();
        let Merge { merged, event, target_event, carry_over } =
            loaded.topic.clone().merge_into(&target.topic, actor.person, note, now)?;
        let row = save(&txn, &loaded.row, &merged, &event, &self.deadlines, now).await?;
        carry_co_signatures(&txn, &target.row, carry_over.from, carry_over.also, carry_over.except, now).await?;
        events::append(&txn, &target_event).await?;
        txn.commit().await?;
        Ok(record_of(&row, merged))
    }
}

async fn carry_co_signatures(
    db: &impl ConnectionTrait,
    target: &topic::Model,
    from: TopicId,
    also: gongzhi_domain::ids::PersonId,
    except: gongzhi_domain::ids::PersonId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let mut people: Vec<Uuid> = topic_co_signature::Entity::find()
        .filter(topic_co_signature::Column::TopicId.eq(from.as_uuid()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.person_id)
        .collect();
    let into = TopicId::from_uuid(target.id);
    people.push(also.as_uuid());
    people.retain(|p| *p != except.as_uuid());
    if !people.is_empty() {
        let rows = people.iter().map(|person| topic_co_signature::ActiveModel {
            topic_id: Set(into.as_uuid()),
            person_id: Set(*person),
            created_at: Set(now),
        });
        topic_co_signature::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([topic_co_signature::Column::TopicId, topic_co_signature::Column::PersonId])
            .exec(db)
            .await?;
    }
    // The target's count is recounted rather than incremented: some carried co-signers had co-signed it.
    let count = topic_co_signature::Entity::find()
        .filter(topic_co_signature::Column::TopicId.eq(into.as_uuid()))
        .count(db)
        .await?;
    // Guarded like any transition: if the target was decided meanwhile, the merge loses. Touching
    // `updated_at` makes a decision racing this merge lose instead, once this commits.
    let updated = topic::Entity::update_many()
        .col_expr(topic::Column::CoSignCount, Expr::value(i32::try_from(count).unwrap_or(i32::MAX)))
        .col_expr(topic::Column::UpdatedAt, Expr::value(now))
        .filter(topic::Column::Id.eq(target.id))
        .filter(topic::Column::State.eq(target.state.clone()))
        .filter(topic::Column::UpdatedAt.eq(target.updated_at))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(gongzhi_domain::Conflict::TopicChanged.into());
    }
    Ok(())
}
