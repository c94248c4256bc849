//! # Reports: the analytics of `domain::analytics` over a stored portfolio
//!
//! One place loads what the engines need besides the book — debtors' dimensions and case
//! owners, the dunning actions carried out, the unit costs of the channels — so that the
//! CLI (`recouvre report`), the API (`/api/v1/reports/...`) and the pages (reports and
//! dashboard) show the same figures for the same parameters.
//!
//! The payment-terms table of the management report (C. com. D441-6) is one of them: its
//! financial year is the period (`from` its first day, `to` the closing date), and the
//! claims under a dispute open at the closing are read here from the agreements.
//!
//! Unit costs per channel are settings, `cost_per_action.<channel>` (e.g.
//! `cost_per_action.registered_letter = 7.00`), in the currency of the setting
//! `cost_currency` (default EUR); channels not set keep the defaults of
//! [`UnitCosts::default`].

use crate::error::{AppError, AppResult};
use crate::store::{ActionFilter, ActionStatus, AgreementKind, Tx};
use domain::aging::Buckets;
use domain::agreements::Dispute;
use domain::analytics::{
    self, ActionFact, AgingReport, AmountBasis, DebtorFacts, EffectivenessReport, Forecast,
    GroupBy, Kpis, PaymentTermsQuery, PaymentTermsReport, ReferenceTerms, TermsVariant, UnitCosts,
};
use domain::book::Book;
use domain::date::{Date, date_of_day, day_number};
use domain::dunning::{Channel, Channels};
use domain::money::{Money, parse_currency};
use domain::{ClaimId, DebtorId};
pub use formats::sheet::{Sheet, SheetCell, to_csv, to_xlsx};
use std::collections::{HashMap, HashSet};

/// Prefix of the unit-cost settings; the channel name follows (`email`, `sms`, …).
pub const COST_PREFIX: &str = "cost_per_action.";
/// The currency of the unit costs (ISO code; EUR when unset).
pub const COST_CURRENCY: &str = "cost_currency";

/// Days of the default period of KPIs and effectiveness: the 90 days ending on `to`, the
/// same window as the DSO the demo's simulation prints.
pub const DEFAULT_PERIOD_DAYS: i32 = 90;

/// Which dates a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// `from..=to`, each defaulting from `as_of`: `to` is `as_of`, `from` the start of the
    /// 90 days ending on `to`. A period that ends before it starts is refused.
    pub fn resolve(as_of: Date, from: Option<Date>, to: Option<Date>) -> AppResult<Self> {
        let to = to.unwrap_or(as_of);
        let from = match from {
            Some(f) => f,
            None => date_of_day(day_number(to) - DEFAULT_PERIOD_DAYS + 1).unwrap_or(to),
        };
        if from > to {
            return Err(AppError::Invalid(domain::tr!(
                "the period starts ({from}) after it ends ({to})",
                "la période commence ({from}) après sa fin ({to})"
            )));
        }
        Ok(Self { from, to })
    }

    /// A financial year closing on `to` (default `as_of`): `from` defaults to the day after
    /// the same day a year earlier (closing 2026-12-31 → 2026-01-01). A year that ends
    /// before it starts, or longer than the 24 months a financial year may last (C. com.
    /// R123-183 allows a longer first one, never beyond that), is refused.
    pub fn resolve_year(as_of: Date, from: Option<Date>, to: Option<Date>) -> AppResult<Self> {
        let to = to.unwrap_or(as_of);
        let from = match from {
            Some(f) => f,
            None => to
                .checked_sub(jiff::Span::new().years(1))
                .ok()
                .and_then(|d| date_of_day(day_number(d) + 1))
                .unwrap_or(to),
        };
        if from > to {
            return Err(AppError::Invalid(domain::tr!(
                "the financial year starts ({from}) after its closing date ({to})",
                "l'exercice commence ({from}) après sa date de clôture ({to})"
            )));
        }
        let limit = from
            .checked_add(jiff::Span::new().months(24))
            .unwrap_or(Date::MAX);
        if to >= limit {
            return Err(AppError::Invalid(domain::tr!(
                "a financial year from {from} to {to} is longer than 24 months",
                "un exercice du {from} au {to} dépasse 24 mois"
            )));
        }
        Ok(Self { from, to })
    }
}

