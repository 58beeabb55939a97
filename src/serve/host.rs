//! DNS rebinding protection: a page on another site can make the browser
//! resolve its own name to 127.0.0.1 and then read this server's answers as
//! same-origin. Such requests carry that other name in `Host`, so only names
//! that mean this machine are answered: `localhost`, the bound address, and
//! (when bound to loopback, or to every interface) other IP literals of that
//! kind. An IP literal cannot be rebound; any other name could be.

use std::net::IpAddr;

#[derive(Debug, Clone, Copy)]
pub struct AllowedHosts {
    bind: IpAddr,
}

impl AllowedHosts {
    pub fn new(bind: IpAddr) -> Self {
        AllowedHosts { bind }
    }

    /// Whether a request with these `Host` header values may be answered:
    /// exactly one, naming this server, with or without a port.
    pub fn allows<'a>(&self, mut hosts: impl Iterator<Item = &'a str>) -> bool {
        let (Some(host), None) = (hosts.next(), hosts.next()) else {
            return false;
        };
        let Some(name) = without_port(host.trim()) else {
            return false;
        };
        let name = name.trim_end_matches('.');
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => {
                ip == self.bind
                    || (self.bind.is_loopback() && ip.is_loopback())
                    || self.bind.is_unspecified()
            }
            Err(_) => false,
        }
    }
}

/// `name` from `name`, `name:port`, `[v6]` or `[v6]:port`; `None` when the
/// value is not one of those.
fn without_port(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            match after {
                "" => (inside, None),
                _ => (inside, Some(after.strip_prefix(':')?)),
            }
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port_ok =
        port.is_none_or(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
    (!name.is_empty() && port_ok).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(bind: &str, hosts: &[&str]) -> bool {
        AllowedHosts::new(bind.parse().unwrap()).allows(hosts.iter().copied())
    }

    #[test]
    fn loopback_names_are_answered() {
        for host in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(allows("127.0.0.1", &[host]), "{host}");
        }
        assert!(allows("::1", &["[::1]:80"]));
    }

    #[test]
    fn other_names_and_malformed_hosts_are_refused() {
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "192.168.1.5",
            "",
            "127.0.0.1:",
            "127.0.0.1:x",
            "::1",
            "[::1",
            "[::1]x",
        ] {
            assert!(!allows("127.0.0.1", &[host]), "{host:?}");
        }
        assert!(!allows("127.0.0.1", &[]), "no Host");
        assert!(!allows("127.0.0.1", &["localhost", "evil.example"]), "two");
    }

    #[test]
    fn the_bound_address_is_answered() {
        assert!(allows("192.168.1.5", &["192.168.1.5:1111"]));
        assert!(!allows("192.168.1.5", &["127.0.0.1"]));
        assert!(allows("0.0.0.0", &["192.168.1.5:1111"]));
        assert!(!allows("0.0.0.0", &["evil.example"]));
    }
}
