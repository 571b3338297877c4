//! 诚信档案: the property company's credit score for a quarter, in one place with its weights (seed 001:
//! 建立物业服务企业诚信档案, 将居民满意度、整改落实情况、提示函警示函纳入信用评价; seed 002: 双晒 on time).
//!
//! The score is out of 100, kept in hundredths (an integer: no floating point anywhere). Each input with
//! data becomes a value out of 100:
//! - residents' ratings of outcomes the company implemented (1–5): (mean − 1) / 4 × 100;
//! - on time: tasks it owned and service requests routed to it that fell due in the quarter, done by
//!   their due time, as a share × 100;
//! - disclosures on time (双晒, from the disclosures' deadlines) as a share × 100;
//! - survey satisfaction (the compounds' closed surveys' rating answers, 1–5): as ratings.
//!
//! The weighted mean of the inputs that have data (weights renormalised over them, so "no data" neither
//! helps nor hurts), less a fixed deduction per letter received in the quarter (提示函, 警示函), floored at
//! 0. With no input at all there is no score, only the deductions. Every score carries its parts, so a
//! company can see why.

use serde::{Deserialize, Serialize};

use super::AccountabilityError;

/// Per city (`credit_weights`); the defaults below where a city set none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditWeights {
    pub ratings: u32,
    pub on_time: u32,
    pub disclosures: u32,
    pub surveys: u32,
    /// Points (hundredths) off per reminder letter (提示函).
    pub reminder_deduction_centi: u32,
    /// Points (hundredths) off per warning letter (警示函).
    pub warning_deduction_centi: u32,
}

impl Default for CreditWeights {
    fn default() -> Self {
        CreditWeights {
            ratings: 30,
            on_time: 30,
            disclosures: 20,
            surveys: 20,
            reminder_deduction_centi: 200,
            warning_deduction_centi: 500,
        }
    }
}

impl CreditWeights {
    pub fn check(self) -> Result<Self, AccountabilityError> {
        let total =
            u64::from(self.ratings) + u64::from(self.on_time) + u64::from(self.disclosures) + u64::from(self.surveys);
        if total == 0
            || total > 1_000
            || self.reminder_deduction_centi > 10_000
            || self.warning_deduction_centi > 10_000
        {
            return Err(AccountabilityError::Weights);
        }
        Ok(self)
    }
}

/// A mean of 1–5 scores, as the sum and count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScoreSum {
    pub sum: u64,
    pub count: u64,
}

/// A share, as part and whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Share {
    pub part: u64,
    pub whole: u64,
}

/// What the score is computed from; `None` is "no data" for the quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditInputs {
    pub ratings: Option<ScoreSum>,
    pub on_time: Option<Share>,
    pub disclosures: Option<Share>,
    pub surveys: Option<ScoreSum>,
    pub reminders: u32,
    pub warnings: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    Ratings,
    OnTime,
    Disclosures,
    Surveys,
}

impl Input {
    pub const ALL: [Input; 4] = [Input::Ratings, Input::OnTime, Input::Disclosures, Input::Surveys];

    pub const fn code(self) -> &'static str {
        match self {
            Input::Ratings => "ratings",
            Input::OnTime => "on_time",
            Input::Disclosures => "disclosures",
            Input::Surveys => "surveys",
        }
    }
}

/// One input's part in the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub input: Input,
    pub weight: u32,
    /// Out of 100 in hundredths; `None` when the quarter had no data for it.
    pub value_centi: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditScore {
    /// Out of 100 in hundredths; `None` when no input had data.
    pub score_centi: Option<i64>,
    pub parts: Vec<Part>,
    pub deduction_centi: i64,
}

fn rounded(num: i128, den: i128) -> i64 {
    // Half up; num, den ≥ 0.
    i64::try_from((num * 2 + den) / (den * 2)).unwrap_or(i64::MAX)
}

fn of_scores(s: ScoreSum) -> Option<i64> {
    (s.count > 0).then(|| rounded(i128::from(s.sum.saturating_sub(s.count)) * 10_000, i128::from(s.count) * 4))
}

fn of_share(s: Share) -> Option<i64> {
    (s.whole > 0).then(|| rounded(i128::from(s.part.min(s.whole)) * 10_000, i128::from(s.whole)))
}

pub fn score(inputs: &CreditInputs, weights: &CreditWeights) -> CreditScore {
    let parts: Vec<Part> = Input::ALL
        .into_iter()
        .map(|input| {
            let (weight, value_centi) = match input {
                Input::Ratings => (weights.ratings, inputs.ratings.and_then(of_scores)),
                Input::OnTime => (weights.on_time, inputs.on_time.and_then(of_share)),
                Input::Disclosures => (weights.disclosures, inputs.disclosures.and_then(of_share)),
                Input::Surveys => (weights.surveys, inputs.surveys.and_then(of_scores)),
            };
            Part { input, weight, value_centi }
        })
        .collect();
    let (weighted, total): (i128, i128) = parts
        .iter()
        .filter_map(|p| p.value_centi.map(|v| (i128::from(v) * i128::from(p.weight), i128::from(p.weight))))
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    let deduction_centi = i64::from(inputs.reminders) * i64::from(weights.reminder_deduction_centi)
        + i64::from(inputs.warnings) * i64::from(weights.warning_deduction_centi);
    let score_centi = (total > 0).then(|| (rounded(weighted, total) - deduction_centi).clamp(0, 10_000));
    CreditScore { score_centi, parts, deduction_centi }
}

/// "87.50" from 8750.
pub fn centi_text(centi: i64) -> String {
    format!("{}.{:02}", centi / 100, centi % 100)
}
