//! Personal information (issue 19): reads of a person's data as the access log keeps them, and a person's
//! export of their own data with the link to download it.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::privacy::access::AccessKind as DomainKind;
use gongzhi_domain::privacy::export::{DataExport as Inner, ExportStatus};
use gongzhi_infra::privacy::LoggedAccess;

use super::file_link::FileLink;
use super::person::Person;
use crate::error::Gql;
use crate::graphql::context::CtxExt;

/// What was read.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DataAccessKind {
    /// An owners' vote's ballot roll with names, read by an organiser.
    BallotRoll,
    /// A household claim with its evidence, read by staff.
    ClaimEvidence,
    /// The register's people with their phones, read by staff.
    Register,
    /// The person asked for a copy of their data.
    ExportRequested,
    /// The copy was downloaded.
    ExportDownloaded,
    /// A city administrator read who looked at the person's data.
    AccessLog,
}

impl From<DomainKind> for DataAccessKind {
    fn from(kind: DomainKind) -> Self {
        match kind {
            DomainKind::BallotRoll => DataAccessKind::BallotRoll,
            DomainKind::ClaimEvidence => DataAccessKind::ClaimEvidence,
            DomainKind::Register => DataAccessKind::Register,
            DomainKind::ExportRequested => DataAccessKind::ExportRequested,
            DomainKind::ExportDownloaded => DataAccessKind::ExportDownloaded,
            DomainKind::AccessLog => DataAccessKind::AccessLog,
        }
    }
}

/// One read of one person's data.
pub struct DataAccess(pub LoggedAccess);

#[Object]
impl DataAccess {
    async fn at(&self) -> DateTime<Utc> {
        self.0.access.at
    }

    async fn kind(&self) -> DataAccessKind {
        self.0.access.kind.into()
    }

    /// Who read.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.access.actor).await.gql()?.map(Person))
    }

    /// Whose data was read.
    async fn subject(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.access.subject).await.gql()?.map(Person))
    }

    /// The raw id of what was read: the vote, the claim, the place or the export.
    async fn reference(&self) -> Option<ID> {
        self.0.access.reference.map(|id| ID(id.to_string()))
    }

    /// Why, where a reason was asked.
    async fn reason(&self) -> Option<&str> {
        self.0.access.reason.as_deref()
    }
}

/// Where an export stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DataExportStatus {
    Requested,
    Ready,
}

/// A copy of the logged-in person's data (个人信息查阅、复制).
pub struct DataExport(pub Inner);

#[Object]
impl DataExport {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn status(&self) -> DataExportStatus {
        match self.0.status {
            ExportStatus::Requested => DataExportStatus::Requested,
            ExportStatus::Ready { .. } => DataExportStatus::Ready,
        }
    }

    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.requested_at
    }

    async fn ready_at(&self) -> Option<DateTime<Utc>> {
        match &self.0.status {
            ExportStatus::Ready { at, .. } => Some(*at),
            ExportStatus::Requested => None,
        }
    }

    async fn size_bytes(&self) -> Option<u64> {
        match &self.0.status {
            ExportStatus::Ready { size_bytes, .. } => Some(*size_bytes),
            ExportStatus::Requested => None,
        }
    }

    /// A signed link to the zip, good until its `expiresAt`; query the export again for a new one. Only the
    /// person sees their exports, so only they are ever given it; each download is logged (decision 145).
    async fn download(&self, ctx: &Context<'_>) -> Option<FileLink> {
        match &self.0.status {
            ExportStatus::Ready { key, .. } => Some(FileLink::mint(ctx, key)),
            ExportStatus::Requested => None,
        }
    }
}
