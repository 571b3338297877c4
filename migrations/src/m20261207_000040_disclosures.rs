//! The three disclosures (三个公开, issue 17): joint-meeting minutes, the property company's services and
//! accounts (双晒) and the owners' committee's work and funds, each for a place and a period.
//!
//! - `disclosures`: one row per published version, never updated. `content` is the canonical JSON the
//!   hash covers; `content_hash` = SHA-256 over the content and `previous_hash`, the hash of the place's
//!   previous version in `chain_seq` order (any kind, any period): one chain per place.
//! - `disclosure_obligations`: what a party owes for a place and a period and by when, with the company
//!   under contract when the period ended (so a company's record keeps its own obligations after it
//!   leaves); `fulfilled_at` is the first version's publication. The scheduler's letters are stamped here.
//! - `disclosure_letters`: every reminder (提示函), warning (警示函) and escalation the scheduler sent for a
//!   missing disclosure, addressed to the owing party (and the company, for 双晒), for the credit record.
//! - `disclosure_questions`: a resident's question (质询) on one line of a version, and its answer.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Disclosures {
    Table,
    Id,
    PlaceId,
    Kind,
    PeriodStart,
    PeriodEnd,
    Version,
    ChainSeq,
    PublisherParty,
    CompanyId,
    PublishedBy,
    PublishedAt,
    Reason,
    Content,
    PreviousHash,
    ContentHash,
}

