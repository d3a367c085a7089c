//! The command line: `serve`, `migrate`, `demo`, `create-user`, `ingest-email`,
//! `import-members`.

mod import;
mod ingest;

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use app::protocol::{DepartmentId, Role};
use clap::{Args, Parser, Subcommand};
use tracing::{error, info};
use tracing_subscriber::EnvFilter;

use app::{i18n::Lang, protocol::FileLimits};

use crate::{
    config::{Limits, Settings},
    domain,
    service::{self, Desk, NewPerson, demo},
    store::Store,
};

/// Switchboard: a self-hosted, real-time support desk.
#[derive(Parser)]
#[command(name = "switchboard", version, about)]
struct Cli {
    /// Settings file (TOML); default: ./switchboard.toml when present.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives; overrides the settings file and environment.
#[derive(Args)]
struct DataArgs {
    /// Directory for the SQLite database and files [default: ./data].
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The desk's own language, `en` or `ru`: for people whose browser says none, and the
    /// demo data's [default: en].
    #[arg(long, value_name = "LANG", value_parser = parse_language)]
    language: Option<Lang>,
}

fn parse_language(raw: &str) -> Result<Lang, String> {
    Lang::parse(raw).ok_or_else(|| format!("{raw:?} is not a language of the desk: en or ru"))
}

#[derive(Subcommand)]
enum Command {
    /// Serve the desk (migrates the database first).
    Serve {
        /// Address to listen on [default: 127.0.0.1:3000].
        #[arg(long, value_name = "IP:PORT")]
        addr: Option<SocketAddr>,
        #[command(flatten)]
        data: DataArgs,
        /// Load the demo data first when the database has nobody in it.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date.
    Migrate {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Load demo departments, people and tickets into an empty database.
    Demo {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Add a person who can sign in.
    CreateUser {
        #[command(flatten)]
        data: DataArgs,
        /// Their email, used to sign in.
        #[arg(long)]
        email: String,
        /// Their name as shown to others.
        #[arg(long)]
        name: String,
        /// member, operator, moderator or administrator.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Their password (or set SWITCHBOARD_PASSWORD).
        #[arg(long, env = "SWITCHBOARD_PASSWORD", hide_env_values = true)]
        password: String,
        /// A department they work in, by name; repeat for several.
        #[arg(long = "department", value_name = "NAME")]
        departments: Vec<String>,
    },
    /// Hand one mail, piped in on the standard input, to the running desk through a
    /// mailbox. Exit 0: taken; 75: try again later; 65: refused (too large).
    IngestEmail {
        /// The mailbox's name, as the administration page lists it.
        #[arg(long)]
        mailbox: String,
        /// The desk's address.
        #[arg(long, env = "SWITCHBOARD_URL", default_value = "http://127.0.0.1:3000")]
        url: String,
        /// An administrator's API token (or set SWITCHBOARD_TOKEN).
        #[arg(long, env = "SWITCHBOARD_TOKEN", hide_env_values = true)]
        token: String,
    },
    /// Import members' accounts from a CSV file (columns external_id, name, email, and
    /// optionally phones split by `;`, birth_date, city) into the running desk. Exit 0: all
    /// taken; 65: some rows refused; 75: the desk did not answer.
    ImportMembers {
        /// The CSV file (`-`: the standard input).
        file: String,
        /// The desk's address.
        #[arg(long, env = "SWITCHBOARD_URL", default_value = "http://127.0.0.1:3000")]
        url: String,
        /// An administrator's API token (or set SWITCHBOARD_TOKEN).
        #[arg(long, env = "SWITCHBOARD_TOKEN", hide_env_values = true)]
        token: String,
    },
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(raw).ok_or_else(|| "one of member, operator, moderator, administrator".into())
}

/// Runs the command line; the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let logs = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter);
    // The format is read before anything else, so that every line is written in it.
    match Settings::load(cli.config.as_deref()).map(|s| s.log_format) {
        Ok(crate::config::LogFormat::Json) => logs.json().flatten_event(true).init(),
        _ => logs.init(),
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let Command::IngestEmail {
        mailbox,
        url,
        token,
    } = &cli.command
    {
        return runtime.block_on(ingest::ingest(url, mailbox, token));
    }
    if let Command::ImportMembers { file, url, token } = &cli.command {
        return runtime.block_on(import::import(url, file, token));
    }
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            error!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn settings(config: Option<&std::path::Path>, data: DataArgs) -> Result<Settings, String> {
    let mut settings = Settings::load(config).map_err(|e| e.to_string())?;
    if let Some(dir) = data.data {
        settings.data_dir = dir;
    }
    if let Some(language) = data.language {
        settings.language = language;
    }
    Ok(settings)
}

async fn open_store(settings: &Settings) -> Result<Store, String> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", settings.data_dir.display()))?;
    }
    let store = Store::connect(settings.database_url().expose(), 4)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    store
        .migrate()
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    // A new desk speaks its language from the first page: its seeded lists included.
    demo::seeded_lists_in(&store, settings.language)
        .await
        .map_err(|e| format!("cannot name the seeded lists: {e}"))?;
    Ok(store)
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config.as_deref();
    match cli.command {
        Command::Serve { addr, data, demo } => {
            let mut settings = settings(config, data)?;
            if let Some(addr) = addr {
                settings.addr = addr;
            }
            if demo {
                let store = open_store(&settings).await?;
                demo::load_if_empty(&store, settings.language)
                    .await
                    .map_err(|e| format!("cannot load demo data: {e}"))?;
                store.close().await;
            }
            let state = crate::prepare(settings.clone())
                .await
                .map_err(|e| e.to_string())?;
            let listener = tokio::net::TcpListener::bind(settings.addr)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", settings.addr))?;
            crate::serve(listener, state, shutdown_signal())
                .await
                .map_err(|e| format!("server failed: {e}"))
        }
        Command::Migrate { data } => {
            open_store(&settings(config, data)?).await?;
            info!("database is up to date");
            Ok(())
        }
        Command::Demo { data } => {
            let settings = settings(config, data)?;
            let store = open_store(&settings).await?;
            demo::load_if_empty(&store, settings.language)
                .await
                .map_err(|e| format!("cannot load demo data: {e}"))
        }
        Command::CreateUser {
            data,
            email,
            name,
            role,
            password,
            departments,
        } => {
            // The same use case and the same checks as the administration page's.
            let store = open_store(&settings(config, data)?).await?;
            let desk = Desk::new(store, FileLimits::default(), &Limits::default());
            let all = desk.departments().await.map_err(|e| e.to_string())?;
            let mut ids: Vec<DepartmentId> = Vec::new();
            for wanted in &departments {
                let found = all
                    .iter()
                    .find(|d| d.name.eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| format!("no department named {wanted:?}"))?;
                ids.push(found.id);
            }
            let person = NewPerson::parse(&email, &name, role, &password, ids)
                .map_err(|e| e.message(Lang::En))?;
            let id = desk.create_person(person).await.map_err(|e| match e {
                service::Error::Rule(domain::Error::Invalid { field: "email", .. }) => {
                    format!("{email} already has an account")
                }
                other => other.public_message(Lang::En),
            })?;
            desk.close().await;
            info!(user_id = %id, role = role.as_str(), "account created");
            Ok(())
        }
        Command::IngestEmail { .. } | Command::ImportMembers { .. } => {
            unreachable!("handled before the runtime runs")
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    info!("shutting down");
}
