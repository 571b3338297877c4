//! Publishing a disclosure and correcting it: one transaction each, which checks the policy and the
//! rules, appends the version as the next link of the place's chain, fulfils the obligation it answers
//! and logs the fact. Nothing here ever updates or deletes a version (decision 100).

use chrono::{DateTime, NaiveDate, Utc};
use gongzhi_domain::Invalid;
use gongzhi_domain::disclosure::{
    Body, DisclosureError, DisclosureKind, GENESIS, LineCategory, LineInput, Period, Publication, Totals,
    check_correction, check_first,
};
use gongzhi_domain::ids::{DisclosureId, PlaceId};
use gongzhi_domain::policy::{Action, Actor, require};
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect, QueryTrait, SqlErr};
use tracing::instrument;

use super::row::{Version, link_of, version_of};
use crate::entities::{disclosure, disclosure_obligation, meeting, meeting_minutes, place, topic};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::topics::write::TopicWrite;
use crate::{Error, Result, Store, new_id};

/// What a publisher writes; for minutes, the lines are drawn from the period's meetings instead.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub summary: String,
    pub lines: Vec<LineInput>,
    pub totals: Totals,
    pub attachments: Vec<String>,
}

impl From<DisclosureError> for Error {
    fn from(err: DisclosureError) -> Self {
        match err {
            DisclosureError::Invalid(invalid) => Error::Invalid(invalid),
            other => Error::Disclosure(other),
        }
    }
}

impl Store {
    /// The first version of a place's disclosure of `kind` for the period starting `period_start`.
    #[instrument(skip_all, err)]
    pub async fn publish_disclosure(
        &self,
        actor: &Actor,
        place: PlaceId,
        kind: DisclosureKind,
        period_start: NaiveDate,
        draft: Draft,
    ) -> Result<Version> {
        let period = Period::starting(kind.cadence(), period_start)?;
        let now = self.clock.now();
        let txn = self.write().await?;
        let place_row = authorize(&txn, actor, place, kind).await?;
        let latest = latest_version(&txn, place, kind, &period).await?;
        let publication = check_first(latest.as_ref().map(|row| row.version), &period, now)?;
        let body = body_for(&txn, actor, &place_row, kind, &period, draft).await?;
        let version = append(&txn, actor, &place_row, kind, &period, 1, publication, body, None, now).await?;
        txn.commit().await?;
        Ok(version)
    }

    /// A correction of the version `of` (which must be its period's latest): a new version with the reason.
    #[instrument(skip_all, err)]
    pub async fn correct_disclosure(
        &self,
        actor: &Actor,
        of: DisclosureId,
        reason: &str,
        draft: Draft,
    ) -> Result<Version> {
        let txn = self.write().await?;
        let corrected =
            disclosure::Entity::find_by_id(of.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("disclosure"))?;
        let corrected = version_of(corrected)?;
        let place_row = authorize(&txn, actor, corrected.place, corrected.kind).await?;
        let latest = latest_version(&txn, corrected.place, corrected.kind, &corrected.period)
            .await?
            .map(version_of)
            .transpose()?
            .ok_or(Error::NotFound("disclosure"))?;
        let body = body_for(&txn, actor, &place_row, corrected.kind, &corrected.period, draft).await?;
        let publication = check_correction(Some((latest.version, &latest.body)), corrected.version, reason, &body)?;
        let version = append(
            &txn,
            actor,
            &place_row,
            corrected.kind,
            &corrected.period,
            latest.version + 1,
            publication,
            body,
            Some(latest.id),
            self.clock.now(),
        )
        .await?;
        txn.commit().await?;
        Ok(version)
    }
}

/// The place, checked to be of the kind's level, and the actor allowed to publish there.
async fn authorize(txn: &TopicWrite, actor: &Actor, place: PlaceId, kind: DisclosureKind) -> Result<place::Model> {
    let row = crate::places::find_row(txn, place).await?;
    if row.kind != kind.place_kind().as_str() {
        return Err(Invalid::WrongPlaceKind { expected: kind.place_kind().as_str(), given: "place" }.into());
    }
    let ctx = crate::places::context_of(txn, &row).await?;
    require(actor, Action::PublishDisclosure(kind), &ctx)?;
    Ok(row)
}

pub(crate) async fn latest_version(
    db: &impl ConnectionTrait,
    place: PlaceId,
    kind: DisclosureKind,
    period: &Period,
) -> Result<Option<disclosure::Model>> {
    Ok(disclosure::Entity::find()
        .filter(disclosure::Column::PlaceId.eq(place.as_uuid()))
        .filter(disclosure::Column::Kind.eq(kind.as_str()))
        .filter(disclosure::Column::PeriodStart.eq(period.start()))
        .order_by_desc(disclosure::Column::Version)
        .one(db)
        .await?)
}

