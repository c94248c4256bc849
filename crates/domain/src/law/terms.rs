//! French caps on B2B payment terms ("délais de paiement"): prevention starts by not
//! agreeing to a term the law forbids, which also exposes the creditor to fines of up to
//! €2,000,000 for a legal person (C. com. L441-16).
//!
//! - Nothing agreed: **30 days** after receipt of the goods or performance of the service
//!   (L441-10 I al.1).
//! - Agreed term: at most **60 days from the invoice issue date** (L441-10 I al.2), or, when
//!   expressly stipulated, **45 days end of month** (L441-10 I al.3).
//! - Periodic invoice (CGI 289 I 3): at most **45 days from issue** (L441-10 I al.4).
//! - Road haulage, vehicle rental, freight forwarding, customs brokers: at most **30 days
//!   from the invoice date** (now L441-11 II; numbering ⚠ in domain-rules.md).
//! - Goods bought VAT-free for export outside the EU (CGI 275), buyer not a large company:
//!   at most **90 days from the invoice date**, expressly stipulated (L441-12).
//!
//! "45 jours fin de mois" has two computations tolerated in practice (solon.law
//! 27/10/2023): (a) end of the invoice month + 45 days (the parliamentary intent, Sénat
//! report n°413 2007-2008); (b) invoice date + 45 days, then the end of that month. Both
//! are accepted: a due date is flagged only when it is later than the later of the two,
//! and the breach states both limits. Since the 60-day cap and the 45-days-end-of-month cap
//! are alternatives, a due date within either is lawful once the latter is stipulated.
//! Perishable foodstuffs and livestock have their own shorter terms (L441-11 II), not
//! checked here.

use super::{LawError, PaymentTerm, Text, add_days};
use crate::date::{Date, days_between};
use crate::party::Segment;
use serde::{Deserialize, Serialize};

/// What the parties agreed about the payment term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermAgreement {
    /// No term agreed: the statutory 30 days apply.
    NotAgreed,
    /// A term agreed in days or as a date.
    Agreed,
    /// "45 jours fin de mois" expressly stipulated.
    AgreedEndOfMonth,
}

/// Sectors with their own cap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermSector {
    #[default]
    General,
    /// A periodic (recapitulative) invoice under CGI 289 I 3.
    PeriodicInvoice,
    /// Road haulage, vehicle rental, freight forwarding, customs brokerage.
    Transport,
    /// Goods bought VAT-free for export outside the EU (CGI 275) by a buyer that is not a
    /// large company.
    ExportOutsideEu,
}

/// The terms of one invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsRequest {
    pub invoice_date: Date,
    pub due_date: Date,
    /// Receipt of the goods or completion of the service, where the 30-day statutory term
    /// starts. The invoice date stands in when it is unknown.
    pub delivery_date: Option<Date>,
    pub agreement: TermAgreement,
    pub sector: TermSector,
}

/// A cap on payment terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermRule {
    DefaultThirtyDays,
    SixtyDaysFromInvoice,
    FortyFiveDaysEndOfMonth,
    PeriodicInvoiceFortyFiveDays,
    TransportThirtyDays,
    ExportNinetyDays,
}

