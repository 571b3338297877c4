//! The access log (decisions 140–142): one row per person whose data a read showed. A read writes its rows
//! before it answers, on the same connection; if they cannot be written the read fails, so nothing is
//! shown that the log does not hold. A row written for a read whose answer then failed to reach the
//! client over-reports, which is the safe side.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::PersonId;
use gongzhi_domain::policy::Actor;
use gongzhi_domain::privacy::access::{
    Access, AccessFilter, AccessKind, AccessReason, access_log_cities, authorize_access_log, authorize_own_accesses,
};
use sea_orm::prelude::*;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder, QuerySelect};
use tracing::instrument;

use crate::entities::personal_data_access as row;
use crate::entities::{place, role_grant};
use crate::rows::corrupt;
use crate::{Result, Store, new_id};

/// A row of the log, with the id its pages are cut at (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedAccess {
    pub id: Uuid,
    pub access: Access,
}

/// Records that `actor` read the data of each of `subjects` (each once), at `at`.
pub(crate) async fn log_reads(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    actor: PersonId,
    kind: AccessKind,
    subjects: impl IntoIterator<Item = PersonId>,
    reference: Option<Uuid>,
    reason: Option<&str>,
) -> Result<()> {
    let subjects: BTreeSet<PersonId> = subjects.into_iter().collect();
    if subjects.is_empty() {
        return Ok(());
    }
    let rows = subjects.into_iter().map(|subject| row::ActiveModel {
        id: Set(new_id()),
        at: Set(at),
        actor_id: Set(actor.as_uuid()),
        subject_id: Set(subject.as_uuid()),
        kind: Set(kind.as_str().to_owned()),
        reference: Set(reference),
        reason: Set(reason.map(str::to_owned)),
    });
    row::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

fn logged_of(row: row::Model) -> Result<LoggedAccess, DbErr> {
    let kind = AccessKind::parse(&row.kind).ok_or_else(|| corrupt("access kind", row.id))?;
    Ok(LoggedAccess {
        id: row.id,
        access: Access {
            at: row.at,
            actor: PersonId::from_uuid(row.actor_id),
            subject: PersonId::from_uuid(row.subject_id),
            kind,
            reference: row.reference,
            reason: row.reason,
        },
    })
}

impl Store {
    /// Who read the logged-in person's data, newest first: a page of `limit` after the cursor.
    #[instrument(skip_all, err)]
    pub async fn my_data_accesses(&self, actor: &Actor, after: Option<Uuid>, limit: u64) -> Result<Vec<LoggedAccess>> {
        authorize_own_accesses(actor, actor.person)?;
        let filter = AccessFilter { subject: Some(actor.person), ..AccessFilter::default() };
        self.accesses(&filter, None, after, limit).await
    }

    /// City administrators: the log by person, actor and period, newest first. Reading it is itself a read of
    /// personal data (who looked at whom), so it asks a reason and is logged, for each person on the page.
    #[instrument(skip_all, err)]
    pub async fn data_accesses(
        &self,
        actor: &Actor,
        filter: &AccessFilter,
        reason: &str,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<LoggedAccess>> {
        authorize_access_log(actor)?;
        let reason = AccessReason::parse(reason)?;
        let cities = access_log_cities(actor);
        let page = self.accesses(filter, Some(&cities), after, limit).await?;
        let subjects = page.iter().map(|logged| logged.access.subject).filter(|subject| *subject != actor.person);
        log_reads(
            &self.db,
            self.clock.now(),
            actor.person,
            AccessKind::AccessLog,
            subjects,
            None,
            Some(reason.as_str()),
        )
        .await?;
        Ok(page)
    }

    /// A page of the log; with `cities`, only rows about people of those cities.
    async fn accesses(
        &self,
        filter: &AccessFilter,
        cities: Option<&[gongzhi_domain::ids::PlaceId]>,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<LoggedAccess>> {
        let mut query = row::Entity::find();
        if let Some(cities) = cities {
            let cities: Vec<Uuid> = cities.iter().map(|c| c.as_uuid()).collect();
            // One indexed semi-join: the people holding (or who held) a role at a place in those cities.
            let people = Query::select()
                .column((role_grant::Entity, role_grant::Column::PersonId))
                .from(role_grant::Entity)
                .inner_join(
                    place::Entity,
                    Expr::col((place::Entity, place::Column::Id))
                        .equals((role_grant::Entity, role_grant::Column::PlaceId)),
                )
                .cond_where(
                    Condition::any()
                        .add(Expr::col((place::Entity, place::Column::CityId)).is_in(cities.clone()))
                        .add(Expr::col((place::Entity, place::Column::Id)).is_in(cities)),
                )
                .to_owned();
            query = query.filter(row::Column::SubjectId.in_subquery(people));
        }
        if let Some(subject) = filter.subject {
            query = query.filter(row::Column::SubjectId.eq(subject.as_uuid()));
        }
        if let Some(actor) = filter.actor {
            query = query.filter(row::Column::ActorId.eq(actor.as_uuid()));
        }
        if let Some(from) = filter.from {
            query = query.filter(row::Column::At.gte(from));
        }
        if let Some(until) = filter.until {
            query = query.filter(row::Column::At.lt(until));
        }
        if let Some(after) = after {
            query = query.filter(row::Column::Id.lt(after));
        }
        let rows = query.order_by_desc(row::Column::Id).limit(limit).all(&self.db).await?;
        Ok(rows.into_iter().map(logged_of).collect::<Result<_, _>>()?)
    }
}
