//! Open311 GeoReport v2 over the pipeline (issue 18, decision 124): a city system (a partner with the
//! `open311` scope) lists the services of its jurisdiction — the category codes of the catalogues in its
//! scope — files requests, which enter the pipeline as topics submitted by the person who stands for the
//! partner, and follows them as they move. Refusals the rules make are data ([`Open311Refusal`]); only
//! faults are errors. The wire formats are the API's (`api/src/http/open311/`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, TopicId};
use gongzhi_domain::open311::{
    MAX_LISTED, Open311Refusal, RequestStatus, RequestWindow, authorize_open311, check_jurisdiction, status_note,
    topic_text,
};
use gongzhi_domain::partner::Partner;
use gongzhi_domain::place::{Ancestry, PlaceKind};
use gongzhi_domain::topic::{Datum, Location, Photos, Placement, Topic, TopicDraft, Transition};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, ExprTrait, QueryOrder, QuerySelect, QueryTrait};
use tracing::instrument;

use super::catalogue::category_of;
use super::collect::insert_submitted;
use super::events::entry_of;
use super::row;
use crate::entities::{api_partner, category, person, place, property_company, topic, topic_event};
use crate::rows::ancestry_of;
use crate::{Error, Result, Store, new_id};

/// A service of a jurisdiction: one category code, named as the first catalogue in scope names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Service {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A request as Open311 shows it: the topic, and what the spec's fields need from around it.
#[derive(Debug, Clone)]
pub struct Open311Request {
    pub topic: Topic,
    pub status: RequestStatus,
    pub updated_at: DateTime<Utc>,
    pub service: Open311Service,
    /// The latest public explanation of where it stands.
    pub status_note: Option<String>,
    /// Who has it: the property company for a service request, otherwise the place that leads it.
    pub agency: String,
    /// The compound (and building) names.
    pub address: String,
    /// The deadline it is held to now, if any.
    pub expected_at: Option<DateTime<Utc>>,
}

/// What a partner files, as the spec's parameters give it.
#[derive(Debug, Clone, Default)]
pub struct Open311Filing {
    pub service_code: String,
    pub description: Option<String>,
    /// A place id (as a UUID) or code.
    pub address_id: Option<String>,
    /// A compound's or building's name.
    pub address_string: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    /// A link to a photo kept elsewhere: kept at the end of the description (the server fetches nothing).
    pub media_url: Option<String>,
}

/// A listing's filters, as the spec gives them. `ids`, when not empty, overrides the others.
#[derive(Debug, Clone)]
pub struct Open311Query {
    pub ids: Vec<TopicId>,
    pub codes: Vec<String>,
    pub window: RequestWindow,
    pub statuses: Vec<RequestStatus>,
}

/// The places at or below `scope`: their own level's column holds the scope's id.
fn within(scope: &Ancestry) -> sea_orm::sea_query::SimpleExpr {
    let column = match scope.kind() {
        PlaceKind::City => place::Column::CityId,
        PlaceKind::District => place::Column::DistrictId,
        PlaceKind::Street => place::Column::StreetId,
        PlaceKind::Community => place::Column::CommunityId,
        PlaceKind::Compound => place::Column::CompoundId,
        PlaceKind::Building | PlaceKind::Household => place::Column::BuildingId,
    };
    ExprTrait::eq(Expr::col((place::Entity, column)), scope.id().as_uuid())
}

fn looks_like_uuid(given: &str) -> Option<Uuid> {
    Uuid::try_parse(given.trim()).ok()
}