impl TermRule {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::DefaultThirtyDays => "fr.terms.default_30_days",
            Self::SixtyDaysFromInvoice => "fr.terms.60_days",
            Self::FortyFiveDaysEndOfMonth => "fr.terms.45_days_end_of_month",
            Self::PeriodicInvoiceFortyFiveDays => "fr.terms.periodic_invoice_45_days",
            Self::TransportThirtyDays => "fr.terms.transport_30_days",
            Self::ExportNinetyDays => "fr.terms.export_90_days",
        }
    }

    pub fn article(self) -> &'static str {
        match self {
            Self::DefaultThirtyDays => "C. com. L441-10 I al. 1",
            Self::SixtyDaysFromInvoice => "C. com. L441-10 I al. 2",
            Self::FortyFiveDaysEndOfMonth => "C. com. L441-10 I al. 3",
            Self::PeriodicInvoiceFortyFiveDays => "C. com. L441-10 I al. 4",
            Self::TransportThirtyDays => "C. com. L441-11 II",
            Self::ExportNinetyDays => "C. com. L441-12",
        }
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Self::DefaultThirtyDays => (
                "à défaut de délai convenu, 30 jours après la réception des marchandises ou l'exécution de la prestation",
                "when no term is agreed, 30 days after receipt of the goods or performance of the service",
            ),
            Self::SixtyDaysFromInvoice => (
                "60 jours à compter de la date d'émission de la facture",
                "60 days from the invoice issue date",
            ),
            Self::FortyFiveDaysEndOfMonth => (
                "45 jours fin de mois à compter de la date d'émission de la facture",
                "45 days end of month from the invoice issue date",
            ),
            Self::PeriodicInvoiceFortyFiveDays => (
                "45 jours à compter de l'émission d'une facture périodique",
                "45 days from the issue of a periodic invoice",
            ),
            Self::TransportThirtyDays => (
                "30 jours à compter de la date de la facture (transport, location de véhicules, commission de transport, douane)",
                "30 days from the invoice date (haulage, vehicle rental, freight forwarding, customs)",
            ),
            Self::ExportNinetyDays => (
                "90 jours à compter de la date de la facture (biens exportés hors UE en franchise de TVA)",
                "90 days from the invoice date (goods exported outside the EU free of VAT)",
            ),
        }
    }
}

/// A cap the due date exceeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermBreach {
    pub rule: TermRule,
    /// The latest due date this rule allows.
    pub limit: Date,
    /// How many days the agreed due date is beyond it.
    pub days_over: i32,
    pub article: &'static str,
    pub text: Text,
}

/// The two tolerated computations of "45 days end of month".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EndOfMonthLimits {
    /// (a) end of the invoice month + 45 days.
    pub end_of_month_then_45_days: Date,
    /// (b) invoice date + 45 days, then end of that month.
    pub days_then_end_of_month: Date,
}

impl EndOfMonthLimits {
    pub fn of(invoice_date: Date) -> Result<Self, LawError> {
        Ok(Self {
            end_of_month_then_45_days: add_days(invoice_date.last_of_month(), 45)?,
            days_then_end_of_month: add_days(invoice_date, 45)?.last_of_month(),
        })
    }

    /// The later of the two: the limit the check applies.
    pub fn later(self) -> Date {
        self.end_of_month_then_45_days
            .max(self.days_then_end_of_month)
    }
}

/// The verdict on one invoice's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermsCheck {
    pub compliant: bool,
    /// The latest due date the law allows for these terms.
    pub latest_lawful_due_date: Date,
    /// Every rule the due date breaks; empty when compliant.
    pub breaches: Vec<TermBreach>,
    /// Both "45 days end of month" limits, when that term was stipulated.
    pub end_of_month: Option<EndOfMonthLimits>,
}

/// Checks a B2B invoice's due date against the French caps.
pub fn check_payment_terms(request: &TermsRequest) -> Result<TermsCheck, LawError> {
    let invoice = request.invoice_date;
    if request.due_date < invoice {
        return Err(LawError::InvalidInput(format!(
            "the due date {} is before the invoice date {invoice}",
            request.due_date
        )));
    }
    let sector_cap = match request.sector {
        TermSector::General => None,
        TermSector::PeriodicInvoice => Some((
            TermRule::PeriodicInvoiceFortyFiveDays,
            add_days(invoice, 45)?,
        )),
        TermSector::Transport => Some((TermRule::TransportThirtyDays, add_days(invoice, 30)?)),
        TermSector::ExportOutsideEu => Some((TermRule::ExportNinetyDays, add_days(invoice, 90)?)),
    };

    let mut end_of_month = None;
    // Either every cap must hold (cumulative) or one of them suffices (alternatives).
    let (caps, alternatives) = match request.agreement {
        TermAgreement::NotAgreed => {
            let start = request.delivery_date.unwrap_or(invoice);
            let mut caps = vec![(TermRule::DefaultThirtyDays, add_days(start, 30)?)];
            caps.extend(sector_cap);
            (caps, false)
        }
        TermAgreement::Agreed | TermAgreement::AgreedEndOfMonth => match sector_cap {
            Some(cap) => (vec![cap], false),
            None => {
                let mut caps = vec![(TermRule::SixtyDaysFromInvoice, add_days(invoice, 60)?)];
                if request.agreement == TermAgreement::AgreedEndOfMonth {
                    let limits = EndOfMonthLimits::of(invoice)?;
                    end_of_month = Some(limits);
                    caps.push((TermRule::FortyFiveDaysEndOfMonth, limits.later()));
                }
                (caps, true)
            }
        },
    };

    let limits = caps.iter().map(|&(_, limit)| limit);
    let latest = if alternatives {
        limits.max()
    } else {
        limits.min()
    }
    .unwrap_or(request.due_date);
    let compliant = request.due_date <= latest;
    let breaches = if compliant {
        Vec::new()
    } else {
        caps.iter()
            .filter(|&&(_, limit)| request.due_date > limit)
            .map(|&(rule, limit)| breach(rule, limit, request.due_date, end_of_month))
            .collect()
    };
    Ok(TermsCheck {
        compliant,
        latest_lawful_due_date: latest,
        breaches,
        end_of_month,
    })
}

