//! Saves that meet a newer version. A save based on a version someone else has since
//! replaced is merged field by field against the version it was based on: a field
//! only one side changed takes that side's value by itself; a field both changed to
//! different values is shown side by side (changed words marked) with a choice per
//! field. Nothing is reverted that the person did not choose to revert. Also the
//! word-level comparison the revisions page uses.

use askama::Template;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use warta_core::locale::AdminStrings;
use warta_core::newsroom::body_to_text;
use warta_core::{Article, ArticleInput, Block};

use super::auth::StaffExt;
use super::{AdminChrome, page};
use crate::views::Site;
use crate::{AppError, AppState};

use super::form::*;
use super::shared::*;

/// One version of an article as text, for side-by-side views and diffs; its
/// corrections (which the editor's text leaves out) at the end, with their times.
pub(crate) fn version_text(t: &AdminStrings, site: &Site, i: &ArticleInput) -> String {
    let mut out = format!(
        "{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n\n{}",
        t.headline,
        i.headline,
        t.lede,
        i.lede,
        t.section,
        i.section,
        t.status,
        super::status_name(t, i.status),
        t.tags,
        i.tags
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        body_to_text(&i.body)
    );
    for b in &i.body {
        if let Block::Correction { text, at } = b {
            let when = site.locale.date_line(*at, site.tz, &site.settings.sunday);
            out.push_str(&format!("\n\n{} ({when}): {text}", t.correction));
        }
    }
    out
}

/// A run of a diff line: `marked` when it is what changed within the line.
pub(crate) struct DiffPart {
    pub marked: bool,
    pub text: String,
}

pub(crate) struct DiffLine {
    pub kind: &'static str,
    pub parts: Vec<DiffPart>,
}

/// Lines that differ, with the changed words marked inside lines that were edited
/// rather than added or removed whole (a paragraph is one line: one changed word
/// marks one word, not the paragraph).
pub(crate) fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(old, new);
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let whole = |kind: &'static str, text: &str| DiffLine {
        kind,
        parts: vec![DiffPart {
            marked: kind != "same",
            text: text.to_owned(),
        }],
    };
    let mut out = Vec::new();
    for op in diff.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        let olds = &old_lines[o.start.min(old_lines.len())..o.end.min(old_lines.len())];
        let news = &new_lines[n.start.min(new_lines.len())..n.end.min(new_lines.len())];
        match tag {
            similar::DiffTag::Equal => out.extend(olds.iter().map(|l| whole("same", l))),
            similar::DiffTag::Delete => out.extend(olds.iter().map(|l| whole("del", l))),
            similar::DiffTag::Insert => out.extend(news.iter().map(|l| whole("ins", l))),
            similar::DiffTag::Replace => {
                // Lines at the same place in both, alike enough, are one line edited:
                // their words are compared. The rest were removed or added whole.
                let mut dels = Vec::new();
                let mut inss = Vec::new();
                for i in 0..olds.len().max(news.len()) {
                    match (olds.get(i), news.get(i)) {
                        (Some(a), Some(b)) => {
                            let words = similar::TextDiff::from_words(*a, *b);
                            if words.ratio() >= 0.5 {
                                let (d, n) = word_lines(&words);
                                dels.push(d);
                                inss.push(n);
                            } else {
                                dels.push(whole("del", a));
                                inss.push(whole("ins", b));
                            }
                        }
                        (Some(a), None) => dels.push(whole("del", a)),
                        (None, Some(b)) => inss.push(whole("ins", b)),
                        (None, None) => {}
                    }
                }
                out.extend(dels);
                out.extend(inss);
            }
        }
    }
    out
}

/// One edited line as its old and new version, the words that differ marked.
fn word_lines<'a>(words: &similar::TextDiff<'a, 'a, 'a, str>) -> (DiffLine, DiffLine) {
    let mut old = DiffLine {
        kind: "del",
        parts: Vec::new(),
    };
    let mut new = DiffLine {
        kind: "ins",
        parts: Vec::new(),
    };
    let push = |line: &mut DiffLine, marked: bool, text: &str| match line.parts.last_mut() {
        Some(p) if p.marked == marked => p.text.push_str(text),
        _ => line.parts.push(DiffPart {
            marked,
            text: text.to_owned(),
        }),
    };
    for c in words.iter_all_changes() {
        // Marked: what was removed or added (with the spaces it removed or added).
        match c.tag() {
            similar::ChangeTag::Equal => {
                push(&mut old, false, c.value());
                push(&mut new, false, c.value());
            }
            similar::ChangeTag::Delete => push(&mut old, true, c.value()),
            similar::ChangeTag::Insert => push(&mut new, true, c.value()),
        }
    }
    (old, new)
}

/// The fields a merge looks at, as the form holds them: name, and its label.
const FIELDS: [&str; 14] = [
    "headline",
    "publish_at",
    "language",
    "slug",
    "lede",
    "body",
    "section",
    "tags",
    "dateline_place",
    "hero",
    "sensitive",
    "seo_title",
    "seo_description",
    "seo_canonical",
];

