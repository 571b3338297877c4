//! The property company's credit record, the warning list and the blacklist with due process, and
//! problem compounds (issue 17), through GraphQL on SQLite and PostgreSQL.

use chrono::Duration;
use gongzhi_tests::app::demo_topic;
use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

const COMPUTE: &str = "mutation($c: ID!, $q: String!) { computeQuarter(cityId: $c, quarter: $q) { companies listed compounds problemCompounds } }";
const LISTINGS: &str = "query($c: ID!) { companyListings(cityId: $c) { id status quarter reasons { kind figure threshold } \
    noticeReason appeal appealAnswer company { name } } }";
const NOTICE: &str = "mutation($l: ID!, $r: String!) { giveBlacklistNotice(listingId: $l, reason: $r) { ok refusal { code } listing { status } } }";
const APPEAL: &str = "mutation($l: ID!, $a: String!) { appealListing(listingId: $l, appeal: $a) { ok refusal { code } listing { status appeal } } }";
const BLACKLIST: &str = "mutation($l: ID!, $a: String) { blacklistCompany(listingId: $l, answerToAppeal: $a) { ok refusal { code message } listing { status appealAnswer } } }";
const ASSIGN: &str = "mutation($p: ID!, $c: ID) { assignPropertyCompany(compoundId: $p, companyId: $c) { ok refusal { code message } } }";

async fn city(app: &TestApp, token: &str) -> String {
    let body = app.gql(Some(token), "{ cities(first: 5) { edges { node { id name } } } }", json!({})).await;
    body["data"]["cities"]["edges"][0]["node"]["id"].as_str().expect("the demo city").to_owned()
}

async fn company(app: &TestApp, token: &str) -> String {
    let body = app.gql(Some(token), "{ propertyCompanies { id name } }", json!({})).await;
    body["data"]["propertyCompanies"][0]["id"].as_str().expect("安居物业").to_owned()
}

/// 锦绣花园's parking topic routed to 安居物业 and never done: its one service request of the quarter is
/// late, so its on-time rate is 0 of 1; with the demo's closed survey (mean 4.00, so 75.00) its score is
/// (30 × 0 + 20 × 75) / 50 = 30.00, below the warning list's 60.00.
async fn a_late_company_listed(app: &TestApp) -> (String, String, String) {
    let staff = app.login_as("rc_staff").await;
    let parking = demo_topic(app, &staff, "电动车").await;
    let routed =
        app.gql(Some(&staff), "mutation($t: ID!) { routeTopic(topicId: $t) { ok } }", json!({ "t": parking })).await;
    assert_eq!(routed["data"]["routeTopic"]["ok"], true, "{routed}");
    let admin = app.login_as("city_admin").await;
    let city = city(app, &admin).await;
    let computed = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;
    assert_eq!(computed["data"]["computeQuarter"]["listed"], 1, "{computed}");
    let listings = app.gql(Some(&admin), LISTINGS, json!({ "c": city })).await;
    let listing = listings["data"]["companyListings"][0]["id"].as_str().expect("a listing").to_owned();
    (city, company(app, &admin).await, listing)
}

on_both!(a_quarter_scores_the_company_with_its_inputs_and_lists_it_with_its_reasons, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };

    // Act
    let (city, company, _) = a_late_company_listed(&app).await;

    // Assert: the record shows every input, "no data" as null; the listing is public with its figures.
    let resident = app.login_as("resident").await;
    let record = app
        .gql(
            Some(&resident),
            "query($c: ID!) { creditRecords(companyId: $c) { quarter score deduction inputs { input weight value figures } } }",
            json!({ "c": company }),
        )
        .await;
    let first = &record["data"]["creditRecords"][0];
    assert_eq!((first["quarter"].clone(), first["score"].clone()), (json!("2026Q4"), json!("30.00")), "{record}");
    let on_time = first["inputs"].as_array().expect("inputs").iter().find(|i| i["input"] == "on_time").cloned();
    assert_eq!(
        on_time.map(|i| (i["value"].clone(), i["figures"].clone())),
        Some((json!("0.00"), json!("0 of 1 on time")))
    );
    let disclosures = first["inputs"].as_array().expect("inputs").iter().find(|i| i["input"] == "disclosures").cloned();
    assert_eq!(disclosures.map(|i| i["value"].clone()), Some(Value::Null), "no data is shown as none");
    let surveys = first["inputs"].as_array().expect("inputs").iter().find(|i| i["input"] == "surveys").cloned();
    assert_eq!(surveys.map(|i| i["figures"].clone()), Some(json!("5 survey ratings, mean 4.00")));
    let listings = app.gql(Some(&resident), LISTINGS, json!({ "c": city })).await;
    let listing = &listings["data"]["companyListings"][0];
    assert_eq!(listing["status"], "WARNED", "{listings}");
    assert_eq!(listing["reasons"], json!([{ "kind": "score", "figure": "30.00", "threshold": "60.00" }]));

    // Computing the quarter again replaces it and lists nobody twice.
    let admin = app.login_as("city_admin").await;
    let again = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;
    assert_eq!(again["data"]["computeQuarter"]["listed"], 0, "{again}");
    let listings = app.gql(Some(&resident), LISTINGS, json!({ "c": city })).await;
    assert_eq!(listings["data"]["companyListings"].as_array().map(Vec::len), Some(1));
});

