//! The legal route advisor: which court routes are open for a debtor's overdue claims, what
//! each costs, what it can recover, and whether going to court pays at all. Small claims
//! are not worth a lawyer; a disputed claim goes nowhere fast through a summary route.
//!
//! Routes (conditions from `shared/domain-rules.md` §7):
//! - **Injonction de payer** (C. pr. civ. 1405–1425): a contractual or statutory claim,
//!   certain, liquid and due; no ceiling; a requête to the court of the debtor's domicile
//!   (tribunal de commerce between traders, otherwise tribunal judiciaire or juge des
//!   contentieux de la protection); the order is served within 6 months; the debtor has one
//!   month to oppose (1416), which turns it into ordinary proceedings.
//! - **Procédure simplifiée de recouvrement des petites créances** (CPCE L125-1, R125-1 ff.):
//!   principal + interest ≤ €5,000, through a commissaire de justice; the debtor has one
//!   month to agree and silence is refusal, so it is pointless against a disputing debtor;
//!   every cost stays with the creditor.
//! - **Référé-provision** (C. pr. civ. 835 al.2, 873 al.2): an obligation not seriously
//!   contestable; no ceiling; a provisional award after a hearing.
//! - **European order for payment** (Reg. 1896/2006): cross-border (the parties in two
//!   different Member States, Denmark excluded); pecuniary, specific, due; opposition
//!   within 30 days sends it to ordinary proceedings.
//! - **European Small Claims Procedure** (Reg. 861/2007 as amended by 2015/2421):
//!   cross-border, value ≤ €5,000 excluding interest and costs; written procedure with a
//!   judgment enforceable across the EU; fit for disputed claims.
//!
//! Two facts close every civil route: a **public body** debtor (French public persons are
//! not subject to civil enforcement; the creditor asks the paying authority, then the
//! mandatory payment procedure before the supervising authority), and a **time-barred**
//! claim (its limitation deadline has passed: a court would dismiss it), which the caller
//! leaves out of the amounts and reports in `time_barred`.
//!
//! Costs: domain-rules.md §7 gives no figures, so every cost here is an **estimate**,
//! marked as such with a note saying what it covers; refine it with real tariffs. Without
//! an enforcement title, collection costs stay with the creditor (CPCE L111-8).
//!
//! The recommendation weighs the expected recovery (what a title covers × the chance of
//! actually collecting) against the worst-case cost of the best open route, and advises
//! against litigation when that cost would take more than half of the expected recovery.

use super::{LawError, Text};
use crate::money::{Currency, Money, MoneyError};
use crate::party::Segment;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// €5,000 in cents: the ceiling of the simplified procedure and of European small claims.
const SMALL_CLAIMS_CEILING_MINOR: i64 = 500_000;

/// Above €10,000 a party must be represented by a lawyer before the judicial court
/// (C. pr. civ. 760, 761 3°) and the commercial court (853), référé included. Sources:
/// the text of art. 761 (french-business-law.com, "Article 761 of the French Code of civil
/// procedure"); avocats-poitiers.partner-web.fr, "La représentation obligatoire par
/// avocat" (référé and the commercial court, since 1 January 2020). domain-rules.md does
/// not cover it.
const LAWYER_THRESHOLD_MINOR: i64 = 1_000_000;

fn lawyer_mandatory() -> Text {
    Text::new(
        "route.condition.lawyer_mandatory",
        "Au-delà de 10 000 €, la représentation par avocat est obligatoire devant le tribunal judiciaire (C. pr. civ. 760, 761 3°) comme devant le tribunal de commerce (853), y compris en référé.",
        "Above €10,000 a lawyer must represent the creditor before the judicial court (C. pr. civ. 760, 761 3°) and the commercial court (853), référé included.",
    )
}

/// Member States bound by Reg. 1896/2006 and 861/2007: the EU without Denmark, which opted
/// out of both. `EL` is the EU's code for Greece.
const EU_REGULATION_STATES: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// A judicial route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    InjonctionDePayer,
    PetitesCreances,
    RefereProvision,
    EuropeanOrderForPayment,
    EuropeanSmallClaims,
}

