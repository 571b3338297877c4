//! The developer (建设单位) as a party to owners' votes (decision 51): the units it still holds, unsold or
//! sold but not delivered, marked in the register (by `gongzhi import`'s `developer` column or by staff),
//! and the person who represents it in a compound and casts its one ballot. What a vote counts is fixed
//! when it opens (`votes::take_roll`); marking a unit later changes the votes opened after.

use chrono::{DateTime, Utc};
use gongzhi_domain::Invalid;
use gongzhi_domain::ids::{PersonId, PlaceId};
use gongzhi_domain::place::PlaceKind;
use gongzhi_domain::policy::{Action, Actor, require};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use tracing::instrument;

use crate::entities::{compound_developer, developer_unit, person};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Error, Result, Store};

/// The developer of a compound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Developer {
    pub compound: PlaceId,
    pub name: String,
    pub representative: Option<PersonId>,
    pub set_by: PersonId,
    pub set_at: DateTime<Utc>,
}

fn developer_of(row: compound_developer::Model) -> Developer {
    Developer {
        compound: PlaceId::from_uuid(row.compound_id),
        name: row.name,
        representative: row.representative_id.map(PersonId::from_uuid),
        set_by: PersonId::from_uuid(row.set_by),
        set_at: row.set_at,
    }
}

impl Store {
    /// Records (or replaces) the developer of a compound and its representative.
    #[instrument(skip_all)]
    pub async fn set_compound_developer(
        &self,
        actor: &Actor,
        compound: PlaceId,
        name: &str,
        representative: Option<PersonId>,
    ) -> Result<Developer> {
        let name = gongzhi_domain::person::bounded_text("name", name, 100)?;
        let txn = self.write().await?;
        let row = crate::places::find_row(&txn, compound).await?;
        if row.kind != PlaceKind::Compound.as_str() {
            return Err(Invalid::WrongPlaceKind { expected: "compound", given: "place" }.into());
        }
        let ctx = crate::places::context_of(&txn, &row).await?;
        require(actor, Action::RecordDeveloper, &ctx)?;
        if let Some(person) = representative
            && person::Entity::find_by_id(person.as_uuid()).one(&txn).await?.is_none()
        {
            return Err(Error::NotFound("person"));
        }
        let now = self.clock.now();
        let model = compound_developer::ActiveModel {
            compound_id: Set(compound.as_uuid()),
            name: Set(name),
            representative_id: Set(representative.map(|p| p.as_uuid())),
            set_by: Set(actor.person.as_uuid()),
            set_at: Set(now),
        };
        compound_developer::Entity::insert(model)
            .on_conflict(
                OnConflict::column(compound_developer::Column::CompoundId)
                    .update_columns([
                        compound_developer::Column::Name,
                        compound_developer::Column::RepresentativeId,
                        compound_developer::Column::SetBy,
                        compound_developer::Column::SetAt,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        let saved = compound_developer::Entity::find_by_id(compound.as_uuid())
            .one(&txn)
            .await?
            .ok_or(Error::NotFound("developer"))?;
        let fact =
            NewEvent::new(WireEvent::DeveloperSet { representative: saved.representative_id }, now, Audience::Public)
                .actor(Some(actor.person))
                .place(compound)
                .text("name", Audience::Public, &saved.name);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(developer_of(saved))
    }

    /// The developer of a compound, if recorded.
    pub async fn compound_developer(&self, compound: PlaceId) -> Result<Option<Developer>> {
        Ok(compound_developer::Entity::find_by_id(compound.as_uuid()).one(&self.db).await?.map(developer_of))
    }

    /// Marks a unit as still held by the developer (or no longer). Answers whether it is now marked.
    #[instrument(skip_all)]
    pub async fn mark_developer_unit(&self, actor: &Actor, unit: PlaceId, held: bool) -> Result<bool> {
        let txn = self.write().await?;
        let row = crate::places::find_row(&txn, unit).await?;
        if row.kind != PlaceKind::Household.as_str() {
            return Err(Invalid::WrongPlaceKind { expected: "household", given: "place" }.into());
        }
        let ctx = crate::places::context_of(&txn, &row).await?;
        require(actor, Action::RecordDeveloper, &ctx)?;
        let compound = row.compound_id.ok_or(Error::NotFound("compound"))?;
        let marked = developer_unit::Entity::find_by_id(unit.as_uuid()).one(&txn).await?.is_some();
        match (marked, held) {
            (false, true) => {
                developer_unit::ActiveModel {
                    unit_id: Set(unit.as_uuid()),
                    compound_id: Set(compound),
                    marked_by: Set(Some(actor.person.as_uuid())),
                    marked_at: Set(self.clock.now()),
                }
                .insert(&txn)
                .await?;
            }
            (true, false) => {
                developer_unit::Entity::delete_by_id(unit.as_uuid()).exec(&txn).await?;
            }
            _ => {}
        }
        if marked != held {
            let event = WireEvent::DeveloperUnitMarked { unit: unit.as_uuid(), held };
            let fact = NewEvent::new(event, self.clock.now(), Audience::Staff).actor(Some(actor.person)).place(unit);
            crate::event_log::record(&txn, fact).await?;
        }
        txn.commit().await?;
        Ok(held)
    }
}
