//! The dunning configuration a database follows: the shipped scenarios by default, or the
//! TOML files a credit manager loaded (`recouvre scenarios load FILE...`), stored in the
//! database so every instance and every run uses the same set.
//!
//! Files are stored whole, under the `settings` keys `scenario_file:<name>` and
//! `assignment_file`; a load replaces the stored set only after the new set has been
//! validated as a whole (every rule names a scenario, every step parses).
//!
//! Every load and reset also bumps `scenario_version`, so that a long-running server
//! ([`ScenarioCache`]) sees a change made by the CLI or the editor at its next request
//! for the price of reading one setting, and rebuilds the set only then.

use crate::error::{AppError, AppResult};
use crate::store::Tx;
use domain::dunning::{
    DEFAULT_ASSIGNMENT_FILE, DEFAULT_SCENARIO_FILES, ScenarioError, ScenarioSet,
};
use std::sync::{Arc, Mutex};

const SCENARIO_KEYS: &str = "scenario_files";
const SCENARIO_PREFIX: &str = "scenario_file:";
const ASSIGNMENT_KEY: &str = "assignment_file";
/// Bumped by every load and reset: the key of [`ScenarioCache`].
const VERSION_KEY: &str = "scenario_version";

/// The files a set is built from: `(name, TOML text)` for each scenario, and the
/// assignment rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioFiles {
    pub scenarios: Vec<(String, String)>,
    pub assignment: (String, String),
    /// `true` when these are the shipped defaults (nothing loaded).
    pub shipped: bool,
}

impl ScenarioFiles {
    pub fn shipped() -> Self {
        Self {
            scenarios: DEFAULT_SCENARIO_FILES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            assignment: (
                DEFAULT_ASSIGNMENT_FILE.0.to_string(),
                DEFAULT_ASSIGNMENT_FILE.1.to_string(),
            ),
            shipped: true,
        }
    }

    /// Parses and cross-checks the files.
    pub fn build(&self) -> AppResult<ScenarioSet> {
        self.check().map_err(|e| AppError::Invalid(e.to_string()))
    }

    /// [`Self::build`] with the error as it is: the file (`origin`) and line at fault,
    /// for an editor to show next to the text.
    pub fn check(&self) -> Result<ScenarioSet, ScenarioError> {
        let scenarios: Vec<(&str, &str)> = self
            .scenarios
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        ScenarioSet::from_toml(
            &scenarios,
            (self.assignment.0.as_str(), self.assignment.1.as_str()),
        )
    }
}

/// The files stored in the database, or the shipped ones when none were loaded.
pub async fn stored_files(tx: &mut dyn Tx) -> AppResult<ScenarioFiles> {
    // No key, or an empty one (after `reset`): the shipped scenarios.
    let Some(names) = tx.setting(SCENARIO_KEYS).await?.filter(|n| !n.is_empty()) else {
        return Ok(ScenarioFiles::shipped());
    };
    let mut scenarios = Vec::new();
    for name in names.split('\n').filter(|n| !n.is_empty()) {
        let text = tx
            .setting(&format!("{SCENARIO_PREFIX}{name}"))
            .await?
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "stored scenario file {name:?} is missing from the database"
                ))
            })?;
        scenarios.push((name.to_string(), text));
    }
    let assignment = tx.setting(ASSIGNMENT_KEY).await?.ok_or_else(|| {
        AppError::Invalid("the stored assignment rules are missing from the database".into())
    })?;
    Ok(ScenarioFiles {
        scenarios,
        assignment: ("assignment.toml".into(), assignment),
        shipped: false,
    })
}

/// The scenario set the daily run follows.
pub async fn current(tx: &mut dyn Tx) -> AppResult<ScenarioSet> {
    stored_files(tx).await?.build()
}

/// Validates `files` as a whole and stores them as the database's dunning configuration.
/// Nothing is stored when any file is wrong: the error names the file and the line.
pub async fn load(tx: &mut dyn Tx, files: &ScenarioFiles) -> AppResult<ScenarioSet> {
    let set = files.build()?;
    let mut names = Vec::new();
    for (name, text) in &files.scenarios {
        if name.contains('\n') {
            return Err(AppError::Invalid(domain::tr!(
                "a scenario file name cannot contain a line break: {name:?}",
                "un nom de fichier de scénario ne peut pas contenir de saut de ligne : {name:?}"
            )));
        }
        tx.set_setting(&format!("{SCENARIO_PREFIX}{name}"), text)
            .await?;
        names.push(name.as_str());
    }
    tx.set_setting(ASSIGNMENT_KEY, &files.assignment.1).await?;
    tx.set_setting(SCENARIO_KEYS, &names.join("\n")).await?;
    bump_version(tx).await?;
    Ok(set)
}

/// Goes back to the shipped scenarios (the stored files stay, unused, until the next load
/// overwrites them).
pub async fn reset(tx: &mut dyn Tx) -> AppResult<()> {
    tx.set_setting(SCENARIO_KEYS, "").await?;
    bump_version(tx).await?;
    Ok(())
}

async fn bump_version(tx: &mut dyn Tx) -> AppResult<()> {
    let now = tx
        .setting(VERSION_KEY)
        .await?
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    tx.set_setting(VERSION_KEY, &(now + 1).to_string()).await?;
    Ok(())
}

/// The scenario set of a database, kept between requests by a server and rebuilt only when
/// `scenario_version` changed (a load or reset by the CLI, the editor or another
/// instance), so a change applies at the next request without a restart.
#[derive(Debug, Default)]
pub struct ScenarioCache {
    kept: Mutex<Option<(Option<String>, Arc<ScenarioSet>)>>,
}

impl ScenarioCache {
    /// The set in force: one setting read when nothing changed.
    pub async fn get(&self, tx: &mut dyn Tx) -> AppResult<Arc<ScenarioSet>> {
        let version = tx.setting(VERSION_KEY).await?;
        if let Ok(kept) = self.kept.lock()
            && let Some((v, set)) = kept.as_ref()
            && *v == version
        {
            return Ok(set.clone());
        }
        let set = Arc::new(current(tx).await?);
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some((version, set.clone()));
        }
        Ok(set)
    }
}
