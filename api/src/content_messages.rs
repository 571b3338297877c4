//! The content-safety refusals (decision 130) in words, Chinese and English.

use gongzhi_domain::content::ContentError as E;

use crate::i18n::Lang;

/// The payload's stable code.
pub fn code(err: &E) -> &'static str {
    match err {
        E::NotHeld { .. } => "content_not_held",
        E::NotAwaitingCheck { .. } => "content_not_awaiting_check",
    }
}

fn state(state: &str) -> &'static str {
    match state {
        "awaiting_check" => "正在等待内容检查",
        "held" => "待审核",
        "published" => "已发布",
        "rejected" => "已驳回",
        "lapsed" => "已失效",
        _ => "处于其他状态",
    }
}

pub fn message(err: &E, lang: Lang) -> String {
    match err {
        E::NotHeld { state: s } => lang.pick(
            format!("该内容{}，不在待审核状态，无法再审核", state(s)),
            format!("The submission is {s}, not held for moderation; it can no longer be decided"),
        ),
        E::NotAwaitingCheck { state: s } => lang.pick(
            format!("该内容{}，不在等待检查状态", state(s)),
            format!("The submission is {s}, not awaiting its check"),
        ),
    }
}
