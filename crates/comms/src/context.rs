//! The variables a template sees: one [`MessageContext`] per message, built by
//! [`crate::compose`] from the store. Every amount and date is already formatted for the
//! message's language (a template never formats money), and every field is always present
//! (an absent e-mail is an empty string, a debtor without a plan has `plan.exists = false`)
//! so that a template checked against [`MessageContext::sample`] renders for every debtor.
//!
//! docs/templates.md lists the variables in French and English; keep the two in step.

use crate::pdf::{CLAIMS_MARK, PAYMENT_MARK};
use serde::Serialize;

/// The sender: the creditor, or the agency writing for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SenderCtx {
    pub name: String,
    pub address_lines: Vec<String>,
    /// Where letters are dated from ("Paris").
    pub city: String,
    pub email: String,
    pub phone: String,
    /// Company number (SIREN / SIRET, VAT number...).
    pub company_id: String,
}

/// Who answers the debtor: the collector in charge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CollectorCtx {
    pub name: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DebtorCtx {
    pub id: i64,
    pub name: String,
    /// The creditor's customer reference.
    pub reference: String,
    /// A company (rather than a person).
    pub company: bool,
    /// A business-to-business relation: penalties and the €40 indemnity apply.
    pub b2b: bool,
    pub email: String,
    pub phone: String,
    pub address_lines: Vec<String>,
}

/// One claim of the message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimCtx {
    pub number: String,
    pub issue_date: String,
    pub due_date: String,
    /// Days past the due date (negative before it).
    pub days_late: i32,
    /// Invoiced, all taxes included.
    pub amount: String,
    /// Paid or credited so far.
    pub paid: String,
    /// What remains due of it.
    pub open: String,
    /// Late interest claimed ("" when none is claimed by this message).
    pub interest: String,
    /// The rates applied, "12,15 %" or "12,15 % puis 12,40 %".
    pub interest_rate: String,
    /// The last day without interest (the due date, or the day the formal notice was
    /// received), as the letter prints dates; "" when none is claimed.
    pub interest_since: String,
    /// The fixed recovery indemnity claimed ("" when none).
    pub indemnity: String,
    /// The claim's ISO 11649 reference.
    pub rf: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TotalsCtx {
    /// Sum of the claims' remaining principal.
    pub open: String,
    pub interest: String,
    pub indemnity: String,
    /// Everything claimed: principal + interest + indemnities.
    pub due: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PaymentCtx {
    pub beneficiary: String,
    /// In groups of four; empty when no bank account is configured.
    pub iban: String,
    pub bic: String,
    /// The structured reference to quote (ISO 11649 RF).
    pub reference: String,
    /// The factor the claims are assigned to (empty: the creditor's own claims).
    pub factor: String,
    /// The mention an assigned claim's letters carry: only a payment to the factor
    /// discharges the debtor (empty when no claim is assigned).
    pub mention: String,
}

impl PaymentCtx {
    /// Payment is due to the factor the claims are assigned to ("affacturage",
    /// subrogation): its name and account replace the creditor's, and the mention says
    /// that only a payment to it discharges the debtor.
    pub fn pay_factor(&mut self, factor: &app::store::FinancingParty, lang: crate::Lang) {
        let name = factor.name.as_str();
        self.beneficiary = name.to_string();
        self.iban = factor
            .iban
            .as_deref()
            .map(crate::fmt::grouped)
            .unwrap_or_default();
        self.bic = factor.bic.clone().unwrap_or_default();
        self.factor = name.to_string();
        self.mention = match lang {
            crate::Lang::Fr => format!(
                "Cette créance a été cédée à {name} (affacturage)\u{a0}; seul un paiement à {name} est libératoire."
            ),
            crate::Lang::En => format!(
                "This claim has been assigned to {name} (factoring); only a payment to {name} discharges the debt."
            ),
        };
    }
}

/// The collection agency (agency letters; settings `comms_agency_*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AgencyCtx {
    pub name: String,
    pub address_lines: Vec<String>,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InstalmentCtx {
    pub due: String,
    pub amount: String,
}

/// The debtor's latest payment plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanCtx {
    pub exists: bool,
    pub agreed_on: String,
    pub total: String,
    pub count: usize,
    pub instalments: Vec<InstalmentCtx>,
    pub status: String,
}

/// The law the letter is written under: the creditor's jurisdiction (its legal-basis
/// paragraph quotes that country's texts, never another's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LawCtx {
    /// `fr`, `de` or `uk`; empty for a country whose rules Recouvre does not hold (the
    /// letter then quotes no article).
    pub jurisdiction: String,
}

/// Everything a template may use. See docs/templates.md.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MessageContext {
    /// `fr` or `en`.
    pub lang: String,
    pub template: String,
    /// The message's date in words ("23 novembre 2026").
    pub today: String,
    /// The same, ISO (`2026-11-23`).
    pub as_of: String,
    /// The letter's reference.
    pub reference: String,
    pub sender: SenderCtx,
    pub collector: CollectorCtx,
    pub debtor: DebtorCtx,
    pub claims: Vec<ClaimCtx>,
    pub totals: TotalsCtx,
    /// Whether this message claims late interest and indemnities.
    pub penalties: bool,
    /// The demanded payment date, in words, and the number of days until it.
    pub deadline: String,
    pub deadline_days: i64,
    pub payment: PaymentCtx,
    pub agency: AgencyCtx,
    pub plan: PlanCtx,
    pub law: LawCtx,
    /// Put alone on a line of the `letter` part: where the claims table goes.
    pub claims_table: &'static str,
    /// Put alone on a line of the `letter` part: where the payment instructions go.
    pub payment_box: &'static str,
}

impl MessageContext {
    /// A context with every field present (one claim, one instalment): the reference
    /// against which templates are checked, and the data of `template preview` without a
    /// database.
    pub fn sample() -> MessageContext {
        MessageContext {
            lang: "fr".into(),
            template: "reminder_1".into(),
            today: "23 novembre 2026".into(),
            as_of: "2026-11-23".into(),
            reference: "C0001-1".into(),
            sender: SenderCtx {
                name: "Exemple SA".into(),
                address_lines: vec!["1 rue de l'Exemple".into(), "75001 Paris".into()],
                city: "Paris".into(),
                ..SenderCtx::default()
            },
            collector: CollectorCtx::default(),
            debtor: DebtorCtx {
                id: 1,
                name: "Client SARL".into(),
                reference: "C0001".into(),
                company: true,
                b2b: true,
                address_lines: vec!["2 avenue du Client".into(), "69001 Lyon".into()],
                ..DebtorCtx::default()
            },
            claims: vec![ClaimCtx::default()],
            totals: TotalsCtx::default(),
            penalties: true,
            deadline: "1er décembre 2026".into(),
            deadline_days: 8,
            payment: PaymentCtx::default(),
            agency: AgencyCtx::default(),
            plan: PlanCtx {
                instalments: vec![InstalmentCtx::default()],
                ..PlanCtx::default()
            },
            law: LawCtx {
                jurisdiction: "fr".into(),
            },
            claims_table: CLAIMS_MARK,
            payment_box: PAYMENT_MARK,
        }
    }
}
