//! Row forms and their conversion to domain types. Times are Unix seconds in the
//! database.

use chrono::{DateTime, Utc};
use warta_core::{Media, Rendition, Section, Tag, TagKind};

use crate::{Result, StoreError};

pub(crate) fn to_time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

pub(crate) fn from_time(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

#[derive(sqlx::FromRow)]
pub(crate) struct SectionRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub position: i64,
}

impl From<SectionRow> for Section {
    fn from(r: SectionRow) -> Section {
        Section {
            id: r.id,
            slug: r.slug,
            name: r.name,
            position: r.position,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TagRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
}

impl TryFrom<TagRow> for Tag {
    type Error = StoreError;
    fn try_from(r: TagRow) -> Result<Tag> {
        let kind = TagKind::parse(&r.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("tag {}: kind `{}`", r.id, r.kind)))?;
        Ok(Tag {
            id: r.id,
            slug: r.slug,
            name: r.name,
            kind,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MediaRow {
    pub id: i64,
    pub file: String,
    pub mime: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub renditions: String,
    pub focus_x: i64,
    pub focus_y: i64,
}

impl TryFrom<MediaRow> for Media {
    type Error = StoreError;
    fn try_from(r: MediaRow) -> Result<Media> {
        let renditions: Vec<Rendition> = serde_json::from_str(&r.renditions)
            .map_err(|e| StoreError::Corrupt(format!("media {}: renditions: {e}", r.id)))?;
        Ok(Media {
            id: r.id,
            file: r.file,
            mime: r.mime,
            width: u32::try_from(r.width).unwrap_or(0),
            height: u32::try_from(r.height).unwrap_or(0),
            alt: r.alt,
            caption: r.caption,
            credit: r.credit,
            renditions,
            focus_x: u8::try_from(r.focus_x.clamp(0, 100)).unwrap_or(50),
            focus_y: u8::try_from(r.focus_y.clamp(0, 100)).unwrap_or(50),
        })
    }
}

pub(crate) const MEDIA_COLUMNS: &str =
    "id, file, mime, width, height, alt, caption, credit, renditions, focus_x, focus_y";
