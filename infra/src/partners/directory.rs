//! Which partners' tokens are good, asked on every request a partner makes. A person's token is checked
//! against its session in the statement that loads their grants; a partner has no grants to load, so
//! its row is cached in process for a short time instead (`GONGZHI_PARTNERS__CACHE_SECONDS`, 10 s by
//! default). Disabling or rotating through this instance forgets the entry at once; another instance
//! notices within that time to live, which is the bound on how long a disabled partner's token or a
//! rotated secret's token can still be used there (decision 29).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use gongzhi_domain::ids::PartnerId;
use gongzhi_domain::partner::Partner;

use crate::{Result, Store};

/// Until when an entry serves, and the partner if active.
type Entry = (DateTime<Utc>, Option<Arc<Partner>>);

pub struct PartnerDirectory {
    store: Store,
    /// Active partners by id, `None` for unknown or disabled ones; no cache when the time to live is 0.
    /// Each with when it stops serving, on the store's clock (decision 84): moka's own time to live, in
    /// real time, only frees the memory of entries past it.
    entries: Option<moka::future::Cache<PartnerId, Entry>>,
    ttl: chrono::Duration,
    /// Bumped by every `forget`: an entry read from the database while it moved is not kept, so a read
    /// racing a disable cannot put the partner back.
    forgotten: AtomicU64,
}

impl PartnerDirectory {
    pub fn new(store: Store, ttl: Duration) -> Self {
        let entries =
            (!ttl.is_zero()).then(|| moka::future::Cache::builder().max_capacity(10_000).time_to_live(ttl).build());
        let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX);
        Self { store, entries, ttl, forgotten: AtomicU64::new(0) }
    }

    /// The partner, when it is active and `secret_version` is its current secret's.
    pub async fn honouring(&self, id: PartnerId, secret_version: u32) -> Result<Option<Arc<Partner>>> {
        let partner = match &self.entries {
            None => self.store.active_partner(id).await?.map(Arc::new),
            Some(entries) => {
                let now = self.store.clock().now();
                match entries.get(&id).await {
                    Some((until, entry)) if now < until => entry,
                    _ => {
                        let before = self.forgotten.load(Ordering::Acquire);
                        let entry = self.store.active_partner(id).await?.map(Arc::new);
                        if self.forgotten.load(Ordering::Acquire) == before {
                            entries.insert(id, (now + self.ttl, entry.clone())).await;
                        }
                        entry
                    }
                }
            }
        };
        let now = self.store.clock().now();
        Ok(partner.filter(|partner| partner.honours(secret_version, now)))
    }

    /// Drops what this instance remembers of a partner, after it was disabled or its secret rotated.
    pub async fn forget(&self, id: PartnerId) {
        self.forgotten.fetch_add(1, Ordering::AcqRel);
        if let Some(entries) = &self.entries {
            entries.invalidate(&id).await;
        }
    }
}
