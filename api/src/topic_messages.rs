//! Wording for the pipeline's refusals, in Chinese and English, and which of them are business outcomes
//! (returned as a payload the client switches on) rather than errors.

use gongzhi_domain::topic::TopicError;

use crate::i18n::Lang;

/// Refusals a client expects in the normal course of things: the topic moved on, a round closed, a
/// merge target is closed. They come back as data (`refusal` in the payload), not as GraphQL errors.
pub fn is_business_outcome(err: &TopicError) -> bool {
    use TopicError as E;
    matches!(
        err,
        E::WrongStage { .. }
            | E::OwnTopic
            | E::SelfMerge
            | E::MergeTargetClosed { .. }
            | E::MergeTargetElsewhere
            | E::CategoryElsewhere
            | E::CategoryRetired
            | E::SameCategory
            | E::RoundNotOpen { .. }
            | E::RoundElsewhere
            | E::NoPropertyCompany
            | E::RoutedElsewhere
            | E::StillUnderContract
            | E::EscalationLimit { .. }
            | E::AnnouncementRequired
            | E::NoTasks
            | E::TasksOutstanding { .. }
            | E::ConfirmationWindowOpen { .. }
            | E::RatingStillOpen { .. }
            | E::VoteStillOpen
            | E::VoteNotPassed
            | E::VoteElsewhere
    )
}

fn state_zh(state: &str) -> &str {
    match state {
        "awaiting_triage" => "待梳理",
        "withdrawn" => "已撤回",
        "rejected" => "未予受理",
        "merged" => "已合并",
        "service_routed" => "已转物业",
        "service_acknowledged" => "物业已受理",
        "service_done" => "物业已办结",
        "service_confirmed" => "已确认办结",
        "deliberating" => "协商中",
        "resolved" => "已形成决议",
        "announced" => "已公告",
        "implementing" => "落实中",
        "completed" => "已完成",
        "published" => "已公开",
        "rating_open" => "评价中",
        "closed" => "已关闭",
        other => other,
    }
}

pub fn topic_error_message(err: &TopicError, lang: Lang) -> String {
    use TopicError as E;
    match err {
        E::Invalid(invalid) => invalid.to_string(),
        E::WrongStage { action, state } => lang.pick(
            format!("议题当前为“{}”，不能进行此操作", state_zh(state)),
            format!("Cannot {action} a topic that is {state}"),
        ),
        E::NotSubmitter => lang.pick("只有提出人可以这样做", "Only the person who raised the topic may do this"),
        E::OwnTopic => lang.pick("不能附议自己提出的议题", "You cannot co-sign your own topic"),
        E::SelfMerge => lang.pick("议题不能合并到自身", "A topic cannot be merged into itself"),
        E::MergeTargetClosed { state } => lang.pick(
            format!("目标议题为“{}”，不再接受合并", state_zh(state)),
            format!("The topic to merge into is {state} and no longer takes duplicates"),
        ),
        E::MergeTargetElsewhere => {
            lang.pick("目标议题不在您负责的范围内", "The topic to merge into lies outside your jurisdiction")
        }
        E::TooManyPhotos { max } => lang.pick(format!("最多上传 {max} 张照片"), format!("At most {max} photos")),
        E::DuplicatePhoto => lang.pick("同一张照片上传了两次", "The same photo is attached twice"),
        E::PhotoKey { .. } => lang.pick("照片标识无效，请重新上传", "A photo reference is invalid; upload it again"),
        E::Location => {
            lang.pick("位置无效：经纬度超出范围", "The location is invalid: latitude or longitude out of range")
        }
        E::LocationOutsideChina => {
            lang.pick("GCJ-02 坐标只适用于中国境内", "GCJ-02 coordinates only exist within China")
        }
        E::CategoryCode { .. } => lang.pick(
            "类别编码须以小写字母开头，只含小写字母、数字和下划线",
            "A category code is lowercase letters, digits and underscores, starting with a letter",
        ),
        E::CategoryElsewhere => {
            lang.pick("该类别不属于本社区的协商事项目录", "The category is not in this community's catalogue")
        }
        E::CategoryRetired => lang.pick("该类别已停用", "The category has been retired from the catalogue"),
        E::SameCategory => lang.pick("议题已属于该类别", "The topic already has this category"),
        E::RoundDates => {
            lang.pick("征集活动须在开始之后、且在将来结束", "A round must close after it opens, and in the future")
        }
        E::RoundNotOpen { opens_at, closes_at } => lang.pick(
            format!("征集活动不在征集期内（{opens_at} 至 {closes_at}）"),
            format!("The solicitation round is not open (from {opens_at} until {closes_at})"),
        ),
        E::RoundElsewhere => lang.pick("该征集活动面向其他地点", "The solicitation round is for another place"),
        E::NoPropertyCompany => {
            lang.pick("该小区没有签约物业，无法转办", "The compound has no property company to route the request to")
        }
        E::RoutedElsewhere => lang.pick(
            "该诉求转给的物业公司已不再服务本小区，现物业不能代其办理",
            "The request was routed to a company that no longer serves the compound; today's company cannot act on it",
        ),
        E::StillUnderContract => lang.pick(
            "该诉求转给的物业公司仍在服务本小区，无需改转",
            "The company the request was routed to still serves the compound; there is nothing to re-route",
        ),
        E::EscalationLimit { level } => lang.pick(
            format!("议题已由{}负责，此阶段不能再上报", level_zh(level.as_str())),
            format!("A topic led by the {} cannot be escalated further at this stage", level.as_str()),
        ),
        E::NoParties => {
            lang.pick("协商方案至少需要五方中的一方参加", "A deliberation plan needs at least one of the five parties")
        }
        E::PlanDates => lang.pick("协商方案的结束日期早于开始日期", "The deliberation plan ends before it starts"),
        E::TooManyInvitees { max } => lang.pick(format!("最多邀请 {max} 人"), format!("At most {max} invitees")),
        E::DuplicateInvitee => lang.pick("同一受邀人出现了两次", "The same invitee is named twice"),
        E::AnnouncementRequired => lang.pick(
            "重大事项须先书面公告、听取居民意见，才能落实",
            "A major matter must be announced in writing before implementation starts",
        ),
        E::NoTasks => lang.pick("落实至少需要一项任务", "Implementation needs at least one task"),
        E::TasksOutstanding { open } => {
            lang.pick(format!("还有 {open} 项任务未验收"), format!("{open} tasks are not yet accepted"))
        }
        E::ConfirmationWindowOpen { until } => lang.pick(
            format!("提出人可在 {until} 前确认或提出异议"),
            format!("The submitter may still confirm or dispute until {until}"),
        ),
        E::RatingStillOpen { closes_at } => {
            lang.pick(format!("评价将持续到 {closes_at}"), format!("Rating stays open until {closes_at}"))
        }
        E::VoteStillOpen => lang.pick(
            "表决尚未结束，结束后才能据此形成决议",
            "The vote is still open; a resolution can cite it once it has closed",
        ),
        E::VoteNotPassed => {
            lang.pick("该表决未获通过，不能据此形成决议", "The vote did not pass, so it cannot carry a resolution")
        }
        E::VoteElsewhere => lang.pick("该表决属于其他议题", "The vote belongs to another topic"),
        E::DeadlineDays { field, max } => lang
            .pick(format!("期限 {field} 须在 1 到 {max} 天之间"), format!("{field} must be between 1 and {max} days")),
    }
}

