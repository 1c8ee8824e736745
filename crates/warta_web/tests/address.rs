//! An article's address through the router: it follows the headline until the story
//! first goes live and can be set by hand before; afterwards an editor may change it,
//! the old address then answering 301 and the feeds, sitemaps and purges carrying the
//! new one.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use warta_core::newsroom::Role;

#[tokio::test]
async fn a_draft_follows_its_headline_until_set_by_hand() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    // The new-article form ticks "Ikuti judul".
    let page = ed.get("/admin/articles/new").await;
    assert!(is_checked(&page.body, "slug_follows"), "follows by default");
    let id = ed.write("Banjir Rob di Pesisir", "Air laut naik.").await;
    assert_eq!(
        app.store.article(id).await.expect("a").slug,
        "banjir-rob-di-pesisir"
    );
    // A new working headline: the draft's address follows.
    let r = ed
        .act(id, "save", &[("headline", "Banjir Rob Meluas ke Utara")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.slug, "banjir-rob-meluas-ke-utara");
    // Set by hand (the box unticked): kept through the next headline change.
    let r = ed
        .act(
            id,
            "save",
            &[("slug", "Rob Pesisir Utara!"), ("slug_follows", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store.article(id).await.expect("a").slug,
        "rob-pesisir-utara"
    );
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    assert!(!is_checked(&page.body, "slug_follows"), "set by hand");
    let r = ed
        .act(id, "save", &[("headline", "Rob Pesisir Utara Surut")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store.article(id).await.expect("a").slug,
        "rob-pesisir-utara"
    );
    // Another story's address is refused, in Indonesian, and nothing is saved.
    let other = ed
        .write("Gempa di Laut Banda", "Tidak berpotensi tsunami.")
        .await;
    let before = app.store.article(other).await.expect("b");
    let r = ed
        .act(
            other,
            "save",
            &[("slug", "rob-pesisir-utara"), ("lede", "Baru.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Alamat &#34;rob-pesisir-utara&#34; sudah dipakai artikel lain"),
        "{}",
        r.body
    );
    // What was typed is still in the form.
    assert!(r.body.contains("Baru."));
    let after = app.store.article(other).await.expect("b");
    assert_eq!(after.slug, before.slug);
    assert_eq!(after.lede, before.lede);
    // An address with no letters or digits says so.
    let r = ed
        .act(other, "save", &[("slug", "!!!"), ("slug_follows", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Alamat harus berisi huruf atau angka"));
    // Two drafts following equal headlines get apart addresses, and keep them.
    let r = ed
        .act(
            other,
            "save",
            &[("headline", "Rob Pesisir Utara"), ("slug_follows", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = app.store.article(other).await.expect("b");
    assert_eq!(b.slug, "rob-pesisir-utara-2");
    let r = ed.act(other, "save", &[("lede", "Lagi.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store.article(other).await.expect("b").slug,
        "rob-pesisir-utara-2"
    );
}

#[tokio::test]
async fn a_new_article_can_start_with_its_own_address() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let form = ed.form("/admin/articles/new").await;
    let r = ed
        .submit(
            "/admin/articles/new",
            &[
                ("form_key", &form[1].1),
                ("headline", "Harga Cabai Naik Lagi Menjelang Natal"),
                ("slug", "harga-cabai-natal"),
                ("lede", "Ringkasan."),
                ("body", "Isi."),
                ("section", "nasional"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.saved_id();
    assert_eq!(
        app.store.article(id).await.expect("a").slug,
        "harga-cabai-natal"
    );
}

#[tokio::test]
async fn an_editor_moves_a_live_story_and_the_old_address_redirects() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    app.add_user("kon@warta.test", "Kontri Butor", Role::Contributor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Banjir Rob di Pesisir", "Air laut naik.").await;
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let old = "/nasional/2026/12/02/banjir-rob-di-pesisir";
    assert_eq!(ed.get(old).await.status, StatusCode::OK);
    // Live: the box is gone, the help says what a change does, and a new headline
    // leaves the address alone.
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    assert!(!page.body.contains("name=\"slug_follows\""));
    assert!(page.body.contains("alamat lama dialihkan (301)"));
    let r = ed
        .act(id, "save", &[("headline", "Banjir Rob Meluas")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store.article(id).await.expect("a").slug,
        "banjir-rob-di-pesisir"
    );
    let seq = app.store.last_change().await.expect("seq");
    // The editor changes it.
    let r = ed.act(id, "save", &[("slug", "banjir-rob-meluas")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.slug, "banjir-rob-meluas");
    let new = "/nasional/2026/12/02/banjir-rob-meluas";
    assert_eq!(ed.get(new).await.status, StatusCode::OK);
    let r = ed.get(old).await;
    assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(r.location(), new);
    // The change log has it, so search, feeds, webhooks and other nodes hear of it.
    let changes = app.store.changes_after(seq, 10).await.expect("changes");
    assert!(changes.iter().any(|c| c.article_id == id), "{changes:?}");
    // The purge names both addresses.
    let purge = warta_web::purge::purge_for(&app.store, &[id], app.now())
        .await
        .expect("purge");
    assert!(purge.paths.iter().any(|p| p == old), "{:?}", purge.paths);
    assert!(purge.paths.iter().any(|p| p == new), "{:?}", purge.paths);
    // Feeds and sitemaps carry the new address only.
    app.advance(chrono::Duration::minutes(2));
    for list in ["/rss.xml", "/sitemap-news.xml"] {
        let r = ed.get(list).await;
        assert_eq!(r.status, StatusCode::OK, "{list}");
        assert!(r.body.contains("banjir-rob-meluas"), "{list}");
        assert!(!r.body.contains("banjir-rob-di-pesisir"), "{list}");
    }
    // The slug it left stays its own: a new story with the same headline gets
    // another, and no one may move a story onto it.
    let other = ed.write("Banjir Rob di Pesisir", "Lagi.").await;
    assert_eq!(
        app.store.article(other).await.expect("b").slug,
        "banjir-rob-di-pesisir-2"
    );
    let r = ed
        .act(
            other,
            "save",
            &[("slug", "banjir-rob-di-pesisir"), ("slug_follows", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("sudah dipakai artikel lain"));
    let r = ed.get(old).await;
    assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(r.location(), new);
    // Moved twice: both old addresses lead to the newest.
    let r = ed.act(id, "save", &[("slug", "rob-pesisir")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for gone in [old, new] {
        let r = ed.get(gone).await;
        assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY, "{gone}");
        assert_eq!(r.location(), "/nasional/2026/12/02/rob-pesisir");
    }
}

#[tokio::test]
async fn only_an_editor_changes_a_live_address() {
    let app = App::new().await;
    app.add_user("kon@warta.test", "Kontri Butor", Role::Contributor)
        .await;
    let mut kon = app.login("kon@warta.test").await;
    let id = kon.write("Banjir Rob di Pesisir", "Air laut naik.").await;
    // A contributor may set the address of a draft.
    let r = kon.act(id, "save", &[("slug", "rob-pesisir")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Live by an import (the newsroom would not let the contributor edit it then):
    // the store still refuses a new address unless the write says it may move.
    let a = app.store.article(id).await.expect("a");
    let mut input = a.to_input();
    input.status = warta_core::Status::Published;
    input.published_at = Some(app.now());
    input.slug = Some("rob-pesisir".into());
    let mut w = app.store.writer(app.now()).await.expect("writer");
    let mut item = warta_store::ArticleWrite::new(input.clone());
    item.id = Some(id);
    w.write(vec![item]).await.expect("published");
    w.commit().await.expect("commit");
    let mut w = app.store.writer(app.now()).await.expect("writer");
    input.slug = Some("lain".into());
    let mut item = warta_store::ArticleWrite::new(input);
    item.id = Some(id);
    let e = w
        .write(vec![item])
        .await
        .expect_err("a live story keeps its address");
    assert!(e.to_string().contains("keeps its address"), "{e}");
}

#[tokio::test]
async fn an_old_address_never_leads_to_another_story() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    // An imported story whose old address is a path this site would give another
    // story (same section and slug, another day), and which is then taken down.
    let a = ed.write("Pasar Apung", "Ramai.").await;
    let r = ed.act(a, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let story = app.store.article(a).await.expect("a");
    let mut w = app.store.writer(app.now()).await.expect("writer");
    let mut item = warta_store::ArticleWrite::new(story.to_input());
    item.id = Some(a);
    item.legacy_paths = vec!["/nasional/2026/11/30/pasar-terapung".into()];
    w.write(vec![item]).await.expect("legacy path");
    w.commit().await.expect("commit");
    let b = ed.write("Pasar Terapung", "Sepi.").await;
    let r = ed.act(b, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // While the imported story is live its old address leads to it.
    let r = ed.get("/nasional/2026/11/30/pasar-terapung").await;
    assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(r.location(), "/nasional/2026/12/02/pasar-apung");
    // Taken down: the old address leads nowhere, not to the story with that slug.
    let r = ed.act(a, "unpublish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.advance(chrono::Duration::minutes(2));
    let r = ed.get("/nasional/2026/11/30/pasar-terapung").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.location());
    // The other story's own address is untouched.
    assert_eq!(
        ed.get("/nasional/2026/12/02/pasar-terapung").await.status,
        StatusCode::OK
    );
}
