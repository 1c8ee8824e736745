//! The editor's preview of what search results and shared cards (WhatsApp, Facebook,
//! X) show of a story: drawn by the server as the form stands, redrawn by
//! `newsroom.js` as the journalist types (the same cuts, from the `data-` values).

use warta_core::locale::AdminStrings;

use super::form::ArticleForm;
use crate::AppState;
use crate::views::Site;

/// Characters of a title search results show.
pub(crate) const TITLE_SHOWN: usize = 60;
/// Characters of a description search results show.
pub(crate) const DESCRIPTION_SHOWN: usize = 160;

pub(crate) struct SeoPreview {
    /// The site's host, as results and cards print it.
    pub host: String,
    /// "warta.example › nasional": where the result points.
    pub trail: String,
    /// `- Warta`, added to every page title.
    pub title_suffix: String,
    pub title: String,
    pub description: String,
    pub title_count: String,
    pub description_count: String,
    /// The lead photo's small rendition, for the card.
    pub image: Option<String>,
}

/// `text` cut to `max` characters at a word, with "…" when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    let at = head
        .rfind(' ')
        .filter(|i| *i > max / 2)
        .unwrap_or(head.len());
    format!("{}…", head[..at].trim_end())
}

pub(crate) async fn preview(
    app: &AppState,
    t: &AdminStrings,
    site: &Site,
    f: &ArticleForm,
) -> SeoPreview {
    let host = site
        .settings
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or(&site.settings.base_url)
        .trim_end_matches('/')
        .to_owned();
    let title = if f.seo_title.trim().is_empty() {
        f.headline.trim()
    } else {
        f.seo_title.trim()
    };
    let description = if f.seo_description.trim().is_empty() {
        f.lede.trim()
    } else {
        f.seo_description.trim()
    };
    let count = |n: usize, max: usize| {
        t.ed_seo_count
            .replace("{n}", &n.to_string())
            .replace("{max}", &max.to_string())
    };
    let image = match f.hero.trim().trim_start_matches('#').parse::<i64>() {
        Ok(id) => app
            .store
            .media(id)
            .await
            .ok()
            .flatten()
            .filter(|m| !m.file.is_empty())
            .map(|m| super::editor_api::thumb_url(&m)),
        Err(_) => None,
    };
    SeoPreview {
        trail: format!("{host} › {}", f.section),
        host,
        title_suffix: format!(" - {}", site.settings.name),
        title: cut(title, TITLE_SHOWN),
        description: cut(description, DESCRIPTION_SHOWN),
        title_count: count(title.chars().count(), TITLE_SHOWN),
        description_count: count(description.chars().count(), DESCRIPTION_SHOWN),
        image,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_a_word() {
        assert_eq!(cut("Banjir rob", 60), "Banjir rob");
        assert_eq!(
            cut("Banjir rob melanda pesisir utara Jakarta", 20),
            "Banjir rob melanda…"
        );
        // No space in the second half: cut where the count ends.
        assert_eq!(cut("abcdefghij", 4), "abcd…");
    }
}
