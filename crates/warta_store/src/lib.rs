//! The store: every SQL statement Warta runs, behind one [`Store`] type. The rest of
//! the program never sees a connection or a row; it gets `warta_core` types back.
//!
//! SQLite is the embedded default (WAL, foreign keys on, a busy timeout); PostgreSQL
//! serves sites with several nodes (see [`db`] for how one set of statements runs on
//! both). Every write runs in one transaction and appends to the `changes` log in that
//! same transaction, so readers of the log (search, related lists, other nodes) never
//! miss a write.

mod account_links;
mod api_keys;
mod articles;
mod backup;
mod body;
mod catalog;
mod copy;
mod db;
mod front;
mod lead;
mod logins;
mod media_text;
mod newsroom;
mod pages;
mod pending;
mod reads;
mod related;
mod related_cache;
mod rows;
mod schedule;
mod translations;
mod webhooks;
mod write;
mod writeback;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use db::{Pool, Tx, on_pool};

pub use account_links::{LinkPurpose, NO_PASSWORD_YET};
pub use api_keys::ApiKey;
pub use articles::{FullArticle, ListFilter, Month};
pub use catalog::NewMedia;
pub use copy::{CopiedTable, NOT_COPIED, copied_tables};
pub use db::Backend;
pub use front::{FrontPage, MAX_PICKS, MAX_SECONDARY};
pub use lead::Duty;
pub use logins::FormStash;
pub use media_text::{MediaEdit, MediaText};
pub use newsroom::{
    DeskFilter, DeskItem, NewsroomEdited, Revision, RevisionInfo, Session, User, normalize_email,
};
pub use pages::{MAX_PAGES, PageInput, SitePage};
pub use pending::PendingEdit;
pub use reads::hour_of;
pub use related::{RelatedEdits, RelatedSaves, Watermark};
pub use translations::Translation;
pub use webhooks::Delivery;
pub use write::{ArticleWrite, BatchError, Outcome, Writer};
pub use writeback::Writeback;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a SQLite database ({source})")]
    NotSqlite { path: PathBuf, source: sqlx::Error },
    #[error("{path}: cannot open the database ({source})")]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("cannot connect to PostgreSQL at {url} ({source})")]
    Connect { url: String, source: sqlx::Error },
    #[error("`{0}` is not a database address: use sqlite://PATH or postgres://HOST/NAME")]
    BadUrl(String),
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// From the export's own reading of a SQLite file (see `Store::export_pages`).
    #[error("reading the database: {0}")]
    Read(#[from] rusqlite::Error),
    #[error(transparent)]
    Invalid(#[from] warta_core::ValidationError),
    #[error("{what} `{key}` not found")]
    NotFound { what: &'static str, key: String },
    #[error("{what} `{key}` already exists")]
    Taken { what: &'static str, key: String },
    #[error("slug `{0}` is already used by another article")]
    SlugTaken(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// What this backend does not do, and what to do instead.
    #[error("{0}")]
    Unsupported(&'static str),
}

impl StoreError {
    /// The database cannot be reached now (down, restarting, unreachable, or no
    /// connection free in time), as opposed to a bad request or bad data: worth a
    /// "try again shortly" answer, and the pool reconnects on its own.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect { .. } => true,
            StoreError::Db(e) => match e {
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
                // PostgreSQL shutting down or starting up (class 57: operator
                // intervention), or a connection it dropped (class 08).
                sqlx::Error::Database(db) => db
                    .code()
                    .is_some_and(|c| c.starts_with("57P") || c.starts_with("08")),
                _ => false,
            },
            _ => false,
        }
    }
}

/// One entry of the change log: an article was written (created, updated, published,
/// unpublished) or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub article_id: i64,
    pub deleted: bool,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// Where reads that tolerate lag go (reader pages): a read replica if one was
    /// given, else the same pool.
    reads: Pool,
    related_cache: std::sync::Arc<related_cache::RelatedCache>,
    /// Told how long each writer waited for the write lock ([`Store::observe_write_waits`]).
    write_waits: std::sync::Arc<std::sync::OnceLock<WaitObserver>>,
}

/// What [`Store::observe_write_waits`] calls.
struct WaitObserver(Box<dyn Fn(Duration) + Send + Sync>);

impl std::fmt::Debug for WaitObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WaitObserver")
    }
}

/// A connection pool's state, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// Connections open, in use or idle.
    pub open: u32,
    pub idle: u32,
    /// The most it opens.
    pub max: u32,
}

