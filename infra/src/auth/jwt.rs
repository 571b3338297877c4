//! Access tokens: HS256 only (the algorithm is pinned, whatever a token's header says), `iss`, `aud`,
//! `sub` and `exp` required, and keys chosen by `kid` so a new key can sign while the old still verifies.

use chrono::{DateTime, Duration, Utc};
use gongzhi_domain::ids::{PersonId, SessionId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AuthError;

/// Access tokens live 15 minutes; the refresh token renews them.
pub const ACCESS_TTL: Duration = Duration::minutes(15);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    pub exp: i64,
    pub iat: i64,
    /// The login session, so logout and refresh-reuse can name what they revoke.
    pub sid: Uuid,
}

impl AccessClaims {
    pub fn person(&self) -> PersonId {
        PersonId::from_uuid(self.sub)
    }

    pub fn session(&self) -> SessionId {
        SessionId::from_uuid(self.sid)
    }
}

#[derive(Clone)]
pub struct JwtKey {
    pub kid: String,
    pub secret: SecretString,
}

/// The signing key and every key still accepted.
#[derive(Clone)]
pub struct JwtKeys {
    issuer: String,
    audience: String,
    active: String,
    keys: Vec<JwtKey>,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<&str> = self.keys.iter().map(|k| k.kid.as_str()).collect();
        f.debug_struct("JwtKeys")
            .field("issuer", &self.issuer)
            .field("active", &self.active)
            .field("kids", &kids)
            .finish()
    }
}

impl JwtKeys {
    /// `active` must name one of `keys`; secrets must be at least 32 bytes (HS256's key size).
    pub fn new(issuer: String, audience: String, active: String, keys: Vec<JwtKey>) -> Result<Self, String> {
        if !keys.iter().any(|k| k.kid == active) {
            return Err(format!("the active JWT key id {active:?} is not among the configured keys"));
        }
        if let Some(short) = keys.iter().find(|k| k.secret.expose_secret().len() < 32) {
            return Err(format!("JWT key {:?} is shorter than 32 bytes", short.kid));
        }
        Ok(Self { issuer, audience, active, keys })
    }

    pub fn uses_secret(&self, secret: &str) -> bool {
        self.keys.iter().any(|k| k.secret.expose_secret() == secret)
    }

    pub fn issue(
        &self,
        person: PersonId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let key = self.keys.iter().find(|k| k.kid == self.active).ok_or(AuthError::InvalidToken)?;
        let expires = now + ACCESS_TTL;
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: person.as_uuid(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
            sid: session.as_uuid(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key.kid.clone());
        let token = encode(&header, &claims, &EncodingKey::from_secret(key.secret.expose_secret().as_bytes()))
            .map_err(|_| AuthError::InvalidToken)?;
        Ok((token, expires))
    }

    /// Verifies against our clock rather than the library's, so expiry is testable.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AuthError> {
        let header = decode_header(token).map_err(|_| AuthError::InvalidToken)?;
        if header.alg != Algorithm::HS256 {
            return Err(AuthError::InvalidToken);
        }
        let kid = header.kid.ok_or(AuthError::InvalidToken)?;
        let key = self.keys.iter().find(|k| k.kid == kid).ok_or(AuthError::InvalidToken)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["iss", "aud", "sub", "exp"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.validate_exp = false;
        validation.leeway = 0;
        let data = decode::<AccessClaims>(
            token,
            &DecodingKey::from_secret(key.secret.expose_secret().as_bytes()),
            &validation,
        )
        .map_err(|_| AuthError::InvalidToken)?;
        if data.claims.exp <= now.timestamp() {
            return Err(AuthError::ExpiredToken);
        }
        Ok(data.claims)
    }
}
