//! The ballot roll of an owners' vote (表决情况公示): every unit on the roll taken at the opening, its area
//! and owning party, and whether and how it took part — in person, by proxy under a mandate, or on paper
//! entered by staff — with totals that add up to the tally. Organisers read it while the vote runs (no
//! choices); after the close every owner of the compound reads it, with the choices unless the vote is
//! secret (decision 50).

use chrono::{DateTime, Utc};
use gongzhi_domain::Denied;
use gongzhi_domain::ids::{MandateId, PersonId, PlaceId, VoteId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, NeededRole, require_any};
use gongzhi_domain::privacy::access::AccessKind;
use gongzhi_domain::role::Role;
use gongzhi_domain::vote::{BallotRefusal, Choice, Electorate, VoteKind};
use sea_orm::prelude::*;
use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
use tracing::instrument;

use crate::entities::{ballot, vote, vote_roll, vote_roll_owner};
use crate::mandates::{authorize_paper, compound_context, on_roll, owns_in};
use crate::rows::corrupt;
use crate::topics::{authorize_lead, leading, load_visible};
use crate::votes::{VoteRecord, vote_of};
use crate::{Error, Result, Store};

/// How a unit's ballot reached the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CastHow {
    /// By an owner of the unit, logged in.
    InPerson { voter: PersonId },
    /// By a proxy for `owner`, under the mandate (none for ballots from before mandates were records).
    Proxy { owner: PersonId, proxy: PersonId, mandate: Option<MandateId> },
    /// A signed paper ballot of `owner`, entered by staff with a note of its origin.
    Paper { owner: PersonId, entered_by: PersonId, note: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub how: CastHow,
    pub cast_at: DateTime<Utc>,
    /// `None` while the vote runs, and after it when the vote is secret.
    pub choice: Option<Choice>,
}

/// One unit of the roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollEntry {
    pub unit: PlaceId,
    pub area_centi_m2: i64,
    /// The owning party it counts under: one head per distinct key among the units that took part.
    pub party_key: String,
    /// Who could vote for it when the vote opened (empty: the developer without a representative, or an
    /// owner the register does not know).
    pub owners: Vec<PersonId>,
    pub took_part: Option<Participation>,
}

/// What the roll adds up to: the same sums the tally is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollTotals {
    pub electorate: Electorate,
    pub units_voted: u64,
    pub area_centi_m2: i64,
    pub heads: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollPage {
    pub entries: Vec<RollEntry>,
    pub has_next: bool,
    pub totals: RollTotals,
}

/// Organisers (the topic's leads, staff who enter paper ballots) at any time; after the close, every owner
/// of the compound (on the roll, or owning there now).
/// A refusal names the organisers' roles and, once the vote has closed, an owner's in the compound
/// (decision 61).
/// `Ok(true)` for an organiser, whose reads of the names are logged (decision 141); `Ok(false)` for an owner
/// after the close, who sees what every neighbour sees.
async fn authorize_roll(
    db: &impl ConnectionTrait,
    actor: &Actor,
    vote: &VoteRecord,
    now: DateTime<Utc>,
) -> Result<bool> {
    let loaded = load_visible(db, actor, vote.topic).await?;
    let compound = compound_context(db, vote.compound).await?;
    let organisers = [leading(&loaded), (Action::ActForOwnersCommittee, &compound), (Action::TriageTopic, &compound)];
    let refused = match require_any(actor, &organisers) {
        Ok(()) => return Ok(true),
        Err(Denied::Requires(needed)) => needed,
        Err(Denied::Hidden) => return Err(Denied::Hidden.into()),
        Err(_) => Vec::new(),
    };
    let closed = vote.window.is_closed(now);
    if closed && (on_roll(db, vote.id, actor.person).await? || owns_in(db, actor.person, vote.compound).await?) {
        return Ok(false);
    }
    let mut needed = refused;
    if closed {
        needed.push(NeededRole { role: Role::Owner, place: vote.compound, kind: PlaceKind::Compound, inside: true });
    }
    Err(if needed.is_empty() { Denied::Forbidden } else { Denied::Requires(needed) }.into())
}

