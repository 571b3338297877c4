use chrono::{DateTime, Duration, TimeZone, Utc};

use super::access::{AccessKind, AccessReason};
use super::export::{DataExport, ExportRefusal};
use super::retention::{Retention, phone_expired};
use crate::Invalid;
use crate::ids::{DataExportId, PersonId};

fn at(day: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("valid") + Duration::days(day)
}

#[test]
fn every_access_kind_reads_back_from_its_code() {
    for kind in AccessKind::ALL {
        assert_eq!(AccessKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(AccessKind::parse("neighbour"), None);
}

#[test]
fn a_reason_must_be_given_and_short() {
    assert_eq!(AccessReason::parse("  "), Err(Invalid::Required { field: "reason" }));
    assert_eq!(AccessReason::parse(&"查".repeat(501)), Err(Invalid::TooLong { field: "reason", max: 500 }));
    assert_eq!(AccessReason::parse(" 投诉核查 ").map(|r| r.as_str().to_owned()), Ok("投诉核查".to_owned()));
}

#[test]
fn an_export_becomes_ready_once() {
    let export = DataExport::requested(
        DataExportId::from_uuid(uuid::Uuid::nil()),
        PersonId::from_uuid(uuid::Uuid::nil()),
        at(0),
    );
    let ready = export.ready(at(0), "exports/x.zip".into(), 10).expect("ready");
    assert_eq!(ready.status.code(), "ready");
    assert_eq!(ready.ready(at(1), "exports/y.zip".into(), 10), Err(ExportRefusal::AlreadyReady));
}

#[test]
fn retention_of_zero_days_keeps_forever() {
    let keep = Retention { access_log_days: 0, phone_days: 0 };
    assert_eq!(keep.access_log_cutoff(at(5000)), None);
    assert_eq!(keep.phone_cutoff(at(5000)), None);
    assert_eq!(Retention { access_log_days: 30, phone_days: 0 }.access_log_cutoff(at(40)), Some(at(10)));
}

#[test]
fn a_phone_is_kept_while_a_role_lives_and_for_the_grace_after_the_last_ends() {
    let cutoff = at(100);
    assert!(!phone_expired(true, Some(at(1)), at(0), cutoff), "a live role keeps it");
    assert!(!phone_expired(false, Some(at(100)), at(0), cutoff), "ended at the cutoff: kept");
    assert!(phone_expired(false, Some(at(99)), at(0), cutoff), "ended before the cutoff: erased");
    assert!(phone_expired(false, None, at(99), cutoff), "never held a role, recorded before: erased");
    assert!(!phone_expired(false, None, at(100), cutoff));
}
