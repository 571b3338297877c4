//! Vote results: ballots summed by choice in the database and judged by the domain's rules, for one vote or
//! for a list of votes at once (two statements at most, whatever the list's length).

use std::collections::HashMap;

use gongzhi_domain::ids::VoteId;
use gongzhi_domain::vote::{
    BallotCount, Choice, DEFAULT_MEETING_QUORUM, MeetingTally, Tally, VoteKind, Weight, decide_household_vote,
    decide_meeting_vote, decide_owners_vote,
};
use sea_orm::prelude::*;
use sea_orm::{ExprTrait, PaginatorTrait, QuerySelect};

use crate::entities::{ballot, vote, vote_invitee};
use crate::votes::{VoteRecord, VoteResult, vote_of};
use crate::{Error, Result, Store};

/// One choice's ballots: the choice, their area (owners' votes), distinct owning parties or households,
/// and rows.
type Sum = (String, Option<i64>, i64, i64);

/// Ballots summed by choice (a batch adds the vote's id as a last column and groups by it too).
fn sums() -> Select<ballot::Entity> {
    with_ballot_totals(ballot::Entity::find().select_only().column(ballot::Column::Choice))
        .group_by(ballot::Column::Choice)
}

/// `select` with the ballots' sums as the tally counts them appended: area, distinct owning parties or
/// households (`heads`), and rows. The ballot roll's totals are these over the whole vote, so the two agree.
pub(crate) fn with_ballot_totals(select: Select<ballot::Entity>) -> Select<ballot::Entity> {
    select
        // PostgreSQL sums BIGINT into NUMERIC; the cast keeps the sum an exact 64-bit integer on both.
        .column_as(
            Expr::expr(sea_orm::sea_query::Func::cast_as(
                Expr::col(ballot::Column::AreaCentiM2).sum(),
                sea_orm::sea_query::Alias::new("BIGINT"),
            )),
            "area",
        )
        .column_as(Expr::col(ballot::Column::PartyKey).count_distinct(), "heads")
        .column_as(ballot::Column::Id.count(), "rows")
}

/// The verdict from a vote's sums and, for a meeting, how many were invited.
fn judge(vote: &VoteRecord, sums: &[Sum], invited: u64) -> Result<VoteResult> {
    let of = |choice: Choice| sums.iter().find(|(c, ..)| c == choice.as_str());
    let weight = |choice: Choice| -> Result<Weight> {
        let (area, heads) = of(choice).map_or((0, 0), |(_, area, heads, _)| (area.unwrap_or(0), *heads));
        Weight::new(area, u64::try_from(heads).unwrap_or(0)).map_err(|e| Error::Vote(e.to_string()))
    };
    let count = |choice: Choice| of(choice).map_or(0, |(.., rows)| u64::try_from(*rows).unwrap_or(0));
    let heads = |choice: Choice| of(choice).map_or(0, |(_, _, heads, _)| u64::try_from(*heads).unwrap_or(0));
    let vote_err = |e: gongzhi_domain::vote::VoteInvalid| Error::Vote(e.to_string());
    Ok(match vote.kind {
        VoteKind::Owners(matter) => {
            let electorate = vote.electorate.ok_or(Error::NotFound("electorate"))?;
            let tally = Tally::new(weight(Choice::For)?, weight(Choice::Against)?, weight(Choice::Abstain)?)
                .map_err(vote_err)?;
            VoteResult::Owners(Box::new(decide_owners_vote(matter, electorate, tally).map_err(vote_err)?))
        }
        VoteKind::Household => {
            let votes = BallotCount::new(heads(Choice::For), heads(Choice::Against), heads(Choice::Abstain))
                .map_err(vote_err)?;
            VoteResult::Household(decide_household_vote(votes))
        }
        VoteKind::Meeting => {
            let votes = BallotCount::new(count(Choice::For), count(Choice::Against), count(Choice::Abstain))
                .map_err(vote_err)?;
            // Without an attendance list, those who voted are those present.
            let tally = MeetingTally::new(invited, votes.cast(), votes).map_err(vote_err)?;
            VoteResult::Meeting(decide_meeting_vote(tally, DEFAULT_MEETING_QUORUM))
        }
    })
}

impl Store {
    /// The result, or `None` while the results are hidden. Summed by the database.
    pub async fn vote_result(&self, vote: &VoteRecord) -> Result<Option<VoteResult>> {
        if !vote.window.results_visible(vote.hide_results, self.clock.now()) {
            return Ok(None);
        }
        let sums: Vec<Sum> =
            sums().filter(ballot::Column::VoteId.eq(vote.id.as_uuid())).into_tuple().all(&self.db).await?;
        let invited = match vote.kind {
            VoteKind::Meeting => {
                vote_invitee::Entity::find()
                    .filter(vote_invitee::Column::VoteId.eq(vote.id.as_uuid()))
                    .count(&self.db)
                    .await?
            }
            _ => 0,
        };
        judge(vote, &sums, invited).map(Some)
    }

    /// The results of these votes whose results may be seen now; hidden ones are left out. Read with the
    /// votes themselves: the votes, their sums, and the invitees of the meetings among them.
    pub async fn vote_results(&self, ids: &[VoteId]) -> Result<HashMap<VoteId, VoteResult>> {
        let now = self.clock.now();
        let rows = vote::Entity::find().filter(vote::Column::Id.is_in(ids.iter().map(VoteId::as_uuid)));
        let mut votes = Vec::new();
        for row in rows.all(&self.db).await? {
            let vote = vote_of(&row)?;
            if vote.window.results_visible(vote.hide_results, now) {
                votes.push(vote);
            }
        }
        if votes.is_empty() {
            return Ok(HashMap::new());
        }
        let sums: Vec<(String, Option<i64>, i64, i64, Uuid)> = sums()
            .column(ballot::Column::VoteId)
            .group_by(ballot::Column::VoteId)
            .filter(ballot::Column::VoteId.is_in(votes.iter().map(|v| v.id.as_uuid())))
            .into_tuple()
            .all(&self.db)
            .await?;
        let meetings: Vec<Uuid> =
            votes.iter().filter(|v| v.kind == VoteKind::Meeting).map(|v| v.id.as_uuid()).collect();
        let invited: HashMap<Uuid, i64> = if meetings.is_empty() {
            HashMap::new()
        } else {
            vote_invitee::Entity::find()
                .select_only()
                .column(vote_invitee::Column::VoteId)
                .column_as(vote_invitee::Column::VoteId.count(), "n")
                .filter(vote_invitee::Column::VoteId.is_in(meetings))
                .group_by(vote_invitee::Column::VoteId)
                .into_tuple::<(Uuid, i64)>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect()
        };
        votes
            .iter()
            .map(|vote| {
                let id = vote.id.as_uuid();
                let own: Vec<Sum> = sums
                    .iter()
                    .filter(|(.., vote)| *vote == id)
                    .map(|(choice, area, heads, rows, _)| (choice.clone(), *area, *heads, *rows))
                    .collect();
                let invited = u64::try_from(invited.get(&id).copied().unwrap_or(0)).unwrap_or(0);
                Ok((vote.id, judge(vote, &own, invited)?))
            })
            .collect()
    }
}
