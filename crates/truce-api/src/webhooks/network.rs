//! Where a webhook may send: by default only to public addresses, so that whoever may
//! subscribe cannot make the node post to its own loopback or to the private network it
//! sits in (its database, a metadata service). `webhooks_private_networks = true` allows
//! them, for a mechanism whose alert receiver runs inside its own network.
//!
//! The address is checked twice: an IP literal when the webhook is made (and again before
//! each delivery), and a name each time it is resolved for a delivery ([`PublicOnly`]),
//! since a name can point elsewhere later.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether `ip` is loopback, private, link-local, shared (CGNAT), unspecified or
/// broadcast: somewhere inside, not on the public internet. An IPv6 address that carries
/// an IPv4 one (mapped, compatible, NAT64's `64:ff9b::/96`, 6to4's `2002::/16`) is judged by
/// the IPv4 address a translator would reach; the local-use NAT64 prefix `64:ff9b:1::/48`
/// (RFC 8215) is inside by definition.
#[must_use]
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_ipv4(v6) {
                return is_internal(IpAddr::V4(v4));
            }
            let segments = v6.segments();
            let first = segments[0];
            let local_nat64 = segments[..3] == [0x64, 0xff9b, 1];
            local_nat64
                || v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// The IPv4 address an IPv6 one carries for a translator or tunnel, if any.
fn embedded_ipv4(v6: std::net::Ipv6Addr) -> Option<std::net::Ipv4Addr> {
    let s = v6.segments();
    let octets = v6.octets();
    let last = std::net::Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]);
    match s {
        // Mapped; NAT64's well-known prefix; IPv4-compatible (deprecated), but not :: and ::1.
        [0, 0, 0, 0, 0, 0xffff, ..] | [0x64, 0xff9b, 0, 0, 0, 0, ..] => Some(last),
        [0, 0, 0, 0, 0, 0, ..] if !v6.is_loopback() && !v6.is_unspecified() => Some(last),
        [0x2002, a, b, ..] => {
            let [a1, a2] = a.to_be_bytes();
            let [b1, b2] = b.to_be_bytes();
            Some(std::net::Ipv4Addr::new(a1, a2, b1, b2))
        }
        _ => None,
    }
}

/// The URL's host, if it is an internal IP literal. A name (`localhost` included) is
/// judged by what it resolves to, at each delivery.
#[must_use]
pub fn refused_host(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str()?;
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    let ip = literal.parse::<IpAddr>().ok()?;
    is_internal(ip).then(|| literal.to_string())
}

/// A resolver that answers only a name's public addresses, and an error naming the name
/// when it has none.
#[derive(Debug, Clone, Copy)]
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> =
                found.into_iter().filter(|a| !is_internal(a.ip())).collect();
            if public.is_empty() {
                return Err(format!(
                    "{host} resolves only to loopback or private-network addresses, which this node does not send webhooks to (webhooks_private_networks)"
                )
                .into());
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_addresses_are_told_from_public_ones() {
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            // NAT64 (well-known and local-use prefixes), 6to4 and IPv4-compatible.
            "64:ff9b::7f00:1",
            "64:ff9b::10.0.0.1",
            "64:ff9b::169.254.169.254",
            "64:ff9b:1::8.8.8.8",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "::10.0.0.1",
        ] {
            assert!(is_internal(inside.parse().unwrap()), "{inside}");
        }
        for public in [
            "8.8.8.8",
            "100.128.0.1",
            "2001:4860:4860::8888",
            "::ffff:1.1.1.1",
            "64:ff9b::8.8.8.8",
            "2002:808:808::1",
        ] {
            assert!(!is_internal(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn internal_hosts_in_urls_are_named() {
        let host = |url: &str| refused_host(&reqwest::Url::parse(url).unwrap());
        assert_eq!(host("http://127.0.0.1:9/x").as_deref(), Some("127.0.0.1"));
        assert_eq!(host("http://[::1]/x").as_deref(), Some("::1"));
        assert_eq!(
            host("http://localhost/x"),
            None,
            "a name is judged when resolved"
        );
        assert_eq!(host("https://alerts.example.org/x"), None);
        assert_eq!(host("https://93.184.216.34/x"), None);
    }
}
