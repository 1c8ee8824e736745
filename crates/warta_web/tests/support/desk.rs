//! What the newsroom's HTTP tests share: an app on a fresh SQLite file with a clock
//! the test moves, and a browser that keeps cookies and the CSRF token.
#![allow(dead_code)]
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, TimeZone, Utc};
use http_body_util::BodyExt;
use tower::ServiceExt;
use warta_core::SiteSettings;
use warta_core::newsroom::Role;
use warta_store::Store;
use warta_web::{AppState, WebConfig};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 3, 0, 0)
        .single()
        .expect("date")
}

pub struct App {
    pub router: axum::Router,
    /// The metrics address's router (`/metrics`).
    pub metrics: axum::Router,
    pub store: Store,
    pub clock: Arc<AtomicI64>,
    pub dir: tempfile::TempDir,
    /// The search index, for an app made `with_search`.
    pub search: Option<warta_search::SearchIndex>,
    /// The app's state, for work its background tasks do in a real server.
    pub state: AppState,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The article a save redirected to (`/admin/articles/{id}?saved=1`).
    pub fn saved_id(&self) -> i64 {
        self.location()
            .trim_start_matches("/admin/articles/")
            .trim_end_matches("?saved=1")
            .parse()
            .expect("article id")
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub const PASSWORD: &str = "kata-sandi-panjang";

impl App {
    pub async fn new() -> App {
        App::with_config(|_| {}).await
    }

    /// An app whose web settings `change` adjusts first.
    pub async fn with_config(change: impl FnOnce(&mut WebConfig)) -> App {
        App::make(change, false).await
    }

    /// An app with a search index (which follows what is saved).
    pub async fn with_search() -> App {
        App::make(|_| {}, true).await
    }

    async fn make(change: impl FnOnce(&mut WebConfig), search: bool) -> App {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_sqlite(&dir.path().join("w.db"))
            .await
            .expect("store");
        store
            .save_settings(&SiteSettings::default())
            .await
            .expect("settings");
        store
            .upsert_section("nasional", "Nasional", 0)
            .await
            .expect("section");
        store
            .upsert_section("dunia", "Dunia", 1)
            .await
            .expect("section");
        let clock = Arc::new(AtomicI64::new(t0().timestamp()));
        let c = clock.clone();
        let mut config = WebConfig::new(dir.path().join("media"));
        change(&mut config);
        let mut state = AppState::new(
            store.clone(),
            config,
            Arc::new(move || {
                DateTime::from_timestamp(c.load(Ordering::SeqCst), 0).unwrap_or_default()
            }),
        );
        let search = search.then(|| {
            warta_search::SearchIndex::open(
                &dir.path().join("search"),
                warta_search::StemmerKind::Dictionary,
            )
            .expect("search index")
        });
        if let Some(index) = &search {
            state = state.with_search(index.clone());
        }
        App {
            metrics: warta_web::metrics::router(state.clone()),
            router: warta_web::router(state.clone()),
            state,
            store,
            clock,
            dir,
            search,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.clock.load(Ordering::SeqCst), 0).unwrap_or_default()
    }

    pub fn advance(&self, d: Duration) {
        self.clock.fetch_add(d.num_seconds(), Ordering::SeqCst);
    }

    pub async fn add_user(&self, email: &str, name: &str, role: Role) {
        let hash = warta_web::admin::auth::hash_password(PASSWORD).expect("hash");
        self.store
            .add_user(email, name, role, &hash, None, self.now())
            .await
            .expect("user");
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let (status, headers, bytes) = fetch(&self.router, req).await;
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A browser with no cookies.
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: HashMap::new(),
            csrf: String::new(),
            peer: None,
            headers: Vec::new(),
        }
    }

    /// A browser logged in as `email`.
    pub async fn login(&self, email: &str) -> Browser<'_> {
        let mut b = self.browser();
        let page = b.get("/admin/login").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let token = field(&page.body, "token");
        let r = b
            .post(
                "/admin/login",
                &[("email", email), ("password", PASSWORD), ("token", &token)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login: {}", r.body);
        let desk = b.get("/admin").await;
        assert_eq!(desk.status, StatusCode::OK, "{}", desk.body);
        b.csrf = field(&desk.body, "csrf");
        b
    }

    pub async fn count_articles(&self) -> u64 {
        self.store
            .desk(&warta_store::DeskFilter::default(), 1, 100)
            .await
            .expect("desk")
            .total
    }
}

/// One request through the router: the answer's status, headers and body bytes.
pub async fn fetch(
    router: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, bytes.to_vec())
}

/// The value of the first `<input name="NAME" value="…">` on a page.
pub fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).unwrap_or_else(|| panic!("no field {name}")) + key.len();
    let end = html[start..].find('"').expect("end of value") + start;
    unescape(&html[start..end])
}

