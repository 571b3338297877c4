//! Proxy mandates (委托) as records: given by an owner in the app, or recorded by staff from a signed paper
//! with its scan; for one owners' vote or for the owners' votes of a compound over a period; revoked by
//! the owner until the proxy has used them. The rules are `gongzhi_domain::vote::mandate` (decision 49);
//! a proxy's ballot is checked against them in `votes.rs`.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{MandateId, PersonId, PlaceId, VoteId};
use gongzhi_domain::place::{PlaceContext, PlaceKind};
use gongzhi_domain::policy::{Action, Actor, authorize};
use gongzhi_domain::role::Role;
use gongzhi_domain::vote::{
    BallotRefusal, Mandate, MandateRefusal, MandateScope, MandateSource, MandateTerm, OwnersMatter, VoteKind, may_hold,
};
use gongzhi_domain::{Denied, Invalid};
use sea_orm::prelude::*;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ConnectionTrait, PaginatorTrait, QueryOrder, QuerySelect, QueryTrait};
use tracing::instrument;

use crate::entities::{ballot, person, place, role_grant, upload, vote, vote_mandate, vote_roll_owner};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::people::actor_of;
use crate::rows::corrupt;
use crate::topics::load_visible;
use crate::votes::{VoteRecord, vote_of};
use crate::{Error, Result, Store, new_id};

/// What a mandate is for, as asked.
#[derive(Debug, Clone, Copy)]
pub enum MandateFor {
    Vote(VoteId),
    /// Every owners' vote of the compound whose ballots fall in the period; `from` defaults to now.
    Period {
        compound: PlaceId,
        from: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
    },
}

/// A signed paper mandate staff record: the scan they uploaded, and a note (where the paper is kept).
#[derive(Debug, Clone)]
pub struct PaperMandate {
    pub owner: PersonId,
    pub scan_key: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewMandate {
    pub proxy: PersonId,
    pub scope: MandateFor,
    /// `None`: the logged-in owner gives it in the app.
    pub paper: Option<PaperMandate>,
}

/// A mandate as stored, with the compound it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateRecord {
    pub mandate: Mandate,
    pub compound: PlaceId,
}

pub(crate) fn mandate_of(row: &vote_mandate::Model) -> Result<MandateRecord, DbErr> {
    let bad = || corrupt("vote_mandate", row.id);
    let compound = PlaceId::from_uuid(row.compound_id);
    let scope = match (row.vote_id, row.valid_from, row.valid_until) {
        (Some(vote), _, _) => MandateScope::Vote(VoteId::from_uuid(vote)),
        (None, Some(from), Some(until)) => MandateScope::Period(MandateTerm { compound, from, until }),
        _ => return Err(bad()),
    };
    let source = match (row.source.as_str(), &row.scan_key, row.entered_by) {
        ("app", _, _) => MandateSource::App,
        ("paper", Some(scan), Some(by)) => {
            MandateSource::Paper { scan: scan.clone(), entered_by: PersonId::from_uuid(by) }
        }
        _ => return Err(bad()),
    };
    Ok(MandateRecord {
        mandate: Mandate {
            id: MandateId::from_uuid(row.id),
            owner: PersonId::from_uuid(row.owner_id),
            proxy: PersonId::from_uuid(row.proxy_id),
            scope,
            source,
            note: row.note.clone(),
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        },
        compound,
    })
}

fn refused(refusal: MandateRefusal) -> Error {
    Error::Ballot(BallotRefusal::Mandate(refusal))
}

/// The compound row and its policy context; a place that is not a compound is bad input.
pub(crate) async fn compound_context(db: &impl ConnectionTrait, compound: PlaceId) -> Result<PlaceContext> {
    let row = crate::places::find_row(db, compound).await?;
    if row.kind != PlaceKind::Compound.as_str() {
        return Err(Invalid::WrongPlaceKind { expected: "compound", given: "place" }.into());
    }
    crate::places::context_of(db, &row).await
}

