//! Small helpers for reading GraphQL responses in tests.

use serde_json::Value;

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
