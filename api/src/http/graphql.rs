//! GraphQL over HTTP (the GraphQL-over-HTTP spec): POST with `application/json`, GET for queries only,
//! responses as `application/graphql-response+json` when the client accepts it (with 4xx for requests
//! that never executed) or `application/json` (always 200). Bodies over the limit are refused with 413
//! before anything is parsed (at once when the declared length is too large); batches are refused. Photo
//! uploads come as multipart requests (one file each), with a larger bound of their own. Persisted queries
//! and the parsed-document cache are in `documents.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::MultipartOptions;
use async_graphql::parser::types::OperationType;
use async_graphql::{ErrorExtensionValues, Request, Response, ServerError};
use futures::StreamExt;
use serde::{Deserialize, Serialize};

use gongzhi_domain::Conflict;
use gongzhi_domain::partner::{Partner, RateBudget};
use gongzhi_infra::Store;
use gongzhi_infra::auth::{AccessClaims, AuthError};
use gongzhi_infra::idempotency::KeyClaim;

use super::complexity::ComplexityKey;
use super::documents::Prepared;
use super::rate_limit::refusal;
use super::responses::{Kept, ResponseKey, StampSlot};
use crate::error::{ApiError, BadRequest};
use crate::executor::Unfinished;
use crate::graphql::context::RequestCtx;
use crate::graphql::loaders;
use crate::i18n::Lang;
use crate::state::SharedState;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE))
}

/// A response with one coded error and no data: the request was refused before execution.
fn refuse(status: StatusCode, error: ApiError, lang: Lang, modern: bool) -> HttpResponse {
    // Our trouble, but passing: the database out of reach is 503, like any service that is.
    let unavailable = error.code() == crate::error::Code::Unavailable && status.is_server_error();
    let status = if unavailable { StatusCode::SERVICE_UNAVAILABLE } else { status };
    error.log(None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", error.code().as_str());
    let mut server_error = ServerError::new(error.message(lang), None);
    server_error.extensions = Some(extensions);
    let body = serde_json::json!({ "errors": [server_error] });
    let (status, media) = if modern { (status, GRAPHQL_RESPONSE) } else { (status, "application/json") };
    HttpResponse::build(status).content_type(media).json(body)
}

/// Reads the body up to `limit` bytes; `None` when it is larger. A declared length over the limit is
/// refused before a byte is read.
async fn read_body(request: &HttpRequest, mut payload: web::Payload, limit: usize) -> Option<web::Bytes> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return None;
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.ok()?;
        if body.len() + chunk.len() > limit {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some(body.freeze())
}

pub async fn post(state: web::Data<SharedState>, request: HttpRequest, payload: web::Payload) -> HttpResponse {
    let headers = request.headers();
    let lang = lang_of(headers);
    let modern = wants_graphql_response(headers);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    // One shape for every refusal, a body over its bound too: 413 with a coded body in the request's language.
    let too_large =
        |max_bytes| refuse(StatusCode::PAYLOAD_TOO_LARGE, ApiError::BodyTooLarge { max_bytes }, lang, modern);

    // An upload (the GraphQL multipart request spec): one file, a larger but still bounded body.
    if media == "multipart/form-data" {
        let max_upload = state.settings.graphql.max_upload_bytes;
        let Some(body) = read_body(&request, payload, max_upload).await else {
            return too_large(max_upload);
        };
        // The parser holds any file to the largest kind's limit (and a little for the other parts); the
        // mutation then holds it to its own kind's (a photo's 5 MiB), answered 413 as well.
        let options = MultipartOptions::default()
            .max_num_files(1)
            .max_file_size(gongzhi_domain::file_kind::MAX_DOCUMENT_BYTES + 64 * 1024);
        let gql_request = match async_graphql::http::receive_body(
            Some(&content_type),
            futures::io::Cursor::new(body.to_vec()),
            options,
        )
        .await
        {
            Ok(request) => request,
            Err(async_graphql::ParseRequestError::PayloadTooLarge) => {
                let max_bytes = gongzhi_domain::file_kind::MAX_DOCUMENT_BYTES;
                let error = ApiError::Upload(gongzhi_domain::file_kind::UploadRefusal::TooLarge {
                    class: gongzhi_domain::file_kind::UploadClass::Document,
                    max_bytes,
                });
                return refuse(StatusCode::PAYLOAD_TOO_LARGE, error, lang, modern);
            }
            Err(_) => return refuse(StatusCode::BAD_REQUEST, ApiError::Bad(BadRequest::Multipart), lang, modern),
        };
        // Only a file earns the larger bound; a multipart request without one is an ordinary request.
        if gql_request.uploads.is_empty() && body.len() > state.settings.graphql.max_body_bytes {
            return too_large(state.settings.graphql.max_body_bytes);
        }
        return prepare_and_execute(&state, &request, gql_request, lang, modern).await;
    }

    let Some(body) = read_body(&request, payload, state.settings.graphql.max_body_bytes).await else {
        return too_large(state.settings.graphql.max_body_bytes);
    };
    if media != "application/json" {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, ApiError::Bad(BadRequest::NotJson), lang, modern);
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(_) => return refuse(StatusCode::BAD_REQUEST, ApiError::Bad(BadRequest::NotJson), lang, modern),
    };
    if value.is_array() {
        return refuse(StatusCode::BAD_REQUEST, ApiError::Bad(BadRequest::Batch), lang, modern);
    }
    let gql_request: Request = match serde_json::from_value(value) {
        Ok(request) => request,
        Err(_) => return refuse(StatusCode::BAD_REQUEST, ApiError::Bad(BadRequest::NotJson), lang, modern),
    };
    prepare_and_execute(&state, &request, gql_request, lang, modern).await
}

