//! Granting and revoking roles, with who did it and when; revoked grants stay as history.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{CompanyId, PersonId, PlaceId, RoleGrantId};
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::role::Role;
use gongzhi_domain::{Conflict, Invalid};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QuerySelect};
use tracing::instrument;

use crate::entities::{person, place, role_grant};
use crate::error::on_unique;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::place_relations::Register;
use crate::places::{context_of, find_row};
use crate::rows::{kind_of, role_of};
use crate::{Error, Result, Store, new_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub id: RoleGrantId,
    pub person: PersonId,
    pub role: Role,
    pub place: PlaceId,
    pub company: Option<CompanyId>,
    /// `None` when granted by the operator (import, demo seed, CLI).
    pub granted_by: Option<PersonId>,
    pub granted_at: DateTime<Utc>,
    pub revoked_by: Option<PersonId>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

pub(crate) fn grant_record(row: role_grant::Model) -> Result<RoleGrant, DbErr> {
    Ok(RoleGrant {
        id: row.id.into(),
        role: role_of(&row)?,
        person: row.person_id.into(),
        place: row.place_id.into(),
        company: row.company_id.map(CompanyId::from_uuid),
        granted_by: row.granted_by.map(PersonId::from_uuid),
        granted_at: row.granted_at,
        revoked_by: row.revoked_by.map(PersonId::from_uuid),
        revoked_at: row.revoked_at,
        revoke_reason: row.revoke_reason,
    })
}

/// Writes a grant after the caller has authorized it; checks the role fits the place and the compound.
pub(crate) async fn insert_grant(
    db: &impl ConnectionTrait,
    person: PersonId,
    role: Role,
    place: PlaceId,
    granted_by: Option<PersonId>,
    now: DateTime<Utc>,
) -> Result<RoleGrant> {
    let row = find_row(db, place).await?;
    role.check_scope(kind_of(&row)?)?;
    let ctx = context_of(db, &row).await?;
    insert_grant_in(db, person, role, &ctx, granted_by, now).await
}

/// Writes a grant at a place whose context the caller already loaded (and checked the role's scope for).
async fn insert_grant_in(
    db: &impl ConnectionTrait,
    person: PersonId,
    role: Role,
    ctx: &gongzhi_domain::place::PlaceContext,
    granted_by: Option<PersonId>,
    now: DateTime<Utc>,
) -> Result<RoleGrant> {
    let place = ctx.ancestry.id();
    let facts = ctx.compound.unwrap_or_default();
    let company =
        if role.is_property() { Some(facts.property_company.ok_or(Invalid::NoPropertyCompany)?) } else { None };
    if role.is_owners_committee() {
        let committee = facts.owners_committee.ok_or(Invalid::NoOwnersCommittee)?;
        // Lock the compound so two concurrent appointments cannot both take the last seat (a no-op on
        // SQLite, whose single connection already serialises writers).
        place::Entity::find_by_id(place.as_uuid()).lock_exclusive().one(db).await?;
        let recount = crate::places::committee_filled(db, place.as_uuid()).await?;
        // A sitting member made chair keeps their seat rather than taking another.
        let sitting = holds_committee_seat(db, person, place).await?;
        if !sitting && recount.max(committee.filled) >= committee.seats {
            return Err(Invalid::CommitteeFull { seats: committee.seats }.into());
        }
    }
    person::Entity::find_by_id(person.as_uuid()).one(db).await?.ok_or(Error::NotFound("person"))?;
    let row = role_grant::ActiveModel {
        id: Set(new_id()),
        person_id: Set(person.as_uuid()),
        role: Set(role.as_str().to_owned()),
        place_id: Set(place.as_uuid()),
        company_id: Set(company.map(|c| c.as_uuid())),
        granted_by: Set(granted_by.map(|p| p.as_uuid())),
        granted_at: Set(now),
        revoked_by: Set(None),
        revoked_at: Set(None),
        revoke_reason: Set(None),
    }
    .insert(db)
    .await
    .map_err(on_unique(Conflict::LiveGrant))?;
    Ok(grant_record(row)?)
}

async fn holds_committee_seat(db: &impl ConnectionTrait, person: PersonId, compound: PlaceId) -> Result<bool> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person.as_uuid()))
        .filter(role_grant::Column::PlaceId.eq(compound.as_uuid()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(
            role_grant::Column::Role.is_in([Role::OwnersCommitteeMember.as_str(), Role::OwnersCommitteeChair.as_str()]),
        )
        .one(db)
        .await?
        .is_some())
}

