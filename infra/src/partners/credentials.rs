//! Client credentials and the token exchange (OAuth2 client credentials, RFC 6749 §4.4). A secret is 32
//! random bytes shown once; only its SHA-256 is stored. A slow password hash would buy nothing here:
//! nobody can guess 256 random bits, and the hash only has to keep a copied database from opening the
//! API. Secrets are compared by their digests in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use gongzhi_domain::ids::PartnerId;
use gongzhi_domain::partner::{ClientId, Partner};
use rand::RngCore;
use sea_orm::Condition;
use sea_orm::prelude::*;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tracing::instrument;

use crate::auth::{AuthError, JwtKeys};
use crate::entities::{api_partner, place};
use crate::{Result, Store};

/// Starts every client secret, so a secret pasted where it should not be is recognisable (and
/// findable by secret scanners).
const SECRET_PREFIX: &str = "gzs_";

/// A partner's credential as issued: the one time its secret is seen.
#[derive(Clone)]
pub struct IssuedCredentials {
    pub client_id: ClientId,
    pub client_secret: String,
}

impl IssuedCredentials {
    pub(super) fn new(partner: PartnerId, client_secret: String) -> Self {
        Self { client_id: ClientId::of(partner), client_secret }
    }
}

impl std::fmt::Debug for IssuedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredentials").field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

/// An access token issued to a partner.
#[derive(Debug, Clone)]
pub struct PartnerToken {
    pub partner: PartnerId,
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
}

pub(super) fn fresh_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub(super) fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether `given` is the secret whose hash is stored, in time that does not depend on where they differ.
fn secret_matches(stored_hash: &str, given: &str) -> bool {
    let Ok(stored) = hex::decode(stored_hash) else { return false };
    let given = Sha256::digest(given.as_bytes());
    stored.len() == given.len() && bool::from(stored.as_slice().ct_eq(&given[..]))
}

impl Store {
    /// Exchanges a partner's client id and secret for an access token. An unknown client, a wrong
    /// secret and a disabled partner get the same `InvalidClient`.
    #[instrument(skip_all, err(level = "info"))]
    pub async fn partner_token(&self, keys: &JwtKeys, client_id: &str, client_secret: &str) -> Result<PartnerToken> {
        let partner = ClientId::parse(client_id).ok_or(AuthError::InvalidClient)?;
        let row = api_partner::Entity::find_by_id(partner.as_uuid()).one(&self.db).await?;
        let Some(row) = row.filter(|row| row.disabled_at.is_none()) else {
            return Err(AuthError::InvalidClient.into());
        };
        let version = secret_version_of(&row, client_secret, self.clock.now()).ok_or(AuthError::InvalidClient)?;
        let (access_token, expires_at) = keys.issue_partner(partner, version, self.clock.now())?;
        Ok(PartnerToken { partner, access_token, expires_at })
    }

    /// The partner whose secret `secret` is, when it is active and honours that secret now (its current
    /// one, or the one it rotated from while the overlap lasts): an Open311 `api_key`. Found by the
    /// secret's hash; the lookup's timing tells nothing useful, since nobody chooses a SHA-256 digest.
    #[instrument(skip_all, err(level = "info"))]
    pub async fn partner_by_secret(&self, secret: &str) -> Result<Option<Partner>> {
        let hash = hash_secret(secret);
        let row = api_partner::Entity::find()
            .filter(
                Condition::any()
                    .add(api_partner::Column::SecretHash.eq(hash.as_str()))
                    .add(api_partner::Column::PreviousSecretHash.eq(hash.as_str())),
            )
            .one(&self.db)
            .await?;
        let Some(row) = row.filter(|row| row.disabled_at.is_none()) else { return Ok(None) };
        let now = self.clock.now();
        let Some(version) = secret_version_of(&row, secret, now) else { return Ok(None) };
        let scope = place::Entity::find_by_id(row.scope_place_id).one(&self.db).await?;
        let Some(scope) = scope else { return Ok(None) };
        let partner = super::partner_of(&row, &scope)?;
        Ok(partner.honours(version, now).then_some(partner))
    }
}

/// The version of the secret `given` is: the current one, or the one replaced while its overlap lasts.
fn secret_version_of(row: &api_partner::Model, given: &str, now: DateTime<Utc>) -> Option<u32> {
    if secret_matches(&row.secret_hash, given) {
        return u32::try_from(row.secret_version).ok();
    }
    let overlapping = row.previous_secret_until.is_some_and(|until| now < until);
    match (&row.previous_secret_hash, row.previous_secret_version) {
        (Some(hash), Some(version)) if overlapping && secret_matches(hash, given) => u32::try_from(version).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_matches_only_its_own_hash() {
        let secret = fresh_secret();
        let stored = hash_secret(&secret);

        assert!(secret.starts_with(SECRET_PREFIX));
        assert_eq!(secret.len(), SECRET_PREFIX.len() + 43, "32 bytes in unpadded base64url");
        assert!(secret_matches(&stored, &secret));
        assert!(!secret_matches(&stored, &fresh_secret()));
        assert!(!secret_matches(&stored, ""));
        assert!(!secret_matches("not hex", &secret));
    }
}
