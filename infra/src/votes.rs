//! Votes on topics and their ballots. The owners' roll is taken when a vote opens; ballots are one row
//! per voter (unit, household or person) under a unique key, overwritten until the close; the tally is
//! summed and counted by the database and judged by `gongzhi_domain::vote`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gongzhi_domain::area::FloorArea;
use gongzhi_domain::ids::{MandateId, PersonId, PlaceId, TopicId, VoteId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, NeededRole, authorize};
use gongzhi_domain::role::Role;
use gongzhi_domain::vote::{
    BallotRefusal, Choice, Electorate, HouseholdOutcome, MandateRefusal, MeetingOutcome, Owner, OwnersRoll,
    StatutoryOutcome, Unit, VoteKind, VoteWindow, may_hold,
};
use gongzhi_domain::{Denied, Invalid};
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, JoinType, PaginatorTrait, QueryOrder, QuerySelect, QueryTrait, RelationDef,
};
use tracing::instrument;

use crate::entities::{
    ballot, compound_developer, developer_unit, person, place, role_grant, vote, vote_invitee, vote_roll,
    vote_roll_owner,
};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::mandates::mandate_for_ballot;
use crate::rows::corrupt;
use crate::topics::{authorize_lead, load_visible};
use crate::{Error, Result, Store, new_id};

#[derive(Debug, Clone)]
pub struct NewVote {
    pub topic: TopicId,
    pub kind: VoteKind,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub hide_results: bool,
    /// Meeting votes: the invited parties' people, the quorum's base.
    pub invitees: Vec<PersonId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRecord {
    pub id: VoteId,
    pub topic: TopicId,
    pub kind: VoteKind,
    pub title: String,
    pub compound: PlaceId,
    pub window: VoteWindow,
    pub hide_results: bool,
    /// After the close, the ballot roll shows who took part but not their choices.
    pub secret_ballot: bool,
    /// Owners' votes: the roll when the vote opened.
    pub electorate: Option<Electorate>,
}

/// How a ballot reaches the box.
#[derive(Debug, Clone)]
pub enum CastAs {
    /// The voter's own ballot (for a household vote, of this household if they belong to several).
    Myself { household: Option<PlaceId> },
    /// For an owner, under a mandate they gave (委托): the one named, or else the proxy's mandate from
    /// this owner that covers the vote.
    Proxy { owner: Option<PersonId>, mandate: Option<MandateId> },
    /// A paper ballot entered by staff, with a note saying where it came from.
    Paper { owner: PersonId, note: String },
    /// The developer's representative casts its one ballot, for all the units it holds (decision 51).
    ForDeveloper,
    /// Staff enter the developer's signed paper ballot, counted under its representative on the roll.
    DeveloperPaper { note: String },
}

/// The verdict and its reasons, once results may be seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoteResult {
    Owners(Box<StatutoryOutcome>),
    Household(HouseholdOutcome),
    Meeting(MeetingOutcome),
}

pub(crate) fn vote_of(row: &vote::Model) -> Result<VoteRecord, DbErr> {
    let bad = || corrupt("vote", row.id);
    let kind = VoteKind::parse(&row.kind, row.matter.as_deref()).map_err(|_| bad())?;
    let electorate = match (row.electorate_area, row.electorate_heads) {
        (Some(area), Some(heads)) => {
            Some(Electorate::new(area, u64::try_from(heads).map_err(|_| bad())?).map_err(|_| bad())?)
        }
        _ => None,
    };
    Ok(VoteRecord {
        id: VoteId::from_uuid(row.id),
        topic: TopicId::from_uuid(row.topic_id),
        kind,
        title: row.title.clone(),
        compound: PlaceId::from_uuid(row.compound_id),
        window: VoteWindow { opens_at: row.opens_at, closes_at: row.closes_at },
        hide_results: row.hide_results,
        secret_ballot: row.secret_ballot,
        electorate,
    })
}

