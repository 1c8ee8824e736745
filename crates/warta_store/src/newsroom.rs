//! The newsroom's records: accounts, sessions and revisions (failed logins are in
//! `logins`). Sessions and throttling are rows, not a node's memory, so any node answers any request.
//! Revisions are written by the [`Writer`] in the transaction that writes the article,
//! under the write lock: "is this form based on the newest version?" and the save are
//! one step, on every node.

use chrono::{DateTime, Utc};
use warta_core::newsroom::Role;
use warta_core::{ArticleInput, Media, Page, PageWindow, Status, Tag};

use crate::db::{on_conn, on_pool};
use crate::rows::{MEDIA_COLUMNS, MediaRow, TagRow, from_time, to_time};
use crate::write::Writer;
use crate::{Result, Store, StoreError};

/// A newsroom account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    /// The byline this account writes under.
    pub author_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A logged-in session, found by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

/// One saved version of an article, without its content.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionInfo {
    pub number: i64,
    pub user_name: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// One saved version of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub info: RevisionInfo,
    pub content: ArticleInput,
}

/// An article as the newsroom's list shows it (any status).
#[derive(Debug, Clone, PartialEq)]
pub struct DeskItem {
    pub id: i64,
    pub headline: String,
    pub status: Status,
    pub section_name: String,
    pub published_at: Option<DateTime<Utc>>,
    /// The last save in the newsroom, or the article's creation.
    pub changed_at: DateTime<Utc>,
    pub owner: Option<i64>,
    /// The first byline's name (empty: none).
    pub author: String,
}

/// What the newsroom's list shows: each narrowing is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeskFilter {
    pub status: Option<Status>,
    /// Only articles this account wrote first.
    pub owner: Option<i64>,
    /// Only this section (by slug).
    pub section: Option<String>,
    /// Words the headline contains (any case, any order), or an article number.
    pub query: String,
}

pub(crate) type UserRow = (i64, String, String, String, bool, Option<i64>, i64);
/// A user row and one more column (the password hash, or a session's CSRF token)…
type UserAndText = (i64, String, String, String, bool, Option<i64>, i64, String);
/// …and a session's expiry.
type SessionRow = (
    i64,
    String,
    String,
    String,
    bool,
    Option<i64>,
    i64,
    String,
    i64,
);
pub(crate) const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.role, u.disabled, u.author_id, u.created_at";

pub(crate) fn user(r: UserRow) -> Result<User> {
    Ok(User {
        id: r.0,
        role: Role::parse(&r.3)
            .ok_or_else(|| StoreError::Corrupt(format!("user {}: role `{}`", r.0, r.3)))?,
        email: r.1,
        name: r.2,
        disabled: r.4,
        author_id: r.5,
        created_at: to_time(r.6),
    })
}

enum Value {
    Text(String),
    Bool(bool),
}

