//! The server-rendered pages: who may open which, the login and logout forms, and the Leptos
//! routes. Forms work before (and without) the browser bundle.

use app::{
    CurrentUser, PageData,
    i18n::PageLang,
    protocol::{NewToken, Role, TokenList},
};
use axum::{
    Form, Router,
    extract::{Request, State, rejection::FormRejection},
    http::{HeaderMap, header},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use tower_sessions::Session;
use tracing::warn;

use super::{ApiError, ClientAddr, MaybeAuthUser, error::form_refusal, extract::SessionUser};
use crate::{auth, domain::Viewer, service, state::AppState};

/// Where a person lands after signing in.
fn home_of(role: Role) -> &'static str {
    if role.is_staff() {
        "/board"
    } else {
        "/account"
    }
}

/// The signed-in person, if any: pages treat a failing database as signed out (logged), so
/// the login page still shows.
fn current_viewer(asking: Result<MaybeAuthUser, ApiError>) -> Option<Viewer> {
    match asking {
        Ok(MaybeAuthUser(viewer)) => viewer,
        Err(err) => {
            warn!(error = %err, "could not tell who is asking");
            None
        }
    }
}

/// `GET /`: to the person's home, or to the login page.
pub async fn home(asking: Result<MaybeAuthUser, ApiError>) -> Redirect {
    match current_viewer(asking) {
        Some(viewer) => Redirect::to(home_of(viewer.role)),
        None => Redirect::to("/login"),
    }
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

/// `POST /login` (form): signs in and goes home, or back to the form with an error.
pub async fn login_form(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    session: Session,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return Redirect::to("/login?error=form").into_response();
    };
    let user = match state
        .desk
        .sign_in(&form.email, &form.password, address)
        .await
    {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login?error=credentials").into_response(),
        Err(service::Error::Throttled(wait)) => {
            let seconds = service::seconds_to_wait(wait);
            return Redirect::to(&format!("/login?error=wait&seconds={seconds}")).into_response();
        }
        Err(err) => {
            warn!(error = %err, "login failed");
            return Redirect::to("/login?error=unavailable").into_response();
        }
    };
    let signed = async {
        auth::sign_in(&session, user).await.ok()?;
        state.desk.viewer(user).await.ok().flatten()
    };
    match signed.await {
        Some(viewer) => Redirect::to(home_of(viewer.role)).into_response(),
        None => Redirect::to("/login?error=unavailable").into_response(),
    }
}

/// `POST /logout` (form): signs out, closing the session's sockets, and shows the login page.
pub async fn logout_form(State(state): State<AppState>, session: Session) -> Redirect {
    let (id, user) = (session.id(), auth::signed_in(&session).await.ok().flatten());
    if let Err(err) = auth::sign_out(&session).await {
        warn!(error = %err, "logout failed");
    }
    if let (Some(user), Some(id)) = (user, id) {
        state.desk.signed_out(user, &id.to_string()).await;
    }
    Redirect::to("/login")
}

/// The sign-up form's fields.
#[derive(Deserialize)]
pub struct SignUpForm {
    name: String,
    email: String,
    password: String,
    repeat_password: String,
}

