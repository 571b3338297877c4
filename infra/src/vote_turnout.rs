//! A vote's turnout — how many have voted, by head and by area — which anyone who may see the vote may
//! see while it is open, even when its results (the choices) stay hidden until the close (issue 15's
//! `voteProgress`). One statement: the ballots' totals over the whole vote, as the tally counts them.

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

impl Store {
    /// How many have voted in `vote`. Never the choices: they are `vote_result`'s, hidden as it says.
    pub async fn vote_turnout(&self, vote: &VoteRecord) -> Result<Turnout> {
        let totals: Option<(Option<i64>, i64, i64)> = with_ballot_totals(
            ballot::Entity::find().select_only().filter(ballot::Column::VoteId.eq(vote.id.as_uuid())),
        )
        .into_tuple()
        .one(&self.db)
        .await?;
        let (area, heads, rows) = totals.unwrap_or((None, 0, 0));
        let owners = matches!(vote.kind, gongzhi_domain::vote::VoteKind::Owners(_));
        Ok(Turnout {
            ballots: u64::try_from(rows).unwrap_or(0),
            heads: u64::try_from(heads).unwrap_or(0),
            area_centi_m2: owners.then_some(area.unwrap_or(0)),
        })
    }
}
