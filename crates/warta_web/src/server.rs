//! The accept loop (issue #24): `axum::serve` has no header-read timeout, no cap on
//! open connections and no bound on a graceful stop, so a few thousand connections
//! that never finish their headers used up the process's file descriptors (pages,
//! search and related catch-up then failed with EMFILE). Here, on hyper-util:
//!
//! - HTTP/1.1 only (what browsers and proxies speak to an origin without TLS; HTTP/2
//!   without TLS would need timeouts of its own);
//! - a connection has `header_timeout` to send a request's headers, counted from when
//!   it starts waiting for a request: the same bound closes an idle keep-alive
//!   connection; a request body that stops arriving for `header_timeout` ends the
//!   request (`RequestBodyTimeoutLayer`);
//! - at most `max_connections` are open, below the descriptor limit with room kept
//!   for the database, the search index and media files. At the cap the connection
//!   that has waited longest for a request (slow headers, or idle) is closed to make
//!   room, so a normal request is served while an attack holds the rest; a connection
//!   counts as busy from its request's start until its response's last byte is
//!   written, and a busy one is never closed; only when every connection is busy does
//!   accepting wait;
//! - an accept error (EMFILE, ENFILE) is logged once per burst and retried after a
//!   growing pause instead of spinning;
//! - a stop lets requests in flight finish for at most `shutdown_grace`, then returns.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

/// How the server treats connections.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Time a connection has to send a request's headers (and most a connection may
    /// stay idle between requests).
    pub header_timeout: Duration,
    /// Connections open at once at most.
    pub max_connections: usize,
    /// How long a stop waits for requests in flight.
    pub shutdown_grace: Duration,
}

/// Descriptors kept for everything but connections: the database (a few per
/// connection of its pool), the search index's segment files, media files being sent.
pub const RESERVED_DESCRIPTORS: u64 = 128;

