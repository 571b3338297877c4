//! The tenancy tree: reading places and their context, creating and editing them, and the compound
//! facts (owners' committee seats, property contract) the rules depend on.

use chrono::{DateTime, Utc};
use gongzhi_domain::area::FloorArea;
use gongzhi_domain::ids::{CompanyId, PersonId, PlaceId};
use gongzhi_domain::place::{Ancestry, CompoundFacts, OwnersCommittee, PlaceContext, PlaceKind, PlaceName};
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::role::Role;
use gongzhi_domain::{Conflict, Invalid};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder, QuerySelect};
use tracing::instrument;

use crate::entities::{place, property_company, role_grant};
use crate::error::on_unique;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::rows::{ancestry_of, corrupt, kind_of, level_columns};
use crate::{Error, Result, Store, new_id};

/// A place as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub ancestry: Ancestry,
    pub name: String,
    pub code: Option<String>,
    /// Households only.
    pub area: Option<FloorArea>,
    /// Compounds only: the filed owners' committee's number of seats, if one was elected.
    pub committee_seats: Option<u16>,
    /// Compounds only: the company holding the property-service contract now.
    pub property_company: Option<CompanyId>,
    pub created_at: DateTime<Utc>,
}

impl Place {
    pub fn id(&self) -> PlaceId {
        self.ancestry.id()
    }

    pub fn kind(&self) -> PlaceKind {
        self.ancestry.kind()
    }
}

pub(crate) fn place_of(row: place::Model) -> Result<Place, DbErr> {
    let area = match row.area_centi_m2 {
        Some(centi) => Some(FloorArea::from_centi_m2(centi).map_err(|_| corrupt("area", row.id))?),
        None => None,
    };
    Ok(Place {
        ancestry: ancestry_of(&row)?,
        committee_seats: row.committee_seats.and_then(|s| u16::try_from(s).ok()),
        property_company: row.property_company_id.map(CompanyId::from_uuid),
        area,
        name: row.name,
        code: row.code,
        created_at: row.created_at,
    })
}

/// What a new place or an edit says.
#[derive(Debug, Clone, Default)]
pub struct PlaceInput {
    pub name: String,
    pub code: Option<String>,
    /// Square metres as written ("89.56"); households only.
    pub area_m2: Option<String>,
}

struct CheckedInput {
    name: PlaceName,
    code: Option<String>,
    area: Option<FloorArea>,
}

fn check_input(kind: PlaceKind, input: &PlaceInput) -> Result<CheckedInput, Invalid> {
    let name = PlaceName::parse(&input.name)?;
    let code = match input.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(gongzhi_domain::person::bounded_text("code", code, 32)?),
        None => None,
    };
    let area = match (kind, input.area_m2.as_deref()) {
        (PlaceKind::Household, Some(area)) => Some(FloorArea::parse(area)?),
        (PlaceKind::Household, None) => return Err(Invalid::AreaRequired),
        (_, Some(_)) => return Err(Invalid::AreaOnlyOnHouseholds),
        (_, None) => None,
    };
    Ok(CheckedInput { name, code, area })
}

pub(crate) async fn find_row(db: &impl ConnectionTrait, id: PlaceId) -> Result<place::Model> {
    place::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("place"))
}

/// The context the policy needs for a place: its ancestry and, inside a compound, the compound's facts.
pub(crate) async fn context_of(db: &impl ConnectionTrait, row: &place::Model) -> Result<PlaceContext> {
    let ancestry = ancestry_of(row)?;
    let compound = match ancestry.at(PlaceKind::Compound) {
        Some(id) if id.as_uuid() == row.id => Some(compound_facts(db, row).await?),
        // The compound's row and facts in one statement.
        Some(_) => {
            let mut contexts = crate::place_contexts::contexts_of(db, &[row.id]).await?;
            return contexts.remove(&row.id).ok_or(Error::NotFound("place"));
        }
        None => None,
    };
    Ok(PlaceContext { ancestry, compound })
}

