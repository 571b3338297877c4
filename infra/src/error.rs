//! Infra's one error type. Constraint violations are turned into domain conflicts here, at the database
//! boundary; what remains under `Database` is a fault the client cannot fix.

use gongzhi_domain::register::RowProblem;
use gongzhi_domain::{Conflict, Denied, Invalid};
use sea_orm::{DbErr, SqlErr};
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
    Opinion(gongzhi_domain::opinion::OpinionError),
    /// Vote arithmetic refused the sums storage produced: a fault, never a result.
    #[error("vote arithmetic refused the stored counts: {0}")]
    Vote(String),
    #[error("the register has {} problem(s)", .0.len())]
    Register(Vec<RowProblem>),
    #[error("database error")]
    Database(#[from] DbErr),
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
        _ => Error::Database(err),
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
