//! Users of the web application and their API tokens. Hashing passwords and tokens is the
//! web layer's business (it holds the argon2 parameters); these use cases check the
//! facts — a valid, free login, a known language — and store the user with its audit line.

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{Role, Store, StoredUser};
use serde::Serialize;

/// A user to create; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub language: String,
}

/// The languages of the interface.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

/// A login is 2 to 64 characters among lower-case letters, digits and `. _ - @`.
pub fn parse_login(text: &str) -> AppResult<String> {
    let login = text.trim().to_lowercase();
    let ok = (2..=64).contains(&login.chars().count())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_@".contains(c));
    if ok {
        Ok(login)
    } else {
        Err(AppError::Invalid(format!(
            "login {text:?}: 2 to 64 characters among a-z, 0-9, . _ - @ / identifiant invalide"
        )))
    }
}

pub fn parse_language(text: &str) -> AppResult<String> {
    let lang = text.trim().to_lowercase();
    if LANGUAGES.contains(&lang.as_str()) {
        Ok(lang)
    } else {
        Err(AppError::Invalid(format!(
            "language {text:?}: fr or en / langue fr ou en"
        )))
    }
}

/// What the audit log keeps of a user (never the hash).
#[derive(Debug, Serialize)]
struct UserFacts<'a> {
    login: &'a str,
    display_name: &'a str,
    role: Role,
    language: &'a str,
}

async fn insert(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: NewUser,
    only_first: bool,
) -> AppResult<StoredUser> {
    let login = parse_login(&new.login)?;
    let language = parse_language(&new.language)?;
    let display_name = match new.display_name.trim() {
        "" => login.clone(),
        name => name.to_string(),
    };
    let mut tx = store.begin().await?;
    if only_first && tx.user_count().await? > 0 {
        return Err(AppError::Invalid(
            "an administrator already exists / un administrateur existe déjà".into(),
        ));
    }
    if tx.user_by_login(&login).await?.is_some() {
        return Err(AppError::Invalid(format!(
            "login {login:?} is taken / identifiant déjà pris"
        )));
    }
    let mut user = StoredUser {
        id: 0,
        login,
        display_name,
        role: new.role,
        password_hash: new.password_hash,
        language,
        active: true,
        created_at: clock.now_rfc3339(),
    };
    user.id = tx.insert_user(&user).await?;
    let facts = UserFacts {
        login: &user.login,
        display_name: &user.display_name,
        role: user.role,
        language: &user.language,
    };
    audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "user.create",
        &format!("user:{}", user.login),
        None,
        Some(&facts),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Creates a user.
pub async fn add(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: NewUser,
) -> AppResult<StoredUser> {
    insert(store, clock, actor, new, false).await
}

/// Creates the first administrator, only while no user exists (the first-run page).
pub async fn add_first_admin(
    store: &dyn Store,
    clock: &dyn Clock,
    new: NewUser,
) -> AppResult<StoredUser> {
    let actor = Actor(format!("setup:{}", new.login.trim()));
    let new = NewUser {
        role: Role::Admin,
        ..new
    };
    insert(store, clock, &actor, new, true).await
}

/// Changes a user's interface language.
pub async fn set_language(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    user_id: i64,
    language: &str,
) -> AppResult<()> {
    let language = parse_language(language)?;
    let mut tx = store.begin().await?;
    let before = tx.user(user_id).await?.ok_or_else(|| AppError::NotFound {
        what: "user",
        id: user_id.to_string(),
    })?;
    tx.set_user_language(user_id, &language).await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "user.language",
        &format!("user:{}", before.login),
        Some(&before.language),
        Some(&language),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a new API token (its hash) for a user; returns the token's id.
pub async fn add_api_token(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
    name: &str,
    token_hash: &str,
) -> AppResult<i64> {
    let mut tx = store.begin().await?;
    let user = tx
        .user_by_login(login)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "user",
            id: login.to_string(),
        })?;
    let id = tx
        .insert_api_token(user.id, name, token_hash, &clock.now_rfc3339())
        .await?;
    audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "api_token.create",
        &format!("user:{}", user.login),
        None,
        Some(&serde_json::json!({ "token_id": id, "name": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
