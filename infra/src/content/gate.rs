//! The content gate (decisions 130–132): user text passes the check before others see it. A pass runs the
//! step at once; a flag (`risky`, `review`) or no answer keeps the submission back, after proving the step
//! would accept it (it is run in a unit of work that is rolled back), so that a held submission is one the
//! author was entitled to make and a refusal still comes back at once. Held submissions are published by
//! the same step later: when a moderator approves, or when the retry round's check passes.

use std::sync::Arc;

use gongzhi_domain::content::{Hold, HoldState, Suggestion};
use gongzhi_domain::disclosure::DisclosureRules;
use gongzhi_domain::ids::{ContentHoldId, DisclosureId, MeetingId, OpinionId, PersonId, PlaceId, TopicId};
use gongzhi_domain::opinion::{OpinionText, Stance};
use gongzhi_domain::policy::Actor;
use gongzhi_domain::topic::{Minutes, TopicDescription, TopicTitle};
use sea_orm::prelude::*;
use tracing::{info, instrument, warn};

use super::check::{ContentCheck, TextToCheck};
use super::holds::{HoldRecord, hold_of, new_hold_id, submission_of};
use super::submission::{Published, Submission};
use crate::disclosures::Question;
use crate::entities::{content_hold, identity};
use crate::topics::{MeetingRecord, NewTopic, OpinionThread, TopicRecord, TopicRequest};
use crate::{Error, Result, Store};

/// How many owed checks one round of the retry makes.
const ROUND: u64 = 50;

/// What became of a submission: published now, or held back (pending for its author).
#[derive(Debug, Clone)]
pub enum Checked<T> {
    Published(T),
    /// Boxed: a held record is much larger than a published step's answer.
    Held(Box<HoldRecord>),
}

impl<T> Checked<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Checked<U> {
        match self {
            Checked::Published(value) => Checked::Published(f(value)),
            Checked::Held(hold) => Checked::Held(hold),
        }
    }
}

/// A step's answer of the wrong kind: the submission and its step disagree, which is a bug, not a refusal.
fn mismatched() -> Error {
    Error::Database(DbErr::Custom("a content step answered with another kind of content".into()))
}

/// What one retry round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecheckReport {
    pub published: u32,
    pub held: u32,
    pub still_unchecked: u32,
    pub lapsed: u32,
}

/// Why a submission is kept back.
enum Verdict {
    Flagged(Suggestion),
    Unchecked,
}

#[derive(Clone)]
pub struct ContentGate {
    store: Store,
    check: Arc<dyn ContentCheck>,
}

/// Errors that mean the step refused the submission (it will not be accepted by asking again), as opposed
/// to the database failing.
fn is_refusal(err: &Error) -> bool {
    !matches!(err, Error::Unavailable(_) | Error::Database(_) | Error::Vote(_) | Error::WeChat(_))
}

impl ContentGate {
    pub fn new(store: Store, check: Arc<dyn ContentCheck>) -> Self {
        Self { store, check }
    }

    /// The gate writing through `store`: a request's own store (a unit of work when the request carries an
    /// idempotency key), so that what it publishes commits or rolls back with the request.
    pub fn on(&self, store: &Store) -> Self {
        Self { store: store.clone(), check: self.check.clone() }
    }

