//! Sign-in security: a user's own second factor (the page `/account/security`: set up a
//! TOTP authenticator app, or turn it off with a code), an administrator's reset of a
//! user's second factor (a lost device), and the setting that makes it mandatory for
//! administrators. Each form calls the audited use case of `app::users`, as `recouvre user
//! totp` and the API do.

use crate::AppState;
use crate::api::Params;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::ui::{OrPage, PageResult, finish, render, see_other, with_notice};
use crate::ui_cases::{Fields, field};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/security", get(security_page))
        .route("/account/security/totp", post(enable))
        .route("/account/security/totp/off", post(disable_own))
        .route("/users/{login}/totp/reset", post(reset))
        .route("/settings/security", post(set_policy))
}

/// The name authenticator apps show beside the code.
pub const ISSUER: &str = "Recouvre";

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    page: crate::ui::Page,
    enabled: bool,
    /// A fresh secret to set up (when not enabled), and its `otpauth://` address.
    secret: String,
    uri: String,
    required_for_admins: bool,
    is_admin: bool,
}

async fn security_page(State(state): State<AppState>, ctx: Ctx, p: Params) -> Response {
    let result: PageResult = async {
        let user = ctx.user().page(&ctx)?.clone();
        let mut tx = state.store.begin_read().await.page(&ctx)?;
        let enabled = app::users::has_totp(tx.as_mut(), user.id)
            .await
            .page(&ctx)?;
        let required = app::users::totp_required_for_admins(tx.as_mut())
            .await
            .page(&ctx)?;
        drop(tx);
        let secret = if enabled {
            String::new()
        } else {
            app::totp::new_secret().page(&ctx)?
        };
        let uri = if enabled {
            String::new()
        } else {
            app::totp::otpauth_uri(ISSUER, &user.login, &secret)
        };
        let mut page = crate::ui::Page::new(&state, &ctx, "security-title", "/account/security")
            .with_notice(&p);
        page.title = page.t.get("security-title");
        Ok(render(&SecurityPage {
            page,
            enabled,
            secret,
            uri,
            required_for_admins: required,
            is_admin: user.role == app::store::Role::Admin,
        }))
    }
    .await;
    finish(&state, result)
}

async fn enable(State(state): State<AppState>, ctx: Ctx, Form(form): Form<Fields>) -> Response {
    let result: PageResult = async {
        let actor = ctx.actor().page(&ctx)?;
        app::users::enable_totp(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            actor.as_str(),
            field(&form, "secret"),
            field(&form, "code"),
        )
        .await
        .page(&ctx)?;
        Ok(see_other(&with_notice("/account/security", "totp-enabled")))
    }
    .await;
    finish(&state, result)
}

/// Turning one's own second factor off takes a valid code: a session left open on
/// someone's desk is not enough to remove it.
async fn disable_own(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Fields>,
) -> Response {
    let result: PageResult = async {
        let user = ctx.user().page(&ctx)?.clone();
        let (store, clock) = (state.store.as_ref(), state.clock.as_ref());
        let check = app::users::check_second_factor(store, clock, &user, field(&form, "code"))
            .await
            .page(&ctx)?;
        if check != app::users::SecondFactor::Accepted {
            return Err(WebError::field(
                "code",
                domain::tr!(
                    "not the code your app shows now, or used already",
                    "ce n'est pas le code affiché par votre application, ou il a déjà servi"
                ),
            ))
            .page(&ctx);
        }
        let actor = ctx.actor().page(&ctx)?;
        app::users::disable_totp(store, clock, &actor, &user.login)
            .await
            .page(&ctx)?;
        Ok(see_other(&with_notice(
            "/account/security",
            "totp-disabled",
        )))
    }
    .await;
    finish(&state, result)
}

/// An administrator resets a user's second factor (a lost device).
async fn reset(State(state): State<AppState>, ctx: Ctx, Path(login): Path<String>) -> Response {
    let result: PageResult = async {
        let actor = ctx.actor().page(&ctx)?;
        app::users::disable_totp(state.store.as_ref(), state.clock.as_ref(), &actor, &login)
            .await
            .page(&ctx)?;
        Ok(see_other(&with_notice(
            &crate::ui_users::user_path(&login),
            "totp-reset",
        )))
    }
    .await;
    finish(&state, result)
}

async fn set_policy(State(state): State<AppState>, ctx: Ctx, Form(form): Form<Fields>) -> Response {
    let result: PageResult = async {
        let actor = ctx.actor().page(&ctx)?;
        let required = field(&form, "totp_admins") == "required";
        app::users::set_totp_required_for_admins(
            state.store.as_ref(),
            state.clock.as_ref(),
            &actor,
            required,
        )
        .await
        .page(&ctx)?;
        Ok(see_other(&with_notice("/account/security", "totp-policy")))
    }
    .await;
    finish(&state, result)
}