/// A refusal about persisted queries. The client is expected to answer `PERSISTED_QUERY_NOT_FOUND` by
/// sending the text, so that one is a normal GraphQL response for `application/json` clients (200).
fn refuse_persisted(error: ApiError, lang: Lang, modern: bool) -> HttpResponse {
    let status = match error {
        ApiError::PersistedQueryNotFound if !modern => StatusCode::OK,
        _ => StatusCode::BAD_REQUEST,
    };
    refuse(status, error, lang, modern)
}

/// Resolves a persisted query, hands the engine the (cached) parsed document, and executes.
async fn prepare_and_execute(
    state: &SharedState,
    http: &HttpRequest,
    mut request: Request,
    lang: Lang,
    modern: bool,
) -> HttpResponse {
    if let Err(error) = state.queries.resolve_persisted(&mut request).await {
        return refuse_persisted(error, lang, modern);
    }
    let prepared = match state.queries.prepare(&mut request) {
        Ok(prepared) => prepared,
        Err(error) => return refuse_document(state, http, error, lang, modern).await,
    };
    execute(state, http, request, prepared, lang, modern).await
}

/// A document refused by its bounds, before it was parsed or before the engine saw it: answered as the
/// engine answers a document it refuses (400 for `graphql-response+json`, 200 for `application/json`).
/// Its address is charged the most a request may cost, so that sending such documents over and over is
/// soon refused by the rate limit instead of parsed.
async fn refuse_document(
    state: &SharedState,
    http: &HttpRequest,
    error: ApiError,
    lang: Lang,
    modern: bool,
) -> HttpResponse {
    let caller = caller_of(state, http, None, None);
    let cost = state.settings.graphql.max_selections.max(1);
    if let Some(retry_after) = state.limiter.charge(&caller, cost, state.store.clock().now()).await {
        let run = finish(state, Response::from_errors(vec![refusal(retry_after)]), "other", Instant::now(), lang);
        return render(&run, modern);
    }
    state.metrics.errors.with_label_values(&[error.code().as_str()]).inc();
    let status = if modern { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    refuse(status, error, lang, modern)
}

#[derive(Deserialize)]
pub struct GetParams {
    query: Option<String>,
    variables: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    /// JSON, e.g. a persisted query's `{"persistedQuery": {"version": 1, "sha256Hash": "…"}}`.
    extensions: Option<String>,
}

pub async fn get(state: web::Data<SharedState>, request: HttpRequest, params: web::Query<GetParams>) -> HttpResponse {
    let headers = request.headers();
    let lang = lang_of(headers);
    let modern = wants_graphql_response(headers);
    let params = params.into_inner();
    if params.query.is_none() && params.extensions.is_none() {
        // A browser opening /graphql gets GraphiQL in the demo profile.
        if state.settings.is_demo() {
            return HttpResponse::Ok().content_type("text/html; charset=utf-8").body(super::graphiql::page());
        }
        return refuse(
            StatusCode::BAD_REQUEST,
            ApiError::Bad(BadRequest::Document("query is required".into())),
            lang,
            modern,
        );
    }
    let mut gql_request = Request::new(params.query.unwrap_or_default());
    if let Some(name) = params.operation_name {
        gql_request = gql_request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        match serde_json::from_str(&variables) {
            Ok(variables) => gql_request = gql_request.variables(async_graphql::Variables::from_json(variables)),
            Err(_) => return refuse(StatusCode::BAD_REQUEST, ApiError::Bad(BadRequest::NotJson), lang, modern),
        }
    }
    if let Some(extensions) = params.extensions {
        match serde_json::from_str(&extensions) {
            Ok(extensions) => gql_request.extensions = extensions,
            Err(_) => return refuse(StatusCode::BAD_REQUEST, ApiError::Bad(BadRequest::NotJson), lang, modern),
        }
    }
    // A hash-only request names its text through the persisted query; resolve it before judging it.
    if let Err(error) = state.queries.resolve_persisted(&mut gql_request).await {
        return refuse_persisted(error, lang, modern);
    }
    // GET must never change anything: refuse an operation that is not a query.
    let prepared = match state.queries.prepare(&mut gql_request) {
        Ok(prepared) => prepared,
        Err(error) => return refuse_document(&state, &request, error, lang, modern).await,
    };
    if prepared.operation.is_some_and(|op| op != OperationType::Query) {
        let mut response =
            refuse(StatusCode::METHOD_NOT_ALLOWED, ApiError::Bad(BadRequest::MutationOverGet), lang, modern);
        response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    execute(&state, &request, gql_request, prepared, lang, modern).await
}

async fn execute(
    state: &SharedState,
    http: &HttpRequest,
    request: Request,
    prepared: Prepared,
    lang: Lang,
    modern: bool,
) -> HttpResponse {
    let bearer = match super::bearer::authenticate(state, http.headers()).await {
        Ok(bearer) => bearer,
        Err(err) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, err, lang, modern),
    };
    let (auth, partner) = (bearer.auth, bearer.partner);
    let person = auth.as_ref().and_then(|claims| claims.as_ref().ok()).map(|claims| claims.person());
    let caller = caller_of(state, http, person, partner.as_deref());
    let origin = super::files::origin_of(state, http);
    let key = match person.map(|_| super::idempotency::key_for(http.headers(), &request)).transpose() {
        Ok(key) => person.zip(key.flatten()),
        Err(bad) => return refuse(StatusCode::BAD_REQUEST, ApiError::Bad(bad), lang, modern),
    };
    let Some((person, key)) = key else {
        let who = (auth, partner);
        let attempt =
            |request| run(state, state.store.clone(), request, &prepared, who.clone(), caller.clone(), (lang, &origin));
        let run = super::read_retry::read_once_more(
            &state.store,
            request,
            prepared.operation,
            |run: &Run| &run.response,
            attempt,
        );
        let run = run.await;
        return render(&run, modern);
    };

    // An idempotent mutation: claim the key, run, and record the response, all in one unit of work.
    if let Err(invalid) = gongzhi_infra::idempotency::check_key(&key) {
        return refuse(StatusCode::BAD_REQUEST, ApiError::Invalid(invalid), lang, modern);
    }
    let variables = request.variables.clone().into_value().into_json().unwrap_or_default().to_string();
    let fingerprint = gongzhi_infra::idempotency::fingerprint(&[
        &request.query,
        request.operation_name.as_deref().unwrap_or_default(),
        &variables,
    ]);
    let work = match state.store.unit_of_work().await {
        Ok(work) => work,
        Err(err) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, ApiError::from(err), lang, modern),
    };
    let claim = work.claim_idempotency_key(person, &key, &fingerprint).await;
    let fresh = matches!(claim, Ok(KeyClaim::Fresh));
    if !fresh {
        let _ = work.finish(false).await;
    }
    match claim {
        Err(err) => refuse(StatusCode::INTERNAL_SERVER_ERROR, ApiError::from(err), lang, modern),
        Ok(KeyClaim::Mismatch) => {
            refuse(StatusCode::CONFLICT, ApiError::Conflict(Conflict::IdempotencyKeyReused), lang, modern)
        }
        Ok(KeyClaim::Replay(body)) => HttpResponse::Ok()
            .content_type(if modern { GRAPHQL_RESPONSE } else { "application/json" })
            .insert_header(("idempotent-replayed", "true"))
            .body(body),
        Ok(KeyClaim::Fresh) => {
            let run = run(state, work.clone(), request, &prepared, (auth, partner), caller, (lang, &origin)).await;
            let succeeded = run.executed && run.response.errors.is_empty() && !run.refused;
            if !succeeded {
                // A refused mutation (an error, or `ok: false`) changes nothing, and its key stays free for
                // a corrected retry.
                let _ = work.finish(false).await;
                return render(&run, modern);
            }
            let body = serde_json::to_string(&body_of(&run)).unwrap_or_default();
            let recorded = async {
                work.record_idempotent_response(person, &key, &body).await?;
                work.finish(true).await
            };
            match recorded.await {
                Ok(()) => HttpResponse::Ok()
                    .content_type(if modern { GRAPHQL_RESPONSE } else { "application/json" })
                    .body(body),
                Err(err) => {
                    let _ = work.finish(false).await;
                    refuse(StatusCode::INTERNAL_SERVER_ERROR, ApiError::from(err), lang, modern)
                }
            }
        }
    }
}

