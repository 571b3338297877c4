//! Service requests (一口受理): a topic routed to the property company is acknowledged and done by its
//! staff, then confirmed (or disputed) by the submitter.

use gongzhi_domain::ids::TopicId;
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::topic::{Note, Reason, TopicError, TopicState, Transition};
use tracing::instrument;

use super::{Loaded, TopicRecord, load_visible, record_of, save};
use crate::{Result, Store};

/// Only staff of the company the request was routed to, while it still holds the contract.
fn authorize_company(actor: &Actor, loaded: &Loaded) -> Result<()> {
    require(actor, Action::HandleServiceRequest, &loaded.ctx)?;
    let routed_to = match &loaded.topic.state {
        TopicState::Routed(request) => Some(request.company),
        _ => None,
    };
    let current = loaded.ctx.compound.and_then(|c| c.property_company);
    if routed_to.is_some() && routed_to != current {
        // Where the request stands, not who asks: no role would let today's company take another's
        // request (decision 80).
        return Err(TopicError::RoutedElsewhere.into());
    }
    Ok(())
}

impl Store {
    async fn service_step(
        &self,
        actor: &Actor,
        id: TopicId,
        company_side: bool,
        step: impl FnOnce(&Loaded, chrono::DateTime<chrono::Utc>) -> Result<Transition>,
    ) -> Result<TopicRecord> {
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, id).await?;
        if company_side {
            authorize_company(actor, &loaded)?;
        }
        let now = self.clock.now();
        let Transition { topic, event } = step(&loaded, now)?;
        let row = save(&txn, &loaded.row, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        Ok(record_of(&row, topic))
    }

    #[instrument(skip_all)]
    pub async fn acknowledge_service(&self, actor: &Actor, id: TopicId) -> Result<TopicRecord> {
        self.service_step(actor, id, true, |loaded, now| {
            Ok(loaded.topic.clone().acknowledge_service(actor.person, now)?)
        })
        .await
    }

    #[instrument(skip_all)]
    pub async fn finish_service(&self, actor: &Actor, id: TopicId, report: &str) -> Result<TopicRecord> {
        let report = Note::parse(report)?;
        self.service_step(actor, id, true, |loaded, now| {
            Ok(loaded.topic.clone().finish_service(actor.person, report, now)?)
        })
        .await
    }

    /// The submitter is satisfied.
    #[instrument(skip_all)]
    pub async fn confirm_service(&self, actor: &Actor, id: TopicId, note: Option<&str>) -> Result<TopicRecord> {
        let note = note.map(str::trim).filter(|n| !n.is_empty()).map(Note::parse).transpose()?;
        self.service_step(actor, id, false, |loaded, now| {
            Ok(loaded.topic.clone().confirm_service(actor.person, note, now)?)
        })
        .await
    }

    /// The submitter says the job is not done; it goes back to the company.
    #[instrument(skip_all)]
    pub async fn dispute_service(&self, actor: &Actor, id: TopicId, reason: &str) -> Result<TopicRecord> {
        let reason = Reason::parse(reason)?;
        self.service_step(actor, id, false, |loaded, now| {
            Ok(loaded.topic.clone().dispute_service(actor.person, reason, now)?)
        })
        .await
    }
}
