//! Household claims: a person says they live in or own a household, and staff confirm or reject it.
//! Confirming grants the resident or owner role in the same transaction.

use std::collections::HashMap;

use gongzhi_domain::claim::{ClaimRelation, ClaimStatus, HouseholdClaim};
use gongzhi_domain::ids::{HouseholdClaimId, PersonId, PlaceId};
use gongzhi_domain::person::bounded_text;
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::privacy::access::AccessKind;
use gongzhi_domain::{Conflict, Invalid};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder, QuerySelect, QueryTrait};
use tracing::instrument;

use crate::entities::{household_claim, place};
use crate::error::on_unique;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::person_merge::{imported_owner_of_claim, merge_person};
use crate::place_contexts::contexts_of;
use crate::places::{context_of, find_kind, find_row};
use crate::privacy::log_reads;
use crate::roles::{holds_live, insert_grant};
use crate::rows::{corrupt, kind_of};
use crate::{Error, Result, Store, new_id};

fn claim_of(row: household_claim::Model) -> Result<HouseholdClaim, DbErr> {
    let relation = ClaimRelation::parse(&row.relation).map_err(|_| corrupt("claim relation", row.id))?;
    let decided = || -> Result<_, DbErr> {
        Ok((
            row.decided_by.map(PersonId::from_uuid).ok_or_else(|| corrupt("claim decision", row.id))?,
            row.decided_at.ok_or_else(|| corrupt("claim decision", row.id))?,
        ))
    };
    let status = match row.status.as_str() {
        "pending" => ClaimStatus::Pending,
        "confirmed" => {
            let (by, at) = decided()?;
            ClaimStatus::Confirmed { by, at }
        }
        "rejected" => {
            let (by, at) = decided()?;
            ClaimStatus::Rejected { by, at, reason: row.reason.clone().unwrap_or_default() }
        }
        "withdrawn" => ClaimStatus::Withdrawn { at: row.decided_at.ok_or_else(|| corrupt("claim", row.id))? },
        _ => return Err(corrupt("claim status", row.id)),
    };
    Ok(HouseholdClaim {
        id: row.id.into(),
        person: row.person_id.into(),
        household: row.household_id.into(),
        relation,
        note: row.note,
        created_at: row.created_at,
        status,
    })
}

/// Writes a transition, but only over a claim that is still pending: two staff deciding at once cannot
/// both win.
async fn save_decision(db: &impl ConnectionTrait, claim: &HouseholdClaim) -> Result<()> {
    let (decided_by, decided_at, reason) = match &claim.status {
        ClaimStatus::Pending => return Ok(()),
        ClaimStatus::Confirmed { by, at } => (Some(*by), *at, None),
        ClaimStatus::Rejected { by, at, reason } => (Some(*by), *at, Some(reason.clone())),
        ClaimStatus::Withdrawn { at } => (None, *at, None),
    };
    let updated = household_claim::Entity::update_many()
        .col_expr(household_claim::Column::Status, Expr::value(claim.status.as_str()))
        .col_expr(household_claim::Column::DecidedBy, Expr::value(decided_by.map(|p| p.as_uuid())))
        .col_expr(household_claim::Column::DecidedAt, Expr::value(decided_at))
        .col_expr(household_claim::Column::Reason, Expr::value(reason))
        .filter(household_claim::Column::Id.eq(claim.id.as_uuid()))
        .filter(household_claim::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(Invalid::ClaimNotPending { state: "decided" }.into());
    }
    Ok(())
}

