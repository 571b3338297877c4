//! The two ways the rules say no: the input is not acceptable ([`Invalid`]), or the person may not do it
//! ([`Denied`]). Both are data; the API turns them into coded, translated GraphQL errors.

use thiserror::Error;

/// Why an input was refused. Variants name the rule broken, not the wording: the API layer words them
/// in the request's language.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Invalid {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} contains control characters")]
    ControlCharacters { field: &'static str },
    /// A directional override, embedding or isolate, which would make the text read as something else.
    #[error("{field} contains characters that change the direction of the text")]
    DirectionControls { field: &'static str },
    #[error("floor area {given:?} is not a positive number of square metres with at most two decimals")]
    FloorArea { given: String },
    #[error("floor area {given:?} is implausibly large")]
    FloorAreaTooLarge { given: String },
    #[error("phone number {given:?} is not an 11-digit mainland mobile number")]
    Phone { given: String },
    #[error("a {child} cannot be placed under a {parent}")]
    PlaceParent { child: &'static str, parent: &'static str },
    #[error("role {role} is granted on a {expected}, not on a {given}")]
    RoleScope { role: &'static str, expected: &'static str, given: &'static str },
    #[error("the compound has no property company under contract")]
    NoPropertyCompany,
    #[error("owners' committee seats must be between {min} and {max}")]
    CommitteeSeats { min: u16, max: u16 },
    #[error("the owners' committee of this compound has not been filed")]
    NoOwnersCommittee,
    #[error("all {seats} seats of the owners' committee are taken")]
    CommitteeFull { seats: u16 },
    #[error("{seats} seats are fewer than the {filled} members in office")]
    SeatsBelowMembers { seats: u16, filled: u16 },
    #[error("floor area is only recorded on households")]
    AreaOnlyOnHouseholds,
    #[error("a household needs its exclusive floor area")]
    AreaRequired,
    #[error("a {expected} was expected here, not a {given}")]
    WrongPlaceKind { expected: &'static str, given: &'static str },
    #[error("this role grant has already been revoked")]
    AlreadyRevoked,
    #[error("the claim is {state}, not pending")]
    ClaimNotPending { state: &'static str },
    #[error("a refusal needs a reason")]
    ReasonRequired,
    #[error("{field} {given:?} is not a known value")]
    UnknownValue { field: &'static str, given: String },
    #[error("webhook address {given:?} must be an https:// URL without a user name or password")]
    WebhookUrl { given: String },
    /// The endpoint's host is, or resolves to, an address the server must not post to (decision 71).
    #[error("webhook address {given:?} reaches a {} address, which is refused", class.code())]
    WebhookTarget { given: String, class: crate::notify::TargetClass },
    #[error("a rate budget must be between {min} and {max} points")]
    RateBudget { min: u64, max: u64 },
    #[error("the old secret must stay valid until a time after now and at most {max_days} days later")]
    SecretOverlap { max_days: i64 },
    #[error("start_date must not be after end_date, and the two at most {max_days} days apart")]
    RequestWindow { max_days: i64 },
    /// A statistics query's `from` after its `to`, or spanning more periods than allowed (decision 152).
    #[error("from must not be after to, and the two at most {max} {period}s apart")]
    StatisticsWindow { period: &'static str, max: u32 },
    /// An explanation is owed to a resident who rated the topic 1 or 2, not to one satisfied or yet to rate.
    #[error("only a resident who rated the topic 1 or 2 is owed an explanation")]
    NotDissatisfied,
}

/// A refusal by the authorization policy. `Hidden` means the person must not learn that the record
/// exists at all, so the API answers as if it did not. `Requires` is `Forbidden` with the roles that
/// would permit the action where it was asked (`policy::require`), so the refusal can say what is missing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Denied {
    #[error("not permitted")]
    Forbidden,
    #[error("not found")]
    Hidden,
    #[error("not permitted without one of {} roles", .0.len())]
    Requires(Vec<crate::policy::NeededRole>),
    /// A step for those invited to it (a meeting vote's ballot): no role permits it, an invitation does.
    #[error("only those invited may do this")]
    NotInvited,
}

/// The request clashes with what is already recorded. Retrying the same request will not help.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Conflict {
    #[error("a sibling place already has this name")]
    SiblingName,
    #[error("the person already holds this role here")]
    LiveGrant,
    #[error("the person already has a pending claim on this household")]
    PendingClaim,
    #[error("the person already holds this relation to the household")]
    AlreadyHeld,
    #[error("a grid of this name already exists in the community")]
    GridName,
    #[error("a company with this credit code is already registered")]
    CreditCode,
    #[error("the building lies in another community than the grid")]
    GridCommunity,
    #[error("this idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("the topic changed while this request was being decided; reload it and try again")]
    TopicChanged,
    #[error("the person already co-signed this topic")]
    AlreadyCoSigned,
    #[error("a category with this code is already in the catalogue")]
    CategoryCode,
    #[error("the owner voted in person; a proxy or paper ballot cannot replace that ballot")]
    OwnerVotedInPerson,
    #[error("only a dead letter can be replayed; this message is {status}")]
    NotDeadLetter { status: &'static str },
    #[error("the API partner is disabled")]
    PartnerDisabled,
    #[error("the API partner changed while this request was being decided; reload it and try again")]
    PartnerChanged,
    #[error("the API partner is not disabled")]
    PartnerActive,
    #[error("the request was already {status}")]
    RequestDecided { status: String },
}
