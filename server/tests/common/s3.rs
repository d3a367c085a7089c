//! A bucket of its own for a test, in the S3-compatible store named by
//! `SWITCHBOARD_TEST_S3_ENDPOINT`, `…_REGION`, `…_ACCESS_KEY_ID` and `…_SECRET_ACCESS_KEY`.
//! The test command starts a real one on loopback (moto_server, checking every signature);
//! point these at MinIO, Garage or AWS to run the same tests there. The bucket is created
//! with a signed request and removed, with what is in it, when the test ends.

use axum::http::{Method, Request};
use object_store::{
    aws::{AwsAuthorizer, AwsCredential},
    client::HttpRequestBody,
};
use server::config::{S3Settings, Secret};

/// A test's bucket.
pub struct TestBucket {
    pub settings: S3Settings,
}

impl TestBucket {
    /// The store's settings from the environment, without a bucket; `None` when unset.
    pub fn store_settings() -> Option<S3Settings> {
        let var = |name: &str| std::env::var(format!("SWITCHBOARD_TEST_S3_{name}")).ok();
        Some(S3Settings {
            bucket: String::new(),
            endpoint: Some(var("ENDPOINT")?),
            region: var("REGION").unwrap_or_else(|| "us-east-1".into()),
            access_key_id: Some(Secret::new(var("ACCESS_KEY_ID")?)),
            secret_access_key: Some(Secret::new(var("SECRET_ACCESS_KEY")?)),
            path_style: true,
        })
    }

    /// A new, empty bucket; `None` when no store is configured, which the test's run is told
    /// (past the output capture) as a skipped test. Where a store is required — the test
    /// command sets `SWITCHBOARD_TEST_S3_REQUIRED`, and CI sets `CI` — a missing one fails
    /// the test instead.
    pub async fn create() -> Option<TestBucket> {
        let Some(mut settings) = Self::store_settings() else {
            let required = ["SWITCHBOARD_TEST_S3_REQUIRED", "CI"]
                .iter()
                .any(|name| std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0"));
            assert!(
                !required,
                "an S3-compatible store is required here: set SWITCHBOARD_TEST_S3_ENDPOINT, \
                 …_ACCESS_KEY_ID and …_SECRET_ACCESS_KEY (`cargo xtask test` starts one)"
            );
            skipped(
                "no S3-compatible store configured (SWITCHBOARD_TEST_S3_ENDPOINT…); \
                 `cargo xtask test` starts one",
            );
            return None;
        };
        settings.bucket = format!("sb-test-{}", super::unique_name().replace('_', "-"));
        let region = settings.region.clone();
        let body = if region == "us-east-1" {
            String::new()
        } else {
            format!(
                "<CreateBucketConfiguration><LocationConstraint>{region}</LocationConstraint>\
                 </CreateBucketConfiguration>"
            )
        };
        let status = bucket_request(&settings, Method::PUT, body).await;
        assert!(status.is_success(), "creating the test bucket: {status}");
        Some(TestBucket { settings })
    }
}

/// Says that the running test was skipped, and why, on the terminal itself: the test
/// harness captures what `eprintln!` writes and shows it only for failures.
fn skipped(why: &str) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("an S3 test")
        .to_owned();
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// Sends a SigV4-signed request to the bucket itself (create, delete); its status.
async fn bucket_request(
    settings: &S3Settings,
    method: Method,
    body: String,
) -> reqwest::StatusCode {
    let endpoint = settings.endpoint.as_deref().unwrap_or_default();
    let url = format!("{}/{}", endpoint.trim_end_matches('/'), settings.bucket);
    let credential = AwsCredential {
        key_id: settings
            .access_key_id
            .as_ref()
            .map(|k| k.expose().to_owned())
            .unwrap_or_default(),
        secret_key: settings
            .secret_access_key
            .as_ref()
            .map(|k| k.expose().to_owned())
            .unwrap_or_default(),
        token: None,
    };
    let mut request = Request::builder()
        .method(method.clone())
        .uri(&url)
        .body(HttpRequestBody::from(body.clone()))
        .expect("a request");
    AwsAuthorizer::new(&credential, "s3", &settings.region)
        .try_authorize(&mut request, None)
        .expect("signed");
    let mut sent = reqwest::Client::new().request(
        reqwest::Method::from_bytes(method.as_str().as_bytes()).expect("a method"),
        &url,
    );
    for (name, value) in request.headers() {
        sent = sent.header(name.as_str(), value.as_bytes());
    }
    sent.body(body)
        .send()
        .await
        .expect("the S3 store answers")
        .status()
}

impl Drop for TestBucket {
    fn drop(&mut self) {
        let settings = self.settings.clone();
        // Drop runs outside any runtime we may block on; use a small one of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(files) = server::files::Files::s3(&settings) {
                    let _ = files.clear().await;
                }
                bucket_request(&settings, Method::DELETE, String::new()).await;
            });
        })
        .join();
    }
}
