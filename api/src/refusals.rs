//! Which refusals are answers and which are errors, for every mutation (decision 60).
//!
//! A refusal that follows from how things stand — the topic's stage, a meeting's or a vote's times, a
//! task already done, a claim already decided, a name or a role already taken, a letter already sent — is
//! an answer: the mutation's payload carries `ok: false` and `refusal { code message }`, with a stable
//! snake_case code. GraphQL errors are left for what a client must fix before asking again: malformed
//! input (`BAD_USER_INPUT`), who is asking (`UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`), a race lost to
//! another writer (`CONFLICT`: reload and decide again), and our own failures.

use gongzhi_domain::task::TaskError;
use gongzhi_domain::vote::BallotRefusal;
use gongzhi_domain::{Conflict, Invalid};
use gongzhi_infra::Error;

use crate::deliberation_messages::{
    meeting_error_message, meeting_is_business_outcome, opinion_error_message, opinion_is_business_outcome,
};
use crate::graphql::types::topic::Refusal;
use crate::i18n::Lang;
use crate::topic_messages::{ballot_refusal_message, is_business_outcome, task_error_message, topic_error_message};

/// The refusal a payload carries for `err`, or `None` when `err` stays a GraphQL error.
pub fn refusal_of(err: &Error, lang: Lang) -> Option<Refusal> {
    let (code, message) = match err {
        Error::Topic(topic) if is_business_outcome(topic) => (topic.code(), topic_error_message(topic, lang)),
        Error::Meeting(meeting)
            if meeting_is_business_outcome(meeting)
                || matches!(meeting, gongzhi_domain::meeting::MeetingError::AlreadyInvited) =>
        {
            (meeting.code(), meeting_error_message(meeting, lang))
        }
        Error::Opinion(opinion)
            if opinion_is_business_outcome(opinion)
                || matches!(
                    opinion,
                    gongzhi_domain::opinion::OpinionError::AlreadyHidden
                        | gongzhi_domain::opinion::OpinionError::AlreadyReported
                ) =>
        {
            (opinion.code(), opinion_error_message(opinion, lang))
        }
        Error::Task(task @ (TaskError::WrongState { .. } | TaskError::LetterAlreadySent { .. })) => {
            (task.code(), task_error_message(task, lang))
        }
        Error::Ballot(ballot @ BallotRefusal::NotYetOpen { .. }) => {
            ("vote_not_open", ballot_refusal_message(ballot, lang))
        }
        Error::Ballot(ballot @ BallotRefusal::Closed { .. }) => ("vote_closed", ballot_refusal_message(ballot, lang)),
        Error::Accountability(refusal) if crate::accountability_messages::is_business_outcome(refusal) => {
            (refusal.code(), crate::accountability_messages::message(refusal, lang))
        }
        // Another moderator (or the retry round) decided first: the payload shows how it stands.
        Error::Content(refusal) => {
            (crate::content_messages::code(refusal), crate::content_messages::message(refusal, lang))
        }
        Error::Conflict(conflict) => {
            (conflict_code(conflict)?, crate::error::ApiError::Conflict(conflict.clone()).message(lang))
        }
        Error::Invalid(invalid) => {
            (state_code(invalid)?, crate::error::ApiError::Invalid(invalid.clone()).message(lang))
        }
        _ => return None,
    };
    Some(Refusal { code: code.to_owned(), message })
}

/// A clash with what is recorded is a refusal; a race lost to another writer, or a key reused for
/// another request, stays `CONFLICT`, since the client must reload before deciding again.
fn conflict_code(conflict: &Conflict) -> Option<&'static str> {
    Some(match conflict {
        Conflict::SiblingName => "name_taken",
        Conflict::LiveGrant => "role_already_held",
        Conflict::PendingClaim => "claim_pending",
        Conflict::AlreadyHeld => "already_registered",
        Conflict::GridName => "name_taken",
        Conflict::CreditCode => "credit_code_taken",
        Conflict::GridCommunity => "building_elsewhere",
        Conflict::AlreadyCoSigned => "already_co_signed",
        Conflict::CategoryCode => "category_code_taken",
        Conflict::OwnerVotedInPerson => "owner_voted_in_person",
        Conflict::NotDeadLetter { .. } => "not_dead_letter",
        Conflict::PartnerDisabled => "partner_disabled",
        Conflict::PartnerActive => "partner_active",
        Conflict::RequestDecided { .. } => "request_decided",
        Conflict::TopicChanged | Conflict::PartnerChanged | Conflict::IdempotencyKeyReused => return None,
    })
}

/// The `Invalid` values that describe where things stand rather than what was typed: the same request
/// may succeed once the record changes, so they are refusals. Every other `Invalid` is bad input.
fn state_code(invalid: &Invalid) -> Option<&'static str> {
    Some(match invalid {
        Invalid::AlreadyRevoked => "already_revoked",
        Invalid::ClaimNotPending { .. } => "claim_decided",
        Invalid::CommitteeFull { .. } => "committee_full",
        Invalid::SeatsBelowMembers { .. } => "seats_below_members",
        Invalid::NoOwnersCommittee => "no_owners_committee",
        Invalid::NoPropertyCompany => "no_property_company",
        Invalid::NotDissatisfied => "not_dissatisfied",
        _ => return None,
    })
}
