//! An article's address (its slug): it follows the headline until the story first
//! goes live, can be set by hand before that, and afterwards changed by an editor,
//! the old address then answering with a 301 to the new one.

use warta_core::locale::AdminStrings;
use warta_core::slug::{MAX_SLUG, slugify};
use warta_core::{Article, Status};

use super::form::ArticleForm;
use crate::views::Site;
use crate::{AppError, AppState};

/// Whether readers may have seen the article at its address (so that a new one must
/// redirect from it).
pub(crate) fn has_been_live(a: &Article) -> bool {
    matches!(a.status, Status::Published | Status::Unpublished) && a.published_at.is_some()
}

/// The slug the headline gives (what a new article gets).
pub(crate) fn from_headline(headline: &str) -> String {
    let s = slugify(headline);
    if s.is_empty() { "berita".to_owned() } else { s }
}

/// Whether `slug` is what following `headline` gives: its slug, or that with the
/// `-2`, `-3`… another story's equal headline made it take.
pub(crate) fn follows(slug: &str, headline: &str) -> bool {
    let base = from_headline(headline);
    slug == base
        || slug.strip_prefix(base.as_str()).is_some_and(|rest| {
            rest.strip_prefix('-')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Whether a draft's slug is its headline's with the number another story's equal
/// headline made it take (`banjir-2` while another story is `banjir`), rather than a
/// slug set by hand that happens to end in a number (`pilkada-2024`).
pub(crate) async fn follows_now(app: &AppState, a: &Article) -> Result<bool, AppError> {
    if has_been_live(a) || !follows(&a.slug, &a.headline) {
        return Ok(false);
    }
    let base = from_headline(&a.headline);
    if a.slug == base {
        return Ok(true);
    }
    Ok(app
        .store
        .slug_holder(&base)
        .await?
        .is_some_and(|other| other != a.id))
}

/// What a save asks of the address.
#[derive(Debug, PartialEq)]
pub(crate) struct Address {
    /// The slug to write (`None` for a new article that follows its headline: the
    /// store picks a free one).
    pub slug: Option<String>,
    /// The address readers knew, which now redirects to the new one.
    pub moved_from: Option<String>,
}

/// Reads the form's address for `article` (`None`: a new one). `Err` is the reason,
/// in the newsroom's language, that the address cannot be used.
pub(crate) async fn wanted(
    app: &AppState,
    t: &AdminStrings,
    site: &Site,
    article: Option<&Article>,
    f: &ArticleForm,
    may_readdress: bool,
) -> Result<Result<Address, String>, AppError> {
    let live = article.is_some_and(has_been_live);
    let typed = f.slug.trim();
    // With the box ticked, a slug typed over the one shown still wins (without script
    // the box does not untick itself as the address is typed).
    let untouched = typed.is_empty()
        || article.is_some_and(|a| a.slug == typed)
        || slugify(typed) == from_headline(&f.headline);
    let follow = !live && untouched && (f.follows_headline() || article.is_none());
    let slug = if follow {
        let base = from_headline(&f.headline);
        match article {
            None => {
                return Ok(Ok(Address {
                    slug: None,
                    moved_from: None,
                }));
            }
            // Still what the headline gives: kept as it is (no new `-2` each save).
            Some(a) if follows(&a.slug, &f.headline) => a.slug.clone(),
            Some(a) => free_slug(app, &base, a.id).await?,
        }
    } else if typed.is_empty() {
        match article {
            Some(a) => a.slug.clone(),
            None => return Ok(Err(t.ed_slug_bad.to_owned())),
        }
    } else {
        let s = slugify(typed);
        if s.is_empty() || s.len() > MAX_SLUG * 2 {
            return Ok(Err(t.ed_slug_bad.to_owned()));
        }
        s
    };
    let Some(a) = article else {
        return Ok(match app.store.slug_holder(&slug).await? {
            Some(_) => Err(t.ed_slug_taken.replace("{slug}", &slug)),
            None => Ok(Address {
                slug: Some(slug),
                moved_from: None,
            }),
        });
    };
    if slug == a.slug {
        return Ok(Ok(Address {
            slug: Some(slug),
            moved_from: None,
        }));
    }
    if live && !may_readdress {
        return Ok(Err(t.ed_slug_locked.to_owned()));
    }
    if app
        .store
        .slug_holder(&slug)
        .await?
        .is_some_and(|other| other != a.id)
    {
        return Ok(Err(t.ed_slug_taken.replace("{slug}", &slug)));
    }
    let moved_from = if live {
        a.published_at
            .map(|p| site.article_url(&a.section.slug, p, &a.slug))
    } else {
        None
    };
    Ok(Ok(Address {
        slug: Some(slug),
        moved_from,
    }))
}

/// `base`, or `base-2`, `base-3`… whichever no other article has.
async fn free_slug(app: &AppState, base: &str, id: i64) -> Result<String, AppError> {
    let mut candidate = base.to_owned();
    for n in 2..10_000 {
        match app.store.slug_holder(&candidate).await? {
            Some(other) if other != id => candidate = format!("{base}-{n}"),
            _ => return Ok(candidate),
        }
    }
    Ok(format!("{base}-{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_follows_its_headline_with_or_without_a_number() {
        assert!(follows("banjir-di-jakarta", "Banjir di Jakarta"));
        assert!(follows("banjir-di-jakarta-2", "Banjir di Jakarta"));
        assert!(!follows("banjir-di-jakarta-utara", "Banjir di Jakarta"));
        assert!(!follows("banjir-di-jakarta-", "Banjir di Jakarta"));
        assert!(!follows("banjir", "Banjir di Jakarta"));
        assert!(follows("berita", "!!!"));
    }
}
