//! A scheduler that was not running when periods ended still opens their obligations (decision 106):
//! each round opens every period ended within the configured look-back that it has not opened yet.

use chrono::{TimeZone, Utc};
use gongzhi_domain::disclosure::DisclosureRules;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

on_both!(a_round_after_two_missed_quarters_opens_both_and_only_within_the_look_back, |backend| async move {
    // Arrange: a first round at the turn of the year opens December and the fourth quarter of 2026.
    let Some(app) = spawn_app(backend).await else { return };
    let store = &app.store;
    let rules = DisclosureRules::default();
    let at = |y: i32, m: u32, d: u32| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).single().unwrap_or_default();
    app.clock.set(at(2027, 1, 1));
    let first = store.supervise_disclosures(&rules).await.expect("round");
    // November's minutes too: 和平社区 existed before November ended (the demo is made on 22 November).
    assert_eq!(first.opened, 4, "November's and December's minutes, 锦绣花园's 双晒 and report: {first:?}");

    // Act: the scheduler is down until two quarters later.
    app.clock.set(at(2027, 7, 2));
    let caught_up = store.supervise_disclosures(&rules).await.expect("round");
    let again = store.supervise_disclosures(&rules).await.expect("round");

    // Assert: January to June's six minutes and both quarters' 双晒 and reports, each once.
    assert_eq!(caught_up.opened, 6 + 2 + 2, "{caught_up:?}");
    assert_eq!(again.opened, 0, "opened once");
    let officer = app.login_as("street_officer").await;
    let street = app.place_id(&officer, &[]).await;
    let owed = app
        .gql(
            Some(&officer),
            "query($p: ID!) { disclosureObligations(placeId: $p, first: 100) { nodes { kind periodStart } } }",
            json!({ "p": street }),
        )
        .await;
    let rows = owed["data"]["disclosureObligations"]["nodes"].as_array().cloned().unwrap_or_default();
    let accounts: Vec<_> =
        rows.iter().filter(|r| r["kind"] == "PROPERTY_ACCOUNTS").map(|r| r["periodStart"].clone()).collect();
    assert_eq!(accounts, [json!("2027-04-01"), json!("2027-01-01"), json!("2026-10-01")], "{owed}");
    assert_eq!(rows.iter().filter(|r| r["kind"] == "MINUTES").count(), 8, "November to June");

    // With no look-back configured, a round opens only the last ended period.
    app.clock.set(at(2028, 1, 2));
    let narrow = DisclosureRules { look_back_days: 0, ..rules };
    let last_only = store.supervise_disclosures(&narrow).await.expect("round");
    assert_eq!(last_only.opened, 3, "December 2027's minutes, the fourth quarter's 双晒 and report: {last_only:?}");
});

on_both!(a_street_reads_its_obligations_page_by_page_each_once_latest_due_first, |backend| async move {
    // Arrange: half a year of a street's obligations, many due on the same day.
    let Some(app) = spawn_app(backend).await else { return };
    let at = |y: i32, m: u32, d: u32| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).single().unwrap_or_default();
    app.clock.set(at(2027, 7, 2));
    app.store.supervise_disclosures(&DisclosureRules::default()).await.expect("round");
    let officer = app.login_as("street_officer").await;
    let street = app.place_id(&officer, &[]).await;
    let page = |after: Option<String>, first: i64| {
        let (app, officer, street) = (&app, officer.clone(), street.clone());
        async move {
            app.gql(
                Some(&officer),
                "query($p: ID!, $n: Int, $a: String) { disclosureObligations(placeId: $p, first: $n, after: $a) { \
                 edges { cursor node { kind periodStart dueAt } } pageInfo { hasNextPage endCursor } } }",
                json!({ "p": street, "n": first, "a": after }),
            )
            .await["data"]["disclosureObligations"]
                .clone()
        }
    };

    // Act: pages of three, following the cursor, beside one page of everything.
    let whole = page(None, 100).await;
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let body = page(after.clone(), 3).await;
        let edges = body["edges"].as_array().cloned().unwrap_or_else(|| panic!("{body}"));
        assert!(edges.len() <= 3, "{body}");
        paged.extend(edges.iter().map(|e| e["node"].clone()));
        if body["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = body["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }

    // Assert: the same obligations in the same order, none twice, none left out, latest due first.
    let all: Vec<_> =
        whole["edges"].as_array().cloned().unwrap_or_default().iter().map(|e| e["node"].clone()).collect();
    assert!(all.len() > 6, "enough for several pages: {whole}");
    assert_eq!(whole["pageInfo"]["hasNextPage"], false, "{whole}");
    assert_eq!(paged, all);
    let due: Vec<&str> = all.iter().map(|o| o["dueAt"].as_str().unwrap_or_default()).collect();
    assert!(due.windows(2).all(|w| w[0] >= w[1]), "{due:?}");
});
