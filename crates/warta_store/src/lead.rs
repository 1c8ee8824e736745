//! Duties one node does for the whole site: computing related lists, delivering
//! webhooks, calling the purge hook. On PostgreSQL, the node that holds a
//! session-level advisory lock named after the duty does it; when that node stops (or
//! loses its connection), the lock is released and another node takes the duty
//! within [`RETRY`]. On SQLite there is one node, and it always leads.

use std::time::{Duration, Instant};

use sqlx::Connection;
use sqlx::postgres::PgConnection;

use crate::db::Pool;
use crate::{Result, Store};

/// How often a node that does not lead tries to.
pub const RETRY: Duration = Duration::from_secs(1);

/// A duty that this node does while it holds it (see the module notes).
pub struct Duty {
    store: Store,
    name: &'static str,
    /// `Some(None)`: SQLite, always held. `Some(Some(c))`: the connection holding the lock.
    held: Option<Option<PgConnection>>,
    last_try: Option<Instant>,
}

impl Store {
    /// A duty named `name` (the same name on every node).
    pub fn duty(&self, name: &'static str) -> Duty {
        Duty {
            store: self.clone(),
            name,
            held: None,
            last_try: None,
        }
    }
}

/// The lock key of a duty: FNV-1a of its name, the same on every node and build.
fn key(name: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    i64::from_ne_bytes(h.to_ne_bytes())
}

impl Duty {
    /// Whether this node does the duty now: checks that a held lock is still held
    /// (its connection answers), else tries to take it at most every [`RETRY`].
    pub async fn held(&mut self) -> bool {
        match &mut self.held {
            Some(None) => return true,
            Some(Some(conn)) => {
                if sqlx::query("SELECT 1").execute(&mut *conn).await.is_ok() {
                    return true;
                }
                tracing::warn!(duty = self.name, "lost the connection holding this duty");
                self.held = None;
            }
            None => {}
        }
        if self.last_try.is_some_and(|t| t.elapsed() < RETRY) {
            return false;
        }
        self.last_try = Some(Instant::now());
        match self.try_take().await {
            Ok(held) => {
                // Worth saying only where another node could hold it (PostgreSQL).
                if held && matches!(self.held, Some(Some(_))) {
                    tracing::info!(duty = self.name, "this node does this duty now");
                }
                held
            }
            Err(e) => {
                tracing::debug!(duty = self.name, error = %e, "cannot try to take this duty");
                false
            }
        }
    }

    async fn try_take(&mut self) -> Result<bool> {
        let pool = match &self.store.pool {
            Pool::Sqlite(_) => {
                self.held = Some(None);
                return Ok(true);
            }
            Pool::Postgres(pool) => pool,
        };
        // A connection of its own, outside the pool: the lock lives as long as it does.
        let mut conn = pool.acquire().await?.detach();
        let (got,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
            .bind(key(self.name))
            .fetch_one(&mut conn)
            .await?;
        if got {
            self.held = Some(Some(conn));
        } else {
            conn.close().await?;
        }
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duty_keys_are_stable_and_distinct() {
        assert_eq!(key("related"), key("related"));
        assert_ne!(key("related"), key("webhooks"));
        // FNV-1a 64 of "a" (a published test vector), as a signed number.
        assert_eq!(key("a") as u64, 0xaf63_dc4c_8601_ec8c);
    }
}
