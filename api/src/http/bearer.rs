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
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Bearer { auth: None, partner: None });
    };
    let Some(token) = value.to_str().ok().and_then(bearer_token) else {
        return Ok(Bearer::refused(AuthError::InvalidToken));
    };
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

/// The token of an `Authorization: Bearer <token>` header, the one scheme a token may come in (RFC 6750
/// §2.1), the scheme's name in any case (RFC 7235 §2.1). Anything else — another scheme, a bare token, a
/// scheme without a token — names no token: a client that sends a header expects to be someone, so it is
/// refused rather than served as nobody.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim_start_matches(' ');
    let well_formed = !token.is_empty() && !token.contains(char::is_whitespace);
    (scheme.eq_ignore_ascii_case("bearer") && well_formed).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn only_the_bearer_scheme_names_a_token_in_any_case() {
        assert_eq!(bearer_token("Bearer abc.def.ghi"), Some("abc.def.ghi"));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER   abc"), Some("abc"));
        for refused in ["abc.def.ghi", "Basic abc", "Bearer", "Bearer ", "Bearerabc", "Token abc", "Bearer a b", ""] {
            assert_eq!(bearer_token(refused), None, "{refused:?}");
        }
    }
}
