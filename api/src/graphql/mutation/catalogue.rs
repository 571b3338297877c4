use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{CategoryId, PlaceId};
use gongzhi_infra::topics::NewCategory;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::category::Category;
use crate::graphql::types::payload::{CategoryPayload, answer};
use crate::graphql::types::round::Round;

#[derive(Default)]
pub struct CatalogueMutation;

#[Object]
impl CatalogueMutation {
    /// Adds an entry to a community's deliberation catalogue (community staff).
    async fn add_category(
        &self,
        ctx: &Context<'_>,
        community_id: ID,
        code: String,
        name_zh: String,
        name_en: String,
    ) -> async_graphql::Result<CategoryPayload> {
        let actor = ctx.actor().await?;
        let community: PlaceId = decode(NodeType::Place, &community_id).gql()?;
        let input = NewCategory { code, name_zh, name_en };
        answer(ctx, ctx.store().add_category(actor, community, input).await, Category)
    }

    /// Renames, retires (`active: false`) or restores an entry.
    async fn edit_category(
        &self,
        ctx: &Context<'_>,
        category_id: ID,
        name_zh: String,
        name_en: String,
        active: bool,
    ) -> async_graphql::Result<Category> {
        let actor = ctx.actor().await?;
        let id: CategoryId = decode(NodeType::Category, &category_id).gql()?;
        Ok(Category(ctx.store().edit_category(actor, id, &name_zh, &name_en, active).await.gql()?))
    }

    /// Gives a community the standard catalogue (the matters the city rules list), keeping its own entries.
    async fn adopt_standard_catalogue(
        &self,
        ctx: &Context<'_>,
        community_id: ID,
    ) -> async_graphql::Result<Vec<Category>> {
        let actor = ctx.actor().await?;
        let community: PlaceId = decode(NodeType::Place, &community_id).gql()?;
        let categories = ctx.store().adopt_standard_catalogue(Some(actor), community).await.gql()?;
        Ok(categories.into_iter().map(Category).collect())
    }

    /// Opens a solicitation round (征集活动) at a street, community or compound.
    async fn open_round(
        &self,
        ctx: &Context<'_>,
        place_id: ID,
        theme: String,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> async_graphql::Result<Round> {
        let actor = ctx.actor().await?;
        let place: PlaceId = decode(NodeType::Place, &place_id).gql()?;
        Ok(Round(ctx.store().open_round(actor, place, &theme, opens_at, closes_at).await.gql()?))
    }
}
