//! Why an accountability step was refused. Variants name the rule; the API words them in Chinese and
//! English (`api/src/accountability_messages.rs`) and gives each a stable code.

use thiserror::Error;

use crate::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccountabilityError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("quarter {given:?} is not written like 2026Q4")]
    QuarterFormat { given: String },
    #[error("a survey needs between 1 and {max} questions")]
    QuestionCount { max: usize },
    #[error("question {question} needs between 2 and {max} options")]
    OptionCount { question: usize, max: usize },
    #[error("a survey must close after it opens and in the future")]
    SurveyWindow,
    #[error("the survey is closed")]
    SurveyClosed,
    #[error("the survey has not opened yet")]
    SurveyNotOpen,
    #[error("there are {given} answers for {expected} questions")]
    AnswerCount { expected: usize, given: usize },
    #[error("answer {question} is not of the question's kind")]
    AnswerKind { question: usize },
    #[error("answer {question}: a rating is 1 to 5")]
    RatingRange { question: usize },
    #[error("answer {question} names an option the question does not have")]
    NoSuchOption { question: usize },
    #[error("answer {question} is empty")]
    EmptyAnswer { question: usize },
    #[error("you do not live in or own a household of this compound")]
    NoHousehold,
    /// Individual answers are never shown, to anyone (the seeds' 匿名测评).
    #[error("individual answers of a survey are never shown")]
    AnswersAreAnonymous,
    #[error("the listing is {state}")]
    ListingState { state: &'static str },
    #[error("the appeal window is still open")]
    AppealWindowOpen,
    #[error("the appeal window has closed")]
    AppealWindowClosed,
    #[error("an appeal was lodged: blacklisting must answer it")]
    AppealUnanswered,
    /// Seed 001: a blacklisted company may not take on new compounds.
    #[error("the company is on the blacklist and cannot be given a new compound's contract")]
    CompanyBlacklisted,
    #[error("the weights must not all be zero")]
    Weights,
    /// 一院一案: a plan is for a compound on the quarter's problem list.
    #[error("the compound is not a listed problem compound")]
    NotProblemCompound,
    #[error("the compound already has a rectification plan for its listing")]
    PlanExists,
    #[error("a rectification plan needs between 1 and {max} measures")]
    PlanMeasures { max: usize },
    #[error("the rectification plan is {state}")]
    PlanState { state: &'static str },
}

impl AccountabilityError {
    pub const fn code(&self) -> &'static str {
        match self {
            AccountabilityError::Invalid(_) => "invalid",
            AccountabilityError::QuarterFormat { .. } => "quarter_format",
            AccountabilityError::QuestionCount { .. } => "question_count",
            AccountabilityError::OptionCount { .. } => "option_count",
            AccountabilityError::SurveyWindow => "survey_window",
            AccountabilityError::SurveyClosed => "survey_closed",
            AccountabilityError::SurveyNotOpen => "survey_not_open",
            AccountabilityError::AnswerCount { .. } => "answer_count",
            AccountabilityError::AnswerKind { .. } => "answer_kind",
            AccountabilityError::RatingRange { .. } => "rating_range",
            AccountabilityError::NoSuchOption { .. } => "no_such_option",
            AccountabilityError::EmptyAnswer { .. } => "empty_answer",
            AccountabilityError::NoHousehold => "no_household",
            AccountabilityError::AnswersAreAnonymous => "answers_are_anonymous",
            AccountabilityError::ListingState { .. } => "listing_state",
            AccountabilityError::AppealWindowOpen => "appeal_window_open",
            AccountabilityError::AppealWindowClosed => "appeal_window_closed",
            AccountabilityError::AppealUnanswered => "appeal_unanswered",
            AccountabilityError::CompanyBlacklisted => "company_blacklisted",
            AccountabilityError::Weights => "weights",
            AccountabilityError::NotProblemCompound => "not_a_problem_compound",
            AccountabilityError::PlanExists => "plan_exists",
            AccountabilityError::PlanMeasures { .. } => "plan_measures",
            AccountabilityError::PlanState { .. } => "plan_state",
        }
    }

    /// Input the client can correct, as opposed to a conflict with the record's state.
    pub const fn is_input(&self) -> bool {
        matches!(
            self,
            AccountabilityError::Invalid(_)
                | AccountabilityError::QuarterFormat { .. }
                | AccountabilityError::QuestionCount { .. }
                | AccountabilityError::OptionCount { .. }
                | AccountabilityError::SurveyWindow
                | AccountabilityError::AnswerCount { .. }
                | AccountabilityError::AnswerKind { .. }
                | AccountabilityError::RatingRange { .. }
                | AccountabilityError::NoSuchOption { .. }
                | AccountabilityError::EmptyAnswer { .. }
                | AccountabilityError::AppealUnanswered
                | AccountabilityError::Weights
                | AccountabilityError::PlanMeasures { .. }
        )
    }
}
