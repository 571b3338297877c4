//! Persons, their login identities, and the actor a request acts as.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PersonId, PlaceId, SessionId};
use gongzhi_domain::person::PersonName;
use gongzhi_domain::policy::{Action, Actor, authorize};
use gongzhi_domain::role::Grant;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ActiveValue::Set, Condition, ConnectionTrait, ExprTrait, FromQueryResult, JoinType, QuerySelect, QueryTrait,
    RelationDef, TransactionTrait,
};
use tracing::instrument;

use crate::cache::person_version;
use crate::entities::{identity, login_session, person, place, role_grant};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::joined::select_prefixed;
use crate::places::context_of;
use crate::rows::{corrupt, grant_of};
use crate::{Error, Result, Store, new_id};

pub const WECHAT: &str = "wechat";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn person_of(row: person::Model) -> Person {
    Person { id: row.id.into(), name: row.name, phone: row.phone, created_at: row.created_at }
}

/// Live grants of these people, with the places they sit on, in one statement.
pub(crate) async fn live_grants(
    db: &impl ConnectionTrait,
    people: &[Uuid],
) -> Result<Vec<(role_grant::Model, place::Model)>> {
    let on_place: RelationDef =
        role_grant::Entity::belongs_to(place::Entity).from(role_grant::Column::PlaceId).to(place::Column::Id).into();
    let rows = role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.is_in(people.iter().copied()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .select_also(place::Entity)
        .join(JoinType::InnerJoin, on_place)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(grant, place)| {
            let place = place.ok_or_else(|| corrupt("role grant", grant.id))?;
            Ok((grant, place))
        })
        .collect()
}

pub(crate) async fn actor_of(db: &impl ConnectionTrait, person: PersonId) -> Result<Actor> {
    let grants = live_grants(db, &[person.as_uuid()])
        .await?
        .iter()
        .map(|(grant, place)| grant_of(grant, place))
        .collect::<Result<Vec<Grant>, DbErr>>()?;
    Ok(Actor { person, grants })
}

/// A live session's row, with one of its person's live grants and the grant's place (both `None` for a
/// person without any).
#[derive(FromQueryResult)]
struct SessionGrant {
    #[sea_orm(nested(prefix = "g_"))]
    grant: Option<role_grant::Model>,
    #[sea_orm(nested(prefix = "gp_"))]
    place: Option<place::Model>,
}

/// The person with their live grants if `session` is live (not logged out) and is that person's, else
/// `None`, in one statement: the session row left-joined with the grants, so no row means no live session
/// of theirs and a row without a grant means a person with no role. The session must be the person's: a
/// token is trusted for its `sub` only together with a session the same login started.
async fn session_actor_of(db: &impl ConnectionTrait, session: SessionId, person: PersonId) -> Result<Option<Actor>> {
    let (g, gp) = ("g", "gp");
    let grant = |column: role_grant::Column| Expr::col((Alias::new(g), column));
    let mut query = login_session::Entity::find()
        .select_only()
        .filter(login_session::Column::Id.eq(session.as_uuid()))
        .filter(login_session::Column::PersonId.eq(person.as_uuid()))
        .filter(login_session::Column::RevokedAt.is_null());
    let statement = QueryTrait::query(&mut query);
    statement
        .join_as(
            JoinType::LeftJoin,
            role_grant::Entity,
            Alias::new(g),
            Condition::all()
                .add(grant(role_grant::Column::PersonId).eq(person.as_uuid()))
                .add(grant(role_grant::Column::RevokedAt).is_null()),
        )
        .join_as(
            JoinType::LeftJoin,
            place::Entity,
            Alias::new(gp),
            Expr::col((Alias::new(gp), place::Column::Id)).equals((Alias::new(g), role_grant::Column::PlaceId)),
        );
    select_prefixed::<role_grant::Entity>(statement, g, "g_");
    select_prefixed::<place::Entity>(statement, gp, "gp_");
    let rows = query.into_model::<SessionGrant>().all(db).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut grants = Vec::with_capacity(rows.len());
    for row in rows {
        match (row.grant, row.place) {
            (Some(grant), Some(place)) => grants.push(grant_of(&grant, &place)?),
            (Some(grant), None) => return Err(corrupt("role grant", grant.id).into()),
            (None, _) => {}
        }
    }
    Ok(Some(Actor { person, grants }))
}

