//! What a disclosure says: a summary, typed lines, the totals its publisher declares, and attachments
//! (receipts, contracts). The body is what the hash covers and what a correction changes line by line.
//!
//! The rule with weight: the declared totals must equal the sum of the lines (seed 002, 晒收支; seed 003,
//! 收支使用状况进行公示). Accounts whose totals do not add up are refused, not published.

use serde::{Deserialize, Serialize};

use super::DisclosureError;
use super::kind::DisclosureKind;
use super::money::Fen;
use crate::person::bounded_text;
use crate::topic::text::paragraphs;

/// What a line is. Each kind of disclosure takes its own categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineCategory {
    /// 晒服务: a service delivered against the contract (cleaning, security, green areas, repairs).
    Service,
    /// 物业费 collected.
    PropertyFee,
    /// 停车费 (seed 003: 机动车辆场地占用费).
    Parking,
    /// 公共收益: elevator advertising, rented common parts (seed 002: 公共收益审计).
    SharedIncome,
    OtherIncome,
    /// How shared income was spent.
    SharedIncomeUse,
    /// The costs of running the service (staff, energy, materials).
    OperatingCost,
    OtherExpense,
    /// 议定事项: what the owners' committee did and decided.
    CommitteeWork,
    /// 维修资金 drawn and spent (seed 003: 房屋修理专项资金).
    MaintenanceFundUse,
    /// 工作经费: the committee's own expenses.
    CommitteeExpense,
    /// A joint meeting of the period and its minutes (drawn from the meetings already recorded).
    Meeting,
}

/// Which side of the accounts a line is on; narrative lines carry no amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Income,
    Expense,
}

impl LineCategory {
    pub const ALL: [LineCategory; 12] = [
        LineCategory::Service,
        LineCategory::PropertyFee,
        LineCategory::Parking,
        LineCategory::SharedIncome,
        LineCategory::OtherIncome,
        LineCategory::SharedIncomeUse,
        LineCategory::OperatingCost,
        LineCategory::OtherExpense,
        LineCategory::CommitteeWork,
        LineCategory::MaintenanceFundUse,
        LineCategory::CommitteeExpense,
        LineCategory::Meeting,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            LineCategory::Service => "service",
            LineCategory::PropertyFee => "property_fee",
            LineCategory::Parking => "parking",
            LineCategory::SharedIncome => "shared_income",
            LineCategory::OtherIncome => "other_income",
            LineCategory::SharedIncomeUse => "shared_income_use",
            LineCategory::OperatingCost => "operating_cost",
            LineCategory::OtherExpense => "other_expense",
            LineCategory::CommitteeWork => "committee_work",
            LineCategory::MaintenanceFundUse => "maintenance_fund_use",
            LineCategory::CommitteeExpense => "committee_expense",
            LineCategory::Meeting => "meeting",
        }
    }

    pub const fn side(self) -> Option<Side> {
        match self {
            LineCategory::PropertyFee
            | LineCategory::Parking
            | LineCategory::SharedIncome
            | LineCategory::OtherIncome => Some(Side::Income),
            LineCategory::SharedIncomeUse
            | LineCategory::OperatingCost
            | LineCategory::OtherExpense
            | LineCategory::MaintenanceFundUse
            | LineCategory::CommitteeExpense => Some(Side::Expense),
            LineCategory::Service | LineCategory::CommitteeWork | LineCategory::Meeting => None,
        }
    }

    /// Whether a disclosure of `kind` may carry this line.
    pub const fn belongs_to(self, kind: DisclosureKind) -> bool {
        match kind {
            DisclosureKind::Minutes => matches!(self, LineCategory::Meeting),
            DisclosureKind::PropertyAccounts => matches!(
                self,
                LineCategory::Service
                    | LineCategory::PropertyFee
                    | LineCategory::Parking
                    | LineCategory::SharedIncome
                    | LineCategory::OtherIncome
                    | LineCategory::SharedIncomeUse
                    | LineCategory::OperatingCost
                    | LineCategory::OtherExpense
            ),
            DisclosureKind::CommitteeFunds => matches!(
                self,
                LineCategory::CommitteeWork | LineCategory::MaintenanceFundUse | LineCategory::CommitteeExpense
            ),
        }
    }
}

/// One line as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Stable across versions, so a correction shows which line changed and questions keep their line.
    pub key: String,
    pub category: LineCategory,
    pub label: String,
    pub amount: Option<Fen>,
    pub note: Option<String>,
}

