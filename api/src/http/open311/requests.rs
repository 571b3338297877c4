//! Service requests: list with the spec's filters, file one, read one, and a token's request. A request
//! is a topic of the pipeline; its `service_request_id` is the topic's id, and the token a filing answers
//! is that id too (requests are filed at once, never queued).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, SecondsFormat, Utc};
use gongzhi_domain::ids::TopicId;
use gongzhi_domain::open311::{RequestStatus, RequestWindow};
use gongzhi_infra::topics::{Open311Filing, Open311Query, Open311Request};

use super::refusal::Refusal;
use super::wire::Node;
use super::{admitted, format_of, internal, lang_of, parameter, query_pairs, respond};
use crate::i18n::Lang;
use crate::state::SharedState;

/// The longest text a filing's parameter may be: the spec's 4,000 characters for a description, and
/// far more than any address or id.
const MAX_PARAMETER_CHARS: usize = 4000;

fn timestamp(at: DateTime<Utc>) -> Node {
    Node::text(at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The spec's W3C datetime (`2010-01-01T00:00:00Z`, or with an offset).
fn parse_time(pairs: &[(String, String)], name: &'static str) -> Result<Option<DateTime<Utc>>, Refusal> {
    parameter(pairs, name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            DateTime::parse_from_rfc3339(v).map(|t| t.with_timezone(&Utc)).map_err(|_| Refusal::BadParameter(name))
        })
        .transpose()
}

/// A comma list parameter, each item trimmed, empty items dropped.
fn comma_list(pairs: &[(String, String)], name: &str) -> Vec<String> {
    parameter(pairs, name)
        .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn topic_id(given: &str) -> Option<TopicId> {
    uuid::Uuid::try_parse(given.trim()).ok().map(TopicId::from_uuid)
}

fn request_node(request: &Open311Request, lang: Lang, media: Option<String>) -> Node {
    let topic = &request.topic;
    let (lat, long) = match topic.location {
        // Coordinates are shown in the datum they were given in only when it is the spec's WGS84.
        Some(location) if location.datum() == gongzhi_domain::topic::Datum::Wgs84 => {
            (Node::Number(location.latitude().to_string()), Node::Number(location.longitude().to_string()))
        }
        _ => (Node::Null, Node::Null),
    };
    let service_name = match lang {
        Lang::Zh => request.service.name_zh.clone(),
        Lang::En => request.service.name_en.clone(),
    };
    Node::Object(vec![
        ("service_request_id", Node::text(topic.id.as_uuid().to_string())),
        ("status", Node::text(request.status.as_str())),
        ("status_notes", Node::optional(request.status_note.clone())),
        ("service_name", Node::text(service_name)),
        ("service_code", Node::text(&request.service.code)),
        ("description", Node::text(topic.description.as_str())),
        ("agency_responsible", Node::text(&request.agency)),
        ("service_notice", Node::Null),
        ("requested_datetime", timestamp(topic.submitted_at)),
        ("updated_datetime", timestamp(request.updated_at)),
        ("expected_datetime", request.expected_at.map_or(Node::Null, timestamp)),
        ("address", Node::text(&request.address)),
        ("address_id", Node::text(topic.place.id().as_uuid().to_string())),
        ("zipcode", Node::Null),
        ("lat", lat),
        ("long", long),
        ("media_url", Node::optional(media)),
    ])
}

/// The request nodes, each with a signed link to its first photo (as the photo's reader would get).
fn request_nodes(state: &SharedState, http: &HttpRequest, requests: &[Open311Request], lang: Lang) -> Node {
    let origin = crate::http::files::origin_of(state, http);
    let now = state.store.clock().now();
    let nodes = requests
        .iter()
        .map(|request| {
            let media = request.topic.photos.keys().first().map(|key| {
                let link = state.links.mint(key.as_str(), now);
                format!("{origin}{}?{}", crate::http::files::path_of(key.as_str()), link.query)
            });
            request_node(request, lang, media)
        })
        .collect();
    Node::List("request", nodes)
}

/// `GET /open311/v2/requests.{format}`: `service_request_id` (a comma list, overriding the rest),
/// `service_code` (a comma list), `start_date`/`end_date` (at most 90 days apart; the last 90 days by
/// default) and `status` (`open`, `closed` or both), newest first, at most 1,000.
#[utoipa::path(get, path = "/open311/v2/requests.{format}", operation_id = "open311ListRequests", tag = "open311",
    params(("format" = String, Path, description = "json or xml"),
        ("api_key" = Option<String>, Query, description = "The partner's client secret"),
        ("jurisdiction_id" = Option<String>, Query, description = "The city's code, name or id"),
        ("service_request_id" = Option<String>, Query, description = "Ids, comma separated; overrides the rest"),
        ("service_code" = Option<String>, Query, description = "Codes, comma separated"),
        ("start_date" = Option<String>, Query, description = "W3C datetime"),
        ("end_date" = Option<String>, Query, description = "W3C datetime, at most 90 days after start_date"),
        ("status" = Option<String>, Query, description = "open, closed, or both comma separated")),
    responses(
        (status = 200, description = "Requests, newest first, at most 1,000", body = Vec<crate::openapi::schemas::Open311ServiceRequest>),
        (status = 400, description = "A malformed parameter", body = Vec<crate::openapi::schemas::Open311Error>)))]
