//! Why content cannot be used, typed: each reason is English through `Display` (the
//! command line, logs, importers' reports) and in the newsroom's language through
//! [`Reason::text`] and [`ValidationError::text`], an exhaustive `match` into the
//! interface texts (`locale::admin`), so a new reason without its words does not
//! compile. A test renders every reason in Indonesian and fails on any that reads as
//! its English.

use crate::Status;
use crate::locale::AdminStrings;
use crate::newsroom::Transition;

/// Why a field's value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::EnumDiscriminants)]
#[strum_discriminants(name(ReasonKind), derive(strum::EnumIter))]
pub enum Reason {
    #[error("there is no section `{0}`")]
    NoSection(String),
    #[error("one article number, not this article's own")]
    NotOwnNumber,
    #[error("`{0}` is not an article number")]
    NotArticleNumber(String),
    #[error("`{0}` is not a date and time (YYYY-MM-DDTHH:MM)")]
    NotDateTime(String),
    #[error("`{0}` is not a photo number")]
    NotPhotoNumber(String),
    #[error("no locale for `{0}` (known: id, en)")]
    NoLocale(String),
    #[error("the editor's document cannot be read: {0}")]
    DocUnreadable(String),
    #[error("`{0}` is not an absolute path")]
    NotAbsolutePath(String),
    #[error("tag `{0}` has no letters or digits for its address")]
    TagWithoutLetters(String),
    #[error("`{0}` appears twice in one batch")]
    SourceTwice(String),
    #[error("a published article keeps its address")]
    KeepsAddress,
    #[error("media reference {0} has no media record")]
    NoMediaRecord(i64),
    #[error("`{0}` is not an e-mail address")]
    NotEmail(String),
    #[error("`{0}` is not a slug (lower-case ASCII letters, digits and single dashes)")]
    NotSlug(String),
    #[error("`/{0}` is already a page of the site; choose another slug")]
    ReservedSlug(String),
    #[error("`{0}` is not a PNG or WebP file of the media folder")]
    NotMediaFile(String),
    #[error("an article cannot be a translation of itself")]
    SelfTranslation,
    #[error("block {index}: {reason}")]
    InBlock { index: usize, reason: Box<Reason> },
    #[error("unknown kind of block `{0}`")]
    UnknownBlock(String),
    #[error("expected a `doc`, not `{0}`")]
    NotADoc(String),
    #[error("a photo without its number")]
    PhotoWithoutNumber,
    #[error("an embed needs an http(s) address, not `{0}`")]
    EmbedNeedsHttp(String),
    #[error("a list has no items")]
    EmptyList,
    #[error("a tag has an empty name")]
    EmptyTag,
    #[error("block {index} has {len} characters; at most {max} fit in one paragraph")]
    ParagraphTooLong {
        index: usize,
        len: usize,
        max: usize,
    },
    #[error("{count} tags; at most {max}")]
    TooManyTags { count: usize, max: usize },
    #[error("{count} stories in one row of the front page; at most {max}")]
    TooManyStories { count: usize, max: usize },
    #[error("must be between {min} and {max}")]
    OutOfRange { min: i64, max: i64 },
    #[error("`{0}` is not an IANA time zone")]
    NotTimeZone(String),
    #[error("a scheduled time must be in the future")]
    ScheduleInPast,
    #[error("`{0}` is not a whole number")]
    NotWholeNumber(String),
    #[error("`{0}` must start with https:// or http://")]
    NotWebAddress(String),
    #[error("`{0}`: `Minggu` or `Ahad`")]
    NotSundayWord(String),
    #[error("an article that is {} cannot be {}", .status.as_str(), phrase(*.action))]
    CannotBe { status: Status, action: Transition },
}

/// What a transition does, in the English of [`Reason::CannotBe`].
fn phrase(action: Transition) -> &'static str {
    match action {
        Transition::Keep => "saved",
        Transition::Submit => "submitted for review",
        Transition::Withdraw => "taken back to draft",
        Transition::Publish => "published",
        Transition::Schedule => "scheduled",
        Transition::Unpublish => "unpublished",
    }
}

/// `template` with `{0}`, `{1}`… replaced by `args`.
fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = template.to_owned();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), &a.to_string());
    }
    out
}

