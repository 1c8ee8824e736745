//! The two backends behind one set of statements. Every statement is written once, in
//! the SQL both SQLite and PostgreSQL understand, with `?` (or `?N`) placeholders;
//! [`Backend::sql`] numbers them `$1, $2, …` for PostgreSQL. The few places where the
//! dialects differ ask [`Backend`] for their fragment. `QueryBuilder` numbers its own
//! placeholders for each backend.
//!
//! The macros [`on_pool!`] and [`on_conn!`] run one block of code against whichever
//! connection is there: the block is compiled once per backend, so row decoding and
//! binding keep their native, typed drivers (sqlx's `Any` driver would copy every value
//! and cannot number `QueryBuilder` placeholders for PostgreSQL).

use std::borrow::Cow;

use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Acquire, PgPool, Postgres, Sqlite, SqlitePool, Transaction};

use crate::Result;

/// The key of PostgreSQL's transaction-level advisory lock that every write
/// transaction takes first: writers queue one after another, as SQLite's single
/// writer lock makes them. That keeps the change log's sequence in commit order (a
/// follower that has read up to `seq` never later finds a smaller one committed) and
/// makes "read the highest id, insert the next ones" safe across nodes. ("WART" in
/// ASCII.)
pub(crate) const WRITE_LOCK: i64 = 0x5741_5254;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The statement as this backend wants its placeholders.
    pub(crate) fn sql(self, sql: &str) -> Cow<'_, str> {
        match self {
            Backend::Sqlite => Cow::Borrowed(sql),
            Backend::Postgres => Cow::Owned(numbered(sql)),
        }
    }

    /// A prefix that keeps SQLite's planner off an index for one term (`+col`);
    /// PostgreSQL has no such operator on text and plans well without it.
    pub(crate) fn no_index(self) -> &'static str {
        match self {
            Backend::Sqlite => "+",
            Backend::Postgres => "",
        }
    }

    /// `YYYY-MM` (UTC) of a Unix-seconds column.
    pub(crate) fn month_of(self, col: &str) -> String {
        match self {
            Backend::Sqlite => format!("strftime('%Y-%m', {col}, 'unixepoch')"),
            Backend::Postgres => {
                format!("to_char(to_timestamp({col}) AT TIME ZONE 'UTC', 'YYYY-MM')")
            }
        }
    }
}

/// `?` becomes `$1`, `$2`, … in order, and `?N` becomes `$N`; string literals and
/// quoted names are left alone.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        match quote {
            Some(q) => {
                out.push(ch);
                if ch == q {
                    quote = None;
                }
            }
            None if ch == '\'' || ch == '"' => {
                quote = Some(ch);
                out.push(ch);
            }
            None if ch == '?' => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    n += 1;
                    out.push_str(&n.to_string());
                }
            }
            None => out.push(ch),
        }
    }
    out
}

/// A pool of either backend; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// A connection of either backend, borrowed (from a transaction or savepoint).
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// A write transaction (see [`crate::Store::begin_write`]).
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    /// A nested transaction (a savepoint): what it wrote goes on rollback, the rest of
    /// the outer transaction stays usable.
    pub(crate) async fn savepoint(&mut self) -> Result<Savepoint<'_>> {
        Ok(match self {
            Tx::Sqlite(t) => Savepoint::Sqlite(t.begin().await?),
            Tx::Postgres(t) => Savepoint::Postgres(t.begin().await?),
        })
    }
}

pub(crate) enum Savepoint<'a> {
    Sqlite(Transaction<'a, Sqlite>),
    Postgres(Transaction<'a, Postgres>),
}

impl Savepoint<'_> {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Savepoint::Sqlite(t) => Conn::Sqlite(t),
            Savepoint::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Savepoint::Sqlite(t) => t.commit().await?,
            Savepoint::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        match self {
            Savepoint::Sqlite(t) => t.rollback().await?,
            Savepoint::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}

/// Deletes the rows of `table` whose `article_id` is one of `ids` (at most a few
/// hundred per call, under either backend's limit on bound parameters).
pub(crate) async fn delete_for_articles(
    conn: &mut Conn<'_>,
    table: &str,
    ids: &[i64],
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    on_conn!(conn, |c, _b| {
        let mut qb = sqlx::QueryBuilder::new(format!("DELETE FROM {table} WHERE article_id IN ("));
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        qb.push(")");
        qb.build().execute(&mut *c).await.map(|_| ())
    })?;
    Ok(())
}

/// Runs `$body` with `$c` bound to the pool (`&SqlitePool` or `&PgPool`) and `$b`
/// to its [`Backend`].
macro_rules! on_pool {
    ($pool:expr, |$c:ident| $body:expr) => {
        $crate::db::on_pool!($pool, |$c, _b| $body)
    };
    ($pool:expr, |$c:ident, $b:ident| $body:expr) => {
        match $pool {
            $crate::db::Pool::Sqlite($c) => {
                let $b = $crate::db::Backend::Sqlite;
                $body
            }
            $crate::db::Pool::Postgres($c) => {
                let $b = $crate::db::Backend::Postgres;
                $body
            }
        }
    };
}

/// Runs `$body` with `$c` bound to the connection (`&mut SqliteConnection` or
/// `&mut PgConnection`) and `$b` to its [`Backend`]; `$conn` is a `&mut Conn`.
macro_rules! on_conn {
    ($conn:expr, |$c:ident, $b:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite(inner) => {
                let $c = &mut **inner;
                let $b = $crate::db::Backend::Sqlite;
                $body
            }
            $crate::db::Conn::Postgres(inner) => {
                let $c = &mut **inner;
                let $b = $crate::db::Backend::Postgres;
                $body
            }
        }
    };
}

pub(crate) use {on_conn, on_pool};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE x = ? AND y IN (?, ?) LIMIT ?"),
            "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3) LIMIT $4"
        );
        assert_eq!(
            numbered("SELECT 1 WHERE a = ?1 OR b = ?1 OR c = ?2"),
            "SELECT 1 WHERE a = $1 OR b = $1 OR c = $2"
        );
        assert_eq!(
            numbered("SELECT '?' AS \"q?\" WHERE x = ?"),
            "SELECT '?' AS \"q?\" WHERE x = $1"
        );
        assert_eq!(
            Backend::Sqlite.sql("SELECT ? WHERE '?'"),
            "SELECT ? WHERE '?'"
        );
    }
}
