//! The GraphQL schema: queries and mutations merged from one file per area, with the limits every
//! request is held to.

pub mod context;
pub mod ids;
pub mod loaders;
mod mutation;
pub mod page;
pub mod preload;
mod query;
pub mod types;

use async_graphql::{EmptySubscription, Schema, SchemaBuilder};

use crate::config::Settings;

pub type GongzhiSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<query::Query, mutation::Mutation, EmptySubscription> {
    Schema::build(query::Query::default(), mutation::Mutation::default(), EmptySubscription)
}

pub fn build(settings: &Settings) -> GongzhiSchema {
    let mut builder = builder()
        .limit_depth(settings.graphql.max_depth)
        .limit_complexity(settings.graphql.max_complexity)
        .limit_recursive_depth(64)
        .limit_directives(16)
        .extension(crate::http::rate_limit::RateLimit);
    if !settings.is_demo() {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema as SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}
