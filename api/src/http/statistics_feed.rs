//! The partners' statistics feeds (issue 18, decision 155): `GET /feeds/statistics/{place}.json` and
//! `.csv`, read-only, for a bearer token of an API partner with the `statistics` scope within its place
//! (or of a person who may read the place's statistics). The rows are the projection's figures of the
//! window, one per period, metric and category, the same in both formats; JSON adds the topics by stage.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::policy::Caller;
use gongzhi_domain::statistics::Period;
use gongzhi_infra::statistics::PlaceStatistics;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, Code};
use crate::graphql::ids::{NodeType, decode, encode};
use crate::http::files::refuse;
use crate::http::rate_limit;
use crate::state::SharedState;
use crate::statistics_access::{authorize, window};

/// What one feed call costs, in query-complexity points: as a modest query.
const CALL_COST: u64 = 10;

pub fn routes(config: &mut web::ServiceConfig) {
    config.route("/feeds/statistics/{place}.{format}", web::get().to(feed));
}

/// The window asked for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// `day` or `month`.
    pub period: String,
    /// A day in the first period (`2026-12-01`).
    #[param(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// A day in the last period.
    #[param(value_type = String, format = Date)]
    pub to: NaiveDate,
}

/// One figure: a metric's total in one period and category.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FeedRow {
    /// The period's first day.
    #[schema(value_type = String, format = Date)]
    pub period_start: NaiveDate,
    /// A metric code (`topics_submitted`, …; docs/architecture.md, "Projections").
    pub metric: String,
    /// The topics' Category id; empty for facts that concern no topic.
    pub category_id: String,
    pub total: i64,
}

/// How many topics of a category are in a stage now.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedStage {
    pub stage: String,
    pub category_id: String,
    pub topics: i64,
}

/// `GET /feeds/statistics/{place}.json`'s answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatisticsFeed {
    /// The Place id.
    pub place_id: String,
    pub period: String,
    /// The first period's first day.
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// The last period's first day.
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    pub rows: Vec<FeedRow>,
    pub stages: Vec<FeedStage>,
}

fn category_text(category: Option<gongzhi_domain::ids::CategoryId>) -> String {
    category.map(|c| encode(NodeType::Category, c).0).unwrap_or_default()
}

/// The rows of a place's statistics, as both formats give them.
pub fn rows_of(statistics: &PlaceStatistics) -> Vec<FeedRow> {
    statistics
        .figures
        .iter()
        .map(|f| FeedRow {
            period_start: f.start,
            metric: f.metric.as_str().to_owned(),
            category_id: category_text(f.category),
            total: f.total,
        })
        .collect()
}

fn status_of(error: &ApiError) -> StatusCode {
    match error.code() {
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::Forbidden => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::BadUserInput => StatusCode::BAD_REQUEST,
        Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn place_of(text: &str) -> Result<PlaceId, ApiError> {
    if let Ok(uuid) = uuid::Uuid::parse_str(text) {
        return Ok(uuid.into());
    }
    decode(NodeType::Place, &async_graphql::ID(text.to_owned())).map_err(|_| ApiError::NotFound)
}

/// `GET /feeds/statistics/{place}.{format}`.
#[utoipa::path(get, path = "/feeds/statistics/{place}.{format}", operation_id = "statisticsFeed", tag = "feeds",
    params(
        ("place" = String, Path, description = "A Place id (or its UUID)"),
        ("format" = String, Path, description = "json or csv"),
        FeedQuery,
    ),
    responses(
        (status = 200, description = "The figures (CSV: `period_start,metric,category_id,total`)", body = StatisticsFeed),
        (status = 400, description = "A bad period or window, or an unknown format"),
        (status = 401, description = "No `Authorization: Bearer` token (a partner's from /oauth/token), or one that is no good"),
        (status = 403, description = "Not permitted: `MISSING_SCOPE` for a partner without `statistics`"),
        (status = 404, description = "No such place"),
        (status = 429, description = "Over the rate budget"),
    ))]
pub(crate) async fn feed(
    state: web::Data<SharedState>,
    request: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let lang = crate::http::open311::lang_of(request.headers());
    match answer(&state, &request, &path.0, &path.1).await {
        Ok(response) => response,
        Err(error) => refuse(status_of(&error), error, lang),
    }
}

async fn answer(
    state: &SharedState,
    request: &HttpRequest,
    place: &str,
    format: &str,
) -> Result<HttpResponse, ApiError> {
    let csv = match format {
        "json" => false,
        "csv" => true,
        other => {
            return Err(ApiError::Invalid(gongzhi_domain::Invalid::UnknownValue {
                field: "format",
                given: other.to_owned(),
            }));
        }
    };
    let query = web::Query::<FeedQuery>::from_query(request.query_string())
        .map_err(|_| ApiError::Invalid(gongzhi_domain::Invalid::Required { field: "period, from and to" }))?;
    let period = Period::parse(&query.period).map_err(ApiError::Invalid)?;
    let window = window(period, query.from, query.to)?;
    let bearer = crate::http::bearer::authenticate(state, request.headers()).await?;
    let now = state.store.clock().now();
    let actor;
    let caller = match (&bearer.partner, bearer.auth) {
        (Some(partner), _) => Caller::Partner(partner),
        (None, Some(Ok(claims))) => {
            actor = state
                .store
                .session_actor(claims.session(), claims.person())
                .await?
                .ok_or(ApiError::Unauthenticated(Some(gongzhi_infra::auth::AuthError::SessionEnded)))?;
            Caller::Person(&actor)
        }
        (None, Some(Err(reason))) => return Err(ApiError::Unauthenticated(Some(reason))),
        (None, None) => return Err(ApiError::Unauthenticated(None)),
    };
    let charged = rate_limit::Caller {
        person: caller.person_id(),
        partner: bearer.partner.as_ref().map(|p| (p.id, p.rate_budget.map(|b| b.points()))),
        address: None,
    };
    if let Some(retry_after) = state.limiter.charge(&charged, CALL_COST, now).await {
        return Err(ApiError::RateLimited { retry_after });
    }
    let place = place_of(place)?;
    let context = state.store.place_context(place).await?;
    authorize(caller, &context.ancestry)?;
    let statistics = state.store.place_statistics(place, window).await?;
    let rows = rows_of(&statistics);
    if csv {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["period_start", "metric", "category_id", "total"]).map_err(|_| ApiError::Internal)?;
        for row in &rows {
            let start = row.period_start.to_string();
            let total = row.total.to_string();
            writer
                .write_record([start.as_str(), &row.metric, &row.category_id, &total])
                .map_err(|_| ApiError::Internal)?;
        }
        let body = writer.into_inner().map_err(|_| ApiError::Internal)?;
        return Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").body(body));
    }
    let feed = StatisticsFeed {
        place_id: encode(NodeType::Place, place).0,
        period: period.as_str().to_owned(),
        from: window.first(),
        to: window.last(),
        rows,
        stages: statistics
            .stages
            .iter()
            .map(|s| FeedStage {
                stage: s.stage.as_str().to_owned(),
                category_id: category_text(s.category),
                topics: s.topics,
            })
            .collect(),
    };
    Ok(HttpResponse::Ok().json(feed))
}
