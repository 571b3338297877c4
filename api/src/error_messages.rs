//! The words of the API's refusals: each `ApiError` kind's message in Chinese and English, in the request's
//! language. The codes and the mapping from causes live in `error.rs`; this file holds only what people read.

use gongzhi_domain::file_kind::{UploadClass, UploadRefusal};
use gongzhi_domain::{Conflict, Invalid};

use crate::error::{BadRequest, LiveRefusal};
use crate::i18n::Lang;

pub(crate) fn bad_message(bad: &BadRequest, lang: Lang) -> String {
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

pub(crate) fn live_message(refusal: LiveRefusal, lang: Lang) -> String {
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
pub(crate) fn size_text(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) { format!("{} MiB", bytes / MIB) } else { format!("{bytes} B") }
}

pub(crate) fn upload_message(refusal: UploadRefusal, lang: Lang) -> String {
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

pub(crate) fn invalid_message(invalid: &Invalid, lang: Lang) -> String {
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
        Invalid::SecretOverlap { max_days } => lang.pick(
            format!("旧密钥的有效截止时间须晚于现在，且不超过 {max_days} 天"),
            format!("The old secret must stay valid until a time after now and at most {max_days} days later"),
        ),
        Invalid::RequestWindow { max_days } => lang.pick(
            format!("start_date 不得晚于 end_date，且两者相隔不超过 {max_days} 天"),
            format!("start_date must not be after end_date, and the two at most {max_days} days apart"),
        ),
        Invalid::StatisticsWindow { period, max } => lang.pick(
            format!("from 不得晚于 to，且两者相隔不超过 {max} 个{}", if *period == "day" { "日" } else { "月" }),
            format!("from must not be after to, and the two at most {max} {period}s apart"),
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

pub(crate) fn conflict_message(conflict: &Conflict, lang: Lang) -> String {
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
        Conflict::PartnerActive => lang.pick("该接口合作方未停用，无需启用", "This API partner is not disabled"),
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
