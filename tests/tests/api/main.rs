//! Gongzhi's integration tests: one binary, each test with its own database and fake services.

mod authorization;
mod deliberation_meetings;
mod deliberation_opinions;
mod deliberation_support;
mod http_limits;
mod idempotency;
mod import;
mod login;
mod operations;
mod outbox_consent;
mod outbox_delivery;
mod outbox_enqueue;
mod outbox_retries;
mod outbox_support;
mod outbox_webhooks;
mod pipeline_collect;
mod pipeline_feed;
mod pipeline_journey;
mod pipeline_support;
mod pipeline_triage;
mod repository;
mod schema;
mod tokens;
mod uploads;
mod votes;
mod votes_support;
