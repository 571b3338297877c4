//! The API's one error type: every refusal a client can see, with its stable `extensions.code` and its
//! message in Chinese and English. Internal causes are logged here and never shown.

use gongzhi_domain::file_kind::{UploadClass, UploadRefusal};
use gongzhi_domain::partner::PartnerDenied;
use gongzhi_domain::{Conflict, Denied, Invalid};
use gongzhi_infra::auth::AuthError;
use gongzhi_infra::files::LinkRefusal;
use gongzhi_infra::wechat::WeChatError;
use thiserror::Error;
use tracing::{error, warn};

use crate::error_messages::{bad_message, conflict_message, invalid_message, live_message, size_text, upload_message};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
    /// A service we depend on (WeChat, the database) is busy or unreachable; retrying later may succeed.
    Unavailable,
    Internal,
    /// Apollo's automatic persisted queries: the hash is not known here; send the query text with it.
    PersistedQueryNotFound,
    /// A body or an uploaded file over its limit (HTTP 413).
    PayloadTooLarge,
}

impl Code {
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::Conflict => "CONFLICT",
            Code::RateLimited => "RATE_LIMITED",
            Code::Unavailable => "UNAVAILABLE",
            Code::Internal => "INTERNAL",
            Code::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Code::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
        }
    }
}

/// Input problems the API itself finds, before any use case runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadRequest {
    Id {
        expected: &'static str,
    },
    PageSize {
        max: usize,
    },
    Cursor,
    Batch,
    Depth {
        max: usize,
    },
    Complexity {
        max: usize,
    },
    /// The query text is longer than any client's query needs (`http::document_bounds`).
    QueryTooLong {
        max: usize,
    },
    /// Brackets nest deeper than any legitimate document.
    Nesting {
        max: usize,
    },
    /// The selection, with fragments expanded, has more fields and spreads than the limit.
    TooManySelections {
        max: u64,
    },
    FragmentCycle {
        name: String,
    },
    FragmentChain {
        max: usize,
    },
    NotJson,
    MutationOverGet,
    LoginCode,
    /// `extensions.persistedQuery` is not `{version, sha256Hash}` with a 64-digit hex hash.
    PersistedQuery,
    PersistedQueryVersion,
    /// The query text sent with a persisted-query hash is not the text of that hash.
    PersistedQueryHash,
    /// The `Idempotency-Key` header holds bytes other than visible ASCII.
    IdempotencyKeyHeader,
    /// Parse and validation errors from the GraphQL engine: messages for developers, kept in English.
    Document(String),
    /// The demo clock moves forward only, by a positive amount (`advanceDemoClock`).
    ClockNotForward,
    /// The demo clock moves at most this many days at once.
    ClockTooFar {
        max_days: i64,
    },
    /// A multipart upload that does not follow the GraphQL multipart request spec.
    Multipart,
}

/// Refusals of live updates (subscriptions over WebSocket).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveRefusal {
    /// A query or mutation sent over the WebSocket: those go over HTTP.
    SubscriptionsOnly,
    /// One subscription more than a connection may hold.
    TooManySubscriptions { max: usize },
    /// The subscriber fell further behind than the bus holds for it, and was dropped.
    Lagged,
    /// The viewer's roles changed while subscribed: subscribing again serves them under the new ones.
    GrantsChanged,
}

