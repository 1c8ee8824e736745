//! Edits to a live story saving themselves: kept as the account's pending edit, which
//! readers never see and which makes no revision (so a colleague's save right after
//! is no conflict); brought back when the story is opened again, thrown away on
//! request, dropped by the next real save.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::{StatusCode, header};
use warta_core::newsroom::Role;

async fn autosave(b: &mut Browser<'_>, id: i64, form: &[(String, String)]) -> Reply {
    let mut req = b.form_request(&format!("/admin/articles/{id}/autosave"), form);
    req.headers_mut()
        .insert("x-csrf-token", b.csrf.parse().expect("header"));
    req.headers_mut()
        .insert(header::ACCEPT, "application/json".parse().expect("header"));
    req.headers_mut()
        .insert("x-autosave", "1".parse().expect("header"));
    let r = b.app.send(req).await;
    b.keep_cookies(&r);
    r
}

#[tokio::test]
async fn a_live_storys_autosave_is_kept_aside_not_published() {
    let app = App::new().await;
    let (mut ani, mut budi) = two_editors(&app).await;
    let id = ani
        .write("Jembatan Putus di Lebak", "Warga terisolasi.")
        .await;
    let r = ani.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let revisions = app.store.revisions(id).await.expect("revs").len();
    let url = "/nasional/2026/12/02/jembatan-putus-di-lebak";
    // Ani edits the live story; autosave keeps it aside.
    let form = ani
        .edit_form(
            id,
            "save",
            &[("headline", "Jembatan Putus, Warga Lebak Terisolasi")],
        )
        .await;
    let r = autosave(&mut ani, id, &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("\"pending\":true"), "{}", r.body);
    // Readers see the live version; no revision was written.
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.headline, "Jembatan Putus di Lebak");
    assert_eq!(
        app.store.revisions(id).await.expect("revs").len(),
        revisions
    );
    app.advance(chrono::Duration::minutes(2));
    let page = ani.get(url).await;
    assert!(!page.body.contains("Warga Lebak Terisolasi"));
    // Budi saves the story meanwhile: no conflict, the base did not move.
    let r = budi
        .act(id, "save", &[("lede", "Ratusan warga terisolasi.")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!r.location().contains("merged"), "{}", r.location());
    // Ani opens the story again: her edit is back, said so, with a way out.
    let page = ani.get(&format!("/admin/articles/{id}")).await;
    assert!(page.body.contains("data-test=\"pending\""), "{}", page.body);
    assert_eq!(
        field(&page.body, "headline"),
        "Jembatan Putus, Warga Lebak Terisolasi"
    );
    // Budi's editor is not touched by Ani's edit.
    let page = budi.get(&format!("/admin/articles/{id}")).await;
    assert!(!page.body.contains("data-test=\"pending\""));
    assert_eq!(field(&page.body, "headline"), "Jembatan Putus di Lebak");
    // Ani saves: her headline and Budi's lede (merged: her form was based on the
    // version before his), and the pending edit is gone.
    let r = ani.act(id, "save", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.headline, "Jembatan Putus, Warga Lebak Terisolasi");
    assert_eq!(a.lede, "Ratusan warga terisolasi.");
    let page = ani.get(&format!("/admin/articles/{id}")).await;
    assert!(!page.body.contains("data-test=\"pending\""));
}

#[tokio::test]
async fn a_pending_edit_can_be_thrown_away() {
    let app = App::new().await;
    app.add_user("a@warta.test", "Ani", Role::Editor).await;
    let mut ani = app.login("a@warta.test").await;
    let id = ani
        .write("Jembatan Putus di Lebak", "Warga terisolasi.")
        .await;
    let r = ani.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let form = ani.edit_form(id, "save", &[("lede", "Coba-coba.")]).await;
    let r = autosave(&mut ani, id, &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = ani.get(&format!("/admin/articles/{id}")).await;
    assert!(page.body.contains("Coba-coba."));
    let r = ani
        .submit(&format!("/admin/articles/{id}/pending/discard"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = ani.get(&format!("/admin/articles/{id}")).await;
    assert!(!page.body.contains("data-test=\"pending\""));
    assert!(!page.body.contains("Coba-coba."));
    assert_eq!(
        app.store.article(id).await.expect("a").lede,
        "Ringkasan.",
        "the live story never changed"
    );
}
