use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::vote::{Choice as DomainChoice, Criterion as DomainCriterion, VoteKind};
use gongzhi_infra::vote_turnout::Turnout;
use gongzhi_infra::votes::{VoteRecord, VoteResult as InnerResult};

use super::enums::{Choice, OwnersMatter, Verdict, VoteType};
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::{BallotLoader, BallotTotalsLoader, VoteResultLoader};

/// A vote on a topic (表决).
pub struct Vote(
    pub VoteRecord,
    // The caller's own ballot when this request has just cast it for themselves: not read back.
    pub Option<DomainChoice>,
);

impl From<VoteRecord> for Vote {
    fn from(record: VoteRecord) -> Self {
        Self(record, None)
    }
}

/// One test a result had to pass: the share measured, the threshold, and whether it was met.
#[derive(SimpleObject)]
pub struct Criterion {
    /// turnout_area, turnout_heads, approval_area, approval_heads (owners); approval (households);
    /// quorum, majority (meetings).
    name: String,
    /// An exact fraction, e.g. "6/9".
    share: String,
    /// e.g. "≥ 2/3", "> 1/2".
    threshold: String,
    met: bool,
}

/// Ballots for one choice: how many (units' owning parties, households or people) and, for owners'
/// votes, the exclusive area behind them in m².
#[derive(SimpleObject)]
pub struct ChoiceCount {
    choice: Choice,
    count: u64,
    area_m2: Option<String>,
}

#[derive(SimpleObject)]
pub struct VoteResult {
    verdict: Verdict,
    criteria: Vec<Criterion>,
    counts: Vec<ChoiceCount>,
    /// Owners' votes: the compound's owners when the vote opened.
    electorate_area_m2: Option<String>,
    electorate_heads: Option<u64>,
}

fn criterion(name: &str, c: DomainCriterion) -> Criterion {
    Criterion { name: name.to_owned(), share: c.share.to_string(), threshold: c.threshold.to_string(), met: c.met }
}

fn m2(centi: i64) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}

fn result_of(result: InnerResult) -> VoteResult {
    let choices = [DomainChoice::For, DomainChoice::Against, DomainChoice::Abstain];
    match result {
        InnerResult::Owners(o) => VoteResult {
            verdict: o.verdict.into(),
            criteria: vec![
                criterion("turnout_area", o.turnout.area),
                criterion("turnout_heads", o.turnout.heads),
                criterion("approval_area", o.approval.area),
                criterion("approval_heads", o.approval.heads),
            ],
            counts: choices
                .into_iter()
                .map(|c| ChoiceCount {
                    choice: c.into(),
                    count: o.tally.of(c).heads(),
                    area_m2: Some(m2(o.tally.of(c).area_centi_m2())),
                })
                .collect(),
            electorate_area_m2: Some(m2(o.electorate.area_centi_m2())),
            electorate_heads: Some(o.electorate.heads()),
        },
        InnerResult::Household(h) => VoteResult {
            verdict: h.verdict.into(),
            criteria: vec![criterion("approval", h.approval)],
            counts: choices
                .into_iter()
                .map(|c| ChoiceCount { choice: c.into(), count: h.votes.of(c), area_m2: None })
                .collect(),
            electorate_area_m2: None,
            electorate_heads: None,
        },
        InnerResult::Meeting(m) => VoteResult {
            verdict: m.verdict.into(),
            criteria: vec![criterion("quorum", m.quorum), criterion("majority", m.majority)],
            counts: choices
                .into_iter()
                .map(|c| ChoiceCount { choice: c.into(), count: m.tally.votes().of(c), area_m2: None })
                .collect(),
            electorate_area_m2: None,
            electorate_heads: None,
        },
    }
}

