//! Tamper evidence (issue 17): every version is a link in one chain per place. Its hash is SHA-256 over
//! its canonical form — who published what, for which period, when and why, and the hash of the place's
//! previous version — so changing any stored version, or removing or reordering one, breaks every hash
//! from there on, and anyone holding the head hash can tell.
//!
//! The canonical form is the JSON of [`Link`] (fields in declaration order, no maps, times to the
//! millisecond so a database's precision cannot change it). Decision 101.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::content::Body;
use super::kind::DisclosureKind;

/// The hash a place's first version chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Everything a version's hash covers.
#[derive(Debug, Clone, Serialize)]
pub struct Link<'a> {
    pub id: Uuid,
    pub place: Uuid,
    pub kind: DisclosureKind,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub version: i32,
    pub chain_seq: i64,
    pub publisher_party: &'a str,
    pub company: Option<Uuid>,
    pub published_by: Uuid,
    #[serde(serialize_with = "millis")]
    pub published_at: DateTime<Utc>,
    pub reason: Option<&'a str>,
    pub body: &'a Body,
    pub previous_hash: &'a str,
}

fn millis<S: serde::Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

impl Link<'_> {
    pub fn canonical(&self) -> String {
        // A struct of strings, numbers and vectors always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Lowercase hex SHA-256 of the canonical form.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical().as_bytes()))
    }
}

/// A stored version as verification reads it: what the row says its hashes are, and its hash recomputed
/// from its columns (`None` when its content no longer reads as a body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    pub id: Uuid,
    pub chain_seq: i64,
    pub previous_hash: String,
    pub content_hash: String,
    pub recomputed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainProblem {
    /// The version's columns no longer hash to its stored hash: it was changed after publication.
    Altered,
    /// The version does not point at the hash of the one before it (one was changed, removed or
    /// inserted).
    Unlinked,
    /// Sequence numbers skip or repeat: a version was removed.
    Gap,
    /// The stored content is not a disclosure body any more.
    Unreadable,
}

impl ChainProblem {
    pub const fn as_str(self) -> &'static str {
        match self {
            ChainProblem::Altered => "altered",
            ChainProblem::Unlinked => "unlinked",
            ChainProblem::Gap => "gap",
            ChainProblem::Unreadable => "unreadable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every link holds; `head` is the last version's hash (GENESIS for an empty chain).
    Intact { length: usize, head: String },
    /// The first link that fails, and how.
    Broken { at: Uuid, chain_seq: i64, problem: ChainProblem },
}

/// Walks a place's versions in `chain_seq` order.
pub fn verify(links: &[StoredLink]) -> ChainVerdict {
    let mut previous = GENESIS.to_owned();
    for (i, link) in links.iter().enumerate() {
        let broken = |problem| ChainVerdict::Broken { at: link.id, chain_seq: link.chain_seq, problem };
        if usize::try_from(link.chain_seq).ok() != Some(i + 1) {
            return broken(ChainProblem::Gap);
        }
        let Some(recomputed) = &link.recomputed else { return broken(ChainProblem::Unreadable) };
        if *recomputed != link.content_hash {
            return broken(ChainProblem::Altered);
        }
        if link.previous_hash != previous {
            return broken(ChainProblem::Unlinked);
        }
        previous.clone_from(&link.content_hash);
    }
    ChainVerdict::Intact { length: links.len(), head: previous }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::disclosure::content::Totals;

    fn body(summary: &str) -> Body {
        Body { summary: summary.into(), lines: vec![], totals: Totals::default(), attachments: vec![] }
    }

    fn link<'a>(seq: i64, body: &'a Body, previous: &'a str) -> Link<'a> {
        Link {
            id: Uuid::from_u128(seq as u128),
            place: Uuid::from_u128(7),
            kind: DisclosureKind::PropertyAccounts,
            period_start: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default(),
            period_end: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap_or_default(),
            version: 1,
            chain_seq: seq,
            publisher_party: "property_company",
            company: None,
            published_by: Uuid::from_u128(9),
            published_at: Utc.with_ymd_and_hms(2026, 10, 5, 1, 2, 3).single().unwrap_or_default(),
            reason: None,
            body,
            previous_hash: previous,
        }
    }

    fn stored(link: &Link<'_>) -> StoredLink {
        let hash = link.hash();
        StoredLink {
            id: link.id,
            chain_seq: link.chain_seq,
            previous_hash: link.previous_hash.to_owned(),
            content_hash: hash.clone(),
            recomputed: Some(hash),
        }
    }

    fn chain() -> Vec<StoredLink> {
        let (a, b, c) = (body("一"), body("二"), body("三"));
        let first = stored(&link(1, &a, GENESIS));
        let second = stored(&link(2, &b, &first.content_hash));
        let third = stored(&link(3, &c, &second.content_hash));
        vec![first, second, third]
    }

    #[test]
    fn the_hash_is_sha256_hex_of_the_canonical_form_and_covers_the_predecessor() {
        let b = body("一");
        let one = link(1, &b, GENESIS);
        assert_eq!(one.hash().len(), 64);
        assert_eq!(one.hash(), hex::encode(Sha256::digest(one.canonical().as_bytes())));
        assert!(one.canonical().contains("\"publishedAt\"") || one.canonical().contains("\"published_at\""));
        let other = link(1, &b, "ff");
        assert_ne!(one.hash(), other.hash(), "a different predecessor, a different hash");
        let later = Link { published_at: one.published_at + chrono::Duration::microseconds(300), ..one.clone() };
        assert_eq!(one.hash(), later.hash(), "sub-millisecond precision is not hashed");
    }

    #[test]
    fn an_untouched_chain_is_intact_with_its_head() {
        let links = chain();
        let head = links[2].content_hash.clone();
        assert_eq!(verify(&links), ChainVerdict::Intact { length: 3, head });
        assert_eq!(verify(&[]), ChainVerdict::Intact { length: 0, head: GENESIS.into() });
    }

    #[test]
    fn a_changed_version_is_caught_where_it_was_changed() {
        let mut links = chain();
        links[1].recomputed = Some("0".repeat(64));
        assert_eq!(
            verify(&links),
            ChainVerdict::Broken { at: links[1].id, chain_seq: 2, problem: ChainProblem::Altered }
        );
    }

    #[test]
    fn a_rehashed_version_still_breaks_the_next_link() {
        let mut links = chain();
        // The forger recomputed the second version's hash to match the altered content.
        links[1].content_hash = "ab".repeat(32);
        links[1].recomputed = Some("ab".repeat(32));
        assert_eq!(
            verify(&links),
            ChainVerdict::Broken { at: links[2].id, chain_seq: 3, problem: ChainProblem::Unlinked }
        );
    }

    #[test]
    fn a_removed_version_is_a_gap() {
        let mut links = chain();
        links.remove(1);
        assert!(matches!(verify(&links), ChainVerdict::Broken { chain_seq: 3, problem: ChainProblem::Gap, .. }));
    }
}
