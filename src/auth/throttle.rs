//! Throttles of failed sign-in attempts, per account (the e-mail address typed, known or not,
//! so the throttle tells nothing about which accounts exist) and per client address (an IPv6
//! client by its /64, which one machine usually has whole). Keyed GCRA limiters count the
//! failures; when a key's burst is spent it is refused until a failure is forgiven, before any
//! password or code is checked, so a right guess after the limit does not get through either.
//!
//! Visitors' reports ("Rapportera fel eller komplettera") have a throttle of their own,
//! [`Reports`]: they never count against sign-in, nor sign-in against them.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// Failed attempts allowed per account in [`WINDOW`].
pub const PER_ACCOUNT: u32 = 5;
/// Failed attempts allowed per client address in [`WINDOW`].
pub const PER_ADDRESS: u32 = 20;
/// The window: a spent burst is refilled evenly over it.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// New anonymous sessions (sign-in and invitation forms) per address and minute.
pub const SESSIONS_PER_MINUTE: u32 = 30;
/// Reports from visitors accepted per client address and hour.
pub const REPORTS_PER_ADDRESS: u32 = 5;
/// Reports from visitors accepted per hour from everyone together.
pub const REPORTS_PER_HOUR: u32 = 100;
/// Keys kept before forgotten ones are swept out (bounds the memory an attacker can fill).
const SWEEP_AT: usize = 10_000;

type Limiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// Failures of one kind of key, and the keys refused until a moment.
struct Counter<K: Hash + Eq + Clone> {
    limiter: Limiter<K>,
    period: Duration,
    blocked: Mutex<HashMap<K, Instant>>,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(burst: u32) -> Counter<K> {
        let burst = NonZeroU32::new(burst).expect("a burst of at least one");
        let period = WINDOW / burst.get();
        let quota = Quota::with_period(period)
            .expect("a period above zero")
            .allow_burst(burst);
        Counter {
            limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            period,
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// How long the key is still refused, if it is.
    fn wait(&self, key: &K) -> Option<Duration> {
        let blocked = self.blocked.lock().expect("throttle lock");
        let until = *blocked.get(key)?;
        until.checked_duration_since(Instant::now())
    }

    /// Counts a failure; true if the key is refused from now on.
    fn failed(&self, key: K) -> bool {
        let wait = match self.limiter.check_key(&key) {
            Ok(state) if state.remaining_burst_capacity() > 0 => None,
            Ok(_) => Some(self.period),
            Err(not_until) => {
                Some(not_until.wait_time_from(self.limiter.clock().now()) + self.period)
            }
        };
        let mut blocked = self.blocked.lock().expect("throttle lock");
        if blocked.len() >= SWEEP_AT {
            let now = Instant::now();
            blocked.retain(|_, until| *until > now);
            self.limiter.retain_recent();
        }
        if let Some(wait) = wait {
            blocked.insert(key, Instant::now() + wait);
        }
        wait.is_some()
    }
}

pub struct Throttle {
    accounts: Counter<String>,
    addresses: Counter<IpAddr>,
    /// New anonymous sessions per address: each is a row in the store, so a client that
    /// sends no cookie cannot make the service write without bound.
    sessions: RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle::new(PER_ACCOUNT, PER_ADDRESS)
    }
}

impl Throttle {
    pub fn new(per_account: u32, per_address: u32) -> Throttle {
        let sessions = Quota::per_minute(NonZeroU32::new(SESSIONS_PER_MINUTE).expect("above zero"));
        Throttle {
            accounts: Counter::new(per_account),
            addresses: Counter::new(per_address),
            sessions: RateLimiter::keyed(sessions),
        }
    }

    /// Whether an address may start another anonymous session now (Err: how long to wait).
    pub fn new_session(&self, address: IpAddr) -> Result<(), Duration> {
        if self.sessions.len() >= SWEEP_AT {
            self.sessions.retain_recent();
        }
        self.sessions
            .check_key(&key_of(address))
            .map_err(|n| n.wait_time_from(self.sessions.clock().now()))
    }

