//! The body editor's side of the server, through the router: the editor page's data,
//! saving the editor's document, lists and embeds on the reader's page, photos
//! uploaded from the body (alt text required before publishing), the photo library
//! and the story search for internal links, in JSON.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use serde_json::{Value, json};
use warta_core::newsroom::Role;
use warta_core::{Block, Status};

/// The JSON the editor page embeds for its script.
fn editor_data(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/json\" id=\"editor-data\">")
        .expect("editor data")
        + "<script type=\"application/json\" id=\"editor-data\">".len();
    let end = html[start..].find("</script>").expect("end") + start;
    serde_json::from_str(&html[start..end]).expect("json")
}

fn text(t: &str) -> Value {
    json!({ "type": "text", "text": t })
}

fn para(content: Vec<Value>) -> Value {
    json!({ "type": "paragraph", "content": content })
}

#[tokio::test]
async fn the_editor_page_carries_the_document_its_photos_and_texts() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let up = ed
        .upload(
            &[
                ("csrf", &ed.csrf.clone()),
                ("alt", "Pompa air"),
                ("caption", "Pompa"),
            ],
            Some(("p.png", &png(64, 48))),
        )
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let photo = app
        .store
        .media_library("", 1, 10)
        .await
        .expect("library")
        .items[0]
        .id;
    let id = ed
        .write(
            "Banjir",
            &format!("Satu <b>dua</b>.\n\n- a\n- b\n\n[foto {photo} | Keterangan sendiri]"),
        )
        .await;
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    // The script and its stylesheet are files (the newsroom's policy allows no inline
    // code), with hashed addresses.
    assert!(page.body.contains("<script src=\"/static/editor-"));
    assert!(
        page.body
            .contains("<link rel=\"stylesheet\" href=\"/static/editor-")
    );
    let data = editor_data(&page.body);
    assert_eq!(
        data["doc"]["content"][0],
        para(vec![
            text("Satu "),
            json!({"type": "text", "marks": [{"type": "bold"}], "text": "dua"}),
            text(".")
        ])
    );
    assert_eq!(data["doc"]["content"][1]["type"], "bullet_list");
    assert_eq!(
        data["doc"]["content"][2],
        json!({"type": "photo", "attrs": {"media_id": photo, "caption": "Keterangan sendiri", "credit": ""}})
    );
    let m = &data["media"][photo.to_string()];
    assert_eq!(m["alt"], "Pompa air");
    assert!(
        m["thumb"]
            .as_str()
            .is_some_and(|t| t.starts_with("/media/"))
    );
    assert_eq!(data["t"]["bold"], "Tebal");
    // The served files are the committed build.
    let js = page.body.split("<script src=\"").nth(1).expect("src");
    let js = &js[..js.find('"').expect("quote")];
    let r = ed.get(js).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("prosemirror") || r.body.len() > 100_000);
    // A body the text form cannot read keeps the plain textarea (no editor data).
    let r = ed.act(id, "save", &[("body", "[foto abc]")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.body.contains("id=\"editor-data\""));
}

