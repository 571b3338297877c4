//! Records by id: places, people, place contexts, categories, property companies, vote results, ballots' totals and topics.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use gongzhi_domain::ids::{CategoryId, CompanyId, PersonId, PlaceId, TopicId, VoteId};
use gongzhi_domain::place::PlaceContext;
use gongzhi_domain::topic::Category;
use gongzhi_infra::Store;
use gongzhi_infra::companies::Company;
use gongzhi_infra::people::Person;
use gongzhi_infra::places::Place;
use gongzhi_infra::topics::TopicRecord;
use gongzhi_infra::vote_turnout::BallotTotals;
use gongzhi_infra::votes::VoteResult;

use super::{LoadError, failed};

pub struct PlaceLoader(pub Store);
pub struct PersonLoader(pub Store);
/// The policy's view of a place (ancestry and compound facts), for checks made per row.
pub struct PlaceContextLoader(pub Store);
pub struct CategoryLoader(pub Store);
pub struct CompanyLoader(pub Store);
/// A vote's result, `None` while its results are hidden.
pub struct VoteResultLoader(pub Store);
/// A vote's ballots' totals, for its turnout: one statement for a page of votes (decision 162).
pub struct BallotTotalsLoader(pub Store);
/// Topics as rows, for a meeting's topic: whoever shows one decides the viewer's standing first.
pub struct TopicRecordLoader(pub Store);

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

impl Loader<VoteId> for VoteResultLoader {
    type Value = Option<VoteResult>;
    type Error = LoadError;

    async fn load(&self, keys: &[VoteId]) -> Result<HashMap<VoteId, Option<VoteResult>>, LoadError> {
        let mut results = self.0.vote_results(keys).await.map_err(failed)?;
        Ok(keys.iter().map(|id| (*id, results.remove(id))).collect())
    }
}

impl Loader<VoteId> for BallotTotalsLoader {
    type Value = BallotTotals;
    type Error = LoadError;

    async fn load(&self, keys: &[VoteId]) -> Result<HashMap<VoteId, BallotTotals>, LoadError> {
        self.0.ballot_totals(keys).await.map_err(failed)
    }
}

impl Loader<TopicId> for TopicRecordLoader {
    type Value = TopicRecord;
    type Error = LoadError;

    async fn load(&self, keys: &[TopicId]) -> Result<HashMap<TopicId, TopicRecord>, LoadError> {
        self.0.topic_records(keys).await.map_err(failed)
    }
}