/// Who is asking, for the rate limits: the verified person or partner (with its own budget), and the
/// client address.
fn caller_of(
    state: &SharedState,
    http: &HttpRequest,
    person: Option<gongzhi_domain::ids::PersonId>,
    partner: Option<&Partner>,
) -> super::rate_limit::Caller {
    let address = state.limiter.address_of(http);
    let partner = partner.map(|partner| (partner.id, partner.rate_budget.map(RateBudget::points)));
    super::rate_limit::Caller { person, partner, address }
}

/// An executed GraphQL request: the response with its errors worded and coded, whether execution began,
/// and when a rate limit refused it, the seconds to wait.
struct Run {
    response: Response,
    executed: bool,
    retry_after: Option<u64>,
    /// The body, when it is already serialized (a kept response, or one just kept).
    body: Option<Bytes>,
    /// A mutation answered `ok: false`: refused, it changed nothing.
    refused: bool,
}

async fn run(
    state: &SharedState,
    store: Store,
    mut request: Request,
    prepared: &Prepared,
    (auth, partner): (Option<Result<AccessClaims, AuthError>>, Option<Arc<Partner>>),
    caller: super::rate_limit::Caller,
    (lang, origin): (Lang, &str),
) -> Run {
    let started = Instant::now();
    let (kind, operation) = (prepared.operation, prepared.label);
    // A request seen before is charged its remembered complexity now, before anything runs; an unknown
    // one is charged by the metered schema as it validates (`complexity.rs`).
    let key = ComplexityKey::of(&request);
    let known = state.complexities.get(key);
    if let Some(cost) = known
        && let Some(retry_after) = state.limiter.charge(&caller, cost, state.store.clock().now()).await
    {
        return finish(state, Response::from_errors(vec![refusal(retry_after)]), operation, started, lang);
    }
    // A person's query may have been answered before in full (`responses.rs`): served again, once charged,
    // while nothing it was made from has changed; otherwise noted to be kept if it is of the kind kept.
    let person = match (&auth, &partner) {
        (Some(Ok(claims)), None) if kind == Some(OperationType::Query) && state.responses.is_enabled() => Some(claims),
        _ => None,
    };
    let response_key = person.map(|claims| ResponseKey::new(claims.person().as_uuid(), lang, key));
    let limit = Duration::from_millis(state.settings.graphql.timeout_ms);
    if let (Some(claims), Some(response_key), Some(_)) = (person, &response_key, known)
        && let Ok(Some(body)) = tokio::time::timeout(limit, kept_response(state, &store, claims, response_key)).await
    {
        count(state, operation, started, &[]);
        state.metrics.responses_reused.inc();
        return Run {
            response: Response::default(),
            executed: true,
            retry_after: None,
            body: Some(body),
            refused: false,
        };
    }
    let slot = match response_key {
        Some(response_key) if request_keepable(&mut request) => Some((response_key, Arc::new(StampSlot::default()))),
        _ => None,
    };
    // Loaders remember what they loaded for the rest of a query; a mutation's must not (it changes things).
    let remember = kind == Some(OperationType::Query);
    let refused = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut request = loaders::attach(request.data(state.clone()), &store, remember)
        .data(
            RequestCtx::new(lang, store, auth)
                .with_partner(partner)
                .with_refusal_mark(refused.clone())
                .with_origin(origin),
        )
        .data(caller)
        .data(super::rate_limit::Selections(prepared.selections));
    if let Some((_, slot)) = &slot {
        request = request.data(slot.clone());
    }

    let (schema, request) = match known {
        Some(_) => (state.plain_schema.clone(), request),
        None => (state.schema.clone(), request.data(key)),
    };
    let response = match state.executor.run(limit, async move { schema.execute(request).await }).await {
        Ok(response) => response,
        Err(Unfinished::TimedOut) => Response::from_errors(vec![timeout_error()]),
        Err(unfinished) => {
            // The cause, where it arises; the response's INTERNAL is logged with the others below.
            tracing::error!(operation, ?unfinished, "GraphQL request did not finish");
            Response::from_errors(vec![internal_error()])
        }
    };
    let mut run = finish(state, response, operation, started, lang);
    run.refused = refused.load(std::sync::atomic::Ordering::Relaxed);
    if let Some((response_key, slot)) = slot
        && run.executed
        && run.response.errors.is_empty()
        && let Some((actor, stamp)) = slot.take()
        && let Ok(body) = serde_json::to_vec(&body_of(&run))
    {
        let body = Bytes::from(body);
        state.responses.keep(response_key, Kept { actor, stamp, body: body.clone() });
        run.body = Some(body);
    }
    run
}