/// Every debtor's dimensions, with the owner of its case.
pub async fn debtor_facts(tx: &mut dyn Tx) -> AppResult<HashMap<DebtorId, DebtorFacts>> {
    let owners: HashMap<DebtorId, Option<String>> = tx
        .cases()
        .await?
        .into_iter()
        .map(|c| (c.debtor_id, c.owner))
        .collect();
    let names: HashMap<domain::CreditorId, String> = tx
        .creditors()
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(tx
        .debtors(None)
        .await?
        .into_iter()
        .map(|d| {
            let collector = owners.get(&d.id).cloned().flatten();
            let creditor = names.get(&d.creditor_id).cloned().unwrap_or_default();
            (d.id, facts_of(d, collector, creditor))
        })
        .collect())
}

/// A debtor's dimensions, with the collector owning its case and its creditor's name.
pub fn facts_of(
    d: domain::Debtor,
    collector: Option<String>,
    creditor_name: String,
) -> DebtorFacts {
    DebtorFacts {
        creditor: d.creditor_id,
        creditor_name,
        name: d.name,
        country: d.country,
        segment: d.segment,
        collector,
    }
}

/// The actions that went, or will go, to debtors: planned, approved and done ones (drafts
/// wait for a person, skipped ones never happened).
pub async fn action_facts(tx: &mut dyn Tx) -> AppResult<Vec<ActionFact>> {
    let actions = tx
        .actions(&ActionFilter {
            statuses: ActionStatus::WENT_OUT.to_vec(),
            ..ActionFilter::default()
        })
        .await?;
    Ok(actions
        .into_iter()
        .map(|a| ActionFact {
            debtor: a.debtor_id,
            scenario: a.scenario,
            step: a.step_code,
            template: a.template,
            channels: a.channels,
            claims: a.claims,
            day: a.created_on,
        })
        .collect())
}

/// The unit costs from the settings (defaults for the channels not set).
pub async fn unit_costs(tx: &mut dyn Tx) -> AppResult<UnitCosts> {
    let mut costs = UnitCosts::default();
    if let Some(code) = tx.setting(COST_CURRENCY).await? {
        costs.currency = parse_currency(&code)
            .map_err(|e| AppError::Invalid(format!("setting {COST_CURRENCY}: {e}")))?;
    }
    for (key, value) in tx.settings().await? {
        let Some(name) = key.strip_prefix(COST_PREFIX) else {
            continue;
        };
        let channel: Channel = name.parse().map_err(|e| {
            AppError::Invalid(format!("setting {key}: {name:?} is not a channel ({e})"))
        })?;
        let amount = Money::parse(&value, costs.currency)
            .map_err(|e| AppError::Invalid(format!("setting {key}: {e}")))?;
        if amount.is_negative() {
            return Err(AppError::Invalid(format!(
                "setting {key}: a cost cannot be negative, got {value}"
            )));
        }
        costs.per_channel.insert(channel, amount.minor());
    }
    Ok(costs)
}

/// The aged balance as of `as_of`, grouped.
pub async fn aging(
    tx: &mut dyn Tx,
    book: &Book,
    as_of: Date,
    buckets: &Buckets,
    group_by: GroupBy,
) -> AppResult<AgingReport> {
    let facts = if matches!(group_by, GroupBy::Currency | GroupBy::Financing) {
        HashMap::new()
    } else {
        debtor_facts(tx).await?
    };
    // Own, assigned or insured belongs to the claim (its own assignment, else its
    // debtor's), in force on the day.
    let claim_groups = if group_by == GroupBy::Financing {
        crate::financing::FinancingBook::load(tx)
            .await?
            .claim_groups(book, as_of)
    } else {
        HashMap::new()
    };
    Ok(analytics::aged_by_claims(
        book,
        &facts,
        &claim_groups,
        as_of,
        buckets,
        group_by,
    ))
}

/// The KPIs of the period.
pub async fn kpis(tx: &mut dyn Tx, book: &Book, period: Period) -> AppResult<Kpis> {
    let actions: Vec<(Date, Channels)> = action_facts(tx)
        .await?
        .into_iter()
        .map(|a| (a.day, a.channels))
        .collect();
    let costs = unit_costs(tx).await?;
    Ok(analytics::kpis(
        book,
        period.from,
        period.to,
        &actions,
        &costs,
    ))
}

/// The effectiveness of the actions decided in the period, outcomes read up to `as_of`.
pub async fn effectiveness(
    tx: &mut dyn Tx,
    book: &Book,
    period: Period,
    as_of: Date,
) -> AppResult<EffectivenessReport> {
    let actions = action_facts(tx).await?;
    Ok(analytics::effectiveness(
        book,
        &actions,
        period.from,
        period.to,
        as_of,
    ))
}

/// The 13-week cash forecast from `as_of`.
pub fn forecast(book: &Book, as_of: Date) -> Forecast {
    analytics::forecast(book, as_of)
}

