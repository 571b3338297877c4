//! Loading ahead for lists of places and of grids: each place's register and offices (where the policy
//! lets the viewer see them), grids with their buildings, and the first page of its children, down as
//! deep as the selection goes; and the places and companies they name.

use async_graphql::{Context, Lookahead};
use futures::future::BoxFuture;
use gongzhi_domain::ids::{GridId, PlaceId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_infra::grids::Grid;
use gongzhi_infra::place_relations::{Offices, Register};
use gongzhi_infra::places::Place;

use super::{Wanted, first_page, grants_name, rows_of};
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::loaders::{
    FirstChildrenLoader, GridBuildingsLoader, GridsLoader, MembersLoader, OfficeHoldersLoader, PlaceContextLoader,
};

/// Loads what a list of places selects (`node` is the selection on each place).
pub async fn places(ctx: &Context<'_>, node: Lookahead<'_>, places: &[Place]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    places_of(ctx, node, places).await?.load(ctx).await
}

/// Loads what a list of grids selects (`node` is the selection on each grid).
pub async fn grids(ctx: &Context<'_>, node: Lookahead<'_>, grids: &[Grid]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    grids_of(ctx, node, grids).await?.load(ctx).await
}

/// Boxed, since a place's children are places in turn.
fn places_of<'a>(
    ctx: &'a Context<'a>,
    node: Lookahead<'a>,
    places: &'a [Place],
) -> BoxFuture<'a, async_graphql::Result<Wanted>> {
    Box::pin(async move {
        let mut wanted = Wanted::default();
        if places.is_empty() {
            return Ok(wanted);
        }
        let wants = |field: &str| node.field(field).exists();
        let of_kind = |kind: PlaceKind| places.iter().filter(move |p| p.kind() == kind).map(Place::id);
        if wants("parent") {
            wanted.places.extend(places.iter().filter_map(|p| p.ancestry.parent_id()));
        }
        if wants("ancestors") {
            wanted.places.extend(places.iter().flat_map(|p| {
                let mut path = p.ancestry.path();
                path.pop();
                path
            }));
        }
        if wants("propertyCompany") {
            wanted.companies.extend(places.iter().filter_map(|p| p.property_company));
        }
        // The contexts the rows' own checks read (the register, the offices, the committee, permissions).
        let mut checked: Vec<PlaceId> = Vec::new();
        if wants("officeHolders") || wants("myPermissions") {
            checked.extend(places.iter().map(Place::id));
        } else {
            if wants("areaM2") || wants("members") {
                checked.extend(of_kind(PlaceKind::Household));
            }
            if wants("ownersCommittee") {
                checked.extend(of_kind(PlaceKind::Compound));
            }
        }
        if !checked.is_empty() {
            ctx.loader::<PlaceContextLoader>()?.load_many(checked).await.gql()?;
        }
        let found = futures::try_join!(
            members(ctx, &node, places),
            office_holders(ctx, &node, places),
            grids_within(ctx, &node, places),
            children(ctx, &node, places),
        )?;
        for more in [found.0, found.1, found.2, found.3] {
            wanted.add(more);
        }
        Ok(wanted)
    })
}

/// The policy's decisions the resolvers will make, from the contexts loaded by now; refused places get
/// nothing loaded (their rows report the refusal).
async fn allowed<K>(
    ctx: &Context<'_>,
    places: impl Iterator<Item = PlaceId>,
    check: impl Fn(&gongzhi_domain::policy::Actor, &gongzhi_domain::place::PlaceContext) -> gongzhi_infra::Result<K>,
) -> async_graphql::Result<Vec<K>> {
    let actor = ctx.actor().await?;
    let places: Vec<PlaceId> = places.collect();
    let contexts = ctx.loader::<PlaceContextLoader>()?.load_many(places.iter().copied()).await.gql()?;
    Ok(places.iter().filter_map(|p| contexts.get(p)).filter_map(|c| check(actor, c).ok()).collect())
}

