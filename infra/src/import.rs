//! Bulk onboarding of a community's register from CSV (`gongzhi import`). The file is checked in full
//! before anything is written, and written in one transaction: any bad row and nothing is imported.

use std::io::Read;

use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::register::{self, Problem, RawRow, RowProblem};
use gongzhi_domain::role::Role;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use tracing::instrument;

use crate::entities::{developer_unit, person, role_grant};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::{child_by_name, find_kind};
use crate::roles::insert_grant;
use crate::rows::ancestry_of;
use crate::{Error, Result, Store};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: usize,
    pub compounds_created: usize,
    pub buildings_created: usize,
    pub households_created: usize,
    pub owners_created: usize,
    pub ownerships_granted: usize,
    /// Units newly marked as the developer's (the `developer` column).
    pub developer_units_marked: usize,
}

/// Rows that could be read, and problems with those that could not; a bad header stops here.
fn read_rows(input: impl Read) -> Result<(Vec<RawRow>, Vec<RowProblem>), Vec<RowProblem>> {
    let mut raw = Vec::new();
    let mut input = input;
    input
        .read_to_end(&mut raw)
        .map_err(|e| vec![RowProblem { line: 1, problem: Problem::Unreadable(e.to_string()) }])?;
    // Spreadsheets on Windows write CRLF and some tools bare CR; one kind of line end makes line numbers exact.
    let text = normalise_line_ends(&raw);
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_slice());
    let header = reader
        .headers()
        .map_err(|e| vec![RowProblem { line: 1, problem: Problem::Unreadable(e.to_string()) }])?
        .clone();
    let header_fields: Vec<&str> = header.iter().collect();
    let positions = register::column_positions(&header_fields).map_err(|p| vec![p])?;
    let developer = register::developer_position(&header_fields);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        match record {
            Err(err) => {
                let line = err.position().map_or(0, |p| line_at(&text, p.byte()));
                problems.push(RowProblem { line, problem: Problem::Unreadable(err.to_string()) });
            }
            Ok(record) => {
                let line = record.position().map_or(0, |p| line_at(&text, p.byte()));
                if record.len() != header.len() {
                    let problem = Problem::FieldCount { expected: header.len(), found: record.len() };
                    problems.push(RowProblem { line, problem });
                    continue;
                }
                let field = |i: usize| record.get(positions[i]).unwrap_or_default().to_owned();
                rows.push(RawRow {
                    line,
                    compound: field(0),
                    building: field(1),
                    household: field(2),
                    area_m2: field(3),
                    owner_name: field(4),
                    owner_phone: field(5),
                    developer: developer.and_then(|i| record.get(i)).unwrap_or_default().to_owned(),
                });
            }
        }
    }
    Ok((rows, problems))
}

fn normalise_line_ends(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        if byte == b'\r' {
            if bytes.peek() == Some(&b'\n') {
                bytes.next();
            }
            out.push(b'\n');
        } else {
            out.push(byte);
        }
    }
    out
}

/// The 1-based line a record starts on. The reader's position may point at the end of the previous line
/// or at blank lines it skipped, so count up to the record's first character.
fn line_at(text: &[u8], offset: u64) -> u64 {
    let offset = usize::try_from(offset).unwrap_or(text.len()).min(text.len());
    let start = text[offset..].iter().position(|b| *b != b'\n').map_or(text.len(), |i| offset + i);
    1 + text[..start].iter().filter(|b| **b == b'\n').count() as u64
}

/// The import's refusal. Its problems echo values from the file and the register; the operator reads them
/// and pastes them into the spreadsheet being fixed, so each is neutralised on the way out.
fn refused(problems: Vec<RowProblem>) -> Error {
    Error::Register(
        problems.into_iter().map(|p| RowProblem { line: p.line, problem: p.problem.neutralised() }).collect(),
    )
}

