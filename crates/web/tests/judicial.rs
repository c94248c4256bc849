//! The judicial phase through the API and the pages, over HTTP on a real SQLite database
//! holding the demo portfolio: a manager decides on the debtor page's routes, the stages
//! move the statutory deadlines, bad input is refused with nothing written, the documents
//! download, and each change is refused to a role that may not make it.

#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use app::store::Role;
use common::{TestApp, spawn_sqlite};
use serde_json::{Value, json};

fn body(a: &common::Answer) -> Value {
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

/// A debtor for whom the advisor finds the order for payment open.
async fn debtor_with_order_for_payment(app: &TestApp) -> i64 {
    let list = app
        .api(
            Role::Viewer,
            "GET",
            "/api/v1/debtors?overdue=true&segment=b2b&per_page=100",
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    for d in body(&list)["items"].as_array().unwrap() {
        let id = d["id"].as_i64().unwrap();
        let routes = body(
            &app.api(Role::Viewer, "GET", &format!("/api/v1/debtors/{id}/routes"))
                .await,
        );
        if routes["routes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["route"] == "fr.injonction_de_payer" && r["open"] == true)
        {
            return id;
        }
    }
    panic!("no debtor of the demo has the order for payment open");
}

fn money_minor(v: &Value) -> i64 {
    v["minor"].as_i64().unwrap()
}

#[tokio::test]
async fn a_legal_file_from_decision_to_payment_through_api_and_pages() {
    let app = spawn_sqlite().await;
    let debtor = debtor_with_order_for_payment(&app).await;

    // The decision form is on the debtor page for a manager, not for a viewer.
    let mut viewer = app.login(Role::Viewer).await;
    let page = app.get(&mut viewer, &format!("/debtors/{debtor}")).await;
    assert!(!page.body.contains("id=\"legal-decision\""));
    let mut manager = app.login(Role::Manager).await;
    let page = app.get(&mut manager, &format!("/debtors/{debtor}")).await;
    assert!(page.body.contains("id=\"legal-decision\""), "{}", page.body);
    assert!(page.body.contains("value=\"fr.injonction_de_payer\""));

    // A viewer may not decide; a collector neither.
    let open = json!({ "debtor_id": debtor, "decision": "injonction_de_payer", "court": "Tribunal de commerce de Lyon" });
    for role in [Role::Viewer, Role::Collector] {
        let a = app
            .api_json(role, "POST", "/api/v1/legal-files", &open)
            .await;
        assert_eq!(a.status, 403, "{role}: {}", a.body);
    }
    // An unknown decision: 400 naming the field, nothing opened.
    let a = app
        .api_json(
            Role::Manager,
            "POST",
            "/api/v1/legal-files",
            &json!({ "debtor_id": debtor, "decision": "court_of_appeal" }),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(body(&a)["errors"][0]["field"], "decision");
    let list = app.api(Role::Viewer, "GET", "/api/v1/legal-files").await;
    assert_eq!(body(&list), json!([]));

    // The decision through the page: the file opens and the page shows it.
    let csrf = manager.csrf.clone();
    let a = app
        .post_text(
            &mut manager,
            &format!("/debtors/{debtor}/legal"),
            &[
                ("_csrf", &csrf),
                ("decision", "fr.injonction_de_payer"),
                ("court", "Lyon"),
                ("claims", ""),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let location = a.location.unwrap();
    assert!(location.starts_with("/legal/"), "{location}");
    let id: i64 = location
        .trim_start_matches("/legal/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let file = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/legal-files/{id}"))
            .await,
    );
    assert_eq!(file["debtor_id"], debtor);
    assert_eq!(file["state"], "open");
    assert_eq!(file["court"], "Lyon");
    // The frozen total is the sum of the claims' principal, interest and indemnity.
    let sum: i64 = file["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            money_minor(&c["principal"])
                + money_minor(&c["interest"])
                + money_minor(&c["indemnity"])
        })
        .sum();
    assert!(sum > 0);
    assert_eq!(money_minor(&file["frozen_total"]), sum);
    assert_eq!(file["deadlines"], json!([]));

    // Stages by the API (a collector may): the order made starts the six months to serve
    // it (C. pr. civ. 1411): 2026-06-30 + 6 months = 2026-12-30, a Wednesday.
    for kind in ["request_filed", "order_made"] {
        let a = app
            .api_json(
                Role::Collector,
                "POST",
                &format!("/api/v1/legal-files/{id}/stages"),
                &json!({ "kind": kind, "date": "2026-06-30" }),
            )
            .await;
        assert_eq!(a.status, 200, "{kind}: {}", a.body);
    }
    let file = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/legal-files/{id}"))
            .await,
    );
    assert_eq!(file["deadlines"][0]["kind"], "serve_order");
    assert_eq!(file["deadlines"][0]["due"], "2026-12-30");
    let version = file["version"].as_i64().unwrap();

    // Bad input, nothing written: a stage dated before the previous one, a stage that
    // cannot follow, a cost in another currency, an exhibit that is no document.
    for (path, b) in [
        (
            "stages",
            json!({ "kind": "order_served", "date": "2026-06-29" }),
        ),
        (
            "stages",
            json!({ "kind": "enforceable", "date": "2026-06-30" }),
        ),
        (
            "costs",
            json!({ "kind": "court_fee", "amount": "33.47 USD", "date": "2026-06-30" }),
        ),
    ] {
        let a = app
            .api_json(
                Role::Collector,
                "POST",
                &format!("/api/v1/legal-files/{id}/{path}"),
                &b,
            )
            .await;
        assert!(
            a.status == 400 || a.status == 422,
            "{b}: {} {}",
            a.status,
            a.body
        );
    }
    let r = app
        .client
        .post(app.url(&format!("/api/v1/legal-files/{id}/exhibits?title=Contract")))
        .bearer_auth(&app.tokens[&Role::Collector])
        .body("just some text, not a PDF")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422, "{}", r.text().await.unwrap());
    let file = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/legal-files/{id}"))
            .await,
    );
    assert_eq!(
        file["version"].as_i64().unwrap(),
        version,
        "nothing written"
    );
    assert_eq!(file["exhibits"], json!([]));

    // Service through the page: the opposition month replaces the service deadline
    // (2026-06-30 + 1 month = 2026-07-30, a Thursday; C. pr. civ. 1416).
    let mut collector = app.login(Role::Collector).await;
    let page = app.get(&mut collector, &format!("/legal/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("C. pr. civ. 1411"), "{}", page.body);
    assert!(page.body.contains("30/12/2026"));
    let csrf = collector.csrf.clone();
    let a = app
        .post(
            &mut collector,
            &format!("/legal/{id}/stages"),
            &[
                ("_csrf", &csrf),
                ("kind", "order_served"),
                ("date", "2026-06-30"),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = app.get(&mut collector, &format!("/legal/{id}")).await;
    assert!(page.body.contains("C. pr. civ. 1416"), "{}", page.body);
    assert!(page.body.contains("30/07/2026"));
    assert!(!page.body.contains("C. pr. civ. 1411"));

    // A payment collected, by the page: posted to the claims, the amount claimed falls.
    let before = money_minor(&file["amounts"]["total"]);
    let csrf = collector.csrf.clone();
    let a = app
        .post(
            &mut collector,
            &format!("/legal/{id}/payments"),
            &[
                ("_csrf", &csrf),
                ("amount", "250.00"),
                ("date", "2026-06-30"),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let file = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/legal-files/{id}"))
            .await,
    );
    assert_eq!(money_minor(&file["collected"]), 25_000);
    assert_eq!(money_minor(&file["amounts"]["total"]), before - 25_000);

    // The list and the documents.
    let page = app.get(&mut collector, "/legal").await;
    assert!(
        page.body.contains(&format!("href=\"/legal/{id}\"")),
        "{}",
        page.body
    );
    let bundle = app
        .api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/legal-files/{id}/documents/bundle.pdf"),
        )
        .await;
    assert_eq!(bundle.status, 200, "{}", bundle.body);
    assert_eq!(bundle.content_type, "application/pdf");
    assert!(bundle.body.starts_with("%PDF-"));
    let dossier = app
        .api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/legal-files/{id}/documents/dossier.json"),
        )
        .await;
    let dossier = body(&dossier);
    assert_eq!(dossier["file_id"], id);
    assert_eq!(dossier["court"], "Tribunal de commerce de Lyon");
    // A document attached through the page's upload joins the bundle, numbered after the
    // gathered exhibits; a text file is refused with the reason, nothing attached.
    let pdf = app
        .client
        .get(app.url(&format!("/api/v1/legal-files/{id}/documents/request.pdf")))
        .bearer_auth(&app.tokens[&Role::Viewer])
        .send()
        .await
        .unwrap();
    let pdf = if pdf.status().as_u16() == 200 {
        pdf.bytes().await.unwrap().to_vec()
    } else {
        app.client
            .get(app.url(&format!("/api/v1/legal-files/{id}/documents/bundle.pdf")))
            .bearer_auth(&app.tokens[&Role::Viewer])
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec()
    };
    let upload = |content: Vec<u8>, name: &str| {
        let boundary = "XyZzYrecouvre";
        let mut b = Vec::new();
        for (field, value) in [
            ("_csrf", collector.csrf.as_str()),
            ("title", "Contrat cadre signé"),
            ("dated", "2025-01-15"),
        ] {
            b.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        b.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        b.extend_from_slice(&content);
        b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        app.client
            .post(app.url(&format!("/legal/{id}/exhibits")))
            .header("cookie", collector.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(b)
            .send()
    };
    let refused = upload(b"not a document".to_vec(), "notes.txt")
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 422);
    let r = upload(pdf, "contrat.pdf").await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let file = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/legal-files/{id}"))
            .await,
    );
    assert_eq!(
        file["exhibits"].as_array().unwrap().len(),
        1,
        "{}",
        file["exhibits"]
    );
    assert_eq!(file["exhibits"][0]["title"], "Contrat cadre signé");
    assert_eq!(file["exhibits"][0]["media_type"], "application/pdf");
    let dossier = body(
        &app.api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/legal-files/{id}/documents/dossier.json"),
        )
        .await,
    );
    let last = dossier["exhibits"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["title"], "Contrat cadre signé");
    assert_eq!(last["source"], "attached");

    // The answers CSV through the list page: a commissaire's fee, all or nothing.
    let page = app.get(&mut collector, "/legal").await;
    assert!(
        page.body.contains("id=\"legal-answers-form\""),
        "{}",
        page.body
    );
    let before_costs = file["costs"].as_array().unwrap().len();
    let answers = |csv: String| {
        let boundary = "AnSwErSrecouvre";
        let mut b = Vec::new();
        b.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n",
                collector.csrf
            )
            .as_bytes(),
        );
        b.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"reponses.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n")
                .as_bytes(),
        );
        app.client
            .post(app.url("/legal/answers"))
            .header("cookie", collector.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(b)
            .send()
    };
    // A second line with an unknown cost kind: refused, the first line not applied either.
    let refused = answers(format!(
        "file,date,kind,value,amount,recoverable\n{id},2026-06-30,cost,commissaire,145.00,yes\n{id},2026-06-30,cost,bribe,10.00,no\n"
    ))
    .await
    .unwrap();
    assert_eq!(
        refused.status().as_u16(),
        422,
        "{}",
        refused.text().await.unwrap()
    );
    let r = answers(format!(
        "file,date,kind,value,amount,recoverable\n{id},2026-06-30,cost,commissaire,145.00,yes\n"
    ))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let after = body(
        &app.api(Role::Viewer, "GET", &format!("/api/v1/legal-files/{id}"))
            .await,
    );
    assert_eq!(after["costs"].as_array().unwrap().len(), before_costs + 1);
    assert_eq!(money_minor(&after["costs_recoverable"]), 14_500);

    let missing = app
        .api(
            Role::Viewer,
            "GET",
            &format!("/api/v1/legal-files/{id}/documents/appeal.pdf"),
        )
        .await;
    assert_eq!(missing.status, 404);
}
