//! Stored attachments: the local filesystem under the data directory, or S3-compatible object
//! storage, through the `object_store` crate.
//!
//! Keys are chosen by the server (`<assignment id>/<attachment id>`), never by a client. The
//! local store is rooted at `<server.data_dir>/attachments`; the S3 store puts the same keys
//! under `attachments/` in the configured bucket. Several processes sharing one database must
//! also share the storage (S3, or one shared directory), since each serves every attachment.

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::config::{Settings, StorageBackend};

/// The object bytes (the `bytes` crate's buffer, which actix and `object_store` share).
pub type Bytes = bytes::Bytes;

/// The prefix of every key in an S3 bucket.
const S3_PREFIX: &str = "attachments";

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No object under this key.
    #[error("no stored object {0}")]
    NotFound(String),
    /// The key is not a valid object path.
    #[error("invalid storage key {key}: {problem}")]
    InvalidKey {
        /// The key.
        key: String,
        /// Why.
        problem: String,
    },
    /// The store failed (disk, network, credentials, bucket).
    #[error("attachment storage ({store}): {source}")]
    Backend {
        /// Which store.
        store: String,
        /// The cause.
        source: object_store::Error,
    },
}

/// Where attachment bytes live.
#[derive(Debug)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    prefix: Option<&'static str>,
    description: String,
}

impl Store {
    /// The store the settings describe (`storage.backend`). For `local` the directory
    /// `<server.data_dir>/attachments` is created if missing.
    ///
    /// # Errors
    /// A description of what is wrong with the storage settings.
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let s = &settings.storage;
        match s.backend {
            StorageBackend::Local => {
                let dir = settings.server.data_dir.join("attachments");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                let store = LocalFileSystem::new_with_prefix(&dir)
                    .map_err(|e| format!("cannot use {}: {e}", dir.display()))?;
                Ok(Self {
                    inner: Arc::new(store),
                    prefix: None,
                    description: format!("local directory {}", dir.display()),
                })
            }
            StorageBackend::S3 => {
                // Settings win over AWS_* variables, which fill in what is left empty.
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(&s.s3_bucket)
                    .with_region(&s.s3_region)
                    .with_allow_http(s.s3_allow_http);
                if !s.s3_endpoint.is_empty() {
                    builder = builder.with_endpoint(&s.s3_endpoint);
                }
                if !s.s3_access_key_id.is_empty() {
                    builder = builder.with_access_key_id(&s.s3_access_key_id);
                }
                if !s.s3_secret_access_key.is_empty() {
                    builder = builder.with_secret_access_key(s.s3_secret_access_key.expose());
                }
                let store = builder
                    .build()
                    .map_err(|e| format!("S3 bucket {}: {e}", s.s3_bucket))?;
                let endpoint = if s.s3_endpoint.is_empty() {
                    "AWS".to_owned()
                } else {
                    s.s3_endpoint.clone()
                };
                Ok(Self {
                    inner: Arc::new(store),
                    prefix: Some(S3_PREFIX),
                    description: format!("S3 bucket {} at {endpoint}", s.s3_bucket),
                })
            }
        }
    }

    /// What this store is, for logs and errors (`local directory …`, `S3 bucket … at …`).
    pub fn description(&self) -> &str {
        &self.description
    }

    fn path(&self, key: &str) -> Result<Path, StorageError> {
        let parsed = Path::parse(key).map_err(|e| StorageError::InvalidKey {
            key: key.to_owned(),
            problem: e.to_string(),
        })?;
        if parsed.as_ref().is_empty() {
            return Err(StorageError::InvalidKey {
                key: key.to_owned(),
                problem: "empty".to_owned(),
            });
        }
        Ok(match self.prefix {
            Some(prefix) => Path::from(prefix).parts().chain(parsed.parts()).collect(),
            None => parsed,
        })
    }

    fn backend(&self, source: object_store::Error) -> StorageError {
        StorageError::Backend {
            store: self.description.clone(),
            source,
        }
    }

    /// Stores `bytes` under `key` (`<assignment id>/<attachment id>`), replacing any object there.
    ///
    /// # Errors
    /// [`StorageError`] when the key is invalid or the store fails.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        let path = self.path(key)?;
        self.inner
            .put(&path, PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| self.backend(e))
    }

    /// The bytes stored under `key`.
    ///
    /// # Errors
    /// [`StorageError::NotFound`] when nothing is stored there; otherwise a store failure.
    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        let path = self.path(key)?;
        let result = match self.inner.get(&path).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => {
                return Err(StorageError::NotFound(key.to_owned()));
            }
            Err(e) => return Err(self.backend(e)),
        };
        result.bytes().await.map_err(|e| self.backend(e))
    }

    /// Removes the object under `key`; a missing object is not an error.
    ///
    /// # Errors
    /// [`StorageError`] when the key is invalid or the store fails.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let path = self.path(key)?;
        match self.inner.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.backend(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Figment;
    use figment::providers::{Format, Toml};

    fn settings(dir: &std::path::Path) -> Settings {
        let mut settings: Settings = Figment::new()
            .merge(Toml::string(crate::config::DEFAULT_TOML))
            .extract()
            .unwrap();
        settings.server.data_dir = dir.to_path_buf();
        settings
    }

    #[test]
    fn local_store_round_trips_under_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::from_settings(&settings(dir.path())).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            store
                .put("a1/b2", Bytes::from_static(b"photo bytes"))
                .await
                .unwrap();
            assert_eq!(store.get("a1/b2").await.unwrap(), &b"photo bytes"[..]);
            assert!(matches!(
                store.get("a1/missing").await,
                Err(StorageError::NotFound(_))
            ));
            store.delete("a1/b2").await.unwrap();
            store.delete("a1/b2").await.unwrap();
            assert!(matches!(
                store.get("a1/b2").await,
                Err(StorageError::NotFound(_))
            ));
            assert!(matches!(
                store.put("../escape", Bytes::new()).await,
                Err(StorageError::InvalidKey { .. })
            ));
        });
        assert!(dir.path().join("attachments").is_dir());
    }

    #[test]
    fn s3_settings_build_a_store_without_contacting_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(dir.path());
        s.storage.backend = crate::config::StorageBackend::S3;
        s.storage.s3_bucket = "sirr-test".into();
        s.storage.s3_endpoint = "http://127.0.0.1:9".into();
        s.storage.s3_allow_http = true;
        s.storage.s3_access_key_id = "test".into();
        s.storage.s3_secret_access_key = crate::config::Secret::new("test");
        let store = Store::from_settings(&s).unwrap();
        assert_eq!(
            store.description(),
            "S3 bucket sirr-test at http://127.0.0.1:9"
        );
        assert_eq!(
            store.path("a/b").unwrap().as_ref(),
            "attachments/a/b",
            "objects live under attachments/"
        );
        assert!(!dir.path().join("attachments").exists());
    }
}
