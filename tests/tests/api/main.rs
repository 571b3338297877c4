//! Gongzhi's integration tests: one binary, each test with its own database and fake services.

mod authorization;
mod http_limits;
mod idempotency;
mod import;
mod login;
mod operations;
mod repository;
mod schema;
mod tokens;
