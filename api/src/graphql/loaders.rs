//! DataLoaders batch the lookups a page of results makes, one query per relation instead of one per row.
//! They are created per request, so nothing one person may see is cached for another.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use gongzhi_domain::ids::{PersonId, PlaceId};
use gongzhi_infra::Store;
use gongzhi_infra::people::Person;
use gongzhi_infra::places::Place;

use crate::error::ApiError;

pub struct PlaceLoader(pub Store);
pub struct PersonLoader(pub Store);

/// Loader errors must be cloneable; the coded error is rebuilt from this.
#[derive(Clone)]
pub struct LoadError(pub Arc<ApiError>);

impl Loader<PlaceId> for PlaceLoader {
    type Value = Place;
    type Error = LoadError;

    async fn load(&self, keys: &[PlaceId]) -> Result<HashMap<PlaceId, Place>, LoadError> {
        let places = self.0.places(keys).await.map_err(|e| LoadError(Arc::new(e.into())))?;
        Ok(places.into_iter().map(|p| (p.id(), p)).collect())
    }
}

impl Loader<PersonId> for PersonLoader {
    type Value = Person;
    type Error = LoadError;

    async fn load(&self, keys: &[PersonId]) -> Result<HashMap<PersonId, Person>, LoadError> {
        let people = self.0.people(keys).await.map_err(|e| LoadError(Arc::new(e.into())))?;
        Ok(people.into_iter().map(|p| (p.id, p)).collect())
    }
}

impl From<LoadError> for ApiError {
    fn from(err: LoadError) -> Self {
        (*err.0).clone()
    }
}
