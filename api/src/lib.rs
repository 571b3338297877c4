//! Gongzhi's API: the actix-web server, the GraphQL schema, configuration and the `gongzhi` command.
//! Resolvers stay thin: they parse ids and inputs, then call the use cases in `gongzhi_infra`, which ask
//! `gongzhi_domain::policy` before they change anything.

// The mutation root merges some forty objects; async-graphql nests a `MergedObject` one level per member,
// which passes the compiler's default query depth of 128.
#![recursion_limit = "256"]

mod accountability_cli;
pub mod accountability_messages;
pub mod cli;
pub mod config;
pub mod content_messages;
pub mod content_settings;
pub mod deliberation_messages;
pub mod delivery;
pub mod disclosure_messages;
pub mod disclosure_settings;
pub mod disclosures_cli;
pub mod erasure_messages;
pub mod error;
mod error_log;
mod error_messages;
pub mod event_pump;
pub mod executor;
pub mod graphql;
pub mod http;
pub mod i18n;
pub mod live;
pub mod metrics;
pub mod needed_roles;
pub mod openapi;
pub mod privacy_settings;
pub mod read_path;
pub mod read_path_settings;
pub mod refusals;
pub mod secret_strength;
pub mod startup;
pub mod state;
pub mod statistics_access;
pub mod telemetry;
pub mod topic_messages;
