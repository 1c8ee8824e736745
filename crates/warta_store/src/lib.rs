//! The store: every SQL statement Warta runs, behind one [`Store`] type. The rest of
//! the program never sees a connection or a row; it gets `warta_core` types back.
//!
//! SQLite is the embedded default (WAL, foreign keys on, a busy timeout). Every write
//! runs in one transaction and appends to the `changes` log in that same transaction,
//! so readers of the log (search, related lists, other nodes) never miss a write.

mod api_keys;
mod articles;
mod body;
mod catalog;
mod related;
mod related_cache;
mod rows;
mod webhooks;
mod write;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use api_keys::ApiKey;
pub use articles::{FullArticle, ListFilter};
pub use catalog::NewMedia;
pub use related::RelatedEdits;
pub use webhooks::Delivery;
pub use write::{ArticleWrite, BatchError, Outcome, Writer};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a SQLite database ({source})")]
    NotSqlite { path: PathBuf, source: sqlx::Error },
    #[error("{path}: cannot open the database ({source})")]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Invalid(#[from] warta_core::ValidationError),
    #[error("{what} `{key}` not found")]
    NotFound { what: &'static str, key: String },
    #[error("slug `{0}` is already used by another article")]
    SlugTaken(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
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
    pool: SqlitePool,
    related_cache: std::sync::Arc<related_cache::RelatedCache>,
}

impl Store {
    /// Opens (creating if missing) the SQLite database at `path` and brings its schema
    /// up to date.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // A 64 MiB page cache per connection (allocated as used) and memory-mapped
            // reads: bulk imports and big archives stay off the disk's read path.
            // Articles are several KiB: 16 KiB pages keep most in one page instead of
            // an overflow chain (takes effect when the database is created).
            .page_size(16_384)
            .pragma("cache_size", "-65536")
            .pragma("mmap_size", "268435456")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(opts)
            .await
            .map_err(|e| classify_open_error(path, e))?;
        let store = Store {
            pool,
            related_cache: Default::default(),
        };
        // The first statement is what finds out a file is not SQLite at all.
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .execute(&store.pool)
            .await
            .map_err(|e| classify_open_error(path, e))?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens by URL: `sqlite://path/to/file.db` (PostgreSQL joins later).
    pub async fn open_url(url: &str) -> Result<Store> {
        let opts = SqliteConnectOptions::from_str(url)?;
        let path = opts.get_filename().to_path_buf();
        Store::open_sqlite(&path).await
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    /// Copies the write-ahead log into the database file and empties it (after a bulk
    /// write). Readers holding an older snapshot make it stop short; that is fine.
    pub async fn checkpoint(&self) -> Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The highest change sequence number written so far (0 for a new site).
    pub async fn last_change(&self) -> Result<i64> {
        let (seq,): (Option<i64>,) = sqlx::query_as("SELECT max(seq) FROM changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq.unwrap_or(0))
    }

    /// Up to `limit` entries of the change log after `seq`, oldest first: what the
    /// search index and other readers of the log have not seen yet.
    pub async fn changes_after(&self, seq: i64, limit: u32) -> Result<Vec<Change>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT seq, article_id, kind FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(seq)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
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

    /// A transaction that writes: it takes SQLite's write lock at its start
    /// (`BEGIN IMMEDIATE`, waiting up to the busy timeout for another writer) rather
    /// than at its first write. A deferred transaction that reads first fails at once
    /// with "database is locked" (`SQLITE_BUSY_SNAPSHOT`) when another connection
    /// commits between its read and its write, which the webhook log's updates beside
    /// a newsroom save made happen.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
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
