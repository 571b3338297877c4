//! Closing an account (注销, PIPL art. 47; decisions 165–169): the person's identifiers erased from every
//! row in one transaction with the `person.erased` fact, while their ids stay wherever the community's
//! record needs them — the ballots they cast, the topics and opinions they wrote, the owner's place on the
//! register — now shown under the pseudonym. What lives outside the database (files, caches, the outbox's
//! log file) is swept after the commit by `erasure_stores`.
//!
//! What is erased, by store: the person's name and phone (pseudonym, none); their login identities (WeChat
//! openid and unionid); their sessions (revoked) and refresh tokens; their messages in the outbox, sent or
//! not, with their attempts; kept responses (idempotency keys); their exports; their uploads; evidence in
//! their claims; their held submissions; consents and notification settings; the phone and name a merge
//! kept to undo itself; and in the event log, every text not public that they wrote or that names them.
//! What stays: public text they wrote, their ballots (the unit's, counted as before), rolls, mandates
//! given in the past, the access log (ids only), and an owner's grant (the register, kept by law).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{ErasureRequestId, PersonId, PlaceId};
use gongzhi_domain::place::Ancestry;
use gongzhi_domain::policy::Actor;
use gongzhi_domain::privacy::erasure::{
    ErasureRefusal, PSEUDONYM, RequestStatus, authorize_erasure_request, authorize_self_erasure,
    check_nothing_to_hand_over, kept_by_law,
};
use gongzhi_domain::role::Role;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, Condition, ConnectionTrait, QueryOrder, QuerySelect};
use serde_json::Value;
use tracing::instrument;

use crate::cache::person_version;
use crate::entities::{
    content_hold, data_export, erasure as row, event_log, event_text, household_claim, idempotency_key, identity,
    login_session, notification_preference, outbox_attempt, outbox_message, person, person_merge, place, refresh_token,
    role_grant, subscribe_consent, topic, upload, vote_mandate,
};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::context_of;
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

/// A staff-recorded request to erase a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureRequest {
    pub id: ErasureRequestId,
    pub person: PersonId,
    pub requested_by: PersonId,
    pub note: Option<String>,
    pub status: RequestStatus,
    pub recorded_at: DateTime<Utc>,
    pub erased_at: Option<DateTime<Utc>>,
}

fn request_of(row: row::Model) -> Result<ErasureRequest, DbErr> {
    Ok(ErasureRequest {
        id: ErasureRequestId::from_uuid(row.id),
        person: PersonId::from_uuid(row.person_id),
        requested_by: PersonId::from_uuid(row.requested_by),
        status: RequestStatus::parse(&row.status).ok_or_else(|| corrupt("erasure", row.id))?,
        note: row.note,
        recorded_at: row.recorded_at,
        erased_at: row.erased_at,
    })
}

/// What an erasure did, for the person (or staff) to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub person: PersonId,
    pub at: DateTime<Utc>,
    /// The units whose owner the register keeps by law, now under the pseudonym.
    pub register_kept: Vec<PlaceId>,
    /// What the sweep outside the database must still find and remove.
    pub traces: Traces,
}

/// The identifiers and files of an erased person, for the stores outside the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traces {
    /// Name, phone, openids and unionids: whatever text would still name the person.
    pub needles: Vec<String>,
    /// Files to delete from the blob store: uploads and exports.
    pub files: Vec<String>,
}

impl From<ErasureRefusal> for Error {
    fn from(refusal: ErasureRefusal) -> Self {
        Error::Erasure(refusal)
    }
}

/// Whether the person was erased already.
async fn erased_already(db: &impl ConnectionTrait, person: Uuid) -> Result<bool> {
    let done = row::Entity::find()
        .filter(row::Column::PersonId.eq(person))
        .filter(row::Column::Status.eq(RequestStatus::Done.code()))
        .one(db)
        .await?;
    Ok(done.is_some())
}

/// The places of every grant the person holds or held, as ancestries (who may record a request for them).
async fn places_of(db: &impl ConnectionTrait, person: Uuid) -> Result<Vec<Ancestry>> {
    let ids: BTreeSet<Uuid> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::PlaceId)
        .filter(role_grant::Column::PersonId.eq(person))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut places = Vec::new();
    for row in place::Entity::find().filter(place::Column::Id.is_in(ids)).all(db).await? {
        places.push(context_of(db, &row).await?.ancestry);
    }
    Ok(places)
}

impl Store {
    /// The person closes their own account, typing the confirmation.
    #[instrument(skip_all, err)]
    pub async fn close_my_account(&self, actor: &Actor, confirmation: &str) -> Result<Erased> {
        authorize_self_erasure(actor, actor.person, confirmation)?;
        self.erase(actor.person, actor.person, None, None).await
    }