/// The checked body: the publisher's lines, or for minutes the period's meetings with their latest minutes
/// (seed 003: 形成会议纪要…予以公开); attachments must be the publisher's own uploads.
async fn body_for(
    txn: &TopicWrite,
    actor: &Actor,
    place_row: &place::Model,
    kind: DisclosureKind,
    period: &Period,
    draft: Draft,
) -> Result<Body> {
    let keys: Vec<&str> = draft.attachments.iter().map(String::as_str).collect();
    let refused: Vec<String> = crate::uploads::uploaders(txn, "attachments", &keys)
        .await?
        .into_iter()
        .filter(|(_, uploader)| *uploader != actor.person)
        .map(|(key, _)| key)
        .collect();
    if !refused.is_empty() {
        return Err(Invalid::UnknownValue { field: "attachments", given: refused.join(",") }.into());
    }
    let lines = if kind == DisclosureKind::Minutes {
        if !draft.lines.is_empty() {
            return Err(DisclosureError::LinesFromMeetings.into());
        }
        meeting_lines(txn, place_row, period).await?
    } else {
        draft.lines
    };
    Ok(Body::new(kind, &draft.summary, lines, draft.totals, draft.attachments)?)
}

/// The community's meetings held in the period that have minutes, oldest first, each with its latest minutes.
async fn meeting_lines(txn: &TopicWrite, community: &place::Model, period: &Period) -> Result<Vec<LineInput>> {
    let topics = topic::Entity::find()
        .select_only()
        .column(topic::Column::Id)
        .filter(topic::Column::CommunityId.eq(community.id))
        .into_query();
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::TopicId.in_subquery(topics))
        .filter(meeting::Column::StartsAt.gte(period.starts_at()))
        .filter(meeting::Column::StartsAt.lt(period.ends_at()))
        .order_by_asc(meeting::Column::StartsAt)
        .all(txn)
        .await?;
    let mut lines = Vec::new();
    for m in meetings {
        let minutes = meeting_minutes::Entity::find()
            .filter(meeting_minutes::Column::MeetingId.eq(m.id))
            .order_by_desc(meeting_minutes::Column::Version)
            .one(txn)
            .await?;
        let Some(minutes) = minutes else { continue };
        lines.push(LineInput {
            key: Some(format!("m-{}", m.id.simple())),
            category: LineCategory::Meeting,
            label: format!("{}（{}）", m.title, gongzhi_domain::notify::china_time(m.starts_at)),
            amount: None,
            note: Some(minutes.text),
        });
    }
    Ok(lines)
}

/// Appends the version as the place's next link and fulfils its obligation; logs the fact.
#[allow(clippy::too_many_arguments)]
async fn append(
    txn: &TopicWrite,
    actor: &Actor,
    place_row: &place::Model,
    kind: DisclosureKind,
    period: &Period,
    number: i32,
    publication: Publication,
    body: Body,
    previous: Option<DisclosureId>,
    now: DateTime<Utc>,
) -> Result<Version> {
    let head = disclosure::Entity::find()
        .filter(disclosure::Column::PlaceId.eq(place_row.id))
        .order_by_desc(disclosure::Column::ChainSeq)
        .one(txn)
        .await?;
    let (chain_seq, previous_hash) = head.map_or((1, GENESIS.to_owned()), |h| (h.chain_seq + 1, h.content_hash));
    let reason = match &publication {
        Publication::First => None,
        Publication::Correction { reason } => Some(reason.clone()),
    };
    let company = match kind {
        DisclosureKind::PropertyAccounts => place_row.property_company_id,
        _ => None,
    };
    let mut row = disclosure::Model {
        id: new_id(),
        place_id: place_row.id,
        kind: kind.as_str().to_owned(),
        period_start: period.start(),
        period_end: period.end(),
        version: number,
        chain_seq,
        publisher_party: kind.owed_by().as_str().to_owned(),
        company_id: company,
        published_by: actor.person.as_uuid(),
        published_at: now,
        reason,
        content: serde_json::to_string(&body).map_err(|_| Error::NotFound("disclosure body"))?,
        previous_hash,
        content_hash: String::new(),
    };
    row.content_hash = link_of(&row, kind, &body).hash();
    let active: disclosure::ActiveModel = row.clone().into();
    disclosure::Entity::insert(active).exec_without_returning(txn).await.map_err(|err| match err.sql_err() {
        // Another version took this link of the chain, or this version number, first.
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::Disclosure(DisclosureError::Raced),
        _ => Error::from(err),
    })?;
    if number == 1 {
        disclosure_obligation::Entity::update_many()
            .col_expr(disclosure_obligation::Column::FulfilledAt, Expr::value(now))
            .filter(disclosure_obligation::Column::PlaceId.eq(place_row.id))
            .filter(disclosure_obligation::Column::Kind.eq(kind.as_str()))
            .filter(disclosure_obligation::Column::PeriodStart.eq(period.start()))
            .filter(disclosure_obligation::Column::FulfilledAt.is_null())
            .exec(txn)
            .await?;
    }
    let wire = match (&row.reason, previous) {
        (Some(_), Some(previous)) => WireEvent::DisclosureCorrected {
            disclosure: row.id,
            previous: previous.as_uuid(),
            disclosure_kind: kind.as_str().to_owned(),
            period_start: period.start(),
            version: number,
            hash: row.content_hash.clone(),
        },
        _ => WireEvent::DisclosurePublished {
            disclosure: row.id,
            disclosure_kind: kind.as_str().to_owned(),
            period_start: period.start(),
            version: number,
            hash: row.content_hash.clone(),
        },
    };
    let fact = NewEvent::new(wire, now, Audience::Public)
        .actor(Some(actor.person))
        .place(PlaceId::from_uuid(place_row.id))
        .text("summary", Audience::Public, &body.summary)
        .text("reason", Audience::Public, row.reason.as_deref().unwrap_or_default());
    crate::event_log::record(txn, fact).await?;
    Ok(version_of(row)?)
}