fn participation(row: &ballot::Model, show_choice: bool) -> Result<Participation, DbErr> {
    let (owner, by) = (PersonId::from_uuid(row.person_id), PersonId::from_uuid(row.cast_by));
    let how = if row.mandate_id.is_some() || row.proxy_mandate.is_some() {
        CastHow::Proxy { owner, proxy: by, mandate: row.mandate_id.map(MandateId::from_uuid) }
    } else if row.paper {
        CastHow::Paper { owner, entered_by: by, note: row.note.clone() }
    } else {
        CastHow::InPerson { voter: by }
    };
    let choice =
        if show_choice { Some(Choice::parse(&row.choice).map_err(|_| corrupt("ballot", row.id))?) } else { None };
    Ok(Participation { how, cast_at: row.updated_at, choice })
}

impl Store {
    /// A page of an owners' vote's ballot roll, by unit, with the totals. `None` for other kinds of vote.
    #[instrument(skip_all)]
    pub async fn ballot_roll(
        &self,
        actor: &Actor,
        id: VoteId,
        after: Option<PlaceId>,
        limit: u64,
    ) -> Result<Option<RollPage>> {
        let now = self.clock.now();
        let row = vote::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("vote"))?;
        let vote = vote_of(&row)?;
        let (VoteKind::Owners(_), Some(electorate)) = (vote.kind, vote.electorate) else { return Ok(None) };
        let organiser = authorize_roll(&self.db, actor, &vote, now).await?;
        let show_choice = vote.window.is_closed(now) && !vote.secret_ballot;
        let mut units = vote_roll::Entity::find().filter(vote_roll::Column::VoteId.eq(id.as_uuid()));
        if let Some(after) = after {
            units = units.filter(vote_roll::Column::UnitId.gt(after.as_uuid()));
        }
        let mut units = units.order_by_asc(vote_roll::Column::UnitId).limit(limit + 1).all(&self.db).await?;
        let has_next = units.len() as u64 > limit;
        units.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let unit_ids: Vec<Uuid> = units.iter().map(|u| u.unit_id).collect();
        let ballots = if unit_ids.is_empty() {
            Vec::new()
        } else {
            ballot::Entity::find()
                .filter(ballot::Column::VoteId.eq(id.as_uuid()))
                .filter(ballot::Column::VoterKey.is_in(unit_ids.iter().map(Uuid::to_string)))
                .all(&self.db)
                .await?
        };
        let owners = if unit_ids.is_empty() {
            Vec::new()
        } else {
            vote_roll_owner::Entity::find()
                .filter(vote_roll_owner::Column::VoteId.eq(id.as_uuid()))
                .filter(vote_roll_owner::Column::UnitId.is_in(unit_ids.clone()))
                .order_by_asc(vote_roll_owner::Column::PersonId)
                .all(&self.db)
                .await?
        };
        let mut entries = Vec::with_capacity(units.len());
        for unit in units {
            let key = unit.unit_id.to_string();
            let took_part =
                ballots.iter().find(|b| b.voter_key == key).map(|b| participation(b, show_choice)).transpose()?;
            entries.push(RollEntry {
                unit: PlaceId::from_uuid(unit.unit_id),
                area_centi_m2: unit.area_centi_m2,
                party_key: unit.party_key,
                owners: owners
                    .iter()
                    .filter(|o| o.unit_id == unit.unit_id)
                    .map(|o| PersonId::from_uuid(o.person_id))
                    .collect(),
                took_part,
            });
        }
        let totals = self.roll_totals(id, electorate).await?;
        if organiser {
            // Every person the page names: the owners, and whoever cast a ballot for them.
            let named = entries.iter().flat_map(|entry| {
                let cast = entry.took_part.iter().flat_map(|p| match &p.how {
                    CastHow::InPerson { voter } => vec![*voter],
                    CastHow::Proxy { owner, proxy, .. } => vec![*owner, *proxy],
                    CastHow::Paper { owner, .. } => vec![*owner],
                });
                entry.owners.iter().copied().chain(cast)
            });
            let named: Vec<PersonId> = named.filter(|person| *person != actor.person).collect();
            crate::privacy::log_reads(
                &self.db,
                now,
                actor.person,
                AccessKind::BallotRoll,
                named,
                Some(id.as_uuid()),
                None,
            )
            .await?;
        }
        Ok(Some(RollPage { entries, has_next, totals }))
    }

    /// The ballots' sums over the whole vote, as the tally counts them: area summed, heads by distinct
    /// owning party.
    async fn roll_totals(&self, id: VoteId, electorate: Electorate) -> Result<RollTotals> {
        let sums: Option<(Option<i64>, i64, i64)> =
            crate::vote_results::with_ballot_totals(ballot::Entity::find().select_only())
                .filter(ballot::Column::VoteId.eq(id.as_uuid()))
                .into_tuple()
                .one(&self.db)
                .await?;
        let (area, heads, rows) = sums.unwrap_or((None, 0, 0));
        Ok(RollTotals {
            electorate,
            units_voted: u64::try_from(rows).unwrap_or(0),
            area_centi_m2: area.unwrap_or(0),
            heads: u64::try_from(heads).unwrap_or(0),
        })
    }

    /// The units of an owners' vote's roll whose owner the register did not know when it opened: each a
    /// head that cannot vote. For the organisers, to chase (decision 51). `None` for other kinds of vote.
    pub async fn unidentified_units(&self, actor: &Actor, id: VoteId) -> Result<Option<Vec<PlaceId>>> {
        let row = vote::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("vote"))?;
        let vote = vote_of(&row)?;
        if !matches!(vote.kind, VoteKind::Owners(_)) {
            return Ok(None);
        }
        let loaded = load_visible(&self.db, actor, vote.topic).await?;
        if authorize_lead(actor, &loaded).is_err() {
            let ctx = compound_context(&self.db, vote.compound).await?;
            authorize_paper(actor, &ctx)?;
        }
        let units: Vec<Uuid> = vote_roll::Entity::find()
            .select_only()
            .column(vote_roll::Column::UnitId)
            .filter(vote_roll::Column::VoteId.eq(id.as_uuid()))
            .filter(vote_roll::Column::PartyKey.starts_with(gongzhi_domain::vote::Owner::UNIDENTIFIED_PREFIX))
            .order_by_asc(vote_roll::Column::UnitId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(Some(units.into_iter().map(PlaceId::from_uuid).collect()))
    }

    /// The topic's leads make an owners' vote secret (or not) until the first ballot is cast: after the
    /// close, the roll of a secret vote shows who took part but not how each voted.
    #[instrument(skip_all)]
    pub async fn set_ballot_secrecy(&self, actor: &Actor, id: VoteId, secret: bool) -> Result<VoteRecord> {
        let txn = self.write().await?;
        // The vote's row, locked before ballots are counted: a ballot being cast holds it shared until it
        // commits, so the count below sees it, and a ballot arriving now waits and answers the new secrecy
        // (decision 81). Without the lock, a ballot not yet committed would be missed.
        let row =
            vote::Entity::find_by_id(id.as_uuid()).lock_exclusive().one(&txn).await?.ok_or(Error::NotFound("vote"))?;
        let mut vote = vote_of(&row)?;
        let loaded = load_visible(&txn, actor, vote.topic).await?;
        authorize_lead(actor, &loaded)?;
        let cast = ballot::Entity::find().filter(ballot::Column::VoteId.eq(id.as_uuid())).count(&txn).await?;
        if cast > 0 {
            return Err(Error::Ballot(BallotRefusal::BallotsCast));
        }
        vote::Entity::update_many()
            .col_expr(vote::Column::SecretBallot, Expr::value(secret))
            .filter(vote::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        let event = crate::event_log::wire::WireEvent::VoteSecrecySet { vote: id.as_uuid(), secret };
        let fact = crate::event_log::NewEvent::new(event, self.clock.now(), crate::event_log::Audience::Public)
            .actor(Some(actor.person))
            .topic(vote.topic)
            .vote(id)
            .place(vote.compound);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        vote.secret_ballot = secret;
        Ok(vote)
    }
}
