//! Request limits: a per-tenant request rate (off unless configured) and the URL length.
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use std::num::NonZeroU32;

/// Limits a shared deployment can tune. The defaults stay out of a CI fleet's way.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Requests per second per tenant (a main account and its subaccounts together); 0 = no limit.
    pub requests_per_second_per_tenant: u32,
    /// Requests a tenant may send at once above the rate; 0 = the rate itself.
    pub burst_per_tenant: u32,
    /// Open connections per worker thread.
    pub max_connections_per_worker: usize,
    /// Time a client has to send its request head (slow clients are cut off), in milliseconds.
    pub client_request_timeout_ms: u64,
    /// Idle keep-alive connections are closed after this many seconds.
    pub keep_alive_secs: u64,
    /// Longest path plus query string accepted (then 414).
    pub max_url_bytes: usize,
}

/// Per-tenant token buckets (GCRA), keyed by the main account's SID.
pub struct TenantLimiter {
    buckets: Option<DefaultKeyedRateLimiter<String>>,
}

impl TenantLimiter {
    pub fn new(settings: &LimitSettings) -> Self {
        let buckets = NonZeroU32::new(settings.requests_per_second_per_tenant).map(|rate| {
            let burst = NonZeroU32::new(settings.burst_per_tenant).unwrap_or(rate);
            RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
        });
        Self { buckets }
    }

    /// Takes one request from the tenant's bucket; always true when no rate is configured.
    pub fn allows(&self, tenant: &str) -> bool {
        self.buckets.as_ref().is_none_or(|buckets| buckets.check_key(&tenant.to_owned()).is_ok())
    }

    /// Forgets tenants that have been quiet long enough to have a full bucket again.
    pub fn shrink(&self) {
        if let Some(buckets) = &self.buckets {
            buckets.retain_recent();
            buckets.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{LimitSettings, TenantLimiter};

    fn settings(rate: u32, burst: u32) -> LimitSettings {
        LimitSettings {
            requests_per_second_per_tenant: rate,
            burst_per_tenant: burst,
            max_connections_per_worker: 1,
            client_request_timeout_ms: 1,
            keep_alive_secs: 1,
            max_url_bytes: 1,
        }
    }

    #[test]
    fn no_rate_means_no_limit() {
        let limiter = TenantLimiter::new(&settings(0, 0));
        assert!((0..10_000).all(|_| limiter.allows("AC1")));
    }

    #[test]
    fn each_tenant_has_its_own_bucket() {
        let limiter = TenantLimiter::new(&settings(1, 3));
        assert_eq!((0..10).filter(|_| limiter.allows("AC1")).count(), 3);
        assert!(limiter.allows("AC2"), "another tenant is not affected");
    }
}