/// Login names are e-mail addresses, compared without case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    pub async fn user_count(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT count(*) FROM users"))
                .fetch_one(c)
                .await
        })?;
        Ok(n)
    }

    /// Adds an account. An address already in use is [`StoreError::Taken`].
    pub async fn add_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        author_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<User> {
        let email = normalize_email(email);
        if !email.contains('@') || email.len() > 254 {
            return Err(StoreError::Invalid(warta_core::ValidationError::Invalid {
                field: "email",
                reason: warta_core::Reason::NotEmail(email.to_owned()),
            }));
        }
        let name = warta_core::sanitize::clean_text(name);
        if name.is_empty() {
            return Err(StoreError::Invalid(warta_core::ValidationError::Required {
                field: "name",
            }));
        }
        if self.user_by_email(&email).await?.is_some() {
            return Err(StoreError::Taken {
                what: "account",
                key: email,
            });
        }
        let (id,): (i64,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "INSERT INTO users (email, name, role, password_hash, author_id, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            ))
            .bind(&email)
            .bind(&name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(author_id)
            .bind(from_time(now))
            .fetch_one(c)
            .await
        })?;
        self.user(id).await?.ok_or(StoreError::NotFound {
            what: "account",
            key: id.to_string(),
        })
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let row: Option<UserRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?"
            )))
            .bind(id)
            .fetch_optional(c)
            .await
        })?;
        row.map(user).transpose()
    }

    /// The account with this address and its password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        let row: Option<UserAndText> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = ?"
            )))
            .bind(normalize_email(email))
            .fetch_optional(c)
            .await
        })?;
        row.map(|r| Ok((user((r.0, r.1, r.2, r.3, r.4, r.5, r.6))?, r.7)))
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.id")))
                .fetch_all(c)
                .await
        })?;
        rows.into_iter().map(user).collect()
    }

    /// Sets an account's password hash and ends its sessions. False: no such account.
    pub async fn set_password(&self, email: &str, password_hash: &str) -> Result<bool> {
        self.update_user(email, "password_hash", Value::Text(password_hash.into()))
            .await
    }

    /// Disables (or enables) an account; disabling ends its sessions.
    pub async fn set_disabled(&self, email: &str, disabled: bool) -> Result<bool> {
        self.update_user(email, "disabled", Value::Bool(disabled))
            .await
    }

    pub async fn set_role(&self, email: &str, role: Role) -> Result<bool> {
        self.update_user(email, "role", Value::Text(role.as_str().into()))
            .await
    }

    /// One column of one account; every such change ends the account's sessions and
    /// forgets its devices (a new password, a changed role or a disabled account must
    /// not stay logged in).
    async fn update_user(&self, email: &str, column: &str, value: Value) -> Result<bool> {
        let email = normalize_email(email);
        let mut tx = self.begin_write().await?;
        let sql = format!("UPDATE users SET {column} = ? WHERE email = ?");
        let done = on_conn!(&mut tx.conn(), |c, b| {
            let sql = b.sql(&sql);
            let q = sqlx::query(&sql);
            let q = match &value {
                Value::Text(t) => q.bind(t.clone()),
                Value::Bool(v) => q.bind(*v),
            };
            q.bind(&email).execute(c).await.map(|r| r.rows_affected())
        })?;
        // Its known browsers too: after a new password or a disabled account, no device
        // cookie may keep skipping the account-wide login limit.
        // A new password or a disabled account also voids its unused invitation and
        // reset links (a role change leaves a pending invitation be).
        let tables: &[&str] = if column == "role" {
            &["sessions", "devices"]
        } else {
            &["sessions", "devices", "account_links"]
        };
        for table in tables {
            let sql = format!(
                "DELETE FROM {table} WHERE user_id IN (SELECT id FROM users WHERE email = ?)"
            );
            on_conn!(&mut tx.conn(), |c, b| {
                sqlx::query(&b.sql(&sql))
                    .bind(&email)
                    .execute(c)
                    .await
                    .map(|_| ())
            })?;
        }
        tx.commit().await?;
        Ok(done > 0)
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
                 VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(from_time(now))
            .bind(from_time(expires_at))
            .execute(c)
            .await
            .map(|_| ())
        })?;
        // Expired sessions stay a day (a form posted after expiry is still kept for
        // its account, see `form_stashes`), then go.
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql("DELETE FROM sessions WHERE expires_at < ?"))
                .bind(from_time(now) - 86_400)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The session with this token hash, expired or not (the caller tells the two
    /// apart, to say "your session expired").
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<SessionRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&format!(
                "SELECT {USER_COLUMNS}, s.csrf, s.expires_at FROM sessions s \
                     JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"
            )))
            .bind(token_hash)
            .fetch_optional(c)
            .await
        })?;
        row.map(|r| {
            Ok(Session {
                user: user((r.0, r.1, r.2, r.3, r.4, r.5, r.6))?,
                csrf: r.7,
                expires_at: to_time(r.8),
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql("DELETE FROM sessions WHERE token_hash = ?"))
                .bind(token_hash)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The newest revision number of an article (0: none yet, as for imported ones).
    pub async fn latest_revision(&self, article_id: i64) -> Result<i64> {
        let (n,): (Option<i64>,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT max(number) FROM revisions WHERE article_id = ?"))
                .bind(article_id)
                .fetch_one(c)
                .await
        })?;
        Ok(n.unwrap_or(0))
    }

    /// An article's revisions, newest first.
    pub async fn revisions(&self, article_id: i64) -> Result<Vec<RevisionInfo>> {
        let rows: Vec<(i64, Option<String>, String, i64)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT r.number, u.name, r.note, r.created_at FROM revisions r \
                 LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = ? \
                 ORDER BY r.number DESC",
            ))
            .bind(article_id)
            .fetch_all(c)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| RevisionInfo {
                number: r.0,
                user_name: r.1,
                note: r.2,
                created_at: to_time(r.3),
            })
            .collect())
    }

    pub async fn revision(&self, article_id: i64, number: i64) -> Result<Option<Revision>> {
        let row: Option<(i64, Option<String>, String, i64, String)> =
            on_pool!(&self.pool, |c, b| {
                sqlx::query_as(&b.sql(
                    "SELECT r.number, u.name, r.note, r.created_at, r.content FROM revisions r \
                     LEFT JOIN users u ON u.id = r.user_id \
                     WHERE r.article_id = ? AND r.number = ?",
                ))
                .bind(article_id)
                .bind(number)
                .fetch_optional(c)
                .await
            })?;
        row.map(|r| {
            let content = serde_json::from_str(&r.4).map_err(|e| {
                StoreError::Corrupt(format!("revision {number} of article {article_id}: {e}"))
            })?;
            Ok(Revision {
                info: RevisionInfo {
                    number: r.0,
                    user_name: r.1,
                    note: r.2,
                    created_at: to_time(r.3),
                },
                content,
            })
        })
        .transpose()
    }

    /// Articles of any status for the newsroom's list, most recently changed first,
    /// narrowed by `filter`.
    pub async fn desk(
        &self,
        filter: &DeskFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<DeskItem>> {
        enum Param {
            Text(String),
            Int(i64),
        }
        let mut cond = String::from("1 = 1");
        let mut params = Vec::new();
        if let Some(s) = filter.status {
            cond.push_str(" AND a.status = ?");
            params.push(Param::Text(s.as_str().to_owned()));
        }
        if let Some(o) = filter.owner {
            cond.push_str(" AND o.user_id = ?");
            params.push(Param::Int(o));
        }
        if let Some(sec) = &filter.section {
            cond.push_str(" AND s.slug = ?");
            params.push(Param::Text(sec.clone()));
        }
        let q = filter.query.trim();
        if !q.is_empty() {
            // Words of the headline, in any case and order; or the article's number.
            let words: Vec<&str> = q.split_whitespace().take(8).collect();
            let number = q.trim_start_matches('#').parse::<i64>().ok();
            cond.push_str(" AND ((");
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    cond.push_str(" AND ");
                }
                cond.push_str("lower(a.headline) LIKE ? ESCAPE '\\'");
                let escaped = w
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                params.push(Param::Text(format!("%{escaped}%")));
            }
            cond.push(')');
            if let Some(n) = number {
                cond.push_str(" OR a.id = ?");
                params.push(Param::Int(n));
            }
            cond.push(')');
        }
        let from = "FROM articles a JOIN sections s ON s.id = a.section_id \
            LEFT JOIN revisions o ON o.article_id = a.id AND o.number = 1 \
            LEFT JOIN (SELECT article_id, max(created_at) AS at FROM revisions \
            GROUP BY article_id) l ON l.article_id = a.id";
        let count_sql = format!("SELECT count(*) {from} WHERE {cond}");
        let (total,): (i64,) = on_pool!(&self.pool, |c, b| {
            let sql = b.sql(&count_sql);
            let mut q = sqlx::query_as(&sql);
            for p in &params {
                q = match p {
                    Param::Text(t) => q.bind(t.clone()),
                    Param::Int(i) => q.bind(*i),
                };
            }
            q.fetch_one(c).await
        })?;
        let w = PageWindow::new(total, page, per_page);
        let sql = format!(
            "SELECT a.id, a.headline, a.status, s.name, a.published_at, \
             coalesce(l.at, a.created_at) AS changed, o.user_id, \
             (SELECT u.name FROM article_authors aa JOIN authors u ON u.id = aa.author_id \
              WHERE aa.article_id = a.id ORDER BY aa.position LIMIT 1) AS author \
             {from} WHERE {cond} ORDER BY changed DESC, a.id DESC LIMIT ? OFFSET ?"
        );
        type Row = (
            i64,
            String,
            String,
            String,
            Option<i64>,
            i64,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<Row> = on_pool!(&self.pool, |c, b| {
            let sql = b.sql(&sql);
            let mut q = sqlx::query_as(&sql);
            for p in &params {
                q = match p {
                    Param::Text(t) => q.bind(t.clone()),
                    Param::Int(i) => q.bind(*i),
                };
            }
            q.bind(i64::from(w.per_page))
                .bind(w.offset())
                .fetch_all(c)
                .await
        })?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(DeskItem {
                    id: r.0,
                    headline: r.1,
                    status: Status::parse(&r.2).ok_or_else(|| {
                        StoreError::Corrupt(format!("article {}: status `{}`", r.0, r.2))
                    })?,
                    section_name: r.3,
                    published_at: r.4.map(to_time),
                    changed_at: to_time(r.5),
                    owner: r.6,
                    author: r.7.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(w.of(items))
    }

    /// The article imported or created with this source identity, if any.
    pub async fn article_id_by_source(&self, source_id: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql("SELECT id FROM articles WHERE source_id = ?"))
                .bind(source_id)
                .fetch_optional(c)
                .await
        })?;
        Ok(row.map(|r| r.0))
    }

    /// The account that saved an article's first revision (its writer in the newsroom).
    pub async fn article_owner(&self, article_id: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(
                &b.sql("SELECT user_id FROM revisions WHERE article_id = ? AND number = 1"),
            )
            .bind(article_id)
            .fetch_optional(c)
            .await
        })?;
        Ok(row.and_then(|r| r.0))
    }

    /// Tags whose name starts with `prefix` (any case), most used first: the editor's
    /// autocomplete.
    pub async fn tags_starting(&self, prefix: &str, limit: u32) -> Result<Vec<Tag>> {
        let pattern = format!(
            "{}%",
            prefix
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let rows: Vec<TagRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT t.id, t.slug, t.name, t.kind FROM tags t \
                 LEFT JOIN article_tags x ON x.tag_id = t.id \
                 WHERE lower(t.name) LIKE ? ESCAPE '\\' \
                 GROUP BY t.id, t.slug, t.name, t.kind ORDER BY count(x.article_id) DESC, t.name \
                 LIMIT ?",
            ))
            .bind(&pattern)
            .bind(i64::from(limit))
            .fetch_all(c)
            .await
        })?;
        rows.into_iter().map(Tag::try_from).collect()
    }

    /// The photo library: newest first, optionally only those whose caption, credit or
    /// alt text contains `query`.
    pub async fn media_library(
        &self,
        query: &str,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Media>> {
        let q = query.trim().to_lowercase();
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let cond = "lower(caption) LIKE ?1 ESCAPE '\\' OR lower(credit) LIKE ?1 ESCAPE '\\' \
                    OR lower(alt) LIKE ?1 ESCAPE '\\'";
        let count_sql = format!("SELECT count(*) FROM media WHERE {cond}");
        let (total,): (i64,) = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&count_sql))
                .bind(&pattern)
                .fetch_one(c)
                .await
        })?;
        let w = PageWindow::new(total, page, per_page);
        let sql = format!(
            "SELECT {MEDIA_COLUMNS} FROM media WHERE {cond} ORDER BY id DESC LIMIT ?2 OFFSET ?3"
        );
        let rows: Vec<MediaRow> = on_pool!(&self.pool, |c, b| {
            sqlx::query_as(&b.sql(&sql))
                .bind(&pattern)
                .bind(i64::from(w.per_page))
                .bind(w.offset())
                .fetch_all(c)
                .await
        })?;
        Ok(w.of(rows
            .into_iter()
            .map(Media::try_from)
            .collect::<Result<_>>()?))
    }
}

