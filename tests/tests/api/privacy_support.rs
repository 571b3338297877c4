//! Shared by the personal-information tests (issue 19): asking for an export, fetching and opening its
//! archive, and reading the access log.

use std::collections::BTreeMap;
use std::io::Read;

use gongzhi_tests::TestApp;
use serde_json::{Value, json};

pub const REQUEST_EXPORT: &str = "mutation($p: ID) { requestDataExport(personId: $p) {
  id status readyAt sizeBytes download { url expiresAt contentType } } }";

pub const MY_ACCESSES: &str = "query($first: Int, $after: String) { myDataAccesses(first: $first, after: $after) {
  edges { cursor node { at kind reason reference actor { id name } subject { id } } }
  pageInfo { hasNextPage endCursor } } }";

pub const ACCESS_LOG: &str = "query($reason: String!, $p: ID, $a: ID, $from: DateTime, $until: DateTime) {
  dataAccesses(reason: $reason, personId: $p, actorId: $a, from: $from, until: $until, first: 50) {
    edges { node { at kind reason actor { id name } subject { id name } } } } }";

/// Asks for the logged-in person's export; the export, which must have been built.
pub async fn export_of_me(app: &TestApp, token: &str) -> Value {
    let body = app.gql(Some(token), REQUEST_EXPORT, json!({ "p": null })).await;
    let export = body["data"]["requestDataExport"].clone();
    assert_eq!(export["status"], "READY", "{body}");
    export
}

/// GETs a link: the status and the bytes.
pub async fn fetch(app: &TestApp, url: &str) -> (u16, Vec<u8>) {
    let response = app.client.get(url).send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.bytes().await.expect("body").to_vec())
}

/// Every file of a zip, by name, as text.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("a file");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("UTF-8 text");
        files.insert(file.name().expect("a UTF-8 name").to_string(), text);
    }
    files
}

/// The logged-in person's accesses, newest first (the first 50).
pub async fn my_accesses(app: &TestApp, token: &str) -> Vec<Value> {
    let body = app.gql(Some(token), MY_ACCESSES, json!({ "first": 50 })).await;
    edges(&body, "myDataAccesses")
}

pub fn edges(body: &Value, field: &str) -> Vec<Value> {
    body["data"][field]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no {field}: {body}"))
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

/// The kinds of a list of accesses, in order.
pub fn kinds(accesses: &[Value]) -> Vec<&str> {
    accesses.iter().filter_map(|a| a["kind"].as_str()).collect()
}
