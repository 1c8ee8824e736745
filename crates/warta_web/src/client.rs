//! Who is asking: the one place the client's address is read (login throttling now;
//! read counting and logs later). Only a request whose socket peer is a trusted proxy
//! (`trusted_proxies`) has its `X-Forwarded-For` read, and then the rightmost hop
//! that is not itself a trusted proxy is the client: what a client writes on the
//! left of the header is never believed. Nothing is trusted by default.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use ipnet::IpNet;

/// The client's address, from the socket peer `peer` and the `X-Forwarded-For`
/// header `forwarded`, believing only hops in `trusted`.
pub fn client_ip(peer: IpAddr, forwarded: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(forwarded) = forwarded else {
        return peer;
    };
    let mut client = peer;
    for hop in forwarded.rsplit(',') {
        let Some(ip) = parse_hop(hop) else {
            // A hop that is not an address ends what can be believed.
            return client;
        };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
}

/// A trusted proxy as an operator writes it: a range (`10.0.0.0/8`) or one address.
pub fn parse_proxy(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// An address as a proxy writes it: bare, or with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(canonical)
}

/// IPv4 addresses seen through an IPv6 socket (`::ffff:1.2.3.4`) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The bucket an address is counted in for throttling: itself for IPv4, its /64
/// for IPv6 (one subscriber's usual allocation, so rotating within it gains nothing).
pub fn throttle_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        v4 => v4.to_string(),
    }
}

/// The client address of a request (`None` without a socket, as in tests that send
/// requests to the router directly).
pub(crate) fn request_ip(parts: &Parts, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    // Every `X-Forwarded-For` line in order, as one list: a proxy that adds a line of
    // its own (HAProxy) must not leave the client's own line to be read first. A line
    // that is not text ends what can be believed there, like a hop that is not an
    // address.
    let lines: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().unwrap_or("?"))
        .collect();
    let forwarded = (!lines.is_empty()).then(|| lines.join(","));
    Some(client_ip(canonical(peer), forwarded.as_deref(), trusted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn nets(s: &[&str]) -> Vec<IpNet> {
        s.iter().map(|n| n.parse().expect("net")).collect()
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        let proxies = nets(&["10.0.0.0/8", "127.0.0.1/32"]);
        let table = [
            // (peer, header, expected)
            ("203.0.113.9", Some("1.1.1.1"), "203.0.113.9"),
            ("127.0.0.1", None, "127.0.0.1"),
            ("127.0.0.1", Some("198.51.100.4"), "198.51.100.4"),
            (
                "127.0.0.1",
                Some("6.6.6.6, 198.51.100.4, 10.0.0.2"),
                "198.51.100.4",
            ),
            ("127.0.0.1", Some("10.0.0.3, 10.0.0.2"), "10.0.0.3"),
            ("127.0.0.1", Some("6.6.6.6, bogus, 10.0.0.2"), "10.0.0.2"),
            ("127.0.0.1", Some("[2001:db8::1]:443"), "2001:db8::1"),
            ("127.0.0.1", Some("198.51.100.4:5555"), "198.51.100.4"),
            ("::ffff:127.0.0.1", Some("198.51.100.4"), "198.51.100.4"),
        ];
        for (peer, header, want) in table {
            assert_eq!(
                client_ip(canonical(ip(peer)), header, &proxies),
                ip(want),
                "{peer} {header:?}"
            );
        }
        assert_eq!(
            parse_proxy("10.0.0.1"),
            Some("10.0.0.1/32".parse().expect("net"))
        );
        assert_eq!(
            parse_proxy(" 10.0.0.0/8 "),
            Some("10.0.0.0/8".parse().expect("net"))
        );
        assert_eq!(parse_proxy("::1"), Some("::1/128".parse().expect("net")));
        assert_eq!(parse_proxy("proxy.local"), None);
        // Two header lines (a proxy that adds its own): read as one list, right to left.
        let mut req = axum::http::Request::builder()
            .header("x-forwarded-for", "6.6.6.6")
            .header("x-forwarded-for", "198.51.100.4")
            .body(())
            .expect("request");
        req.extensions_mut().insert(ConnectInfo::<SocketAddr>(
            "127.0.0.1:80".parse().expect("addr"),
        ));
        let (parts, ()) = req.into_parts();
        assert_eq!(request_ip(&parts, &proxies), Some(ip("198.51.100.4")));
        // Nothing trusted: the header is never read.
        assert_eq!(
            client_ip(ip("127.0.0.1"), Some("198.51.100.4"), &[]),
            ip("127.0.0.1")
        );
    }
}