impl Store {
    #[instrument(skip_all)]
    pub async fn claim_household(
        &self,
        actor: &Actor,
        household: PlaceId,
        relation: ClaimRelation,
        note: Option<&str>,
    ) -> Result<HouseholdClaim> {
        let note = note.map(str::trim).filter(|n| !n.is_empty()).map(|n| bounded_text("note", n, 200)).transpose()?;
        let txn = self.write().await?;
        find_kind(&txn, household, PlaceKind::Household).await?;
        if holds_live(&txn, actor.person, relation.role(), household).await? {
            return Err(Conflict::AlreadyHeld.into());
        }
        let row = household_claim::ActiveModel {
            id: Set(new_id()),
            person_id: Set(actor.person.as_uuid()),
            household_id: Set(household.as_uuid()),
            relation: Set(relation.as_str().to_owned()),
            note: Set(note),
            status: Set("pending".to_owned()),
            decided_by: Set(None),
            decided_at: Set(None),
            reason: Set(None),
            created_at: Set(self.clock.now()),
        }
        .insert(&txn)
        .await
        .map_err(on_unique(Conflict::PendingClaim))?;
        let event = WireEvent::ClaimMade { claim: row.id, person: row.person_id, relation: row.relation.clone() };
        let fact = NewEvent::new(event, row.created_at, Audience::Private)
            .actor(Some(actor.person))
            .place(household)
            .text("note", Audience::Private, row.note.as_deref().unwrap_or_default());
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(claim_of(row)?)
    }

    /// Confirms (granting the claimed role) or rejects with a reason the claimant sees.
    #[instrument(skip_all)]
    pub async fn decide_claim(
        &self,
        actor: &Actor,
        claim: HouseholdClaimId,
        confirm: bool,
        reason: Option<&str>,
    ) -> Result<HouseholdClaim> {
        let txn = self.write().await?;
        let row =
            household_claim::Entity::find_by_id(claim.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("claim"))?;
        let household = find_row(&txn, row.household_id.into()).await?;
        require(actor, Action::ReviewClaim, &context_of(&txn, &household).await?)?;
        let now = self.clock.now();
        let claim = claim_of(row)?;
        let decided = if confirm {
            claim.confirm(actor.person, now)?
        } else {
            claim.reject(actor.person, now, reason.unwrap_or_default())?
        };
        save_decision(&txn, &decided).await?;
        // One owner, one person: the register's record of this owner becomes the claimant (decision 52).
        let merged = if confirm { imported_owner_of_claim(&txn, &decided).await? } else { None };
        let event = WireEvent::ClaimDecided {
            claim: decided.id.as_uuid(),
            person: decided.person.as_uuid(),
            relation: decided.relation.as_str().to_owned(),
            confirmed: confirm,
        };
        let fact = NewEvent::new(event, now, Audience::Private)
            .actor(Some(actor.person))
            .place(decided.household)
            .text("reason", Audience::Private, if confirm { "" } else { reason.unwrap_or_default() });
        crate::event_log::record(&txn, fact).await?;
        if let Some(record) = merged {
            let reason = "owner claim confirmed";
            let merge = merge_person(&txn, record, decided.person, actor.person, reason, now).await?;
            let event = WireEvent::PersonMerged { merge, from: record.as_uuid(), into: decided.person.as_uuid() };
            let fact = NewEvent::new(event, now, Audience::Staff)
                .actor(Some(actor.person))
                .place(decided.household)
                .text("reason", Audience::Staff, reason);
            crate::event_log::record(&txn, fact).await?;
        }
        // The claimant may have been given the role another way (a grant, an import) while the claim waited.
        if confirm && !holds_live(&txn, decided.person, decided.relation.role(), decided.household).await? {
            let grant =
                insert_grant(&txn, decided.person, decided.relation.role(), decided.household, Some(actor.person), now)
                    .await?;
            crate::roles::granted(&txn, &grant).await?;
        }
        txn.commit().await?;
        self.policy_changed().await;
        Ok(decided)
    }

    /// Only the claimant may withdraw, and only while pending; to anyone else the claim does not exist.
    #[instrument(skip_all)]
    pub async fn withdraw_claim(&self, actor: &Actor, claim: HouseholdClaimId) -> Result<HouseholdClaim> {
        let txn = self.write().await?;
        let row = household_claim::Entity::find_by_id(claim.as_uuid())
            .one(&txn)
            .await?
            .filter(|row| row.person_id == actor.person.as_uuid())
            .ok_or(Error::NotFound("claim"))?;
        let withdrawn = claim_of(row)?.withdraw(self.clock.now())?;
        save_decision(&txn, &withdrawn).await?;
        let event = WireEvent::ClaimWithdrawn { claim: withdrawn.id.as_uuid(), person: withdrawn.person.as_uuid() };
        let fact = NewEvent::new(event, self.clock.now(), Audience::Private)
            .actor(Some(actor.person))
            .place(withdrawn.household);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(withdrawn)
    }

