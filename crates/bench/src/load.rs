//! An open-loop load generator for the server's benchmarks: requests are scheduled at a
//! fixed rate, whatever the server answers, and each latency is measured from the moment
//! the request was due, not from when a connection was free to send it. A slow server thus
//! shows its queueing in the latencies instead of silently lowering the rate (the
//! "coordinated omission" that closed-loop tools like wrk suffer; wrk2 is not packaged
//! here).

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::Instant;

/// What to send, how often, for how long.
#[derive(Debug, Clone)]
pub struct LoadPlan {
    /// "127.0.0.1:8080".
    pub addr: String,
    /// "/api/deliberations/2023-479".
    pub path: String,
    pub rate_per_second: u32,
    pub duration: Duration,
    /// Keep-alive connections sharing the schedule.
    pub connections: usize,
}

/// What the run measured. Latencies in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    pub path: String,
    pub target_rate: u32,
    pub achieved_rate: f64,
    pub requests: usize,
    /// Answers other than 2xx, and requests that failed outright.
    pub errors: usize,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub connections: usize,
}

/// Sends the plan's requests over its connections; `Err` when the server cannot be
/// reached at all.
pub async fn run(plan: &LoadPlan) -> Result<LoadReport, String> {
    let total =
        (u64::from(plan.rate_per_second) * plan.duration.as_millis() as u64 / 1000) as usize;
    let connections = plan.connections.max(1);
    let interval = Duration::from_nanos(1_000_000_000 / u64::from(plan.rate_per_second.max(1)));
    let start = Instant::now() + Duration::from_millis(50);
    let mut tasks = Vec::new();
    for c in 0..connections {
        let plan = plan.clone();
        tasks.push(tokio::spawn(async move {
            connection(&plan, c, connections, total, start, interval).await
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t
            .await
            .map_err(|e| format!("tâche de charge interrompue : {e}"))??;
        latencies.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        latencies[rank - 1] as f64 / 1000.0
    };
    Ok(LoadReport {
        path: plan.path.clone(),
        target_rate: plan.rate_per_second,
        achieved_rate: latencies.len() as f64 / elapsed.max(f64::EPSILON),
        requests: latencies.len(),
        errors,
        p50_ms: percentile(0.50),
        p90_ms: percentile(0.90),
        p99_ms: percentile(0.99),
        max_ms: latencies.last().map_or(0.0, |&m| m as f64 / 1000.0),
        connections,
    })
}

/// One keep-alive connection: it sends every `step`-th request of the schedule, each at
/// its due time or as soon as the previous answer is in. Latencies in microseconds.
async fn connection(
    plan: &LoadPlan,
    first: usize,
    step: usize,
    total: usize,
    start: Instant,
    interval: Duration,
) -> Result<(Vec<u64>, usize), String> {
    let stream = TcpStream::connect(&plan.addr)
        .await
        .map_err(|e| format!("connexion à {} impossible : {e}", plan.addr))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP/1.1 avec {} : {e}", plan.addr))?;
    tokio::spawn(conn);
    let mut latencies = Vec::with_capacity(total / step + 1);
    let mut errors = 0;
    for i in (first..total).step_by(step) {
        let due = start + interval * u32::try_from(i).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due).await;
        let request = Request::get(plan.path.as_str())
            .header(hyper::header::HOST, plan.addr.as_str())
            .body(Empty::<Bytes>::new())
            .map_err(|e| e.to_string())?;
        let ok = match sender.send_request(request).await {
            Ok(response) => {
                let success = response.status().is_success();
                // The body is read whole: a page is served when its last byte is.
                success && response.into_body().collect().await.is_ok()
            }
            Err(_) => false,
        };
        latencies.push(due.elapsed().as_micros() as u64);
        if !ok {
            errors += 1;
            if sender.ready().await.is_err() {
                break;
            }
        }
    }
    Ok((latencies, errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_scheduled_request_is_sent_and_counted() {
        let app = Router::new().route("/ok", get(|| async { "ok" })).route(
            "/refus",
            get(|| async { (axum::http::StatusCode::NOT_FOUND, "non") }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string();
        tokio::spawn(async move { axum::serve(listener, app).await });
        for (path, errors) in [("/ok", 0), ("/refus", 150)] {
            let report = run(&LoadPlan {
                addr: addr.clone(),
                path: path.into(),
                rate_per_second: 300,
                duration: Duration::from_millis(500),
                connections: 4,
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(report.requests, 150, "{path}");
            assert_eq!(report.errors, errors, "{path}");
            assert!(report.p50_ms <= report.p90_ms && report.p90_ms <= report.p99_ms);
            assert!(report.p99_ms <= report.max_ms);
        }
        let unreachable = run(&LoadPlan {
            addr: "127.0.0.1:1".into(),
            path: "/".into(),
            rate_per_second: 10,
            duration: Duration::from_secs(1),
            connections: 1,
        })
        .await;
        assert!(unreachable.is_err());
    }
}
