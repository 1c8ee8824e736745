//! Getting the disk to work while a long transaction is still being built.
//!
//! A bulk import on [`Store::open_sqlite_exclusive`](crate::Store::open_sqlite_exclusive)
//! keeps a bounded page cache: the pages it lets go (mostly bodies, written once) go
//! into the database file mid-transaction. The kernel would keep them in memory until
//! the commit's `fsync`, which then waits for all of them at once, with the cores
//! idle. [`Writeback`] asks for them to be written every quarter second from a thread
//! of its own, so the disk writes while the cores parse and insert, and the commit
//! finds little left to do. It changes when bytes reach the disk, never what SQLite
//! writes or in what order it makes a transaction durable: the commit still syncs
//! the journal and the file itself, and a crash still leaves a journal that rolls
//! the whole run back.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the thread flushes.
const EVERY: Duration = Duration::from_millis(250);

/// Flushes a file's written pages to the disk on a thread of its own until dropped.
///
/// Stop it only after the database is closed: closing any descriptor of a file drops
/// the process's POSIX locks on that file, SQLite's included.
pub struct Writeback {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<u32>>,
}

impl Writeback {
    /// Starts flushing the file at `path`. A file that cannot be opened (it does not
    /// exist, or this process may not read it) is not flushed; nothing fails, since
    /// the commit syncs anyway.
    pub fn start(path: &Path) -> Writeback {
        let Ok(file) = File::open(path) else {
            tracing::debug!(path = %path.display(), "writeback: cannot open the file");
            return Writeback {
                stop: None,
                thread: None,
            };
        };
        let (stop, stopped) = channel::<()>();
        let thread = std::thread::Builder::new()
            .name("warta-writeback".into())
            .spawn(move || {
                let mut flushes = 0;
                // Dropping the sender (or sending) ends the loop.
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    // fdatasync on a read-only descriptor: it writes out whatever any
                    // descriptor of the file dirtied. An error here (a full disk) is
                    // the commit's to report, when it syncs.
                    if file.sync_data().is_err() {
                        break;
                    }
                    flushes += 1;
                }
                flushes
            })
            .ok();
        Writeback {
            stop: Some(stop),
            thread,
        }
    }

    /// Stops the thread; the number of flushes it made.
    pub fn stop(mut self) -> u32 {
        self.join()
    }

    fn join(&mut self) -> u32 {
        self.stop = None;
        self.thread.take().and_then(|t| t.join().ok()).unwrap_or(0)
    }
}

impl Drop for Writeback {
    fn drop(&mut self) {
        self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flushes_until_stopped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("file");
        std::fs::write(&path, b"pages").expect("write");
        let writeback = Writeback::start(&path);
        std::thread::sleep(EVERY * 4);
        // Waits for a flush under way: the first one started well before this.
        let flushes = writeback.stop();
        assert!((1..=4).contains(&flushes), "{flushes} flushes");
    }

    #[test]
    fn a_missing_file_is_not_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let writeback = Writeback::start(&dir.path().join("missing"));
        assert_eq!(writeback.stop(), 0);
    }
}