/// Whether the request's operation is of the kind whose responses are kept.
fn request_keepable(request: &mut Request) -> bool {
    let name = request.operation_name.clone();
    request.parsed_query().is_ok_and(|document| super::responses::keepable(document, name.as_deref()))
}

/// The response kept under `key`, if the session still stands with the same grants and nothing the
/// response was made from has changed; a response found stale is forgotten.
async fn kept_response(state: &SharedState, store: &Store, claims: &AccessClaims, key: &ResponseKey) -> Option<Bytes> {
    let kept = state.responses.get(key)?;
    let actor = store.session_actor(claims.session(), claims.person()).await.ok().flatten();
    if actor.as_ref() == Some(&kept.actor) && store.is_current(&kept.stamp).await {
        return Some(kept.body.clone());
    }
    state.responses.forget(key);
    None
}

/// Words, codes and counts the errors of an engine's response.
fn finish(state: &SharedState, mut response: Response, operation: &str, started: Instant, lang: Lang) -> Run {
    let retry_after = response.errors.iter().find_map(|error| match error.source::<ApiError>() {
        Some(ApiError::RateLimited { retry_after }) => Some(*retry_after),
        _ => None,
    });
    let executed = finish_errors(&mut response, lang, state, operation);
    count(state, operation, started, &response.errors);
    Run { response, executed, retry_after, body: None, refused: false }
}