/// Whether the checkbox `NAME` is ticked on a page.
pub fn is_checked(html: &str, name: &str) -> bool {
    let key = format!("name=\"{name}\"");
    html.find(&key).is_some_and(|start| {
        let end = html[start..].find('>').map_or(html.len(), |e| e + start);
        html[start..end].contains(" checked")
    })
}

/// Text as askama escaped it, read back.
pub fn unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

pub struct Browser<'a> {
    pub app: &'a App,
    pub cookies: HashMap<String, String>,
    pub csrf: String,
    /// The socket address the request comes from (none: as `oneshot` sends it).
    pub peer: Option<SocketAddr>,
    /// Headers sent with every request (`X-Forwarded-For`…).
    pub headers: Vec<(String, String)>,
}

impl Browser<'_> {
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn keep_cookies(&mut self, r: &Reply) {
        for v in r.headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().expect("ascii");
            let (kv, attrs) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').expect("cookie");
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
    }

    /// A request as this browser sends it: its cookies, headers and socket address.
    pub fn request(
        &self,
        method: &str,
        uri: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Request<Body> {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, self.cookie_header());
        if !content_type.is_empty() {
            req = req.header(header::CONTENT_TYPE, content_type);
        }
        for (k, v) in &self.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let mut req = req.body(Body::from(body)).expect("request");
        if let Some(peer) = self.peer {
            req.extensions_mut().insert(ConnectInfo(peer));
        }
        req
    }

    /// A form post as this browser would send it, not yet sent.
    pub fn form_request(&self, uri: &str, fields: &[(String, String)]) -> Request<Body> {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.request(
            "POST",
            uri,
            "application/x-www-form-urlencoded",
            body.into_bytes(),
        )
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        let req = self.request("GET", uri, "", Vec::new());
        let r = self.app.send(req).await;
        self.keep_cookies(&r);
        r
    }

    /// A form post as a browser sends it (no CSRF field added).
    /// One login attempt through the form, with a fresh form token.
    pub async fn try_login(&mut self, email: &str, password: &str) -> Reply {
        let token = field(&self.get("/admin/login").await.body, "token");
        self.post(
            "/admin/login",
            &[("email", email), ("password", password), ("token", &token)],
        )
        .await
    }

    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let req = self.request(
            "POST",
            uri,
            "application/x-www-form-urlencoded",
            body.into_bytes(),
        );
        let r = self.app.send(req).await;
        self.keep_cookies(&r);
        r
    }

    /// A form post with this session's CSRF token.
    pub async fn submit(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("csrf", self.csrf.clone())];
        all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let refs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.post(uri, &refs).await
    }

    /// The editor form of an article (or the new-article form), as the page holds it.
    pub async fn form(&mut self, uri: &str) -> Vec<(String, String)> {
        let page = self.get(uri).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let mut out = Vec::new();
        for name in [
            "base",
            "form_key",
            "headline",
            "dateline_place",
            "hero",
            "publish_at",
        ] {
            out.push((name.to_owned(), field(&page.body, name)));
        }
        out
    }

    /// Creates an article through the new-article form; returns its id.
    pub async fn write(&mut self, headline: &str, body: &str) -> i64 {
        let form = self.form("/admin/articles/new").await;
        let key = &form[1].1;
        let r = self
            .submit(
                "/admin/articles/new",
                &[
                    ("form_key", key),
                    ("headline", headline),
                    ("lede", "Ringkasan."),
                    ("body", body),
                    ("section", "nasional"),
                    ("tags", "orang: Budi Santoso"),
                    ("dateline_place", "Jakarta"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.saved_id()
    }

    /// Saves an article with `action` from its current form, changing `changes`.
    pub async fn act(&mut self, id: i64, action: &str, changes: &[(&str, &str)]) -> Reply {
        let fields = self.edit_form(id, action, changes).await;
        let req = self.form_request(&format!("/admin/articles/{id}"), &fields);
        let r = self.app.send(req).await;
        self.keep_cookies(&r);
        r
    }

    /// Posts a save of an article with only these fields (and the CSRF token), as a
    /// page that was not offered would have to.
    pub async fn act_fields(&mut self, id: i64, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("action", "save")];
        all.extend_from_slice(fields);
        self.submit(&format!("/admin/articles/{id}"), &all).await
    }

    /// Posts fields as a form (`edit_form`'s, say) from this session.
    pub async fn post_fields(&mut self, uri: &str, fields: &[(String, String)]) -> Reply {
        let req = self.form_request(uri, fields);
        let r = self.app.send(req).await;
        self.keep_cookies(&r);
        r
    }

    /// The fields `act` would post (with the CSRF token), as the editor page holds them.
    pub async fn edit_form(
        &mut self,
        id: i64,
        action: &str,
        changes: &[(&str, &str)],
    ) -> Vec<(String, String)> {
        let page = self.get(&format!("/admin/articles/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let mut fields: Vec<(String, String)> = [
            "base",
            "seen",
            "headline",
            "dateline_place",
            "hero",
            "publish_at",
        ]
        .iter()
        .map(|n| ((*n).to_owned(), field(&page.body, n)))
        .collect();
        fields.push(("body".into(), textarea(&page.body, "body")));
        fields.push(("lede".into(), textarea(&page.body, "lede")));
        fields.push(("tags".into(), textarea(&page.body, "tags")));
        fields.push(("section".into(), "nasional".into()));
        // The address as a browser sends it: the slug, and the box when it is ticked.
        if page.body.contains("name=\"slug\" value=\"") {
            fields.push(("slug".into(), field(&page.body, "slug")));
        }
        if is_checked(&page.body, "slug_follows") {
            fields.push(("slug_follows".into(), "on".into()));
        }
        // Related pins and the rest, with the values the page was opened with.
        for name in ["pins", "excludes", "translation_of", "related_was"] {
            if page.body.contains(&format!("name=\"{name}\" value=\"")) {
                fields.push((name.into(), field(&page.body, name)));
            }
        }
        fields.push(("action".into(), action.into()));
        fields.push(("csrf".into(), self.csrf.clone()));
        for (k, v) in changes {
            fields.retain(|(n, _)| n != k);
            fields.push(((*k).to_owned(), (*v).to_owned()));
        }
        fields
    }
}

pub fn textarea(html: &str, id: &str) -> String {
    let key = format!("<textarea id=\"{id}\"");
    let start = html
        .find(&key)
        .unwrap_or_else(|| panic!("no textarea {id}"));
    let open_end = html[start..].find('>').expect(">") + start + 1;
    let end = html[open_end..].find("</textarea>").expect("close") + open_end;
    unescape(&html[open_end..end])
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 120])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----wartaBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Browser<'_> {
    pub async fn upload(&mut self, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Reply {
        self.multipart_post("/admin/photos", fields, file).await
    }

    /// A multipart form post (fields as given: no CSRF token added).
    pub async fn multipart_post(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Reply {
        let (ct, body) = multipart(fields, file);
        let req = self.request("POST", uri, &ct, body);
        self.app.send(req).await
    }
}

/// Two editors, Ani and Budi, logged in.
pub async fn two_editors(app: &App) -> (Browser<'_>, Browser<'_>) {
    app.add_user("a@warta.test", "Ani", Role::Editor).await;
    app.add_user("b@warta.test", "Budi", Role::Editor).await;
    (
        app.login("a@warta.test").await,
        app.login("b@warta.test").await,
    )
}
