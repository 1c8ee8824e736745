//! Full-text search for Warta: a tantivy index (the only crate that imports tantivy)
//! analysed with `warta_text`'s Indonesian analyzer, kept in the data folder and in
//! step with the store's change log.
//!
//! The index never decides what is true: it is rebuilt from the store at any time
//! (`SearchIndex::rebuild`), and it records in each commit how far into the change
//! log it has read, so a crash between a database commit and an index commit heals
//! itself at the next catch-up.

mod analysis;
mod bulk;
mod index;
mod memo;
pub mod query;
mod search;
mod similar;

use std::path::{Path, PathBuf};

pub use bulk::{BulkNeighbours, Scratch};
pub use index::{SearchIndex, follow};
pub use search::{Hit, MAX_PAGE, PER_PAGE, SearchRequest, SearchResults, Sort};
pub use similar::{Candidate, Neighbourhood, Profile};
pub use warta_text::StemmerKind;

/// The stemmer new indexes use; chosen by the quality figures in BENCHMARKS.md.
pub const DEFAULT_STEMMER: StemmerKind = StemmerKind::Dictionary;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("search index at {path}: {source}")]
    Open {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Corrupt(String),
    #[error("the search index was made by an older Warta ({0:?} stemmer)")]
    OldSchema(StemmerKind),
    #[error("the search index is being written by another process")]
    Busy,
    #[error(transparent)]
    Store(#[from] warta_store::StoreError),
}

impl SearchError {
    fn at(path: &Path, source: tantivy::TantivyError) -> SearchError {
        SearchError::Open {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<tantivy::directory::error::OpenReadError> for SearchError {
    fn from(e: tantivy::directory::error::OpenReadError) -> SearchError {
        SearchError::Tantivy(e.into())
    }
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;
