//! Each city's accountability settings (decision 111): the fewest households whose survey answers may be
//! shown, the credit weights and the listing rules. A city that set none runs on the defaults.

use gongzhi_domain::accountability::authority::authorize_city_accountability;
use gongzhi_domain::accountability::credit::CreditWeights;
use gongzhi_domain::accountability::listing::ListingRules;
use gongzhi_domain::accountability::survey::DEFAULT_MIN_RESPONSES;
use gongzhi_domain::ids::PlaceId;
use gongzhi_domain::policy::Actor;
use sea_orm::ActiveValue::Set;
use sea_orm::ConnectionTrait;
use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use tracing::instrument;

use crate::entities::accountability_setting;
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::{Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountabilitySettings {
    pub city: PlaceId,
    pub survey_min_responses: u32,
    pub weights: CreditWeights,
    pub rules: ListingRules,
}

impl AccountabilitySettings {
    fn defaults(city: PlaceId) -> Self {
        AccountabilitySettings {
            city,
            survey_min_responses: DEFAULT_MIN_RESPONSES,
            weights: CreditWeights::default(),
            rules: ListingRules::default(),
        }
    }
}

pub(crate) async fn settings_of(db: &impl ConnectionTrait, city: PlaceId) -> Result<AccountabilitySettings> {
    let Some(row) = accountability_setting::Entity::find_by_id(city.as_uuid()).one(db).await? else {
        return Ok(AccountabilitySettings::defaults(city));
    };
    let fault = |what: &str| crate::rows::corrupt(what, row.city_id);
    Ok(AccountabilitySettings {
        city,
        survey_min_responses: u32::try_from(row.survey_min_responses).map_err(|_| fault("survey threshold"))?,
        weights: serde_json::from_str(&row.weights).map_err(|_| fault("credit weights"))?,
        rules: serde_json::from_str(&row.rules).map_err(|_| fault("listing rules"))?,
    })
}

impl Store {
    pub async fn accountability_settings(&self, city: PlaceId) -> Result<AccountabilitySettings> {
        settings_of(&self.db, city).await
    }

    /// A city administrator sets the city's threshold, weights and rules; surveys already open keep the
    /// threshold they opened with.
    #[instrument(skip_all)]
    pub async fn set_accountability_settings(
        &self,
        actor: &Actor,
        settings: AccountabilitySettings,
    ) -> Result<AccountabilitySettings> {
        authorize_city_accountability(actor, settings.city)?;
        let weights = settings.weights.check()?;
        if settings.survey_min_responses == 0 || settings.survey_min_responses > 1_000 {
            return Err(gongzhi_domain::Invalid::UnknownValue {
                field: "surveyMinResponses",
                given: settings.survey_min_responses.to_string(),
            }
            .into());
        }
        let txn = self.write().await?;
        let now = self.clock.now();
        let row = accountability_setting::ActiveModel {
            city_id: Set(settings.city.as_uuid()),
            survey_min_responses: Set(i32::try_from(settings.survey_min_responses).unwrap_or(i32::MAX)),
            weights: Set(serde_json::to_string(&weights).map_err(super::json_fault)?),
            rules: Set(serde_json::to_string(&settings.rules).map_err(super::json_fault)?),
            updated_by: Set(Some(actor.person.as_uuid())),
            updated_at: Set(now),
        };
        accountability_setting::Entity::insert(row)
            .on_conflict(
                OnConflict::column(accountability_setting::Column::CityId)
                    .update_columns([
                        accountability_setting::Column::SurveyMinResponses,
                        accountability_setting::Column::Weights,
                        accountability_setting::Column::Rules,
                        accountability_setting::Column::UpdatedBy,
                        accountability_setting::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        let event = WireEvent::AccountabilitySettingsSet {
            city: settings.city.as_uuid(),
            survey_min_responses: settings.survey_min_responses,
        };
        let fact = NewEvent::new(event, now, Audience::Public).actor(Some(actor.person)).place(settings.city);
        crate::event_log::record(&txn, fact).await?;
        txn.commit().await?;
        Ok(AccountabilitySettings { weights, ..settings })
    }
}
