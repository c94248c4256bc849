//! The debtor page's quick actions (call, plan, consent, dispute resolution, assignment),
//! the worklist's "my tasks" and the scenario editor, over HTTP on a real SQLite database.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::Role;
use common::{TestApp, spawn_sqlite};
use serde_json::{Value, json};

fn body(a: &common::Answer) -> Value {
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

/// The most overdue debtor and its open total in minor units (one currency: EUR).
async fn overdue_debtor(app: &TestApp) -> (i64, i64) {
    let r = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/debtors?overdue=true&sort=overdue&per_page=20",
        )
        .await;
    let page = body(&r);
    let d = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["open"].as_array().unwrap().len() == 1 && d["open"][0]["currency"] == "EUR")
        .unwrap();
    (
        d["id"].as_i64().unwrap(),
        d["open"][0]["minor"].as_i64().unwrap(),
    )
}

async fn last_audit(app: &TestApp) -> Value {
    body(&app.api(Role::Admin, "GET", "/api/v1/audit?limit=1").await)[0].clone()
}

/// A plan of 4 monthly instalments without interest: the proposal splits the open total
/// into four equal parts in cents, the first ones taking the leftover cents (total 1001 →
/// 251, 250, 250, 250); creating it from the page saves it, audits it and puts it on the
/// timeline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_is_proposed_then_created_from_the_debtor_page() {
    let app = spawn_sqlite().await;
    let (id, open) = overdue_debtor(&app).await;
    let proposal = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/debtors/{id}/plans/proposal"),
            &json!({ "count": 4, "first": "2026-07-15" }),
        )
        .await;
    assert_eq!(proposal.status, 200, "{}", proposal.body);
    let p = body(&proposal);
    assert_eq!(p["total"]["minor"], open);
    let amounts: Vec<i64> = p["plan"]["instalments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["amount"]["minor"].as_i64().unwrap())
        .collect();
    let (base, extra) = (open / 4, open % 4);
    let expected: Vec<i64> = (0..4).map(|i| base + i64::from(i < extra)).collect();
    assert_eq!(amounts, expected);
    let dues: Vec<&str> = p["plan"]["instalments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["due"].as_str().unwrap())
        .collect();
    assert_eq!(
        dues,
        ["2026-07-15", "2026-08-15", "2026-09-15", "2026-10-15"]
    );

    // Nothing is saved by the preview page; the create button saves it.
    let mut b = app.login(Role::Collector).await;
    let page = app.get(&mut b, &format!("/debtors/{id}")).await;
    assert!(page.body.contains("id=\"plan-form\""), "{}", page.body);
    let csrf = b.csrf.clone();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("count", "4"),
        ("every", "monthly"),
        ("first", "2026-07-15"),
        ("grace_days", "5"),
    ];
    let mut preview = fields.to_vec();
    preview.push(("do", "preview"));
    let r = app
        .post(&mut b, &format!("/debtors/{id}/plans"), &preview)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body.matches("<tr><td>").count(), 4, "{}", r.body);
    assert!(r.body.contains("id=\"plan-create\""));
    let before = body(
        &app.api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/debtors/{id}/agreements"),
        )
        .await,
    );
    assert!(
        !before
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["type"] == "plan")
    );
    let mut create = fields.to_vec();
    create.push(("do", "create"));
    let r = app
        .post(&mut b, &format!("/debtors/{id}/plans"), &create)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/debtors/{id}?notice=plan-created").as_str())
    );
    let page = app.get(&mut b, &format!("/debtors/{id}")).await;
    assert!(
        page.body.contains("class=\"timeline-plan\""),
        "{}",
        page.body
    );
    let audit = last_audit(&app).await;
    assert_eq!(audit["action"], "plan.create");
    assert_eq!(audit["actor"], "collector");
    // Both a count and a fixed amount: refused, naming the field.
    let r = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/debtors/{id}/plans"),
            &json!({ "count": 4, "instalment": "100.00" }),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(body(&r)["errors"][0]["field"], "count", "{}", r.body);
}

