//! The REST API of users and their API tokens (`/api/v1/users`, administrators only):
//! list, deactivate and reactivate, change a role or a password, list, create and revoke
//! API tokens. The same audited use cases as `recouvre user` and the users page (see
//! `app::users`).

use crate::AppState;
use crate::api::{id_path, json_body};
use crate::auth::{self, Ctx};
use crate::error::{Problem, WebError};
use app::store::{Role, StoredUser};
use app::users::TokenView;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<Json<T>, WebError>;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(deactivate_user))
        .routes(routes!(activate_user))
        .routes(routes!(put_role))
        .routes(routes!(put_password))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(reset_totp))
        .routes(routes!(put_totp_policy))
}

/// A user (never the password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub login: String,
    pub display_name: String,
    /// `viewer`, `collector`, `manager` or `admin`.
    pub role: String,
    pub language: String,
    /// `false`: deactivated; cannot sign in, their API tokens are refused.
    pub active: bool,
    pub created_at: String,
}

impl From<&StoredUser> for UserDto {
    fn from(u: &StoredUser) -> Self {
        Self {
            login: u.login.clone(),
            display_name: u.display_name.clone(),
            role: u.role.to_string(),
            language: u.language.clone(),
            active: u.active,
            created_at: u.created_at.clone(),
        }
    }
}

/// An API token (never its secret, shown once at creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub created_at: String,
    /// From then on the token is refused; `null`: it does not expire.
    pub expires_at: Option<String>,
    /// When it was revoked; `null`: not revoked.
    pub revoked_at: Option<String>,
    /// Neither revoked nor expired now.
    pub usable: bool,
}

impl From<TokenView> for TokenDto {
    fn from(t: TokenView) -> Self {
        Self {
            id: t.id,
            login: t.login,
            name: t.name,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            usable: t.usable,
        }
    }
}

