//! Configuration: command-line flags, then `WARTA_*` environment variables (clap reads
//! both), then the config file (`--config FILE`, or `warta.toml` in the data folder
//! when present), then defaults. Unknown keys in the file are an error.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArgs {
    /// The data folder: database, media, search index.
    #[arg(long, env = "WARTA_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "WARTA_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
    /// The database: `postgres://user@host/name` for a site on PostgreSQL (several
    /// nodes share it), or `sqlite://FILE`. Default: `<data>/warta.db`.
    #[arg(long, env = "WARTA_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,
    /// A read-only PostgreSQL replica for reader pages (they may lag it).
    #[arg(long, env = "WARTA_READ_DATABASE_URL", value_name = "URL")]
    pub read_database: Option<String>,
    /// Serve `/metrics` (Prometheus) on this address, apart from the site; off when
    /// unset. Keep it private: it is not behind a login.
    #[arg(long, env = "WARTA_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<String>,
    /// A config file (default: `warta.toml` in the data folder, if it exists).
    #[arg(long, env = "WARTA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The config file's keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    database_url: Option<String>,
    read_database_url: Option<String>,
    page_ttl_secs: Option<u64>,
    /// Replaced by `page_cache_bytes`; read as that many pages of 64 KiB.
    page_cache_entries: Option<u64>,
    page_cache_bytes: Option<u64>,
    /// Content API calls per key and minute.
    api_per_minute: Option<u32>,
    /// Where the purge hook posts what changed (a CDN's or a cache's purge address).
    purge_url: Option<String>,
    /// Sent to the purge address as `Authorization: Bearer …`.
    purge_token: Option<String>,
    /// `[[webhooks]]`: addresses told of every publish, update and unpublish.
    #[serde(default)]
    webhooks: Vec<WebhookFile>,
    media: Option<MediaFile>,
    /// Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` is believed.
    #[serde(default)]
    trusted_proxies: Vec<String>,
    /// Seconds a connection has to send a request's headers (and may stay idle).
    header_timeout_secs: Option<u64>,
    /// Connections open at once at most (default: below the open-file limit).
    max_connections: Option<usize>,
    /// How far behind the change log the related lists may be, in seconds, before
    /// `/readyz` reports the node not ready (default 600).
    related_lag_secs: Option<u64>,
    /// Where `/metrics` is served (Prometheus' text format); not served when unset.
    metrics_listen: Option<String>,
    /// `[mail]`: the SMTP server invitations and password resets go through.
    mail: Option<MailFile>,
    /// How often "Terpopuler" is read back from the database, in seconds (default 30).
    popular_refresh_secs: Option<u64>,
}

/// `[mail]`: an SMTP server. Without it the newsroom sends no mail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailFile {
    smtp_host: String,
    /// Default: 465 with `tls`, 587 with `starttls`, 25 with `none`.
    smtp_port: Option<u16>,
    /// `starttls` (default), `tls`, or `none` (a relay on this machine only).
    security: Option<String>,
    username: Option<String>,
    password: Option<String>,
    /// The sender: `Redaksi Warta <redaksi@example.id>`.
    from: String,
}

/// `[media]`: media in an S3-compatible bucket instead of `<data>/media`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MediaFile {
    s3_bucket: String,
    s3_endpoint: Option<String>,
    s3_region: Option<String>,
    #[serde(default)]
    s3_prefix: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookFile {
    url: String,
    secret: String,
}

/// A webhook address and the secret its requests are signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: String,
    pub secret: String,
}

/// The settled configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: PathBuf,
    /// `None`: the embedded SQLite file in `data`.
    pub database_url: Option<String>,
    /// A read replica for reader pages (PostgreSQL only).
    pub read_database_url: Option<String>,
    /// Media in an S3-compatible bucket (`None`: `<data>/media`).
    pub media_s3: Option<warta_web::media::S3Config>,
    pub listen: String,
    /// How long a rendered page stays in the page cache, in seconds (at most 60, so
    /// related lists and due scheduled articles show within a minute).
    pub page_ttl_secs: u64,
    /// What the page cache may hold, in bytes.
    pub page_cache_bytes: u64,
    /// Content API calls per key and minute (bursts of a tenth).
    pub api_per_minute: u32,
    /// The purge hook's address and token, if one is set.
    pub purge_url: Option<String>,
    pub purge_token: Option<String>,
    pub webhooks: Vec<Webhook>,
    /// Proxies whose `X-Forwarded-For` names the client (none: never read).
    pub trusted_proxies: Vec<warta_web::IpNet>,
    /// Overrides of the accept loop's defaults (`warta_web::server`).
    pub header_timeout_secs: Option<u64>,
    pub max_connections: Option<usize>,
    /// `/readyz`'s bound on the related lists' lag.
    pub related_lag_secs: u64,
    /// The metrics listener's address (off when `None`).
    pub metrics_listen: Option<String>,
    /// The SMTP server (`None`: no mail).
    pub mail: Option<warta_web::mail::MailConfig>,
    /// How often the most-read lists are read back, in seconds.
    pub popular_refresh_secs: u64,
}

