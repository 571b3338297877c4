//! Stored files fetched back through the links the API mints: byte-identical, with their content type,
//! ETag and ranges; and refused without a link minted for them — unsigned, tampered, for another key, or
//! expired by the server's clock.

use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

use crate::files_support::{fetch, pdf, photo_files, png, submit, uploaded};

/// A resident's topic with one photo of `bytes`; (topic id, photo key).
async fn topic_with_photo(app: &TestApp, bytes: &[u8]) -> (String, String) {
    let resident = app.login_as("resident").await;
    let key = uploaded(app, &resident, "uploadPhoto", bytes).await;
    let submitted = submit(app, &resident, vec![key.clone()]).await;
    let topic = submitted["data"]["submitTopic"]["topic"]["id"].as_str().unwrap_or_else(|| panic!("{submitted}"));
    (topic.to_owned(), key)
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

on_both!(a_topics_photo_is_fetched_back_byte_identical_through_its_link, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let photo = png(150_000);
    let (topic, key) = topic_with_photo(&app, &photo).await;
    let staff = app.login_as("rc_staff").await;

    let seen = photo_files(&app, &staff, &topic).await;
    let file = &seen["data"]["node"]["photoFiles"][0];
    let url = file["url"].as_str().unwrap_or_else(|| panic!("no link: {seen}"));
    let response = fetch(&app, url, &[]).await;

    assert_eq!(file["key"], key.as_str());
    assert_eq!(file["contentType"], "image/png");
    assert!(url.starts_with(&format!("{}/files/{key}?exp=", app.address)), "{url}");
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("content-length"), photo.len().to_string());
    assert_eq!(header("accept-ranges"), "bytes");
    assert!(header("cache-control").starts_with("private, max-age="), "{}", header("cache-control"));
    assert!(header("etag").starts_with('"'), "a strong ETag: {}", header("etag"));
    assert_eq!(response.bytes().await.expect("body").as_ref(), photo.as_slice());
    let head = app.client.head(url).send().await.expect("HEAD");
    assert_eq!(head.status().as_u16(), 200);
    assert_eq!(head.headers()["content-length"].to_str().ok(), Some(photo.len().to_string().as_str()));
    assert_eq!(head.headers()["content-type"].to_str().ok(), Some("image/png"));
});

on_both!(a_link_answers_304_to_the_etag_and_206_to_a_range, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let photo = png(100_000);
    let (topic, _) = topic_with_photo(&app, &photo).await;
    let resident = app.login_as("resident").await;
    let seen = photo_files(&app, &resident, &topic).await;
    let url = seen["data"]["node"]["photoFiles"][0]["url"].as_str().unwrap_or_else(|| panic!("{seen}")).to_owned();
    let first = fetch(&app, &url, &[]).await;
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();

    let unchanged = fetch(&app, &url, &[("if-none-match", &etag)]).await;
    let other_tag = fetch(&app, &url, &[("if-none-match", "\"something-else\"")]).await;
    let middle = fetch(&app, &url, &[("range", "bytes=1000-1999")]).await;
    let tail = fetch(&app, &url, &[("range", "bytes=-10")]).await;
    let stale_range = fetch(&app, &url, &[("range", "bytes=0-9"), ("if-range", "\"old\"")]).await;
    let (past_status, past) = {
        let response = fetch(&app, &url, &[("range", "bytes=200000-")]).await;
        let content_range = response.headers()["content-range"].to_str().expect("content-range").to_owned();
        let (status, body) = json_of(response).await;
        (status, (content_range, body))
    };

    assert_eq!(unchanged.status().as_u16(), 304);
    assert_eq!(unchanged.headers()["etag"].to_str().ok(), Some(etag.as_str()));
    assert_eq!(other_tag.status().as_u16(), 200);
    assert_eq!(middle.status().as_u16(), 206);
    assert_eq!(
        middle.headers()["content-range"].to_str().ok(),
        Some(format!("bytes 1000-1999/{}", photo.len()).as_str())
    );
    assert_eq!(middle.bytes().await.expect("body").as_ref(), &photo[1000..2000]);
    assert_eq!(tail.status().as_u16(), 206);
    assert_eq!(tail.bytes().await.expect("body").as_ref(), &photo[photo.len() - 10..]);
    assert_eq!(stale_range.status().as_u16(), 200, "a range of a copy that is not this file gets the whole file");
    assert_eq!(past_status, 416);
    assert_eq!(past.0, format!("bytes */{}", photo.len()));
    assert_eq!(error_code(&past.1), Some("BAD_USER_INPUT"), "{}", past.1);
    assert_eq!(past.1["errors"][0]["extensions"]["reason"], "RANGE_NOT_SATISFIABLE");
});

