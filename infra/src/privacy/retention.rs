//! The retention rules (decision 146), applied by the scheduler on the store's clock: access-log rows past
//! their keeping are deleted, and phone numbers past theirs erased, each round in one transaction with the
//! event that says so.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use gongzhi_domain::privacy::retention::{Retention, phone_expired};
use sea_orm::QuerySelect;
use sea_orm::prelude::*;
use tracing::instrument;

use crate::entities::{person, personal_data_access, role_grant};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Result, Store};

/// What one round removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub accesses_purged: u64,
    pub phones_erased: u64,
}

/// At most this many phones are erased per round, so one round's transaction stays short; the rest go in
/// the next.
const PHONES_PER_ROUND: u64 = 500;

impl Store {
    /// One round of the retention rules.
    #[instrument(skip_all, err)]
    pub async fn apply_retention(&self, retention: &Retention) -> Result<RetentionReport> {
        let now = self.clock.now();
        let mut report = RetentionReport::default();
        if let Some(before) = retention.access_log_cutoff(now) {
            report.accesses_purged = self.purge_access_log(before, now).await?;
        }
        if let Some(cutoff) = retention.phone_cutoff(now) {
            report.phones_erased = self.erase_expired_phones(cutoff, now).await?;
        }
        Ok(report)
    }

    async fn purge_access_log(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64> {
        let txn = self.write().await?;
        let deleted = personal_data_access::Entity::delete_many()
            .filter(personal_data_access::Column::At.lt(before))
            .exec(&txn)
            .await?
            .rows_affected;
        if deleted > 0 {
            let fact = NewEvent::new(WireEvent::AccessLogPurged { before, rows: deleted }, now, Audience::Staff);
            crate::event_log::record(&txn, fact).await?;
        }
        txn.commit().await?;
        Ok(deleted)
    }

    async fn erase_expired_phones(&self, cutoff: DateTime<Utc>, now: DateTime<Utc>) -> Result<u64> {
        let txn = self.write().await?;
        // Candidates: a phone, recorded before the cutoff (a later one cannot be past keeping).
        let candidates: Vec<(Uuid, DateTime<Utc>)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::CreatedAt)
            .filter(person::Column::Phone.is_not_null())
            .filter(person::Column::CreatedAt.lt(cutoff))
            .into_tuple()
            .all(&txn)
            .await?;
        let mut expired = Vec::new();
        for chunk in candidates.chunks(200) {
            let ids: Vec<Uuid> = chunk.iter().map(|(id, _)| *id).collect();
            let grants = role_grant::Entity::find().filter(role_grant::Column::PersonId.is_in(ids)).all(&txn).await?;
            let mut live = BTreeSet::new();
            let mut last_ended: BTreeMap<Uuid, DateTime<Utc>> = BTreeMap::new();
            for grant in grants {
                match grant.revoked_at {
                    None => {
                        live.insert(grant.person_id);
                    }
                    Some(at) => {
                        let last = last_ended.entry(grant.person_id).or_insert(at);
                        *last = (*last).max(at);
                    }
                }
            }
            for (id, recorded_at) in chunk {
                if phone_expired(live.contains(id), last_ended.get(id).copied(), *recorded_at, cutoff) {
                    expired.push(*id);
                }
            }
            if expired.len() as u64 >= PHONES_PER_ROUND {
                break;
            }
        }
        expired.truncate(usize::try_from(PHONES_PER_ROUND).unwrap_or(usize::MAX));
        if !expired.is_empty() {
            person::Entity::update_many()
                .col_expr(person::Column::Phone, Expr::value(Option::<String>::None))
                .filter(person::Column::Id.is_in(expired.clone()))
                .exec(&txn)
                .await?;
            let fact = NewEvent::new(WireEvent::PhonesExpired { people: expired.clone() }, now, Audience::Staff);
            crate::event_log::record(&txn, fact).await?;
        }
        txn.commit().await?;
        Ok(expired.len() as u64)
    }
}
