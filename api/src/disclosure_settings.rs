//! `[disclosures]` (`GONGZHI_DISCLOSURES__…`): how many days after its period each disclosure falls due,
//! how long a question waits for its answer, and the grace between letters for a missing one. Seed 003
//! asks for minutes "in time" (准时); what "in time" is, is the city's to say, hence settings.

use gongzhi_domain::disclosure::DisclosureRules;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct DisclosureSettings {
    /// Days after the month for the joint meeting's minutes.
    pub minutes_due_days: u32,
    /// Days after the quarter for the property company's services and accounts (双晒).
    pub accounts_due_days: u32,
    /// Days after the quarter for the owners' committee's work and funds.
    pub committee_due_days: u32,
    /// Days the publisher has to answer a question (质询).
    pub answer_days: u32,
    /// Days from the due date to the warning letter, and from the warning to escalation.
    pub letter_grace_days: u32,
    /// Days back a scheduler round looks for ended periods it has not opened (a year: 12 months, 4 quarters).
    pub look_back_days: u32,
}

impl Default for DisclosureSettings {
    fn default() -> Self {
        let rules = DisclosureRules::default();
        Self {
            minutes_due_days: rules.minutes_due_days,
            accounts_due_days: rules.accounts_due_days,
            committee_due_days: rules.committee_due_days,
            answer_days: rules.answer_days,
            letter_grace_days: rules.letter_grace_days,
            look_back_days: rules.look_back_days,
        }
    }
}

impl DisclosureSettings {
    pub const fn rules(&self) -> DisclosureRules {
        DisclosureRules {
            minutes_due_days: self.minutes_due_days,
            accounts_due_days: self.accounts_due_days,
            committee_due_days: self.committee_due_days,
            answer_days: self.answer_days,
            letter_grace_days: self.letter_grace_days,
            look_back_days: self.look_back_days,
        }
    }
}
