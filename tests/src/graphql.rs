//! Small helpers for reading GraphQL responses in tests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// The uuid inside a global id (`base64("Type:uuid")`).
pub fn uuid_of(id: &str) -> String {
    let bytes = URL_SAFE_NO_PAD.decode(id).expect("base64 id");
    let text = String::from_utf8(bytes).expect("utf-8 id");
    text.split_once(':').expect("Type:uuid").1.to_owned()
}

/// A field of every row of a `topics` feed response, as text (ids, titles).
pub fn feed_field(body: &Value, field: &str) -> Vec<String> {
    body["data"]["topics"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no feed: {body}"))
        .iter()
        .filter_map(|edge| edge["node"][field].as_str().map(str::to_owned))
        .collect()
}

/// The row of `topic` (its global id) in a `topics` feed response; it must be there.
pub fn feed_row<'a>(body: &'a Value, topic: &str) -> &'a Value {
    body["data"]["topics"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no feed: {body}"))
        .iter()
        .map(|edge| &edge["node"])
        .find(|node| node["id"] == topic)
        .unwrap_or_else(|| panic!("topic {topic} not in the feed: {body}"))
}

/// The `extensions.code` of the first error, if any.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

pub fn error_message(body: &Value) -> Option<&str> {
    body["errors"][0]["message"].as_str()
}

/// Every error code in the response, in order.
pub fn error_codes(body: &Value) -> Vec<&str> {
    body["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["extensions"]["code"].as_str()).collect())
        .unwrap_or_default()
}
