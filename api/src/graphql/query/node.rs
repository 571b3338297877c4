use async_graphql::{Context, ID, Object};

use crate::error::{ApiError, BadRequest, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode_any};
use crate::graphql::types::Node;
use crate::graphql::types::category::Category;
use crate::graphql::types::claim::HouseholdClaim;
use crate::graphql::types::company::PropertyCompany;
use crate::graphql::types::disclosure::{Disclosure, DisclosureQuestion};
use crate::graphql::types::grid::Grid;
use crate::graphql::types::meeting::Meeting;
use crate::graphql::types::person::Person;
use crate::graphql::types::place::Place;
use crate::graphql::types::role_grant::RoleGrant;
use crate::graphql::types::round::Round;
use crate::graphql::types::topic::Topic;

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id. Private records the viewer may not see are reported as not found,
    /// exactly like ids that do not exist. An API partner reads topics within its scope, with the `TOPICS` scope,
    /// and the public disclosures, and nothing else.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Node> {
        let caller = ctx.caller().await?;
        let store = &ctx.store();
        let (kind, uuid) = decode_any(&id).ok_or(ApiError::Bad(BadRequest::Id { expected: "node" })).gql()?;
        if kind == NodeType::Topic {
            ctx.partner_may(gongzhi_domain::partner::PartnerScope::Topics)?;
            return Ok(Node::Topic(Topic(store.topic(caller, uuid.into()).await.gql()?)));
        }
        // Disclosures and their questions are public (居务公开, seed 001), like `disclosure(id:)`: an API
        // partner reads them too.
        match kind {
            NodeType::Disclosure => {
                return Ok(Node::Disclosure(Disclosure(store.disclosure(uuid.into()).await.gql()?)));
            }
            NodeType::DisclosureQuestion => {
                let question = store.disclosure_question(uuid.into()).await.gql()?;
                return Ok(Node::DisclosureQuestion(DisclosureQuestion(question)));
            }
            _ => {}
        }
        let actor = ctx.actor().await?;
        Ok(match kind {
            NodeType::Place => Node::Place(Place(store.place(uuid.into()).await.gql()?)),
            NodeType::Person => Node::Person(Person(store.person_for(actor, uuid.into()).await.gql()?)),
            NodeType::HouseholdClaim => {
                Node::HouseholdClaim(HouseholdClaim(store.claim_for(actor, uuid.into()).await.gql()?))
            }
            NodeType::RoleGrant => Node::RoleGrant(RoleGrant(store.grant_for(actor, uuid.into()).await.gql()?)),
            NodeType::Grid => Node::Grid(Grid(store.grid(uuid.into()).await.gql()?)),
            NodeType::PropertyCompany => {
                Node::PropertyCompany(PropertyCompany(store.company(uuid.into()).await.gql()?))
            }
            NodeType::Category => Node::Category(Category(store.category(uuid.into()).await.gql()?)),
            NodeType::Round => Node::Round(Round(store.round(uuid.into()).await.gql()?)),
            NodeType::Vote => Node::Vote(store.vote(actor, uuid.into()).await.gql()?.into()),
            NodeType::Meeting => Node::Meeting(Meeting(store.meeting(actor, uuid.into()).await.gql()?)),
            // Tasks, requests and opinions are read through their topic; messages and webhooks through the
            // delivery operations, and API partners through the registry, which only city administrators
            // may use.
            // Topics were answered above, for people and partners alike.
            NodeType::Topic
            | NodeType::Task
            | NodeType::TopicRequest
            | NodeType::Opinion
            | NodeType::OutboxMessage
            | NodeType::WebhookEndpoint
            | NodeType::ApiPartner
            | NodeType::Mandate
            | NodeType::PersonMerge
            // Surveys and listings are read with `survey` and `companyListings`.
            | NodeType::Survey
            | NodeType::CompanyListing
            // Plans are read on their problem compound.
            | NodeType::RectificationPlan
            // Held submissions are read with `myHeldContent` and `moderationQueue`.
            | NodeType::ContentHold => {
                return Err(ApiError::NotFound.into_graphql());
            }
            // Answered above, for people and partners alike.
            NodeType::Disclosure | NodeType::DisclosureQuestion => {
                return Err(ApiError::NotFound.into_graphql());
            }
        })
    }
}
