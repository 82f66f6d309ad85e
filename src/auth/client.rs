//! Who is asking, as far as sign-in needs to know: the client's address (for the throttles and
//! the security log) and whether the request reached the service over https. The peer's
//! address is the truth unless the peer is a configured proxy; only then does the last
//! `X-Forwarded-For` hop (the one the proxy added) and its `X-Forwarded-Proto` count.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    pub address: IpAddr,
    /// The request came over https: from a trusted proxy saying so, or the service's public
    /// address is https (TLS is then terminated in front of it).
    pub https: bool,
    /// The request came straight from this machine (not forwarded by anything): plain HTTP is
    /// allowed then, as nothing crosses a network.
    pub local: bool,
}

impl Client {
    /// Whether credentials may be sent on this connection.
    pub fn secure(&self) -> bool {
        self.https || self.local
    }

    /// Reads the client from a request's peer and headers.
    pub fn of(peer: Option<SocketAddr>, headers: &HeaderMap, state: &AppState) -> Client {
        // A router called without a socket (tests with `oneshot`) has no peer: it is local.
        let peer = peer.map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |p| canonical(p.ip()));
        let trusted = state.auth.trusted_proxies.iter().any(|n| n.contains(&peer));
        let public_https = state
            .site
            .options
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        let forwarded =
            headers.contains_key("x-forwarded-for") || headers.contains_key("forwarded");
        if trusted {
            let hop = last_forwarded_for(headers);
            let proto_https = headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
            let address = hop.unwrap_or(peer);
            Client {
                address,
                https: proto_https || public_https,
                local: hop.is_none() && peer.is_loopback(),
            }
        } else {
            // A loopback peer with forwarding headers is a proxy nobody declared: what it
            // forwards comes from elsewhere, so it is not local.
            Client {
                address: peer,
                https: public_https,
                local: peer.is_loopback() && !forwarded,
            }
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(Client::of(peer, &parts.headers, state))
    }
}

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`, from a dual-stack socket) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The last address of the last `X-Forwarded-For` header: the one the trusted proxy wrote.
/// Earlier hops come from the client and prove nothing.
fn last_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let hop = last.to_str().ok()?.rsplit(',').next()?.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// One `--trusted-proxies` entry: an address or a CIDR range.
pub fn parse_proxy(entry: &str) -> Result<IpNet, String> {
    entry
        .parse::<IpNet>()
        .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            format!(
                "--trusted-proxies: ”{entry}” är ingen IP-adress eller CIDR (t.ex. 10.0.0.5 eller 10.0.0.0/24)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_parse_as_addresses_and_ranges() {
        assert!(
            parse_proxy("10.0.0.5")
                .unwrap()
                .contains(&"10.0.0.5".parse::<IpAddr>().unwrap())
        );
        let net = parse_proxy("10.0.0.0/24").unwrap();
        assert!(net.contains(&"10.0.0.77".parse::<IpAddr>().unwrap()));
        assert!(!net.contains(&"10.0.1.1".parse::<IpAddr>().unwrap()));
        assert!(parse_proxy("::1").is_ok());
        assert!(
            parse_proxy("proxy.example")
                .unwrap_err()
                .contains("proxy.example")
        );
    }

    #[test]
    fn the_last_forwarded_hop_counts() {
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", "1.2.3.4, 5.6.7.8".parse().unwrap());
        h.append("x-forwarded-for", "9.9.9.9".parse().unwrap());
        assert_eq!(last_forwarded_for(&h), Some("9.9.9.9".parse().unwrap()));
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", "junk".parse().unwrap());
        assert_eq!(last_forwarded_for(&h), None);
    }
}