on_both!(
    blacklisting_takes_notice_an_appeal_window_and_an_answer_and_then_refuses_new_contracts,
    |backend| async move {
        // Arrange
        let Some(app) = spawn_app(backend).await else { return };
        let (_, company, listing) = a_late_company_listed(&app).await;
        let officer = app.login_as("district_officer").await;
        let manager = app.login_as("property_manager").await;

        // Act and assert, step by step: no blacklisting without notice, nor by the company, nor in the window.
        let early = app.gql(Some(&officer), BLACKLIST, json!({ "l": listing, "a": null })).await;
        assert_eq!(early["data"]["blacklistCompany"]["refusal"]["code"], "listing_state", "{early}");
        let by_company = app.gql(Some(&manager), NOTICE, json!({ "l": listing, "r": "自己列自己" })).await;
        assert_eq!(error_code(&by_company), Some("FORBIDDEN"), "{by_company}");
        let noticed = app.gql(Some(&officer), NOTICE, json!({ "l": listing, "r": "本季度报修均未按时办结" })).await;
        assert_eq!(noticed["data"]["giveBlacklistNotice"]["listing"]["status"], "NOTICED", "{noticed}");
        let in_window = app.gql(Some(&officer), BLACKLIST, json!({ "l": listing, "a": null })).await;
        assert_eq!(in_window["data"]["blacklistCompany"]["refusal"]["code"], "appeal_window_open", "{in_window}");
        let resident = app.login_as("resident").await;
        let by_resident = app.gql(Some(&resident), APPEAL, json!({ "l": listing, "a": "替物业申辩" })).await;
        assert_eq!(error_code(&by_resident), Some("FORBIDDEN"), "{by_resident}");
        let appealed =
            app.gql(Some(&manager), APPEAL, json!({ "l": listing, "a": "报修已于次日处理，系统未及时登记" })).await;
        assert_eq!(appealed["data"]["appealListing"]["ok"], true, "{appealed}");

        app.clock.advance(Duration::days(16));
        let officer = app.login_as("district_officer").await;
        let manager = app.login_as("property_manager").await;
        let late_appeal = app.gql(Some(&manager), APPEAL, json!({ "l": listing, "a": "补充申辩" })).await;
        assert_eq!(late_appeal["data"]["appealListing"]["refusal"]["code"], "appeal_window_closed", "{late_appeal}");
        let unanswered = app.gql(Some(&officer), BLACKLIST, json!({ "l": listing, "a": null })).await;
        assert_eq!(error_code(&unanswered), Some("BAD_USER_INPUT"), "the appeal must be answered: {unanswered}");
        let blacklisted = app
            .gql(Some(&officer), BLACKLIST, json!({ "l": listing, "a": "经核查，报修记录无处理凭证，申辩不成立" }))
            .await;
        assert_eq!(blacklisted["data"]["blacklistCompany"]["listing"]["status"], "BLACKLISTED", "{blacklisted}");

        // A blacklisted company cannot be given a new compound; the one it serves is kept, and flagged.
        let staff = app.login_as("rc_staff").await;
        let laojie = app.place_id(&staff, &["和平社区", "老街小院"]).await;
        let jinxiu = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
        let refused = app.gql(Some(&staff), ASSIGN, json!({ "p": laojie, "c": company })).await;
        assert_eq!(refused["data"]["assignPropertyCompany"]["refusal"]["code"], "company_blacklisted", "{refused}");
        let kept = app.gql(Some(&staff), ASSIGN, json!({ "p": jinxiu, "c": company })).await;
        assert_eq!(kept["data"]["assignPropertyCompany"]["ok"], true, "{kept}");
        let street = app.login_as("street_officer").await;
        let street_id = {
            let community = app.place_id(&street, &["和平社区"]).await;
            let body = app
                .gql(Some(&street), "query($p: ID!) { place(id: $p) { parent { id } } }", json!({ "p": community }))
                .await;
            body["data"]["place"]["parent"]["id"].as_str().expect("street").to_owned()
        };
        let flagged = "query($s: ID!) { flaggedCompounds(streetId: $s) { compound { name } company { name } } }";
        let seen = app.gql(Some(&street), flagged, json!({ "s": street_id })).await;
        assert_eq!(seen["data"]["flaggedCompounds"][0]["compound"]["name"], "锦绣花园", "{seen}");
        let by_resident = app.gql(Some(&app.login_as("resident").await), flagged, json!({ "s": street_id })).await;
        assert!(matches!(error_code(&by_resident), Some("FORBIDDEN" | "NOT_FOUND")), "{by_resident}");
        let laojie_after = app
            .gql(Some(&staff), "query($p: ID!) { place(id: $p) { propertyCompany { name } } }", json!({ "p": laojie }))
            .await;
        assert_eq!(
            laojie_after["data"]["place"]["propertyCompany"],
            Value::Null,
            "the refusal changed nothing: {laojie_after}"
        );
    }
);

