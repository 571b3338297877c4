//! The partner registry, kept by city administrators: register a partner (its credential is shown once),
//! list the partners of one's cities, rotate a secret, disable a partner. Every step asks
//! `policy::authorize_partner_administration` on the partner's scope.

use chrono::{DateTime, Utc};
use gongzhi_domain::Conflict;
use gongzhi_domain::ids::{PartnerId, PersonId, PlaceId};
use gongzhi_domain::partner::{
    Partner, PartnerKind, PartnerName, PartnerScope, PartnerScopes, PartnerStatus, RateBudget, SecretOverlap,
};
use gongzhi_domain::policy::{Actor, authorize_partner_administration, authorize_partner_registry};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, QueryOrder};
use tracing::instrument;

use super::credentials::{IssuedCredentials, fresh_secret, hash_secret};
use super::{partner_of, record_of};
use crate::entities::{api_partner, place};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::rows::ancestry_of;
use crate::{Error, Result, Store, new_id};

/// A partner as administrators see it: the rules' partner and the record of who did what when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRecord {
    pub partner: Partner,
    pub created_by: PersonId,
    pub created_at: DateTime<Utc>,
    /// When the secret was last replaced; `None` while the first one is in use.
    pub secret_rotated_at: Option<DateTime<Utc>>,
    pub disabled_by: Option<PersonId>,
}

/// What an administrator gives to register a partner, checked by `register_partner`.
#[derive(Debug, Clone)]
pub struct NewPartner {
    pub name: String,
    pub kind: PartnerKind,
    /// Everything at or below this place; a city's id for the whole city.
    pub scope: PlaceId,
    /// Its own rate budget, overriding the configured default.
    pub rate_points: Option<i64>,
    /// What it may read or do; at least one.
    pub scopes: Vec<PartnerScope>,
}

pub(super) async fn scope_row(db: &impl ConnectionTrait, id: Uuid) -> Result<place::Model> {
    place::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound("place"))
}

/// A partner with its scope, if the actor administers it.
pub(super) async fn administered(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: PartnerId,
) -> Result<(api_partner::Model, place::Model)> {
    authorize_partner_registry(actor)?;
    let row = api_partner::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("partner"))?;
    let scope = scope_row(db, row.scope_place_id).await?;
    authorize_partner_administration(actor, &ancestry_of(&scope)?)?;
    Ok((row, scope))
}

impl Store {
    /// Registers a partner and returns its credential: the secret is in this answer and nowhere else
    /// (only its hash is stored). Idempotent (decisions 123, 170): a partner of the same name with the same
    /// scope is answered as it is, without a secret (it was shown when that partner was registered), so
    /// a registration retried after a lost answer makes no second partner.
    #[instrument(skip_all)]
    pub async fn register_partner(
        &self,
        actor: &Actor,
        input: &NewPartner,
    ) -> Result<(PartnerRecord, Option<IssuedCredentials>)> {
        authorize_partner_registry(actor)?;
        let txn = self.write().await?;
        let scope = scope_row(&txn, input.scope.as_uuid()).await?;
        let ancestry = ancestry_of(&scope)?;
        authorize_partner_administration(actor, &ancestry)?;
        Partner::check_scope(ancestry.kind())?;
        let name = PartnerName::parse(&input.name)?;
        let name_text = name.as_str().to_owned();
        let budget = input.rate_points.map(RateBudget::parse).transpose()?;
        let scopes = PartnerScopes::new(input.scopes.iter().copied())?;
        let id = PartnerId::from_uuid(new_id());
        let secret = fresh_secret();
        let active = api_partner::ActiveModel {
            id: Set(id.as_uuid()),
            name: Set(name.into_inner()),
            kind: Set(input.kind.as_str().to_owned()),
            scope_place_id: Set(scope.id),
            rate_points: Set(budget.map(|b| i64::try_from(b.points()).unwrap_or(i64::MAX))),
            secret_hash: Set(hash_secret(&secret)),
            secret_version: Set(1),
            secret_rotated_at: Set(None),
            created_by: Set(actor.person.as_uuid()),
            created_at: Set(self.clock.now()),
            disabled_at: Set(None),
            disabled_by: Set(None),
            scopes: Set(scopes.to_stored()),
            previous_secret_hash: Set(None),
            previous_secret_version: Set(None),
            previous_secret_until: Set(None),
            person_id: Set(None),
        };
        // The unique index on (scope, name) decides (decision 170): a registration racing another, or
        // retried after a lost answer, inserts nothing and is answered with the partner that is there.
        let inserted = api_partner::Entity::insert(active)
            .on_conflict(
                OnConflict::columns([api_partner::Column::ScopePlaceId, api_partner::Column::Name])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        if inserted == 0 {
            let row = api_partner::Entity::find()
                .filter(api_partner::Column::ScopePlaceId.eq(scope.id))
                .filter(api_partner::Column::Name.eq(name_text.as_str()))
                .one(&txn)
                .await?
                .ok_or(Error::NotFound("partner"))?;
            txn.commit().await?;
            tracing::info!(partner = %row.id, "partner registered again: the first answered");
            return Ok((record_of(&row, &scope)?, None));
        }
        let row = api_partner::Entity::find_by_id(id.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("partner"))?;
        let fact = NewEvent::new(WireEvent::PartnerRegistered { partner: row.id }, row.created_at, Audience::Staff)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(scope.id))
            .text("name", Audience::Staff, &row.name);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        let record = record_of(&row, &scope)?;
        Ok((record, Some(IssuedCredentials::new(id, secret))))
    }

