//! The viewer's own facts, keyed (viewer, id) or by the viewer: did I co-sign, my rating, my ballot, my
//! roles, my claims. A loader never answers for anyone but the person named in its key, and answers every
//! key (a "no" too), so that a remembered page needs no second statement for the rows without one.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use gongzhi_domain::claim::HouseholdClaim;
use gongzhi_domain::ids::{PersonId, TopicId, VoteId};
use gongzhi_domain::vote::Choice;
use gongzhi_infra::Store;
use gongzhi_infra::roles::RoleGrant;

use super::{LoadError, failed};

/// Whether the viewer co-signed a topic, keyed (viewer, topic).
pub struct CoSignatureLoader(pub Store);
/// The viewer's rating of a topic, if any, keyed (viewer, topic).
pub struct RatingLoader(pub Store);
/// The viewer's current ballot in a vote, if any, keyed (viewer, vote).
pub struct BallotLoader(pub Store);
/// A person's live role grants, oldest first. `Person.roles` shows them to that person only.
pub struct GrantsLoader(pub Store);
/// A person's household claims, newest first. `Person.claims` shows them to that person only.
pub struct ClaimsLoader(pub Store);

/// Splits (viewer, id) keys by viewer. Within one request there is one viewer, so this is one batch.
fn by_viewer<K: Copy>(keys: &[(PersonId, K)]) -> HashMap<PersonId, Vec<K>> {
    let mut groups: HashMap<PersonId, Vec<K>> = HashMap::new();
    for (viewer, id) in keys {
        groups.entry(*viewer).or_default().push(*id);
    }
    groups
}

impl Loader<(PersonId, TopicId)> for CoSignatureLoader {
    type Value = bool;
    type Error = LoadError;

    async fn load(&self, keys: &[(PersonId, TopicId)]) -> Result<HashMap<(PersonId, TopicId), bool>, LoadError> {
        let mut found = HashMap::new();
        for (viewer, topics) in by_viewer(keys) {
            let signed = self.0.co_signed_among(viewer, &topics).await.map_err(failed)?;
            found.extend(topics.into_iter().map(|topic| ((viewer, topic), signed.contains(&topic))));
        }
        Ok(found)
    }
}

impl Loader<(PersonId, TopicId)> for RatingLoader {
    type Value = Option<i16>;
    type Error = LoadError;

    async fn load(&self, keys: &[(PersonId, TopicId)]) -> Result<HashMap<(PersonId, TopicId), Option<i16>>, LoadError> {
        let mut found = HashMap::new();
        for (viewer, topics) in by_viewer(keys) {
            let ratings = self.0.ratings_among(viewer, &topics).await.map_err(failed)?;
            found.extend(topics.into_iter().map(|topic| ((viewer, topic), ratings.get(&topic).copied())));
        }
        Ok(found)
    }
}

impl Loader<(PersonId, VoteId)> for BallotLoader {
    type Value = Option<Choice>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, VoteId)],
    ) -> Result<HashMap<(PersonId, VoteId), Option<Choice>>, LoadError> {
        let mut found = HashMap::new();
        for (viewer, votes) in by_viewer(keys) {
            let ballots = self.0.ballots_among(viewer, &votes).await.map_err(failed)?;
            found.extend(votes.into_iter().map(|vote| ((viewer, vote), ballots.get(&vote).copied())));
        }
        Ok(found)
    }
}

impl Loader<PersonId> for GrantsLoader {
    type Value = Vec<RoleGrant>;
    type Error = LoadError;

    async fn load(&self, keys: &[PersonId]) -> Result<HashMap<PersonId, Vec<RoleGrant>>, LoadError> {
        self.0.grants_of_people(keys).await.map_err(failed)
    }
}

impl Loader<PersonId> for ClaimsLoader {
    type Value = Vec<HouseholdClaim>;
    type Error = LoadError;

    async fn load(&self, keys: &[PersonId]) -> Result<HashMap<PersonId, Vec<HouseholdClaim>>, LoadError> {
        self.0.claims_of_people(keys).await.map_err(failed)
    }
}