#[derive(Debug, Clone, Error)]
pub enum ApiError {
    /// A live update refused or ended.
    #[error("live: {0:?}")]
    Live(LiveRefusal),
    #[error("unauthenticated")]
    Unauthenticated(Option<AuthError>),
    #[error("forbidden")]
    Forbidden,
    /// Forbidden, with the roles that would permit the action where it was asked (the policy's answer).
    #[error("forbidden without one of {} roles", .0.len())]
    Requires(Vec<gongzhi_domain::policy::NeededRole>),
    /// Forbidden to all but those invited (a meeting vote): no role would do.
    #[error("forbidden to the uninvited")]
    NotInvited,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0:?}")]
    Bad(BadRequest),
    #[error("invalid input: {0}")]
    Invalid(Invalid),
    #[error("conflict: {0}")]
    Conflict(Conflict),
    #[error("WeChat: {0}")]
    WeChat(WeChatError),
    #[error("pipeline: {0}")]
    Topic(gongzhi_domain::topic::TopicError),
    #[error("ballot: {0}")]
    Ballot(gongzhi_domain::vote::BallotRefusal),
    #[error("task: {0}")]
    Task(gongzhi_domain::task::TaskError),
    #[error("meeting: {0}")]
    Meeting(gongzhi_domain::meeting::MeetingError),
    #[error("opinion: {0}")]
    Opinion(gongzhi_domain::opinion::OpinionError),
    #[error("disclosure: {0}")]
    Disclosure(gongzhi_domain::disclosure::DisclosureError),
    #[error("accountability: {0}")]
    Accountability(gongzhi_domain::accountability::AccountabilityError),
    #[error("content: {0}")]
    Content(gongzhi_domain::content::ContentError),
    /// An API partner asked for what partners are not given.
    #[error("partner: {0}")]
    Partner(PartnerDenied),
    #[error("timeout")]
    Timeout,
    /// The database was out of reach (restarting, failing over, a cut connection): nothing the client did
    /// wrong, and asking again shortly may succeed.
    #[error("database unavailable")]
    DatabaseUnavailable,
    #[error("persisted query not found")]
    PersistedQueryNotFound,
    /// Only the demo profile's clock can be moved; production runs on the wall clock.
    #[error("demo profile only")]
    DemoOnly,
    /// A rate limit is spent; the client may retry after this many seconds.
    #[error("rate limited")]
    RateLimited { retry_after: u64 },
    #[error("internal error")]
    Internal,
    /// An upload of the wrong kind, or over its kind's limit.
    #[error("upload: {0}")]
    Upload(gongzhi_domain::file_kind::UploadRefusal),
    /// A request body over the limit, refused before it was read.
    #[error("body over {max_bytes} bytes")]
    BodyTooLarge { max_bytes: usize },
    /// An account that cannot be closed yet, or was closed already (decision 165).
    #[error("erasure: {0}")]
    Erasure(gongzhi_domain::privacy::erasure::ErasureRefusal),
    /// A file link that is not this server's, or no longer good.
    #[error("file link: {0:?}")]
    FileLink(gongzhi_infra::files::LinkRefusal),
    #[error("range past the end of a file of {size} bytes")]
    RangeNotSatisfiable { size: u64 },
    /// The file store (the disk, the object store) did not answer.
    #[error("file store unavailable")]
    FileStore,
}

impl From<gongzhi_infra::Error> for ApiError {
    fn from(err: gongzhi_infra::Error) -> Self {
        use gongzhi_infra::Error as E;
        match err {
            E::Invalid(invalid) => ApiError::Invalid(invalid),
            E::Denied(Denied::Forbidden) => ApiError::Forbidden,
            E::Denied(Denied::Requires(needed)) => ApiError::Requires(needed),
            E::Denied(Denied::NotInvited) => ApiError::NotInvited,
            E::Denied(Denied::Hidden) | E::NotFound(_) => ApiError::NotFound,
            E::Conflict(conflict) => ApiError::Conflict(conflict),
            E::Auth(AuthError::DevLoginDisabled) => ApiError::Forbidden,
            E::Auth(auth) => ApiError::Unauthenticated(Some(auth)),
            E::WeChat(wechat) => ApiError::WeChat(wechat),
            E::Topic(gongzhi_domain::topic::TopicError::NotSubmitter) => ApiError::Forbidden,
            E::Topic(topic) => ApiError::Topic(topic),
            E::Ballot(refusal) => ApiError::Ballot(refusal),
            E::Task(refusal) => ApiError::Task(refusal),
            E::Meeting(refusal) => ApiError::Meeting(refusal),
            E::Opinion(refusal) => ApiError::Opinion(refusal),
            E::Disclosure(refusal) => ApiError::Disclosure(refusal),
            E::Accountability(refusal) => ApiError::Accountability(refusal),
            E::Content(refusal) => ApiError::Content(refusal),
            E::Erasure(refusal) => ApiError::Erasure(refusal),
            // One export a day (decision 139): RATE_LIMITED with its Retry-After.
            E::Export(gongzhi_domain::privacy::export::ExportRefusal::TooSoon { retry_after_seconds }) => {
                ApiError::RateLimited { retry_after: retry_after_seconds }
            }
            E::Export(fault) => {
                error!(error = %fault, "an export's transition was refused");
                ApiError::Internal
            }
            E::Upload(refusal) => ApiError::Upload(refusal),
            E::Vote(fault) => {
                error!(fault, "vote arithmetic refused stored counts");
                ApiError::Internal
            }
            E::Register(problems) => {
                error!(problems = problems.len(), "register problems reached the API");
                ApiError::Internal
            }
            E::Unavailable(db) => {
                warn!(error = %db, cause = ?db, "the database is out of reach");
                ApiError::DatabaseUnavailable
            }
            E::Database(db) => {
                error!(error = %db, cause = ?db, "database failure");
                ApiError::Internal
            }
        }
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        ApiError::Invalid(invalid)
    }
}

