//! Secrets the desk keeps in its database — a mailbox's IMAP password — sealed with a key
//! the database never holds: ChaCha20-Poly1305 (ring), a random nonce per value, the
//! mailbox's id bound in as associated data so a sealed value cannot be moved to another.
//! The key is `secret_key` from the settings (base64 of 32 bytes; several nodes must share
//! it), else `<data_dir>/secret.key`, made on first start and readable by its owner only.

use std::path::Path;

use base64::Engine;
use ring::{
    aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey},
    rand::{SecureRandom, SystemRandom},
};

use crate::config::Secret;

/// What sealed values start with: the scheme, so that it can change.
const PREFIX: &str = "v1:";

/// The key that seals and opens.
#[derive(Clone)]
pub struct Sealer {
    key: std::sync::Arc<LessSafeKey>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(***)")
    }
}

/// Why a key or a value could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the secret key is not base64 of 32 bytes")]
    BadKey,
    #[error("the key file {0}: {1}")]
    KeyFile(String, std::io::Error),
    #[error("a sealed value does not open with this key")]
    Unopenable,
}

impl Sealer {
    /// From 32 bytes.
    pub fn new(bytes: &[u8]) -> Result<Self, SealError> {
        let key = UnboundKey::new(&CHACHA20_POLY1305, bytes).map_err(|_| SealError::BadKey)?;
        Ok(Self {
            key: std::sync::Arc::new(LessSafeKey::new(key)),
        })
    }

    /// The configured key, else the key file in `data_dir` (made when missing).
    pub fn load(configured: Option<&Secret>, data_dir: &Path) -> Result<Self, SealError> {
        let decode = |text: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|_| SealError::BadKey)
        };
        if let Some(secret) = configured.filter(|s| !s.expose().trim().is_empty()) {
            return Self::new(&decode(secret.expose())?);
        }
        let path = data_dir.join("secret.key");
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::new(&decode(&text)?),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                SystemRandom::new()
                    .fill(&mut bytes)
                    .map_err(|_| SealError::BadKey)?;
                std::fs::create_dir_all(data_dir)
                    .map_err(|e| SealError::KeyFile(shown.clone(), e))?;
                write_private(
                    &path,
                    &base64::engine::general_purpose::STANDARD.encode(bytes),
                )
                .map_err(|e| SealError::KeyFile(shown, e))?;
                Self::new(&bytes)
            }
            Err(err) => Err(SealError::KeyFile(shown, err)),
        }
    }

    /// `plain`, sealed for the record `bound_to`.
    pub fn seal(&self, plain: &str, bound_to: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        // The system's randomness failing leaves nothing safe to do.
        SystemRandom::new()
            .fill(&mut nonce)
            .expect("the system's randomness");
        let mut sealed = plain.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(bound_to.as_bytes()),
                &mut sealed,
            )
            .expect("sealing a value this small");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(out)
        )
    }

    /// The value `sealed` for `bound_to`, opened.
    pub fn open(&self, sealed: &str, bound_to: &str) -> Result<Secret, SealError> {
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(SealError::Unopenable)?;
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Unopenable)?;
        let mut rest = rest.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(bound_to.as_bytes()), &mut rest)
            .map_err(|_| SealError::Unopenable)?;
        String::from_utf8(plain.to_vec())
            .map(Secret::new)
            .map_err(|_| SealError::Unopenable)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_record() {
        let sealer = Sealer::new(&[7u8; 32]).expect("a key");
        let sealed = sealer.seal("hunter2", "mailbox:1");
        assert!(!sealed.contains("hunter2"));
        assert_ne!(
            sealed,
            sealer.seal("hunter2", "mailbox:1"),
            "a nonce each time"
        );
        assert_eq!(
            sealer.open(&sealed, "mailbox:1").expect("opens").expose(),
            "hunter2"
        );
        assert!(
            sealer.open(&sealed, "mailbox:2").is_err(),
            "bound to its record"
        );
        let other = Sealer::new(&[8u8; 32]).expect("a key");
        assert!(other.open(&sealed, "mailbox:1").is_err(), "another key");
    }

    #[test]
    fn the_key_file_is_made_once_and_kept() {
        let dir = tempfile::tempdir().expect("a directory");
        let first = Sealer::load(None, dir.path()).expect("made");
        let sealed = first.seal("x", "r");
        let again = Sealer::load(None, dir.path()).expect("read");
        assert_eq!(again.open(&sealed, "r").expect("opens").expose(), "x");
    }
}
