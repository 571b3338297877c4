//! Open311's refusals in the spec's error format (`[{"code": 404, "description": "…"}]`, or
//! `<errors><error>…</error></errors>`) with the HTTP status the spec gives, described in the request's
//! language (Chinese unless English is preferred).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use gongzhi_domain::open311::Open311Refusal;
use gongzhi_domain::partner::PartnerDenied;

use super::wire::{Format, Node, render};
use crate::i18n::Lang;

/// Why an Open311 request was refused.
#[derive(Debug)]
pub enum Refusal {
    /// No `api_key`, as a parameter or as HTTP Basic's password.
    NoKey,
    /// An `api_key` that is no active partner's secret.
    BadKey,
    /// A parameter that is malformed (a date, a status, an id), named.
    BadParameter(&'static str),
    /// A required parameter missing, named.
    Missing(&'static str),
    /// The path's format is neither `json` nor `xml`.
    Format,
    /// No such request or service (or one outside the partner's scope).
    NotFound,
    Rules(Open311Refusal),
    RateLimited {
        retry_after: u64,
    },
    /// A fault of ours, logged where it happened.
    Internal,
}

impl From<Open311Refusal> for Refusal {
    fn from(refusal: Open311Refusal) -> Self {
        Refusal::Rules(refusal)
    }
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::NoKey => StatusCode::UNAUTHORIZED,
            Refusal::BadKey => StatusCode::FORBIDDEN,
            Refusal::BadParameter(_) | Refusal::Missing(_) | Refusal::Format => StatusCode::BAD_REQUEST,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::Rules(rule) => match rule {
                Open311Refusal::Partner(PartnerDenied::OutOfScope) | Open311Refusal::Jurisdiction { .. } => {
                    StatusCode::NOT_FOUND
                }
                Open311Refusal::Partner(_) => StatusCode::FORBIDDEN,
                Open311Refusal::UnknownService { .. }
                | Open311Refusal::ServiceNotOffered { .. }
                | Open311Refusal::Unplaced
                | Open311Refusal::AmbiguousAddress { .. }
                | Open311Refusal::Topic(_) => StatusCode::BAD_REQUEST,
            },
            Refusal::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn description(&self, lang: Lang) -> String {
        match self {
            Refusal::NoKey => lang.pick(
                "缺少 api_key：请以参数 api_key 或 HTTP Basic 口令提供接口合作方的密钥",
                "api_key is missing: give the partner's secret as the api_key parameter or as the HTTP Basic password",
            ),
            Refusal::BadKey => lang.pick(
                "api_key 无效：不是任何在用接口合作方的密钥（或已轮换、已停用）",
                "api_key is not valid: it is no active partner's secret (or it was rotated, or the partner disabled)",
            ),
            Refusal::BadParameter(name) => {
                lang.pick(format!("参数 {name} 格式不正确"), format!("parameter {name} is malformed"))
            }
            Refusal::Missing(name) => {
                lang.pick(format!("缺少必填参数 {name}"), format!("parameter {name} is required"))
            }
            Refusal::Format => lang.pick("格式须为 json 或 xml", "the format must be json or xml"),
            Refusal::NotFound => lang.pick("未找到该记录", "No such record"),
            Refusal::Rules(rule) => rule_description(rule, lang),
            Refusal::RateLimited { retry_after } => lang.pick(
                format!("请求过于频繁，请 {retry_after} 秒后再试"),
                format!("Too many requests: try again in {retry_after} seconds"),
            ),
            Refusal::Internal => lang.pick("服务器内部错误，请稍后再试", "Internal server error: try again later"),
        }
    }

    /// The response in the spec's error format.
    pub fn respond(&self, format: Format, lang: Lang) -> HttpResponse {
        let status = self.status();
        let error = Node::Object(vec![
            ("code", Node::Number(status.as_u16().to_string())),
            ("description", Node::text(self.description(lang))),
        ]);
        let body = render(format, "errors", &Node::List("error", vec![error]));
        let mut response = HttpResponse::build(status);
        response.content_type(format.content_type());
        match self {
            Refusal::NoKey => {
                response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"open311\""));
            }
            Refusal::RateLimited { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        response.body(body)
    }
}

fn rule_description(rule: &Open311Refusal, lang: Lang) -> String {
    match rule {
        Open311Refusal::Partner(PartnerDenied::MissingScope(scope)) => lang.pick(
            format!("该接口合作方未获授权范围 {}", scope.as_str()),
            format!("this API partner was not granted the {} scope", scope.as_str()),
        ),
        Open311Refusal::Partner(PartnerDenied::Disabled) => {
            lang.pick("该接口合作方已停用", "This API partner has been disabled")
        }
        Open311Refusal::Partner(PartnerDenied::OutOfScope) => lang.pick("未找到该记录", "No such record"),
        Open311Refusal::Partner(PartnerDenied::PeopleOnly) => {
            lang.pick("接口合作方只能读取，此操作须由本人完成", "API partners may only read; a person must do this")
        }
        Open311Refusal::Jurisdiction { given } => lang.pick(
            format!("jurisdiction_id {given:?} 不是本合作方所在的城市"),
            format!("jurisdiction_id {given:?} was not found among this partner's cities"),
        ),
        Open311Refusal::UnknownService { code } => lang.pick(
            format!("service_code {code:?} 不在本辖区的协商事项目录中"),
            format!("service_code {code:?} is not a service of this jurisdiction"),
        ),
        Open311Refusal::ServiceNotOffered { code, place } => lang.pick(
            format!("{place} 所在社区的目录中没有（或已停用）事项 {code:?}"),
            format!("the community of {place} does not offer service {code:?} (not in its catalogue, or retired)"),
        ),
        Open311Refusal::Unplaced => lang.pick(
            "无法确定小区或楼栋：请以 address_id（地点编号或代码）或 address_string（小区或楼栋名称）指明本合作方范围内的地点；仅有经纬度无法定位",
            "the location resolves to no compound or building: give address_id (a place's id or code) or \
             address_string (a compound's or building's name) within this partner's scope; lat/long alone place nothing",
        ),
        Open311Refusal::AmbiguousAddress { given, count } => lang.pick(
            format!("地址 {given:?} 对应 {count} 处地点，请改用 address_id"),
            format!("address {given:?} names {count} places: give address_id instead"),
        ),
        Open311Refusal::Topic(refused) => {
            let error = crate::error::ApiError::from(gongzhi_infra::Error::Topic(refused.clone()));
            error.message(lang)
        }
    }
}
