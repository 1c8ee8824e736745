//! The last warnings and errors this process logged, for the newsroom's status page
//! (issue #34). The binary's logging feeds it (a tracing layer); it keeps the newest
//! [`KEEP`] in memory, so a restart empties it (the logs keep everything).

use std::collections::VecDeque;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// How many are kept.
pub const KEEP: usize = 50;

/// One logged warning or error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub at: DateTime<Utc>,
    /// `ERROR` or `WARN`.
    pub level: &'static str,
    /// Where it was logged from (the module path).
    pub target: String,
    /// The message and its fields, as one line.
    pub text: String,
}

static RECENT: Mutex<VecDeque<Logged>> = Mutex::new(VecDeque::new());

/// Keeps one (dropping the oldest beyond [`KEEP`]).
pub fn record(item: Logged) {
    let mut recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
    if recent.len() == KEEP {
        recent.pop_front();
    }
    recent.push_back(item);
}

/// The newest first.
pub fn newest() -> Vec<Logged> {
    let recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
    recent.iter().rev().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_are_kept_newest_first() {
        for n in 0..KEEP + 5 {
            record(Logged {
                at: Utc::now(),
                level: "ERROR",
                target: "warta_test".into(),
                text: format!("recent-test {n}"),
            });
        }
        let mine: Vec<String> = newest()
            .into_iter()
            .filter(|l| l.text.starts_with("recent-test"))
            .map(|l| l.text)
            .collect();
        assert_eq!(mine.len(), KEEP);
        assert_eq!(mine[0], format!("recent-test {}", KEEP + 4));
        assert_eq!(mine[KEEP - 1], "recent-test 5");
    }
}
