//! 协商 to 决议: revising the plan, resolving (optionally on a vote that passed), reconsidering (复议) and
//! announcing a resolution in writing. The topic's leads take these steps.

use gongzhi_domain::ids::{TopicId, VoteId};
use gongzhi_domain::policy::Actor;
use gongzhi_domain::topic::{
    AnnouncementText, DeliberationPlan, Minutes, PlanDraft, Reason, Resolution, ResolutionText, TopicError,
};
use tracing::instrument;

use super::TopicRecord;
use crate::{Result, Store};

impl Store {
    #[instrument(skip_all)]
    pub async fn revise_plan(&self, actor: &Actor, id: TopicId, plan: PlanDraft) -> Result<TopicRecord> {
        let plan = DeliberationPlan::new(plan)?;
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic().clone().revise_plan(actor.person, plan, now)?)).await
    }

    /// Records the resolution (决议) with its minutes. When it cites a vote, the vote must be this topic's,
    /// closed, and passed.
    #[instrument(skip_all)]
    pub async fn resolve_topic(
        &self,
        actor: &Actor,
        id: TopicId,
        decision: &str,
        minutes: &str,
        vote: Option<VoteId>,
    ) -> Result<TopicRecord> {
        let decision = ResolutionText::parse(decision)?;
        let minutes = Minutes::parse(minutes)?;
        if let Some(vote_id) = vote {
            let record = self.vote(actor, vote_id).await?;
            if record.topic != id {
                return Err(TopicError::VoteElsewhere.into());
            }
            if !record.window.is_closed(self.clock.now()) {
                return Err(TopicError::VoteStillOpen.into());
            }
            let passed = match self.vote_result(&record).await? {
                Some(crate::votes::VoteResult::Owners(o)) => o.verdict.passed(),
                Some(crate::votes::VoteResult::Household(h)) => h.verdict.passed(),
                Some(crate::votes::VoteResult::Meeting(m)) => m.verdict.passed(),
                None => false,
            };
            if !passed {
                return Err(TopicError::VoteNotPassed.into());
            }
        }
        let resolution = Resolution { decision, minutes, meeting: None, vote };
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic().clone().resolve(actor.person, resolution, now)?))
            .await
    }

    /// 复议: back to deliberation, with the reason (new facts, a flawed procedure).
    #[instrument(skip_all)]
    pub async fn reconsider_topic(&self, actor: &Actor, id: TopicId, reason: &str) -> Result<TopicRecord> {
        let reason = Reason::parse(reason)?;
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic().clone().reconsider(actor.person, reason, now)?)).await
    }

    /// The written announcement of a resolution to all residents (required for major matters).
    #[instrument(skip_all)]
    pub async fn announce_resolution(&self, actor: &Actor, id: TopicId, text: &str) -> Result<TopicRecord> {
        let text = AnnouncementText::parse(text)?;
        self.lead_step(actor, id, |loaded, now| Ok(loaded.topic().clone().announce(actor.person, text, now)?)).await
    }
}
