//! Refresh tokens are opaque random strings stored only as SHA-256 hashes. Each use rotates the token;
//! presenting one that was already rotated means it leaked (or was replayed), so the whole session —
//! every token descended from that login — is revoked.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use gongzhi_domain::ids::{PersonId, SessionId};
use rand::RngCore;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, TransactionTrait};
use sha2::{Digest, Sha256};
use tracing::{instrument, warn};

use super::{AuthError, JwtKeys};
use crate::entities::{login_session, refresh_token};
use crate::{Result, Store, new_id};

pub const REFRESH_TTL_DAYS: i64 = 30;

/// What a login or refresh hands to the client.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub person: PersonId,
    pub session: SessionId,
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn fresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

async fn insert_refresh(
    db: &impl ConnectionTrait,
    session: Uuid,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>)> {
    let token = fresh_token();
    let expires = now + Duration::days(REFRESH_TTL_DAYS);
    refresh_token::ActiveModel {
        id: Set(new_id()),
        session_id: Set(session),
        token_hash: Set(hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, expires))
}

/// Ends `person`'s `session`; a session that is not theirs is left alone, whatever token named it.
async fn revoke_session(
    db: &impl ConnectionTrait,
    (session, person): (Uuid, Uuid),
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    login_session::Entity::update_many()
        .col_expr(login_session::Column::RevokedAt, Expr::value(now))
        .col_expr(login_session::Column::RevokeReason, Expr::value(reason))
        .filter(login_session::Column::Id.eq(session))
        .filter(login_session::Column::PersonId.eq(person))
        .filter(login_session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

impl Store {
    /// Starts a session for a person who has just proven who they are.
    #[instrument(skip_all)]
    pub async fn start_session(&self, keys: &JwtKeys, person: PersonId) -> Result<IssuedTokens> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let session = login_session::ActiveModel {
            id: Set(new_id()),
            person_id: Set(person.as_uuid()),
            created_at: Set(now),
            revoked_at: Set(None),
            revoke_reason: Set(None),
        }
        .insert(&txn)
        .await?;
        let (refresh_token, refresh_expires_at) = insert_refresh(&txn, session.id, now).await?;
        let session = SessionId::from_uuid(session.id);
        let (access_token, access_expires_at) = keys.issue(person, session, now)?;
        txn.commit().await?;
        Ok(IssuedTokens { person, session, access_token, access_expires_at, refresh_token, refresh_expires_at })
    }

    /// Trades a refresh token for a new pair. The old one is spent whether or not the client receives the
    /// answer; a client that retries with it ends its session (the price of detecting theft).
    #[instrument(skip_all)]
    pub async fn refresh_session(&self, keys: &JwtKeys, token: &str) -> Result<IssuedTokens> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        let row = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(hash(token)))
            .one(&txn)
            .await?
            .ok_or(AuthError::InvalidRefresh)?;
        let session =
            login_session::Entity::find_by_id(row.session_id).one(&txn).await?.ok_or(AuthError::InvalidRefresh)?;
        if session.revoked_at.is_some() {
            return Err(AuthError::SessionEnded.into());
        }
        // Spend the token only if nobody spent it first: of two concurrent uses, one wins and the other is
        // a reuse.
        let spent = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
            .filter(refresh_token::Column::Id.eq(row.id))
            .filter(refresh_token::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if row.used_at.is_some() || spent.rows_affected == 0 {
            revoke_session(&txn, (session.id, session.person_id), "refresh_reuse", now).await?;
            txn.commit().await?;
            self.authority_changed();
            warn!(session = %session.id, "refresh token reused; session revoked");
            return Err(AuthError::RefreshReused.into());
        }
        if row.expires_at <= now {
            return Err(AuthError::InvalidRefresh.into());
        }
        let (refresh_token, refresh_expires_at) = insert_refresh(&txn, session.id, now).await?;
        let person = PersonId::from_uuid(session.person_id);
        let session_id = SessionId::from_uuid(session.id);
        let (access_token, access_expires_at) = keys.issue(person, session_id, now)?;
        txn.commit().await?;
        Ok(IssuedTokens {
            person,
            session: session_id,
            access_token,
            access_expires_at,
            refresh_token,
            refresh_expires_at,
        })
    }

    /// Ends `person`'s session: none of its refresh tokens work any more.
    #[instrument(skip_all)]
    pub async fn end_session(&self, session: SessionId, person: PersonId) -> Result<()> {
        revoke_session(&self.db, (session.as_uuid(), person.as_uuid()), "logout", self.clock.now()).await?;
        self.authority_changed();
        Ok(())
    }

    /// Whether a session is still live (access tokens of an ended session are refused).
    pub async fn session_live(&self, session: SessionId) -> Result<bool> {
        let row = login_session::Entity::find_by_id(session.as_uuid()).one(&self.db).await?;
        Ok(row.is_some_and(|s| s.revoked_at.is_none()))
    }
}
