//! The log's wire type: the project's own, versioned, camelCase shape of every fact, apart from the domain
//! enums so that the domain may change without changing what partners and consumers read (decision 65).
//! A payload is `{"kind": "<code>", …fields, "texts": [...]}`; `kind` is also the row's column, and the
//! row's `schema_version` says which version of these shapes it was written in. Free text never appears
//! here: `texts` names the event's rows in `event_texts` (decision 66). Adding a field or a kind is
//! compatible (readers ignore what they do not know); renaming or removing one needs a new version.

use chrono::{DateTime, NaiveDate, Utc};
use gongzhi_domain::topic::{DeliberationPlan, EventKind, Invitee};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The version every event is written in today.
pub const SCHEMA_VERSION: i16 = 1;

/// A logged event's payload: the fact, and the names of its free texts (in `event_texts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    #[serde(flatten)]
    pub event: WireEvent,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<String>,
    /// The deadline a topic's step was taken against, when one ran (decision 157): what the on-time
    /// rates are counted from, as the step saw it, whatever the deadlines are configured to later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<WireDue>,
}

/// A deadline as the log tells it: its kind (`gongzhi_domain::topic::DeadlineKind`'s code) and instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireDue {
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// A deliberation plan as the log tells it: who is invited is counted, not named (they may be residents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WirePlan {
    pub form: String,
    pub parties: Vec<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub major: bool,
    pub invitees: usize,
    /// The invitees who are people on the platform (so their notifications can be derived).
    pub invited_people: Vec<Uuid>,
}

impl WirePlan {
    pub fn of(plan: &DeliberationPlan) -> Self {
        WirePlan {
            form: plan.form().as_str().to_owned(),
            parties: plan.parties().iter().map(|p| p.as_str().to_owned()).collect(),
            starts_on: plan.starts_on(),
            ends_on: plan.ends_on(),
            major: plan.is_major(),
            invitees: plan.invitees().len(),
            invited_people: plan
                .invitees()
                .iter()
                .filter_map(|i| match i {
                    Invitee::Person { person } => Some(person.as_uuid()),
                    Invitee::Named { .. } => None,
                })
                .collect(),
        }
    }
}