fn label(t: &AdminStrings, field: &str) -> &'static str {
    match field {
        "headline" => t.headline,
        "slug" => t.ed_slug,
        "lede" => t.lede,
        "body" => t.body,
        "section" => t.section,
        "tags" => t.tags,
        "dateline_place" => t.dateline,
        "hero" => t.hero,
        "sensitive" => t.sensitive,
        "seo_title" => t.ed_seo_title,
        "seo_canonical" => t.ed_seo_canonical,
        "publish_at" => t.publish_at,
        "language" => t.language,
        _ => t.ed_seo_description,
    }
}

/// A version's value of `field`, in the form's words (the body as the editor's text,
/// corrections aside; tags as `kind: name` lines). `None`: the version does not say
/// (a first revision, kept before its slug was chosen).
fn value(t: &AdminStrings, tz: chrono_tz::Tz, i: &ArticleInput, field: &str) -> Option<String> {
    Some(match field {
        "publish_at" => i
            .published_at
            .map(|p| local_input(p, tz))
            .unwrap_or_default(),
        "language" => i.language.clone(),
        "headline" => i.headline.clone(),
        "slug" => i.slug.clone()?,
        "lede" => i.lede.clone(),
        "body" => body_to_text(&i.body),
        "section" => i.section.clone(),
        "tags" => tags_text(t, &i.tags),
        "dateline_place" => i.dateline_place.clone(),
        "hero" => i.hero_media_id.map(|h| h.to_string()).unwrap_or_default(),
        "sensitive" => if i.sensitive { "on" } else { "" }.to_owned(),
        "seo_title" => i.seo.title.clone(),
        "seo_canonical" => i.seo.canonical.clone(),
        _ => i.seo.description.clone(),
    })
}

fn set(f: &mut ArticleForm, field: &str, v: String) {
    match field {
        "headline" => f.headline = v,
        "slug" => f.slug = v,
        "lede" => f.lede = v,
        "body" => {
            f.body = v;
            f.body_doc.clear();
        }
        "section" => f.section = v,
        "tags" => f.tags = v,
        "dateline_place" => f.dateline_place = v,
        "hero" => f.hero = v,
        "sensitive" => f.sensitive = (!v.is_empty()).then_some(v),
        "seo_title" => f.seo_title = v,
        "seo_canonical" => f.seo_canonical = v,
        "publish_at" => f.publish_at = v,
        "language" => f.language = v,
        _ => f.seo_description = v,
    }
}

/// A field both sides changed, each their own way.
pub(crate) struct FieldConflict {
    pub name: &'static str,
    pub label: &'static str,
    pub theirs: String,
    pub mine: String,
    /// Theirs against mine, word by word.
    pub diff: Vec<DiffLine>,
    /// Long texts (the body, the lede) are shown as text blocks, not one line.
    pub long: bool,
}

/// Three-way merge of a form (`mine`, read as `mine_input`) with the newest version
/// (`theirs`), both descended from `base`: the merged form (a field both changed keeps
/// mine, until the person chooses) and the fields both changed.
pub(crate) fn merge(
    t: &AdminStrings,
    tz: chrono_tz::Tz,
    base: &ArticleInput,
    theirs: &ArticleInput,
    mine_form: &ArticleForm,
    mine_input: &ArticleInput,
) -> (ArticleForm, Vec<FieldConflict>) {
    let mut merged = mine_form.clone();
    let mut conflicts = Vec::new();
    for field in FIELDS {
        // The form's slug is what it asks for (the input keeps the article's until
        // the save chooses the address).
        // The time too is the form's (the input keeps the story's until the save
        // reads it), in the same words as the versions'.
        let mine_value = match field {
            "slug" => {
                Some(warta_core::slug::slugify(mine_form.slug.trim())).filter(|s| !s.is_empty())
            }
            "publish_at" => Some(match parse_local(&mine_form.publish_at, tz) {
                Ok(Some(at)) => local_input(at, tz),
                Ok(None) => String::new(),
                Err(_) => mine_form.publish_at.trim().to_owned(),
            }),
            _ => value(t, tz, mine_input, field),
        };
        let (Some(b), Some(th), Some(mi)) = (
            value(t, tz, base, field),
            value(t, tz, theirs, field),
            mine_value,
        ) else {
            continue;
        };
        if mi == b || mi == th {
            // Mine did not change it (or changed it the same way): theirs stands. A
            // slug they chose stays theirs, not the headline's.
            if field == "slug" && th != b {
                merged.slug_follows = None;
            }
            set(&mut merged, field, th);
        } else if th == b {
            // Only mine changed it.
            set(&mut merged, field, mi);
        } else {
            set(&mut merged, field, mi.clone());
            conflicts.push(FieldConflict {
                name: field,
                label: label(t, field),
                diff: diff_lines(&th, &mi),
                long: matches!(field, "body" | "lede" | "tags" | "seo_description"),
                theirs: th,
                mine: mi,
            });
        }
    }
    (merged, conflicts)
}

