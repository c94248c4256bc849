// End-to-end test of the Recouvre web interface in real headless Chromium (issue 10).
//
//   node e2e/run.mjs http://127.0.0.1:PORT
//
// Expects a server started on a fresh demo database (scripts/e2e does all of it):
//   recouvre --db DB --as-of 2026-06-30 demo --no-serve --simulate-days 0
//   recouvre --db DB --as-of 2026-06-30 serve --listen 127.0.0.1:PORT
// Drives the UI as a credit manager would: signs in as the demo admin, opens the worklist
// and a debtor from it, records a promise to pay on the debtor page and finds it on the
// debtor's timeline, proposes then creates a payment plan and sees it on the timeline,
// records a consumer's formal notice and its delivery and sees the claim's interest start
// change, opens a legal file from a legal review task of the worklist (decision on the
// debtor page), records the stages of an order for payment and sees the statutory deadlines
// change, fetches the evidence bundle, records a payment collected and sees the amount
// claimed fall, switches the language, signs out. Saves screenshots of the dashboard
// and the debtor page in docs/screenshots/; then, on the demo agency, issues a month's
// remittances as staff and opens the client space as a client (agency.png, client.png). Any failed step exits non-zero, naming the step,
// the page it was on, and where a screenshot of that moment was saved.
//
// Environment: CHROMIUM (default /usr/bin/chromium), RECOUVRE_SCREENSHOTS (default
// <repo>/docs/screenshots), E2E_HEADED=1 to watch it run, E2E_USER / E2E_PASSWORD
// (default the demo admin, admin / admin-demo-2026).

import { chromium } from "playwright-core";
import { mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.argv[2] || process.env.RECOUVRE_URL || "").replace(/\/+$/, "");
if (!/^https?:\/\//.test(base)) {
  console.error("usage: node e2e/run.mjs http://127.0.0.1:PORT");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`e2e: FAILED: no Chromium at ${executablePath} (Debian: apt-get install chromium, or set CHROMIUM)`);
  process.exit(2);
}
const shots = resolve(process.env.RECOUVRE_SCREENSHOTS || join(here, "..", "docs", "screenshots"));
const user = process.env.E2E_USER || "admin";
const password = process.env.E2E_PASSWORD || `${user}-demo-2026`;

// The promise recorded on the debtor page: an amount no demo promise has, a due date after
// the server's --as-of day (2026-06-30).
const PROMISE_AMOUNT = "173.45";
const PROMISE_DIGITS = "17345";
const PROMISE_DUE = process.env.E2E_PROMISE_DUE || "2026-07-15";

// Labels known in both languages (crates/web/i18n/{fr,en}.ftl).
const LABELS = {
  fr: { worklist: "À traiter", timeline: "Historique", logout: "Se déconnecter", signIn: "Connexion" },
  en: { worklist: "Worklist", timeline: "Timeline", logout: "Sign out", signIn: "Sign in" },
};

const TIMEOUT = 15_000;
let page;
const serverErrors = [];
const pageErrors = [];
// Every error the browser writes to the console: a refused resource, a script error, and a
// Content-Security-Policy violation (issue 23: the pages hold no inline script or style).
const consoleErrors = [];

class Failure extends Error {}
function check(cond, message) {
  if (!cond) throw new Failure(message);
}
const digits = (s) => (s || "").replace(/\D/g, "");

