//! `gongzhi projections rebuild` (decision 153): empties the projection and replays the whole log through
//! the same consumer the pump runs, so a rebuilt projection is the live one by construction (and a test
//! checks it). The reset takes effect only while no instance holds the consumer's lease; a running pump
//! then simply goes on from the start with the rebuild, the two kept apart by the lease.

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{Condition, TransactionTrait};

use super::projection::{NAME, StatisticsProjection};
use crate::entities::{event_consumer, stat_duration, stat_figure, stat_head, stat_stage, stat_topic};
use crate::{Result, Store};

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuilt {
    /// Events replayed.
    pub events: usize,
    /// The log's head the projection reached.
    pub head: i64,
}

impl Store {
    /// Empties the statistics projection and puts its cursor back to the log's start, atomically. False,
    /// changing nothing, when an instance is stepping the consumer right now (try again in a moment).
    pub async fn reset_statistics(&self) -> Result<bool> {
        let now = self.clock().now();
        let txn = self.connection().begin().await?;
        let reset = event_consumer::Entity::update_many()
            .col_expr(event_consumer::Column::Position, Expr::value(0_i64))
            .col_expr(event_consumer::Column::Failures, Expr::value(0))
            .col_expr(event_consumer::Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(event_consumer::Column::RetryAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(event_consumer::Column::UpdatedAt, Expr::value(now))
            .filter(event_consumer::Column::Name.eq(NAME))
            .filter(
                Condition::any()
                    .add(event_consumer::Column::LeasedBy.is_null())
                    .add(event_consumer::Column::LeaseUntil.is_null())
                    .add(event_consumer::Column::LeaseUntil.lt(now)),
            )
            .exec(&txn)
            .await?;
        if reset.rows_affected == 0 && event_consumer::Entity::find_by_id(NAME.to_owned()).one(&txn).await?.is_some() {
            txn.rollback().await?;
            return Ok(false);
        }
        stat_figure::Entity::delete_many().exec(&txn).await?;
        stat_stage::Entity::delete_many().exec(&txn).await?;
        stat_duration::Entity::delete_many().exec(&txn).await?;
        stat_topic::Entity::delete_many().exec(&txn).await?;
        stat_head::Entity::delete_many().exec(&txn).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Resets the projection and replays the log into it, `batch` events at a time; `progress` is told
    /// the events replayed so far after each batch. `None` when the reset found the consumer busy.
    pub async fn rebuild_statistics(&self, batch: usize, mut progress: impl FnMut(usize)) -> Result<Option<Rebuilt>> {
        if !self.reset_statistics().await? {
            return Ok(None);
        }
        let mut events = 0;
        loop {
            let handled = self.consume_once(&StatisticsProjection, batch).await?;
            if handled == 0 {
                break;
            }
            events += handled;
            progress(events);
        }
        let head = self.log_head().await?;
        let position = self.consumer_cursors().await?.into_iter().find(|c| c.name == NAME).map_or(0, |c| c.position);
        if position < head {
            // Another instance took the consumer over mid-rebuild: it goes on from where this one stopped.
            tracing::info!(position, head, "the rebuild's remainder is left to the instance now stepping it");
        }
        Ok(Some(Rebuilt { events, head }))
    }
}
