//! The accountability refusals (issue 17) in words, Chinese and English, and which of them are answers
//! in a payload (the survey's or the listing's state) rather than errors.

use gongzhi_domain::accountability::AccountabilityError as E;

use crate::error::Code;
use crate::i18n::Lang;

/// A refusal that follows from how things stand: a payload's `refusal`, not an error.
pub fn is_business_outcome(err: &E) -> bool {
    matches!(
        err,
        E::SurveyClosed
            | E::SurveyNotOpen
            | E::ListingState { .. }
            | E::AppealWindowOpen
            | E::AppealWindowClosed
            | E::CompanyBlacklisted
    )
}

pub fn code(err: &E) -> Code {
    match err {
        E::NoHousehold | E::AnswersAreAnonymous => Code::Forbidden,
        err if err.is_input() => Code::BadUserInput,
        _ => Code::Conflict,
    }
}

fn state(state: &str) -> &'static str {
    match state {
        "warned" => "已列入警示名单",
        "noticed" => "已告知拟列入黑名单",
        "blacklisted" => "已列入黑名单",
        "lifted" => "已移出名单",
        _ => "处于其他状态",
    }
}

pub fn message(err: &E, lang: Lang) -> String {
    match err {
        E::Invalid(invalid) => crate::error::ApiError::Invalid(invalid.clone()).message(lang),
        E::QuarterFormat { given } => lang.pick(
            format!("季度“{given}”格式不对，应写作 2026Q4"),
            format!("Quarter {given:?} is not written like 2026Q4"),
        ),
        E::QuestionCount { max } => {
            lang.pick(format!("测评须有 1 至 {max} 个问题"), format!("A survey needs between 1 and {max} questions"))
        }
        E::OptionCount { question, max } => lang.pick(
            format!("第 {question} 题须有 2 至 {max} 个选项"),
            format!("Question {question} needs between 2 and {max} options"),
        ),
        E::SurveyWindow => {
            lang.pick("测评的截止时间须晚于开始时间，且在将来", "A survey must close after it opens, and in the future")
        }
        E::SurveyClosed => lang
            .pick("该测评已结束，不能再作答或修改", "The survey has closed; answers can no longer be given or changed"),
        E::SurveyNotOpen => lang.pick("该测评尚未开始", "The survey has not opened yet"),
        E::AnswerCount { expected, given } => lang.pick(
            format!("测评有 {expected} 个问题，收到 {given} 个回答（可跳过的题请传 null）"),
            format!("The survey has {expected} questions but {given} answers came (send null to skip one)"),
        ),
        E::AnswerKind { question } => lang.pick(
            format!("第 {question} 题的回答与题型不符"),
            format!("Answer {question} is not of the question's kind"),
        ),
        E::RatingRange { question } => {
            lang.pick(format!("第 {question} 题的评分须为 1 至 5"), format!("Answer {question}: a rating is 1 to 5"))
        }
        E::NoSuchOption { question } => lang.pick(
            format!("第 {question} 题没有所选的选项"),
            format!("Answer {question} names an option the question does not have"),
        ),
        E::EmptyAnswer { question } => {
            lang.pick(format!("第 {question} 题的回答为空"), format!("Answer {question} is empty"))
        }
        E::NoHousehold => lang.pick(
            "只有本小区住户的居民或业主可以作答，每户一份",
            "Only residents and owners of a household of this compound may answer, one response per household",
        ),
        E::AnswersAreAnonymous => lang.pick(
            "满意度测评为匿名测评，任何人都不能查看单份答卷，只能查看汇总结果",
            "Survey answers are anonymous: no one may read an individual response, only the aggregate results",
        ),
        E::ListingState { state: s } => lang.pick(
            format!("该企业当前{}，不能进行此操作", state(s)),
            format!("The listing is {s}; this step does not apply"),
        ),
        E::AppealWindowOpen => lang.pick(
            "申辩期尚未结束，期满后方可列入黑名单",
            "The appeal window is still open; the company can be blacklisted only after it ends",
        ),
        E::AppealWindowClosed => lang.pick("申辩期已结束", "The appeal window has closed"),
        E::AppealUnanswered => lang.pick(
            "企业已提出申辩，列入黑名单时须答复申辩",
            "The company appealed: blacklisting must answer the appeal",
        ),
        E::CompanyBlacklisted => lang.pick(
            "该物业服务企业已列入黑名单，不能承接新的小区",
            "This property company is on the blacklist and cannot be given a new compound's contract",
        ),
        E::Weights => lang.pick(
            "权重不能全为零，扣分不能超过 100 分",
            "The weights must not all be zero, and a deduction cannot exceed 100 points",
        ),
        E::NotProblemCompound => lang.pick(
            "该小区不在最近一期的问题小区名单上，无需制定整改方案",
            "The compound is not on the latest problem-compound list, so it has no rectification plan to make",
        ),
        E::PlanExists => lang.pick(
            "该小区本次上榜已有整改方案（一院一案），请修改已有方案",
            "The compound already has a rectification plan for this listing; revise that plan instead",
        ),
        E::PlanMeasures { max } => lang.pick(
            format!("整改方案须有 1 至 {max} 项措施"),
            format!("A rectification plan needs between 1 and {max} measures"),
        ),
        E::PlanState { state } => lang.pick(
            format!("整改方案{}，不能这样处理", plan_state(state)),
            format!("The rectification plan is {}; this step does not apply", state.replace('_', " ")),
        ),
    }
}

fn plan_state(state: &str) -> &'static str {
    match state {
        "submitted" => "正待街道审核",
        "approved" => "已经街道审核通过",
        "sent_back" => "已被街道退回，须修改后再提交",
        _ => "处于其他状态",
    }
}
