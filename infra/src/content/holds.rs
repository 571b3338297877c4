//! Held submissions in storage (decision 130): written when the check flags one or cannot be made, read by
//! their author (as pending) and by the residents' committee (the moderation queue), and moved on by the
//! moderators' decisions and the retry round. Every state change is guarded by the state it was decided
//! from, so a moderator and the retry round (or two moderators) cannot both decide one submission.

use chrono::{DateTime, Utc};
use gongzhi_domain::content::{ContentError, Hold, HoldKind, HoldState, Suggestion};
use gongzhi_domain::ids::{ContentHoldId, PersonId, PlaceId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::topic::Reason;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::submission::Submission;
use crate::entities::content_hold;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::{context_of, find_row};
use crate::{Error, Result, Store, new_id};

/// How many of a person's own submissions `my_content_holds` lists, newest first.
const MINE: u64 = 50;
/// How many held submissions one page of the queue lists, oldest first (first come, first looked at).
const QUEUE: u64 = 200;

/// A held submission as its author and the moderators read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRecord {
    pub hold: Hold,
    /// A topic's title; none for opinions and replies.
    pub title: Option<String>,
    /// A topic's description, an opinion's or a reply's text.
    pub text: String,
    /// What the check said, when it answered.
    pub suggestion: Option<Suggestion>,
    /// How many times the check was tried without an answer.
    pub attempts: u32,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The topic or opinion it became, once published.
    pub published: Option<Uuid>,
    /// Who decided it, when a moderator did.
    pub decided_by: Option<PersonId>,
}

fn state_of(row: &content_hold::Model) -> Result<HoldState> {
    let suggestion = row.suggestion.as_deref().and_then(Suggestion::parse);
    let fault = || Error::Database(DbErr::Custom(format!("content hold {} has an unknown state", row.id)));
    Ok(match row.state.as_str() {
        "awaiting_check" => HoldState::AwaitingCheck {
            attempts: u32::try_from(row.attempts).unwrap_or(0),
            next_check_at: row.next_check_at.ok_or_else(fault)?,
        },
        "held" => HoldState::Held { suggestion: suggestion.ok_or_else(fault)? },
        "published" => HoldState::Published { approved_by: row.decided_by.map(PersonId::from_uuid) },
        "rejected" => HoldState::Rejected {
            by: row.decided_by.map(PersonId::from_uuid).ok_or_else(fault)?,
            reason: Reason::parse(row.reason.as_deref().unwrap_or_default()).map_err(|_| fault())?,
        },
        "lapsed" => HoldState::Lapsed,
        _ => return Err(fault()),
    })
}

pub(crate) fn hold_of(row: &content_hold::Model) -> Result<Hold> {
    let kind = HoldKind::parse(&row.kind)
        .ok_or_else(|| Error::Database(DbErr::Custom(format!("content hold {} has an unknown kind", row.id))))?;
    Ok(Hold {
        id: ContentHoldId::from_uuid(row.id),
        kind,
        author: PersonId::from_uuid(row.author_id),
        place: PlaceId::from_uuid(row.place_id),
        state: state_of(row)?,
    })
}

pub(crate) fn submission_of(row: &content_hold::Model) -> Result<Submission> {
    serde_json::from_str(&row.submission)
        .map_err(|_| Error::Database(DbErr::Custom(format!("content hold {} has an unreadable submission", row.id))))
}

fn record_of(row: &content_hold::Model) -> Result<HoldRecord> {
    let submission = submission_of(row)?;
    Ok(HoldRecord {
        hold: hold_of(row)?,
        title: submission.title().map(str::to_owned),
        text: submission.body().to_owned(),
        suggestion: row.suggestion.as_deref().and_then(Suggestion::parse),
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        submitted_at: row.created_at,
        updated_at: row.updated_at,
        published: row.published_id,
        decided_by: row.decided_by.map(PersonId::from_uuid),
    })
}

/// The columns a state sets (the others are left as they are).
fn state_columns(state: &HoldState) -> Vec<(content_hold::Column, sea_orm::sea_query::SimpleExpr)> {
    use content_hold::Column as C;
    let mut columns = vec![(C::State, Expr::value(state.code()))];
    match state {
        HoldState::AwaitingCheck { attempts, next_check_at } => {
            columns.push((C::Attempts, Expr::value(i32::try_from(*attempts).unwrap_or(i32::MAX))));
            columns.push((C::NextCheckAt, Expr::value(Some(*next_check_at))));
        }
        HoldState::Held { suggestion } => {
            columns.push((C::Suggestion, Expr::value(Some(suggestion.as_str()))));
            columns.push((C::NextCheckAt, Expr::value(Option::<DateTime<Utc>>::None)));
        }
        HoldState::Published { approved_by } => {
            columns.push((C::DecidedBy, Expr::value(approved_by.map(|p| p.as_uuid()))));
            columns.push((C::NextCheckAt, Expr::value(Option::<DateTime<Utc>>::None)));
        }
        HoldState::Rejected { by, reason } => {
            columns.push((C::DecidedBy, Expr::value(Some(by.as_uuid()))));
            columns.push((C::Reason, Expr::value(Some(reason.as_str().to_owned()))));
        }
        HoldState::Lapsed => columns.push((C::NextCheckAt, Expr::value(Option::<DateTime<Utc>>::None))),
    }
    columns
}