/// A call logged with a promise: both on the timeline (the call with its outcome, note
/// and author), audited once as `call.log`; a note without text is refused and nothing is
/// stored; a viewer may not log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_is_logged_with_a_promise() {
    let app = spawn_sqlite().await;
    let (id, _) = overdue_debtor(&app).await;
    let mut b = app.login(Role::Collector).await;
    app.get(&mut b, &format!("/debtors/{id}")).await;
    let csrf = b.csrf.clone();
    let r = app
        .post_text(
            &mut b,
            &format!("/debtors/{id}/calls"),
            &[
                ("_csrf", &csrf),
                ("outcome", "reached"),
                ("note", "Paiera le 15 / will pay"),
                ("promise_amount", "100.00"),
                ("promise_due", "2026-07-15"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app.get(&mut b, &format!("/debtors/{id}")).await;
    // The collector's language is French.
    assert!(
        page.body
            .contains("Appel : débiteur joint · Paiera le 15 / will pay"),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"timeline-promise\""));
    let tl = body(
        &app.api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/debtors/{id}/timeline"),
        )
        .await,
    );
    let call = tl
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "call")
        .unwrap();
    assert_eq!(call["what"], "reached");
    assert_eq!(call["author"], "collector");
    assert_eq!(call["date"], common::AS_OF);
    let audit = last_audit(&app).await;
    assert_eq!(audit["action"], "call.log");
    assert_eq!(audit["subject"], format!("debtor:{id}"));

    let notes = || async {
        let mut tx = app.store.begin().await.unwrap();
        tx.notes(Some(domain::DebtorId(id))).await.unwrap().len()
    };
    assert_eq!(notes().await, 1);
    let csrf = b.csrf.clone();
    let r = app
        .post(
            &mut b,
            &format!("/debtors/{id}/calls"),
            &[("_csrf", &csrf), ("outcome", "note"), ("note", "")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // A promise half given: refused, and the call is not logged either.
    let r = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/debtors/{id}/calls"),
            &json!({ "outcome": "no_answer", "promise_amount": "50.00" }),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(notes().await, 1);
    let r = app
        .api_json(
            Role::Viewer,
            "POST",
            &format!("/api/v1/debtors/{id}/calls"),
            &json!({ "outcome": "no_answer" }),
        )
        .await;
    assert_eq!(r.status, 403);
}

/// A dispute opened by a collector is resolved by a manager with a credit note of 10.00:
/// the claim's ledger gains a credit note of -10.00 and the dispute is closed; a collector
/// may not resolve.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_resolves_a_dispute_with_a_credit_note() {
    let app = spawn_sqlite().await;
    let (id, _) = overdue_debtor(&app).await;
    let detail = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/debtors/{id}"))
            .await,
    );
    let claim = detail["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "overdue")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let opened = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/debtors/{id}/disputes"),
            &json!({ "claims": [claim], "reason": "price" }),
        )
        .await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    let dispute = body(&opened)["id"].as_i64().unwrap();
    let r = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/disputes/{dispute}/resolve"),
            &json!({ "how": "reject" }),
        )
        .await;
    assert_eq!(r.status, 403);

    let mut b = app.login(Role::Manager).await;
    let page = app.get(&mut b, &format!("/debtors/{id}")).await;
    assert!(
        page.body
            .contains(&format!("action=\"/disputes/{dispute}/resolve\"")),
        "{}",
        page.body
    );
    let csrf = b.csrf.clone();
    let r = app
        .post(
            &mut b,
            &format!("/disputes/{dispute}/resolve"),
            &[
                ("_csrf", &csrf),
                ("how", "credit_note"),
                ("amount", "10.00"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.store.begin().await.unwrap();
    let entries = tx.ledger_entries(domain::ClaimId(claim)).await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.kind, domain::EntryKind::CreditNote);
    assert_eq!(last.amount_minor, -1000);
    drop(tx);
    assert_eq!(last_audit(&app).await["action"], "dispute.resolve");
    // Resolved once: a second resolution is refused.
    let r = app
        .api_json(
            Role::Manager,
            "POST",
            &format!("/api/v1/disputes/{dispute}/resolve"),
            &json!({ "how": "reject" }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
}

/// A manager assigns a case: its owner shows on the worklist, and a collector's "my
/// tasks" leaves out the cases of another collector but keeps their own and the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_are_assigned_and_my_tasks_filters_the_worklist() {
    let app = spawn_sqlite().await;
    let all = body(
        &app.api(Role::Viewer, "GET", "/api/v1/worklist?limit=500")
            .await,
    );
    let mut debtors: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["debtor_id"].as_i64().unwrap())
        .collect();
    debtors.dedup();
    assert!(debtors.len() >= 3, "the demo worklist has tasks: {all}");
    let (theirs, mine) = (debtors[0], debtors[1]);
    let mut m = app.login(Role::Manager).await;
    app.get(&mut m, &format!("/debtors/{theirs}")).await;
    let csrf = m.csrf.clone();
    let r = app
        .post(
            &mut m,
            &format!("/debtors/{theirs}/assign"),
            &[("_csrf", &csrf), ("owner", "manager")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = app
        .api_json(
            Role::Manager,
            "POST",
            &format!("/api/v1/cases/{mine}/assign"),
            &json!({ "owner": "collector" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(body(&r)["owner"], "collector");
    // An unknown login is refused.
    let r = app
        .api_json(
            Role::Manager,
            "POST",
            &format!("/api/v1/cases/{mine}/assign"),
            &json!({ "owner": "nobody-here" }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);

    let mut c = app.login(Role::Collector).await;
    let everything = app.get(&mut c, "/worklist").await;
    assert!(
        everything
            .body
            .contains(&format!("href=\"/debtors/{theirs}\""))
    );
    let own = app.get(&mut c, "/worklist?mine=true").await;
    assert_eq!(own.status, 200);
    assert!(!own.body.contains(&format!("href=\"/debtors/{theirs}\"")));
    assert!(own.body.contains(&format!("href=\"/debtors/{mine}\"")));
    assert!(
        own.body
            .contains(&format!("href=\"/debtors/{}\"", debtors[2]))
    );
    let api = body(
        &app.api(
            Role::Collector,
            "GET",
            "/api/v1/worklist?mine=true&limit=500",
        )
        .await,
    );
    assert!(
        api.as_array()
            .unwrap()
            .iter()
            .all(|w| w["debtor_id"] != theirs)
    );
    assert!(
        api.as_array()
            .unwrap()
            .iter()
            .any(|w| w["debtor_id"] == mine && w["owner"] == "collector")
    );
    // Collectors may not assign.
    let csrf = c.csrf.clone();
    let r = app
        .post(
            &mut c,
            &format!("/debtors/{mine}/assign"),
            &[("_csrf", &csrf), ("owner", "")],
        )
        .await;
    assert_eq!(r.status, 403);
}

/// The editor refuses a set with an unknown channel, naming the file and the line
/// (line 16 of the shipped `fr_b2b_standard.toml` is the first step's `channels`, counted
/// by hand), and saves nothing; a valid edit is saved, audited and in force at the next
/// request without a restart; a load by the CLI (the app function) too; reset goes back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scenario_editor_checks_saves_and_resets() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Manager).await;
    let page = app.get(&mut b, "/scenarios").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("fr_b2b_standard.toml"));
    let shipped = app::scenarios::ScenarioFiles::shipped();
    let csrf = b.csrf.clone();
    let form = |texts: Vec<String>, action: &'static str| {
        let mut f: Vec<(String, String)> = vec![
            ("_csrf".into(), csrf.clone()),
            ("do".into(), action.into()),
            ("assignment".into(), shipped.assignment.1.clone()),
        ];
        for (i, ((name, _), text)) in shipped.scenarios.iter().zip(texts).enumerate() {
            f.push((format!("name_{i}"), name.clone()));
            f.push((format!("text_{i}"), text));
        }
        f
    };
    let texts = || -> Vec<String> { shipped.scenarios.iter().map(|(_, t)| t.clone()).collect() };
    let mut bad = texts();
    let i = shipped
        .scenarios
        .iter()
        .position(|(n, _)| n == "fr_b2b_standard.toml")
        .unwrap();
    bad[i] = bad[i].replacen("channels = [\"email\"]", "channels = [\"fax\"]", 1);
    let fields = form(bad, "save");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app.post_text(&mut b, "/scenarios", &pairs).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("ligne 16"), "{}", r.body);
    assert!(r.body.contains("unknown channel"), "{}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\""));
    let files = body(
        &app.api(Role::Viewer, "GET", "/api/v1/scenarios/files")
            .await,
    );
    assert_eq!(files["shipped"], true, "nothing was saved");

    let mut good = texts();
    good[i] = good[i].replace(
        "name_en = \"Standard B2B dunning (France)\"",
        "name_en = \"Edited B2B dunning\"",
    );
    let fields = form(good, "save");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app.post_text(&mut b, "/scenarios", &pairs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let names = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["name_en"].as_str().unwrap().to_string())
            .collect()
    };
    let now = names(body(
        &app.api(Role::Viewer, "GET", "/api/v1/scenarios").await,
    ));
    assert!(now.contains(&"Edited B2B dunning".to_string()), "{now:?}");
    assert_eq!(last_audit(&app).await["action"], "scenarios.load");

    // A load by the command line applies at the next request too.
    let mut cli = texts();
    cli[i] = cli[i].replace(
        "name_en = \"Standard B2B dunning (France)\"",
        "name_en = \"Loaded by the CLI\"",
    );
    let files = app::scenarios::ScenarioFiles {
        scenarios: shipped
            .scenarios
            .iter()
            .map(|(n, _)| n.clone())
            .zip(cli)
            .collect(),
        assignment: shipped.assignment.clone(),
        shipped: false,
    };
    let mut tx = app.store.begin().await.unwrap();
    app::scenarios::load(tx.as_mut(), &files).await.unwrap();
    tx.commit().await.unwrap();
    let now = names(body(
        &app.api(Role::Viewer, "GET", "/api/v1/scenarios").await,
    ));
    assert!(now.contains(&"Loaded by the CLI".to_string()), "{now:?}");

    // The preview runs on the edited set and writes nothing.
    let fields = form(texts(), "preview");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app.post_text(&mut b, "/scenarios", &pairs).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("id=\"preview\""), "{}", r.body);

    let r = app
        .post(&mut b, "/scenarios/reset", &[("_csrf", &csrf)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let now = names(body(
        &app.api(Role::Viewer, "GET", "/api/v1/scenarios").await,
    ));
    assert!(
        now.contains(&"Standard B2B dunning (France)".to_string()),
        "{now:?}"
    );
    let files = body(
        &app.api(Role::Viewer, "GET", "/api/v1/scenarios/files")
            .await,
    );
    assert_eq!(files["shipped"], true);
    // Collectors do not edit scenarios.
    let mut c = app.login(Role::Collector).await;
    assert_eq!(app.get(&mut c, "/scenarios").await.status, 403);
}

/// A multipart upload of the imports form, built by hand: the CSRF token first, then the
/// kind and the file.
async fn upload(
    app: &TestApp,
    b: &mut common::Browser,
    kind: &str,
    name: &str,
    file: &str,
) -> common::Answer {
    upload_with(app, b, kind, name, file, "").await
}

/// The same, with the options' mapping text.
async fn upload_with(
    app: &TestApp,
    b: &mut common::Browser,
    kind: &str,
    name: &str,
    file: &str,
    mapping: &str,
) -> common::Answer {
    let boundary = "----recouvre-test-boundary";
    let mut body = String::new();
    for (k, v) in [
        ("_csrf", b.csrf.as_str()),
        ("kind", kind),
        ("mapping", mapping),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    let r = app
        .client
        .post(app.url("/imports"))
        .header("cookie", b.cookie_header())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    common::Answer {
        status: r.status().as_u16(),
        location: r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string()),
        content_type: String::new(),
        set_cookies: Vec::new(),
        retry_after: None,
        body: r.text().await.unwrap(),
    }
}

/// Follows an import's page until it has finished (it refreshes itself while it runs).
async fn finished(app: &TestApp, b: &mut common::Browser, path: &str) -> common::Answer {
    for _ in 0..600 {
        let page = app.get(b, path).await;
        if !page.body.contains("http-equiv=\"refresh\"") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import at {path} never finished");
}

/// From the imports page: a claims file whose second row has an impossible due date is
/// refused with its file, line and field, and writes nothing; the corrected file imports
/// its two claims (two rows, one new debtor: counted by hand) and is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_are_imported_from_the_imports_page() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Manager).await;
    let page = app.get(&mut b, "/imports").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let claims_before = {
        let mut tx = app.store.begin().await.unwrap();
        tx.claims(None).await.unwrap().len()
    };
    let header = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount\n";
    let bad = format!(
        "{header}WEB-D1;Web Import SARL;company;WEB-F1;2026-06-01;2026-07-01;100,00\n\
         WEB-D1;Web Import SARL;company;WEB-F2;2026-06-01;2026-02-30;50,00\n"
    );
    let r = upload(&app, &mut b, "claims", "web.csv", &bad).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let job = r.location.unwrap();
    let done = finished(&app, &mut b, &job).await;
    assert!(done.body.contains("id=\"import-error\""), "{}", done.body);
    // The header is line 1, the bad row line 3.
    assert!(done.body.contains("web.csv:3"), "{}", done.body);
    assert!(done.body.contains("due_date"), "{}", done.body);
    let mut tx = app.store.begin().await.unwrap();
    assert_eq!(tx.claims(None).await.unwrap().len(), claims_before);
    drop(tx);

    let good = bad.replace("2026-02-30", "2026-07-30");
    let r = upload(&app, &mut b, "claims", "web.csv", &good).await;
    let done = finished(&app, &mut b, &r.location.unwrap()).await;
    assert!(done.body.contains("id=\"import-counts\""), "{}", done.body);
    let mut tx = app.store.begin().await.unwrap();
    assert_eq!(tx.claims(None).await.unwrap().len(), claims_before + 2);
    drop(tx);
    assert_eq!(last_audit(&app).await["action"], "import.claims");
    let list = app.get(&mut b, "/imports").await;
    assert!(list.body.contains("web.csv"));
    // A collector may not import.
    let mut c = app.login(Role::Collector).await;
    assert_eq!(app.get(&mut c, "/imports").await.status, 403);
}

/// A claims file whose term exceeds the French B2B caps is imported, its row listed on
/// the import's page; the claim's page and the API say the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terms_beyond_the_caps_are_listed_at_import_and_on_the_claim() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Manager).await;
    // The demo's creditor is French, the debtor a company (B2B). 1 June → 30 August is 90
    // days: beyond 60 days (31 July) and beyond "45 days end of month" read either way
    // ((a) 30 June + 45 = 14 August, (b) 16 July → 31 July).
    let file = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount\n\
                TRM-D1;Terme Long SARL;company;TRM-F1;2026-06-01;2026-07-01;100,00\n\
                TRM-D1;Terme Long SARL;company;TRM-F2;2026-06-01;2026-08-30;200,00\n";
    let r = upload(&app, &mut b, "claims", "terms.csv", file).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let done = finished(&app, &mut b, &r.location.unwrap()).await;
    assert!(
        done.body.contains("id=\"import-terms-warnings\""),
        "{}",
        done.body
    );
    assert!(
        done.body.contains("ligne 3, facture TRM-F2"),
        "{}",
        done.body
    );
    assert!(!done.body.contains("TRM-F1"), "{}", done.body);
    let id = {
        let mut tx = app.store.begin().await.unwrap();
        tx.claims(None)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.number.to_string() == "TRM-F2")
            .unwrap()
            .id
            .0
    };
    let page = app.get(&mut b, &format!("/claims/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"claim-terms\""), "{}", page.body);
    assert!(
        page.body.contains("Délai de paiement hors plafond légal"),
        "{}",
        page.body
    );
    let api: Value = serde_json::from_str(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/claims/{id}"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(api["terms"]["compliant"], false, "{api}");
    assert_eq!(
        api["terms"]["latest_lawful_due_date"], "2026-08-14",
        "{api}"
    );
    assert_eq!(
        api["terms"]["breaches"][0]["rule"], "fr.terms.60_days",
        "{api}"
    );
    assert_eq!(api["terms"]["breaches"][0]["days_over"], 30, "{api}");
}

/// A claims file in another layout (its own headers, no debtor kind, US dates) goes in
/// through the mapping of the imports page, and its page shows the rows written so far
/// while it runs: 30,000 rows, counted by hand, and the bar never goes backwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mapped_claims_import_shows_its_rows_as_they_are_written() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Manager).await;
    let mut file = String::from("Client,Facture,Date,Echeance,Montant,Regle le\n");
    for i in 0..30_000 {
        // Every third invoice settled on 15 March 2026.
        let paid = if i % 3 == 0 { "3/15/2026" } else { "" };
        file.push_str(&format!(
            "BIG-{},BIG-F{i:05},1/10/2026,2/9/2026,{}.50,{paid}\n",
            i % 500,
            100 + i % 50
        ));
    }
    let mapping = "debtor_id=Client\ndebtor_name=Client\ninvoice_number=Facture\n\
                   issue_date=Date, due_date=Echeance, amount=Montant, paid_date=Regle le\n\
                   default.debtor_kind=company\ndate_order=mdy";
    let r = upload_with(&app, &mut b, "claims", "big.csv", &file, mapping).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let job = r.location.unwrap();
    let mut seen: Vec<u64> = Vec::new();
    let done = loop {
        let page = app.get(&mut b, &job).await;
        if !page.body.contains("http-equiv=\"refresh\"") {
            break page;
        }
        if let Some(at) = page.body.find("id=\"import-rows-done\">") {
            let text = &page.body[at + "id=\"import-rows-done\">".len()..];
            let (done, rest) = text.split_once(" / ").unwrap();
            assert!(rest.starts_with("30000<"), "{rest}");
            seen.push(done.parse().unwrap());
        }
        assert!(seen.len() < 100_000, "the import never finished");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(done.body.contains("id=\"import-counts\""), "{}", done.body);
    assert!(
        done.body.contains("value=\"1\" max=\"1\""),
        "a finished import shows a full bar"
    );
    assert!(!seen.is_empty(), "no page showed the rows written");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.iter().all(|n| *n <= 30_000), "{seen:?}");
    // 30,000 claims of 500 debtors; 10,000 settled (i = 0, 3, …, 29,997).
    let mut tx = app.store.begin().await.unwrap();
    let claims = tx.claims(None).await.unwrap();
    assert_eq!(
        claims
            .iter()
            .filter(|c| c.number.as_str().starts_with("BIG-F"))
            .count(),
        30_000
    );
    drop(tx);
    // The counts say so too: created claims, and settlements posted.
    assert!(done.body.contains(">30000<"), "{}", done.body);
    assert!(done.body.contains(">10000<"), "{}", done.body);
}

