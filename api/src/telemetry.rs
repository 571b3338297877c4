//! Logs: human-readable in the demo profile, JSON in production; `RUST_LOG` filters.

use tracing_subscriber::EnvFilter;

use crate::config::Profile;

pub fn init(profile: Profile) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm_migration=warn,actix_server=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    // A second init (tests start many apps in one process) is harmless: the first subscriber stays.
    let _ = match profile {
        Profile::Production => builder.json().flatten_event(true).try_init(),
        Profile::Demo => builder.try_init(),
    };
}