impl Route {
    pub const ALL: [Route; 5] = [
        Route::InjonctionDePayer,
        Route::PetitesCreances,
        Route::RefereProvision,
        Route::EuropeanOrderForPayment,
        Route::EuropeanSmallClaims,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::InjonctionDePayer => "fr.injonction_de_payer",
            Self::PetitesCreances => "fr.petites_creances",
            Self::RefereProvision => "fr.refere_provision",
            Self::EuropeanOrderForPayment => "eu.order_for_payment",
            Self::EuropeanSmallClaims => "eu.small_claims",
        }
    }

    pub fn name(self) -> Text {
        let (fr, en) = match self {
            Self::InjonctionDePayer => (
                "Injonction de payer",
                "Order for payment (injonction de payer)",
            ),
            Self::PetitesCreances => (
                "Procédure simplifiée de recouvrement des petites créances",
                "Simplified small-claims recovery procedure",
            ),
            Self::RefereProvision => (
                "Référé-provision",
                "Summary interim payment (référé-provision)",
            ),
            Self::EuropeanOrderForPayment => (
                "Injonction de payer européenne",
                "European order for payment",
            ),
            Self::EuropeanSmallClaims => (
                "Procédure européenne de règlement des petits litiges",
                "European Small Claims Procedure",
            ),
        };
        Text::new(self.code(), fr, en)
    }

    pub fn basis(self) -> &'static str {
        match self {
            Self::InjonctionDePayer => "C. pr. civ. 1405-1425",
            Self::PetitesCreances => "CPCE L125-1, R125-1 s.",
            Self::RefereProvision => "C. pr. civ. 835 al. 2, 873 al. 2",
            Self::EuropeanOrderForPayment => "Règlement (CE) 1896/2006",
            Self::EuropeanSmallClaims => "Règlement (CE) 861/2007 modifié par 2015/2421",
        }
    }
}

/// A debtor's overdue claims, summed, and the facts that decide the route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRequest {
    /// Unpaid principal, in euros (the thresholds are in euros: convert first).
    pub principal: Money,
    /// Interest claimed.
    pub interest: Money,
    /// Fixed indemnities claimed (€40 per B2B invoice in France).
    pub indemnity: Money,
    pub segment: Segment,
    /// ISO 3166-1 alpha-2.
    pub creditor_country: String,
    /// ISO 3166-1 alpha-2.
    pub debtor_country: String,
    /// The debtor contests the claim.
    pub disputed: bool,
    /// The chance (0 to 1) of actually collecting once a title is obtained, from what the
    /// creditor knows of the debtor's solvency. `None` counts as 1 (a solvent debtor).
    pub recovery_odds: Option<Decimal>,
    /// The debtor is a public body (State, local authority, public establishment): no civil
    /// procedure is open against it.
    #[serde(default)]
    pub public_body: bool,
    /// Overdue amounts left out because their limitation deadline has passed; not part of
    /// `principal`, reported so the advice can say why they are not litigated.
    #[serde(default)]
    pub time_barred: Option<Money>,
}

/// What a route may cost the creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostEstimate {
    pub low: Money,
    pub high: Money,
    /// `true` when the figures are estimates rather than published tariffs (all of them
    /// today: domain-rules.md gives none).
    pub estimate: bool,
    /// What the figures cover.
    pub note: Text,
}

/// One route, open or not, with its conditions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteAssessment {
    pub route: Route,
    pub name: Text,
    pub basis: &'static str,
    pub open: bool,
    /// What the route requires and what to expect.
    pub conditions: Vec<Text>,
    /// Why it is closed; empty when open.
    pub blockers: Vec<Text>,
    pub cost: CostEstimate,
    /// What a title obtained this way covers.
    pub recoverable: Money,
    /// `recoverable × recovery odds − cost.high`, rounded to the cent.
    pub expected_net_worst_case: Money,
}

/// What to do, in one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecommendationCode {
    NothingDue,
    NoRouteOpen,
    DoNotLitigate,
    ResolveDisputeFirst,
    Litigate,
    /// Every overdue claim is time-barred: nothing left to sue for.
    TimeBarred,
    /// The debtor is a public body: no civil procedure.
    PublicBody,
}

impl RecommendationCode {
    pub fn code(self) -> &'static str {
        match self {
            Self::NothingDue => "advice.nothing_due",
            Self::NoRouteOpen => "advice.no_route_open",
            Self::DoNotLitigate => "advice.do_not_litigate",
            Self::ResolveDisputeFirst => "advice.resolve_dispute_first",
            Self::Litigate => "advice.litigate",
            Self::TimeBarred => "advice.time_barred",
            Self::PublicBody => "advice.public_body",
        }
    }
}

/// The advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    pub code: RecommendationCode,
    /// The route advised, if any.
    pub route: Option<Route>,
    pub text: Text,
}

