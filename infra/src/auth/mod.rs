//! Login sessions: short-lived JWT access tokens and opaque, rotating refresh tokens.

mod jwt;
mod sessions;

pub use jwt::{AccessClaims, JwtKey, JwtKeys};
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
}
