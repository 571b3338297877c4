//! Property-service companies (物业服务企业): a registry compounds' contracts point into.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::CompanyId;
use gongzhi_domain::person::bounded_text;
use gongzhi_domain::policy::Actor;
use gongzhi_domain::{Conflict, Invalid};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};
use tracing::instrument;

use crate::entities::property_company;
use crate::error::on_unique;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Error, Result, Store, new_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    /// The 18-character unified social credit code (统一社会信用代码).
    pub credit_code: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn company_of(row: property_company::Model) -> Company {
    Company { id: row.id.into(), name: row.name, credit_code: row.credit_code, created_at: row.created_at }
}

fn check_credit_code(code: &str) -> Result<String, Invalid> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == 18 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(Invalid::UnknownValue { field: "creditCode", given: code })
    }
}

impl Store {
    /// Community staff and officers register companies; the registry is shared by the whole city.
    #[instrument(skip_all)]
    pub async fn register_company(&self, actor: &Actor, name: &str, credit_code: Option<&str>) -> Result<Company> {
        gongzhi_domain::policy::authorize_company_registration(actor)?;
        self.insert_company(Some(actor), name, credit_code).await
    }

    pub async fn company(&self, id: CompanyId) -> Result<Company> {
        property_company::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .map(company_of)
            .ok_or(Error::NotFound("property company"))
    }

    pub async fn companies(&self) -> Result<Vec<Company>> {
        let rows = property_company::Entity::find().order_by_asc(property_company::Column::Name).all(&self.db).await?;
        Ok(rows.into_iter().map(company_of).collect())
    }

    /// Operator registration for seeds and imports.
    pub async fn register_company_as_operator(&self, name: &str, credit_code: Option<&str>) -> Result<Company> {
        self.insert_company(None, name, credit_code).await
    }

    async fn insert_company(&self, actor: Option<&Actor>, name: &str, credit_code: Option<&str>) -> Result<Company> {
        let txn = self.write().await?;
        let row = property_company::ActiveModel {
            id: Set(new_id()),
            name: Set(bounded_text("name", name, 100)?),
            credit_code: Set(credit_code.filter(|c| !c.trim().is_empty()).map(check_credit_code).transpose()?),
            created_at: Set(self.clock.now()),
        }
        .insert(&txn)
        .await
        .map_err(on_unique(Conflict::CreditCode))?;
        let event = WireEvent::CompanyRegistered { company: row.id };
        let fact = NewEvent::new(event, row.created_at, Audience::Public).actor(actor.map(|a| a.person)).text(
            "name",
            Audience::Public,
            &row.name,
        );
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(company_of(row))
    }
}
