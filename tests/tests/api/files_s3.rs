//! The S3-compatible file store against a real S3 server (`s3s` over a directory, in process): what the
//! store writes it reads back, whole and in ranges, and the app serves files kept there through its links;
//! a person's export is stored and downloaded there, and deleted by the round after its keeping (decision 148).

use futures::TryStreamExt;
use gongzhi_infra::files::{BlobStore, S3Settings, S3Store};
use gongzhi_tests::s3_server::{ACCESS_KEY, S3Server, SECRET_KEY};
use gongzhi_tests::{on_both, spawn_app_with};

use crate::files_support::{fetch, photo_files, png, submit, uploaded};

fn store_on(server: &S3Server, secret: &str) -> S3Store {
    S3Store::new(&S3Settings {
        endpoint: Some(server.endpoint.clone()),
        bucket: server.bucket.clone(),
        region: "us-east-1".into(),
        access_key_id: ACCESS_KEY.into(),
        secret_access_key: secret.into(),
        path_style: true,
        timeout: std::time::Duration::from_secs(5),
    })
    .expect("the store is configured")
}

async fn read(store: &S3Store, key: &str, range: std::ops::Range<u64>) -> Vec<u8> {
    let chunks: Vec<bytes::Bytes> = store.get(key, range).await.expect("read").try_collect().await.expect("all of it");
    chunks.concat()
}

#[tokio::test]
async fn the_s3_store_puts_and_reads_back_whole_and_in_ranges_on_a_real_s3_server() {
    let server = S3Server::start().await;
    let store = store_on(&server, SECRET_KEY);
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();

    store.put("photos/a.png", &bytes).await.expect("stored");

    assert_eq!(store.size("photos/a.png").await.expect("head"), Some(300_000));
    assert_eq!(store.size("photos/missing.png").await.expect("head"), None);
    assert_eq!(store.size("../photos/a.png").await.expect("head"), None, "no key leads outside the bucket");
    assert_eq!(read(&store, "photos/a.png", 0..300_000).await, bytes);
    assert_eq!(read(&store, "photos/a.png", 123_456..200_000).await, bytes[123_456..200_000]);
    assert_eq!(read(&store, "photos/a.png", 299_990..300_000).await, bytes[299_990..]);
    assert_eq!(std::fs::read(server.object_path("photos/a.png")).expect("on the server"), bytes);
}

#[tokio::test]
async fn the_s3_store_is_refused_with_a_wrong_secret() {
    let server = S3Server::start().await;
    let store = store_on(&server, "not-the-secret-key-at-all-0123456");

    let put = store.put("photos/a.png", b"\x89PNG\r\n\x1a\n").await;

    assert!(put.is_err(), "the server checks the signature");
    assert!(!server.object_path("photos/a.png").exists());
}

on_both!(a_photo_kept_in_s3_is_served_through_its_link, |backend| async move {
    let server = S3Server::start().await;
    let Some(app) = spawn_app_with(backend, |settings| server.configure(settings)).await else { return };
    let resident = app.login_as("resident").await;
    let photo = png(80_000);

    let key = uploaded(&app, &resident, "uploadPhoto", &photo).await;
    let submitted = submit(&app, &resident, vec![key.clone()]).await;
    let topic = submitted["data"]["submitTopic"]["topic"]["id"].as_str().unwrap_or_else(|| panic!("{submitted}"));
    let seen = photo_files(&app, &resident, topic).await;
    let url = seen["data"]["node"]["photoFiles"][0]["url"].as_str().unwrap_or_else(|| panic!("{seen}")).to_owned();
    let whole = fetch(&app, &url, &[]).await;
    let part = fetch(&app, &url, &[("range", "bytes=500-1499")]).await;

    assert_eq!(std::fs::read(server.object_path(&key)).expect("kept in the bucket"), photo);
    assert!(!std::path::Path::new(&app.settings.uploads_dir).join(&key).exists(), "not on local disk");
    assert_eq!(whole.status().as_u16(), 200);
    assert_eq!(whole.headers()["content-type"].to_str().ok(), Some("image/png"));
    assert_eq!(whole.bytes().await.expect("body").as_ref(), photo.as_slice());
    assert_eq!(part.status().as_u16(), 206);
    assert_eq!(part.bytes().await.expect("body").as_ref(), &photo[500..1500]);
});

/// Why `Settings::check` refuses production settings changed by `change`.
fn refused(change: impl FnOnce(&mut gongzhi_api::config::Settings)) -> String {
    let mut settings = gongzhi_api::config::Settings::default();
    gongzhi_tests::production::production(&mut settings, "https://gateway.example.cn");
    assert_eq!(settings.check(), Ok(()), "the production settings start as they are");
    change(&mut settings);
    settings.check().expect_err("refused")
}

#[test]
fn production_refuses_a_bucket_without_credentials_and_a_guessable_link_secret() {
    let no_keys = refused(|settings| settings.storage.bucket = Some("gongzhi-files".into()));
    let weak = refused(|settings| settings.storage.link_secret = Some("files".to_owned().into()));

    assert!(no_keys.contains("GONGZHI_STORAGE__ACCESS_KEY_ID"), "{no_keys}");
    assert!(weak.contains("GONGZHI_STORAGE__LINK_SECRET"), "{weak}");
}

/// The archives kept under `exports/` on the server.
fn archives(server: &S3Server) -> usize {
    std::fs::read_dir(server.object_path("exports")).map(|dir| dir.count()).unwrap_or(0)
}

on_both!(an_export_kept_in_s3_is_downloaded_and_deleted_by_the_round_after_its_keeping, |backend| async move {
    // Arrange: the app keeps files in S3; the owner exports.
    let server = S3Server::start().await;
    let Some(app) = spawn_app_with(backend, |settings| server.configure(settings)).await else { return };
    let owner = app.login_as("owner").await;
    let export = crate::privacy_support::export_of_me(&app, &owner).await;
    let url = export["download"]["url"].as_str().expect("a link").to_owned();
    let stored = archives(&server);

    // Act: downloaded; then rounds a day before the keeping (7 days) ends and a day after.
    let (status, bytes) = crate::privacy_support::fetch(&app, &url).await;
    let store = store_on(&server, SECRET_KEY);
    app.clock.advance(chrono::Duration::days(6));
    let early = app.store.purge_old_exports(&store, 7).await.expect("round");
    app.clock.advance(chrono::Duration::days(2));
    let late = app.store.purge_old_exports(&store, 7).await.expect("round");

    // Assert: the archive came from the bucket; it is gone from it after its keeping, and so is the export.
    assert_eq!((stored, status), (1, 200), "one archive, in the bucket");
    assert!(crate::privacy_support::unzip(&bytes).contains_key("README.txt"));
    assert_eq!((early, late), (0, 1));
    assert_eq!(archives(&server), 0, "the archive is deleted from the bucket");
    let owner = app.login_as("owner").await;
    let listed = app.gql(Some(&owner), "{ myDataExports { id } }", serde_json::json!({})).await;
    assert_eq!(listed["data"]["myDataExports"], serde_json::json!([]), "{listed}");
});
