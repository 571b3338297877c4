//! The household register a community onboards in bulk (`gongzhi import`): compounds, buildings,
//! households with their exclusive areas, and owners. Every row is checked, and the whole file is judged
//! before anything is written: one bad row and nothing is imported.

use std::collections::HashMap;

use thiserror::Error;

use crate::Invalid;
use crate::area::FloorArea;
use crate::person::{PersonName, Phone};
use crate::place::PlaceName;

/// The columns, in the header's own words. Owner columns may be empty for a unit whose owner is not known
/// yet; a unit with several owners (co-ownership) takes one row per owner.
pub const COLUMNS: [&str; 6] = ["compound", "building", "household", "area_m2", "owner_name", "owner_phone"];

/// An optional column: `是`/`yes`/`1` for a unit the developer (建设单位) still holds, unsold or sold but
/// not delivered, which counts under the developer however its owner columns read; empty or `否`/`no`/`0`
/// otherwise. A unit marked on any of its rows is the developer's.
pub const DEVELOPER_COLUMN: &str = "developer";

/// One data row as read from the file, before any checking. `line` is the file's line number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    pub line: u64,
    pub compound: String,
    pub building: String,
    pub household: String,
    pub area_m2: String,
    pub owner_name: String,
    pub owner_phone: String,
    /// The optional `developer` column; empty when the file has none.
    pub developer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("{0}")]
    Invalid(Invalid),
    #[error("the header lacks the column {0:?}")]
    MissingColumn(&'static str),
    #[error("the row has {found} fields, the header {expected}")]
    FieldCount { expected: usize, found: usize },
    #[error("the same household has area {first_area} on line {first_line}")]
    ConflictingArea { first_line: u64, first_area: String },
    #[error("the same owner of the same household is already on line {first_line}")]
    DuplicateOwner { first_line: u64 },
    #[error("an owner needs both a name and a phone number")]
    IncompleteOwner,
    #[error("phone number is given for {other_name} on line {first_line}")]
    PhoneNameMismatch { first_line: u64, other_name: String },
    #[error("phone number already belongs to {other_name} in the register")]
    PhoneTakenInRegister { other_name: String },
    #[error("the household is already registered with area {existing}")]
    AreaDiffersFromRegister { existing: String },
    #[error("the file has no data rows")]
    Empty,
    #[error("the row cannot be read: {0}")]
    Unreadable(String),
}

impl Problem {
    /// The problem with every value it echoes (from the file, or from the register already stored) made
    /// safe to paste into a spreadsheet (`spreadsheet_cell`): the operator fixing the file does exactly
    /// that, and the file or a name already stored may be hostile.
    pub fn neutralised(self) -> Self {
        let cell = |text: String| crate::spreadsheet_cell::neutralise(&text).into_owned();
        match self {
            Problem::Invalid(invalid) => Problem::Invalid(match invalid {
                Invalid::FloorArea { given } => Invalid::FloorArea { given: cell(given) },
                Invalid::FloorAreaTooLarge { given } => Invalid::FloorAreaTooLarge { given: cell(given) },
                Invalid::Phone { given } => Invalid::Phone { given: cell(given) },
                Invalid::UnknownValue { field, given } => Invalid::UnknownValue { field, given: cell(given) },
                Invalid::WebhookUrl { given } => Invalid::WebhookUrl { given: cell(given) },
                other => other,
            }),
            Problem::ConflictingArea { first_line, first_area } => {
                Problem::ConflictingArea { first_line, first_area: cell(first_area) }
            }
            Problem::PhoneNameMismatch { first_line, other_name } => {
                Problem::PhoneNameMismatch { first_line, other_name: cell(other_name) }
            }
            Problem::PhoneTakenInRegister { other_name } => {
                Problem::PhoneTakenInRegister { other_name: cell(other_name) }
            }
            Problem::AreaDiffersFromRegister { existing } => {
                Problem::AreaDiffersFromRegister { existing: cell(existing) }
            }
            Problem::Unreadable(message) => Problem::Unreadable(cell(message)),
            other @ (Problem::MissingColumn(_)
            | Problem::FieldCount { .. }
            | Problem::DuplicateOwner { .. }
            | Problem::IncompleteOwner
            | Problem::Empty) => other,
        }
    }
}

