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
            ApiError::Partner(PartnerDenied::OutOfScope) => Code::NotFound,
            ApiError::Partner(PartnerDenied::PeopleOnly) => Code::Forbidden,
            ApiError::Partner(PartnerDenied::Disabled) => Code::Unauthenticated,
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
            ApiError::Partner(PartnerDenied::OutOfScope) => lang.pick("未找到该记录", "No such record"),
            ApiError::Partner(PartnerDenied::PeopleOnly) => lang.pick(
                "接口合作方只能读取公开信息，此操作须由本人完成",
                "API partners may only read what the public reads; a person must do this",
            ),
            ApiError::Partner(PartnerDenied::Disabled) => {
                lang.pick("该接口合作方已停用", "This API partner has been disabled")
            }
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
        err.extensions = Some(extensions);
        err
    }

    /// A finer reason beside the code, where a client should tell one refusal from others of its code.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            ApiError::Partner(PartnerDenied::PeopleOnly) => Some("PEOPLE_ONLY"),
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

fn bad_message(bad: &BadRequest, lang: Lang) -> String {
    match bad {
        BadRequest::Id { expected } => {
            lang.pick(format!("ID 无效：需要一个 {expected} 的 ID"), format!("Invalid ID: a {expected} ID is expected"))
        }
        BadRequest::PageSize { max } => {
            lang.pick(format!("每页最多 {max} 条"), format!("At most {max} items per page"))
        }
        BadRequest::Cursor => lang.pick("分页游标无效", "Invalid pagination cursor"),
        BadRequest::Batch => lang
            .pick("不支持批量请求，请逐个发送", "Batched requests are not supported; send one operation per request"),
        BadRequest::Depth { max } => lang.pick(
            format!("查询嵌套过深（最多 {max} 层）"),
            format!("The query is nested too deep (at most {max} levels)"),
        ),
        BadRequest::Complexity { max } => {
            lang.pick(format!("查询过于复杂（复杂度上限 {max}）"), format!("The query is too complex (limit {max})"))
        }
        BadRequest::QueryTooLong { max } => lang.pick(
            format!("查询文本过长（最多 {max} 字节）"),
            format!("The query text is too long (at most {max} bytes)"),
        ),
        BadRequest::Nesting { max } => lang.pick(
            format!("查询中的括号嵌套过深（最多 {max} 层）"),
            format!("Brackets in the query are nested too deep (at most {max} levels)"),
        ),
        BadRequest::TooManySelections { max } => lang.pick(
            format!("查询选择的字段过多（展开片段后最多 {max} 个）"),
            format!("The query selects too many fields (at most {max}, with fragments expanded)"),
        ),
        BadRequest::FragmentCycle { name } => lang.pick(
            format!("片段 {name} 直接或间接引用了自身"),
            format!("Fragment {name} spreads itself, directly or through other fragments"),
        ),
        BadRequest::FragmentChain { max } => lang.pick(
            format!("片段相互引用的层级过深（最多 {max} 层）"),
            format!("Fragments spread one another too deeply (at most {max} levels)"),
        ),
        BadRequest::NotJson => lang.pick("请求体不是有效的 JSON", "The request body is not valid JSON"),
        BadRequest::MutationOverGet => lang.pick("变更操作必须使用 POST", "Mutations must be sent with POST"),
        BadRequest::LoginCode => lang.pick("登录凭证格式无效", "The login code is malformed"),
        BadRequest::PersistedQuery => lang.pick(
            "持久化查询扩展格式无效：需要 {version: 1, sha256Hash: 64 位十六进制}",
            "Malformed persistedQuery extension: {version: 1, sha256Hash: 64 hex digits} is expected",
        ),
        BadRequest::PersistedQueryVersion => {
            lang.pick("不支持该持久化查询版本（仅支持 1）", "Unsupported persisted query version (only 1 is supported)")
        }
        BadRequest::PersistedQueryHash => lang
            .pick("持久化查询的哈希与查询文本不符", "The persisted query's sha256Hash does not match the query text"),
        BadRequest::IdempotencyKeyHeader => lang.pick(
            "Idempotency-Key 请求头只能由可见的 ASCII 字符组成（最多 100 个），请换一个幂等键",
            "The Idempotency-Key header may only hold visible ASCII characters (at most 100); use another key",
        ),
        BadRequest::Document(message) => message.clone(),
        BadRequest::ClockNotForward => lang.pick(
            "演示时钟只能向前拨，且须拨动一段正的时长",
            "The demo clock only moves forward: give a positive number of days, hours or minutes",
        ),
        BadRequest::ClockTooFar { max_days } => lang.pick(
            format!("演示时钟每次最多向前拨 {max_days} 天"),
            format!("The demo clock moves at most {max_days} days at a time"),
        ),
        BadRequest::Multipart => lang.pick(
            "上传请求格式无效：请按 GraphQL multipart 规范依次发送 operations、map 和一个文件",
            "Malformed upload: send operations, map and one file as the GraphQL multipart request spec describes",
        ),
    }
}

