//! The bodies of the REST endpoints as the OpenAPI document describes them. The handlers build their
//! bodies from the same field names (`http/oauth.rs`, `http/open311/`); `tests/…/openapi.rs` checks a
//! live answer against these shapes, so the two do not drift apart unnoticed.

use utoipa::ToSchema;

/// `POST /oauth/token`'s answer (RFC 6749 §5.1).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TokenResponse {
    /// A bearer token for `/graphql`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until it expires (15 minutes when issued).
    pub expires_in: i64,
}

/// A token request's refusal (RFC 6749 §5.2).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OAuthErrorBody {
    /// `invalid_request`, `invalid_client`, `unsupported_grant_type`, `rate_limited` or `server_error`.
    pub error: String,
    /// Why, in the `Accept-Language`'s language.
    pub error_description: String,
}

/// A token request: as a form or JSON body, or the client id and secret as HTTP Basic.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TokenRequest {
    /// `client_credentials`.
    pub grant_type: String,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// One of Open311's errors; a refusal is a list of them (`<errors><error>` in XML).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Open311Error {
    /// The HTTP status.
    pub code: u16,
    pub description: String,
}

/// A service: a category code of the catalogues in the partner's scope.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Open311Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Always false: no attributes beyond the standard fields.
    pub metadata: bool,
    /// Always `realtime`.
    #[schema(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

/// A service's definition.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Open311ServiceDefinition {
    pub service_code: String,
    /// Always empty.
    pub attributes: Vec<String>,
}

/// A service request: a topic of the pipeline.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Open311ServiceRequest {
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// The latest public reason or report.
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    /// The property company of a routed request, otherwise the community, street or district leading it.
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    /// The deadline it is held to now.
    pub expected_datetime: Option<String>,
    pub address: String,
    pub address_id: String,
    pub zipcode: Option<String>,
    /// WGS84 degrees.
    pub lat: Option<f64>,
    pub long: Option<f64>,
    /// A signed link to its first photo.
    pub media_url: Option<String>,
}

/// A filing's form parameters.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Open311Filing {
    /// Or HTTP Basic's password.
    pub api_key: Option<String>,
    pub jurisdiction_id: Option<String>,
    pub service_code: String,
    /// A compound's or building's id or code.
    pub address_id: Option<String>,
    /// A compound's or building's exact name.
    pub address_string: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub description: Option<String>,
    pub media_url: Option<String>,
    /// Accepted, not kept (as `last_name`, `email`, `phone`, `device_id`, `account_id`).
    pub first_name: Option<String>,
}

/// What a filing answers.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Open311Filed {
    pub service_request_id: String,
    /// The request's id: requests are filed at once.
    pub token: String,
    pub service_notice: Option<String>,
    pub account_id: Option<String>,
}

/// A token's request.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Open311Token {
    pub service_request_id: String,
    pub token: String,
}