/// The settings page's company section: a wrong IBAN check digit (…189 → …188) is refused
/// with the field named and the typed values kept, nothing saved; the right one is saved
/// with its spaces removed, audited, and read back by the API. Managers see no settings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_company_identity_is_set_on_the_settings_page() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Admin).await;
    let page = app.get(&mut b, "/settings").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"company-form\""));
    assert!(page.body.contains("href=\"/users\""));
    let csrf = b.csrf.clone();
    let fields = |iban: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("name", "Acme Industrie SAS".to_string()),
            ("identifier", "DE98ZZZ09999999999".to_string()),
            ("iban", iban.to_string()),
            ("bic", "agrifrpp".to_string()),
            ("address", "1 rue de la Paix\n75002 Paris".to_string()),
        ]
    };
    let bad = fields("FR76 3000 6000 0112 3456 7890 188");
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_text(&mut b, "/settings/company", &pairs).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"company-error\""), "{}", r.body);
    assert!(r.body.contains("iban"), "{}", r.body);
    assert!(
        r.body.contains("Acme Industrie SAS"),
        "typed values are kept"
    );
    let stored = body(
        &app.api(Role::Admin, "GET", "/api/v1/settings/company")
            .await,
    );
    assert_eq!(stored["iban"], "", "nothing saved: {stored}");

    let good = fields("FR76 3000 6000 0112 3456 7890 189");
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_text(&mut b, "/settings/company", &pairs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = body(
        &app.api(Role::Admin, "GET", "/api/v1/settings/company")
            .await,
    );
    assert_eq!(stored["iban"], "FR7630006000011234567890189");
    assert_eq!(stored["bic"], "AGRIFRPP");
    assert_eq!(stored["address"], "1 rue de la Paix\n75002 Paris");
    assert_eq!(last_audit(&app).await["action"], "settings.company");
    let mut m = app.login(Role::Manager).await;
    assert_eq!(app.get(&mut m, "/settings").await.status, 403);
}

