//! HTTP routes: GraphQL (GraphQL-over-HTTP), GraphiQL in the demo profile, health and metrics.

pub mod documents;
mod graphql;
mod health;
mod idempotency;
mod persisted_queries;
pub mod rate_limit;

use actix_web::web;

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/graphql", web::post().to(graphql::post))
        .route("/graphql", web::get().to(graphql::get))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics));
}