impl ApiError {
    pub fn code(&self) -> Code {
        match self {
            ApiError::Unauthenticated(_) => Code::Unauthenticated,
            ApiError::Forbidden | ApiError::Requires(_) | ApiError::NotInvited | ApiError::DemoOnly => Code::Forbidden,
            ApiError::NotFound => Code::NotFound,
            ApiError::Bad(_) | ApiError::Invalid(_) => Code::BadUserInput,
            ApiError::Conflict(_) => Code::Conflict,
            // Business refusals normally travel in payloads; one that reaches here is a conflict with the
            // topic's state, and the rest are input errors.
            ApiError::Topic(topic) if crate::topic_messages::is_business_outcome(topic) => Code::Conflict,
            ApiError::Topic(_) => Code::BadUserInput,
            ApiError::Ballot(gongzhi_domain::vote::BallotRefusal::Window) => Code::BadUserInput,
            ApiError::Ballot(_) => Code::Conflict,
            ApiError::Task(
                gongzhi_domain::task::TaskError::DueInPast | gongzhi_domain::task::TaskError::Invalid(_),
            ) => Code::BadUserInput,
            ApiError::Task(_) => Code::Conflict,
            ApiError::Meeting(refusal) => crate::deliberation_messages::meeting_error_code(refusal),
            ApiError::Opinion(refusal) => crate::deliberation_messages::opinion_error_code(refusal),
            ApiError::Disclosure(refusal) => crate::disclosure_messages::disclosure_error_code(refusal),
            ApiError::Accountability(refusal) => crate::accountability_messages::code(refusal),
            ApiError::Content(_) => Code::Conflict,
            ApiError::Erasure(refusal) => crate::erasure_messages::code(refusal),
            ApiError::Partner(PartnerDenied::OutOfScope) => Code::NotFound,
            ApiError::Partner(PartnerDenied::PeopleOnly) => Code::Forbidden,
            ApiError::Partner(PartnerDenied::Disabled) => Code::Unauthenticated,
            ApiError::Partner(PartnerDenied::MissingScope(_)) => Code::Forbidden,
            ApiError::WeChat(WeChatError::InvalidCode) => Code::BadUserInput,
            ApiError::WeChat(WeChatError::RateLimited) => Code::RateLimited,
            ApiError::WeChat(WeChatError::HighRisk) => Code::Forbidden,
            ApiError::WeChat(_) | ApiError::Timeout | ApiError::DatabaseUnavailable => Code::Unavailable,
            ApiError::RateLimited { .. } => Code::RateLimited,
            ApiError::Internal => Code::Internal,
            ApiError::PersistedQueryNotFound => Code::PersistedQueryNotFound,
            ApiError::Upload(UploadRefusal::TooLarge { .. }) | ApiError::BodyTooLarge { .. } => Code::PayloadTooLarge,
            ApiError::Upload(_) | ApiError::RangeNotSatisfiable { .. } => Code::BadUserInput,
            ApiError::FileLink(_) => Code::Forbidden,
            ApiError::FileStore => Code::Unavailable,
            ApiError::Live(LiveRefusal::SubscriptionsOnly | LiveRefusal::TooManySubscriptions { .. }) => {
                Code::BadUserInput
            }
            ApiError::Live(LiveRefusal::Lagged) => Code::Unavailable,
            ApiError::Live(LiveRefusal::GrantsChanged) => Code::Forbidden,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Unauthenticated(reason) => match reason {
                Some(AuthError::ExpiredToken) => lang
                    .pick("登录已过期，请刷新或重新登录", "Your access token has expired; refresh it or log in again"),
                Some(AuthError::InvalidRefresh) => lang
                    .pick("刷新凭证无效或已过期，请重新登录", "The refresh token is invalid or expired; log in again"),
                Some(AuthError::RefreshReused) => lang.pick(
                    "刷新凭证已被使用，为安全起见本次登录已失效，请重新登录",
                    "That refresh token was already used; for safety this session has been ended. Log in again",
                ),
                Some(AuthError::SessionEnded) => {
                    lang.pick("登录已退出，请重新登录", "This session has ended; log in again")
                }
                Some(AuthError::InvalidToken) => {
                    lang.pick("访问凭证无效，请重新登录", "The access token is not valid; log in again")
                }
                Some(AuthError::InvalidClient) => {
                    lang.pick("客户端标识或密钥无效", "The client id or client secret is not valid")
                }
                Some(AuthError::PartnerRevoked) => lang.pick(
                    "该接口合作方已停用或已更换密钥，请用有效密钥重新获取访问凭证",
                    "This API partner was disabled or its secret rotated; get a new token with a valid secret",
                ),
                Some(AuthError::PartnerTokenExpired) => lang.pick(
                    "访问凭证已过期，请向 /oauth/token 重新获取",
                    "The access token has expired; get a new one from /oauth/token",
                ),
                _ => lang.pick("请先登录", "Please log in first"),
            },
            ApiError::Forbidden => lang.pick("您没有权限执行此操作", "You are not permitted to do this"),
            ApiError::Requires(needed) => crate::needed_roles::message(needed, lang),
            ApiError::NotInvited => lang.pick(
                "只有受邀参加者可以投票，请联系议题的组织者",
                "Only those invited may vote here; ask the topic's organisers",
            ),
            ApiError::DemoOnly => lang.pick(
                "只有演示环境可以调整服务器时间，生产环境始终使用真实时间",
                "The server's clock can only be moved in the demo profile; production runs on the wall clock",
            ),
            ApiError::NotFound => lang.pick("未找到该记录", "No such record"),
            ApiError::Bad(bad) => bad_message(bad, lang),
            ApiError::Invalid(invalid) => invalid_message(invalid, lang),
            ApiError::Conflict(conflict) => conflict_message(conflict, lang),
            ApiError::Topic(topic) => crate::topic_messages::topic_error_message(topic, lang),
            ApiError::Ballot(refusal) => crate::topic_messages::ballot_refusal_message(refusal, lang),
            ApiError::Task(refusal) => crate::topic_messages::task_error_message(refusal, lang),
            ApiError::Meeting(refusal) => crate::deliberation_messages::meeting_error_message(refusal, lang),
            ApiError::Opinion(refusal) => crate::deliberation_messages::opinion_error_message(refusal, lang),
            ApiError::Disclosure(refusal) => crate::disclosure_messages::disclosure_error_message(refusal, lang),
            ApiError::Accountability(refusal) => crate::accountability_messages::message(refusal, lang),
            ApiError::Content(refusal) => crate::content_messages::message(refusal, lang),
            ApiError::Erasure(refusal) => crate::erasure_messages::message(refusal, lang),
            ApiError::Partner(PartnerDenied::OutOfScope) => lang.pick("未找到该记录", "No such record"),
            ApiError::Partner(PartnerDenied::PeopleOnly) => lang.pick(
                "接口合作方只能读取公开信息，此操作须由本人完成",
                "API partners may only read what the public reads; a person must do this",
            ),
            ApiError::Partner(PartnerDenied::Disabled) => {
                lang.pick("该接口合作方已停用", "This API partner has been disabled")
            }
            ApiError::Partner(PartnerDenied::MissingScope(scope)) => lang.pick(
                format!("该接口合作方未获授权范围 {}，无法读取", scope.as_str()),
                format!("This API partner was not granted the {} scope", scope.as_str()),
            ),
            ApiError::WeChat(wechat) => match wechat {
                WeChatError::InvalidCode => lang.pick(
                    "微信登录凭证无效或已过期，请重新登录",
                    "The WeChat login code is invalid or expired; try logging in again",
                ),
                WeChatError::RateLimited => {
                    lang.pick("登录过于频繁，请稍后再试", "Too many login attempts; try again later")
                }
                WeChatError::HighRisk => lang.pick(
                    "微信判定该账号存在风险，已拒绝登录",
                    "WeChat refused this login because it flags the account as high-risk",
                ),
                WeChatError::Busy => lang.pick("微信服务繁忙，请稍后重试", "WeChat is busy; try again shortly"),
                WeChatError::Timeout => {
                    lang.pick("微信服务响应超时，请稍后重试", "WeChat did not answer in time; try again shortly")
                }
                WeChatError::Unavailable(_) => lang
                    .pick("微信登录暂时不可用，请稍后重试", "WeChat login is unavailable right now; try again later"),
            },
            ApiError::Timeout => lang.pick("请求处理超时，请稍后重试", "The request took too long; try again later"),
            ApiError::DatabaseUnavailable => lang.pick(
                "数据库暂时无法连接，请稍后重试",
                "The database cannot be reached at the moment; try again shortly",
            ),
            ApiError::RateLimited { retry_after } => lang.pick(
                format!("请求过于频繁，请在 {retry_after} 秒后重试"),
                format!("Too many requests; try again in {retry_after} seconds"),
            ),
            ApiError::Internal => lang.pick("服务器内部错误，请稍后重试", "Internal server error; try again later"),
            ApiError::PersistedQueryNotFound => lang.pick(
                "未找到该持久化查询，请连同查询文本重新发送",
                "PersistedQueryNotFound: send the query text together with its hash",
            ),
            ApiError::Upload(refusal) => upload_message(*refusal, lang),
            ApiError::BodyTooLarge { max_bytes } => lang.pick(
                format!("请求体过大（最多 {}）", size_text(*max_bytes)),
                format!("The request body is too large (at most {})", size_text(*max_bytes)),
            ),
            ApiError::FileLink(LinkRefusal::Expired) => lang.pick(
                "文件链接已过期，请重新查询以获取新链接",
                "This file link has expired; query the record again for a new link",
            ),
            ApiError::FileLink(LinkRefusal::BadSignature | LinkRefusal::Unsigned) => lang.pick(
                "文件链接无效：请使用接口返回的完整链接",
                "This file link is not valid; use the whole link the API returned",
            ),
            ApiError::RangeNotSatisfiable { size } => lang.pick(
                format!("请求的字节范围超出文件大小（{size} 字节）"),
                format!("The requested byte range lies past the end of the file ({size} bytes)"),
            ),
            ApiError::FileStore => lang.pick(
                "文件存储暂时不可用，请稍后重试",
                "The file store is unavailable at the moment; try again shortly",
            ),
            ApiError::Live(refusal) => live_message(*refusal, lang),
        }
    }

