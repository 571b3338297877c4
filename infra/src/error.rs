//! Infra's one error type. Constraint violations are turned into domain conflicts here, at the database
//! boundary, and a database that cannot be reached (a restart, a failover, a cut connection) is told from
//! one that answered with a fault: the first is `Unavailable`, worth asking again shortly; what remains
//! under `Database` is a fault the client cannot fix.

use gongzhi_domain::register::RowProblem;
use gongzhi_domain::{Conflict, Denied, Invalid};
use sea_orm::{DbErr, RuntimeErr, SqlErr};
use thiserror::Error;

use crate::auth::AuthError;
use crate::wechat::WeChatError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    WeChat(#[from] WeChatError),
    #[error(transparent)]
    Topic(gongzhi_domain::topic::TopicError),
    #[error(transparent)]
    Ballot(gongzhi_domain::vote::BallotRefusal),
    #[error(transparent)]
    Task(gongzhi_domain::task::TaskError),
    #[error(transparent)]
    Meeting(gongzhi_domain::meeting::MeetingError),
    #[error(transparent)]
    Disclosure(gongzhi_domain::disclosure::DisclosureError),
    #[error(transparent)]
    Opinion(gongzhi_domain::opinion::OpinionError),
    #[error(transparent)]
    Accountability(#[from] gongzhi_domain::accountability::AccountabilityError),
    /// A step on a held submission in the wrong state (decision 130).
    #[error(transparent)]
    Content(#[from] gongzhi_domain::content::ContentError),
    /// An erasure refused: an office or mandate still held, already erased, not confirmed (decision 165).
    #[error(transparent)]
    Erasure(gongzhi_domain::privacy::erasure::ErasureRefusal),
    #[error(transparent)]
    Export(#[from] gongzhi_domain::privacy::export::ExportRefusal),
    /// An upload that is not of the kind asked for, or too large.
    #[error(transparent)]
    Upload(gongzhi_domain::file_kind::UploadRefusal),
    /// Vote arithmetic refused the sums storage produced: a fault, never a result.
    #[error("vote arithmetic refused the stored counts: {0}")]
    Vote(String),
    #[error("the register has {} problem(s)", .0.len())]
    Register(Vec<RowProblem>),
    /// The database could not be reached, or dropped the connection mid-statement.
    #[error("database unreachable")]
    Unavailable(DbErr),
    #[error("database error")]
    Database(DbErr),
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if unreachable(&err) { Error::Unavailable(err) } else { Error::Database(err) }
    }
}

/// Whether the error says the database was out of reach rather than that it refused the statement: no
/// connection to be had (the pool timed out or was closed), the connection broke (I/O), or the server said
/// it is going away or cannot take connections — SQLSTATE class 08 (connection exception), 57P01
/// (`terminating connection due to administrator command`, sent by a restart), 57P02 (crash shutdown) and
/// 57P03 (`the database system is starting up`).
pub fn unreachable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(cause))
        | DbErr::Exec(RuntimeErr::SqlxError(cause))
        | DbErr::Query(RuntimeErr::SqlxError(cause)) => sqlx_unreachable(cause),
        _ => false,
    }
}

fn sqlx_unreachable(err: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
        Sqlx::Database(db) => {
            db.code().is_some_and(|code| code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

impl Error {
    /// `Hidden` and "not found" must look the same to a client.
    pub fn hides_existence(&self) -> bool {
        matches!(self, Error::NotFound(_) | Error::Denied(Denied::Hidden))
    }
}

/// Maps a unique-constraint violation to the conflict it means for this write; any other error passes.
pub(crate) fn on_unique(conflict: Conflict) -> impl FnOnce(DbErr) -> Error {
    move |err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::Conflict(conflict),
        _ => Error::from(err),
    }
}

impl From<gongzhi_domain::topic::TopicError> for Error {
    /// Input errors stay input errors, so every layer words them the same way.
    fn from(err: gongzhi_domain::topic::TopicError) -> Self {
        match err {
            gongzhi_domain::topic::TopicError::Invalid(invalid) => Error::Invalid(invalid),
            other => Error::Topic(other),
        }
    }
}

impl From<gongzhi_domain::task::TaskError> for Error {
    fn from(err: gongzhi_domain::task::TaskError) -> Self {
        match err {
            gongzhi_domain::task::TaskError::Invalid(invalid) => Error::Invalid(invalid),
            other => Error::Task(other),
        }
    }
}

impl From<gongzhi_domain::meeting::MeetingError> for Error {
    fn from(err: gongzhi_domain::meeting::MeetingError) -> Self {
        match err {
            gongzhi_domain::meeting::MeetingError::Invalid(invalid) => Error::Invalid(invalid),
            other => Error::Meeting(other),
        }
    }
}

impl From<gongzhi_domain::opinion::OpinionError> for Error {
    /// The topic's own refusals (not deliberating) stay topic errors, as for every other pipeline step.
    fn from(err: gongzhi_domain::opinion::OpinionError) -> Self {
        match err {
            gongzhi_domain::opinion::OpinionError::Invalid(invalid) => Error::Invalid(invalid),
            gongzhi_domain::opinion::OpinionError::Topic(topic) => Error::from(topic),
            other => Error::Opinion(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};

    use super::Error;

    fn sqlx(err: sea_orm::sqlx::Error) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(err)))
    }

    #[test]
    fn a_database_out_of_reach_is_unavailable() {
        let cut = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed");
        let unreachable = [
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            sqlx(sea_orm::sqlx::Error::Io(cut)),
            sqlx(sea_orm::sqlx::Error::PoolTimedOut),
            DbErr::Conn(RuntimeErr::SqlxError(Arc::new(sea_orm::sqlx::Error::PoolClosed))),
        ];

        for err in unreachable {
            assert!(matches!(Error::from(err.clone()), Error::Unavailable(_)), "{err}");
        }
    }

    #[test]
    fn a_database_that_answered_with_a_fault_is_a_database_error() {
        let faults = [
            sqlx(sea_orm::sqlx::Error::RowNotFound),
            sqlx(sea_orm::sqlx::Error::Protocol("unexpected message".into())),
            DbErr::Custom("storing a photo failed".into()),
            DbErr::RecordNotUpdated,
        ];

        for err in faults {
            assert!(matches!(Error::from(err.clone()), Error::Database(_)), "{err}");
        }
    }
}
