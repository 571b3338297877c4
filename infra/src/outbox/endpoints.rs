//! Partners' webhook endpoints as delivery reads them: live ones with the kinds each chose, and the scope
//! test an event passes to reach one. Kinds are rows (`webhook_endpoint_kinds`), checked against the
//! known kinds when registered; none means every kind.

use std::collections::HashMap;

use gongzhi_domain::notify::EndpointCircuit;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder};

use crate::Result;
use crate::entities::{webhook_endpoint, webhook_endpoint_kind};

/// The wire code of a kind a partner may choose: a topic's timeline kind, as the log's wire type names it
/// (`topic.accepted`). The bare timeline code (`accepted`), which endpoints were registered with before
/// the log, is read as its wire code. `None` for a kind that does not exist.
pub(crate) fn wire_kind(given: &str) -> Option<String> {
    let code = given.strip_prefix("topic.").unwrap_or(given);
    gongzhi_domain::topic::EventKind::CODES.contains(&code).then(|| format!("topic.{code}"))
}

/// An endpoint and the kinds it chose (empty: every kind).
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub row: webhook_endpoint::Model,
    pub kinds: Vec<String>,
}

impl Endpoint {
    /// Whether the live feed sends it this event: one logged since it was registered, that it wants.
    pub fn follows(&self, seq: i64, kind: &str, path: &[Uuid]) -> bool {
        seq > self.row.since_sequence && self.wants(kind, path)
    }

    /// Whether an event of `kind` about a place on `path` (city first, the place last) goes to it. Only a
    /// topic's steps go to partners, whatever the endpoint chose: other public facts (a ballot cast, a
    /// place created) are the platform's own and may name a person (decision 73).
    pub fn wants(&self, kind: &str, path: &[Uuid]) -> bool {
        if wire_kind(kind).as_deref() != Some(kind) {
            return false;
        }
        let in_scope = self.row.place_id.is_none_or(|scope| path.contains(&scope));
        let wanted = self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind);
        in_scope && wanted
    }
}

/// The circuit stored on an endpoint's row (decision 160).
pub(crate) fn stored_circuit(row: &webhook_endpoint::Model) -> EndpointCircuit {
    EndpointCircuit { failures: u32::try_from(row.circuit_failures).unwrap_or(0), open_until: row.circuit_open_until }
}

/// Stores an endpoint's circuit after an attempt.
pub(crate) async fn store_circuit(db: &impl ConnectionTrait, endpoint: Uuid, circuit: EndpointCircuit) -> Result<()> {
    webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::CircuitFailures,
            Expr::value(i32::try_from(circuit.failures).unwrap_or(i32::MAX)),
        )
        .col_expr(webhook_endpoint::Column::CircuitOpenUntil, Expr::value(circuit.open_until))
        .filter(webhook_endpoint::Column::Id.eq(endpoint))
        .exec(db)
        .await?;
    Ok(())
}

/// The endpoints not disabled, oldest first, with their kinds: two statements whatever their number.
pub(crate) async fn live(db: &impl ConnectionTrait) -> Result<Vec<Endpoint>> {
    let rows = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::DisabledAt.is_null())
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .all(db)
        .await?;
    with_kinds(db, rows).await
}

/// The rows with their kinds.
pub(crate) async fn with_kinds(db: &impl ConnectionTrait, rows: Vec<webhook_endpoint::Model>) -> Result<Vec<Endpoint>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut kinds: HashMap<Uuid, Vec<String>> = HashMap::new();
    let kind_rows = webhook_endpoint_kind::Entity::find()
        .filter(webhook_endpoint_kind::Column::EndpointId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(webhook_endpoint_kind::Column::Kind)
        .all(db)
        .await?;
    for row in kind_rows {
        kinds.entry(row.endpoint_id).or_default().push(row.kind);
    }
    Ok(rows.into_iter().map(|row| Endpoint { kinds: kinds.remove(&row.id).unwrap_or_default(), row }).collect())
}