/// Articles whose newest revision is a newsroom save (a person's, not an import's):
/// an import that would replace one keeps it unless told to overwrite (issue #23).
/// Read once under the write lock an import holds for its whole run.
#[derive(Debug, Default, Clone)]
pub struct NewsroomEdited {
    ids: std::collections::HashSet<i64>,
    by_source: std::collections::HashMap<String, i64>,
    by_slug: std::collections::HashMap<String, i64>,
}

impl NewsroomEdited {
    /// The edited article `w` would replace, found as the writer finds it: by id, then
    /// source id, then (for Warta's own exports) slug.
    pub fn target(&self, w: &crate::ArticleWrite) -> Option<i64> {
        if let Some(id) = w.id {
            return self.ids.contains(&id).then_some(id);
        }
        if let Some(src) = &w.source_id
            && let Some(id) = self.by_source.get(src)
        {
            return Some(*id);
        }
        if w.match_slug {
            return w
                .input
                .slug
                .as_ref()
                .and_then(|s| self.by_slug.get(s))
                .copied();
        }
        None
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

impl Writer {
    /// See [`NewsroomEdited`].
    pub async fn newsroom_edited(&mut self) -> Result<NewsroomEdited> {
        let rows: Vec<(i64, Option<String>, String)> = on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query_as(&b.sql(
                "SELECT a.id, a.source_id, a.slug FROM articles a JOIN revisions r \
                 ON r.article_id = a.id AND r.user_id IS NOT NULL \
                 AND r.number = (SELECT max(number) FROM revisions WHERE article_id = a.id)",
            ))
            .fetch_all(c)
            .await
        })?;
        let mut out = NewsroomEdited::default();
        for (id, source, slug) in rows {
            out.ids.insert(id);
            if let Some(src) = source {
                out.by_source.insert(src, id);
            }
            out.by_slug.insert(slug, id);
        }
        Ok(out)
    }

