//! The credit record (诚信档案), the warning list and blacklist, and problem compounds, as clients see
//! them: public, every figure with what it was made of.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::credit::{CreditInputs, Input, centi_text};
use gongzhi_domain::accountability::decimal;
use gongzhi_domain::accountability::listing::{Reason, Status};
use gongzhi_domain::ids::CompanyId;
use gongzhi_infra::accountability::credit::CreditRecord as StoredRecord;
use gongzhi_infra::accountability::listings::Listing;
use gongzhi_infra::accountability::problem_compounds::ProblemCompound as StoredProblem;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::company::PropertyCompany;
use crate::graphql::types::place::Place;

async fn company(ctx: &Context<'_>, id: CompanyId) -> async_graphql::Result<PropertyCompany> {
    Ok(PropertyCompany(ctx.store().company(id).await.gql()?))
}

fn int(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// One input of a score.
#[derive(SimpleObject)]
pub struct CreditInput {
    /// `ratings`, `on_time`, `disclosures` or `surveys`.
    input: String,
    weight: i32,
    /// Out of 100, e.g. "75.00"; null when the quarter had no data for it (its weight then counts for nothing).
    value: Option<String>,
    /// What the value was made of, e.g. "12 ratings, mean 4.00" or "7 of 8".
    figures: Option<String>,
}

fn figures(input: Input, inputs: &CreditInputs) -> Option<String> {
    match input {
        Input::Ratings => inputs.ratings.map(|s| format!("{} ratings, mean {}", s.count, decimal(s.sum, s.count, 2))),
        Input::Surveys => {
            inputs.surveys.map(|s| format!("{} survey ratings, mean {}", s.count, decimal(s.sum, s.count, 2)))
        }
        Input::OnTime => inputs.on_time.map(|s| format!("{} of {} on time", s.part, s.whole)),
        Input::Disclosures => inputs.disclosures.map(|s| format!("{} of {} on time", s.part, s.whole)),
    }
}

pub struct CreditRecord(pub StoredRecord);

#[Object]
impl CreditRecord {
    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<PropertyCompany> {
        company(ctx, self.0.company).await
    }

    async fn quarter(&self) -> String {
        self.0.quarter.code()
    }

    /// Out of 100 to two decimals, e.g. "87.50"; null when the quarter had no data at all.
    async fn score(&self) -> Option<String> {
        self.0.score.score_centi.map(centi_text)
    }

    async fn inputs(&self) -> Vec<CreditInput> {
        self.0
            .score
            .parts
            .iter()
            .map(|p| CreditInput {
                input: p.input.code().to_owned(),
                weight: int(p.weight),
                value: p.value_centi.map(centi_text),
                figures: figures(p.input, &self.0.inputs),
            })
            .collect()
    }

    /// Points taken off for the quarter's letters, e.g. "7.00".
    async fn deduction(&self) -> String {
        centi_text(self.0.score.deduction_centi)
    }

    /// Reminder letters (提示函) received in the quarter.
    async fn reminders(&self) -> i32 {
        int(self.0.inputs.reminders)
    }

    /// Warning letters (警示函) received in the quarter.
    async fn warnings(&self) -> i32 {
        int(self.0.inputs.warnings)
    }

    /// Letters of either kind in the twelve months to the quarter's end: the warning list's measure.
    async fn letters_in_year(&self) -> i32 {
        int(self.0.letters_in_year)
    }

    /// Points off per reminder and per warning letter, as the city set them.
    async fn deduction_per_reminder(&self) -> String {
        centi_text(i64::from(self.0.weights.reminder_deduction_centi))
    }

    async fn deduction_per_warning(&self) -> String {
        centi_text(i64::from(self.0.weights.warning_deduction_centi))
    }

    async fn computed_at(&self) -> DateTime<Utc> {
        self.0.computed_at
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ListingStatus {
    /// On the warning list (警示名单).
    Warned,
    /// Told it will be blacklisted; may appeal until `appealUntil`.
    Noticed,
    /// On the blacklist (黑名单) until `blacklistedUntil`.
    Blacklisted,
    /// Off the list; kept as history.
    Lifted,
}

#[derive(SimpleObject)]
pub struct ListingReason {
    /// `score` (below the threshold) or `letters` (too many in twelve months).
    kind: String,
    /// The company's figure: the score ("55.25") or the letters ("4").
    figure: String,
    threshold: String,
}

pub struct CompanyListing(pub Listing);

#[Object]
impl CompanyListing {
    async fn id(&self) -> ID {
        encode(NodeType::CompanyListing, self.0.id)
    }

    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<PropertyCompany> {
        company(ctx, self.0.company).await
    }

    async fn status(&self) -> ListingStatus {
        match self.0.status {
            Status::Warned => ListingStatus::Warned,
            Status::Noticed { .. } => ListingStatus::Noticed,
            Status::Blacklisted { .. } => ListingStatus::Blacklisted,
            Status::Lifted { .. } => ListingStatus::Lifted,
        }
    }

    async fn reasons(&self) -> Vec<ListingReason> {
        self.0
            .reasons
            .iter()
            .map(|r| match r {
                Reason::Score { score_centi, threshold_centi } => ListingReason {
                    kind: "score".into(),
                    figure: centi_text(*score_centi),
                    threshold: centi_text(*threshold_centi),
                },
                Reason::Letters { letters, threshold } => ListingReason {
                    kind: "letters".into(),
                    figure: letters.to_string(),
                    threshold: threshold.to_string(),
                },
            })
            .collect()
    }

    /// The quarter whose figures listed it.
    async fn quarter(&self) -> String {
        self.0.quarter.code()
    }

    async fn listed_at(&self) -> DateTime<Utc> {
        self.0.listed_at
    }

    async fn notice_at(&self) -> Option<DateTime<Utc>> {
        self.0.notice_at
    }

    /// Why the district gave notice of blacklisting.
    async fn notice_reason(&self) -> Option<&str> {
        self.0.notice_reason.as_deref()
    }

    async fn appeal_until(&self) -> Option<DateTime<Utc>> {
        match self.0.status {
            Status::Noticed { appeal_until } => Some(appeal_until),
            _ => None,
        }
    }

    /// The company's appeal (申辩).
    async fn appeal(&self) -> Option<&str> {
        self.0.appeal.as_deref()
    }

    async fn appealed_at(&self) -> Option<DateTime<Utc>> {
        self.0.appealed_at
    }

    /// The district's answer to the appeal, given when blacklisting.
    async fn appeal_answer(&self) -> Option<&str> {
        self.0.appeal_answer.as_deref()
    }

    async fn blacklisted_at(&self) -> Option<DateTime<Utc>> {
        self.0.blacklisted_at
    }

    async fn blacklisted_until(&self) -> Option<DateTime<Utc>> {
        match self.0.status {
            Status::Blacklisted { until } => Some(until),
            _ => None,
        }
    }

    async fn lifted_at(&self) -> Option<DateTime<Utc>> {
        self.0.lifted_at
    }
}

pub struct ProblemCompound(pub StoredProblem);

#[Object]
impl ProblemCompound {
    async fn compound(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.compound).await.gql()?.map(Place))
    }

    async fn quarter(&self) -> String {
        self.0.quarter.code()
    }

    /// Topics and service requests raised in the quarter, a merged duplicate once.
    async fn complaints(&self) -> i32 {
        int(self.0.complaints)
    }

    async fn households(&self) -> i32 {
        int(self.0.households)
    }

    /// Complaints per 100 households, to two decimals.
    async fn per_hundred_households(&self) -> String {
        decimal(self.0.complaints * 100, self.0.households, 2)
    }

    /// In this quarter's top 5 % (a listed compound may stay listed a period below it).
    async fn in_cut(&self) -> bool {
        self.0.in_cut
    }

    /// Quarters in a row below the cut; two take it off the list.
    async fn periods_below(&self) -> i32 {
        int(self.0.periods_below)
    }

    /// 一院一案: the compound's rectification plan answering this listing (its latest up to this quarter).
    async fn rectification_plan(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::types::rectification::RectificationPlan>> {
        let plans = ctx.store().rectification_plans(self.0.compound).await.gql()?;
        Ok(plans
            .into_iter()
            .find(|p| p.plan.quarter <= self.0.quarter)
            .map(crate::graphql::types::rectification::RectificationPlan))
    }
}

/// A compound of the street served by a blacklisted company (seed 001: flagged to the street).
pub struct FlaggedCompound(pub gongzhi_domain::ids::PlaceId, pub CompanyId);

#[Object]
impl FlaggedCompound {
    async fn compound(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0).await.gql()?.map(Place))
    }

    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<PropertyCompany> {
        company(ctx, self.1).await
    }
}

/// What a quarter's computation did.
#[derive(SimpleObject)]
pub struct QuarterReport {
    pub quarter: String,
    /// Companies scored (those holding a contract in the city).
    pub companies: i32,
    /// Newly put on the warning list.
    pub listed: i32,
    /// Lifted off the list.
    pub lifted: i32,
    pub compounds: i32,
    pub problem_compounds: i32,
}
