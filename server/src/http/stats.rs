//! Statistics over HTTP: the figures as JSON, and each table as a CSV file.

use app::{
    protocol::{ErrorBody, Statistics, StatsRange},
    stats,
};
use axum::{
    Json,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};

use super::{ApiPath, ApiResult, AuthUser, error::ApiError};
use crate::{clock::now, service::Part, state::AppState};

/// The range a query string asks for: `from`, `to` (`YYYY-MM-DD`, the last day included),
/// `offset` (minutes east of UTC), and any number of `department` and `channel`; what is
/// missing is the last 30 days in UTC.
pub fn range_of(query: Option<&str>) -> StatsRange {
    let default = StatsRange::last_days(now(), 30, 0);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    StatsRange::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), default)
}

/// `GET /api/stats?from=2026-11-01&to=2026-11-30&offset=180&department=1&channel=chat`: the
/// figures of the range. Moderators and administrators: any departments; operators: their
/// own departments and their own work (`403` for a department that is not theirs); members:
/// `403`. `422` for an unreadable range or one over 400 days.
#[utoipa::path(get, path = "/api/stats",
    params(("from" = Option<String>, Query), ("to" = Option<String>, Query),
        ("offset" = Option<i32>, Query), ("department" = Option<Vec<i64>>, Query),
        ("channel" = Option<Vec<String>>, Query)),
    responses((status = 200, body = Statistics), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn figures(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Statistics>> {
    let range = range_of(query.as_deref());
    Ok(Json(state.desk.statistics(&viewer, &range).await?))
}

/// `GET /api/stats/{table}.csv?…` (the same range as `/api/stats`): one table as a CSV file
/// for spreadsheets (UTF-8 with a byte-order mark; times in seconds; text a spreadsheet
/// would run as a formula quoted and led by an apostrophe), in the asker's language. Tables:
/// `contacts`, `call_reasons`, `categories`, `criticality`, `times`, `operators`,
/// `ratings`, `open_by_age`.
#[utoipa::path(get, path = "/api/stats/{table}", params(("table" = String, Path)),
    responses((status = 200, content_type = "text/csv"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn csv(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(file): ApiPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some((id, part)) = file
        .strip_suffix(".csv")
        .and_then(|id| Some((id, Part::of_table(id)?)))
    else {
        return Err(ApiError::NotFound);
    };
    let range = range_of(query.as_deref());
    let figures = state.desk.statistics_of(&viewer, &range, &[part]).await?;
    let lang = super::lang::reader_lang(&state, &viewer, &headers).await;
    let Some(table) = stats::tables(&figures, lang)
        .into_iter()
        .find(|t| t.id == id)
    else {
        return Err(ApiError::NotFound);
    };
    let name = format!("switchboard-{id}-{}-{}.csv", range.from, range.to);
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|_| ApiError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        stats::to_csv(&table, lang),
    )
        .into_response())
}
