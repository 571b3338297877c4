use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::vote::{MandateScope, MandateSource as Source};
use gongzhi_infra::mandates::MandateRecord;

use super::person::Person;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};

/// How a mandate reached the record.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum MandateSource {
    /// Given by the owner in the app.
    App,
    /// A signed paper mandate staff recorded, with its scan.
    Paper,
}

/// 委托: an owner's mandate to a proxy, for one owners' vote or for the owners' votes of their compound
/// over a period. Seen by the owner, the proxy and staff who may record paper mandates.
pub struct Mandate(pub MandateRecord);

#[Object]
impl Mandate {
    async fn id(&self) -> ID {
        encode(NodeType::Mandate, self.0.mandate.id)
    }

    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.mandate.owner).await.gql()?.map(Person))
    }

    async fn proxy(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        Ok(ctx.people()?.load_one(self.0.mandate.proxy).await.gql()?.map(Person))
    }

    /// The one vote it is for; `null` for a standing mandate.
    async fn vote_id(&self) -> Option<ID> {
        match self.0.mandate.scope {
            MandateScope::Vote(vote) => Some(encode(NodeType::Vote, vote)),
            MandateScope::Period(_) => None,
        }
    }

    async fn compound_id(&self) -> ID {
        encode(NodeType::Place, self.0.compound)
    }

    /// A standing mandate covers ballots cast from `validFrom` until just before `validUntil`.
    async fn valid_from(&self) -> Option<DateTime<Utc>> {
        match self.0.mandate.scope {
            MandateScope::Period(term) => Some(term.from),
            MandateScope::Vote(_) => None,
        }
    }

    async fn valid_until(&self) -> Option<DateTime<Utc>> {
        match self.0.mandate.scope {
            MandateScope::Period(term) => Some(term.until),
            MandateScope::Vote(_) => None,
        }
    }

    async fn source(&self) -> MandateSource {
        match self.0.mandate.source {
            Source::App => MandateSource::App,
            Source::Paper { .. } => MandateSource::Paper,
        }
    }

    /// Paper mandates: the upload key of the signed paper's scan.
    async fn scan_key(&self) -> Option<&str> {
        match &self.0.mandate.source {
            Source::Paper { scan, .. } => Some(scan),
            Source::App => None,
        }
    }

    /// Paper mandates: who recorded it.
    async fn entered_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Person>> {
        let Source::Paper { entered_by, .. } = &self.0.mandate.source else { return Ok(None) };
        Ok(ctx.people()?.load_one(*entered_by).await.gql()?.map(Person))
    }

    async fn note(&self) -> Option<&str> {
        self.0.mandate.note.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.mandate.created_at
    }

    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.mandate.revoked_at
    }
}