/// Whether the French caps govern a claim: a French creditor and a B2B relation.
pub fn caps_apply(creditor_country: &str, segment: Segment) -> bool {
    creditor_country.eq_ignore_ascii_case("FR") && segment == Segment::B2b
}

/// Checks the term a claim carries, from its issue date to its due date, against the caps
/// its agreed payment term (`stipulated`, from the terms of sale) makes applicable: "days
/// end of month" stipulated → within 60 days or 45 days end of month; a number of days →
/// within 60 days. When nothing is known of the contract, the product cannot tell whether
/// "45 days end of month" was stipulated, so it reads the term in the creditor's favour:
/// lawful within either cap, flagged only beyond both (the later of 60 days and the later
/// of the two end-of-month computations). Every rule broken is named.
pub fn check_claim_term(
    issue_date: Date,
    due_date: Date,
    stipulated: Option<PaymentTerm>,
) -> Result<TermsCheck, LawError> {
    let agreement = match stipulated {
        Some(term) if !term.end_of_month => TermAgreement::Agreed,
        _ => TermAgreement::AgreedEndOfMonth,
    };
    check_payment_terms(&TermsRequest {
        invoice_date: issue_date,
        due_date,
        delivery_date: None,
        agreement,
        sector: TermSector::General,
    })
}

