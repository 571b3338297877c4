//! Partners' webhooks from the event log (issue 15, decisions 70–74).
//!
//! - The event kinds an endpoint chose move from a comma list in `webhook_endpoints.kinds` to one row per
//!   kind in `webhook_endpoint_kinds`: a kind is a value the server checks and filters on, not text to
//!   split. No row means every kind, as an empty list did. Kinds are the log's wire codes now
//!   (`topic.accepted`); the timeline codes stored before (`accepted`) are rewritten to them.
//! - An endpoint is sent the events logged after it was registered (`since_sequence`, the log's head
//!   then), not the log's history; endpoints registered before are sent what is logged from now on.
//! - An endpoint remembers the log sequence of the last event queued to it (`last_sequence`), which the
//!   next message carries as `previousSequence`, so the partner sees a gap.
//! - A webhook message remembers the log sequence of the event it carries (`event_seq`), so the worker
//!   sends an endpoint's messages in order, and its `webhook_id`, the same for every attempt and every
//!   replay of one event to one endpoint, so a partner deduplicates.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookEndpointKinds {
    Table,
    EndpointId,
    Kind,
}

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    Kinds,
    LastSequence,
    SinceSequence,
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    EventSeq,
    WebhookId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpointKinds::Table)
                    .col(uuid(WebhookEndpointKinds::EndpointId))
                    .col(string_len(WebhookEndpointKinds::Kind, 60))
                    .primary_key(Index::create().col(WebhookEndpointKinds::EndpointId).col(WebhookEndpointKinds::Kind))
                    .foreign_key(&mut fk(
                        WebhookEndpointKinds::Table,
                        WebhookEndpointKinds::EndpointId,
                        WebhookEndpoints::Table,
                        WebhookEndpoints::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let rows = db.query_all_raw(Statement::from_string(backend, "SELECT id, kinds FROM webhook_endpoints")).await?;
        for row in rows {
            let id: Uuid = row.try_get("", "id")?;
            let kinds: String = row.try_get("", "kinds")?;
            let mut seen = Vec::new();
            for kind in kinds.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                let kind = if kind.contains('.') { kind.to_owned() } else { format!("topic.{kind}") };
                if seen.contains(&kind) {
                    continue;
                }
                seen.push(kind.clone());
                let insert = Query::insert()
                    .into_table(WebhookEndpointKinds::Table)
                    .columns([WebhookEndpointKinds::EndpointId, WebhookEndpointKinds::Kind])
                    .values_panic([id.into(), kind.into()])
                    .to_owned();
                manager.exec_stmt(insert).await?;
            }
        }
        manager
            .alter_table(Table::alter().table(WebhookEndpoints::Table).drop_column(WebhookEndpoints::Kinds).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .add_column(big_integer_null(WebhookEndpoints::LastSequence))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(WebhookEndpoints::Table)
                    .add_column(big_integer(WebhookEndpoints::SinceSequence).default(0))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "UPDATE webhook_endpoints SET since_sequence = \
             COALESCE((SELECT last FROM event_sequence WHERE name = 'log'), 0)",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .add_column(big_integer_null(OutboxMessages::EventSeq))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxMessages::Table)
                    .add_column(string_len_null(OutboxMessages::WebhookId, 60))
                    .to_owned(),
            )
            .await?;
        // The worker asks, for each webhook message it might claim, whether an earlier one of the same
        // endpoint is still unsettled.
        manager
            .create_index(index("outbox_messages_endpoint_seq", OutboxMessages::Table, &["endpoint_id", "event_seq"]))
            .await?;
        Ok(())
    }
}
