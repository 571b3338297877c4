use async_graphql::{Context, ID, Object};

use crate::error::{ApiError, BadRequest, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, decode_any};
use crate::graphql::types::Node;
use crate::graphql::types::category::Category;
use crate::graphql::types::claim::HouseholdClaim;
use crate::graphql::types::company::PropertyCompany;
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
    /// exactly like ids that do not exist. An API partner reads topics within its scope, and nothing else.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Node> {
        let caller = ctx.caller().await?;
        let store = &ctx.store();
        let (kind, uuid) = decode_any(&id).ok_or(ApiError::Bad(BadRequest::Id { expected: "node" })).gql()?;
        if kind == NodeType::Topic {
            return Ok(Node::Topic(Topic(store.topic(caller, uuid.into()).await.gql()?)));
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
            // Disclosures are read with `disclosure(id:)` and `disclosures(placeId:)`.
            | NodeType::Disclosure
            | NodeType::DisclosureQuestion
            // Surveys and listings are read with `survey` and `companyListings`.
            | NodeType::Survey
            | NodeType::CompanyListing
            // Plans are read on their problem compound.
            | NodeType::RectificationPlan => {
                return Err(ApiError::NotFound.into_graphql());
            }
        })
    }
}