impl Store {
    /// The city a `jurisdiction_id` names (its code, its name or its id), checked against the partner's scope;
    /// without one, the city the partner's scope lies in.
    pub async fn open311_jurisdiction(
        &self,
        partner: &Partner,
        given: Option<&str>,
    ) -> Result<Result<Ancestry, Open311Refusal>> {
        let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
            let Some(city) = partner.scope.at(PlaceKind::City) else {
                return Ok(Err(Open311Refusal::Jurisdiction { given: String::new() }));
            };
            let row = place::Entity::find_by_id(city.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("place"))?;
            let city = ancestry_of(&row)?;
            return Ok(check_jurisdiction(partner, Some(&city), "").map(|()| city));
        };
        let mut condition = place::Column::Code.eq(given).or(place::Column::Name.eq(given));
        if let Some(id) = looks_like_uuid(given) {
            condition = condition.or(place::Column::Id.eq(id));
        }
        // Two cities may share a name; the partner's own is the one it means.
        let rows = place::Entity::find()
            .filter(place::Column::Kind.eq("city"))
            .filter(condition)
            .limit(10)
            .all(&self.db)
            .await?;
        let own = partner.scope.at(PlaceKind::City).map(|id| id.as_uuid());
        let row = rows.iter().find(|row| Some(row.id) == own).or(rows.first());
        let city = row.map(ancestry_of).transpose()?;
        Ok(check_jurisdiction(partner, city.as_ref(), given).map(|()| city.unwrap_or_else(|| partner.scope.clone())))
    }

    /// The services of the partner's scope: the active category codes of its communities' catalogues.
    #[instrument(skip_all)]
    pub async fn open311_services(&self, partner: &Partner) -> Result<Result<Vec<Open311Service>, Open311Refusal>> {
        if let Err(denied) = authorize_open311(partner, &partner.scope) {
            return Ok(Err(denied.into()));
        }
        let communities = self.communities_in(&partner.scope).await?;
        let rows = category::Entity::find()
            .filter(category::Column::CommunityId.is_in(communities))
            .filter(category::Column::Active.eq(true))
            .order_by_asc(category::Column::Code)
            .order_by_asc(category::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut services: BTreeMap<String, Open311Service> = BTreeMap::new();
        for row in rows {
            services.entry(row.code.clone()).or_insert(Open311Service {
                code: row.code,
                name_zh: row.name_zh,
                name_en: row.name_en,
            });
        }
        Ok(Ok(services.into_values().collect()))
    }

    /// The communities at or below a scope (or the community a compound or building is in).
    async fn communities_in(&self, scope: &Ancestry) -> Result<Vec<Uuid>> {
        if let Some(community) = scope.at(PlaceKind::Community) {
            return Ok(vec![community.as_uuid()]);
        }
        let ids = place::Entity::find()
            .select_only()
            .column(place::Column::Id)
            .filter(place::Column::Kind.eq("community"))
            .filter(within(scope))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?;
        Ok(ids)
    }

    /// Files a request: resolves its place, finds the service in that community's catalogue, and submits
    /// the topic in the name of the person who stands for the partner, in one transaction with its event.
    #[instrument(skip_all)]
    pub async fn file_open311_request(
        &self,
        partner: &Partner,
        filing: &Open311Filing,
    ) -> Result<Result<TopicId, Open311Refusal>> {
        if let Err(denied) = partner.may(gongzhi_domain::partner::PartnerScope::Open311) {
            return Ok(Err(denied.into()));
        }
        let place = match self.resolve_open311_place(partner, filing).await? {
            Ok(place) => place,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if let Err(denied) = authorize_open311(partner, &place) {
            return Ok(Err(denied.into()));
        }
        let Some(community) = place.at(PlaceKind::Community) else { return Ok(Err(Open311Refusal::Unplaced)) };
        let code = filing.service_code.trim();
        let category_row = category::Entity::find()
            .filter(category::Column::CommunityId.eq(community.as_uuid()))
            .filter(category::Column::Code.eq(code))
            .one(&self.db)
            .await?;
        let Some(category_row) = category_row else {
            let known = self.open311_services(partner).await?.map(|all| all.iter().any(|s| s.code == code));
            let place_row = place::Entity::find_by_id(place.id().as_uuid()).one(&self.db).await?;
            let name = place_row.map(|row| row.name).unwrap_or_default();
            return Ok(Err(match known {
                Ok(true) => Open311Refusal::ServiceNotOffered { code: code.to_owned(), place: name },
                _ => Open311Refusal::UnknownService { code: code.to_owned() },
            }));
        };
        let category = category_of(category_row.clone())?;
        let description = match (&filing.description, &filing.media_url) {
            (Some(text), Some(url)) => Some(format!("{}\n\n照片 Photo: {}", text.trim(), url.trim())),
            (None, Some(url)) => Some(format!("{}\n\n照片 Photo: {}", category_row.name_zh, url.trim())),
            (text, None) => text.clone(),
        };
        let draft = match draft_of(filing, description.as_deref(), &category_row.name_zh) {
            Ok(draft) => draft,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let txn = self.write().await?;
        let submitter = partner_person(&txn, partner, self.clock.now()).await?;
        let now = self.clock.now();
        let placement = Placement { place: &place, category: &category, round: None };
        let Transition { topic, event } =
            match Topic::submit(TopicId::from_uuid(new_id()), submitter, draft, placement, now) {
                Ok(transition) => transition,
                Err(refused) => return Ok(Err(refused.into())),
            };
        insert_submitted(&txn, &topic, &event, &self.deadlines, now).await?;
        txn.commit().await?;
        tracing::info!(partner = %partner.id, topic = %topic.id, "open311 request filed");
        Ok(Ok(topic.id))
    }

    /// The compound or building `address_id` (an id or a code) or `address_string` (a name) names, in the
    /// partner's scope.
    async fn resolve_open311_place(
        &self,
        partner: &Partner,
        filing: &Open311Filing,
    ) -> Result<Result<Ancestry, Open311Refusal>> {
        let placeable = place::Column::Kind.is_in(["compound", "building"]);
        let candidates = if let Some(given) = filing.address_id.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            let mut condition = place::Column::Code.eq(given);
            if let Some(id) = looks_like_uuid(given) {
                condition = condition.or(place::Column::Id.eq(id));
            }
            place::Entity::find()
                .filter(placeable)
                .filter(condition)
                .filter(within(&partner.scope))
                .all(&self.db)
                .await?
        } else if let Some(given) = filing.address_string.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            place::Entity::find()
                .filter(placeable)
                .filter(place::Column::Name.eq(given))
                .filter(within(&partner.scope))
                .limit(10)
                .all(&self.db)
                .await?
        } else {
            return Ok(Err(Open311Refusal::Unplaced));
        };
        match candidates.as_slice() {
            [] => Ok(Err(Open311Refusal::Unplaced)),
            [one] => Ok(Ok(ancestry_of(one)?)),
            many => Ok(Err(Open311Refusal::AmbiguousAddress {
                given: filing.address_string.clone().or_else(|| filing.address_id.clone()).unwrap_or_default(),
                count: many.len(),
            })),
        }
    }

    /// Requests in the partner's scope, by the spec's filters, newest first, at most [`MAX_LISTED`].
    #[instrument(skip_all)]
    pub async fn open311_requests(
        &self,
        partner: &Partner,
        query: &Open311Query,
    ) -> Result<Result<Vec<Open311Request>, Open311Refusal>> {
        if let Err(denied) = authorize_open311(partner, &partner.scope) {
            return Ok(Err(denied.into()));
        }
        let in_scope = place::Entity::find().select_only().column(place::Column::Id).filter(within(&partner.scope));
        let mut select = topic::Entity::find().filter(topic::Column::PlaceId.in_subquery(in_scope.into_query()));
        if query.ids.is_empty() {
            select = select
                .filter(topic::Column::SubmittedAt.gte(query.window.start))
                .filter(topic::Column::SubmittedAt.lte(query.window.end));
            if !query.statuses.is_empty() {
                let codes: Vec<&str> = query.statuses.iter().flat_map(|status| status.state_codes()).collect();
                select = select.filter(topic::Column::State.is_in(codes));
            }
            if !query.codes.is_empty() {
                let categories = category::Entity::find()
                    .select_only()
                    .column(category::Column::Id)
                    .filter(category::Column::Code.is_in(query.codes.iter().map(String::as_str)));
                select = select.filter(topic::Column::CategoryId.in_subquery(categories.into_query()));
            }
        } else {
            select = select.filter(topic::Column::Id.is_in(query.ids.iter().map(|id| id.as_uuid())));
        }
        let rows = select
            .order_by_desc(topic::Column::SubmittedAt)
            .order_by_desc(topic::Column::Id)
            .limit(MAX_LISTED)
            .all(&self.db)
            .await?;
        Ok(Ok(self.open311_view(rows).await?))
    }

    /// One request, if it is in the partner's scope (outside it, as if it did not exist).
    pub async fn open311_request(
        &self,
        partner: &Partner,
        id: TopicId,
    ) -> Result<Result<Option<Open311Request>, Open311Refusal>> {
        if let Err(denied) = partner.may(gongzhi_domain::partner::PartnerScope::Open311) {
            return Ok(Err(denied.into()));
        }
        let Some(row) = topic::Entity::find_by_id(id.as_uuid()).one(&self.db).await? else { return Ok(Ok(None)) };
        let place = place::Entity::find_by_id(row.place_id).one(&self.db).await?.ok_or(Error::NotFound("place"))?;
        if authorize_open311(partner, &ancestry_of(&place)?).is_err() {
            return Ok(Ok(None));
        }
        Ok(Ok(self.open311_view(vec![row]).await?.pop()))
    }

    /// The spec's view of topic rows: categories, places, companies and public timelines in one
    /// statement each.
    async fn open311_view(&self, rows: Vec<topic::Model>) -> Result<Vec<Open311Request>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let category_ids: Vec<Uuid> = rows.iter().map(|row| row.category_id).collect();
        let categories: HashMap<Uuid, category::Model> = category::Entity::find()
            .filter(category::Column::Id.is_in(category_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
        let mut place_ids: Vec<Uuid> =
            rows.iter().flat_map(|row| [row.place_id, row.compound_id, row.community_id, row.street_id]).collect();
        place_ids.sort_unstable();
        place_ids.dedup();
        let places: HashMap<Uuid, place::Model> = place::Entity::find()
            .filter(place::Column::Id.is_in(place_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
        let company_ids: Vec<Uuid> = rows.iter().filter_map(|row| row.company_id).collect();
        let companies: HashMap<Uuid, String> = if company_ids.is_empty() {
            HashMap::new()
        } else {
            property_company::Entity::find()
                .filter(property_company::Column::Id.is_in(company_ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|row| (row.id, row.name))
                .collect()
        };
        let topic_ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        let mut notes: HashMap<Uuid, String> = HashMap::new();
        let events = topic_event::Entity::find()
            .filter(topic_event::Column::TopicId.is_in(topic_ids))
            .order_by_asc(topic_event::Column::At)
            .all(&self.db)
            .await?;
        for event in events {
            let entry = entry_of(event)?;
            if let Some(note) = status_note(&entry.kind) {
                notes.insert(entry.topic.as_uuid(), note.to_owned());
            }
        }
        let name = |id: &Uuid| places.get(id).map(|row| row.name.clone()).unwrap_or_default();
        let mut requests = Vec::with_capacity(rows.len());
        for row in rows {
            let place = places.get(&row.place_id).ok_or(Error::NotFound("place"))?;
            let topic = row::topic_of(&row, ancestry_of(place)?)?;
            let category = categories.get(&row.category_id).ok_or(Error::NotFound("category"))?;
            let address = if row.place_id == row.compound_id {
                name(&row.compound_id)
            } else {
                format!("{} {}", name(&row.compound_id), name(&row.place_id))
            };
            let agency = match row.company_id {
                Some(company) if row.state.starts_with("service_") => {
                    companies.get(&company).cloned().unwrap_or_default()
                }
                _ => match topic.level.place_kind() {
                    PlaceKind::Community => name(&row.community_id),
                    PlaceKind::Street => name(&row.street_id),
                    _ => places
                        .get(&row.street_id)
                        .and_then(|street| street.district_id)
                        .map(|d| name(&d))
                        .unwrap_or_default(),
                },
            };
            requests.push(Open311Request {
                status: RequestStatus::of(&topic.state),
                updated_at: row.updated_at,
                service: Open311Service {
                    code: category.code.clone(),
                    name_zh: category.name_zh.clone(),
                    name_en: category.name_en.clone(),
                },
                status_note: notes.remove(&row.id),
                agency,
                address,
                expected_at: row.due_at,
                topic,
            });
        }
        Ok(requests)
    }
}

/// What the partner filed, as a topic's draft. The spec's coordinates are WGS84.
fn draft_of(
    filing: &Open311Filing,
    description: Option<&str>,
    service_name: &str,
) -> Result<TopicDraft, Open311Refusal> {
    let (title, description) = topic_text(description, service_name)?;
    let location = match (filing.lat.as_deref(), filing.long.as_deref()) {
        (Some(lat), Some(long)) => Some(Location::parse_degrees(Datum::Wgs84, lat.trim(), long.trim())?),
        _ => None,
    };
    Ok(TopicDraft { title, description, location, photos: Photos::parse(&[] as &[String])? })
}

/// The person who stands for the partner as the submitter of what it files, made on its first filing
/// and named after it (decision 124). A person with no login and no roles: nobody can act as them.
async fn partner_person(db: &impl ConnectionTrait, partner: &Partner, now: DateTime<Utc>) -> Result<PersonId> {
    let row = api_partner::Entity::find_by_id(partner.id.as_uuid()).one(db).await?.ok_or(Error::NotFound("partner"))?;
    if let Some(person) = row.person_id {
        return Ok(PersonId::from_uuid(person));
    }
    let id = new_id();
    person::ActiveModel {
        id: Set(id),
        name: Set(Some(partner.name.as_str().to_owned())),
        phone: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    // Guarded: of two first filings at once, one person is kept; the other's is unused.
    api_partner::Entity::update_many()
        .col_expr(api_partner::Column::PersonId, Expr::value(id))
        .filter(api_partner::Column::Id.eq(row.id))
        .filter(api_partner::Column::PersonId.is_null())
        .exec(db)
        .await?;
    let row = api_partner::Entity::find_by_id(partner.id.as_uuid()).one(db).await?.ok_or(Error::NotFound("partner"))?;
    Ok(PersonId::from_uuid(row.person_id.unwrap_or(id)))
}
