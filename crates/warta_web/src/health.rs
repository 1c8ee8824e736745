//! What a load balancer or an orchestrator asks (issue #34): `/healthz` (the process
//! answers) and `/readyz` (whether this node should get readers: the database answers
//! within a second, the search index is open and at most 5 s behind the change log,
//! and the related-list work at most `related_lag` behind). Never cached, and cheap
//! enough to be asked every second: three indexed one-row queries.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::AppState;

/// How long the database may take to answer.
const DATABASE_WITHIN: Duration = Duration::from_secs(1);
/// How far behind the change log the search index may be.
const SEARCH_BEHIND: chrono::Duration = chrono::Duration::seconds(5);

fn never_cached(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `/healthz`: the process answers.
pub(crate) async fn healthz() -> Response {
    never_cached(
        (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "ok\n",
        )
            .into_response(),
    )
}

/// One check's verdict.
pub(crate) struct Check {
    pub(crate) name: &'static str,
    pub(crate) ok: bool,
    pub(crate) detail: String,
    /// For a lag: seconds behind, and the most allowed.
    pub(crate) behind: Option<(i64, i64)>,
    /// For the database: how long it took to answer, in milliseconds.
    pub(crate) took_ms: Option<u128>,
}

/// How far behind a reader of the change log at `seq` is, at `now`.
async fn lag(app: &AppState, seq: i64, now: DateTime<Utc>) -> Result<chrono::Duration, String> {
    match app.store.oldest_change_after(seq).await {
        Ok(None) => Ok(chrono::Duration::zero()),
        Ok(Some(at)) => Ok((now - at).max(chrono::Duration::zero())),
        Err(e) => Err(format!("the change log cannot be read: {e}")),
    }
}

/// How far this node's search index is behind the change log.
pub(crate) async fn search_lag(
    app: &AppState,
    now: DateTime<Utc>,
) -> Result<chrono::Duration, String> {
    match app.search.as_ref().map(|i| i.seq()) {
        None => Err("the search index is not open".into()),
        Some(Err(e)) => Err(format!("the search index cannot be read: {e}")),
        Some(Ok(seq)) => lag(app, seq, now).await,
    }
}

/// How far the related lists are behind the change log.
pub(crate) async fn related_lag(
    app: &AppState,
    now: DateTime<Utc>,
) -> Result<chrono::Duration, String> {
    match app.store.related_cursor().await {
        Err(e) => Err(format!("the related lists' place cannot be read: {e}")),
        Ok(seq) => lag(app, seq, now).await,
    }
}

pub(crate) async fn checks(app: &AppState) -> Vec<Check> {
    let now = app.now();
    let started = Instant::now();
    let database = match tokio::time::timeout(DATABASE_WITHIN, app.store.last_change()).await {
        Ok(Ok(_)) => Check {
            name: "database",
            ok: true,
            detail: format!("answered in {} ms", started.elapsed().as_millis()),
            behind: None,
            took_ms: Some(started.elapsed().as_millis()),
        },
        Ok(Err(e)) => Check {
            name: "database",
            ok: false,
            detail: format!("does not answer: {e}"),
            behind: None,
            took_ms: None,
        },
        Err(_) => Check {
            name: "database",
            ok: false,
            detail: format!("no answer within {} ms", DATABASE_WITHIN.as_millis()),
            behind: None,
            took_ms: None,
        },
    };
    if !database.ok {
        let skipped = |name| Check {
            name,
            ok: false,
            detail: "not checked: the database does not answer".into(),
            behind: None,
            took_ms: None,
        };
        return vec![database, skipped("search"), skipped("related")];
    }
    let lag_check =
        |name, lag: Result<chrono::Duration, String>, allowed: chrono::Duration| match lag {
            Ok(behind) => Check {
                name,
                ok: behind <= allowed,
                detail: format!(
                    "{} s behind the change log (at most {})",
                    behind.num_seconds(),
                    allowed.num_seconds()
                ),
                behind: Some((behind.num_seconds(), allowed.num_seconds())),
                took_ms: None,
            },
            Err(why) => Check {
                name,
                ok: false,
                detail: why,
                behind: None,
                took_ms: None,
            },
        };
    let search = lag_check("search", search_lag(app, now).await, SEARCH_BEHIND);
    let allowed =
        chrono::Duration::from_std(app.config.related_lag).unwrap_or(chrono::Duration::MAX);
    let related = lag_check("related", related_lag(app, now).await, allowed);
    vec![database, search, related]
}

/// `/readyz`: `200` when every check passes, else `503`; JSON naming each.
pub(crate) async fn readyz(State(app): State<AppState>) -> Response {
    let checks = checks(&app).await;
    let ready = checks.iter().all(|c| c.ok);
    let body = json!({
        "status": if ready { "ready" } else { "not ready" },
        "checks": checks
            .iter()
            .map(|c| json!({"name": c.name, "ok": c.ok, "detail": c.detail}))
            .collect::<Vec<_>>(),
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    never_cached((status, axum::Json(body)).into_response())
}
