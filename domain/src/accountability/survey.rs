//! 满意度测评: a satisfaction survey of a compound's households, per quarter or ad hoc (seed 004's 居民
//! 评价; seed 001's 季度满意度测评 feeding the credit record). One response per household, changeable
//! until the close; anonymous to every party but the count, so results are shown only in aggregate, only
//! after the close (while open, each new response would otherwise reveal itself as the difference between
//! two readings) and only once at least N households answered (a small compound cannot be de-anonymised).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::AccountabilityError;
use crate::person::bounded_text;

pub const MAX_QUESTIONS: usize = 30;
pub const MAX_OPTIONS: usize = 10;
/// The fewest households whose answers may be shown, unless the deployment says otherwise.
pub const DEFAULT_MIN_RESPONSES: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// 1 (very dissatisfied) to 5 (very satisfied): the figure the credit record reads.
    Rating,
    Single {
        options: Vec<String>,
    },
    Multiple {
        options: Vec<String>,
    },
    Text,
}

impl QuestionKind {
    pub const fn code(&self) -> &'static str {
        match self {
            QuestionKind::Rating => "rating",
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::Text => "text",
        }
    }

    pub fn options(&self) -> &[String] {
        match self {
            QuestionKind::Single { options } | QuestionKind::Multiple { options } => options,
            QuestionKind::Rating | QuestionKind::Text => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub prompt: String,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// A survey's questions, checked once at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Questions(Vec<Question>);

impl Questions {
    pub fn parse(questions: Vec<Question>) -> Result<Self, AccountabilityError> {
        if questions.is_empty() || questions.len() > MAX_QUESTIONS {
            return Err(AccountabilityError::QuestionCount { max: MAX_QUESTIONS });
        }
        let mut checked = Vec::with_capacity(questions.len());
        for (i, question) in questions.into_iter().enumerate() {
            let prompt = bounded_text("prompt", &question.prompt, 200)?;
            let kind = match question.kind {
                QuestionKind::Single { options } => QuestionKind::Single { options: check_options(i, options)? },
                QuestionKind::Multiple { options } => QuestionKind::Multiple { options: check_options(i, options)? },
                other => other,
            };
            checked.push(Question { prompt, kind });
        }
        Ok(Questions(checked))
    }

    pub fn as_slice(&self) -> &[Question] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks one household's answers against the questions; `None` skips a question.
    pub fn check(&self, answers: Vec<Option<Answer>>) -> Result<Answers, AccountabilityError> {
        if answers.len() != self.0.len() {
            return Err(AccountabilityError::AnswerCount { expected: self.0.len(), given: answers.len() });
        }
        let mut checked = Vec::with_capacity(answers.len());
        for (i, (question, answer)) in self.0.iter().zip(answers).enumerate() {
            let number = i + 1;
            let answer = match (answer, &question.kind) {
                (None, _) => None,
                (Some(Answer::Rating(r)), QuestionKind::Rating) => {
                    if !(1..=5).contains(&r) {
                        return Err(AccountabilityError::RatingRange { question: number });
                    }
                    Some(Answer::Rating(r))
                }
                (Some(Answer::Single(o)), QuestionKind::Single { options }) => {
                    if usize::from(o) >= options.len() {
                        return Err(AccountabilityError::NoSuchOption { question: number });
                    }
                    Some(Answer::Single(o))
                }
                (Some(Answer::Multiple(mut chosen)), QuestionKind::Multiple { options }) => {
                    chosen.sort_unstable();
                    chosen.dedup();
                    if chosen.is_empty() {
                        return Err(AccountabilityError::EmptyAnswer { question: number });
                    }
                    if chosen.iter().any(|o| usize::from(*o) >= options.len()) {
                        return Err(AccountabilityError::NoSuchOption { question: number });
                    }
                    Some(Answer::Multiple(chosen))
                }
                (Some(Answer::Text(text)), QuestionKind::Text) => {
                    Some(Answer::Text(bounded_text("answer", &text, 500).map_err(|e| match e {
                        crate::Invalid::Required { .. } => AccountabilityError::EmptyAnswer { question: number },
                        other => other.into(),
                    })?))
                }
                (Some(_), _) => return Err(AccountabilityError::AnswerKind { question: number }),
            };
            checked.push(answer);
        }
        Ok(Answers(checked))
    }
}

fn check_options(question: usize, options: Vec<String>) -> Result<Vec<String>, AccountabilityError> {
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        return Err(AccountabilityError::OptionCount { question: question + 1, max: MAX_OPTIONS });
    }
    options.iter().map(|o| bounded_text("option", o, 50).map_err(Into::into)).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Rating(u8),
    /// The option's index.
    Single(u8),
    Multiple(Vec<u8>),
    Text(String),
}

/// One household's checked answers, in question order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(Vec<Option<Answer>>);

impl Answers {
    pub fn as_slice(&self) -> &[Option<Answer>] {
        &self.0
    }
}

/// When a survey takes answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Set when staff closed it early.
    pub closed_at: Option<DateTime<Utc>>,
}

