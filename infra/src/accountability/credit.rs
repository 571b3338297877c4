//! Computing a city's quarter (decisions 112–113): every company's credit score from what the quarter
//! recorded, then the warning list — both in one transaction, so a quarter is computed whole or not at
//! all, and computing it again replaces it.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use gongzhi_domain::accountability::Quarter;
use gongzhi_domain::accountability::authority::authorize_city_accountability;
use gongzhi_domain::accountability::credit::{self, CreditInputs, CreditScore, CreditWeights, ScoreSum, Share};
use gongzhi_domain::accountability::listing::{self, Reason, Status};
use gongzhi_domain::ids::{CompanyId, PlaceId};
use gongzhi_domain::policy::Actor;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::*;
use sea_orm::{ConnectionTrait, QueryOrder};
use tracing::instrument;

use super::sql::rows;
use crate::entities::{company_listing, credit_score};
use crate::event_log::wire::WireEvent;
use crate::event_log::{Audience, NewEvent};
use crate::topics::write::TopicWrite;
use crate::{Result, Store, new_id};

/// A service request counts as on time when the company reports it done within this many days of its
/// routing (一口受理: seed 002 asks the company to 限时办结; the city may tighten it later).
pub const SERVICE_DAYS: i64 = 7;

/// A company's record for a quarter, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditRecord {
    pub company: CompanyId,
    pub city: PlaceId,
    pub quarter: Quarter,
    pub inputs: CreditInputs,
    pub weights: CreditWeights,
    pub score: CreditScore,
    pub letters_in_year: u32,
    pub computed_at: DateTime<Utc>,
}

pub(crate) fn record_of(row: credit_score::Model) -> Result<CreditRecord> {
    let fault = || crate::rows::corrupt("credit score", row.id);
    let inputs: CreditInputs = serde_json::from_str(&row.inputs).map_err(|_| fault())?;
    let weights: CreditWeights = serde_json::from_str(&row.weights).map_err(|_| fault())?;
    Ok(CreditRecord {
        company: CompanyId::from_uuid(row.company_id),
        city: PlaceId::from_uuid(row.city_id),
        quarter: Quarter::parse(&row.quarter)?,
        score: credit::score(&inputs, &weights),
        inputs,
        weights,
        letters_in_year: u32::try_from(row.letters_in_year).map_err(|_| fault())?,
        computed_at: row.computed_at,
    })
}

/// What a quarter's computation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuarterReport {
    pub companies: usize,
    pub listed: usize,
    pub lifted: usize,
    pub compounds: usize,
    pub problem_compounds: usize,
}

fn n(row: &QueryResult, column: &str) -> Result<u64> {
    // COUNT and SUM come back as i64 on both backends (SUM as a decimal on PostgreSQL unless cast).
    Ok(u64::try_from(row.try_get::<Option<i64>>("", column)?.unwrap_or(0)).unwrap_or(0))
}

fn id(row: &QueryResult, column: &str) -> Result<Uuid> {
    Ok(row.try_get::<Uuid>("", column)?)
}

/// Each compound of the city with a company under contract, and that company.
async fn contracts(db: &impl ConnectionTrait, city: PlaceId) -> Result<BTreeMap<Uuid, Uuid>> {
    let found = rows(
        db,
        "SELECT id, property_company_id FROM places WHERE city_id = $1 AND kind = 'compound' \
         AND property_company_id IS NOT NULL",
        vec![city.as_uuid().into()],
    )
    .await?;
    found.iter().map(|r| Ok((id(r, "id")?, id(r, "property_company_id")?))).collect()
}