/// Every route assessed, and the recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteAdvice {
    /// Principal + interest + indemnity.
    pub total: Money,
    /// `total × recovery odds`, rounded to the cent.
    pub expected_recovery: Money,
    pub routes: Vec<RouteAssessment>,
    pub recommendation: Recommendation,
}

/// Assesses every route for a debtor's overdue claims and recommends one, or none.
pub fn advise_routes(request: &RouteRequest) -> Result<RouteAdvice, LawError> {
    for amount in [request.principal, request.interest, request.indemnity] {
        if amount.currency() != Currency::EUR {
            return Err(MoneyError::CurrencyMismatch(Currency::EUR, amount.currency()).into());
        }
        if amount.is_negative() {
            return Err(LawError::InvalidInput(format!(
                "amounts must not be negative, got {amount}"
            )));
        }
    }
    let odds = request.recovery_odds.unwrap_or(Decimal::ONE);
    if odds < Decimal::ZERO || odds > Decimal::ONE {
        return Err(LawError::InvalidInput(format!(
            "recovery odds must be between 0 and 1, got {odds}"
        )));
    }
    let total = request
        .principal
        .checked_add(request.interest)?
        .checked_add(request.indemnity)?;
    let expected_recovery = Money::from_decimal_rounded(total.to_decimal() * odds, Currency::EUR)?;

    let facts = Facts::of(request);
    let routes = Route::ALL
        .iter()
        .map(|&route| assess(route, request, &facts, total, expected_recovery))
        .collect::<Result<Vec<_>, LawError>>()?;
    let recommendation = recommend(request, total, expected_recovery, &routes);
    Ok(RouteAdvice {
        total,
        expected_recovery,
        routes,
        recommendation,
    })
}

/// Facts derived once from the request.
struct Facts {
    debtor_in_france: bool,
    cross_border_eu: bool,
    principal_and_interest_minor: i64,
}

impl Facts {
    fn of(request: &RouteRequest) -> Self {
        let creditor = normalise(&request.creditor_country);
        let debtor = normalise(&request.debtor_country);
        let in_regulation = |c: &str| EU_REGULATION_STATES.contains(&c);
        Self {
            debtor_in_france: debtor == "FR",
            cross_border_eu: in_regulation(&creditor)
                && in_regulation(&debtor)
                && greece(&creditor) != greece(&debtor),
            principal_and_interest_minor: request
                .principal
                .minor()
                .saturating_add(request.interest.minor()),
        }
    }
}

fn normalise(country: &str) -> String {
    country.trim().to_ascii_uppercase()
}

/// `GR` and `EL` both name Greece.
fn greece(code: &str) -> &str {
    if code == "EL" { "GR" } else { code }
}

fn eur(euros: i64) -> Money {
    Money::from_minor(euros * 100, Currency::EUR)
}

