//! Who a bearer token names: a person, whose token is checked against its session later, in the
//! statement that loads their grants (`CtxExt::actor`); or an API partner, checked here against the
//! partner directory, because its rate budget must be known before the request is charged. A partner's
//! token fails a person's check (another audience) and only then is tried as a partner's.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderMap};
use gongzhi_domain::partner::Partner;
use gongzhi_infra::auth::{AccessClaims, AuthError};

use crate::error::ApiError;
use crate::state::AppState;

/// What the `Authorization` header proved.
pub struct Bearer {
    /// A person's token: `None` without a token or with a good partner's token; an error when a token
    /// was given but is no good (a person's or a partner's).
    pub auth: Option<Result<AccessClaims, AuthError>>,
    /// The partner whose token was given and still works.
    pub partner: Option<Arc<Partner>>,
}

impl Bearer {
    fn refused(reason: AuthError) -> Self {
        Self { auth: Some(Err(reason)), partner: None }
    }
}

/// Reads the header. Errs only when the partner directory cannot be read (the database is away).
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Bearer, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Ok(Bearer { auth: None, partner: None });
    };
    let token = value.strip_prefix("Bearer ").unwrap_or(value).trim();
    let now = state.store.clock().now();
    let person = state.keys.verify(token, now);
    if !matches!(person, Err(AuthError::InvalidToken)) {
        return Ok(Bearer { auth: Some(person), partner: None });
    }
    let claims = match state.keys.verify_partner(token, now) {
        Ok(claims) => claims,
        Err(AuthError::ExpiredToken) => return Ok(Bearer::refused(AuthError::PartnerTokenExpired)),
        Err(_) => return Ok(Bearer::refused(AuthError::InvalidToken)),
    };
    let Some(id) = claims.partner() else { return Ok(Bearer::refused(AuthError::InvalidToken)) };
    match state.partners.honouring(id, claims.sv).await.map_err(ApiError::from)? {
        Some(partner) => Ok(Bearer { auth: None, partner: Some(partner) }),
        None => Ok(Bearer::refused(AuthError::PartnerRevoked)),
    }
}