impl From<Invalid> for Problem {
    fn from(invalid: Invalid) -> Self {
        Problem::Invalid(invalid)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {problem}")]
pub struct RowProblem {
    pub line: u64,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub line: u64,
    pub name: PersonName,
    pub phone: Phone,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub line: u64,
    pub compound: PlaceName,
    pub building: PlaceName,
    pub name: PlaceName,
    pub area: FloorArea,
    pub owners: Vec<Owner>,
    /// Still held by the developer (the `developer` column).
    pub developer_held: bool,
}

/// A register that passed every check; households in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Register {
    pub households: Vec<Household>,
}

/// Checks the header and maps each column to its position.
pub fn column_positions(header: &[&str]) -> Result<[usize; 6], RowProblem> {
    let mut positions = [0; 6];
    for (slot, column) in positions.iter_mut().zip(COLUMNS) {
        *slot = header
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(column))
            .ok_or(RowProblem { line: 1, problem: Problem::MissingColumn(column) })?;
    }
    Ok(positions)
}

/// Where the optional `developer` column is, if the header has one.
pub fn developer_position(header: &[&str]) -> Option<usize> {
    header.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(DEVELOPER_COLUMN))
}

fn parse_developer(value: &str) -> Result<bool, Invalid> {
    match value.trim().to_lowercase().as_str() {
        "" | "0" | "no" | "n" | "false" | "否" => Ok(false),
        "1" | "yes" | "y" | "true" | "是" => Ok(true),
        other => Err(Invalid::UnknownValue { field: "developer", given: other.to_owned() }),
    }
}

/// Judges every row and the file as a whole; returns every problem found, not just the first.
pub fn check(rows: impl IntoIterator<Item = RawRow>) -> Result<Register, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut register = Register::default();
    // (compound, building, household) → index in register.households
    let mut households: HashMap<(String, String, String), usize> = HashMap::new();
    // phone → (line, name) of its first appearance
    let mut phones: HashMap<String, (u64, String)> = HashMap::new();

    for row in rows {
        let line = row.line;
        let mut fail = |problem: Problem| problems.push(RowProblem { line, problem });
        let parsed = (
            PlaceName::parse(&row.compound),
            PlaceName::parse(&row.building),
            PlaceName::parse(&row.household),
            FloorArea::parse(&row.area_m2),
            parse_owner(&row),
            parse_developer(&row.developer),
        );
        let (compound, building, name, area, owner, developer_held) = match parsed {
            (Ok(c), Ok(b), Ok(h), Ok(a), Ok(o), Ok(d)) => (c, b, h, a, o, d),
            (c, b, h, a, o, d) => {
                for err in [c.err(), b.err(), h.err(), a.err(), d.err()].into_iter().flatten() {
                    fail(err.into());
                }
                if let Err(problem) = o {
                    fail(problem);
                }
                continue;
            }
        };

        if let Some(owner) = &owner {
            match phones.get(owner.phone.as_str()) {
                Some((first_line, other)) if other != owner.name.as_str() => {
                    fail(Problem::PhoneNameMismatch { first_line: *first_line, other_name: other.clone() });
                    continue;
                }
                Some(_) => {}
                None => {
                    phones.insert(owner.phone.as_str().to_owned(), (line, owner.name.as_str().to_owned()));
                }
            }
        }

        let key = (compound.as_str().to_owned(), building.as_str().to_owned(), name.as_str().to_owned());
        let index = match households.get(&key) {
            Some(&index) => {
                let existing = &register.households[index];
                if existing.area != area {
                    fail(Problem::ConflictingArea { first_line: existing.line, first_area: existing.area.to_string() });
                    continue;
                }
                register.households[index].developer_held |= developer_held;
                index
            }
            None => {
                households.insert(key, register.households.len());
                register.households.push(Household {
                    line,
                    compound,
                    building,
                    name,
                    area,
                    owners: Vec::new(),
                    developer_held,
                });
                register.households.len() - 1
            }
        };
        if let Some(owner) = owner {
            let household = &mut register.households[index];
            if let Some(first) = household.owners.iter().find(|o| o.phone == owner.phone) {
                fail(Problem::DuplicateOwner { first_line: first.line });
                continue;
            }
            household.owners.push(owner);
        }
    }

    if register.households.is_empty() && problems.is_empty() {
        problems.push(RowProblem { line: 1, problem: Problem::Empty });
    }
    if problems.is_empty() { Ok(register) } else { Err(problems) }
}

