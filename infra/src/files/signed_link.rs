//! Signed, expiring links to stored files. A link is minted by the resolver that returns the photo or the
//! attachment — which has already decided that its viewer may see the thing it belongs to — and carries
//! its expiry and an HMAC-SHA256 of the key and expiry under a server secret, so the file route needs no
//! session (a WeChat `<image>` sends none) and cannot be asked for a key nobody was shown (decision 56).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No expiry or signature, or one that is not of the shape this server makes.
    Unsigned,
    /// Not signed by this server for this key and expiry: made up, or changed since.
    BadSignature,
    Expired,
}

/// A link's expiry and signature, as they go in its query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedLink {
    pub expires_at: DateTime<Utc>,
    /// `exp=<unix seconds>&sig=<base64url>`.
    pub query: String,
}

/// Mints and checks links.
pub struct FileLinks {
    key: [u8; 32],
    /// How long a link is good for at least.
    lifetime: i64,
    /// Expiries are rounded up to a multiple of this, so a file shown again within it gets the same link
    /// and the client's cache of it holds.
    step: i64,
}

impl FileLinks {
    /// Links signed with a key derived from `secret` (its own purpose, so a link's signature never serves as
    /// anything else the secret signs), good for `lifetime_seconds` to `lifetime_seconds * 7 / 6`.
    pub fn new(secret: &[u8], lifetime_seconds: u64) -> Self {
        let mut derive = HmacSha256::new_from_slice(secret).unwrap_or_else(|_| unreachable_hmac());
        derive.update(b"gongzhi file links v1");
        let mut key = [0; 32];
        key.copy_from_slice(&derive.finalize().into_bytes());
        let lifetime = i64::try_from(lifetime_seconds.max(1)).unwrap_or(i64::MAX / 2);
        Self { key, lifetime, step: (lifetime / 6).max(1) }
    }

    fn mac(&self, key: &str, expires: i64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable_hmac());
        mac.update(key.as_bytes());
        mac.update(b"\0");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// A link to `key`, minted at `now`.
    pub fn mint(&self, key: &str, now: DateTime<Utc>) -> SignedLink {
        let earliest = now.timestamp().saturating_add(self.lifetime);
        let expires = earliest.div_euclid(self.step).saturating_add(1).saturating_mul(self.step);
        let signature = URL_SAFE_NO_PAD.encode(self.mac(key, expires).finalize().into_bytes());
        SignedLink {
            expires_at: DateTime::from_timestamp(expires, 0).unwrap_or(DateTime::<Utc>::MAX_UTC),
            query: format!("exp={expires}&sig={signature}"),
        }
    }

    /// Checks a link's `exp` and `sig` for `key` at `now`; the seconds it is still good for when it holds.
    pub fn check(
        &self,
        key: &str,
        expires: Option<&str>,
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64, LinkRefusal> {
        let (Some(expires), Some(signature)) = (expires, signature) else { return Err(LinkRefusal::Unsigned) };
        let expires: i64 = expires.parse().map_err(|_| LinkRefusal::Unsigned)?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| LinkRefusal::Unsigned)?;
        // Checked before the expiry, so that an expired link says so only when it was really ours.
        self.mac(key, expires).verify_slice(&signature).map_err(|_| LinkRefusal::BadSignature)?;
        let left = expires.saturating_sub(now.timestamp());
        if left <= 0 {
            return Err(LinkRefusal::Expired);
        }
        Ok(left)
    }
}

/// HMAC takes a key of any length; `new_from_slice` cannot fail for it.
fn unreachable_hmac() -> HmacSha256 {
    unreachable!("HMAC-SHA256 accepts keys of any length")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + seconds, 0).single().expect("time")
    }

    fn parts(link: &SignedLink) -> (String, String) {
        let (exp, sig) = link.query.split_once('&').expect("two parts");
        (exp.trim_start_matches("exp=").to_owned(), sig.trim_start_matches("sig=").to_owned())
    }

    #[test]
    fn a_link_holds_for_its_key_until_it_expires() {
        let links = FileLinks::new(b"a server secret", 3600);
        let link = links.mint("photos/a.png", at(0));
        let (exp, sig) = parts(&link);

        let left = links.check("photos/a.png", Some(&exp), Some(&sig), at(0));
        assert!(left.is_ok_and(|left| (3600..=4200).contains(&left)), "{left:?}");
        let last = (link.expires_at - at(0)).num_seconds();
        assert_eq!(links.check("photos/a.png", Some(&exp), Some(&sig), at(last - 1)), Ok(1));
        assert_eq!(links.check("photos/a.png", Some(&exp), Some(&sig), at(last)), Err(LinkRefusal::Expired));
    }

    #[test]
    fn a_link_is_refused_for_another_key_a_later_expiry_or_another_secret() {
        let links = FileLinks::new(b"a server secret", 3600);
        let (exp, sig) = parts(&links.mint("photos/a.png", at(0)));
        let later = (exp.parse::<i64>().expect("number") + 86_400).to_string();

        let other_key = links.check("photos/b.png", Some(&exp), Some(&sig), at(0));
        let extended = links.check("photos/a.png", Some(&later), Some(&sig), at(0));
        let other_server = FileLinks::new(b"another secret", 3600).check("photos/a.png", Some(&exp), Some(&sig), at(0));
        let unsigned = links.check("photos/a.png", Some(&exp), None, at(0));
        let garbled = links.check("photos/a.png", Some("soon"), Some(&sig), at(0));

        assert_eq!(other_key, Err(LinkRefusal::BadSignature));
        assert_eq!(extended, Err(LinkRefusal::BadSignature));
        assert_eq!(other_server, Err(LinkRefusal::BadSignature));
        assert_eq!(unsigned, Err(LinkRefusal::Unsigned));
        assert_eq!(garbled, Err(LinkRefusal::Unsigned));
    }

    #[test]
    fn a_file_shown_again_soon_gets_the_same_link() {
        let links = FileLinks::new(b"a server secret", 3600);
        let first = links.mint("photos/a.png", at(0));
        let (exp, _) = parts(&first);
        // Within the same ten-minute step the expiry, and so the link, is the same.
        let step_start = exp.parse::<i64>().expect("number") - 1_800_000_000 - 3600 - 600;
        assert_eq!(links.mint("photos/a.png", at(step_start.max(0))), first);
        assert_ne!(links.mint("photos/a.png", at(step_start + 600)), first);
    }
}
