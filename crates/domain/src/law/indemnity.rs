//! The fixed recovery indemnity: a flat sum a business debtor owes for each invoice paid
//! late, on top of interest, as of right and without proof of cost.
//!
//! - **France**: €40 per invoice paid late, B2B only (C. com. L441-10 II, D441-5, décret
//!   2012-1115). Not per day; not subject to VAT; higher costs claimable on proof; not
//!   claimable when insolvency proceedings forbid payment at maturity (the caller knows
//!   that, this function does not).
//! - **Germany**: €40 "Pauschale" when the debtor is not a consumer, also per instalment,
//!   offset against later legal costs (BGB §288(5)).
//! - **United Kingdom**: £40 for a debt under £1,000, £70 from £1,000 to £9,999.99, £100 from
//!   £10,000 (Late Payment of Commercial Debts (Interest) Act 1998, s.5A). Band edges are
//!   marked ⚠ in domain-rules.md; the reading here is "under / from" as the Act's wording.
//!
//! Never for a consumer debtor: the three laws reserve it to business debts (Directive
//! 2011/7/EU, art 6).

use super::{Jurisdiction, LawError, Text};
use crate::money::{Currency, Money, MoneyError};
use crate::party::Segment;
use serde::Serialize;

/// A fixed indemnity due for one late invoice, with the text that grounds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indemnity {
    pub amount: Money,
    pub basis: Text,
}

/// The fixed indemnity for one invoice paid late, `None` when the law grants none (a
/// consumer debtor). `invoice_amount` is the debt of the invoice: it picks the UK band and
/// must then be in pounds (convert first: the Act's bands are in sterling). The French and
/// German sums are in euros whatever the invoice currency.
pub fn fixed_indemnity(
    jurisdiction: Jurisdiction,
    segment: Segment,
    invoice_amount: Money,
) -> Result<Option<Indemnity>, LawError> {
    if !invoice_amount.is_positive() {
        return Err(LawError::InvalidInput(format!(
            "an indemnity is due on a positive debt, not {invoice_amount}"
        )));
    }
    if segment == Segment::B2c {
        return Ok(None);
    }
    let indemnity = match jurisdiction {
        Jurisdiction::France => Indemnity {
            amount: Money::from_minor(4_000, Currency::EUR),
            basis: Text::new(
                "fr.c_com_d441_5",
                "Indemnité forfaitaire pour frais de recouvrement de 40 € due de plein droit pour \
                 chaque facture payée en retard (C. com. art. L441-10 II et D441-5).",
                "Fixed recovery-cost indemnity of €40, due as of right for each invoice paid \
                 late (French Commercial Code art. L441-10 II and D441-5).",
            ),
        },
        Jurisdiction::Germany => Indemnity {
            amount: Money::from_minor(4_000, Currency::EUR),
            basis: Text::new(
                "de.bgb_288_5",
                "Forfait de 40 € dû par un débiteur qui n'est pas un consommateur, imputable \
                 sur les frais de poursuite ultérieurs (BGB § 288 al. 5).",
                "Lump sum of €40 owed by a debtor who is not a consumer, credited against later \
                 legal costs (German Civil Code § 288(5)).",
            ),
        },
        Jurisdiction::UnitedKingdom => {
            if invoice_amount.currency() != Currency::GBP {
                return Err(
                    MoneyError::CurrencyMismatch(Currency::GBP, invoice_amount.currency()).into(),
                );
            }
            // Bands in pence: under £1,000; £1,000 to £9,999.99; £10,000 and over.
            let pounds = match invoice_amount.minor() {
                m if m < 100_000 => 40,
                m if m < 1_000_000 => 70,
                _ => 100,
            };
            Indemnity {
                amount: Money::from_minor(pounds * 100, Currency::GBP),
                basis: Text::new(
                    "uk.late_payment_act_s5a",
                    format!(
                        "Somme fixe de {pounds} £ pour une dette de ce montant (Late Payment of \
                         Commercial Debts (Interest) Act 1998, s.5A : 40 £ sous 1 000 £, 70 £ \
                         jusqu'à 9 999,99 £, 100 £ à partir de 10 000 £)."
                    ),
                    format!(
                        "Fixed sum of £{pounds} for a debt of this size (Late Payment of \
                         Commercial Debts (Interest) Act 1998, s.5A: £40 under £1,000, £70 up to \
                         £9,999.99, £100 from £10,000)."
                    ),
                ),
            }
        }
    };
    Ok(Some(indemnity))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;
    use Currency::{EUR, GBP, USD};

    fn due(j: Jurisdiction, s: Segment, minor: i64, c: Currency) -> Option<Money> {
        fixed_indemnity(j, s, Money::from_minor(minor, c))
            .unwrap()
            .map(|i| i.amount)
    }

    #[test]
    fn forty_euros_per_late_b2b_invoice_in_france_and_germany() {
        for j in [Jurisdiction::France, Jurisdiction::Germany] {
            assert_eq!(
                due(j, Segment::B2b, 1, EUR),
                Some(Money::from_minor(4_000, EUR))
            );
            assert_eq!(
                due(j, Segment::B2b, 100_000_000, EUR),
                Some(Money::from_minor(4_000, EUR))
            );
            // The sum is in euros even for an invoice in dollars.
            assert_eq!(
                due(j, Segment::B2b, 5_000, USD),
                Some(Money::from_minor(4_000, EUR))
            );
        }
        let fr = fixed_indemnity(
            Jurisdiction::France,
            Segment::B2b,
            Money::from_minor(1, EUR),
        )
        .unwrap()
        .unwrap();
        assert!(fr.basis.fr.contains("D441-5") && fr.basis.en.contains("D441-5"));
    }

    #[test]
    fn never_for_consumers() {
        for j in [
            Jurisdiction::France,
            Jurisdiction::Germany,
            Jurisdiction::UnitedKingdom,
        ] {
            assert_eq!(due(j, Segment::B2c, 500_000, GBP), None);
        }
    }

    #[test]
    fn uk_bands_by_debt_size() {
        let uk = |pence| due(Jurisdiction::UnitedKingdom, Segment::B2b, pence, GBP);
        let pounds = |p: i64| Some(Money::from_minor(p * 100, GBP));
        assert_eq!(uk(1), pounds(40));
        assert_eq!(uk(99_999), pounds(40)); // £999.99
        assert_eq!(uk(100_000), pounds(70)); // £1,000.00
        assert_eq!(uk(999_999), pounds(70)); // £9,999.99
        assert_eq!(uk(1_000_000), pounds(100)); // £10,000.00
        assert!(
            fixed_indemnity(
                Jurisdiction::UnitedKingdom,
                Segment::B2b,
                Money::from_minor(100, EUR)
            )
            .is_err()
        );
        assert!(fixed_indemnity(Jurisdiction::France, Segment::B2b, Money::zero(EUR)).is_err());
    }
}
