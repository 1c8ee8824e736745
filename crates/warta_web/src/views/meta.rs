//! The article page's head for machines: Open Graph, hreflang and JSON-LD.

use chrono::{DateTime, Utc};
use warta_core::Article;

use super::{Chrome, Link, OgArticle, Site, iso_with_offset, json_ld, media_url};

/// What search engines and social cards read from an article page: Open Graph's
/// `article:*` properties, its picture, and JSON-LD (`NewsArticle` and the
/// `BreadcrumbList` home → section → article).
pub(super) fn structured_data(
    site: &Site,
    a: &Article,
    published: DateTime<Utc>,
    translations: &[warta_store::Translation],
    c: &mut Chrome,
) {
    let base = site.settings.base_url.trim_end_matches('/');
    let url = c.canonical.clone();
    // hreflang: every visible language version, this one included, once another
    // exists.
    let others: Vec<&warta_store::Translation> =
        translations.iter().filter(|t| t.id != a.id).collect();
    if !others.is_empty() {
        c.alternates.push(Link {
            href: url.clone(),
            name: a.language.clone(),
        });
        for t in &others {
            c.alternates.push(Link {
                href: format!(
                    "{base}{}",
                    site.article_url(&t.section_slug, t.published_at, &t.slug)
                ),
                name: t.language.clone(),
            });
        }
    }
    let absolute = |file: &str| media_url(base, file);
    let mut images: Vec<String> = Vec::new();
    for m in a.hero.iter().chain(a.body_media.iter()) {
        let url = absolute(&m.file);
        if !m.file.is_empty() && !images.contains(&url) {
            images.push(url);
        }
    }
    let published_iso = iso_with_offset(published, site.tz);
    let modified = a.updated_at.filter(|u| *u > published).unwrap_or(published);
    let modified_iso = iso_with_offset(modified, site.tz);
    c.og_type = "article";
    // Shared links show the 1200×630 crop when the photo has one (uploads do), else
    // the photo itself.
    if let Some(m) = a.hero.as_ref().filter(|m| !m.file.is_empty()) {
        let (file, w, h) = match m.renditions.iter().find(|r| r.og) {
            Some(r) => (r.file.as_str(), warta_core::OG_WIDTH, warta_core::OG_HEIGHT),
            None => (m.file.as_str(), m.width, m.height),
        };
        c.og_image = Some(Link {
            href: absolute(file),
            name: m.alt.clone(),
        });
        (c.og_image_width, c.og_image_height) = (w, h);
    }
    c.og_article = Some(OgArticle {
        published: published_iso.clone(),
        modified: modified_iso.clone(),
        section: a.section.name.clone(),
        tags: a.tags.iter().map(|t| t.name.clone()).collect(),
    });
    let authors: Vec<serde_json::Value> = a
        .authors
        .iter()
        .map(|u| {
            serde_json::json!({
                "@type": "Person",
                "name": u.name,
                "url": format!("{base}/penulis/{}", u.slug),
            })
        })
        .collect();
    let article = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": a.seo.description_or(&a.lede),
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published_iso,
        "dateModified": modified_iso,
        "image": images,
        "author": authors,
        "publisher": {
            "@type": "Organization",
            "name": site.settings.name,
            "url": format!("{base}/"),
        },
        "articleSection": a.section.name,
        "keywords": a.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "inLanguage": a.language,
        "isAccessibleForFree": true,
    });
    let crumbs = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": site.settings.name, "item": format!("{base}/")},
            {"@type": "ListItem", "position": 2, "name": a.section.name, "item": format!("{base}/{}", a.section.slug)},
            {"@type": "ListItem", "position": 3, "name": a.headline, "item": url},
        ],
    });
    let mut article = article;
    if c.alternates.len() > 1 {
        article["workTranslation"] = c.alternates[1..]
            .iter()
            .map(|l| serde_json::json!({"@type": "NewsArticle", "url": l.href, "inLanguage": l.name}))
            .collect();
    }
    c.json_ld = json_ld(&serde_json::Value::Array(vec![article, crumbs]));
}