    /// The slugs articles `ids` have now, read in this writer's transaction (an import
    /// says which source slugs were taken and got a suffix).
    pub async fn slugs_of(
        &mut self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, String)> = on_conn!(&mut self.tx.conn(), |c, _b| {
                let mut qb = sqlx::QueryBuilder::new("SELECT id, slug FROM articles WHERE id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as().fetch_all(&mut *c).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The newest revision number of an article, read under the write lock: a save
    /// that compares it with the version its form started from cannot race another.
    pub async fn latest_revision(&mut self, article_id: i64) -> Result<i64> {
        let (n,): (Option<i64>,) = on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query_as(&b.sql("SELECT max(number) FROM revisions WHERE article_id = ?"))
                .bind(article_id)
                .fetch_one(c)
                .await
        })?;
        Ok(n.unwrap_or(0))
    }

    /// Keeps `content` as the article's next revision; returns its number.
    pub async fn add_revision(
        &mut self,
        article_id: i64,
        user_id: Option<i64>,
        note: &str,
        content: &ArticleInput,
    ) -> Result<i64> {
        let number = self.latest_revision(article_id).await? + 1;
        let json = serde_json::to_string(content)
            .map_err(|e| StoreError::Corrupt(format!("revision: {e}")))?;
        let now = from_time(self.now);
        on_conn!(&mut self.tx.conn(), |c, b| {
            sqlx::query(&b.sql(
                "INSERT INTO revisions (article_id, number, user_id, note, created_at, content) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            ))
            .bind(article_id)
            .bind(number)
            .bind(user_id)
            .bind(note)
            .bind(now)
            .bind(&json)
            .execute(c)
            .await
            .map(|_| ())
        })?;
        Ok(number)
    }
}
