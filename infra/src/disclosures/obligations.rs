//! The scheduler's side of disclosures: each round it opens the obligations of every recently ended
//! period (within the look-back, decision 106) for every place that owes one, then sends the letters a
//! missing disclosure calls for — a reminder (提示函) when due, a warning (警示函) a grace period later,
//! escalation to the street after another (seed 001, 建立警示制度; decision 103). Each letter is its own
//! transaction, claimed by a unique row, so two schedulers send it once.

use chrono::{DateTime, Utc};
use gongzhi_domain::disclosure::{DisclosureKind, DisclosureRules, Obligation, Period};
use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::task::{Letter, Supervision};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{Condition, QueryOrder, QuerySelect, QueryTrait, SqlErr};
use tracing::{instrument, warn};

use crate::entities::{disclosure, disclosure_letter, disclosure_obligation, place};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Error, Result, Store, new_id};

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DisclosureSupervisionReport {
    pub opened: u32,
    pub reminders: u32,
    pub warnings: u32,
    pub escalations: u32,
    /// Publishers reminded of a question left unanswered past its deadline.
    pub question_reminders: u32,
}

/// A disclosure owed, as the API lists it for the street.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwedDisclosure {
    /// The obligation's row: the cursor of a page of them.
    pub id: Uuid,
    pub place: PlaceId,
    pub kind: DisclosureKind,
    pub period: Period,
    pub owed_by: String,
    pub company: Option<gongzhi_domain::ids::CompanyId>,
    pub obligation: Obligation,
}

const BATCH: u64 = 500;

impl Store {
    /// One round at the clock's now.
    #[instrument(skip_all, err)]
    pub async fn supervise_disclosures(&self, rules: &DisclosureRules) -> Result<DisclosureSupervisionReport> {
        let now = self.clock.now();
        let mut report = DisclosureSupervisionReport::default();
        for kind in DisclosureKind::ALL {
            report.opened += self.open_obligations(kind, rules, now).await?;
        }
        let due = disclosure_obligation::Entity::find()
            .filter(disclosure_obligation::Column::FulfilledAt.is_null())
            .filter(disclosure_obligation::Column::EscalatedAt.is_null())
            .filter(disclosure_obligation::Column::DueAt.lte(now))
            .order_by_asc(disclosure_obligation::Column::DueAt)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        for row in due {
            match self.send_letter(row, rules, now).await {
                Ok(Some(Supervision::Send(Letter::Reminder))) => report.reminders += 1,
                Ok(Some(Supervision::Send(Letter::Warning))) => report.warnings += 1,
                Ok(Some(Supervision::Escalate)) => report.escalations += 1,
                Ok(None) => {}
                Err(err) => warn!(error = %err, "a disclosure letter failed; retried next round"),
            }
        }
        report.question_reminders = self.remind_overdue_questions(now).await?;
        Ok(report)
    }

    /// Obligations of every period of `kind` ended within the look-back that are not open yet (decision
    /// 106), so a scheduler that was down over a period's end still opens it.
    async fn open_obligations(&self, kind: DisclosureKind, rules: &DisclosureRules, now: DateTime<Utc>) -> Result<u32> {
        let mut opened = 0;
        for period in rules.periods_to_open(kind, now) {
            opened += self.open_period(kind, &period, rules.due_at(kind, &period), now).await?;
        }
        Ok(opened)
    }