/// A line as the publisher gives it; `key` defaults to its position ("1", "2", …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub key: Option<String>,
    pub category: LineCategory,
    pub label: String,
    pub amount: Option<Fen>,
    pub note: Option<String>,
}

/// The totals the publisher states; each must equal its lines' sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub income: Option<Fen>,
    pub expense: Option<Fen>,
}

/// The published content of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub summary: String,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// Storage keys of uploaded documents (receipts, contracts, photos of the notice board).
    pub attachments: Vec<String>,
}

pub const MAX_LINES: usize = 200;
pub const MAX_ATTACHMENTS: usize = 20;

fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Body {
    /// Checks everything a disclosure of `kind` must be before it is published.
    pub fn new(
        kind: DisclosureKind,
        summary: &str,
        lines: Vec<LineInput>,
        declared: Totals,
        attachments: Vec<String>,
    ) -> Result<Self, DisclosureError> {
        let summary = paragraphs("summary", summary, 5000)?;
        if lines.len() > MAX_LINES {
            return Err(DisclosureError::TooManyLines { max: MAX_LINES });
        }
        if attachments.len() > MAX_ATTACHMENTS {
            return Err(DisclosureError::TooManyAttachments { max: MAX_ATTACHMENTS });
        }
        for (i, key) in attachments.iter().enumerate() {
            if attachments[..i].contains(key) {
                return Err(DisclosureError::DuplicateAttachment);
            }
        }
        let mut checked: Vec<Line> = Vec::with_capacity(lines.len());
        for (i, input) in lines.into_iter().enumerate() {
            let key = input.key.map(|k| k.trim().to_owned()).unwrap_or_else(|| (i + 1).to_string());
            if !valid_key(&key) {
                return Err(DisclosureError::LineKey { given: key });
            }
            if checked.iter().any(|l| l.key == key) {
                return Err(DisclosureError::DuplicateLineKey { key });
            }
            if !input.category.belongs_to(kind) {
                return Err(DisclosureError::CategoryNotInKind {
                    category: input.category.as_str(),
                    kind: kind.as_str(),
                });
            }
            match (input.category.side(), input.amount) {
                (Some(_), None) => return Err(DisclosureError::AmountRequired { key }),
                (None, Some(_)) => return Err(DisclosureError::AmountNotExpected { key }),
                _ => {}
            }
            let note =
                input.note.filter(|n| !n.trim().is_empty()).map(|n| paragraphs("note", &n, 20000)).transpose()?;
            checked.push(Line {
                key,
                category: input.category,
                label: bounded_text("label", &input.label, 100)?,
                amount: input.amount,
                note,
            });
        }
        let body = Body { summary, lines: checked, totals: declared, attachments };
        body.check_totals(kind)?;
        Ok(body)
    }

    /// The sum of one side's lines.
    pub fn sum(&self, side: Side) -> Result<Fen, DisclosureError> {
        self.lines
            .iter()
            .filter(|l| l.category.side() == Some(side))
            .filter_map(|l| l.amount)
            .try_fold(Fen::default(), |acc, a| acc.checked_add(a))
            .ok_or(DisclosureError::Amount { given: "sum".to_owned() })
    }

    /// Seed 002/003: what is declared must add up. Accounts state both totals; the committee's funds state
    /// the expense (its income is the fund's, reported by the fund's holder); minutes state none.
    fn check_totals(&self, kind: DisclosureKind) -> Result<(), DisclosureError> {
        let (income_needed, expense_needed) = match kind {
            DisclosureKind::Minutes => (false, false),
            DisclosureKind::PropertyAccounts => (true, true),
            DisclosureKind::CommitteeFunds => (false, true),
        };
        for (side, declared, needed) in
            [(Side::Income, self.totals.income, income_needed), (Side::Expense, self.totals.expense, expense_needed)]
        {
            match (declared, needed) {
                (None, true) => return Err(DisclosureError::TotalRequired { side }),
                (Some(_), false) => return Err(DisclosureError::TotalNotExpected { side }),
                (Some(declared), true) => {
                    let computed = self.sum(side)?;
                    if computed != declared {
                        return Err(DisclosureError::TotalsDoNotAddUp { side, declared, computed });
                    }
                }
                (None, false) => {}
            }
        }
        Ok(())
    }

    pub fn line(&self, key: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(yuan: &str) -> Option<Fen> {
        Fen::parse_yuan(yuan).ok()
    }

    fn line(category: LineCategory, amount: Option<&str>) -> LineInput {
        LineInput { key: None, category, label: "一项".into(), amount: amount.and_then(fen), note: None }
    }

    fn accounts() -> Vec<LineInput> {
        vec![
            line(LineCategory::Service, None),
            line(LineCategory::PropertyFee, Some("120000.00")),
            line(LineCategory::Parking, Some("30000.50")),
            line(LineCategory::SharedIncome, Some("8000")),
            line(LineCategory::OperatingCost, Some("140000")),
            line(LineCategory::SharedIncomeUse, Some("5000.25")),
        ]
    }

    #[test]
    fn accounts_whose_totals_add_up_are_accepted_with_keys_by_position() {
        let totals = Totals { income: fen("158000.50"), expense: fen("145000.25") };
        let body = Body::new(DisclosureKind::PropertyAccounts, "第四季度", accounts(), totals, vec![]);
        let Ok(body) = body else { panic!("accepted: {body:?}") };
        assert_eq!(body.lines.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(), ["1", "2", "3", "4", "5", "6"]);
        assert_eq!(body.sum(Side::Income).map(|f| f.to_string()), Ok("158000.50".into()));
    }

    #[test]
    fn totals_one_fen_off_are_refused() {
        let totals = Totals { income: fen("158000.51"), expense: fen("145000.25") };
        let refused = Body::new(DisclosureKind::PropertyAccounts, "第四季度", accounts(), totals, vec![]);
        assert_eq!(
            refused,
            Err(DisclosureError::TotalsDoNotAddUp {
                side: Side::Income,
                declared: Fen::from_fen(15_800_051).unwrap_or_default(),
                computed: Fen::from_fen(15_800_050).unwrap_or_default(),
            })
        );
    }

    #[test]
    fn accounts_must_declare_both_totals_and_minutes_none() {
        let refused = Body::new(
            DisclosureKind::PropertyAccounts,
            "s",
            accounts(),
            Totals { income: fen("158000.50"), expense: None },
            vec![],
        );
        assert_eq!(refused, Err(DisclosureError::TotalRequired { side: Side::Expense }));
        let minutes =
            Body::new(DisclosureKind::Minutes, "s", vec![], Totals { income: fen("1"), expense: None }, vec![]);
        assert_eq!(minutes, Err(DisclosureError::TotalNotExpected { side: Side::Income }));
    }

    #[test]
    fn a_line_must_fit_its_kind_and_carry_an_amount_only_when_it_is_money() {
        let wrong_kind = Body::new(
            DisclosureKind::CommitteeFunds,
            "s",
            vec![line(LineCategory::Parking, Some("1"))],
            Totals { income: None, expense: fen("0") },
            vec![],
        );
        assert!(matches!(wrong_kind, Err(DisclosureError::CategoryNotInKind { .. })));
        let no_amount = Body::new(
            DisclosureKind::CommitteeFunds,
            "s",
            vec![line(LineCategory::MaintenanceFundUse, None)],
            Totals { income: None, expense: fen("0") },
            vec![],
        );
        assert_eq!(no_amount, Err(DisclosureError::AmountRequired { key: "1".into() }));
        let narrative_with_amount = Body::new(
            DisclosureKind::CommitteeFunds,
            "s",
            vec![line(LineCategory::CommitteeWork, Some("1"))],
            Totals { income: None, expense: fen("0") },
            vec![],
        );
        assert_eq!(narrative_with_amount, Err(DisclosureError::AmountNotExpected { key: "1".into() }));
    }

    #[test]
    fn line_keys_are_unique_and_plain() {
        let mut lines = vec![line(LineCategory::CommitteeWork, None), line(LineCategory::CommitteeWork, None)];
        lines[0].key = Some("a".into());
        lines[1].key = Some("a".into());
        let dup =
            Body::new(DisclosureKind::CommitteeFunds, "s", lines, Totals { income: None, expense: fen("0") }, vec![]);
        assert_eq!(dup, Err(DisclosureError::DuplicateLineKey { key: "a".into() }));
        let mut odd = vec![line(LineCategory::CommitteeWork, None)];
        odd[0].key = Some("a b".into());
        let odd =
            Body::new(DisclosureKind::CommitteeFunds, "s", odd, Totals { income: None, expense: fen("0") }, vec![]);
        assert!(matches!(odd, Err(DisclosureError::LineKey { .. })));
    }
}
