//! Every route, declared once (issue #23): the router is built from this table, and
//! the tests read it through [`list`], so that the authorisation test has a row for
//! every newsroom and API route and the reserved-names test sees every top-level
//! name. axum cannot list a router's routes; this table is how Warta can.

use axum::Router;
use axum::routing::{MethodRouter, get, post};

use crate::{AppState, admin, assets, content_api, feeds, health, indeks, popular, public, search};

/// Who may reach a route, before its handler asks anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Anyone: reader pages, feeds, search, assets.
    Public,
    /// The Content API: a valid key within its rate (`content_api::require_key`).
    ApiKey,
    /// The newsroom's login and first-run pages and its script.
    Login,
    /// The newsroom behind a session and (for every state-changing request) its CSRF
    /// token (`admin::auth::require_staff`); the handler then asks `Staff::may`.
    Staff,
}

/// One route as the tests see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

struct Route {
    path: &'static str,
    access: Access,
    methods: &'static [&'static str],
    handler: MethodRouter<AppState>,
}

fn r(
    path: &'static str,
    access: Access,
    methods: &'static [&'static str],
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        path,
        access,
        methods,
        handler,
    }
}

/// The table. `methods` names what `handler` answers (HEAD goes with GET).
fn table() -> Vec<Route> {
    use Access::{ApiKey, Login, Public, Staff};
    use admin::{
        auth, editor, editor_api, front, identity, links, pages, photos, preview, site, status,
        users, versions,
    };
    const GET: &[&str] = &["GET"];
    const POST: &[&str] = &["POST"];
    const BOTH: &[&str] = &["GET", "POST"];
    vec![
        // The newsroom.
        r("/admin", Staff, GET, get(admin::desk::show_desk)),
        r("/admin/logout", Staff, POST, post(auth::logout)),
        r(
            "/admin/articles/new",
            Staff,
            BOTH,
            get(editor::new_article).post(editor::create_article),
        ),
        r(
            "/admin/articles/{id}",
            Staff,
            BOTH,
            get(editor::edit_article).post(editor::save_article),
        ),
        r(
            "/admin/articles/{id}/autosave",
            Staff,
            POST,
            post(editor::autosave),
        ),
        r(
            "/admin/articles/{id}/pending/discard",
            Staff,
            POST,
            post(admin::pending::discard),
        ),
        r(
            "/admin/articles/{id}/preview",
            Staff,
            BOTH,
            get(preview::preview).post(preview::preview_changes),
        ),
        r(
            "/admin/articles/{id}/correction",
            Staff,
            POST,
            post(versions::add_correction),
        ),
        r(
            "/admin/articles/{id}/revisions",
            Staff,
            GET,
            get(versions::list_revisions),
        ),
        r(
            "/admin/articles/{id}/revisions/{number}/restore",
            Staff,
            POST,
            post(versions::restore_revision),
        ),
        r("/admin/tags", Staff, GET, get(editor::complete_tags)),
        r("/admin/pages", Staff, GET, get(pages::list_pages)),
        r(
            "/admin/pages/new",
            Staff,
            BOTH,
            get(pages::new_page).post(pages::create_page),
        ),
        r(
            "/admin/pages/{id}",
            Staff,
            BOTH,
            get(pages::edit_page).post(pages::save_page),
        ),
        r(
            "/admin/articles.json",
            Staff,
            GET,
            get(editor_api::articles_json),
        ),
        r(
            "/admin/photos.json",
            Staff,
            GET,
            get(editor_api::photos_json),
        ),
        r(
            "/admin/photos",
            Staff,
            BOTH,
            get(photos::list_photos).post(photos::upload_photo),
        ),
        r("/admin/photos/{id}", Staff, POST, post(photos::save_photo)),
        r(
            "/admin/users",
            Staff,
            BOTH,
            get(users::list_users).post(users::add_user),
        ),
        r("/admin/users/{id}", Staff, POST, post(users::change_user)),
        r(
            "/admin/users/{id}/invite",
            Staff,
            POST,
            post(users::invite_again),
        ),
        r("/admin/status", Staff, GET, get(status::show_status)),
        r(
            "/admin/front",
            Staff,
            BOTH,
            get(front::show_front).post(front::save_front),
        ),
        r(
            "/admin/site",
            Staff,
            BOTH,
            get(site::show_site).post(site::save_site),
        ),
        r("/admin/sections", Staff, POST, post(site::save_section)),
        r(
            "/admin/site/identity",
            Staff,
            POST,
            post(identity::save_identity),
        ),
        r(
            "/admin/login",
            Login,
            BOTH,
            get(auth::show_login).post(auth::login),
        ),
        r(
            "/admin/reset",
            Login,
            BOTH,
            get(links::show_forgot).post(links::forgot),
        ),
        r(
            "/admin/reset/{token}",
            Login,
            BOTH,
            get(links::show_link).post(links::use_link),
        ),
        r(
            "/admin/invite/{token}",
            Login,
            BOTH,
            get(links::show_link).post(links::use_link),
        ),
        r(
            "/admin/setup",
            Login,
            BOTH,
            get(auth::show_setup).post(auth::setup),
        ),
        r(
            "/admin/static/newsroom.js",
            Login,
            GET,
            get(admin::serve_script),
        ),
        // The Content API.
        r(
            "/api/v1/articles",
            ApiKey,
            GET,
            get(content_api::list_articles),
        ),
        r(
            "/api/v1/articles/{id}",
            ApiKey,
            GET,
            get(content_api::get_article),
        ),
        r(
            "/api/v1/sections",
            ApiKey,
            GET,
            get(content_api::list_sections),
        ),
        r(
            "/api/v1/authors",
            ApiKey,
            GET,
            get(content_api::list_authors),
        ),
        r(
            "/api/v1/tags/{slug}",
            ApiKey,
            GET,
            get(content_api::get_tag),
        ),
        r(
            "/api/v1/openapi.json",
            Public,
            GET,
            get(content_api::openapi),
        ),
        r("/api/v1/search", Public, GET, get(search::api_search)),
        // The reader site.
        r("/", Public, GET, get(public::show_home)),
        r("/healthz", Public, GET, get(health::healthz)),
        r("/readyz", Public, GET, get(health::readyz)),
        r("/static/{file}", Public, GET, get(assets::serve_asset)),
        r("/cari", Public, GET, get(search::show_search)),
        r("/rss.xml", Public, GET, get(feeds::home_feed)),
        r("/atom.xml", Public, GET, get(feeds::home_feed)),
        r("/robots.txt", Public, GET, get(feeds::robots)),
        r("/favicon.ico", Public, GET, get(assets::favicon)),
        r("/indeks", Public, GET, get(indeks::index_today)),
        r("/indeks/{day}", Public, GET, get(indeks::index_day)),
        r("/sitemap.xml", Public, GET, get(feeds::sitemap_index)),
        r("/sitemap-news.xml", Public, GET, get(feeds::sitemap_news)),
        r("/sitemaps/{file}", Public, GET, get(feeds::sitemap_month)),
        r("/topik/{tag}", Public, GET, get(public::list_tag)),
        r("/topik/{tag}/{file}", Public, GET, get(feeds::tag_feed)),
        r("/penulis/{author}", Public, GET, get(public::list_author)),
        // A reader's beacon for "Terpopuler" (under `api`, a reserved name).
        r("/api/baca/{id}", Public, POST, post(popular::beacon)),
        r("/{section}", Public, GET, get(public::list_section)),
        r("/{section}/{file}", Public, GET, get(feeds::section_feed)),
        r(
            "/{section}/{year}/{month}/{day}/{slug}",
            Public,
            GET,
            get(public::show_article),
        ),
    ]
}

