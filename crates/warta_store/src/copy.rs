//! Moving house: copies a whole site from one store into another (SQLite to
//! PostgreSQL, or back), table by table, row for row, ids kept. Everything the site
//! is goes across: articles and their links, sections, tags, authors, media records,
//! old addresses, settings, related lists with pins and excludes, the change log,
//! webhook deliveries and API keys.
//!
//! Resumable: each table goes in key ranges, each range in its own transaction, and
//! a range already there is skipped row by row (`ON CONFLICT DO NOTHING`); a copy that
//! stopped half-way starts again at the highest key the destination has.

use sqlx::{QueryBuilder, Row};

use crate::db::{Backend, Pool, on_conn, on_pool};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy)]
enum Ty {
    Int,
    OptInt,
    Text,
    OptText,
    Blob,
    Bool,
    Real,
}

#[derive(Debug, Clone)]
enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Blob(Vec<u8>),
    Bool(bool),
    Real(f64),
}

struct Table {
    name: &'static str,
    cols: &'static [(&'static str, Ty)],
    /// Ranges are taken over this integer column; `None`: the table is small and goes
    /// whole.
    key: Option<&'static str>,
    /// The primary key, for `ON CONFLICT`.
    pk: &'static str,
    /// The destination numbers this table's ids itself (an identity column to move
    /// past the copied ids).
    identity: bool,
    /// `GENERATED ALWAYS` on PostgreSQL: copied values need `OVERRIDING SYSTEM VALUE`.
    always: bool,
    /// Rows per range of the key.
    span: i64,
}

use Ty::{Blob, Bool, Int, OptInt, OptText, Real, Text};

const fn table(
    name: &'static str,
    cols: &'static [(&'static str, Ty)],
    key: Option<&'static str>,
    pk: &'static str,
) -> Table {
    Table {
        name,
        cols,
        key,
        pk,
        identity: false,
        always: false,
        span: 2000,
    }
}

