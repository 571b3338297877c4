//! HTTP routes: GraphQL (GraphQL-over-HTTP), GraphiQL in the demo profile, the API partners' OAuth2 token
//! endpoint, health and metrics.

mod bearer;
pub mod complexity;
pub mod document_bounds;
pub mod documents;
mod graphql;
mod health;
mod idempotency;
mod oauth;
pub mod operation_labels;
mod persisted_queries;
pub mod rate_limit;
mod read_retry;
pub mod responses;

use actix_web::web;

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/graphql", web::post().to(graphql::post))
        .route("/graphql", web::get().to(graphql::get))
        .route("/oauth/token", web::post().to(oauth::token))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics));
}
