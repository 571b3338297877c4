//! Finding a mutation's idempotency key: the `Idempotency-Key` header, or an `idempotencyKey` argument
//! (or input field) of a top-level mutation field, given literally or as a variable. Login and token
//! mutations are never replayed: a spent refresh token or WeChat code must not come back from a cache;
//! nor are those that answer with a partner's client secret, which is stored nowhere but as a hash.

use actix_web::http::header::HeaderMap;
use async_graphql::Request;
use async_graphql::parser::types::{OperationType, Selection};
use async_graphql::parser::{Positioned, types::Field};
use async_graphql_value::{Name, Value};

const NOT_REPLAYABLE: [&str; 6] =
    ["loginWithWeChat", "refreshSession", "devLogin", "logout", "registerPartner", "rotatePartnerSecret"];
const FIELD: &str = "idempotencyKey";

/// The key to run this request under, if it is a mutation that has one.
pub fn key_for(headers: &HeaderMap, request: &Request) -> Option<String> {
    // Most requests carry no key at all: spare them a second parse of the document.
    let header = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let named = || {
        request.query.contains(FIELD)
            || (request.query.contains("mutation")
                && request.variables.clone().into_value().into_json().is_ok_and(|v| v.to_string().contains(FIELD)))
    };
    if header.is_none() && !named() {
        return None;
    }
    let document = async_graphql::parser::parse_query(&request.query).ok()?;
    let operation = super::documents::operation(&document, request.operation_name.as_deref())?;
    if operation.ty != OperationType::Mutation {
        return None;
    }
    let fields: Vec<&Positioned<Field>> = operation
        .selection_set
        .node
        .items
        .iter()
        .filter_map(|selection| match &selection.node {
            Selection::Field(field) => Some(field),
            _ => None,
        })
        .collect();
    if fields.iter().any(|field| NOT_REPLAYABLE.contains(&field.node.name.node.as_str())) {
        return None;
    }
    if let Some(header) = header {
        return Some(header.trim().to_owned());
    }
    let variables = request.variables.clone().into_value().into_json().unwrap_or_default();
    fields.iter().flat_map(|field| field.node.arguments.iter()).find_map(|(name, value)| {
        match (name.node.as_str(), &value.node) {
            (FIELD, value) => text(value, &variables),
            (_, Value::Object(fields)) => fields.get(&Name::new(FIELD)).and_then(|v| text(v, &variables)),
            (_, Value::Variable(variable)) => variables
                .get(variable.as_str())
                .and_then(|input| input.get(FIELD))
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            _ => None,
        }
    })
}

fn text(value: &Value, variables: &serde_json::Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Variable(variable) => variables.get(variable.as_str()).and_then(|v| v.as_str()).map(str::to_owned),
        _ => None,
    }
}