impl ServeOptions {
    /// Defaults for this process: 10 s for headers, 5 s to stop, and a cap on
    /// connections below its open-file limit (`ulimit -n`), keeping
    /// [`RESERVED_DESCRIPTORS`] (or a quarter, if more) for the rest.
    pub fn for_this_process() -> ServeOptions {
        let limit = open_file_limit().unwrap_or(1024);
        ServeOptions {
            header_timeout: Duration::from_secs(10),
            max_connections: connection_cap(limit),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// The connections a process with `limit` descriptors may hold open.
pub fn connection_cap(limit: u64) -> usize {
    let reserve = RESERVED_DESCRIPTORS.max(limit / 4);
    usize::try_from(limit.saturating_sub(reserve).max(16)).unwrap_or(usize::MAX)
}

/// The soft limit on open files, from `/proc/self/limits` (Linux); `None` elsewhere
/// or when unlimited.
pub fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// One open connection, as the accept loop sees it.
struct Entry {
    /// When it last started waiting for a request (accepted, or a response sent).
    waiting_since: Arc<Mutex<Instant>>,
    /// Requests started whose responses are not yet written to the end.
    in_flight: Arc<AtomicUsize>,
    close: Arc<Notify>,
}

/// A response body that, once written to its end (or dropped), counts its request
/// as done.
struct Counted<B> {
    inner: B,
    done: Option<(Arc<AtomicUsize>, Arc<Mutex<Instant>>)>,
}

impl<B> Counted<B> {
    fn finish(&mut self) {
        if let Some((in_flight, waiting_since)) = self.done.take() {
            if let Ok(mut t) = waiting_since.lock() {
                *t = Instant::now();
            }
            in_flight.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl<B> Drop for Counted<B> {
    fn drop(&mut self) {
        self.finish();
    }
}

impl<B: http_body::Body + Unpin> http_body::Body for Counted<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, std::task::Poll::Ready(None | Some(Err(_)))) {
            self.finish();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[derive(Default)]
struct Registry {
    open: Mutex<HashMap<u64, Entry>>,
    freed: Notify,
}

impl Registry {
    fn len(&self) -> usize {
        self.open.lock().map_or(0, |m| m.len())
    }

    /// Closes the connection that has waited longest for a request; false when every
    /// connection is busy with one.
    fn evict_one(&self) -> bool {
        let Ok(open) = self.open.lock() else {
            return false;
        };
        let oldest = open
            .values()
            .filter(|e| e.in_flight.load(Ordering::Acquire) == 0)
            .min_by_key(|e| {
                e.waiting_since
                    .lock()
                    .map_or_else(|_| Instant::now(), |t| *t)
            });
        match oldest {
            Some(e) => {
                e.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes (see the module notes).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let registry = Arc::new(Registry::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout);
    let builder = Arc::new(builder);
    // A body that stops arriving ends its request, as headers that stop do.
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        options.header_timeout,
    ));
    let next_id = AtomicU64::new(0);
    let mut pause = Duration::from_millis(5);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        // Room for one more: close the longest-waiting connection, or wait for one.
        while registry.len() >= options.max_connections {
            let freed = registry.freed.notified();
            if !registry.evict_one() {
                tracing::warn!(
                    open = options.max_connections,
                    "every connection is busy; new ones wait"
                );
            }
            tokio::select! {
                () = freed => {}
                () = &mut shutdown => return stop(tasks, stop_tx, options.shutdown_grace).await,
            }
        }
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => return stop(tasks, stop_tx, options.shutdown_grace).await,
        };
        let (stream, peer) = match accepted {
            Ok(a) => {
                pause = Duration::from_millis(5);
                a
            }
            Err(e) => {
                // Out of descriptors (or another passing error): wait, then again.
                if pause <= Duration::from_millis(5) {
                    tracing::warn!(error = %e, "accepting a connection failed; pausing");
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        let entry = Entry {
            waiting_since: Arc::new(Mutex::new(Instant::now())),
            in_flight: Arc::new(AtomicUsize::new(0)),
            close: Arc::new(Notify::new()),
        };
        let (waiting_since, in_flight, close) = (
            entry.waiting_since.clone(),
            entry.in_flight.clone(),
            entry.close.clone(),
        );
        if let Ok(mut open) = registry.open.lock() {
            open.insert(id, entry);
        }
        let (router, builder, registry, mut stop_rx) = (
            router.clone(),
            builder.clone(),
            registry.clone(),
            stop_rx.clone(),
        );
        tasks.spawn(async move {
            let service = hyper::service::service_fn(move |mut req| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                in_flight.fetch_add(1, Ordering::AcqRel);
                let done = Some((in_flight.clone(), waiting_since.clone()));
                let call = router.clone().oneshot(req.map(axum::body::Body::new));
                async move {
                    // Busy until the response's last byte is written (or it is dropped).
                    call.await.map(|res| {
                        res.map(|inner| Counted {
                            inner,
                            done: done.clone(),
                        })
                    })
                }
            });
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                () = close.notified() => {}
                () = stopped(&mut stop_rx) => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.as_mut().await;
                }
            }
            if let Ok(mut open) = registry.open.lock() {
                open.remove(&id);
            }
            registry.freed.notify_waiters();
        });
        // Finished connections' results are not needed: keep the set small.
        while tasks.try_join_next().is_some() {}
    }
}

/// Completes once a stop is signalled (never, if the sender is gone without one).
async fn stopped(rx: &mut watch::Receiver<bool>) {
    loop {
        let now = *rx.borrow_and_update();
        if now {
            return;
        }
        if rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Stops: no more accepting, connections told to finish, waited for at most `grace`.
async fn stop(
    mut tasks: tokio::task::JoinSet<()>,
    stop: watch::Sender<bool>,
    grace: Duration,
) -> std::io::Result<()> {
    let _ = stop.send(true);
    let all = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, all).await.is_err() {
        tracing::info!(
            left = tasks.len(),
            "stopping: connections still open after the grace period are closed"
        );
        tasks.abort_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_leave_room_for_the_rest() {
        assert_eq!(connection_cap(256), 128);
        assert_eq!(connection_cap(1024), 768);
        assert_eq!(connection_cap(65_536), 49_152);
        assert_eq!(connection_cap(100), 16, "never fewer than 16");
    }
}
