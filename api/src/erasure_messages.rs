//! Erasure refusals (注销, decisions 165–169) in words, Chinese and English, with the office that must be
//! handed over first named in `extensions.office` (the role's code), so a client can say what to do next.

use gongzhi_domain::privacy::erasure::{CONFIRMATION, ErasureRefusal as E};

use crate::error::Code;
use crate::i18n::Lang;
use crate::needed_roles::{role_en, role_zh};

pub fn code(err: &E) -> Code {
    match err {
        E::NotConfirmed => Code::BadUserInput,
        E::HoldsOffice(_) | E::HoldsMandate | E::AlreadyErased | E::RequestDone => Code::Conflict,
    }
}

/// The finer reason beside the code.
pub fn reason(err: &E) -> &'static str {
    match err {
        E::HoldsOffice(_) => "HOLDS_OFFICE",
        E::HoldsMandate => "HOLDS_MANDATE",
        E::AlreadyErased => "ALREADY_ERASED",
        E::NotConfirmed => "NOT_CONFIRMED",
        E::RequestDone => "REQUEST_DONE",
    }
}

/// The office to hand over, as its role code.
pub fn office(err: &E) -> Option<&'static str> {
    match err {
        E::HoldsOffice(role) => Some(role.as_str()),
        _ => None,
    }
}

pub fn message(err: &E, lang: Lang) -> String {
    match err {
        E::HoldsOffice(role) => lang.pick(
            format!("您仍担任{}，请先交接（由授予该职务的人撤销）后再注销", role_zh(*role)),
            format!(
                "You still hold the office of {}; hand it over first (whoever granted it revokes it), then close the account",
                role_en(*role)
            ),
        ),
        E::HoldsMandate => lang.pick(
            "您仍受业主委托代为投票，请先由委托人撤销委托后再注销",
            "You still hold an owner's proxy mandate; the owner must revoke it before you close the account",
        ),
        E::AlreadyErased => lang.pick("该账号已注销", "This account has already been closed"),
        E::NotConfirmed => lang.pick(
            format!("请输入“{CONFIRMATION}”以确认注销"),
            format!("Type \"{CONFIRMATION}\" to confirm that the account is to be closed"),
        ),
        E::RequestDone => lang.pick("该注销申请已办理", "This erasure request was already carried out"),
    }
}
