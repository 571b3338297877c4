//! Open311 GeoReport v2 under `/open311/v2/` (issue 18, decision 124): the endpoints a city's hotline
//! system or a stock Open311 client expects, in JSON and XML (`.json` / `.xml` on every path). The
//! `api_key` is an API partner's client secret, and the partner needs the `open311` scope; it is given as
//! the `api_key` parameter (query or form) or as the password of HTTP Basic. `jurisdiction_id` is the
//! code (or id) of the partner's city, optional. Only discovery is open to all.

mod refusal;
pub(crate) mod requests;
pub mod wire;

use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use gongzhi_domain::partner::Partner;
use gongzhi_infra::topics::Open311Service;

pub use refusal::Refusal;
use wire::{Format, Node, render};

use crate::http::rate_limit::Caller;
use crate::i18n::Lang;
use crate::state::SharedState;

/// What one Open311 call costs, in query-complexity points: as a modest query, so that guessing
/// `api_key`s from one address is slow and a partner's hotline never notices.
const CALL_COST: u64 = 10;

/// The base path of every Open311 endpoint.
pub const BASE: &str = "/open311/v2";

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/open311/v2/discovery.{format}", web::get().to(discovery))
        .route("/open311/v2/services.{format}", web::get().to(services))
        .route("/open311/v2/services/{code}.{format}", web::get().to(service_definition))
        .route("/open311/v2/requests.{format}", web::get().to(requests::list))
        .route("/open311/v2/requests.{format}", web::post().to(requests::create))
        .route("/open311/v2/requests/{id}.{format}", web::get().to(requests::one))
        .route("/open311/v2/tokens/{token}.{format}", web::get().to(requests::token));
}

pub(crate) fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// The format of the path, JSON for anything else so that the refusal can be read.
pub(crate) fn format_of(request: &HttpRequest) -> Result<Format, Format> {
    let extension = request.match_info().get("format").unwrap_or_default();
    Format::of_extension(extension).ok_or(Format::Json)
}

pub(crate) fn respond(format: Format, root: &'static str, node: &Node) -> HttpResponse {
    HttpResponse::Ok().content_type(format.content_type()).body(render(format, root, node))
}

/// The `api_key` of a query string or form, or the password of an `Authorization: Basic` header.
fn api_key_of(headers: &HeaderMap, parameter: Option<&str>) -> Option<String> {
    if let Some(key) = parameter.map(str::trim).filter(|k| !k.is_empty()) {
        return Some(key.to_owned());
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (_, password) = decoded.split_once(':')?;
    (!password.is_empty()).then(|| password.to_owned())
}

/// The partner whose secret the `api_key` is, charged for the call. Every call is first charged to the
/// client address (a key is no partner's until checked), then to the partner's own budget.
pub(crate) async fn partner_of(
    state: &SharedState,
    request: &HttpRequest,
    parameter: Option<&str>,
) -> Result<Partner, Refusal> {
    let now = state.store.clock().now();
    let address = Caller { person: None, partner: None, address: state.limiter.address_of(request) };
    if let Some(retry_after) = state.limiter.charge(&address, CALL_COST, now).await {
        return Err(Refusal::RateLimited { retry_after });
    }
    let key = api_key_of(request.headers(), parameter).ok_or(Refusal::NoKey)?;
    let partner = match state.store.partner_by_secret(&key).await {
        Ok(Some(partner)) => partner,
        Ok(None) => {
            tracing::info!("open311 api_key refused");
            return Err(Refusal::BadKey);
        }
        Err(err) => return Err(internal(err)),
    };
    let budget = partner.rate_budget.map(|budget| budget.points());
    let caller = Caller { person: None, partner: Some((partner.id, budget)), address: None };
    if let Some(retry_after) = state.limiter.charge(&caller, CALL_COST, now).await {
        return Err(Refusal::RateLimited { retry_after });
    }
    Ok(partner)
}

pub(crate) fn internal(err: gongzhi_infra::Error) -> Refusal {
    match &err {
        gongzhi_infra::Error::Unavailable(_) => tracing::warn!(error = %err, "open311: the database is out of reach"),
        _ => tracing::error!(error = %err, cause = ?err, "open311 request failed"),
    }
    Refusal::Internal
}

/// The query's parameters as pairs; a malformed query string reads as none.
pub(crate) fn query_pairs(request: &HttpRequest) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(request.query_string()).unwrap_or_default()
}

pub(crate) fn parameter<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// Checks the key and the jurisdiction, as every call but discovery does first.
pub(crate) async fn admitted(
    state: &SharedState,
    request: &HttpRequest,
    pairs: &[(String, String)],
) -> Result<Partner, Refusal> {
    let partner = partner_of(state, request, parameter(pairs, "api_key")).await?;
    match state.store.open311_jurisdiction(&partner, parameter(pairs, "jurisdiction_id")).await {
        Ok(Ok(_city)) => Ok(partner),
        Ok(Err(refused)) => Err(refused.into()),
        Err(err) => Err(internal(err)),
    }
}

