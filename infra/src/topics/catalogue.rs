//! Each community's deliberation catalogue (协商共治事项目录), edited by its staff. Entries are retired,
//! never deleted, since topics point at them.

use std::collections::BTreeSet;

use gongzhi_domain::Conflict;
use gongzhi_domain::ids::{CategoryId, PlaceId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::topic::{Category, CategoryCode, CategoryName, STANDARD_CATALOGUE};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder};
use tracing::instrument;

use crate::cache::category_version;
use crate::entities::category;
use crate::error::on_unique;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::{context_of, find_row};
use crate::rows::{ancestry_of, corrupt};
use crate::{Error, Result, Store, new_id};

/// A catalogue entry as written by staff.
#[derive(Debug, Clone)]
pub struct NewCategory {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

pub(crate) fn category_of(row: category::Model) -> Result<Category, DbErr> {
    let bad = || corrupt("category", row.id);
    Ok(Category {
        id: CategoryId::from_uuid(row.id),
        community: PlaceId::from_uuid(row.community_id),
        code: CategoryCode::parse(&row.code).map_err(|_| bad())?,
        name_zh: CategoryName::parse(&row.name_zh).map_err(|_| bad())?,
        name_en: CategoryName::parse(&row.name_en).map_err(|_| bad())?,
        active: row.active,
    })
}

pub(crate) async fn find_category(db: &impl ConnectionTrait, id: CategoryId) -> Result<Category> {
    let row = category::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("category"))?;
    Ok(category_of(row)?)
}

async fn insert(db: &impl ConnectionTrait, category: &Category, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    category::ActiveModel {
        id: Set(category.id.as_uuid()),
        community_id: Set(category.community.as_uuid()),
        code: Set(category.code.as_str().to_owned()),
        name_zh: Set(category.name_zh.as_str().to_owned()),
        name_en: Set(category.name_en.as_str().to_owned()),
        active: Set(true),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(on_unique(Conflict::CategoryCode))?;
    Ok(())
}

impl Store {
    /// The catalogue of a community, active entries first; retired ones only when asked.
    pub async fn catalogue(&self, community: PlaceId, include_retired: bool) -> Result<Vec<Category>> {
        let mut query = category::Entity::find().filter(category::Column::CommunityId.eq(community.as_uuid()));
        if !include_retired {
            query = query.filter(category::Column::Active.eq(true));
        }
        let rows =
            query.order_by_desc(category::Column::Active).order_by_asc(category::Column::Id).all(&self.db).await?;
        rows.into_iter().map(|row| category_of(row).map_err(Error::from)).collect()
    }

    pub async fn category(&self, id: CategoryId) -> Result<Category> {
        find_category(&self.db, id).await
    }

    #[instrument(skip_all)]
    pub async fn add_category(&self, actor: &Actor, community: PlaceId, input: NewCategory) -> Result<Category> {
        let txn = self.write().await?;
        let row = crate::places::find_kind(&txn, community, PlaceKind::Community).await?;
        let ancestry = ancestry_of(&row)?;
        require(actor, Action::ManageCatalogue, &context_of(&txn, &row).await?)?;
        let category = Category::new(
            CategoryId::from_uuid(new_id()),
            &ancestry,
            CategoryCode::parse(&input.code)?,
            CategoryName::parse(&input.name_zh)?,
            CategoryName::parse(&input.name_en)?,
        )?;
        insert(&txn, &category, self.clock.now()).await?;
        let fact = NewEvent::new(
            WireEvent::CategoryAdded { category: category.id.as_uuid() },
            self.clock.now(),
            Audience::Public,
        )
        .actor(Some(actor.person))
        .place(community)
        .text("name", Audience::Public, category.name_zh.as_str());
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(category)
    }

    /// Renames an entry or retires (`active: false`) or restores it.
    #[instrument(skip_all)]
    pub async fn edit_category(
        &self,
        actor: &Actor,
        id: CategoryId,
        name_zh: &str,
        name_en: &str,
        active: bool,
    ) -> Result<Category> {
        let txn = self.write().await?;
        let row = category::Entity::find_by_id(id.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("category"))?;
        let community = find_row(&txn, row.community_id.into()).await?;
        require(actor, Action::ManageCatalogue, &context_of(&txn, &community).await?)?;
        let name_zh = CategoryName::parse(name_zh)?;
        let name_en = CategoryName::parse(name_en)?;
        let mut active_model: category::ActiveModel = row.into();
        active_model.name_zh = Set(name_zh.as_str().to_owned());
        active_model.name_en = Set(name_en.as_str().to_owned());
        active_model.active = Set(active);
        let row = active_model.update(&txn).await?;
        let event = WireEvent::CategoryChanged { category: row.id, retired: !row.active };
        let fact = NewEvent::new(event, self.clock.now(), Audience::Public)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(row.community_id))
            .text("name", Audience::Public, &row.name_zh);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        self.changed(BTreeSet::from([category_version(row.id)])).await;
        Ok(category_of(row)?)
    }

    /// Gives a community the standard catalogue, skipping codes it already has.
    #[instrument(skip_all)]
    pub async fn adopt_standard_catalogue(&self, actor: Option<&Actor>, community: PlaceId) -> Result<Vec<Category>> {
        let txn = self.write().await?;
        let row = find_row(&txn, community).await?;
        let ancestry = ancestry_of(&row)?;
        if let Some(actor) = actor {
            require(actor, Action::ManageCatalogue, &context_of(&txn, &row).await?)?;
        }
        let existing: Vec<String> = category::Entity::find()
            .filter(category::Column::CommunityId.eq(community.as_uuid()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect();
        let mut added = Vec::new();
        for (code, zh, en) in STANDARD_CATALOGUE {
            if existing.iter().any(|c| c == code) {
                continue;
            }
            let category = Category::new(
                CategoryId::from_uuid(new_id()),
                &ancestry,
                CategoryCode::parse(code)?,
                CategoryName::parse(zh)?,
                CategoryName::parse(en)?,
            )?;
            insert(&txn, &category, self.clock.now()).await?;
            added.push(category.id.as_uuid());
        }
        if !added.is_empty() {
            let fact =
                NewEvent::new(WireEvent::CatalogueAdopted { categories: added }, self.clock.now(), Audience::Public)
                    .actor(actor.map(|a| a.person))
                    .place(community);
            crate::event_log::record(&txn, fact).await?;
        }
        txn.commit().await?;
        self.catalogue(community, false).await
    }
}