/// Every kind of fact the log records. The tag is the stable wire code, `<subject>.<what happened>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
pub enum WireEvent {
    // A topic's pipeline steps: the timeline's events, one to one.
    /// In the category it was submitted in (decision 158; absent from events logged before it).
    #[serde(rename = "topic.submitted")]
    TopicSubmitted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<Uuid>,
    },
    #[serde(rename = "topic.co_signed")]
    TopicCoSigned,
    #[serde(rename = "topic.withdrawn")]
    TopicWithdrawn,
    #[serde(rename = "topic.reclassified")]
    TopicReclassified { from: Uuid, to: Uuid },
    #[serde(rename = "topic.accepted")]
    TopicAccepted { plan: WirePlan },
    #[serde(rename = "topic.merged")]
    TopicMerged { into: Uuid },
    #[serde(rename = "topic.merged_in")]
    TopicMergedIn { from: Uuid },
    #[serde(rename = "topic.routed")]
    TopicRouted { company: Uuid },
    /// From a company whose contract ended to the one holding it now.
    #[serde(rename = "topic.rerouted")]
    TopicRerouted { from: Uuid, to: Uuid },
    /// Text `reason`.
    #[serde(rename = "topic.rejected")]
    TopicRejected,
    /// Text `reason`.
    #[serde(rename = "topic.escalated")]
    TopicEscalated { from: String, to: String },
    #[serde(rename = "topic.service_acknowledged")]
    TopicServiceAcknowledged,
    /// Text `report`.
    #[serde(rename = "topic.service_done")]
    TopicServiceDone,
    /// Text `reason`.
    #[serde(rename = "topic.service_disputed")]
    TopicServiceDisputed,
    #[serde(rename = "topic.service_confirmed")]
    TopicServiceConfirmed { by_default: bool },
    #[serde(rename = "topic.plan_revised")]
    TopicPlanRevised { plan: WirePlan },
    #[serde(rename = "topic.minutes_recorded")]
    TopicMinutesRecorded { meeting: Uuid, version: u32 },
    #[serde(rename = "topic.meeting_scheduled")]
    TopicMeetingScheduled { meeting: Uuid },
    #[serde(rename = "topic.vote_opened")]
    TopicVoteOpened { vote: Uuid },
    /// Texts `decision` and `minutes`.
    #[serde(rename = "topic.resolved")]
    TopicResolved { meeting: Option<Uuid>, vote: Option<Uuid> },
    /// Text `reason`.
    #[serde(rename = "topic.reconsidered")]
    TopicReconsidered,
    /// Text `text`.
    #[serde(rename = "topic.announced")]
    TopicAnnounced,
    #[serde(rename = "topic.implementation_started")]
    TopicImplementationStarted { tasks: Vec<Uuid> },
    #[serde(rename = "topic.completed")]
    TopicCompleted,
    #[serde(rename = "topic.task_letter")]
    TopicTaskLetter { task: Uuid, letter: String },
    #[serde(rename = "topic.task_accepted")]
    TopicTaskAccepted { task: Uuid },
    /// Text `summary`.
    #[serde(rename = "topic.published")]
    TopicPublished,
    #[serde(rename = "topic.rating_opened")]
    TopicRatingOpened { closes_at: DateTime<Utc> },
    #[serde(rename = "topic.closed")]
    TopicClosed,
    /// Text `reason`.
    #[serde(rename = "topic.reopen_requested")]
    TopicReopenRequested,
    /// Text `reason`.
    #[serde(rename = "topic.reopen_declined")]
    TopicReopenDeclined { requested_by: Uuid },
    /// Text `reason`.
    #[serde(rename = "topic.reopened")]
    TopicReopened { requested_by: Uuid },
    /// Text `text`.
    #[serde(rename = "topic.staff_note")]
    TopicStaffNote,

    // Votes and ballots. A ballot's choice is told only where the vote is neither secret nor hiding its
    // results while open; otherwise `choice` is absent.
    /// Text `title`.
    #[serde(rename = "vote.opened")]
    VoteOpened {
        vote: Uuid,
        vote_kind: String,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
        hide_results: bool,
        electorate_heads: Option<u64>,
        electorate_area_centi_m2: Option<i64>,
    },
    /// The scheduler told the roll's non-voters that the vote closes soon.
    #[serde(rename = "vote.closing_noticed")]
    VoteClosingNoticed { vote: Uuid, closes_at: DateTime<Utc> },
    /// Logged by the scheduler once the vote has closed, with its verdict: `passed`, `failed` or
    /// `invalid` (too few took part).
    #[serde(rename = "vote.closed")]
    VoteClosed { vote: Uuid, closed_at: DateTime<Utc>, verdict: String },
    #[serde(rename = "vote.secrecy_set")]
    VoteSecrecySet { vote: Uuid, secret: bool },
    #[serde(rename = "ballot.cast")]
    BallotCast { vote: Uuid, voter: Uuid, units: usize, mandate: Option<Uuid>, choice: Option<String> },
    /// A ballot that replaced the voter's earlier one.
    #[serde(rename = "ballot.superseded")]
    BallotSuperseded { vote: Uuid, voter: Uuid, units: usize, mandate: Option<Uuid>, choice: Option<String> },
    /// Entered by staff from a signed paper ballot. Text `note`.
    #[serde(rename = "ballot.paper_entered")]
    BallotPaperEntered { vote: Uuid, voter: Uuid, units: usize, choice: Option<String> },
    #[serde(rename = "mandate.granted")]
    MandateGranted { mandate: Uuid, owner: Uuid, proxy: Uuid, vote: Option<Uuid>, source: String },
    #[serde(rename = "mandate.revoked")]
    MandateRevoked { mandate: Uuid, owner: Uuid, proxy: Uuid },

    // Meetings.
    /// Texts `title` and `location`.
    #[serde(rename = "meeting.scheduled")]
    MeetingScheduled { meeting: Uuid, form: String, starts_at: DateTime<Utc>, ends_at: DateTime<Utc> },
    /// People invited to a meeting (at scheduling, or later); each is told.
    #[serde(rename = "meeting.invited")]
    MeetingInvited { meeting: Uuid, people: Vec<Uuid> },
    /// Moved or held elsewhere; everyone invited is told. Text `location`.
    #[serde(rename = "meeting.moved")]
    MeetingMoved { meeting: Uuid, starts_at: DateTime<Utc>, ends_at: DateTime<Utc> },
    #[serde(rename = "meeting.checked_in")]
    MeetingCheckedIn { meeting: Uuid, person: Uuid },

    // Tasks (their letters and acceptance are topic steps).
    /// Text `note`.
    #[serde(rename = "task.progress_reported")]
    TaskProgressReported { task: Uuid, photos: usize },
    #[serde(rename = "task.finished")]
    TaskFinished {
        task: Uuid,
        /// The task's due date (absent from events logged before decision 157).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_at: Option<DateTime<Utc>>,
    },
    #[serde(rename = "task.sent_back")]
    TaskSentBack { task: Uuid },

    // Feedback.
    /// Text `comment`.
    #[serde(rename = "rating.given")]
    RatingGiven { score: i16 },
    /// Text `question`.
    #[serde(rename = "explanation.asked")]
    ExplanationAsked { request: Uuid },
    /// The asker is told. Text `answer`.
    #[serde(rename = "explanation.answered")]
    ExplanationAnswered { request: Uuid, asked_by: Uuid },

    // People, roles and places.
    #[serde(rename = "role.granted")]
    RoleGranted { grant: Uuid, person: Uuid, role: String },
    /// Text `reason`.
    #[serde(rename = "role.revoked")]
    RoleRevoked { grant: Uuid, person: Uuid, role: String },
    /// Text `name`.
    #[serde(rename = "place.created")]
    PlaceCreated { place_kind: String, parent: Option<Uuid> },
    /// What changed: `details` (name, code, area), `owners_committee`, `property_company`. Text `name`.
    #[serde(rename = "place.changed")]
    PlaceChanged { change: String },
    /// Text `reason` when rejected.
    #[serde(rename = "claim.decided")]
    ClaimDecided { claim: Uuid, person: Uuid, relation: String, confirmed: bool },
    /// Text `reason`.
    #[serde(rename = "person.merged")]
    PersonMerged { merge: Uuid, from: Uuid, into: Uuid },
    #[serde(rename = "person.merge_undone")]
    PersonMergeUndone { merge: Uuid, from: Uuid, into: Uuid },

    // The writes that committed facts without an event until decision 89.
    /// A household claimed (owner, tenant, member). Text `note`.
    #[serde(rename = "claim.made")]
    ClaimMade { claim: Uuid, person: Uuid, relation: String },
    #[serde(rename = "claim.withdrawn")]
    ClaimWithdrawn { claim: Uuid, person: Uuid },
    /// An opinion in a topic's thread, or a reply to one (`parent`). Text `text`.
    #[serde(rename = "opinion.posted")]
    OpinionPosted { opinion: Uuid, parent: Option<Uuid>, stance: Option<String> },
    /// Text `reason`.
    #[serde(rename = "opinion.hidden")]
    OpinionHidden { opinion: Uuid },
    /// Text `reason`.
    #[serde(rename = "opinion.reported")]
    OpinionReported { opinion: Uuid },
    /// A solicitation round (征集). Text `theme`.
    #[serde(rename = "round.opened")]
    RoundOpened { round: Uuid, opens_at: DateTime<Utc>, closes_at: DateTime<Utc> },
    /// Text `name`.
    #[serde(rename = "category.added")]
    CategoryAdded { category: Uuid },
    /// Renamed, re-described or retired. Text `name`.
    #[serde(rename = "category.changed")]
    CategoryChanged { category: Uuid, retired: bool },
    /// A community took the standard catalogue: the categories it added.
    #[serde(rename = "catalogue.adopted")]
    CatalogueAdopted { categories: Vec<Uuid> },
    /// Text `name`.
    #[serde(rename = "partner.registered")]
    PartnerRegistered { partner: Uuid },
    #[serde(rename = "partner.secret_rotated")]
    PartnerSecretRotated { partner: Uuid },
    #[serde(rename = "partner.disabled")]
    PartnerDisabled { partner: Uuid },
    /// A disabled partner enabled again, under a new secret.
    #[serde(rename = "partner.enabled")]
    PartnerEnabled { partner: Uuid },
    /// Text `name`; never the URL's secret parts nor the signing secret.
    #[serde(rename = "webhook.registered")]
    WebhookRegistered { endpoint: Uuid, kinds: Vec<String>, since_sequence: i64 },
    #[serde(rename = "webhook.disabled")]
    WebhookDisabled { endpoint: Uuid },
    #[serde(rename = "webhook.replayed")]
    WebhookReplayed { endpoint: Uuid, from_sequence: i64, queued: usize },
    /// A property company in the registry. Text `name`.
    #[serde(rename = "company.registered")]
    CompanyRegistered { company: Uuid },
    /// A compound's developer (建设单位) recorded or replaced, with its representative. Text `name`.
    #[serde(rename = "developer.set")]
    DeveloperSet { representative: Option<Uuid> },
    /// A unit marked as still held by the developer, or no longer.
    #[serde(rename = "developer.unit_marked")]
    DeveloperUnitMarked { unit: Uuid, held: bool },
    /// Text `name`.
    #[serde(rename = "grid.created")]
    GridCreated { grid: Uuid },
    #[serde(rename = "grid.building_assigned")]
    GridBuildingAssigned { grid: Uuid, building: Uuid },
    /// A person set their display name. Text `name`.
    #[serde(rename = "person.named")]
    PersonNamed { person: Uuid },
    /// A register imported into a community: what it created (each place and grant is logged too).
    #[serde(rename = "register.imported")]
    RegisterImported { places: usize, owners: usize, grants: usize },
    // Disclosures (三个公开, issue 17): the place is the compound or community disclosed for.
    /// The first version of a period. Text `summary`.
    #[serde(rename = "disclosure.published")]
    DisclosurePublished {
        disclosure: Uuid,
        disclosure_kind: String,
        period_start: NaiveDate,
        version: i32,
        hash: String,
    },
    /// A correction: a new version of the period. Texts `summary` and `reason`.
    #[serde(rename = "disclosure.corrected")]
    DisclosureCorrected {
        disclosure: Uuid,
        previous: Uuid,
        disclosure_kind: String,
        period_start: NaiveDate,
        version: i32,
        hash: String,
    },
    /// A resident questioned a line (质询). Text `text`.
    #[serde(rename = "disclosure.questioned")]
    DisclosureQuestioned { disclosure: Uuid, question: Uuid, line: String, answer_due_at: DateTime<Utc> },
    /// The publisher answered; the asker is told. Text `answer`.
    #[serde(rename = "disclosure.answered")]
    DisclosureAnswered { disclosure: Uuid, question: Uuid, asked_by: Uuid },
    /// The scheduler's letter for a missing disclosure: `reminder` (提示函), `warning` (警示函) or
    /// `escalation` (to the street), to the party that owes it and, for 双晒, its company.
    #[serde(rename = "disclosure.letter_sent")]
    DisclosureLetterSent {
        obligation: Uuid,
        disclosure_kind: String,
        period_start: NaiveDate,
        letter: String,
        owed_by: String,
        company: Option<Uuid>,
    },

    // Accountability (issue 17, decisions 110–117). A survey's answers never name who answered: the
    // log counts them, with no actor. Text `title`.
    #[serde(rename = "survey.opened")]
    SurveyOpened { survey: Uuid, quarter: Option<String>, closes_at: DateTime<Utc>, questions: usize, households: u32 },
    #[serde(rename = "survey.answered")]
    SurveyAnswered { survey: Uuid, responses: u64, changed: bool },
    #[serde(rename = "survey.closed")]
    SurveyClosed {
        survey: Uuid,
        responses: u64,
        households: u32,
        /// Rating answers and their scores' sum, when the results are shown (decision 159).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ratings: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rating_score: Option<u64>,
    },
    #[serde(rename = "accountability.settings_set")]
    AccountabilitySettingsSet { city: Uuid, survey_min_responses: u32 },
    /// A company's quarterly credit score (hundredths of a point; none without data).
    #[serde(rename = "credit.scored")]
    CreditScored { company: Uuid, quarter: String, score_centi: Option<i64>, letters_in_year: u32 },
    /// On the warning list, with the reasons' codes (`score`, `letters`).
    #[serde(rename = "company.listed")]
    CompanyListed { listing: Uuid, company: Uuid, quarter: String, reasons: Vec<String> },
    /// Text `reason`.
    #[serde(rename = "company.blacklist_noticed")]
    CompanyBlacklistNoticed { listing: Uuid, company: Uuid, appeal_until: DateTime<Utc> },
    /// Text `appeal`.
    #[serde(rename = "company.listing_appealed")]
    CompanyListingAppealed { listing: Uuid, company: Uuid },
    /// Text `answer` (to the appeal, when one was lodged).
    #[serde(rename = "company.blacklisted")]
    CompanyBlacklisted { listing: Uuid, company: Uuid, until: DateTime<Utc> },
    #[serde(rename = "company.listing_lifted")]
    CompanyListingLifted { listing: Uuid, company: Uuid },
    #[serde(rename = "problem_compound.listed")]
    ProblemCompoundListed { compound: Uuid, quarter: String, complaints: u64, households: u64 },
    #[serde(rename = "problem_compound.left")]
    ProblemCompoundLeft { compound: Uuid, quarter: String },
    /// The scheduler's reminder (提示函) to the publisher of a question (质询) left unanswered past its
    /// deadline, once (decision 107).
    #[serde(rename = "disclosure.question_reminded")]
    DisclosureQuestionReminded { disclosure: Uuid, question: Uuid, answer_due_at: DateTime<Utc> },
    /// 一院一案 drafted by the residents' committee for the listing of `quarter`. Text `summary`.
    #[serde(rename = "rectification_plan.drafted")]
    RectificationPlanDrafted { plan: Uuid, compound: Uuid, quarter: String, measures: usize },
    /// Revised after the street sent it back, and submitted again. Text `summary`.
    #[serde(rename = "rectification_plan.revised")]
    RectificationPlanRevised { plan: Uuid, compound: Uuid, measures: usize },
    /// The street approved it; its measures are the tasks of `topic`.
    #[serde(rename = "rectification_plan.approved")]
    RectificationPlanApproved { plan: Uuid, compound: Uuid, topic: Uuid, tasks: usize },
    /// Text `reason`.
    #[serde(rename = "rectification_plan.sent_back")]
    RectificationPlanSentBack { plan: Uuid, compound: Uuid },
    // Personal information (issue 19, decisions 143–146): the person's own export, and the retention rules.
    #[serde(rename = "data_export.requested")]
    DataExportRequested { export: Uuid },
    #[serde(rename = "data_export.ready")]
    DataExportReady { export: Uuid, size_bytes: u64 },
    /// The scheduler purged the access log's rows from before `before`.
    #[serde(rename = "access_log.purged")]
    AccessLogPurged { before: DateTime<Utc>, rows: u64 },
    /// The scheduler erased the phone numbers of people past keeping (decision 146); the people, not the numbers.
    #[serde(rename = "person.phones_expired")]
    PhonesExpired { people: Vec<Uuid> },
    /// Staff recorded a person's request to be erased (decision 166).
    #[serde(rename = "erasure.requested")]
    ErasureRequested { request: Uuid, person: Uuid },
    /// The person's account was closed and their identifiers erased (decision 165): the ids only, never
    /// what was erased. Consumers drop what they keep of the person; counts and tallies do not change.
    #[serde(rename = "person.erased")]
    PersonErased { person: Uuid, request: Option<Uuid> },
    /// A submission held back from publication (decision 130): flagged by the check (`suggestion` is
    /// `risky` or `review`) or unchecked, the check being unavailable (`suggestion` none).
    #[serde(rename = "content.held")]
    ContentHeld { hold: Uuid, content_kind: String, suggestion: Option<String> },
    /// The check passed on a retry and the submission was published as `published`.
    #[serde(rename = "content.cleared")]
    ContentCleared { hold: Uuid, content_kind: String, published: Uuid },
    /// A moderator approved it and it was published as `published`.
    #[serde(rename = "content.approved")]
    ContentApproved { hold: Uuid, content_kind: String, published: Uuid },
    /// A moderator refused it. Text `reason`.
    #[serde(rename = "content.rejected")]
    ContentRejected { hold: Uuid, content_kind: String },
    /// Cleared, but its step no longer accepted it.
    #[serde(rename = "content.lapsed")]
    ContentLapsed { hold: Uuid, content_kind: String },
}