pub(crate) async fn compound_facts(db: &impl ConnectionTrait, compound: &place::Model) -> Result<CompoundFacts> {
    let filled = match compound.committee_seats {
        Some(_) => committee_filled(db, compound.id).await?,
        None => 0,
    };
    Ok(facts_of(compound, filled)?)
}

/// A compound's facts from its row and the seats filled on its owners' committee.
pub(crate) fn facts_of(compound: &place::Model, filled: u16) -> Result<CompoundFacts, DbErr> {
    let owners_committee = match compound.committee_seats {
        Some(seats) => Some(OwnersCommittee {
            seats: u16::try_from(seats).map_err(|_| corrupt("committee seats", compound.id))?,
            filled,
        }),
        None => None,
    };
    Ok(CompoundFacts { owners_committee, property_company: compound.property_company_id.map(CompanyId::from_uuid) })
}

/// Seats held: distinct people with a live member or chair grant on the compound.
pub(crate) async fn committee_filled(db: &impl ConnectionTrait, compound: Uuid) -> Result<u16> {
    let holders: Vec<Uuid> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::PersonId)
        .distinct()
        .filter(role_grant::Column::PlaceId.eq(compound))
        .filter(role_grant::Column::RevokedAt.is_null())
        .filter(
            role_grant::Column::Role.is_in([Role::OwnersCommitteeMember.as_str(), Role::OwnersCommitteeChair.as_str()]),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(u16::try_from(holders.len()).unwrap_or(u16::MAX))
}

/// A place created, by a person or (`None`) on the operator's authority: the CLI, the seed, an import.
pub(crate) fn place_created(row: &place::Model, actor: Option<PersonId>) -> NewEvent {
    let event = WireEvent::PlaceCreated { place_kind: row.kind.clone(), parent: row.parent_id };
    NewEvent::new(event, row.created_at, Audience::Public).actor(actor).place(PlaceId::from_uuid(row.id)).text(
        "name",
        Audience::Public,
        &row.name,
    )
}

impl Store {
    pub async fn place(&self, id: PlaceId) -> Result<Place> {
        Ok(place_of(find_row(&self.db, id).await?)?)
    }

