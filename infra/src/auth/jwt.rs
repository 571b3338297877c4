//! Access tokens: HS256 only (the algorithm is pinned, whatever a token's header says), `iss`, `aud`,
//! `sub` and `exp` required, and keys chosen by `kid` so a new key can sign while the old still verifies.

use chrono::{DateTime, Duration, Utc};
use gongzhi_domain::ids::{PartnerId, PersonId, SessionId};
use gongzhi_domain::partner::ClientId;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AuthError;

/// Access tokens live 15 minutes; the refresh token renews them.
pub const ACCESS_TTL: Duration = Duration::minutes(15);

/// Partners' access tokens live 15 minutes too; a partner asks for a new one with its credentials.
pub const PARTNER_ACCESS_TTL: Duration = Duration::minutes(15);

/// Appended to the configured audience for partners' tokens.
const PARTNER_AUDIENCE_SUFFIX: &str = "/partner";

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

/// What a partner's access token says: which partner (its client id as `sub` — never a UUID, so it
/// cannot be read as a person's `sub`), under which secret, for the partners' audience. A person's token
/// has another audience and a session; neither passes for the other.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PartnerClaims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    /// The secret version the token was issued under: rotating the secret ends the token.
    pub sv: u32,
}

impl PartnerClaims {
    pub fn partner(&self) -> Option<PartnerId> {
        ClientId::parse(&self.sub)
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
    partner_audience: String,
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
        let partner_audience = format!("{audience}{PARTNER_AUDIENCE_SUFFIX}");
        Ok(Self { issuer, audience, partner_audience, active, keys })
    }

    pub fn uses_secret(&self, secret: &str) -> bool {
        self.keys.iter().any(|k| k.secret.expose_secret() == secret)
    }

    /// The `aud` of partners' tokens: the people's audience with `/partner` after it, so neither kind of
    /// token passes the other's check.
    pub fn partner_audience(&self) -> &str {
        &self.partner_audience
    }

    pub fn issue(
        &self,
        person: PersonId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let expires = now + ACCESS_TTL;
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: person.as_uuid(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
            sid: session.as_uuid(),
        };
        Ok((self.sign(&claims)?, expires))
    }

    /// Verifies against our clock rather than the library's, so expiry is testable.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AuthError> {
        let claims: AccessClaims = self.check(token, &self.audience)?;
        if claims.exp <= now.timestamp() {
            return Err(AuthError::ExpiredToken);
        }
        Ok(claims)
    }

    /// A partner's access token, under the secret version it proved.
    pub fn issue_partner(
        &self,
        partner: PartnerId,
        secret_version: u32,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let expires = now + PARTNER_ACCESS_TTL;
        let claims = PartnerClaims {
            iss: self.issuer.clone(),
            aud: self.partner_audience.clone(),
            sub: ClientId::of(partner).as_str().to_owned(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
            sv: secret_version,
        };
        Ok((self.sign(&claims)?, expires))
    }

    /// Verifies a partner's token: the partners' audience, and a `sub` that is one of our client ids.
    pub fn verify_partner(&self, token: &str, now: DateTime<Utc>) -> Result<PartnerClaims, AuthError> {
        let claims: PartnerClaims = self.check(token, &self.partner_audience)?;
        if claims.partner().is_none() {
            return Err(AuthError::InvalidToken);
        }
        if claims.exp <= now.timestamp() {
            return Err(AuthError::ExpiredToken);
        }
        Ok(claims)
    }

    fn sign(&self, claims: &impl Serialize) -> Result<String, AuthError> {
        let key = self.keys.iter().find(|k| k.kid == self.active).ok_or(AuthError::InvalidToken)?;
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key.kid.clone());
        encode(&header, claims, &EncodingKey::from_secret(key.secret.expose_secret().as_bytes()))
            .map_err(|_| AuthError::InvalidToken)
    }

    /// Signature, algorithm, key, issuer and audience; expiry is the caller's, on our clock.
    fn check<C: DeserializeOwned>(&self, token: &str, audience: &str) -> Result<C, AuthError> {
        let header = decode_header(token).map_err(|_| AuthError::InvalidToken)?;
        if header.alg != Algorithm::HS256 {
            return Err(AuthError::InvalidToken);
        }
        let kid = header.kid.ok_or(AuthError::InvalidToken)?;
        let key = self.keys.iter().find(|k| k.kid == kid).ok_or(AuthError::InvalidToken)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["iss", "aud", "sub", "exp"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[audience]);
        validation.validate_exp = false;
        validation.leeway = 0;
        let data = decode::<C>(token, &DecodingKey::from_secret(key.secret.expose_secret().as_bytes()), &validation)
            .map_err(|_| AuthError::InvalidToken)?;
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn keys() -> JwtKeys {
        let key = JwtKey { kid: "k1".into(), secret: "a-test-secret-that-is-long-enough-for-hs256".into() };
        JwtKeys::new("gongzhi".into(), "gongzhi-api".into(), "k1".into(), vec![key]).expect("keys")
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().expect("valid time")
    }

    #[test]
    fn a_partners_token_never_passes_for_a_persons_nor_the_other_way() {
        let keys = keys();
        let partner = PartnerId::from_uuid(Uuid::now_v7());
        let (partner_token, _) = keys.issue_partner(partner, 3, now()).expect("issued");
        let person = PersonId::from_uuid(Uuid::now_v7());
        let (person_token, _) = keys.issue(person, SessionId::from_uuid(Uuid::now_v7()), now()).expect("issued");

        let as_partner = keys.verify_partner(&partner_token, now()).expect("a partner's token verifies");

        assert_eq!(as_partner.partner(), Some(partner));
        assert_eq!(as_partner.sv, 3);
        assert_eq!(as_partner.aud, "gongzhi-api/partner");
        assert_eq!(keys.verify(&partner_token, now()), Err(AuthError::InvalidToken));
        assert_eq!(keys.verify_partner(&person_token, now()), Err(AuthError::InvalidToken));
    }

    #[test]
    fn a_partners_token_expires_on_our_clock() {
        let keys = keys();
        let (token, expires) = keys.issue_partner(PartnerId::from_uuid(Uuid::now_v7()), 1, now()).expect("issued");

        assert_eq!(expires, now() + PARTNER_ACCESS_TTL);
        assert!(keys.verify_partner(&token, expires - Duration::seconds(1)).is_ok());
        assert_eq!(keys.verify_partner(&token, expires), Err(AuthError::ExpiredToken));
    }
}
