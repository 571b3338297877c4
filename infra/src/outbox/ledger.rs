//! People's choices: which kinds of message reach them on which channel, and the WeChat consent the
//! mini-program reports for each template.

use gongzhi_domain::ids::PersonId;
use gongzhi_domain::notify::{Channel, ConsentGrant, ConsentReport, MAX_ONE_TIME_GRANTS, NotificationKind};
use gongzhi_domain::person::bounded_text;
use gongzhi_domain::policy::Actor;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, TransactionTrait};
use tracing::instrument;

use crate::entities::{notification_preference, subscribe_consent};
use crate::{Result, Store};

/// One switch: a kind of message on a channel, on or off for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preference {
    pub kind: NotificationKind,
    pub channel: Channel,
    pub enabled: bool,
    /// False while the person has never touched this switch and the default applies.
    pub chosen: bool,
}

/// What WeChat will let Gongzhi send a person with one template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub template: String,
    pub one_time_grants: i32,
    pub long_term: bool,
}

impl Store {
    /// Every switch, with the default where the person has not chosen.
    pub async fn notification_preferences(&self, person: PersonId) -> Result<Vec<Preference>> {
        let rows = notification_preference::Entity::find()
            .filter(notification_preference::Column::PersonId.eq(person.as_uuid()))
            .all(&self.db)
            .await?;
        Ok(NotificationKind::ALL
            .into_iter()
            .flat_map(|kind| Channel::PERSONAL.into_iter().map(move |channel| (kind, channel)))
            .map(|(kind, channel)| {
                let chosen = rows.iter().find(|r| r.kind == kind.code() && r.channel == channel.code());
                Preference {
                    kind,
                    channel,
                    enabled: chosen.map_or_else(|| kind.on_by_default(channel), |r| r.enabled),
                    chosen: chosen.is_some(),
                }
            })
            .collect())
    }

    /// A person switches a kind of message on or off for a channel; only their own switches.
    #[instrument(skip_all)]
    pub async fn set_notification_preference(
        &self,
        actor: &Actor,
        kind: NotificationKind,
        channel: Channel,
        enabled: bool,
    ) -> Result<Preference> {
        if channel == Channel::Webhook {
            return Err(gongzhi_domain::Invalid::UnknownValue { field: "channel", given: channel.code().into() }.into());
        }
        let txn = self.db.begin().await?;
        let now = self.clock.now();
        let key = (actor.person.as_uuid(), kind.code().to_owned(), channel.code().to_owned());
        let row = notification_preference::ActiveModel {
            person_id: Set(key.0),
            kind: Set(key.1.clone()),
            channel: Set(key.2.clone()),
            enabled: Set(enabled),
            updated_at: Set(now),
        };
        if notification_preference::Entity::find_by_id(key).one(&txn).await?.is_some() {
            row.update(&txn).await?;
        } else {
            row.insert(&txn).await?;
        }
        txn.commit().await?;
        Ok(Preference { kind, channel, enabled, chosen: true })
    }

    /// Records what the person answered to `wx.requestSubscribeMessage`, template by template.
    #[instrument(skip_all)]
    pub async fn report_subscribe_consents(
        &self,
        actor: &Actor,
        reports: &[(String, ConsentReport)],
    ) -> Result<Vec<Consent>> {
        for (template, _) in reports {
            bounded_text("templateId", template, 100)?;
        }
        let txn = self.db.begin().await?;
        let now = self.clock.now();
        let mut consents = Vec::with_capacity(reports.len());
        for (template, report) in reports {
            let key = (actor.person.as_uuid(), template.clone());
            let existing = subscribe_consent::Entity::find_by_id(key.clone()).one(&txn).await?;
            let (mut grants, mut long_term) =
                existing.as_ref().map_or((0, false), |r| (r.one_time_grants, r.long_term));
            match report {
                ConsentReport::Accepted(ConsentGrant::OneTime) => grants = Ord::min(grants + 1, MAX_ONE_TIME_GRANTS),
                ConsentReport::Accepted(ConsentGrant::LongTerm) => long_term = true,
                ConsentReport::Rejected => long_term = false,
            }
            let row = subscribe_consent::ActiveModel {
                person_id: Set(key.0),
                template: Set(key.1),
                one_time_grants: Set(grants),
                long_term: Set(long_term),
                updated_at: Set(now),
            };
            if existing.is_some() {
                row.update(&txn).await?
            } else {
                row.insert(&txn).await?
            };
            consents.push(Consent { template: template.clone(), one_time_grants: grants, long_term });
        }
        txn.commit().await?;
        Ok(consents)
    }

    /// The person's consent per template, as recorded.
    pub async fn subscribe_consents(&self, person: PersonId) -> Result<Vec<Consent>> {
        Ok(subscribe_consent::Entity::find()
            .filter(subscribe_consent::Column::PersonId.eq(person.as_uuid()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| Consent { template: r.template, one_time_grants: r.one_time_grants, long_term: r.long_term })
            .collect())
    }
}

/// Whether the person has a long-term grant for the template, which every message may use without
/// spending it.
pub(crate) async fn long_term(db: &impl ConnectionTrait, person: Uuid, template: &str) -> Result<bool> {
    let row = subscribe_consent::Entity::find_by_id((person, template.to_owned())).one(db).await?;
    Ok(row.is_some_and(|row| row.long_term))
}

/// Takes the consent one message needs: a long-term grant, or one of the one-time grants (used up by
/// this message). False when there is none.
pub(crate) async fn consume(db: &impl ConnectionTrait, person: Uuid, template: &str) -> Result<bool> {
    let Some(row) = subscribe_consent::Entity::find_by_id((person, template.to_owned())).one(db).await? else {
        return Ok(false);
    };
    if row.long_term {
        return Ok(true);
    }
    // Guarded decrement: two workers cannot both spend the last grant.
    let spent = subscribe_consent::Entity::update_many()
        .col_expr(subscribe_consent::Column::OneTimeGrants, Expr::col(subscribe_consent::Column::OneTimeGrants).sub(1))
        .filter(subscribe_consent::Column::PersonId.eq(person))
        .filter(subscribe_consent::Column::Template.eq(template))
        .filter(subscribe_consent::Column::OneTimeGrants.gt(0))
        .exec(db)
        .await?;
    Ok(spent.rows_affected == 1)
}

/// WeChat said the user has not agreed (43101): whatever the ledger believed, there is no consent.
pub(crate) async fn clear(db: &impl ConnectionTrait, person: Uuid, template: &str, now: DateTimeUtc) -> Result<()> {
    subscribe_consent::Entity::update_many()
        .col_expr(subscribe_consent::Column::OneTimeGrants, Expr::value(0))
        .col_expr(subscribe_consent::Column::LongTerm, Expr::value(false))
        .col_expr(subscribe_consent::Column::UpdatedAt, Expr::value(now))
        .filter(subscribe_consent::Column::PersonId.eq(person))
        .filter(subscribe_consent::Column::Template.eq(template))
        .exec(db)
        .await?;
    Ok(())
}