    pub async fn places(&self, ids: &[PlaceId]) -> Result<Vec<Place>> {
        let rows = place::Entity::find()
            .filter(place::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
            .all(&self.db)
            .await?;
        rows.into_iter().map(|row| place_of(row).map_err(Error::from)).collect()
    }

    pub async fn place_context(&self, id: PlaceId) -> Result<PlaceContext> {
        context_of(&self.db, &find_row(&self.db, id).await?).await
    }

    /// Children of a place in creation order, `limit` after the cursor.
    pub async fn children(&self, parent: Option<PlaceId>, after: Option<PlaceId>, limit: u64) -> Result<Vec<Place>> {
        let mut query = place::Entity::find();
        query = match parent {
            Some(parent) => query.filter(place::Column::ParentId.eq(parent.as_uuid())),
            None => query.filter(place::Column::ParentId.is_null()),
        };
        if let Some(after) = after {
            query = query.filter(place::Column::Id.gt(after.as_uuid()));
        }
        let rows = query.order_by_asc(place::Column::Id).limit(limit).all(&self.db).await?;
        rows.into_iter().map(|row| place_of(row).map_err(Error::from)).collect()
    }

    /// Creates a city. Operator-only (CLI and demo seed): no person may create a city through the API.
    #[instrument(skip_all)]
    pub async fn create_city(&self, input: PlaceInput) -> Result<Place> {
        let checked = check_input(PlaceKind::City, &input)?;
        let id = PlaceId::from_uuid(new_id());
        let ancestry = Ancestry::from_path(&[id]).ok_or(Error::NotFound("place"))?;
        let txn = self.write().await?;
        let row = insert_place(&txn, &ancestry, checked, self.clock.now()).await?;
        crate::event_log::record(&txn, place_created(&row, None)).await?;
        txn.commit().await?;
        Ok(place_of(row)?)
    }

    /// Creates a place on the operator's authority (demo seed, CLI); returns an existing sibling of the
    /// same name instead of failing.
    #[instrument(skip_all)]
    pub async fn create_place_as_operator(
        &self,
        parent: PlaceId,
        kind: PlaceKind,
        input: PlaceInput,
    ) -> Result<PlaceId> {
        let txn = self.write().await?;
        let parent_ancestry = ancestry_of(&find_row(&txn, parent).await?)?;
        kind.check_parent(Some(parent_ancestry.kind()))?;
        let checked = check_input(kind, &input)?;
        let (row, new) = child_by_name(&txn, &parent_ancestry, &checked.name, checked.area, self.clock.now()).await?;
        if new {
            crate::event_log::record(&txn, place_created(&row, None)).await?;
        }
        txn.commit().await?;
        Ok(row.id.into())
    }

    #[instrument(skip_all)]
    pub async fn create_place(
        &self,
        actor: &Actor,
        parent: PlaceId,
        kind: PlaceKind,
        input: PlaceInput,
    ) -> Result<Place> {
        let txn = self.write().await?;
        let parent_row = find_row(&txn, parent).await?;
        let ctx = context_of(&txn, &parent_row).await?;
        kind.check_parent(Some(ctx.ancestry.kind()))?;
        require(actor, Action::CreatePlace(kind), &ctx)?;
        let checked = check_input(kind, &input)?;
        let ancestry = ctx.ancestry.child(PlaceId::from_uuid(new_id())).ok_or(Error::NotFound("place"))?;
        let row = insert_place(&txn, &ancestry, checked, self.clock.now()).await?;
        crate::event_log::record(&txn, place_created(&row, Some(actor.person))).await?;
        txn.commit().await?;
        Ok(place_of(row)?)
    }

    #[instrument(skip_all)]
    pub async fn edit_place(&self, actor: &Actor, id: PlaceId, input: PlaceInput) -> Result<Place> {
        let txn = self.write().await?;
        let row = find_row(&txn, id).await?;
        let ctx = context_of(&txn, &row).await?;
        require(actor, Action::EditPlace, &ctx)?;
        let checked = check_input(kind_of(&row)?, &input)?;
        let mut active: place::ActiveModel = row.into();
        active.name = Set(checked.name.into_inner());
        active.code = Set(checked.code);
        active.area_centi_m2 = Set(checked.area.map(FloorArea::centi_m2));
        active.updated_at = Set(self.clock.now());
        let row = active.update(&txn).await.map_err(on_unique(Conflict::SiblingName))?;
        changed(&txn, actor, &row, "details").await?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(place_of(row)?)
    }

    /// Records the owners' committee filed with the street, by its number of seats; `None` dissolves it.
    #[instrument(skip_all)]
    pub async fn set_owners_committee(&self, actor: &Actor, compound: PlaceId, seats: Option<u16>) -> Result<Place> {
        let txn = self.write().await?;
        let row = find_compound(&txn, compound).await?;
        require(actor, Action::SetOwnersCommittee, &context_of(&txn, &row).await?)?;
        let seats = seats.map(OwnersCommittee::check_seats).transpose()?;
        if let Some(seats) = seats {
            let filled = committee_filled(&txn, row.id).await?;
            if filled > seats {
                return Err(Invalid::SeatsBelowMembers { seats, filled }.into());
            }
        }
        let mut active: place::ActiveModel = row.into();
        active.committee_seats = Set(seats.and_then(|s| i16::try_from(s).ok()));
        active.updated_at = Set(self.clock.now());
        let row = active.update(&txn).await?;
        changed(&txn, actor, &row, "owners_committee").await?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(place_of(row)?)
    }

    /// Records which company holds the compound's property contract; `None` ends it. Property staff of a
    /// former company lose their powers there at once, because the policy checks the contract.
    #[instrument(skip_all)]
    pub async fn assign_property_company(
        &self,
        actor: &Actor,
        compound: PlaceId,
        company: Option<CompanyId>,
    ) -> Result<Place> {
        let txn = self.write().await?;
        let row = find_compound(&txn, compound).await?;
        require(actor, Action::AssignPropertyCompany, &context_of(&txn, &row).await?)?;
        if let Some(company) = company {
            property_company::Entity::find_by_id(company.as_uuid())
                .one(&txn)
                .await?
                .ok_or(Error::NotFound("property company"))?;
        }
        crate::accountability::listings::check_contract(&txn, &row, company).await?;
        let mut active: place::ActiveModel = row.into();
        active.property_company_id = Set(company.map(|c| c.as_uuid()));
        active.updated_at = Set(self.clock.now());
        let row = active.update(&txn).await?;
        changed(&txn, actor, &row, "property_company").await?;
        txn.commit().await?;
        self.policy_changed().await;
        Ok(place_of(row)?)
    }

    /// Whether the actor may act for the compound's owners' committee, and the facts that decided it.
    pub async fn compound_facts(&self, compound: PlaceId) -> Result<CompoundFacts> {
        let row = find_compound(&self.db, compound).await?;
        compound_facts(&self.db, &row).await
    }
}

async fn find_compound(db: &impl ConnectionTrait, id: PlaceId) -> Result<place::Model> {
    find_kind(db, id, PlaceKind::Compound).await
}

/// A place that must be of one kind (a household to claim, a community to import into, …).
pub(crate) async fn find_kind(db: &impl ConnectionTrait, id: PlaceId, expected: PlaceKind) -> Result<place::Model> {
    let row = find_row(db, id).await?;
    let kind = kind_of(&row)?;
    if kind != expected {
        return Err(Invalid::WrongPlaceKind { expected: expected.as_str(), given: kind.as_str() }.into());
    }
    Ok(row)
}

/// Records a change to a place in the log.
async fn changed(db: &crate::topics::write::TopicWrite, actor: &Actor, row: &place::Model, change: &str) -> Result<()> {
    let event = WireEvent::PlaceChanged { change: change.to_owned() };
    let fact = NewEvent::new(event, row.updated_at, Audience::Public)
        .actor(Some(actor.person))
        .place(PlaceId::from_uuid(row.id))
        .text("name", Audience::Public, &row.name);
    crate::event_log::record(db, fact).await
}

async fn insert_place(
    db: &impl ConnectionTrait,
    ancestry: &Ancestry,
    checked: CheckedInput,
    now: DateTime<Utc>,
) -> Result<place::Model> {
    let [city, district, street, community, compound, building] = level_columns(ancestry);
    place::ActiveModel {
        id: Set(ancestry.id().as_uuid()),
        kind: Set(ancestry.kind().as_str().to_owned()),
        parent_id: Set(ancestry.parent_id().map(|p| p.as_uuid())),
        name: Set(checked.name.into_inner()),
        code: Set(checked.code),
        city_id: Set(city),
        district_id: Set(district),
        street_id: Set(street),
        community_id: Set(community),
        compound_id: Set(compound),
        building_id: Set(building),
        area_centi_m2: Set(checked.area.map(FloorArea::centi_m2)),
        committee_seats: Set(None),
        property_company_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(on_unique(Conflict::SiblingName))
}

/// Finds a child by name, or creates it, for bulk onboarding. Returns the row and whether it is new.
pub(crate) async fn child_by_name(
    db: &impl ConnectionTrait,
    parent: &Ancestry,
    name: &PlaceName,
    area: Option<FloorArea>,
    now: DateTime<Utc>,
) -> Result<(place::Model, bool)> {
    let existing = place::Entity::find()
        .filter(place::Column::ParentId.eq(parent.id().as_uuid()))
        .filter(place::Column::Name.eq(name.as_str()))
        .one(db)
        .await?;
    if let Some(row) = existing {
        return Ok((row, false));
    }
    let ancestry = parent.child(PlaceId::from_uuid(new_id())).ok_or(Error::NotFound("place"))?;
    let checked = CheckedInput { name: name.clone(), code: None, area };
    Ok((insert_place(db, &ancestry, checked, now).await?, true))
}