fn parse_owner(row: &RawRow) -> Result<Option<Owner>, Problem> {
    match (row.owner_name.trim().is_empty(), row.owner_phone.trim().is_empty()) {
        (true, true) => Ok(None),
        (false, false) => Ok(Some(Owner {
            line: row.line,
            name: PersonName::parse(&row.owner_name)?,
            phone: Phone::parse(&row.owner_phone)?,
        })),
        _ => Err(Problem::IncompleteOwner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, household: &str, area: &str, owner: &str, phone: &str) -> RawRow {
        RawRow {
            line,
            compound: "锦绣花园".into(),
            building: "1号楼".into(),
            household: household.into(),
            area_m2: area.into(),
            owner_name: owner.into(),
            owner_phone: phone.into(),
            developer: String::new(),
        }
    }

    #[test]
    fn the_developer_column_marks_a_unit_on_any_of_its_rows_and_refuses_other_words() {
        let marked = |line, household: &str, developer: &str| RawRow {
            developer: developer.into(),
            ..row(line, household, "80", "", "")
        };
        let register = check([marked(2, "101", "是"), marked(3, "101", ""), marked(4, "102", "no")]);
        let held: Vec<bool> =
            register.map(|r| r.households.iter().map(|h| h.developer_held).collect()).unwrap_or_default();
        assert_eq!(held, vec![true, false]);
        let problems = check([marked(2, "101", "maybe")]).err().unwrap_or_default();
        assert_eq!(problems.len(), 1);
        assert!(matches!(problems[0].problem, Problem::Invalid(Invalid::UnknownValue { field: "developer", .. })));
        assert_eq!(developer_position(&["compound", "Developer"]), Some(1));
        assert_eq!(developer_position(&["compound"]), None);
    }

    #[test]
    fn a_clean_register_groups_co_owners_under_one_household() {
        let register = check([
            row(2, "101", "89.56", "王秀英", "13800138000"),
            row(3, "101", "89.56", "李建国", "13800138001"),
            row(4, "102", "120", "", ""),
        ]);
        let register = register.map_err(|p| format!("{p:?}"));
        assert_eq!(register.as_ref().map(|r| r.households.len()), Ok(2));
        assert_eq!(register.as_ref().map(|r| r.households[0].owners.len()), Ok(2));
        assert_eq!(register.map(|r| r.households[1].area.centi_m2()), Ok(12000));
    }

    #[test]
    fn every_bad_row_is_named_with_its_line_and_reason() {
        let problems = check([
            row(2, "101", "89.56", "王秀英", "13800138000"),
            row(3, "102", "eighty", "李建国", "13800138001"),
            row(4, "101", "90.00", "", ""),
            row(5, "103", "70", "赵敏", ""),
            row(6, "104", "70", "钱伟", "13800138000"),
        ])
        .err()
        .unwrap_or_default();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert!(matches!(problems[0].problem, Problem::Invalid(Invalid::FloorArea { .. })));
        assert_eq!(problems[1].problem, Problem::ConflictingArea { first_line: 2, first_area: "89.56".into() });
        assert_eq!(problems[2].problem, Problem::IncompleteOwner);
        assert_eq!(problems[3].problem, Problem::PhoneNameMismatch { first_line: 2, other_name: "王秀英".into() });
    }

    #[test]
    fn a_person_owning_several_units_is_one_phone_on_several_rows() {
        let register =
            check([row(2, "101", "80", "王秀英", "13800138000"), row(3, "102", "80", "王秀英", "13800138000")]);
        assert!(register.is_ok());
    }

    #[test]
    fn the_header_must_name_every_column() {
        assert!(
            column_positions(&["\u{feff}compound", "building", "household", "area_m2", "owner_name", "owner_phone"])
                .is_ok()
        );
        let missing = column_positions(&["compound", "building", "household", "owner_name", "owner_phone"]);
        assert_eq!(missing, Err(RowProblem { line: 1, problem: Problem::MissingColumn("area_m2") }));
    }

    #[test]
    fn an_empty_file_is_a_problem() {
        assert_eq!(check([]), Err(vec![RowProblem { line: 1, problem: Problem::Empty }]));
    }
}
