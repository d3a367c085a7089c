//! Real mail servers on loopback for the suites: OpenSMTPD (SMTP) hands every mail to
//! Dovecot (LMTP), which files it into a Maildir per address and serves them over IMAP.
//! Both from Debian, installed once; their configuration, Maildirs and state live in
//! `target/tools/mail`. The relay takes any address (`+tags` dropped by Dovecot) but
//! refuses `*@nowhere.example` at `RCPT` and accepts `*@gone.example` only to bounce it
//! afterwards, as a real server does with a mailbox that does not exist.
//!
//! OpenSMTPD keeps its queue in `/var/spool/smtpd`, so one runs per machine: a previous run's
//! is stopped first. Stopped when the returned guard drops.

use std::{
    fs,
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::{Result, apt_install, step, target_dir};

/// The running servers and what the suites need to reach them.
pub struct MailRig {
    children: Vec<Child>,
    pub vars: Vec<(String, String)>,
}

impl Drop for MailRig {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn write(path: &Path, text: &str) -> Result {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn wait_for(port: u16, what: &str, log: &Path) -> Result {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let said = fs::read_to_string(log).unwrap_or_default();
    Err(format!("{what} did not start on port {port}:\n{said}"))
}

fn dovecot_conf(dir: &Path, imap: u16, lmtp: u16) -> String {
    let d = dir.display();
    format!(
        "base_dir = {d}/run\n\
         state_dir = {d}/run/state\n\
         log_path = {d}/dovecot.log\n\
         protocols = imap lmtp\n\
         listen = 127.0.0.1\n\
         ssl = no\n\
         disable_plaintext_auth = no\n\
         auth_mechanisms = plain login\n\
         auth_failure_delay = 0\n\
         login_trusted_networks = 127.0.0.0/8\n\
         mail_location = maildir:{d}/maildir/%d/%n\n\
         mail_uid = mail\nmail_gid = mail\nfirst_valid_uid = 8\nfirst_valid_gid = 8\n\
         default_internal_user = dovecot\ndefault_login_user = dovenull\n\
         passdb {{\n  driver = static\n  args = password=letmein\n}}\n\
         userdb {{\n  driver = static\n  args = uid=mail gid=mail home={d}/maildir/%d/%n\n}}\n\
         service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {imap}\n  }}\n  \
         inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
         service lmtp {{\n  inet_listener lmtp {{\n    address = 127.0.0.1\n    port = {lmtp}\n  }}\n  \
         unix_listener lmtp {{\n    mode = 0600\n  }}\n}}\n"
    )
}

fn smtpd_conf(smtp: u16, lmtp: u16) -> String {
    format!(
        "table vusers {{ \"@\" = \"mail\" }}\n\
         listen on 127.0.0.1 port {smtp}\n\
         action \"store\" lmtp \"127.0.0.1:{lmtp}\" rcpt-to virtual <vusers>\n\
         action \"gone\" mda \"/bin/sh -c 'exit 67'\" virtual <vusers>\n\
         match from any for domain \"nowhere.example\" reject\n\
         match from any for domain \"gone.example\" action \"gone\"\n\
         match from any for any action \"store\"\n"
    )
}

/// Stops the OpenSMTPD a previous run left (its pid is kept beside its configuration).
fn stop_previous(pid_file: &Path) {
    if let Ok(pid) = fs::read_to_string(pid_file) {
        let _ = Command::new("kill").arg(pid.trim()).status();
        std::thread::sleep(Duration::from_millis(500));
    }
    let _ = fs::remove_file(pid_file);
}

/// Installs the servers if need be and starts them on free ports.
pub fn start() -> Result<MailRig> {
    if !Path::new("/usr/sbin/smtpd").exists() || !Path::new("/usr/sbin/dovecot").exists() {
        apt_install(
            &["opensmtpd", "dovecot-imapd", "dovecot-lmtpd"],
            "OpenSMTPD and Dovecot, the mail servers the mail tests talk to",
        )?;
    }
    let dir: PathBuf = target_dir().join("tools/mail");
    let pid_file = dir.join("smtpd.pid");
    stop_previous(&pid_file);
    let _ = fs::remove_dir_all(dir.join("maildir"));
    for sub in ["run", "maildir"] {
        fs::create_dir_all(dir.join(sub)).map_err(|e| format!("cannot create {sub}: {e}"))?;
    }
    // Dovecot delivers as the `mail` user.
    let _ = Command::new("chown")
        .args(["mail:mail"])
        .arg(dir.join("maildir"))
        .status();
    let (smtp, imap, lmtp) = (free_port()?, free_port()?, free_port()?);
    step(&format!(
        "starting Dovecot (IMAP {imap}) and OpenSMTPD (SMTP {smtp}) for the mail tests"
    ));
    let dovecot_conf_path = dir.join("dovecot.conf");
    write(&dovecot_conf_path, &dovecot_conf(&dir, imap, lmtp))?;
    let smtpd_conf_path = dir.join("smtpd.conf");
    write(&smtpd_conf_path, &smtpd_conf(smtp, lmtp))?;
    let _ = Command::new("chmod")
        .arg("600")
        .arg(&smtpd_conf_path)
        .status();
    let log = |name: &str| {
        fs::File::create(dir.join(name))
            .map(Stdio::from)
            .map_err(|e| format!("cannot create {name}: {e}"))
    };
    let mut children = Vec::new();
    children.push(
        Command::new("/usr/sbin/dovecot")
            .arg("-F")
            .arg("-c")
            .arg(&dovecot_conf_path)
            .stdout(log("dovecot.out")?)
            .stderr(log("dovecot.err")?)
            .spawn()
            .map_err(|e| format!("cannot start dovecot: {e}"))?,
    );
    let smtpd = Command::new("/usr/sbin/smtpd")
        .arg("-d")
        .arg("-f")
        .arg(&smtpd_conf_path)
        .stdout(log("smtpd.out")?)
        .stderr(log("smtpd.err")?)
        .spawn()
        .map_err(|e| format!("cannot start smtpd: {e}"))?;
    write(&pid_file, &smtpd.id().to_string())?;
    children.push(smtpd);
    let rig = MailRig {
        children,
        vars: vec![
            ("SWITCHBOARD_TEST_SMTP".into(), format!("127.0.0.1:{smtp}")),
            ("SWITCHBOARD_TEST_IMAP".into(), format!("127.0.0.1:{imap}")),
            (
                "SWITCHBOARD_TEST_MAILDIR".into(),
                dir.join("maildir").display().to_string(),
            ),
            ("SWITCHBOARD_TEST_MAIL_REQUIRED".into(), "1".into()),
        ],
    };
    wait_for(imap, "Dovecot", &dir.join("dovecot.log"))?;
    wait_for(smtp, "OpenSMTPD", &dir.join("smtpd.err"))?;
    Ok(rig)
}