/// Every table, parents before children.
const TABLES: &[Table] = &[
    table("site_settings", &[("id", Int), ("json", Text)], None, "id"),
    Table {
        identity: true,
        ..table(
            "sections",
            &[
                ("id", Int),
                ("slug", Text),
                ("name", Text),
                ("position", Int),
            ],
            Some("id"),
            "id",
        )
    },
    Table {
        identity: true,
        ..table(
            "authors",
            &[("id", Int), ("slug", Text), ("name", Text), ("bio", Text)],
            Some("id"),
            "id",
        )
    },
    Table {
        identity: true,
        ..table(
            "tags",
            &[("id", Int), ("slug", Text), ("name", Text), ("kind", Text)],
            Some("id"),
            "id",
        )
    },
    table(
        "media",
        &[
            ("id", Int),
            ("file", Text),
            ("mime", Text),
            ("width", Int),
            ("height", Int),
            ("alt", Text),
            ("caption", Text),
            ("credit", Text),
            ("renditions", Text),
            ("created_at", Int),
            ("focus_x", Int),
            ("focus_y", Int),
        ],
        Some("id"),
        "id",
    ),
    Table {
        span: 500,
        ..table(
            "articles",
            &[
                ("id", Int),
                ("slug", Text),
                ("headline", Text),
                ("lede", Text),
                ("body", Blob),
                ("dateline_place", Text),
                ("section_id", Int),
                ("hero_media_id", OptInt),
                ("status", Text),
                ("sensitive", Bool),
                ("language", Text),
                ("published_at", OptInt),
                ("updated_at", OptInt),
                ("created_at", Int),
                ("modified_at", Int),
                ("source_id", OptText),
                ("dateline_brand", Text),
                ("seo_title", Text),
                ("seo_description", Text),
                ("seo_canonical", Text),
            ],
            Some("id"),
            "id",
        )
    },
    table(
        "article_tags",
        &[("article_id", Int), ("tag_id", Int), ("position", Int)],
        Some("article_id"),
        "article_id, tag_id",
    ),
    table(
        "article_authors",
        &[("article_id", Int), ("author_id", Int), ("position", Int)],
        Some("article_id"),
        "article_id, author_id",
    ),
    table(
        "legacy_paths",
        &[("path", Text), ("article_id", Int)],
        Some("article_id"),
        "path",
    ),
    table(
        "retired_slugs",
        &[("slug", Text), ("article_id", Int)],
        Some("article_id"),
        "slug",
    ),
    Table {
        always: true,
        identity: true,
        ..table(
            "changes",
            &[
                ("seq", Int),
                ("article_id", Int),
                ("kind", Text),
                ("at", Int),
            ],
            Some("seq"),
            "seq",
        )
    },
    Table {
        span: 200,
        ..table(
            "related_lists",
            &[
                ("article_id", Int),
                ("position", Int),
                ("related_id", Int),
                ("score", Real),
            ],
            Some("article_id"),
            "article_id, position",
        )
    },
    table(
        "related_computed",
        &[("article_id", Int), ("at", Int)],
        Some("article_id"),
        "article_id",
    ),
    table(
        "related_edits",
        &[
            ("article_id", Int),
            ("other_id", Int),
            ("kind", Text),
            ("position", Int),
        ],
        Some("article_id"),
        "article_id, other_id",
    ),
    table("related_cursor", &[("id", Int), ("seq", Int)], None, "id"),
    Table {
        identity: true,
        ..table(
            "webhook_deliveries",
            &[
                ("id", Int),
                ("article_id", Int),
                ("event", Text),
                ("url", Text),
                ("payload", Text),
                ("attempts", Int),
                ("status", Text),
                ("last_error", Text),
                ("created_at", Int),
                ("updated_at", Int),
            ],
            Some("id"),
            "id",
        )
    },
    table("webhook_cursor", &[("id", Int), ("seq", Int)], None, "id"),
    Table {
        identity: true,
        ..table(
            "api_keys",
            &[
                ("id", Int),
                ("name", Text),
                ("key_hash", Text),
                ("created_at", Int),
                ("revoked_at", OptInt),
            ],
            Some("id"),
            "id",
        )
    },
    table("signals", &[("name", Text), ("value", Int)], None, "name"),
    table(
        "article_translations",
        &[("article_id", Int), ("group_id", Int)],
        Some("article_id"),
        "article_id",
    ),
    Table {
        identity: true,
        ..table(
            "users",
            &[
                ("id", Int),
                ("email", Text),
                ("name", Text),
                ("role", Text),
                ("password_hash", Text),
                ("disabled", Bool),
                ("author_id", OptInt),
                ("created_at", Int),
            ],
            Some("id"),
            "id",
        )
    },
    Table {
        identity: true,
        span: 500,
        ..table(
            "revisions",
            &[
                ("id", Int),
                ("article_id", Int),
                ("number", Int),
                ("user_id", OptInt),
                ("note", Text),
                ("created_at", Int),
                ("content", Text),
            ],
            Some("id"),
            "id",
        )
    },
    table(
        "pending_edits",
        &[
            ("article_id", Int),
            ("user_id", Int),
            ("form", Text),
            ("saved_at", Int),
        ],
        Some("article_id"),
        "article_id, user_id",
    ),
    table(
        "front_slots",
        &[("slot", Text), ("position", Int), ("article_id", Int)],
        None,
        "slot, position",
    ),
    table(
        "reads",
        &[("article_id", Int), ("hour", Int), ("count", Int)],
        Some("article_id"),
        "article_id, hour",
    ),
    table(
        "front_sections",
        &[("section_id", Int), ("position", Int)],
        None,
        "section_id",
    ),
    Table {
        identity: true,
        ..table(
            "pages",
            &[
                ("id", Int),
                ("slug", Text),
                ("title", Text),
                ("body", Text),
                ("position", Int),
                ("updated_at", Int),
            ],
            None,
            "id",
        )
    },
];

/// Tables `copy-store` leaves behind, and why: each holds what only this store's
/// running site needs, and the new site starts without it.
pub const NOT_COPIED: &[(&str, &str)] = &[
    (
        "sessions",
        "logins: everyone logs in again on the new store",
    ),
    ("login_failures", "throttling counts, kept a day at most"),
    (
        "account_links",
        "invitation and reset links sent by email: they expire within days; send new ones",
    ),
    (
        "devices",
        "browsers known to an account: each is known again at its next login",
    ),
    (
        "form_stashes",
        "forms kept across a login, for a day at most",
    ),
    (
        "related_saves",
        "which related lists changed lately, for page caches: the new store's start empty",
    ),
    ("_sqlx_migrations", "each store runs its own migrations"),
    ("sqlite_sequence", "SQLite's own counters"),
];

/// The tables `copy-store` copies, in the order it copies them.
pub fn copied_tables() -> Vec<&'static str> {
    TABLES.iter().map(|t| t.name).collect()
}