/// The claims under a dispute open at the end of `closing`: opened by then and not
/// resolved by then.
pub async fn disputed_at(tx: &mut dyn Tx, closing: Date) -> AppResult<HashSet<ClaimId>> {
    let disputes: Vec<(i64, Dispute)> =
        crate::agreements::list(tx, AgreementKind::Dispute, None).await?;
    Ok(disputes
        .into_iter()
        .filter(|(_, d)| d.opened_on <= closing && d.resolved_on.is_none_or(|r| r > closing))
        .flat_map(|(_, d)| d.claims)
        .collect())
}

/// The options of the payment-terms table besides its financial year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermsOptions {
    pub variant: TermsVariant,
    pub reference: ReferenceTerms,
    pub basis: AmountBasis,
}

/// The D441-6 table of the financial year `year` (`to` is the closing date).
pub async fn payment_terms(
    tx: &mut dyn Tx,
    book: &Book,
    year: Period,
    options: TermsOptions,
) -> AppResult<PaymentTermsReport> {
    let disputed = disputed_at(tx, year.to).await?;
    Ok(analytics::payment_terms(
        book,
        &PaymentTermsQuery {
            year_start: year.from,
            closing: year.to,
            variant: options.variant,
            reference: options.reference,
            basis: options.basis,
            disputed,
        },
    ))
}

/// The reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Aging,
    Kpis,
    Effectiveness,
    Forecast,
    PaymentTerms,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        ReportKind::Aging,
        ReportKind::Kpis,
        ReportKind::Effectiveness,
        ReportKind::Forecast,
        ReportKind::PaymentTerms,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ReportKind::Aging => "aging",
            ReportKind::Kpis => "kpis",
            ReportKind::Effectiveness => "effectiveness",
            ReportKind::Forecast => "forecast",
            ReportKind::PaymentTerms => "payment-terms",
        }
    }

    /// The period of the report from the dates given: a financial year for the
    /// payment-terms table, otherwise the 90 days ending on `to`.
    pub fn period(self, as_of: Date, from: Option<Date>, to: Option<Date>) -> AppResult<Period> {
        match self {
            ReportKind::PaymentTerms => Period::resolve_year(as_of, from, to),
            _ => Period::resolve(as_of, from, to),
        }
    }
}

impl std::str::FromStr for ReportKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        ReportKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                domain::tr!(
                    "{s:?} is not one of: aging, kpis, effectiveness, forecast, payment-terms",
                    "{s:?} n'est pas parmi : aging, kpis, effectiveness, forecast, payment-terms"
                )
            })
    }
}

/// What a report needs to be asked: the day it is computed on, the period of the KPIs and
/// the effectiveness (the financial year of the payment-terms table), the buckets and
/// grouping of the aged balance, the options of the payment-terms table.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    pub as_of: Date,
    pub period: Period,
    pub buckets: Buckets,
    pub group_by: GroupBy,
    pub terms: TermsOptions,
}

/// A computed report.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Report {
    Aging(AgingReport),
    Kpis(Kpis),
    Effectiveness(EffectivenessReport),
    Forecast(Forecast),
    PaymentTerms(PaymentTermsReport),
}

/// Computes one report.
pub async fn report(
    tx: &mut dyn Tx,
    book: &Book,
    kind: ReportKind,
    q: &ReportQuery,
) -> AppResult<Report> {
    Ok(match kind {
        ReportKind::Aging => Report::Aging(aging(tx, book, q.as_of, &q.buckets, q.group_by).await?),
        ReportKind::Kpis => Report::Kpis(kpis(tx, book, q.period).await?),
        ReportKind::Effectiveness => {
            Report::Effectiveness(effectiveness(tx, book, q.period, q.as_of).await?)
        }
        ReportKind::Forecast => Report::Forecast(forecast(book, q.as_of)),
        ReportKind::PaymentTerms => {
            Report::PaymentTerms(payment_terms(tx, book, q.period, q.terms).await?)
        }
    })
}

/// The bucket label as a person reads it (`not due` translated).
pub fn bucket_label(label: &str, t: &dyn Fn(&str) -> String) -> String {
    if label == "not due" {
        t("aged-not-due")
    } else {
        label.to_string()
    }
}

fn amounts_cell(list: &[Money]) -> SheetCell {
    match list {
        [] => SheetCell::Empty,
        [one] => SheetCell::Amount(*one),
        many => SheetCell::Text(
            many.iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
                .join(" + "),
        ),
    }
}