on_both!(the_compound_with_most_complaints_per_household_is_a_problem_compound, |backend| async move {
    // Arrange: the demo city has two compounds with one topic each: 锦绣花园 (6 households), 老街小院 (3).
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let city = city(&app, &admin).await;

    // Act
    let computed = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;
    let resident = app.login_as("resident").await;
    let problem = app
        .gql(
            Some(&resident),
            "query($c: ID!, $q: String!) { problemCompounds(cityId: $c, quarter: $q) { compound { name } complaints households perHundredHouseholds inCut } }",
            json!({ "c": city, "q": "2026Q4" }),
        )
        .await;
    let street = app.login_as("street_officer").await;
    let by_street = app.gql(Some(&street), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;

    // Assert: ⌈5 % of 2⌉ = 1 compound, the one with more complaints per household; only the city computes.
    assert_eq!(computed["data"]["computeQuarter"]["problemCompounds"], 1, "{computed}");
    assert_eq!(
        problem["data"]["problemCompounds"],
        json!([{ "compound": { "name": "老街小院" }, "complaints": 1, "households": 3, "perHundredHouseholds": "33.33", "inCut": true }])
    );
    assert_eq!(error_code(&by_street), Some("FORBIDDEN"), "{by_street}");
    let bad = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026-5" })).await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");
});

const SETTINGS: &str = "mutation($c: ID!, $i: AccountabilitySettingsInput!) { setAccountabilitySettings(cityId: $c, input: $i) { \
    cityId weightRatings weightOnTime weightSurveys listBelowScoreCenti } }";

/// The defaults with the on-time weight replaced.
fn settings_with(on_time: i64) -> Value {
    json!({ "surveyMinResponses": 5, "weightRatings": 30, "weightOnTime": on_time, "weightDisclosures": 20,
        "weightSurveys": 20, "reminderDeductionCenti": 200, "warningDeductionCenti": 500,
        "listBelowScoreCenti": 6000, "listAtLetters": 3, "appealDays": 15, "blacklistDays": 365 })
}

on_both!(only_the_citys_administrator_sets_its_weights_and_a_bad_weight_changes_nothing, |backend| async move {
    // Arrange
    let Some(app) = spawn_app(backend).await else { return };
    let admin = app.login_as("city_admin").await;
    let city = city(&app, &admin).await;
    let staff = app.login_as("rc_staff").await;
    let parking = demo_topic(&app, &staff, "电动车").await;
    let routed =
        app.gql(Some(&staff), "mutation($t: ID!) { routeTopic(topicId: $t) { ok } }", json!({ "t": parking })).await;
    assert_eq!(routed["data"]["routeTopic"]["ok"], true, "{routed}");

    // Act: refused callers would make the late service request weigh 100 of 120; a bad weight likewise.
    let mut refused = Vec::new();
    for who in ["resident", "property_manager", "street_officer", "district_officer"] {
        let token = app.login_as(who).await;
        let body = app.gql(Some(&token), SETTINGS, json!({ "c": city, "i": settings_with(100) })).await;
        refused.push((who, error_code(&body).map(str::to_owned)));
    }
    let negative = app.gql(Some(&admin), SETTINGS, json!({ "c": city, "i": settings_with(-1) })).await;
    let mut all_zero = settings_with(0);
    for field in ["weightRatings", "weightDisclosures", "weightSurveys"] {
        all_zero[field] = json!(0);
    }
    let zero = app.gql(Some(&admin), SETTINGS, json!({ "c": city, "i": all_zero })).await;
    let set = app.gql(Some(&admin), SETTINGS, json!({ "c": city, "i": settings_with(0) })).await;
    let computed = app.gql(Some(&admin), COMPUTE, json!({ "c": city, "q": "2026Q4" })).await;

    // Assert
    for (who, code) in refused {
        assert_eq!(code.as_deref(), Some("FORBIDDEN"), "{who} may not set the city's weights");
    }
    assert_eq!(error_code(&negative), Some("BAD_USER_INPUT"), "{negative}");
    assert_eq!(error_code(&zero), Some("BAD_USER_INPUT"), "weights all zero: {zero}");
    assert!(zero["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{zero}");
    let saved = &set["data"]["setAccountabilitySettings"];
    assert_eq!(
        (saved["cityId"].clone(), saved["weightOnTime"].clone(), saved["weightSurveys"].clone()),
        (json!(city), json!(0), json!(20)),
        "{set}"
    );
    // With on time weighing nothing, only the survey counts: (20 × 75) / 20 = 75.00, above 60.00, so the
    // company is not listed (with the defaults it scores 30.00 and is; see the first test).
    assert_eq!(computed["data"]["computeQuarter"]["listed"], 0, "{computed}");
    let company = company(&app, &admin).await;
    let record = app
        .gql(Some(&admin), "query($c: ID!) { creditRecords(companyId: $c) { quarter score } }", json!({ "c": company }))
        .await;
    assert_eq!(record["data"]["creditRecords"][0]["score"], "75.00", "{record}");
});