/// The desk's address as the browser reached it: the form's `Origin` (checked to be the
/// desk's own before any write gets here), else its `Host`.
fn desk_address(headers: &HeaderMap) -> String {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
        && origin.starts_with("http")
    {
        return origin.to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// `POST /signup` (form): takes a sign-up where members may sign themselves up and mails its
/// link; back to the page saying so (`?sent`), or why not (`?error=<reason>`).
pub async fn signup_form(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<SignUpForm>, FormRejection>,
) -> Redirect {
    let Ok(Form(form)) = form else {
        return Redirect::to("/signup?error=form");
    };
    if form.password != form.repeat_password {
        return Redirect::to("/signup?error=mismatch");
    }
    let desk = desk_address(&headers);
    let signed_up = state
        .desk
        .sign_up(service::SignUp {
            name: &form.name,
            email: &form.email,
            password: &form.password,
            lang: super::lang::request_lang(&headers, state.settings.language),
            desk: &desk,
            address,
        })
        .await;
    match signed_up {
        Ok(()) => Redirect::to("/signup?sent"),
        Err(err) => Redirect::to(&format!("/signup?error={}", form_refusal(&err))),
    }
}

/// `GET /signup/confirm/{token}`: the link a sign-up's mail holds. Followed in time, the
/// member is made and signed in on this browser; else back to the sign-up page saying so.
pub async fn confirm_sign_up(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Redirect {
    match state.desk.confirm_sign_up(&token).await {
        Ok(Some(user)) => match auth::sign_in(&session, user).await {
            Ok(()) => Redirect::to("/account"),
            Err(err) => {
                warn!(error = %err, "could not sign a new member in");
                Redirect::to("/login")
            }
        },
        Ok(None) => Redirect::to("/signup?error=link"),
        Err(err) => {
            warn!(error = %err, "could not confirm a sign-up");
            Redirect::to("/signup?error=unavailable")
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    repeat_password: String,
}

/// `POST /password` (form): changes the signed-in person's password (their other sessions
/// end); back to the page saying how it went.
pub async fn password_form(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    session: Session,
    viewer: Result<SessionUser, ApiError>,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Redirect {
    let (Ok(SessionUser(viewer)), Some(id)) = (viewer, session.id()) else {
        return Redirect::to("/login");
    };
    let Ok(Form(form)) = form else {
        return Redirect::to("/password?error=form");
    };
    if form.new_password != form.repeat_password {
        return Redirect::to("/password?error=mismatch");
    }
    let changed = state
        .desk
        .change_password(
            &viewer,
            &id.to_string(),
            address,
            &form.current_password,
            &form.new_password,
        )
        .await;
    match changed {
        Ok(()) => Redirect::to("/password?done"),
        Err(err) => Redirect::to(&format!("/password?error={}", form_refusal(&err))),
    }
}

/// Sends people to the pages of their role and hands the page their identity.
async fn guard(
    State(state): State<AppState>,
    asking: Result<MaybeAuthUser, ApiError>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let viewer = current_viewer(asking);
    let path = req.uri().path();
    let wanted = if path.starts_with("/account") {
        Some(Role::Member)
    } else if path.starts_with("/board")
        || path.starts_with("/stats")
        || path.starts_with("/incoming")
        || path.starts_with("/mail/")
    {
        Some(Role::Operator)
    } else if path.starts_with("/admin") {
        Some(Role::Administrator)
    } else {
        None
    };
    if path.starts_with("/wall") {
        match &viewer {
            None => return Redirect::to("/login").into_response(),
            Some(v) if !crate::domain::may_watch_wall(v) => {
                return Redirect::to(home_of(v.role)).into_response();
            }
            Some(_) => {}
        }
    }
    let own_settings = path == "/password" || path == "/tokens";
    let widget = super::extract::widget_of(req.extensions());
    if widget.is_some() && (own_settings || path == "/login") {
        // Inside a host site's page the host signs people in and out, not the desk.
        return Redirect::to("/account").into_response();
    }
    match (&viewer, wanted) {
        (None, Some(_)) => return Redirect::to("/login").into_response(),
        (None, None) if own_settings => return Redirect::to("/login").into_response(),
        (Some(v), Some(Role::Member)) if v.role.is_staff() => {
            return Redirect::to(home_of(v.role)).into_response();
        }
        (Some(v), Some(Role::Administrator)) if v.role != Role::Administrator => {
            return Redirect::to(home_of(v.role)).into_response();
        }
        (Some(v), Some(_)) if !v.role.is_staff() && wanted != Some(Role::Member) => {
            return Redirect::to(home_of(v.role)).into_response();
        }
        (Some(v), None) if path == "/login" || path == "/signup" => {
            return Redirect::to(home_of(v.role)).into_response();
        }
        _ => {}
    }
    let me = match &viewer {
        Some(viewer) => state.desk.me(viewer).await.ok(),
        None => None,
    };
    let lang = me
        .as_ref()
        .and_then(|me| me.language)
        .unwrap_or_else(|| super::lang::request_lang(req.headers(), state.settings.language));
    let tokens_page = path == "/tokens";
    let mut page = match &viewer {
        Some(viewer) if tokens_page => tokens_page_data(&state, viewer, &session).await,
        Some(viewer) if path == "/incoming" => incoming_page(&state, viewer).await,
        Some(viewer) if path == "/stats" => {
            stats_page(&state, viewer, req.uri().query(), lang).await
        }
        Some(viewer) if path.starts_with("/mail/") => mail_page(&state, viewer, path).await,
        _ => PageData::default(),
    };
    page.widget = widget.map(|w| app::WidgetFrame { origin: w.origin });
    if path == "/login" || path == "/signup" {
        page.sign_up_open = state.desk.sign_up_open().await.unwrap_or(false);
    }
    req.extensions_mut().insert(PageLang(lang));
    req.extensions_mut().insert(CurrentUser(me));
    req.extensions_mut().insert(page);
    let mut response = next.run(req).await;
    if tokens_page {
        // A token's secret is on the page once: never kept by a cache, never shown again.
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    response
}

/// The Incoming messages page's content: what waits for `viewer`, and the departments it
/// can go to.
async fn incoming_page(state: &AppState, viewer: &Viewer) -> PageData {
    let mails = match state.desk.incoming(viewer).await {
        Ok(mails) => mails,
        Err(err) => {
            warn!(error = %err, "could not list incoming mail");
            Vec::new()
        }
    };
    let departments = match state.desk.me(viewer).await {
        Ok(me) => me.departments,
        Err(_) => Vec::new(),
    };
    PageData {
        incoming: Some(app::protocol::IncomingPage { mails, departments }),
        ..PageData::default()
    }
}

/// The statistics page's content: the range the address asks for (the last 30 days if it
/// asks for none), and its figures or why there are none.
async fn stats_page(
    state: &AppState,
    viewer: &Viewer,
    query: Option<&str>,
    lang: app::i18n::Lang,
) -> PageData {
    let range = super::stats::range_of(query);
    let (figures, error) = match state.desk.statistics(viewer, &range).await {
        Ok(figures) => (Some(figures), None),
        Err(err) => {
            if !matches!(err, crate::service::Error::Rule(_)) {
                warn!(error = %err, "could not read the statistics");
            }
            (None, Some(err.public_message(lang)))
        }
    };
    PageData {
        stats: Some(app::protocol::StatsPage {
            range,
            figures,
            error,
        }),
        ..PageData::default()
    }
}

/// The page of a mail as it came (`/mail/{id}`): the mail, when `viewer` may read it.
async fn mail_page(state: &AppState, viewer: &Viewer, path: &str) -> PageData {
    let Some(id) = path
        .strip_prefix("/mail/")
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return PageData::default();
    };
    PageData {
        mail: state.desk.mail_view(viewer, &state.files, id).await.ok(),
        ..PageData::default()
    }
}

/// The tokens page's content: the tokens `viewer` may see and, once, the one just made.
async fn tokens_page_data(state: &AppState, viewer: &Viewer, session: &Session) -> PageData {
    let mut tokens = match state.desk.tokens(viewer).await {
        Ok(tokens) => tokens,
        Err(err) => {
            warn!(error = %err, "could not list tokens");
            TokenList::default()
        }
    };
    tokens.fresh = session
        .remove::<NewToken>(super::tokens::FRESH_TOKEN_KEY)
        .await
        .ok()
        .flatten();
    PageData {
        tokens: Some(tokens),
        ..PageData::default()
    }
}

/// The Leptos pages, each behind [`guard`].
pub fn routes(state: &AppState) -> Router<AppState> {
    let options = state.leptos.clone();
    let pages = generate_route_list(app::App);
    Router::new()
        .leptos_routes_with_context(
            state,
            pages,
            || {
                let parts = leptos::prelude::use_context::<axum::http::request::Parts>();
                let user = parts
                    .as_ref()
                    .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
                    .unwrap_or_default();
                let lang = parts
                    .as_ref()
                    .and_then(|parts| parts.extensions.get::<PageLang>().copied())
                    .unwrap_or_default();
                let page = parts
                    .as_ref()
                    .and_then(|parts| parts.extensions.get::<PageData>().cloned())
                    .unwrap_or_default();
                provide_context(page);
                provide_context(user);
                provide_context(lang);
            },
            move || app::shell(options.clone()),
        )
        .layer(middleware::from_fn_with_state(state.clone(), guard))
}
