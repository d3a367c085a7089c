//! A real S3-compatible server on loopback for the suites and the benchmarks: `moto_server`
//! from PyPI, installed once into `target/tools/moto`, started on a free port with signature
//! checking on. Its first three calls create a user, its access key and a policy letting it
//! use S3; every later request must be signed with that key (a wrong secret is refused).
//! Stopped when the returned guard drops. With `SWITCHBOARD_TEST_S3_ENDPOINT` already set,
//! that store is used instead and nothing is started.

use std::{
    net::{TcpListener, TcpStream},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::{Result, status, step, target_dir};

/// The calls moto answers without checking signatures: the setup below.
const SETUP_CALLS: usize = 3;

/// A running store and what a client needs to use it.
pub struct S3 {
    child: Option<Child>,
    pub vars: Vec<(String, String)>,
}

impl Drop for S3 {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn venv() -> PathBuf {
    target_dir().join("tools/moto")
}

/// Installs moto's server into its own virtual environment unless it is there.
fn ensure_moto() -> Result {
    if venv().join("bin/moto_server").exists() {
        return Ok(());
    }
    step("installing moto_server, an S3-compatible server for the tests (once, about 30 s)");
    status(
        Command::new("python3").arg("-m").arg("venv").arg(venv()),
        "python3 -m venv",
    )?;
    status(
        Command::new(venv().join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "moto[server]",
        ]),
        "pip install moto[server]",
    )
}

/// The configured store, or a fresh moto_server.
pub fn start() -> Result<S3> {
    if let Ok(endpoint) = std::env::var("SWITCHBOARD_TEST_S3_ENDPOINT") {
        println!("    using the S3 store at {endpoint}");
        return Ok(S3 {
            child: None,
            vars: Vec::new(),
        });
    }
    ensure_moto()?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    step(&format!(
        "starting moto_server on 127.0.0.1:{port} (signatures checked)"
    ));
    let log = std::fs::File::create(target_dir().join("tools/moto.log"))
        .map_err(|e| format!("cannot write moto's log: {e}"))?;
    let child = Command::new(venv().join("bin/moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("INITIAL_NO_AUTH_ACTION_COUNT", SETUP_CALLS.to_string())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start moto_server: {e}"))?;
    let mut s3 = S3 {
        child: Some(child),
        vars: Vec::new(),
    };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("moto_server did not start within a minute".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let endpoint = format!("http://127.0.0.1:{port}");
    let keys = Command::new(venv().join("bin/python"))
        .arg("-c")
        .arg(SETUP)
        .arg(&endpoint)
        .output()
        .map_err(|e| format!("cannot set up moto: {e}"))?;
    if !keys.status.success() {
        return Err(format!(
            "setting up moto failed: {}",
            String::from_utf8_lossy(&keys.stderr)
        ));
    }
    let keys = String::from_utf8_lossy(&keys.stdout);
    let mut keys = keys.split_whitespace();
    let (Some(key), Some(secret)) = (keys.next(), keys.next()) else {
        return Err("moto gave no access key".into());
    };
    s3.vars = vec![
        ("SWITCHBOARD_TEST_S3_ENDPOINT".into(), endpoint),
        ("SWITCHBOARD_TEST_S3_REGION".into(), "us-east-1".into()),
        ("SWITCHBOARD_TEST_S3_ACCESS_KEY_ID".into(), key.into()),
        (
            "SWITCHBOARD_TEST_S3_SECRET_ACCESS_KEY".into(),
            secret.into(),
        ),
        ("SWITCHBOARD_TEST_S3_BUCKET".into(), "switchboard".into()),
    ];
    Ok(s3)
}

/// The setup calls (unsigned, the only ones moto lets through): a user, its key, a policy;
/// then, signed with that key, a bucket for the benchmarks (tests make their own).
const SETUP: &str = r#"
import json, sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="switchboard")
key = iam.create_access_key(UserName="switchboard")["AccessKey"]
iam.put_user_policy(UserName="switchboard", PolicyName="s3", PolicyDocument=json.dumps(
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id=key["AccessKeyId"],
                  aws_secret_access_key=key["SecretAccessKey"])
s3.create_bucket(Bucket="switchboard")
print(key["AccessKeyId"], key["SecretAccessKey"])
"#;