/// The quarter's figures per company: each aggregate is per compound, summed to the compound's company.
async fn inputs_of(
    db: &impl ConnectionTrait,
    city: PlaceId,
    quarter: Quarter,
    contracts: &BTreeMap<Uuid, Uuid>,
    now: DateTime<Utc>,
) -> Result<(BTreeMap<Uuid, CreditInputs>, BTreeMap<Uuid, u32>)> {
    let (start, end) = (quarter.starts_at(), quarter.ends_at());
    let in_city = "SELECT id FROM places WHERE city_id = $1 AND kind = 'compound'";
    let mut inputs: BTreeMap<Uuid, CreditInputs> = contracts.values().map(|c| (*c, CreditInputs::default())).collect();
    let company = |compound: Uuid| contracts.get(&compound).copied();

    // Residents' ratings of outcomes the company implemented: a topic routed to it or with a task it owned.
    let ratings = rows(
        db,
        &format!(
            "SELECT t.compound_id AS compound, CAST(SUM(r.score) AS BIGINT) AS total, COUNT(*) AS n \
             FROM ratings r JOIN topics t ON t.id = r.topic_id \
             WHERE t.compound_id IN ({in_city}) AND r.updated_at >= $2 AND r.updated_at < $3 \
             AND (t.company_id IS NOT NULL OR EXISTS (SELECT 1 FROM tasks k WHERE k.topic_id = t.id \
             AND k.owner_party = 'property_company')) GROUP BY t.compound_id"
        ),
        vec![city.as_uuid().into(), start.into(), end.into()],
    )
    .await?;
    for row in &ratings {
        if let Some(input) = company(id(row, "compound")?).and_then(|c| inputs.get_mut(&c)) {
            let s = input.ratings.get_or_insert_with(ScoreSum::default);
            s.sum += n(row, "total")?;
            s.count += n(row, "n")?;
        }
    }

    // Tasks it owned that fell due in the quarter: on time when done by the due time.
    let tasks = rows(
        db,
        &format!(
            "SELECT t.compound_id AS compound, COUNT(*) AS n, \
             CAST(SUM(CASE WHEN k.done_at IS NOT NULL AND k.done_at <= k.due_at THEN 1 ELSE 0 END) AS BIGINT) AS ok \
             FROM tasks k JOIN topics t ON t.id = k.topic_id \
             WHERE t.compound_id IN ({in_city}) AND k.owner_party = 'property_company' \
             AND k.due_at >= $2 AND k.due_at < $3 GROUP BY t.compound_id"
        ),
        vec![city.as_uuid().into(), start.into(), end.into()],
    )
    .await?;
    for row in &tasks {
        if let Some(input) = company(id(row, "compound")?).and_then(|c| inputs.get_mut(&c)) {
            let s = input.on_time.get_or_insert_with(Share::default);
            s.whole += n(row, "n")?;
            s.part += n(row, "ok")?;
        }
    }

    // Service requests routed to it in the quarter: on time when reported done within SERVICE_DAYS. The
    // comparison of two instants is done here, not in SQL, where the backends' date arithmetic differs;
    // one short row per request.
    let requests = rows(
        db,
        &format!(
            "SELECT t.compound_id AS compound, t.routed_at AS routed_at, \
             (SELECT MIN(e.at) FROM topic_events e WHERE e.topic_id = t.id AND e.kind = 'service_done') AS done_at \
             FROM topics t WHERE t.compound_id IN ({in_city}) AND t.company_id IS NOT NULL \
             AND t.routed_at >= $2 AND t.routed_at < $3"
        ),
        vec![city.as_uuid().into(), start.into(), end.into()],
    )
    .await?;
    for row in &requests {
        let routed: DateTime<Utc> = row.try_get("", "routed_at")?;
        let done: Option<DateTime<Utc>> = row.try_get("", "done_at").ok().flatten();
        if let Some(input) = company(id(row, "compound")?).and_then(|c| inputs.get_mut(&c)) {
            let s = input.on_time.get_or_insert_with(Share::default);
            s.whole += 1;
            s.part += u64::from(done.is_some_and(|d| d <= routed + Duration::days(SERVICE_DAYS)));
        }
    }

    // Letters received on its tasks: in the quarter for the score, in the last twelve months for the list.
    let year_start = end - Duration::days(365);
    let letters = rows(
        db,
        &format!(
            "SELECT t.compound_id AS compound, \
             CAST(SUM(CASE WHEN k.reminder_at >= $1 AND k.reminder_at < $2 THEN 1 ELSE 0 END) AS BIGINT) AS reminders, \
             CAST(SUM(CASE WHEN k.warning_at >= $3 AND k.warning_at < $4 THEN 1 ELSE 0 END) AS BIGINT) AS warnings, \
             CAST(SUM(CASE WHEN k.reminder_at >= $5 AND k.reminder_at < $6 THEN 1 ELSE 0 END) \
               + SUM(CASE WHEN k.warning_at >= $7 AND k.warning_at < $8 THEN 1 ELSE 0 END) AS BIGINT) AS in_year \
             FROM tasks k JOIN topics t ON t.id = k.topic_id \
             WHERE t.compound_id IN ({in_city_9}) AND k.owner_party = 'property_company' \
             AND (k.reminder_at IS NOT NULL OR k.warning_at IS NOT NULL) GROUP BY t.compound_id",
            in_city_9 = in_city.replace("$1", "$9"),
        ),
        vec![
            start.into(),
            end.into(),
            start.into(),
            end.into(),
            year_start.into(),
            end.into(),
            year_start.into(),
            end.into(),
            city.as_uuid().into(),
        ],
    )
    .await?;
    let mut in_year: BTreeMap<Uuid, u32> = BTreeMap::new();
    for row in &letters {
        let Some(c) = company(id(row, "compound")?) else { continue };
        if let Some(input) = inputs.get_mut(&c) {
            input.reminders += u32::try_from(n(row, "reminders")?).unwrap_or(u32::MAX);
            input.warnings += u32::try_from(n(row, "warnings")?).unwrap_or(u32::MAX);
        }
        *in_year.entry(c).or_default() += u32::try_from(n(row, "in_year")?).unwrap_or(u32::MAX);
    }

    // Survey satisfaction: the closed surveys of its compounds due to close in the quarter, counted only
    // where their results may be shown (a withheld survey tells nobody anything, the score included).
    let surveys = crate::entities::survey::Entity::find()
        .filter(crate::entities::survey::Column::CompoundId.is_in(contracts.keys().copied()))
        .filter(crate::entities::survey::Column::ClosesAt.lt(end))
        .filter(crate::entities::survey::Column::ClosesAt.gte(start))
        .all(db)
        .await?;
    for row in surveys {
        let Some(c) = company(row.compound_id) else { continue };
        let questions: Vec<gongzhi_domain::accountability::survey::Question> =
            serde_json::from_str(&row.questions).map_err(|_| crate::rows::corrupt("survey questions", row.id))?;
        let questions = gongzhi_domain::accountability::survey::Questions::parse(questions)?;
        let responses = super::surveys::survey_responses(db, gongzhi_domain::ids::SurveyId::from_uuid(row.id)).await?;
        let min = u32::try_from(row.min_responses).unwrap_or(u32::MAX);
        let closed = row.closed_at.is_some() || row.closes_at <= now;
        let Ok(results) = gongzhi_domain::accountability::survey::results(&questions, &responses, closed, min) else {
            continue;
        };
        let (sum, count) = gongzhi_domain::accountability::survey::satisfaction(&results);
        if count > 0
            && let Some(input) = inputs.get_mut(&c)
        {
            let s = input.surveys.get_or_insert_with(ScoreSum::default);
            s.sum += sum;
            s.count += u64::from(count);
        }
    }

    // Disclosures on time (双晒, seed 002): the property-accounts obligations of the city's places due in the
    // quarter and already due, owed by the company that held the contract when each was opened, on time
    // when first published by the due time (`disclosure_obligations`, decision 103). Their letters count
    // with the task letters.
    let disclosures = rows(
        db,
        "SELECT o.company_id AS company, COUNT(*) AS n, \
         CAST(SUM(CASE WHEN o.fulfilled_at IS NOT NULL AND o.fulfilled_at <= o.due_at THEN 1 ELSE 0 END) AS BIGINT) AS ok \
         FROM disclosure_obligations o WHERE o.place_id IN (SELECT id FROM places WHERE city_id = $1) \
         AND o.kind = 'property_accounts' AND o.company_id IS NOT NULL \
         AND o.due_at >= $2 AND o.due_at < $3 AND o.due_at <= $4 GROUP BY o.company_id",
        vec![city.as_uuid().into(), start.into(), end.into(), now.into()],
    )
    .await?;
    for row in &disclosures {
        if let Some(input) = inputs.get_mut(&id(row, "company")?) {
            let s = input.disclosures.get_or_insert_with(Share::default);
            s.whole += n(row, "n")?;
            s.part += n(row, "ok")?;
        }
    }
    let disclosure_letters = rows(
        db,
        "SELECT l.company_id AS company, \
         CAST(SUM(CASE WHEN l.letter = 'reminder' AND l.sent_at >= $1 AND l.sent_at < $2 THEN 1 ELSE 0 END) AS BIGINT) AS reminders, \
         CAST(SUM(CASE WHEN l.letter = 'warning' AND l.sent_at >= $3 AND l.sent_at < $4 THEN 1 ELSE 0 END) AS BIGINT) AS warnings, \
         CAST(SUM(CASE WHEN l.sent_at >= $5 AND l.sent_at < $6 THEN 1 ELSE 0 END) AS BIGINT) AS in_year \
         FROM disclosure_letters l WHERE l.place_id IN (SELECT id FROM places WHERE city_id = $7) \
         AND l.company_id IS NOT NULL AND l.letter IN ('reminder', 'warning') GROUP BY l.company_id",
        vec![
            start.into(),
            end.into(),
            start.into(),
            end.into(),
            year_start.into(),
            end.into(),
            city.as_uuid().into(),
        ],
    )
    .await?;
    for row in &disclosure_letters {
        let company = id(row, "company")?;
        if let Some(input) = inputs.get_mut(&company) {
            input.reminders += u32::try_from(n(row, "reminders")?).unwrap_or(u32::MAX);
            input.warnings += u32::try_from(n(row, "warnings")?).unwrap_or(u32::MAX);
            *in_year.entry(company).or_default() += u32::try_from(n(row, "in_year")?).unwrap_or(u32::MAX);
        }
    }
    Ok((inputs, in_year))
}