#[tokio::test]
async fn the_editors_document_is_saved_as_blocks() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Banjir", "Lama.").await;
    let doc = json!({"type": "doc", "content": [
        para(vec![
            text("Kata "),
            json!({"type": "text", "marks": [{"type": "link", "attrs": {"href": "https://contoh.id/a"}}, {"type": "italic"}], "text": "tautan"}),
        ]),
        {"type": "heading", "content": [text("Sub")]},
        {"type": "quote", "content": [
            {"type": "quote_text", "content": [text("Baris satu"), {"type": "hard_break"}, text("baris dua")]},
            {"type": "quote_cite", "content": [text("Tokoh")]}
        ]},
        {"type": "ordered_list", "content": [
            {"type": "list_item", "content": [para(vec![text("pertama")])]},
            {"type": "list_item", "content": [para(vec![json!({"type": "text", "marks": [{"type": "bold"}], "text": "kedua"})])]}
        ]},
        {"type": "embed", "attrs": {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "Video"}},
        {"type": "paragraph"}
    ]});
    let r = ed
        .act(
            id,
            "save",
            &[("body", "diabaikan"), ("body_doc", &doc.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    assert_eq!(a.body.len(), 5, "{:?}", a.body);
    assert!(matches!(&a.body[0], Block::Paragraph { html }
        if html.as_str() == r#"Kata <a href="https://contoh.id/a" rel="noopener"><i>tautan</i></a>"#));
    // A quote's lines are one line once stored (as every text field's).
    assert!(
        matches!(&a.body[2], Block::Quote { text, cite } if text == "Baris satu baris dua" && cite == "Tokoh")
    );
    assert!(
        matches!(&a.body[3], Block::List { ordered: true, items } if items[1].as_str() == "<b>kedua</b>")
    );
    // The no-script form shows the same body as text, the editor the same document.
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    assert_eq!(
        textarea(&page.body, "body"),
        "Kata <a href=\"https://contoh.id/a\" rel=\"noopener\"><i>tautan</i></a>\n\n## Sub\n\n> Baris satu baris dua\n> — Tokoh\n\n1. pertama\n2. <b>kedua</b>\n\n[embed https://youtu.be/dQw4w9WgXcQ | Video]"
    );
    let mut want = doc.clone();
    if let Some(c) = want["content"].as_array_mut() {
        c.pop(); // the empty paragraph is no block
    }
    want["content"][2]["content"][0]["content"] = json!([text("Baris satu baris dua")]);
    assert_eq!(editor_data(&page.body)["doc"], want);

    // A document that cannot be read is refused with its reason, and nothing changes.
    let before = app.store.article(id).await.expect("article");
    for (bad, why) in [
        ("{not json", "Isi: Isi dari editor tidak dapat dibaca"),
        (
            r#"{"type":"doc","content":[{"type":"table"}]}"#,
            "Isi: blok ke-1: jenis blok &#34;table&#34; tidak dikenal.",
        ),
        (
            r#"{"type":"doc","content":[{"type":"paragraph"},{"type":"embed","attrs":{"url":"javascript:alert(1)"}}]}"#,
            "Isi: blok ke-2: sematan butuh alamat http(s), bukan &#34;javascript:alert(1)&#34;.",
        ),
    ] {
        let r = ed.act(id, "save", &[("body_doc", bad)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(r.body.contains(why), "{bad}: {}", r.body);
        assert_eq!(app.store.article(id).await.expect("article"), before);
    }
    // A refused document comes back in the editor as it was sent: nothing typed is lost.
    let sent = json!({"type": "doc", "content": [
        para(vec![text("Paragraf baru yang belum tersimpan.")]),
        {"type": "embed", "attrs": {"url": "https://contoh.id/a b", "title": ""}}
    ]});
    let r = ed.act(id, "save", &[("body_doc", &sent.to_string())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(editor_data(&r.body)["doc"], sent);
}

#[tokio::test]
async fn lists_and_embeds_on_the_readers_page() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed
        .write(
            "Syarat Mudik Gratis",
            "Berikut syaratnya:\n\n1. KTP <b>asli</b>\n2. Kartu keluarga\n\n- Bawa masker\n- Datang pagi\n\n[embed https://www.youtube.com/watch?v=dQw4w9WgXcQ | Video panduan]\n\n[embed https://contoh.id/dokumen | Dokumen]",
        )
        .await;
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("article");
    assert_eq!(a.status, Status::Published);
    let live = ed.get(&format!("/admin/articles/{id}")).await;
    let url = live
        .body
        .split("data-test=\"live\"")
        .next()
        .and_then(|s| s.rsplit("href=\"").next())
        .map(|s| s.trim_end_matches("\" ").trim_end_matches('"').to_owned())
        .expect("live link");
    let page = app.browser().get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{url}");
    let b = &page.body;
    assert!(
        b.contains("<ol><li>KTP <b>asli</b></li><li>Kartu keluarga</li></ol>"),
        "{b}"
    );
    assert!(b.contains("<ul><li>Bawa masker</li><li>Datang pagi</li></ul>"));
    // The video is a link card with a button; nothing of the third party is loaded.
    assert!(b.contains("data-embed-src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\""));
    assert!(b.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""));
    assert!(b.contains("data-test=\"embed-load\" hidden"));
    assert!(!b.contains("<iframe"), "no frame before the click");
    assert!(b.contains("dimuat dari YouTube setelah Anda menekan tombol"));
    // An address Warta has no player for stays a plain link card.
    assert!(
        b.contains("<p class=\"embed\" data-test=\"embed\"><a href=\"https://contoh.id/dokumen\"")
    );
    // Feeds with full text carry the lists as lists.
    let settings = warta_core::SiteSettings {
        feed_full_text: true,
        ..warta_core::SiteSettings::default()
    };
    app.store.save_settings(&settings).await.expect("settings");
    let feed = app.browser().get("/rss.xml").await;
    assert!(feed.body.contains("&lt;ol&gt;&lt;li&gt;KTP") || feed.body.contains("<ol><li>KTP"));
}

#[tokio::test]
async fn photos_from_the_body_need_alt_text_before_publishing() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    app.add_user("kon@warta.test", "Kon Tri", Role::Contributor)
        .await;
    let mut ed = app.login("ed@warta.test").await;
    // The editor uploads without alt text, asking for JSON.
    ed.headers
        .push(("accept".into(), "application/json".into()));
    let csrf = ed.csrf.clone();
    let r = ed
        .upload(&[("csrf", &csrf)], Some(("foto.png", &png(80, 60))))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let up: Value = serde_json::from_str(&r.body).expect("json");
    let photo = up["id"].as_i64().expect("id");
    assert_eq!(up["alt"], "");
    assert!(
        up["thumb"]
            .as_str()
            .is_some_and(|t| t.starts_with("/media/"))
    );
    // A file that is no picture: the reason, in JSON.
    let r = ed
        .upload(&[("csrf", &csrf)], Some(("x.png", b"bukan gambar")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_str(&r.body).expect("json");
    assert!(
        err["error"]
            .as_str()
            .is_some_and(|e| e.contains("bukan gambar JPEG, PNG, atau WebP")),
        "{err}"
    );
    ed.headers.clear();

    let id = ed
        .write(
            "Banjir",
            &format!("Satu.\n\n[foto {photo} | Banjir di Pluit]"),
        )
        .await;
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Foto ke-1 di isi artikel belum punya teks alternatif"),
        "{}",
        r.body
    );
    assert_eq!(
        app.store.article(id).await.expect("a").status,
        Status::Draft
    );
    // The hero too.
    let r = ed
        .act(
            id,
            "publish",
            &[("body", "Satu."), ("hero", &photo.to_string())],
        )
        .await;
    assert!(r.body.contains("Foto utama belum punya teks alternatif"));
    // The alt text, given beside the photo (JSON), lets it go.
    ed.headers
        .push(("accept".into(), "application/json".into()));
    let r = ed
        .submit(
            &format!("/admin/photos/{photo}"),
            &[
                ("alt", "Warga menyeberangi banjir"),
                ("caption", "Banjir"),
                ("credit", "WARTA"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m: Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(m["alt"], "Warga menyeberangi banjir");
    // The alt text alone leaves the caption and credit as they are (a colleague may
    // have changed them since this page was opened).
    let r = ed
        .submit(
            &format!("/admin/photos/{photo}"),
            &[("alt", "Warga di banjir")],
        )
        .await;
    let m: Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(
        (&m["alt"], &m["caption"], &m["credit"]),
        (&json!("Warga di banjir"), &json!("Banjir"), &json!("WARTA"))
    );
    let r = ed
        .submit(&format!("/admin/photos/{photo}"), &[("alt", " ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"error\""));
    ed.headers.clear();
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Once the photo is live, a contributor may not change its texts: said in JSON.
    let mut kon = app.login("kon@warta.test").await;
    kon.headers
        .push(("accept".into(), "application/json".into()));
    let r = kon
        .submit(&format!("/admin/photos/{photo}"), &[("alt", "Lain")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("hanya editor"), "{}", r.body);
}

#[tokio::test]
async fn the_library_and_the_stories_in_json() {
    let app = App::with_search().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let csrf = ed.csrf.clone();
    for (alt, caption) in [
        ("Pompa air", "Pompa di Pluit"),
        ("Tanggul", "Tanggul jebol"),
    ] {
        let r = ed
            .upload(
                &[("csrf", &csrf), ("alt", alt), ("caption", caption)],
                Some(("p.png", &png(40, 30))),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let r = ed.get("/admin/photos.json?q=tanggul").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: Value = serde_json::from_str(&r.body).expect("json");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(items[0]["caption"], "Tanggul jebol");
    assert_eq!(v["page"], 1);
    let all: Value = serde_json::from_str(&ed.get("/admin/photos.json").await.body).expect("json");
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));

    let id = ed
        .write("Pompa Baru untuk Pluit", "Pemerintah memasang pompa baru.")
        .await;
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draft = ed.write("Pompa Rahasia", "Belum terbit.").await;
    assert!(draft > id);
    let index = app.search.as_ref().expect("index");
    index.catch_up(&app.store).await.expect("index");
    let r = ed.get("/admin/articles.json?q=pompa").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let hits: Vec<Value> = serde_json::from_str(&r.body).expect("json");
    assert_eq!(hits.len(), 1, "published stories only: {hits:?}");
    assert_eq!(hits[0]["headline"], "Pompa Baru untuk Pluit");
    assert!(
        hits[0]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("/nasional/") && u.ends_with("/pompa-baru-untuk-pluit"))
    );
    assert!(hits[0]["when"].as_str().is_some_and(|w| w.contains("2026")));
    // Without a session, the script is told to log in again, in JSON.
    let mut anon = app.browser();
    anon.headers
        .push(("accept".into(), "application/json".into()));
    let r = anon.get("/admin/articles.json?q=pompa").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn words_headline_length_and_the_planned_time_are_shown() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let body = format!("{}\n\n- satu dua\n- tiga", "kata ".repeat(250));
    let id = ed.write("Judul Pendek", &body).await;
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    assert!(
        page.body.contains(">253 kata · sekitar 2 menit baca</p>"),
        "{}",
        page.body
    );
    assert!(page.body.contains(">12 karakter</p>"));
    assert!(!page.body.contains("data-test=\"planned\""));
    // A long headline is flagged; a scheduled story says when it goes live.
    let long = "Gubernur Jakarta Meninjau Pompa Air di Pluit dan Muara Baru Setelah Banjir Rob";
    let at = (app.now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m-%dT09:00")
        .to_string();
    let r = ed
        .act(id, "schedule", &[("headline", long), ("publish_at", &at)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = ed.get(&format!("/admin/articles/{id}")).await;
    assert!(page.body.contains(&format!(
        ">{} karakter: lebih dari 70, judul akan terpotong di hasil pencarian</p>",
        long.chars().count()
    )));
    assert!(
        page.body
            .contains(">Terbit otomatis Kamis, 3 Desember 2026 09:00 WIB</p>"),
        "{}",
        page.body
    );
    let desk = ed.get("/admin").await;
    assert!(
        desk.body
            .contains("data-test=\"desk-planned\" data-label=\"Jadwal terbit\"")
    );
    assert!(
        desk.body.contains(">Kamis, 3 Desember 2026 09:00 WIB</td>"),
        "{}",
        desk.body
    );
}

#[tokio::test]
async fn each_action_is_confirmed_in_its_own_words() {
    let app = App::new().await;
    app.add_user("kon@warta.test", "Kon Tri", Role::Contributor)
        .await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut kon = app.login("kon@warta.test").await;
    let id = kon.write("Pasar Terapung", "Isi.").await;
    for (who, action, location, said) in [
        ("kon", "submit", "submitted", "Dikirim untuk ditinjau."),
        ("ed", "publish", "published", "Diterbitkan."),
        ("ed", "unpublish", "unpublished", "Ditarik dari situs."),
        ("ed", "save", "1", "Tersimpan."),
    ] {
        let mut ed = app.login("ed@warta.test").await;
        let b = if who == "kon" { &mut kon } else { &mut ed };
        let r = b.act(id, action, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
        assert_eq!(
            r.location(),
            format!("/admin/articles/{id}?saved={location}")
        );
        let page = b.get(r.location()).await;
        assert!(
            page.body.contains(&format!("data-test=\"saved\">{said}")),
            "{action}: {}",
            page.body
        );
    }
}
