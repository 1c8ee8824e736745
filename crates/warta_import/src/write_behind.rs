//! A writer that hands full buffers to a thread of its own, which writes them out.
//! Copying a large export into the page cache costs the kernel about as long as
//! producing it; this way the two run side by side on two cores instead of taking
//! turns on one.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

pub struct WriteBehind {
    buf: Vec<u8>,
    capacity: usize,
    full: Option<SyncSender<Vec<u8>>>,
    /// Buffers the thread has written, back for reuse.
    empty: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl WriteBehind {
    /// Buffers `capacity` bytes at a time; at most two buffers wait for the thread.
    pub fn new<W: Write + Send + 'static>(mut inner: W, capacity: usize) -> WriteBehind {
        let capacity = capacity.max(1);
        let (full, to_write) = sync_channel::<Vec<u8>>(2);
        let (give_back, empty) = sync_channel::<Vec<u8>>(4);
        let thread = std::thread::spawn(move || {
            for mut buf in to_write {
                inner.write_all(&buf)?;
                buf.clear();
                // The writer may be gone or have buffers enough: then this one is freed.
                let _ = give_back.try_send(buf);
            }
            inner.flush()
        });
        WriteBehind {
            buf: Vec::with_capacity(capacity),
            capacity,
            full: Some(full),
            empty,
            thread: Some(thread),
        }
    }

    /// Sends the buffer to the thread (waiting while two are ahead of it).
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(self.capacity));
        let buf = std::mem::replace(&mut self.buf, next);
        let sent = self.full.as_ref().is_some_and(|tx| tx.send(buf).is_ok());
        if sent {
            Ok(())
        } else {
            // The thread stopped: it failed to write, and says why.
            Err(self
                .join()
                .err()
                .unwrap_or_else(|| io::Error::other("the writing thread stopped without an error")))
        }
    }

    fn join(&mut self) -> io::Result<()> {
        self.full = None;
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| io::Error::other("the writing thread panicked"))?,
            None => Ok(()),
        }
    }

    /// Writes what is left and waits until every byte is written: the first error
    /// the thread met, if any.
    pub fn finish(mut self) -> io::Result<()> {
        self.send()?;
        self.join()
    }
}

impl Write for WriteBehind {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > self.capacity {
            self.send()?;
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    /// Hands what is buffered to the thread; [`WriteBehind::finish`] waits for it.
    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for WriteBehind {
    /// Without [`WriteBehind::finish`], what was written still reaches the file; only
    /// an error goes unreported.
    fn drop(&mut self) {
        let _ = self.send();
        let _ = self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink that fails once it has taken `limit` bytes.
    struct Limited {
        taken: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
        limit: usize,
    }

    impl Write for Limited {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            let mut taken = self
                .taken
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?;
            if taken.len() + data.len() > self.limit {
                return Err(io::Error::other("disk full"));
            }
            taken.extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn sink(limit: usize) -> (Limited, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
        let taken = std::sync::Arc::default();
        (
            Limited {
                taken: std::sync::Arc::clone(&taken),
                limit,
            },
            taken,
        )
    }

    #[test]
    fn every_byte_arrives_in_order() -> io::Result<()> {
        let (inner, taken) = sink(usize::MAX);
        let mut w = WriteBehind::new(inner, 7);
        let mut expected = Vec::new();
        for i in 0..1000u32 {
            let piece = format!("{i},");
            w.write_all(piece.as_bytes())?;
            expected.extend_from_slice(piece.as_bytes());
        }
        // A piece longer than a buffer goes whole.
        w.write_all(&[b'x'; 50])?;
        expected.extend_from_slice(&[b'x'; 50]);
        w.finish()?;
        assert_eq!(
            *taken.lock().map_err(|_| io::Error::other("poisoned"))?,
            expected
        );
        Ok(())
    }

    #[test]
    fn a_failed_write_is_reported() {
        let (inner, _) = sink(100);
        let mut w = WriteBehind::new(inner, 10);
        let mut result = Ok(());
        for _ in 0..100 {
            result = w.write_all(b"0123456789");
            if result.is_err() {
                break;
            }
        }
        let err = match result {
            Err(e) => e,
            Ok(()) => match w.finish() {
                Err(e) => e,
                Ok(()) => panic!("1,000 bytes into a sink of 100 went through"),
            },
        };
        assert!(err.to_string().contains("disk full"), "{err}");
    }
}