let n = 0;
async function step(name, fn) {
  n += 1;
  const t0 = Date.now();
  try {
    await fn();
    if (serverErrors.length) throw new Failure(`server error: ${serverErrors.join("; ")}`);
    if (pageErrors.length) throw new Failure(`JavaScript error in the page: ${pageErrors.join("; ")}`);
    if (consoleErrors.length) throw new Failure(`error in the browser console: ${consoleErrors.join("; ")}`);
  } catch (e) {
    const at = page ? page.url() : "(no page)";
    let shot = "";
    if (page) {
      shot = join(tmpdir(), `recouvre-e2e-failure-${n}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => (shot = ""));
    }
    console.error(`e2e: FAILED at step ${n} "${name}" on ${at}`);
    console.error(`  ${e instanceof Failure ? e.message : e.stack || e}`);
    if (shot) console.error(`  screenshot of the page: ${shot}`);
    throw e;
  }
  console.log(`  ok ${String(n).padStart(2)} ${name} (${Date.now() - t0} ms)`);
}

async function text(selector) {
  const loc = page.locator(selector).first();
  await loc.waitFor({ state: "visible", timeout: TIMEOUT });
  return (await loc.innerText()).trim();
}

async function expectLoginPage(lang) {
  await page.locator('form[action="/login"]').waitFor({ state: "visible", timeout: TIMEOUT });
  check(new URL(page.url()).pathname === "/login", `expected the login page, got ${page.url()}`);
  check(await page.locator("#login").isVisible(), "the login field #login is not visible");
  check(await page.locator("#password").isVisible(), "the password field #password is not visible");
  const h1 = await text("main h1");
  check(h1 === LABELS[lang].signIn, `login page heading is "${h1}", expected "${LABELS[lang].signIn}"`);
}

async function navLink(label) {
  const link = page.locator('header nav a', { hasText: label }).first();
  await link.waitFor({ state: "visible", timeout: TIMEOUT }).catch(() => {
    throw new Failure(`no navigation link "${label}" in the header`);
  });
  return link;
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath,
    headless: !process.env.E2E_HEADED,
    // Root in containers: Chromium's sandbox needs user namespaces it often lacks there.
    args: process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
    });
    context.setDefaultTimeout(TIMEOUT);
    page = await context.newPage();
    page.on("response", (r) => {
      if (r.status() >= 500) serverErrors.push(`${r.status()} on ${r.request().method()} ${r.url()}`);
    });
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(`${m.text()} (on ${page.url()})`);
    });

    await step("signed out, / leads to the login page (French, from the browser)", async () => {
      const answer = await page.goto(base + "/");
      await expectLoginPage("fr");
      // The page's security headers (issue 23): a policy allowing no inline script, no
      // framing by other sites.
      const h = answer ? await answer.allHeaders() : {};
      const csp = h["content-security-policy"] || "";
      check(/(^|;\s*)script-src 'self'(;|$)/.test(csp), `the login page's Content-Security-Policy is "${csp}"`);
      check(!/unsafe-inline|unsafe-eval/.test(csp), `the login page's Content-Security-Policy allows inline code: "${csp}"`);
      check(/frame-ancestors 'none'/.test(csp), `the login page's Content-Security-Policy allows framing: "${csp}"`);
      check(h["x-frame-options"] === "DENY", `X-Frame-Options is "${h["x-frame-options"]}"`);
      check(h["x-content-type-options"] === "nosniff", `X-Content-Type-Options is "${h["x-content-type-options"]}"`);
    });

    await step(`sign in as ${user}`, async () => {
      await page.fill("#login", user);
      await page.fill("#password", password);
      await Promise.all([
        page.waitForURL((u) => u.pathname !== "/login", { timeout: TIMEOUT }).catch(async () => {
          const err = await page.locator("p.error").first().innerText().catch(() => "");
          throw new Failure(`still on the login page after signing in${err ? `: "${err}"` : ""}`);
        }),
        page.locator('form[action="/login"] button').click(),
      ]);
      const logout = page.locator('form[action="/logout"] button');
      await logout.waitFor({ state: "visible" });
      const label = (await logout.innerText()).trim();
      check(label === LABELS.fr.logout, `sign-out button reads "${label}", expected "${LABELS.fr.logout}"`);
      const who = await text("header .who");
      check(who.includes(user), `header shows "${who}", not the signed-in user ${user}`);
    });

    await step("dashboard shows the overdue total and the aged balance; screenshot", async () => {
      if (new URL(page.url()).pathname !== "/") await page.goto(base + "/");
      const kpis = page.locator("section.kpis .kpi");
      await kpis.first().waitFor({ state: "visible" });
      check((await kpis.count()) >= 3, `dashboard has ${await kpis.count()} KPIs, expected at least 3`);
      const overdue = await text("section.kpis .kpi.accent strong");
      check(/\d/.test(overdue) && digits(overdue) !== "000", `overdue total is "${overdue}"`);
      check(await page.locator("main svg").first().isVisible(), "no aged-balance chart (svg) on the dashboard");
      const rows = await page.locator('main table tbody a[href^="/debtors/"]').count();
      check(rows > 0, "the dashboard lists no overdue debtor");
      await page.screenshot({ path: join(shots, "dashboard.png") });
    });

    let debtorHref = "";
    let debtorName = "";
    await step("open the worklist", async () => {
      const link = await navLink(LABELS.fr.worklist);
      await Promise.all([page.waitForURL((u) => u.pathname === "/worklist"), link.click()]);
      const h1 = await text("main h1");
      check(h1 === LABELS.fr.worklist, `worklist heading is "${h1}", expected "${LABELS.fr.worklist}"`);
      const rows = page.locator('main table tbody tr:has(td a[href^="/debtors/"])');
      await rows.first().waitFor({ state: "visible" }).catch(() => {
        throw new Failure("the worklist of the demo day lists no debtor");
      });
      // Prefer a debtor already late (a step after the due date, "d+N_..."), for a telling
      // screenshot; any debtor of the worklist will do.
      const late = rows.filter({ has: page.locator("td:nth-child(2)", { hasText: /^\s*d\+/ }) });
      const first = ((await late.count()) ? late : rows).first().locator('td a[href^="/debtors/"]').first();
      debtorHref = await first.getAttribute("href");
      debtorName = (await first.innerText()).trim();
      check(/^\/debtors\/\d+$/.test(debtorHref), `unexpected debtor link ${debtorHref}`);
    });

    await step("open a debtor from the worklist", async () => {
      await Promise.all([
        page.waitForURL((u) => u.pathname === debtorHref),
        page.locator(`main table tbody td a[href="${debtorHref}"]`).first().click(),
      ]);
      const h1 = await text("main h1");
      check(h1 === debtorName, `debtor page heading is "${h1}", expected "${debtorName}"`);
      const tl = await text("#timeline");
      check(tl.length > 0, "the debtor's timeline #timeline is empty");
      await page.locator("#promise-form").waitFor({ state: "visible" }).catch(() => {
        throw new Failure("no promise form #promise-form on the debtor page");
      });
    });

    await step(`record a promise to pay of ${PROMISE_AMOUNT} due ${PROMISE_DUE}`, async () => {
      const before = await page.locator("#timeline li.timeline-promise").count();
      await page.fill("#promise-amount", PROMISE_AMOUNT);
      await page.fill("#promise-due", PROMISE_DUE);
      const posted = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === `${debtorHref}/promises`,
      );
      await page.click("#promise-submit");
      const r = await posted;
      check(r.status() === 303 || r.status() === 302, `POST ${debtorHref}/promises answered ${r.status()}, expected a redirect`);
      await page.waitForURL((u) => u.pathname === debtorHref);
      await page.waitForLoadState("domcontentloaded");
      const errors = page.locator("main p.error, main [role=alert]");
      if (await errors.count()) check(false, `the page shows an error: "${(await errors.first().innerText()).trim()}"`);
      const notice = await text("main p.notice[role=status]");
      check(notice.length > 0, "no confirmation notice after recording the promise");
      const after = await page.locator("#timeline li.timeline-promise").count();
      check(after === before + 1, `the timeline has ${after} promise items, expected ${before + 1}`);
    });

    await step("the promise is on the debtor's timeline; screenshot", async () => {
      const items = page.locator("#timeline li.timeline-promise");
      const n = await items.count();
      let found = null;
      for (let i = 0; i < n; i++) {
        const amount = await items.nth(i).locator(".amount").innerText().catch(() => "");
        if (digits(amount) === PROMISE_DIGITS) found = items.nth(i);
      }
      check(found, `no item .timeline-promise showing ${PROMISE_AMOUNT} in #timeline`);
      await found.scrollIntoViewIfNeeded();
      check(await found.isVisible(), "the promise's timeline item is not visible");
      const shown = (await found.innerText()).replace(/\s+/g, " ").trim();
      console.log(`       timeline: ${shown}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, "debtor.png") });
    });

    await step("propose a payment plan of 3 instalments from the debtor page, create it, see it on the timeline", async () => {
      const before = await page.locator("#timeline li.timeline-plan").count();
      await page.click("details#plan > summary");
      await page.fill("#plan-count", "3");
      await Promise.all([
        page.waitForURL((u) => u.pathname === `${debtorHref}/plans`),
        page.click("#plan-preview"),
      ]);
      const rows = await page.locator("#plan-schedule tbody tr").count();
      check(rows === 3, `the proposed schedule has ${rows} instalments, expected 3`);
      const posted = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === `${debtorHref}/plans`,
      );
      await page.click("#plan-create");
      const r = await posted;
      check(r.status() === 303 || r.status() === 302, `creating the plan answered ${r.status()}, expected a redirect`);
      await page.waitForURL((u) => u.pathname === debtorHref);
      await page.waitForLoadState("domcontentloaded");
      const after = await page.locator("#timeline li.timeline-plan").count();
      check(after === before + 1, `the timeline has ${after} plan items, expected ${before + 1}`);
    });

    await step("record a consumer's formal notice and its delivery: the claim's interest start changes", async () => {
      const list = await page.request.get(`${base}/api/v1/debtors?overdue=true&segment=b2c&per_page=50`);
      check(list.ok(), `GET /api/v1/debtors answered ${list.status()}`);
      let debtorId = null;
      let claimId = null;
      for (const d of (await list.json()).items) {
        const detail = await (await page.request.get(`${base}/api/v1/debtors/${d.id}`)).json();
        const c = detail.claims.find((c) => c.status === "overdue" && c.due_date < "2026-06-01");
        if (c) {
          debtorId = d.id;
          claimId = c.id;
          break;
        }
      }
      check(debtorId, "no consumer debtor with a claim overdue before June in the demo");
      await page.goto(`${base}/claims/${claimId}`);
      const before = await text("#interest-start");
      check(/mise en demeure/i.test(before), `before any notice the claim page says "${before}"`);
      await page.goto(`${base}/debtors/${debtorId}`);
      await page.click("details#notice-add > summary");
      await page.fill("#notice-sent", "2026-06-10");
      await page.fill("#notice-tracking", "E2E-0001");
      await Promise.all([page.waitForURL((u) => u.pathname === `/debtors/${debtorId}`), page.click("#notice-submit")]);
      const form = page.locator('#notices-table form:has(input[name="tracking"][value="E2E-0001"])');
      await form.locator("xpath=ancestor::details[1]/summary").click();
      await form.locator('input[name="presented_on"]').fill("2026-06-12");
      await Promise.all([
        page.waitForURL((u) => u.pathname === `/debtors/${debtorId}`),
        form.locator("button").click(),
      ]);
      const notice = await text("main p.notice[role=status]");
      check(notice.length > 0, "no confirmation after recording the delivery");
      await page.goto(`${base}/claims/${claimId}`);
      const after = await text("#interest-start");
      check(after !== before && /12\/06\/2026|12 juin 2026/.test(after), `after the delivery the claim page says "${after}"`);
      console.log(`       interest: "${before}" → "${after}"`);
      await page.goto(base + debtorHref);
    });

    await step("open a legal file from a legal review task of the worklist; the deadlines follow its stages", async () => {
      await page.goto(`${base}/worklist`);
      const reviews = page
        .locator("main table tbody tr")
        .filter({ has: page.locator("td:nth-child(2)", { hasText: "revue juridique" }) });
      await reviews.first().waitFor({ state: "visible" }).catch(() => {
        throw new Failure("the worklist of the demo day has no legal review task");
      });
      // The first task whose debtor may get an order for payment (a French debtor).
      const hrefs = await reviews.locator('td a[href^="/debtors/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      let href = null;
      for (const h of hrefs) {
        const r = await (await page.request.get(`${base}/api/v1${h}/routes`)).json();
        if ((r.routes || []).some((x) => x.route === "fr.injonction_de_payer" && x.open)) {
          href = h;
          break;
        }
      }
      check(href, `no legal review task of the worklist has the order for payment open (${hrefs.length} tasks)`);
      const link = page.locator(`main table tbody td a[href="${href}"]`).first();
      await Promise.all([page.waitForURL((u) => u.pathname === href), link.click()]);
      const form = page.locator("#legal-decision");
      await form.waitFor({ state: "visible" }).catch(() => {
        throw new Failure("no decision form #legal-decision on the debtor page of a legal review task");
      });
      const open = await form.locator("select[name=decision] option:not([disabled])").evaluateAll((os) => os.map((o) => o.value));
      const decision = ["fr.injonction_de_payer", "fr.refere_provision", "fr.petites_creances"].find((d) => open.includes(d));
      check(decision, `no French route open for the debtor of the legal review task (open: ${open.join(", ")})`);
      await form.locator("select[name=decision]").selectOption(decision);
      await form.locator("input[name=court]").fill("Lyon");
      await Promise.all([page.waitForURL((u) => /^\/legal\/\d+$/.test(u.pathname)), form.locator("button").click()]);
      const fileUrl = new URL(page.url()).pathname;
      const notice = await text("main p.notice[role=status]");
      check(notice.length > 0, "no confirmation after recording the decision");
      // The decision answers the legal review: it leaves the worklist.
      await page.goto(`${base}/worklist`);
      const left = await page
        .locator("main table tbody tr")
        .filter({ has: page.locator(`td a[href="${href}"]`) })
        .filter({ has: page.locator("td:nth-child(2)", { hasText: "revue juridique" }) })
        .count();
      check(left === 0, `the legal review of ${href} is still in the worklist after the decision`);
      await page.goto(base + fileUrl);
      const deadlines = async () => (await text("#legal-deadlines")).replace(/\s+/g, " ");
      const stage = async (kind) => {
        const f = page.locator("#legal-stage-form");
        await f.locator("select[name=kind]").selectOption(kind);
        await f.locator("input[name=date]").fill("2026-06-30");
        await Promise.all([page.waitForURL((u) => u.pathname === fileUrl), f.locator("button").click()]);
        const errors = page.locator("main p.error, main [role=alert]");
        if (await errors.count()) check(false, `recording ${kind}: "${(await errors.first().innerText()).trim()}"`);
      };
      const first = decision === "fr.petites_creances" ? "invitation_sent" : "request_filed";
      await stage(first);
      if (decision === "fr.injonction_de_payer") {
        await stage("order_made");
        const made = await deadlines();
        check(/30\/12\/2026/.test(made) && /1411/.test(made), `after the order, the deadlines read "${made}" (expected service by 30/12/2026, CPC 1411)`);
        const bundle = await page.request.get(`${base}${fileUrl}/documents/bundle.pdf`);
        check(bundle.ok(), `the evidence bundle answered ${bundle.status()}`);
        check(bundle.headers()["content-type"] === "application/pdf", `the bundle is ${bundle.headers()["content-type"]}`);
        const bytes = await bundle.body();
        check(bytes.subarray(0, 5).toString() === "%PDF-" && bytes.length > 5000, `the bundle is not a PDF (${bytes.length} bytes)`);
        await stage("order_served");
        const served = await deadlines();
        check(served !== made && /30\/07\/2026/.test(served) && /1416/.test(served), `after service, the deadlines read "${served}" (expected opposition until 30/07/2026, CPC 1416)`);
        console.log(`       deadlines: "${made}" → "${served}"`);
      } else {
        const bundle = await page.request.get(`${base}${fileUrl}/documents/bundle.pdf`);
        check(bundle.ok(), `the evidence bundle answered ${bundle.status()}`);
      }
      const before = await text("#legal-total");
      await page.click("#legal-payments details > summary");
      const pay = page.locator("#legal-payment-form");
      await pay.locator("input[name=amount]").fill("500");
      await pay.locator("input[name=date]").fill("2026-06-30");
      await Promise.all([page.waitForURL((u) => u.pathname === fileUrl), pay.locator("button").click()]);
      const collected = await text("#legal-collected");
      check(digits(collected) === "50000", `collected reads "${collected}", expected 500,00`);
      const after = await text("#legal-total");
      check(digits(before) - digits(after) === 50000, `the total claimed went from "${before}" to "${after}", expected 500,00 less`);
      await page.screenshot({ path: join(shots, "legal-file.png"), fullPage: true });
      await page.goto(`${base}/legal`);
      const listed = await page.locator(`#legal-files a[href="${fileUrl}"]`).count();
      check(listed === 1, `the file ${fileUrl} is not in the list of legal files`);
      await page.goto(base + debtorHref);
    });

    await step("preview a reminder for the debtor: its HTML shows in the frame, nothing refused", async () => {
      const id = debtorHref.split("/").pop();
      await page.goto(`${base}/templates?name=reminder_1&debtor=${id}&lang=fr`);
      const frame = page.frameLocator("iframe.preview");
      await frame.locator("body").waitFor({ state: "attached", timeout: TIMEOUT });
      const body = (await frame.locator("body").innerText()).trim();
      check(body.length > 0, "the message preview frame is empty");
      await page.goto(base + debtorHref);
    });

    await step("switch the language to English", async () => {
      const button = page.locator('form[action="/language"] button[name="lang"][value="en"]');
      await button.waitFor({ state: "visible" });
      await Promise.all([page.waitForURL((u) => u.pathname === debtorHref), button.click()]);
      await page.waitForFunction(() => document.documentElement.lang === "en", null, { timeout: TIMEOUT });
      await navLink(LABELS.en.worklist);
      const h2 = page.locator("#timeline").locator("xpath=ancestor::section[1]").locator("h2");
      const heading = (await h2.innerText()).trim();
      check(heading === LABELS.en.timeline, `timeline heading is "${heading}", expected "${LABELS.en.timeline}"`);
      const logout = (await page.locator('form[action="/logout"] button').innerText()).trim();
      check(logout === LABELS.en.logout, `sign-out button reads "${logout}", expected "${LABELS.en.logout}"`);
      check(
        (await page.locator('header nav a', { hasText: LABELS.fr.worklist }).count()) === 0,
        `the French label "${LABELS.fr.worklist}" is still in the navigation`,
      );
      check(
        await page.locator('form[action="/language"] button[value="fr"]').isVisible(),
        "no button to switch back to French",
      );
    });

    await step("sign out: the login page is back", async () => {
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/login"),
        page.locator('form[action="/logout"] button').click(),
      ]);
      await expectLoginPage("en");
      await page.goto(base + debtorHref);
      await expectLoginPage("en");
    });

    async function signIn(login, pw) {
      await page.goto(base + "/login");
      await page.fill("#login", login);
      await page.fill("#password", pw);
      await Promise.all([
        page.waitForURL((u) => u.pathname !== "/login", { timeout: TIMEOUT }).catch(async () => {
          const err = await page.locator("p.error").first().innerText().catch(() => "");
          throw new Failure(`still on the login page after signing in as ${login}${err ? `: "${err}"` : ""}`);
        }),
        page.locator('form[action="/login"] button').click(),
      ]);
    }
    async function signOut() {
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/login"),
        page.locator('form[action="/logout"] button').click(),
      ]);
    }

    await step("agency staff issue the month's remittance statements (demo --agency)", async () => {
      await signIn(user, password);
      await page.goto(`${base}/agency`);
      const before = await page.locator("#remittance-list tbody tr").count();
      const period = await page.locator('#remit-form input[name="period"]').inputValue();
      check(period === "2026-05", `the remittance form proposes ${period}, expected the month before 2026-06-30`);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/agency" && u.search.includes("notice=remitted")),
        page.locator("#remit-form button").click(),
      ]);
      const after = await page.locator("#remittance-list tbody tr").count();
      check(after > before, `the list of statements did not grow (${before} then ${after})`);
      await page.screenshot({ path: join(shots, "agency.png") });
      // A statement of May, with its transfer.
      await page.locator("#remittance-list tbody tr a").first().click();
      await page.locator("#remittance-statement").waitFor({ state: "visible" });
      const remitted = await text("#st-remitted");
      check(/\d/.test(remitted), `the statement's remitted amount reads "${remitted}"`);
      await signOut();
    });

    await step("a client signs in and sees only its own files", async () => {
      await signIn("client-alpha", "client-alpha-demo-2026");
      check(new URL(page.url()).pathname === "/client", `a client lands on ${page.url()}, not its space`);
      const name = await text("#client-name");
      check(name.includes("Alpha"), `the client space is "${name}"`);
      const files = await page.locator("#client-file-list").innerText();
      check(files.includes("ALPHA-"), "the client's own files are not listed");
      check(!/BETA-|GAMMA-/.test(files), "files of another client are listed");
      await page.screenshot({ path: join(shots, "client.png"), fullPage: true });
      const navs = await page.locator("header nav a").allInnerTexts();
      check(navs.length === 1, `a client's navigation shows ${navs.length} links: ${navs.join(", ")}`);
      const answer = await page.goto(`${base}/debtors`);
      check(answer && answer.status() === 403, `a client opening /debtors gets ${answer && answer.status()}`);
      const other = await page.goto(`${base}/client?creditor=BETA`);
      check(other && other.status() === 404, `a client asking for another client's space gets ${other && other.status()}`);
      // The browser logs both refusals as failed loads: they were the point.
      const expected = consoleErrors.filter((e) => /\/debtors|\/client\?creditor=BETA/.test(e));
      check(expected.length === consoleErrors.length, `unexpected console errors: ${consoleErrors.join("; ")}`);
      consoleErrors.length = 0;
      await page.goto(`${base}/client`);
      await signOut();
    });

    console.log(`e2e: passed, ${n} steps in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    if (!(e instanceof Failure) && n === 0) console.error(`e2e: FAILED: ${e.stack || e}`);
    process.exit(1);
  },
);
