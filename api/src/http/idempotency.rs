//! Finding a mutation's idempotency key: the `Idempotency-Key` header, or an `idempotencyKey` argument
//! (or input field) of a top-level mutation field, given literally or as a variable. Login and token
//! mutations are never replayed: a spent refresh token or WeChat code must not come back from a cache;
//! nor are those that answer with a partner's client secret, which is stored nowhere but as a hash.

use actix_web::http::header::HeaderMap;
use async_graphql::Request;
use async_graphql::parser::types::{OperationType, Selection};
use async_graphql::parser::{Positioned, types::Field};
use async_graphql_value::{Name, Value};

use crate::error::BadRequest;

const NOT_REPLAYABLE: [&str; 6] =
    ["loginWithWeChat", "refreshSession", "devLogin", "logout", "registerPartner", "rotatePartnerSecret"];
const FIELD: &str = "idempotencyKey";

/// The key to run this request under, if it is a mutation that has one. A header key that is not
/// visible ASCII is refused rather than passed over: passed over, the mutation would run with no key, and
/// a client retrying it would act twice.
pub fn key_for(headers: &HeaderMap, request: &Request) -> Result<Option<String>, BadRequest> {
    // Most requests carry no key at all: spare them a second parse of the document.
    let header = headers.get("idempotency-key");
    let named = || {
        request.query.contains(FIELD)
            || (request.query.contains("mutation")
                && request.variables.clone().into_value().into_json().is_ok_and(|v| v.to_string().contains(FIELD)))
    };
    if header.is_none() && !named() {
        return Ok(None);
    }
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else { return Ok(None) };
    let Some(operation) = super::documents::operation(&document, request.operation_name.as_deref()) else {
        return Ok(None);
    };
    if operation.ty != OperationType::Mutation {
        return Ok(None);
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
        return Ok(None);
    }
    if let Some(header) = header {
        let key = header.to_str().map_err(|_| BadRequest::IdempotencyKeyHeader)?;
        return Ok(Some(key.trim().to_owned()));
    }
    let variables = request.variables.clone().into_value().into_json().unwrap_or_default();
    Ok(fields.iter().flat_map(|field| field.node.arguments.iter()).find_map(|(name, value)| {
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
    }))
}

fn text(value: &Value, variables: &serde_json::Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Variable(variable) => variables.get(variable.as_str()).and_then(|v| v.as_str()).map(str::to_owned),
        _ => None,
    }
}