/// Rows in one table of each side after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTable {
    pub table: &'static str,
    pub source_rows: i64,
    pub destination_rows: i64,
}

macro_rules! decode_row {
    ($row:expr, $cols:expr) => {{
        let row = $row;
        let mut out = Vec::with_capacity($cols.len());
        for (i, (_, ty)) in $cols.iter().enumerate() {
            out.push(match ty {
                Ty::Int => Value::Int(row.try_get::<i64, _>(i)?),
                Ty::OptInt => Value::OptInt(row.try_get::<Option<i64>, _>(i)?),
                Ty::Text => Value::Text(row.try_get::<String, _>(i)?),
                Ty::OptText => Value::OptText(row.try_get::<Option<String>, _>(i)?),
                Ty::Blob => Value::Blob(row.try_get::<Vec<u8>, _>(i)?),
                Ty::Bool => Value::Bool(row.try_get::<bool, _>(i)?),
                Ty::Real => Value::Real(row.try_get::<f64, _>(i)?),
            });
        }
        out
    }};
}

impl Store {
    /// The names of the tables this store's schema has.
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let mut names: Vec<(String,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(match b {
                Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
                Backend::Postgres => {
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                }
            })
            .fetch_all(c)
            .await
        })?;
        names.sort();
        Ok(names.into_iter().map(|(n,)| n).collect())
    }

    /// Refuses a site holding an article over `warta_core::limits` (stored before
    /// they were checked), naming the article, the field and the limit: nothing is
    /// copied until it is shortened.
    async fn check_limits(&self) -> Result<()> {
        let over: Vec<(i64, i64)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT article_id, count(*) FROM article_tags GROUP BY article_id \
                 HAVING count(*) > ?",
            ))
            .bind(i64::try_from(warta_core::limits::MAX_TAGS).unwrap_or(i64::MAX))
            .fetch_all(c)
            .await
        })?;
        let tags: std::collections::HashMap<i64, usize> = over
            .into_iter()
            .map(|(id, n)| (id, usize::try_from(n).unwrap_or(usize::MAX)))
            .collect();
        let (lo, hi) = self.key_range("articles", "id").await?;
        let mut from = lo;
        while from <= hi {
            let to = from.saturating_add(1_000);
            let rows: Vec<(i64, String, String, Vec<u8>)> =
                on_pool!(&self.pool, |c, b| {
                    sqlx::query_as(&b.sql(
                        "SELECT id, headline, lede, body FROM articles WHERE id >= ? AND id < ?",
                    ))
                    .bind(from)
                    .bind(to)
                    .fetch_all(c)
                    .await
                })?;
            for (id, headline, lede, stored) in rows {
                let body = crate::body::decode(id, &stored)?;
                let n = tags.get(&id).copied().unwrap_or(0);
                warta_core::limits::check_sizes(&headline, &lede, &body, n).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "article {id}: {e}; shorten it on the source before copying"
                    ))
                })?;
            }
            from = to;
        }
        Ok(())
    }

    /// Copies this whole site into `dest` (see the module notes); `progress` hears each
    /// table's name and the rows copied so far. The destination must be a Warta
    /// store that holds nothing but an earlier, stopped copy of this one.
    pub async fn copy_into(
        &self,
        dest: &Store,
        mut progress: impl FnMut(&'static str, u64),
    ) -> Result<Vec<CopiedTable>> {
        // A section under one of the site's own names cannot be made on the new store
        // (or anywhere else): say which before anything is copied.
        for section in self.sections().await? {
            crate::catalog::check_section_slug(&section.slug).map_err(|e| {
                StoreError::Corrupt(format!(
                    "section `{}`: {e}; rename it on the source first",
                    section.slug
                ))
            })?;
        }
        self.check_limits().await?;
        let mut report = Vec::with_capacity(TABLES.len());
        for t in TABLES {
            let cols: Vec<&str> = t.cols.iter().map(|(c, _)| *c).collect();
            let select = format!("SELECT {} FROM {}", cols.join(", "), t.name);
            let mut copied: u64 = 0;
            match t.key {
                None => {
                    let rows = self.read_rows(&select, t).await?;
                    copied += rows.len() as u64;
                    dest.write_rows(t, &cols, rows).await?;
                }
                Some(key) => {
                    let (lo, hi) = self.key_range(t.name, key).await?;
                    let done = dest.key_range(t.name, key).await?.1;
                    // Start again at the highest key the destination has: that range
                    // may have stopped half-way.
                    let mut from = if done > 0 { done.max(lo) } else { lo };
                    while from <= hi {
                        let to = from.saturating_add(t.span);
                        let sql =
                            format!("{select} WHERE {key} >= ? AND {key} < ? ORDER BY {}", t.pk);
                        let rows = self.read_range(&sql, t, from, to).await?;
                        copied += rows.len() as u64;
                        dest.write_rows(t, &cols, rows).await?;
                        progress(t.name, copied);
                        from = to;
                    }
                }
            }
            progress(t.name, copied);
            if t.identity
                && let Pool::Postgres(pool) = &dest.pool
            {
                let col = t.cols[0].0;
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', '{col}'), \
                     (SELECT coalesce(max({col}), 0) + 1 FROM {0}), false)",
                    t.name
                ))
                .execute(pool)
                .await?;
            }
            report.push(CopiedTable {
                table: t.name,
                source_rows: self.count_rows(t.name).await?,
                destination_rows: dest.count_rows(t.name).await?,
            });
        }
        Ok(report)
    }

    async fn key_range(&self, table: &str, key: &str) -> Result<(i64, i64)> {
        let sql = format!("SELECT coalesce(min({key}), 0), coalesce(max({key}), 0) FROM {table}");
        Ok(on_pool!(&self.pool, |c| sqlx::query_as(&sql)
            .fetch_one(c)
            .await)?)
    }

    async fn count_rows(&self, table: &str) -> Result<i64> {
        let sql = format!("SELECT count(*) FROM {table}");
        let (n,): (i64,) = on_pool!(&self.pool, |c| sqlx::query_as(&sql).fetch_one(c).await)?;
        Ok(n)
    }

    async fn read_rows(&self, sql: &str, t: &Table) -> Result<Vec<Vec<Value>>> {
        on_pool!(&self.pool, |c| {
            let rows = sqlx::query(sql).fetch_all(c).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(decode_row!(row, t.cols));
            }
            Ok(out)
        })
    }

    async fn read_range(
        &self,
        sql: &str,
        t: &Table,
        from: i64,
        to: i64,
    ) -> Result<Vec<Vec<Value>>> {
        on_pool!(&self.pool, |c, b| {
            let sql = b.sql(sql);
            let rows = sqlx::query(&sql).bind(from).bind(to).fetch_all(c).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(decode_row!(row, t.cols));
            }
            Ok(out)
        })
    }

    async fn write_rows(&self, t: &Table, cols: &[&str], rows: Vec<Vec<Value>>) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        // Well under either backend's limit on bound parameters.
        let per = (30_000 / cols.len()).max(1);
        for chunk in rows.chunks(per) {
            on_conn!(&mut tx.conn(), |c, b| {
                let overriding = if t.always && b == Backend::Postgres {
                    "OVERRIDING SYSTEM VALUE "
                } else {
                    ""
                };
                let mut qb = QueryBuilder::new(format!(
                    "INSERT INTO {} ({}) {overriding}",
                    t.name,
                    cols.join(", ")
                ));
                qb.push_values(chunk, |mut row_b, row| {
                    for v in row {
                        match v {
                            Value::Int(x) => row_b.push_bind(*x),
                            Value::OptInt(x) => row_b.push_bind(*x),
                            Value::Text(x) => row_b.push_bind(x.clone()),
                            Value::OptText(x) => row_b.push_bind(x.clone()),
                            Value::Blob(x) => row_b.push_bind(x.clone()),
                            Value::Bool(x) => row_b.push_bind(*x),
                            Value::Real(x) => row_b.push_bind(*x),
                        };
                    }
                });
                if t.key.is_some() {
                    qb.push(format!(" ON CONFLICT ({}) DO NOTHING", t.pk));
                } else {
                    let set: Vec<String> = cols
                        .iter()
                        .filter(|c| !t.pk.split(", ").any(|p| p == **c))
                        .map(|c| format!("{c} = excluded.{c}"))
                        .collect();
                    qb.push(format!(
                        " ON CONFLICT ({}) DO UPDATE SET {}",
                        t.pk,
                        set.join(", ")
                    ));
                }
                qb.build().execute(&mut *c).await.map(|_| ())
            })
            .map_err(|e| StoreError::Corrupt(format!("copying {}: {e}", t.name)))?;
        }
        tx.commit().await
    }
}
