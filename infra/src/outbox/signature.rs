//! Request signatures. The messaging gateway's: HMAC-SHA256 over `{timestamp}.{body}` with a shared
//! secret, as docs/gateway.md specifies. Partners' webhooks: the Standard Webhooks scheme (decision 70),
//! HMAC-SHA256 over `{webhook-id}.{timestamp}.{body}` keyed with the base64-decoded `whsec_` secret, so
//! partners verify with a stock library. Either way the timestamp is signed, so a captured request cannot
//! be replayed later than the receiver's tolerance.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const TIMESTAMP_HEADER: &str = "X-Gongzhi-Timestamp";
pub const SIGNATURE_HEADER: &str = "X-Gongzhi-Signature";

/// `v1=` and the hex HMAC-SHA256 of `{timestamp}.{body}`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!("v1={}", hex::encode(mac(secret, timestamp, body).finalize().into_bytes()))
}

/// Checks a signature in constant time, as a receiver does.
pub fn verify(secret: &[u8], timestamp: i64, body: &[u8], signature: &str) -> bool {
    let Some(given) = signature.strip_prefix("v1=").and_then(|hex| hex::decode(hex).ok()) else { return false };
    mac(secret, timestamp, body).verify_slice(&given).is_ok()
}

/// The prefix Standard Webhooks secrets carry.
const SECRET_PREFIX: &str = "whsec_";

/// A new endpoint secret: `whsec_` and the base64 of 32 random bytes (the HMAC key, as long as its hash).
pub fn new_webhook_secret(rng: &mut impl RngCore) -> String {
    let mut key = [0u8; 32];
    rng.fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The HMAC key of a `whsec_` secret: its base64 decoded, as every Standard Webhooks library reads it.
/// Secrets issued before decision 70 (`whsec_` and 48 hex digits) are valid base64 too and read the same
/// way on both sides. A secret that is not base64 at all keys with its bytes, so it still signs.
pub fn webhook_key(secret: &str) -> Vec<u8> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD.decode(encoded).unwrap_or_else(|_| encoded.as_bytes().to_vec())
}

/// `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`: the `webhook-signature` header.
pub fn sign_webhook(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_its_secret_timestamp_and_body() {
        let signature = sign(b"shared", 1_790_000_000, b"{\"id\":1}");

        assert!(verify(b"shared", 1_790_000_000, b"{\"id\":1}", &signature));
        assert!(!verify(b"other", 1_790_000_000, b"{\"id\":1}", &signature));
        assert!(!verify(b"shared", 1_790_000_001, b"{\"id\":1}", &signature));
        assert!(!verify(b"shared", 1_790_000_000, b"{\"id\":2}", &signature));
        assert!(!verify(b"shared", 1_790_000_000, b"{\"id\":1}", "v1=zz"));
    }

    /// The example the Standard Webhooks reference libraries sign in their own tests.
    #[test]
    fn a_webhook_signature_matches_the_reference_example() {
        let key = webhook_key("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD");
        let body = br#"{"email":"test@example.com","username":"test_user"}"#;

        let signature = sign_webhook(&key, "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1_649_367_553, body);

        assert_eq!(signature, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
    }

    #[test]
    fn a_new_secret_is_32_random_bytes_in_base64() {
        let secret = new_webhook_secret(&mut rand::rng());
        assert!(secret.starts_with("whsec_"));
        assert_eq!(webhook_key(&secret).len(), 32);
        assert_ne!(secret, new_webhook_secret(&mut rand::rng()));
    }
}
