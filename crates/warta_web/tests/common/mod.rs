//! A stand-in for the services Warta calls out to (purge targets, webhook receivers):
//! an HTTP server on a free loopback port that records every request.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One request as received: the headers Warta sets, and the body.
#[derive(Debug, Clone)]
pub struct Got {
    pub headers: HeaderMap,
    pub body: String,
}

impl Got {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

pub type Received = Arc<Mutex<Vec<Got>>>;

/// Starts the stand-in: `POST /in` answers `status` after `delay`. Returns its address.
pub async fn stand_in(status: StatusCode, delay: Duration) -> (String, Received) {
    let got: Received = Arc::default();
    let g = got.clone();
    let app = Router::new().route(
        "/in",
        post(move |headers: HeaderMap, body: String| {
            let g = g.clone();
            async move {
                if let Ok(mut v) = g.lock() {
                    v.push(Got { headers, body });
                }
                tokio::time::sleep(delay).await;
                status
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/in"), got)
}

/// What was received so far.
pub fn seen(got: &Received) -> Vec<Got> {
    got.lock().expect("lock").clone()
}

/// Waits until `n` requests arrived (at most 3 s) and returns them.
pub async fn wait_for(got: &Received, n: usize) -> Vec<Got> {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let now = seen(got);
        if now.len() >= n {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {n} requests: {now:?}",
            now.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
