//! Where webhooks may be posted: the address rule of `gongzhi_domain::notify::refused_address` applied to
//! a partner's URL at registration, and again at delivery *after* DNS resolution, by the resolver the
//! webhook client connects through — so the address checked is the address connected to, and a name that
//! resolved to a public address at registration and to 10.0.0.8 today (DNS rebinding) is refused today.
//! The webhook client follows no redirect and uses no proxy: either would connect somewhere unchecked.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use gongzhi_domain::Invalid;
use gongzhi_domain::notify::{TargetClass, refused_address, refused_name};
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Looks a host name up. The system's resolver in production; tests inject one that answers what they
/// need (a name that resolves to a refused address), with no network.
pub trait HostLookup: Send + Sync + 'static {
    fn lookup(&self, host: String) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;
}

/// `getaddrinfo`, through tokio's blocking pool.
pub struct SystemLookup;

impl HostLookup for SystemLookup {
    fn lookup(&self, host: String) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        Box::pin(async move { Ok(tokio::net::lookup_host((host.as_str(), 0)).await?.map(|a| a.ip()).collect()) })
    }
}

/// How long registration waits for a name to resolve. A name that does not resolve in time (or at all)
/// is registered: nothing is posted to it until it resolves, and then to checked addresses only.
const REGISTRATION_LOOKUP: Duration = Duration::from_secs(3);

/// The address rule and the resolver it is applied through. One per store; the worker takes it from there.
#[derive(Clone)]
pub struct WebhookTargets {
    allow_loopback: bool,
    lookup: Arc<dyn HostLookup>,
}

impl std::fmt::Debug for WebhookTargets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookTargets").field("allow_loopback", &self.allow_loopback).finish_non_exhaustive()
    }
}

impl Default for WebhookTargets {
    /// Production's rule: loopback refused too, names resolved by the system.
    fn default() -> Self {
        WebhookTargets { allow_loopback: false, lookup: Arc::new(SystemLookup) }
    }
}

/// A webhook refused for where it would go, carried through reqwest's error chain from the resolver to
/// the worker, which dead-letters the message with this reason.
#[derive(Debug, Clone, thiserror::Error)]
#[error("refused: {host} resolves only to addresses webhooks may not reach ({})", class_list(.classes))]
pub struct RefusedTarget {
    pub host: String,
    pub classes: Vec<TargetClass>,
}

fn class_list(classes: &[TargetClass]) -> String {
    classes.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")
}

impl WebhookTargets {
    pub fn new(allow_loopback: bool, lookup: Arc<dyn HostLookup>) -> Self {
        WebhookTargets { allow_loopback, lookup }
    }

    /// Production's resolver with the loopback setting (`webhooks.allow_loopback`).
    pub fn system(allow_loopback: bool) -> Self {
        WebhookTargets { allow_loopback, ..WebhookTargets::default() }
    }

    pub fn allows_loopback(&self) -> bool {
        self.allow_loopback
    }

    /// Checks a URL a partner gives at registration; returns it as it will be stored. https only (plain
    /// http to loopback alone, where loopback is allowed), no user name or password, and a host that
    /// neither is nor resolves to a refused address.
    pub async fn check_registration(&self, given: &str) -> Result<String, Invalid> {
        let given = given.trim();
        let url = self.check_url(given)?;
        if let Some(url::Host::Domain(name)) = url.host() {
            let resolved = tokio::time::timeout(REGISTRATION_LOOKUP, self.lookup.lookup(name.to_owned())).await;
            if let Ok(Ok(addresses)) = resolved
                && let Some(class) = addresses.iter().find_map(|ip| refused_address(*ip, self.allow_loopback))
            {
                return Err(Invalid::WebhookTarget { given: shown(given), class });
            }
        }
        Ok(url.to_string())
    }

    /// The checks that need no resolver, made again before each send: the stored URL may predate a rule,
    /// and reqwest does not resolve (so the resolver cannot check) a host given as an address.
    pub fn check_url(&self, given: &str) -> Result<Url, Invalid> {
        let bad = || Invalid::WebhookUrl { given: shown(given) };
        if given.len() > 500 || given.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let url = Url::parse(given).map_err(|_| bad())?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad());
        }
        let refused = |class| Invalid::WebhookTarget { given: shown(given), class };
        // The URL parser has already read every spelling of an address (2130706433, 0x7f.1, [::ffff:…])
        // as the address itself, exactly as the client will connect to it.
        let loopback = match url.host() {
            None => return Err(bad()),
            Some(url::Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip), self.allow_loopback).map_err(refused)?,
            Some(url::Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip), self.allow_loopback).map_err(refused)?,
            Some(url::Host::Domain(name)) => {
                if let Some(class) = refused_name(name, self.allow_loopback) {
                    return Err(refused(class));
                }
                refused_name(name, false).is_some()
            }
        };
        match url.scheme() {
            "https" => Ok(url),
            "http" if loopback => Ok(url),
            _ => Err(bad()),
        }
    }

    /// The resolver the webhook client connects through.
    pub fn resolver(&self) -> Arc<dyn Resolve> {
        Arc::new(CheckedResolver { targets: self.clone() })
    }
}

/// Ok(true) for an allowed loopback address, Ok(false) for any other allowed one.
fn check_ip(ip: IpAddr, allow_loopback: bool) -> Result<bool, TargetClass> {
    match refused_address(ip, allow_loopback) {
        Some(class) => Err(class),
        None => Ok(refused_address(ip, false).is_some()),
    }
}

fn shown(given: &str) -> String {
    given.chars().take(200).collect()
}

/// Resolves through the lookup and keeps only the addresses the rule allows; with none left, fails with
/// [`RefusedTarget`]. Checking some addresses and connecting to others is what this prevents.
struct CheckedResolver {
    targets: WebhookTargets,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let targets = self.targets.clone();
        Box::pin(async move {
            if let Some(class) = refused_name(&host, targets.allow_loopback) {
                return Err(Box::new(RefusedTarget { host, classes: vec![class] }) as _);
            }
            let resolved = targets.lookup.lookup(host.clone()).await?;
            let mut refused = Vec::new();
            let mut allowed = Vec::new();
            for ip in resolved {
                match refused_address(ip, targets.allow_loopback) {
                    Some(class) if !refused.contains(&class) => refused.push(class),
                    Some(_) => {}
                    None => allowed.push(SocketAddr::new(ip, 0)),
                }
            }
            if allowed.is_empty() && !refused.is_empty() {
                return Err(Box::new(RefusedTarget { host, classes: refused }) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The refusal in a failed request's chain of causes, if the resolver refused it.
pub fn refused_in(err: &(dyn std::error::Error + 'static)) -> Option<RefusedTarget> {
    let mut cause = Some(err);
    while let Some(err) = cause {
        if let Some(refused) = err.downcast_ref::<RefusedTarget>() {
            return Some(refused.clone());
        }
        cause = err.source();
    }
    None
}
