//! Photo uploads as GraphQL multipart requests, and attaching them to a topic.

use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{TestApp, on_both, spawn_app};
use serde_json::{Value, json};

const BOUNDARY: &str = "gongzhi-test-boundary";

/// A minimal PNG: the signature and an IHDR chunk are all the sniffing needs.
fn png(extra: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    bytes.resize(bytes.len() + extra, 0);
    bytes
}

/// The GraphQL multipart request spec: `operations`, `map`, then the file.
fn multipart(file: &[u8]) -> Vec<u8> {
    let operations = json!({ "query": "mutation($f: Upload!) { uploadPhoto(file: $f) { key contentType sizeBytes } }", "variables": { "f": null } });
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
    part("0", "; filename=\"photo.png\"\r\nContent-Type: image/png", file);
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, token: &str, file: &[u8]) -> (u16, Value) {
    let response = app
        .client
        .post(app.graphql_url())
        .bearer_auth(token)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(multipart(file))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn submit(app: &TestApp, token: &str, photos: Vec<String>) -> Value {
    let staff = app.login_as("rc_staff").await;
    let community = app.place_id(&staff, &["和平社区"]).await;
    let compound = app.place_id(&staff, &["和平社区", "锦绣花园"]).await;
    let catalogue =
        app.gql(Some(&staff), "query($c: ID!) { catalogue(communityId: $c) { id } }", json!({ "c": community })).await;
    let category = catalogue["data"]["catalogue"][0]["id"].clone();
    app.gql(
        Some(token),
        "mutation($i: SubmitTopicInput!) { submitTopic(input: $i) { ok topic { photos } } }",
        json!({ "i": { "placeId": compound, "categoryId": category, "title": "垃圾桶破损", "description": "3 号垃圾桶盖子坏了。", "photos": photos } }),
    )
    .await
}

on_both!(an_uploaded_photo_can_be_attached_to_the_uploaders_topic, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;

    let (status, body) = upload(&app, &resident, &png(1000)).await;
    let key = body["data"]["uploadPhoto"]["key"].as_str().unwrap_or_default().to_owned();
    let submitted = submit(&app, &resident, vec![key.clone()]).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["uploadPhoto"]["contentType"], "image/png");
    assert!(key.starts_with("photos/") && key.ends_with(".png"), "{key}");
    assert_eq!(submitted["data"]["submitTopic"]["topic"]["photos"], json!([key]));
    let stored = std::path::Path::new(&app.settings.uploads_dir).join(&key);
    assert!(stored.exists(), "the photo is on disk at {}", stored.display());
});

on_both!(someone_elses_photo_or_a_made_up_key_cannot_be_attached, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let owner = app.login_as("owner").await;
    let resident = app.login_as("resident").await;
    let (_, body) = upload(&app, &owner, &png(10)).await;
    let owners_key = body["data"]["uploadPhoto"]["key"].as_str().unwrap_or_default().to_owned();

    let borrowed = submit(&app, &resident, vec![owners_key]).await;
    let invented = submit(&app, &resident, vec!["photos/invented.png".into()]).await;

    assert_eq!(error_code(&borrowed), Some("BAD_USER_INPUT"), "{borrowed}");
    assert_eq!(error_code(&invented), Some("BAD_USER_INPUT"));
});

#[tokio::test]
async fn only_photos_within_the_size_limit_are_accepted() {
    let app = spawn_app(gongzhi_tests::Backend::Sqlite).await.expect("app");
    let resident = app.login_as("resident").await;

    let (_, not_a_photo) = upload(&app, &resident, b"%PDF-1.7 not a photo").await;
    let (_, too_big) = upload(&app, &resident, &png(5 * 1024 * 1024 + 1)).await;
    let (status, _) = upload(&app, &resident, &png(7 * 1024 * 1024)).await;
    let (_, anonymous) = {
        let response = app
            .client
            .post(app.graphql_url())
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(multipart(&png(10)))
            .send()
            .await
            .expect("sent");
        (response.status().as_u16(), response.json::<Value>().await.unwrap_or(Value::Null))
    };

    assert_eq!(error_code(&not_a_photo), Some("BAD_USER_INPUT"), "{not_a_photo}");
    assert_eq!(error_code(&too_big), Some("BAD_USER_INPUT"), "{too_big}");
    assert_eq!(status, 413, "a body over the upload bound is refused before it is read");
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));
}