    /// A claim as the viewer may see it: their own, or one they may review.
    pub async fn claim_for(&self, actor: &Actor, id: HouseholdClaimId) -> Result<HouseholdClaim> {
        let row =
            household_claim::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("claim"))?;
        if row.person_id != actor.person.as_uuid() {
            let household = find_row(&self.db, row.household_id.into()).await?;
            require(actor, Action::ReviewClaim, &context_of(&self.db, &household).await?)?;
            // Staff read the claimant's evidence: logged before it is shown (decision 141).
            let claimant = [PersonId::from_uuid(row.person_id)];
            log_reads(
                &self.db,
                self.clock.now(),
                actor.person,
                AccessKind::ClaimEvidence,
                claimant,
                Some(row.id),
                None,
            )
            .await?;
        }
        Ok(claim_of(row)?)
    }

    pub async fn my_claims(&self, actor: &Actor) -> Result<Vec<HouseholdClaim>> {
        Ok(self.claims_of_people(&[actor.person]).await?.remove(&actor.person).unwrap_or_default())
    }

    /// Each person's household claims, newest first (every person gets a list).
    pub async fn claims_of_people(&self, people: &[PersonId]) -> Result<HashMap<PersonId, Vec<HouseholdClaim>>> {
        let rows = household_claim::Entity::find()
            .filter(household_claim::Column::PersonId.is_in(people.iter().map(PersonId::as_uuid)))
            .order_by_desc(household_claim::Column::Id)
            .all(&self.db)
            .await?;
        let mut claims: HashMap<PersonId, Vec<HouseholdClaim>> = people.iter().map(|p| (*p, Vec::new())).collect();
        for row in rows {
            let claim = claim_of(row)?;
            claims.entry(claim.person).or_default().push(claim);
        }
        Ok(claims)
    }

    /// Pending claims on households within a place, for the staff who review them there.
    pub async fn pending_claims(&self, actor: &Actor, within: PlaceId, limit: u64) -> Result<Vec<HouseholdClaim>> {
        let row = find_row(&self.db, within).await?;
        require(actor, Action::ViewRegister, &context_of(&self.db, &row).await?)?;
        let column = match kind_of(&row)? {
            PlaceKind::City => place::Column::CityId,
            PlaceKind::District => place::Column::DistrictId,
            PlaceKind::Street => place::Column::StreetId,
            PlaceKind::Community => place::Column::CommunityId,
            PlaceKind::Compound => place::Column::CompoundId,
            PlaceKind::Building => place::Column::BuildingId,
            PlaceKind::Household => place::Column::Id,
        };
        let households = place::Entity::find()
            .select_only()
            .column(place::Column::Id)
            .filter(column.eq(within.as_uuid()))
            .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
            .into_query();
        let rows = household_claim::Entity::find()
            .filter(household_claim::Column::Status.eq("pending"))
            .filter(household_claim::Column::HouseholdId.in_subquery(households))
            .order_by_asc(household_claim::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let households: Vec<Uuid> = rows.iter().map(|row| row.household_id).collect();
        let contexts = contexts_of(&self.db, &households).await?;
        let mut claims = Vec::with_capacity(rows.len());
        for row in rows {
            let context = contexts.get(&row.household_id).ok_or(Error::NotFound("place"))?;
            // Register readers who may not review (building leaders, committee members) see nothing here.
            if require(actor, Action::ReviewClaim, context).is_ok() {
                claims.push(claim_of(row)?);
            }
        }
        let claimants = claims.iter().map(|claim| claim.person).filter(|person| *person != actor.person);
        let reference = Some(within.as_uuid());
        log_reads(&self.db, self.clock.now(), actor.person, AccessKind::ClaimEvidence, claimants, reference, None)
            .await?;
        Ok(claims)
    }
}