fn live_message(refusal: LiveRefusal, lang: Lang) -> String {
    match refusal {
        LiveRefusal::SubscriptionsOnly => lang.pick(
            "WebSocket 连接只用于订阅；查询和变更请通过 HTTP POST /graphql 发送",
            "The WebSocket carries subscriptions only; send queries and mutations with HTTP POST /graphql",
        ),
        LiveRefusal::TooManySubscriptions { max } => lang.pick(
            format!("每个连接最多同时订阅 {max} 项，请先结束不再需要的订阅"),
            format!("A connection may hold at most {max} subscriptions; complete one you no longer need first"),
        ),
        LiveRefusal::Lagged => lang.pick(
            "订阅接收过慢，已被中断；请重新订阅并重新查询当前状态",
            "This subscription fell too far behind and was ended; subscribe again and query the current state",
        ),
        LiveRefusal::GrantsChanged => lang.pick(
            "您的角色已变更，订阅已结束；请重新订阅",
            "Your roles changed, so this subscription ended; subscribe again",
        ),
    }
}

/// `5 MiB`, `20 MiB`, or bytes below one MiB.
fn size_text(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) { format!("{} MiB", bytes / MIB) } else { format!("{bytes} B") }
}

fn upload_message(refusal: UploadRefusal, lang: Lang) -> String {
    match refusal {
        UploadRefusal::TooLarge { class: UploadClass::Photo, max_bytes } => lang.pick(
            format!("照片过大（最多 {}），请压缩后重新上传", size_text(max_bytes)),
            format!("The photo is too large (at most {}); compress it and upload again", size_text(max_bytes)),
        ),
        UploadRefusal::TooLarge { class: UploadClass::Document, max_bytes } => lang.pick(
            format!("文件过大（最多 {}），请降低扫描分辨率或分开上传", size_text(max_bytes)),
            format!(
                "The document is too large (at most {}); scan at a lower resolution or split it",
                size_text(max_bytes)
            ),
        ),
        UploadRefusal::WrongKind { class: UploadClass::Photo } => lang.pick(
            "这不是照片：只接受 JPEG、PNG、WebP 或 HEIC 格式",
            "This is not a photo: only JPEG, PNG, WebP and HEIC images are accepted",
        ),
        UploadRefusal::WrongKind { class: UploadClass::Document } => {
            lang.pick("这不是 PDF 文件：文件只接受 PDF 格式", "This is not a PDF: documents are accepted as PDF only")
        }
        UploadRefusal::NoFile => {
            lang.pick("请求中没有文件，请附上要上传的文件", "The request carries no file; attach the file to upload")
        }
    }
}

fn field_zh(field: &str) -> &str {
    match field {
        "name" => "名称",
        "code" => "编码",
        "reason" => "理由",
        "note" => "备注",
        "kind" => "类型",
        "role" => "角色",
        "relation" => "关系",
        "creditCode" => "统一社会信用代码",
        "title" => "标题",
        "description" => "描述",
        "text" => "内容",
        "location" => "地点",
        "minutes" => "会议纪要",
        "capacity" => "受邀身份",
        "channel" => "渠道",
        "templateId" => "模板",
        "result" => "授权结果",
        "status" => "状态",
        "url" => "地址",
        "photos" => "照片",
        other => other,
    }
}

