//! Members added by hand in `/admin`: checked field by field (an address or a phone number
//! someone has already named), refused to operators over HTTP and the socket, without a
//! password, and found by their number when they call.

use super::*;
use common::phone::report;

fn member(email: &str, phone: Option<&str>) -> AdminAction {
    AdminAction::CreateMember {
        email: email.into(),
        name: "Mila Orlova".into(),
        phone: phone.map(Into::into),
    }
}

pub async fn members_added_by_hand(backend: Backend) {
    let server = TestServer::start(backend).await;
    let ada = server.signed_in(ADA).await;
    let added = administer(&ada, &member("mila@example.org", Some("8 (916) 555-44-33"))).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);

    // Each refusal names its field; nothing of a refused member is kept.
    let refusals = [
        ("email", member("mila@example.org", None)),
        ("email", member("not an address", None)),
        (
            "phone",
            member("mila.two@example.org", Some("+79165554433")),
        ),
        ("phone", member("mila.three@example.org", Some("12"))),
    ];
    for (field, action) in &refusals {
        administer(&ada, action).await.assert_invalid(field);
    }
    let again = administer(&ada, &member("mila.two@example.org", None)).await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "refused before, nothing kept: {}",
        again.body
    );

    // Operators may not, over HTTP or the socket.
    let olga = server.signed_in(OLGA).await;
    expect_refusal(&olga, member("x@example.org", None), StatusCode::FORBIDDEN).await;
    let mut socket = olga.socket().await;
    assert_eq!(
        change_over(&mut socket, member("y@example.org", None)).await,
        Err(ErrorCode::Forbidden)
    );

    // No password: she cannot sign in until given one.
    let signing = server
        .client()
        .login_with("mila@example.org", server::service::demo::PASSWORD)
        .await;
    assert_eq!(signing.status, StatusCode::UNAUTHORIZED, "{}", signing.body);

    // She calls: her number finds her.
    let token = common::admin_token(&server, "Telephony").await;
    let pbx = server.client().bearer(&token);
    let taken = report(&pbx, "mila-1", "ring", "+79165554433", None).await;
    assert_eq!(taken.call.member.name, "Mila Orlova");
    server.stop().await;
}
