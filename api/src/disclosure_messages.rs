//! Wording for the refusals of disclosures (三个公开, 双晒), in Chinese and English, their `extensions.code`
//! and the finer `extensions.reason` a client switches on. Nothing changed when any of them is returned.

use gongzhi_domain::disclosure::{DisclosureError, Side};

use crate::error::Code;
use crate::i18n::Lang;

pub fn disclosure_error_code(err: &DisclosureError) -> Code {
    use DisclosureError as E;
    match err {
        // Where things stand, not what was sent: the record exists, changed meanwhile or was answered.
        E::AlreadyPublished | E::StaleVersion { .. } | E::AlreadyAnswered | E::Raced | E::NothingToCorrect => {
            Code::Conflict
        }
        _ => Code::BadUserInput,
    }
}

/// The refusal's own code, upper-cased: `TOTALS_DO_NOT_ADD_UP`, `PUBLISHED_IS_IMMUTABLE`, ….
pub fn disclosure_reason(err: &DisclosureError) -> &'static str {
    use DisclosureError as E;
    match err {
        E::Invalid(_) => "INVALID",
        E::PeriodStart { .. } => "PERIOD_START",
        E::PeriodNotEnded { .. } => "PERIOD_NOT_ENDED",
        E::Amount { .. } => "AMOUNT",
        E::TotalsDoNotAddUp { .. } => "TOTALS_DO_NOT_ADD_UP",
        E::TotalRequired { .. } => "TOTAL_REQUIRED",
        E::TotalNotExpected { .. } => "TOTAL_NOT_EXPECTED",
        E::AmountRequired { .. } => "AMOUNT_REQUIRED",
        E::AmountNotExpected { .. } => "AMOUNT_NOT_EXPECTED",
        E::CategoryNotInKind { .. } => "CATEGORY_NOT_IN_KIND",
        E::LineKey { .. } => "LINE_KEY",
        E::DuplicateLineKey { .. } => "DUPLICATE_LINE_KEY",
        E::TooManyLines { .. } => "TOO_MANY_LINES",
        E::TooManyAttachments { .. } => "TOO_MANY_ATTACHMENTS",
        E::DuplicateAttachment => "DUPLICATE_ATTACHMENT",
        E::AlreadyPublished => "PUBLISHED_IS_IMMUTABLE",
        E::NothingToCorrect => "NOTHING_TO_CORRECT",
        E::CorrectionReason => "CORRECTION_REASON",
        E::NothingChanged => "NOTHING_CHANGED",
        E::StaleVersion { .. } => "STALE_VERSION",
        E::NoSuchLine { .. } => "NO_SUCH_LINE",
        E::AlreadyAnswered => "ALREADY_ANSWERED",
        E::Raced => "RACED",
        E::LinesFromMeetings => "LINES_FROM_MEETINGS",
    }
}

fn side_zh(side: Side) -> &'static str {
    match side {
        Side::Income => "收入",
        Side::Expense => "支出",
    }
}

fn side_en(side: Side) -> &'static str {
    match side {
        Side::Income => "income",
        Side::Expense => "expense",
    }
}

pub fn disclosure_error_message(err: &DisclosureError, lang: Lang) -> String {
    use DisclosureError as E;
    match err {
        E::Invalid(invalid) => invalid.to_string(),
        E::PeriodStart { given } => lang.pick(
            format!("{given} 不是该公开事项一个周期的第一天（月度为每月1日，季度为1、4、7、10月1日）"),
            format!("{given} is not the first day of a period of this disclosure (the 1st of a month; of January, April, July or October for a quarter)"),
        ),
        E::PeriodNotEnded { ends_at } => lang.pick(
            format!("该周期于{}结束，公开须覆盖完整周期", gongzhi_domain::notify::china_time(*ends_at)),
            format!("The period ends at {ends_at}; a disclosure covers a whole period"),
        ),
        E::Amount { given } => lang.pick(
            format!("金额“{given}”无效：须为不超过两位小数的元数，且不超过一百亿元"),
            format!("Amount {given:?} is not a number of yuan with at most two decimals, up to ten billion"),
        ),
        E::TotalsDoNotAddUp { side, declared, computed } => lang.pick(
            format!("{}合计 {declared} 元与各项之和 {computed} 元不符，账目须平衡后才能公开", side_zh(*side)),
            format!(
                "The declared {} total, {declared} yuan, does not equal the sum of the lines, {computed} yuan; accounts must add up to be published",
                side_en(*side)
            ),
        ),
        E::TotalRequired { side } => lang.pick(
            format!("请填写{}合计", side_zh(*side)),
            format!("The {} total is required", side_en(*side)),
        ),
        E::TotalNotExpected { side } => lang.pick(
            format!("此类公开不填写{}合计", side_zh(*side)),
            format!("This disclosure states no {} total", side_en(*side)),
        ),
        E::AmountRequired { key } => {
            lang.pick(format!("第 {key} 项是收支项目，须填写金额"), format!("Line {key} is money and needs an amount"))
        }
        E::AmountNotExpected { key } => lang.pick(
            format!("第 {key} 项不是收支项目，不填写金额"),
            format!("Line {key} is not money and takes no amount"),
        ),
        E::CategoryNotInKind { category, kind } => lang.pick(
            format!("“{category}”类项目不属于此类公开（{kind}）"),
            format!("A {category} line does not belong in a {kind} disclosure"),
        ),
        E::LineKey { given } => lang.pick(
            format!("项目编号“{given}”无效：须为1至40个字母、数字、“-”或“_”"),
            format!("Line key {given:?} must be 1–40 letters, digits, '-' or '_'"),
        ),
        E::DuplicateLineKey { key } => {
            lang.pick(format!("项目编号“{key}”重复"), format!("Two lines share the key {key:?}"))
        }
        E::TooManyLines { max } => lang.pick(format!("最多 {max} 项"), format!("At most {max} lines")),
        E::TooManyAttachments { max } => lang.pick(format!("最多 {max} 个附件"), format!("At most {max} attachments")),
        E::DuplicateAttachment => lang.pick("同一附件重复提交", "The same attachment is given twice"),
        E::AlreadyPublished => lang.pick(
            "该周期已公开，已公开的内容不可修改；如需更正，请发布更正版本并说明理由",
            "This period is already published and a published disclosure is never edited; publish a correction with its reason",
        ),
        E::NothingToCorrect => lang.pick("该周期尚未公开，无可更正", "Nothing is published for this period yet; there is nothing to correct"),
        E::CorrectionReason => lang.pick("更正须说明理由", "A correction needs the reason for it"),
        E::NothingChanged => lang.pick("更正内容与原版本相同", "The correction changes nothing"),
        E::StaleVersion { latest } => lang.pick(
            format!("已有更新的第 {latest} 版，请基于最新版本更正"),
            format!("Version {latest} is the latest; correct that one"),
        ),
        E::NoSuchLine { key } => {
            lang.pick(format!("该版本没有编号为“{key}”的项目"), format!("The version has no line {key:?}"))
        }
        E::AlreadyAnswered => lang.pick("该质询已答复", "The question has already been answered"),
        E::Raced => lang.pick(
            "同一时间有其他版本公开，请刷新后重试",
            "Another version was published at the same moment; reload and try again",
        ),
        E::LinesFromMeetings => lang.pick(
            "会议纪要公开的内容取自本周期已召开会议的纪要，不另行填写项目",
            "The minutes' lines are the period's meetings and their minutes; lines are not given",
        ),
    }
}