#[derive(Template)]
#[template(path = "admin/conflict.html")]
pub(crate) struct ConflictPage {
    a: AdminChrome,
    id: i64,
    theirs_by: String,
    /// Fields both changed: a choice each. Empty with `diff`: no base to merge from.
    conflicts: Vec<FieldConflict>,
    /// The whole of both versions, when there is no base version to merge against.
    diff: Vec<DiffLine>,
    f: ArticleForm,
}

impl ConflictPage {
    /// Whether the form carries `field` as a choice rather than as a hidden value.
    fn chosen(&self, field: &str) -> bool {
        self.conflicts.iter().any(|c| c.name == field)
    }
}

/// The conflict page: the merged form with a choice for each field both changed (or,
/// with no version to merge against, both versions whole).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn conflict_page(
    app: &AppState,
    staff: &StaffExt,
    article: &Article,
    newest: Option<warta_store::Revision>,
    mut f: ArticleForm,
    latest: i64,
    conflicts: Vec<FieldConflict>,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        return Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({ "error": staff.t.conflict_title, "base": latest })),
        )
            .into_response());
    }
    let t = staff.t;
    // What autosave kept aside of this account's edit is in the page now; "drop mine"
    // must open the saved version, not bring the edit back.
    app.store
        .drop_pending_edit(article.id, staff.user.id)
        .await?;
    let site = Site::load(app).await?;
    let theirs = newest
        .as_ref()
        .map(|r| r.content.clone())
        .unwrap_or_else(|| article.to_input());
    let theirs_by = newest
        .as_ref()
        .map(|r| r.info.user_name.clone().unwrap_or_default())
        .unwrap_or_default();
    let diff = if conflicts.is_empty() {
        let mine = f.to_input(Some(article)).unwrap_or_else(|_| {
            let mut i = article.to_input();
            i.headline = f.headline.clone();
            i
        });
        diff_lines(
            &version_text(t, &site, &theirs),
            &version_text(t, &site, &mine),
        )
    } else {
        Vec::new()
    };
    // The choice sends the form again, based on the newest version.
    f.base = latest;
    f.seen = if latest == 0 {
        version_mark(article)
    } else {
        String::new()
    };
    let view = ConflictPage {
        a: AdminChrome::load(app, Some(staff), "articles").await?,
        id: article.id,
        theirs_by,
        conflicts,
        diff,
        f,
    };
    let mut res = page(view.render()?);
    *res.status_mut() = StatusCode::CONFLICT;
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(headline: &str, lede: &str) -> ArticleInput {
        let mut i = ArticleInput::empty();
        i.headline = headline.into();
        i.lede = lede.into();
        i.section = "nasional".into();
        i
    }

    #[test]
    fn fields_one_side_changed_merge_and_both_changed_conflict() {
        let t = warta_core::Locale::Id.admin();
        let base = input("Banjir", "Air naik.");
        // They changed the lede; I changed the headline.
        let theirs = input("Banjir", "Air naik setinggi satu meter.");
        let mine = input("Banjir Rob", "Air naik.");
        let form = ArticleForm {
            headline: "Banjir Rob".into(),
            lede: "Air naik.".into(),
            ..ArticleForm::default()
        };
        let merge_with = |theirs: &ArticleInput| {
            merge(t, chrono_tz::Tz::Asia__Jakarta, &base, theirs, &form, &mine)
        };
        let (merged, conflicts) = merge_with(&theirs);
        assert!(conflicts.is_empty());
        assert_eq!(merged.headline, "Banjir Rob");
        assert_eq!(merged.lede, "Air naik setinggi satu meter.");
        // Both changed the headline, differently: a conflict, mine kept meanwhile.
        let theirs = input("Banjir Besar", "Air naik.");
        let (merged, conflicts) = merge_with(&theirs);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].name, "headline");
        assert_eq!(conflicts[0].theirs, "Banjir Besar");
        assert_eq!(merged.headline, "Banjir Rob");
        // Both changed it the same way: no conflict.
        let theirs = input("Banjir Rob", "Air naik.");
        assert!(
            merge(
                t,
                chrono_tz::Tz::Asia__Jakarta,
                &base,
                &theirs,
                &form,
                &mine
            )
            .1
            .is_empty()
        );
    }

    #[test]
    fn a_changed_word_is_marked_not_its_paragraph() {
        let d = diff_lines(
            "Judul: Banjir\n\nAir laut naik sejak pagi di Muara Baru.",
            "Judul: Banjir\n\nAir laut naik sejak subuh di Muara Baru.",
        );
        let del = d.iter().find(|l| l.kind == "del").expect("del");
        let marked: Vec<&str> = del
            .parts
            .iter()
            .filter(|p| p.marked)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["pagi"]);
        let ins = d.iter().find(|l| l.kind == "ins").expect("ins");
        assert!(ins.parts.iter().any(|p| p.marked && p.text == "subuh"));
        // A line added whole is marked whole.
        let d = diff_lines("a\n", "a\nb\n");
        assert!(d.iter().any(|l| l.kind == "ins" && l.parts[0].marked));
    }
}