/// The settings page's e-mail and SMS sections: a port that is not a number is refused with
/// the typed values kept and nothing saved; the server is then saved, audited and read back
/// by the API. An SMS header saved with a secret reads back as `***`, and saving the form
/// again with `***` keeps the secret (read from the database, never shown).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_and_sms_are_set_on_the_settings_page() {
    let app = spawn_sqlite().await;
    let mut b = app.login(Role::Admin).await;
    let page = app.get(&mut b, "/settings").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"smtp-form\""));
    assert!(page.body.contains("id=\"sms-form\""));
    assert!(page.body.contains("href=\"/templates\""));
    let csrf = b.csrf.clone();
    let smtp = |port: &str| {
        vec![
            ("_csrf", csrf.clone()),
            ("host", "smtp.acme.example".to_string()),
            ("port", port.to_string()),
            ("security", "starttls".to_string()),
            ("user", "relances".to_string()),
            ("password_env", "RECOUVRE_SECRET_SMTP_PASSWORD".to_string()),
            ("from", "Relances Acme <relances@acme.example>".to_string()),
            ("reply_to", "".to_string()),
        ]
    };
    let bad = smtp("five-eight-seven");
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_text(&mut b, "/settings/smtp", &pairs).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"smtp-error\""), "{}", r.body);
    assert!(
        r.body.contains("smtp.acme.example"),
        "typed values are kept"
    );
    let stored = app.api(Role::Admin, "GET", "/api/v1/settings/smtp").await;
    assert!(
        !stored.body.contains("smtp.acme.example"),
        "nothing saved: {}",
        stored.body
    );

    let good = smtp("587");
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_text(&mut b, "/settings/smtp", &pairs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = body(&app.api(Role::Admin, "GET", "/api/v1/settings/smtp").await);
    assert_eq!(stored["host"], "smtp.acme.example");
    assert_eq!(stored["port"], 587);
    assert_eq!(stored["security"], "starttls");
    assert_eq!(stored["password_env"], "RECOUVRE_SECRET_SMTP_PASSWORD");
    assert_eq!(last_audit(&app).await["action"], "settings.smtp");

    let sms = |headers: &str| {
        vec![
            ("_csrf", csrf.clone()),
            ("url", "https://sms.example/api/send".to_string()),
            ("method", "post".to_string()),
            ("headers", headers.to_string()),
            (
                "body",
                "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}".to_string(),
            ),
            ("success_status", "201".to_string()),
            ("sender", "ACME".to_string()),
            ("max_parts", "2".to_string()),
        ]
    };
    let first = sms("Content-Type: application/json\nX-Api-Key: s3cret-key");
    let pairs: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_text(&mut b, "/settings/sms", &pairs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app.get(&mut b, "/settings").await;
    assert!(
        !page.body.contains("s3cret-key"),
        "the secret is never shown"
    );
    assert!(page.body.contains("X-Api-Key: ***"), "{}", page.body);
    // Saved again as shown: the hidden value stays the stored one.
    let again = sms("Content-Type: application/json\nX-Api-Key: ***");
    let pairs: Vec<(&str, &str)> = again.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_text(&mut b, "/settings/sms", &pairs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.store.begin().await.unwrap();
    let kept = app::channels::sms(tx.as_mut()).await.unwrap().unwrap();
    assert_eq!(kept.method, "POST");
    assert_eq!(kept.success_status, 201);
    assert_eq!(
        kept.headers
            .iter()
            .find(|h| h.name == "X-Api-Key")
            .map(|h| h.value.as_str()),
        Some("s3cret-key")
    );
    drop(tx);
    // A header naming a variable not meant for secrets: refused with the reason, the
    // stored settings unchanged.
    let leak = sms("X-Api-Key: ${RECOUVRE_DATABASE}");
    let pairs: Vec<(&str, &str)> = leak.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_text(&mut b, "/settings/sms", &pairs).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("RECOUVRE_SECRET_"), "{}", r.body);
    let mut tx = app.store.begin().await.unwrap();
    let kept = app::channels::sms(tx.as_mut()).await.unwrap().unwrap();
    assert!(kept.headers.iter().any(|h| h.value == "s3cret-key"));
    drop(tx);
    let mut m = app.login(Role::Manager).await;
    let r = app.post_text(&mut m, "/settings/smtp", &[]).await;
    assert_eq!(r.status, 403);
}

/// A co-debtor bound to a claim shows on the claim page and on both debtors' pages, with
/// the contact it is reminded at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn co_debtors_show_on_the_claim_and_debtor_pages() {
    let app = spawn_sqlite().await;
    let (id, _) = overdue_debtor(&app).await;
    let detail = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/debtors/{id}"))
            .await,
    );
    let claim = detail["claims"][0]["id"].as_i64().unwrap();
    let others = body(
        &app.api(Role::Viewer, "GET", "/api/v1/debtors?per_page=5&sort=name")
            .await,
    );
    let other = others["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] != id)
        .unwrap()
        .clone();
    let other_id = other["id"].as_i64().unwrap();
    let name = other["name"].as_str().unwrap();
    app::audit::add_claim_party(
        app.store.as_ref(),
        &app::clock::FixedClock(domain::Date::new(2026, 1, 1).unwrap()),
        &app::audit::Actor("test".into()),
        &app::store::ClaimParty {
            claim_id: domain::ClaimId(claim),
            debtor_id: domain::DebtorId(other_id),
            role: domain::agreements::PartyRole::CoDebtor,
        },
    )
    .await
    .unwrap();
    let mut b = app.login(Role::Viewer).await;
    let page = app.get(&mut b, &format!("/claims/{claim}")).await;
    assert!(page.body.contains("id=\"parties\""), "{}", page.body);
    assert!(page.body.contains("codébiteur solidaire"));
    let escaped = name.replace('&', "&amp;").replace('\'', "&#39;");
    assert!(page.body.contains(&escaped), "{name}: {}", page.body);
    let page = app.get(&mut b, &format!("/debtors/{id}")).await;
    assert!(page.body.contains("id=\"parties\""), "{}", page.body);
    let page = app.get(&mut b, &format!("/debtors/{other_id}")).await;
    assert!(
        page.body.contains(&format!("href=\"/claims/{claim}\"")),
        "{}",
        page.body
    );
}