/// Counts a request, its time and its errors.
fn count(state: &SharedState, operation: &str, started: Instant, errors: &[ServerError]) {
    state.metrics.requests.with_label_values(&[operation]).inc();
    state.metrics.latency.with_label_values(&[operation]).observe(started.elapsed().as_secs_f64());
    for error in errors {
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .and_then(|v| match v {
                async_graphql::Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "INTERNAL".into());
        state.metrics.errors.with_label_values(&[&code]).inc();
    }
}

/// The response body: `data` only when execution began, `errors` only when there are any.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
}

fn body_of(run: &Run) -> Body<'_> {
    Body { data: run.executed.then_some(&run.response.data), errors: &run.response.errors }
}

fn render(run: &Run, modern: bool) -> HttpResponse {
    if let Some(retry_after) = run.retry_after {
        return HttpResponse::TooManyRequests()
            .content_type(if modern { GRAPHQL_RESPONSE } else { "application/json" })
            .insert_header((header::RETRY_AFTER, retry_after.to_string()))
            .json(body_of(run));
    }
    // A file over its kind's limit is refused as the HTTP layer refuses a body over its own: 413.
    let too_large = run.response.errors.iter().any(|error| {
        matches!(
            error.source::<ApiError>(),
            Some(ApiError::Upload(gongzhi_domain::file_kind::UploadRefusal::TooLarge { .. }))
        )
    });
    let (status, media) = match (modern, run.executed) {
        _ if too_large => (StatusCode::PAYLOAD_TOO_LARGE, if modern { GRAPHQL_RESPONSE } else { "application/json" }),
        (true, false) => (StatusCode::BAD_REQUEST, GRAPHQL_RESPONSE),
        (true, true) => (StatusCode::OK, GRAPHQL_RESPONSE),
        (false, _) => (StatusCode::OK, "application/json"),
    };
    match &run.body {
        Some(body) => HttpResponse::build(status).content_type(media).body(body.clone()),
        None => HttpResponse::build(status).content_type(media).json(body_of(run)),
    }
}