    /// The partners whose scope lies in a city the actor administers, oldest first.
    pub async fn partners(&self, actor: &Actor) -> Result<Vec<PartnerRecord>> {
        authorize_partner_registry(actor)?;
        let rows = api_partner::Entity::find()
            .order_by_asc(api_partner::Column::CreatedAt)
            .order_by_asc(api_partner::Column::Id)
            .all(&self.db)
            .await?;
        let scope_ids: Vec<Uuid> = rows.iter().map(|row| row.scope_place_id).collect();
        let scopes = place::Entity::find().filter(place::Column::Id.is_in(scope_ids)).all(&self.db).await?;
        let mut records = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(scope) = scopes.iter().find(|scope| scope.id == row.scope_place_id) else {
                return Err(Error::NotFound("place"));
            };
            let record = record_of(row, scope)?;
            if authorize_partner_administration(actor, &record.partner.scope).is_ok() {
                records.push(record);
            }
        }
        Ok(records)
    }

    /// Replaces the partner's secret. Without `old_valid_until` the old secret and every token issued
    /// under it stop working (at once on this instance, within the directory's time to live on others);
    /// with it they keep working until then (at most a week, decision 121), so the partner moves to the
    /// new secret without an outage. A disabled partner's secret is not rotated (`CONFLICT`).
    #[instrument(skip_all)]
    pub async fn rotate_partner_secret(
        &self,
        actor: &Actor,
        id: PartnerId,
        old_valid_until: Option<DateTime<Utc>>,
    ) -> Result<(PartnerRecord, IssuedCredentials)> {
        let now = self.clock.now();
        let overlap = old_valid_until.map(|until| SecretOverlap::check_until(until, now)).transpose()?;
        let txn = self.write().await?;
        let (row, scope) = administered(&txn, actor, id).await?;
        let rotated = partner_of(&row, &scope)?.rotate_secret(overlap)?;
        let secret = fresh_secret();
        let version = i32::try_from(rotated.secret_version).map_err(|_| Conflict::PartnerChanged)?;
        let previous = rotated.previous_secret;
        // Guarded by what was loaded: of two rotations at once, one wins and the other is a conflict,
        // and a partner disabled meanwhile keeps no new secret.
        let updated = api_partner::Entity::update_many()
            .col_expr(api_partner::Column::SecretHash, Expr::value(hash_secret(&secret)))
            .col_expr(api_partner::Column::SecretVersion, Expr::value(version))
            .col_expr(api_partner::Column::SecretRotatedAt, Expr::value(now))
            .col_expr(api_partner::Column::PreviousSecretHash, Expr::value(previous.map(|_| row.secret_hash.clone())))
            .col_expr(api_partner::Column::PreviousSecretVersion, Expr::value(previous.map(|_| row.secret_version)))
            .col_expr(api_partner::Column::PreviousSecretUntil, Expr::value(previous.map(|old| old.until)))
            .filter(api_partner::Column::Id.eq(row.id))
            .filter(api_partner::Column::SecretVersion.eq(row.secret_version))
            .filter(api_partner::Column::DisabledAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(Conflict::PartnerChanged.into());
        }
        let row = api_partner::Entity::find_by_id(row.id).one(&txn).await?.ok_or(Error::NotFound("partner"))?;
        let fact = NewEvent::new(WireEvent::PartnerSecretRotated { partner: row.id }, now, Audience::Staff)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(scope.id));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok((record_of(&row, &scope)?, IssuedCredentials::new(id, secret)))
    }

    /// Stops a partner: its secret and every token it holds stop working. Disabling a disabled partner
    /// changes nothing.
    #[instrument(skip_all)]
    pub async fn disable_partner(&self, actor: &Actor, id: PartnerId) -> Result<PartnerRecord> {
        let txn = self.write().await?;
        let (row, scope) = administered(&txn, actor, id).await?;
        let disabled = partner_of(&row, &scope)?.disable(self.clock.now());
        if let PartnerStatus::Disabled { at } = disabled.status
            && row.disabled_at.is_none()
        {
            let updated = api_partner::Entity::update_many()
                .col_expr(api_partner::Column::DisabledAt, Expr::value(at))
                .col_expr(api_partner::Column::DisabledBy, Expr::value(actor.person.as_uuid()))
                .filter(api_partner::Column::Id.eq(row.id))
                .filter(api_partner::Column::DisabledAt.is_null())
                .exec(&txn)
                .await?;
            if updated.rows_affected == 1 {
                let fact = NewEvent::new(WireEvent::PartnerDisabled { partner: row.id }, at, Audience::Staff)
                    .actor(Some(actor.person))
                    .place(PlaceId::from_uuid(scope.id));
                crate::event_log::record(&txn, fact).await?;
            }
        }
        let row = api_partner::Entity::find_by_id(row.id).one(&txn).await?.ok_or(Error::NotFound("partner"))?;
        txn.commit().await?;
        Ok(record_of(&row, &scope)?)
    }

    /// The partner, when it is active; `None` when it does not exist or was disabled. Not behind the
    /// policy: the API asks it to check a partner's token.
    pub async fn active_partner(&self, id: PartnerId) -> Result<Option<Partner>> {
        let Some(row) = api_partner::Entity::find_by_id(id.as_uuid()).one(&self.db).await? else { return Ok(None) };
        if row.disabled_at.is_some() {
            return Ok(None);
        }
        let scope = scope_row(&self.db, row.scope_place_id).await?;
        Ok(Some(partner_of(&row, &scope)?))
    }
}