#[Object]
impl Vote {
    pub async fn id(&self) -> ID {
        encode(NodeType::Vote, self.0.id)
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn r#type(&self) -> VoteType {
        match self.0.kind {
            VoteKind::Meeting => VoteType::Meeting,
            VoteKind::Household => VoteType::Household,
            VoteKind::Owners(_) => VoteType::Owners,
        }
    }

    /// Owners' votes: the art. 278 matter.
    async fn matter(&self) -> Option<OwnersMatter> {
        match self.0.kind {
            VoteKind::Owners(matter) => Some(matter.into()),
            _ => None,
        }
    }

    async fn opens_at(&self) -> DateTime<Utc> {
        self.0.window.opens_at
    }

    async fn closes_at(&self) -> DateTime<Utc> {
        self.0.window.closes_at
    }

    async fn hide_results(&self) -> bool {
        self.0.hide_results
    }

    async fn is_open(&self, ctx: &Context<'_>) -> bool {
        self.0.window.check_open(ctx.store().clock().now()).is_ok()
    }

    /// The logged-in person's current ballot (personal: never shared between people).
    async fn my_ballot(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Choice>> {
        if let Some(cast) = self.1 {
            // Just cast by this request for the viewer themselves: nothing to read back.
            return Ok(Some(cast.into()));
        }
        let Some(key) = ctx.mine(self.0.id).await? else { return Ok(None) };
        Ok(ctx.loader::<BallotLoader>()?.load_one(key).await.gql()?.flatten().map(Into::into))
    }

    /// After the close, the ballot roll shows who took part but not how each voted (`setBallotSecrecy`).
    async fn secret_ballot(&self) -> bool {
        self.0.secret_ballot
    }

    /// Owners' votes: the ballot roll (表决情况公示), unit by unit — who took part and how (in person, by
    /// proxy with the mandate, on paper with who entered it), choices only after the close and unless the
    /// vote is secret — and totals that add up to the tally. For the organisers (the topic's leads, staff
    /// who enter paper ballots) at any time, and after the close for every owner of the compound.
    /// `null` for other kinds of vote.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity + 1")]
    async fn ballot_roll(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Option<super::ballot_roll::BallotRoll>> {
        let actor = ctx.actor().await?;
        let crate::graphql::page::PageArgs { limit, after } = crate::graphql::page::page_args(first, after).gql()?;
        let limit = u64::try_from(limit).unwrap_or(u64::MAX);
        let page = ctx.store().ballot_roll(actor, self.0.id, after.map(Into::into), limit).await.gql()?;
        Ok(page.map(|page| super::ballot_roll::roll_connection(page, after.is_some())))
    }

    /// Owners' votes, for the organisers: the units whose owner the register did not know when the vote
    /// opened. Each counts as an owner by head and area but cannot vote until identified; chase them
    /// before the next vote. `null` for other kinds of vote.
    async fn unidentified_units(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<super::place::Place>>> {
        let actor = ctx.actor().await?;
        let Some(units) = ctx.store().unidentified_units(actor, self.0.id).await.gql()? else { return Ok(None) };
        let loaded = ctx.places()?.load_many(units.iter().copied()).await.gql()?;
        Ok(Some(units.iter().filter_map(|id| loaded.get(id).cloned()).map(super::place::Place).collect()))
    }

    /// How many have voted, by head and (owners' votes) by area: while the vote is open too, even when
    /// `result` is hidden; never the choices.
    async fn turnout(&self, ctx: &Context<'_>) -> async_graphql::Result<super::vote_turnout::VoteTurnout> {
        let totals = ctx.loader::<BallotTotalsLoader>()?.load_one(self.0.id).await.gql()?.unwrap_or_default();
        Ok(super::vote_turnout::VoteTurnout::of(&self.0, Turnout::of(&self.0, totals)))
    }

    /// `null` while results are hidden until the close.
    async fn result(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<VoteResult>> {
        let result = ctx.loader::<VoteResultLoader>()?.load_one(self.0.id).await.gql()?;
        Ok(result.flatten().map(result_of))
    }
}
