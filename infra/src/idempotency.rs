//! Idempotency keys. A mutation sent with a key runs in a unit of work that first claims the key; its
//! response is recorded in the same transaction as its effects, so a retry either finds the recorded
//! response (and replays it) or finds nothing (because the first attempt left no trace).

use gongzhi_domain::Invalid;
use gongzhi_domain::ids::PersonId;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, TransactionTrait};
use sha2::{Digest, Sha256};
use tracing::instrument;

use crate::entities::idempotency_key;
use crate::{Error, Result, Store};

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyClaim {
    /// First use: go ahead, then record the response.
    Fresh,
    /// Used before for the same request: here is the response it got.
    Replay(String),
    /// Used before for a different request.
    Mismatch,
}

/// Keys are client-chosen (a UUID is typical): printable ASCII, at most 100 characters.
pub fn check_key(key: &str) -> Result<(), Invalid> {
    if (1..=100).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Invalid::UnknownValue { field: "idempotencyKey", given: key.chars().take(100).collect() })
    }
}

/// SHA-256 over the parts of a request that decide what it does.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Claims `key` for `person` inside this unit of work. On PostgreSQL a concurrent first attempt holding
    /// the same key makes this wait until that attempt commits (replay) or rolls back (fresh).
    #[instrument(skip_all)]
    pub async fn claim_idempotency_key(&self, person: PersonId, key: &str, request_hash: &str) -> Result<KeyClaim> {
        check_key(key)?;
        let savepoint = self.db.begin().await?;
        let inserted = idempotency_key::ActiveModel {
            person_id: Set(person.as_uuid()),
            key: Set(key.to_owned()),
            request_hash: Set(request_hash.to_owned()),
            response: Set(String::new()),
            created_at: Set(self.clock.now()),
        }
        .insert(&savepoint)
        .await;
        match inserted {
            Ok(_) => {
                savepoint.commit().await?;
                Ok(KeyClaim::Fresh)
            }
            Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
                savepoint.rollback().await?;
                let row = idempotency_key::Entity::find_by_id((person.as_uuid(), key.to_owned()))
                    .one(&self.db)
                    .await?
                    .ok_or(Error::NotFound("idempotency key"))?;
                Ok(if row.request_hash == request_hash { KeyClaim::Replay(row.response) } else { KeyClaim::Mismatch })
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Records the response of a fresh claim, in the same unit of work as the mutation's effects.
    pub async fn record_idempotent_response(&self, person: PersonId, key: &str, response: &str) -> Result<()> {
        idempotency_key::Entity::update_many()
            .col_expr(idempotency_key::Column::Response, Expr::value(response))
            .filter(idempotency_key::Column::PersonId.eq(person.as_uuid()))
            .filter(idempotency_key::Column::Key.eq(key))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