fn invalid_message(invalid: &Invalid, lang: Lang) -> String {
    match invalid {
        Invalid::Required { field } => {
            lang.pick(format!("{}不能为空", field_zh(field)), format!("{field} is required"))
        }
        Invalid::TooLong { field, max } => lang.pick(
            format!("{}不能超过 {max} 个字", field_zh(field)),
            format!("{field} must be at most {max} characters"),
        ),
        Invalid::ControlCharacters { field } => lang
            .pick(format!("{}含有不可见的控制字符", field_zh(field)), format!("{field} contains control characters")),
        Invalid::DirectionControls { field } => lang.pick(
            format!("{}含有改变文字显示方向的控制字符（U+202A–U+202E、U+2066–U+2069），请删除后重试", field_zh(field)),
            format!(
                "{field} contains characters that change the direction of the text (U+202A–U+202E, U+2066–U+2069); remove them"
            ),
        ),
        Invalid::FloorArea { given } => lang.pick(
            format!("面积“{given}”无效：须为正数，单位平方米，最多两位小数"),
            format!("Area {given:?} is invalid: a positive number of square metres with at most two decimals"),
        ),
        Invalid::FloorAreaTooLarge { given } => {
            lang.pick(format!("面积“{given}”过大，请核对"), format!("Area {given:?} is implausibly large; check it"))
        }
        Invalid::Phone { given } => lang.pick(
            format!("手机号“{given}”无效：须为 11 位大陆手机号"),
            format!("Phone number {given:?} is not an 11-digit mainland mobile number"),
        ),
        Invalid::PlaceParent { child, parent } => lang.pick(
            format!("{} 不能建在 {} 之下", kind_zh(child), kind_zh(parent)),
            format!("A {child} cannot be placed under a {parent}"),
        ),
        Invalid::RoleScope { role, expected, given } => lang.pick(
            format!("角色 {role} 只能授予在{}上，不能授予在{}上", kind_zh(expected), kind_zh(given)),
            format!("Role {role} is granted on a {expected}, not on a {given}"),
        ),
        Invalid::NoPropertyCompany => {
            lang.pick("该小区目前没有签约的物业服务企业", "The compound has no property company under contract")
        }
        Invalid::CommitteeSeats { min, max } => lang.pick(
            format!("业委会席位数须在 {min} 到 {max} 之间"),
            format!("Owners' committee seats must be between {min} and {max}"),
        ),
        Invalid::NoOwnersCommittee => {
            lang.pick("该小区尚未备案业主委员会", "The compound has no owners' committee on file")
        }
        Invalid::CommitteeFull { seats } => lang.pick(
            format!("业委会 {seats} 个席位已满"),
            format!("All {seats} seats of the owners' committee are taken"),
        ),
        Invalid::SeatsBelowMembers { seats, filled } => lang.pick(
            format!("{seats} 个席位少于在任的 {filled} 名委员，请先撤销多余委员"),
            format!("{seats} seats are fewer than the {filled} members in office; revoke members first"),
        ),
        Invalid::AreaOnlyOnHouseholds => {
            lang.pick("只有房屋（户）才登记专有部分面积", "Floor area is only recorded on households")
        }
        Invalid::AreaRequired => lang.pick("房屋须登记专有部分面积", "A household needs its exclusive floor area"),
        Invalid::WrongPlaceKind { expected, given } => lang.pick(
            format!("这里需要{}，而不是{}", kind_zh(expected), kind_zh(given)),
            format!("A {expected} was expected here, not a {given}"),
        ),
        Invalid::AlreadyRevoked => lang.pick("该角色已被撤销", "This role grant has already been revoked"),
        Invalid::NotDissatisfied => lang.pick(
            "只有给出 1 或 2 分评价的居民可以要求解释；如不满意，请先修改评价",
            "Only a resident who rated the topic 1 or 2 is owed an explanation; change your rating first if you are not satisfied",
        ),
        Invalid::ClaimNotPending { state } => {
            lang.pick(format!("该认领申请已处理（{state}），不能再变更"), format!("The claim is already {state}"))
        }
        Invalid::ReasonRequired => {
            lang.pick("请填写理由，申请人会看到它", "A reason is required; the claimant will see it")
        }
        Invalid::UnknownValue { field, given } => lang.pick(
            format!("{}“{given}”不是有效取值", field_zh(field)),
            format!("{field} {given:?} is not a known value"),
        ),
        Invalid::WebhookUrl { given } => lang.pick(
            format!("回调地址“{given}”须为 https:// 开头，且不含用户名或密码"),
            format!("Webhook address {given:?} must be an https:// URL without a user name or password"),
        ),
        Invalid::WebhookTarget { given, class } => lang.pick(
            format!(
                "回调地址“{given}”指向{}地址，出于安全原因不能向其推送；请使用可从公网访问的地址",
                target_class_zh(*class)
            ),
            format!(
                "Webhook address {given:?} reaches a {} address, which is refused for safety; use an address \
                 reachable from the internet",
                class.code().replace('_', "-")
            ),
        ),
        Invalid::RateBudget { min, max } => lang.pick(
            format!("限流额度须在 {min} 到 {max} 点之间"),
            format!("A rate budget must be between {min} and {max} points"),
        ),
    }
}