impl WireEvent {
    /// The wire code, as in the payload's `kind` and the row's column.
    pub fn kind(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
            .unwrap_or_default()
    }
}

/// A timeline step's wire form, and its texts (field name, body) that go to `event_texts`.
pub(crate) fn of_timeline(kind: &EventKind) -> (WireEvent, Vec<(&'static str, String)>) {
    let mut texts = Vec::new();
    let mut text = |field: &'static str, body: &str| texts.push((field, body.to_owned()));
    let event = match kind {
        EventKind::Submitted => WireEvent::TopicSubmitted { category: None },
        EventKind::CoSigned => WireEvent::TopicCoSigned,
        EventKind::Withdrawn => WireEvent::TopicWithdrawn,
        EventKind::Reclassified { from, to } => WireEvent::TopicReclassified { from: from.as_uuid(), to: to.as_uuid() },
        EventKind::Accepted { plan } => WireEvent::TopicAccepted { plan: WirePlan::of(plan) },
        EventKind::Merged { into } => WireEvent::TopicMerged { into: into.as_uuid() },
        EventKind::MergedIn { from } => WireEvent::TopicMergedIn { from: from.as_uuid() },
        EventKind::Routed { company } => WireEvent::TopicRouted { company: company.as_uuid() },
        EventKind::Rerouted { from, to } => WireEvent::TopicRerouted { from: from.as_uuid(), to: to.as_uuid() },
        EventKind::Rejected { reason } => {
            text("reason", reason.as_str());
            WireEvent::TopicRejected
        }
        EventKind::Escalated { from, to, reason } => {
            text("reason", reason.as_str());
            WireEvent::TopicEscalated { from: from.as_str().to_owned(), to: to.as_str().to_owned() }
        }
        EventKind::ServiceAcknowledged => WireEvent::TopicServiceAcknowledged,
        EventKind::ServiceDone { report } => {
            text("report", report.as_str());
            WireEvent::TopicServiceDone
        }
        EventKind::ServiceDisputed { reason } => {
            text("reason", reason.as_str());
            WireEvent::TopicServiceDisputed
        }
        EventKind::ServiceConfirmed { by_default } => WireEvent::TopicServiceConfirmed { by_default: *by_default },
        EventKind::PlanRevised { plan } => WireEvent::TopicPlanRevised { plan: WirePlan::of(plan) },
        EventKind::MinutesRecorded { meeting, version } => {
            WireEvent::TopicMinutesRecorded { meeting: meeting.as_uuid(), version: *version }
        }
        EventKind::MeetingScheduled { meeting } => WireEvent::TopicMeetingScheduled { meeting: meeting.as_uuid() },
        EventKind::VoteOpened { vote } => WireEvent::TopicVoteOpened { vote: vote.as_uuid() },
        EventKind::Resolved { resolution } => {
            text("decision", resolution.decision.as_str());
            text("minutes", resolution.minutes.as_str());
            WireEvent::TopicResolved {
                meeting: resolution.meeting.map(|m| m.as_uuid()),
                vote: resolution.vote.map(|v| v.as_uuid()),
            }
        }
        EventKind::Reconsidered { reason } => {
            text("reason", reason.as_str());
            WireEvent::TopicReconsidered
        }
        EventKind::Announced { text: body } => {
            text("text", body.as_str());
            WireEvent::TopicAnnounced
        }
        EventKind::ImplementationStarted { tasks } => {
            WireEvent::TopicImplementationStarted { tasks: tasks.iter().map(|t| t.as_uuid()).collect() }
        }
        EventKind::Completed => WireEvent::TopicCompleted,
        EventKind::TaskLetter { task, letter } => {
            WireEvent::TopicTaskLetter { task: task.as_uuid(), letter: letter.as_str().to_owned() }
        }
        EventKind::TaskAccepted { task } => WireEvent::TopicTaskAccepted { task: task.as_uuid() },
        EventKind::Published { summary } => {
            text("summary", summary.as_str());
            WireEvent::TopicPublished
        }
        EventKind::RatingOpened { closes_at } => WireEvent::TopicRatingOpened { closes_at: *closes_at },
        EventKind::Closed => WireEvent::TopicClosed,
        EventKind::ReopenRequested { reason } => {
            text("reason", reason.as_str());
            WireEvent::TopicReopenRequested
        }
        EventKind::ReopenDeclined { requested_by, reason } => {
            text("reason", reason.as_str());
            WireEvent::TopicReopenDeclined { requested_by: requested_by.as_uuid() }
        }
        EventKind::Reopened { requested_by, reason } => {
            text("reason", reason.as_str());
            WireEvent::TopicReopened { requested_by: requested_by.as_uuid() }
        }
        EventKind::StaffNote { text: body } => {
            text("text", body.as_str());
            WireEvent::TopicStaffNote
        }
    };
    (event, texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_camel_case_with_its_code_and_no_text() {
        let payload = Payload {
            event: WireEvent::TopicReopenDeclined { requested_by: Uuid::nil() },
            texts: vec!["reason".into()],
            due: None,
        };
        let json = serde_json::to_value(&payload).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"kind": "topic.reopen_declined", "requestedBy": Uuid::nil(), "texts": ["reason"]})
        );
        assert_eq!(serde_json::from_value::<Payload>(json).expect("reads back"), payload);
        assert_eq!(WireEvent::TopicCoSigned.kind(), "topic.co_signed");
    }
}
