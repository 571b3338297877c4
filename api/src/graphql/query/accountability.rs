//! Reading accountability records: surveys of a compound, a company's credit record and listings, a
//! city's warning list, blacklist and problem compounds, and the compounds flagged to a street.

use async_graphql::{Context, ID, Object};
use gongzhi_domain::accountability::Quarter;
use gongzhi_domain::ids::{CompanyId, ListingId, PlaceId, SurveyId};
use gongzhi_domain::policy::{Action, require};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::credit::{CompanyListing, CreditRecord, FlaggedCompound, ProblemCompound};
use crate::graphql::types::survey::Survey;

#[derive(Default)]
pub struct AccountabilityQuery;

fn quarter(code: &str) -> async_graphql::Result<Quarter> {
    Quarter::parse(code).map_err(|e| crate::error::ApiError::Accountability(e).into_graphql())
}

#[Object]
impl AccountabilityQuery {
    /// A satisfaction survey, for whoever sees its compound's topics: its questions, count and (once
    /// closed and answered by enough households) aggregate results. No query returns a single response.
    async fn survey(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Survey> {
        let actor = ctx.actor().await?;
        let id: SurveyId = decode(NodeType::Survey, &id).gql()?;
        Ok(Survey(ctx.store().survey(actor, id).await.gql()?))
    }

    /// A compound's surveys, newest first.
    async fn surveys(&self, ctx: &Context<'_>, compound_id: ID) -> async_graphql::Result<Vec<Survey>> {
        let actor = ctx.actor().await?;
        let compound: PlaceId = decode(NodeType::Place, &compound_id).gql()?;
        Ok(ctx.store().surveys_of(actor, compound).await.gql()?.into_iter().map(Survey).collect())
    }

    /// A company's credit record (诚信档案), newest quarter first: public to everyone logged in.
    async fn credit_records(&self, ctx: &Context<'_>, company_id: ID) -> async_graphql::Result<Vec<CreditRecord>> {
        ctx.actor().await?;
        let company: CompanyId = decode(NodeType::PropertyCompany, &company_id).gql()?;
        Ok(ctx.store().credit_records(company).await.gql()?.into_iter().map(CreditRecord).collect())
    }

    /// A city's warning list and blacklist with their reasons (public); `includeLifted` adds the history.
    async fn company_listings(
        &self,
        ctx: &Context<'_>,
        city_id: ID,
        include_lifted: Option<bool>,
    ) -> async_graphql::Result<Vec<CompanyListing>> {
        ctx.actor().await?;
        let city: PlaceId = decode(NodeType::Place, &city_id).gql()?;
        let listings = ctx.store().listings(city, include_lifted.unwrap_or(false)).await.gql()?;
        Ok(listings.into_iter().map(CompanyListing).collect())
    }

    /// One listing.
    async fn company_listing(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<CompanyListing> {
        ctx.actor().await?;
        let id: ListingId = decode(NodeType::CompanyListing, &id).gql()?;
        Ok(CompanyListing(ctx.store().listing(id).await.gql()?))
    }

    /// A company's listings, history included.
    async fn listings_of_company(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
    ) -> async_graphql::Result<Vec<CompanyListing>> {
        ctx.actor().await?;
        let company: CompanyId = decode(NodeType::PropertyCompany, &company_id).gql()?;
        Ok(ctx.store().company_listings(company).await.gql()?.into_iter().map(CompanyListing).collect())
    }

    /// The city's problem compounds (问题小区) of a quarter (`2026Q4`), worst first, with their figures.
    async fn problem_compounds(
        &self,
        ctx: &Context<'_>,
        city_id: ID,
        quarter: String,
    ) -> async_graphql::Result<Vec<ProblemCompound>> {
        ctx.actor().await?;
        let city: PlaceId = decode(NodeType::Place, &city_id).gql()?;
        let quarter = self::quarter(&quarter)?;
        Ok(ctx.store().problem_compounds(city, quarter).await.gql()?.into_iter().map(ProblemCompound).collect())
    }

    /// The street's compounds served by a blacklisted company, for the street's officers and above.
    async fn flagged_compounds(&self, ctx: &Context<'_>, street_id: ID) -> async_graphql::Result<Vec<FlaggedCompound>> {
        let actor = ctx.actor().await?;
        let street: PlaceId = decode(NodeType::Place, &street_id).gql()?;
        let context = ctx.place_context(street).await?;
        if context.ancestry.kind() != gongzhi_domain::place::PlaceKind::Street {
            return Err(crate::error::ApiError::NotFound.into_graphql());
        }
        require(actor, Action::ViewTopics, &context)
            .map_err(|d| crate::error::ApiError::from(gongzhi_infra::Error::Denied(d)).into_graphql())?;
        let flagged = ctx.store().flagged_compounds(street).await.gql()?;
        Ok(flagged.into_iter().map(|(p, c)| FlaggedCompound(p, c)).collect())
    }
}
