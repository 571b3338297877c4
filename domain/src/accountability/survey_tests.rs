use chrono::{Duration, TimeZone, Utc};

use super::AccountabilityError;
use super::survey::*;

fn questions() -> Questions {
    Questions::parse(vec![
        Question { prompt: "物业服务总体满意度".into(), kind: QuestionKind::Rating },
        Question {
            prompt: "最需要改进".into(),
            kind: QuestionKind::Single { options: vec!["保洁".into(), "安保".into()] },
        },
        Question {
            prompt: "希望增加".into(),
            kind: QuestionKind::Multiple { options: vec!["充电桩".into(), "监控".into(), "绿化".into()] },
        },
        Question { prompt: "其他意见".into(), kind: QuestionKind::Text },
    ])
    .expect("valid questions")
}

fn answers(rating: u8) -> Answers {
    questions()
        .check(vec![
            Some(Answer::Rating(rating)),
            Some(Answer::Single(1)),
            Some(Answer::Multiple(vec![2, 0, 2])),
            Some(Answer::Text(format!("意见{rating}"))),
        ])
        .expect("valid answers")
}

#[test]
fn results_are_withheld_below_the_threshold_and_shown_at_it() {
    let four: Vec<Answers> = (1..=4).map(answers).collect();
    assert_eq!(results(&questions(), &four, true, 5), Err(Withheld::TooFew { answered: 4, needed: 5 }));
    let five: Vec<Answers> = (1..=5).map(answers).collect();
    let shown = results(&questions(), &five, true, 5).expect("five households may be shown");
    assert_eq!(shown.questions[0].distribution, vec![1, 1, 1, 1, 1]);
    assert_eq!(shown.questions[0].mean().as_deref(), Some("3.00"));
    assert_eq!(shown.questions[1].distribution, vec![0, 5]);
    assert_eq!(shown.questions[2].distribution, vec![5, 0, 5], "a repeated option counts once");
    assert_eq!(shown.questions[3].texts.len(), 5);
}

#[test]
fn an_open_survey_shows_no_results_however_many_answered() {
    let many: Vec<Answers> = (0..50).map(|i| answers(1 + i % 5)).collect();
    assert_eq!(results(&questions(), &many, false, 5), Err(Withheld::StillOpen));
}

#[test]
fn a_threshold_of_zero_still_needs_one_household() {
    assert_eq!(results(&questions(), &[], true, 0), Err(Withheld::TooFew { answered: 0, needed: 1 }));
}

#[test]
fn skipped_questions_are_not_counted_in_their_mean() {
    let skip = questions().check(vec![None, None, None, None]).expect("all skipped");
    let mut all: Vec<Answers> = vec![answers(5), answers(4), skip.clone(), skip.clone(), skip];
    all.push(answers(4));
    let shown = results(&questions(), &all, true, 5).expect("shown");
    assert_eq!((shown.questions[0].answered, shown.questions[0].mean().as_deref()), (3, Some("4.33")));
    assert_eq!(satisfaction(&shown), (13, 3));
}

#[test]
fn answers_are_checked_against_their_questions() {
    let q = questions();
    assert_eq!(q.check(vec![None]), Err(AccountabilityError::AnswerCount { expected: 4, given: 1 }));
    let rating = |r| vec![Some(Answer::Rating(r)), None, None, None];
    assert_eq!(q.check(rating(0)), Err(AccountabilityError::RatingRange { question: 1 }));
    assert_eq!(q.check(rating(6)), Err(AccountabilityError::RatingRange { question: 1 }));
    assert!(q.check(rating(5)).is_ok());
    assert_eq!(
        q.check(vec![None, Some(Answer::Single(2)), None, None]),
        Err(AccountabilityError::NoSuchOption { question: 2 })
    );
    assert_eq!(
        q.check(vec![None, None, Some(Answer::Multiple(vec![])), None]),
        Err(AccountabilityError::EmptyAnswer { question: 3 })
    );
    assert_eq!(
        q.check(vec![Some(Answer::Text("好".into())), None, None, None]),
        Err(AccountabilityError::AnswerKind { question: 1 })
    );
}

#[test]
fn a_choice_needs_two_options_and_a_survey_a_question() {
    assert_eq!(Questions::parse(vec![]), Err(AccountabilityError::QuestionCount { max: MAX_QUESTIONS }));
    let one = Question { prompt: "选择".into(), kind: QuestionKind::Single { options: vec!["是".into()] } };
    assert_eq!(Questions::parse(vec![one]), Err(AccountabilityError::OptionCount { question: 1, max: MAX_OPTIONS }));
}

#[test]
fn answers_are_taken_only_inside_the_window() {
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().expect("time");
    let window = Window::new(t0, t0 + Duration::days(7), t0).expect("window");
    assert_eq!(window.check_answering(t0 - Duration::seconds(1)), Err(AccountabilityError::SurveyNotOpen));
    assert_eq!(window.check_answering(t0), Ok(()));
    assert_eq!(window.check_answering(t0 + Duration::days(7)), Err(AccountabilityError::SurveyClosed));
    let closed = window.close(t0 + Duration::days(1)).expect("closes early");
    assert_eq!(closed.check_answering(t0 + Duration::days(2)), Err(AccountabilityError::SurveyClosed));
    assert_eq!(Window::new(t0, t0, t0), Err(AccountabilityError::SurveyWindow));
}
