//! The warning list and the blacklist (decision 115): a listing made by a quarter's computation, then a
//! district officer's notice, the company's appeal inside the window, and the blacklisting, each a guarded
//! write on the listing's row and a fact in the log. Listings are public with their reasons; lifted ones
//! stay as history.

use chrono::{DateTime, Utc};
use gongzhi_domain::accountability::authority::{authorize_blacklisting, authorize_listing_appeal};
use gongzhi_domain::accountability::listing::{self, Reason, Status};
use gongzhi_domain::accountability::{AccountabilityError, Quarter};
use gongzhi_domain::ids::{CompanyId, ListingId, PlaceId};
use gongzhi_domain::person::bounded_text;
use gongzhi_domain::policy::Actor;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{ConnectionTrait, QueryOrder};
use tracing::instrument;

use crate::entities::{company_listing, place};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::rows::corrupt;
use crate::{Error, Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub id: ListingId,
    pub company: CompanyId,
    pub city: PlaceId,
    pub status: Status,
    pub reasons: Vec<Reason>,
    pub quarter: Quarter,
    pub listed_at: DateTime<Utc>,
    pub notice_at: Option<DateTime<Utc>>,
    pub notice_reason: Option<String>,
    pub appeal: Option<String>,
    pub appealed_at: Option<DateTime<Utc>>,
    pub appeal_answer: Option<String>,
    pub blacklisted_at: Option<DateTime<Utc>>,
    pub lifted_at: Option<DateTime<Utc>>,
}

pub(crate) fn status_of(row: &company_listing::Model) -> Result<Status> {
    let missing = || Error::from(corrupt("listing", row.id));
    Ok(match row.status.as_str() {
        "warned" => Status::Warned,
        "noticed" => Status::Noticed { appeal_until: row.appeal_until.ok_or_else(missing)? },
        "blacklisted" => Status::Blacklisted { until: row.blacklisted_until.ok_or_else(missing)? },
        "lifted" => Status::Lifted { at: row.lifted_at.ok_or_else(missing)? },
        _ => return Err(missing()),
    })
}

fn listing_of(row: company_listing::Model) -> Result<Listing> {
    Ok(Listing {
        id: ListingId::from_uuid(row.id),
        company: CompanyId::from_uuid(row.company_id),
        city: PlaceId::from_uuid(row.city_id),
        status: status_of(&row)?,
        reasons: serde_json::from_str(&row.reasons).map_err(|_| corrupt("listing reasons", row.id))?,
        quarter: Quarter::parse(&row.listed_quarter)?,
        listed_at: row.listed_at,
        notice_at: row.notice_at,
        notice_reason: row.notice_reason,
        appeal: row.appeal,
        appealed_at: row.appealed_at,
        appeal_answer: row.appeal_answer,
        blacklisted_at: row.blacklisted_at,
        lifted_at: row.lifted_at,
    })
}

async fn find(db: &impl ConnectionTrait, id: ListingId) -> Result<company_listing::Model> {
    company_listing::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("listing"))
}

/// Whether the company is on a blacklist now (any city's).
pub(crate) async fn is_blacklisted(db: &impl ConnectionTrait, company: CompanyId) -> Result<bool> {
    Ok(company_listing::Entity::find()
        .filter(company_listing::Column::CompanyId.eq(company.as_uuid()))
        .filter(company_listing::Column::Status.eq("blacklisted"))
        .one(db)
        .await?
        .is_some())
}

/// Seed 001: a blacklisted company may not be given a compound it does not already serve.
pub(crate) async fn check_contract(
    db: &impl ConnectionTrait,
    compound: &place::Model,
    company: Option<CompanyId>,
) -> Result<()> {
    let Some(company) = company else { return Ok(()) };
    let serves = compound.property_company_id == Some(company.as_uuid());
    listing::may_contract(is_blacklisted(db, company).await?, serves)?;
    Ok(())
}

