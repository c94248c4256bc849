//! The dunning configuration a database follows: the shipped scenarios by default, or the
//! TOML files a credit manager loaded (`recouvre scenarios load FILE...`), stored in the
//! database so every instance and every run uses the same set.
//!
//! Files are stored whole, under the `settings` keys `scenario_file:<name>` and
//! `assignment_file`; a load replaces the stored set only after the new set has been
//! validated as a whole (every rule names a scenario, every step parses).

use crate::error::{AppError, AppResult};
use crate::store::Tx;
use domain::dunning::{DEFAULT_ASSIGNMENT_FILE, DEFAULT_SCENARIO_FILES, ScenarioSet};

const SCENARIO_KEYS: &str = "scenario_files";
const SCENARIO_PREFIX: &str = "scenario_file:";
const ASSIGNMENT_KEY: &str = "assignment_file";

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
        let scenarios: Vec<(&str, &str)> = self
            .scenarios
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        ScenarioSet::from_toml(
            &scenarios,
            (self.assignment.0.as_str(), self.assignment.1.as_str()),
        )
        .map_err(|e| AppError::Invalid(e.to_string()))
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
            return Err(AppError::Invalid(format!(
                "a scenario file name cannot contain a line break: {name:?}"
            )));
        }
        tx.set_setting(&format!("{SCENARIO_PREFIX}{name}"), text)
            .await?;
        names.push(name.as_str());
    }
    tx.set_setting(ASSIGNMENT_KEY, &files.assignment.1).await?;
    tx.set_setting(SCENARIO_KEYS, &names.join("\n")).await?;
    Ok(set)
}

/// Goes back to the shipped scenarios (the stored files stay, unused, until the next load
/// overwrites them).
pub async fn reset(tx: &mut dyn Tx) -> AppResult<()> {
    tx.set_setting(SCENARIO_KEYS, "").await?;
    Ok(())
}