fn breach(
    rule: TermRule,
    limit: Date,
    due_date: Date,
    end_of_month: Option<EndOfMonthLimits>,
) -> TermBreach {
    let days_over = days_between(limit, due_date);
    let (fr_rule, en_rule) = rule.describe();
    let (fr_detail, en_detail) = match (rule, end_of_month) {
        (TermRule::FortyFiveDaysEndOfMonth, Some(l)) => (
            format!(
                " (fin de mois + 45 jours : {} ; 45 jours puis fin de mois : {} ; la plus tardive est retenue)",
                l.end_of_month_then_45_days, l.days_then_end_of_month
            ),
            format!(
                " (end of month + 45 days: {}; 45 days then end of month: {}; the later is used)",
                l.end_of_month_then_45_days, l.days_then_end_of_month
            ),
        ),
        _ => (String::new(), String::new()),
    };
    TermBreach {
        rule,
        limit,
        days_over,
        article: rule.article(),
        text: Text::new(
            rule.code(),
            format!(
                "L'échéance du {due_date} dépasse de {days_over} jour(s) le plafond légal de {fr_rule}, soit le {limit}{fr_detail} ({}).",
                rule.article()
            ),
            format!(
                "The due date {due_date} is {days_over} day(s) beyond the legal cap of {en_rule}, i.e. {limit}{en_detail} ({}).",
                rule.article()
            ),
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;
    use jiff::civil::date;

    fn check(invoice: Date, due: Date, agreement: TermAgreement) -> TermsCheck {
        check_payment_terms(&TermsRequest {
            invoice_date: invoice,
            due_date: due,
            delivery_date: None,
            agreement,
            sector: TermSector::General,
        })
        .unwrap()
    }

    fn rules(c: &TermsCheck) -> Vec<TermRule> {
        c.breaches.iter().map(|b| b.rule).collect()
    }

    #[test]
    fn end_of_month_limits_match_domain_rules() {
        // domain-rules §1: invoice 15 Jan (non-leap) → (a) 17 Mar, (b) 31 Mar.
        // (a) 31 Jan + 45 days: 28 to 28 Feb, 17 more → 17 Mar.
        // (b) 15 Jan + 45 days: 16 to 31 Jan, 28 to 28 Feb, 1 more → 1 Mar; end of March.
        let l = EndOfMonthLimits::of(date(2025, 1, 15)).unwrap();
        assert_eq!(l.end_of_month_then_45_days, date(2025, 3, 17));
        assert_eq!(l.days_then_end_of_month, date(2025, 3, 31));
        // Leap year: (a) 31 Jan + 29 → 29 Feb, + 16 → 16 Mar; (b) 15 Jan + 45 → 29 Feb, end
        // of February is 29 Feb. Here (a) is the later.
        let l = EndOfMonthLimits::of(date(2024, 1, 15)).unwrap();
        assert_eq!(l.end_of_month_then_45_days, date(2024, 3, 16));
        assert_eq!(l.days_then_end_of_month, date(2024, 2, 29));
        assert_eq!(l.later(), date(2024, 3, 16));
    }

    #[test]
    fn sixty_days_from_invoice() {
        // 15 Jan 2025 + 60 days: 16 to 31 Jan, 28 to 28 Feb (44), 16 more → 16 Mar.
        let ok = check(date(2025, 1, 15), date(2025, 3, 16), TermAgreement::Agreed);
        assert!(ok.compliant);
        assert_eq!(ok.latest_lawful_due_date, date(2025, 3, 16));
        let late = check(date(2025, 1, 15), date(2025, 3, 31), TermAgreement::Agreed);
        assert!(!late.compliant);
        assert_eq!(rules(&late), [TermRule::SixtyDaysFromInvoice]);
        assert_eq!(late.breaches[0].days_over, 15);
        assert!(
            late.breaches[0].text.en.contains("60 days"),
            "{}",
            late.breaches[0].text.en
        );
    }

    #[test]
    fn forty_five_days_end_of_month_accepts_either_computation() {
        let invoice = date(2025, 1, 15);
        // 31 Mar is method (b): accepted.
        let c = check(invoice, date(2025, 3, 31), TermAgreement::AgreedEndOfMonth);
        assert!(c.compliant, "{c:?}");
        assert_eq!(c.latest_lawful_due_date, date(2025, 3, 31));
        // 1 Apr is beyond both methods and beyond 60 days: both rules named.
        let c = check(invoice, date(2025, 4, 1), TermAgreement::AgreedEndOfMonth);
        assert!(!c.compliant);
        assert_eq!(
            rules(&c),
            [
                TermRule::SixtyDaysFromInvoice,
                TermRule::FortyFiveDaysEndOfMonth
            ]
        );
        assert_eq!(c.breaches[1].days_over, 1);
        assert!(c.breaches[1].text.fr.contains("2025-03-17"));
        // Invoice on 31 Jan 2025: 60 days (1 Apr) is later than both end-of-month limits
        // ((a) 31 Jan + 45 = 17 Mar, (b) 17 Mar → 31 Mar), and stays lawful.
        let c = check(
            date(2025, 1, 31),
            date(2025, 4, 1),
            TermAgreement::AgreedEndOfMonth,
        );
        assert!(c.compliant);
    }

    #[test]
    fn default_thirty_days_from_delivery() {
        let request = TermsRequest {
            invoice_date: date(2025, 5, 5),
            due_date: date(2025, 6, 4),
            delivery_date: Some(date(2025, 5, 2)),
            agreement: TermAgreement::NotAgreed,
            sector: TermSector::General,
        };
        // 2 May + 30 days = 1 Jun; 4 Jun is 3 days over.
        let c = check_payment_terms(&request).unwrap();
        assert_eq!(rules(&c), [TermRule::DefaultThirtyDays]);
        assert_eq!(c.breaches[0].limit, date(2025, 6, 1));
        assert_eq!(c.breaches[0].days_over, 3);
        // Without a delivery date, the invoice date: 5 May + 30 = 4 Jun, compliant.
        let c = check_payment_terms(&TermsRequest {
            delivery_date: None,
            ..request
        })
        .unwrap();
        assert!(c.compliant);
    }

    #[test]
    fn sector_caps_replace_the_general_ones() {
        let base = TermsRequest {
            invoice_date: date(2025, 3, 1),
            due_date: date(2025, 4, 15),
            delivery_date: None,
            agreement: TermAgreement::Agreed,
            sector: TermSector::Transport,
        };
        // Transport: 1 Mar + 30 = 31 Mar; 15 Apr is 15 days over.
        let c = check_payment_terms(&base).unwrap();
        assert_eq!(rules(&c), [TermRule::TransportThirtyDays]);
        assert_eq!(c.breaches[0].days_over, 15);
        // Periodic invoice: 1 Mar + 45 = 15 Apr, compliant.
        let c = check_payment_terms(&TermsRequest {
            sector: TermSector::PeriodicInvoice,
            ..base
        })
        .unwrap();
        assert!(c.compliant);
        // Export: 1 Mar + 90 = 30 May.
        let c = check_payment_terms(&TermsRequest {
            sector: TermSector::ExportOutsideEu,
            due_date: date(2025, 5, 31),
            ..base
        })
        .unwrap();
        assert_eq!(c.latest_lawful_due_date, date(2025, 5, 30));
        assert_eq!(rules(&c), [TermRule::ExportNinetyDays]);
    }

    #[test]
    fn a_claim_term_is_flagged_only_beyond_both_caps() {
        // 15 Jan → 31 Mar 2025 is 75 days, beyond 60 days (16 Mar) but within "45 days end
        // of month" computed by (b) (31 Mar): not flagged, the stipulation is possible.
        let c = check_claim_term(date(2025, 1, 15), date(2025, 3, 31), None).unwrap();
        assert!(c.compliant);
        // The same with "45 days end of month" in the terms of sale: lawful; with "75
        // days" agreed, it breaks the 60-day cap (16 Mar, 15 days over).
        let eom = PaymentTerm {
            days: 45,
            end_of_month: true,
        };
        let days = PaymentTerm {
            days: 75,
            end_of_month: false,
        };
        let c = check_claim_term(date(2025, 1, 15), date(2025, 3, 31), Some(eom)).unwrap();
        assert!(c.compliant);
        let c = check_claim_term(date(2025, 1, 15), date(2025, 3, 31), Some(days)).unwrap();
        assert_eq!(rules(&c), [TermRule::SixtyDaysFromInvoice]);
        assert_eq!(c.breaches[0].days_over, 15);
        // 90 days: 15 Jan + 90 = 15 Apr (16 to 31 Jan, 28 Feb, 31 Mar = 75, + 15), beyond
        // both: 60 days (16 Mar, 30 over) and the later end-of-month limit (31 Mar, 15 over).
        let c = check_claim_term(date(2025, 1, 15), date(2025, 4, 15), None).unwrap();
        assert_eq!(
            rules(&c),
            [
                TermRule::SixtyDaysFromInvoice,
                TermRule::FortyFiveDaysEndOfMonth
            ]
        );
        assert_eq!(c.breaches[0].days_over, 30);
        assert_eq!(c.breaches[1].days_over, 15);
        assert!(caps_apply("FR", Segment::B2b));
        assert!(caps_apply("fr", Segment::B2b));
        assert!(!caps_apply("FR", Segment::B2c));
        assert!(!caps_apply("DE", Segment::B2b));
    }

    #[test]
    fn a_due_date_before_the_invoice_is_refused() {
        assert!(
            check_payment_terms(&TermsRequest {
                invoice_date: date(2025, 3, 1),
                due_date: date(2025, 2, 1),
                delivery_date: None,
                agreement: TermAgreement::Agreed,
                sector: TermSector::General,
            })
            .is_err()
        );
    }
}
