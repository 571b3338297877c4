//! Solicitation rounds (征集活动): staff invite topics on a theme, at a place, until a closing time.

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::{PlaceId, RoundId};
use gongzhi_domain::policy::{Action, Actor, require};
use gongzhi_domain::topic::{RoundTheme, SolicitationRound};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder};
use tracing::instrument;

use crate::entities::round;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::places::{context_of, find_row};
use crate::rows::{ancestry_of, corrupt};
use crate::{Error, Result, Store, new_id};

pub(crate) fn round_of(row: round::Model) -> Result<SolicitationRound, DbErr> {
    Ok(SolicitationRound {
        id: RoundId::from_uuid(row.id),
        place: PlaceId::from_uuid(row.place_id),
        theme: RoundTheme::parse(&row.theme).map_err(|_| corrupt("round", row.id))?,
        opens_at: row.opens_at,
        closes_at: row.closes_at,
    })
}

pub(crate) async fn find_round(db: &impl ConnectionTrait, id: RoundId) -> Result<SolicitationRound> {
    let row = round::Entity::find_by_id(id.as_uuid()).one(db).await?.ok_or(Error::NotFound("round"))?;
    Ok(round_of(row)?)
}

impl Store {
    #[instrument(skip_all)]
    pub async fn open_round(
        &self,
        actor: &Actor,
        place: PlaceId,
        theme: &str,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> Result<SolicitationRound> {
        let txn = self.write().await?;
        let row = find_row(&txn, place).await?;
        require(actor, Action::ManageRounds, &context_of(&txn, &row).await?)?;
        let now = self.clock.now();
        let round = SolicitationRound::new(
            RoundId::from_uuid(new_id()),
            &ancestry_of(&row)?,
            RoundTheme::parse(theme)?,
            opens_at,
            closes_at,
            now,
        )?;
        round::ActiveModel {
            id: Set(round.id.as_uuid()),
            place_id: Set(place.as_uuid()),
            theme: Set(round.theme.as_str().to_owned()),
            opens_at: Set(opens_at),
            closes_at: Set(closes_at),
            created_by: Set(actor.person.as_uuid()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let event = WireEvent::RoundOpened { round: round.id.as_uuid(), opens_at, closes_at };
        let fact = NewEvent::new(event, now, Audience::Public).actor(Some(actor.person)).place(place).text(
            "theme",
            Audience::Public,
            round.theme.as_str(),
        );
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(round)
    }

    /// Rounds at a place and the places above it, newest first: the ones its residents may answer.
    pub async fn rounds_for(&self, place: PlaceId) -> Result<Vec<SolicitationRound>> {
        let ancestry = ancestry_of(&find_row(&self.db, place).await?)?;
        let rows = round::Entity::find()
            .filter(round::Column::PlaceId.is_in(ancestry.path().into_iter().map(|p| p.as_uuid())))
            .order_by_desc(round::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(|row| round_of(row).map_err(Error::from)).collect()
    }

    pub async fn round(&self, id: RoundId) -> Result<SolicitationRound> {
        find_round(&self.db, id).await
    }
}
