//! Photo and document uploads as GraphQL multipart requests, attaching them, and their refusals: in the
//! request's language, and a file over its limit answered 413 with a coded body.

use gongzhi_tests::graphql::error_code;
use gongzhi_tests::{on_both, spawn_app};
use serde_json::json;

use crate::files_support::{pdf, png, submit, upload, upload_as};

on_both!(an_uploaded_photo_can_be_attached_to_the_uploaders_topic, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let resident = app.login_as("resident").await;

    let (status, body) = upload(&app, &resident, "uploadPhoto", &png(1000)).await;
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
    let (_, body) = upload(&app, &owner, "uploadPhoto", &png(10)).await;
    let owners_key = body["data"]["uploadPhoto"]["key"].as_str().unwrap_or_default().to_owned();

    let borrowed = submit(&app, &resident, vec![owners_key]).await;
    let invented = submit(&app, &resident, vec!["photos/invented.png".into()]).await;

    assert_eq!(error_code(&borrowed), Some("BAD_USER_INPUT"), "{borrowed}");
    assert_eq!(error_code(&invented), Some("BAD_USER_INPUT"));
});

#[tokio::test]
async fn only_photos_within_the_size_limit_are_accepted_and_a_larger_one_is_413() {
    let app = spawn_app(gongzhi_tests::Backend::Sqlite).await.expect("app");
    let resident = app.login_as("resident").await;

    let (not_status, not_a_photo) = upload(&app, &resident, "uploadPhoto", b"%PDF-1.7 not a photo").await;
    let header = png(0).len();
    let (at_limit, _) = upload(&app, &resident, "uploadPhoto", &png(5 * 1024 * 1024 - header)).await;
    let (over_status, over) = upload(&app, &resident, "uploadPhoto", &png(5 * 1024 * 1024 - header + 1)).await;
    let (anonymous_status, anonymous) = upload_as(&app, None, "uploadPhoto", &png(10), "zh-CN").await;

    assert_eq!((not_status, error_code(&not_a_photo)), (200, Some("BAD_USER_INPUT")), "{not_a_photo}");
    assert_eq!(not_a_photo["errors"][0]["extensions"]["reason"], "NOT_A_PHOTO");
    assert_eq!(at_limit, 200, "exactly 5 MiB is a photo");
    assert_eq!((over_status, error_code(&over)), (413, Some("PAYLOAD_TOO_LARGE")), "{over}");
    assert_eq!(over["errors"][0]["extensions"]["reason"], "TOO_LARGE");
    assert_eq!((anonymous_status, error_code(&anonymous)), (200, Some("UNAUTHENTICATED")));
}

#[tokio::test]
async fn a_body_over_the_upload_bound_is_413_with_a_coded_body_in_the_requests_language() {
    let app = spawn_app(gongzhi_tests::Backend::Sqlite).await.expect("app");
    let resident = app.login_as("resident").await;

    let (zh_status, zh) = upload_as(&app, Some(&resident), "uploadDocument", &pdf(22 * 1024 * 1024), "zh-CN").await;
    let (en_status, en) = upload_as(&app, Some(&resident), "uploadDocument", &pdf(22 * 1024 * 1024), "en").await;

    assert_eq!((zh_status, error_code(&zh)), (413, Some("PAYLOAD_TOO_LARGE")), "{zh}");
    assert_eq!((en_status, error_code(&en)), (413, Some("PAYLOAD_TOO_LARGE")), "{en}");
    let (zh, en) = (
        zh["errors"][0]["message"].as_str().unwrap_or_default(),
        en["errors"][0]["message"].as_str().unwrap_or_default(),
    );
    assert!(zh.contains("请求体过大"), "{zh}");
    assert!(en.contains("too large"), "{en}");
}

on_both!(a_pdf_document_is_stored_and_anything_else_is_refused_in_the_requests_language, |backend| async move {
    let Some(app) = spawn_app(backend).await else { return };
    let staff = app.login_as("rc_staff").await;
    let document = pdf(300_000);

    let (status, stored) = upload(&app, &staff, "uploadDocument", &document).await;
    let (photo_status, photo) = upload_as(&app, Some(&staff), "uploadDocument", &png(100), "en-US").await;
    let (_, photo_zh) = upload_as(&app, Some(&staff), "uploadDocument", &png(100), "zh-CN").await;
    let (over_status, over) = upload(&app, &staff, "uploadDocument", &pdf(20 * 1024 * 1024 + 1)).await;

    let stored = &stored["data"]["uploadDocument"];
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["contentType"], "application/pdf");
    assert_eq!(stored["sizeBytes"], 300_000);
    let key = stored["key"].as_str().unwrap_or_default();
    assert!(key.starts_with("documents/") && key.ends_with(".pdf"), "{key}");
    assert_eq!((photo_status, error_code(&photo)), (200, Some("BAD_USER_INPUT")), "{photo}");
    assert_eq!(photo["errors"][0]["extensions"]["reason"], "NOT_A_PDF");
    assert!(photo["errors"][0]["message"].as_str().is_some_and(|m| m.contains("not a PDF")), "{photo}");
    assert!(photo_zh["errors"][0]["message"].as_str().is_some_and(|m| m.contains("PDF 文件")), "{photo_zh}");
    assert_eq!((over_status, error_code(&over)), (413, Some("PAYLOAD_TOO_LARGE")), "{over}");
    assert!(over["errors"][0]["message"].as_str().is_some_and(|m| m.contains("20 MiB")), "{over}");
});
