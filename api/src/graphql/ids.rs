//! Relay global ids: opaque to clients, `base64url("Type:uuid")` inside, so `node(id:)` knows what to load
//! and an id of one type cannot be passed where another is expected.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::{ApiError, BadRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeType {
    Person,
    Place,
    RoleGrant,
    HouseholdClaim,
    Grid,
    PropertyCompany,
    Topic,
    Category,
    Round,
    Vote,
    Task,
    TopicRequest,
    Meeting,
    Opinion,
    OutboxMessage,
    WebhookEndpoint,
    ApiPartner,
    Mandate,
    PersonMerge,
    Disclosure,
    DisclosureQuestion,
    Survey,
    CompanyListing,
    RectificationPlan,
    ContentHold,
}

impl NodeType {
    const ALL: [NodeType; 25] = [
        NodeType::Person,
        NodeType::Place,
        NodeType::RoleGrant,
        NodeType::HouseholdClaim,
        NodeType::Grid,
        NodeType::PropertyCompany,
        NodeType::Topic,
        NodeType::Category,
        NodeType::Round,
        NodeType::Vote,
        NodeType::Task,
        NodeType::TopicRequest,
        NodeType::Meeting,
        NodeType::Opinion,
        NodeType::OutboxMessage,
        NodeType::WebhookEndpoint,
        NodeType::ApiPartner,
        NodeType::Mandate,
        NodeType::PersonMerge,
        NodeType::Disclosure,
        NodeType::DisclosureQuestion,
        NodeType::Survey,
        NodeType::CompanyListing,
        NodeType::RectificationPlan,
        NodeType::ContentHold,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            NodeType::Person => "Person",
            NodeType::Place => "Place",
            NodeType::RoleGrant => "RoleGrant",
            NodeType::HouseholdClaim => "HouseholdClaim",
            NodeType::Grid => "Grid",
            NodeType::PropertyCompany => "PropertyCompany",
            NodeType::Topic => "Topic",
            NodeType::Category => "Category",
            NodeType::Round => "Round",
            NodeType::Vote => "Vote",
            NodeType::Task => "Task",
            NodeType::TopicRequest => "TopicRequest",
            NodeType::Meeting => "Meeting",
            NodeType::Opinion => "Opinion",
            NodeType::OutboxMessage => "OutboxMessage",
            NodeType::WebhookEndpoint => "WebhookEndpoint",
            NodeType::ApiPartner => "ApiPartner",
            NodeType::Mandate => "Mandate",
            NodeType::PersonMerge => "PersonMerge",
            NodeType::Disclosure => "Disclosure",
            NodeType::DisclosureQuestion => "DisclosureQuestion",
            NodeType::Survey => "Survey",
            NodeType::CompanyListing => "CompanyListing",
            NodeType::RectificationPlan => "RectificationPlan",
            NodeType::ContentHold => "ContentHold",
        }
    }
}

pub fn encode(kind: NodeType, id: impl Into<Uuid>) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{}", kind.name(), id.into())))
}

/// Any global id: its type and uuid.
pub fn decode_any(id: &ID) -> Option<(NodeType, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (name, uuid) = text.split_once(':')?;
    let kind = NodeType::ALL.into_iter().find(|k| k.name() == name)?;
    Some((kind, Uuid::parse_str(uuid).ok()?))
}

/// A global id that must be of one type.
pub fn decode<T: From<Uuid>>(kind: NodeType, id: &ID) -> Result<T, ApiError> {
    match decode_any(id) {
        Some((found, uuid)) if found == kind => Ok(T::from(uuid)),
        _ => Err(ApiError::Bad(BadRequest::Id { expected: kind.name() })),
    }
}

/// Cursors are the row id of the last item seen, opaque like ids.
pub fn cursor(id: impl Into<Uuid>) -> String {
    URL_SAFE_NO_PAD.encode(id.into().as_bytes())
}

pub fn decode_cursor(cursor: &str) -> Result<Uuid, ApiError> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| ApiError::Bad(BadRequest::Cursor))?;
    Uuid::from_slice(&bytes).map_err(|_| ApiError::Bad(BadRequest::Cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_keep_their_type() {
        let uuid = Uuid::now_v7();
        let id = encode(NodeType::Place, uuid);
        assert_eq!(decode_any(&id), Some((NodeType::Place, uuid)));
        assert!(decode::<Uuid>(NodeType::Person, &id).is_err());
        assert!(decode_any(&ID("not-an-id".into())).is_none());
    }
}