on_both!(a_file_is_refused_without_a_link_minted_for_it, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let (topic, key) = topic_with_photo(&app, &png(1_000)).await;
    let resident = app.login_as("resident").await;
    let other_key = uploaded(&app, &resident, "uploadPhoto", &png(2_000)).await;
    let seen = photo_files(&app, &resident, &topic).await;
    let url = seen["data"]["node"]["photoFiles"][0]["url"].as_str().unwrap_or_else(|| panic!("{seen}")).to_owned();
    let (path, query) = url.split_once('?').expect("a query");
    let (exp, sig) = query.split_once('&').expect("exp and sig");
    let exp_value: i64 = exp.trim_start_matches("exp=").parse().expect("a number");

    let unsigned = fetch(&app, path, &[("accept-language", "en")]).await;
    let for_another_key = fetch(&app, &format!("{}/files/{other_key}?{query}", app.address), &[]).await;
    let extended = fetch(&app, &format!("{path}?exp={}&{sig}", exp_value + 86_400), &[]).await;
    let forged = fetch(&app, &format!("{path}?{exp}&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), &[]).await;
    let still_good = fetch(&app, &url, &[]).await;

    let (status, body) = json_of(unsigned).await;
    assert_eq!((status, error_code(&body)), (403, Some("FORBIDDEN")), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["reason"], "LINK_INVALID");
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("not valid")), "in English: {body}");
    for (what, response) in
        [("another key", for_another_key), ("a later expiry", extended), ("a forged signature", forged)]
    {
        let (status, body) = json_of(response).await;
        assert_eq!((status, error_code(&body)), (403, Some("FORBIDDEN")), "{what}: {body}");
        assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("无效")), "in Chinese: {body}");
    }
    assert_eq!(still_good.status().as_u16(), 200);
    assert!(!key.is_empty());
});

on_both!(a_link_expires_by_the_servers_clock, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let (topic, _) = topic_with_photo(&app, &png(1_000)).await;
    let resident = app.login_as("resident").await;
    let seen = photo_files(&app, &resident, &topic).await;
    let file = &seen["data"]["node"]["photoFiles"][0];
    let url = file["url"].as_str().unwrap_or_else(|| panic!("{seen}")).to_owned();
    let expires_at: chrono::DateTime<chrono::Utc> =
        file["expiresAt"].as_str().expect("expiresAt").parse().expect("a time");
    let lifetime = expires_at - gongzhi_domain::clock::Clock::now(app.clock.as_ref());

    app.clock.advance(lifetime - chrono::Duration::seconds(1));
    let just_before = fetch(&app, &url, &[]).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let (status, expired) = json_of(fetch(&app, &url, &[]).await).await;
    let resident = app.login_as("resident").await;
    let renewed = photo_files(&app, &resident, &topic).await;
    let new_url = renewed["data"]["node"]["photoFiles"][0]["url"].as_str().unwrap_or_default().to_owned();

    assert!(lifetime >= chrono::Duration::hours(1) && lifetime <= chrono::Duration::minutes(70), "{lifetime}");
    assert_eq!(just_before.status().as_u16(), 200);
    assert_eq!((status, error_code(&expired)), (403, Some("FORBIDDEN")), "{expired}");
    assert_eq!(expired["errors"][0]["extensions"]["reason"], "LINK_EXPIRED");
    assert_ne!(new_url, url, "querying again mints a new link");
    assert_eq!(fetch(&app, &new_url, &[]).await.status().as_u16(), 200);
});

