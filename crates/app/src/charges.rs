//! Interest and indemnity posted to the ledger ("intérêts et indemnité portés au compte").
//!
//! The law engine computes, at any date, the late interest and the recovery indemnity a
//! claim bears (`crate::law`). They enter the ledger — and so the balance, the aged
//! balance and what a payment settles — only when they are *claimed*:
//! - by hand (`recouvre charges CLAIM`, the API, the claim page): the interest computed to
//!   the day and the indemnity, less what the ledger already holds;
//! - on payment: when a payment is more than what is open on the claims it pays, the
//!   excess is what the debtor paid of the interest and indemnity; they are posted up to
//!   that excess (interest first) before the payment is imputed, instead of leaving an
//!   unexplained credit.
//!
//! A payment then settles the interest before the principal (C. civ. 1343-1, see
//! `domain::matching::allocate`). A figure the engine could not compute, or one resting
//! on a rate still to confirm, is never posted: the ledger holds only what can be shown.

use crate::error::{AppError, AppResult};
use crate::law::{ClaimPenalties, DebtorLaw};
use crate::queries;
use crate::store::Tx;
use domain::law::RateTables;
use domain::money::Money;
use domain::{ClaimId, ClaimLedger, Date, EntryKind, LedgerEntry};
use serde::Serialize;

/// What a posting wrote on one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostedCharges {
    pub claim_id: ClaimId,
    pub number: String,
    /// The interest posted (zero when none).
    pub interest: Money,
    /// The indemnity posted (zero when none).
    pub indemnity: Money,
    /// The entries written, in order.
    pub entries: Vec<LedgerEntry>,
    /// Why part of what the law allows was not posted (a rate to confirm...).
    pub held_back: Vec<String>,
}

