//! The demo clock's offset, kept in the database (decision 83) so that a restart keeps the time a trainer
//! moved to, and every instance on the database runs at the same time: an instance reads it when it
//! starts and at each round of its scheduler, and the one that moves the clock writes it first.

use chrono::Duration;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{QuerySelect, TransactionTrait};
use tracing::instrument;

use crate::entities::server_setting;
use crate::{Result, Store};

const OFFSET: &str = "demo_clock_offset_seconds";

impl Store {
    /// How far ahead of its wall clock the demo runs, as stored (zero before the first move).
    pub async fn demo_clock_offset(&self) -> Result<Duration> {
        let row = server_setting::Entity::find_by_id(OFFSET).one(&self.db).await?;
        Ok(Duration::seconds(row.map_or(0, |row| row.value)))
    }

    /// Moves the stored offset on by `by`, and answers the new offset. Two instances moving at once both
    /// count: the row is locked while it is read and written.
    #[instrument(skip_all)]
    pub async fn advance_demo_clock_offset(&self, by: Duration) -> Result<Duration> {
        let txn = self.db.begin().await?;
        let now = self.clock.now();
        server_setting::Entity::insert(server_setting::ActiveModel {
            name: Set(OFFSET.to_owned()),
            value: Set(0),
            updated_at: Set(now),
        })
        .on_conflict(OnConflict::column(server_setting::Column::Name).do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await?;
        let stored = server_setting::Entity::find_by_id(OFFSET).lock_exclusive().one(&txn).await?;
        let offset = Duration::seconds(stored.map_or(0, |row| row.value)) + by;
        server_setting::Entity::update_many()
            .col_expr(server_setting::Column::Value, Expr::value(offset.num_seconds()))
            .col_expr(server_setting::Column::UpdatedAt, Expr::value(now))
            .filter(server_setting::Column::Name.eq(OFFSET))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(offset)
    }
}