    /// Residents' committee staff record a person's request to be erased, made in writing or in person.
    #[instrument(skip_all, err)]
    pub async fn record_erasure_request(
        &self,
        actor: &Actor,
        person: PersonId,
        note: Option<&str>,
    ) -> Result<ErasureRequest> {
        let places = places_of(&self.db, person.as_uuid()).await?;
        authorize_erasure_request(actor, person, &places)?;
        if erased_already(&self.db, person.as_uuid()).await? {
            return Err(ErasureRefusal::AlreadyErased.into());
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 200) {
            return Err(gongzhi_domain::Invalid::TooLong { field: "note", max: 200 }.into());
        }
        let now = self.clock.now();
        let id = ErasureRequestId::from_uuid(new_id());
        let txn = self.write().await?;
        let row = row::ActiveModel {
            id: Set(id.as_uuid()),
            person_id: Set(person.as_uuid()),
            requested_by: Set(actor.person.as_uuid()),
            note: Set(note.map(str::to_owned)),
            status: Set(RequestStatus::Recorded.code().to_owned()),
            recorded_at: Set(now),
            erased_at: Set(None),
            erased_by: Set(None),
        }
        .insert(&txn)
        .await?;
        let fact = NewEvent::new(
            WireEvent::ErasureRequested { request: id.as_uuid(), person: person.as_uuid() },
            now,
            Audience::Staff,
        )
        .actor(Some(actor.person));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(request_of(row)?)
    }

    /// Staff carry out a recorded request: the same erasure as the person's own, refused alike.
    #[instrument(skip_all, err)]
    pub async fn erase_on_request(&self, actor: &Actor, request: ErasureRequestId) -> Result<Erased> {
        let row = row::Entity::find_by_id(request.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("erasure"))?;
        let recorded = request_of(row)?;
        let places = places_of(&self.db, recorded.person.as_uuid()).await?;
        authorize_erasure_request(actor, recorded.person, &places)?;
        recorded.status.carry_out()?;
        self.erase(recorded.person, recorded.requested_by, Some(actor.person), Some(recorded.id)).await
    }

