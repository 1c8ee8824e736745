//! The Indeks (issue #30): every visible story of a day in the site's zone, newest
//! first. `/indeks` is today; `/indeks/2026-12-05` a day; `?kanal=` one section,
//! `?page=` a later page. The date picker is a plain form (`?tanggal=`), answered with
//! the day's own address, so it works without script.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use warta_store::ListFilter;

use crate::encoding::Accepts;
use crate::public::{cached, editors_picks, list_rendered, page_param};
use crate::views::{self, IndexSpec, Site, index_path};
use crate::{AppError, AppState};

/// Stories on one page of the Indeks.
pub(crate) const INDEX_PAGE: u32 = 50;

/// The query of an Indeks address.
#[derive(Debug, Default, PartialEq, Eq)]
struct IndexQuery {
    page: u32,
    /// A section's slug (empty: all).
    kanal: String,
    /// The date picker's day, sent by its form.
    tanggal: Option<NaiveDate>,
}

fn parse_day(v: &str) -> Option<NaiveDate> {
    (v.len() == 10)
        .then(|| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
        .flatten()
}

fn is_slug(v: &str) -> bool {
    v.len() <= 200
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl IndexQuery {
    fn parse(query: Option<&str>) -> Result<IndexQuery, AppError> {
        let mut q = IndexQuery {
            page: 1,
            ..IndexQuery::default()
        };
        let Some(raw) = query else { return Ok(q) };
        for pair in raw.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "page" => q.page = page_param(Some(pair))?,
                "kanal" if is_slug(v) => q.kanal = v.to_owned(),
                "kanal" => return Err(AppError::NotFound),
                "tanggal" if v.is_empty() => {}
                "tanggal" => {
                    q.tanggal = Some(parse_day(v).ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "`tanggal` must be a date such as 2026-12-05, not `{}`",
                            v.chars().take(40).collect::<String>()
                        ))
                    })?);
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

/// The first moment of `day` in zone `tz`, in UTC.
fn start_of(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    tz.from_local_datetime(&midnight)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&midnight))
        .with_timezone(&Utc)
}

/// `GET /indeks`: today, or the day the date picker sent.
pub(crate) async fn index_today(
    State(app): State<AppState>,
    accepts: Accepts,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let q = IndexQuery::parse(query.as_deref())?;
    if let Some(day) = q.tanggal {
        return Ok(Redirect::to(&index_path(day, &q.kanal)).into_response());
    }
    let site = Site::load(&app).await?;
    let today = app.now().with_timezone(&site.tz).date_naive();
    render(app, accepts, site, today, q).await
}

/// `GET /indeks/{yyyy-mm-dd}`.
pub(crate) async fn index_day(
    State(app): State<AppState>,
    accepts: Accepts,
    Path(day): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let day = parse_day(&day).ok_or(AppError::NotFound)?;
    let q = IndexQuery::parse(query.as_deref())?;
    let site = Site::load(&app).await?;
    render(app, accepts, site, day, q).await
}

async fn render(
    app: AppState,
    accepts: Accepts,
    site: Site,
    day: NaiveDate,
    q: IndexQuery,
) -> Result<Response, AppError> {
    let today = app.now().with_timezone(&site.tz).date_naive();
    // Keyed by the day itself: `/indeks` turns to the next day at midnight.
    let key = format!("{}#page={}", index_path(day, &q.kanal), q.page);
    cached(&app, accepts, key, || async {
        let section = if q.kanal.is_empty() {
            None
        } else {
            Some(
                site.sections
                    .iter()
                    .find(|s| s.slug == q.kanal)
                    .ok_or(AppError::NotFound)?
                    .id,
            )
        };
        let from = start_of(day, site.tz);
        let to = day.succ_opt().map_or(from, |d| start_of(d, site.tz));
        let filter = ListFilter::Between { from, to, section };
        let list = crate::public::list(&app, filter, q.page, INDEX_PAGE, app.now()).await?;
        let picks = editors_picks(&app, app.now()).await?;
        let spec = IndexSpec {
            day,
            today,
            section: &q.kanal,
            list: &list,
            popular: &app.popular.rankings().day,
            picks: &picks,
        };
        let html = views::index_page(&site, &spec)?;
        // A story published or withdrawn anywhere drops the cached days ("home").
        Ok(list_rendered(html, &site, "home", list.items.iter()))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries() {
        let q = IndexQuery::parse(Some("kanal=dunia&page=2&utm_source=x")).ok();
        assert_eq!(
            q,
            Some(IndexQuery {
                page: 2,
                kanal: "dunia".into(),
                tanggal: None
            })
        );
        let q = IndexQuery::parse(Some("tanggal=2026-12-05&kanal=")).ok();
        assert_eq!(
            q.and_then(|q| q.tanggal),
            NaiveDate::from_ymd_opt(2026, 12, 5)
        );
        assert!(IndexQuery::parse(Some("tanggal=5-12-2026")).is_err());
        assert!(IndexQuery::parse(Some("page=0")).is_err());
        assert!(IndexQuery::parse(Some("kanal=%3Cx%3E")).is_err());
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("+2026-02-03"), None);
    }

    #[test]
    fn a_day_starts_at_local_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("day");
        let start = start_of(day, Tz::Asia__Jakarta);
        assert_eq!(start.to_rfc3339(), "2026-12-04T17:00:00+00:00");
    }
}