impl Store {
    /// A district officer gives notice that a listed company will be blacklisted, with the reason; the
    /// appeal window opens.
    #[instrument(skip_all)]
    pub async fn give_blacklist_notice(&self, actor: &Actor, id: ListingId, reason: &str) -> Result<Listing> {
        authorize_blacklisting(actor)?;
        let reason = bounded_text("reason", reason, 1000)?;
        let txn = self.write().await?;
        let row = find(&txn, id).await?;
        let now = self.clock.now();
        let rules = super::settings::settings_of(&txn, PlaceId::from_uuid(row.city_id)).await?.rules;
        let Status::Noticed { appeal_until } = status_of(&row)?.give_notice(now, &rules)? else {
            return Err(AccountabilityError::ListingState { state: "warned" }.into());
        };
        let (city, company) = (row.city_id, row.company_id);
        let mut active: company_listing::ActiveModel = row.into();
        active.status = Set("noticed".to_owned());
        active.notice_at = Set(Some(now));
        active.notice_by = Set(Some(actor.person.as_uuid()));
        active.notice_reason = Set(Some(reason.clone()));
        active.appeal_until = Set(Some(appeal_until));
        active.updated_at = Set(now);
        let row = active.update(&txn).await?;
        let event = WireEvent::CompanyBlacklistNoticed { listing: id.as_uuid(), company, appeal_until };
        let fact = NewEvent::new(event, now, Audience::Public)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(city))
            .text("reason", Audience::Public, &reason);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        listing_of(row)
    }

    /// The company's project manager appeals (申辩) inside the window; a later appeal replaces the first.
    #[instrument(skip_all)]
    pub async fn appeal_listing(&self, actor: &Actor, id: ListingId, appeal: &str) -> Result<Listing> {
        let txn = self.write().await?;
        let row = find(&txn, id).await?;
        authorize_listing_appeal(actor, CompanyId::from_uuid(row.company_id))?;
        let appeal = bounded_text("appeal", appeal, 2000)?;
        let now = self.clock.now();
        status_of(&row)?.check_appeal(now)?;
        let (city, company) = (row.city_id, row.company_id);
        let mut active: company_listing::ActiveModel = row.into();
        active.appeal = Set(Some(appeal.clone()));
        active.appealed_at = Set(Some(now));
        active.updated_at = Set(now);
        let row = active.update(&txn).await?;
        let event = WireEvent::CompanyListingAppealed { listing: id.as_uuid(), company };
        let fact = NewEvent::new(event, now, Audience::Public)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(city))
            .text("appeal", Audience::Public, &appeal);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        listing_of(row)
    }

    /// After the window, the district officer blacklists, answering the appeal if there was one.
    #[instrument(skip_all)]
    pub async fn blacklist_company(&self, actor: &Actor, id: ListingId, answer: Option<&str>) -> Result<Listing> {
        authorize_blacklisting(actor)?;
        let answer =
            answer.map(str::trim).filter(|a| !a.is_empty()).map(|a| bounded_text("answer", a, 2000)).transpose()?;
        let txn = self.write().await?;
        let row = find(&txn, id).await?;
        let now = self.clock.now();
        let rules = super::settings::settings_of(&txn, PlaceId::from_uuid(row.city_id)).await?.rules;
        let next = status_of(&row)?.blacklist(now, row.appeal.is_some(), answer.is_some(), &rules)?;
        let Status::Blacklisted { until } = next else {
            return Err(AccountabilityError::ListingState { state: "noticed" }.into());
        };
        let (city, company) = (row.city_id, row.company_id);
        let mut active: company_listing::ActiveModel = row.into();
        active.status = Set("blacklisted".to_owned());
        active.blacklisted_at = Set(Some(now));
        active.blacklisted_by = Set(Some(actor.person.as_uuid()));
        active.blacklisted_until = Set(Some(until));
        active.appeal_answer = Set(answer.clone());
        active.updated_at = Set(now);
        let row = active.update(&txn).await?;
        let event = WireEvent::CompanyBlacklisted { listing: id.as_uuid(), company, until };
        let fact = NewEvent::new(event, now, Audience::Public)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(city))
            .text("answer", Audience::Public, answer.as_deref().unwrap_or_default());
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        listing_of(row)
    }

    /// A city's listings, open ones first then history, newest first: public with their reasons.
    pub async fn listings(&self, city: PlaceId, include_lifted: bool) -> Result<Vec<Listing>> {
        let mut query = company_listing::Entity::find().filter(company_listing::Column::CityId.eq(city.as_uuid()));
        if !include_lifted {
            query = query.filter(company_listing::Column::Status.ne("lifted"));
        }
        let rows = query.order_by_desc(company_listing::Column::ListedAt).all(&self.db).await?;
        rows.into_iter().map(listing_of).collect()
    }

    pub async fn listing(&self, id: ListingId) -> Result<Listing> {
        listing_of(find(&self.db, id).await?)
    }

    /// A company's listings, history included.
    pub async fn company_listings(&self, company: CompanyId) -> Result<Vec<Listing>> {
        let rows = company_listing::Entity::find()
            .filter(company_listing::Column::CompanyId.eq(company.as_uuid()))
            .order_by_desc(company_listing::Column::ListedAt)
            .all(&self.db)
            .await?;
        rows.into_iter().map(listing_of).collect()
    }

    /// The compounds of a street served by a blacklisted company: flagged to the street (seed 001).
    pub async fn flagged_compounds(&self, street: PlaceId) -> Result<Vec<(PlaceId, CompanyId)>> {
        let blacklisted: Vec<Uuid> = company_listing::Entity::find()
            .filter(company_listing::Column::Status.eq("blacklisted"))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.company_id)
            .collect();
        if blacklisted.is_empty() {
            return Ok(Vec::new());
        }
        let compounds = place::Entity::find()
            .filter(place::Column::StreetId.eq(street.as_uuid()))
            .filter(place::Column::Kind.eq("compound"))
            .filter(place::Column::PropertyCompanyId.is_in(blacklisted))
            .order_by_asc(place::Column::Name)
            .all(&self.db)
            .await?;
        Ok(compounds
            .into_iter()
            .filter_map(|c| c.property_company_id.map(|co| (PlaceId::from_uuid(c.id), CompanyId::from_uuid(co))))
            .collect())
    }
}
