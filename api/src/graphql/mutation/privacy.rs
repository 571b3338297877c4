//! A person asks for a copy of their data (个人信息查阅、复制, issue 19; decision 144).

use async_graphql::{Context, ID, Object};
use gongzhi_domain::ids::PersonId;

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode};
use crate::graphql::types::privacy::DataExport;

#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Builds an archive of the logged-in person's data (JSON files and a README in Chinese and English)
    /// and answers with the export, ready, with its download link. `personId`, when given, must be the
    /// person themselves: nobody exports another's data (`FORBIDDEN`).
    async fn request_data_export(&self, ctx: &Context<'_>, person_id: Option<ID>) -> async_graphql::Result<DataExport> {
        let actor = ctx.actor().await?;
        let person = match &person_id {
            Some(id) => decode::<PersonId>(NodeType::Person, id).gql()?,
            None => actor.person,
        };
        let blobs = ctx.state().blobs.clone();
        let export = ctx.store().request_data_export(actor, person, blobs.as_ref()).await.gql()?;
        Ok(DataExport(export))
    }
}