    pub fn checker(&self) -> &'static str {
        self.check.name()
    }

    /// 议题建议, checked first.
    pub async fn submit_topic(&self, actor: &Actor, input: NewTopic) -> Result<Checked<TopicRecord>> {
        TopicTitle::parse(&input.title)?;
        TopicDescription::parse(&input.description)?;
        let submission = Submission::topic(&input);
        match self.screen(actor.person, &submission).await? {
            None => self.store.submit_topic(actor, input).await.map(Checked::Published),
            Some(verdict) => self.hold(actor, submission, verdict).await.map(|held| Checked::Held(Box::new(held))),
        }
    }

    /// An opinion in a topic's thread, checked first.
    pub async fn post_opinion(
        &self,
        actor: &Actor,
        topic: TopicId,
        stance: Stance,
        text: &str,
    ) -> Result<Checked<OpinionThread>> {
        OpinionText::parse(text)?;
        let submission =
            Submission::Opinion { topic: topic.as_uuid(), stance: stance.as_str().to_owned(), text: text.to_owned() };
        match self.screen(actor.person, &submission).await? {
            None => self.store.post_opinion(actor, topic, stance, text).await.map(Checked::Published),
            Some(verdict) => self.hold(actor, submission, verdict).await.map(|held| Checked::Held(Box::new(held))),
        }
    }

    /// A reply to an opinion, checked first.
    pub async fn reply_to_opinion(
        &self,
        actor: &Actor,
        parent: OpinionId,
        text: &str,
    ) -> Result<Checked<OpinionThread>> {
        OpinionText::parse(text)?;
        let submission = Submission::Reply { parent: parent.as_uuid(), text: text.to_owned() };
        match self.screen(actor.person, &submission).await? {
            None => self.store.reply_to_opinion(actor, parent, text).await.map(Checked::Published),
            Some(verdict) => self.hold(actor, submission, verdict).await.map(|held| Checked::Held(Box::new(held))),
        }
    }

    /// The gate for the kinds added after the first three (decision 135): a pass runs the step at once, a
    /// flag or no answer holds the submission, exactly as for topics.
    async fn pass(&self, actor: &Actor, submission: Submission) -> Result<Checked<Published>> {
        match self.screen(actor.person, &submission).await? {
            None => submission.publish(&self.store, actor).await.map(Checked::Published),
            Some(verdict) => self.hold(actor, submission, verdict).await.map(|held| Checked::Held(Box::new(held))),
        }
    }

    /// `pass`, for a step that answers with one kind of record: `pick` takes it out of what was published.
    async fn pass_as<T>(
        &self,
        actor: &Actor,
        submission: Submission,
        pick: impl FnOnce(Published) -> Option<T>,
    ) -> Result<Checked<T>> {
        Ok(match self.pass(actor, submission).await? {
            Checked::Published(published) => Checked::Published(pick(published).ok_or_else(mismatched)?),
            Checked::Held(hold) => Checked::Held(hold),
        })
    }

    /// A version of a meeting's minutes, checked first: residents read them.
    pub async fn write_minutes(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        text: &str,
        attachments: Vec<String>,
        reason: Option<&str>,
    ) -> Result<Checked<MeetingRecord>> {
        Minutes::parse(text)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        let submission = Submission::Minutes { meeting: meeting.as_uuid(), text: text.to_owned(), attachments, reason };
        self.pass_as(actor, submission, |published| match published {
            Published::Minutes(record) => Some(record),
            _ => None,
        })
        .await
    }

    /// A rating: with a comment it is checked first, and the score waits with its comment; without one
    /// there is nothing to check.
    pub async fn rate_topic(
        &self,
        actor: &Actor,
        topic: TopicId,
        score: i16,
        comment: Option<&str>,
    ) -> Result<Checked<()>> {
        let Some(comment) = comment.map(str::trim).filter(|c| !c.is_empty()) else {
            return self.store.rate_topic(actor, topic, score, None).await.map(Checked::Published);
        };
        let submission = Submission::Rating { topic: topic.as_uuid(), score, comment: comment.to_owned() };
        Ok(self.pass(actor, submission).await?.map(|_| ()))
    }

    /// Staff's explanation to a dissatisfied resident, checked first.
    pub async fn answer_explanation(
        &self,
        actor: &Actor,
        request: uuid::Uuid,
        answer: &str,
    ) -> Result<Checked<TopicRequest>> {
        gongzhi_domain::person::bounded_text("answer", answer, 2000)?;
        let submission = Submission::Explanation { request, answer: answer.to_owned() };
        self.pass_as(actor, submission, |published| match published {
            Published::Explanation(record) => Some(record),
            _ => None,
        })
        .await
    }

    /// A resident's question on a line of a disclosure, checked first: it is public once shown.
    pub async fn question_disclosure(
        &self,
        actor: &Actor,
        of: DisclosureId,
        line: &str,
        text: &str,
        rules: &DisclosureRules,
    ) -> Result<Checked<Question>> {
        let submission = Submission::DisclosureQuestion {
            disclosure: of.as_uuid(),
            line: line.to_owned(),
            text: text.to_owned(),
            answer_days: rules.answer_days,
        };
        self.pass_as(actor, submission, |published| match published {
            Published::DisclosureQuestion(record) => Some(record),
            _ => None,
        })
        .await
    }

    /// The author's WeChat openid, which WeChat's check weighs the text by.
    async fn openid(&self, author: PersonId) -> Result<Option<String>> {
        Ok(identity::Entity::find()
            .filter(identity::Column::PersonId.eq(author.as_uuid()))
            .filter(identity::Column::Provider.eq(crate::people::WECHAT))
            .one(&self.store.db)
            .await?
            .map(|row| row.subject))
    }

    /// `None` when it may be published; otherwise why not. Never an error for an unavailable check.
    async fn ask(&self, author: PersonId, submission: &Submission) -> Result<Option<Suggestion>> {
        // A statement on every submission only where the check uses it.
        let openid = if self.check.weighs_author() { self.openid(author).await? } else { None };
        let text = submission.text();
        let asked = TextToCheck { text: &text, scene: submission.scene(), openid: openid.as_deref() };
        match self.check.check_text(asked).await {
            Ok(suggestion) => Ok(Some(suggestion)),
            Err(unavailable) => {
                warn!(checker = self.check.name(), error = %unavailable, "content check unavailable; the submission waits");
                Ok(None)
            }
        }
    }

    async fn screen(&self, author: PersonId, submission: &Submission) -> Result<Option<Verdict>> {
        Ok(match self.ask(author, submission).await? {
            Some(Suggestion::Pass) => None,
            Some(flagged) => Some(Verdict::Flagged(flagged)),
            None => Some(Verdict::Unchecked),
        })
    }

    /// Proves the step accepts the submission (rolled back), then keeps it back.
    #[instrument(skip_all)]
    async fn hold(&self, actor: &Actor, submission: Submission, verdict: Verdict) -> Result<HoldRecord> {
        let unit = self.store.unit_of_work().await?;
        let tried = submission.publish(&unit, actor).await;
        unit.finish(false).await?;
        let (place, community) = tried?.place(&self.store).await?;
        let id = new_hold_id();
        let hold = match verdict {
            Verdict::Flagged(suggestion) => Hold::flagged(id, submission.kind(), actor.person, place, suggestion),
            Verdict::Unchecked => Hold::unchecked(id, submission.kind(), actor.person, place, self.store.clock.now()),
        };
        info!(hold = %hold.id, kind = hold.kind.as_str(), state = hold.state.code(), "submission held back");
        self.store.insert_hold(&hold, community, &submission).await
    }

    /// Publishes a cleared hold through its step, as its author, together with the hold's move to
    /// `published`; when the step refuses by now, the hold lapses instead.
    async fn publish(&self, row: &content_hold::Model, from: &Hold, to: Hold, by: Option<PersonId>) -> Result<Hold> {
        let submission = submission_of(row)?;
        let author = self.store.actor(from.author).await?;
        let unit = self.store.unit_of_work().await?;
        let published = match submission.publish(&unit, &author).await {
            Ok(published) => published,
            Err(err) => {
                unit.finish(false).await?;
                if !is_refusal(&err) {
                    return Err(err);
                }
                info!(hold = %from.id, error = %err, "a cleared submission was refused by its step; it lapses");
                let lapsed = from.clone().lapse();
                self.store.move_hold(from, &lapsed, None, by).await?;
                return Ok(lapsed);
            }
        };
        match unit.move_hold(from, &to, Some(published.id()), by).await {
            Ok(()) => {
                unit.finish(true).await?;
                Ok(to)
            }
            Err(err) => {
                unit.finish(false).await?;
                Err(err)
            }
        }
    }

    /// A moderator lets a held submission be shown: it is published now, as its author's.
    pub async fn approve(&self, actor: &Actor, id: ContentHoldId) -> Result<HoldRecord> {
        let row = self.store.hold_row(id).await?;
        let hold = hold_of(&row)?;
        self.store.require_moderator(actor, hold.place).await?;
        let approved = hold.clone().approve(actor.person)?;
        self.publish(&row, &hold, approved, Some(actor.person)).await?;
        self.store.content_hold(actor, id).await
    }

    /// A moderator refuses a held submission, with a reason.
    pub async fn reject(&self, actor: &Actor, id: ContentHoldId, reason: &str) -> Result<HoldRecord> {
        self.store.reject_content(actor, id, reason).await
    }

    /// The retry round: asks the check again for every submission whose check is owed by now, and
    /// publishes, holds or waits again as it answers. The scheduler runs it; tests call it after moving
    /// the clock.
    #[instrument(skip_all)]
    pub async fn recheck_due(&self) -> Result<RecheckReport> {
        let mut report = RecheckReport::default();
        for row in self.store.due_checks(ROUND).await? {
            let hold = hold_of(&row)?;
            let answer = self.ask(hold.author, &submission_of(&row)?).await?;
            let next = hold.clone().rechecked(answer, self.store.clock.now())?;
            let outcome = match &next.state {
                HoldState::Published { .. } => self.publish(&row, &hold, next, None).await,
                _ => self.store.move_hold(&hold, &next, None, None).await.map(|()| next),
            };
            match outcome {
                Ok(done) => match done.state {
                    HoldState::Published { .. } => report.published += 1,
                    HoldState::Held { .. } => report.held += 1,
                    HoldState::AwaitingCheck { .. } => report.still_unchecked += 1,
                    HoldState::Lapsed => report.lapsed += 1,
                    HoldState::Rejected { .. } => {}
                },
                // Another instance's round (or a moderator) got there first.
                Err(Error::Content(_)) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(report)
    }

    /// The place a held submission is about, for the API's links.
    pub fn place_of(record: &HoldRecord) -> PlaceId {
        record.hold.place
    }
}