    /// The GraphQL error, carrying this value as its source so the HTTP layer can word it in the
    /// request's language.
    pub fn into_graphql(self) -> async_graphql::Error {
        let code = self.code().as_str();
        let reason = self.reason();
        let needed = match &self {
            ApiError::Requires(needed) => Some(crate::needed_roles::extension(needed)),
            _ => None,
        };
        let office = match &self {
            ApiError::Erasure(refusal) => crate::erasure_messages::office(refusal),
            _ => None,
        };
        let message = self.message(Lang::default());
        let mut err = async_graphql::Error::new_with_source(self);
        err.message = message;
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", code);
        if let Some(reason) = reason {
            extensions.set("reason", reason);
        }
        if let Some(needed) = needed {
            extensions.set("needed", needed);
        }
        if let Some(office) = office {
            extensions.set("office", office);
        }
        err.extensions = Some(extensions);
        err
    }

    /// A finer reason beside the code, where a client should tell one refusal from others of its code.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            ApiError::Partner(PartnerDenied::PeopleOnly) => Some("PEOPLE_ONLY"),
            ApiError::Partner(PartnerDenied::MissingScope(_)) => Some("MISSING_SCOPE"),
            ApiError::DemoOnly => Some("DEMO_ONLY"),
            ApiError::NotInvited => Some("NOT_INVITED"),
            ApiError::Upload(UploadRefusal::TooLarge { .. }) => Some("TOO_LARGE"),
            ApiError::Upload(UploadRefusal::WrongKind { class: UploadClass::Photo }) => Some("NOT_A_PHOTO"),
            ApiError::Upload(UploadRefusal::WrongKind { class: UploadClass::Document }) => Some("NOT_A_PDF"),
            ApiError::Upload(UploadRefusal::NoFile) => Some("NO_FILE"),
            ApiError::FileLink(LinkRefusal::Expired) => Some("LINK_EXPIRED"),
            ApiError::FileLink(LinkRefusal::BadSignature | LinkRefusal::Unsigned) => Some("LINK_INVALID"),
            ApiError::RangeNotSatisfiable { .. } => Some("RANGE_NOT_SATISFIABLE"),
            ApiError::Live(LiveRefusal::SubscriptionsOnly) => Some("SUBSCRIPTIONS_ONLY"),
            ApiError::Live(LiveRefusal::TooManySubscriptions { .. }) => Some("TOO_MANY_SUBSCRIPTIONS"),
            ApiError::Live(LiveRefusal::Lagged) => Some("LAGGED"),
            ApiError::Live(LiveRefusal::GrantsChanged) => Some("GRANTS_CHANGED"),
            ApiError::Invalid(Invalid::WebhookTarget { .. }) => Some("WEBHOOK_TARGET_REFUSED"),
            ApiError::Disclosure(refusal) => Some(crate::disclosure_messages::disclosure_reason(refusal)),
            ApiError::Erasure(refusal) => Some(crate::erasure_messages::reason(refusal)),
            _ => None,
        }
    }
}

