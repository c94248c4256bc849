//! Loading the templates a store holds, and changing them or the letter settings: checked
//! before anything is written (a template that does not compile changes nothing), audited
//! in the transaction of the change.

use crate::compose::{Comms, CommsError, settings};
use crate::fmt::Lang;
use crate::templates::{Part, SETTING_PREFIX, Templates};
use app::audit::{Actor, record};
use app::clock::Clock;
use app::store::{Store, Tx};
use domain::law::RateTables;
use std::path::Path;

/// The `template.*` settings of a store.
async fn template_settings(tx: &mut dyn Tx) -> Result<Vec<(String, String)>, CommsError> {
    Ok(tx
        .settings()
        .await?
        .into_iter()
        .filter(|(k, _)| k.starts_with(SETTING_PREFIX))
        .collect())
}

/// The templates in force: built-in, then the folder `dir`, then the store's settings.
pub async fn load_templates(
    store: &dyn Store,
    dir: Option<&Path>,
) -> Result<Templates, CommsError> {
    let mut tx = store.begin().await?;
    let overrides = template_settings(tx.as_mut()).await?;
    Ok(Templates::load(dir, &overrides)?)
}

/// Everything composing needs, loaded from the store and the folder.
pub async fn load(
    store: &dyn Store,
    dir: Option<&Path>,
    rates: RateTables,
) -> Result<Comms, CommsError> {
    Ok(Comms {
        templates: load_templates(store, dir).await?,
        rates,
    })
}

/// Stores (or, with `None`, removes) the database override of one part of a template,
/// after checking that the whole set still compiles with it. Audited as
/// `template.set` on `template:<name>.<lang>.<part>`.
#[allow(clippy::too_many_arguments)]
pub async fn put_template(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    dir: Option<&Path>,
    name: &str,
    lang: Lang,
    part: Part,
    source: Option<&str>,
) -> Result<(), CommsError> {
    let key = format!("{SETTING_PREFIX}{name}.{lang}.{part}");
    let mut tx = store.begin().await?;
    let mut overrides = template_settings(tx.as_mut()).await?;
    let before = overrides
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.clone());
    overrides.retain(|(k, _)| *k != key);
    if let Some(s) = source {
        overrides.push((key.clone(), s.to_string()));
    }
    let checked = Templates::load(dir, &overrides)?;
    if source.is_some() && !checked.contains(name) {
        return Err(CommsError::Invalid(format!("no template named {name:?}")));
    }
    // An empty value means "no override": the store has no delete for settings.
    tx.set_setting(&key, source.unwrap_or("")).await?;
    record(
        tx.as_mut(),
        clock,
        actor,
        "template.set",
        &format!("template:{name}.{lang}.{part}"),
        before.as_ref(),
        source.as_ref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the letter settings given (sender, collector, agency, notice days), audited as
/// `settings.set`. Unknown keys are refused before anything is written.
pub async fn set_settings(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    changes: &[(&str, String)],
) -> Result<(), CommsError> {
    for (key, value) in changes {
        if !settings::ALL.contains(key) {
            return Err(CommsError::Invalid(format!("{key}: not a letter setting")));
        }
        if *key == settings::NOTICE_DAYS
            && !value.parse::<u16>().is_ok_and(|d| (1..=90).contains(&d))
        {
            return Err(CommsError::Invalid(domain::tr!(
                "{key}: {value:?} is not a number of days from 1 to 90",
                "{key} : {value:?} n'est pas un nombre de jours de 1 à 90"
            )));
        }
    }
    let mut tx = store.begin().await?;
    for (key, value) in changes {
        let before = tx.setting(key).await?;
        tx.set_setting(key, value).await?;
        record(
            tx.as_mut(),
            clock,
            actor,
            "settings.set",
            &format!("setting:{key}"),
            before.as_ref(),
            Some(value),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
