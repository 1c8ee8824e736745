//! Warta's domain: articles and their blocks, sections, tags, authors, media and site
//! settings, plus the pure functions every layer shares (slugs, locale formatting, ad
//! placement, HTML sanitising). This crate does no I/O, so everything here is tested
//! with plain tables.

pub mod ads;
pub mod doc;
pub mod embed;
pub mod limits;
pub mod locale;
pub mod model;
pub mod newsroom;
pub mod problem;
pub mod sanitize;
pub mod settings;
pub mod slug;

pub use locale::Locale;
pub use model::*;
pub use problem::Reason;
pub use settings::SiteSettings;

/// What can be wrong with content handed to Warta.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ValidationError {
    #[error("field `{field}` is required")]
    Required { field: &'static str },
    #[error("field `{field}` is too long ({len} characters, at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("field `{field}`: {reason}")]
    Invalid { field: &'static str, reason: Reason },
}