on_both!(someone_who_may_not_see_the_topic_gets_no_link_to_its_photo, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let (topic, key) = topic_with_photo(&app, &png(1_000)).await;
    let login =
        app.gql(None, "mutation { loginWithWeChat(code: \"ok:oStranger0001\") { accessToken } }", json!({})).await;
    let stranger = login["data"]["loginWithWeChat"]["accessToken"].as_str().expect("token").to_owned();

    let seen = photo_files(&app, &stranger, &topic).await;
    let guessed = fetch(&app, &format!("{}/files/{key}", app.address), &[]).await;

    assert_eq!(error_code(&seen), Some("NOT_FOUND"), "{seen}");
    assert!(seen["data"]["node"].is_null(), "{seen}");
    assert_eq!(guessed.status().as_u16(), 403, "the key alone opens nothing");
});

on_both!(a_document_attached_to_the_minutes_is_served_as_a_pdf, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let document = pdf(250_000);
    let key = uploaded(&app, &staff, "uploadDocument", &document).await;
    let (status, uploaded_body) = crate::files_support::upload(&app, &staff, "uploadDocument", &document).await;

    let minutes = crate::files_support::minutes_with_attachments(&app, &staff, vec![key.clone()]).await;
    let file = &minutes["attachmentFiles"][0];
    let response = fetch(&app, file["url"].as_str().unwrap_or_else(|| panic!("{minutes}")), &[]).await;

    assert_eq!(status, 200);
    assert!(uploaded_body["data"]["uploadDocument"]["url"].as_str().is_some_and(|u| u.contains("/files/documents/")));
    assert_eq!(file["key"], key.as_str());
    assert_eq!(file["contentType"], "application/pdf");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"].to_str().ok(), Some("application/pdf"));
    assert_eq!(response.bytes().await.expect("body").as_ref(), document.as_slice());
});

/// A task for the property company on the demo parking topic, resolved without a vote; (topic, task).
async fn property_task(app: &TestApp, staff: &str) -> (String, String) {
    let topic = crate::deliberation_support::deliberating_topic(app, staff).await;
    let resolved = app
        .gql(
            Some(staff),
            "mutation($t: ID!) { resolveTopic(topicId: $t, decision: \"北侧划定电动车停放区\", minutes: \"联席会议一致同意。\") { ok } }",
            json!({ "t": topic }),
        )
        .await;
    assert_eq!(resolved["data"]["resolveTopic"]["ok"], true, "{resolved}");
    let due = (gongzhi_domain::clock::Clock::now(app.clock.as_ref()) + chrono::Duration::days(14)).to_rfc3339();
    let started = app
        .gql(
            Some(staff),
            "mutation($t: ID!, $due: DateTime!) { startImplementation(topicId: $t, tasks: [{ owner: PROPERTY_COMPANY, title: \"划线\", criteria: \"停放区划线完成\", dueAt: $due }]) { ok topic { tasks { id } } } }",
            json!({ "t": topic, "due": due }),
        )
        .await;
    let task = &started["data"]["startImplementation"]["topic"]["tasks"][0]["id"];
    (topic, task.as_str().unwrap_or_else(|| panic!("no task: {started}")).to_owned())
}

on_both!(a_tasks_evidence_photo_is_shown_to_those_who_see_the_task, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let (topic, task) = property_task(&app, &staff).await;
    let worker = app.login_as("property_staff").await;
    let photo = png(40_000);
    let key = uploaded(&app, &worker, "uploadPhoto", &photo).await;

    let reported = app
        .gql(
            Some(&worker),
            "mutation($k: ID!, $p: [String!]!) { reportTaskProgress(taskId: $k, note: \"已划线一半\", photos: $p) { __typename } }",
            json!({ "k": task, "p": [key] }),
        )
        .await;
    let resident = app.login_as("resident").await;
    let seen = app
        .gql(
            Some(&resident),
            "query($t: ID!) { node(id: $t) { ... on Topic { tasks { progress { note photos photoFiles { key url contentType } } } } } }",
            json!({ "t": topic }),
        )
        .await;
    let report = &seen["data"]["node"]["tasks"][0]["progress"][0];
    let url = report["photoFiles"][0]["url"].as_str().unwrap_or_else(|| panic!("no link: {seen} after {reported}"));
    let response = fetch(&app, url, &[]).await;

    assert_eq!(report["note"], "已划线一半");
    assert_eq!(report["photos"], json!([key]));
    assert_eq!(report["photoFiles"][0]["contentType"], "image/png");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.bytes().await.expect("body").as_ref(), photo.as_slice());
});
