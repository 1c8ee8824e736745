//! Where photo files are stored (issue #24: the pipeline's last step, shared by every
//! way a photo arrives): the data folder's `media/` (the default; several nodes can
//! share it as a network folder), or an S3-compatible object store (the
//! `object_store` crate) that every node reads from. Files are written once under
//! content-derived names and never change, so they are served with a year-long
//! `Cache-Control: immutable`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;

/// An S3-compatible bucket for media (credentials from the usual `AWS_ACCESS_KEY_ID`
/// and `AWS_SECRET_ACCESS_KEY` environment variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// `http://127.0.0.1:9000` for a stand-in such as MinIO or moto; `None`: AWS.
    pub endpoint: Option<String>,
    pub region: String,
    /// Key prefix inside the bucket (`""` or `site/`).
    pub prefix: String,
}

/// Where media files are read from and written to.
#[derive(Clone)]
pub enum MediaStore {
    Folder(PathBuf),
    Object {
        store: Arc<dyn ObjectStore>,
        prefix: String,
        shown: String,
    },
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl std::fmt::Display for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MediaStore::Folder(p) => write!(f, "{}", p.display()),
            MediaStore::Object { shown, .. } => f.write_str(shown),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("media store {store}: {source}")]
    Object {
        store: String,
        source: object_store::Error,
    },
    #[error("media file {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl MediaStore {
    pub fn s3(cfg: &S3Config) -> Result<MediaStore, MediaError> {
        let mut b = AmazonS3Builder::from_env()
            .with_bucket_name(&cfg.bucket)
            .with_region(&cfg.region);
        if let Some(endpoint) = &cfg.endpoint {
            b = b
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        let shown = format!("s3://{}/{}", cfg.bucket, cfg.prefix);
        let store = b.build().map_err(|source| MediaError::Object {
            store: shown.clone(),
            source,
        })?;
        Ok(MediaStore::Object {
            store: Arc::new(store),
            prefix: cfg.prefix.trim_matches('/').to_owned(),
            shown,
        })
    }

    /// The object key of file `name` under `prefix`.
    pub fn key(prefix: &str, name: &str) -> ObjectPath {
        if prefix.is_empty() {
            ObjectPath::from(name)
        } else {
            ObjectPath::from(format!("{prefix}/{name}"))
        }
    }

    /// Writes one file (a new upload's original or rendition) under `name`.
    pub async fn put_file(&self, name: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        match self {
            MediaStore::Folder(dir) => {
                let path = dir.join(name);
                let io = |source| MediaError::File {
                    path: path.clone(),
                    source,
                };
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                tokio::fs::write(&path, bytes).await.map_err(io)
            }
            MediaStore::Object {
                store,
                prefix,
                shown,
            } => store
                .put(&MediaStore::key(prefix, name), bytes.into())
                .await
                .map(|_| ())
                .map_err(|source| MediaError::Object {
                    store: shown.clone(),
                    source,
                }),
        }
    }

    /// Copies every file of `dir` (recursively) that the object store does not have
    /// yet; returns how many were copied. Nothing to do for a folder store.
    pub async fn upload_folder(&self, dir: &Path) -> Result<usize, MediaError> {
        let MediaStore::Object {
            store,
            prefix,
            shown,
        } = self
        else {
            return Ok(0);
        };
        let mut copied = 0;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|source| MediaError::File {
                path: d.clone(),
                source,
            })?;
            for entry in entries {
                let path = entry
                    .map_err(|source| MediaError::File {
                        path: d.clone(),
                        source,
                    })?
                    .path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(rel) = path.strip_prefix(dir) else {
                    continue;
                };
                let name = rel.to_string_lossy().replace('\\', "/");
                let key = MediaStore::key(prefix, &name);
                match store.head(&key).await {
                    Ok(_) => continue,
                    Err(object_store::Error::NotFound { .. }) => {}
                    Err(source) => {
                        return Err(MediaError::Object {
                            store: shown.clone(),
                            source,
                        });
                    }
                }
                let bytes = std::fs::read(&path).map_err(|source| MediaError::File {
                    path: path.clone(),
                    source,
                })?;
                store
                    .put(&key, bytes.into())
                    .await
                    .map_err(|source| MediaError::Object {
                        store: shown.clone(),
                        source,
                    })?;
                copied += 1;
            }
        }
        Ok(copied)
    }
}