    /// Obligations of one ended period of `kind`, for places that existed before it ended and owe it:
    /// every community its minutes; compounds with a company under contract their 双晒; compounds with a
    /// filed owners' committee its report. Already published, it is opened fulfilled.
    async fn open_period(
        &self,
        kind: DisclosureKind,
        period: &Period,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u32> {
        let opened = disclosure_obligation::Entity::find()
            .select_only()
            .column(disclosure_obligation::Column::PlaceId)
            .filter(disclosure_obligation::Column::Kind.eq(kind.as_str()))
            .filter(disclosure_obligation::Column::PeriodStart.eq(period.start()))
            .into_query();
        let mut places = place::Entity::find()
            .filter(place::Column::Kind.eq(kind.place_kind().as_str()))
            .filter(place::Column::CreatedAt.lt(period.ends_at()))
            .filter(place::Column::Id.not_in_subquery(opened));
        places = match kind {
            DisclosureKind::Minutes => places,
            DisclosureKind::PropertyAccounts => places.filter(place::Column::PropertyCompanyId.is_not_null()),
            DisclosureKind::CommitteeFunds => places.filter(place::Column::CommitteeSeats.is_not_null()),
        };
        let rows = places.order_by_asc(place::Column::Id).limit(BATCH).all(&self.db).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let published: Vec<(Uuid, DateTime<Utc>)> = disclosure::Entity::find()
            .select_only()
            .column(disclosure::Column::PlaceId)
            .column(disclosure::Column::PublishedAt)
            .filter(disclosure::Column::PlaceId.is_in(ids))
            .filter(disclosure::Column::Kind.eq(kind.as_str()))
            .filter(disclosure::Column::PeriodStart.eq(period.start()))
            .filter(disclosure::Column::Version.eq(1))
            .into_tuple()
            .all(&self.db)
            .await?;
        let count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let models = rows.into_iter().map(|row| disclosure_obligation::ActiveModel {
            id: Set(new_id()),
            place_id: Set(row.id),
            kind: Set(kind.as_str().to_owned()),
            period_start: Set(period.start()),
            period_end: Set(period.end()),
            owed_by: Set(kind.owed_by().as_str().to_owned()),
            company_id: Set(if kind == DisclosureKind::PropertyAccounts { row.property_company_id } else { None }),
            due_at: Set(due_at),
            fulfilled_at: Set(published.iter().find(|(p, _)| *p == row.id).map(|(_, at)| *at)),
            reminder_at: Set(None),
            warning_at: Set(None),
            escalated_at: Set(None),
            created_at: Set(now),
        });
        // Another scheduler may open the same ones: the unique period index keeps one.
        disclosure_obligation::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([
                    disclosure_obligation::Column::PlaceId,
                    disclosure_obligation::Column::Kind,
                    disclosure_obligation::Column::PeriodStart,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        Ok(count)
    }

    async fn send_letter(
        &self,
        row: disclosure_obligation::Model,
        rules: &DisclosureRules,
        now: DateTime<Utc>,
    ) -> Result<Option<Supervision>> {
        let Some(step) = obligation_of(&row).supervise(now, rules.grace()) else { return Ok(None) };
        let (letter, column) = match step {
            Supervision::Send(Letter::Reminder) => ("reminder", disclosure_obligation::Column::ReminderAt),
            Supervision::Send(Letter::Warning) => ("warning", disclosure_obligation::Column::WarningAt),
            Supervision::Escalate => ("escalation", disclosure_obligation::Column::EscalatedAt),
        };
        let txn = self.write().await?;
        let claimed = disclosure_letter::ActiveModel {
            id: Set(new_id()),
            obligation_id: Set(row.id),
            place_id: Set(row.place_id),
            owed_by: Set(row.owed_by.clone()),
            company_id: Set(row.company_id),
            letter: Set(letter.to_owned()),
            sent_at: Set(now),
        }
        .insert(&txn)
        .await;
        match claimed {
            Ok(_) => {}
            // Another scheduler sent it.
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(None),
            Err(err) => return Err(err.into()),
        }
        disclosure_obligation::Entity::update_many()
            .col_expr(column, Expr::value(now))
            .filter(disclosure_obligation::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        let fact = NewEvent::new(
            WireEvent::DisclosureLetterSent {
                obligation: row.id,
                disclosure_kind: row.kind.clone(),
                period_start: row.period_start,
                letter: letter.to_owned(),
                owed_by: row.owed_by.clone(),
                company: row.company_id,
            },
            now,
            Audience::Public,
        )
        .place(PlaceId::from_uuid(row.place_id));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(Some(step))
    }

    /// The obligations of the place and every place under it (a street sees its communities' and
    /// compounds'), latest due first (then newest row first), `limit` of them after the obligation
    /// `after`; `open_only` keeps the unfulfilled.
    #[instrument(skip_all, err)]
    pub async fn owed_disclosures(
        &self,
        under: PlaceId,
        open_only: bool,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<OwedDisclosure>> {
        let root = crate::places::find_row(&self.db, under).await?;
        let level = crate::rows::kind_of(&root)?;
        let column = match level {
            PlaceKind::City => place::Column::CityId,
            PlaceKind::District => place::Column::DistrictId,
            PlaceKind::Street => place::Column::StreetId,
            PlaceKind::Community => place::Column::CommunityId,
            _ => place::Column::CompoundId,
        };
        let inside =
            place::Entity::find().select_only().column(place::Column::Id).filter(column.eq(root.id)).into_query();
        let mut query =
            disclosure_obligation::Entity::find().filter(disclosure_obligation::Column::PlaceId.in_subquery(inside));
        if open_only {
            query = query.filter(disclosure_obligation::Column::FulfilledAt.is_null());
        }
        if let Some(after) = after {
            // Keyset on (due, id): a street's compounds owe on the same due date by the hundred.
            let due = disclosure_obligation::Entity::find_by_id(after)
                .select_only()
                .column(disclosure_obligation::Column::DueAt)
                .into_tuple::<DateTimeUtc>()
                .one(&self.db)
                .await?
                .ok_or(Error::NotFound("cursor"))?;
            query = query.filter(
                Condition::any().add(disclosure_obligation::Column::DueAt.lt(due)).add(
                    Condition::all()
                        .add(disclosure_obligation::Column::DueAt.eq(due))
                        .add(disclosure_obligation::Column::Id.lt(after)),
                ),
            );
        }
        let rows = query
            .order_by_desc(disclosure_obligation::Column::DueAt)
            .order_by_desc(disclosure_obligation::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut owed = Vec::with_capacity(rows.len());
        for row in rows {
            let kind = DisclosureKind::parse(&row.kind).map_err(|_| crate::rows::corrupt("obligation", row.id))?;
            let period = Period::starting(kind.cadence(), row.period_start)
                .map_err(|_| crate::rows::corrupt("obligation", row.id))?;
            owed.push(OwedDisclosure {
                id: row.id,
                place: PlaceId::from_uuid(row.place_id),
                kind,
                period,
                owed_by: row.owed_by.clone(),
                company: row.company_id.map(gongzhi_domain::ids::CompanyId::from_uuid),
                obligation: obligation_of(&row),
            });
        }
        Ok(owed)
    }
}

fn obligation_of(row: &disclosure_obligation::Model) -> Obligation {
    Obligation {
        due_at: row.due_at,
        fulfilled_at: row.fulfilled_at,
        reminder_at: row.reminder_at,
        warning_at: row.warning_at,
        escalated_at: row.escalated_at,
    }
}
