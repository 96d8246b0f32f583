//! Prometheus metrics of one server: requests, latency, database pool, argon2 and the credential cache.
//! Labels carry route templates, methods and statuses only: never a SID or any other per-account value.
use crate::journal::JournalCounters;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// Labels are static strings: labelling a request allocates nothing.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: &'static str,
    pub route: &'static str,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: &'static str,
    pub route: &'static str,
}

/// A request method as a label: the standard ones by name, anything a client invents as `other`
/// (a label's values must stay few).
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counters that authentication increments; cheap clones of shared atomics.
#[derive(Clone, Default)]
pub struct AuthCounters {
    pub argon2_verifications: Counter,
    pub cache_hits: Counter,
    pub cache_misses: Counter,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram>,
    pub pool_connections: Gauge,
    pub pool_idle: Gauge,
    pub auth: AuthCounters,
}

impl Metrics {
    pub fn new(auth: AuthCounters, journal: JournalCounters) -> Self {
        let mut registry = Registry::with_prefix("twilio_emulator");
        let requests = Family::<RequestLabels, Counter>::default();
        // 100 µs to ~3 s.
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0001, 2.0, 16))
        });
        let pool_connections = Gauge::default();
        let pool_idle = Gauge::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer a request", latency.clone());
        registry.register("db_pool_connections", "Open database connections", pool_connections.clone());
        registry.register("db_pool_idle_connections", "Idle database connections", pool_idle.clone());
        registry.register("argon2_verifications", "argon2id verifications run", auth.argon2_verifications.clone());
        registry.register(
            "credential_cache_hits",
            "Requests answered from the credential cache",
            auth.cache_hits.clone(),
        );
        registry.register(
            "credential_cache_misses",
            "Requests that needed an argon2 verification",
            auth.cache_misses.clone(),
        );
        registry.register("journal_entries_written", "Request journal entries written", journal.written);
        registry.register(
            "journal_entries_dropped",
            "Request journal entries dropped (queue full or database unavailable)",
            journal.dropped,
        );
        Self { registry, requests, latency, pool_connections, pool_idle, auth }
    }

    pub fn observe(&self, method: &'static str, route: &'static str, status: u16, seconds: f64) {
        self.latency.get_or_create(&RouteLabels { method, route }).observe(seconds);
        self.requests.get_or_create(&RequestLabels { method, route, status }).inc();
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }
}
