//! One owner, one person (decision 52): an imported owner record merged into the person who logged in and
//! proved to be that owner. Everything the record held follows — its role grants, its places on the rolls
//! of votes and the ballots cast for it, the mandates it gave or holds, its phone and name where the
//! person has none — so a person holding several units stays one owning party, one head. Each merge is
//! kept in `person_merges` with what moved, so staff can undo it until either person votes again; staff
//! also merge two records by hand and list likely duplicates.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use gongzhi_domain::Invalid;
use gongzhi_domain::claim::{HouseholdClaim, MergeRefusal, RegisteredOwner, imported_owner};
use gongzhi_domain::ids::{PersonId, PlaceId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::privacy::access::AccessKind;
use gongzhi_domain::role::Role;
use gongzhi_domain::vote::Owner;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{Condition, ConnectionTrait, PaginatorTrait, QuerySelect, QueryTrait};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::entities::{
    ballot, household_claim, identity, person, person_merge, place, role_grant, vote_mandate, vote_roll,
    vote_roll_owner,
};
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

/// The imported owner record of the claimed household that the claimant of a confirmed OWNER claim is,
/// if exactly one matches (`gongzhi_domain::claim::imported_owner`).
pub(crate) async fn imported_owner_of_claim(
    db: &impl ConnectionTrait,
    claim: &HouseholdClaim,
) -> Result<Option<PersonId>> {
    let owner_ids: Vec<Uuid> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::PersonId)
        .filter(role_grant::Column::PlaceId.eq(claim.household.as_uuid()))
        .filter(role_grant::Column::Role.eq(Role::Owner.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    if owner_ids.is_empty() {
        return Ok(None);
    }
    let mut ids = owner_ids.clone();
    ids.push(claim.person.as_uuid());
    let people = person::Entity::find().filter(person::Column::Id.is_in(ids)).all(db).await?;
    let logged_in: BTreeSet<Uuid> = identity::Entity::find()
        .select_only()
        .column(identity::Column::PersonId)
        .filter(identity::Column::PersonId.is_in(owner_ids.clone()))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let claimant = people.iter().find(|p| p.id == claim.person.as_uuid());
    let owners: Vec<RegisteredOwner> = people
        .iter()
        .filter(|p| owner_ids.contains(&p.id))
        .map(|p| RegisteredOwner {
            person: PersonId::from_uuid(p.id),
            name: p.name.clone(),
            phone: p.phone.clone(),
            has_login: logged_in.contains(&p.id),
        })
        .collect();
    Ok(imported_owner(
        claim,
        claimant.and_then(|c| c.name.as_deref()),
        claimant.and_then(|c| c.phone.as_deref()),
        &owners,
    ))
}

/// What a merge moved, kept (as JSON) to undo it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Moved {
    grants_moved: Vec<Uuid>,
    grants_closed: Vec<Uuid>,
    /// (vote, unit, whether `into` was already on the roll for it).
    roll: Vec<(Uuid, Uuid, bool)>,
    ballots_person: Vec<Uuid>,
    ballots_cast_by: Vec<Uuid>,
    mandates_owner: Vec<Uuid>,
    mandates_proxy: Vec<Uuid>,
    mandates_entered: Vec<Uuid>,
    claims: Vec<Uuid>,
    phone: Option<String>,
    name: Option<String>,
}

/// Recomputes the owning party's key of a unit on a vote's roll from who is on it now, and the ballots'
/// (the developer's units keep the developer's key, whoever represents it).
async fn rekey(db: &impl ConnectionTrait, vote: Uuid, unit: Uuid) -> Result<()> {
    let roll = vote_roll::Entity::find_by_id((vote, unit)).one(db).await?;
    if roll.is_none_or(|r| r.party_key == Owner::DEVELOPER_KEY) {
        return Ok(());
    }
    let persons: Vec<Uuid> = vote_roll_owner::Entity::find()
        .select_only()
        .column(vote_roll_owner::Column::PersonId)
        .filter(vote_roll_owner::Column::VoteId.eq(vote))
        .filter(vote_roll_owner::Column::UnitId.eq(unit))
        .into_tuple()
        .all(db)
        .await?;
    let key = Owner::co_owners(persons.into_iter().map(PersonId::from_uuid))
        .map_err(|_| Error::from(corrupt("vote_roll", unit)))?
        .key();
    vote_roll::Entity::update_many()
        .col_expr(vote_roll::Column::PartyKey, Expr::value(key.clone()))
        .filter(vote_roll::Column::VoteId.eq(vote))
        .filter(vote_roll::Column::UnitId.eq(unit))
        .exec(db)
        .await?;
    ballot::Entity::update_many()
        .col_expr(ballot::Column::PartyKey, Expr::value(key))
        .filter(ballot::Column::VoteId.eq(vote))
        .filter(ballot::Column::VoterKey.eq(unit.to_string()))
        .exec(db)
        .await?;
    Ok(())
}

/// The ids of `entity` rows whose `column` is `person`.
async fn ids_where<E>(db: &impl ConnectionTrait, id: E::Column, column: E::Column, person: Uuid) -> Result<Vec<Uuid>>
where
    E: EntityTrait,
{
    Ok(E::find().select_only().column(id).filter(column.eq(person)).into_tuple().all(db).await?)
}

/// Sets `column` to `to` on the rows of `ids`.
async fn set_person<E>(
    db: &impl ConnectionTrait,
    id: E::Column,
    column: E::Column,
    ids: &[Uuid],
    to: Uuid,
) -> Result<()>
where
    E: EntityTrait,
{
    if !ids.is_empty() {
        E::update_many().col_expr(column, Expr::value(to)).filter(id.is_in(ids.iter().copied())).exec(db).await?;
    }
    Ok(())
}

/// Merges `from` into `into`, inside the caller's transaction, and keeps what moved; the merge's id.
pub(crate) async fn merge_person(
    db: &impl ConnectionTrait,
    from: PersonId,
    into: PersonId,
    by: PersonId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let (from_id, into_id) = (from.as_uuid(), into.as_uuid());
    let mut moved = Moved::default();
    // Role grants: a live one `into` already holds is closed on `from`'s side, the rest move.
    let grants = role_grant::Entity::find().filter(role_grant::Column::PersonId.eq(from_id)).all(db).await?;
    for grant in grants {
        let duplicate = grant.revoked_at.is_none()
            && role_grant::Entity::find()
                .filter(role_grant::Column::PersonId.eq(into_id))
                .filter(role_grant::Column::Role.eq(grant.role.clone()))
                .filter(role_grant::Column::PlaceId.eq(grant.place_id))
                .filter(role_grant::Column::RevokedAt.is_null())
                .one(db)
                .await?
                .is_some();
        let id = grant.id;
        let mut active: role_grant::ActiveModel = grant.into();
        if duplicate {
            active.revoked_at = Set(Some(now));
            active.revoked_by = Set(Some(by.as_uuid()));
            active.revoke_reason = Set(Some("merged".to_owned()));
            moved.grants_closed.push(id);
        } else {
            active.person_id = Set(into_id);
            moved.grants_moved.push(id);
        }
        active.update(db).await?;
    }
    // Places on votes' rolls, and the owning parties' keys of the units concerned, recomputed.
    let on_rolls =
        vote_roll_owner::Entity::find().filter(vote_roll_owner::Column::PersonId.eq(from_id)).all(db).await?;
    for row in &on_rolls {
        let already = vote_roll_owner::Entity::find_by_id((row.vote_id, into_id, row.unit_id)).one(db).await?.is_some();
        vote_roll_owner::Entity::delete_by_id((row.vote_id, from_id, row.unit_id)).exec(db).await?;
        if !already {
            vote_roll_owner::ActiveModel {
                vote_id: Set(row.vote_id),
                person_id: Set(into_id),
                unit_id: Set(row.unit_id),
            }
            .insert(db)
            .await?;
        }
        moved.roll.push((row.vote_id, row.unit_id, already));
        rekey(db, row.vote_id, row.unit_id).await?;
    }
    moved.ballots_person =
        ids_where::<ballot::Entity>(db, ballot::Column::Id, ballot::Column::PersonId, from_id).await?;
    moved.ballots_cast_by =
        ids_where::<ballot::Entity>(db, ballot::Column::Id, ballot::Column::CastBy, from_id).await?;
    set_person::<ballot::Entity>(db, ballot::Column::Id, ballot::Column::PersonId, &moved.ballots_person, into_id)
        .await?;
    set_person::<ballot::Entity>(db, ballot::Column::Id, ballot::Column::CastBy, &moved.ballots_cast_by, into_id)
        .await?;
    let mandate = |column| ids_where::<vote_mandate::Entity>(db, vote_mandate::Column::Id, column, from_id);
    moved.mandates_owner = mandate(vote_mandate::Column::OwnerId).await?;
    moved.mandates_proxy = mandate(vote_mandate::Column::ProxyId).await?;
    moved.mandates_entered = mandate(vote_mandate::Column::EnteredBy).await?;
    for (column, ids) in [
        (vote_mandate::Column::OwnerId, &moved.mandates_owner),
        (vote_mandate::Column::ProxyId, &moved.mandates_proxy),
        (vote_mandate::Column::EnteredBy, &moved.mandates_entered),
    ] {
        set_person::<vote_mandate::Entity>(db, vote_mandate::Column::Id, column, ids, into_id).await?;
    }
    moved.claims = ids_where::<household_claim::Entity>(
        db,
        household_claim::Column::Id,
        household_claim::Column::PersonId,
        from_id,
    )
    .await?;
    set_person::<household_claim::Entity>(
        db,
        household_claim::Column::Id,
        household_claim::Column::PersonId,
        &moved.claims,
        into_id,
    )
    .await?;
    // The record's phone and name pass to the person where they have none, so that importing the register
    // again finds the person rather than recreating the record. The phone is unique: freed first.
    let from_row = person::Entity::find_by_id(from_id).one(db).await?.ok_or(Error::NotFound("person"))?;
    let into_row = person::Entity::find_by_id(into_id).one(db).await?.ok_or(Error::NotFound("person"))?;
    if into_row.phone.is_none() && from_row.phone.is_some() {
        moved.phone = from_row.phone.clone();
        set_phone(db, from_id, None).await?;
        set_phone(db, into_id, from_row.phone.clone()).await?;
    }
    if into_row.name.is_none() && from_row.name.is_some() {
        moved.name = from_row.name.clone();
        person::Entity::update_many()
            .col_expr(person::Column::Name, Expr::value(from_row.name.clone()))
            .filter(person::Column::Id.eq(into_id))
            .exec(db)
            .await?;
    }
    let id = new_id();
    person_merge::ActiveModel {
        id: Set(id),
        from_person_id: Set(from_id),
        into_person_id: Set(into_id),
        merged_by: Set(by.as_uuid()),
        reason: Set(reason.chars().take(200).collect()),
        merged_at: Set(now),
        moved: Set(serde_json::to_string(&moved).map_err(|_| Error::from(corrupt("person_merge", from_id)))?),
        undone_at: Set(None),
        undone_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

async fn set_phone(db: &impl ConnectionTrait, person: Uuid, phone: Option<String>) -> Result<()> {
    person::Entity::update_many()
        .col_expr(person::Column::Phone, Expr::value(phone))
        .filter(person::Column::Id.eq(person))
        .exec(db)
        .await?;
    Ok(())
}

/// A merge as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMerge {
    pub id: Uuid,
    pub from: PersonId,
    pub into: PersonId,
    pub merged_by: PersonId,
    pub reason: String,
    pub merged_at: DateTime<Utc>,
    pub undone_at: Option<DateTime<Utc>>,
}

fn merge_of(row: &person_merge::Model) -> PersonMerge {
    PersonMerge {
        id: row.id,
        from: PersonId::from_uuid(row.from_person_id),
        into: PersonId::from_uuid(row.into_person_id),
        merged_by: PersonId::from_uuid(row.merged_by),
        reason: row.reason.clone(),
        merged_at: row.merged_at,
        undone_at: row.undone_at,
    }
}

/// Two people of one compound who are likely one owner: the same name, and no two different phones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikelyDuplicate {
    pub first: PersonId,
    pub second: PersonId,
}

impl Store {
    /// The people holding roles in the compound's households who are likely the same owner twice: the same
    /// name, and the same phone or a phone on one side only. For staff who keep the register.
    pub async fn likely_duplicates(&self, actor: &Actor, compound: PlaceId) -> Result<Vec<LikelyDuplicate>> {
        let ctx = crate::mandates::compound_context(&self.db, compound).await?;
        require(actor, Action::MergePeople, &ctx)?;
        let households = place::Entity::find()
            .select_only()
            .column(place::Column::Id)
            .filter(place::Column::CompoundId.eq(compound.as_uuid()))
            .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
            .into_query();
        let holders = role_grant::Entity::find()
            .select_only()
            .column(role_grant::Column::PersonId)
            .filter(role_grant::Column::RevokedAt.is_null())
            .filter(role_grant::Column::PlaceId.in_subquery(households))
            .into_query();
        let mut people = person::Entity::find().filter(person::Column::Id.in_subquery(holders)).all(&self.db).await?;
        people.sort_by(|a, b| (a.name.as_deref(), a.id).cmp(&(b.name.as_deref(), b.id)));
        let mut pairs = Vec::new();
        for (i, first) in people.iter().enumerate() {
            for second in &people[i + 1..] {
                let same_name = first.name.is_some() && first.name == second.name;
                let phones_agree = first.phone.is_none() || second.phone.is_none() || first.phone == second.phone;
                if same_name && phones_agree {
                    pairs.push(LikelyDuplicate {
                        first: PersonId::from_uuid(first.id),
                        second: PersonId::from_uuid(second.id),
                    });
                }
            }
        }
        // The register's people, phones among them, read by staff: logged before it is shown (decision 141).
        let named = pairs.iter().flat_map(|pair| [pair.first, pair.second]).filter(|p| *p != actor.person);
        let reference = Some(compound.as_uuid());
        crate::privacy::log_reads(
            &self.db,
            self.clock.now(),
            actor.person,
            AccessKind::Register,
            named,
            reference,
            None,
        )
        .await?;
        Ok(pairs)
    }

    /// Staff merge one person record into another, both holding roles in the compound (audited). Two
    /// records that both log in are two people: refused.
    #[instrument(skip_all)]
    pub async fn merge_people(
        &self,
        actor: &Actor,
        compound: PlaceId,
        from: PersonId,
        into: PersonId,
        reason: &str,
    ) -> Result<Result<PersonMerge, MergeRefusal>> {
        let reason = gongzhi_domain::person::bounded_text("reason", reason, 200)?;
        if from == into {
            return Err(Invalid::UnknownValue { field: "intoId", given: "the same person".to_owned() }.into());
        }
        let txn = self.write().await?;
        let ctx = crate::mandates::compound_context(&txn, compound).await?;
        require(actor, Action::MergePeople, &ctx)?;
        for person in [from, into] {
            if !holds_in(&txn, person, compound).await? {
                return Err(Error::NotFound("person"));
            }
        }
        let logins: BTreeSet<Uuid> = identity::Entity::find()
            .select_only()
            .column(identity::Column::PersonId)
            .filter(identity::Column::PersonId.is_in([from.as_uuid(), into.as_uuid()]))
            .into_tuple()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        if logins.len() == 2 {
            return Ok(Err(MergeRefusal::BothLogIn));
        }
        let now = self.clock.now();
        let id = merge_person(&txn, from, into, actor.person, &reason, now).await?;
        let event =
            crate::event_log::wire::WireEvent::PersonMerged { merge: id, from: from.as_uuid(), into: into.as_uuid() };
        let fact = crate::event_log::NewEvent::new(event, now, crate::event_log::Audience::Staff)
            .actor(Some(actor.person))
            .place(compound)
            .text("reason", crate::event_log::Audience::Staff, &reason);
        crate::event_log::record(&txn, fact).await?;
        let row = person_merge::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound("merge"))?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(Ok(merge_of(&row)))
    }

    /// Staff undo a merge, until either person votes again (then `voted_since`).
    #[instrument(skip_all)]
    pub async fn undo_merge(
        &self,
        actor: &Actor,
        compound: PlaceId,
        merge: Uuid,
    ) -> Result<Result<PersonMerge, MergeRefusal>> {
        let txn = self.write().await?;
        let ctx = crate::mandates::compound_context(&txn, compound).await?;
        require(actor, Action::MergePeople, &ctx)?;
        let row = person_merge::Entity::find_by_id(merge).one(&txn).await?.ok_or(Error::NotFound("merge"))?;
        if !holds_in(&txn, PersonId::from_uuid(row.into_person_id), compound).await? {
            return Err(Error::NotFound("merge"));
        }
        if row.undone_at.is_some() {
            return Ok(Err(MergeRefusal::AlreadyUndone));
        }
        let (from_id, into_id) = (row.from_person_id, row.into_person_id);
        let voted = ballot::Entity::find()
            .filter(ballot::Column::UpdatedAt.gte(row.merged_at))
            .filter(
                Condition::any()
                    .add(ballot::Column::PersonId.is_in([from_id, into_id]))
                    .add(ballot::Column::CastBy.is_in([from_id, into_id])),
            )
            .count(&txn)
            .await?;
        if voted > 0 {
            return Ok(Err(MergeRefusal::VotedSince));
        }
        let moved: Moved =
            serde_json::from_str(&row.moved).map_err(|_| Error::from(corrupt("person_merge", row.id)))?;
        set_person::<role_grant::Entity>(
            &txn,
            role_grant::Column::Id,
            role_grant::Column::PersonId,
            &moved.grants_moved,
            from_id,
        )
        .await?;
        if !moved.grants_closed.is_empty() {
            role_grant::Entity::update_many()
                .col_expr(role_grant::Column::RevokedAt, Expr::value(Option::<DateTime<Utc>>::None))
                .col_expr(role_grant::Column::RevokedBy, Expr::value(Option::<Uuid>::None))
                .col_expr(role_grant::Column::RevokeReason, Expr::value(Option::<String>::None))
                .filter(role_grant::Column::Id.is_in(moved.grants_closed.iter().copied()))
                .exec(&txn)
                .await?;
        }
        for (vote, unit, already) in &moved.roll {
            if !already {
                vote_roll_owner::Entity::delete_by_id((*vote, into_id, *unit)).exec(&txn).await?;
            }
            vote_roll_owner::ActiveModel { vote_id: Set(*vote), person_id: Set(from_id), unit_id: Set(*unit) }
                .insert(&txn)
                .await?;
            rekey(&txn, *vote, *unit).await?;
        }
        set_person::<ballot::Entity>(
            &txn,
            ballot::Column::Id,
            ballot::Column::PersonId,
            &moved.ballots_person,
            from_id,
        )
        .await?;
        set_person::<ballot::Entity>(&txn, ballot::Column::Id, ballot::Column::CastBy, &moved.ballots_cast_by, from_id)
            .await?;
        for (column, ids) in [
            (vote_mandate::Column::OwnerId, &moved.mandates_owner),
            (vote_mandate::Column::ProxyId, &moved.mandates_proxy),
            (vote_mandate::Column::EnteredBy, &moved.mandates_entered),
        ] {
            set_person::<vote_mandate::Entity>(&txn, vote_mandate::Column::Id, column, ids, from_id).await?;
        }
        set_person::<household_claim::Entity>(
            &txn,
            household_claim::Column::Id,
            household_claim::Column::PersonId,
            &moved.claims,
            from_id,
        )
        .await?;
        if let Some(phone) = moved.phone {
            set_phone(&txn, into_id, None).await?;
            set_phone(&txn, from_id, Some(phone)).await?;
        }
        if moved.name.is_some() {
            person::Entity::update_many()
                .col_expr(person::Column::Name, Expr::value(Option::<String>::None))
                .filter(person::Column::Id.eq(into_id))
                .exec(&txn)
                .await?;
        }
        let now = self.clock.now();
        person_merge::Entity::update_many()
            .col_expr(person_merge::Column::UndoneAt, Expr::value(now))
            .col_expr(person_merge::Column::UndoneBy, Expr::value(actor.person.as_uuid()))
            .filter(person_merge::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        let event =
            crate::event_log::wire::WireEvent::PersonMergeUndone { merge: row.id, from: from_id, into: into_id };
        let fact = crate::event_log::NewEvent::new(event, now, crate::event_log::Audience::Staff)
            .actor(Some(actor.person))
            .place(compound);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        self.policy_changed().await;
        let mut undone = merge_of(&row);
        undone.undone_at = Some(now);
        Ok(Ok(undone))
    }
}

/// Whether the person holds (or held, for a merged record) a role in the compound's households, or is the
/// one a merge in the compound moved things to.
async fn holds_in(db: &impl ConnectionTrait, person: PersonId, compound: PlaceId) -> Result<bool> {
    let households = place::Entity::find()
        .select_only()
        .column(place::Column::Id)
        .filter(place::Column::CompoundId.eq(compound.as_uuid()))
        .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
        .into_query();
    let count = role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person.as_uuid()))
        .filter(role_grant::Column::PlaceId.in_subquery(households))
        .count(db)
        .await?;
    Ok(count > 0)
}