pub const DEFAULT_DATA: &str = "./warta-data";
/// What `page_cache_entries` counts a page as: an article page of 13 KB weighs about
/// 27 KB in the cache with its compressed variants, a long one twice that.
const PAGE_WEIGHT: u64 = 64 << 10;
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
const DEFAULT_RELATED_LAG_SECS: u64 = 600;

impl Config {
    pub fn load(args: ConfigArgs) -> anyhow::Result<Config> {
        let data = args.data.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA));
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => {
                let path = data.join("warta.toml");
                if path.is_file() {
                    read_file(&path)?
                } else {
                    FileConfig::default()
                }
            }
        };
        let page_cache_bytes = match (file.page_cache_bytes, file.page_cache_entries) {
            (Some(_), Some(_)) => anyhow::bail!(
                "config: page_cache_entries and page_cache_bytes are both set; \
                 keep page_cache_bytes only"
            ),
            (Some(bytes), None) => bytes,
            (None, Some(n)) => {
                let bytes = n.saturating_mul(PAGE_WEIGHT);
                tracing::warn!(
                    "config: page_cache_entries is read as {n} pages of 64 KiB; \
                     write page_cache_bytes = {bytes} instead"
                );
                bytes
            }
            (None, None) => warta_web::DEFAULT_PAGE_CACHE_BYTES,
        };
        let page_ttl_secs = file.page_ttl_secs.unwrap_or(60);
        if page_ttl_secs > 60 {
            anyhow::bail!("config: page_ttl_secs is {page_ttl_secs}; at most 60 is allowed");
        }
        if let Some(url) = &file.purge_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            anyhow::bail!("config: purge_url must be an http:// or https:// address, not `{url}`");
        }
        let mut webhooks = Vec::with_capacity(file.webhooks.len());
        for (i, w) in file.webhooks.into_iter().enumerate() {
            if !(w.url.starts_with("http://") || w.url.starts_with("https://")) {
                anyhow::bail!(
                    "config: webhooks[{i}].url must be an http:// or https:// address, not `{}`",
                    w.url
                );
            }
            if w.secret.len() < 16 {
                anyhow::bail!(
                    "config: webhooks[{i}].secret is {} characters; at least 16 are needed \
                     (receivers check signatures with it)",
                    w.secret.len()
                );
            }
            webhooks.push(Webhook {
                url: w.url,
                secret: w.secret,
            });
        }
        let api_per_minute = file
            .api_per_minute
            .unwrap_or(warta_web::content_api::DEFAULT_PER_MINUTE);
        if api_per_minute == 0 {
            anyhow::bail!("config: api_per_minute must be at least 1");
        }
        let database_url = args.database.or(file.database_url);
        if let Some(url) = &database_url
            && !["postgres://", "postgresql://", "sqlite:"]
                .iter()
                .any(|p| url.starts_with(p))
        {
            anyhow::bail!(
                "database address `{}` is neither postgres://… nor sqlite://… \
                 (from --database, WARTA_DATABASE_URL or database_url in the config file)",
                warta_store::redact(url)
            );
        }
        let read_database_url = args.read_database.or(file.read_database_url);
        if let Some(url) = &read_database_url {
            let primary_pg = database_url
                .as_deref()
                .is_some_and(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"));
            let replica_pg = url.starts_with("postgres://") || url.starts_with("postgresql://");
            if !(primary_pg && replica_pg) {
                anyhow::bail!(
                    "read replica `{}`: a read replica needs a PostgreSQL database and a \
                     postgres://… address",
                    warta_store::redact(url)
                );
            }
        }
        let media_s3 = match file.media {
            None => None,
            Some(m) => {
                if m.s3_bucket.trim().is_empty() {
                    anyhow::bail!("config: [media] s3_bucket is empty");
                }
                if let Some(e) = &m.s3_endpoint
                    && !(e.starts_with("http://") || e.starts_with("https://"))
                {
                    anyhow::bail!(
                        "config: [media] s3_endpoint must be an http:// or https:// address, not `{e}`"
                    );
                }
                Some(warta_web::media::S3Config {
                    bucket: m.s3_bucket,
                    endpoint: m.s3_endpoint,
                    region: m.s3_region.unwrap_or_else(|| "us-east-1".to_owned()),
                    prefix: m.s3_prefix,
                })
            }
        };
        let trusted_proxies = file
            .trusted_proxies
            .iter()
            .map(|p| {
                warta_web::parse_proxy(p).ok_or_else(|| {
                    anyhow::anyhow!(
                        "config: trusted_proxies: `{p}` is neither an address (10.0.0.1) nor a range (10.0.0.0/8)"
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if file.header_timeout_secs == Some(0) {
            anyhow::bail!("config: header_timeout_secs must be at least 1");
        }
        if file.max_connections == Some(0) {
            anyhow::bail!("config: max_connections must be at least 1");
        }
        if file.related_lag_secs == Some(0) {
            anyhow::bail!("config: related_lag_secs must be at least 1");
        }
        let metrics_listen = args.metrics_listen.or(file.metrics_listen);
        if let Some(addr) = &metrics_listen
            && addr.parse::<std::net::SocketAddr>().is_err()
        {
            anyhow::bail!(
                "config: metrics_listen: `{addr}` is not an address and port (127.0.0.1:9090)"
            );
        }
        let mail = file.mail.map(mail_config).transpose()?;
        let popular_refresh_secs = file.popular_refresh_secs.unwrap_or(30);
        if !(1..=600).contains(&popular_refresh_secs) {
            anyhow::bail!(
                "config: popular_refresh_secs is {popular_refresh_secs}; between 1 and 600"
            );
        }
        Ok(Config {
            popular_refresh_secs,
            mail,
            related_lag_secs: file.related_lag_secs.unwrap_or(DEFAULT_RELATED_LAG_SECS),
            metrics_listen,
            header_timeout_secs: file.header_timeout_secs,
            max_connections: file.max_connections,
            trusted_proxies,
            media_s3,
            read_database_url,
            database_url,
            api_per_minute,
            webhooks,
            purge_url: file.purge_url,
            purge_token: file.purge_token,
            listen: args
                .listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.to_owned()),
            data,
            page_ttl_secs,
            page_cache_bytes,
        })
    }

    pub fn database_path(&self) -> PathBuf {
        self.data.join("warta.db")
    }

    /// The database as people should see it in messages (no password).
    pub fn database_shown(&self) -> String {
        match &self.database_url {
            None => self.database_path().display().to_string(),
            Some(url) => warta_store::redact(url),
        }
    }

    /// The search index's folder.
    pub fn search_path(&self) -> PathBuf {
        self.data.join("search")
    }
}

/// `[mail]`, checked: a known security, a sender that is an address, a user name
/// and a password together or neither.
fn mail_config(m: MailFile) -> anyhow::Result<warta_web::mail::MailConfig> {
    use warta_web::mail::Security;
    let security = match m.security.as_deref() {
        None => Security::StartTls,
        Some(s) => Security::parse(s).ok_or_else(|| {
            anyhow::anyhow!("config: [mail] security is `{s}`; write starttls, tls or none")
        })?,
    };
    if m.smtp_host.trim().is_empty() {
        anyhow::bail!("config: [mail] smtp_host is empty");
    }
    if m.username.is_some() != m.password.is_some() {
        anyhow::bail!("config: [mail] needs both username and password, or neither");
    }
    let port = m.smtp_port.unwrap_or(match security {
        Security::Tls => 465,
        Security::StartTls => 587,
        Security::None => 25,
    });
    let c = warta_web::mail::MailConfig {
        host: m.smtp_host.trim().to_owned(),
        port,
        security,
        username: m.username,
        password: m.password,
        from: m.from,
    };
    c.sender()
        .map_err(|e| anyhow::anyhow!("config: [mail] {e}"))?;
    Ok(c)
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("config file {} cannot be read", path.display()))?;
    toml::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "config file {}: {}",
            path.display(),
            e.to_string().replace('\n', " ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(data: &Path) -> ConfigArgs {
        ConfigArgs {
            data: Some(data.to_path_buf()),
            listen: None,
            database: None,
            read_database: None,
            metrics_listen: None,
            config: None,
        }
    }

    #[test]
    fn defaults_and_file_layering() {
        let dir = tempfile::tempdir().expect("dir");
        let c = Config::load(args(dir.path())).expect("defaults");
        assert_eq!(c.listen, DEFAULT_LISTEN);
        std::fs::write(
            dir.path().join("warta.toml"),
            "listen = \"127.0.0.1:9999\"\n",
        )
        .expect("write");
        let c = Config::load(args(dir.path())).expect("file");
        assert_eq!(c.listen, "127.0.0.1:9999");
        let mut a = args(dir.path());
        a.listen = Some("127.0.0.1:7000".into());
        assert_eq!(Config::load(a).expect("flag wins").listen, "127.0.0.1:7000");
    }

    #[test]
    fn the_page_cache_is_set_in_bytes_and_the_old_count_still_reads() {
        let dir = tempfile::tempdir().expect("dir");
        let load = |body: &str| {
            std::fs::write(dir.path().join("warta.toml"), body).expect("write");
            Config::load(args(dir.path()))
        };
        let c = load("").expect("default");
        assert_eq!(c.page_cache_bytes, warta_web::DEFAULT_PAGE_CACHE_BYTES);
        let c = load("page_cache_bytes = 1000000\n").expect("bytes");
        assert_eq!(c.page_cache_bytes, 1_000_000);
        let c = load("page_cache_entries = 100\n").expect("entries");
        assert_eq!(c.page_cache_bytes, 100 * 65_536);
        let err = load("page_cache_entries = 100\npage_cache_bytes = 5\n").expect_err("both");
        assert!(err.to_string().contains("page_cache_bytes"), "{err}");
    }

    #[test]
    fn database_media_and_replica_settings_are_checked() {
        let dir = tempfile::tempdir().expect("dir");
        let load = |body: &str, database: Option<&str>, read: Option<&str>| {
            std::fs::write(dir.path().join("warta.toml"), body).expect("write");
            let mut a = args(dir.path());
            a.database = database.map(str::to_owned);
            a.read_database = read.map(str::to_owned);
            Config::load(a)
        };
        let err = load("[media]\ns3_bucket = \" \"\n", None, None).expect_err("empty");
        assert!(err.to_string().contains("s3_bucket"), "{err}");
        let err = load(
            "[media]\ns3_bucket = \"b\"\ns3_endpoint = \"minio:9000\"\n",
            None,
            None,
        )
        .expect_err("no scheme");
        assert!(err.to_string().contains("s3_endpoint"), "{err}");
        let c = load(
            "[media]\ns3_bucket = \"b\"\ns3_endpoint = \"http://127.0.0.1:9000\"\n",
            None,
            None,
        )
        .expect("media");
        let s3 = c.media_s3.expect("s3");
        assert_eq!((s3.bucket.as_str(), s3.region.as_str()), ("b", "us-east-1"));
        let err = load("", None, Some("postgres://replica/warta")).expect_err("sqlite primary");
        assert!(err.to_string().contains("read replica"), "{err}");
        let c = load(
            "",
            Some("postgres://primary/warta"),
            Some("postgres://replica/warta"),
        )
        .expect("replica");
        assert_eq!(
            c.read_database_url.as_deref(),
            Some("postgres://replica/warta")
        );
        let err = load("", Some("mysql://u:pw@h/w"), None).expect_err("mysql");
        assert!(err.to_string().contains("mysql://u:***@h/w"), "{err}");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("warta.toml"), "lisen = \"x\"\n").expect("write");
        let err = Config::load(args(dir.path())).expect_err("unknown key");
        assert!(err.to_string().contains("lisen"), "{err}");
        assert!(err.to_string().contains("warta.toml"), "{err}");
        std::fs::write(dir.path().join("warta.toml"), "page_ttl_secs = 600\n").expect("write");
        assert!(Config::load(args(dir.path())).is_err());
        std::fs::write(dir.path().join("warta.toml"), "purge_url = \"ftp://cdn\"\n")
            .expect("write");
        let err = Config::load(args(dir.path())).expect_err("not http");
        assert!(err.to_string().contains("purge_url"), "{err}");
        std::fs::write(
            dir.path().join("warta.toml"),
            "purge_url = \"https://cdn.example/purge\"\npurge_token = \"rahasia\"\n",
        )
        .expect("write");
        let c = Config::load(args(dir.path())).expect("purge");
        assert!(c.trusted_proxies.is_empty(), "nothing trusted by default");
        assert_eq!(c.purge_url.as_deref(), Some("https://cdn.example/purge"));
        assert_eq!(c.purge_token.as_deref(), Some("rahasia"));
        std::fs::write(
            dir.path().join("warta.toml"),
            "trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.1\"]\n",
        )
        .expect("write");
        let c = Config::load(args(dir.path())).expect("proxies");
        assert_eq!(c.trusted_proxies.len(), 2);
        std::fs::write(
            dir.path().join("warta.toml"),
            "trusted_proxies = [\"lb\"]\n",
        )
        .expect("write");
        let err = Config::load(args(dir.path())).expect_err("not an address");
        assert!(err.to_string().contains("trusted_proxies"), "{err}");
        let hooks = |body: &str| {
            std::fs::write(dir.path().join("warta.toml"), body).expect("write");
            Config::load(args(dir.path()))
        };
        let c = hooks(
            "[[webhooks]]\nurl = \"https://a.example/hook\"\nsecret = \"0123456789abcdef\"\n\
             [[webhooks]]\nurl = \"http://b.example/\"\nsecret = \"fedcba9876543210\"\n",
        )
        .expect("two hooks");
        assert_eq!(c.webhooks.len(), 2);
        assert_eq!(c.webhooks[1].url, "http://b.example/");
        let err = hooks("[[webhooks]]\nurl = \"https://a.example\"\nsecret = \"pendek\"\n")
            .expect_err("short secret");
        assert!(err.to_string().contains("webhooks[0].secret"), "{err}");
        let err = hooks("[[webhooks]]\nurl = \"a.example\"\nsecret = \"0123456789abcdef\"\n")
            .expect_err("not an address");
        assert!(err.to_string().contains("webhooks[0].url"), "{err}");
        let err = hooks("[[webhooks]]\nurl = \"https://a.example\"\n").expect_err("no secret");
        assert!(err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn readiness_lag_and_the_metrics_address_are_read() {
        let dir = tempfile::tempdir().expect("dir");
        let c = Config::load(args(dir.path())).expect("defaults");
        assert_eq!(c.related_lag_secs, 600);
        assert_eq!(c.metrics_listen, None, "metrics are off by default");
        std::fs::write(
            dir.path().join("warta.toml"),
            "related_lag_secs = 120\nmetrics_listen = \"127.0.0.1:9464\"\n",
        )
        .expect("write");
        let c = Config::load(args(dir.path())).expect("file");
        assert_eq!(c.related_lag_secs, 120);
        assert_eq!(c.metrics_listen.as_deref(), Some("127.0.0.1:9464"));
        std::fs::write(
            dir.path().join("warta.toml"),
            "metrics_listen = \"metrics\"\n",
        )
        .expect("write");
        let err = Config::load(args(dir.path())).expect_err("not an address");
        assert!(err.to_string().contains("metrics_listen"), "{err}");
    }

    #[test]
    fn the_mail_server_is_read_and_checked() {
        let dir = tempfile::tempdir().expect("dir");
        let load = |body: &str| {
            std::fs::write(dir.path().join("warta.toml"), body).expect("write");
            Config::load(args(dir.path()))
        };
        assert!(
            load("").expect("defaults").mail.is_none(),
            "no mail by default"
        );
        let c = load(
            "[mail]\nsmtp_host = \"smtp.example.id\"\nfrom = \"Redaksi <redaksi@example.id>\"\n\
             username = \"redaksi\"\npassword = \"rahasia\"\n",
        )
        .expect("mail");
        let m = c.mail.expect("mail");
        assert_eq!((m.host.as_str(), m.port), ("smtp.example.id", 587));
        assert_eq!(m.security, warta_web::mail::Security::StartTls);
        let c = load("[mail]\nsmtp_host = \"h\"\nsecurity = \"tls\"\nfrom = \"a@b.id\"\n")
            .expect("tls");
        assert_eq!(c.mail.map(|m| m.port), Some(465));
        let err = load("[mail]\nsmtp_host = \"h\"\nsecurity = \"ssl\"\nfrom = \"a@b.id\"\n")
            .expect_err("ssl");
        assert!(err.to_string().contains("security"), "{err}");
        let err = load("[mail]\nsmtp_host = \"h\"\nfrom = \"redaksi\"\n").expect_err("from");
        assert!(err.to_string().contains("redaksi"), "{err}");
        let err = load("[mail]\nsmtp_host = \"h\"\nfrom = \"a@b.id\"\nusername = \"u\"\n")
            .expect_err("no password");
        assert!(err.to_string().contains("password"), "{err}");
    }
}
