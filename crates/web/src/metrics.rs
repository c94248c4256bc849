//! Request counts and latencies by route, in the Prometheus text format at `/metrics`.
//! Written here rather than with a metrics crate: a mutex-guarded map of a few dozen
//! routes is all a single server needs, and the format is a page of text.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds of the latency histogram, in microseconds.
const BOUNDS_US: [u64; 10] = [
    1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 5_000_000,
];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum_us: u64,
    /// Cumulative counts per bound of [`BOUNDS_US`].
    buckets: [u64; BOUNDS_US.len()],
}

/// The counters, keyed by (method, route pattern, status).
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, micros: u64) {
        let Ok(mut map) = self.series.lock() else {
            return;
        };
        let s = map
            .entry((method.to_string(), route.to_string(), status))
            .or_default();
        s.count += 1;
        s.sum_us = s.sum_us.saturating_add(micros);
        for (i, bound) in BOUNDS_US.iter().enumerate() {
            if micros <= *bound {
                s.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition of every series.
    pub fn render(&self) -> String {
        let map = match self.series.lock() {
            Ok(m) => m.clone(),
            Err(_) => BTreeMap::new(),
        };
        let mut out = String::new();
        out.push_str(
            "# HELP recouvre_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE recouvre_http_requests_total counter\n");
        for ((method, route, status), s) in &map {
            let _ = writeln!(
                out,
                "recouvre_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                s.count
            );
        }
        out.push_str("# HELP recouvre_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE recouvre_http_request_duration_seconds histogram\n");
        for ((method, route, status), s) in &map {
            let labels = format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                escape(route)
            );
            for (bound, n) in BOUNDS_US.iter().zip(s.buckets) {
                let _ = writeln!(
                    out,
                    "recouvre_http_request_duration_seconds_bucket{{{labels},le=\"{}\"}} {n}",
                    seconds(*bound)
                );
            }
            let _ = writeln!(
                out,
                "recouvre_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "recouvre_http_request_duration_seconds_sum{{{labels}}} {}",
                seconds(s.sum_us)
            );
            let _ = writeln!(
                out,
                "recouvre_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        out
    }
}

/// Microseconds as decimal seconds, exactly (`25000` → `0.025000`).
fn seconds(us: u64) -> String {
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The method as a label: one of the methods of HTTP (RFC 9110, and PATCH), any other
/// `other`, so that a client inventing methods cannot add series without end.
fn method_label(method: &axum::http::Method) -> String {
    use axum::http::Method;
    let known = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    if known.contains(method) {
        method.as_str().to_string()
    } else {
        "other".to_string()
    }
}

/// Middleware: times every request and counts it under its route pattern (never the raw
/// path, which would make one series per debtor).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let mut response = next.run(req).await;
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    state
        .metrics
        .observe(&method, &route, response.status().as_u16(), micros);
    // The server time of this answer, in milliseconds, for browsers' developer tools and
    // the end-to-end tests (the budget is 100 ms a page).
    let timing = format!("app;dur={}.{:03}", micros / 1000, micros % 1000);
    if let Ok(v) = axum::http::HeaderValue::from_str(&timing) {
        response.headers_mut().insert("server-timing", v);
    }
    response
}

/// `GET /metrics`.
pub async fn render(State(state): State<AppState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        let m = |s: &str| method_label(&axum::http::Method::from_bytes(s.as_bytes()).unwrap());
        assert_eq!(m("GET"), "GET");
        assert_eq!(m("PATCH"), "PATCH");
        assert_eq!(m("BREW"), "other");
        assert_eq!(m("get"), "other");
    }

    #[test]
    fn renders_counts_and_histogram() {
        let m = Metrics::default();
        m.observe("GET", "/debtors/{id}", 200, 3_000);
        m.observe("GET", "/debtors/{id}", 200, 70_000);
        let text = m.render();
        assert!(text.contains(
            "recouvre_http_requests_total{method=\"GET\",route=\"/debtors/{id}\",status=\"200\"} 2"
        ));
        // 3 ms is under the 5 ms bound, 70 ms only from the 100 ms bound.
        assert!(text.contains("le=\"0.005000\"} 1"));
        assert!(text.contains("le=\"0.100000\"} 2"));
        assert!(
            text.contains("_sum{method=\"GET\",route=\"/debtors/{id}\",status=\"200\"} 0.073000")
        );
    }
}
