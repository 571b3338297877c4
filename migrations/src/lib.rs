//! The database schema, as an ordered list of migrations that run on SQLite and PostgreSQL alike.
//! They run on every start and by `gongzhi migrate`; a migration, once landed, is never edited.

pub use sea_orm_migration::prelude::*;

mod support;

mod m20261122_000001_people_and_places;
mod m20261122_000002_idempotency_keys;
mod m20261122_000003_topics;
mod m20261122_000004_votes;
mod m20261122_000005_implementation_and_feedback;
mod m20261122_000006_meetings_and_opinions;
mod m20261122_000007_uploads;
mod m20261122_000008_outbox;
mod m20261122_000009_identity_person_index;
mod m20261122_000010_api_partners;
mod m20261122_000011_direction_controls;
mod m20261207_000012_vote_trust;
mod m20261207_000014_person_merges;
mod m20261207_000015_event_log;
mod m20261207_000016_webhook_kinds;
mod m20261207_000020_feed_sort_indexes;
mod m20261207_000021_event_log_sequencer;
mod m20261207_000040_disclosures;
mod m20261207_000041_disclosure_question_reminders;
mod m20261207_000050_accountability;
mod m20261207_000051_rectification_plans;
mod m20261207_000060_partner_scopes;
mod m20261207_000070_content_holds;
mod m20261207_000071_erasures;
mod m20261207_000075_personal_data_access;
mod m20261207_000080_server_settings;
mod m20261207_000081_webhook_circuits;
mod m20261207_000090_statistics;
mod m20261208_000091_stage_durations;
mod m20261208_000092_partner_name_unique;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_people_and_places::Migration),
            Box::new(m20261122_000002_idempotency_keys::Migration),
            Box::new(m20261122_000003_topics::Migration),
            Box::new(m20261122_000004_votes::Migration),
            Box::new(m20261122_000005_implementation_and_feedback::Migration),
            Box::new(m20261122_000006_meetings_and_opinions::Migration),
            Box::new(m20261122_000007_uploads::Migration),
            Box::new(m20261122_000008_outbox::Migration),
            Box::new(m20261122_000009_identity_person_index::Migration),
            Box::new(m20261122_000010_api_partners::Migration),
            Box::new(m20261122_000011_direction_controls::Migration),
            Box::new(m20261207_000012_vote_trust::Migration),
            Box::new(m20261207_000014_person_merges::Migration),
            Box::new(m20261207_000015_event_log::Migration),
            Box::new(m20261207_000016_webhook_kinds::Migration),
            Box::new(m20261207_000020_feed_sort_indexes::Migration),
            Box::new(m20261207_000021_event_log_sequencer::Migration),
            Box::new(m20261207_000040_disclosures::Migration),
            Box::new(m20261207_000041_disclosure_question_reminders::Migration),
            Box::new(m20261207_000050_accountability::Migration),
            Box::new(m20261207_000051_rectification_plans::Migration),
            Box::new(m20261207_000060_partner_scopes::Migration),
            Box::new(m20261207_000070_content_holds::Migration),
            Box::new(m20261207_000071_erasures::Migration),
            Box::new(m20261207_000075_personal_data_access::Migration),
            Box::new(m20261207_000080_server_settings::Migration),
            Box::new(m20261207_000081_webhook_circuits::Migration),
            Box::new(m20261207_000090_statistics::Migration),
            Box::new(m20261208_000091_stage_durations::Migration),
            Box::new(m20261208_000092_partner_name_unique::Migration),
        ]
    }
}
