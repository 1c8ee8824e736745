//! What an import saves after its transaction commits: the publication's pages, the
//! front page's arrangement, and the sticky posts placed on it. Each names in the report
//! what it could not place, and none undoes the articles already committed.

use crate::{ImportError, Location, RecordError, Report, jsonl};
use warta_store::Store;

/// Saves an imported page of the publication (the one with its slug is replaced).
/// Photos this site does not have are left out, with a note; a slug a section holds
/// is a failed record.
/// With `dry_run`, only checks what saving would refuse. A page given exactly as
/// stored is left alone (a re-import changes nothing).
pub(crate) async fn save_page(
    store: &Store,
    at: &Location,
    mut p: jsonl::PageRecord,
    report: &mut Report,
    dry_run: bool,
) -> Result<(), ImportError> {
    let mut gone = Vec::new();
    let mut body = Vec::with_capacity(p.body.len());
    for b in p.body.drain(..) {
        if let warta_core::Block::Photo { media_id, .. } = &b
            && store.media(*media_id).await?.is_none()
        {
            gone.push(media_id.to_string());
            continue;
        }
        body.push(b);
    }
    if !gone.is_empty() {
        report.notes.push(format!(
            "{at}: page `{}` shows photos {} that this site does not have; left out",
            p.slug,
            gone.join(", ")
        ));
    }
    let old = store.site_page_by_slug(&p.slug).await?;
    let input = warta_store::PageInput {
        slug: p.slug,
        title: p.title,
        body,
        position: p.position,
    };
    if let Some(old) = &old
        && old.title == input.title
        && old.body == input.body
        && old.position == input.position
    {
        return Ok(());
    }
    let id = old.map(|o| o.id);
    let saved = if dry_run {
        store.check_site_page(id, &input).await.map(|_| ())
    } else {
        store
            .save_site_page(id, &input, chrono::Utc::now())
            .await
            .map(|_| ())
    };
    match saved {
        Ok(()) => Ok(()),
        Err(warta_store::StoreError::Invalid(e)) => {
            report.failed.push(RecordError::new(
                at.clone(),
                format!("page `{}`: {e}", input.slug),
            ));
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// The story an imported slug names (noted in `missing` when none does).
async fn story(
    store: &Store,
    slug: &str,
    missing: &mut Vec<String>,
) -> Result<Option<i64>, ImportError> {
    let found = store.slug_holder(slug).await?;
    if found.is_none() {
        missing.push(slug.to_owned());
    }
    Ok(found)
}

/// Saves an imported front page, its slugs resolved; a name that finds nothing is left
/// out of its row and said in the report's notes.
pub(crate) async fn save_front(
    store: &Store,
    at: &Location,
    f: &jsonl::FrontRecord,
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut front = warta_store::FrontPage::default();
    let mut missing = Vec::new();
    if let Some(slug) = &f.main {
        front.main = story(store, slug, &mut missing).await?;
    }
    for slug in &f.secondary {
        front
            .secondary
            .extend(story(store, slug, &mut missing).await?);
    }
    for slug in &f.picks {
        front.picks.extend(story(store, slug, &mut missing).await?);
    }
    for slug in &f.sections {
        match store.section_by_slug(slug).await? {
            Some(s) => front.sections.push(s.id),
            None => missing.push(slug.clone()),
        }
    }
    if !missing.is_empty() {
        report.notes.push(format!(
            "{at}: the front page names {} that this site does not have; left out",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    store.save_front_page(&front).await?;
    Ok(())
}

/// Sticky posts join the front page's secondary headlines, newest first, in the free
/// slots after the editors' own choices (which stay); what does not fit is said.
pub(crate) async fn place_sticky(store: &Store, report: &mut Report) -> Result<(), ImportError> {
    if report.sticky.is_empty() {
        return Ok(());
    }
    let mut stuck = std::mem::take(&mut report.sticky);
    stuck.sort_by(|a, b| b.cmp(a));
    let mut front = store.front_page().await?;
    let (mut placed, mut left) = (0, 0);
    for (_, id) in stuck {
        if front.main == Some(id) || front.secondary.contains(&id) {
            continue;
        }
        if front.secondary.len() < warta_store::MAX_SECONDARY {
            front.secondary.push(id);
            placed += 1;
        } else {
            left += 1;
        }
    }
    if placed > 0 {
        store.save_front_page(&front).await?;
        report.notes.push(format!(
            "{placed} sticky post(s) placed among the front page's secondary headlines"
        ));
    }
    if left > 0 {
        report.notes.push(format!(
            "{left} sticky post(s) not placed: the front page's {} secondary headlines are full",
            warta_store::MAX_SECONDARY
        ));
    }
    Ok(())
}