/// The report as a table, headers and labels translated by `t` (a message key in, the
/// text out): the one layout of the CLI's tables, the CSV and the XLSX files.
pub fn sheet(report: &Report, t: &dyn Fn(&str) -> String) -> Sheet {
    use SheetCell::{Amount, Count, Figure, Text};
    match report {
        Report::Aging(r) => {
            let mut headers = vec![t("col-group"), t("col-currency")];
            headers.extend(r.buckets.iter().map(|b| bucket_label(b, t)));
            headers.extend([t("col-total"), t("col-overdue"), t("col-claims")]);
            let line = |g: &domain::analytics::AgingGroup, label: String| {
                let mut row = vec![Text(label), Text(g.currency.code().to_string())];
                row.extend(g.amounts.iter().map(|m| Amount(*m)));
                row.extend([
                    Amount(g.total),
                    Amount(g.overdue),
                    Count(g.claims.iter().sum()),
                ]);
                row
            };
            let mut rows: Vec<Vec<SheetCell>> = r
                .groups
                .iter()
                .map(|g| {
                    let label = if g.key.is_empty() {
                        t("report-nobody")
                    } else if r.group_by == GroupBy::Financing {
                        // own, assigned, insured: words a person reads, translated.
                        t(&format!("financing-{}", g.key))
                    } else {
                        g.label.clone()
                    };
                    line(g, label)
                })
                .collect();
            rows.extend(r.totals.iter().map(|g| line(g, t("col-total"))));
            Sheet {
                title: t("report-aging"),
                headers,
                rows,
            }
        }
        Report::Kpis(k) => {
            let mut rows = Vec::new();
            for c in &k.currencies {
                let cur = || Text(c.currency.code().to_string());
                let figures: [(&str, SheetCell); 20] = [
                    ("kpi-receivables-start", Amount(c.receivables_start)),
                    ("kpi-receivables-end", Amount(c.receivables_end)),
                    ("kpi-current-end", Amount(c.current_end)),
                    ("kpi-credit-sales", Amount(c.credit_sales)),
                    ("kpi-collected", Amount(c.collected)),
                    ("kpi-dso-simple", Figure(c.dso_simple)),
                    ("kpi-dso-countback", Figure(c.dso_countback)),
                    ("kpi-best-dso", Figure(c.best_possible_dso)),
                    ("kpi-add", Figure(c.average_days_delinquent)),
                    ("kpi-cei", Figure(c.cei)),
                    ("kpi-became-overdue", Amount(c.became_overdue)),
                    ("kpi-recovered", Amount(c.recovered)),
                    ("kpi-recovery-rate", Figure(c.recovery_rate)),
                    ("kpi-paid-claims", Count(c.paid_claims)),
                    ("kpi-paid-late", Count(c.paid_late)),
                    ("kpi-share-paid-late", Figure(c.share_paid_late)),
                    ("kpi-days-to-collect", Figure(c.average_days_to_collect)),
                    ("kpi-days-late", Figure(c.average_days_late)),
                    ("kpi-write-offs", Amount(c.write_offs)),
                    ("kpi-written-off-claims", Count(c.written_off_claims)),
                ];
                for (key, value) in figures {
                    rows.push(vec![Text(key.into()), Text(t(key)), cur(), value]);
                }
            }
            for (channel, n) in &k.cost.actions_by_channel {
                rows.push(vec![
                    Text(format!("actions.{channel}")),
                    Text(format!("{} ({channel})", t("kpi-actions"))),
                    Text(String::new()),
                    Count(*n),
                ]);
            }
            rows.push(vec![
                Text("kpi-actions-cost".into()),
                Text(t("kpi-actions-cost")),
                Text(k.cost.actions_cost.currency().code().to_string()),
                Amount(k.cost.actions_cost),
            ]);
            for (key, list) in [
                ("kpi-fees", &k.cost.fees),
                ("kpi-cost-total", &k.cost.total),
            ] {
                for m in list.iter() {
                    rows.push(vec![
                        Text(key.into()),
                        Text(t(key)),
                        Text(m.currency().code().to_string()),
                        Amount(*m),
                    ]);
                }
            }
            Sheet {
                title: t("report-kpis"),
                headers: vec![
                    t("col-key"),
                    t("col-indicator"),
                    t("col-currency"),
                    t("col-value"),
                ],
                rows,
            }
        }
        Report::Effectiveness(e) => {
            let headers = [
                "col-scenario",
                "col-step",
                "col-template",
                "col-actions",
                "col-cases",
                "col-observed-7",
                "col-fully-7",
                "col-partly-7",
                "col-observed-30",
                "col-fully-30",
                "col-partly-30",
                "col-fully-rate-30",
                "col-any-rate-30",
                "col-recovered-7",
                "col-recovered-30",
            ]
            .iter()
            .map(|k| t(k))
            .collect();
            let line = |r: &domain::analytics::EffectivenessRow| {
                let text = |s: &Option<String>| Text(s.clone().unwrap_or_default());
                vec![
                    r.scenario
                        .as_ref()
                        .map_or_else(|| Text(t("eff-baseline")), |s| Text(s.clone())),
                    text(&r.step),
                    text(&r.template),
                    Count(r.actions),
                    Count(r.cases),
                    Count(r.observed_7),
                    Count(r.paid_fully_7),
                    Count(r.paid_partly_7),
                    Count(r.observed_30),
                    Count(r.paid_fully_30),
                    Count(r.paid_partly_30),
                    Figure(r.fully_rate_30),
                    Figure(r.any_rate_30),
                    amounts_cell(&r.recovered_7),
                    amounts_cell(&r.recovered_30),
                ]
            };
            let mut rows: Vec<Vec<SheetCell>> = e.rows.iter().map(line).collect();
            rows.push(line(&e.baseline));
            Sheet {
                title: t("report-effectiveness"),
                headers,
                rows,
            }
        }
        Report::Forecast(f) => {
            let mut rows = Vec::new();
            for w in &f.weeks {
                for m in &w.expected {
                    rows.push(vec![
                        Text(w.start.to_string()),
                        Text(w.end.to_string()),
                        Text(m.currency().code().to_string()),
                        Amount(*m),
                    ]);
                }
            }
            for (key, list) in [("fc-later", &f.later), ("fc-doubtful", &f.doubtful)] {
                for m in list.iter() {
                    rows.push(vec![
                        Text(t(key)),
                        Text(String::new()),
                        Text(m.currency().code().to_string()),
                        Amount(*m),
                    ]);
                }
            }
            Sheet {
                title: t("report-forecast"),
                headers: vec![
                    t("col-week-start"),
                    t("col-week-end"),
                    t("col-currency"),
                    t("col-expected"),
                ],
                rows,
            }
        }
        Report::PaymentTerms(r) => payment_terms_sheet(r, t),
    }
}

