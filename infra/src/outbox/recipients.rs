//! Who a notice goes to, as a query rather than a list: a community-wide fan-out is paged through the
//! database in batches, so no one holds every recipient in memory at once.

use gongzhi_domain::ids::{MeetingId, PersonId, TopicId, VoteId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::role::Role;
use gongzhi_domain::topic::Party;
use gongzhi_domain::vote::VoteKind;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{Condition, ConnectionTrait, QuerySelect, QueryTrait};

use crate::entities::{
    ballot, meeting_attendee, person, place, role_grant, topic, topic_co_signature, vote, vote_invitee, vote_roll_owner,
};
use crate::{Error, Result};

/// The column every recipient query yields.
pub(crate) const PERSON: &str = "person_id";

#[derive(Debug, Clone)]
pub(crate) enum Recipients {
    /// A few named people (an explanation's requester).
    People(Vec<PersonId>),
    /// Everyone invited to a meeting.
    Invitees(MeetingId),
    /// The author and co-signers of a topic: the people who raised it.
    Raisers(TopicId),
    /// Everyone who may vote.
    Roll(VoteId),
    /// Everyone who may vote and has not.
    NotYetVoted(VoteId),
    /// The people acting for a party on the topic's compound and community.
    Party { party: Party, topic: TopicId },
    /// The residents and owners of a compound's households (a survey to answer).
    Households(gongzhi_domain::ids::PlaceId),
}

impl Recipients {
    /// A query yielding `person_id`, possibly with repeats.
    pub(crate) async fn query(&self, db: &impl ConnectionTrait) -> Result<SelectStatement> {
        Ok(match self {
            Recipients::People(people) => person::Entity::find()
                .select_only()
                .column_as(person::Column::Id, PERSON)
                .filter(person::Column::Id.is_in(people.iter().map(|p| p.as_uuid())))
                .into_query(),
            Recipients::Raisers(id) => {
                let mut authors = topic::Entity::find()
                    .select_only()
                    .column_as(topic::Column::SubmitterId, PERSON)
                    .filter(topic::Column::Id.eq(id.as_uuid()))
                    .into_query();
                let co_signers = topic_co_signature::Entity::find()
                    .select_only()
                    .column_as(topic_co_signature::Column::PersonId, PERSON)
                    .filter(topic_co_signature::Column::TopicId.eq(id.as_uuid()))
                    .into_query();
                authors.union(UnionType::All, co_signers);
                authors
            }
            Recipients::Invitees(id) => meeting_attendee::Entity::find()
                .select_only()
                .column_as(meeting_attendee::Column::PersonId, PERSON)
                .filter(meeting_attendee::Column::MeetingId.eq(id.as_uuid()))
                .filter(meeting_attendee::Column::InvitedAt.is_not_null())
                .into_query(),
            Recipients::Roll(id) => roll(db, *id).await?,
            Recipients::NotYetVoted(id) => {
                let voted = ballot::Entity::find()
                    .select_only()
                    .column(ballot::Column::PersonId)
                    .filter(ballot::Column::VoteId.eq(id.as_uuid()))
                    .into_query();
                let mut query = Query::select();
                query
                    .column(Alias::new(PERSON))
                    .from_subquery(roll(db, *id).await?, Alias::new("roll"))
                    .and_where(Expr::col(Alias::new(PERSON)).not_in_subquery(voted));
                query
            }
            Recipients::Party { party, topic } => party_members(db, *party, *topic).await?,
            Recipients::Households(compound) => grants_of(&[Role::Resident, Role::Owner])
                .filter(role_grant::Column::PlaceId.in_subquery(places_in(compound.as_uuid(), PlaceKind::Household)))
                .into_query(),
        })
    }
}

async fn roll(db: &impl ConnectionTrait, id: VoteId) -> Result<SelectStatement> {
    let row = vote::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("vote"))?;
    let kind = VoteKind::parse(&row.kind, row.matter.as_deref()).map_err(|_| crate::rows::corrupt("vote", row.id))?;
    Ok(match kind {
        VoteKind::Owners(_) => vote_roll_owner::Entity::find()
            .select_only()
            .column_as(vote_roll_owner::Column::PersonId, PERSON)
            .filter(vote_roll_owner::Column::VoteId.eq(id.as_uuid()))
            .into_query(),
        VoteKind::Meeting => vote_invitee::Entity::find()
            .select_only()
            .column_as(vote_invitee::Column::PersonId, PERSON)
            .filter(vote_invitee::Column::VoteId.eq(id.as_uuid()))
            .into_query(),
        VoteKind::Household => grants_of(&[Role::Resident, Role::Owner])
            .filter(role_grant::Column::PlaceId.in_subquery(places_in(row.compound_id, PlaceKind::Household)))
            .into_query(),
    })
}

/// The ids of the compound's places of one kind (its buildings, its households).
fn places_in(compound: Uuid, kind: PlaceKind) -> SelectStatement {
    place::Entity::find()
        .select_only()
        .column(place::Column::Id)
        .filter(place::Column::CompoundId.eq(compound))
        .filter(place::Column::Kind.eq(kind.as_str()))
        .into_query()
}

fn grants_of(roles: &[Role]) -> Select<role_grant::Entity> {
    role_grant::Entity::find()
        .select_only()
        .column_as(role_grant::Column::PersonId, PERSON)
        .filter(role_grant::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .filter(role_grant::Column::RevokedAt.is_null())
}

/// The people the policy lets act for the party on the topic's place: live grants of the roles
/// `Party::acting_roles` names for the compound as it stands (so the 代行 rule is the policy's), each
/// where its role sits — the compound's community, the compound, or its buildings — and property roles
/// only under the company holding the compound's contract.
async fn party_members(db: &impl ConnectionTrait, party: Party, id: TopicId) -> Result<SelectStatement> {
    let row = topic::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("topic"))?;
    let compound = place::Entity::find_by_id(row.compound_id).one(db).await?.ok_or(Error::NotFound("place"))?;
    let facts = crate::places::compound_facts(db, &compound).await?;
    let roles = party.acting_roles(&facts);
    let mut held = Condition::any();
    for role in roles {
        let mut grant = Condition::all().add(role_grant::Column::Role.eq(role.as_str()));
        grant = match role.scope() {
            PlaceKind::Community => grant.add(role_grant::Column::PlaceId.eq(row.community_id)),
            PlaceKind::Compound => grant.add(role_grant::Column::PlaceId.eq(row.compound_id)),
            PlaceKind::Building => {
                grant.add(role_grant::Column::PlaceId.in_subquery(places_in(row.compound_id, PlaceKind::Building)))
            }
            // No party acts through a role granted above the community or on a household.
            _ => continue,
        };
        if role.is_property() {
            let Some(company) = facts.property_company else { continue };
            grant = grant.add(role_grant::Column::CompanyId.eq(company.as_uuid()));
        }
        held = held.add(grant);
    }
    // With no role left (property roles and no contract) `held` is an empty OR, which is false: nobody.
    Ok(grants_of(roles).filter(held).into_query())
}
