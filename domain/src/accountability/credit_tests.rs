use super::credit::*;

fn weights() -> CreditWeights {
    CreditWeights::default()
}

#[test]
fn a_perfect_quarter_scores_one_hundred() {
    let inputs = CreditInputs {
        ratings: Some(ScoreSum { sum: 50, count: 10 }),
        on_time: Some(Share { part: 8, whole: 8 }),
        disclosures: Some(Share { part: 1, whole: 1 }),
        surveys: Some(ScoreSum { sum: 25, count: 5 }),
        reminders: 0,
        warnings: 0,
    };
    assert_eq!(score(&inputs, &weights()).score_centi, Some(10_000));
}

#[test]
fn each_input_is_weighted_and_letters_are_deducted() {
    // Ratings mean 4 → 75.00; on time 3 of 4 → 75.00; surveys mean 3 → 50.00; disclosures no data.
    let inputs = CreditInputs {
        ratings: Some(ScoreSum { sum: 8, count: 2 }),
        on_time: Some(Share { part: 3, whole: 4 }),
        disclosures: None,
        surveys: Some(ScoreSum { sum: 9, count: 3 }),
        reminders: 1,
        warnings: 1,
    };
    let scored = score(&inputs, &weights());
    // (30×75 + 30×75 + 20×50) / 80 = 68.75, less 2 + 5 = 61.75.
    assert_eq!(scored.score_centi, Some(6_175));
    assert_eq!(scored.deduction_centi, 700);
    let disclosures = scored.parts.iter().find(|p| p.input == Input::Disclosures).expect("part");
    assert_eq!(disclosures.value_centi, None, "no data is shown as such, not as zero");
    assert_eq!(centi_text(6_175), "61.75");
}

#[test]
fn no_data_at_all_is_no_score_and_deductions_never_go_below_zero() {
    let none = CreditInputs { reminders: 3, ..CreditInputs::default() };
    assert_eq!(score(&none, &weights()).score_centi, None);
    let poor = CreditInputs { on_time: Some(Share { part: 0, whole: 5 }), warnings: 4, ..CreditInputs::default() };
    assert_eq!(score(&poor, &weights()).score_centi, Some(0));
}

#[test]
fn a_city_may_weigh_only_what_it_chooses() {
    let only_surveys = CreditWeights { ratings: 0, on_time: 0, disclosures: 0, surveys: 1, ..weights() };
    let inputs = CreditInputs {
        on_time: Some(Share { part: 0, whole: 5 }),
        surveys: Some(ScoreSum { sum: 5, count: 1 }),
        ..CreditInputs::default()
    };
    assert_eq!(score(&inputs, &only_surveys).score_centi, Some(10_000));
    assert!(CreditWeights { ratings: 0, on_time: 0, disclosures: 0, surveys: 0, ..weights() }.check().is_err());
}

#[test]
fn rounding_is_half_up_in_hundredths() {
    // 2 of 3 on time = 66.666… → 66.67.
    let inputs = CreditInputs { on_time: Some(Share { part: 2, whole: 3 }), ..CreditInputs::default() };
    assert_eq!(score(&inputs, &weights()).score_centi, Some(6_667));
    assert_eq!(super::decimal(2, 3, 2), "0.67");
    assert_eq!(super::decimal(1, 8, 2), "0.13");
}

mod listing {
    use chrono::{Duration, TimeZone, Utc};

    use crate::accountability::AccountabilityError;
    use crate::accountability::listing::*;

    #[test]
    fn a_low_score_or_too_many_letters_lists_the_company() {
        let rules = ListingRules::default();
        assert!(reasons(Some(6_000), 2, &rules).is_empty(), "60.00 is not below 60.00");
        assert_eq!(reasons(Some(5_999), 0, &rules), vec![Reason::Score { score_centi: 5_999, threshold_centi: 6_000 }]);
        assert_eq!(reasons(None, 3, &rules), vec![Reason::Letters { letters: 3, threshold: 3 }]);
    }

    #[test]
    fn blacklisting_waits_for_the_appeal_window_and_answers_the_appeal() {
        let rules = ListingRules::default();
        let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().expect("time");
        assert_eq!(
            Status::Warned.blacklist(t0, false, false, &rules),
            Err(AccountabilityError::ListingState { state: "warned" }),
            "no blacklisting without notice"
        );
        let noticed = Status::Warned.give_notice(t0, &rules).expect("notice");
        assert_eq!(noticed.check_appeal(t0 + Duration::days(14)), Ok(()));
        assert_eq!(noticed.check_appeal(t0 + Duration::days(15)), Err(AccountabilityError::AppealWindowClosed));
        assert_eq!(
            noticed.blacklist(t0 + Duration::days(14), false, false, &rules),
            Err(AccountabilityError::AppealWindowOpen)
        );
        let after = t0 + Duration::days(15);
        assert_eq!(noticed.blacklist(after, true, false, &rules), Err(AccountabilityError::AppealUnanswered));
        let black = noticed.blacklist(after, true, true, &rules).expect("blacklisted");
        assert_eq!(black, Status::Blacklisted { until: after + Duration::days(365) });
        assert_eq!(black.after_quarter(after + Duration::days(364), 4, &rules), black, "the stated period first");
        assert_eq!(black.after_quarter(after + Duration::days(365), 0, &rules), black, "and good standing");
        assert!(matches!(black.after_quarter(after + Duration::days(365), 1, &rules), Status::Lifted { .. }));
        assert_eq!(Status::Warned.after_quarter(after, 1, &rules), Status::Warned);
        assert!(matches!(Status::Warned.after_quarter(after, 2, &rules), Status::Lifted { .. }));
    }

    #[test]
    fn a_blacklisted_company_keeps_its_compounds_but_gets_no_new_one() {
        assert_eq!(may_contract(true, false), Err(AccountabilityError::CompanyBlacklisted));
        assert_eq!(may_contract(true, true), Ok(()));
        assert_eq!(may_contract(false, false), Ok(()));
    }
}