pub async fn list(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let lang = lang_of(request.headers());
    let format = match format_of(&request) {
        Ok(format) => format,
        Err(fallback) => return Refusal::Format.respond(fallback, lang),
    };
    let pairs = query_pairs(&request);
    let answer = async {
        let partner = admitted(&state, &request, &pairs).await?;
        let ids = list_ids(&pairs)?;
        let window = RequestWindow::new(
            parse_time(&pairs, "start_date")?,
            parse_time(&pairs, "end_date")?,
            state.store.clock().now(),
        )
        .map_err(|_| Refusal::BadParameter("start_date/end_date"))?;
        let statuses = comma_list(&pairs, "status")
            .iter()
            .map(|s| RequestStatus::parse(s).map_err(|_| Refusal::BadParameter("status")))
            .collect::<Result<Vec<_>, _>>()?;
        let query = Open311Query { ids, codes: comma_list(&pairs, "service_code"), window, statuses };
        let requests = state.store.open311_requests(&partner, &query).await.map_err(internal)??;
        Ok::<_, Refusal>(request_nodes(&state, &request, &requests, lang))
    };
    match answer.await {
        Ok(node) => respond(format, "service_requests", &node),
        Err(refusal) => refusal.respond(format, lang),
    }
}

fn list_ids(pairs: &[(String, String)]) -> Result<Vec<TopicId>, Refusal> {
    comma_list(pairs, "service_request_id")
        .iter()
        .map(|id| topic_id(id).ok_or(Refusal::BadParameter("service_request_id")))
        .collect()
}

/// `GET /open311/v2/requests/{id}.{format}`: one request, as a list of one (the spec's shape).
#[utoipa::path(get, path = "/open311/v2/requests/{id}.{format}", operation_id = "open311Request", tag = "open311",
    params(("id" = String, Path, description = "service_request_id"), ("format" = String, Path, description = "json or xml"),
        ("api_key" = Option<String>, Query, description = "The partner's client secret")),
    responses(
        (status = 200, description = "A list of one", body = Vec<crate::openapi::schemas::Open311ServiceRequest>),
        (status = 404, description = "No such request in scope", body = Vec<crate::openapi::schemas::Open311Error>)))]
pub async fn one(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let lang = lang_of(request.headers());
    let format = match format_of(&request) {
        Ok(format) => format,
        Err(fallback) => return Refusal::Format.respond(fallback, lang),
    };
    let pairs = query_pairs(&request);
    let answer = async {
        let (_, found) = in_scope(&state, &request, &pairs, "id").await?;
        Ok::<_, Refusal>(request_nodes(&state, &request, std::slice::from_ref(&found), lang))
    };
    match answer.await {
        Ok(node) => respond(format, "service_requests", &node),
        Err(refusal) => refusal.respond(format, lang),
    }
}

/// `GET /open311/v2/tokens/{token}.{format}`: the request a filing's token stands for. Filings are never
/// queued, so the token is the request's id, and a token that names no request in scope is not found.
#[utoipa::path(get, path = "/open311/v2/tokens/{token}.{format}", operation_id = "open311Token", tag = "open311",
    params(("token" = String, Path, description = "A filing's token"), ("format" = String, Path, description = "json or xml"),
        ("api_key" = Option<String>, Query, description = "The partner's client secret")),
    responses(
        (status = 200, description = "The request it stands for", body = Vec<crate::openapi::schemas::Open311Token>),
        (status = 404, description = "No such request in scope", body = Vec<crate::openapi::schemas::Open311Error>)))]
pub async fn token(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let lang = lang_of(request.headers());
    let format = match format_of(&request) {
        Ok(format) => format,
        Err(fallback) => return Refusal::Format.respond(fallback, lang),
    };
    let pairs = query_pairs(&request);
    let answer = async {
        let (token, found) = in_scope(&state, &request, &pairs, "token").await?;
        let id = found.topic.id;
        let node = Node::Object(vec![
            ("service_request_id", Node::text(id.as_uuid().to_string())),
            ("token", Node::text(token)),
        ]);
        Ok::<_, Refusal>(Node::List("request", vec![node]))
    };
    match answer.await {
        Ok(node) => respond(format, "service_requests", &node),
        Err(refusal) => refusal.respond(format, lang),
    }
}