/// Staff who may record paper mandates and enter paper ballots in the compound: whoever acts for its
/// owners' committee, and the community's staff and officers who lead its topics.
pub(crate) fn authorize_paper(actor: &Actor, ctx: &PlaceContext) -> Result<()> {
    if authorize(actor, Action::ActForOwnersCommittee, ctx).is_ok() {
        return Ok(());
    }
    Ok(authorize(actor, Action::TriageTopic, ctx)?)
}

/// Whether `person` owns a unit of the compound now (a live owner grant on one of its households).
pub(crate) async fn owns_in(db: &impl ConnectionTrait, person: PersonId, compound: PlaceId) -> Result<bool> {
    let households = Query::select()
        .column(place::Column::Id)
        .from(place::Entity)
        .and_where(place::Column::CompoundId.eq(compound.as_uuid()))
        .and_where(place::Column::Kind.eq(PlaceKind::Household.as_str()))
        .to_owned();
    let count = role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person.as_uuid()))
        .filter(role_grant::Column::Role.eq(Role::Owner.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(role_grant::Column::PlaceId.in_subquery(households))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// Whether `person` is on the roll of the owners' vote (owned a unit when it opened).
pub(crate) async fn on_roll(db: &impl ConnectionTrait, vote: VoteId, person: PersonId) -> Result<bool> {
    let count = vote_roll_owner::Entity::find()
        .filter(vote_roll_owner::Column::VoteId.eq(vote.as_uuid()))
        .filter(vote_roll_owner::Column::PersonId.eq(person.as_uuid()))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// An owners' vote still taking ballots (or not yet open), with its matter.
fn owners_vote(vote: &VoteRecord, now: DateTime<Utc>) -> Result<OwnersMatter> {
    let VoteKind::Owners(matter) = vote.kind else {
        return Err(Invalid::UnknownValue { field: "vote type", given: vote.kind.code().to_owned() }.into());
    };
    if vote.window.is_closed(now) {
        return Err(Error::Ballot(BallotRefusal::Closed { closed_at: vote.window.closes_at }));
    }
    Ok(matter)
}

impl Store {
    /// Gives (in the app, as the owner) or records (staff, from a signed paper) a proxy mandate. A live
    /// mandate of the same owner to the same proxy for the same vote is answered as it stands.
    #[instrument(skip_all)]
    pub async fn grant_mandate(&self, actor: &Actor, input: NewMandate) -> Result<MandateRecord> {
        let txn = self.write().await?;
        let now = self.clock.now();
        let owner = input.paper.as_ref().map_or(actor.person, |paper| paper.owner);
        let (vote, compound, matter, term) = match input.scope {
            MandateFor::Vote(id) => {
                let row = vote::Entity::find_by_id(id.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("vote"))?;
                let vote = vote_of(&row)?;
                load_visible(&txn, actor, vote.topic).await?;
                let matter = owners_vote(&vote, now)?;
                (Some(id), vote.compound, Some(matter), None)
            }
            MandateFor::Period { compound, from, until } => {
                let term = MandateTerm::new(compound, from.unwrap_or(now), until, now)?;
                (None, compound, None, Some(term))
            }
        };
        let ctx = compound_context(&txn, compound).await?;
        if let Some(paper) = &input.paper {
            authorize_paper(actor, &ctx)?;
            let scan = upload::Entity::find_by_id(paper.scan_key.clone()).one(&txn).await?;
            if scan.is_none_or(|scan| scan.person_id != actor.person.as_uuid()) {
                return Err(Error::NotFound("upload"));
            }
        }
        // The owner gives what is theirs to give: a place on this vote's roll, or units in the compound.
        let owns = match vote {
            Some(vote) => on_roll(&txn, vote, owner).await?,
            None => owns_in(&txn, owner, compound).await?,
        };
        if !owns {
            return Err(Denied::Forbidden.into());
        }
        if input.proxy == owner {
            return Err(Invalid::UnknownValue { field: "proxyId", given: "the owner themselves".to_owned() }.into());
        }
        if person::Entity::find_by_id(input.proxy.as_uuid()).one(&txn).await?.is_none() {
            return Err(Error::NotFound("person"));
        }
        let proxy = actor_of(&txn, input.proxy).await?;
        may_hold(&proxy.grants, compound, matter).map_err(refused)?;
        if let Some(vote) = vote {
            let held: Vec<vote_mandate::Model> = vote_mandate::Entity::find()
                .filter(vote_mandate::Column::VoteId.eq(vote.as_uuid()))
                .filter(vote_mandate::Column::ProxyId.eq(input.proxy.as_uuid()))
                .filter(vote_mandate::Column::RevokedAt.is_null())
                .all(&txn)
                .await?;
            if let Some(same) = held.iter().find(|m| m.owner_id == owner.as_uuid()) {
                return Ok(mandate_of(same)?);
            }
            let owners = held.iter().map(|m| m.owner_id).collect::<std::collections::BTreeSet<_>>();
            self.proxy_cap.admits(owners.len() as u64).map_err(refused)?;
        }
        let note = match input.paper.as_ref().and_then(|p| p.note.as_deref()) {
            Some(note) => Some(gongzhi_domain::person::bounded_text("note", note, 500)?),
            None => None,
        };
        let row = vote_mandate::ActiveModel {
            id: Set(new_id()),
            owner_id: Set(owner.as_uuid()),
            proxy_id: Set(input.proxy.as_uuid()),
            vote_id: Set(vote.map(|v| v.as_uuid())),
            compound_id: Set(compound.as_uuid()),
            valid_from: Set(term.map(|t| t.from)),
            valid_until: Set(term.map(|t| t.until)),
            source: Set(if input.paper.is_some() { "paper" } else { "app" }.to_owned()),
            scan_key: Set(input.paper.as_ref().map(|p| p.scan_key.clone())),
            entered_by: Set(input.paper.as_ref().map(|_| actor.person.as_uuid())),
            note: Set(note),
            created_at: Set(now),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        let event = WireEvent::MandateGranted {
            mandate: row.id,
            owner: row.owner_id,
            proxy: row.proxy_id,
            vote: row.vote_id,
            source: row.source.clone(),
        };
        let mut fact = NewEvent::new(event, now, Audience::Private).actor(Some(actor.person)).place(compound);
        if let Some(vote) = row.vote_id {
            fact = fact.vote(gongzhi_domain::ids::VoteId::from_uuid(vote));
        }
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(mandate_of(&row)?)
    }

    /// The owner revokes a mandate (or staff who may record paper mandates, for an owner who asks them).
    /// Refused once the proxy has voted under it in a vote still open: the owner then votes themselves.
    #[instrument(skip_all)]
    pub async fn revoke_mandate(&self, actor: &Actor, id: MandateId) -> Result<MandateRecord> {
        let txn = self.write().await?;
        let now = self.clock.now();
        let row = vote_mandate::Entity::find_by_id(id.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("mandate"))?;
        let mut record = mandate_of(&row)?;
        if record.mandate.owner != actor.person {
            let ctx = compound_context(&txn, record.compound).await?;
            authorize_paper(actor, &ctx).map_err(|_| Error::NotFound("mandate"))?;
        }
        let open_votes = vote::Entity::find()
            .select_only()
            .column(vote::Column::Id)
            .filter(vote::Column::ClosesAt.gt(now))
            .into_query();
        let used = ballot::Entity::find()
            .filter(ballot::Column::MandateId.eq(id.as_uuid()))
            .filter(ballot::Column::VoteId.in_subquery(open_votes))
            .count(&txn)
            .await?;
        record.mandate.revoke(used > 0, now).map_err(refused)?;
        let updated = vote_mandate::Entity::update_many()
            .col_expr(vote_mandate::Column::RevokedAt, Expr::value(now))
            .filter(vote_mandate::Column::Id.eq(id.as_uuid()))
            .filter(vote_mandate::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(refused(MandateRefusal::Revoked));
        }
        let event = WireEvent::MandateRevoked { mandate: row.id, owner: row.owner_id, proxy: row.proxy_id };
        let fact = NewEvent::new(event, now, Audience::Private).actor(Some(actor.person)).place(record.compound);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// A mandate, to its owner, its proxy, and staff who may record paper mandates in its compound.
    pub async fn mandate(&self, actor: &Actor, id: MandateId) -> Result<MandateRecord> {
        let row =
            vote_mandate::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("mandate"))?;
        let record = mandate_of(&row)?;
        if record.mandate.owner != actor.person && record.mandate.proxy != actor.person {
            let ctx = compound_context(&self.db, record.compound).await?;
            authorize_paper(actor, &ctx).map_err(|_| Error::NotFound("mandate"))?;
        }
        Ok(record)
    }

    /// Mandates by id, as recorded (no policy: for rows the caller was already allowed to see).
    pub async fn mandates_by_id(&self, ids: &[MandateId]) -> Result<Vec<MandateRecord>> {
        let rows = vote_mandate::Entity::find()
            .filter(vote_mandate::Column::Id.is_in(ids.iter().map(MandateId::as_uuid)))
            .all(&self.db)
            .await?;
        Ok(rows.iter().map(mandate_of).collect::<Result<Vec<_>, DbErr>>()?)
    }

    /// The mandates the person gave or holds, newest first.
    pub async fn my_mandates(&self, person: PersonId) -> Result<Vec<MandateRecord>> {
        let rows = vote_mandate::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(vote_mandate::Column::OwnerId.eq(person.as_uuid()))
                    .add(vote_mandate::Column::ProxyId.eq(person.as_uuid())),
            )
            .order_by_desc(vote_mandate::Column::CreatedAt)
            .limit(200)
            .all(&self.db)
            .await?;
        Ok(rows.iter().map(mandate_of).collect::<Result<Vec<_>, DbErr>>()?)
    }
}

/// The mandate under which `proxy` casts `owner`'s ballot in `vote` now: the one named, or else the
/// proxy's mandates from that owner that could cover the vote, a live one first. Refused as the domain
/// says: none covers it, or the one that would is revoked.
pub(crate) async fn mandate_for_ballot(
    db: &impl ConnectionTrait,
    proxy: PersonId,
    owner: Option<PersonId>,
    named: Option<MandateId>,
    vote: &VoteRecord,
    now: DateTime<Utc>,
) -> Result<Mandate> {
    let mut query = vote_mandate::Entity::find()
        .filter(vote_mandate::Column::ProxyId.eq(proxy.as_uuid()))
        .filter(vote_mandate::Column::CompoundId.eq(vote.compound.as_uuid()));
    match (named, owner) {
        (Some(id), _) => query = query.filter(vote_mandate::Column::Id.eq(id.as_uuid())),
        (None, Some(owner)) => query = query.filter(vote_mandate::Column::OwnerId.eq(owner.as_uuid())),
        (None, None) => return Err(Invalid::Required { field: "onBehalfOf" }.into()),
    }
    let mut found = Err(MandateRefusal::NoMandate);
    for row in query.all(db).await? {
        let record = mandate_of(&row)?;
        if owner.is_some_and(|owner| owner != record.mandate.owner) {
            continue;
        }
        match record.mandate.covers(vote.id, vote.compound, now) {
            Ok(()) => return Ok(record.mandate),
            // A revoked mandate explains a refusal better than none at all.
            Err(refusal @ MandateRefusal::Revoked) => found = Err(refusal),
            Err(_) => {}
        }
    }
    found.map_err(refused)
}
