//! Queries, one file per area, joined with `MergedObject`.

mod me;
mod node;
mod places;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Query(me::MeQuery, node::NodeQuery, places::PlacesQuery);
