//! What the property company's credit record (诚信档案) reads of its disclosures: how many 双晒 fell due
//! in a window and how many were published on time, and the letters it drew for missing ones. Seed 002
//! (双晒) makes publishing the accounts the company's duty; seed 001 counts 提示函/警示函 in its credit file.
//!
//! The credit record (decision 117) counts on these signatures; keep them stable.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::CompanyId;
use sea_orm::prelude::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{FromQueryResult, QuerySelect};
use tracing::instrument;

use crate::entities::{disclosure_letter, disclosure_obligation};
use crate::{Result, Store};

/// A company's disclosure record over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DisclosureTimeliness {
    /// Obligations of the company whose due date fell in the window and has passed.
    pub due: u32,
    /// Of those, the ones whose first version was published at or before the due date.
    pub on_time: u32,
}

/// Letters a company received for missing disclosures over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DisclosureLetters {
    /// 提示函
    pub reminders: u32,
    /// 警示函
    pub warnings: u32,
    /// Handed up to the street after an unheeded warning.
    pub escalations: u32,
}

#[derive(FromQueryResult)]
struct Counted {
    count: i64,
}

#[derive(FromQueryResult)]
struct LetterCount {
    letter: String,
    count: i64,
}

impl Store {
    /// The company's disclosures due in `[from, to)` (only those already due at the clock's now) and how
    /// many were published on time. An obligation belongs to the company that held the compound's contract
    /// when its period ended, so a company that leaves keeps its record.
    #[instrument(skip_all, err)]
    pub async fn disclosure_timeliness(
        &self,
        company: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<DisclosureTimeliness> {
        let now = self.clock.now();
        let end = if to < now { to } else { now };
        let window = || {
            disclosure_obligation::Entity::find()
                .filter(disclosure_obligation::Column::CompanyId.eq(company.as_uuid()))
                .filter(disclosure_obligation::Column::DueAt.gte(from))
                .filter(disclosure_obligation::Column::DueAt.lt(end))
        };
        let count = |select: sea_orm::Select<disclosure_obligation::Entity>| {
            select
                .select_only()
                .column_as(disclosure_obligation::Column::Id.count(), "count")
                .into_model::<Counted>()
                .one(&self.db)
        };
        let due = count(window()).await?.map_or(0, |c| c.count);
        let on_time = count(window().filter(
            Expr::col(disclosure_obligation::Column::FulfilledAt).lte(Expr::col(disclosure_obligation::Column::DueAt)),
        ))
        .await?
        .map_or(0, |c| c.count);
        Ok(DisclosureTimeliness {
            due: u32::try_from(due).unwrap_or(u32::MAX),
            on_time: u32::try_from(on_time).unwrap_or(u32::MAX),
        })
    }

    /// Letters sent to the company for missing disclosures with `sent_at` in `[from, to)`.
    #[instrument(skip_all, err)]
    pub async fn disclosure_letters_received(
        &self,
        company: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<DisclosureLetters> {
        let rows = disclosure_letter::Entity::find()
            .select_only()
            .column(disclosure_letter::Column::Letter)
            .column_as(disclosure_letter::Column::Id.count(), "count")
            .filter(disclosure_letter::Column::CompanyId.eq(company.as_uuid()))
            .filter(disclosure_letter::Column::SentAt.gte(from))
            .filter(disclosure_letter::Column::SentAt.lt(to))
            .group_by(disclosure_letter::Column::Letter)
            .into_model::<LetterCount>()
            .all(&self.db)
            .await?;
        let mut letters = DisclosureLetters::default();
        for row in rows {
            let n = u32::try_from(row.count).unwrap_or(u32::MAX);
            match row.letter.as_str() {
                "reminder" => letters.reminders = n,
                "warning" => letters.warnings = n,
                "escalation" => letters.escalations = n,
                _ => {}
            }
        }
        Ok(letters)
    }
}