fn assess(
    route: Route,
    request: &RouteRequest,
    facts: &Facts,
    total: Money,
    expected_recovery: Money,
) -> Result<RouteAssessment, LawError> {
    let mut conditions = Vec::new();
    let mut blockers = Vec::new();
    let not_in_france = || {
        Text::new(
            "route.blocker.debtor_not_in_france",
            "Le débiteur n'est pas domicilié en France : la juridiction compétente est celle de son domicile.",
            "The debtor is not domiciled in France: the competent court is that of the debtor's domicile.",
        )
    };
    let not_cross_border = || {
        Text::new(
            "route.blocker.not_cross_border",
            "Litige non transfrontalier : créancier et débiteur doivent être dans deux États membres différents (hors Danemark).",
            "Not a cross-border case: creditor and debtor must be in two different Member States (Denmark excluded).",
        )
    };
    let dispute_note = || {
        Text::new(
            "route.condition.opposition_expected",
            "Créance contestée : une opposition est probable et renverra à une procédure ordinaire, plus longue et plus coûteuse.",
            "Disputed claim: an opposition is likely and will lead to ordinary proceedings, longer and costlier.",
        )
    };

    let cost = match route {
        Route::InjonctionDePayer => {
            let court = match request.segment {
                Segment::B2b => (
                    "requête au président du tribunal de commerce entre commerçants (Cerfa 12946), sinon au tribunal judiciaire (Cerfa 12948)",
                    "application to the president of the commercial court between traders (Cerfa 12946), otherwise the judicial court (Cerfa 12948)",
                ),
                Segment::B2c => (
                    "requête au juge des contentieux de la protection ou au président du tribunal judiciaire (Cerfa 16040 ou 12948)",
                    "application to the consumer-protection judge or the president of the judicial court (Cerfa 16040 or 12948)",
                ),
            };
            conditions.push(Text::new(
                "route.condition.certain_liquid_due",
                "Créance d'origine contractuelle ou statutaire, certaine, liquide et exigible ; pas de plafond.",
                "A contractual or statutory claim, certain, liquidated and due; no ceiling.",
            ));
            conditions.push(Text::new(
                "route.condition.ip_court",
                format!("{}, au domicile du débiteur, avec le décompte et un bordereau des pièces (C. pr. civ. 1406-1407).", court.0),
                format!("{}, at the debtor's domicile, with the itemised amount and a list of documents (C. pr. civ. 1406-1407).", court.1),
            ));
            conditions.push(Text::new(
                "route.condition.ip_service",
                "L'ordonnance doit être signifiée dans les 6 mois ; le débiteur dispose d'un mois pour former opposition (1411, 1416).",
                "The order must be served within 6 months; the debtor has one month to oppose it (1411, 1416).",
            ));
            if request.segment == Segment::B2c && total.minor() <= SMALL_CLAIMS_CEILING_MINOR {
                conditions.push(Text::new(
                    "route.condition.prior_amicable_attempt",
                    "Jusqu'à 5 000 €, une tentative préalable de conciliation ou de médiation peut être exigée devant le tribunal judiciaire (C. pr. civ. 750-1) ; son application à l'injonction de payer est discutée.",
                    "Up to €5,000, a prior conciliation or mediation attempt may be required before the judicial court (C. pr. civ. 750-1); whether it applies to the order for payment is debated.",
                ));
            }
            if !facts.debtor_in_france {
                blockers.push(not_in_france());
            }
            if request.disputed {
                conditions.push(dispute_note());
                if total.minor() > LAWYER_THRESHOLD_MINOR {
                    // After an opposition the case goes to the ordinary proceedings.
                    conditions.push(lawyer_mandatory());
                }
                CostEstimate {
                    low: eur(50),
                    high: eur(3_000),
                    estimate: true,
                    note: Text::new(
                        "route.cost.ip_disputed",
                        "Estimation : droit de greffe (aucun devant le tribunal judiciaire, quelques dizaines d'euros devant le tribunal de commerce) et signification par commissaire de justice ; en cas d'opposition, honoraires d'avocat de la procédure ordinaire. Aucun chiffre dans domain-rules.md.",
                        "Estimate: court-registry fee (none before the judicial court, a few tens of euros before the commercial court) and service by a commissaire de justice; after an opposition, a lawyer's fees for the ordinary proceedings. domain-rules.md gives no figure.",
                    ),
                }
            } else {
                CostEstimate {
                    low: eur(50),
                    high: eur(250),
                    estimate: true,
                    note: Text::new(
                        "route.cost.ip",
                        "Estimation : droit de greffe (aucun devant le tribunal judiciaire, quelques dizaines d'euros devant le tribunal de commerce) et signification de l'ordonnance par commissaire de justice ; avocat non obligatoire. Aucun chiffre dans domain-rules.md.",
                        "Estimate: court-registry fee (none before the judicial court, a few tens of euros before the commercial court) and service of the order by a commissaire de justice; no lawyer required. domain-rules.md gives no figure.",
                    ),
                }
            }
        }
        Route::PetitesCreances => {
            conditions.push(Text::new(
                "route.condition.pc_ceiling",
                "Créance contractuelle ou statutaire dont le principal et les intérêts ne dépassent pas 5 000 €.",
                "A contractual or statutory claim whose principal and interest do not exceed €5,000.",
            ));
            conditions.push(Text::new(
                "route.condition.pc_agreement",
                "Commissaire de justice du ressort de la cour d'appel du débiteur ; le débiteur a un mois pour accepter, son silence vaut refus ; l'accord vaut titre exécutoire et suspend la prescription (C. civ. 2238).",
                "A commissaire de justice of the debtor's court-of-appeal area; the debtor has one month to agree and silence is refusal; the agreement is an enforcement title and suspends limitation (C. civ. 2238).",
            ));
            if facts.principal_and_interest_minor > SMALL_CLAIMS_CEILING_MINOR {
                blockers.push(Text::new(
                    "route.blocker.over_5000",
                    "Principal et intérêts supérieurs à 5 000 €.",
                    "Principal and interest exceed €5,000.",
                ));
            }
            if !facts.debtor_in_france {
                blockers.push(not_in_france());
            }
            if request.disputed {
                blockers.push(Text::new(
                    "route.blocker.needs_debtor_agreement",
                    "La procédure exige l'accord du débiteur, qui conteste la créance.",
                    "The procedure needs the debtor's agreement, and the debtor disputes the claim.",
                ));
            }
            CostEstimate {
                low: eur(50),
                high: eur(200),
                estimate: true,
                note: Text::new(
                    "route.cost.pc",
                    "Estimation : frais du commissaire de justice, entièrement à la charge du créancier (CPCE L125-1). Aucun chiffre dans domain-rules.md.",
                    "Estimate: the commissaire de justice's fees, all borne by the creditor (CPCE L125-1). domain-rules.md gives no figure.",
                ),
            }
        }
        Route::RefereProvision => {
            conditions.push(Text::new(
                "route.condition.not_seriously_contestable",
                "Obligation non sérieusement contestable ; pas de plafond ; audience contradictoire devant le président du tribunal judiciaire (835) ou de commerce (873) ; décision provisoire.",
                "An obligation not seriously contestable; no ceiling; adversarial hearing before the president of the judicial (835) or commercial (873) court; provisional decision.",
            ));
            if total.minor() > LAWYER_THRESHOLD_MINOR {
                conditions.push(lawyer_mandatory());
            }
            if !facts.debtor_in_france {
                blockers.push(not_in_france());
            }
            if request.disputed {
                blockers.push(Text::new(
                    "route.blocker.seriously_contested",
                    "Une contestation sérieuse ferme le référé-provision.",
                    "A serious dispute closes the référé-provision route.",
                ));
            }
            CostEstimate {
                low: eur(500),
                high: eur(2_500),
                estimate: true,
                note: Text::new(
                    "route.cost.refere",
                    "Estimation : assignation par commissaire de justice et, le plus souvent, honoraires d'avocat. Aucun chiffre dans domain-rules.md.",
                    "Estimate: summons served by a commissaire de justice and, usually, a lawyer's fees. domain-rules.md gives no figure.",
                ),
            }
        }
        Route::EuropeanOrderForPayment => {
            conditions.push(Text::new(
                "route.condition.eop",
                "Litige transfrontalier (deux États membres, hors Danemark) ; créance pécuniaire, déterminée et exigible ; formulaire A ; opposition possible dans les 30 jours de la signification.",
                "Cross-border case (two Member States, Denmark excluded); a pecuniary claim for a specific amount, due; Form A; opposition possible within 30 days of service.",
            ));
            if !facts.cross_border_eu {
                blockers.push(not_cross_border());
            }
            if request.disputed {
                conditions.push(dispute_note());
            }
            CostEstimate {
                low: eur(50),
                high: if request.disputed {
                    eur(3_000)
                } else {
                    eur(600)
                },
                estimate: true,
                note: Text::new(
                    "route.cost.eop",
                    "Estimation : frais de justice de l'État saisi, signification à l'étranger, traductions ; en cas d'opposition, procédure ordinaire. Aucun chiffre dans domain-rules.md.",
                    "Estimate: court fee of the Member State seised, service abroad, translations; after an opposition, ordinary proceedings. domain-rules.md gives no figure.",
                ),
            }
        }
        Route::EuropeanSmallClaims => {
            conditions.push(Text::new(
                "route.condition.escp",
                "Litige transfrontalier (hors Danemark) d'une valeur d'au plus 5 000 € hors intérêts et frais ; procédure écrite (formulaire A) ; jugement exécutoire dans toute l'UE sans exequatur ; adaptée aux créances contestées.",
                "Cross-border case (Denmark excluded) worth at most €5,000 excluding interest and costs; written procedure (Form A); judgment enforceable across the EU without exequatur; fit for disputed claims.",
            ));
            if !facts.cross_border_eu {
                blockers.push(not_cross_border());
            }
            // The value excludes interest and costs; the fixed indemnity compensates
            // recovery costs, so only the principal is counted.
            if request.principal.minor() > SMALL_CLAIMS_CEILING_MINOR {
                blockers.push(Text::new(
                    "route.blocker.over_5000",
                    "Valeur de la demande (principal) supérieure à 5 000 €.",
                    "Claim value (principal) exceeds €5,000.",
                ));
            }
            CostEstimate {
                low: eur(50),
                high: eur(400),
                estimate: true,
                note: Text::new(
                    "route.cost.escp",
                    "Estimation : frais de justice de l'État saisi et traductions ; avocat non obligatoire. Aucun chiffre dans domain-rules.md.",
                    "Estimate: court fee of the Member State seised and translations; no lawyer required. domain-rules.md gives no figure.",
                ),
            }
        }
    };

    if request.public_body {
        blockers.push(Text::new(
            "route.blocker.public_body",
            "Débiteur personne publique : les procédures civiles d'exécution ne s'appliquent pas aux personnes publiques.",
            "Public-body debtor: civil enforcement procedures do not apply to public persons.",
        ));
    }
    let expected_net_worst_case = expected_recovery.checked_sub(cost.high)?;
    Ok(RouteAssessment {
        route,
        name: route.name(),
        basis: route.basis(),
        open: blockers.is_empty(),
        conditions,
        blockers,
        cost,
        recoverable: total,
        expected_net_worst_case,
    })
}