/// `GET /api/v1/users`: every user, by login.
#[utoipa::path(get, path = "/api/v1/users", tag = "admin",
    responses((status = 200, body = Vec<UserDto>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_users(State(state): State<AppState>) -> ApiResult<Vec<UserDto>> {
    let mut tx = state.store.begin_read().await?;
    let users = tx.users().await?;
    Ok(Json(users.iter().map(UserDto::from).collect()))
}

async fn set_active(state: &AppState, ctx: &Ctx, login: &str, active: bool) -> ApiResult<UserDto> {
    let user = app::users::set_active(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        login,
        active,
    )
    .await?;
    Ok(Json(UserDto::from(&user)))
}

/// `POST /api/v1/users/{login}/deactivate`: the user can no longer sign in; their sessions
/// end at once and their API tokens are refused. The last active administrator cannot be
/// deactivated (422).
#[utoipa::path(post, path = "/api/v1/users/{login}/deactivate", tag = "admin",
    params(("login" = String, Path, description = "The user's login")),
    responses((status = 200, body = UserDto), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn deactivate_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
) -> ApiResult<UserDto> {
    set_active(&state, &ctx, &login, false).await
}

/// `POST /api/v1/users/{login}/activate`: a deactivated user may sign in again (and their
/// tokens that are neither revoked nor expired work again).
#[utoipa::path(post, path = "/api/v1/users/{login}/activate", tag = "admin",
    params(("login" = String, Path, description = "The user's login")),
    responses((status = 200, body = UserDto), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn activate_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
) -> ApiResult<UserDto> {
    set_active(&state, &ctx, &login, true).await
}

/// `POST /api/v1/users/{login}/totp/reset`: removes a user's second factor (a lost
/// device); they set up a new one on their Security page. Audited. 422 when they have
/// none.
#[utoipa::path(post, path = "/api/v1/users/{login}/totp/reset", tag = "admin",
    params(("login" = String, Path, description = "The user's login")),
    responses((status = 200, body = Object, description = "`{\"login\": ..., \"totp\": false}`"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn reset_totp(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
) -> ApiResult<serde_json::Value> {
    app::users::disable_totp(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &login,
    )
    .await?;
    Ok(Json(
        serde_json::json!({ "login": login.trim().to_lowercase(), "totp": false }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpPolicyRequest {
    /// `true`: administrators must sign in with a second factor.
    pub required_for_admins: bool,
}

/// `PUT /api/v1/settings/security`: makes the second factor mandatory for administrators
/// or optional. Mandatory is refused (422) while an active administrator has none.
/// Audited.
#[utoipa::path(put, path = "/api/v1/settings/security", tag = "admin",
    request_body = TotpPolicyRequest,
    responses((status = 200, body = Object, description = "`{\"required_for_admins\": ...}`"), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_totp_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<TotpPolicyRequest>, JsonRejection>,
) -> ApiResult<serde_json::Value> {
    let body = json_body(body)?;
    app::users::set_totp_required_for_admins(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        body.required_for_admins,
    )
    .await?;
    Ok(Json(
        serde_json::json!({ "required_for_admins": body.required_for_admins }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    /// `viewer`, `collector`, `manager` or `admin`.
    pub role: String,
}

/// `PUT /api/v1/users/{login}/role`: changes a user's role; their sessions end, so the new
/// role applies from their next sign-in. The last active administrator cannot be demoted
/// (422).
#[utoipa::path(put, path = "/api/v1/users/{login}/role", tag = "admin",
    params(("login" = String, Path, description = "The user's login")),
    request_body = RoleRequest,
    responses((status = 200, body = UserDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
    body: Result<Json<RoleRequest>, JsonRejection>,
) -> ApiResult<UserDto> {
    let body = json_body(body)?;
    let role = body
        .role
        .parse::<Role>()
        .map_err(|e| WebError::field("role", e))?;
    let user = app::users::set_role(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &login,
        role,
    )
    .await?;
    Ok(Json(UserDto::from(&user)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    /// At least 12 characters, not among the most common passwords.
    pub password: String,
}

/// `PUT /api/v1/users/{login}/password`: sets a user's password. Their sessions end, but
/// the session making the change when it is their own.
#[utoipa::path(put, path = "/api/v1/users/{login}/password", tag = "admin",
    params(("login" = String, Path, description = "The user's login")),
    request_body = PasswordRequest,
    responses((status = 200, body = UserDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn put_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
    body: Result<Json<PasswordRequest>, JsonRejection>,
) -> ApiResult<UserDto> {
    let body = json_body(body)?;
    let hash = auth::hash_password(&body.password)?;
    let own = ctx.user()?.login == login.trim().to_lowercase();
    let keep = ctx.session_hash.as_deref().filter(|_| own);
    let user = app::users::set_password(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        &login,
        &hash,
        keep,
    )
    .await?;
    Ok(Json(UserDto::from(&user)))
}

/// `GET /api/v1/users/{login}/tokens`: a user's API tokens, oldest first.
#[utoipa::path(get, path = "/api/v1/users/{login}/tokens", tag = "admin",
    params(("login" = String, Path, description = "The user's login")),
    responses((status = 200, body = Vec<TokenDto>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_tokens(
    State(state): State<AppState>,
    Path(login): Path<String>,
) -> ApiResult<Vec<TokenDto>> {
    let tokens = app::users::api_tokens(state.store.as_ref(), state.clock.as_ref(), &login).await?;
    Ok(Json(tokens.into_iter().map(TokenDto::from).collect()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What the token is for (default `api`).
    pub name: Option<String>,
    /// Days until it expires (1 to 3650); absent: it does not expire.
    pub expires_days: Option<u32>,
}

/// A new token: its secret is shown here once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenDto {
    pub id: i64,
    /// The bearer token (`Authorization: Bearer …`).
    pub token: String,
    pub expires_at: Option<String>,
}

/// `POST /api/v1/users/{login}/tokens`: creates an API token acting as that user.
#[utoipa::path(post, path = "/api/v1/users/{login}/tokens", tag = "admin",
    params(("login" = String, Path, description = "The user's login")),
    request_body = TokenRequest,
    responses((status = 200, body = NewTokenDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
    body: Result<Json<TokenRequest>, JsonRejection>,
) -> ApiResult<NewTokenDto> {
    let body = json_body(body)?;
    let (view, token) = new_token(
        &state,
        &ctx,
        &login,
        body.name.as_deref().unwrap_or(""),
        body.expires_days,
    )
    .await?;
    Ok(Json(NewTokenDto {
        id: view.id,
        token,
        expires_at: view.expires_at,
    }))
}

/// Creates a token through the audited use case; returns it and its secret.
pub(crate) async fn new_token(
    state: &AppState,
    ctx: &Ctx,
    login: &str,
    name: &str,
    expires_days: Option<u32>,
) -> Result<(TokenView, String), WebError> {
    let token = auth::random_token()?;
    let view = app::users::add_api_token(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        login,
        name,
        &auth::hash_token(&token),
        expires_days,
    )
    .await?;
    Ok((view, token))
}

/// `POST /api/v1/users/{login}/tokens/{id}/revoke`: the token is refused from now on.
#[utoipa::path(post, path = "/api/v1/users/{login}/tokens/{id}/revoke", tag = "admin",
    params(("login" = String, Path, description = "The user's login"), ("id" = i64, Path, minimum = 1, description = "The token's id")),
    responses((status = 200, body = TokenDto), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((login, id)): Path<(String, String)>,
) -> ApiResult<TokenDto> {
    let id = id_path(&id)?;
    let token = app::users::revoke_api_token(
        state.store.as_ref(),
        state.clock.as_ref(),
        &ctx.actor()?,
        id,
        Some(&login),
    )
    .await?;
    Ok(Json(TokenDto::from(token)))
}
