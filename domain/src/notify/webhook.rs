//! Partner webhook endpoints: which addresses the server must never post to (server-side request
//! forgery). A partner chooses the URL, so without this rule a city administrator's mistake — or a
//! partner's DNS record — could make the server post signed requests into its own network: the database,
//! Redis, the cloud's metadata service that hands out credentials. The rule is applied to the URL's host
//! at registration and again to every address the host resolves to when a message is sent
//! (`infra::outbox::targets`), so a name that later resolves elsewhere (DNS rebinding) is still refused.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused, as partners and operators are told it (the code is stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetClass {
    /// 127/8, ::1, `localhost`: this machine. Allowed only by `webhooks.allow_loopback` (tests, a local
    /// adapter).
    Loopback,
    /// 10/8, 172.16/12, 192.168/16, fc00::/7 (unique local, which holds AWS's fd00:ec2::254).
    Private,
    /// 169.254/16, fe80::/10.
    LinkLocal,
    /// 169.254.169.254, fd00:ec2::254, `metadata.google.internal`: hands out the machine's credentials.
    Metadata,
    /// 100.64/10, carrier-grade NAT: a provider's internal network.
    SharedAddress,
    /// 0.0.0.0/8, ::: "this host" on most systems.
    Unspecified,
    /// 224/4, ff00::/8.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
}

impl TargetClass {
    pub const fn code(self) -> &'static str {
        match self {
            TargetClass::Loopback => "loopback",
            TargetClass::Private => "private",
            TargetClass::LinkLocal => "link_local",
            TargetClass::Metadata => "metadata",
            TargetClass::SharedAddress => "shared_address",
            TargetClass::Unspecified => "unspecified",
            TargetClass::Multicast => "multicast",
            TargetClass::Broadcast => "broadcast",
        }
    }
}

/// Host names refused whatever they resolve to: the metadata services reached by name.
const METADATA_NAMES: [&str; 2] = ["metadata.google.internal", "metadata"];

/// The class that refuses a host given by name before it is resolved (`localhost`, the metadata names).
pub fn refused_name(host: &str, allow_loopback: bool) -> Option<TargetClass> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if METADATA_NAMES.contains(&host.as_str()) {
        return Some(TargetClass::Metadata);
    }
    let loopback = host == "localhost" || host.ends_with(".localhost");
    (loopback && !allow_loopback).then_some(TargetClass::Loopback)
}

/// The class that refuses this address, or `None` when a webhook may be posted to it. Loopback passes
/// only when `allow_loopback`; nothing else can be allowed.
pub fn refused_address(ip: IpAddr, allow_loopback: bool) -> Option<TargetClass> {
    let class = match ip {
        IpAddr::V4(v4) => class_v4(v4),
        // An IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible address reaches the IPv4 address it holds.
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => class_v4(v4),
            None => class_v6(v6),
        },
    };
    class.filter(|class| !(allow_loopback && *class == TargetClass::Loopback))
}

fn class_v4(ip: Ipv4Addr) -> Option<TargetClass> {
    let [a, b, ..] = ip.octets();
    Some(if ip == Ipv4Addr::new(169, 254, 169, 254) {
        TargetClass::Metadata
    } else if ip.is_loopback() {
        TargetClass::Loopback
    } else if ip.is_private() {
        TargetClass::Private
    } else if ip.is_link_local() {
        TargetClass::LinkLocal
    } else if a == 100 && (64..128).contains(&b) {
        TargetClass::SharedAddress
    } else if a == 0 {
        TargetClass::Unspecified
    } else if ip.is_broadcast() {
        TargetClass::Broadcast
    } else if ip.is_multicast() {
        TargetClass::Multicast
    } else {
        return None;
    })
}

fn class_v6(ip: Ipv6Addr) -> Option<TargetClass> {
    let first = ip.segments()[0];
    Some(if ip == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254) {
        TargetClass::Metadata
    } else if ip.is_loopback() {
        TargetClass::Loopback
    } else if ip.is_unspecified() {
        TargetClass::Unspecified
    } else if first & 0xfe00 == 0xfc00 {
        TargetClass::Private
    } else if first & 0xffc0 == 0xfe80 {
        TargetClass::LinkLocal
    } else if ip.is_multicast() {
        TargetClass::Multicast
    } else if let Some(v4) = ip.to_ipv4() {
        // The deprecated IPv4-compatible form (::a.b.c.d) still reaches a.b.c.d on some stacks.
        return class_v4(v4);
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(ip: &str) -> Option<TargetClass> {
        refused_address(ip.parse().expect("an address"), false)
    }

    #[test]
    fn every_internal_class_is_refused_and_public_addresses_pass() {
        let cases = [
            ("127.0.0.1", Some(TargetClass::Loopback)),
            ("127.9.9.9", Some(TargetClass::Loopback)),
            ("::1", Some(TargetClass::Loopback)),
            ("10.0.0.8", Some(TargetClass::Private)),
            ("172.16.0.1", Some(TargetClass::Private)),
            ("172.31.255.255", Some(TargetClass::Private)),
            ("192.168.1.1", Some(TargetClass::Private)),
            ("fc00::1", Some(TargetClass::Private)),
            ("fdff:ffff::1", Some(TargetClass::Private)),
            ("169.254.1.1", Some(TargetClass::LinkLocal)),
            ("fe80::1", Some(TargetClass::LinkLocal)),
            ("169.254.169.254", Some(TargetClass::Metadata)),
            ("fd00:ec2::254", Some(TargetClass::Metadata)),
            ("100.64.0.1", Some(TargetClass::SharedAddress)),
            ("100.127.255.255", Some(TargetClass::SharedAddress)),
            ("0.0.0.0", Some(TargetClass::Unspecified)),
            ("::", Some(TargetClass::Unspecified)),
            ("224.0.0.1", Some(TargetClass::Multicast)),
            ("ff02::1", Some(TargetClass::Multicast)),
            ("255.255.255.255", Some(TargetClass::Broadcast)),
            ("::ffff:127.0.0.1", Some(TargetClass::Loopback)),
            ("::ffff:10.1.2.3", Some(TargetClass::Private)),
            ("::ffff:169.254.169.254", Some(TargetClass::Metadata)),
            ("172.32.0.1", None),
            ("100.128.0.1", None),
            ("203.0.113.7", None),
            ("2001:db8::1", None),
            ("2400:3200::1", None),
        ];
        for (ip, expected) in cases {
            assert_eq!(refused(ip), expected, "{ip}");
        }
    }

    #[test]
    fn the_setting_allows_loopback_and_nothing_else() {
        let allowed = |ip: &str| refused_address(ip.parse().expect("an address"), true);
        assert_eq!(allowed("127.0.0.1"), None);
        assert_eq!(allowed("::1"), None);
        assert_eq!(allowed("::ffff:127.0.0.1"), None);
        assert_eq!(allowed("10.0.0.1"), Some(TargetClass::Private));
        assert_eq!(allowed("169.254.169.254"), Some(TargetClass::Metadata));
        assert_eq!(refused_name("localhost", true), None);
        assert_eq!(refused_name("metadata.google.internal", true), Some(TargetClass::Metadata));
    }

    #[test]
    fn names_are_refused_before_they_are_resolved() {
        assert_eq!(refused_name("LOCALHOST.", false), Some(TargetClass::Loopback));
        assert_eq!(refused_name("api.localhost", false), Some(TargetClass::Loopback));
        assert_eq!(refused_name("metadata.google.internal.", false), Some(TargetClass::Metadata));
        assert_eq!(refused_name("partner.example.cn", false), None);
    }
}