fn level_zh(level: &str) -> &str {
    match level {
        "community" => "社区",
        "street" => "街道",
        "district" => "区县",
        other => other,
    }
}

pub fn ballot_refusal_message(refusal: &gongzhi_domain::vote::BallotRefusal, lang: Lang) -> String {
    use gongzhi_domain::vote::BallotRefusal as R;
    match refusal {
        R::NotYetOpen { opens_at } => {
            lang.pick(format!("表决尚未开始（{opens_at} 开始）"), format!("The vote opens at {opens_at}"))
        }
        R::Closed { closed_at } => {
            lang.pick(format!("表决已于 {closed_at} 结束"), format!("The vote closed at {closed_at}"))
        }
        R::Window => lang.pick("表决须在开始之后、且在将来结束", "A vote must close after it opens, and in the future"),
        R::BallotsCast => {
            lang.pick("已有人投票，表决的保密设置不能再改", "Ballots have been cast; the vote's secrecy is fixed")
        }
        R::Mandate(mandate) => mandate_refusal_message(*mandate, lang),
    }
}

fn mandate_refusal_message(refusal: gongzhi_domain::vote::MandateRefusal, lang: Lang) -> String {
    use gongzhi_domain::vote::MandateRefusal as M;
    match refusal {
        M::NoMandate => lang.pick("该业主没有委托您参加本次表决", "The owner gave you no mandate covering this vote"),
        M::Revoked => lang.pick("业主已撤销该委托", "The owner revoked this mandate"),
        M::ProxyNotAllowed => lang.pick(
            "物业服务企业人员及表决事项所涉一方的成员不得接受业主委托",
            "Property company staff, and members of the party the vote is about, may not hold an owner's mandate",
        ),
        M::ProxyCapReached { cap } => lang.pick(
            format!("每位受托人在一次表决中最多代理 {cap} 位业主"),
            format!("One proxy may vote for at most {cap} owners in a vote"),
        ),
        M::OwnerVoted => lang.pick(
            "业主已亲自投票，受托人或纸质票不能替换",
            "The owner voted themselves; a proxy cannot replace that ballot",
        ),
        M::MandateUsed => lang.pick(
            "受托人已按该委托投票；如需改变，请业主亲自投票",
            "The proxy has voted under this mandate; to change it, vote yourself",
        ),
    }
}

pub fn task_error_message(err: &gongzhi_domain::task::TaskError, lang: Lang) -> String {
    use gongzhi_domain::task::TaskError as E;
    match err {
        E::Invalid(invalid) => invalid.to_string(),
        E::WrongState { state } => {
            let zh = match *state {
                "open" => "进行中",
                "done" => "已完成待验收",
                "accepted" => "已验收",
                other => other,
            };
            lang.pick(format!("任务当前为“{zh}”，不能进行此操作"), format!("The task is {state}"))
        }
        E::DueInPast => lang.pick("任务的完成期限须在将来", "A task must be due in the future"),
        E::LetterAlreadySent { letter } => lang.pick(
            format!("该任务已发过{}", if *letter == "warning" { "警示函" } else { "提示函" }),
            format!("A {letter} letter was already sent for this task"),
        ),
    }
}
