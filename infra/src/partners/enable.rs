//! Re-enabling a disabled partner (decision 122): it comes back under a new secret, shown once, so the
//! secret it was stopped with — perhaps the reason it was stopped — stays dead.

use gongzhi_domain::Conflict;
use gongzhi_domain::ids::{PartnerId, PlaceId};
use gongzhi_domain::policy::Actor;
use sea_orm::prelude::*;
use sea_orm::sea_query::Expr;
use tracing::instrument;

use super::credentials::{IssuedCredentials, fresh_secret, hash_secret};
use super::registry::administered;
use super::{PartnerRecord, partner_of, record_of};
use crate::entities::api_partner;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Error, Result, Store};

impl Store {
    /// Enables a disabled partner under a new secret. An active partner is refused (`partner_active`):
    /// enabling it would end a working secret.
    #[instrument(skip_all)]
    pub async fn enable_partner(&self, actor: &Actor, id: PartnerId) -> Result<(PartnerRecord, IssuedCredentials)> {
        let txn = self.write().await?;
        let (row, scope) = administered(&txn, actor, id).await?;
        let enabled = partner_of(&row, &scope)?.enable()?;
        let version = i32::try_from(enabled.secret_version).map_err(|_| Conflict::PartnerChanged)?;
        let secret = fresh_secret();
        let now = self.clock.now();
        // Guarded by what was loaded, as a rotation is: of two enablings at once one wins.
        let updated = api_partner::Entity::update_many()
            .col_expr(api_partner::Column::DisabledAt, Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None))
            .col_expr(api_partner::Column::DisabledBy, Expr::value(Option::<Uuid>::None))
            .col_expr(api_partner::Column::SecretHash, Expr::value(hash_secret(&secret)))
            .col_expr(api_partner::Column::SecretVersion, Expr::value(version))
            .col_expr(api_partner::Column::SecretRotatedAt, Expr::value(now))
            .col_expr(api_partner::Column::PreviousSecretHash, Expr::value(Option::<String>::None))
            .col_expr(api_partner::Column::PreviousSecretVersion, Expr::value(Option::<i32>::None))
            .col_expr(
                api_partner::Column::PreviousSecretUntil,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .filter(api_partner::Column::Id.eq(row.id))
            .filter(api_partner::Column::SecretVersion.eq(row.secret_version))
            .filter(api_partner::Column::DisabledAt.is_not_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(Conflict::PartnerChanged.into());
        }
        let row = api_partner::Entity::find_by_id(row.id).one(&txn).await?.ok_or(Error::NotFound("partner"))?;
        let fact = NewEvent::new(WireEvent::PartnerEnabled { partner: row.id }, now, Audience::Staff)
            .actor(Some(actor.person))
            .place(PlaceId::from_uuid(scope.id));
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok((record_of(&row, &scope)?, IssuedCredentials::new(id, secret)))
    }
}
