//! What the store's test suites share: a fresh store on each backend, and the macro
//! that runs a test once on each.
#![allow(dead_code)]

use warta_store::Store;

pub struct Fresh {
    pub store: Store,
    /// The same database's address, for a second "node" on it.
    pub url: String,
    pub _dir: Option<tempfile::TempDir>,
}

pub async fn fresh_sqlite() -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("warta.db");
    let store = Store::open_sqlite(&path).await.expect("open store");
    Fresh {
        store,
        url: format!("sqlite://{}", path.display()),
        _dir: Some(dir),
    }
}

pub async fn fresh_postgres() -> Option<Fresh> {
    let Some(base) = warta_store::testing::postgres_url() else {
        assert!(
            std::env::var("WARTA_REQUIRE_POSTGRES").is_err(),
            "WARTA_REQUIRE_POSTGRES is set but WARTA_TEST_POSTGRES_URL is not"
        );
        eprintln!("WARTA_TEST_POSTGRES_URL is not set: PostgreSQL half skipped");
        return None;
    };
    let (url, store) = warta_store::testing::fresh_postgres(&base)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL for tests: {e}"));
    Some(Fresh {
        store,
        url,
        _dir: None,
    })
}

/// One test per backend for each named behaviour: `name::sqlite`, `name::postgres`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(super::fresh_sqlite().await).await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(f) = super::fresh_postgres().await {
                        assert_eq!(f.store.backend(), warta_store::Backend::Postgres);
                        super::$name(f).await;
                    }
                }
            }
        )*
    };
}
