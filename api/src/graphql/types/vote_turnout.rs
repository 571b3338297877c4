use async_graphql::SimpleObject;
use gongzhi_infra::vote_turnout::Turnout;
use gongzhi_infra::votes::VoteRecord;

/// How many have voted so far, whatever they chose: shown to whoever may see the vote, while it is open
/// too, even when its results (`Vote.result`) stay hidden until the close.
#[derive(SimpleObject)]
pub struct VoteTurnout {
    /// Ballots cast.
    ballots: u64,
    /// Owners' votes: owning parties that voted; household votes: households that voted; meetings:
    /// people who voted.
    heads: u64,
    /// Owners' votes: the exclusive area behind the ballots cast, in m² (two decimals).
    area_m2: Option<String>,
    /// Owners' votes: the compound's owners when the vote opened, for the 2/3 turnout rule.
    electorate_heads: Option<u64>,
    electorate_area_m2: Option<String>,
}

fn m2(centi: i64) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}

impl VoteTurnout {
    pub fn of(vote: &VoteRecord, turnout: Turnout) -> Self {
        VoteTurnout {
            ballots: turnout.ballots,
            heads: turnout.heads,
            area_m2: turnout.area_centi_m2.map(m2),
            electorate_heads: vote.electorate.map(|e| e.heads()),
            electorate_area_m2: vote.electorate.map(|e| m2(e.area_centi_m2())),
        }
    }
}