fn target_class_zh(class: gongzhi_domain::notify::TargetClass) -> &'static str {
    use gongzhi_domain::notify::TargetClass as C;
    match class {
        C::Loopback => "本机（环回）",
        C::Private => "内网（私有）",
        C::LinkLocal => "链路本地",
        C::Metadata => "云服务器元数据服务",
        C::SharedAddress => "运营商内网（100.64/10）",
        C::Unspecified => "未指定（0.0.0.0）",
        C::Multicast => "组播",
        C::Broadcast => "广播",
    }
}

fn kind_zh(kind: &str) -> &str {
    match kind {
        "city" => "市",
        "district" => "区县",
        "street" => "街道",
        "community" => "社区",
        "compound" => "小区",
        "building" => "楼栋",
        "household" => "房屋（户）",
        other => other,
    }
}

fn conflict_message(conflict: &Conflict, lang: Lang) -> String {
    match conflict {
        Conflict::SiblingName => lang.pick("同一上级下已有同名地点", "A sibling place already has this name"),
        Conflict::LiveGrant => lang.pick("此人在此处已担任该角色", "The person already holds this role here"),
        Conflict::PendingClaim => {
            lang.pick("您已提交过该房屋的认领申请，请等待审核", "You already have a pending claim on this household")
        }
        Conflict::AlreadyHeld => lang.pick("您已是该房屋的登记成员", "You already hold this relation to the household"),
        Conflict::GridName => lang.pick("社区内已有同名网格", "A grid of this name already exists in the community"),
        Conflict::CreditCode => {
            lang.pick("该统一社会信用代码已登记", "A company with this credit code is already registered")
        }
        Conflict::GridCommunity => {
            lang.pick("该楼栋不属于网格所在社区", "The building lies in another community than the grid")
        }
        Conflict::TopicChanged => lang.pick(
            "议题刚被他人更新，请刷新后重试",
            "The topic changed while this request was being decided; reload it and try again",
        ),
        Conflict::OwnerVotedInPerson => lang.pick(
            "业主已亲自投票，委托票或纸质票不能替换",
            "The owner voted in person; a proxy or paper ballot cannot replace that ballot",
        ),
        Conflict::AlreadyCoSigned => lang.pick("您已附议过该议题", "You already co-signed this topic"),
        Conflict::NotDeadLetter { status } => lang.pick(
            format!("只有投递失败（死信）的消息可以重发，该消息状态为 {status}"),
            format!("Only a dead letter can be replayed; this message is {status}"),
        ),
        Conflict::CategoryCode => {
            lang.pick("目录中已有该编码的类别", "A category with this code is already in the catalogue")
        }
        Conflict::IdempotencyKeyReused => {
            lang.pick("该幂等键已用于另一个不同的请求", "This idempotency key was already used for a different request")
        }
        Conflict::PartnerDisabled => lang.pick("该接口合作方已停用", "This API partner has been disabled"),
        Conflict::PartnerChanged => lang.pick(
            "该接口合作方已被他人修改，请刷新后重试",
            "The API partner changed meanwhile; reload it and try again",
        ),
        Conflict::RequestDecided { status } => {
            let zh = match status.as_str() {
                "answered" => "已答复",
                "granted" => "已同意",
                "declined" => "已拒绝",
                other => other,
            };
            lang.pick(format!("该申请已处理（{zh}），不能再次处理"), format!("The request was already {status}"))
        }
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