/// The D441-6 table in the layout of the ministerial model: the brackets as columns, then
/// per currency the rows of part A (number, amount, share), part B (excluded disputed
/// invoices, in the total column) and part C (the reference terms used).
fn payment_terms_sheet(r: &PaymentTermsReport, t: &dyn Fn(&str) -> String) -> Sheet {
    use SheetCell::{Amount, Count, Empty, Figure, Text};
    let unpaid = r.variant == TermsVariant::Unpaid;
    let mut headers = vec![t("pt-col-row"), t("col-currency")];
    headers.extend(
        ["pt-b0", "pt-b1", "pt-b2", "pt-b3", "pt-b4", "pt-total"]
            .iter()
            .map(|k| t(k)),
    );
    let reference = t(match r.reference {
        ReferenceTerms::Contractual => "pt-reference-contractual",
        ReferenceTerms::Legal => "pt-reference-legal",
    });
    let mut rows = Vec::new();
    for table in &r.tables {
        let cur = || Text(table.currency.code().to_string());
        let line = |key: &str, cells: Vec<SheetCell>, total: SheetCell| {
            let mut row = vec![Text(t(key)), cur()];
            row.extend(cells);
            row.push(total);
            row
        };
        let apart = |key: &str, total: SheetCell| {
            line(
                key,
                (0..analytics::BRACKETS).map(|_| Empty).collect(),
                total,
            )
        };
        rows.push(line(
            "pt-invoices",
            table.invoices.iter().map(|n| Count(*n)).collect(),
            Count(table.total_invoices),
        ));
        rows.push(line(
            "pt-amount",
            table.amounts.iter().map(|m| Amount(*m)).collect(),
            Amount(table.total_amount),
        ));
        rows.push(line(
            if unpaid {
                "pt-share-turnover"
            } else {
                "pt-share-issued"
            },
            table.shares.iter().map(|p| Figure(*p)).collect(),
            Figure(table.total_share),
        ));
        rows.push(apart("pt-year-invoices", Amount(table.year_invoices)));
        rows.push(apart(
            "pt-excluded-invoices",
            Count(table.excluded_invoices),
        ));
        rows.push(apart("pt-excluded-amount", Amount(table.excluded_amount)));
        rows.push(apart("pt-reference", Text(reference.clone())));
    }
    Sheet {
        title: t(if unpaid {
            "pt-title-unpaid"
        } else {
            "pt-title-paid-late"
        }),
        headers,
        rows,
    }
}
