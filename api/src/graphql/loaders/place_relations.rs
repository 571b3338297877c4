//! A place's relations: the first page of its children, a household's members and a place's office holders
//! (keyed by what the policy allowed, see `gongzhi_infra::place_relations`), a community's grids and a
//! grid's buildings.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use gongzhi_domain::ids::{GridId, PlaceId};
use gongzhi_infra::Store;
use gongzhi_infra::grids::Grid;
use gongzhi_infra::place_relations::{Offices, Register};
use gongzhi_infra::places::Place;
use gongzhi_infra::roles::RoleGrant;

use super::{LoadError, failed};

/// The first page of a place's children, keyed (place, rows to read): `limit + 1`, so the page knows
/// whether another follows. Later pages (`after` a cursor) continue one place's list and are read alone.
pub struct FirstChildrenLoader(pub Store);
pub struct MembersLoader(pub Store);
pub struct OfficeHoldersLoader(pub Store);
pub struct GridsLoader(pub Store);
pub struct GridBuildingsLoader(pub Store);

impl Loader<(PlaceId, u64)> for FirstChildrenLoader {
    type Value = Vec<Place>;
    type Error = LoadError;

    async fn load(&self, keys: &[(PlaceId, u64)]) -> Result<HashMap<(PlaceId, u64), Vec<Place>>, LoadError> {
        // Pages of one size are one statement; a request asks for one or two sizes.
        let mut sizes: HashMap<u64, Vec<PlaceId>> = HashMap::new();
        for (place, rows) in keys {
            sizes.entry(*rows).or_default().push(*place);
        }
        let mut pages = HashMap::new();
        for (rows, places) in sizes {
            let found = self.0.first_children(&places, rows).await.map_err(failed)?;
            pages.extend(found.into_iter().map(|(place, children)| ((place, rows), children)));
        }
        Ok(pages)
    }
}

impl Loader<Register> for MembersLoader {
    type Value = Vec<RoleGrant>;
    type Error = LoadError;

    async fn load(&self, keys: &[Register]) -> Result<HashMap<Register, Vec<RoleGrant>>, LoadError> {
        self.0.members_among(keys).await.map_err(failed)
    }
}

impl Loader<Offices> for OfficeHoldersLoader {
    type Value = Vec<RoleGrant>;
    type Error = LoadError;

    async fn load(&self, keys: &[Offices]) -> Result<HashMap<Offices, Vec<RoleGrant>>, LoadError> {
        self.0.office_holders_among(keys).await.map_err(failed)
    }
}

impl Loader<PlaceId> for GridsLoader {
    type Value = Vec<Grid>;
    type Error = LoadError;

    async fn load(&self, keys: &[PlaceId]) -> Result<HashMap<PlaceId, Vec<Grid>>, LoadError> {
        self.0.grids_of(keys).await.map_err(failed)
    }
}

impl Loader<GridId> for GridBuildingsLoader {
    type Value = Vec<Place>;
    type Error = LoadError;

    async fn load(&self, keys: &[GridId]) -> Result<HashMap<GridId, Vec<Place>>, LoadError> {
        self.0.buildings_of(keys).await.map_err(failed)
    }
}
