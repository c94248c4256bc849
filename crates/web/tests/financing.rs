//! Assigned and insured claims through the API and the pages, over HTTP on a real SQLite
//! database: a factor and an insurer recorded by an administrator (a bad IBAN and a
//! negative deadline refused, nothing written), a claim assigned by a manager and shown on
//! the claim page, the aged balance split own / assigned / insured, and every change
//! refused to a role that may not make it.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::Role;
use common::spawn_sqlite;
use serde_json::{Value, json};

fn body(a: &common::Answer) -> Value {
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

/// The open total of the aged balance's group `key` (minor units), 0 when absent.
fn group_total(report: &Value, key: &str) -> i64 {
    report["data"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["key"] == key && g["currency"] == "EUR")
        .map(|g| g["total"]["minor"].as_i64().unwrap())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factors_insurers_and_assignments_through_the_api() {
    let app = spawn_sqlite().await;
    let factors = "/api/v1/financing/factors";
    let factor = json!({ "name": "Factofrance", "iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP" });
    // A manager may not add a factor; an administrator may.
    assert_eq!(
        app.api_json(Role::Manager, "POST", factors, &factor)
            .await
            .status,
        403
    );
    let bad = json!({ "name": "Factofrance", "iban": "FR76 3000 6000 0112 3456 7890 188" });
    let refused = app.api_json(Role::Admin, "POST", factors, &bad).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("iban"), "{}", refused.body);
    let negative =
        json!({ "name": "Allianz Trade", "policy": "POL-42", "declare_within_days": -5 });
    let refused = app
        .api_json(Role::Admin, "POST", "/api/v1/financing/insurers", &negative)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let listing = app.api(Role::Viewer, "GET", "/api/v1/financing").await;
    assert_eq!(body(&listing)["parties"], json!([]), "nothing written");

    let created = app.api_json(Role::Admin, "POST", factors, &factor).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let f = body(&created);
    assert_eq!(f["iban"], "FR7630006000011234567890189");
    let factor_id = f["id"].as_i64().unwrap();
    let insurer = json!({ "name": "Allianz Trade", "policy": "POL-42", "declare_within_days": 60 });
    let created = app
        .api_json(Role::Admin, "POST", "/api/v1/financing/insurers", &insurer)
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let insurer_id = body(&created)["id"].as_i64().unwrap();

    // An open claim of the demo portfolio, and its debtor.
    let (claim, debtor, open) = {
        let as_of: domain::Date = common::AS_OF.parse().unwrap();
        let mut tx = app.store.begin().await.unwrap();
        let mut found = None;
        'outer: for d in tx.debtors(None).await.unwrap() {
            for c in tx.claims_of_debtor(d.id).await.unwrap() {
                let ledger = domain::ClaimLedger::from_entries(
                    c.currency,
                    tx.ledger_entries(c.id).await.unwrap(),
                );
                let open = ledger.balance_as_of(as_of);
                if c.currency == domain::Currency::EUR
                    && open.is_positive()
                    && c.issue_date <= as_of
                {
                    found = Some((c.id.0, d.id.0, open.minor()));
                    break 'outer;
                }
            }
        }
        found.unwrap()
    };
    let aging = format!(
        "/api/v1/reports/aging?group_by=financing&as_of={}",
        common::AS_OF
    );
    let before = body(&app.api(Role::Viewer, "GET", &aging).await);
    assert_eq!(group_total(&before, "assigned"), 0, "{before}");
    let own_before = group_total(&before, "own");

    // A collector may not assign; a manager may. An insurer's claims cannot be left alone.
    let path = format!("/api/v1/claims/{claim}/financing");
    let assign = json!({ "party_id": factor_id, "since": "2026-01-01", "dun": false });
    assert_eq!(
        app.api_json(Role::Collector, "PUT", &path, &assign)
            .await
            .status,
        403
    );
    let no_dun_insured = json!({ "party_id": insurer_id, "dun": false });
    assert_eq!(
        app.api_json(Role::Manager, "PUT", &path, &no_dun_insured)
            .await
            .status,
        422
    );
    let unknown = json!({ "party_id": factor_id + 100 });
    assert_eq!(
        app.api_json(Role::Manager, "PUT", &path, &unknown)
            .await
            .status,
        404
    );
    let done = app.api_json(Role::Manager, "PUT", &path, &assign).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let a = body(&done);
    assert_eq!(
        (
            a["financing"].clone(),
            a["party_name"].clone(),
            a["dun"].clone()
        ),
        (json!("assigned"), json!("Factofrance"), json!(false))
    );
    let shown = app.api(Role::Viewer, "GET", &path).await;
    assert_eq!(body(&shown)["since"], "2026-01-01");

    // The aged balance moves exactly the claim's open amount from own to assigned.
    let after = body(&app.api(Role::Viewer, "GET", &aging).await);
    assert_eq!(group_total(&after, "assigned"), open, "{after}");
    assert_eq!(group_total(&after, "own"), own_before - open);

    // The claim page shows the assignment.
    let mut b = app.login(Role::Manager).await;
    let page = app.get(&mut b, &format!("/claims/{claim}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"financing\""),
        "the financing panel"
    );
    assert!(page.body.contains("Factofrance"), "{}", page.body);

    // A debtor's assignment, then its end.
    let debtor_path = format!("/api/v1/debtors/{debtor}/financing");
    let insured = json!({ "party_id": insurer_id });
    let done = app
        .api_json(Role::Manager, "PUT", &debtor_path, &insured)
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(body(&done)["financing"], "insured");
    let ended = app
        .api_json(Role::Manager, "DELETE", &debtor_path, &Value::Null)
        .await;
    assert_eq!(ended.status, 200, "{}", ended.body);
    assert_eq!(body(&ended), Value::Null);
    let listing = body(&app.api(Role::Viewer, "GET", "/api/v1/financing").await);
    assert_eq!(listing["assignments"].as_array().unwrap().len(), 1);
}
