//! The page of one user (administrators): deactivate or reactivate them, change their
//! role or password, list, create and revoke their API tokens. Each form calls the
//! audited use case of `app::users`, as `recouvre user` and the API do.

use crate::AppState;
use crate::api::Params;
use crate::auth::{self, Ctx};
use crate::error::WebError;
use crate::ui::{OrPage, PageResult, finish, parse_id, render, see_other, with_notice};
use crate::ui_cases::{Fields, field, optional};
use app::store::Role;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users/{login}", get(user_page))
        .route("/users/{login}/active", post(set_active))
        .route("/users/{login}/role", post(set_role))
        .route("/users/{login}/password", post(set_password))
        .route("/users/{login}/tokens", post(create_token))
        .route("/users/{login}/tokens/{id}/revoke", post(revoke_token))
}

/// One API token as the page lists it.
#[derive(Debug)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub expires: String,
    /// `token-usable`, `token-expired` or `token-revoked`, translated.
    pub state: String,
    pub usable: bool,
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    page: crate::ui::Page,
    login: String,
    name: String,
    role: String,
    role_label: String,
    active: bool,
    roles: Vec<(String, String)>,
    tokens: Vec<TokenRow>,
    /// The secret of a token just created: shown on this answer only.
    new_token: Option<String>,
    /// Whether the user signs in with a second factor.
    totp: bool,
}

pub(crate) fn user_path(login: &str) -> String {
    format!("/users/{}", crate::ui::url_encode(login))
}

async fn page(
    state: &AppState,
    ctx: Ctx,
    p: Option<&Params>,
    login: &str,
    new_token: Option<String>,
) -> PageResult {
    let mut tx = state.store.begin_read().await.page(&ctx)?;
    let user = tx
        .user_by_login(&login.trim().to_lowercase())
        .await
        .page(&ctx)?
        .ok_or_else(|| WebError::NotFound(format!("no user {login:?} / utilisateur inconnu")))
        .page(&ctx)?;
    let totp = app::users::has_totp(tx.as_mut(), user.id)
        .await
        .page(&ctx)?;
    drop(tx);
    let tokens = app::users::api_tokens(state.store.as_ref(), state.clock.as_ref(), &user.login)
        .await
        .page(&ctx)?;
    let mut page = crate::ui::Page::new(state, &ctx, "nav-users", "/users");
    if let Some(p) = p {
        page = page.with_notice(p);
    }
    page.title = format!("{} — {}", page.t.get("nav-users"), user.login);
    let t = page.t.clone();
    let never = t.get("token-never");
    let tokens = tokens
        .into_iter()
        .map(|tk| {
            let state = if tk.revoked_at.is_some() {
                "token-revoked"
            } else if tk.usable {
                "token-usable"
            } else {
                "token-expired"
            };
            TokenRow {
                id: tk.id,
                name: tk.name,
                created: tk.created_at,
                expires: tk.expires_at.unwrap_or_else(|| never.clone()),
                state: t.get(state),
                usable: tk.usable,
            }
        })
        .collect();
    Ok(render(&UserPage {
        login: user.login.clone(),
        name: user.display_name.clone(),
        role: user.role.to_string(),
        role_label: t.get(&format!("role-{}", user.role)),
        active: user.active,
        roles: Role::ALL
            .iter()
            .map(|r| (r.to_string(), t.get(&format!("role-{r}"))))
            .collect(),
        tokens,
        new_token,
        totp,
        page,
    }))
}

async fn user_page(
    State(state): State<AppState>,
    ctx: Ctx,
    p: Params,
    Path(login): Path<String>,
) -> Response {
    finish(&state, page(&state, ctx, Some(&p), &login, None).await)
}

async fn set_active(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        let active = match field(&form, "active") {
            "1" => true,
            "0" => false,
            other => {
                return Err(WebError::field("active", format!("{other:?}: 0 or 1"))).page(&ctx);
            }
        };
        let actor = ctx.actor().page(&ctx)?;
        let user = app::users::set_active(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            &login,
            active,
        )
        .await
        .page(&ctx)?;
        let notice = if active {
            "user-activated"
        } else {
            "user-deactivated"
        };
        Ok(see_other(&with_notice(&user_path(&user.login), notice)))
    }
    .await;
    finish(&state, result)
}

async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        let role = field(&form, "role")
            .parse::<Role>()
            .map_err(|e| WebError::field("role", e))
            .page(&ctx)?;
        let actor = ctx.actor().page(&ctx)?;
        let user = app::users::set_role(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            &login,
            role,
        )
        .await
        .page(&ctx)?;
        Ok(see_other(&with_notice(
            &user_path(&user.login),
            "user-role",
        )))
    }
    .await;
    finish(&state, result)
}

async fn set_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        // Not trimmed: spaces are part of a password.
        let password = form.get("password").map_or("", String::as_str);
        let hash = auth::hash_password(password).page(&ctx)?;
        let actor = ctx.actor().page(&ctx)?;
        let own = actor.as_str() == login.trim().to_lowercase();
        let keep = ctx.session_hash.as_deref().filter(|_| own);
        let user = app::users::set_password(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            &login,
            &hash,
            keep,
        )
        .await
        .page(&ctx)?;
        Ok(see_other(&with_notice(
            &user_path(&user.login),
            "user-password",
        )))
    }
    .await;
    finish(&state, result)
}

async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(login): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        let days = optional(&form, "expires_days")
            .map(|v| {
                v.parse::<u32>().map_err(|_| {
                    WebError::field("expires_days", format!("{v:?} is not a number of days"))
                })
            })
            .transpose()
            .page(&ctx)?;
        let (view, token) =
            crate::api_users::new_token(&state, &ctx, &login, field(&form, "name"), days)
                .await
                .page(&ctx)?;
        // The secret is shown in this answer only; reloading does not create another.
        page(&state, ctx, None, &view.login, Some(token)).await
    }
    .await;
    finish(&state, result)
}

async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((login, id)): Path<(String, String)>,
) -> Response {
    let result: PageResult = async {
        let id = parse_id(&ctx, &id, "token")?;
        let actor = ctx.actor().page(&ctx)?;
        let token = app::users::revoke_api_token(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            id,
            Some(&login),
        )
        .await
        .page(&ctx)?;
        Ok(see_other(&format!(
            "{}#tokens",
            with_notice(&user_path(&token.login), "token-revoked")
        )))
    }
    .await;
    finish(&state, result)
}
