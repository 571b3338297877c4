//! A resolver the tests control, injected into the store's webhook address rule (`WebhookTargets`), so a
//! test can make a partner's name resolve to a public address at registration and to a refused one at
//! delivery (DNS rebinding) without any network. A name it was not told of does not resolve.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

use gongzhi_infra::outbox::HostLookup;

#[derive(Default)]
pub struct FakeDns {
    records: Mutex<HashMap<String, Vec<IpAddr>>>,
}

impl FakeDns {
    /// From now on `host` resolves to `addresses`.
    pub fn set(&self, host: &str, addresses: &[&str]) {
        let addresses = addresses.iter().map(|a| a.parse().expect("an IP address")).collect();
        self.records.lock().unwrap_or_else(PoisonError::into_inner).insert(host.to_ascii_lowercase(), addresses);
    }
}

impl HostLookup for FakeDns {
    fn lookup(&self, host: String) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        let found =
            self.records.lock().unwrap_or_else(PoisonError::into_inner).get(&host.to_ascii_lowercase()).cloned();
        Box::pin(async move {
            found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, format!("{host} does not resolve")))
        })
    }
}