impl Reason {
    /// The reason in the newsroom's language.
    pub fn text(&self, t: &AdminStrings) -> String {
        match self {
            Reason::NoSection(s) => fill(t.why_no_section, &[s]),
            Reason::NotOwnNumber => t.why_not_own_number.to_owned(),
            Reason::NotArticleNumber(s) => fill(t.why_not_article_number, &[s]),
            Reason::NotDateTime(s) => fill(t.why_not_date_time, &[s]),
            Reason::NotPhotoNumber(s) => fill(t.why_not_photo_number, &[s]),
            Reason::NoLocale(s) => fill(t.why_no_locale, &[s]),
            Reason::DocUnreadable(_) => t.ed_body_unreadable.to_owned(),
            Reason::NotAbsolutePath(s) => fill(t.why_not_absolute_path, &[s]),
            Reason::TagWithoutLetters(s) => fill(t.why_tag_without_letters, &[s]),
            Reason::SourceTwice(s) => fill(t.why_source_twice, &[s]),
            Reason::KeepsAddress => t.ed_slug_locked.to_owned(),
            Reason::NoMediaRecord(n) => fill(t.why_no_media_record, &[n]),
            Reason::NotEmail(s) => fill(t.why_not_email, &[s]),
            Reason::NotSlug(s) => fill(t.why_not_slug, &[s]),
            Reason::ReservedSlug(s) => fill(t.why_reserved_slug, &[s]),
            Reason::NotMediaFile(s) => fill(t.why_not_media_file, &[s]),
            Reason::SelfTranslation => t.why_self_translation.to_owned(),
            Reason::InBlock { index, reason } => fill(t.why_in_block, &[index, &reason.text(t)]),
            Reason::UnknownBlock(s) => fill(t.why_unknown_block, &[s]),
            Reason::NotADoc(_) => t.ed_body_unreadable.to_owned(),
            Reason::PhotoWithoutNumber => t.why_photo_without_number.to_owned(),
            Reason::EmbedNeedsHttp(s) => fill(t.why_embed_needs_http, &[s]),
            Reason::EmptyList => t.why_empty_list.to_owned(),
            Reason::EmptyTag => t.why_empty_tag.to_owned(),
            Reason::ParagraphTooLong { index, len, max } => {
                fill(t.why_paragraph_too_long, &[index, len, max])
            }
            Reason::TooManyTags { count, max } => fill(t.why_too_many_tags, &[count, max]),
            Reason::TooManyStories { count, max } => fill(t.why_too_many_stories, &[count, max]),
            Reason::OutOfRange { min, max } => fill(t.why_out_of_range, &[min, max]),
            Reason::NotTimeZone(s) => fill(t.why_not_time_zone, &[s]),
            Reason::ScheduleInPast => t.why_schedule_in_past.to_owned(),
            Reason::NotWholeNumber(s) => fill(t.why_not_whole_number, &[s]),
            Reason::NotWebAddress(s) => fill(t.why_not_web_address, &[s]),
            Reason::NotSundayWord(s) => fill(t.why_not_sunday_word, &[s]),
            Reason::CannotBe { status, action } => fill(
                t.why_cannot_be,
                &[&status_word(t, *status), &action_word(t, *action)],
            ),
        }
    }

    /// One reason of each kind, for tests that must see every one.
    pub fn example(kind: ReasonKind) -> Reason {
        let s = || "contoh".to_owned();
        match kind {
            ReasonKind::NoSection => Reason::NoSection(s()),
            ReasonKind::NotOwnNumber => Reason::NotOwnNumber,
            ReasonKind::NotArticleNumber => Reason::NotArticleNumber(s()),
            ReasonKind::NotDateTime => Reason::NotDateTime(s()),
            ReasonKind::NotPhotoNumber => Reason::NotPhotoNumber(s()),
            ReasonKind::NoLocale => Reason::NoLocale(s()),
            ReasonKind::DocUnreadable => Reason::DocUnreadable(s()),
            ReasonKind::NotAbsolutePath => Reason::NotAbsolutePath(s()),
            ReasonKind::TagWithoutLetters => Reason::TagWithoutLetters(s()),
            ReasonKind::SourceTwice => Reason::SourceTwice(s()),
            ReasonKind::KeepsAddress => Reason::KeepsAddress,
            ReasonKind::NoMediaRecord => Reason::NoMediaRecord(7),
            ReasonKind::NotEmail => Reason::NotEmail(s()),
            ReasonKind::NotSlug => Reason::NotSlug(s()),
            ReasonKind::ReservedSlug => Reason::ReservedSlug(s()),
            ReasonKind::NotMediaFile => Reason::NotMediaFile(s()),
            ReasonKind::SelfTranslation => Reason::SelfTranslation,
            ReasonKind::InBlock => Reason::InBlock {
                index: 2,
                reason: Box::new(Reason::EmptyList),
            },
            ReasonKind::UnknownBlock => Reason::UnknownBlock(s()),
            ReasonKind::NotADoc => Reason::NotADoc(s()),
            ReasonKind::PhotoWithoutNumber => Reason::PhotoWithoutNumber,
            ReasonKind::EmbedNeedsHttp => Reason::EmbedNeedsHttp(s()),
            ReasonKind::EmptyList => Reason::EmptyList,
            ReasonKind::EmptyTag => Reason::EmptyTag,
            ReasonKind::ParagraphTooLong => Reason::ParagraphTooLong {
                index: 3,
                len: 30_000,
                max: 20_000,
            },
            ReasonKind::TooManyTags => Reason::TooManyTags { count: 60, max: 50 },
            ReasonKind::TooManyStories => Reason::TooManyStories { count: 9, max: 6 },
            ReasonKind::OutOfRange => Reason::OutOfRange { min: 1, max: 100 },
            ReasonKind::NotTimeZone => Reason::NotTimeZone(s()),
            ReasonKind::ScheduleInPast => Reason::ScheduleInPast,
            ReasonKind::NotWholeNumber => Reason::NotWholeNumber(s()),
            ReasonKind::NotWebAddress => Reason::NotWebAddress(s()),
            ReasonKind::NotSundayWord => Reason::NotSundayWord(s()),
            ReasonKind::CannotBe => Reason::CannotBe {
                status: Status::Published,
                action: Transition::Schedule,
            },
        }
    }
}

