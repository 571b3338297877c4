//! The GraphQL schema: queries, mutations and subscriptions merged from one file per area, with the limits every
//! request is held to.

pub mod context;
pub mod ids;
pub mod loaders;
mod mutation;
pub mod page;
pub mod preload;
mod query;
pub mod subscription;
pub mod types;

use async_graphql::{Schema, SchemaBuilder};

use crate::config::Settings;

pub type GongzhiSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

fn builder() -> SchemaBuilder<query::Query, mutation::Mutation, subscription::Subscription> {
    Schema::build(query::Query::default(), mutation::Mutation::default(), subscription::Subscription)
}

/// The schema as served, with its limits. The depth limit is not the engine's: it is judged with the
/// document's other bounds before the engine sees it, so that introspection can pass it
/// (`http::document_bounds`).
fn configured(settings: &Settings) -> SchemaBuilder<query::Query, mutation::Mutation, subscription::Subscription> {
    let builder =
        builder().limit_complexity(settings.graphql.max_complexity).limit_recursive_depth(64).limit_directives(16);
    if settings.is_demo() { builder } else { builder.disable_introspection().disable_suggestions() }
}

/// The metered schema: charges each request its complexity to the rate limits once validation has
/// computed it, and remembers the figure (`http::complexity`).
pub fn build(settings: &Settings) -> GongzhiSchema {
    configured(settings).extension(crate::http::rate_limit::RateLimit).finish()
}

/// The same schema without the extension, for a request whose complexity is remembered and was charged
/// before it runs: no extension spares every field's resolution a wrapper.
pub fn build_plain(settings: &Settings) -> GongzhiSchema {
    configured(settings).finish()
}

/// The schema as SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}
