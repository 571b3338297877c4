//! Who a live connection is. The token comes in `connection_init`'s payload (`{"Authorization": "Bearer
//! …"}`, or the keys `authorization` or `token`) and is checked exactly as the HTTP endpoint checks its
//! header (`http::bearer`), for persons and API partners alike. It is checked again before every
//! delivery and on the connection's tick: a token that expired (by the injected clock), a session that
//! ended, a partner disabled or re-keyed ends the connection's subscriptions.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use gongzhi_domain::partner::Partner;
use gongzhi_infra::auth::{AccessClaims, AuthError};

use super::Holder;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Clone)]
pub struct LiveViewer {
    /// The `Authorization` header the token makes, kept to check it again.
    header: Option<HeaderValue>,
    pub claims: Option<AccessClaims>,
    pub partner: Option<Arc<Partner>>,
}

/// The token a `connection_init` payload gives, as an `Authorization` header value.
fn header_of(payload: &serde_json::Value) -> Result<Option<HeaderValue>, AuthError> {
    let given = ["Authorization", "authorization", "token"].iter().find_map(|key| payload.get(key));
    let Some(given) = given else { return Ok(None) };
    let text = given.as_str().ok_or(AuthError::InvalidToken)?.trim();
    // `token` may be bare; a value with a scheme must be `Bearer`, checked as the header is.
    let value = if text.contains(' ') { text.to_owned() } else { format!("Bearer {text}") };
    HeaderValue::from_str(&value).map(Some).map_err(|_| AuthError::InvalidToken)
}

impl LiveViewer {
    /// Authenticates a `connection_init` payload. `Err` with the refusal the client is closed with.
    pub async fn from_init(state: &AppState, payload: &serde_json::Value) -> Result<Self, ApiError> {
        let header = header_of(payload).map_err(|reason| ApiError::Unauthenticated(Some(reason)))?;
        let viewer = Self { header, claims: None, partner: None };
        viewer.checked(state).await
    }

    /// The same viewer, checked now: its token still good by the store's clock, its session still open,
    /// its partner still honoured.
    pub async fn checked(&self, state: &AppState) -> Result<Self, ApiError> {
        let Some(value) = &self.header else { return Ok(self.clone()) };
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.clone());
        let bearer = super::super::http::bearer::authenticate(state, &headers).await?;
        if let Some(partner) = bearer.partner {
            return Ok(Self { header: self.header.clone(), claims: None, partner: Some(partner) });
        }
        let claims = match bearer.auth {
            Some(Ok(claims)) => claims,
            Some(Err(reason)) => return Err(ApiError::Unauthenticated(Some(reason))),
            None => return Err(ApiError::Unauthenticated(Some(AuthError::InvalidToken))),
        };
        // A logged-out session's tokens stop working at once, as over HTTP.
        let open = state.store.session_actor(claims.session(), claims.person()).await.map_err(ApiError::from)?;
        if open.is_none() {
            return Err(ApiError::Unauthenticated(Some(AuthError::SessionEnded)));
        }
        Ok(Self { header: self.header.clone(), claims: Some(claims), partner: None })
    }

    pub fn holder(&self) -> Holder {
        match (&self.claims, &self.partner) {
            (Some(claims), _) => Holder::Person(claims.sub),
            (None, Some(partner)) => Holder::Partner(partner.id.as_uuid()),
            (None, None) => Holder::Anonymous,
        }
    }

    /// The login session, for a person.
    pub fn session(&self) -> Option<uuid::Uuid> {
        self.claims.as_ref().map(|claims| claims.sid)
    }
}

#[cfg(test)]
mod tests {
    use super::header_of;
    use serde_json::json;

    #[test]
    fn the_token_comes_under_any_of_three_keys() {
        for payload in [
            json!({"Authorization": "Bearer abc"}),
            json!({"authorization": "Bearer abc"}),
            json!({"token": "abc"}),
            json!({"token": "Bearer abc"}),
        ] {
            let header = header_of(&payload).expect("read").expect("a token");
            assert_eq!(header.to_str().expect("ascii"), "Bearer abc", "{payload}");
        }
        assert!(header_of(&json!({})).expect("read").is_none());
        assert!(header_of(&json!({"token": 7})).is_err());
    }
}
