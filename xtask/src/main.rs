//! The build helper behind the README's two commands:
//!
//! - `cargo xtask run [-- ARGS]`: installs what is missing, builds the release binary and the
//!   browser bundle, migrates, loads demo data into an empty database and serves.
//! - `cargo xtask test`: installs what the suites need and runs every suite (Rust unit and
//!   integration tests on SQLite and PostgreSQL, then the browser end-to-end tests).
//! - `cargo xtask build [--release]`: only builds.
//! - `cargo xtask bench [fanout|upload|signin|mail] [ARGS]`: builds the release server and
//!   runs a benchmark (fan-out by default; `upload` also starts an S3-compatible server,
//!   `mail` the mail servers).
//!
//! It needs nothing beyond Rust and Node.js: wasm-bindgen runs as a library pinned to the
//! exact version of the `wasm-bindgen` crate, so the two can never disagree.

mod mailrig;
mod s3;

use std::{
    env,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    time::Instant,
};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const OUTPUT_NAME: &str = "switchboard";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest.to_vec()),
        None => ("help", Vec::new()),
    };
    let started = Instant::now();
    let result = match task {
        "build" => build(rest.iter().any(|a| a == "--release")).map(|_| ()),
        "run" => run(&rest),
        "test" => test(&rest),
        "bench" => bench(&rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [-- serve args] | test [--no-e2e] | build [--release] \
                 | bench [fanout|upload|signin|mail] [options]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => {
            step(&format!("{task} finished in {:.0?}", started.elapsed()));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("\nxtask {task} failed: {message}");
            ExitCode::FAILURE
        }
    }
}

fn step(message: &str) {
    println!("\n==> {message}");
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn cargo() -> Command {
    let mut cmd = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn status(cmd: &mut Command, what: &str) -> Result {
    let status = cmd
        .status()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Adds the wasm target when it is missing (a few seconds, once).
fn ensure_wasm_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET)
        })
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    step(&format!("installing the Rust target {WASM_TARGET} (once)"));
    status(
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
        "rustup target add",
    )
}

