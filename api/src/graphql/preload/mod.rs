//! Loading ahead for lists. A list resolver looks at what its rows select (the look-ahead) and loads those
//! relations for every row at once, then what those relations' rows select, and so on down the selection,
//! before any row resolves; the rows then find everything remembered by the request's loaders.
//!
//! Row by row the loaders would batch too, but only what arrives within their delay (a millisecond), and
//! the engine yields every 32 items of a list and resolves a row's relations one after another: loading
//! ahead makes a list of any length cost one statement per relation it reaches, the same every time.
//!
//! The people, places and companies rows name are collected on the way (`Wanted`) and read once at the
//! end, one statement each. Nothing here decides who sees what: rows still ask the policy (through the
//! same standings and checks the resolvers make) and what is loaded for a row that is then refused is
//! never shown.
//!
//! Only in queries: a mutation's loaders remember nothing (see `loaders::attach`), so there loading ahead
//! would read everything twice.

mod details;
mod places;
mod topics;

use std::collections::HashSet;

use async_graphql::{Context, Lookahead, SelectionField, Value};
use gongzhi_domain::claim::HouseholdClaim;
use gongzhi_domain::ids::{CompanyId, PersonId, PlaceId};
use gongzhi_infra::roles::RoleGrant;

pub use details::{meetings, opinions, timeline, votes};
pub use places::{grids, places};
pub use topics::{prime, topics, wants_relations};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::loaders::CompanyLoader;
use crate::graphql::page::page_args;

/// Records rows name, read once all the rows are known.
#[derive(Default)]
struct Wanted {
    people: HashSet<PersonId>,
    places: HashSet<PlaceId>,
    companies: HashSet<CompanyId>,
}

impl Wanted {
    fn add(&mut self, other: Wanted) {
        self.people.extend(other.people);
        self.places.extend(other.places);
        self.companies.extend(other.companies);
    }

    async fn load(self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let Wanted { people, places, companies } = self;
        let people = async {
            if !people.is_empty() {
                ctx.people()?.load_many(people).await.gql()?;
            }
            Ok::<_, async_graphql::Error>(())
        };
        let places = async {
            if !places.is_empty() {
                ctx.places()?.load_many(places).await.gql()?;
            }
            Ok(())
        };
        let companies = async {
            if !companies.is_empty() {
                ctx.loader::<CompanyLoader>()?.load_many(companies).await.gql()?;
            }
            Ok(())
        };
        futures::try_join!(people, places, companies)?;
        Ok(())
    }
}

/// The selection on each row of a connection, whether asked through `edges { node }` or `nodes`.
pub fn rows_of<'a>(connection: &Lookahead<'a>) -> Lookahead<'a> {
    let mut fields = connection.field("edges").field("node").selection_fields();
    fields.extend(connection.field("nodes").selection_fields());
    // No rows selected at all: a selection with nothing in it.
    Lookahead::try_from(fields.as_slice()).unwrap_or_else(|()| connection.field("edges").field("node"))
}

/// The page size of a paged relation's selection when it asks for the first page (no `after` cursor):
/// the page read for every parent at once. `None` for a later page, read when asked for one parent, and
/// for a page size the resolver refuses (it reports that itself; nothing is loaded for it).
fn first_page(field: &SelectionField<'_>) -> async_graphql::Result<Option<usize>> {
    let arguments = field.arguments()?;
    let argument = |name: &str| arguments.iter().find(|(n, _)| n.as_str() == name).map(|(_, v)| v);
    if argument("after").is_some_and(|after| *after != Value::Null) {
        return Ok(None);
    }
    let first = argument("first").and_then(|first| match first {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        _ => None,
    });
    Ok(page_args(first, None).ok().map(|page| page.limit))
}

/// What a list of role grants names: people, the grantor, places and companies.
fn grants_name(node: &Lookahead<'_>, grants: &[RoleGrant]) -> Wanted {
    let mut wanted = Wanted::default();
    if node.field("person").exists() {
        wanted.people.extend(grants.iter().map(|g| g.person));
    }
    if node.field("grantedBy").exists() {
        wanted.people.extend(grants.iter().filter_map(|g| g.granted_by));
    }
    if node.field("place").exists() {
        wanted.places.extend(grants.iter().map(|g| g.place));
    }
    if node.field("company").exists() {
        wanted.companies.extend(grants.iter().filter_map(|g| g.company));
    }
    wanted
}

/// Loads who claims and which household, for a list of household claims (`node` is the selection on each).
pub async fn claims(ctx: &Context<'_>, node: Lookahead<'_>, claims: &[HouseholdClaim]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    let mut wanted = Wanted::default();
    if node.field("claimant").exists() {
        wanted.people.extend(claims.iter().map(|c| c.person));
    }
    if node.field("household").exists() {
        wanted.places.extend(claims.iter().map(|c| c.household));
    }
    wanted.load(ctx).await
}

/// Loads what a list of role grants selects (`node` is the selection on each grant).
pub async fn grants(ctx: &Context<'_>, node: Lookahead<'_>, grants: &[RoleGrant]) -> async_graphql::Result<()> {
    if !ctx.remembers() {
        return Ok(());
    }
    grants_name(&node, grants).load(ctx).await
}
