//! What the handlers that write articles share (the editor, previews, corrections and
//! revisions, the conflict page): who may edit an article, whether the caller is the
//! editor's script, and keeping an imported article's first state as a revision.

use axum::http::HeaderMap;
use warta_core::Article;
use warta_core::newsroom::Action;

use super::auth::StaffExt;
use crate::{AppError, AppState};

/// The article, if this account may edit it, and whether the account wrote it.
pub(crate) async fn editable(
    app: &AppState,
    staff: &StaffExt,
    id: i64,
) -> Result<(Article, bool), AppError> {
    let article = app.store.article(id).await?;
    let own = app.store.article_owner(id).await? == Some(staff.user.id);
    staff.may(Action::EditArticle {
        own,
        status: article.status,
    })?;
    Ok((article, own))
}

/// Whether the caller asked for JSON (autosave) rather than a page.
pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers.get("x-autosave").is_some()
}

/// An article from an import or the demo has no revision yet (`latest` is 0): its
/// state as it was becomes revision 1, before the newsroom's first write over it.
pub(crate) async fn keep_first_state(
    w: &mut warta_store::Writer,
    article: &Article,
    latest: i64,
) -> Result<(), AppError> {
    if latest == 0 {
        w.add_revision(
            article.id,
            None,
            "before the first edit",
            &article.to_input(),
        )
        .await?;
    }
    Ok(())
}

/// A store's refusal in the newsroom's language. Every kind of store error is named
/// here, so a new one does not compile until it has its words; those the person can
/// do nothing about say so, and nothing was written.
pub(crate) fn store_text(
    t: &warta_core::locale::AdminStrings,
    e: &warta_store::StoreError,
) -> String {
    use warta_store::StoreError;
    let what = |w: &str| warta_core::problem::field_label(t, w);
    match e {
        StoreError::Invalid(v) => v.text(t),
        StoreError::SlugTaken(s) => t.ed_slug_taken.replace("{slug}", s),
        StoreError::NotFound { what: w, key } => {
            t.why_not_found.replace("{0}", &what(w)).replace("{1}", key)
        }
        StoreError::Taken { what: w, key } => {
            t.why_taken.replace("{0}", &what(w)).replace("{1}", key)
        }
        StoreError::NotSqlite { .. }
        | StoreError::Open { .. }
        | StoreError::Connect { .. }
        | StoreError::BadUrl(_)
        | StoreError::Migrate(_)
        | StoreError::Db(_)
        | StoreError::Read(_)
        | StoreError::Corrupt(_)
        | StoreError::Unsupported(_) => t.why_store_failed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warta_store::StoreError;

    #[test]
    fn store_refusals_have_their_own_indonesian_words() {
        let (id, en) = (
            warta_core::Locale::Id.admin(),
            warta_core::Locale::En.admin(),
        );
        for e in [
            StoreError::Invalid(warta_core::ValidationError::Required { field: "headline" }),
            StoreError::SlugTaken("banjir".into()),
            StoreError::NotFound {
                what: "media",
                key: "999".into(),
            },
            StoreError::Taken {
                what: "account",
                key: "a@warta.test".into(),
            },
            StoreError::Corrupt("x".into()),
            StoreError::Unsupported("x"),
        ] {
            let (a, b) = (store_text(id, &e), store_text(en, &e));
            assert_ne!(a, b, "{e:?}");
            assert!(!a.contains('{') && !a.contains('`'), "{a}");
        }
        assert_eq!(
            store_text(
                id,
                &StoreError::NotFound {
                    what: "media",
                    key: "999".into()
                }
            ),
            "Foto \"999\" tidak ditemukan."
        );
        // Every name the store gives a missing or taken thing has its label.
        for what in ["account", "article", "media", "section", "author", "tag"] {
            let e = StoreError::Taken {
                what,
                key: "x".into(),
            };
            assert_ne!(store_text(id, &e), store_text(en, &e), "{what}");
            assert!(!store_text(id, &e).starts_with(what), "{what}");
        }
    }
}
