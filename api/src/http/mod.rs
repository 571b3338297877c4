//! HTTP routes: GraphQL (GraphQL-over-HTTP, and subscriptions over WebSocket), GraphiQL in the demo profile, the API partners' OAuth2 token
//! endpoint, uploaded files under signed links, health and metrics.

pub(crate) mod bearer;
mod byte_range;
pub mod complexity;
pub mod document_bounds;
pub mod documents;
pub mod files;
pub mod graphiql;
pub(crate) mod graphql;
pub(crate) mod health;
mod idempotency;
pub(crate) mod oauth;
pub mod open311;
pub mod operation_labels;
mod persisted_queries;
pub mod rate_limit;
mod read_retry;
pub mod responses;
pub mod statistics_feed;

use actix_web::web;

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/graphql", web::post().to(graphql::post))
        // Subscriptions: a GET asking to upgrade to a WebSocket (`live::socket`); any other GET is a query.
        .route(
            "/graphql",
            web::get()
                .guard(actix_web::guard::fn_guard(|ctx| crate::live::socket::wants_upgrade(ctx.head().headers())))
                .to(crate::live::socket::upgrade),
        )
        .route("/graphql", web::get().to(graphql::get))
        .route("/oauth/token", web::post().to(oauth::token))
        .route("/files/{key:.*}", web::get().to(files::get))
        .route("/files/{key:.*}", web::head().to(files::get))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics))
        .route("/openapi.json", web::get().to(crate::openapi::openapi_json))
        .route("/graphiql-assets/{file}", web::get().to(graphiql::asset))
        .configure(open311::routes)
        .configure(statistics_feed::routes);
}