/// The same import through the API (a manager's token): a bad row is a 422 problem naming
/// file, line and field, nothing written; the good file gives its report (2 rows, 2
/// claims created, counted by hand); a collector's token is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_are_imported_through_the_api() {
    let app = spawn_sqlite().await;
    let header = "debtor_id;debtor_name;debtor_kind;invoice_number;issue_date;due_date;amount\n";
    let bad = format!(
        "{header}API-D1;Api Import SARL;company;API-F1;2026-06-01;2026-07-01;100,00\n\
         API-D1;Api Import SARL;company;API-F2;2026-06-01;2026-02-30;50,00\n"
    );
    let send = |role: Role, text: String| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/api/v1/imports/claims?name=api.csv"))
                .bearer_auth(&app.tokens[&role])
                .header("content-type", "text/csv")
                .body(text)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, text) = send(Role::Manager, bad.clone()).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("api.csv:3"), "{text}");
    let (status, text) = send(Role::Manager, bad.replace("2026-02-30", "2026-07-30")).await;
    assert_eq!(status, 200, "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["rows"], 2);
    assert_eq!(report["claims_created"], 2);
    assert_eq!(report["debtors_created"], 1);
    let (status, _) = send(Role::Collector, bad).await;
    assert_eq!(status, 403);
}

