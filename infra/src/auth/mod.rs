//! Login sessions: short-lived JWT access tokens and opaque, rotating refresh tokens; and the access
//! tokens of API partners (`crate::partners`), signed with the same keys for another audience.

mod jwt;
mod sessions;

pub use jwt::{AccessClaims, JwtKey, JwtKeys, PARTNER_ACCESS_TTL, PartnerClaims};
pub use sessions::{IssuedTokens, REFRESH_TTL_DAYS};

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    #[error("no access token was given")]
    MissingToken,
    #[error("the access token is not valid")]
    InvalidToken,
    #[error("the access token has expired")]
    ExpiredToken,
    #[error("the refresh token is not valid")]
    InvalidRefresh,
    #[error("the refresh token was already used; the session is revoked")]
    RefreshReused,
    #[error("the session has ended")]
    SessionEnded,
    #[error("dev login is only available in the demo profile")]
    DevLoginDisabled,
    /// The token endpoint's `invalid_client`: no such client, a wrong secret, or a disabled partner (one
    /// answer for all three, so the endpoint tells nothing about which client ids exist).
    #[error("the client credentials are not valid")]
    InvalidClient,
    /// A partner's token whose partner was disabled, or whose secret was rotated since it was issued.
    #[error("the partner's credential was revoked")]
    PartnerRevoked,
    /// A partner's token past its time: the partner asks the token endpoint for a new one.
    #[error("the partner's access token has expired")]
    PartnerTokenExpired,
}
