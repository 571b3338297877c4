//! Wording for the refusals of meetings and of the online opinion thread, in Chinese and English; their
//! `extensions.code` when they are errors; and which of them are business outcomes.
//!
//! Decision, as for the pipeline's steps (docs/api.md, "Pipeline mutations return payloads"): a refusal
//! that follows from where things stand in time — the topic is not deliberating (`wrong_stage`), check-in
//! is not open (`check_in_closed`), the meeting has not started (`meeting_not_started`) or has ended
//! (`meeting_ended`), the opinion was hidden (`opinion_hidden`), one's own opinion (`own_opinion`) — comes
//! back as data in `MeetingPayload`/`OpinionPayload` with `ok: false`, and so do a second report, an
//! invitee already invited and an opinion already hidden (`crate::refusals`, decision 60). Not being
//! allowed (`FORBIDDEN`, or `NOT_FOUND` for what one may not see), bad input (`BAD_USER_INPUT`) and minutes
//! written meanwhile (`CONFLICT`) stay GraphQL errors. Either way nothing changed.

use gongzhi_domain::meeting::MeetingError;
use gongzhi_domain::opinion::OpinionError;

use crate::error::Code;
use crate::i18n::Lang;

pub fn meeting_is_business_outcome(err: &MeetingError) -> bool {
    matches!(
        err,
        MeetingError::Ended { .. }
            | MeetingError::Started { .. }
            | MeetingError::CheckInClosed { .. }
            | MeetingError::NotStarted { .. }
    )
}

pub fn opinion_is_business_outcome(err: &OpinionError) -> bool {
    match err {
        OpinionError::Hidden | OpinionError::OwnOpinion => true,
        OpinionError::Topic(topic) => crate::topic_messages::is_business_outcome(topic),
        _ => false,
    }
}

/// The code of a meeting refusal that reaches the client as an error.
pub fn meeting_error_code(err: &MeetingError) -> Code {
    match err {
        MeetingError::AlreadyInvited | MeetingError::MinutesChanged => Code::Conflict,
        // A business outcome that reaches here (outside a payload) clashes with the meeting's times.
        err if meeting_is_business_outcome(err) => Code::Conflict,
        _ => Code::BadUserInput,
    }
}

pub fn opinion_error_code(err: &OpinionError) -> Code {
    match err {
        OpinionError::AlreadyHidden | OpinionError::AlreadyReported => Code::Conflict,
        OpinionError::NestedReply | OpinionError::Invalid(_) => Code::BadUserInput,
        OpinionError::Topic(topic) if !crate::topic_messages::is_business_outcome(topic) => Code::BadUserInput,
        OpinionError::Topic(_) | OpinionError::Hidden | OpinionError::OwnOpinion => Code::Conflict,
    }
}

fn capacity_zh(capacity: &str) -> &str {
    match capacity {
        "party_organisation" => "社区党组织代表",
        "residents_committee" => "居委会代表",
        "owners_committee" => "业委会代表",
        "building_leaders" => "楼门长",
        "property_company" => "物业服务企业代表",
        "lawyer" => "律师",
        "mediator" => "调解员",
        "deputy" => "人大代表/政协委员",
        "social_worker" => "社工",
        "resident" => "居民",
        other => other,
    }
}

pub fn meeting_error_message(err: &MeetingError, lang: Lang) -> String {
    use MeetingError as E;
    match err {
        E::Invalid(invalid) => invalid.to_string(),
        E::OnlineForm => lang.pick(
            "网上协商在议题的意见区进行，不需要安排会议",
            "Online deliberation happens in the topic's opinion thread, not at a meeting",
        ),
        E::Window => {
            lang.pick("会议须在开始之后、且在将来结束", "A meeting must end after it starts, and in the future")
        }
        E::TooLong { max_hours } => {
            lang.pick(format!("会议时长最多 {max_hours} 小时"), format!("A meeting lasts at most {max_hours} hours"))
        }
        E::Ended { ended_at } => {
            lang.pick(format!("会议已于 {ended_at} 结束"), format!("The meeting ended at {ended_at}"))
        }
        E::CheckInClosed { opens_at, closes_at } => lang.pick(
            format!("不在签到时间内（{opens_at} 至 {closes_at}）"),
            format!("Check-in is open from {opens_at} until {closes_at}"),
        ),
        E::Started { starts_at } => lang.pick(
            format!("会议已于 {starts_at} 开始，不能再改期或变更地点"),
            format!("The meeting started at {starts_at}; a meeting under way is not moved"),
        ),
        E::NotStarted { starts_at } => lang.pick(
            format!("会议将于 {starts_at} 开始，开始后才能填写纪要"),
            format!("The meeting starts at {starts_at}; minutes are written once it has started"),
        ),
        E::TooManyInvitees { max } => {
            lang.pick(format!("每次会议最多邀请 {max} 人"), format!("At most {max} invitees per meeting"))
        }
        E::DuplicateInvitee => lang.pick("同一人被邀请了两次", "The same person is invited twice"),
        E::AlreadyInvited => lang.pick("此人已受邀参加本次会议", "The person is already invited to this meeting"),
        E::NotEligible { capacity } => lang.pick(
            format!("此人不能以“{}”身份受邀：须在本社区或本小区担任相应角色", capacity_zh(capacity)),
            format!("The person cannot be invited as {capacity}: they hold no such role for this compound"),
        ),
        E::CorrectionReason => {
            lang.pick("修改已公开的会议纪要须说明修改理由", "A correction of published minutes needs the reason for it")
        }
        E::TooManyAttachments { max } => {
            lang.pick(format!("最多上传 {max} 个附件"), format!("At most {max} attachments"))
        }
        E::DuplicateAttachment => lang.pick("同一附件上传了两次", "The same attachment is given twice"),
        E::AttachmentKey { .. } => {
            lang.pick("附件标识无效，请重新上传", "An attachment reference is invalid; upload it again")
        }
        E::MinutesChanged => lang.pick(
            "会议纪要刚被他人更新，请刷新后重试",
            "The minutes changed while this version was being written; reload them and try again",
        ),
    }
}

pub fn opinion_error_message(err: &OpinionError, lang: Lang) -> String {
    use OpinionError as E;
    match err {
        E::Invalid(invalid) => invalid.to_string(),
        E::Topic(topic) => crate::topic_messages::topic_error_message(topic, lang),
        E::NestedReply => lang
            .pick("只能回复意见本身，不能回复回复", "Replies go one level deep: reply to the opinion, not to a reply"),
        E::Hidden => lang.pick("该意见已被管理人员隐藏", "The opinion has been hidden by the moderators"),
        E::AlreadyHidden => lang.pick("该意见已被隐藏", "The opinion is already hidden"),
        E::OwnOpinion => lang.pick("不能举报自己发表的意见", "You cannot report your own opinion"),
        E::AlreadyReported => lang.pick("您已举报过该意见", "You already reported this opinion"),
    }
}
