use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_infra::ballot_roll::{CastHow, Participation, RollEntry, RollTotals};

use super::enums::Choice;
use super::person::Person;
use super::place::Place;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, cursor, encode};

fn m2(centi: i64) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}

/// How a unit took part.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum CastMethod {
    /// An owner of the unit voted, logged in.
    InPerson,
    /// A proxy voted under the owner's mandate.
    Proxy,
    /// Staff entered the owner's signed paper ballot.
    Paper,
}

/// The sums the roll adds up to, the same the tally is judged on: a unit's area counts where it voted,
/// and heads are the distinct `partyKey`s among the units that voted.
#[derive(SimpleObject)]
pub struct BallotRollTotals {
    electorate_area_m2: String,
    electorate_heads: u64,
    units_voted: u64,
    voted_area_m2: String,
    voted_heads: u64,
}

impl From<RollTotals> for BallotRollTotals {
    fn from(t: RollTotals) -> Self {
        Self {
            electorate_area_m2: m2(t.electorate.area_centi_m2()),
            electorate_heads: t.electorate.heads(),
            units_voted: t.units_voted,
            voted_area_m2: m2(t.area_centi_m2),
            voted_heads: t.heads,
        }
    }
}

/// One unit of an owners' vote's roll (as taken at the opening).
pub struct BallotRollEntry(pub RollEntry);

/// How and when a unit's ballot was cast; `choice` only after the close of a vote that is not secret.
pub struct BallotRollParticipation(pub Participation);

#[Object]
impl BallotRollEntry {
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.unit).await.gql()?.map(Place))
    }

    async fn area_m2(&self) -> String {
        m2(self.0.area_centi_m2)
    }

    /// The owning party the unit counts under (`developer`; `unidentified:<unit>` for an owner the
    /// register does not know; else the owners' ids): one head per distinct key.
    async fn party_key(&self) -> &str {
        &self.0.party_key
    }

    /// Whose unit it is as the roll was taken: they may vote for it.
    async fn owners(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Person>> {
        let people = ctx.people()?.load_many(self.0.owners.iter().copied()).await.gql()?;
        Ok(self.0.owners.iter().filter_map(|id| people.get(id).cloned()).map(Person).collect())
    }

    /// `null`: the unit has not taken part.
    async fn took_part(&self) -> Option<BallotRollParticipation> {
        self.0.took_part.clone().map(BallotRollParticipation)
    }
}

#[Object]
impl BallotRollParticipation {
    async fn method(&self) -> CastMethod {
        match self.0.how {
            CastHow::InPerson { .. } => CastMethod::InPerson,
            CastHow::Proxy { .. } => CastMethod::Proxy,
            CastHow::Paper { .. } => CastMethod::Paper,
        }
    }

    /// Who cast it: the owner, the proxy, or the staff member who entered the paper ballot.
    async fn cast_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        let by = match &self.0.how {
            CastHow::InPerson { voter } => *voter,
            CastHow::Proxy { proxy, .. } => *proxy,
            CastHow::Paper { entered_by, .. } => *entered_by,
        };
        Ok(ctx.people()?.load_one(by).await.gql()?.map(Person))
    }

    /// Proxy ballots: the mandate they were cast under.
    async fn mandate_id(&self) -> Option<ID> {
        match &self.0.how {
            CastHow::Proxy { mandate: Some(mandate), .. } => Some(encode(NodeType::Mandate, *mandate)),
            _ => None,
        }
    }

    /// Paper ballots: where the paper came from.
    async fn note(&self) -> Option<&str> {
        match &self.0.how {
            CastHow::Paper { note, .. } => note.as_deref(),
            _ => None,
        }
    }

    async fn cast_at(&self) -> DateTime<Utc> {
        self.0.cast_at
    }

    async fn choice(&self) -> Option<Choice> {
        self.0.choice.map(Into::into)
    }
}

pub type BallotRoll = Connection<String, BallotRollEntry, BallotRollTotals>;

pub fn roll_connection(page: gongzhi_infra::ballot_roll::RollPage, has_previous: bool) -> BallotRoll {
    let mut connection = Connection::with_additional_fields(has_previous, page.has_next, page.totals.into());
    connection
        .edges
        .extend(page.entries.into_iter().map(|entry| Edge::new(cursor(entry.unit), BallotRollEntry(entry))));
    connection
}
