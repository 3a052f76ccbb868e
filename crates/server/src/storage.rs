//! Stored attachments: the local filesystem under the data directory, or S3-compatible object
//! storage, through the `object_store` crate.

use crate::config::Settings;

/// Where attachment bytes live.
#[derive(Debug)]
pub struct Store {}

impl Store {
    /// The store the settings describe.
    ///
    /// # Errors
    /// A description of what is wrong with the storage settings.
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Self {})
    }
}
