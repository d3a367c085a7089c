//! Attachments' bytes, in object storage through `object_store` (the local file system under
//! `<data>/files` by default). An upload streams from the request into the store in parts —
//! counted, hashed and sniffed on the way — so no file is held whole in memory (but a
//! picture of at most 40 MiB, kept to make its preview, which must decode it whole anyway);
//! one over the limit is cut off and its partial object removed.

use std::{fmt::Display, sync::Arc};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::{
    ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart, aws::AmazonS3Builder,
    local::LocalFileSystem, path::Path,
};
use password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use app::protocol::PictureSize;

pub mod preview;

use crate::config::{S3Settings, Settings};
use crate::domain::hex;

/// Size of each part sent to the store (S3 needs at least 5 MiB but the last).
const PART_BYTES: usize = 5 * 1024 * 1024;
/// Parts in flight at once: what an upload may hold in memory is about this many parts.
const PARTS_IN_FLIGHT: usize = 2;
/// Bytes looked at to tell a file's type.
const SNIFF_BYTES: usize = 1024;

/// The object store files live in.
#[derive(Clone, Debug)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
}

/// A stored upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// 128 random bits in hex: the file's id and, under a fan-out directory, its object key
    /// (never anything the user sent).
    pub id: String,
    pub size: u64,
    /// SHA-256 of the bytes, in hex.
    pub sha256: String,
    /// The type told from the bytes themselves.
    pub content_type: &'static str,
    /// A picture small enough to be given a preview, kept from the upload so that it need
    /// not be read back from the store.
    picture: Option<Picture>,
}

/// A picture's bytes (shown by their length only).
#[derive(Clone, PartialEq, Eq)]
struct Picture(Vec<Bytes>);

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len: usize = self.0.iter().map(Bytes::len).sum();
        write!(f, "Picture({len} bytes)")
    }
}