/// `.gql()?` turns any error that knows its API meaning into a coded GraphQL error.
pub trait Gql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T, E: Into<ApiError>> Gql<T> for Result<T, E> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.into().into_graphql())
    }
}

/// The token endpoint's refusals (RFC 6749 §5.2): the protocol's own error codes, with a description in
/// the request's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthError {
    /// Malformed: not a form or JSON body, a parameter twice, two ways of authenticating at once.
    InvalidRequest,
    /// No such client, a wrong secret, a disabled partner, or no credentials at all.
    InvalidClient,
    /// Only `client_credentials` is granted here.
    UnsupportedGrantType,
    /// The client address spent its budget (HTTP 429 with `Retry-After`).
    RateLimited { retry_after: u64 },
    /// Our fault; logged with its cause.
    ServerError,
}

impl OAuthError {
    pub const fn code(self) -> &'static str {
        match self {
            OAuthError::InvalidRequest => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::RateLimited { .. } => "rate_limited",
            OAuthError::ServerError => "server_error",
        }
    }

    pub fn description(self, lang: Lang) -> String {
        match self {
            OAuthError::InvalidRequest => lang.pick(
                "请求格式无效：请以 application/x-www-form-urlencoded 或 JSON 发送 grant_type、client_id 和 client_secret，每项一次，且只用一种方式提供凭证",
                "Malformed request: send grant_type, client_id and client_secret once each, as application/x-www-form-urlencoded or JSON, with one way of authenticating",
            ),
            OAuthError::InvalidClient => {
                lang.pick("客户端认证失败：标识或密钥无效，或该合作方已停用", "Client authentication failed")
            }
            OAuthError::UnsupportedGrantType => lang.pick(
                "仅支持 grant_type=client_credentials",
                "Only grant_type=client_credentials is supported",
            ),
            OAuthError::RateLimited { retry_after } => lang.pick(
                format!("请求过于频繁，请在 {retry_after} 秒后重试"),
                format!("Too many requests; try again in {retry_after} seconds"),
            ),
            OAuthError::ServerError => lang.pick("服务器内部错误，请稍后重试", "Internal server error; try again later"),
        }
    }
}