/// The fact a state change is, for the log: the author's and the moderators' business (`Private`).
fn fact(hold: &Hold, published: Option<Uuid>, actor: Option<PersonId>, at: DateTime<Utc>) -> NewEvent {
    let (id, kind) = (hold.id.as_uuid(), hold.kind.as_str().to_owned());
    let (event, reason) = match &hold.state {
        HoldState::AwaitingCheck { .. } => {
            (WireEvent::ContentHeld { hold: id, content_kind: kind, suggestion: None }, None)
        }
        HoldState::Held { suggestion } => (
            WireEvent::ContentHeld { hold: id, content_kind: kind, suggestion: Some(suggestion.as_str().to_owned()) },
            None,
        ),
        HoldState::Published { approved_by: Some(_) } => (
            WireEvent::ContentApproved { hold: id, content_kind: kind, published: published.unwrap_or_default() },
            None,
        ),
        HoldState::Published { approved_by: None } => {
            (WireEvent::ContentCleared { hold: id, content_kind: kind, published: published.unwrap_or_default() }, None)
        }
        HoldState::Rejected { reason, .. } => {
            (WireEvent::ContentRejected { hold: id, content_kind: kind }, Some(reason.as_str().to_owned()))
        }
        HoldState::Lapsed => (WireEvent::ContentLapsed { hold: id, content_kind: kind }, None),
    };
    let event = NewEvent::new(event, at, Audience::Private).actor(actor).place(hold.place);
    match reason {
        Some(reason) => event.text("reason", Audience::Private, &reason),
        None => event,
    }
}