fn recommend(
    request: &RouteRequest,
    total: Money,
    expected: Money,
    routes: &[RouteAssessment],
) -> Recommendation {
    if request.public_body && total.is_positive() {
        return Recommendation {
            code: RecommendationCode::PublicBody,
            route: None,
            text: Text::new(
                RecommendationCode::PublicBody.code(),
                format!(
                    "Débiteur personne publique : pas de procédure civile ni d'exécution forcée. Réclamer le paiement de {total} au comptable et à l'ordonnateur de l'organisme ; à défaut, demander le mandatement d'office à l'autorité de tutelle (le préfet pour une collectivité locale)."
                ),
                format!(
                    "Public-body debtor: no civil procedure nor forced enforcement. Ask the body's accounting officer and authorising officer to pay {total}; failing that, ask the supervising authority (the prefect for a local authority) for the mandatory payment procedure (mandatement d'office)."
                ),
            ),
        };
    }
    if let Some(barred) = request
        .time_barred
        .filter(|m| m.is_positive() && !total.is_positive())
    {
        return Recommendation {
            code: RecommendationCode::TimeBarred,
            route: None,
            text: Text::new(
                RecommendationCode::TimeBarred.code(),
                format!(
                    "Les créances en retard ({barred}) sont prescrites : une action en justice serait rejetée. Seul un paiement volontaire reste possible."
                ),
                format!(
                    "The overdue claims ({barred}) are time-barred: a court claim would be dismissed. Only a voluntary payment remains possible."
                ),
            ),
        };
    }
    if !total.is_positive() {
        return Recommendation {
            code: RecommendationCode::NothingDue,
            route: None,
            text: Text::new(
                RecommendationCode::NothingDue.code(),
                "Rien n'est dû : aucune action judiciaire.",
                "Nothing is owed: no legal action.",
            ),
        };
    }
    // The best open route: the highest expected net in the worst case, then the cheapest.
    let best = routes.iter().filter(|r| r.open).min_by_key(|r| {
        (
            std::cmp::Reverse(r.expected_net_worst_case.minor()),
            r.cost.high.minor(),
        )
    });
    let Some(best) = best else {
        return Recommendation {
            code: RecommendationCode::NoRouteOpen,
            route: None,
            text: Text::new(
                RecommendationCode::NoRouteOpen.code(),
                format!(
                    "Aucune des voies connues n'est ouverte (débiteur : {}, créancier : {}) : confier le dossier à un avocat ou à une agence du pays du débiteur, ou poursuivre le recouvrement amiable.",
                    request.debtor_country, request.creditor_country
                ),
                format!(
                    "None of the known routes is open (debtor: {}, creditor: {}): instruct a lawyer or agency in the debtor's country, or continue amicable collection.",
                    request.debtor_country, request.creditor_country
                ),
            ),
        };
    };
    let name = best.route.name();
    // Litigation pays when the worst-case cost stays under half the expected recovery.
    if best.cost.high.minor().saturating_mul(2) > expected.minor() {
        return Recommendation {
            code: RecommendationCode::DoNotLitigate,
            route: None,
            text: Text::new(
                RecommendationCode::DoNotLitigate.code(),
                format!(
                    "Ne pas plaider : la voie la plus avantageuse ({}) peut coûter jusqu'à {} pour un recouvrement attendu de {}. Poursuivre l'amiable (relances, mise en demeure, échéancier) ou passer en perte ; sans titre exécutoire, les frais restent à la charge du créancier (CPCE L111-8).",
                    name.fr, best.cost.high, expected
                ),
                format!(
                    "Do not litigate: the best route ({}) may cost up to {} for an expected recovery of {}. Keep to amicable collection (reminders, formal notice, payment plan) or write the claim off; without an enforcement title, collection costs stay with the creditor (CPCE L111-8).",
                    name.en, best.cost.high, expected
                ),
            ),
        };
    }
    if request.disputed {
        return Recommendation {
            code: RecommendationCode::ResolveDisputeFirst,
            route: Some(best.route),
            text: Text::new(
                RecommendationCode::ResolveDisputeFirst.code(),
                format!(
                    "Créance contestée : tenter d'abord de régler le litige (médiation ou conciliation, qui suspendent la prescription, C. civ. 2238) ; à défaut, {} (coût estimé {} à {}, montant en jeu {}).",
                    name.fr, best.cost.low, best.cost.high, total
                ),
                format!(
                    "Disputed claim: first try to settle the dispute (mediation or conciliation, which suspend limitation, C. civ. 2238); failing that, {} (estimated cost {} to {}, amount at stake {}).",
                    name.en, best.cost.low, best.cost.high, total
                ),
            ),
        };
    }
    Recommendation {
        code: RecommendationCode::Litigate,
        route: Some(best.route),
        text: Text::new(
            RecommendationCode::Litigate.code(),
            format!(
                "Engager : {} ({}) — coût estimé {} à {}, montant recouvrable {}.",
                name.fr,
                best.route.basis(),
                best.cost.low,
                best.cost.high,
                total
            ),
            format!(
                "Go ahead: {} ({}) — estimated cost {} to {}, recoverable amount {}.",
                name.en,
                best.route.basis(),
                best.cost.low,
                best.cost.high,
                total
            ),
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;

    fn request(principal_euros: i64, debtor: &str, creditor: &str, disputed: bool) -> RouteRequest {
        RouteRequest {
            principal: eur(principal_euros),
            interest: eur(0),
            indemnity: eur(40),
            segment: Segment::B2b,
            creditor_country: creditor.into(),
            debtor_country: debtor.into(),
            disputed,
            recovery_odds: None,
            public_body: false,
            time_barred: None,
        }
    }

    #[test]
    fn no_civil_route_against_a_public_body() {
        // A French commune owing 3,000 + 40: every route would be open against a company
        // (see domestic_undisputed_small_claim) but none is against a public person.
        let advice = advise_routes(&RouteRequest {
            public_body: true,
            ..request(3_000, "FR", "FR", false)
        })
        .unwrap();
        assert!(open(&advice).is_empty());
        assert_eq!(advice.recommendation.code, RecommendationCode::PublicBody);
        assert_eq!(advice.recommendation.route, None);
        assert!(
            advice
                .recommendation
                .text
                .en
                .contains("mandatement d'office")
        );
        assert!(advice.routes.iter().all(|r| {
            r.blockers
                .iter()
                .any(|b| b.code == "route.blocker.public_body")
        }));
    }

    #[test]
    fn time_barred_claims_are_not_litigated() {
        // Everything overdue is prescribed: principal 0 and no indemnity left to claim,
        // 3,000 time-barred → no court, and the advice says why.
        let advice = advise_routes(&RouteRequest {
            indemnity: eur(0),
            time_barred: Some(eur(3_000)),
            ..request(0, "FR", "FR", false)
        })
        .unwrap();
        assert_eq!(advice.recommendation.code, RecommendationCode::TimeBarred);
        assert_eq!(advice.recommendation.route, None);
        assert!(advice.recommendation.text.fr.contains("3"));
    }

    fn open(advice: &RouteAdvice) -> Vec<Route> {
        advice
            .routes
            .iter()
            .filter(|r| r.open)
            .map(|r| r.route)
            .collect()
    }

    #[test]
    fn a_lawyer_is_mandatory_in_refere_above_10000() {
        // 10,000 + 40 indemnity = 10,040 > 10,000: the référé needs a lawyer; 9,000 + 40
        // does not.
        let conditions = |principal: i64| {
            advise_routes(&request(principal, "FR", "FR", false))
                .unwrap()
                .routes
                .into_iter()
                .find(|r| r.route == Route::RefereProvision)
                .unwrap()
                .conditions
                .into_iter()
                .map(|c| c.code)
                .collect::<Vec<_>>()
        };
        assert!(conditions(10_000).contains(&"route.condition.lawyer_mandatory"));
        assert!(!conditions(9_000).contains(&"route.condition.lawyer_mandatory"));
    }

    #[test]
    fn domestic_undisputed_small_claim() {
        let advice = advise_routes(&request(3_000, "FR", "FR", false)).unwrap();
        assert_eq!(advice.total, eur(3_040));
        assert_eq!(
            open(&advice),
            [
                Route::InjonctionDePayer,
                Route::PetitesCreances,
                Route::RefereProvision
            ]
        );
        // Best worst-case net: simplified procedure (3,040 − 200 = 2,840) beats the
        // injonction de payer (3,040 − 250 = 2,790) and référé (3,040 − 2,500 = 540).
        assert_eq!(advice.recommendation.code, RecommendationCode::Litigate);
        assert_eq!(advice.recommendation.route, Some(Route::PetitesCreances));
        assert!(advice.routes.iter().all(|r| r.cost.estimate));
    }

    #[test]
    fn above_5000_the_simplified_procedure_closes() {
        let mut r = request(4_900, "FR", "FR", false);
        r.interest = eur(200);
        let advice = advise_routes(&r).unwrap();
        let pc = &advice.routes[1];
        assert!(!pc.open);
        assert_eq!(pc.blockers[0].code, "route.blocker.over_5000");
        assert_eq!(advice.recommendation.route, Some(Route::InjonctionDePayer));
    }

    #[test]
    fn a_dispute_closes_summary_routes_and_asks_for_settlement_first() {
        let advice = advise_routes(&request(50_000, "FR", "FR", true)).unwrap();
        assert_eq!(open(&advice), [Route::InjonctionDePayer]);
        assert_eq!(
            advice.recommendation.code,
            RecommendationCode::ResolveDisputeFirst
        );
        assert_eq!(advice.recommendation.route, Some(Route::InjonctionDePayer));
        assert!(advice.recommendation.text.fr.contains("2238"));
    }

    #[test]
    fn small_disputed_claims_are_not_worth_a_court() {
        // 1,000 + 40: the only open route may cost 3,000 after an opposition.
        let advice = advise_routes(&request(1_000, "FR", "FR", true)).unwrap();
        assert_eq!(
            advice.recommendation.code,
            RecommendationCode::DoNotLitigate
        );
        assert_eq!(advice.recommendation.route, None);
        assert!(advice.recommendation.text.en.contains("L111-8"));
        // A tiny undisputed claim: 200 + 40 = 240, cheapest worst case 200 > 120.
        let advice = advise_routes(&request(200, "FR", "FR", false)).unwrap();
        assert_eq!(
            advice.recommendation.code,
            RecommendationCode::DoNotLitigate
        );
    }

    #[test]
    fn insolvent_debtors_lower_the_expected_recovery() {
        let mut r = request(3_000, "FR", "FR", false);
        r.recovery_odds = Some(Decimal::new(1, 1)); // 10 %: 304 expected
        let advice = advise_routes(&r).unwrap();
        assert_eq!(
            advice.expected_recovery,
            Money::from_minor(30_400, Currency::EUR)
        );
        assert_eq!(
            advice.recommendation.code,
            RecommendationCode::DoNotLitigate
        );
    }

    #[test]
    fn cross_border_routes() {
        // German debtor, French creditor, disputed 4,000: only the European small claims
        // procedure is open among EU routes besides the order for payment.
        let advice = advise_routes(&request(4_000, "DE", "FR", true)).unwrap();
        assert_eq!(
            open(&advice),
            [Route::EuropeanOrderForPayment, Route::EuropeanSmallClaims]
        );
        assert_eq!(
            advice.recommendation.route,
            Some(Route::EuropeanSmallClaims)
        );
        // Above 5,000 principal the small claims route closes.
        let advice = advise_routes(&request(6_000, "IT", "FR", false)).unwrap();
        assert_eq!(open(&advice), [Route::EuropeanOrderForPayment]);
        // A French debtor of a Belgian creditor: French and European routes.
        let advice = advise_routes(&request(2_000, "FR", "BE", false)).unwrap();
        assert_eq!(open(&advice).len(), 5);
        // Denmark is outside both regulations; the UK left the EU.
        for debtor in ["DK", "GB"] {
            let advice = advise_routes(&request(2_000, debtor, "FR", false)).unwrap();
            assert!(open(&advice).is_empty(), "{debtor}");
            assert_eq!(advice.recommendation.code, RecommendationCode::NoRouteOpen);
        }
    }

    #[test]
    fn nothing_due_and_bad_input() {
        let mut r = request(0, "FR", "FR", false);
        r.indemnity = eur(0);
        assert_eq!(
            advise_routes(&r).unwrap().recommendation.code,
            RecommendationCode::NothingDue
        );
        r.principal = Money::from_minor(100, Currency::GBP);
        assert!(advise_routes(&r).is_err());
        let mut r = request(100, "FR", "FR", false);
        r.recovery_odds = Some(Decimal::TWO);
        assert!(advise_routes(&r).is_err());
    }
}
