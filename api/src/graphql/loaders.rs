//! DataLoaders batch the lookups a page of results makes, one query per relation instead of one per row.
//! They are created per request (`attach`), so nothing is cached beyond the request. Personal facts (did
//! I co-sign, my rating, my ballot) are keyed by (viewer, id) besides: a loader never answers for anyone
//! but the person named in its key.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Request;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use gongzhi_domain::ids::{CategoryId, CompanyId, PersonId, PlaceId, TopicId, VoteId};
use gongzhi_domain::place::PlaceContext;
use gongzhi_domain::topic::Category;
use gongzhi_domain::vote::Choice;
use gongzhi_infra::Store;
use gongzhi_infra::companies::Company;
use gongzhi_infra::people::Person;
use gongzhi_infra::places::Place;
use gongzhi_infra::votes::VoteResult;

use crate::error::ApiError;

pub struct PlaceLoader(pub Store);
pub struct PersonLoader(pub Store);
/// The policy's view of a place (ancestry and compound facts), for checks made per row.
pub struct PlaceContextLoader(pub Store);
pub struct CategoryLoader(pub Store);
pub struct CompanyLoader(pub Store);
/// Whether the viewer co-signed a topic, keyed (viewer, topic). Personal loaders answer every key (a
/// "no" too), so that a remembered page needs no second statement for the rows without one.
pub struct CoSignatureLoader(pub Store);
/// The viewer's rating of a topic, if any, keyed (viewer, topic).
pub struct RatingLoader(pub Store);
/// The viewer's current ballot in a vote, if any, keyed (viewer, vote).
pub struct BallotLoader(pub Store);
/// A vote's result, `None` while its results are hidden.
pub struct VoteResultLoader(pub Store);

/// The request's loaders: each remembers what it loaded when `remember` (queries), so a list resolver may
/// load a whole page's relations up front (`types::topic::preload`) and the rows then find them loaded.
pub type Loaded<L> = DataLoader<L, HashMapCache>;

/// Gives a GraphQL request its own set of loaders over the request's store. Mutations get loaders that
/// remember nothing, so a row read after a change is read afresh.
pub fn attach(request: Request, store: &Store, remember: bool) -> Request {
    fn loader<L: Send + Sync + 'static>(loader: L, remember: bool) -> Loaded<L> {
        let loader = DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default());
        loader.enable_all_cache(remember);
        loader
    }
    request
        .data(loader(PlaceLoader(store.clone()), remember))
        .data(loader(PersonLoader(store.clone()), remember))
        .data(loader(PlaceContextLoader(store.clone()), remember))
        .data(loader(CategoryLoader(store.clone()), remember))
        .data(loader(CompanyLoader(store.clone()), remember))
        .data(loader(CoSignatureLoader(store.clone()), remember))
        .data(loader(RatingLoader(store.clone()), remember))
        .data(loader(BallotLoader(store.clone()), remember))
        .data(loader(VoteResultLoader(store.clone()), remember))
}

/// Loader errors must be cloneable; the coded error is rebuilt from this.
#[derive(Clone)]
pub struct LoadError(pub Arc<ApiError>);

fn failed(err: gongzhi_infra::Error) -> LoadError {
    LoadError(Arc::new(err.into()))
}

impl From<LoadError> for ApiError {
    fn from(err: LoadError) -> Self {
        (*err.0).clone()
    }
}

impl Loader<PlaceId> for PlaceLoader {
    type Value = Place;
    type Error = LoadError;

    async fn load(&self, keys: &[PlaceId]) -> Result<HashMap<PlaceId, Place>, LoadError> {
        let places = self.0.places(keys).await.map_err(failed)?;
        Ok(places.into_iter().map(|p| (p.id(), p)).collect())
    }
}

impl Loader<PersonId> for PersonLoader {
    type Value = Person;
    type Error = LoadError;

    async fn load(&self, keys: &[PersonId]) -> Result<HashMap<PersonId, Person>, LoadError> {
        let people = self.0.people(keys).await.map_err(failed)?;
        Ok(people.into_iter().map(|p| (p.id, p)).collect())
    }
}

impl Loader<PlaceId> for PlaceContextLoader {
    type Value = PlaceContext;
    type Error = LoadError;

    async fn load(&self, keys: &[PlaceId]) -> Result<HashMap<PlaceId, PlaceContext>, LoadError> {
        self.0.place_contexts(keys).await.map_err(failed)
    }
}

impl Loader<CategoryId> for CategoryLoader {
    type Value = Category;
    type Error = LoadError;

    async fn load(&self, keys: &[CategoryId]) -> Result<HashMap<CategoryId, Category>, LoadError> {
        self.0.categories(keys).await.map_err(failed)
    }
}

impl Loader<CompanyId> for CompanyLoader {
    type Value = Company;
    type Error = LoadError;

    async fn load(&self, keys: &[CompanyId]) -> Result<HashMap<CompanyId, Company>, LoadError> {
        self.0.companies_by_id(keys).await.map_err(failed)
    }
}

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

impl Loader<VoteId> for VoteResultLoader {
    type Value = Option<VoteResult>;
    type Error = LoadError;

    async fn load(&self, keys: &[VoteId]) -> Result<HashMap<VoteId, Option<VoteResult>>, LoadError> {
        let mut results = self.0.vote_results(keys).await.map_err(failed)?;
        Ok(keys.iter().map(|id| (*id, results.remove(id))).collect())
    }
}
