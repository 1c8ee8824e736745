//! The `warta` command: clap subcommands and configuration loading, nothing else.

/// `println!` for what a command reports, without its panic when standard output has
/// gone (`warta import … | head -1`): the report is lost, the work goes on to its end.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod commands;
mod config;
mod users;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use warta_store::Store;

use crate::config::{Config, ConfigArgs};

/// Prints a secret shown only once (a new API key, a made-up password). Unlike
/// [`say!`], a failed write is an error: the command must not end quietly with the
/// secret unseen.
fn show_secret(line: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .context("the secret could not be written to standard output; make a new one")
}

/// mimalloc instead of the system allocator: bulk work (imports, indexing) allocates on
/// one thread and frees on another, and glibc's arena locks made threads wait on each
/// other (most of an import's context switches, measured with `perf`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "warta",
    version,
    about = "Warta: the newsroom and the reader site of a news portal, in one binary"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the reader site.
    Serve {
        #[command(flatten)]
        config: ConfigArgs,
        /// Fill an empty site with demo content first.
        #[arg(long)]
        demo: bool,
    },
    /// Create the database or bring its schema up to date, then exit.
    Migrate {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Import articles: Warta JSONL, a WordPress export (WXR), a Ghost export, saved HTML
    /// pages or crawled text.
    Import {
        #[command(flatten)]
        config: ConfigArgs,
        /// jsonl, wxr (WordPress export), ghost (Ghost's JSON export), html (saved pages)
        /// or text (crawled pages).
        #[arg(long, value_parser = ["jsonl", "wxr", "ghost", "html", "text"])]
        format: String,
        /// Files to import.
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
        /// Import the good records and report the bad ones instead of stopping at the first.
        #[arg(long)]
        keep_going: bool,
        /// Read and check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Section (slug) for articles whose source names none.
        #[arg(long, default_value = "berita")]
        section: String,
        /// Where rejected records go with --keep-going.
        #[arg(long, default_value = "warta-import-rejects.jsonl")]
        rejects: std::path::PathBuf,
        /// Memory for SQLite's page cache during the import, in MiB (used as needed).
        /// Default: 128 on a SQLite file nothing else has open, whose pages beyond it
        /// go to the disk while the import runs; 1024 otherwise (a server has the
        /// database open, or PostgreSQL), where spilling pages mid-import is slower.
        #[arg(long)]
        cache_mib: Option<u32>,
        /// Replace articles edited in the newsroom since they were imported (without
        /// it, they are kept as the newsroom left them and reported).
        #[arg(long)]
        overwrite_edited: bool,
        /// A copy of the old site's upload folder (WordPress' `wp-content/uploads`,
        /// Ghost's `content/images`): the photos the export refers to are brought in
        /// through the photo pipeline and stored like uploads.
        #[arg(long, value_name = "DIR")]
        media_from: Option<std::path::PathBuf>,
    },
    /// Export the whole site as Warta JSONL.
    Export {
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(long, value_parser = ["jsonl"], default_value = "jsonl")]
        format: String,
        /// Output file (standard output if absent).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Also copy the media files into this folder.
        #[arg(long)]
        media: Option<std::path::PathBuf>,
    },
    /// Copy a SQLite site's database while it serves and writes (consistent: every
    /// write committed before the copy began, none half), and with --media its media
    /// files into FILE.media/. PostgreSQL sites use pg_dump (README).
    Backup {
        #[command(flatten)]
        config: ConfigArgs,
        /// The backup file; it must not exist yet.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Also copy the media files.
        #[arg(long)]
        media: bool,
    },
    /// Rebuild the search index from the database, beside the live one (a running
    /// server switches to it when it is done), optionally with another stemmer.
    Reindex {
        #[command(flatten)]
        config: ConfigArgs,
        /// none, snowball or dictionary (default: the index's current one).
        #[arg(long, value_parser = ["none", "snowball", "dictionary"])]
        stemmer: Option<String>,
    },
    /// Content API keys for partners: `add NAME` prints a new key (once), `revoke NAME`
    /// revokes a partner's keys, `list` shows them all.
    ApiKey {
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(value_parser = ["add", "revoke", "list"])]
        action: String,
        /// The partner's name (for add and revoke).
        name: Option<String>,
    },
    /// Newsroom accounts: `add EMAIL [--name N] [--role R]`, `reset-password EMAIL`,
    /// `disable EMAIL`, `enable EMAIL`, `list`. A new password is read from standard
    /// input with --password-stdin, else made and printed once.
    User {
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(value_parser = ["add", "reset-password", "disable", "enable", "list"])]
        action: String,
        /// The account's e-mail address (its login name).
        email: Option<String>,
        /// The name shown on the byline (add; default: the address's local part).
        #[arg(long)]
        name: Option<String>,
        /// contributor, editor or admin (add).
        #[arg(long, default_value = "contributor")]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Show the latest webhook deliveries: event, article, address, attempts, outcome.
    Deliveries {
        #[command(flatten)]
        config: ConfigArgs,
        /// How many (newest first).
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Copy a whole site into another database (SQLite to PostgreSQL, or back), ids
    /// and all; run it again to resume a copy that stopped.
    CopyStore {
        /// The site's database now: sqlite://FILE or postgres://…
        #[arg(long, value_name = "URL")]
        from: String,
        /// Where it moves: postgres://… or sqlite://FILE (created if missing).
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Write a synthetic corpus (Warta JSONL) for benchmarks.
    Generate {
        #[arg(long)]
        articles: usize,
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Logs to standard error: `WARTA_LOG` filters (default `warn,warta=info`; the access
/// log is the `access` target), `WARTA_LOG_FORMAT` is `text` (the default) or `json`
/// (one object a line). Colour codes only when standard error is a terminal.
fn start_logging() -> Result<(), String> {
    use std::io::IsTerminal;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("WARTA_LOG")
        .unwrap_or_else(|_| "warn,warta=info".into());
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(KeepWarnings);
    match std::env::var("WARTA_LOG_FORMAT").as_deref() {
        Err(_) | Ok("text") => registry.with(logs).init(),
        Ok("json") => registry
            .with(logs.json().flatten_event(true).with_current_span(false))
            .init(),
        Ok(other) => {
            return Err(format!(
                "WARTA_LOG_FORMAT is `{other}`; write `json` or `text` (the default)"
            ));
        }
    }
    Ok(())
}

/// Keeps the warnings and errors logged for the newsroom's status page
/// (`warta_web::recent`).
struct KeepWarnings;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for KeepWarnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let level = *event.metadata().level();
        if level > tracing::Level::WARN {
            return;
        }
        let mut line = OneLine(String::new());
        event.record(&mut line);
        warta_web::recent::record(warta_web::recent::Logged {
            at: chrono::Utc::now(),
            level: if level == tracing::Level::ERROR {
                "ERROR"
            } else {
                "WARN"
            },
            target: event.metadata().target().to_owned(),
            text: line.0,
        });
    }
}

/// An event's message, then its fields as `name=value`.
struct OneLine(String);

impl tracing::field::Visit for OneLine {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write;
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        let _ = if field.name() == "message" {
            write!(self.0, "{value:?}")
        } else {
            write!(self.0, "{}={value:?}", field.name())
        };
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(why) = start_logging() {
        eprintln!("error: {why}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: what failed, where, and why.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { config, demo } => serve(Config::load(config)?, demo).await,
        Command::ApiKey {
            config,
            action,
            name,
        } => {
            let store = open_store(&Config::load(config)?).await?;
            let now = chrono::Utc::now();
            let named = || {
                name.clone()
                    .filter(|n| !n.trim().is_empty())
                    .ok_or_else(|| anyhow::anyhow!("api-key {action}: give the partner's name"))
            };
            match action.as_str() {
                "add" => {
                    let name = named()?;
                    let (key, hash) =
                        warta_web::content_api::new_key().map_err(anyhow::Error::msg)?;
                    store.add_api_key(&name, &hash, now).await?;
                    show_secret(&key)?;
                    eprintln!("a new key for {name}; it is shown only now");
                }
                "revoke" => {
                    let name = named()?;
                    let n = store.revoke_api_keys(&name, now).await?;
                    if n == 0 {
                        anyhow::bail!("api-key revoke: {name} has no live key");
                    }
                    say!("revoked {n} key(s) of {name}");
                }
                _ => {
                    for k in store.api_keys().await? {
                        say!(
                            "{}\t{}\tmade {}\t{}",
                            k.id,
                            k.name,
                            k.created_at.to_rfc3339(),
                            k.revoked_at.map_or("live".to_owned(), |t| format!(
                                "revoked {}",
                                t.to_rfc3339()
                            ))
                        );
                    }
                }
            }
            Ok(())
        }
        Command::User {
            config,
            action,
            email,
            name,
            role,
            password_stdin,
        } => {
            let store = open_store(&Config::load(config)?).await?;
            users::user(
                &store,
                users::UserArgs {
                    action,
                    email,
                    name,
                    role,
                    password_stdin,
                },
            )
            .await
        }
        Command::Deliveries { config, limit } => {
            let store = open_store(&Config::load(config)?).await?;
            let log = store.deliveries(limit).await?;
            if log.is_empty() {
                say!("no webhook deliveries yet");
            }
            for d in log {
                say!(
                    "{id}\t{at}\t{event}\tarticle {article}\t{url}\t{status} after {n} attempt(s){why}",
                    id = d.id,
                    at = d.updated_at.to_rfc3339(),
                    event = d.event,
                    article = d.article_id,
                    url = d.url,
                    status = d.status,
                    n = d.attempts,
                    why = if d.last_error.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", d.last_error)
                    }
                );
            }
            Ok(())
        }
        Command::Migrate { config } => {
            let config = Config::load(config)?;
            open_store(&config).await?;
            say!("database {} is up to date", config.database_shown());
            Ok(())
        }
        Command::Import {
            config,
            format,
            paths,
            keep_going,
            dry_run,
            section,
            rejects,
            cache_mib,
            overwrite_edited,
            media_from,
        } => {
            let config = Config::load(config)?;
            let media_from = match media_from {
                None => None,
                Some(dir) => {
                    anyhow::ensure!(dir.is_dir(), "--media-from {}: not a folder", dir.display());
                    let store = match &config.media_s3 {
                        Some(s3) => warta_web::media::MediaStore::s3(s3)?,
                        None => warta_web::media::MediaStore::Folder(config.data.join("media")),
                    };
                    Some(warta_import::photos::MediaFrom::new(dir, store))
                }
            };
            let format = warta_import::Format::parse(&format)
                .with_context(|| format!("unknown format `{format}`"))?;
            let mut opts = warta_import::Options {
                keep_going,
                dry_run,
                default_section: section,
                now: chrono::Utc::now(),
                cache_mib: cache_mib.unwrap_or(1024),
                overwrite_edited,
                media_from,
            };
            // On SQLite that nothing else has open, the import writes its pages once
            // (see `Store::open_sqlite_exclusive`); the indexing after it, on the
            // usual store, has the database in WAL again.
            // Photos brought in are looked up in the database while the import writes
            // (a second connection), which the exclusive file does not allow.
            let exclusive = match (&config.database_url, dry_run || opts.media_from.is_some()) {
                (None, false) => {
                    check_writable(&config.data)?;
                    Store::open_sqlite_exclusive(&config.database_path()).await?
                }
                _ => None,
            };
            let imported = match exclusive {
                Some(bulk) => {
                    // A smaller cache, whose overflow the disk writes meanwhile
                    // (`Writeback`), instead of the whole run written at the commit.
                    opts.cache_mib = cache_mib.unwrap_or(128);
                    let writeback = warta_store::Writeback::start(&config.database_path());
                    let result = commands::import(&bulk, format, &paths, &opts, &rejects).await;
                    bulk.close().await;
                    // Only now: closing its descriptor would drop SQLite's locks.
                    let flushes = writeback.stop();
                    tracing::debug!(flushes, "writeback during the import");
                    result?;
                    true
                }
                None => false,
            };
            let store = open_store(&config).await?;
            if !imported {
                commands::import(&store, format, &paths, &opts, &rejects).await?;
            }
            if !dry_run {
                commands::index_after_import(&store, &config.search_path()).await?;
            }
            Ok(())
        }
        Command::Reindex { config, stemmer } => {
            let config = Config::load(config)?;
            let store = open_store(&config).await?;
            let kind = match stemmer
                .as_deref()
                .and_then(warta_search::StemmerKind::parse)
            {
                Some(k) => k,
                None => warta_search::SearchIndex::open(
                    &config.search_path(),
                    warta_search::DEFAULT_STEMMER,
                )?
                .stemmer(),
            };
            commands::reindex(&store, &config.search_path(), kind).await
        }
        Command::Export {
            config,
            format: _,
            out,
            media,
        } => {
            let config = Config::load(config)?;
            let store = open_store(&config).await?;
            let media_dir = config.data.join("media");
            commands::export(&store, out.as_deref(), media.as_deref(), &media_dir).await
        }
        Command::Backup { config, out, media } => {
            let config = Config::load(config)?;
            let store = open_store(&config).await?;
            let media_dir = config.data.join("media");
            commands::backup(&store, &out, media, &media_dir).await
        }
        Command::CopyStore { from, to } => commands::copy_store(&from, &to).await,
        Command::Generate {
            articles,
            out,
            seed,
        } => commands::generate(articles, &out, seed),
    }
}

/// Makes sure the data folder exists and can be written, then opens the store.
async fn open_store(config: &Config) -> anyhow::Result<Store> {
    check_writable(&config.data)?;
    let store = match &config.database_url {
        None => Store::open_sqlite(&config.database_path()).await?,
        Some(url) => Store::open_url(url).await?,
    };
    let store = match &config.read_database_url {
        None => store,
        Some(url) => store.with_read_replica(url).await?,
    };
    // A name the site now keeps for itself (`/indeks`…) moves a section that had it.
    for (old, new) in store.rename_reserved_sections().await? {
        tracing::warn!(
            "section `/{old}` is now `/{new}`: `/{old}` is one of the site's own addresses; \
             its stories' old addresses redirect to the new ones"
        );
    }
    Ok(store)
}

fn check_writable(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("data folder {} cannot be created", dir.display()))?;
    let probe = dir.join(".warta-write-check");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("data folder {} cannot be written", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    let media_dir = config.data.join("media");
    std::fs::create_dir_all(&media_dir)
        .with_context(|| format!("media folder {} cannot be created", media_dir.display()))?;
    if demo {
        if store.is_empty().await? {
            let n = warta_demo::seed(&store, &media_dir, chrono::Utc::now())
                .await
                .context("creating the demo content")?;
            say!("demo: created {n} articles in {}", config.data.display());
        } else {
            say!(
                "demo: {} already has content; serving it",
                config.data.display()
            );
        }
    }
    let media_store = match &config.media_s3 {
        None => None,
        Some(s3) => {
            let m = warta_web::media::MediaStore::s3(s3)?;
            // What is in the local folder (the demo's photos, files copied in before
            // the move) goes up once; every node then reads the bucket.
            let n = m.upload_folder(&media_dir).await?;
            say!(
                "media: {m} ({n} files uploaded from {})",
                media_dir.display()
            );
            Some(m)
        }
    };
    let mut web = warta_web::WebConfig::new(media_dir);
    web.media_store = media_store;
    web.page_ttl = std::time::Duration::from_secs(config.page_ttl_secs);
    web.page_cache_bytes = config.page_cache_bytes;
    web.api_per_minute = config.api_per_minute;
    web.trusted_proxies = config.trusted_proxies.clone();
    web.related_lag = std::time::Duration::from_secs(config.related_lag_secs);
    web.data_dir = Some(config.data.clone());
    web.database_shown = config.database_shown();
    web.mail = config.mail.clone();
    let search_dir = config.search_path();
    let index = warta_search::SearchIndex::open(&search_dir, warta_search::DEFAULT_STEMMER)
        .with_context(|| format!("search index {} cannot be opened", search_dir.display()))?;
    // Catch up before serving, so search is complete from the first request; then
    // follow the change log (writes show in search within a second).
    match index.catch_up(&store).await {
        Ok(n) if n > 0 => tracing::info!(changes = n, "search index caught up"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "search index could not catch up yet"),
    }
    // Search and related lists follow the change log together: the index first,
    // then the lists that need the new articles in it.
    // Every background loop, stopped before the database is closed at the end.
    let state = warta_web::AppState::new(store.clone(), web, warta_web::system_clock())
        .with_search(index.clone());
    let mut background = vec![warta_related::follow(
        warta_related::Engine::new(store.clone(), index),
        std::time::Duration::from_millis(250),
    )];
    if let Some(url) = &config.purge_url {
        let mut purge = warta_web::purge::PurgeConfig::new(url.clone());
        purge.token = config.purge_token.clone();
        purge.metrics = Some(state.metrics.clone());
        background.push(warta_web::purge::follow(
            store.clone(),
            purge,
            std::time::Duration::from_secs(1),
        ));
        tracing::info!(%url, "purge hook on");
    }
    if !config.webhooks.is_empty() {
        let base_url = store.settings().await?.base_url;
        let targets = config
            .webhooks
            .iter()
            .map(|w| warta_web::webhooks::WebhookTarget {
                url: w.url.clone(),
                secret: w.secret.clone(),
            })
            .collect();
        let mut hooks = warta_web::webhooks::WebhookConfig::new(targets, base_url);
        hooks.metrics = Some(state.metrics.clone());
        background.push(warta_web::webhooks::follow(
            store.clone(),
            hooks,
            std::time::Duration::from_secs(1),
        ));
        tracing::info!(count = config.webhooks.len(), "webhooks on");
    }
    // Pages cached on this node are dropped when anyone writes (this node, another
    // node on the same PostgreSQL, a command).
    background.push(warta_web::follow_site(
        &state,
        std::time::Duration::from_millis(500),
    ));
    // "Terpopuler": counts written every few seconds, rankings read every
    // `popular_refresh_secs` (30: pages live at most a minute, so a list is at most a
    // page lifetime behind).
    let refresh = std::time::Duration::from_secs(config.popular_refresh_secs);
    background.push(warta_web::popular::follow_reads(
        &state,
        refresh.min(std::time::Duration::from_secs(5)),
        refresh,
    ));
    background.push(warta_web::follow_schedule(
        &state,
        std::time::Duration::from_secs(1),
    ));
    if let Some(addr) = &config.metrics_listen {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} for metrics"))?;
        say!(
            "metrics: http://{}/metrics (keep this address private)",
            listener.local_addr()?
        );
        let metrics = warta_web::metrics::router(state.clone());
        background.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, metrics).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        }));
    }
    let app = warta_web::router(state);
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    say!("Warta is serving http://{addr}");
    if store.user_count().await? == 0 {
        say!(
            "newsroom: open http://{addr}/admin to create the first admin account \
             (or: warta user add EMAIL --role admin)"
        );
    }
    let mut options = warta_web::server::ServeOptions::for_this_process();
    if let Some(secs) = config.header_timeout_secs {
        options.header_timeout = std::time::Duration::from_secs(secs);
    }
    if let Some(n) = config.max_connections {
        options.max_connections = n;
    }
    tracing::info!(
        max_connections = options.max_connections,
        header_timeout_secs = options.header_timeout.as_secs(),
        "accepting connections"
    );
    warta_web::server::serve(listener, app, options, shutdown())
        .await
        .context("serving")?;
    // Requests are done (or cut after the grace period): stop the loops that use the
    // database, then close it.
    for task in &background {
        task.abort();
    }
    for task in background {
        let _ = task.await;
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_and_errors_are_kept_for_the_status_page_and_info_is_not() {
        use tracing_subscriber::layer::SubscriberExt;
        let subscriber = tracing_subscriber::registry().with(KeepWarnings);
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("keep-test info");
            tracing::warn!(url = "http://cdn", "keep-test purge failed");
            tracing::error!(error = %"disk full", "keep-test backup failed");
        });
        let kept: Vec<_> = warta_web::recent::newest()
            .into_iter()
            .filter(|l| l.text.contains("keep-test"))
            .collect();
        assert_eq!(kept.len(), 2, "{kept:?}");
        assert_eq!(kept[0].level, "ERROR");
        assert_eq!(kept[0].text, "keep-test backup failed error=disk full");
        assert_eq!(kept[1].level, "WARN");
        assert_eq!(kept[1].text, "keep-test purge failed url=\"http://cdn\"");
        assert!(kept[1].target.starts_with("warta"), "{}", kept[1].target);
    }
}
