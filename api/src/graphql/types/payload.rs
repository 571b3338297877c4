//! The payloads of mutations that may be refused for a business reason: `ok`, the `refusal` when not, and
//! the record acted on when done. Which refusals are answers rather than errors: `crate::refusals`.

use async_graphql::Context;

use super::category::Category;
use super::claim::HouseholdClaim;
use super::company::PropertyCompany;
use super::grid::Grid;
use super::notification::OutboxMessage;
use super::partner::PartnerCredentials;
use super::place::Place;
use super::role_grant::RoleGrant;
use super::task::{Task, TopicRequest};
use super::topic::Refusal;
use super::vote::Vote;
use crate::error::ApiError;
use crate::graphql::context::CtxExt;

/// A payload made from a use case's result.
pub trait Payload: Sized {
    type Value;
    fn done(value: Self::Value) -> Self;
    fn refused(refusal: Refusal) -> Self;
}

/// Done, refused for a business reason (`ok: false`), or a GraphQL error for everything else.
pub fn answer<P: Payload, T>(
    ctx: &Context<'_>,
    result: gongzhi_infra::Result<T>,
    wrap: impl FnOnce(T) -> P::Value,
) -> async_graphql::Result<P> {
    match result {
        Ok(value) => Ok(P::done(wrap(value))),
        Err(err) => match crate::refusals::refusal_of(&err, ctx.request()?.lang) {
            Some(refusal) => {
                ctx.request()?.note_refusal();
                Ok(P::refused(refusal))
            }
            None => Err(ApiError::from(err).into_graphql()),
        },
    }
}

macro_rules! payload {
    ($(#[$doc:meta])* $name:ident { $field:ident: $ty:ty }) => {
        $(#[$doc])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            pub ok: bool,
            /// Why nothing was done, when `ok` is false.
            pub refusal: Option<Refusal>,
            /// As it stands after the step; `null` when refused.
            pub $field: Option<$ty>,
        }

        impl Payload for $name {
            type Value = $ty;

            fn done(value: $ty) -> Self {
                Self { ok: true, refusal: None, $field: Some(value) }
            }

            fn refused(refusal: Refusal) -> Self {
                Self { ok: false, refusal: Some(refusal), $field: None }
            }
        }
    };
}

payload!(
    /// `openVote`: refused with `wrong_stage` when the topic is not deliberating.
    OpenVotePayload { vote: Vote }
);
payload!(
    /// Task steps: refused with `wrong_state` (done, accepted, or still open) or `letter_already_sent`.
    TaskPayload { task: Task }
);
/// Explanation and reopening requests: refused with `wrong_stage` when the topic is not where the
/// request belongs.
#[derive(async_graphql::SimpleObject)]
pub struct TopicRequestPayload {
    pub ok: bool,
    /// Why nothing was done, when `ok` is false.
    pub refusal: Option<Refusal>,
    /// As it stands after the step; `null` when refused.
    pub request: Option<TopicRequest>,
    /// Set when the content check held an explanation back (decision 135): pending, seen by its author
    /// and the residents' committee only; `request` stays unanswered until it is published.
    pub held: Option<super::content_hold::ContentHold>,
}

impl Payload for TopicRequestPayload {
    type Value = TopicRequest;

    fn done(value: TopicRequest) -> Self {
        Self { ok: true, refusal: None, request: Some(value), held: None }
    }

    fn refused(refusal: Refusal) -> Self {
        Self { ok: false, refusal: Some(refusal), request: None, held: None }
    }
}
payload!(
    /// Household claims: refused with `claim_pending`, `already_registered` or `claim_decided`.
    ClaimPayload { claim: HouseholdClaim }
);
payload!(
    /// Role grants: refused with `role_already_held`, `already_revoked`, `committee_full`,
    /// `no_owners_committee` or `no_property_company`.
    RoleGrantPayload { grant: RoleGrant }
);
payload!(
    /// Places: refused with `name_taken` or `seats_below_members`.
    PlacePayload { place: Place }
);
payload!(
    /// The property-company registry: refused with `credit_code_taken`.
    PropertyCompanyPayload { company: PropertyCompany }
);
payload!(
    /// Grids: refused with `name_taken` or `building_elsewhere`.
    GridPayload { grid: Grid }
);
payload!(
    /// The deliberation catalogue: refused with `category_code_taken`.
    CategoryPayload { category: Category }
);
payload!(
    /// Replaying a message: refused with `not_dead_letter`.
    ReplayPayload { message: OutboxMessage }
);
payload!(
    /// A partner's new secret: refused with `partner_disabled` (rotating) or `partner_active` (enabling).
    PartnerSecretPayload { credentials: PartnerCredentials }
);
