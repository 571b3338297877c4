//! Queries, one file per area, joined with `MergedObject`.

mod accountability;
mod content;
mod disclosures;
mod mandates;
mod me;
mod node;
mod notifications;
mod partners;
mod person_merges;
mod places;
mod privacy;
mod server_time;
mod statistics;
mod topics;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Query(
    me::MeQuery,
    node::NodeQuery,
    places::PlacesQuery,
    topics::TopicQuery,
    notifications::NotificationQuery,
    partners::PartnerQuery,
    server_time::ServerTimeQuery,
    mandates::MandateQuery,
    person_merges::PersonMergeQuery,
    disclosures::DisclosureQuery,
    accountability::AccountabilityQuery,
    privacy::PrivacyQuery,
    statistics::StatisticsQuery,
    content::ContentQuery,
);
