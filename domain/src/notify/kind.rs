//! What a message is about, the channel it travels on, and where it is in its delivery.

use crate::Invalid;

/// The events DOMAIN.md says concern someone. Each is one WeChat template (configured per deployment)
/// and one switch in a person's preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotificationKind {
    /// To the author and co-signers: their topic was accepted for deliberation.
    TopicAccepted,
    TopicRejected,
    /// Sent to the property company as a service request.
    TopicRouted,
    /// Folded into another topic, which carries the co-signers on.
    TopicMerged,
    MeetingInvited,
    /// A meeting someone is invited to moved or changed place.
    MeetingChanged,
    /// To everyone on the vote's roll.
    VoteOpened,
    /// To those on the roll who have not voted, once, within 24 hours of the close.
    VoteClosing,
    /// To the members of the party that owns a task.
    TaskAssigned,
    /// The reminder letter (提示函) of an overdue task.
    TaskOverdue,
    /// The warning letter (警示函).
    TaskWarning,
    OutcomePublished,
    RatingRequested,
    /// An explanation a resident asked for has been given.
    ExplanationAnswered,
    /// To the residents and owners of a compound: a satisfaction survey is open to their household.
    SurveyToAnswer,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 15] = [
        NotificationKind::TopicAccepted,
        NotificationKind::TopicRejected,
        NotificationKind::TopicRouted,
        NotificationKind::TopicMerged,
        NotificationKind::MeetingInvited,
        NotificationKind::MeetingChanged,
        NotificationKind::VoteOpened,
        NotificationKind::VoteClosing,
        NotificationKind::TaskAssigned,
        NotificationKind::TaskOverdue,
        NotificationKind::TaskWarning,
        NotificationKind::OutcomePublished,
        NotificationKind::RatingRequested,
        NotificationKind::ExplanationAnswered,
        NotificationKind::SurveyToAnswer,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            NotificationKind::TopicAccepted => "topic_accepted",
            NotificationKind::TopicRejected => "topic_rejected",
            NotificationKind::TopicRouted => "topic_routed",
            NotificationKind::TopicMerged => "topic_merged",
            NotificationKind::MeetingInvited => "meeting_invited",
            NotificationKind::MeetingChanged => "meeting_changed",
            NotificationKind::VoteOpened => "vote_opened",
            NotificationKind::VoteClosing => "vote_closing",
            NotificationKind::TaskAssigned => "task_assigned",
            NotificationKind::TaskOverdue => "task_overdue",
            NotificationKind::TaskWarning => "task_warning",
            NotificationKind::OutcomePublished => "outcome_published",
            NotificationKind::RatingRequested => "rating_requested",
            NotificationKind::ExplanationAnswered => "explanation_answered",
            NotificationKind::SurveyToAnswer => "survey_to_answer",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| Invalid::UnknownValue { field: "kind", given: code.to_owned() })
    }

    /// The status word of the message (WeChat's `phrase` field: at most five characters).
    pub const fn phrase(self) -> &'static str {
        match self {
            NotificationKind::TopicAccepted => "已受理",
            NotificationKind::TopicRejected => "未受理",
            NotificationKind::TopicRouted => "已转办",
            NotificationKind::TopicMerged => "已合并",
            NotificationKind::MeetingInvited => "会议邀请",
            NotificationKind::MeetingChanged => "会议变更",
            NotificationKind::VoteOpened => "表决开始",
            NotificationKind::VoteClosing => "即将截止",
            NotificationKind::TaskAssigned => "新任务",
            NotificationKind::TaskOverdue => "提示函",
            NotificationKind::TaskWarning => "警示函",
            NotificationKind::OutcomePublished => "结果公示",
            NotificationKind::RatingRequested => "请评价",
            NotificationKind::ExplanationAnswered => "已答复",
            NotificationKind::SurveyToAnswer => "满意度测评",
        }
    }

    /// Whether a channel is on for someone who never said: WeChat subscribe messages are (WeChat's own
    /// consent still applies); SMS costs money per message and app push needs a partner app, so both
    /// are chosen, not assumed.
    pub const fn on_by_default(self, channel: Channel) -> bool {
        matches!(channel, Channel::WechatSubscribe)
    }
}

/// How a message travels. The first three reach a person through the messaging gateway; webhooks reach a
/// partner's endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    WechatSubscribe,
    Sms,
    AppPush,
    Webhook,
}

impl Channel {
    /// The channels a person can choose among.
    pub const PERSONAL: [Channel; 3] = [Channel::WechatSubscribe, Channel::Sms, Channel::AppPush];

    pub const fn code(self) -> &'static str {
        match self {
            Channel::WechatSubscribe => "wechat_subscribe",
            Channel::Sms => "sms",
            Channel::AppPush => "app_push",
            Channel::Webhook => "webhook",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        [Channel::WechatSubscribe, Channel::Sms, Channel::AppPush, Channel::Webhook]
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| Invalid::UnknownValue { field: "channel", given: code.to_owned() })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    /// Waiting for its next attempt.
    Queued,
    /// Claimed by a worker under a lease; back to claimable when the lease runs out.
    Sending,
    Sent,
    /// Given up: a permanent refusal or too many failed attempts. An operator may replay it.
    Dead,
    /// Not sent on purpose (no consent); kept with the reason.
    Skipped,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 5] = [
        MessageStatus::Queued,
        MessageStatus::Sending,
        MessageStatus::Sent,
        MessageStatus::Dead,
        MessageStatus::Skipped,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Dead => "dead",
            MessageStatus::Skipped => "skipped",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| Invalid::UnknownValue { field: "status", given: code.to_owned() })
    }
}
