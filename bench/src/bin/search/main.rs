//! Full-text search latency over a desk of 100,000 messages, on SQLite and PostgreSQL.
//!
//! Fills a fresh database through the store (the same code the server writes with, so the
//! search index is built as in production), starts the real server on a loopback port, signs
//! in and times `GET /api/search` for several kinds of query, as an operator (the tickets of
//! one of two departments) and as a member (their own tickets). Messages are drawn from an
//! English and a Russian vocabulary with word frequencies following Zipf's law, as in real
//! text, plus order numbers that occur a handful of times each.
//!
//! `cargo run --release -p bench --bin search -- [--messages N] [--queries N] [--backend sqlite|postgres|both]`
//! prints a table and appends one JSON line per backend and query kind to
//! `bench/results/search.jsonl`.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use app::protocol::{
    Channel, ClientMsgId, DepartmentId, EventKind, Person, Role, SearchResults, UserId,
};
use bench::{Percentiles, Rng, round2};
use server::{
    config::{Secret, Settings},
    store::{EventDraft, Store},
};

mod words;
use words::{ENGLISH, RUSSIAN};
/// Word frequencies following Zipf's law: `pick` returns rank `r` with probability ∝ 1/r.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect::<Vec<_>>();
        Self {
            cumulative: cumulative.iter().map(|c| c / total).collect(),
        }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cumulative
            .partition_point(|c| *c < u)
            .min(self.cumulative.len() - 1)
    }
}

/// The text of one message: 8 to 40 words of one language, sometimes an order number.
fn message_text(rng: &mut Rng, english: &Zipf, russian: &Zipf, orders: u64) -> String {
    let (words, zipf) = if rng.below(10) < 7 {
        (ENGLISH, english)
    } else {
        (RUSSIAN, russian)
    };
    let len = 8 + rng.below(33);
    let mut text: Vec<String> = (0..len).map(|_| words[zipf.pick(rng)].to_owned()).collect();
    if rng.below(4) == 0 {
        let at = rng.below(text.len());
        text.insert(at, format!("A{}", 100_000 + rng.next_u64() % orders));
    }
    let mut text = text.join(" ");
    text.push('.');
    text
}

struct Options {
    messages: usize,
    queries: usize,
    backends: Vec<&'static str>,
}

fn options() -> Options {
    let mut options = Options {
        messages: 100_000,
        queries: 200,
        backends: bench::backends("both"),
    };
    for (option, value) in bench::options() {
        match option.as_str() {
            "--messages" => options.messages = value.parse().expect("--messages N"),
            "--queries" => options.queries = value.parse().expect("--queries N"),
            "--backend" => options.backends = bench::backends(&value),
            other => panic!("unknown option {other}; see the file's header"),
        }
    }
    options
}

/// The people and tickets searched: returns the member whose tickets are searched as a member.
struct Desk {
    member_email: String,
}

async fn fill(store: &Store, messages: usize) -> Desk {
    let now = server::clock::now();
    let hash = server::passwords::hash_password("bench").expect("a hash");
    let care = store
        .create_department("Customer care", now)
        .await
        .expect("a department");
    let billing = store
        .create_department("Billing", now)
        .await
        .expect("a department");
    let operator = store
        .create_user(
            "operator@bench.example",
            "Olga Operator",
            Role::Operator,
            &hash,
            &[care],
            now,
        )
        .await
        .expect("an operator");
    let members: Vec<_> = bench::add_members(store, 500, "bench.example", &hash)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let per_ticket = 20;
    let tickets = messages.div_ceil(per_ticket);
    let orders = (messages as u64 / 6).max(10);
    let english = Zipf::new(ENGLISH.len());
    let russian = Zipf::new(RUSSIAN.len());
    let mut rng = Rng::new(42);
    let started = Instant::now();
    let mut written = 0;
    let person = |id: UserId, role: Role| Person {
        id,
        name: String::new(),
        role,
    };
    let batch = 100;
    for first in (0..tickets).step_by(batch) {
        let mut tx = store.begin_write().await.expect("a transaction");
        for t in first..(first + batch).min(tickets) {
            let member = members[t % members.len()];
            let department: DepartmentId = if t % 2 == 0 { care } else { billing };
            let subject = message_text(&mut rng, &english, &russian, orders)
                .split(' ')
                .take(5)
                .collect::<Vec<_>>()
                .join(" ");
            let at = now - (tickets - t) as i64 * 60_000;
            let id = tx
                .create_ticket(member, department, &subject, Channel::Chat, None, at)
                .await
                .expect("a ticket");
            for m in 0..per_ticket.min(messages - written) {
                let body = message_text(&mut rng, &english, &russian, orders);
                let client_msg_id =
                    Some(ClientMsgId::parse(&format!("b{t}-{m}")).expect("a valid client id"));
                let (author, kind) = match m % 10 {
                    9 => (
                        person(operator, Role::Operator),
                        EventKind::Note {
                            body,
                            client_msg_id: client_msg_id.clone(),
                            attachments: Vec::new(),
                        },
                    ),
                    n if n % 2 == 1 => (
                        person(operator, Role::Operator),
                        EventKind::Message {
                            body,
                            client_msg_id: client_msg_id.clone(),
                            attachments: Vec::new(),
                            mail: None,
                        },
                    ),
                    _ => (
                        person(member, Role::Member),
                        EventKind::Message {
                            body,
                            client_msg_id: client_msg_id.clone(),
                            attachments: Vec::new(),
                            mail: None,
                        },
                    ),
                };
                let draft = EventDraft {
                    author,
                    kind,
                    client_msg_id,
                    ref_public_seq: None,
                };
                tx.append_event(id, draft, at + m as i64 * 1000)
                    .await
                    .expect("a message");
                written += 1;
            }
        }
        tx.commit().await.expect("commit");
    }
    println!(
        "  filled {written} messages in {tickets} tickets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Desk {
        member_email: "member7@bench.example".into(),
    }
}