/// Installs npm packages in `dir` when its lock changed since the last install.
fn ensure_npm(dir: &Path) -> Result {
    let stamp = dir.join("node_modules/.installed-lock");
    let lock = std::fs::read(dir.join("package-lock.json")).unwrap_or_default();
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) && !lock.is_empty() {
        return Ok(());
    }
    step(&format!(
        "installing npm packages in {} (once, a few seconds)",
        dir.display()
    ));
    let verb = if lock.is_empty() { "install" } else { "ci" };
    status(
        Command::new("npm")
            .args([verb, "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(dir),
        "npm install",
    )?;
    let lock = std::fs::read(dir.join("package-lock.json")).unwrap_or_default();
    std::fs::write(&stamp, lock).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

/// Builds the browser bundle into `target/site/pkg` and the server; returns the binary's path.
fn build(release: bool) -> Result<PathBuf> {
    ensure_wasm_target()?;
    let target = target_dir();
    let site = target.join("site");
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).map_err(|e| format!("cannot create {}: {e}", pkg.display()))?;

    let wasm_profile = if release { "wasm-release" } else { "dev" };
    step(&format!("building the browser bundle ({wasm_profile})"));
    status(
        cargo().args([
            "build",
            "--package",
            "frontend",
            "--lib",
            "--target",
            WASM_TARGET,
            "--profile",
            wasm_profile,
        ]),
        "cargo build (frontend)",
    )?;
    let profile_dir = if release { "wasm-release" } else { "debug" };
    let wasm = target
        .join(WASM_TARGET)
        .join(profile_dir)
        .join("frontend.wasm");

    step("generating the JavaScript glue (wasm-bindgen)");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name(OUTPUT_NAME)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .typescript(false)
        .generate(&pkg)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;

    if release {
        shrink_wasm(&pkg.join(format!("{OUTPUT_NAME}_bg.wasm")))?;
    }

    step("copying the stylesheet");
    let css = root().join("style/main.css");
    std::fs::copy(&css, pkg.join(format!("{OUTPUT_NAME}.css")))
        .map_err(|e| format!("cannot copy {}: {e}", css.display()))?;

    fingerprint_and_compress(&pkg)?;

    step(&format!(
        "building the server ({})",
        if release { "release" } else { "debug" }
    ));
    let mut server = cargo();
    server.args(["build", "--package", "server", "--bin", "switchboard"]);
    if release {
        server.arg("--release");
    }
    status(&mut server, "cargo build (server)")?;
    Ok(target
        .join(if release { "release" } else { "debug" })
        .join("switchboard"))
}

/// Builds the release server and runs a benchmark: `fanout` (the default), `upload`,
/// `signin`, `mail`, `search` or `scale` (results in `bench/results/<name>.jsonl`,
/// `mailin.jsonl` for mail); the other `args` go to the benchmark.
fn bench(args: &[String]) -> Result {
    let (name, args) = match args.first().map(String::as_str) {
        Some(name @ ("fanout" | "upload" | "signin" | "mail" | "search" | "scale")) => {
            (name, &args[1..])
        }
        _ => ("fanout", args),
    };
    // `cargo xtask bench -- --seconds 4`: the separator is cargo's habit, not an option.
    let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
    // Search and scale serve the desk inside the benchmark's own process.
    if !matches!(name, "search" | "scale") {
        step("building the release server (the first time takes several minutes)");
        status(
            cargo().args([
                "build",
                "--release",
                "--package",
                "server",
                "--bin",
                "switchboard",
            ]),
            "cargo build (server)",
        )?;
    }
    // The upload benchmark also writes into a real S3-compatible server.
    let s3 = if name == "upload" {
        Some(s3::start()?)
    } else {
        None
    };
    // The mail benchmark sends through a real relay into a real IMAP server.
    let mail = if name == "mail" {
        Some(mailrig::start()?)
    } else {
        None
    };
    let binary = if name == "mail" { "mailin" } else { name };
    step(&format!("running the {name} benchmark"));
    status(
        cargo()
            .args([
                "run",
                "--release",
                "--package",
                "bench",
                "--bin",
                binary,
                "--",
            ])
            .args(args)
            .envs(s3.iter().flat_map(|s| s.vars.iter().map(|(k, v)| (k, v))))
            .envs(mail.iter().flat_map(|m| m.vars.iter().map(|(k, v)| (k, v)))),
        &format!("{name} benchmark"),
    )
}

/// The bundle's files: the JavaScript glue, the WebAssembly and the stylesheet.
const BUNDLE: [&str; 3] = ["switchboard.js", "switchboard_bg.wasm", "switchboard.css"];

/// Names the bundle by its content (`pkg/version`: the server serves it under
/// `/pkg/<version>/`, cached for a year) and writes a gzip copy of each file beside it, for
/// browsers that take gzip.
fn fingerprint_and_compress(pkg: &Path) -> Result {
    use blake2::{Blake2s256, Digest};
    use std::io::Write;
    step("fingerprinting and compressing the bundle");
    let mut hasher = Blake2s256::new();
    for name in BUNDLE {
        let path = pkg.join(name);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        hasher.update(&bytes);
        let gz = pkg.join(format!("{name}.gz"));
        let mut encoder = flate2::write::GzEncoder::new(
            Vec::with_capacity(bytes.len() / 3),
            flate2::Compression::best(),
        );
        encoder
            .write_all(&bytes)
            .map_err(|e| format!("cannot compress {}: {e}", path.display()))?;
        let compressed = encoder
            .finish()
            .map_err(|e| format!("cannot compress {}: {e}", path.display()))?;
        std::fs::write(&gz, compressed)
            .map_err(|e| format!("cannot write {}: {e}", gz.display()))?;
    }
    let version: String = hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let file = pkg.join("version");
    std::fs::write(&file, &version).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// Shrinks the release bundle with binaryen's wasm-opt from npm (installed once, locally).
fn shrink_wasm(wasm: &Path) -> Result {
    let tools = root().join("xtask/tools");
    ensure_npm(&tools)?;
    let wasm_opt = tools.join("node_modules/.bin/wasm-opt");
    step("shrinking the bundle (wasm-opt -Oz)");
    let shrunk = wasm.with_extension("opt.wasm");
    status(
        Command::new(&wasm_opt)
            .arg("-Oz")
            .arg("--enable-bulk-memory")
            .arg("--enable-nontrapping-float-to-int")
            .arg("--enable-sign-ext")
            .arg("--enable-mutable-globals")
            .arg("--enable-reference-types")
            .arg(wasm)
            .arg("-o")
            .arg(&shrunk),
        "wasm-opt",
    )?;
    std::fs::rename(&shrunk, wasm).map_err(|e| format!("cannot replace the bundle: {e}"))
}

/// Builds for release, then serves with demo data (extra arguments go to `serve`).
fn run(extra: &[String]) -> Result {
    let binary = build(true)?;
    let extra: Vec<&String> = extra.iter().filter(|a| a.as_str() != "--").collect();
    step("serving (migrates the database and loads demo data into an empty one); Ctrl+C stops");
    status(
        Command::new(&binary)
            .args(["serve", "--demo"])
            .args(extra)
            .current_dir(root()),
        "switchboard serve",
    )
}

/// Installs what the suites need, then runs them all.
fn test(args: &[String]) -> Result {
    let e2e = !args.iter().any(|a| a == "--no-e2e");
    let binary = build(false)?;

    step("checking PostgreSQL for the PostgreSQL half of the suites");
    let pg_url = env::var("SWITCHBOARD_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    println!("    using {}", redact(&pg_url));

    let s3 = s3::start()?;
    let mail = mailrig::start()?;
    ensure_dnsmasq()?;
    step(
        "running the Rust suites (unit, store, integration; SQLite and PostgreSQL; local and S3 files)",
    );
    status(
        cargo()
            .args(["test", "--workspace", "--exclude", "frontend"])
            .env("SWITCHBOARD_TEST_POSTGRES", &pg_url)
            .env("SWITCHBOARD_TEST_S3_REQUIRED", "1")
            .envs(s3.vars.iter().map(|(k, v)| (k, v)))
            .envs(mail.vars.iter().map(|(k, v)| (k, v))),
        "cargo test",
    )?;
    drop(s3);

    if e2e {
        ensure_chromium()?;
        let end2end = root().join("end2end");
        ensure_npm(&end2end)?;
        step("running the end-to-end suite (Playwright, Debian Chromium)");
        status(
            Command::new("npx")
                .args(["playwright", "test"])
                .env("SWITCHBOARD_BIN", &binary)
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                .envs(mail.vars.iter().map(|(k, v)| (k, v)))
                .current_dir(&end2end),
            "playwright",
        )?;
    }
    Ok(())
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Debian's dnsmasq answers the diagnostics tests' DNS lookups (each test starts its own on
/// loopback, with a zone it writes).
fn ensure_dnsmasq() -> Result {
    if Path::new("/usr/sbin/dnsmasq").exists() {
        return Ok(());
    }
    apt_install(
        &["dnsmasq-base"],
        "Debian's dnsmasq, the DNS server the diagnostics tests ask",
    )
}

/// Debian's Chromium drives the browser tests; no browser is ever downloaded.
fn ensure_chromium() -> Result {
    if Path::new("/usr/bin/chromium").exists() {
        return Ok(());
    }
    apt_install(&["chromium"], "Debian's chromium for the browser tests")
}

/// Installs Debian `packages` (once; `what` says why), through sudo when not root.
fn apt_install(packages: &[&str], what: &str) -> Result {
    step(&format!("installing {what} (once, about a minute)"));
    let sudo = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() != "0")
        .unwrap_or(true);
    let apt = |args: &[&str]| {
        let mut cmd = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    status(&mut apt(&["update", "-q"]), "apt-get update")?;
    status(
        apt(&["install", "-y", "-q"]).args(packages),
        &format!("apt-get install {}", packages.join(" ")),
    )
}