/// An upload or a read failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("files are at most {0} bytes")]
    TooLarge(u64),
    #[error("the file is empty")]
    Empty,
    #[error("files of type {0} are not accepted")]
    Refused(&'static str),
    #[error("the upload broke off: {0}")]
    Broken(String),
    #[error("no such file")]
    NotFound,
    #[error(transparent)]
    Picture(#[from] preview::Error),
    #[error("the file store failed: {0}")]
    Store(object_store::Error),
    /// The stored object is not the file that was stored (cut short behind the server's
    /// back): nothing of it is sent.
    #[error("file {id} holds {found} bytes in the store instead of {expected}")]
    Damaged {
        id: String,
        found: u64,
        expected: u64,
    },
}

impl From<object_store::Error> for Error {
    fn from(err: object_store::Error) -> Self {
        match err {
            object_store::Error::NotFound { .. } => Error::NotFound,
            other => Error::Store(other),
        }
    }
}

impl Files {
    /// The store `settings` name: an S3 bucket when `s3` names one, else the local directory.
    /// An S3 store is asked once whether it knows us, so that wrong keys fail at start.
    pub async fn open(settings: &Settings) -> Result<Self, Error> {
        match &settings.s3 {
            Some(s3) if !s3.bucket.is_empty() => {
                let files = Self::s3(s3)?;
                files.check().await?;
                Ok(files)
            }
            _ => Self::local(&settings.files_dir()),
        }
    }

    /// Files in an S3-compatible bucket.
    pub fn s3(settings: &S3Settings) -> Result<Self, Error> {
        // TLS for the store's client is rustls on ring, chosen once for the process.
        static PROVIDER: std::sync::Once = std::sync::Once::new();
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_virtual_hosted_style_request(!settings.path_style);
        if let Some(endpoint) = settings.endpoint.as_deref().filter(|e| !e.is_empty()) {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(key) = &settings.access_key_id {
            builder = builder.with_access_key_id(key.expose());
        }
        if let Some(secret) = &settings.secret_access_key {
            builder = builder.with_secret_access_key(secret.expose());
        }
        Ok(Self {
            store: Arc::new(builder.build()?),
        })
    }

    /// The object store itself (for tools that compare against it).
    pub fn object_store(&self) -> Arc<dyn ObjectStore> {
        self.store.clone()
    }

    /// Asks the store for an object that does not exist: "not found" means it answers and
    /// accepts our keys.
    pub async fn check(&self) -> Result<(), Error> {
        match self.store.head(&Path::from("switchboard-check")).await {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(Error::Store(err)),
        }
    }

    /// Writes a small object and removes it: whether files can be stored now.
    pub async fn writable(&self) -> Result<(), Error> {
        let probe = Path::from(format!("switchboard-ready-{}", new_id()));
        self.store
            .put(&probe, object_store::PutPayload::from_static(b"ready"))
            .await?;
        self.remove(&probe).await
    }

    /// Files under `dir` on the local file system (created if missing).
    pub fn local(dir: &std::path::Path) -> Result<Self, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Broken(e.to_string()))?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// Streams `body` into a new object, refusing it once it passes `max` bytes or when its
    /// sniffed type is not `accepted`. Nothing is left behind when it fails.
    pub async fn put<S, E>(
        &self,
        body: &mut S,
        max: u64,
        accepted: impl Fn(&'static str) -> bool,
    ) -> Result<Stored, Error>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Display,
    {
        let id = new_id();
        let upload = self.store.put_multipart(&key(&id)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        let mut size = 0u64;
        let mut content_type = None;
        // Chunks of what may be a picture to preview, kept (by reference) while it may be one.
        let mut picture = Some(Vec::new());
        let failed = loop {
            let chunk = match body.next().await {
                None => break None,
                Some(Ok(chunk)) => chunk,
                Some(Err(err)) => break Some(Error::Broken(err.to_string())),
            };
            size += chunk.len() as u64;
            if size > max {
                break Some(Error::TooLarge(max));
            }
            if content_type.is_none() {
                let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
                if head.len() == SNIFF_BYTES {
                    let sniffed = sniff(&head);
                    if !accepted(sniffed) {
                        break Some(Error::Refused(sniffed));
                    }
                    content_type = Some(sniffed);
                }
            }
            hasher.update(&chunk);
            let previewable = content_type.is_none_or(preview::applies);
            match picture.as_mut() {
                Some(kept) if previewable && size <= preview::MAX_SOURCE_BYTES => {
                    kept.push(chunk.clone())
                }
                _ => picture = None,
            }
            if let Err(err) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                break Some(err.into());
            }
            writer.put(chunk);
        };
        let failed = failed.or_else(|| {
            if size == 0 {
                return Some(Error::Empty);
            }
            let sniffed = *content_type.get_or_insert_with(|| sniff(&head));
            (!accepted(sniffed)).then_some(Error::Refused(sniffed))
        });
        if let Some(err) = failed {
            let _ = writer.abort().await;
            // A local store may have made the object already; it must not stay.
            let _ = self.remove(&key(&id)).await;
            return Err(err);
        }
        writer.finish().await?;
        let content_type = content_type.unwrap_or("application/octet-stream");
        Ok(Stored {
            id,
            size,
            sha256: hex(&hasher.finalize()),
            content_type,
            picture: picture
                .filter(|_| preview::applies(content_type))
                .map(Picture),
        })
    }

    /// The bytes of file `id`, as a stream — once the store says it holds `size` of them, so
    /// that a damaged file is refused before anything is sent rather than cut off midway.
    pub async fn get(
        &self,
        id: &str,
        size: u64,
    ) -> Result<impl Stream<Item = Result<Bytes, Error>> + Send + 'static, Error> {
        let found = self.store.get(&key(id)).await?;
        if found.meta.size != size {
            return Err(Error::Damaged {
                id: id.to_owned(),
                found: found.meta.size,
                expected: size,
            });
        }
        Ok(found.into_stream().map_err(Error::from))
    }

    /// The bytes of file `id`, whole: for what is bounded when stored (a raw mail).
    pub async fn read(&self, id: &str) -> Result<Bytes, Error> {
        Ok(self.store.get(&key(id)).await?.bytes().await?)
    }

    /// The preview of file `id`, whole (previews are small).
    pub async fn get_preview(&self, id: &str) -> Result<Bytes, Error> {
        Ok(self.store.get(&preview_key(id)).await?.bytes().await?)
    }

    /// Makes the preview of picture `stored` and stores it beside the file; the picture's own
    /// size. A picture too large to open (or not a picture at all) is refused.
    pub async fn make_preview(&self, stored: &Stored) -> Result<Option<PictureSize>, Error> {
        let Some(Picture(chunks)) = &stored.picture else {
            return Ok(None);
        };
        let made = preview::make(Bytes::from(chunks.concat())).await?;
        self.store
            .put(&preview_key(&stored.id), PutPayload::from(made.bytes))
            .await?;
        Ok(Some(PictureSize {
            width: made.width,
            height: made.height,
        }))
    }

    /// Removes file `id` and its preview (missing ones are not an error).
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.remove(&key(id)).await?;
        self.remove(&preview_key(id)).await
    }

    /// Removes object `key` (a missing one is not an error).
    async fn remove(&self, key: &Path) -> Result<(), Error> {
        match self.store.delete(key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }

    /// Removes every object in the store.
    pub async fn clear(&self) -> Result<(), Error> {
        for key in self.keys().await? {
            self.remove(&Path::from(key)).await?;
        }
        Ok(())
    }

    /// Every object in the store, by key.
    pub async fn keys(&self) -> Result<Vec<String>, Error> {
        Ok(self
            .store
            .list(None)
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await?)
    }
}

/// A fresh file id: 128 random bits in hex.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Whether `id` has the shape of a file id (and so can name no other path).
pub use crate::domain::is_file_id as is_id;

/// File `id`'s object, under a two-character fan-out directory.
fn key(id: &str) -> Path {
    Path::from(format!("{}/{id}", id.get(..2).unwrap_or("00")))
}

/// The preview of file `id`, beside it.
fn preview_key(id: &str) -> Path {
    Path::from(format!("{}.preview", key(id)))
}

/// Tells a file's type from its first bytes (never from its name or what the client says).
/// Markup that a browser would run (HTML, SVG, XML) is told apart so that it can be refused.
pub fn sniff(head: &[u8]) -> &'static str {
    const SIGNATURES: [(&[u8], &str); 7] = [
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| head.starts_with(sig)) {
        return kind;
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return "image/webp";
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let lower: Vec<u8> = text
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if lower.starts_with(b"<") {
        if has(b"<svg") {
            return "image/svg+xml";
        }
        if has(b"<!doctype html") || has(b"<html") || has(b"<script") || has(b"<body") {
            return "text/html";
        }
        if lower.starts_with(b"<?xml") {
            return "application/xml";
        }
    }
    if has(b"<script") || has(b"<html") {
        return "text/html";
    }
    if !text.contains(&0) && valid_utf8_prefix(text) {
        return "text/plain";
    }
    "application/octet-stream"
}

/// Whether `bytes` is UTF-8, allowing a character cut off at the end.
fn valid_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(err) => err.error_len().is_none() && bytes.len() - err.valid_up_to() < 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_from_the_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"), "image/jpeg");
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(sniff(b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(sniff("Привет, hello\n".as_bytes()), "text/plain");
        assert_eq!(sniff(b"  <!DOCTYPE html><html>"), "text/html");
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><svg onload=alert(1)>"),
            "image/svg+xml"
        );
        assert_eq!(sniff(b"hello <script>alert(1)</script>"), "text/html");
        assert_eq!(sniff(b"\0\x01\x02binary"), "application/octet-stream");
        // A script renamed .png is still a script.
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /\n"), "text/plain");
    }

    #[test]
    fn ids_are_random_and_nothing_else_is_an_id() {
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(is_id(&a) && is_id(&b));
        for bad in [
            "../../etc/passwd",
            "",
            "ABCDEF0123456789abcdef0123456789",
            &a[..31],
        ] {
            assert!(!is_id(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn an_upload_streams_in_and_out_and_one_too_large_leaves_nothing() {
        let dir = tempfile_dir();
        let files = Files::local(&dir).expect("a store");
        let chunks = || {
            futures_util::stream::iter((0..40).map(|i| {
                Ok::<_, std::io::Error>(Bytes::from(vec![b'a' + (i % 26) as u8; 300_000]))
            }))
        };
        let stored = files
            .put(&mut chunks(), 20_000_000, |_| true)
            .await
            .expect("stored");
        assert_eq!(stored.size, 12_000_000);
        assert_eq!(stored.content_type, "text/plain");
        let back: Vec<Bytes> = files
            .get(&stored.id, stored.size)
            .await
            .expect("found")
            .try_collect()
            .await
            .expect("read");
        let mut hasher = Sha256::new();
        back.iter().for_each(|b| hasher.update(b));
        assert_eq!(hex(&hasher.finalize()), stored.sha256);

        let refused = files.put(&mut chunks(), 1_000_000, |_| true).await;
        assert!(matches!(refused, Err(Error::TooLarge(1_000_000))));
        let png_only = files
            .put(
                &mut futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(
                    b"<html><script>alert(1)</script>",
                ))]),
                1_000,
                |t| t == "image/png",
            )
            .await;
        assert!(matches!(png_only, Err(Error::Refused("text/html"))));
        // Cut short behind the store's back: refused before a byte is sent.
        let object = dir.join(&stored.id[..2]).join(&stored.id);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&object)
            .and_then(|f| f.set_len(1_000))
            .expect("truncated");
        assert!(matches!(
            files.get(&stored.id, stored.size).await,
            Err(Error::Damaged { found: 1_000, .. })
        ));
        files.delete(&stored.id).await.expect("deleted");
        assert!(matches!(
            files.get(&stored.id, stored.size).await,
            Err(Error::NotFound)
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("sb-files-{}", new_id()));
        std::fs::create_dir_all(&dir).expect("a directory");
        dir
    }
}
