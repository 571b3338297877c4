use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use gongzhi_infra::auth::IssuedTokens;

/// Tokens after a login or refresh. Send `accessToken` as `Authorization: Bearer …`; trade
/// `refreshToken` for a new pair before the access token expires. Each refresh token works once.
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub person: super::person::Person,
}

impl AuthPayload {
    pub fn new(tokens: IssuedTokens, person: gongzhi_infra::people::Person) -> Self {
        Self {
            access_token: tokens.access_token,
            access_token_expires_at: tokens.access_expires_at,
            refresh_token: tokens.refresh_token,
            refresh_token_expires_at: tokens.refresh_expires_at,
            person: super::person::Person(person),
        }
    }
}
