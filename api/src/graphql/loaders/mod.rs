//! DataLoaders batch the lookups a page of results makes, one statement per relation instead of one per
//! row. They are created per request (`attach`), so nothing is cached beyond the request. Personal facts
//! (did I co-sign, my rating, my ballot) are keyed by (viewer, id) besides, and a topic's details by the
//! viewer's standing towards it: a loader never answers for anyone but the person named in its key.
//!
//! Every relation a GraphQL type resolves per object goes through one of these; `preload` fills them for a
//! whole list before its rows resolve.

mod personal;
mod place_relations;
mod records;
mod topic_details;

use std::sync::Arc;

use async_graphql::Request;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use gongzhi_infra::Store;

pub use personal::{BallotLoader, ClaimsLoader, CoSignatureLoader, GrantsLoader, RatingLoader};
pub use place_relations::{FirstChildrenLoader, GridBuildingsLoader, GridsLoader, MembersLoader, OfficeHoldersLoader};
pub use records::{
    CategoryLoader, CompanyLoader, PersonLoader, PlaceContextLoader, PlaceLoader, TopicRecordLoader, VoteResultLoader,
};
pub use topic_details::{
    FirstThreadsLoader, MeetingsLoader, MinutesLoader, RatingSummaryLoader, ReportsLoader, RequestsLoader, TasksLoader,
    TimelineLoader, VotesLoader,
};

use crate::error::ApiError;

/// The request's loaders: each remembers what it loaded when `remember` (queries), so a list resolver may
/// load a whole page's relations up front (`preload`) and the rows then find them loaded.
pub type Loaded<L> = DataLoader<L, HashMapCache>;

/// Whether this request's loaders remember what they load (queries) or not (mutations). Loading ahead is
/// only worth it when they do: otherwise the rows would read everything a second time.
#[derive(Clone, Copy)]
pub struct Remembering(pub bool);

/// Gives a GraphQL request its own set of loaders over the request's store. Mutations get loaders that
/// remember nothing, so a row read after a change is read afresh.
pub fn attach(request: Request, store: &Store, remember: bool) -> Request {
    fn loader<L: Send + Sync + 'static>(loader: L, remember: bool) -> Loaded<L> {
        let loader = DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default());
        loader.enable_all_cache(remember);
        loader
    }
    let store = || store.clone();
    request
        .data(Remembering(remember))
        .data(loader(PlaceLoader(store()), remember))
        .data(loader(PersonLoader(store()), remember))
        .data(loader(PlaceContextLoader(store()), remember))
        .data(loader(CategoryLoader(store()), remember))
        .data(loader(CompanyLoader(store()), remember))
        .data(loader(VoteResultLoader(store()), remember))
        .data(loader(TopicRecordLoader(store()), remember))
        .data(loader(CoSignatureLoader(store()), remember))
        .data(loader(RatingLoader(store()), remember))
        .data(loader(BallotLoader(store()), remember))
        .data(loader(GrantsLoader(store()), remember))
        .data(loader(ClaimsLoader(store()), remember))
        .data(loader(TasksLoader(store()), remember))
        .data(loader(VotesLoader(store()), remember))
        .data(loader(MeetingsLoader(store()), remember))
        .data(loader(TimelineLoader(store()), remember))
        .data(loader(RequestsLoader(store()), remember))
        .data(loader(RatingSummaryLoader(store()), remember))
        .data(loader(MinutesLoader(store()), remember))
        .data(loader(ReportsLoader(store()), remember))
        .data(loader(FirstThreadsLoader(store()), remember))
        .data(loader(FirstChildrenLoader(store()), remember))
        .data(loader(MembersLoader(store()), remember))
        .data(loader(OfficeHoldersLoader(store()), remember))
        .data(loader(GridsLoader(store()), remember))
        .data(loader(GridBuildingsLoader(store()), remember))
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
