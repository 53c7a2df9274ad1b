//! The address of the client a request comes from, for the limits kept per address.
//!
//! `Forwarded` (RFC 7239) and `X-Forwarded-For` are written by whoever sends the request, so they
//! are believed only when the TCP peer is one of `application.trusted_proxies`: otherwise any
//! client could name a fresh address in each request and never meet a limit. Through trusted
//! proxies the chain is read from the right (the hop nearest to us) and the first address that
//! is not itself a trusted proxy is the client.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::net::{IpAddr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{FromRequest, HttpRequest, web};

use crate::cidr::Cidr;
use crate::state::AppState;

/// The client's address, or `None` when the connection has no peer address (never over TCP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequest for ClientAddr {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(ClientAddr::of(req)))
    }
}

impl ClientAddr {
    /// The client of `req`, through the trusted proxies of the app's settings.
    pub fn of(req: &HttpRequest) -> Self {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.settings.application.trusted_proxies.as_slice())
            .unwrap_or_default();
        let peer = req.peer_addr().map(|addr| addr.ip());
        ClientAddr(peer.map(|peer| resolve(peer, req.headers(), trusted)))
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy, else the first
/// untrusted hop of the forwarding chain read from the right. A hop that names no address
/// (`unknown`, an obfuscated name, garbage) ends the walk at the trusted hop that reported it.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |addr: IpAddr| trusted.iter().any(|cidr| cidr.contains(addr));
    let mut client = peer.to_canonical();
    if !is_trusted(client) {
        return client;
    }
    for hop in forwarding_chain(headers).into_iter().rev() {
        let Some(hop) = hop else { break };
        client = hop.to_canonical();
        if !is_trusted(client) {
            break;
        }
    }
    client
}

/// The addresses the proxies reported, the client's first: `Forwarded` if present, else
/// `X-Forwarded-For`. `None` stands for a hop that does not name an address.
fn forwarding_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded = header_list(headers, &header::FORWARDED);
    if !forwarded.is_empty() {
        return forwarded.iter().map(|element| forwarded_for(element)).collect();
    }
    let x_forwarded_for = header::HeaderName::from_static("x-forwarded-for");
    header_list(headers, &x_forwarded_for)
        .iter()
        .map(|hop| node_address(hop))
        .collect()
}

/// The comma-separated elements of every instance of a header, in order.
fn header_list(headers: &HeaderMap, name: &header::HeaderName) -> Vec<String> {
    headers
        .get_all(name)
        .flat_map(|value| {
            let text = value.to_str().unwrap_or("\u{fffd}");
            text.split(',')
                .map(|part| part.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The `for=` node of one `Forwarded` element (`for=192.0.2.60;proto=https;by=203.0.113.43`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| node_address(value.trim().trim_matches('"')))
            .flatten()
    })
}

/// An address as proxies write it: `192.0.2.60`, `192.0.2.60:4711`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn node_address(node: &str) -> Option<IpAddr> {
    node.parse::<IpAddr>()
        .ok()
        .or_else(|| node.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| node.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn cidrs(blocks: &[&str]) -> Vec<Cidr> {
        blocks.iter().map(|block| block.parse().unwrap()).collect()
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let spoofed = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=198.51.100.2"),
        ]);
        assert_eq!(resolve(ip("203.0.113.5"), &spoofed, &[]), ip("203.0.113.5"));
        let trusted = cidrs(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(ip("203.0.113.5"), &spoofed, &trusted),
            ip("203.0.113.5"),
            "a peer outside the trusted blocks is the client whatever it says"
        );
    }

    #[test]
    fn x_forwarded_for_is_read_from_the_right_past_trusted_proxies() {
        let trusted = cidrs(&["10.0.0.0/8"]);
        // The client made up the first entry; the edge proxy appended the real peer it saw,
        // then an inner proxy appended the edge's address.
        let chain = headers(&[("x-forwarded-for", "192.0.2.99, 198.51.100.7, 10.0.0.2")]);
        assert_eq!(resolve(ip("10.0.0.3"), &chain, &trusted), ip("198.51.100.7"));
        // Several header lines form one list in order.
        let split = headers(&[
            ("x-forwarded-for", "192.0.2.99"),
            ("x-forwarded-for", "198.51.100.7:5123, 10.0.0.2"),
        ]);
        assert_eq!(resolve(ip("10.0.0.3"), &split, &trusted), ip("198.51.100.7"));
        // A proxy talking to us with no header is the client.
        assert_eq!(
            resolve(ip("10.0.0.3"), &HeaderMap::new(), &trusted),
            ip("10.0.0.3")
        );
        // All trusted: the leftmost is as far as we can see.
        let internal = headers(&[("x-forwarded-for", "10.9.9.9, 10.0.0.2")]);
        assert_eq!(resolve(ip("10.0.0.3"), &internal, &trusted), ip("10.9.9.9"));
    }

    #[test]
    fn a_hop_without_an_address_stops_at_the_proxy_that_reported_it() {
        let trusted = cidrs(&["10.0.0.0/8"]);
        let chain = headers(&[("x-forwarded-for", "198.51.100.7, unknown, 10.0.0.2")]);
        assert_eq!(resolve(ip("10.0.0.3"), &chain, &trusted), ip("10.0.0.2"));
        let obfuscated = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(resolve(ip("10.0.0.3"), &obfuscated, &trusted), ip("10.0.0.3"));
    }

    #[test]
    fn forwarded_takes_precedence_and_accepts_its_node_forms() {
        let trusted = cidrs(&["10.0.0.0/8", "2001:db8:1::/48"]);
        let both = headers(&[
            ("x-forwarded-for", "192.0.2.1"),
            (
                "forwarded",
                r#"for=192.0.2.99, For="[2001:db8:cafe::17]:4711";proto=https, for=10.0.0.2;by=10.0.0.3"#,
            ),
        ]);
        assert_eq!(resolve(ip("10.0.0.3"), &both, &trusted), ip("2001:db8:cafe::17"));
        let v4_port = headers(&[("forwarded", r#"proto=http;for="198.51.100.7:80""#)]);
        assert_eq!(
            resolve(ip("2001:db8:1::5"), &v4_port, &trusted),
            ip("198.51.100.7")
        );
    }
}