/// Whether the person holds this role here now.
pub(crate) async fn holds_live(
    db: &impl ConnectionTrait,
    person: PersonId,
    role: Role,
    place: PlaceId,
) -> Result<bool> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person.as_uuid()))
        .filter(role_grant::Column::PlaceId.eq(place.as_uuid()))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .is_some())
}

/// Records a grant in the log.
pub(crate) async fn granted(db: &crate::topics::write::TopicWrite, grant: &RoleGrant) -> Result<()> {
    let event = WireEvent::RoleGranted {
        grant: grant.id.as_uuid(),
        person: grant.person.as_uuid(),
        role: grant.role.as_str().to_owned(),
    };
    let fact = NewEvent::new(event, grant.granted_at, Audience::Staff).actor(grant.granted_by).place(grant.place);
    crate::event_log::record(db, fact).await
}

impl Store {
    #[instrument(skip_all)]
    pub async fn grant_role(&self, actor: &Actor, person: PersonId, role: Role, place: PlaceId) -> Result<RoleGrant> {
        let txn = self.write().await?;
        let row = find_row(&txn, place).await?;
        role.check_scope(kind_of(&row)?)?;
        let ctx = context_of(&txn, &row).await?;
        require(actor, Action::GrantRole(role), &ctx)?;
        let grant = insert_grant_in(&txn, person, role, &ctx, Some(actor.person), self.clock.now()).await?;
        granted(&txn, &grant).await?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(grant)
    }

    /// Operator grant (CLI, demo seed): no person authorizes it, and it records no granter.
    #[instrument(skip_all)]
    pub async fn grant_role_as_operator(&self, person: PersonId, role: Role, place: PlaceId) -> Result<RoleGrant> {
        let txn = self.write().await?;
        let grant = insert_grant(&txn, person, role, place, None, self.clock.now()).await?;
        granted(&txn, &grant).await?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(grant)
    }

    /// Revoking needs the same power as granting.
    #[instrument(skip_all)]
    pub async fn revoke_role(&self, actor: &Actor, grant: RoleGrantId, reason: Option<&str>) -> Result<RoleGrant> {
        let txn = self.write().await?;
        let row =
            role_grant::Entity::find_by_id(grant.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("role grant"))?;
        let place = find_row(&txn, row.place_id.into()).await?;
        require(actor, Action::GrantRole(role_of(&row)?), &context_of(&txn, &place).await?)?;
        if row.revoked_at.is_some() {
            return Err(Invalid::AlreadyRevoked.into());
        }
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| gongzhi_domain::person::bounded_text("reason", r, 200))
            .transpose()?;
        let mut active: role_grant::ActiveModel = row.into();
        active.revoked_at = Set(Some(self.clock.now()));
        active.revoked_by = Set(Some(actor.person.as_uuid()));
        active.revoke_reason = Set(reason);
        let row = active.update(&txn).await?;
        let event = WireEvent::RoleRevoked { grant: row.id, person: row.person_id, role: row.role.clone() };
        let fact = NewEvent::new(event, self.clock.now(), Audience::Staff)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(row.place_id))
            .text("reason", Audience::Staff, row.revoke_reason.as_deref().unwrap_or_default());
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(grant_record(row)?)
    }

    /// A person's live grants, oldest first.
    pub async fn grants_of(&self, person: PersonId) -> Result<Vec<RoleGrant>> {
        Ok(self.grants_of_people(&[person]).await?.remove(&person).unwrap_or_default())
    }

    /// Residents and owners of a household: part of the private register.
    pub async fn household_members(&self, actor: &Actor, household: PlaceId) -> Result<Vec<RoleGrant>> {
        let row = find_row(&self.db, household).await?;
        let register = Register::check(actor, &context_of(&self.db, &row).await?)?;
        Ok(self.members_among(&[register]).await?.remove(&register).unwrap_or_default())
    }
}

impl Store {
    /// A grant as the viewer may see it: their own, a household membership where they may read the
    /// register, or an office where they may see office holders.
    pub async fn grant_for(&self, actor: &Actor, id: RoleGrantId) -> Result<RoleGrant> {
        let row =
            role_grant::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("role grant"))?;
        if row.person_id != actor.person.as_uuid() {
            let place = find_row(&self.db, row.place_id.into()).await?;
            let action = match role_of(&row)? {
                Role::Resident | Role::Owner => Action::ViewRegister,
                _ => Action::ViewOfficeHolders,
            };
            require(actor, action, &context_of(&self.db, &place).await?)?;
        }
        Ok(grant_record(row)?)
    }
}