/// The queries of one kind, each a list of search strings.
fn query_kinds(rng: &mut Rng, n: usize) -> Vec<(&'static str, Vec<String>)> {
    let pick = |rng: &mut Rng, words: &[&str], from: usize, to: usize| {
        words[from + rng.below(to - from)].to_owned()
    };
    let mut kinds: Vec<(&'static str, Vec<String>)> = vec![
        ("frequent word", Vec::new()),
        ("mid-frequency word", Vec::new()),
        ("rare order number", Vec::new()),
        ("two words", Vec::new()),
        ("prefix as you type", Vec::new()),
        ("russian word", Vec::new()),
    ];
    for _ in 0..n {
        kinds[0].1.push(pick(rng, ENGLISH, 0, 10));
        kinds[1].1.push(pick(rng, ENGLISH, 30, 80));
        kinds[2].1.push(format!("A{}", 100_000 + rng.below(10_000)));
        kinds[3].1.push(format!(
            "{} {}",
            pick(rng, ENGLISH, 10, 40),
            pick(rng, ENGLISH, 40, 120)
        ));
        let word = pick(rng, ENGLISH, 13, 120);
        kinds[4].1.push(word.chars().take(3).collect());
        kinds[5].1.push(pick(rng, RUSSIAN, 5, 60));
    }
    kinds
}

/// Times each query; the latencies and the average number of hits.
async fn time_queries(
    client: &reqwest::Client,
    base: &str,
    queries: &[String],
) -> (Vec<Duration>, f64) {
    let mut samples = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    for q in queries {
        let url = reqwest::Url::parse_with_params(&format!("{base}/api/search"), [("q", q)])
            .expect("a URL");
        let started = Instant::now();
        let res = client.get(url).send().await.expect("search answers");
        let status = res.status();
        let body: SearchResults = res.json().await.expect("search results");
        samples.push(started.elapsed());
        assert!(status.is_success(), "search {q:?} failed: {status}");
        hits += body.hits.len();
    }
    (samples, hits as f64 / queries.len().max(1) as f64)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let options = options();
    let machine = bench::machine();
    let (date, commit) = (bench::date(), bench::commit());
    println!(
        "search benchmark: {} messages, {} queries per kind, {machine}",
        options.messages, options.queries
    );
    println!(
        "{:<10} {:<8} {:<20} {:>9} {:>9} {:>9} {:>7}",
        "backend", "as", "query", "p50 ms", "p95 ms", "p99 ms", "hits"
    );
    for backend in &options.backends {
        println!("{backend}:");
        let scratch = bench::fresh_database(backend, "search").await;
        let url = &scratch.url;
        let settings = Settings {
            addr: "127.0.0.1:0".parse().expect("an address"),
            database_url: Some(Secret::new(url.clone())),
            database_max_connections: 8,
            files_dir: Some(scratch.files()),
            ..Settings::default()
        };
        // The desk is filled through a store of its own, before the server opens it.
        let store = Store::connect(url, 4).await.expect("the database opens");
        store.migrate().await.expect("the schema");
        let desk = fill(&store, options.messages).await;
        store.close().await;
        bench::analyze(url).await;
        let served = bench::InProcess::start(settings).await;
        let base = served.base.clone();
        let operator = bench::signed_in(&base, "operator@bench.example", "bench").await;
        let member = bench::signed_in(&base, &desk.member_email, "bench").await;
        let mut rng = Rng::new(7);
        // Warm the caches as a running server's would be.
        let warm = query_kinds(&mut rng, 10);
        for (_, queries) in &warm {
            time_queries(&operator, &base, queries).await;
        }
        let kinds = Arc::new(query_kinds(&mut rng, options.queries));
        for (who, client) in [("operator", &operator), ("member", &member)] {
            for (kind, queries) in kinds.iter() {
                if who == "member" && !matches!(*kind, "frequent word" | "prefix as you type") {
                    continue;
                }
                let (mut samples, hits) = time_queries(client, &base, queries).await;
                let p = Percentiles::of(&mut samples).expect("samples");
                println!(
                    "{:<10} {:<8} {:<20} {:>9.2} {:>9.2} {:>9.2} {:>7.1}",
                    "", who, kind, p.p50, p.p95, p.p99, hits
                );
                let line = serde_json::json!({
                    "bench": "search",
                    "backend": backend,
                    "messages": options.messages,
                    "searcher": who,
                    "query": kind,
                    "queries": queries.len(),
                    "p50_ms": round2(p.p50),
                    "p95_ms": round2(p.p95),
                    "p99_ms": round2(p.p99),
                    "avg_hits": round2(hits),
                    "machine": machine,
                    "date": date,
                    "commit": commit,
                });
                bench::append_result("search.jsonl", &line).expect("results written");
            }
        }
        served.stop().await;
        scratch.remove().await;
    }
    println!(
        "results appended to {}",
        bench::results_file("search.jsonl").display()
    );
}