/// Live owner grants on the compound's households: household → its owners.
async fn owners_by_unit(db: &impl ConnectionTrait, compound: PlaceId) -> Result<BTreeMap<Uuid, Vec<Uuid>>> {
    let households = place::Entity::find()
        .select_only()
        .column(place::Column::Id)
        .filter(place::Column::CompoundId.eq(compound.as_uuid()))
        .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
        .into_query();
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(Role::Owner.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(role_grant::Column::PlaceId.in_subquery(households))
        .all(db)
        .await?;
    let mut owners: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for grant in grants {
        owners.entry(grant.place_id).or_default().push(grant.person_id);
    }
    Ok(owners)
}

/// A compound's units as the register has them now: id, area and registered owners.
async fn units_of(db: &impl ConnectionTrait, compound: PlaceId) -> Result<Vec<(Uuid, FloorArea, Vec<Uuid>)>> {
    let units = place::Entity::find()
        .filter(place::Column::CompoundId.eq(compound.as_uuid()))
        .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
        .all(db)
        .await?;
    let mut owners = owners_by_unit(db, compound).await?;
    units
        .into_iter()
        .map(|unit| {
            let area = FloorArea::from_centi_m2(unit.area_centi_m2.unwrap_or_default())
                .map_err(|_| corrupt("area", unit.id))?;
            Ok((unit.id, area, owners.remove(&unit.id).unwrap_or_default()))
        })
        .collect()
}

/// Who counts for a unit, and who may vote for it (decision 51): a unit the register marks as the
/// developer's is the developer's (voted for by its representative, if one is recorded), whoever its
/// recorded buyer; a unit with registered owners is theirs; any other unit's owner is unidentified — a
/// head of its own that nobody can vote for until the register knows them.
fn owner_of(
    persons: &[Uuid],
    unit: Uuid,
    developer_held: bool,
    representative: Option<Uuid>,
) -> Result<(Owner, Vec<Uuid>)> {
    if developer_held {
        return Ok((Owner::developer(), representative.into_iter().collect()));
    }
    if persons.is_empty() {
        return Ok((Owner::unidentified(PlaceId::from_uuid(unit)), Vec::new()));
    }
    let owner = Owner::co_owners(persons.iter().copied().map(PersonId::from_uuid))
        .map_err(|_| Error::from(corrupt("owners", unit)))?;
    Ok((owner, persons.to_vec()))
}

/// Takes the roll when an owners' vote opens, unit by unit, so that sales or registrations during the vote
/// change neither who votes for a unit nor the electorate it is judged against.
async fn take_roll(db: &impl ConnectionTrait, vote: VoteId, compound: PlaceId) -> Result<Electorate> {
    let units = units_of(db, compound).await?;
    let developer_units: std::collections::BTreeSet<Uuid> = developer_unit::Entity::find()
        .filter(developer_unit::Column::CompoundId.eq(compound.as_uuid()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.unit_id)
        .collect();
    let representative = compound_developer::Entity::find_by_id(compound.as_uuid())
        .one(db)
        .await?
        .and_then(|developer| developer.representative_id);
    let mut roll = Vec::with_capacity(units.len());
    let mut unit_rows = Vec::with_capacity(units.len());
    let mut owner_rows = Vec::new();
    for (unit, area, persons) in &units {
        let (owner, voters) = owner_of(persons, *unit, developer_units.contains(unit), representative)?;
        unit_rows.push(vote_roll::ActiveModel {
            vote_id: Set(vote.as_uuid()),
            unit_id: Set(*unit),
            party_key: Set(owner.key()),
            area_centi_m2: Set(area.centi_m2()),
        });
        owner_rows.extend(voters.iter().map(|person| vote_roll_owner::ActiveModel {
            vote_id: Set(vote.as_uuid()),
            person_id: Set(*person),
            unit_id: Set(*unit),
        }));
        roll.push(Unit { id: PlaceId::from_uuid(*unit), area: *area, owner });
    }
    let electorate = OwnersRoll::new(roll).map_err(|e| Error::Vote(e.to_string()))?.electorate();
    // Inserted in slices: a large compound's roll would exceed the databases' bind-parameter limits at once.
    for chunk in unit_rows.chunks(1000) {
        vote_roll::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    for chunk in owner_rows.chunks(1000) {
        vote_roll_owner::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(electorate)
}

impl Store {
    /// Opens a vote on a topic under deliberation; the topic's leads decide. Records `vote_opened`.
    #[instrument(skip_all)]
    pub async fn open_vote(&self, actor: &Actor, input: NewVote) -> Result<VoteRecord> {
        let title = gongzhi_domain::person::bounded_text("title", &input.title, 60)?;
        let txn = self.write().await?;
        let loaded = load_visible(&txn, actor, input.topic).await?;
        authorize_lead(actor, &loaded)?;
        let now = self.clock.now();
        let window = VoteWindow::new(input.opens_at, input.closes_at, now).map_err(Error::Ballot)?;
        let compound = loaded.compound().ok_or(Error::NotFound("compound"))?;
        let id = VoteId::from_uuid(new_id());
        let event = loaded.topic().record_vote(actor.person, id, now)?;
        if input.kind == VoteKind::Meeting && input.invitees.is_empty() {
            return Err(Invalid::Required { field: "invitees" }.into());
        }
        let known = person::Entity::find()
            .filter(person::Column::Id.is_in(input.invitees.iter().map(|p| p.as_uuid())))
            .count(&txn)
            .await?;
        let distinct = input.invitees.iter().collect::<std::collections::BTreeSet<_>>().len();
        if known as usize != distinct {
            return Err(Error::NotFound("person"));
        }
        vote::ActiveModel {
            id: Set(id.as_uuid()),
            topic_id: Set(input.topic.as_uuid()),
            kind: Set(input.kind.code().to_owned()),
            matter: Set(match input.kind {
                VoteKind::Owners(matter) => Some(matter.as_str().to_owned()),
                _ => None,
            }),
            title: Set(title.clone()),
            compound_id: Set(compound.as_uuid()),
            opens_at: Set(window.opens_at),
            closes_at: Set(window.closes_at),
            hide_results: Set(input.hide_results),
            electorate_area: Set(None),
            electorate_heads: Set(None),
            created_by: Set(actor.person.as_uuid()),
            created_at: Set(now),
            closing_notice_at: Set(None),
            closed_logged_at: Set(None),
            secret_ballot: Set(false),
        }
        .insert(&txn)
        .await?;
        let electorate = match input.kind {
            VoteKind::Owners(_) => {
                let electorate = take_roll(&txn, id, compound).await?;
                vote::Entity::update_many()
                    .col_expr(vote::Column::ElectorateArea, Expr::value(electorate.area_centi_m2()))
                    .col_expr(
                        vote::Column::ElectorateHeads,
                        Expr::value(i64::try_from(electorate.heads()).unwrap_or(i64::MAX)),
                    )
                    .filter(vote::Column::Id.eq(id.as_uuid()))
                    .exec(&txn)
                    .await?;
                Some(electorate)
            }
            _ => None,
        };
        if input.kind == VoteKind::Meeting {
            let invitees = input.invitees.iter().collect::<std::collections::BTreeSet<_>>();
            let rows = invitees.into_iter().map(|person| vote_invitee::ActiveModel {
                vote_id: Set(id.as_uuid()),
                person_id: Set(person.as_uuid()),
            });
            vote_invitee::Entity::insert_many(rows).exec(&txn).await?;
        }
        crate::topics::append_event(&txn, &event).await?;
        let opened = WireEvent::VoteOpened {
            vote: id.as_uuid(),
            vote_kind: input.kind.code().to_owned(),
            opens_at: window.opens_at,
            closes_at: window.closes_at,
            hide_results: input.hide_results,
            electorate_heads: electorate.as_ref().map(|e| e.heads()),
            electorate_area_centi_m2: electorate.as_ref().map(|e| e.area_centi_m2()),
        };
        let fact = NewEvent::new(opened, now, Audience::Public)
            .actor(Some(actor.person))
            .topic(input.topic)
            .vote(id)
            .place(compound)
            .text("title", Audience::Public, &title);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(VoteRecord {
            id,
            topic: input.topic,
            kind: input.kind,
            title,
            compound,
            window,
            hide_results: input.hide_results,
            secret_ballot: false,
            electorate,
        })
    }

    pub async fn vote(&self, actor: &Actor, id: VoteId) -> Result<VoteRecord> {
        let row = vote::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("vote"))?;
        load_visible(&self.db, actor, TopicId::from_uuid(row.topic_id)).await?;
        Ok(vote_of(&row)?)
    }

    /// Casts (or changes) a ballot. The last ballot before the close counts.
    #[instrument(skip_all)]
    pub async fn cast_ballot(&self, actor: &Actor, id: VoteId, choice: Choice, cast_as: CastAs) -> Result<VoteRecord> {
        let txn = self.write().await?;
        let row = vote::Entity::find_by_id(id.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("vote"))?;
        let vote = vote_of(&row)?;
        // An invitee to a meeting vote (a lawyer, a deputy) votes whether or not they may see the topic.
        let invitee_voting = vote.kind == VoteKind::Meeting
            && matches!(cast_as, CastAs::Myself { .. })
            && vote_invitee::Entity::find_by_id((id.as_uuid(), actor.person.as_uuid())).one(&txn).await?.is_some();
        // So does the developer's representative, who need not live or serve in the compound.
        let representative_voting = matches!(cast_as, CastAs::ForDeveloper)
            && matches!(vote.kind, VoteKind::Owners(_))
            && developer_voter(&txn, id).await? == Some(actor.person);
        let loaded = if invitee_voting || representative_voting {
            None
        } else {
            Some(load_visible(&txn, actor, vote.topic).await?)
        };
        let now = self.clock.now();
        vote.window.check_open(now).map_err(Error::Ballot)?;
        let developer = matches!(cast_as, CastAs::ForDeveloper | CastAs::DeveloperPaper { .. });
        let (voter, mandate, paper_note, household) = match cast_as {
            CastAs::Myself { household } => (actor.person, None, None, household),
            CastAs::ForDeveloper => (actor.person, None, None, None),
            CastAs::Proxy { owner, mandate } => {
                // Mandates are for owners' votes; elsewhere there is nobody to vote for.
                let VoteKind::Owners(matter) = vote.kind else {
                    return Err(BallotRefusal::Mandate(MandateRefusal::NoMandate).into());
                };
                let mandate = mandate_for_ballot(&txn, actor.person, owner, mandate, &vote, now).await?;
                // Checked again as the ballot is cast: the proxy may have joined the company since.
                may_hold(&actor.grants, vote.compound, Some(matter)).map_err(BallotRefusal::Mandate)?;
                (mandate.owner, Some(mandate.id), None, None)
            }
            CastAs::Paper { owner, note } => {
                authorize_paper_entry(&txn, actor, &vote, loaded.as_ref()).await?;
                (owner, None, Some(gongzhi_domain::person::bounded_text("note", &note, 500)?), None)
            }
            CastAs::DeveloperPaper { note } => {
                authorize_paper_entry(&txn, actor, &vote, loaded.as_ref()).await?;
                let representative = developer_voter(&txn, id)
                    .await?
                    .ok_or(Invalid::Required { field: "the developer's representative" })?;
                (representative, None, Some(gongzhi_domain::person::bounded_text("note", &note, 500)?), None)
            }
        };
        let slots = match vote.kind {
            VoteKind::Owners(_) => owner_slots(&txn, id, voter, developer).await?,
            VoteKind::Household => household_slot(&txn, vote.compound, voter, household).await?,
            VoteKind::Meeting => {
                let invited = vote_invitee::Entity::find_by_id((id.as_uuid(), voter.as_uuid())).one(&txn).await?;
                if invited.is_none() {
                    return Err(Denied::Forbidden.into());
                }
                vec![Slot { voter_key: voter.as_uuid().to_string(), party_key: voter.as_uuid().to_string(), area: 0 }]
            }
        };
        if slots.is_empty() && voter != actor.person {
            // Entered for someone who owns nothing here: no role of the caller's would change that.
            return Err(Denied::Forbidden.into());
        }
        if slots.is_empty() {
            // Not an owner (or resident) of the compound: this vote is not theirs to cast. The refusal names
            // what would make it theirs, as every FORBIDDEN does (decision 61).
            let roles: &[Role] = match vote.kind {
                VoteKind::Household => &[Role::Resident, Role::Owner],
                _ => &[Role::Owner],
            };
            let needed = roles
                .iter()
                .map(|&role| NeededRole { role, place: vote.compound, kind: PlaceKind::Compound, inside: true })
                .collect();
            return Err(Denied::Requires(needed).into());
        }
        if mandate.is_some() || paper_note.is_some() {
            // The owner's own ballot stands: one cast in person is replaced by neither a proxy nor paper, and
            // one on paper they signed is not replaced by a proxy (decision 49).
            let mut own = ballot::Entity::find()
                .filter(ballot::Column::VoteId.eq(id.as_uuid()))
                .filter(ballot::Column::VoterKey.is_in(slots.iter().map(|s| s.voter_key.clone())))
                .filter(ballot::Column::MandateId.is_null());
            if paper_note.is_some() {
                own = own.filter(ballot::Column::CastBy.eq(voter.as_uuid()));
            }
            if own.count(&txn).await? > 0 {
                return Err(BallotRefusal::Mandate(MandateRefusal::OwnerVoted).into());
            }
        }
        if mandate.is_some() {
            // The other owners this proxy's ballots stand for: one more must fit under the cap.
            let others: Vec<Uuid> = ballot::Entity::find()
                .select_only()
                .column(ballot::Column::PersonId)
                .distinct()
                .filter(ballot::Column::VoteId.eq(id.as_uuid()))
                .filter(ballot::Column::CastBy.eq(actor.person.as_uuid()))
                .filter(ballot::Column::MandateId.is_not_null())
                .filter(ballot::Column::PersonId.ne(voter.as_uuid()))
                .into_tuple()
                .all(&txn)
                .await?;
            self.proxy_cap.admits(others.len() as u64).map_err(BallotRefusal::Mandate)?;
        }
        // Whether this replaces a ballot already cast for these units (told as superseded).
        let replaced = ballot::Entity::find()
            .filter(ballot::Column::VoteId.eq(id.as_uuid()))
            .filter(ballot::Column::VoterKey.is_in(slots.iter().map(|s| s.voter_key.clone())))
            .count(&txn)
            .await?
            > 0;
        let units = slots.len();
        let rows = slots.into_iter().map(|slot| ballot::ActiveModel {
            id: Set(new_id()),
            vote_id: Set(id.as_uuid()),
            voter_key: Set(slot.voter_key),
            party_key: Set(slot.party_key),
            person_id: Set(voter.as_uuid()),
            cast_by: Set(actor.person.as_uuid()),
            proxy_mandate: Set(None),
            mandate_id: Set(mandate.map(|m| m.as_uuid())),
            paper: Set(paper_note.is_some()),
            note: Set(paper_note.clone()),
            choice: Set(choice.as_str().to_owned()),
            area_centi_m2: Set(slot.area),
            cast_at: Set(now),
            updated_at: Set(now),
        });
        ballot::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([ballot::Column::VoteId, ballot::Column::VoterKey])
                    .update_columns([
                        ballot::Column::PartyKey,
                        ballot::Column::PersonId,
                        ballot::Column::CastBy,
                        ballot::Column::ProxyMandate,
                        ballot::Column::MandateId,
                        ballot::Column::Paper,
                        ballot::Column::Note,
                        ballot::Column::Choice,
                        ballot::Column::AreaCentiM2,
                        ballot::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        // The choice is the log's only while the vote is neither secret nor hiding its results.
        let told = (!vote.secret_ballot && !vote.hide_results).then(|| choice.as_str().to_owned());
        let (vote_id, voter_id) = (id.as_uuid(), voter.as_uuid());
        let event = match (&paper_note, replaced) {
            (Some(_), _) => WireEvent::BallotPaperEntered { vote: vote_id, voter: voter_id, units, choice: told },
            (None, false) => {
                let mandate = mandate.map(|m| m.as_uuid());
                WireEvent::BallotCast { vote: vote_id, voter: voter_id, units, mandate, choice: told }
            }
            (None, true) => {
                let mandate = mandate.map(|m| m.as_uuid());
                WireEvent::BallotSuperseded { vote: vote_id, voter: voter_id, units, mandate, choice: told }
            }
        };
        let mut fact = NewEvent::new(event, now, Audience::Participants)
            .actor(Some(actor.person))
            .topic(vote.topic)
            .vote(id)
            .place(vote.compound);
        if let Some(note) = &paper_note {
            fact = fact.text("note", Audience::Staff, note);
        }
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(vote)
    }

    /// The person's current ballot in a vote, if they cast one (for themselves).
    pub async fn my_ballot(&self, person: PersonId, vote: VoteId) -> Result<Option<Choice>> {
        let row = ballot::Entity::find()
            .filter(ballot::Column::VoteId.eq(vote.as_uuid()))
            .filter(ballot::Column::PersonId.eq(person.as_uuid()))
            .order_by_desc(ballot::Column::UpdatedAt)
            .one(&self.db)
            .await?;
        row.map(|r| Choice::parse(&r.choice).map_err(|_| Error::from(corrupt("ballot", r.id)))).transpose()
    }
}

/// Paper ballots are entered by those leading the topic, or by whoever acts for the owners' committee of
/// the compound.
async fn authorize_paper_entry(
    db: &impl ConnectionTrait,
    actor: &Actor,
    vote: &VoteRecord,
    loaded: Option<&crate::topics::Loaded>,
) -> Result<()> {
    let compound = crate::places::find_row(db, vote.compound).await?;
    let ctx = crate::places::context_of(db, &compound).await?;
    if authorize(actor, Action::ActForOwnersCommittee, &ctx).is_ok() {
        return Ok(());
    }
    authorize_lead(actor, loaded.ok_or(Error::NotFound("topic"))?)
}

/// Who votes for the developer's units on the roll of `vote`: its representative when the vote opened.
async fn developer_voter(db: &impl ConnectionTrait, vote: VoteId) -> Result<Option<PersonId>> {
    let developer_units = vote_roll::Entity::find()
        .select_only()
        .column(vote_roll::Column::UnitId)
        .filter(vote_roll::Column::VoteId.eq(vote.as_uuid()))
        .filter(vote_roll::Column::PartyKey.eq(Owner::DEVELOPER_KEY))
        .into_query();
    let voter = vote_roll_owner::Entity::find()
        .filter(vote_roll_owner::Column::VoteId.eq(vote.as_uuid()))
        .filter(vote_roll_owner::Column::UnitId.in_subquery(developer_units))
        .one(db)
        .await?;
    Ok(voter.map(|row| PersonId::from_uuid(row.person_id)))
}

struct Slot {
    voter_key: String,
    party_key: String,
    area: i64,
}

/// The units the person owned when the vote opened, each under its owning party's key: one statement.
/// `developer`: instead, the developer's units the person represents.
async fn owner_slots(db: &impl ConnectionTrait, vote: VoteId, person: PersonId, developer: bool) -> Result<Vec<Slot>> {
    let party = if developer {
        vote_roll::Column::PartyKey.eq(Owner::DEVELOPER_KEY)
    } else {
        vote_roll::Column::PartyKey.ne(Owner::DEVELOPER_KEY)
    };
    let owned: RelationDef = vote_roll::Entity::belongs_to(vote_roll_owner::Entity)
        .from((vote_roll::Column::VoteId, vote_roll::Column::UnitId))
        .to((vote_roll_owner::Column::VoteId, vote_roll_owner::Column::UnitId))
        .into();
    let roll = vote_roll::Entity::find()
        .join(JoinType::InnerJoin, owned)
        .filter(vote_roll::Column::VoteId.eq(vote.as_uuid()))
        .filter(vote_roll_owner::Column::PersonId.eq(person.as_uuid()))
        .filter(party)
        .all(db)
        .await?;
    Ok(roll
        .into_iter()
        .map(|unit| Slot { voter_key: unit.unit_id.to_string(), party_key: unit.party_key, area: unit.area_centi_m2 })
        .collect())
}

/// The household the person votes for: theirs in the compound, or the one named if they have several.
async fn household_slot(
    db: &impl ConnectionTrait,
    compound: PlaceId,
    person: PersonId,
    named: Option<PlaceId>,
) -> Result<Vec<Slot>> {
    let households = place::Entity::find()
        .select_only()
        .column(place::Column::Id)
        .filter(place::Column::CompoundId.eq(compound.as_uuid()))
        .filter(place::Column::Kind.eq(PlaceKind::Household.as_str()))
        .into_query();
    let mine: Vec<Uuid> = role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person.as_uuid()))
        .filter(role_grant::Column::Role.is_in([Role::Resident.as_str(), Role::Owner.as_str()]))
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(role_grant::Column::PlaceId.in_subquery(households))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.place_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let household = match (named, mine.as_slice()) {
        (Some(named), _) if mine.contains(&named.as_uuid()) => named.as_uuid(),
        (Some(_), _) => return Err(Denied::Forbidden.into()),
        (None, [only]) => *only,
        (None, []) => return Ok(Vec::new()),
        (None, _) => return Err(Invalid::Required { field: "householdId" }.into()),
    };
    Ok(vec![Slot { voter_key: household.to_string(), party_key: household.to_string(), area: 0 }])
}

impl From<BallotRefusal> for Error {
    fn from(refusal: BallotRefusal) -> Self {
        Error::Ballot(refusal)
    }
}
