//! The token endpoint for API partners: OAuth2 client credentials (RFC 6749 §4.4). A partner sends
//! `grant_type=client_credentials` with its client id and secret — in the body (form or JSON) or as HTTP
//! Basic — and gets a short-lived bearer token for `/graphql`. Refusals are the RFC's error bodies
//! (`{"error": "invalid_client", "error_description": …}`), described in the request's language.
//! Each token request costs the client address `TOKEN_REQUEST_COST` points: it is no partner's yet.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use gongzhi_infra::auth::AuthError;
use serde::Deserialize;

use super::rate_limit::Caller;
use crate::error::OAuthError;
use crate::i18n::Lang;
use crate::state::SharedState;

/// What one token request costs the client address, in query-complexity points: a few queries' worth,
/// so that guessing at secrets from one address is slow while a partner renewing every quarter of an
/// hour never notices.
const TOKEN_REQUEST_COST: u64 = 10;

/// The parameters of a token request. Unknown ones (`scope`, …) are ignored: a partner's scope is fixed
/// when it is registered.
#[derive(Debug, Default, Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// Token responses must not be cached anywhere (RFC 6749 §5.1), refusals included.
fn no_store(status: StatusCode) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CACHE_CONTROL, "no-store")).insert_header((header::PRAGMA, "no-cache"));
    response
}

fn refuse(error: OAuthError, lang: Lang) -> HttpResponse {
    let body = serde_json::json!({ "error": error.code(), "error_description": error.description(lang) });
    match error {
        OAuthError::InvalidClient => no_store(StatusCode::UNAUTHORIZED)
            .insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"gongzhi\""))
            .json(body),
        OAuthError::RateLimited { retry_after } => no_store(StatusCode::TOO_MANY_REQUESTS)
            .insert_header((header::RETRY_AFTER, retry_after.to_string()))
            .json(body),
        OAuthError::ServerError => no_store(StatusCode::INTERNAL_SERVER_ERROR).json(body),
        OAuthError::InvalidRequest | OAuthError::UnsupportedGrantType => no_store(StatusCode::BAD_REQUEST).json(body),
    }
}

/// The body's parameters, as a form or as JSON. A parameter given twice is malformed (RFC 6749 §3.2).
fn parameters(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, OAuthError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match media.as_str() {
        "application/x-www-form-urlencoded" => {
            serde_urlencoded::from_bytes(body).map_err(|_| OAuthError::InvalidRequest)
        }
        "application/json" => serde_json::from_slice(body).map_err(|_| OAuthError::InvalidRequest),
        // A request with no body at all may still authenticate with HTTP Basic; it lacks its grant type.
        "" if body.is_empty() => Ok(TokenRequest::default()),
        _ => Err(OAuthError::InvalidRequest),
    }
}

/// The client id and secret of an `Authorization: Basic` header, if there is one.
///
/// RFC 6749 §2.3.1 form-encodes both before Base64. Ours are made of letters, digits, `_` and `-` only,
/// which that encoding leaves as they are; so a valid credential needs no decoding, and one that would
/// need it (with `%` or `+`) cannot be valid and fails as an invalid client.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), OAuthError>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    Some(match decoded.as_deref().and_then(|pair| pair.split_once(':')) {
        Some((id, secret)) => Ok((id.to_owned(), secret.to_owned())),
        None => Err(OAuthError::InvalidClient),
    })
}

/// The client's credentials, from the header or the body but never both (RFC 6749 §2.3): with Basic, a
/// `client_id` in the body may only repeat the header's, and a `client_secret` there is one method too
/// many.
fn credentials(headers: &HeaderMap, params: &TokenRequest) -> Result<(String, String), OAuthError> {
    match basic_credentials(headers) {
        Some(basic) => {
            if params.client_secret.is_some() {
                return Err(OAuthError::InvalidRequest);
            }
            let (id, secret) = basic?;
            if params.client_id.as_ref().is_some_and(|given| *given != id) {
                return Err(OAuthError::InvalidRequest);
            }
            Ok((id, secret))
        }
        None => match (&params.client_id, &params.client_secret) {
            (Some(id), Some(secret)) => Ok((id.clone(), secret.clone())),
            _ => Err(OAuthError::InvalidClient),
        },
    }
}

/// `POST /oauth/token`.
#[utoipa::path(post, path = "/oauth/token", operation_id = "issuePartnerToken", tag = "partners",
    request_body(content = crate::openapi::schemas::TokenRequest, content_type = "application/x-www-form-urlencoded",
        description = "As a form or JSON; the client id and secret may come as HTTP Basic instead"),
    responses(
        (status = 200, description = "An access token, 15 minutes", body = crate::openapi::schemas::TokenResponse),
        (status = 400, description = "invalid_request or unsupported_grant_type", body = crate::openapi::schemas::OAuthErrorBody),
        (status = 401, description = "invalid_client", body = crate::openapi::schemas::OAuthErrorBody),
        (status = 429, description = "rate_limited, with Retry-After", body = crate::openapi::schemas::OAuthErrorBody)))]
pub async fn token(state: web::Data<SharedState>, request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let headers = request.headers();
    let lang = lang_of(headers);
    let now = state.store.clock().now();
    let address = Caller { person: None, partner: None, address: state.limiter.address_of(&request) };
    if let Some(retry_after) = state.limiter.charge(&address, TOKEN_REQUEST_COST, now).await {
        return refuse(OAuthError::RateLimited { retry_after }, lang);
    }
    let params = match parameters(headers, &body) {
        Ok(params) => params,
        Err(error) => return refuse(error, lang),
    };
    match params.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => return refuse(OAuthError::UnsupportedGrantType, lang),
        None => return refuse(OAuthError::InvalidRequest, lang),
    }
    let (client_id, client_secret) = match credentials(headers, &params) {
        Ok(credentials) => credentials,
        Err(error) => return refuse(error, lang),
    };
    match state.store.partner_token(&state.keys, &client_id, &client_secret).await {
        Ok(issued) => {
            tracing::info!(partner = %issued.partner, "partner access token issued");
            let expires_in = (issued.expires_at - now).num_seconds().max(0);
            no_store(StatusCode::OK).json(serde_json::json!({
                "access_token": issued.access_token,
                "token_type": "Bearer",
                "expires_in": expires_in,
            }))
        }
        Err(gongzhi_infra::Error::Auth(AuthError::InvalidClient)) => {
            tracing::info!(client_id = %client_id.chars().take(40).collect::<String>(), "partner token refused");
            refuse(OAuthError::InvalidClient, lang)
        }
        Err(err) => {
            tracing::error!(error = %err, cause = ?err, "partner token exchange failed");
            refuse(OAuthError::ServerError, lang)
        }
    }
}
