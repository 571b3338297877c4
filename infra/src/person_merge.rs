//! One owner, one person (decision 52): an imported owner record merged into the person who logged in and
//! proved to be that owner. Everything the record held follows — its role grants, its places on the rolls
//! of votes and the ballots cast for it, the mandates it gave or holds, its phone and name where the
//! person has none — so a person holding several units stays one owning party, one head. Each merge is
//! kept in `person_merges`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use gongzhi_domain::claim::{HouseholdClaim, RegisteredOwner, imported_owner};
use gongzhi_domain::ids::PersonId;
use gongzhi_domain::role::Role;
use gongzhi_domain::vote::Owner;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{ConnectionTrait, QuerySelect};

use crate::entities::{
    ballot, household_claim, identity, person, person_merge, role_grant, vote_mandate, vote_roll, vote_roll_owner,
};
use crate::rows::corrupt;
use crate::{Error, Result, new_id};

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

/// Merges `from` into `into`, inside the caller's transaction.
pub(crate) async fn merge_person(
    db: &impl ConnectionTrait,
    from: PersonId,
    into: PersonId,
    by: PersonId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let (from_id, into_id) = (from.as_uuid(), into.as_uuid());
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
        let mut active: role_grant::ActiveModel = grant.into();
        if duplicate {
            active.revoked_at = Set(Some(now));
            active.revoked_by = Set(Some(by.as_uuid()));
            active.revoke_reason = Set(Some("merged".to_owned()));
        } else {
            active.person_id = Set(into_id);
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
        let persons: Vec<Uuid> = vote_roll_owner::Entity::find()
            .select_only()
            .column(vote_roll_owner::Column::PersonId)
            .filter(vote_roll_owner::Column::VoteId.eq(row.vote_id))
            .filter(vote_roll_owner::Column::UnitId.eq(row.unit_id))
            .into_tuple()
            .all(db)
            .await?;
        let roll = vote_roll::Entity::find_by_id((row.vote_id, row.unit_id)).one(db).await?;
        // The developer's units keep the developer's key, whoever represents it.
        if roll.is_some_and(|r| r.party_key == Owner::DEVELOPER_KEY) {
            continue;
        }
        let key = Owner::co_owners(persons.into_iter().map(PersonId::from_uuid))
            .map_err(|_| Error::from(corrupt("vote_roll", row.unit_id)))?
            .key();
        vote_roll::Entity::update_many()
            .col_expr(vote_roll::Column::PartyKey, Expr::value(key.clone()))
            .filter(vote_roll::Column::VoteId.eq(row.vote_id))
            .filter(vote_roll::Column::UnitId.eq(row.unit_id))
            .exec(db)
            .await?;
        ballot::Entity::update_many()
            .col_expr(ballot::Column::PartyKey, Expr::value(key))
            .filter(ballot::Column::VoteId.eq(row.vote_id))
            .filter(ballot::Column::VoterKey.eq(row.unit_id.to_string()))
            .exec(db)
            .await?;
    }
    for (column, value) in [(ballot::Column::PersonId, into_id), (ballot::Column::CastBy, into_id)] {
        ballot::Entity::update_many().col_expr(column, Expr::value(value)).filter(column.eq(from_id)).exec(db).await?;
    }
    for column in [vote_mandate::Column::OwnerId, vote_mandate::Column::ProxyId, vote_mandate::Column::EnteredBy] {
        vote_mandate::Entity::update_many()
            .col_expr(column, Expr::value(into_id))
            .filter(column.eq(from_id))
            .exec(db)
            .await?;
    }
    household_claim::Entity::update_many()
        .col_expr(household_claim::Column::PersonId, Expr::value(into_id))
        .filter(household_claim::Column::PersonId.eq(from_id))
        .exec(db)
        .await?;
    // The record's phone and name pass to the person where they have none, so that importing the register
    // again finds the person rather than recreating the record. The phone is unique: freed first.
    let from_row = person::Entity::find_by_id(from_id).one(db).await?.ok_or(Error::NotFound("person"))?;
    let into_row = person::Entity::find_by_id(into_id).one(db).await?.ok_or(Error::NotFound("person"))?;
    if into_row.phone.is_none() && from_row.phone.is_some() {
        let mut freed: person::ActiveModel = from_row.clone().into();
        freed.phone = Set(None);
        freed.update(db).await?;
    }
    let takes_phone = into_row.phone.is_none() && from_row.phone.is_some();
    let takes_name = into_row.name.is_none() && from_row.name.is_some();
    if takes_phone || takes_name {
        let mut taker: person::ActiveModel = into_row.clone().into();
        if takes_phone {
            taker.phone = Set(from_row.phone.clone());
        }
        if takes_name {
            taker.name = Set(from_row.name.clone());
        }
        taker.update(db).await?;
    }
    person_merge::ActiveModel {
        id: Set(new_id()),
        from_person_id: Set(from_id),
        into_person_id: Set(into_id),
        merged_by: Set(by.as_uuid()),
        reason: Set(reason.chars().take(200).collect()),
        merged_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}
