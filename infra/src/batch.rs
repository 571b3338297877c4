//! Lookups by many keys at once, for the API's DataLoaders: one statement for a whole page of rows instead
//! of one per row. Personal lookups (did I co-sign, my rating, my ballot) take the person explicitly and
//! answer only for them.

use std::collections::{HashMap, HashSet};

use gongzhi_domain::ids::{CategoryId, CompanyId, PersonId, TopicId, VoteId};
use gongzhi_domain::topic::Category;
use gongzhi_domain::vote::Choice;
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

use crate::companies::{Company, company_of};
use crate::entities::{ballot, category, property_company, rating, role_grant, topic_co_signature};
use crate::roles::{RoleGrant, grant_record};
use crate::rows::corrupt;
use crate::topics::category_of;
use crate::{Error, Result, Store};

fn uuids<T>(ids: &[T], uuid: impl Fn(&T) -> Uuid) -> Vec<Uuid> {
    ids.iter().map(uuid).collect()
}

impl Store {
    pub async fn categories(&self, ids: &[CategoryId]) -> Result<HashMap<CategoryId, Category>> {
        let rows = category::Entity::find()
            .filter(category::Column::Id.is_in(uuids(ids, CategoryId::as_uuid)))
            .all(&self.db)
            .await?;
        rows.into_iter().map(|row| category_of(row).map(|c| (c.id, c)).map_err(Error::from)).collect()
    }

    pub async fn companies_by_id(&self, ids: &[CompanyId]) -> Result<HashMap<CompanyId, Company>> {
        let rows = property_company::Entity::find()
            .filter(property_company::Column::Id.is_in(uuids(ids, CompanyId::as_uuid)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(company_of).map(|c| (c.id, c)).collect())
    }

    /// Which of these topics the person co-signed.
    pub async fn co_signed_among(&self, person: PersonId, topics: &[TopicId]) -> Result<HashSet<TopicId>> {
        let signed: Vec<Uuid> = topic_co_signature::Entity::find()
            .select_only()
            .column(topic_co_signature::Column::TopicId)
            .filter(topic_co_signature::Column::PersonId.eq(person.as_uuid()))
            .filter(topic_co_signature::Column::TopicId.is_in(uuids(topics, TopicId::as_uuid)))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(signed.into_iter().map(TopicId::from_uuid).collect())
    }

    /// The person's ratings of these topics (1–5), where they rated.
    pub async fn ratings_among(&self, person: PersonId, topics: &[TopicId]) -> Result<HashMap<TopicId, i16>> {
        let rows: Vec<(Uuid, i16)> = rating::Entity::find()
            .select_only()
            .column(rating::Column::TopicId)
            .column(rating::Column::Score)
            .filter(rating::Column::PersonId.eq(person.as_uuid()))
            .filter(rating::Column::TopicId.is_in(uuids(topics, TopicId::as_uuid)))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|(topic, score)| (TopicId::from_uuid(topic), score)).collect())
    }

    /// The person's current ballot in each of these votes where they cast one: the latest, when they vote
    /// for several units (as `my_ballot`).
    pub async fn ballots_among(&self, person: PersonId, votes: &[VoteId]) -> Result<HashMap<VoteId, Choice>> {
        let rows = ballot::Entity::find()
            .filter(ballot::Column::PersonId.eq(person.as_uuid()))
            .filter(ballot::Column::VoteId.is_in(uuids(votes, VoteId::as_uuid)))
            .order_by_asc(ballot::Column::UpdatedAt)
            .all(&self.db)
            .await?;
        let mut latest = HashMap::new();
        for row in rows {
            let choice = Choice::parse(&row.choice).map_err(|_| Error::from(corrupt("ballot", row.id)))?;
            latest.insert(VoteId::from_uuid(row.vote_id), choice);
        }
        Ok(latest)
    }

    /// Each person's live grants, oldest first (every person gets a list).
    pub async fn grants_of_people(&self, people: &[PersonId]) -> Result<HashMap<PersonId, Vec<RoleGrant>>> {
        let rows = role_grant::Entity::find()
            .filter(role_grant::Column::PersonId.is_in(uuids(people, PersonId::as_uuid)))
            .filter(role_grant::Column::RevokedAt.is_null())
            .order_by_asc(role_grant::Column::Id)
            .all(&self.db)
            .await?;
        let mut grants: HashMap<PersonId, Vec<RoleGrant>> = people.iter().map(|p| (*p, Vec::new())).collect();
        for row in rows {
            let grant = grant_record(row)?;
            grants.entry(grant.person).or_default().push(grant);
        }
        Ok(grants)
    }
}