impl Store {
    /// A city administrator computes a quarter for their city: credit scores, the warning list, problem
    /// compounds. `None` actor is the operator's command or the scheduler.
    #[instrument(skip_all, fields(city = %city, quarter = %quarter))]
    pub async fn compute_quarter(
        &self,
        actor: Option<&Actor>,
        city: PlaceId,
        quarter: Quarter,
    ) -> Result<QuarterReport> {
        if let Some(actor) = actor {
            authorize_city_accountability(actor, city)?;
        }
        let txn = self.write().await?;
        let now = self.clock.now();
        let settings = super::settings::settings_of(&txn, city).await?;
        let contracts = contracts(&txn, city).await?;
        let (inputs, letters_in_year) = inputs_of(&txn, city, quarter, &contracts, now).await?;
        credit_score::Entity::delete_many()
            .filter(credit_score::Column::CityId.eq(city.as_uuid()))
            .filter(credit_score::Column::Quarter.eq(quarter.code()))
            .exec(&txn)
            .await?;
        let mut report = QuarterReport { companies: inputs.len(), ..QuarterReport::default() };
        let mut rows_out = Vec::with_capacity(inputs.len());
        for (company, input) in &inputs {
            let letters = letters_in_year.get(company).copied().unwrap_or(0);
            let scored = credit::score(input, &settings.weights);
            rows_out.push(credit_score::ActiveModel {
                id: Set(new_id()),
                company_id: Set(*company),
                city_id: Set(city.as_uuid()),
                quarter: Set(quarter.code()),
                score_centi: Set(scored.score_centi),
                inputs: Set(serde_json::to_string(input).map_err(super::json_fault)?),
                weights: Set(serde_json::to_string(&settings.weights).map_err(super::json_fault)?),
                letters_in_year: Set(i32::try_from(letters).unwrap_or(i32::MAX)),
                computed_at: Set(now),
            });
            let event = WireEvent::CreditScored {
                company: *company,
                quarter: quarter.code(),
                score_centi: scored.score_centi,
                letters_in_year: letters,
            };
            crate::event_log::record(&txn, NewEvent::new(event, now, Audience::Public).place(city)).await?;
            let reasons = listing::reasons(scored.score_centi, letters, &settings.rules);
            let (listed, lifted) =
                update_listing(&txn, city, CompanyId::from_uuid(*company), quarter, reasons, &settings.rules, now)
                    .await?;
            report.listed += usize::from(listed);
            report.lifted += usize::from(lifted);
        }
        for chunk in rows_out.chunks(500) {
            credit_score::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        let (compounds, listed) = super::problem_compounds::compute(&txn, city, quarter, now).await?;
        report.compounds = compounds;
        report.problem_compounds = listed;
        txn.commit().await?;
        Ok(report)
    }

    /// A company's records, newest quarter first: public, as the seeds want the credit record to be.
    pub async fn credit_records(&self, company: CompanyId) -> Result<Vec<CreditRecord>> {
        let rows = credit_score::Entity::find()
            .filter(credit_score::Column::CompanyId.eq(company.as_uuid()))
            .order_by_desc(credit_score::Column::Quarter)
            .all(&self.db)
            .await?;
        rows.into_iter().map(record_of).collect()
    }
}

/// Lists the company if the quarter gives reasons and it is not listed already; otherwise counts a quarter
/// of good standing on its open listing and lifts it when the rules say. (listed, lifted).
async fn update_listing(
    txn: &TopicWrite,
    city: PlaceId,
    company: CompanyId,
    quarter: Quarter,
    reasons: Vec<Reason>,
    rules: &listing::ListingRules,
    now: DateTime<Utc>,
) -> Result<(bool, bool)> {
    let open = company_listing::Entity::find()
        .filter(company_listing::Column::CompanyId.eq(company.as_uuid()))
        .filter(company_listing::Column::CityId.eq(city.as_uuid()))
        .filter(company_listing::Column::Status.ne("lifted"))
        .one(txn)
        .await?;
    match open {
        None if reasons.is_empty() => Ok((false, false)),
        None => {
            let row = company_listing::ActiveModel {
                id: Set(new_id()),
                company_id: Set(company.as_uuid()),
                city_id: Set(city.as_uuid()),
                status: Set(Status::Warned.code().to_owned()),
                reasons: Set(serde_json::to_string(&reasons).map_err(super::json_fault)?),
                listed_quarter: Set(quarter.code()),
                listed_at: Set(now),
                notice_at: Set(None),
                notice_by: Set(None),
                notice_reason: Set(None),
                appeal_until: Set(None),
                appeal: Set(None),
                appealed_at: Set(None),
                appeal_answer: Set(None),
                blacklisted_at: Set(None),
                blacklisted_by: Set(None),
                blacklisted_until: Set(None),
                good_quarters: Set(0),
                checked_quarter: Set(quarter.code()),
                lifted_at: Set(None),
                updated_at: Set(now),
            }
            .insert(txn)
            .await?;
            let codes = reasons
                .iter()
                .map(|r| match r {
                    Reason::Score { .. } => "score".to_owned(),
                    Reason::Letters { .. } => "letters".to_owned(),
                })
                .collect();
            let event = WireEvent::CompanyListed {
                listing: row.id,
                company: company.as_uuid(),
                quarter: quarter.code(),
                reasons: codes,
            };
            crate::event_log::record(txn, NewEvent::new(event, now, Audience::Public).place(city)).await?;
            Ok((true, false))
        }
        Some(row) => {
            // A recomputation of a quarter already looked at changes nothing; a later one counts.
            let checked = Quarter::parse(&row.checked_quarter)?;
            if quarter <= checked {
                return Ok((false, false));
            }
            let good = if reasons.is_empty() { row.good_quarters + 1 } else { 0 };
            let status = super::listings::status_of(&row)?;
            let after = status.after_quarter(now, u32::try_from(good).unwrap_or(0), rules);
            let lifted = matches!(after, Status::Lifted { .. });
            let listing_id = row.id;
            let mut active: company_listing::ActiveModel = row.into();
            active.good_quarters = Set(good);
            active.checked_quarter = Set(quarter.code());
            active.updated_at = Set(now);
            if lifted {
                active.status = Set(after.code().to_owned());
                active.lifted_at = Set(Some(now));
            }
            active.update(txn).await?;
            if lifted {
                let event = WireEvent::CompanyListingLifted { listing: listing_id, company: company.as_uuid() };
                crate::event_log::record(txn, NewEvent::new(event, now, Audience::Public).place(city)).await?;
            }
            Ok((false, lifted))
        }
    }
}
