//! A staff-recorded request to erase a person (decision 166).

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::privacy::erasure::RequestStatus;
use gongzhi_infra::privacy::ErasureRequest as Inner;

use super::person::Person;
use crate::error::Gql;
use crate::graphql::context::CtxExt;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ErasureRequestStatus {
    /// Recorded, not yet carried out.
    Recorded,
    /// Carried out: the person is erased.
    Done,
}

pub struct ErasureRequest(pub Inner);

#[Object]
impl ErasureRequest {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The person to be erased (shown under the pseudonym once done).
    async fn person(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.person).await.gql()?.map(Person))
    }

    async fn status(&self) -> ErasureRequestStatus {
        match self.0.status {
            RequestStatus::Recorded => ErasureRequestStatus::Recorded,
            RequestStatus::Done => ErasureRequestStatus::Done,
        }
    }

    /// The request's reference as staff filed it.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }

    async fn erased_at(&self) -> Option<DateTime<Utc>> {
        self.0.erased_at
    }
}