fn timeout_error() -> ServerError {
    let mut error = ServerError::new("timeout", None);
    error.source = Some(std::sync::Arc::new(ApiError::Timeout));
    error
}

fn internal_error() -> ServerError {
    let mut error = ServerError::new("internal", None);
    error.source = Some(std::sync::Arc::new(ApiError::Internal));
    error
}

/// Words every error in the request's language, gives the engine's own errors (parse, validation, limits)
/// a code, and logs each at its level. Returns whether execution started (errors from resolvers have a path
/// or data exists).
pub(crate) fn finish_errors(response: &mut Response, lang: Lang, state: &SharedState, operation: &str) -> bool {
    let mut executed = !matches!(response.data, async_graphql::Value::Null) || response.errors.is_empty();
    for error in &mut response.errors {
        if !error.path.is_empty() {
            executed = true;
        }
        let api_error = match error.source::<ApiError>() {
            Some(api_error) => api_error.clone(),
            None => classify_engine_error(&error.message, state),
        };
        api_error.log(Some(operation));
        error.message = api_error.message(lang);
        let extensions = error.extensions.get_or_insert_with(ErrorExtensionValues::default);
        extensions.set("code", api_error.code().as_str());
    }
    executed
}

/// The engine reports limits and validation failures as plain messages; these are the only ones it has.
fn classify_engine_error(message: &str, state: &SharedState) -> ApiError {
    let limits = &state.settings.graphql;
    if message.contains("nested too deep") {
        ApiError::Bad(BadRequest::Depth { max: limits.max_depth })
    } else if message.contains("too complex") {
        ApiError::Bad(BadRequest::Complexity { max: limits.max_complexity })
    } else {
        ApiError::Bad(BadRequest::Document(message.to_owned()))
    }
}
