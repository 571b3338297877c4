//! Mutations, one file per area, joined with `MergedObject`.

mod accountability;
mod auth;
mod catalogue;
mod claims;
mod content;
mod demo_clock;
mod developers;
mod disclosures;
mod erasure;
mod grids;
mod implementation;
mod mandates;
mod meetings;
mod notifications;
mod opinions;
mod partners;
mod person_merges;
mod places;
mod privacy;
mod rectification;
mod roles;
mod topics;
mod uploads;
mod vote_secrecy;
pub(crate) mod votes;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    places::PlaceMutation,
    roles::RoleMutation,
    claims::ClaimMutation,
    grids::GridMutation,
    catalogue::CatalogueMutation,
    topics::TopicMutation,
    topics::DeliberationMutation,
    votes::VoteMutation,
    mandates::MandateMutation,
    vote_secrecy::VoteSecrecyMutation,
    developers::DeveloperMutation,
    person_merges::PersonMergeMutation,
    implementation::ImplementationMutation,
    meetings::MeetingMutation,
    opinions::OpinionMutation,
    uploads::UploadMutation,
    notifications::NotificationMutation,
    partners::PartnerMutation,
    demo_clock::DemoClockMutation,
    disclosures::DisclosureMutation,
    accountability::AccountabilityMutation,
    rectification::RectificationMutation,
    privacy::PrivacyMutation,
    content::ContentMutation,
    erasure::ErasureMutation,
);
