//! Gongzhi's integration tests: one binary, each test with its own database and fake services.

mod authorization;
mod cache;
mod deliberation_meetings;
mod deliberation_opinions;
mod deliberation_support;
mod http_limits;
mod idempotency;
mod import;
mod login;
mod notification_recipients;
mod notification_settings;
mod operations;
mod persisted_queries;
mod pipeline_collect;
mod pipeline_feed;
mod pipeline_journey;
mod pipeline_support;
mod pipeline_triage;
mod rate_limits;
mod read_path_statements;
mod repository;
mod schema;
mod tokens;
mod uploads;
mod votes;
mod votes_support;
