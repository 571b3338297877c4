//! A vote's turnout — how many have voted, by head and by area — which anyone who may see the vote may
//! see while it is open, even when its results (the choices) stay hidden until the close (issue 15's
//! `voteProgress`). One statement for a page of votes, however many it holds (decision 162): the
//! ballots' totals over each vote, as the tally counts them.

use std::collections::HashMap;

use gongzhi_domain::ids::VoteId;

use sea_orm::QuerySelect;
use sea_orm::prelude::*;

use crate::entities::ballot;
use crate::vote_results::with_ballot_totals;
use crate::votes::VoteRecord;
use crate::{Result, Store};

/// Ballots cast so far, whatever their choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turnout {
    /// Ballot rows (a household's, a person's at a meeting, an owning party's).
    pub ballots: u64,
    /// Distinct owning parties (owners' votes) or households (household votes) that voted.
    pub heads: u64,
    /// Owners' votes: the exclusive area behind the ballots, in 0.01 m².
    pub area_centi_m2: Option<i64>,
}

/// The ballots' totals of one vote as stored, before its kind says which of them it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BallotTotals {
    pub ballots: u64,
    pub heads: u64,
    pub area_centi_m2: i64,
}

impl Turnout {
    /// What `vote` shows of its totals: the area for owners' votes only.
    pub fn of(vote: &VoteRecord, totals: BallotTotals) -> Turnout {
        let owners = matches!(vote.kind, gongzhi_domain::vote::VoteKind::Owners(_));
        Turnout { ballots: totals.ballots, heads: totals.heads, area_centi_m2: owners.then_some(totals.area_centi_m2) }
    }
}

impl Store {
    /// How many have voted in `vote`. Never the choices: they are `vote_result`'s, hidden as it says.
    pub async fn vote_turnout(&self, vote: &VoteRecord) -> Result<Turnout> {
        let totals = self.ballot_totals(&[vote.id]).await?.remove(&vote.id).unwrap_or_default();
        Ok(Turnout::of(vote, totals))
    }

    /// The ballots' totals of each vote, in one statement; a vote without ballots has zeros. The caller
    /// has already decided the viewer may see these votes: turnout is shown to whoever sees the vote.
    pub async fn ballot_totals(&self, votes: &[VoteId]) -> Result<HashMap<VoteId, BallotTotals>> {
        let mut totals: HashMap<VoteId, BallotTotals> = votes.iter().map(|v| (*v, BallotTotals::default())).collect();
        if votes.is_empty() {
            return Ok(totals);
        }
        let rows: Vec<(Uuid, Option<i64>, i64, i64)> = with_ballot_totals(
            ballot::Entity::find()
                .select_only()
                .column(ballot::Column::VoteId)
                .filter(ballot::Column::VoteId.is_in(votes.iter().map(|v| v.as_uuid()))),
        )
        .group_by(ballot::Column::VoteId)
        .into_tuple()
        .all(&self.db)
        .await?;
        for (vote, area, heads, rows) in rows {
            totals.insert(
                VoteId::from_uuid(vote),
                BallotTotals {
                    ballots: u64::try_from(rows).unwrap_or(0),
                    heads: u64::try_from(heads).unwrap_or(0),
                    area_centi_m2: area.unwrap_or(0),
                },
            );
        }
        Ok(totals)
    }
}