impl Store {
    /// The person behind a WeChat openid, created on first login.
    #[instrument(skip_all)]
    pub async fn person_for_wechat(&self, openid: &str, union_id: Option<&str>) -> Result<Person> {
        let txn = self.db.begin().await?;
        let found = identity::Entity::find()
            .filter(identity::Column::Provider.eq(WECHAT))
            .filter(identity::Column::Subject.eq(openid))
            .one(&txn)
            .await?;
        let person = match found {
            Some(identity) => {
                person::Entity::find_by_id(identity.person_id).one(&txn).await?.ok_or(Error::NotFound("person"))?
            }
            None => {
                let now = self.clock.now();
                let person =
                    person::ActiveModel { id: Set(new_id()), name: Set(None), phone: Set(None), created_at: Set(now) }
                        .insert(&txn)
                        .await?;
                identity::ActiveModel {
                    id: Set(new_id()),
                    person_id: Set(person.id),
                    provider: Set(WECHAT.to_owned()),
                    subject: Set(openid.to_owned()),
                    union_id: Set(union_id.map(str::to_owned)),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
                person
            }
        };
        txn.commit().await?;
        Ok(person_of(person))
    }

    pub async fn person(&self, id: PersonId) -> Result<Person> {
        let row = person::Entity::find_by_id(id.as_uuid()).one(&self.db).await?.ok_or(Error::NotFound("person"))?;
        Ok(person_of(row))
    }

    pub async fn people(&self, ids: &[PersonId]) -> Result<Vec<Person>> {
        let rows = person::Entity::find()
            .filter(person::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(person_of).collect())
    }

    /// A person as another person may see them: themselves, or someone holding a role where the viewer
    /// may see office holders or the register. Anyone else is not found.
    pub async fn person_for(&self, viewer: &Actor, id: PersonId) -> Result<Person> {
        let person = self.person(id).await?;
        if viewer.person == id {
            return Ok(person);
        }
        for (grant, place) in live_grants(&self.db, &[id.as_uuid()]).await? {
            let ctx = context_of(&self.db, &place).await?;
            let action = if grant.role == "resident" || grant.role == "owner" {
                Action::ViewRegister
            } else {
                Action::ViewOfficeHolders
            };
            if authorize(viewer, action, &ctx).is_ok() {
                return Ok(person);
            }
        }
        Err(Error::NotFound("person"))
    }

    /// The person and every role they hold now: who a use case acts as (a request with an access token
    /// uses `session_actor`, which checks the session too).
    pub async fn actor(&self, person: PersonId) -> Result<Actor> {
        actor_of(&self.db, person).await
    }

    /// Who a request carrying an access token acts as: the token's person with every role they hold now,
    /// or `None` once the token's session has been logged out or when it is not that person's. Session
    /// check and grants are one statement; the snapshot holds answers by session and person together.
    pub async fn session_actor(&self, session: SessionId, person: PersonId) -> Result<Option<Actor>> {
        let (session_id, person_id) = (session.as_uuid(), person.as_uuid());
        let Some(authority) = self.authority() else { return session_actor_of(&self.db, session, person).await };
        if let Some(actor) = authority.actor(session_id, person_id) {
            return Ok(Some(actor));
        }
        let stamp = authority.stamp();
        let actor = session_actor_of(&self.db, session, person).await?;
        if let Some(actor) = &actor {
            authority.keep_actor(stamp, session_id, person_id, actor);
        }
        Ok(actor)
    }

    /// Sets one's own display name (WeChat no longer hands names to mini-programs).
    #[instrument(skip_all)]
    pub async fn set_name(&self, person: PersonId, name: &str) -> Result<Person> {
        let name = PersonName::parse(name)?;
        let txn = self.write().await?;
        let row = person::Entity::find_by_id(person.as_uuid()).one(&txn).await?.ok_or(Error::NotFound("person"))?;
        let mut active: person::ActiveModel = row.into();
        active.name = Set(Some(name.into_inner()));
        let person = person_of(active.update(&txn).await?);
        // A name is the person's own: private, and its words apart so that erasing it rewrites nothing.
        let fact =
            NewEvent::new(WireEvent::PersonNamed { person: person.id.as_uuid() }, self.clock.now(), Audience::Private)
                .actor(Some(person.id))
                .text("name", Audience::Private, person.name.as_deref().unwrap_or_default());
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        self.changed(BTreeSet::from([person_version(person.id.as_uuid())])).await;
        Ok(person)
    }

    /// A person without a login, e.g. an owner from an imported register or the demo cast.
    pub(crate) async fn insert_person(
        db: &impl ConnectionTrait,
        name: &str,
        phone: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<person::Model> {
        Ok(person::ActiveModel {
            id: Set(new_id()),
            name: Set(Some(name.to_owned())),
            phone: Set(phone.map(str::to_owned)),
            created_at: Set(now),
        }
        .insert(db)
        .await?)
    }

    /// The place ids at which the person holds any live role, for `me`.
    pub async fn grant_places(&self, person: PersonId) -> Result<Vec<PlaceId>> {
        Ok(live_grants(&self.db, &[person.as_uuid()]).await?.into_iter().map(|(g, _)| g.place_id.into()).collect())
    }
}