/// `GET /open311/v2/discovery.{format}`: where the endpoint is and what it speaks.
#[utoipa::path(get, path = "/open311/v2/discovery.{format}", operation_id = "open311Discovery", tag = "open311",
    params(("format" = String, Path, description = "json or xml")),
    responses((status = 200, description = "The discovery document")))]
pub(crate) async fn discovery(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let lang = lang_of(request.headers());
    let format = match format_of(&request) {
        Ok(format) => format,
        Err(fallback) => return Refusal::Format.respond(fallback, lang),
    };
    let origin = crate::http::files::origin_of(&state, &request);
    let endpoint = Node::Object(vec![
        ("specification", Node::text("http://wiki.open311.org/GeoReport_v2")),
        ("url", Node::text(format!("{origin}{BASE}"))),
        ("changeset", Node::text("2026-12-07T00:00:00Z")),
        ("type", Node::text("production")),
        ("formats", Node::List("format", vec![Node::text("application/json"), Node::text("text/xml")])),
    ]);
    let body = Node::Object(vec![
        ("changeset", Node::text("2026-12-07T00:00:00Z")),
        ("contact", Node::text("The city administrators of Gongzhi (共治)")),
        ("key_service", Node::text("An API partner's client secret, from a city administrator (registerPartner)")),
        ("endpoints", Node::List("endpoint", vec![endpoint])),
    ]);
    respond(format, "discovery", &body)
}

fn service_node(service: &Open311Service, lang: Lang) -> Node {
    let name = match lang {
        Lang::Zh => service.name_zh.clone(),
        Lang::En => service.name_en.clone(),
    };
    Node::Object(vec![
        ("service_code", Node::text(&service.code)),
        ("service_name", Node::text(name)),
        ("description", Node::text(format!("{} / {}", service.name_zh, service.name_en))),
        ("metadata", Node::Bool(false)),
        ("type", Node::text("realtime")),
        ("keywords", Node::text(&service.code)),
        ("group", Node::text("协商共治事项目录")),
    ])
}

/// `GET /open311/v2/services.{format}`: the category codes of the catalogues in the partner's scope.
#[utoipa::path(get, path = "/open311/v2/services.{format}", operation_id = "open311Services", tag = "open311",
    params(("format" = String, Path, description = "json or xml"),
        ("api_key" = Option<String>, Query, description = "The partner's client secret (or HTTP Basic's password)"),
        ("jurisdiction_id" = Option<String>, Query, description = "The city's code, name or id")),
    responses(
        (status = 200, description = "The services", body = Vec<crate::openapi::schemas::Open311Service>),
        (status = 401, description = "No api_key", body = Vec<crate::openapi::schemas::Open311Error>),
        (status = 403, description = "A wrong api_key, or no open311 scope", body = Vec<crate::openapi::schemas::Open311Error>),
        (status = 404, description = "Unknown jurisdiction", body = Vec<crate::openapi::schemas::Open311Error>)))]
pub(crate) async fn services(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let lang = lang_of(request.headers());
    let format = match format_of(&request) {
        Ok(format) => format,
        Err(fallback) => return Refusal::Format.respond(fallback, lang),
    };
    let pairs = query_pairs(&request);
    let answer = async {
        let partner = admitted(&state, &request, &pairs).await?;
        let services = state.store.open311_services(&partner).await.map_err(internal)??;
        Ok::<_, Refusal>(Node::List("service", services.iter().map(|service| service_node(service, lang)).collect()))
    };
    match answer.await {
        Ok(node) => respond(format, "services", &node),
        Err(refusal) => refusal.respond(format, lang),
    }
}

/// `GET /open311/v2/services/{code}.{format}`: a service's definition. Our services ask nothing beyond
/// the spec's standard fields (`metadata` is false), so its attributes are none.
#[utoipa::path(get, path = "/open311/v2/services/{code}.{format}", operation_id = "open311ServiceDefinition", tag = "open311",
    params(("code" = String, Path, description = "A service code"), ("format" = String, Path, description = "json or xml"),
        ("api_key" = Option<String>, Query, description = "The partner's client secret"),
        ("jurisdiction_id" = Option<String>, Query, description = "The city's code, name or id")),
    responses(
        (status = 200, description = "The definition", body = crate::openapi::schemas::Open311ServiceDefinition),
        (status = 404, description = "Unknown service or jurisdiction", body = Vec<crate::openapi::schemas::Open311Error>)))]
pub(crate) async fn service_definition(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let lang = lang_of(request.headers());
    let format = match format_of(&request) {
        Ok(format) => format,
        Err(fallback) => return Refusal::Format.respond(fallback, lang),
    };
    let code = request.match_info().get("code").unwrap_or_default().to_owned();
    let pairs = query_pairs(&request);
    let answer = async {
        let partner = admitted(&state, &request, &pairs).await?;
        let services = state.store.open311_services(&partner).await.map_err(internal)??;
        if !services.iter().any(|service| service.code == code) {
            return Err(Refusal::NotFound);
        }
        Ok(Node::Object(vec![("service_code", Node::text(code)), ("attributes", Node::List("attribute", vec![]))]))
    };
    match answer.await {
        Ok(node) => respond(format, "service_definition", &node),
        Err(refusal) => refusal.respond(format, lang),
    }
}
