//! Manual holds: a collector pauses a debtor's collection until a date (the debtor asked
//! for time on the phone, a payment is announced, a complaint is being looked into). The
//! daily run decides nothing for a held case until the day after `hold_until`.

use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::store::{Store, StoredCase};
use domain::dunning::Stage;
use domain::{Date, DebtorId};

/// Puts the debtor's case on hold until `until` (inclusive), or lifts the hold with `None`.
/// A debtor without a case yet gets one, so that the hold is in force from the first run.
pub async fn set_hold(
    store: &dyn Store,
    clock: &dyn Clock,
    debtor: DebtorId,
    until: Option<Date>,
) -> AppResult<StoredCase> {
    if let Some(day) = until.filter(|d| *d < clock.today()) {
        return Err(AppError::Invalid(format!(
            "a hold must end today or later, not on {day}"
        )));
    }
    let mut tx = store.begin().await?;
    let d = tx.debtor(debtor).await?.ok_or_else(|| AppError::NotFound {
        what: "debtor",
        id: debtor.to_string(),
    })?;
    let existing = tx
        .cases()
        .await?
        .into_iter()
        .find(|c| c.debtor_id == debtor);
    let mut case = existing.unwrap_or(StoredCase {
        debtor_id: debtor,
        creditor_id: d.creditor_id,
        scenario: None,
        stage: Stage::PreDue,
        cycle: 1,
        hold_until: None,
        arrangement: None,
        owner: None,
    });
    case.hold_until = until;
    tx.upsert_case(&case, &clock.now_rfc3339()).await?;
    tx.commit().await?;
    Ok(case)
}
