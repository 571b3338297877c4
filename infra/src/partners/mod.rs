//! API partners (smart-community apps and city systems): the registry city administrators keep
//! (`registry.rs`), the client credentials and the token exchange (`credentials.rs`), and the short-lived
//! cache the API checks a partner's token against on every request (`directory.rs`).

mod credentials;
mod directory;
mod enable;
mod registry;

pub use credentials::{IssuedCredentials, PartnerToken};
pub use directory::PartnerDirectory;
pub use registry::{NewPartner, PartnerRecord};

use gongzhi_domain::ids::{PartnerId, PersonId};
use gongzhi_domain::partner::{
    Partner, PartnerKind, PartnerName, PartnerScopes, PartnerStatus, RateBudget, SecretOverlap,
};
use sea_orm::DbErr;

use crate::entities::{api_partner, place};
use crate::rows::{ancestry_of, corrupt};

/// The domain's partner from its row and its scope's place row.
fn partner_of(row: &api_partner::Model, scope: &place::Model) -> Result<Partner, DbErr> {
    let bad = || corrupt("api partner", row.id);
    Ok(Partner {
        id: PartnerId::from_uuid(row.id),
        name: PartnerName::parse(&row.name).map_err(|_| bad())?,
        kind: PartnerKind::parse(&row.kind).map_err(|_| bad())?,
        scope: ancestry_of(scope)?,
        rate_budget: row.rate_points.map(RateBudget::parse).transpose().map_err(|_| bad())?,
        secret_version: u32::try_from(row.secret_version).map_err(|_| bad())?,
        previous_secret: match (row.previous_secret_version, row.previous_secret_until) {
            (Some(version), Some(until)) => {
                Some(SecretOverlap { version: u32::try_from(version).map_err(|_| bad())?, until })
            }
            _ => None,
        },
        scopes: PartnerScopes::parse(&row.scopes).map_err(|_| bad())?,
        status: match row.disabled_at {
            None => PartnerStatus::Active,
            Some(at) => PartnerStatus::Disabled { at },
        },
    })
}

fn record_of(row: &api_partner::Model, scope: &place::Model) -> Result<PartnerRecord, DbErr> {
    Ok(PartnerRecord {
        partner: partner_of(row, scope)?,
        created_by: PersonId::from_uuid(row.created_by),
        created_at: row.created_at,
        secret_rotated_at: row.secret_rotated_at,
        disabled_by: row.disabled_by.map(PersonId::from_uuid),
    })
}