impl Store {
    /// Keeps a submission back, with the fact that it was.
    pub(crate) async fn insert_hold(
        &self,
        hold: &Hold,
        community: PlaceId,
        submission: &Submission,
    ) -> Result<HoldRecord> {
        let now = self.clock.now();
        let json = serde_json::to_string(submission)
            .map_err(|_| Error::Database(DbErr::Custom("a submission that cannot be kept".into())))?;
        let (attempts, next_check_at, suggestion) = match &hold.state {
            HoldState::AwaitingCheck { attempts, next_check_at } => {
                (i32::try_from(*attempts).unwrap_or(i32::MAX), Some(*next_check_at), None)
            }
            HoldState::Held { suggestion } => (0, None, Some(suggestion.as_str().to_owned())),
            other => return Err(ContentError::NotHeld { state: other.code() }.into()),
        };
        let txn = self.write().await?;
        let row = content_hold::ActiveModel {
            id: Set(hold.id.as_uuid()),
            kind: Set(hold.kind.as_str().to_owned()),
            author_id: Set(hold.author.as_uuid()),
            place_id: Set(hold.place.as_uuid()),
            community_id: Set(community.as_uuid()),
            submission: Set(json),
            state: Set(hold.state.code().to_owned()),
            suggestion: Set(suggestion),
            attempts: Set(attempts),
            next_check_at: Set(next_check_at),
            decided_by: Set(None),
            decided_at: Set(None),
            reason: Set(None),
            published_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        crate::event_log::record(&txn, fact(hold, None, Some(hold.author), now)).await?;
        txn.commit().await?;
        record_of(&row)
    }

    /// Moves a hold from `from` to `to` (with the published id, when it was published), and records the
    /// fact. `Conflict`-like `ContentError` when it is no longer in `from`: someone decided first.
    pub(crate) async fn move_hold(
        &self,
        from: &Hold,
        to: &Hold,
        published: Option<Uuid>,
        actor: Option<PersonId>,
    ) -> Result<()> {
        let now = self.clock.now();
        let txn = self.write().await?;
        let mut update = content_hold::Entity::update_many()
            .col_expr(content_hold::Column::UpdatedAt, Expr::value(now))
            .filter(content_hold::Column::Id.eq(from.id.as_uuid()))
            .filter(content_hold::Column::State.eq(from.state.code()));
        if let HoldState::AwaitingCheck { attempts, .. } = &from.state {
            update = update.filter(content_hold::Column::Attempts.eq(i32::try_from(*attempts).unwrap_or(i32::MAX)));
        }
        for (column, value) in state_columns(&to.state) {
            update = update.col_expr(column, value);
        }
        if !matches!(to.state, HoldState::AwaitingCheck { .. }) {
            update = update.col_expr(content_hold::Column::DecidedAt, Expr::value(Some(now)));
        }
        if let Some(published) = published {
            update = update.col_expr(content_hold::Column::PublishedId, Expr::value(Some(published)));
        }
        if update.exec(&txn).await?.rows_affected == 0 {
            let current = content_hold::Entity::find_by_id(from.id.as_uuid()).one(&txn).await?;
            let state = match current.as_ref().map(state_of).transpose()? {
                Some(state) => state.code(),
                None => return Err(Error::NotFound("content hold")),
            };
            return Err(ContentError::NotHeld { state }.into());
        }
        // A retry that still had no answer is not a new fact.
        if !matches!(to.state, HoldState::AwaitingCheck { .. }) || from.state.code() != to.state.code() {
            crate::event_log::record(&txn, fact(to, published, actor, now)).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    pub(crate) async fn hold_row(&self, id: ContentHoldId) -> Result<content_hold::Model> {
        content_hold::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("content hold"))
    }

    /// Refuses unless `actor` moderates content about the hold's place.
    pub(crate) async fn require_moderator(&self, actor: &Actor, place: PlaceId) -> Result<()> {
        let row = find_row(&self.db, place).await?;
        require(actor, Action::ModerateContent, &context_of(&self.db, &row).await?)?;
        Ok(())
    }

    /// One held submission: for its author, and for the residents' committee that moderates it. To anyone
    /// else it does not exist.
    pub async fn content_hold(&self, actor: &Actor, id: ContentHoldId) -> Result<HoldRecord> {
        let row = self.hold_row(id).await?;
        if row.author_id != actor.person.as_uuid() {
            self.require_moderator(actor, PlaceId::from_uuid(row.place_id)).await.map_err(|err| match err {
                Error::Denied(_) => Error::NotFound("content hold"),
                other => other,
            })?;
        }
        record_of(&row)
    }

    /// The person's own submissions that were held, newest first: pending ones and how the others ended.
    pub async fn my_content_holds(&self, actor: &Actor) -> Result<Vec<HoldRecord>> {
        let rows = content_hold::Entity::find()
            .filter(content_hold::Column::AuthorId.eq(actor.person.as_uuid()))
            .order_by_desc(content_hold::Column::CreatedAt)
            .order_by_desc(content_hold::Column::Id)
            .limit(MINE)
            .all(&self.db)
            .await?;
        rows.iter().map(record_of).collect()
    }

    /// What awaits the community's residents' committee: held submissions (and, when `with_unchecked`,
    /// those still awaiting their check), oldest first.
    pub async fn moderation_queue(
        &self,
        actor: &Actor,
        community: PlaceId,
        with_unchecked: bool,
    ) -> Result<Vec<HoldRecord>> {
        let row = find_row(&self.db, community).await?;
        let ctx = context_of(&self.db, &row).await?;
        if ctx.ancestry.kind() != PlaceKind::Community {
            return Err(gongzhi_domain::Invalid::WrongPlaceKind {
                expected: PlaceKind::Community.as_str(),
                given: ctx.ancestry.kind().as_str(),
            }
            .into());
        }
        require(actor, Action::ModerateContent, &ctx)?;
        let states: &[&str] = if with_unchecked { &["held", "awaiting_check"] } else { &["held"] };
        let rows = content_hold::Entity::find()
            .filter(content_hold::Column::CommunityId.eq(community.as_uuid()))
            .filter(content_hold::Column::State.is_in(states.iter().copied()))
            .order_by_asc(content_hold::Column::CreatedAt)
            .order_by_asc(content_hold::Column::Id)
            .limit(QUEUE)
            .all(&self.db)
            .await?;
        rows.iter().map(record_of).collect()
    }

    /// A moderator refuses a held submission, with the reason its author reads. It is kept, unpublished.
    pub async fn reject_content(&self, actor: &Actor, id: ContentHoldId, reason: &str) -> Result<HoldRecord> {
        let reason = Reason::parse(reason)?;
        let row = self.hold_row(id).await?;
        let hold = hold_of(&row)?;
        self.require_moderator(actor, hold.place).await?;
        let rejected = hold.clone().reject(actor.person, reason)?;
        self.move_hold(&hold, &rejected, None, Some(actor.person)).await?;
        record_of(&self.hold_row(id).await?)
    }

    /// Checks still owed whose time has come, oldest first, at most `limit`.
    pub(crate) async fn due_checks(&self, limit: u64) -> Result<Vec<content_hold::Model>> {
        Ok(content_hold::Entity::find()
            .filter(content_hold::Column::State.eq("awaiting_check"))
            .filter(content_hold::Column::NextCheckAt.lte(self.clock.now()))
            .order_by_asc(content_hold::Column::NextCheckAt)
            .limit(limit)
            .all(&self.db)
            .await?)
    }
}

pub(crate) fn new_hold_id() -> ContentHoldId {
    ContentHoldId::from_uuid(new_id())
}
