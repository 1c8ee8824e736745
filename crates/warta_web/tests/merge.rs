//! Two people saving one story: fields only one changed merge by themselves, a field
//! both changed is a choice on the conflict page, and nothing is reverted that no one
//! chose to revert; revisions compare word by word, corrections included.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use warta_core::newsroom::Role;

#[tokio::test]
async fn changes_to_different_fields_merge_by_themselves() {
    let app = App::new().await;
    let (mut ani, mut budi) = two_editors(&app).await;
    let id = ani
        .write("Harga Beras Naik", "Harga beras naik di pasar induk.")
        .await;
    let url = format!("/admin/articles/{id}");
    // Both open the same version; Ani changes the lede and the tags, Budi the headline.
    let ani_form = ani
        .edit_form(
            id,
            "save",
            &[("lede", "Naik Rp1.000 sepekan."), ("tags", "topik: beras")],
        )
        .await;
    let budi_form = budi
        .edit_form(id, "save", &[("headline", "Harga Beras Naik Lagi")])
        .await;
    let r = ani.post_fields(&url, &ani_form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = budi.post_fields(&url, &budi_form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("merged=1"), "{}", r.location());
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.headline, "Harga Beras Naik Lagi", "Budi's change");
    assert_eq!(a.lede, "Naik Rp1.000 sepekan.", "Ani's change kept");
    assert_eq!(a.tags.len(), 1, "Ani's tags kept");
    assert_eq!(a.tags[0].name, "beras");
    // The editor says so.
    let page = budi.get(r.location()).await;
    assert!(page.body.contains("ikut digabungkan"), "{}", page.body);
    assert_eq!(app.store.revisions(id).await.expect("revs").len(), 3);
}

#[tokio::test]
async fn a_field_both_changed_is_a_choice_and_the_rest_merges() {
    let app = App::new().await;
    let (mut ani, mut budi) = two_editors(&app).await;
    let id = ani
        .write(
            "Harga Beras Naik",
            "Harga beras naik di pasar induk sejak pagi.",
        )
        .await;
    let url = format!("/admin/articles/{id}");
    let ani_form = ani
        .edit_form(
            id,
            "save",
            &[
                ("body", "Harga beras naik di pasar induk sejak subuh."),
                ("dateline_place", "Bandung"),
            ],
        )
        .await;
    let budi_form = budi
        .edit_form(
            id,
            "save",
            &[
                ("body", "Harga beras naik di pasar induk sejak Senin."),
                ("headline", "Harga Beras Naik Lagi"),
            ],
        )
        .await;
    let r = ani.post_fields(&url, &ani_form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = budi.post_fields(&url, &budi_form).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Only the body is a choice; the words that differ are marked.
    assert!(r.body.contains("data-test=\"conflict-merged\""));
    assert!(r.body.contains("data-test=\"choice-body\""));
    assert!(!r.body.contains("data-test=\"choice-headline\""));
    assert!(!r.body.contains("data-test=\"choice-dateline_place\""));
    assert!(r.body.contains("<mark>subuh.</mark>"), "{}", r.body);
    assert!(r.body.contains("<mark>Senin.</mark>"));
    // Nothing was written yet.
    assert_eq!(
        app.store.article(id).await.expect("a").headline,
        "Harga Beras Naik"
    );
    // Budi takes Ani's body: the page's form, with the "theirs" choice.
    let fields = conflict_form(&r.body, &[("body", "theirs")]);
    let r = budi.post_fields(&url, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.headline, "Harga Beras Naik Lagi", "Budi's headline");
    assert_eq!(
        a.dateline_place, "Bandung",
        "Ani's dateline, never chosen against"
    );
    let body = warta_core::newsroom::body_to_text(&a.body);
    assert_eq!(body, "Harga beras naik di pasar induk sejak subuh.");
}

/// The conflict page's form as a browser would send it: hidden fields, and for each
/// choice the radio button picked (`mine` or `theirs`), else the one checked.
fn conflict_form(html: &str, picks: &[(&str, &str)]) -> Vec<(String, String)> {
    let form = &html[html
        .find("<form method=\"post\" action=\"/admin/articles/")
        .expect("form")..];
    let form = &form[..form.find("</form>").expect("end")];
    let mut out = Vec::new();
    for tag in form.split('<').filter(|t| t.starts_with("input ")) {
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).map(|i| {
                let rest = &tag[i + key.len()..];
                unescape(&rest[..rest.find('"').expect("end")])
            })
        };
        let (Some(name), Some(value)) = (attr("name"), attr("value")) else {
            continue;
        };
        if tag.contains("type=\"radio\"") {
            let side = if tag.contains("take-theirs") {
                "theirs"
            } else {
                "mine"
            };
            let picked = picks
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(tag.contains(" checked"), |(_, s)| *s == side);
            if !picked {
                continue;
            }
        }
        out.push((name, value));
    }
    out
}

#[tokio::test]
async fn revisions_compare_word_by_word_with_corrections() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed
        .write(
            "Gempa di Laut Banda",
            "Gempa terasa hingga Ambon pada pagi hari.",
        )
        .await;
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = ed
        .act(
            id,
            "save",
            &[("body", "Gempa terasa hingga Ambon pada malam hari.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = ed
        .submit(
            &format!("/admin/articles/{id}/correction"),
            &[("text", "Gempa terjadi malam, bukan pagi.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let revs = app.store.revisions(id).await.expect("revs");
    let newest = revs[0].number;
    // The edit: one word marked on each side, not the paragraph.
    let page = ed
        .get(&format!(
            "/admin/articles/{id}/revisions?a={}&b={}",
            newest - 2,
            newest - 1
        ))
        .await;
    assert!(page.body.contains("<mark>pagi</mark>"), "{}", page.body);
    assert!(page.body.contains("<mark>malam</mark>"));
    assert!(!page.body.contains("<mark>Gempa terasa"));
    // The correction is part of what is compared.
    let page = ed
        .get(&format!(
            "/admin/articles/{id}/revisions?a={}&b={newest}",
            newest - 1
        ))
        .await;
    assert!(
        page.body.contains("Gempa terjadi malam, bukan pagi."),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_stale_form_puts_back_neither_the_old_time_nor_the_old_pins() {
    let app = App::new().await;
    let (mut ani, mut budi) = two_editors(&app).await;
    let other = ani
        .write("Gempa di Laut Banda", "Tidak berpotensi tsunami.")
        .await;
    let id = ani
        .write("Sidang Kabinet Besok", "Presiden memimpin.")
        .await;
    let r = ani
        .act(id, "schedule", &[("publish_at", "2026-12-03T10:00")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = format!("/admin/articles/{id}");
    // Ani opens it; Budi moves it to noon and pins a related story.
    let ani_form = ani
        .edit_form(
            id,
            "save",
            &[("lede", "Presiden memimpin sidang paripurna.")],
        )
        .await;
    let other_pin = other.to_string();
    let r = budi
        .act(
            id,
            "save",
            &[("publish_at", "2026-12-03T12:00"), ("pins", &other_pin)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Ani's save (her form still says 10:00 and no pins) merges: her lede, his time
    // and his pin.
    let r = ani.post_fields(&url, &ani_form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.lede, "Presiden memimpin sidang paripurna.");
    assert_eq!(
        a.published_at.map(|p| p.to_rfc3339()).as_deref(),
        Some("2026-12-03T05:00:00+00:00"),
        "Budi's noon (WIB) stays"
    );
    assert_eq!(
        app.store.related_edits(id).await.expect("edits").pins,
        vec![other],
        "Budi's pin stays"
    );
}