/// Every route of the table, one row per method.
pub fn list() -> Vec<RouteInfo> {
    table()
        .iter()
        .flat_map(|r| {
            r.methods.iter().map(|m| RouteInfo {
                method: m,
                path: r.path,
                access: r.access,
            })
        })
        .collect()
}

/// The routes of one kind of access, as a router without its guard.
pub(crate) fn router(access: Access) -> Router<AppState> {
    let routes: Vec<_> = table().into_iter().filter(|r| r.access == access).collect();
    let empty = routes.is_empty();
    let router = routes
        .into_iter()
        .fold(Router::new(), |router, r| router.route(r.path, r.handler));
    // The access log names the route template (axum refuses a route layer on no route).
    if empty {
        router
    } else {
        router.route_layer(axum::middleware::from_fn(crate::access::mark_route))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every top-level name the router answers is reserved: a section cannot take it.
    #[test]
    fn every_top_level_route_is_a_reserved_name() {
        let mut names: Vec<&str> = list()
            .iter()
            .filter_map(|r| r.path.trim_start_matches('/').split('/').next())
            .filter(|first| !first.is_empty() && !first.starts_with('{'))
            .collect();
        // Served outside the table (a file tree or a bucket).
        names.push("media");
        for name in names {
            assert!(
                warta_core::slug::is_reserved(name),
                "`/{name}` is not in warta_core::slug::RESERVED"
            );
        }
    }

    #[test]
    fn the_table_lists_each_route_once() {
        let all = list();
        for (i, a) in all.iter().enumerate() {
            assert!(
                !all[i + 1..]
                    .iter()
                    .any(|b| (a.method, a.path) == (b.method, b.path)),
                "{} {} twice",
                a.method,
                a.path
            );
        }
    }
}
