//! The baseline: the smallest axum/tokio server that does the same fan-out — sockets follow a
//! topic, a published text goes to each of its followers, the publisher is acknowledged —
//! with no storage, no sessions and no rules.

use super::*;
use axum::{
    Router,
    extract::{
        State,
        ws::{Message as AxumMessage, WebSocket, WebSocketUpgrade},
    },
    routing::get,
};
use std::sync::Mutex;

type Topics = Arc<Mutex<HashMap<u64, Vec<mpsc::Sender<String>>>>>;

#[derive(serde::Deserialize)]
struct Frame {
    sub: Option<u64>,
    #[serde(rename = "pub")]
    publish: Option<u64>,
    body: Option<String>,
}

pub async fn serve(addr: SocketAddr) {
    let topics = Topics::default();
    let app = Router::new()
        .route(
            "/ws",
            get(
                |ws: WebSocketUpgrade, State(topics): State<Topics>| async move {
                    ws.on_upgrade(move |socket| connection(socket, topics))
                },
            ),
        )
        .with_state(topics);
    let listener = tokio::net::TcpListener::bind(addr).await.expect("binds");
    eprintln!("baseline serving on {addr}");
    axum::serve(listener, app).await.expect("serves");
}

async fn connection(socket: WebSocket, topics: Topics) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel::<String>(4096);
    let writer = tokio::spawn(async move {
        while let Some(text) = rx.recv().await {
            if sink.send(AxumMessage::Text(text.into())).await.is_err() {
                return;
            }
        }
    });
    while let Some(Ok(AxumMessage::Text(text))) = stream.next().await {
        let Ok(frame) = serde_json::from_str::<Frame>(text.as_str()) else {
            continue;
        };
        if let Some(topic) = frame.sub {
            topics
                .lock()
                .expect("topics")
                .entry(topic)
                .or_default()
                .push(tx.clone());
            let _ = tx.try_send(format!("{{\"subscribed\":{topic}}}"));
        }
        if let (Some(topic), Some(body)) = (frame.publish, frame.body) {
            let followers = topics
                .lock()
                .expect("topics")
                .get(&topic)
                .cloned()
                .unwrap_or_default();
            for follower in followers {
                let _ = follower.try_send(body.clone());
            }
            let _ = tx.try_send("{\"ack\":true}".into());
        }
    }
    writer.abort();
}