impl PostedCharges {
    pub fn total(&self) -> Money {
        Money::from_minor(
            self.interest.minor() + self.indemnity.minor(),
            self.interest.currency(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The interest a posting may take from `p`, or why not: never a figure the engine could
/// not compute or one resting on a rate to confirm.
fn postable_interest(p: &ClaimPenalties) -> Result<Money, String> {
    match &p.interest {
        Err(why) => Err(format!("interest not computed: {why}")),
        Ok(b) if !b.warnings.is_empty() => Err(format!(
            "interest rests on a rate to confirm ({}); not posted",
            b.warnings
                .iter()
                .map(|w| w.series.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Ok(_) => Ok(p.interest_to_post()),
    }
}

/// Posts on `ledger` (the claim's, already read) the interest and indemnity of `p` not yet
/// posted, dated `on`, at most `cap` in all (interest first), and appends them to the
/// store. Returns what was written.
async fn post_on(
    tx: &mut dyn Tx,
    ledger: &mut ClaimLedger,
    p: &ClaimPenalties,
    on: Date,
    cap: Option<Money>,
    reference: &str,
    now: &str,
) -> AppResult<PostedCharges> {
    let currency = ledger.currency();
    let mut left = cap.map(|c| c.minor().max(0));
    let mut take = |want: Money| {
        let t = match left.as_mut() {
            Some(l) => {
                let t = want.minor().min(*l);
                *l -= t;
                t
            }
            None => want.minor(),
        };
        Money::from_minor(t.max(0), currency)
    };
    let mut held_back = Vec::new();
    let interest = match postable_interest(p) {
        Ok(m) => take(m),
        Err(why) => {
            held_back.push(why);
            Money::zero(currency)
        }
    };
    let indemnity = take(p.indemnity_to_post());
    let before = ledger.entries().len();
    if interest.is_positive() {
        ledger.post(
            EntryKind::Interest,
            interest,
            on,
            Some(format!("interest claimed: {reference}")),
        )?;
    }
    if indemnity.is_positive() {
        ledger.post(
            EntryKind::Indemnity,
            indemnity,
            on,
            Some(format!("indemnity claimed: {reference}")),
        )?;
    }
    let entries = ledger.entries()[before..].to_vec();
    if !entries.is_empty() {
        tx.append_entries(p.claim_id, &entries, now).await?;
    }
    Ok(PostedCharges {
        claim_id: p.claim_id,
        number: p.number.clone(),
        interest,
        indemnity,
        entries,
        held_back,
    })
}

/// Claims by hand, inside the caller's transaction, the interest and indemnity the law
/// allows on `claim` as of `as_of` and the ledger does not hold yet. Refused when there
/// is nothing to post, or when the interest cannot be computed or rests on a rate to
/// confirm (nothing is written then: a figure we could not show is never claimed).
pub async fn claim_in(
    tx: &mut dyn Tx,
    claim: ClaimId,
    as_of: Date,
    tables: &RateTables,
    now: &str,
) -> AppResult<PostedCharges> {
    let mut detail = queries::claim_detail(tx, claim, as_of).await?;
    let law = DebtorLaw::load(tx, &detail.debtor).await?;
    let p = law.penalties(tx, &detail, as_of, tables).await?;
    let number = detail.claim.number.to_string();
    if let Err(why) = postable_interest(&p) {
        return Err(AppError::Invalid(domain::tr!(
            "claim {number}: the interest cannot be posted: {why}",
            "créance {number} : les intérêts ne peuvent être portés au compte : {why}"
        )));
    }
    if !p.interest_to_post().is_positive() && !p.indemnity_to_post().is_positive() {
        return Err(AppError::Invalid(domain::tr!(
            "claim {number}: no interest or indemnity to post as of {as_of} (already posted, or none is due)",
            "créance {number} : aucun intérêt ni indemnité à porter au compte au {as_of} (déjà portés, ou rien n'est dû)"
        )));
    }
    post_on(
        tx,
        &mut detail.ledger,
        &p,
        as_of,
        None,
        &format!("by hand on {as_of}"),
        now,
    )
    .await
}

/// On payment, inside the caller's transaction: the part of the excess (what a payment
/// dated `on` leaves over once the claims' open balances are paid by `plan`) that the
/// interest and indemnity of `claims` explain, posted claim by claim in due-date order
/// (interest first on each), dated `on`. Returns what each claim received; figures that
/// cannot be shown are left out (the excess then stays a credit).
pub(crate) async fn post_from_excess(
    tx: &mut dyn Tx,
    claims: &mut [(domain::Claim, ClaimLedger)],
    plan: &domain::matching::allocate::LedgerAllocation,
    on: Date,
    tables: &RateTables,
    reference: &str,
    now: &str,
) -> AppResult<Vec<PostedCharges>> {
    let mut left = plan.overpayment;
    let mut out = Vec::new();
    let Some((first, _)) = claims.first() else {
        return Ok(out);
    };
    let debtor = tx
        .debtor(first.debtor_id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "debtor",
            id: first.debtor_id.to_string(),
        })?;
    let law = DebtorLaw::load(tx, &debtor).await?;
    let mut order: Vec<&mut (domain::Claim, ClaimLedger)> = claims.iter_mut().collect();
    order.sort_by_key(|(c, _)| (c.due_date, c.id));
    for (claim, ledger) in order {
        if !left.is_positive() {
            break;
        }
        // The law engine sees the ledger with the payment's own share posted, so the
        // interest stops on the day the principal is paid.
        let mut preview = ledger.clone();
        if let Some(share) = plan.shares.iter().find(|s| s.claim == claim.id) {
            preview.post(EntryKind::Payment, share.amount, on, None)?;
        }
        let p = law
            .penalties_on(tx, claim, &debtor, &preview, on, tables)
            .await?;
        let posted = post_on(tx, ledger, &p, on, Some(left), reference, now).await?;
        if !posted.is_empty() {
            left = left
                .checked_sub(posted.total())
                .map_err(|e| AppError::Invalid(e.to_string()))?;
            out.push(posted);
        }
    }
    Ok(out)
}
