//! Quick diagnostics from a ticket: DNS lookups against a real DNS server (Debian's
//! `dnsmasq`, started here on loopback with a zone this test writes), and Whois queries
//! against a small Whois server this test runs itself — a real one cannot be installed
//! here, so two listeners speak the protocol (RFC 3912: a line in, text out, close): one as
//! IANA's server referring to the other, the other as the registry. Also what hostile servers
//! send (too much, binary, nothing at all), and who may run them, over HTTP and the socket.

use std::{
    net::{SocketAddr, UdpSocket},
    path::Path,
    process::{Child, Command as Process, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use app::protocol::{
    Command, Diagnosis, DiagnosisKind, DiagnosisRequest, DnsRecord, ErrorCode, Event,
};
use reqwest::StatusCode;
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

use super::{BILLING_OPERATOR, CARE_OPERATOR, MEMBER};
use crate::common::{Backend, Client, Options, Reply, TestDb, TestServer};

/// `dnsmasq` serving `shop.test` on a free port of 127.0.0.1, until dropped.
struct Dns {
    child: Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dnsmasq() -> Dns {
    let binary = Path::new("/usr/sbin/dnsmasq");
    assert!(
        binary.exists(),
        "Debian's dnsmasq is needed (apt-get install dnsmasq-base; `cargo xtask test` installs it)"
    );
    let port = UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().expect("a directory");
    let conf = dir.path().join("dnsmasq.conf");
    std::fs::write(
        &conf,
        format!(
            "port={port}\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n\
             auth-server=ns1.shop.test,127.0.0.1\nauth-zone=shop.test\n\
             host-record=shop.test,192.0.2.10,2001:db8::10\nhost-record=ns1.shop.test,192.0.2.53\n\
             mx-host=shop.test,mail.shop.test,10\ntxt-record=shop.test,\"v=spf1 -all\"\n"
        ),
    )
    .expect("its configuration");
    let child = Process::new(binary)
        .arg("--keep-in-foreground")
        .arg(format!("--conf-file={}", conf.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dnsmasq starts");
    Dns {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        _dir: dir,
    }
}

/// A Whois server on `ip`:`port` answering each query with what `answer` says.
async fn whois_server(ip: [u8; 4], port: u16, answer: fn(&str) -> Option<Vec<u8>>) {
    let listener = TcpListener::bind(SocketAddr::from((ip, port)))
        .await
        .expect("a Whois listener");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut line = Vec::new();
                let mut byte = [0u8; 1];
                while stream.read(&mut byte).await.unwrap_or(0) == 1 && byte[0] != b'\n' {
                    line.push(byte[0]);
                }
                let query = String::from_utf8_lossy(&line).trim().to_owned();
                match answer(&query) {
                    Some(text) => {
                        let _ = stream.write_all(&text).await;
                    }
                    // A server that never answers.
                    None => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
}

/// IANA's part: every domain is referred to the registry at 127.0.0.2.
fn iana(query: &str) -> Option<Vec<u8>> {
    if query == "slow.test" {
        return None;
    }
    Some(
        format!(
            "% IANA WHOIS server\ndomain:       TEST\nrefer:        127.0.0.2\n\nquery: {query}\n"
        )
        .into_bytes(),
    )
}

/// The registry's part: a record, or something hostile.
fn registry(query: &str) -> Option<Vec<u8>> {
    Some(match query {
        "huge.test" => vec![b'x'; 1024 * 1024],
        "binary.test" => b"Domain Name: BINARY.TEST\n\x00\x1b[31mred\x07\xff\xfe\r\nend\n".to_vec(),
        other => format!(
            "Domain Name: {}\nRegistrar: Test Registrar\n",
            other.to_uppercase()
        )
        .into_bytes(),
    })
}

/// What a `kind` lookup of `domain` found (answered `200`).
async fn found(client: &Client, ticket: i64, kind: &str, domain: &str) -> Diagnosis {
    let reply = diagnose(client, ticket, json!({"kind": kind, "domain": domain})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn diagnose(client: &Client, ticket: i64, request: serde_json::Value) -> Reply {
    client
        .post(&format!("/api/tickets/{ticket}/diagnostics"), &request)
        .await
}

pub async fn lookups_from_a_ticket(backend: Backend) {
    let dns = dnsmasq();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    whois_server([127, 0, 0, 1], port, iana).await;
    whois_server([127, 0, 0, 2], port, registry).await;
    let server = TestServer::start_with(
        Arc::new(TestDb::new(backend).await),
        Options {
            diagnostics: server::config::DiagnosticsSettings {
                resolver: Some(dns.addr),
                whois_server: "127.0.0.1".into(),
                whois_port: port,
                timeout_secs: 1,
            },
            ..Options::default()
        },
    )
    .await;
    let anna = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let maria = server.signed_in(BILLING_OPERATOR).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "My shop is down", "shop.test fails")
        .await
        .0;

    // DNS, each kind of record, from the real server.
    let mut records = Vec::new();
    for (record, expected) in [
        ("A", "shop.test. 600 IN A 192.0.2.10"),
        ("AAAA", "IN AAAA 2001:db8::10"),
        ("MX", "IN MX 10 mail.shop.test."),
        ("NS", "IN NS ns1.shop.test."),
        ("TXT", "IN TXT \"v=spf1 -all\""),
    ] {
        let reply = diagnose(
            &ivan,
            ticket,
            json!({"kind": "dns", "domain": "Shop.Test.", "record": record}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let d: Diagnosis = reply.json();
        assert!(
            !d.failed && d.output.contains(expected),
            "{record}: {}",
            d.output
        );
        assert_eq!(
            (d.domain.as_str(), d.server.clone()),
            ("shop.test", dns.addr.to_string())
        );
        records.push(d);
    }
    let missing: Diagnosis = found(&ivan, ticket, "dns", "nope.shop.test").await;
    assert!(missing.failed);
    assert_eq!(missing.output, "There is no such domain.");

    // Whois: IANA's referral followed to the registry.
    let whois: Diagnosis = found(&ivan, ticket, "whois", "shop.test").await;
    assert!(!whois.failed, "{}", whois.output);
    assert!(
        whois
            .output
            .starts_with("% 127.0.0.1\n% IANA WHOIS server\n"),
        "{}",
        whois.output
    );
    assert!(
        whois
            .output
            .contains("\n% 127.0.0.2\nDomain Name: SHOP.TEST\nRegistrar: Test Registrar\n"),
        "{}",
        whois.output
    );
    // Too much is cut; control bytes are dropped; silence ends in time.
    let huge: Diagnosis = found(&ivan, ticket, "whois", "huge.test").await;
    assert!(
        huge.output.contains("% cut at 65536 bytes"),
        "the answer says it was cut"
    );
    assert!(
        huge.output.len() < 66 * 1024 + 512,
        "{} bytes",
        huge.output.len()
    );
    let binary: Diagnosis = found(&ivan, ticket, "whois", "binary.test").await;
    assert!(
        binary.output.contains("Domain Name: BINARY.TEST\n[31mred"),
        "{}",
        binary.output
    );
    assert!(
        !binary
            .output
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    );
    let started = Instant::now();
    let slow: Diagnosis = found(&ivan, ticket, "whois", "slow.test").await;
    assert!(slow.failed);
    assert_eq!(slow.output, "The server did not answer within 1 s.");
    assert!(started.elapsed() < Duration::from_secs(5));
    // In Russian for whoever reads Russian.
    ivan.send(
        reqwest::Method::PUT,
        "/api/me/language",
        &json!({"language": "ru"}),
    )
    .await;
    let slow: Diagnosis = found(&ivan, ticket, "whois", "slow.test").await;
    assert_eq!(slow.output, "Сервер не ответил за 1 с.");

    // Not a domain name: refused beside its field.
    for bad in [
        "http://shop.test/",
        "shop test",
        "a\r\nb.test",
        "",
        "-shop.test",
    ] {
        diagnose(&ivan, ticket, json!({"kind": "whois", "domain": bad}))
            .await
            .assert_invalid("domain");
    }
    // The member, and an operator of another department: no such ticket.
    for who in [&anna, &maria] {
        let reply = diagnose(who, ticket, json!({"kind": "dns", "domain": "shop.test"})).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    }

    // The socket: the same answer for Ivan, the same refusal for the member.
    let request = DiagnosisRequest {
        kind: DiagnosisKind::Dns,
        domain: "shop.test".into(),
        record: Some(DnsRecord::Mx),
    };
    let ask = |request: DiagnosisRequest| {
        move |command_id| Command::Diagnose {
            command_id,
            ticket_id: app::protocol::TicketId(ticket),
            request,
        }
    };
    let pick = |id, e: &Event| match e {
        Event::Diagnosis {
            command_id,
            diagnosis,
        } if *command_id == id => Some(diagnosis.clone()),
        _ => None,
    };
    let mut socket = ivan.socket().await;
    let answer = socket
        .answered(ask(request.clone()), pick)
        .await
        .expect("answered");
    assert_eq!(answer.output, records[2].output);
    let mut member = anna.socket().await;
    assert_eq!(
        member.answered(ask(request), pick).await,
        Err(ErrorCode::NotFound)
    );
}

/// A resolver that never answers: the lookup ends in time and says so.
pub async fn a_silent_resolver_times_out(backend: Backend) {
    let silent = UdpSocket::bind("127.0.0.1:0").expect("a socket that never answers");
    let server = TestServer::start_with(
        Arc::new(TestDb::new(backend).await),
        Options {
            diagnostics: server::config::DiagnosticsSettings {
                resolver: Some(silent.local_addr().expect("its address")),
                timeout_secs: 1,
                ..Default::default()
            },
            ..Options::default()
        },
    )
    .await;
    let anna = server.signed_in(MEMBER).await;
    let ivan = server.signed_in(CARE_OPERATOR).await;
    let care = anna.department("Customer care").await;
    let ticket = anna
        .start_ticket(care, "Silence", "nothing answers")
        .await
        .0;
    let started = Instant::now();
    let d: Diagnosis = found(&ivan, ticket, "dns", "shop.test").await;
    assert!(d.failed);
    assert_eq!(d.output, "The server did not answer within 1 s.");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}