/// A debtor of the demo's first creditor with two claims of 1,000.00: F-LIM due 2021-08-15
/// (5 years, L110-4 → 2026-08-15, 46 days after 2026-06-30: within 90) and F-OLD due
/// 2020-01-10 (→ 2025-01-10: time-barred). Returns (debtor, F-LIM, F-OLD).
async fn limitation_debtor(app: &TestApp) -> (i64, i64, i64) {
    use domain::{
        Claim, ClaimId, ClaimLedger, ClaimNumber, Currency, Debtor, DebtorId, DebtorKind,
        EntryKind, Money, Nature, Segment,
    };
    let mut tx = app.store.begin().await.unwrap();
    let creditor = tx.creditors().await.unwrap()[0].id;
    let debtor = tx
        .insert_debtor(&Debtor {
            id: DebtorId(0),
            creditor_id: creditor,
            external_id: "LIM-1".into(),
            name: "Prescription SARL".into(),
            kind: DebtorKind::Company,
            segment: Segment::B2b,
            country: "FR".into(),
            language: "fr".into(),
            contacts: vec![],
            tags: vec![],
        })
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (number, issue, due) in [
        ("F-LIM", "2021-07-15", "2021-08-15"),
        ("F-OLD", "2019-12-10", "2020-01-10"),
    ] {
        let claim = Claim {
            id: ClaimId(0),
            creditor_id: creditor,
            debtor_id: debtor,
            external_id: number.into(),
            number: ClaimNumber::parse(number).unwrap(),
            nature: Nature::Commercial,
            issue_date: issue.parse().unwrap(),
            due_date: due.parse().unwrap(),
            currency: Currency::EUR,
        };
        let id = tx.insert_claim(&claim).await.unwrap();
        let mut l = ClaimLedger::new(Currency::EUR);
        l.post(
            EntryKind::Invoice,
            Money::from_minor(1_000_00, Currency::EUR),
            claim.issue_date,
            None,
        )
        .unwrap();
        tx.append_entries(id, l.entries(), "2026-06-30T12:00:00Z")
            .await
            .unwrap();
        ids.push(id.0);
    }
    tx.commit().await.unwrap();
    (debtor.0, ids[0], ids[1])
}

