//! A person's export of their own data (decisions 143–145). Requesting writes the request, its access-log
//! row and its event in one transaction; the archive is then built in the same call (a person's records
//! are hundreds of rows, seconds at most), stored through the blob store, and the export marked ready with
//! its event in a second transaction. A build that fails leaves the request `requested`: the person asks
//! again, and nothing half-built is ever linked.

use gongzhi_domain::ids::{DataExportId, PersonId};
use gongzhi_domain::policy::Actor;
use gongzhi_domain::privacy::access::AccessKind;
use gongzhi_domain::privacy::export::{DataExport, ExportStatus, archive_cutoff, authorize_export, may_request_export};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use tracing::instrument;

use super::access_log::log_reads;
use crate::entities::data_export as row;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::files::BlobStore;
use crate::rows::corrupt;
use crate::{Error, Result, Store, new_id};

fn export_of(row: row::Model) -> Result<DataExport, DbErr> {
    let id = DataExportId::from_uuid(row.id);
    let requested = DataExport::requested(id, PersonId::from_uuid(row.person_id), row.requested_at);
    match (row.status.as_str(), row.ready_at, row.file_key, row.size_bytes) {
        ("requested", ..) => Ok(requested),
        ("ready", Some(at), Some(key), Some(size)) => {
            requested.ready(at, key, u64::try_from(size).unwrap_or(0)).map_err(|_| corrupt("export", row.id))
        }
        _ => Err(corrupt("export", row.id)),
    }
}

fn fault(what: String) -> Error {
    Error::Database(DbErr::Custom(what))
}

impl Store {
    /// The person asks for a copy of their data; answered with the export once its archive is stored.
    #[instrument(skip_all, err)]
    pub async fn request_data_export(
        &self,
        actor: &Actor,
        person: PersonId,
        blobs: &dyn BlobStore,
    ) -> Result<DataExport> {
        authorize_export(actor, person)?;
        // A closed account has nothing left to export (decision 165).
        if self.is_erased(person).await? {
            return Err(gongzhi_domain::privacy::erasure::ErasureRefusal::AlreadyErased.into());
        }
        let now = self.clock.now();
        let id = DataExportId::from_uuid(new_id());
        let txn = self.write().await?;
        let last = row::Entity::find()
            .filter(row::Column::PersonId.eq(person.as_uuid()))
            .order_by_desc(row::Column::RequestedAt)
            .one(&txn)
            .await?;
        may_request_export(last.map(|row| row.requested_at), now)?;
        row::ActiveModel {
            id: Set(id.as_uuid()),
            person_id: Set(person.as_uuid()),
            status: Set("requested".to_owned()),
            requested_at: Set(now),
            ready_at: Set(None),
            file_key: Set(None),
            size_bytes: Set(None),
        }
        .insert(&txn)
        .await?;
        log_reads(&txn, now, actor.person, AccessKind::ExportRequested, [person], Some(id.as_uuid()), None).await?;
        let fact = NewEvent::new(WireEvent::DataExportRequested { export: id.as_uuid() }, now, Audience::Private)
            .actor(Some(actor.person));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        self.build_data_export(DataExport::requested(id, person, now), blobs).await
    }

    /// Builds the archive, stores it, and marks the export ready.
    async fn build_data_export(&self, export: DataExport, blobs: &dyn BlobStore) -> Result<DataExport> {
        let bytes = self.export_archive(export.person).await?;
        let key = DataExport::key_of(export.id);
        // The API logs the cause once, where it answers INTERNAL (decision 47).
        blobs.put(&key, &bytes).await.map_err(|e| fault(format!("storing {key} failed: {e}")))?;
        let now = self.clock.now();
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        let ready = export.ready(now, key.clone(), size).map_err(|e| fault(e.to_string()))?;
        let txn = self.write().await?;
        let updated = row::Entity::update_many()
            .col_expr(row::Column::Status, Expr::value(ready.status.code()))
            .col_expr(row::Column::ReadyAt, Expr::value(now))
            .col_expr(row::Column::FileKey, Expr::value(key))
            .col_expr(row::Column::SizeBytes, Expr::value(i64::try_from(size).unwrap_or(i64::MAX)))
            .filter(row::Column::Id.eq(ready.id.as_uuid()))
            .filter(row::Column::Status.eq("requested"))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(fault(format!("export {} was no longer requested", ready.id)));
        }
        let event = WireEvent::DataExportReady { export: ready.id.as_uuid(), size_bytes: size };
        let fact = NewEvent::new(event, now, Audience::Private).actor(Some(ready.person));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(ready)
    }

    /// The scheduler's round (decision 148): archives built more than `export_days` ago are deleted from the
    /// file store, then their rows, so the person no longer sees an export whose file is gone. A file that
    /// cannot be deleted keeps its row, and the next round tries again. How many were deleted.
    #[instrument(skip_all, err)]
    pub async fn purge_old_exports(&self, blobs: &dyn BlobStore, export_days: u32) -> Result<u64> {
        let Some(before) = archive_cutoff(self.clock.now(), export_days) else { return Ok(0) };
        let old = row::Entity::find()
            .filter(row::Column::Status.eq("ready"))
            .filter(row::Column::ReadyAt.lt(before))
            .order_by_asc(row::Column::ReadyAt)
            .limit(100)
            .all(&self.db)
            .await?;
        let mut deleted = 0;
        for export in old {
            let Some(key) = export.file_key.as_deref() else { continue };
            if let Err(err) = blobs.delete(key).await {
                tracing::warn!(export = %export.id, error = %err, "an old export's archive could not be deleted");
                continue;
            }
            deleted += row::Entity::delete_by_id(export.id).exec(&self.db).await?.rows_affected;
        }
        Ok(deleted)
    }

    /// The logged-in person's exports, newest first (at most 20).
    pub async fn my_data_exports(&self, actor: &Actor) -> Result<Vec<DataExport>> {
        let rows = row::Entity::find()
            .filter(row::Column::PersonId.eq(actor.person.as_uuid()))
            .order_by_desc(row::Column::Id)
            .limit(20)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(export_of).collect::<Result<_, _>>()?)
    }

    /// The file route serves a key under `exports/`: the download is logged as the person's, since only they
    /// were shown its link (decision 145). `NotFound` for a key no export holds; an error when the row
    /// cannot be written, and then nothing is served.
    #[instrument(skip_all, err)]
    pub async fn log_export_download(&self, key: &str) -> Result<()> {
        let row = row::Entity::find()
            .filter(row::Column::FileKey.eq(key))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound("export"))?;
        let export = export_of(row)?;
        let ExportStatus::Ready { .. } = export.status else { return Err(Error::NotFound("export")) };
        let now = self.clock.now();
        log_reads(
            &self.db,
            now,
            export.person,
            AccessKind::ExportDownloaded,
            [export.person],
            Some(export.id.as_uuid()),
            None,
        )
        .await
    }
}