#[derive(DeriveIden)]
enum DisclosureObligations {
    Table,
    Id,
    PlaceId,
    Kind,
    PeriodStart,
    PeriodEnd,
    OwedBy,
    CompanyId,
    DueAt,
    FulfilledAt,
    ReminderAt,
    WarningAt,
    EscalatedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DisclosureLetters {
    Table,
    Id,
    ObligationId,
    PlaceId,
    OwedBy,
    CompanyId,
    Letter,
    SentAt,
}

#[derive(DeriveIden)]
enum DisclosureQuestions {
    Table,
    Id,
    DisclosureId,
    LineKey,
    AskedBy,
    Text,
    AskedAt,
    AnswerDueAt,
    Answer,
    AnsweredBy,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum Places {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Persons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PropertyCompanies {
    Table,
    Id,
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
                    .table(Disclosures::Table)
                    .col(pk_uuid(Disclosures::Id))
                    .col(uuid(Disclosures::PlaceId))
                    // minutes | property_accounts | committee_funds
                    .col(string_len(Disclosures::Kind, 24))
                    .col(date(Disclosures::PeriodStart))
                    .col(date(Disclosures::PeriodEnd))
                    .col(integer(Disclosures::Version))
                    .col(big_integer(Disclosures::ChainSeq))
                    .col(string_len(Disclosures::PublisherParty, 24))
                    .col(uuid_null(Disclosures::CompanyId))
                    .col(uuid(Disclosures::PublishedBy))
                    .col(timestamp_with_time_zone(Disclosures::PublishedAt))
                    .col(string_len_null(Disclosures::Reason, 500))
                    .col(text(Disclosures::Content))
                    .col(string_len(Disclosures::PreviousHash, 64))
                    .col(string_len(Disclosures::ContentHash, 64))
                    .foreign_key(&mut fk(Disclosures::Table, Disclosures::PlaceId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(Disclosures::Table, Disclosures::PublishedBy, Persons::Table, Persons::Id))
                    .foreign_key(&mut fk(
                        Disclosures::Table,
                        Disclosures::CompanyId,
                        PropertyCompanies::Table,
                        PropertyCompanies::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // Two publishers racing for the same link of a chain, or the same version: one wins, one is CONFLICT.
        manager
            .create_index(
                index("disclosures_chain", Disclosures::Table, &["place_id", "chain_seq"]).unique().to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("disclosures_version", Disclosures::Table, &["place_id", "kind", "period_start", "version"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisclosureObligations::Table)
                    .col(pk_uuid(DisclosureObligations::Id))
                    .col(uuid(DisclosureObligations::PlaceId))
                    .col(string_len(DisclosureObligations::Kind, 24))
                    .col(date(DisclosureObligations::PeriodStart))
                    .col(date(DisclosureObligations::PeriodEnd))
                    .col(string_len(DisclosureObligations::OwedBy, 24))
                    .col(uuid_null(DisclosureObligations::CompanyId))
                    .col(timestamp_with_time_zone(DisclosureObligations::DueAt))
                    .col(timestamp_with_time_zone_null(DisclosureObligations::FulfilledAt))
                    .col(timestamp_with_time_zone_null(DisclosureObligations::ReminderAt))
                    .col(timestamp_with_time_zone_null(DisclosureObligations::WarningAt))
                    .col(timestamp_with_time_zone_null(DisclosureObligations::EscalatedAt))
                    .col(timestamp_with_time_zone(DisclosureObligations::CreatedAt))
                    .foreign_key(&mut fk(
                        DisclosureObligations::Table,
                        DisclosureObligations::PlaceId,
                        Places::Table,
                        Places::Id,
                    ))
                    .foreign_key(&mut fk(
                        DisclosureObligations::Table,
                        DisclosureObligations::CompanyId,
                        PropertyCompanies::Table,
                        PropertyCompanies::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "disclosure_obligations_period",
                    DisclosureObligations::Table,
                    &["place_id", "kind", "period_start"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        // The credit record's read: a company's obligations by due date.
        manager
            .create_index(index(
                "disclosure_obligations_company",
                DisclosureObligations::Table,
                &["company_id", "due_at"],
            ))
            .await?;
        // The scheduler's scan: unfulfilled obligations by due date.
        manager
            .create_index(index(
                "disclosure_obligations_open",
                DisclosureObligations::Table,
                &["fulfilled_at", "due_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisclosureLetters::Table)
                    .col(pk_uuid(DisclosureLetters::Id))
                    .col(uuid(DisclosureLetters::ObligationId))
                    .col(uuid(DisclosureLetters::PlaceId))
                    .col(string_len(DisclosureLetters::OwedBy, 24))
                    .col(uuid_null(DisclosureLetters::CompanyId))
                    // reminder | warning | escalation
                    .col(string_len(DisclosureLetters::Letter, 12))
                    .col(timestamp_with_time_zone(DisclosureLetters::SentAt))
                    .foreign_key(&mut fk(
                        DisclosureLetters::Table,
                        DisclosureLetters::ObligationId,
                        DisclosureObligations::Table,
                        DisclosureObligations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // One letter of each kind per obligation, even with two schedulers.
        manager
            .create_index(
                index("disclosure_letters_once", DisclosureLetters::Table, &["obligation_id", "letter"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("disclosure_letters_company", DisclosureLetters::Table, &["company_id", "sent_at"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisclosureQuestions::Table)
                    .col(pk_uuid(DisclosureQuestions::Id))
                    .col(uuid(DisclosureQuestions::DisclosureId))
                    .col(string_len(DisclosureQuestions::LineKey, 40))
                    .col(uuid(DisclosureQuestions::AskedBy))
                    .col(string_len(DisclosureQuestions::Text, 500))
                    .col(timestamp_with_time_zone(DisclosureQuestions::AskedAt))
                    .col(timestamp_with_time_zone(DisclosureQuestions::AnswerDueAt))
                    .col(string_len_null(DisclosureQuestions::Answer, 2000))
                    .col(uuid_null(DisclosureQuestions::AnsweredBy))
                    .col(timestamp_with_time_zone_null(DisclosureQuestions::AnsweredAt))
                    .foreign_key(&mut fk(
                        DisclosureQuestions::Table,
                        DisclosureQuestions::DisclosureId,
                        Disclosures::Table,
                        Disclosures::Id,
                    ))
                    .foreign_key(&mut fk(
                        DisclosureQuestions::Table,
                        DisclosureQuestions::AskedBy,
                        Persons::Table,
                        Persons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("disclosure_questions_disclosure", DisclosureQuestions::Table, &["disclosure_id"]))
            .await?;
        Ok(())
    }
}
