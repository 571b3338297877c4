//! HTTP routes: GraphQL (GraphQL-over-HTTP), GraphiQL in the demo profile, the API partners' OAuth2 token
//! endpoint, uploaded files under signed links, health and metrics.

mod bearer;
mod byte_range;
pub mod complexity;
pub mod document_bounds;
pub mod documents;
pub mod files;
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
        .route("/files/{key:.*}", web::get().to(files::get))
        .route("/files/{key:.*}", web::head().to(files::get))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics));
}
