//! Webhooks: when an article is published, updated or unpublished, a signed `POST` to
//! every configured address, retried with back-off, each attempt kept in the store's
//! delivery log (`Store::deliveries`).
//!
//! The follower reads the store's change log (from where it stopped, kept in the
//! store, so a restart neither loses nor repeats events) and decides each changed
//! article's event from its state and the last event sent for it: visible and never
//! announced (or announced as unpublished) → `published`; visible again → `updated`;
//! no longer visible (or deleted) after being announced → `unpublished`; a draft that
//! was never public → nothing.
//!
//! Each request carries the JSON payload, `X-Warta-Event`, `X-Warta-Delivery` (the
//! log's id) and `X-Warta-Signature: sha256=<hex HMAC-SHA256 of the body with the
//! address's secret>`. Deliveries run on tasks of their own: a target that hangs or
//! answers 500 is retried and then marked failed, and never delays a write.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use warta_core::Status;
use warta_store::{Store, StoreError};

/// One address to notify.
#[derive(Debug, Clone)]
pub struct WebhookTarget {
    pub url: String,
    /// The key of the HMAC signature; receivers check it.
    pub secret: String,
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub targets: Vec<WebhookTarget>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Attempts per delivery.
    pub attempts: u32,
    /// The wait before the first retry; doubled for each next one.
    pub backoff: Duration,
    /// The site's public address, for the article's URL in payloads.
    pub base_url: String,
    /// Where each delivery's outcome is counted.
    pub metrics: Option<crate::metrics::Metrics>,
}

impl WebhookConfig {
    pub fn new(targets: Vec<WebhookTarget>, base_url: String) -> WebhookConfig {
        WebhookConfig {
            targets,
            timeout: Duration::from_secs(10),
            attempts: 5,
            backoff: Duration::from_secs(2),
            base_url,
            metrics: None,
        }
    }
}

#[derive(Debug, Serialize)]
struct Payload<'a> {
    event: &'a str,
    article: ArticleRef,
    sent_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
struct ArticleRef {
    id: i64,
    url: Option<String>,
    headline: Option<String>,
    section: Option<String>,
    published_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The event to send for a changed article, and its payload; `None` when there is
/// nothing to announce.
pub async fn event_for(
    store: &Store,
    id: i64,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<Option<(&'static str, String)>, StoreError> {
    let article = match store.article(id).await {
        Ok(a) => Some(a),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e),
    };
    let visible = article
        .as_ref()
        .is_some_and(|a| a.status == Status::Published && a.published_at.is_some_and(|t| t <= now));
    let last = store.last_webhook_event(id).await?;
    let announced = matches!(last.as_deref(), Some("published" | "updated"));
    let event = match (visible, announced) {
        (true, false) => "published",
        (true, true) => "updated",
        (false, true) => "unpublished",
        (false, false) => return Ok(None),
    };
    let settings = store.settings().await?;
    let tz = settings.tz().unwrap_or(chrono_tz::Tz::Asia__Jakarta);
    let base = base_url.trim_end_matches('/');
    let payload = Payload {
        event,
        article: ArticleRef {
            id,
            url: article.as_ref().and_then(|a| {
                a.published_at.map(|at| {
                    format!(
                        "{base}{}",
                        warta_core::article_path(&a.section.slug, at, tz, &a.slug)
                    )
                })
            }),
            headline: article.as_ref().map(|a| a.headline.clone()),
            section: article.as_ref().map(|a| a.section.slug.clone()),
            published_at: article.as_ref().and_then(|a| a.published_at),
            updated_at: article.as_ref().and_then(|a| a.updated_at),
        },
        sent_at: now,
    };
    let json = serde_json::to_string(&payload)
        .map_err(|e| StoreError::Corrupt(format!("webhook payload: {e}")))?;
    Ok(Some((event, json)))
}

/// Attempts one delivery until it is answered 2xx or the attempts run out, recording
/// each attempt. Returns the final status (`delivered` or `failed`).
pub async fn deliver(
    client: &reqwest::Client,
    store: &Store,
    config: &WebhookConfig,
    target: &WebhookTarget,
    id: i64,
    event: &str,
    payload: String,
) -> &'static str {
    let signature = signature(&target.secret, payload.as_bytes());
    let mut wait = config.backoff;
    let attempts = config.attempts.max(1);
    for attempt in 1..=attempts {
        let sent = client
            .post(&target.url)
            .timeout(config.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("x-warta-event", event)
            .header("x-warta-delivery", id.to_string())
            .header("x-warta-signature", &signature)
            .body(payload.clone())
            .send()
            .await;
        let error = match sent {
            Ok(res) if res.status().is_success() => String::new(),
            Ok(res) => format!("answered {}", res.status()),
            Err(e) if e.is_timeout() => format!("no answer in {:?}", config.timeout),
            Err(e) => format!("cannot be reached: {e}"),
        };
        let status = match (error.is_empty(), attempt == attempts) {
            (true, _) => "delivered",
            (false, true) => "failed",
            (false, false) => "pending",
        };
        if let Err(e) = store
            .record_attempt(id, attempt, status, &error, Utc::now())
            .await
        {
            tracing::warn!(error = %e, delivery = id, "webhook: recording an attempt failed");
        }
        if status != "pending" {
            if let Some(m) = &config.metrics {
                m.delivered(crate::metrics::DeliveryKind::Webhook, status == "delivered");
            }
            if status == "failed" {
                tracing::error!(url = %target.url, delivery = id, %error, "webhook gave up");
            }
            return status;
        }
        tokio::time::sleep(wait).await;
        wait *= 2;
    }
    "failed"
}

/// One step of the follower: the events of the changes after the stored cursor, their
/// deliveries recorded and started (on tasks of their own). Returns how many
/// deliveries were started.
pub async fn tick(
    store: &Store,
    client: &reqwest::Client,
    config: &WebhookConfig,
) -> Result<usize, StoreError> {
    let after = match store.webhook_cursor().await? {
        Some(seq) => seq,
        None => {
            // The first run starts at the end: an existing archive is not announced.
            let end = store.last_change().await?;
            store.set_webhook_cursor(end).await?;
            end
        }
    };
    let changes = store.changes_after(after, 200).await?;
    let Some(last) = changes.last().map(|c| c.seq) else {
        return Ok(0);
    };
    let mut ids: Vec<i64> = Vec::new();
    for c in &changes {
        if !ids.contains(&c.article_id) {
            ids.push(c.article_id);
        }
    }
    let now = Utc::now();
    let mut started = 0;
    for id in ids {
        let Some((event, payload)) = event_for(store, id, &config.base_url, now).await? else {
            continue;
        };
        for target in &config.targets {
            let delivery = store
                .add_delivery(id, event, &target.url, &payload, now)
                .await?;
            let (store, client, config, target, payload) = (
                store.clone(),
                client.clone(),
                config.clone(),
                target.clone(),
                payload.clone(),
            );
            tokio::spawn(async move {
                deliver(&client, &store, &config, &target, delivery, event, payload).await;
            });
            started += 1;
        }
    }
    store.set_webhook_cursor(last).await?;
    Ok(started)
}

/// Runs [`tick`] every `every` until the process ends.
pub fn follow(store: Store, config: WebhookConfig, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        // With several nodes, one delivers (see `warta_store::Duty`).
        let mut duty = store.duty("webhooks");
        loop {
            if duty.held().await
                && let Err(e) = tick(&store, &client, &config).await
            {
                tracing::warn!(error = %e, "webhooks: following the change log failed");
            }
            tokio::time::sleep(every).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