impl Window {
    pub fn new(
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, AccountabilityError> {
        if closes_at <= opens_at || closes_at <= now {
            return Err(AccountabilityError::SurveyWindow);
        }
        Ok(Window { opens_at, closes_at, closed_at: None })
    }

    pub fn is_closed(&self, now: DateTime<Utc>) -> bool {
        self.closed_at.is_some() || now >= self.closes_at
    }

    /// An answer, or a change of one, is taken only while the survey is open.
    pub fn check_answering(&self, now: DateTime<Utc>) -> Result<(), AccountabilityError> {
        if self.is_closed(now) {
            Err(AccountabilityError::SurveyClosed)
        } else if now < self.opens_at {
            Err(AccountabilityError::SurveyNotOpen)
        } else {
            Ok(())
        }
    }

    pub fn close(self, now: DateTime<Utc>) -> Result<Self, AccountabilityError> {
        if self.is_closed(now) {
            return Err(AccountabilityError::SurveyClosed);
        }
        Ok(Window { closed_at: Some(now), ..self })
    }
}

/// Why a survey's results are not shown yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// Still open: only the count is shown.
    StillOpen,
    /// Fewer households answered than may be shown.
    TooFew { answered: u32, needed: u32 },
}

impl Withheld {
    pub const fn code(self) -> &'static str {
        match self {
            Withheld::StillOpen => "still_open",
            Withheld::TooFew { .. } => "too_few_responses",
        }
    }
}

/// What one question's answers add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionResult {
    pub answered: u32,
    /// Ratings: the sum of the scores, so that the mean is `sum / answered` exactly.
    pub rating_sum: u64,
    /// Ratings: households per score 1–5; choices: households per option.
    pub distribution: Vec<u32>,
    /// Free texts, sorted so their order says nothing about who wrote them.
    pub texts: Vec<String>,
}

impl QuestionResult {
    /// The mean rating to two decimals ("4.20"), for ratings with answers.
    pub fn mean(&self) -> Option<String> {
        (self.answered > 0 && self.rating_sum > 0).then(|| super::decimal(self.rating_sum, u64::from(self.answered), 2))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    pub questions: Vec<QuestionResult>,
}

/// Shows the results only when the survey is closed and at least `min_responses` households answered.
pub fn results(
    questions: &Questions,
    responses: &[Answers],
    closed: bool,
    min_responses: u32,
) -> Result<Results, Withheld> {
    let answered = u32::try_from(responses.len()).unwrap_or(u32::MAX);
    if !closed {
        return Err(Withheld::StillOpen);
    }
    if answered < min_responses.max(1) {
        return Err(Withheld::TooFew { answered, needed: min_responses.max(1) });
    }
    let mut out: Vec<QuestionResult> = questions
        .as_slice()
        .iter()
        .map(|q| QuestionResult {
            answered: 0,
            rating_sum: 0,
            distribution: match &q.kind {
                QuestionKind::Rating => vec![0; 5],
                other => vec![0; other.options().len()],
            },
            texts: Vec::new(),
        })
        .collect();
    for response in responses {
        for (result, answer) in out.iter_mut().zip(response.as_slice()) {
            let Some(answer) = answer else { continue };
            result.answered += 1;
            match answer {
                Answer::Rating(r) => {
                    result.rating_sum += u64::from(*r);
                    if let Some(slot) = result.distribution.get_mut(usize::from(r.saturating_sub(1))) {
                        *slot += 1;
                    }
                }
                Answer::Single(o) => {
                    if let Some(slot) = result.distribution.get_mut(usize::from(*o)) {
                        *slot += 1;
                    }
                }
                Answer::Multiple(chosen) => {
                    for o in chosen {
                        if let Some(slot) = result.distribution.get_mut(usize::from(*o)) {
                            *slot += 1;
                        }
                    }
                }
                Answer::Text(text) => result.texts.push(text.clone()),
            }
        }
    }
    for result in &mut out {
        result.texts.sort();
    }
    Ok(Results { questions: out })
}

/// The satisfaction a survey gives the credit record: the sum and count of every rating answer, when
/// its results may be shown at all (a withheld survey tells nobody anything, the credit record included).
pub fn satisfaction(results: &Results) -> (u64, u32) {
    results
        .questions
        .iter()
        .filter(|q| q.distribution.len() == 5 && q.rating_sum > 0)
        .fold((0, 0), |(s, n), q| (s + q.rating_sum, n + q.answered))
}
