//! What partners may read of each kind of fact (decision 92). The webhook body used to be the wire payload
//! with person fields stripped by name (`invitedPeople`, `requestedBy`…): a new field that names a person
//! under another name would have gone out. Here every kind says what of it is public, in a match with no
//! catch-all, so adding a kind or a field to a kind is a decision made here, not a leak by default: a
//! topic step's view keeps its ids and facts and drops the people; every other kind is the platform's
//! own and has no public view (`None`: it is never sent).

use serde_json::{Value, json};

use super::wire::{WireEvent, WirePlan};

/// A plan as partners see it: who is invited is counted, never listed.
fn plan(plan: &WirePlan) -> Value {
    json!({
        "form": plan.form,
        "parties": plan.parties,
        "startsOn": plan.starts_on,
        "endsOn": plan.ends_on,
        "major": plan.major,
        "invitees": plan.invitees,
    })
}

impl WireEvent {
    /// This fact as a partner may read it, or `None` when it is not for partners at all.
    pub fn public_view(&self) -> Option<Value> {
        use WireEvent as E;
        Some(match self {
            E::TopicSubmitted { .. }
            | E::TopicCoSigned
            | E::TopicWithdrawn
            | E::TopicRejected
            | E::TopicServiceAcknowledged
            | E::TopicServiceDone
            | E::TopicServiceDisputed
            | E::TopicReconsidered
            | E::TopicAnnounced
            | E::TopicCompleted
            | E::TopicPublished
            | E::TopicClosed
            | E::TopicReopenRequested
            | E::TopicStaffNote => json!({}),
            E::TopicReclassified { from, to } => json!({ "from": from, "to": to }),
            E::TopicAccepted { plan: p } | E::TopicPlanRevised { plan: p } => json!({ "plan": plan(p) }),
            E::TopicMerged { into } => json!({ "into": into }),
            E::TopicMergedIn { from } => json!({ "from": from }),
            E::TopicRouted { company } => json!({ "company": company }),
            E::TopicRerouted { from, to } => json!({ "from": from, "to": to }),
            E::TopicEscalated { from, to } => json!({ "from": from, "to": to }),
            E::TopicServiceConfirmed { by_default } => json!({ "byDefault": by_default }),
            E::TopicMinutesRecorded { meeting, version } => json!({ "meeting": meeting, "version": version }),
            E::TopicMeetingScheduled { meeting } => json!({ "meeting": meeting }),
            E::TopicVoteOpened { vote } => json!({ "vote": vote }),
            E::TopicResolved { meeting, vote } => json!({ "meeting": meeting, "vote": vote }),
            E::TopicImplementationStarted { tasks } => json!({ "tasks": tasks }),
            E::TopicTaskLetter { task, letter } => json!({ "task": task, "letter": letter }),
            E::TopicTaskAccepted { task } => json!({ "task": task }),
            E::TopicRatingOpened { closes_at } => json!({ "closesAt": closes_at }),
            // Disclosures are public by their nature (三个公开, seed 003); who asked a question is not.
            E::DisclosurePublished { disclosure, disclosure_kind, period_start, version, hash } => json!({
                "disclosure": disclosure, "kind": disclosure_kind, "periodStart": period_start,
                "version": version, "hash": hash,
            }),
            E::DisclosureCorrected { disclosure, previous, disclosure_kind, period_start, version, hash } => json!({
                "disclosure": disclosure, "previous": previous, "kind": disclosure_kind,
                "periodStart": period_start, "version": version, "hash": hash,
            }),
            E::DisclosureQuestioned { disclosure, question, line, answer_due_at } => json!({
                "disclosure": disclosure, "question": question, "line": line, "answerDueAt": answer_due_at,
            }),
            E::DisclosureQuestionReminded { disclosure, question, answer_due_at } => json!({
                "disclosure": disclosure, "question": question, "answerDueAt": answer_due_at,
            }),
            E::DisclosureAnswered { disclosure, question, .. } => json!({ "disclosure": disclosure, "question": question }),
            E::DisclosureLetterSent { obligation, disclosure_kind, period_start, letter, owed_by, company } => json!({
                "obligation": obligation, "kind": disclosure_kind, "periodStart": period_start,
                "letter": letter, "owedBy": owed_by, "company": company,
            }),
            // The credit record, its listings and the problem compounds are public with their reasons
            // (seeds 001, 002); a survey is announced and closed in public with its counts.
            E::SurveyOpened { survey, quarter, closes_at, questions, households } => json!({
                "survey": survey, "quarter": quarter, "closesAt": closes_at, "questions": questions,
                "households": households,
            }),
            E::SurveyClosed { survey, responses, households, .. } => json!({
                "survey": survey, "responses": responses, "households": households,
            }),
            E::CreditScored { company, quarter, score_centi, letters_in_year } => json!({
                "company": company, "quarter": quarter, "scoreCenti": score_centi, "lettersInYear": letters_in_year,
            }),
            E::CompanyListed { listing, company, quarter, reasons } => json!({
                "listing": listing, "company": company, "quarter": quarter, "reasons": reasons,
            }),
            E::CompanyBlacklistNoticed { listing, company, appeal_until } => json!({
                "listing": listing, "company": company, "appealUntil": appeal_until,
            }),
            E::CompanyListingAppealed { listing, company } | E::CompanyListingLifted { listing, company } => {
                json!({ "listing": listing, "company": company })
            }
            E::CompanyBlacklisted { listing, company, until } => json!({
                "listing": listing, "company": company, "until": until,
            }),
            E::ProblemCompoundListed { compound, quarter, complaints, households } => json!({
                "compound": compound, "quarter": quarter, "complaints": complaints, "households": households,
            }),
            E::ProblemCompoundLeft { compound, quarter } => json!({ "compound": compound, "quarter": quarter }),
            // 一院一案 is the street's public answer to a problem compound (seed 002).
            E::RectificationPlanDrafted { plan, compound, quarter, measures } => json!({
                "plan": plan, "compound": compound, "quarter": quarter, "measures": measures,
            }),
            E::RectificationPlanRevised { plan, compound, measures } => json!({
                "plan": plan, "compound": compound, "measures": measures,
            }),
            E::RectificationPlanApproved { plan, compound, topic, tasks } => json!({
                "plan": plan, "compound": compound, "topic": topic, "tasks": tasks,
            }),
            E::RectificationPlanSentBack { plan, compound } => json!({ "plan": plan, "compound": compound }),
            // Who asked is a resident: the step is public, the person is not.
            E::TopicReopenDeclined { .. } | E::TopicReopened { .. } => json!({}),
            E::VoteOpened { .. }
            | E::VoteClosingNoticed { .. }
            | E::VoteClosed { .. }
            | E::VoteSecrecySet { .. }
            | E::BallotCast { .. }
            | E::BallotSuperseded { .. }
            | E::BallotPaperEntered { .. }
            | E::MandateGranted { .. }
            | E::MandateRevoked { .. }
            | E::MeetingScheduled { .. }
            | E::MeetingInvited { .. }
            | E::MeetingMoved { .. }
            | E::MeetingCheckedIn { .. }
            | E::TaskProgressReported { .. }
            | E::TaskFinished { .. }
            | E::TaskSentBack { .. }
            | E::RatingGiven { .. }
            | E::ExplanationAsked { .. }
            | E::ExplanationAnswered { .. }
            | E::RoleGranted { .. }
            | E::RoleRevoked { .. }
            | E::PlaceCreated { .. }
            | E::PlaceChanged { .. }
            | E::ClaimDecided { .. }
            | E::PersonMerged { .. }
            | E::PersonMergeUndone { .. }
            | E::ClaimMade { .. }
            | E::ClaimWithdrawn { .. }
            | E::OpinionPosted { .. }
            | E::OpinionHidden { .. }
            | E::OpinionReported { .. }
            | E::RoundOpened { .. }
            | E::CategoryAdded { .. }
            | E::CategoryChanged { .. }
            | E::CatalogueAdopted { .. }
            | E::PartnerRegistered { .. }
            | E::PartnerSecretRotated { .. }
            | E::PartnerDisabled { .. }
            | E::PartnerEnabled { .. }
            | E::WebhookRegistered { .. }
            | E::WebhookDisabled { .. }
            | E::WebhookReplayed { .. }
            | E::CompanyRegistered { .. }
            | E::DeveloperSet { .. }
            | E::DeveloperUnitMarked { .. }
            | E::GridCreated { .. }
            | E::GridBuildingAssigned { .. }
            | E::PersonNamed { .. }
            | E::RegisterImported { .. }
            // When each answer came would tell a small compound's neighbours who just answered.
            | E::SurveyAnswered { .. }
            | E::AccountabilitySettingsSet { .. }
            // A person's own export, and the retention of personal data: nobody else's business.
            | E::DataExportRequested { .. }
            | E::DataExportReady { .. }
            | E::AccessLogPurged { .. }
            | E::PhonesExpired { .. } => return None,
            // Erasure names a person by id to staff only: partners never learn who left.
            | E::ErasureRequested { .. } | E::PersonErased { .. } => return None,
            // Moderation is between the author and the residents' committee; what is published has its
            // own public fact (decision 134).
            | E::ContentHeld { .. }
            | E::ContentCleared { .. }
            | E::ContentApproved { .. }
            | E::ContentRejected { .. }
            | E::ContentLapsed { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_plan_is_counted_never_listed_and_who_asked_to_reopen_is_not_told() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let person = Uuid::from_u128(7);
        let plan = WirePlan {
            form: "online".into(),
            parties: vec!["owners".into()],
            starts_on: day,
            ends_on: day,
            major: false,
            invitees: 3,
            invited_people: vec![person],
        };
        let accepted = WireEvent::TopicAccepted { plan }.public_view().expect("a topic step is public");
        assert_eq!(accepted["plan"]["invitees"], 3);
        assert!(!accepted.to_string().contains(&person.to_string()), "{accepted}");
        let reopened = WireEvent::TopicReopened { requested_by: person }.public_view().expect("public");
        assert_eq!(reopened, json!({}));
    }

    #[test]
    fn facts_that_are_not_topic_steps_have_no_public_view() {
        let ballot =
            WireEvent::BallotCast { vote: Uuid::nil(), voter: Uuid::nil(), units: 1, mandate: None, choice: None };
        assert_eq!(ballot.public_view(), None);
        assert_eq!(WireEvent::PersonNamed { person: Uuid::nil() }.public_view(), None);
    }
}
