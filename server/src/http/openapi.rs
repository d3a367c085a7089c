//! The API's own description: every HTTP route as OpenAPI 3.1, served at `/api/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Switchboard",
        description = "The HTTP API of Switchboard, a real-time support desk. \
        The WebSocket protocol at /ws uses the Command and Event schemas."
    ),
    paths(
        super::api::health,
        super::metrics::ready,
        super::api::login,
        super::api::logout,
        super::api::me,
        super::api::departments,
        super::api::list_tickets,
        super::api::start_ticket,
        super::api::ticket,
        super::api::post_message,
        super::api::edit_message,
        super::api::mark_read,
        super::api::take,
        super::api::release,
        super::api::transfer,
        super::api::archive,
        super::api::rate,
        super::api::save_parameters,
        super::api::split,
        super::api::assign,
        super::api::follow,
        super::api::notifications,
        super::api::read_notifications,
        super::api::set_preferences,
        super::api::set_language,
        super::api::change_password,
        super::api::admin_state,
        super::api::administer,
        super::api::search,
        openapi,
        super::files::upload,
        super::files::cancel,
        super::files::download,
        super::files::preview,
        super::tokens::list,
        super::tokens::make,
        super::tokens::revoke,
        super::drafts::drafts,
        super::drafts::save_draft,
        super::mail::take_mail,
        super::mail::incoming,
        super::mail::ticket_from_mail,
        super::mail::attach_mail,
        super::mail::mark_spam,
        super::mail::mark_not_spam,
        super::mail::delete_mail,
        super::mail::mail_view,
        super::mail::mail_html,
        super::mail::mail_picture,
        super::mail::judge_spam,
        super::mail::judge_not_spam,
        super::accounts::put_member,
        super::accounts::get_member,
        super::accounts::list_members,
        super::accounts::put_card,
        super::accounts::put_subscriptions,
        super::accounts::put_purchase,
        super::accounts::list_purchases,
        super::accounts::put_service,
        super::accounts::delete_service,
        super::calls::report,
        super::calls::list,
        super::calls::card,
        super::calls::end,
        super::calls::change_account,
        super::calls::callbacks,
        super::calls::accept_callback,
        super::calls::callback_outcome,
        super::places::places,
        super::places::answer_by,
        super::workspace::profile,
        super::workspace::comment,
        super::workspace::diagnose,
        super::stats::figures,
        super::stats::csv
    ),
    components(schemas(app::protocol::Command, app::protocol::Event))
)]
pub(super) struct ApiDoc;

/// `GET /api/openapi.json`: this API as an OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200)))]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