impl Store {
    /// Imports into `community`. Running the same file twice changes nothing the second time.
    #[instrument(skip_all)]
    pub async fn import_register(&self, community: PlaceId, input: impl Read) -> Result<ImportReport> {
        let (rows, mut problems) = read_rows(input).map_err(refused)?;
        let row_count = rows.len() + problems.len();
        // Every problem in one report, so the operator fixes the file in one round.
        let register = match register::check(rows) {
            Ok(register) if problems.is_empty() => register,
            Ok(_) => return Err(refused(problems)),
            Err(found) => {
                let had_unreadable = !problems.is_empty();
                // "No data rows" only means something when no row failed to be read.
                problems.extend(found.into_iter().filter(|p| !(had_unreadable && p.problem == Problem::Empty)));
                problems.sort_by_key(|p| p.line);
                return Err(refused(problems));
            }
        };
        let now = self.clock.now();
        let txn = self.write().await?;
        let community_row = find_kind(&txn, community, PlaceKind::Community).await?;
        let community = ancestry_of(&community_row)?;
        let mut report = ImportReport { rows: row_count, ..ImportReport::default() };

        for household in &register.households {
            let (compound, new) = child_by_name(&txn, &community, &household.compound, None, now).await?;
            report.compounds_created += usize::from(new);
            created(&txn, &compound, new).await?;
            let (building, new) = child_by_name(&txn, &ancestry_of(&compound)?, &household.building, None, now).await?;
            report.buildings_created += usize::from(new);
            created(&txn, &building, new).await?;
            let (unit, new) =
                child_by_name(&txn, &ancestry_of(&building)?, &household.name, Some(household.area), now).await?;
            report.households_created += usize::from(new);
            created(&txn, &unit, new).await?;
            if unit.area_centi_m2 != Some(household.area.centi_m2()) {
                let existing = unit.area_centi_m2.map_or_else(String::new, |c| format!("{}.{:02}", c / 100, c % 100));
                problems
                    .push(RowProblem { line: household.line, problem: Problem::AreaDiffersFromRegister { existing } });
                continue;
            }
            if household.developer_held {
                let marked = mark_developer_unit(&txn, &unit, now).await?;
                report.developer_units_marked += usize::from(marked);
                if marked {
                    let event = WireEvent::DeveloperUnitMarked { unit: unit.id, held: true };
                    let fact = NewEvent::new(event, now, Audience::Staff).place(PlaceId::from_uuid(unit.id));
                    crate::event_log::record(&txn, fact).await?;
                }
            }
            for owner in &household.owners {
                let found =
                    person::Entity::find().filter(person::Column::Phone.eq(owner.phone.as_str())).one(&txn).await?;
                let person = match found {
                    Some(person) if person.name.as_deref() != Some(owner.name.as_str()) => {
                        let other_name = person.name.unwrap_or_default();
                        problems.push(RowProblem {
                            line: owner.line,
                            problem: Problem::PhoneTakenInRegister { other_name },
                        });
                        continue;
                    }
                    Some(person) => person,
                    None => {
                        report.owners_created += 1;
                        Store::insert_person(&txn, owner.name.as_str(), Some(owner.phone.as_str()), now).await?
                    }
                };
                if !holds_ownership(&txn, person.id, unit.id).await? {
                    let grant = insert_grant(&txn, person.id.into(), Role::Owner, unit.id.into(), None, now).await?;
                    crate::roles::granted(&txn, &grant).await?;
                    report.ownerships_granted += 1;
                }
            }
        }

        if !problems.is_empty() {
            // Dropped uncommitted: rolled back, and nothing it recorded reaches the log.
            drop(txn);
            return Err(refused(problems));
        }
        let places = report.compounds_created + report.buildings_created + report.households_created;
        let event =
            WireEvent::RegisterImported { places, owners: report.owners_created, grants: report.ownerships_granted };
        let fact = NewEvent::new(event, now, Audience::Staff).place(PlaceId::from_uuid(community_row.id));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(report)
    }
}

/// Logs a place the import created (`new`), on the operator's authority.
async fn created(txn: &crate::topics::write::TopicWrite, row: &crate::entities::place::Model, new: bool) -> Result<()> {
    if new {
        crate::event_log::record(txn, crate::places::place_created(row, None)).await?;
    }
    Ok(())
}

/// Marks a unit as the developer's, unless it already is; whether it was newly marked.
async fn mark_developer_unit(
    db: &impl ConnectionTrait,
    unit: &crate::entities::place::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool> {
    if developer_unit::Entity::find_by_id(unit.id).one(db).await?.is_some() {
        return Ok(false);
    }
    let compound = unit.compound_id.ok_or(Error::NotFound("compound"))?;
    developer_unit::ActiveModel {
        unit_id: Set(unit.id),
        compound_id: Set(compound),
        marked_by: Set(None),
        marked_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(true)
}

async fn holds_ownership(db: &impl ConnectionTrait, person: Uuid, household: Uuid) -> Result<bool> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person))
        .filter(role_grant::Column::PlaceId.eq(household))
        .filter(role_grant::Column::Role.eq(Role::Owner.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .is_some())
}