impl Store {
    /// Opens (creating if missing) the SQLite database at `path` and brings its schema
    /// up to date.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        let opts = sqlite_options(path)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(opts)
            .await
            .map_err(|e| classify_open_error(path, e))?;
        Store::on_sqlite_pool(path, pool).await
    }

    /// The store for one bulk write (an import) while nothing else has the database
    /// open: one connection, and a rollback journal instead of WAL, so that the
    /// transaction's pages are written once, into the database file, rather than into
    /// the log and then copied over by a checkpoint (appended pages need no journal
    /// at all). `None` when another connection (a running server) has the database
    /// open: SQLite cannot leave WAL then, and the caller uses [`Store::open_sqlite`].
    /// The next [`Store::open_sqlite`] turns WAL on again; a crash in between leaves
    /// a rollback journal that the next opening plays back first, so the run is lost
    /// as a whole, as in WAL. Only the import's own calls may use it: everything
    /// shares the one connection.
    pub async fn open_sqlite_exclusive(path: &Path) -> Result<Option<Store>> {
        let opts = sqlite_options(path)
            .journal_mode(SqliteJournalMode::Delete)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_millis(500));
        // One plain connection first: a pool would keep trying in the background
        // after a refusal, and could take the database out of WAL later, under a
        // server that opened it meanwhile.
        let busy = |e: &sqlx::Error| matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("5"));
        match sqlx::ConnectOptions::connect(&opts).await {
            Ok(probe) => sqlx::Connection::close(probe).await?,
            Err(e) if busy(&e) => return Ok(None),
            Err(e) => return Err(classify_open_error(path, e)),
        }
        let pool = match SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .connect_with(opts)
            .await
        {
            Ok(pool) => pool,
            Err(e) if busy(&e) => return Ok(None),
            Err(e) => return Err(classify_open_error(path, e)),
        };
        Store::on_sqlite_pool(path, pool).await.map(Some)
    }

    async fn on_sqlite_pool(path: &Path, pool: sqlx::SqlitePool) -> Result<Store> {
        // The first statement is what finds out a file is not SQLite at all.
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .execute(&pool)
            .await
            .map_err(|e| classify_open_error(path, e))?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Store::with_pool(Pool::Sqlite(pool)))
    }

    /// Connects to PostgreSQL (`postgres://user@host:port/database`, with libpq's
    /// options such as `?options=-csearch_path%3Dname` for a schema) and brings the
    /// schema up to date. Requests wait at most 2 s for a connection, so that a node
    /// whose database is down answers "unavailable" quickly instead of hanging; the
    /// pool reconnects on its own when the server is back.
    pub async fn open_postgres(url: &str) -> Result<Store> {
        let pool = pg_pool(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Store::with_pool(Pool::Postgres(pool)))
    }

    /// Opens by address: `sqlite://path/to/file.db` or `postgres://…`
    /// (`postgresql://` too).
    pub async fn open_url(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Store::open_postgres(url).await;
        }
        if !url.starts_with("sqlite:") {
            return Err(StoreError::BadUrl(url.into()));
        }
        let opts =
            SqliteConnectOptions::from_str(url).map_err(|_| StoreError::BadUrl(url.into()))?;
        let path = opts.get_filename().to_path_buf();
        Store::open_sqlite(&path).await
    }

    fn with_pool(pool: Pool) -> Store {
        Store {
            reads: pool.clone(),
            pool,
            related_cache: Default::default(),
            write_waits: Default::default(),
        }
    }

    /// Calls `f` with how long each write transaction waited for the write lock
    /// (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's advisory lock), from then on; the
    /// first observer set stays (it is shared by every clone of this store).
    pub fn observe_write_waits(&self, f: impl Fn(Duration) + Send + Sync + 'static) {
        let _ = self.write_waits.set(WaitObserver(Box::new(f)));
    }

    /// The primary pool's connections.
    pub fn pool_state(&self) -> PoolState {
        let (open, idle, max) = match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
            Pool::Postgres(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
        };
        PoolState {
            open,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max,
        }
    }

    /// Sends the reads of reader pages (an article by its address, lists, related
    /// blocks, feeds and sitemaps) to a read-only PostgreSQL replica at `url`; writes,
    /// the change log and everything a writer reads back stay on the primary. Pages
    /// may then lag the primary by the replica's delay.
    pub async fn with_read_replica(mut self, url: &str) -> Result<Store> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::BadUrl(url.into()));
        }
        self.reads = Pool::Postgres(pg_pool(url).await?);
        Ok(self)
    }

    /// Which database this store is on.
    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// `sql` with its placeholders as this store's backend wants them.
    pub(crate) fn sql<'a>(&self, sql: &'a str) -> std::borrow::Cow<'a, str> {
        self.pool.backend().sql(sql)
    }

    /// Copies SQLite's write-ahead log into the database file and empties it (after a
    /// bulk write). Readers holding an older snapshot make it stop short; that is fine.
    /// Nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Pool::Sqlite(pool) = &self.pool {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Whether the database answers (for health checks).
    pub async fn ping(&self) -> Result<()> {
        on_pool!(&self.pool, |c| sqlx::query("SELECT 1")
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The highest change sequence number written so far (0 for a new site).
    pub async fn last_change(&self) -> Result<i64> {
        let (seq,): (Option<i64>,) = on_pool!(&self.pool, |c| {
            sqlx::query_as("SELECT max(seq) FROM changes")
                .fetch_one(c)
                .await
        })?;
        Ok(seq.unwrap_or(0))
    }

    /// When the oldest entry of the change log after `seq` was written (`None`: a
    /// reader at `seq` has seen everything): how far behind that reader is.
    pub async fn oldest_change_after(
        &self,
        seq: i64,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        let sql = self.sql("SELECT at FROM changes WHERE seq > ? ORDER BY seq LIMIT 1");
        let row: Option<(i64,)> = on_pool!(&self.pool, |c| {
            sqlx::query_as(&sql).bind(seq).fetch_optional(c).await
        })?;
        Ok(row.map(|(at,)| crate::rows::to_time(at)))
    }

    /// Up to `limit` entries of the change log after `seq`, oldest first: what the
    /// search index and other readers of the log have not seen yet.
    pub async fn changes_after(&self, seq: i64, limit: u32) -> Result<Vec<Change>> {
        let sql = self
            .sql("SELECT seq, article_id, kind FROM changes WHERE seq > ? ORDER BY seq LIMIT ?");
        let rows: Vec<(i64, i64, String)> = on_pool!(&self.pool, |c| {
            sqlx::query_as(&sql)
                .bind(seq)
                .bind(i64::from(limit))
                .fetch_all(c)
                .await
        })?;
        // Whoever wrote these (this node or another), blocks showing them are stale.
        let ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
        self.related_cache.forget(&ids);
        Ok(rows
            .into_iter()
            .map(|(seq, article_id, kind)| Change {
                seq,
                article_id,
                deleted: kind == "delete",
            })
            .collect())
    }

    /// A follower's place in the change log, kept in a one-row table `table`
    /// (`related_cursor`, `webhook_cursor`); `None` before its first save.
    pub(crate) async fn cursor(&self, table: &'static str) -> Result<Option<i64>> {
        let sql = format!("SELECT seq FROM {table} WHERE id = 1");
        let row: Option<(i64,)> =
            on_pool!(&self.pool, |c| sqlx::query_as(&sql).fetch_optional(c).await)?;
        Ok(row.map(|(s,)| s))
    }

    pub(crate) async fn set_cursor(&self, table: &'static str, seq: i64) -> Result<()> {
        let sql = format!(
            "INSERT INTO {table} (id, seq) VALUES (1, ?) \
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq"
        );
        on_pool!(&self.pool, |c, b| {
            sqlx::query(&b.sql(&sql))
                .bind(seq)
                .execute(c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// A transaction that writes: it takes the database's write lock at its start.
    /// On SQLite that is `BEGIN IMMEDIATE` (waiting up to the busy timeout for another
    /// writer) rather than the lock at its first write: a deferred transaction that
    /// reads first fails at once with "database is locked" (`SQLITE_BUSY_SNAPSHOT`)
    /// when another connection commits between its read and its write. On PostgreSQL
    /// it is a transaction-level advisory lock ([`db::WRITE_LOCK`]), so that writers
    /// on every node queue in the same way.
    pub(crate) async fn begin_write(&self) -> Result<Tx> {
        let started = std::time::Instant::now();
        let tx = self.begin_write_untimed().await?;
        if let Some(observe) = self.write_waits.get() {
            (observe.0)(started.elapsed());
        }
        Ok(tx)
    }

    async fn begin_write_untimed(&self) -> Result<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(db::WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.reads.close().await;
        self.pool.close().await;
    }
}

/// A pool on the PostgreSQL server at `url` (see [`Store::open_postgres`] for its
/// timeouts).
async fn pg_pool(url: &str) -> Result<sqlx::PgPool> {
    let opts = PgConnectOptions::from_str(url).map_err(|_| StoreError::BadUrl(url.into()))?;
    PgPoolOptions::new()
        .max_connections(16)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(opts)
        .await
        .map_err(|source| StoreError::Connect {
            url: redact(url),
            source,
        })
}

/// A database address without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Each SQLite connection's page cache, as `PRAGMA cache_size` (negative: KiB).
pub(crate) const SQLITE_CACHE_SIZE: &str = "-8192";

/// What every SQLite connection of Warta's shares; the journal mode, durability and
/// busy timeout are the opener's.
fn sqlite_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true)
        // Reads come from the file's mapping (up to 2 GiB, SQLite's own limit) rather
        // than being copied into each connection's page cache: the mapped pages are
        // the kernel's to keep or drop, shared by every connection, and not counted in
        // the process's anonymous memory. Beyond the first 2 GiB of a big archive,
        // pages go through each connection's cache of 8 MiB (allocated as used; a
        // bulk write raises its own: [`write::Writer::bulk_cache`]). At a million
        // articles (a 6 GB database), 8 connections of 64 MiB each were a third of
        // the server's 1.8 GB of anonymous memory under load (issue #26).
        // Articles are several KiB: 16 KiB pages keep most in one page instead of an
        // overflow chain (takes effect when the database is created).
        .page_size(16_384)
        .pragma("cache_size", SQLITE_CACHE_SIZE)
        .pragma("mmap_size", "2147418112")
        .pragma("temp_store", "memory")
        // sqlx's worker may run this many rows ahead of the reader (an export reads
        // a million): fewer hand-offs between the two threads.
        .row_buffer_size(1024)
}

fn classify_open_error(path: &Path, e: sqlx::Error) -> StoreError {
    let not_db = match &e {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("26") || db.message().contains("not a database")
        }
        _ => false,
    };
    if not_db {
        StoreError::NotSqlite {
            path: path.to_path_buf(),
            source: e,
        }
    } else {
        StoreError::Open {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// For tests of this and other crates: a store on a schema of its own.
pub mod testing {
    use std::sync::atomic::{AtomicU32, Ordering};

    use sqlx::Connection;

    use crate::{Result, Store, StoreError};

    /// The PostgreSQL server tests use, from `WARTA_TEST_POSTGRES_URL`; `None` when
    /// it is not set (the plain test command runs without PostgreSQL).
    pub fn postgres_url() -> Option<String> {
        std::env::var("WARTA_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
    }

    /// Makes a new, empty schema `warta_t_<pid>_<n>` on the server at `base` and
    /// returns its address (`base` with `options[search_path]`) and a store on it.
    /// Schemas are left behind for inspection; `.ci/run` drops old ones.
    pub async fn fresh_postgres(base: &str) -> Result<(String, Store)> {
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let schema = format!(
            "warta_t_{}_{}_{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = connect(base).await?;
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        on_schema(base, &schema).await
    }

    /// Runs SQL on a store as it is, past every check: for tests that need data no
    /// current write path would make (an article stored before a limit existed).
    pub async fn execute(store: &Store, sql: &str) -> Result<()> {
        crate::db::on_pool!(&store.pool, |c| sqlx::raw_sql(sql)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    async fn connect(base: &str) -> Result<sqlx::PgConnection> {
        sqlx::PgConnection::connect(base)
            .await
            .map_err(|source| StoreError::Connect {
                url: super::redact(base),
                source,
            })
    }

    /// The address of `schema` on the server at `base`, and a store on it.
    async fn on_schema(base: &str, schema: &str) -> Result<(String, Store)> {
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options[search_path]={schema}");
        let store = Store::open_postgres(&url).await?;
        Ok((url, store))
    }

    /// Loads a plain-SQL dump of schema `dumped` (`pg_dump --inserts -n dumped`) into a
    /// new schema of its own on the server at `base`, then opens it as a store, which
    /// runs the migrations it lacks: an older release's database, brought forward.
    pub async fn restore_dump(base: &str, dump: &str, dumped: &str) -> Result<(String, Store)> {
        static N: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "warta_t_{}_up{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let sql = dump.replace(dumped, &schema);
        let mut admin = connect(base).await?;
        sqlx::raw_sql(&sql).execute(&mut admin).await?;
        admin.close().await?;
        on_schema(base, &schema).await
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_kept_out_of_messages() {
        assert_eq!(
            redact("postgres://warta:s3cret@db.example:5432/warta"),
            "postgres://warta:***@db.example:5432/warta"
        );
        assert_eq!(
            redact("postgres://warta@db/warta"),
            "postgres://warta@db/warta"
        );
        assert_eq!(redact("sqlite://data/warta.db"), "sqlite://data/warta.db");
        assert_eq!(redact("://@"), "://@");
    }
}
