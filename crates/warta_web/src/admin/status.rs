//! The status page, for admins (issue #34): the version, the database, the readiness
//! checks (`/readyz`'s: database, search index and related lists with their lag), the
//! data folder's disk use, the last backup, the page cache, and the last warnings and
//! errors logged.

use std::path::Path;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use warta_core::newsroom::Action;

use super::auth::StaffExt;
use super::{AdminChrome, page};
use crate::views::Site;
use crate::{AppError, AppState};

pub(crate) struct CheckRow {
    /// The check's name in `/readyz`.
    pub key: &'static str,
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

pub(crate) struct ErrorRow {
    pub when: String,
    pub level: &'static str,
    pub target: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "admin/status.html")]
struct StatusPage {
    a: AdminChrome,
    version: &'static str,
    database: String,
    checks: Vec<CheckRow>,
    data_folder: String,
    disk_used: String,
    last_backup: Option<String>,
    cache: String,
    /// The SMTP server (`host:port`), empty when mail is off.
    mail: String,
    errors: Vec<ErrorRow>,
}

/// Bytes of the files under `dir` (links not followed); what cannot be read counts 0.
fn disk_used(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => total += e.metadata().map_or(0, |m| m.len()),
                _ => {}
            }
        }
    }
    total
}

/// Bytes for people: `12.3 MB`.
fn shown_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

pub(crate) async fn show_status(
    State(app): State<AppState>,
    staff: StaffExt,
) -> Result<Response, AppError> {
    staff.may(Action::ManageSite)?;
    let t = staff.t;
    let site = Site::load(&app).await?;
    let when = |at| site.locale.date_line(at, site.tz, &site.settings.sunday);
    let checks = crate::health::checks(&app)
        .await
        .into_iter()
        .map(|c| CheckRow {
            key: c.name,
            name: match c.name {
                "database" => t.check_database,
                "search" => t.check_search,
                "related" => t.check_related,
                other => other,
            },
            ok: c.ok,
            detail: match (c.behind, c.took_ms) {
                (Some((s, max)), _) => t
                    .lag_detail
                    .replace("{s}", &s.to_string())
                    .replace("{max}", &max.to_string()),
                (None, Some(ms)) => t.answered_in.replace("{ms}", &ms.to_string()),
                (None, None) => c.detail,
            },
        })
        .collect();
    let (data_folder, disk) = match app.config.data_dir.clone() {
        Some(dir) => {
            let shown = dir.display().to_string();
            let bytes = tokio::task::spawn_blocking(move || disk_used(&dir))
                .await
                .unwrap_or(0);
            (shown, shown_bytes(bytes))
        }
        None => ("-".to_owned(), "-".to_owned()),
    };
    let (pages, bytes) = app.cache.size();
    let stats = app.cache.stats();
    let read = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
    let cache = t
        .cache_figures
        .replace("{pages}", &pages.to_string())
        .replace("{mb}", &format!("{:.1}", bytes as f64 / 1e6))
        .replace("{hits}", &read(&stats.hits).to_string())
        .replace("{misses}", &read(&stats.misses).to_string());
    let view = StatusPage {
        a: AdminChrome::load(&app, Some(&staff), "status").await?,
        version: env!("CARGO_PKG_VERSION"),
        database: app.config.database_shown.clone(),
        checks,
        data_folder,
        disk_used: disk,
        last_backup: app.store.last_backup().await?.map(when),
        cache,
        mail: app
            .mailer
            .as_ref()
            .map(|m| m.server.clone())
            .unwrap_or_default(),
        errors: crate::recent::newest()
            .into_iter()
            .map(|l| ErrorRow {
                when: when(l.at),
                level: l.level,
                target: l.target,
                text: l.text,
            })
            .collect(),
    };
    Ok(page(view.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(shown_bytes(512), "512 B");
        assert_eq!(shown_bytes(12_345_678), "12.3 MB");
        assert_eq!(shown_bytes(2_000_000_000), "2.0 GB");
    }

    #[test]
    fn disk_use_counts_every_file_below() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir_all(dir.path().join("media/2026")).expect("mkdir");
        std::fs::write(dir.path().join("warta.db"), vec![0u8; 1000]).expect("write");
        std::fs::write(dir.path().join("media/2026/a.webp"), vec![0u8; 234]).expect("write");
        assert_eq!(disk_used(dir.path()), 1234);
        assert_eq!(disk_used(&dir.path().join("none")), 0);
    }
}
