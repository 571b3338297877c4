//! Shared by the upload and file tests: GraphQL multipart requests, and files of each kind.

use gongzhi_tests::TestApp;
use serde_json::{Value, json};

const BOUNDARY: &str = "gongzhi-test-boundary";

/// A minimal PNG (the signature and an IHDR chunk are all the sniffing needs), then `extra` bytes that
/// differ from one position to the next, so a range read from the wrong place shows.
pub fn png(extra: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    bytes.extend((0..extra).map(|i| (i % 251) as u8));
    bytes
}

/// A PDF of `size` bytes: the header, then filler.
pub fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.extend((bytes.len()..size).map(|i| b'a' + (i % 26) as u8));
    bytes
}

/// The GraphQL multipart request spec: `operations`, `map`, then the file.
pub fn multipart(mutation: &str, file: &[u8], filename: &str) -> Vec<u8> {
    let query =
        format!("mutation($f: Upload!) {{ {mutation}(file: $f) {{ key contentType sizeBytes url expiresAt }} }}");
    let operations = json!({ "query": query, "variables": { "f": null } });
    let mut body = Vec::new();
    let mut part = |name: &str, extra: &str, content: &[u8]| {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part("operations", "", operations.to_string().as_bytes());
    part("map", "", br#"{"0":["variables.f"]}"#);
    part("0", &format!("; filename=\"{filename}\"\r\nContent-Type: application/octet-stream"), file);
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Sends `file` to `mutation` (`uploadPhoto`, `uploadDocument`); the status and the JSON body.
pub async fn upload_as(app: &TestApp, token: Option<&str>, mutation: &str, file: &[u8], lang: &str) -> (u16, Value) {
    let mut request = app
        .client
        .post(app.graphql_url())
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("accept-language", lang)
        .body(multipart(mutation, file, "file.bin"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn upload(app: &TestApp, token: &str, mutation: &str, file: &[u8]) -> (u16, Value) {
    upload_as(app, Some(token), mutation, file, "zh-CN").await
}

/// The key of an upload that must have succeeded.
pub async fn uploaded(app: &TestApp, token: &str, mutation: &str, file: &[u8]) -> String {
    let (status, body) = upload(app, token, mutation, file).await;
    let key = body["data"][mutation]["key"].as_str().unwrap_or_else(|| panic!("{mutation} failed ({status}): {body}"));
    key.to_owned()
}

/// Submits a topic in 锦绣花园 with these photos, as `token`; the response.
pub async fn submit(app: &TestApp, token: &str, photos: Vec<String>) -> Value {
    let staff = app.login_as("rc_staff").await;
    let community = app.place_id(&staff, &["和平社区"]).await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let catalogue =
        app.gql(Some(&staff), "query($c: ID!) { catalogue(communityId: $c) { id } }", json!({ "c": community })).await;
    let category = catalogue["data"]["catalogue"][0]["id"].clone();
    app.gql(
        Some(token),
        "mutation($i: SubmitTopicInput!) { submitTopic(input: $i) { ok topic { id photos } } }",
        json!({ "i": { "placeId": compound, "categoryId": category, "title": "垃圾桶破损", "description": "3 号垃圾桶盖子坏了。", "photos": photos } }),
    )
    .await
}

/// The topic's photos with their links, as `token` sees them; the whole response.
pub async fn photo_files(app: &TestApp, token: &str, topic: &str) -> Value {
    app.gql(
        Some(token),
        "query($id: ID!) { node(id: $id) { ... on Topic { photos photoFiles { key url contentType expiresAt } } } }",
        json!({ "id": topic }),
    )
    .await
}

/// A GET of `url` with extra headers.
pub async fn fetch(app: &TestApp, url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("fetched")
}

/// The minutes of a meeting on the demo parking topic, written by `staff` with these attachments, as the
/// topic's meetings show them to a resident: the `minutes` object (with `attachmentFiles`).
pub async fn minutes_with_attachments(app: &TestApp, staff: &str, attachments: Vec<String>) -> Value {
    use crate::deliberation_support::{deliberating_topic, meeting_input, scheduled};
    let topic = deliberating_topic(app, staff).await;
    let meeting = scheduled(app, staff, meeting_input(app, &topic, 1, 3, json!([]))).await;
    app.clock.advance(chrono::Duration::hours(2));
    let staff = app.login_as("rc_staff").await;
    let input =
        json!({ "input": { "meetingId": meeting["id"], "text": "一、签到表见附件。", "attachments": attachments } });
    let written = app
        .gql(
            Some(&staff),
            "mutation($input: WriteMinutesInput!) { writeMeetingMinutes(input: $input) { ok refusal { code } } }",
            input,
        )
        .await;
    assert_eq!(written["data"]["writeMeetingMinutes"]["ok"], true, "{written}");
    let resident = app.login_as("resident").await;
    let seen = app
        .gql(
            Some(&resident),
            "query($id: ID!) { node(id: $id) { ... on Topic { meetings { minutes { attachments attachmentFiles { key url contentType } } } } } }",
            json!({ "id": topic }),
        )
        .await;
    seen["data"]["node"]["meetings"][0]["minutes"].clone()
}