async fn members(ctx: &Context<'_>, node: &Lookahead<'_>, places: &[Place]) -> async_graphql::Result<Wanted> {
    let selection = node.field("members");
    if !selection.exists() {
        return Ok(Wanted::default());
    }
    let households = places.iter().filter(|p| p.kind() == PlaceKind::Household).map(Place::id);
    let keys = allowed(ctx, households, Register::check).await?;
    let grants = ctx.loader::<MembersLoader>()?.load_many(keys).await.gql()?;
    let grants: Vec<_> = grants.into_values().flatten().collect();
    Ok(grants_name(&selection, &grants))
}

async fn office_holders(ctx: &Context<'_>, node: &Lookahead<'_>, places: &[Place]) -> async_graphql::Result<Wanted> {
    let selection = node.field("officeHolders");
    if !selection.exists() {
        return Ok(Wanted::default());
    }
    let keys = allowed(ctx, places.iter().map(Place::id), Offices::check).await?;
    let grants = ctx.loader::<OfficeHoldersLoader>()?.load_many(keys).await.gql()?;
    let grants: Vec<_> = grants.into_values().flatten().collect();
    Ok(grants_name(&selection, &grants))
}

/// The grids of the communities among the places.
async fn grids_within(ctx: &Context<'_>, node: &Lookahead<'_>, places: &[Place]) -> async_graphql::Result<Wanted> {
    let selection = node.field("grids");
    let communities: Vec<PlaceId> = places.iter().filter(|p| p.kind() == PlaceKind::Community).map(Place::id).collect();
    if !selection.exists() || communities.is_empty() {
        return Ok(Wanted::default());
    }
    let grids = ctx.loader::<GridsLoader>()?.load_many(communities).await.gql()?;
    let grids: Vec<Grid> = grids.into_values().flatten().collect();
    grids_of(ctx, selection, &grids).await
}

/// The first page of each place's children, for every `children` selection without a cursor (a later
/// page continues one place's list and is read when asked), and what those children select in turn.
async fn children(ctx: &Context<'_>, node: &Lookahead<'_>, places: &[Place]) -> async_graphql::Result<Wanted> {
    let mut wanted = Wanted::default();
    for field in node.field("children").selection_fields() {
        let Some(limit) = first_page(&field)? else { continue };
        let rows = u64::try_from(limit + 1).unwrap_or(u64::MAX);
        let pages =
            ctx.loader::<FirstChildrenLoader>()?.load_many(places.iter().map(|p| (p.id(), rows))).await.gql()?;
        let children: Vec<Place> = pages
            .into_values()
            .flat_map(|mut page_rows| {
                page_rows.truncate(limit);
                page_rows
            })
            .collect();
        // Children read here are what their rows' `parent` and a grant's `place` may name.
        ctx.places()?.feed_many(children.iter().map(|p| (p.id(), p.clone()))).await;
        let node = rows_of(&Lookahead::from(field));
        wanted.add(places_of(ctx, node, &children).await?);
    }
    Ok(wanted)
}

/// Boxed, since a grid's buildings are places.
fn grids_of<'a>(
    ctx: &'a Context<'a>,
    node: Lookahead<'a>,
    grids: &'a [Grid],
) -> BoxFuture<'a, async_graphql::Result<Wanted>> {
    Box::pin(async move {
        let mut wanted = Wanted::default();
        if grids.is_empty() {
            return Ok(wanted);
        }
        if node.field("community").exists() {
            wanted.places.extend(grids.iter().map(|g| g.community));
        }
        let buildings = node.field("buildings");
        if buildings.exists() {
            let ids: Vec<GridId> = grids.iter().map(|g| g.id).collect();
            let found = ctx.loader::<GridBuildingsLoader>()?.load_many(ids).await.gql()?;
            let found: Vec<Place> = found.into_values().flatten().collect();
            ctx.places()?.feed_many(found.iter().map(|p| (p.id(), p.clone()))).await;
            wanted.add(places_of(ctx, buildings, &found).await?);
        }
        Ok(wanted)
    })
}