/// Issue 17: the claim's limitation deadline shows on the claim page and in the API; a
/// written acknowledgment recorded from the claim page (2024-02-14) restarts 5 years from
/// its date (C. civ. 2231 → 2029-02-14), audited; an acknowledgment dated in the future is
/// refused naming the field and writes nothing; a viewer may not record. The debtor's
/// routes advice leaves the time-barred F-OLD out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limitation_events_move_the_deadline_and_routes_skip_time_barred_claims() {
    let app = spawn_sqlite().await;
    let (debtor, claim, old) = limitation_debtor(&app).await;
    let limitation = || async {
        body(
            &app.api(Role::Viewer, "GET", &format!("/api/v1/claims/{claim}"))
                .await,
        )["limitation"]
            .clone()
    };
    let l = limitation().await;
    assert_eq!(l["deadline"], "2026-08-15", "{l}");
    assert_eq!(l["runs_from"], "exigibility");
    assert_eq!(l["alert"], "within90");
    assert!(
        l["remedy"]["en"]
            .as_str()
            .unwrap()
            .contains("written acknowledgment"),
        "{l}"
    );

    let mut b = app.login(Role::Collector).await;
    let page = app.get(&mut b, &format!("/claims/{claim}")).await;
    assert!(
        page.body.contains("id=\"limitation-form\""),
        "{}",
        page.body
    );
    let csrf = b.csrf.clone();
    let r = app
        .post_text(
            &mut b,
            &format!("/debtors/{debtor}/limitation-events"),
            &[
                ("_csrf", &csrf),
                ("claim", &claim.to_string()),
                ("back", "claim"),
                ("kind", "acknowledgment"),
                ("date", "2024-02-14"),
                ("proof", "lettre-2024-02-14.pdf"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let l = limitation().await;
    assert_eq!(l["deadline"], "2029-02-14", "{l}");
    assert_eq!(l["runs_from"], "acknowledgment");
    assert_eq!(l["runs_from_date"], "2024-02-14");
    let audit = last_audit(&app).await;
    assert_eq!(audit["action"], "limitation_event.add");
    assert_eq!(audit["subject"], format!("claim:{claim}"));
    let page = app.get(&mut b, &format!("/claims/{claim}")).await;
    // The collector reads French.
    assert!(
        page.body.contains("Reconnaissance de dette écrite"),
        "{}",
        page.body
    );
    assert!(page.body.contains("lettre-2024-02-14.pdf"));
    // Where the form's redirect lands: the claim page with its notice.
    let landed = app
        .get(
            &mut b,
            &format!("/claims/{claim}?notice=limitation-event-added"),
        )
        .await;
    assert_eq!(landed.status, 200);
    assert!(
        landed.body.contains("Événement de prescription enregistré"),
        "{}",
        landed.body
    );

    let events = || async {
        body(
            &app.api(
                Role::Viewer,
                "GET",
                &format!("/api/v1/debtors/{debtor}/limitation"),
            )
            .await,
        )["events"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(events().await, 1);
    let r = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/claims/{claim}/limitation-events"),
            &json!({ "kind": "acknowledgment", "date": "2026-07-01" }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("date: 2026-07-01 is in the future"),
        "{}",
        r.body
    );
    let r = app
        .api_json(
            Role::Collector,
            "POST",
            &format!("/api/v1/debtors/{debtor}/limitation-events"),
            &json!({ "kind": "settlement", "date": "2024-01-01" }),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(body(&r)["errors"][0]["field"], "kind", "{}", r.body);
    let r = app
        .api_json(
            Role::Viewer,
            "POST",
            &format!("/api/v1/debtors/{debtor}/limitation-events"),
            &json!({ "kind": "acknowledgment", "date": "2024-01-01" }),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(events().await, 1);

    // F-OLD lapsed on 2025-01-10: left out of the amounts litigated, and said so.
    let routes = body(
        &app.api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/debtors/{debtor}/routes"),
        )
        .await,
    );
    assert_eq!(routes["time_barred"][0]["claim_id"], old, "{routes}");
    assert_eq!(routes["time_barred"][0]["deadline"], "2025-01-10");
    assert_eq!(routes["public_body"], false);
    // Only F-LIM's 1,000.00 + interest + €40: under 2,000.00.
    assert!(
        routes["total"]["minor"].as_i64().unwrap() < 2_000_00,
        "{routes}"
    );
    let page = app.get(&mut b, &format!("/debtors/{debtor}")).await;
    assert!(page.body.contains("id=\"routes-advice\""), "{}", page.body);
    assert!(page.body.contains("class=\"muted time-barred\""));
}