/// The request a path segment (`id` or `token`) names, with the segment, when the partner may see it;
/// anything else — a bad id, another city's request — is not found.
async fn in_scope(
    state: &SharedState,
    request: &HttpRequest,
    pairs: &[(String, String)],
    segment: &str,
) -> Result<(String, Open311Request), Refusal> {
    let partner = admitted(state, request, pairs).await?;
    let named = request.match_info().get(segment).unwrap_or_default().to_owned();
    let id = topic_id(&named).ok_or(Refusal::NotFound)?;
    let found = state.store.open311_request(&partner, id).await.map_err(internal)??;
    Ok((named, found.ok_or(Refusal::NotFound)?))
}

/// A filing's parameter, trimmed, `None` when absent or empty, refused when longer than any sensible one.
fn filed(pairs: &[(String, String)], name: &'static str) -> Result<Option<String>, Refusal> {
    match parameter(pairs, name).map(str::trim).filter(|v| !v.is_empty()) {
        Some(value) if value.chars().count() > MAX_PARAMETER_CHARS => Err(Refusal::BadParameter(name)),
        value => Ok(value.map(str::to_owned)),
    }
}

/// `POST /open311/v2/requests.{format}` (a form): files a request. `service_code` and one of
/// `address_id` / `address_string` are needed (`lat`/`long` are kept on the topic, WGS84, but place
/// nothing: places have no geometry yet); `description` and `media_url` (an http(s) link, kept at the end
/// of the description) are optional. The citizen's contact (`first_name`, `last_name`, `email`, `phone`,
/// `device_id`, `account_id`) is not kept: topics are public, and the hotline keeps its callers' contacts.
#[utoipa::path(post, path = "/open311/v2/requests.{format}", operation_id = "open311FileRequest", tag = "open311",
    params(("format" = String, Path, description = "json or xml")),
    request_body(content = crate::openapi::schemas::Open311Filing, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Filed", body = Vec<crate::openapi::schemas::Open311Filed>),
        (status = 400, description = "A missing or malformed parameter, an unknown service, an unplaced address", body = Vec<crate::openapi::schemas::Open311Error>),
        (status = 401, description = "No api_key", body = Vec<crate::openapi::schemas::Open311Error>),
        (status = 403, description = "A wrong api_key, or no open311 scope", body = Vec<crate::openapi::schemas::Open311Error>)))]
pub async fn create(state: web::Data<SharedState>, request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let lang = lang_of(request.headers());
    let format = match format_of(&request) {
        Ok(format) => format,
        Err(fallback) => return Refusal::Format.respond(fallback, lang),
    };
    let answer = async {
        let mut pairs = query_pairs(&request);
        let form: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&body).map_err(|_| Refusal::BadParameter("body"))?;
        pairs.extend(form);
        let partner = admitted(&state, &request, &pairs).await?;
        let service_code = filed(&pairs, "service_code")?.ok_or(Refusal::Missing("service_code"))?;
        let media_url = filed(&pairs, "media_url")?;
        if let Some(url) = &media_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(Refusal::BadParameter("media_url"));
        }
        let filing = Open311Filing {
            service_code,
            description: filed(&pairs, "description")?,
            address_id: filed(&pairs, "address_id")?,
            address_string: filed(&pairs, "address_string")?,
            lat: filed(&pairs, "lat")?,
            long: filed(&pairs, "long")?,
            media_url,
        };
        if filing.address_id.is_none() && filing.address_string.is_none() && filing.lat.is_none() {
            return Err(Refusal::Missing("address_id, address_string or lat/long"));
        }
        let id = state.store.file_open311_request(&partner, &filing).await.map_err(internal)??;
        let node = Node::Object(vec![
            ("service_request_id", Node::text(id.as_uuid().to_string())),
            ("token", Node::text(id.as_uuid().to_string())),
            ("service_notice", Node::Null),
            ("account_id", Node::Null),
        ]);
        Ok::<_, Refusal>(Node::List("request", vec![node]))
    };
    match answer.await {
        Ok(node) => respond(format, "service_requests", &node),
        Err(refusal) => refusal.respond(format, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::super::wire::Format;
    use super::*;

    #[test]
    fn comma_lists_drop_empty_items_and_times_are_w3c() {
        let pairs = vec![
            ("status".to_owned(), "open, closed,".to_owned()),
            ("start_date".to_owned(), "2026-12-01T00:00:00Z".to_owned()),
            ("end_date".to_owned(), "yesterday".to_owned()),
        ];
        assert_eq!(comma_list(&pairs, "status"), vec!["open", "closed"]);
        assert!(matches!(parse_time(&pairs, "start_date"), Ok(Some(_))));
        assert!(matches!(parse_time(&pairs, "end_date"), Err(Refusal::BadParameter("end_date"))));
        assert!(matches!(parse_time(&pairs, "nothing"), Ok(None)));
    }

    #[test]
    fn json_and_xml_are_the_only_formats_of_a_path() {
        assert_eq!(Format::of_extension("json"), Some(Format::Json));
        assert_eq!(Format::of_extension("csv"), None);
    }
}
