//! DataLoaders batch the lookups a page of results makes, one statement per relation instead of one per
//! row. Each request has its own (`attach`), made on first use, so nothing is cached beyond the request.
//! Personal facts (did I co-sign, my rating, my ballot) are keyed by (viewer, id) besides, and a topic's
//! details by the viewer's standing towards it: a loader never answers for anyone but the person named in
//! its key.
//!
//! Every relation a GraphQL type resolves per object goes through one of these; `preload` fills them for a
//! whole list before its rows resolve.

mod personal;
mod place_relations;
mod records;
mod topic_details;

use std::sync::{Arc, OnceLock};

use async_graphql::Request;
use async_graphql::dataloader::{DataLoader, HashMapCache};
use gongzhi_infra::Store;

pub use personal::{BallotLoader, ClaimsLoader, CoSignatureLoader, GrantsLoader, RatingLoader};
pub use place_relations::{FirstChildrenLoader, GridBuildingsLoader, GridsLoader, MembersLoader, OfficeHoldersLoader};
pub use records::{
    BallotTotalsLoader, CategoryLoader, CompanyLoader, PersonLoader, PlaceContextLoader, PlaceLoader,
    TopicRecordLoader, VoteResultLoader,
};
pub use topic_details::{
    FirstThreadsLoader, MeetingsLoader, MinutesLoader, ProgressLoader, RatingSummaryLoader, ReportsLoader,
    RequestsLoader, TasksLoader, TimelineLoader, VotesLoader,
};

use crate::error::ApiError;

/// The request's loaders: each remembers what it loaded when `remember` (queries), so a list resolver may
/// load a whole page's relations up front (`preload`) and the rows then find them loaded.
pub type Loaded<L> = DataLoader<L, HashMapCache>;

/// A loader over the store, one per request, made when first asked for (most requests use a few).
pub trait RequestLoader: Sized + Send + Sync + 'static {
    fn over(store: Store) -> Self;
    fn slot(loaders: &Loaders) -> &OnceLock<Loaded<Self>>;
}

macro_rules! request_loaders {
    ($($field:ident: $loader:ident,)*) => {
        /// A request's loaders over its store. Mutations' remember nothing, so a row read after a change is
        /// read afresh.
        pub struct Loaders {
            store: Store,
            remember: bool,
            $($field: OnceLock<Loaded<$loader>>,)*
        }

        impl Loaders {
            fn new(store: Store, remember: bool) -> Self {
                Self { store, remember, $($field: OnceLock::new(),)* }
            }
        }

        $(impl RequestLoader for $loader {
            fn over(store: Store) -> Self {
                Self(store)
            }

            fn slot(loaders: &Loaders) -> &OnceLock<Loaded<Self>> {
                &loaders.$field
            }
        })*
    };
}

request_loaders! {
    places: PlaceLoader,
    people: PersonLoader,
    place_contexts: PlaceContextLoader,
    categories: CategoryLoader,
    companies: CompanyLoader,
    vote_results: VoteResultLoader,
    ballot_totals: BallotTotalsLoader,
    topic_records: TopicRecordLoader,
    co_signatures: CoSignatureLoader,
    ratings: RatingLoader,
    ballots: BallotLoader,
    grants: GrantsLoader,
    claims: ClaimsLoader,
    tasks: TasksLoader,
    votes: VotesLoader,
    meetings: MeetingsLoader,
    timelines: TimelineLoader,
    requests: RequestsLoader,
    rating_summaries: RatingSummaryLoader,
    minutes: MinutesLoader,
    reports: ReportsLoader,
    first_threads: FirstThreadsLoader,
    first_children: FirstChildrenLoader,
    members: MembersLoader,
    office_holders: OfficeHoldersLoader,
    grids: GridsLoader,
    grid_buildings: GridBuildingsLoader,
    progress: ProgressLoader,
}

impl Loaders {
    /// This request's loader of kind `L`.
    pub fn get<L: RequestLoader>(&self) -> &Loaded<L> {
        L::slot(self).get_or_init(|| {
            let loader = DataLoader::with_cache(L::over(self.store.clone()), tokio::spawn, HashMapCache::default());
            loader.enable_all_cache(self.remember);
            loader
        })
    }

    /// Whether this request's loaders remember what they load (queries) or not (mutations). Loading ahead
    /// is only worth it when they do: otherwise the rows would read everything a second time.
    pub fn remember(&self) -> bool {
        self.remember
    }
}

/// Gives a GraphQL request its own set of loaders over the request's store.
pub fn attach(request: Request, store: &Store, remember: bool) -> Request {
    request.data(Loaders::new(store.clone(), remember))
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
