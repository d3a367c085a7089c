//! Members' accounts over HTTP: the host platform keeps them in sync (an administrator's API
//! token), moderators and administrators read them. Every `PUT` is idempotent.

use app::protocol::{
    CardUpsert, ErrorBody, MemberAccount, MemberPage, MemberUpsert, Purchase, PurchasePage,
    ServiceUpsert, Subscription,
};
use axum::{Json, extract::State};
use serde::Deserialize;

use super::{ApiJson, ApiPath, ApiQuery, ApiResult, AuthUser};
use crate::state::AppState;

/// `PUT /api/members/{external_id}`: creates or updates the member the host knows by
/// `external_id` (a member of the same address not yet synced — one made from a mail —
/// becomes them); their account.
#[utoipa::path(put, path = "/api/members/{external_id}", params(("external_id" = String, Path)),
    request_body = MemberUpsert, responses(
    (status = 200, body = MemberAccount), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody, description = "not an administrator"),
    (status = 422, body = ErrorBody, description = "a value refused, by field; `email` or `phones` held by another")))]
pub async fn put_member(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(external_id): ApiPath<String>,
    ApiJson(member): ApiJson<MemberUpsert>,
) -> ApiResult<Json<MemberAccount>> {
    Ok(Json(
        state
            .desk
            .sync_member(&viewer, &external_id, member)
            .await?,
    ))
}

/// `GET /api/members/{external_id}`: a member's account (moderators, administrators).
#[utoipa::path(get, path = "/api/members/{external_id}", params(("external_id" = String, Path)),
    responses((status = 200, body = MemberAccount), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "no such member")))]
pub async fn get_member(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(external_id): ApiPath<String>,
) -> ApiResult<Json<MemberAccount>> {
    Ok(Json(
        state.desk.member_account(&viewer, &external_id).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct MembersQuery {
    /// The `next` of the page before.
    after: Option<String>,
    /// 1 to 100 (50 when absent).
    limit: Option<i64>,
}

/// `GET /api/members?after=&limit=`: accounts a page at a time, by external id.
#[utoipa::path(get, path = "/api/members", params(MembersQuery), responses(
    (status = 200, body = MemberPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_members(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiQuery(query): ApiQuery<MembersQuery>,
) -> ApiResult<Json<MemberPage>> {
    Ok(Json(
        state
            .desk
            .member_accounts(&viewer, query.after.as_deref(), query.limit)
            .await?,
    ))
}

/// `PUT /api/members/{external_id}/cards/{number}`: a card as the host has it (a change of
/// status is kept in the card's history); the member's account.
#[utoipa::path(put, path = "/api/members/{external_id}/cards/{number}",
    params(("external_id" = String, Path), ("number" = String, Path)),
    request_body = CardUpsert, responses(
    (status = 200, body = MemberAccount), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody, description = "a value refused; `number` held by another member")))]
pub async fn put_card(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath((external_id, number)): ApiPath<(String, String)>,
    ApiJson(card): ApiJson<CardUpsert>,
) -> ApiResult<Json<MemberAccount>> {
    Ok(Json(
        state
            .desk
            .sync_card(&viewer, &external_id, &number, card)
            .await?,
    ))
}

/// `PUT /api/members/{external_id}/subscriptions`: the subscriptions named (others stay);
/// the member's account.
#[utoipa::path(put, path = "/api/members/{external_id}/subscriptions",
    params(("external_id" = String, Path)), request_body = Vec<Subscription>, responses(
    (status = 200, body = MemberAccount), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 422, body = ErrorBody)))]
pub async fn put_subscriptions(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(external_id): ApiPath<String>,
    ApiJson(subscriptions): ApiJson<Vec<Subscription>>,
) -> ApiResult<Json<MemberAccount>> {
    Ok(Json(
        state
            .desk
            .sync_subscriptions(&viewer, &external_id, subscriptions)
            .await?,
    ))
}

/// `PUT /api/members/{external_id}/purchases/{id}`: records (or corrects) a purchase.
#[utoipa::path(put, path = "/api/members/{external_id}/purchases/{id}",
    params(("external_id" = String, Path), ("id" = String, Path)), request_body = Purchase,
    responses((status = 200, body = Purchase), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_purchase(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath((external_id, id)): ApiPath<(String, String)>,
    ApiJson(purchase): ApiJson<Purchase>,
) -> ApiResult<Json<Purchase>> {
    Ok(Json(
        state
            .desk
            .sync_purchase(&viewer, &external_id, &id, purchase)
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PurchasesQuery {
    /// From this moment on (milliseconds), inclusive.
    from: Option<i64>,
    /// Before this moment (milliseconds).
    to: Option<i64>,
    /// The `next` of the page before.
    before: Option<String>,
    /// 1 to 100 (50 when absent).
    limit: Option<i64>,
}

/// `GET /api/members/{external_id}/purchases?from=&to=&before=&limit=`: newest first.
#[utoipa::path(get, path = "/api/members/{external_id}/purchases",
    params(("external_id" = String, Path), PurchasesQuery), responses(
    (status = 200, body = PurchasePage), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_purchases(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath(external_id): ApiPath<String>,
    ApiQuery(query): ApiQuery<PurchasesQuery>,
) -> ApiResult<Json<PurchasePage>> {
    Ok(Json(
        state
            .desk
            .member_purchases(
                &viewer,
                &external_id,
                (query.from, query.to),
                query.before.as_deref(),
                query.limit,
            )
            .await?,
    ))
}

/// `PUT /api/members/{external_id}/services/{id}`: a service the member has (its name, kind,
/// domain or account, status); the member's account.
#[utoipa::path(put, path = "/api/members/{external_id}/services/{id}",
    params(("external_id" = String, Path), ("id" = String, Path)), request_body = ServiceUpsert,
    responses((status = 200, body = MemberAccount), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_service(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath((external_id, id)): ApiPath<(String, String)>,
    ApiJson(service): ApiJson<ServiceUpsert>,
) -> ApiResult<Json<MemberAccount>> {
    Ok(Json(
        state
            .desk
            .sync_service(&viewer, &external_id, &id, service)
            .await?,
    ))
}

/// `DELETE /api/members/{external_id}/services/{id}`: the member no longer has it; their
/// account.
#[utoipa::path(delete, path = "/api/members/{external_id}/services/{id}",
    params(("external_id" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = MemberAccount), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete_service(
    State(state): State<AppState>,
    AuthUser(viewer): AuthUser,
    ApiPath((external_id, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<MemberAccount>> {
    Ok(Json(
        state
            .desk
            .remove_service(&viewer, &external_id, &id)
            .await?,
    ))
}
