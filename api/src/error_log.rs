//! How loud each error a request answers with is in the logs, decided in one place (`ApiError::log_level`)
//! and logged once, where the response is made. ERROR means a person must look: only our own failures
//! (`INTERNAL`), whose causes `error.rs` logs beside. A refusal the client caused — no or a bad token, a
//! refused refresh, FORBIDDEN, NOT_FOUND, bad input, a conflict, a step the topic's stage does not allow —
//! is the API working as designed: INFO. Worth watching in aggregate, not one by one: a service we depend
//! on failing, a request that ran out of time, a spent rate budget and a refresh token used twice (a copied
//! token): WARN. The use cases in infra log no errors of their own for this reason: they cannot tell the
//! kinds apart by the time a failure is a `Result`.

use gongzhi_infra::auth::AuthError;
use tracing::Level;

use crate::error::{ApiError, Code};

impl ApiError {
    /// The level this error is logged at.
    pub fn log_level(&self) -> Level {
        match (self, self.code()) {
            (_, Code::Internal) => Level::ERROR,
            (ApiError::Unauthenticated(Some(AuthError::RefreshReused)), _)
            | (_, Code::Unavailable | Code::RateLimited) => Level::WARN,
            (
                _,
                Code::Unauthenticated
                | Code::Forbidden
                | Code::NotFound
                | Code::BadUserInput
                | Code::Conflict
                | Code::PersistedQueryNotFound
                | Code::PayloadTooLarge,
            ) => Level::INFO,
        }
    }

    /// Logs the error at its level, with its code and the operation that met it (when it had begun).
    pub fn log(&self, operation: Option<&str>) {
        let (code, operation) = (self.code().as_str(), operation.unwrap_or("-"));
        match self.log_level() {
            Level::ERROR => tracing::error!(code, operation, error = ?self, "request failed"),
            Level::WARN => tracing::warn!(code, operation, error = ?self, "request refused"),
            _ => tracing::info!(code, operation, error = ?self, "request refused"),
        }
    }
}

#[cfg(test)]
mod tests {
    use gongzhi_domain::topic::TopicError;
    use gongzhi_domain::{Conflict, Invalid};
    use gongzhi_infra::wechat::WeChatError;

    use super::*;
    use crate::error::BadRequest;

    #[test]
    fn only_our_own_failures_are_errors() {
        assert_eq!(ApiError::Internal.log_level(), Level::ERROR);
        let stored_counts_refused = gongzhi_infra::Error::Vote("area below zero".into());
        assert_eq!(ApiError::from(stored_counts_refused).log_level(), Level::ERROR);
    }

    #[test]
    fn refusals_the_client_caused_are_info() {
        let refusals = [
            ApiError::Unauthenticated(None),
            ApiError::Unauthenticated(Some(AuthError::InvalidRefresh)),
            ApiError::Unauthenticated(Some(AuthError::SessionEnded)),
            ApiError::Unauthenticated(Some(AuthError::InvalidToken)),
            ApiError::Forbidden,
            ApiError::Requires(Vec::new()),
            ApiError::DemoOnly,
            ApiError::Bad(BadRequest::ClockNotForward),
            ApiError::NotFound,
            ApiError::Bad(BadRequest::Cursor),
            ApiError::Invalid(Invalid::Required { field: "title" }),
            ApiError::Conflict(Conflict::TopicChanged),
            ApiError::Topic(TopicError::WrongStage { action: "accept", state: "accepted" }),
            ApiError::WeChat(WeChatError::InvalidCode),
            ApiError::PersistedQueryNotFound,
        ];
        for refusal in refusals {
            assert_eq!(refusal.log_level(), Level::INFO, "{refusal:?}");
        }
    }

    #[test]
    fn what_is_worth_watching_in_aggregate_is_a_warning() {
        let watched = [
            ApiError::RateLimited { retry_after: 30 },
            ApiError::Timeout,
            ApiError::WeChat(WeChatError::Busy),
            ApiError::WeChat(WeChatError::RateLimited),
            ApiError::Unauthenticated(Some(AuthError::RefreshReused)),
        ];
        for error in watched {
            assert_eq!(error.log_level(), Level::WARN, "{error:?}");
        }
    }
}
