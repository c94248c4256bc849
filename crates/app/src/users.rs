//! Users of the web application and their API tokens. Hashing passwords and tokens is the
//! web layer's business (it holds the argon2 parameters); these use cases check the
//! facts — a valid, free login, a known language — and store the user with its audit line.

use crate::audit::{self, Actor};
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{Role, Store, StoredApiToken, StoredUser, Tx};
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
        Err(AppError::Invalid(domain::tr!(
            "login {text:?}: 2 to 64 characters among a-z, 0-9, . _ - @",
            "identifiant {text:?} : 2 à 64 caractères parmi a-z, 0-9, . _ - @"
        )))
    }
}

pub fn parse_language(text: &str) -> AppResult<String> {
    let lang = text.trim().to_lowercase();
    if LANGUAGES.contains(&lang.as_str()) {
        Ok(lang)
    } else {
        Err(AppError::Invalid(domain::tr!(
            "language {text:?}: fr or en",
            "langue {text:?} : fr ou en"
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
    client_of: Option<domain::CreditorId>,
) -> AppResult<StoredUser> {
    if (new.role == Role::Client) != client_of.is_some() {
        return Err(AppError::Invalid(domain::tr!(
            "a client user is bound to one creditor, and only a client user is (recouvre client user)",
            "un utilisateur client est rattaché à un créancier, et seul un client l'est (recouvre client user)"
        )));
    }
    let login = parse_login(&new.login)?;
    let language = parse_language(&new.language)?;
    let display_name = match new.display_name.trim() {
        "" => login.clone(),
        name => name.to_string(),
    };
    let mut tx = store.begin().await?;
    if only_first && tx.user_count().await? > 0 {
        return Err(AppError::Invalid(domain::tr!(
            "an administrator already exists",
            "un administrateur existe déjà"
        )));
    }
    if tx.user_by_login(&login).await?.is_some() {
        return Err(AppError::Invalid(domain::tr!(
            "login {login:?} is taken",
            "l'identifiant {login:?} est déjà pris"
        )));
    }
    let mut user = StoredUser {
        id: 0,
        login,
        display_name,
        role: new.role,
        client_of,
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
    insert(store, clock, actor, new, false, None).await
}

/// Creates a user of the role `client`, bound to creditor `creditor`: it sees only that
/// creditor's files, in the client space (issue 19).
pub async fn add_client(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    new: NewUser,
    creditor: domain::CreditorId,
) -> AppResult<StoredUser> {
    {
        let mut tx = store.begin().await?;
        if !tx.creditors().await?.iter().any(|c| c.id == creditor) {
            return Err(AppError::NotFound {
                what: "creditor",
                id: creditor.0.to_string(),
            });
        }
    }
    let new = NewUser {
        role: Role::Client,
        ..new
    };
    insert(store, clock, actor, new, false, Some(creditor)).await
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
    insert(store, clock, &actor, new, true, None).await
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

/// The longest life an API token may be given, in days (ten years).
pub const MAX_TOKEN_DAYS: u32 = 3650;

async fn user_named(tx: &mut dyn Tx, login: &str) -> AppResult<StoredUser> {
    tx.user_by_login(&login.trim().to_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "user",
            id: login.to_string(),
        })
}

/// Stores a new API token (its hash) for a user, valid for `expires_days` days from now
/// if given (1 to [`MAX_TOKEN_DAYS`]), for ever otherwise; returns the token's id. A
/// deactivated user gets no token.
pub async fn add_api_token(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
    name: &str,
    token_hash: &str,
    expires_days: Option<u32>,
) -> AppResult<TokenView> {
    let name = match name.trim() {
        "" => "api",
        n => n,
    };
    let expires_at = match expires_days {
        None => None,
        Some(days) if (1..=MAX_TOKEN_DAYS).contains(&days) => {
            Some(plus_days(&clock.now_rfc3339(), days)?)
        }
        Some(days) => {
            return Err(AppError::Invalid(domain::tr!(
                "expires_days {days}: from 1 to {MAX_TOKEN_DAYS}",
                "expires_days {days} : de 1 à {MAX_TOKEN_DAYS}"
            )));
        }
    };
    let mut tx = store.begin().await?;
    let user = user_named(tx.as_mut(), login).await?;
    if !user.active {
        return Err(AppError::Invalid(domain::tr!(
            "{} is deactivated: no token for them",
            "{} est désactivé : pas de jeton",
            user.login
        )));
    }
    let created_at = clock.now_rfc3339();
    let id = tx
        .insert_api_token(&StoredApiToken {
            id: 0,
            user_id: user.id,
            name: name.to_string(),
            token_hash: token_hash.to_string(),
            created_at: created_at.clone(),
            expires_at: expires_at.clone(),
            revoked_at: None,
        })
        .await?;
    audit::record::<(), _>(
        tx.as_mut(),
        clock,
        actor,
        "api_token.create",
        &format!("user:{}", user.login),
        None,
        Some(&serde_json::json!({ "token_id": id, "name": name, "expires_at": expires_at })),
    )
    .await?;
    tx.commit().await?;
    Ok(TokenView {
        id,
        login: user.login,
        name: name.to_string(),
        created_at,
        expires_at,
        revoked_at: None,
        usable: true,
    })
}

/// `at` (RFC 3339) plus whole days, in UTC.
fn plus_days(at: &str, days: u32) -> AppResult<String> {
    let now: jiff::Timestamp = at
        .parse()
        .map_err(|e| AppError::Invalid(format!("clock instant {at:?}: {e}")))?;
    now.checked_add(jiff::SignedDuration::from_hours(i64::from(days) * 24))
        .map(|t| t.to_string())
        .map_err(|e| AppError::Invalid(format!("expiry: {e}")))
}

/// Whether an API token may be used at `now` (RFC 3339): not revoked and not expired (it
/// is refused from its expiry instant on). An unreadable expiry counts as expired.
pub fn token_usable(token: &StoredApiToken, now: &str) -> bool {
    if token.revoked_at.is_some() {
        return false;
    }
    let Some(expires) = &token.expires_at else {
        return true;
    };
    match (
        expires.parse::<jiff::Timestamp>(),
        now.parse::<jiff::Timestamp>(),
    ) {
        (Ok(expires), Ok(now)) => now < expires,
        _ => false,
    }
}

/// What is shown of an API token (never its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    /// Neither revoked nor expired now.
    pub usable: bool,
}

/// A user's API tokens, oldest first.
pub async fn api_tokens(
    store: &dyn Store,
    clock: &dyn Clock,
    login: &str,
) -> AppResult<Vec<TokenView>> {
    let mut tx = store.begin_read().await?;
    let user = user_named(tx.as_mut(), login).await?;
    let now = clock.now_rfc3339();
    Ok(tx
        .api_tokens()
        .await?
        .into_iter()
        .filter(|t| t.user_id == user.id)
        .map(|t| TokenView {
            usable: token_usable(&t, &now),
            id: t.id,
            login: user.login.clone(),
            name: t.name,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
        })
        .collect())
}

/// Revokes an API token: it is refused from now on. With `owner`, the token must be that
/// user's (the API and the pages name the user in the address).
pub async fn revoke_api_token(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    owner: Option<&str>,
) -> AppResult<TokenView> {
    let not_found = || AppError::NotFound {
        what: "API token",
        id: id.to_string(),
    };
    let mut tx = store.begin().await?;
    let token = tx
        .api_tokens()
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(not_found)?;
    let user = tx.user(token.user_id).await?.ok_or_else(not_found)?;
    if owner.is_some_and(|o| o.trim().to_lowercase() != user.login) {
        return Err(not_found());
    }
    let now = clock.now_rfc3339();
    if !tx.revoke_api_token(id, &now).await? {
        return Err(AppError::Invalid(domain::tr!(
            "API token {id} is already revoked",
            "le jeton {id} est déjà révoqué"
        )));
    }
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "api_token.revoke",
        &format!("user:{}", user.login),
        Some(&serde_json::json!({ "token_id": id, "name": token.name })),
        Some(&serde_json::json!({ "token_id": id, "revoked_at": now })),
    )
    .await?;
    tx.commit().await?;
    Ok(TokenView {
        id,
        login: user.login,
        name: token.name,
        created_at: token.created_at,
        expires_at: token.expires_at,
        revoked_at: Some(now),
        usable: false,
    })
}

/// Refuses a change that would leave no active administrator: `user` stops being one.
/// The setting row every change that could remove an administrator writes first (see
/// [`keep_an_admin`]).
const ADMIN_CHANGE_GUARD: &str = "users.admin_change";

async fn keep_an_admin(tx: &mut dyn Tx, user: &StoredUser) -> AppResult<()> {
    if !(user.active && user.role == Role::Admin) {
        return Ok(());
    }
    // Two administrators demoting or deactivating each other at once must not both see
    // the other one still there: this write takes one row's lock (PostgreSQL; SQLite's
    // write transactions are serial already), so the second change waits for the first
    // to commit and then counts what it left.
    tx.set_setting(ADMIN_CHANGE_GUARD, &user.login).await?;
    let others = tx
        .users()
        .await?
        .iter()
        .filter(|u| u.active && u.role == Role::Admin && u.id != user.id)
        .count();
    if others == 0 {
        return Err(AppError::Invalid(domain::tr!(
            "{} is the last active administrator: make another user admin first",
            "{} est le dernier administrateur actif : nommez d'abord un autre administrateur",
            user.login
        )));
    }
    Ok(())
}

/// Stores `after` (the same user changed), ends their sessions (all but `keep`) and
/// records `action` with the facts before and after.
#[allow(clippy::too_many_arguments)]
async fn change_user<B: Serialize, A: Serialize>(
    mut tx: Box<dyn Tx>,
    clock: &dyn Clock,
    actor: &Actor,
    after: &StoredUser,
    keep: Option<&str>,
    action: &str,
    before_facts: &B,
    after_facts: &A,
) -> AppResult<u64> {
    tx.update_user(after).await?;
    let ended = tx.delete_user_sessions(after.id, keep).await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        action,
        &format!("user:{}", after.login),
        Some(before_facts),
        Some(after_facts),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// Deactivates (`active` false) or reactivates a user. A deactivated user cannot sign in,
/// their sessions end at once and their API tokens are refused while they stay
/// deactivated. The last active administrator cannot be deactivated. Setting the state
/// the user is already in changes nothing and records nothing.
pub async fn set_active(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
    active: bool,
) -> AppResult<StoredUser> {
    let mut tx = store.begin().await?;
    let before = user_named(tx.as_mut(), login).await?;
    if before.active == active {
        return Ok(before);
    }
    if !active {
        keep_an_admin(tx.as_mut(), &before).await?;
    }
    let after = StoredUser {
        active,
        ..before.clone()
    };
    let action = if active {
        "user.activate"
    } else {
        "user.deactivate"
    };
    change_user(
        tx,
        clock,
        actor,
        &after,
        None,
        action,
        &serde_json::json!({ "active": before.active }),
        &serde_json::json!({ "active": active }),
    )
    .await?;
    Ok(after)
}

/// Changes a user's role. Their sessions end, so that the new role applies from their
/// next sign-in. The last active administrator cannot be demoted. The same role changes
/// nothing.
pub async fn set_role(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
    role: Role,
) -> AppResult<StoredUser> {
    let mut tx = store.begin().await?;
    let before = user_named(tx.as_mut(), login).await?;
    if before.role == role {
        return Ok(before);
    }
    if role == Role::Client || before.role == Role::Client {
        return Err(AppError::Invalid(domain::tr!(
            "a client's role does not change: a client user is bound to its creditor",
            "le rôle d'un client ne change pas : un utilisateur client est rattaché à son créancier"
        )));
    }
    if role != Role::Admin {
        keep_an_admin(tx.as_mut(), &before).await?;
    }
    let after = StoredUser {
        role,
        ..before.clone()
    };
    change_user(
        tx,
        clock,
        actor,
        &after,
        None,
        "user.role",
        &serde_json::json!({ "role": before.role }),
        &serde_json::json!({ "role": role }),
    )
    .await?;
    Ok(after)
}

/// Replaces a user's password (already hashed: the web layer checks and hashes it). Their
/// sessions end, except `keep` (the session of the user changing their own password).
/// The audit line records that it changed, never the hash.
pub async fn set_password(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
    password_hash: &str,
    keep: Option<&str>,
) -> AppResult<StoredUser> {
    let mut tx = store.begin().await?;
    let before = user_named(tx.as_mut(), login).await?;
    let after = StoredUser {
        password_hash: password_hash.to_string(),
        ..before.clone()
    };
    change_user(
        tx,
        clock,
        actor,
        &after,
        keep,
        "user.password",
        &serde_json::json!({ "password": "set" }),
        &serde_json::json!({ "password": "changed" }),
    )
    .await?;
    Ok(after)
}

// -- the second factor (TOTP)

/// The setting that makes a second factor mandatory for administrators: `required`, or
/// absent / anything else for optional.
pub const TOTP_ADMINS_SETTING: &str = "security.totp_admins";

/// Whether administrators must sign in with a second factor.
pub async fn totp_required_for_admins(tx: &mut dyn Tx) -> AppResult<bool> {
    Ok(tx.setting(TOTP_ADMINS_SETTING).await?.as_deref() == Some("required"))
}

/// A user's second-factor state, for the pages and `recouvre user list`.
pub async fn has_totp(tx: &mut dyn Tx, user_id: i64) -> AppResult<bool> {
    Ok(tx.user_totp(user_id).await?.is_some())
}

/// Turns on a user's second factor with `secret` (base32, from
/// [`crate::totp::new_secret`], shown to them), once they prove their app holds it with
/// a `code` it shows now; audited (`user.totp_enable`, without the secret). The code's
/// step counts as used.
pub async fn enable_totp(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
    secret: &str,
    code: &str,
) -> AppResult<()> {
    let secret = secret.trim().replace([' ', '-'], "").to_uppercase();
    if crate::totp::from_base32(&secret).is_none_or(|k| k.len() < 16) {
        return Err(AppError::Invalid(domain::tr!(
            "secret: not a base32 TOTP secret of at least 128 bits",
            "secret : pas un secret TOTP en base32 d'au moins 128 bits"
        )));
    }
    let Some(step) = crate::totp::matching_step(&secret, code, clock.now_unix()) else {
        return Err(AppError::Invalid(domain::tr!(
            "code: not the code the app shows now; nothing changed (check the device's clock)",
            "code : ce n'est pas le code affiché par l'application ; rien n'a changé (vérifiez l'heure de l'appareil)"
        )));
    };
    let mut tx = store.begin().await?;
    let user = user_named(tx.as_mut(), login).await?;
    let had = tx.user_totp(user.id).await?.is_some();
    tx.set_user_totp(user.id, Some(&secret)).await?;
    tx.use_totp_step(user.id, step).await?;
    record_totp(tx.as_mut(), clock, actor, &user.login, had, true).await?;
    tx.commit().await?;
    Ok(())
}

/// Audits a change of a user's second factor (`user.totp_enable` or `user.totp_disable`),
/// never with the secret.
async fn record_totp(
    tx: &mut dyn Tx,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
    before: bool,
    after: bool,
) -> AppResult<()> {
    let action = if after {
        "user.totp_enable"
    } else {
        "user.totp_disable"
    };
    audit::record(
        tx,
        clock,
        actor,
        action,
        &format!("user:{login}"),
        Some(&serde_json::json!({ "totp": before })),
        Some(&serde_json::json!({ "totp": after })),
    )
    .await
}

/// Turns off a user's second factor (a lost device: an administrator resets it, and the
/// user sets a new one up); audited (`user.totp_disable`). An administrator, when the
/// setting makes it mandatory, must then set a new one up before signing in again.
pub async fn disable_totp(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    login: &str,
) -> AppResult<()> {
    let mut tx = store.begin().await?;
    let user = user_named(tx.as_mut(), login).await?;
    if tx.user_totp(user.id).await?.is_none() {
        return Err(AppError::Invalid(domain::tr!(
            "{login} has no second factor; nothing changed",
            "{login} n'a pas de second facteur ; rien n'a changé",
            login = user.login
        )));
    }
    tx.set_user_totp(user.id, None).await?;
    record_totp(tx.as_mut(), clock, actor, &user.login, true, false).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes the second factor mandatory for administrators, or optional; audited
/// (`settings.totp_admins`). Making it mandatory is refused while an active
/// administrator has none (they could not sign in any more), naming them.
pub async fn set_totp_required_for_admins(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    required: bool,
) -> AppResult<()> {
    let mut tx = store.begin().await?;
    let before = totp_required_for_admins(tx.as_mut()).await?;
    if required {
        let mut missing = Vec::new();
        for u in tx.users().await? {
            if u.active && u.role == Role::Admin && tx.user_totp(u.id).await?.is_none() {
                missing.push(u.login);
            }
        }
        if !missing.is_empty() {
            let missing = missing.join(", ");
            return Err(AppError::Invalid(domain::tr!(
                "these administrators have no second factor yet and could not sign in: {missing}; \
                 each sets one up first (page Security, or recouvre user totp LOGIN)",
                "ces administrateurs n'ont pas encore de second facteur et ne pourraient plus se connecter : {missing} ; \
                 chacun le configure d'abord (page Sécurité, ou recouvre user totp LOGIN)"
            )));
        }
    }
    tx.set_setting(
        TOTP_ADMINS_SETTING,
        if required { "required" } else { "optional" },
    )
    .await?;
    audit::record(
        tx.as_mut(),
        clock,
        actor,
        "settings.totp_admins",
        "settings",
        Some(&serde_json::json!({ "required": before })),
        Some(&serde_json::json!({ "required": required })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a sign-in that passed its password still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// No second factor for this user, and none required.
    NotNeeded,
    /// The code was right, and is now used.
    Accepted,
    /// The user has a second factor and the code is missing, wrong or used already.
    Refused,
    /// An administrator without a second factor while it is mandatory: set one up first.
    SetUpFirst,
}

/// Checks the second factor of a user whose password was right, with the code typed
/// (empty when none was). A right code is used once: the same code again is refused,
/// whichever instance sees it.
pub async fn check_second_factor(
    store: &dyn Store,
    clock: &dyn Clock,
    user: &StoredUser,
    code: &str,
) -> AppResult<SecondFactor> {
    // Read first: a sign-in without a second factor writes nothing (on SQLite a write
    // would queue behind a long import).
    let mut tx = store.begin_read().await?;
    let secret = tx.user_totp(user.id).await?;
    let Some(secret) = secret else {
        let required = user.role == Role::Admin && totp_required_for_admins(tx.as_mut()).await?;
        return Ok(if required {
            SecondFactor::SetUpFirst
        } else {
            SecondFactor::NotNeeded
        });
    };
    drop(tx);
    let Some(step) = crate::totp::matching_step(&secret, code, clock.now_unix()) else {
        return Ok(SecondFactor::Refused);
    };
    let mut tx = store.begin().await?;
    let used_now = tx.use_totp_step(user.id, step).await?;
    tx.commit().await?;
    Ok(if used_now {
        SecondFactor::Accepted
    } else {
        SecondFactor::Refused
    })
}

// -- failed sign-ins, shared by every instance through the database

/// How many failed sign-ins of one login from one address within [`SIGN_IN_WINDOW`]
/// block it there.
pub const MAX_SIGN_IN_FAILURES: i64 = 5;
/// How many failed sign-ins from one address, whatever the login, block it.
pub const MAX_ADDRESS_FAILURES: i64 = 30;
/// The window of failures counted, in seconds.
pub const SIGN_IN_WINDOW: i64 = 15 * 60;

fn pair_key(address: &str, login: &str) -> String {
    format!("login:{} ip:{address}", login.to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

/// Whether sign-ins of `login` from `address` are refused for now: too many failures of
/// that pair, or of that address, within the window — counted in the database, so every
/// instance on one PostgreSQL database sees the same failures. Another address still
/// signs the user in (a guesser does not lock the owner out).
pub async fn sign_in_blocked(
    store: &dyn Store,
    clock: &dyn Clock,
    address: &str,
    login: &str,
) -> AppResult<bool> {
    let since = clock.now_unix() - SIGN_IN_WINDOW;
    let mut tx = store.begin_read().await?;
    Ok(
        tx.login_failures(&pair_key(address, login), since).await? >= MAX_SIGN_IN_FAILURES
            || tx.login_failures(&address_key(address), since).await? >= MAX_ADDRESS_FAILURES,
    )
}

/// Records a failed sign-in of `login` from `address` (and forgets those out of the
/// window).
pub async fn sign_in_failed(
    store: &dyn Store,
    clock: &dyn Clock,
    address: &str,
    login: &str,
) -> AppResult<()> {
    let now = clock.now_unix();
    let mut tx = store.begin().await?;
    tx.add_login_failures(
        &[pair_key(address, login), address_key(address)],
        now,
        now - SIGN_IN_WINDOW,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the failures of `login` from `address` after it signed in.
pub async fn sign_in_succeeded(store: &dyn Store, address: &str, login: &str) -> AppResult<()> {
    let key = pair_key(address, login);
    // Most sign-ins follow no failure: they write nothing.
    if store.begin_read().await?.login_failures(&key, 0).await? == 0 {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    tx.clear_login_failures(&key).await?;
    tx.commit().await?;
    Ok(())
}