/// A status as the newsroom names it.
pub fn status_word(t: &AdminStrings, s: Status) -> &'static str {
    match s {
        Status::Draft => t.st_draft,
        Status::InReview => t.st_in_review,
        Status::Scheduled => t.st_scheduled,
        Status::Published => t.st_published,
        Status::Unpublished => t.st_unpublished,
    }
}

/// What a transition does, as the newsroom says it.
fn action_word(t: &AdminStrings, a: Transition) -> &'static str {
    match a {
        Transition::Keep => t.act_keep,
        Transition::Submit => t.act_submit,
        Transition::Withdraw => t.act_withdraw,
        Transition::Publish => t.act_publish,
        Transition::Schedule => t.act_schedule,
        Transition::Unpublish => t.act_unpublish,
    }
}

/// A field as the newsroom's forms label it (an unknown name stays as it is).
pub fn field_label(t: &AdminStrings, field: &str) -> String {
    match field {
        "headline" => t.headline,
        "lede" => t.lede,
        "body" => t.body,
        "section" => t.section,
        "tags" => t.tags,
        "dateline_place" => t.dateline,
        "dateline_brand" => t.dateline_brand,
        "hero" => t.hero,
        "publish_at" | "published_at" => t.publish_at,
        "language" => t.language,
        "pins" => t.pins,
        "excludes" => t.excludes,
        "translation_of" => t.translation_of,
        "status" => t.status,
        "slug" => t.ed_slug,
        "title" => t.page_title,
        "pages" => t.pages,
        "seo_title" => t.ed_seo_title,
        "seo_description" => t.ed_seo_description,
        "seo_canonical" => t.ed_seo_canonical,
        "email" => t.email,
        "name" => t.name,
        "time_zone" => t.time_zone,
        "page_size" => t.page_size,
        "base_url" => t.base_url,
        "position" => t.position,
        "sunday" => t.sunday,
        "ad_first_after" => t.ad_first_after,
        "ad_every" => t.ad_every,
        "read_also_after" => t.read_also_after,
        "logo" => t.site_logo,
        "icon" => t.site_icon,
        "article" => t.what_article,
        "author" => t.desk_author,
        "tag" => t.what_tag,
        "media" => t.ed_photo,
        "user" | "account" => t.what_user,
        other => return other.to_owned(),
    }
    .to_owned()
}

impl crate::ValidationError {
    /// The error in the newsroom's language, naming the field as its form labels it.
    pub fn text(&self, t: &AdminStrings) -> String {
        match self {
            crate::ValidationError::Required { field } => {
                fill(t.why_required, &[&field_label(t, field)])
            }
            crate::ValidationError::TooLong { field, len, max } => {
                fill(t.why_too_long, &[&field_label(t, field), len, max])
            }
            crate::ValidationError::Invalid { field, reason } => {
                format!("{}: {}", field_label(t, field), reason.text(t))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ValidationError;
    use strum::IntoEnumIterator;

    #[test]
    fn every_reason_has_its_own_indonesian_words() {
        let (id, en) = (crate::Locale::Id.admin(), crate::Locale::En.admin());
        let mut seen = 0;
        for kind in ReasonKind::iter() {
            let r = Reason::example(kind);
            let (in_id, in_en) = (r.text(id), r.text(en));
            assert_ne!(in_id, in_en, "{kind:?} reads the same in both languages");
            assert!(
                !in_id.contains('{'),
                "{kind:?}: a placeholder left: {in_id}"
            );
            assert!(
                !in_en.contains('{'),
                "{kind:?}: a placeholder left: {in_en}"
            );
            // The English words are the English error's, give or take the wording.
            assert!(!r.to_string().is_empty());
            seen += 1;
        }
        assert!(seen >= 28);
        for e in [
            ValidationError::Required { field: "headline" },
            ValidationError::TooLong {
                field: "lede",
                len: 2_100,
                max: 2_000,
            },
            ValidationError::Invalid {
                field: "publish_at",
                reason: Reason::ScheduleInPast,
            },
        ] {
            assert_ne!(e.text(id), e.text(en), "{e:?}");
        }
        assert_eq!(
            ValidationError::Invalid {
                field: "publish_at",
                reason: Reason::ScheduleInPast,
            }
            .text(id),
            "Waktu terbit (zona situs): waktu jadwal harus di masa depan."
        );
    }
}