    /// Whether an attempt may be checked at all: Err(how long to wait) when the account or the
    /// address has spent its failures.
    pub fn check(&self, account: Option<&str>, address: IpAddr) -> Result<(), Duration> {
        let by_account = account.and_then(|a| self.accounts.wait(&a.to_string()));
        match by_account.max(self.addresses.wait(&key_of(address))) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against the account (if one was named) and the address; true
    /// if either is refused from now on.
    pub fn failed(&self, account: Option<&str>, address: IpAddr) -> bool {
        let by_account = account.is_some_and(|a| self.accounts.failed(a.to_string()));
        self.addresses.failed(key_of(address)) || by_account
    }
}

/// Reports from visitors: a few an hour per client address (an IPv6 client by its /64) and a
/// cap for everyone together, so the coordinator's queue and the store cannot be flooded. Each
/// limiter refills evenly over the hour (GCRA), one report at a time.
pub struct Reports {
    addresses: RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>,
    all: governor::DefaultDirectRateLimiter,
}

impl Default for Reports {
    fn default() -> Reports {
        Reports::new(REPORTS_PER_ADDRESS, REPORTS_PER_HOUR)
    }
}

impl Reports {
    pub fn new(per_address: u32, per_hour: u32) -> Reports {
        let quota = |n: u32| Quota::per_hour(NonZeroU32::new(n).expect("at least one an hour"));
        Reports {
            addresses: RateLimiter::keyed(quota(per_address)),
            all: RateLimiter::direct(quota(per_hour)),
        }
    }

    /// Counts a report about to be stored; Err(how long to wait) when the address, or everyone
    /// together, has sent what the hour allows. The address is asked first, so one address's
    /// refused reports never use up everyone's.
    pub fn take(&self, address: IpAddr) -> Result<(), Duration> {
        if self.addresses.len() >= SWEEP_AT {
            self.addresses.retain_recent();
        }
        let now = self.all.clock().now();
        self.addresses
            .check_key(&key_of(address))
            .map_err(|n| n.wait_time_from(now))?;
        self.all.check().map_err(|n| n.wait_time_from(now))
    }
}

/// The key of an address: an IPv4 address itself, an IPv6 address by its /64.
fn key_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(segments.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_of_failures_then_refusal() {
        let t = Throttle::new(3, 100);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for n in 1..=3 {
            assert!(t.check(Some("a@b.se"), ip).is_ok());
            assert_eq!(t.failed(Some("a@b.se"), ip), n == 3, "blocked at the third");
        }
        let wait = t.check(Some("a@b.se"), ip).unwrap_err();
        assert!(wait > Duration::from_secs(60) && wait <= WINDOW, "{wait:?}");
        // Another account from the same address is not refused yet.
        assert!(t.check(Some("c@d.se"), ip).is_ok());
    }

    #[test]
    fn an_address_is_throttled_whatever_the_account() {
        let t = Throttle::new(100, 2);
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        t.failed(Some("x@y.se"), ip);
        t.failed(None, "2001:db8::2".parse().unwrap());
        assert!(t.check(Some("z@y.se"), ip).is_err(), "the same /64");
        assert!(t.check(None, "2001:db9::1".parse().unwrap()).is_ok());
    }

    #[test]
    fn reports_are_limited_per_address_and_for_everyone() {
        let r = Reports::new(2, 3);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(r.take(ip("192.0.2.1")).is_ok());
        assert!(r.take(ip("192.0.2.1")).is_ok());
        let wait = r.take(ip("192.0.2.1")).unwrap_err();
        assert!(
            wait > Duration::from_secs(60) && wait <= Duration::from_secs(1800),
            "{wait:?}"
        );
        // The refused one did not count for everyone: another address has the third.
        assert!(r.take(ip("2001:db8::1")).is_ok());
        assert!(r.take(ip("2001:db9::1")).is_err(), "the cap for everyone");
        // Reports never touch the sign-in throttle.
        assert!(Throttle::default().check(None, ip("192.0.2.1")).is_ok());
    }

    #[test]
    fn new_sessions_are_limited_per_address() {
        let t = Throttle::default();
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        for _ in 0..SESSIONS_PER_MINUTE {
            assert!(t.new_session(ip).is_ok());
        }
        assert!(t.new_session(ip).is_err());
        assert!(t.new_session("192.0.2.10".parse().unwrap()).is_ok());
    }
}