    /// The staff-recorded requests for a person, newest first.
    pub async fn erasure_requests(&self, actor: &Actor, person: PersonId) -> Result<Vec<ErasureRequest>> {
        let places = places_of(&self.db, person.as_uuid()).await?;
        authorize_erasure_request(actor, person, &places)?;
        let rows = row::Entity::find()
            .filter(row::Column::PersonId.eq(person.as_uuid()))
            .order_by_desc(row::Column::RecordedAt)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(request_of).collect::<Result<_, _>>()?)
    }

    /// Whether the person's account was closed (their export, for one, is then impossible).
    pub async fn is_erased(&self, person: PersonId) -> Result<bool> {
        erased_already(&self.db, person.as_uuid()).await
    }

    /// The erasure itself, in one transaction: refused while an office or a standing mandate is held.
    async fn erase(
        &self,
        person: PersonId,
        requested_by: PersonId,
        carried_out_by: Option<PersonId>,
        request: Option<ErasureRequestId>,
    ) -> Result<Erased> {
        let me = person.as_uuid();
        let now = self.clock.now();
        let txn = self.write().await?;
        if erased_already(&txn, me).await? {
            return Err(ErasureRefusal::AlreadyErased.into());
        }
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::PersonId.eq(me))
            .filter(role_grant::Column::RevokedAt.is_null())
            .all(&txn)
            .await?;
        let roles = grants.iter().map(|g| Role::parse(&g.role)).collect::<Result<Vec<_>, _>>()?;
        let standing = vote_mandate::Entity::find()
            .filter(vote_mandate::Column::ProxyId.eq(me))
            .filter(vote_mandate::Column::RevokedAt.is_null())
            .filter(
                Condition::any()
                    .add(vote_mandate::Column::ValidUntil.is_null())
                    .add(vote_mandate::Column::ValidUntil.gt(now)),
            )
            .all(&txn)
            .await?;
        check_nothing_to_hand_over(&roles, standing.len())?;

        let profile = person::Entity::find_by_id(me).one(&txn).await?.ok_or(Error::NotFound("person"))?;
        let identities = identity::Entity::find().filter(identity::Column::PersonId.eq(me)).all(&txn).await?;
        let mut needles: Vec<String> = profile.name.iter().chain(profile.phone.iter()).cloned().collect();
        for identity in &identities {
            needles.push(identity.subject.clone());
            needles.extend(identity.union_id.clone());
        }
        needles.retain(|n| !n.trim().is_empty() && n != PSEUDONYM);

        // The register keeps an owner's unit by law; a resident's home is theirs alone and ends here.
        let mut register_kept = Vec::new();
        for (grant, role) in grants.iter().zip(&roles) {
            if kept_by_law(*role) {
                register_kept.push(PlaceId::from_uuid(grant.place_id));
            }
        }
        role_grant::Entity::update_many()
            .col_expr(role_grant::Column::RevokedAt, Expr::value(now))
            .col_expr(role_grant::Column::RevokeReason, Expr::value("erased"))
            .filter(role_grant::Column::PersonId.eq(me))
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(role_grant::Column::Role.ne(Role::Owner.as_str()))
            .exec(&txn)
            .await?;

        person::Entity::update_many()
            .col_expr(person::Column::Name, Expr::value(PSEUDONYM))
            .col_expr(person::Column::Phone, Expr::value(Option::<String>::None))
            .filter(person::Column::Id.eq(me))
            .exec(&txn)
            .await?;
        identity::Entity::delete_many().filter(identity::Column::PersonId.eq(me)).exec(&txn).await?;

        let sessions: Vec<Uuid> = login_session::Entity::find()
            .select_only()
            .column(login_session::Column::Id)
            .filter(login_session::Column::PersonId.eq(me))
            .into_tuple()
            .all(&txn)
            .await?;
        refresh_token::Entity::delete_many()
            .filter(refresh_token::Column::SessionId.is_in(sessions))
            .exec(&txn)
            .await?;
        login_session::Entity::update_many()
            .col_expr(login_session::Column::RevokedAt, Expr::value(now))
            .col_expr(login_session::Column::RevokeReason, Expr::value("erased"))
            .filter(login_session::Column::PersonId.eq(me))
            .filter(login_session::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;

        self.erase_messages(&txn, me).await?;
        idempotency_key::Entity::delete_many().filter(idempotency_key::Column::PersonId.eq(me)).exec(&txn).await?;
        subscribe_consent::Entity::delete_many().filter(subscribe_consent::Column::PersonId.eq(me)).exec(&txn).await?;
        notification_preference::Entity::delete_many()
            .filter(notification_preference::Column::PersonId.eq(me))
            .exec(&txn)
            .await?;
        household_claim::Entity::update_many()
            .col_expr(household_claim::Column::Note, Expr::value(Option::<String>::None))
            .filter(household_claim::Column::PersonId.eq(me))
            .exec(&txn)
            .await?;
        content_hold::Entity::delete_many().filter(content_hold::Column::AuthorId.eq(me)).exec(&txn).await?;
        vote_mandate::Entity::update_many()
            .col_expr(vote_mandate::Column::Note, Expr::value(Option::<String>::None))
            .filter(
                Condition::any().add(vote_mandate::Column::OwnerId.eq(me)).add(vote_mandate::Column::ProxyId.eq(me)),
            )
            .exec(&txn)
            .await?;
        scrub_merges(&txn, me).await?;
        let files = self.erase_files(&txn, me).await?;
        redact_texts(&txn, me, &needles, now).await?;

        let status = RequestStatus::Done.code().to_owned();
        match request {
            Some(id) => {
                let updated = row::Entity::update_many()
                    .col_expr(row::Column::Status, Expr::value(status))
                    .col_expr(row::Column::ErasedAt, Expr::value(now))
                    .col_expr(row::Column::ErasedBy, Expr::value(carried_out_by.map(|p| p.as_uuid())))
                    .filter(row::Column::Id.eq(id.as_uuid()))
                    .filter(row::Column::Status.eq(RequestStatus::Recorded.code()))
                    .exec(&txn)
                    .await?;
                if updated.rows_affected != 1 {
                    return Err(ErasureRefusal::RequestDone.into());
                }
            }
            None => {
                row::ActiveModel {
                    id: Set(new_id()),
                    person_id: Set(me),
                    requested_by: Set(requested_by.as_uuid()),
                    note: Set(None),
                    status: Set(status),
                    recorded_at: Set(now),
                    erased_at: Set(Some(now)),
                    erased_by: Set(Some(me)),
                }
                .insert(&txn)
                .await?;
            }
        }
        let event = WireEvent::PersonErased { person: me, request: request.map(|r| r.as_uuid()) };
        let fact = NewEvent::new(event, now, Audience::Staff).actor(carried_out_by.or(Some(person)));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        self.changed(BTreeSet::from([person_version(me)])).await;
        self.policy_changed().await;
        Ok(Erased { person, at: now, register_kept, traces: Traces { needles, files } })
    }

    /// The person's messages, sent or waiting, and every attempt at them: addresses are openids and phones.
    async fn erase_messages(&self, db: &impl ConnectionTrait, me: Uuid) -> Result<()> {
        let messages: Vec<Uuid> = outbox_message::Entity::find()
            .select_only()
            .column(outbox_message::Column::Id)
            .filter(outbox_message::Column::PersonId.eq(me))
            .into_tuple()
            .all(db)
            .await?;
        for chunk in messages.chunks(500) {
            outbox_attempt::Entity::delete_many()
                .filter(outbox_attempt::Column::MessageId.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
            outbox_message::Entity::delete_many()
                .filter(outbox_message::Column::Id.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
        }
        Ok(())
    }

    /// Uploads and exports: their rows go now, their bytes in the sweep after commit. A topic's photo list
    /// loses the erased person's photos.
    async fn erase_files(&self, db: &impl ConnectionTrait, me: Uuid) -> Result<Vec<String>> {
        let mut files: Vec<String> = upload::Entity::find()
            .select_only()
            .column(upload::Column::Key)
            .filter(upload::Column::PersonId.eq(me))
            .into_tuple()
            .all(db)
            .await?;
        let gone: BTreeSet<String> = files.iter().cloned().collect();
        if !gone.is_empty() {
            for topic in topic::Entity::find().filter(topic::Column::SubmitterId.eq(me)).all(db).await? {
                let Ok(photos) = serde_json::from_str::<Vec<String>>(&topic.photos) else { continue };
                let kept: Vec<String> = photos.iter().filter(|p| !gone.contains(*p)).cloned().collect();
                if kept.len() != photos.len() {
                    topic::Entity::update_many()
                        .col_expr(topic::Column::Photos, Expr::value(serde_json::to_string(&kept).unwrap_or_default()))
                        .filter(topic::Column::Id.eq(topic.id))
                        .exec(db)
                        .await?;
                }
            }
        }
        upload::Entity::delete_many().filter(upload::Column::PersonId.eq(me)).exec(db).await?;
        let exports = data_export::Entity::find().filter(data_export::Column::PersonId.eq(me)).all(db).await?;
        files.extend(exports.into_iter().filter_map(|e| e.file_key));
        data_export::Entity::delete_many().filter(data_export::Column::PersonId.eq(me)).exec(db).await?;
        Ok(files)
    }
}

/// A merge kept the phone and name it moved, to undo itself: not the erased person's any more.
async fn scrub_merges(db: &impl ConnectionTrait, me: Uuid) -> Result<()> {
    let merges = person_merge::Entity::find()
        .filter(
            Condition::any()
                .add(person_merge::Column::FromPersonId.eq(me))
                .add(person_merge::Column::IntoPersonId.eq(me)),
        )
        .all(db)
        .await?;
    for merge in merges {
        let Ok(mut moved) = serde_json::from_str::<Value>(&merge.moved) else { continue };
        if let Some(fields) = moved.as_object_mut() {
            fields.insert("phone".into(), Value::Null);
            fields.insert("name".into(), Value::Null);
        }
        person_merge::Entity::update_many()
            .col_expr(person_merge::Column::Moved, Expr::value(moved.to_string()))
            .filter(person_merge::Column::Id.eq(merge.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The log's free texts that are not public and either belong to the person's own events or name them
/// are redacted (decision 66): the body goes, the event stays. Public text the person wrote stays as the
/// community's record; it is shown under the pseudonym.
async fn redact_texts(db: &impl ConnectionTrait, me: Uuid, needles: &[String], now: DateTime<Utc>) -> Result<()> {
    let own: Vec<Uuid> = event_log::Entity::find()
        .select_only()
        .column(event_log::Column::Id)
        .filter(event_log::Column::ActorId.eq(me))
        .into_tuple()
        .all(db)
        .await?;
    if own.is_empty() && needles.is_empty() {
        return Ok(());
    }
    let mut naming = Condition::any();
    for needle in needles {
        naming = naming.add(event_text::Column::Body.contains(needle.as_str()));
    }
    let mut targets = Condition::any().add(naming);
    for chunk in own.chunks(500) {
        targets = targets.add(event_text::Column::EventId.is_in(chunk.iter().copied()));
    }
    event_text::Entity::update_many()
        .col_expr(event_text::Column::Body, Expr::value(Option::<String>::None))
        .col_expr(event_text::Column::RedactedAt, Expr::value(now))
        .filter(event_text::Column::Audience.ne(Audience::Public.as_str()))
        .filter(event_text::Column::Body.is_not_null())
        .filter(targets)
        .exec(db)
        .await?;
    Ok(())
}
