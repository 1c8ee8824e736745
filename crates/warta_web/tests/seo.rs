//! The title and description search engines and shared cards show, through the
//! router: set in the editor (with its preview drawn as the form stands), used by the
//! page's `<title>`, meta description, Open Graph and JSON-LD; empty, the headline and
//! the lede.

#[path = "support/desk.rs"]
mod desk;
use desk::*;

use axum::http::StatusCode;
use warta_core::newsroom::Role;

fn meta(html: &str, attr: &str, name: &str) -> String {
    let key = format!("<meta {attr}=\"{name}\" content=\"");
    let start = html.find(&key).unwrap_or_else(|| panic!("no {name}")) + key.len();
    let end = html[start..].find('"').expect("end") + start;
    html[start..end].to_owned()
}

fn title(html: &str) -> &str {
    let start = html.find("<title>").expect("title") + 7;
    let end = html[start..].find("</title>").expect("end") + start;
    &html[start..end]
}

#[tokio::test]
async fn seo_fields_lead_the_page_head_and_default_to_headline_and_lede() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed
        .write("Banjir Rob di Pesisir Utara", "Air laut naik.")
        .await;
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = "/nasional/2026/12/02/banjir-rob-di-pesisir-utara";
    // Empty: the headline and the lede.
    let page = ed.get(url).await;
    assert!(title(&page.body).starts_with("Banjir Rob di Pesisir Utara - "));
    assert_eq!(meta(&page.body, "name", "description"), "Ringkasan.");
    // Set in the editor.
    let r = ed
        .act(
            id,
            "save",
            &[
                ("seo_title", "Rob Jakarta Utara: 300 Rumah Terendam"),
                (
                    "seo_description",
                    "Banjir rob merendam 300 rumah di Muara Angke.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store.article(id).await.expect("a");
    assert_eq!(a.seo.title, "Rob Jakarta Utara: 300 Rumah Terendam");
    app.advance(chrono::Duration::minutes(2));
    let page = ed.get(url).await;
    assert!(
        title(&page.body).starts_with("Rob Jakarta Utara: 300 Rumah Terendam - "),
        "{}",
        title(&page.body)
    );
    assert!(meta(&page.body, "property", "og:title").starts_with("Rob Jakarta Utara: 300"));
    let desc = "Banjir rob merendam 300 rumah di Muara Angke.";
    assert_eq!(meta(&page.body, "name", "description"), desc);
    assert_eq!(meta(&page.body, "property", "og:description"), desc);
    assert!(page.body.contains(&format!("\"description\":\"{desc}\"")));
    // The page itself still shows the headline and lede.
    assert!(page.body.contains("<h1"));
    assert!(page.body.contains("Banjir Rob di Pesisir Utara</h1>"));
    // The editor draws both previews as the form stands.
    let form = ed.get(&format!("/admin/articles/{id}")).await;
    let serp = &form.body[form.body.find("data-test=\"serp-preview\"").expect("serp")..];
    assert!(serp.contains("Rob Jakarta Utara: 300 Rumah Terendam - "));
    assert!(serp.contains("Muara Angke"));
    let card = &form.body[form.body.find("data-test=\"card-preview\"").expect("card")..];
    assert!(card.contains("Rob Jakarta Utara: 300 Rumah Terendam"));
    // Over the search engines' length: the preview cuts at a word, with "…".
    let long =
        "Banjir rob kembali merendam ratusan rumah warga di kawasan pesisir utara Jakarta pagi ini";
    let r = ed.act(id, "save", &[("seo_title", long)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let form = ed.get(&format!("/admin/articles/{id}")).await;
    assert!(
        form.body
            .contains("Banjir rob kembali merendam ratusan rumah warga di kawasan…"),
        "cut title"
    );
    assert!(
        form.body
            .contains("89 dari sekitar 60 karakter yang tampil")
    );
    // Too long to keep: refused naming the field, and nothing is lost.
    let r = ed
        .act(
            id,
            "save",
            &[("seo_title", &"x".repeat(201)), ("lede", "Baru.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(
            "Judul untuk mesin pencari dan media sosial terlalu panjang (201 karakter, paling banyak 200)."
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains("Baru."));
    assert_eq!(
        app.store.article(id).await.expect("a").seo.title,
        long,
        "the refused save wrote nothing"
    );
}

/// A story first published elsewhere names that address as canonical (issue #33: what
/// Ghost's `canonical_url` carries); shares still point here, and a value that is no
/// web address is refused by name with nothing lost.
#[tokio::test]
async fn a_canonical_address_elsewhere_leads_the_page_head() {
    let app = App::new().await;
    app.add_user("ed@warta.test", "Edi Tor", Role::Editor).await;
    let mut ed = app.login("ed@warta.test").await;
    let id = ed.write("Harga Beras Naik Lagi", "Di pasar induk.").await;
    let r = ed.act(id, "publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = "/nasional/2026/12/02/harga-beras-naik-lagi";
    let own = format!("href=\"http://127.0.0.1:8080{url}\"");
    let page = ed.get(url).await;
    assert!(
        page.body
            .contains(&format!("<link rel=\"canonical\" {own}")),
        "its own address by default"
    );
    let elsewhere = "https://koran-asal.example/ekonomi/harga-beras";
    let r = ed
        .act(id, "save", &[("seo_canonical", &format!("  {elsewhere} "))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store.article(id).await.expect("a").seo.canonical,
        elsewhere
    );
    app.advance(chrono::Duration::minutes(2));
    let page = ed.get(url).await;
    assert!(
        page.body
            .contains(&format!("<link rel=\"canonical\" href=\"{elsewhere}\">")),
        "{}",
        &page.body[..page.body.len().min(1500)]
    );
    assert!(
        page.body.contains(&format!("class=\"share-copy\" {own}")),
        "the copy link stays here"
    );
    let form = ed.get(&format!("/admin/articles/{id}")).await;
    assert!(form.body.contains(&format!("value=\"{elsewhere}\"")));
    let r = ed
        .act(
            id,
            "save",
            &[("seo_canonical", "koran-asal/berita"), ("lede", "Baru.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Alamat kanonis"), "{}", r.body);
    assert!(r.body.contains("Baru."), "what was typed is shown again");
    assert_eq!(
        app.store.article(id).await.expect("a").seo.canonical,
        elsewhere,
        "the refused save wrote nothing"
    );
}
