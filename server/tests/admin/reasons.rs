//! Call-end reasons: the 24 defaults of the call centre's practice, in order, each closing the
//! request or not; added, renamed, moved, retired (never the last one offered) — by an
//! administrator only, over HTTP and the socket.

use app::protocol::{AdminAction, AdminState, ErrorCode};
use reqwest::StatusCode;

use super::common::people::{ADA, OLGA};
use super::common::{Backend, TestServer};
use super::{change, change_over, expect_refusal};

pub async fn call_end_reasons(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let state: AdminState = ada.get("/api/admin").await.json();
    let reasons = &state.call_end_reasons;
    assert_eq!(reasons.len(), 24);
    assert_eq!(reasons[0].label, "Address, phone number of POS");
    let closes = |state: &AdminState, label: &str| {
        state
            .call_end_reasons
            .iter()
            .find(|r| r.label.starts_with(label))
            .map(|r| r.closes)
    };
    assert_eq!(closes(&state, "Work on the loyalty program"), Some(true));
    assert_eq!(
        closes(&state, "Complaints about the product quality"),
        Some(false)
    );

    // Only an administrator changes them.
    let olga = server.signed_in(OLGA).await;
    let add = AdminAction::CreateCallEndReason {
        label: "Lost and found".into(),
        closes: false,
    };
    expect_refusal(&olga, &add, StatusCode::FORBIDDEN).await;
    let mut socket = olga.socket().await;
    assert_eq!(
        change_over(&mut socket, add.clone()).await.err(),
        Some(ErrorCode::Forbidden)
    );

    // Added at the end; a taken label refused; renamed; moved up; retired.
    let state = change(&ada, &add).await;
    let added = state.call_end_reasons.last().expect("added").clone();
    assert_eq!(
        (added.label.as_str(), added.closes),
        ("Lost and found", false)
    );
    expect_refusal(
        &ada,
        &AdminAction::CreateCallEndReason {
            label: "vacancies".into(),
            closes: true,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let state = change(
        &ada,
        &AdminAction::UpdateCallEndReason {
            id: added.id,
            label: "Lost property".into(),
            closes: true,
        },
    )
    .await;
    assert_eq!(closes(&state, "Lost property"), Some(true));
    let state = change(
        &ada,
        &AdminAction::MoveCallEndReason {
            id: added.id,
            up: true,
        },
    )
    .await;
    let at = |state: &AdminState| state.call_end_reasons.iter().position(|r| r.id == added.id);
    assert_eq!(at(&state), Some(23));
    assert_eq!(state.call_end_reasons[24].label, "Other");
    expect_refusal(
        &ada,
        &AdminAction::MoveCallEndReason {
            id: state.call_end_reasons[0].id,
            up: true,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let state = change(
        &ada,
        &AdminAction::RetireCallEndReason {
            id: added.id,
            retired: true,
        },
    )
    .await;
    assert!(
        state.call_end_reasons[23].retired,
        "kept, no longer offered"
    );
    server.stop().await;
}
