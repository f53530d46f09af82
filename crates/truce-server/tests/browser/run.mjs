// End-to-end checks of the web pages in headless Chromium, against a running node.
// Usage: node run.mjs BASE_URL [SCREENSHOT_DIR]. Run by `tests/browser.rs`, which starts a
// real demo node on port 0. Exits non-zero naming every check that failed.
import { readFileSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const base = process.argv[2];
const shots = process.argv[3];
const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

// The bytes a page load transferred (compressed, as the network carried them).
async function weigh(page, url) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  await page.goto(url, { waitUntil: "networkidle" });
  await cdp.detach();
  return bytes;
}

// axe-core's serious and critical violations on the page as loaded.
async function accessibility(page) {
  // Evaluated through the DevTools protocol, which the page's CSP (rightly) does not allow inline.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
  return result;
}

async function screenshot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

const context = await browser.newContext({ extraHTTPHeaders: { "accept-encoding": "gzip, br" } });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

// The dashboard, in English and in every right-to-left language.
const dashboardBytes = await weigh(page, `${base}/?lang=en`);
check(dashboardBytes > 0 && dashboardBytes <= 300 * 1024, `dashboard transfers ${dashboardBytes} bytes (at most 300 KB)`);
check((await page.getAttribute("html", "dir")) === "ltr", "English dashboard is dir=ltr");
for (const [lang, dir] of [["en", "ltr"], ["ps", "rtl"], ["fa-AF", "rtl"], ["ur", "rtl"], ["ar", "rtl"], ["tr", "ltr"]]) {
  await page.goto(`${base}/?lang=${lang}`);
  check((await page.getAttribute("html", "lang")) === lang, `dashboard lang=${lang}`);
  check((await page.getAttribute("html", "dir")) === dir, `dashboard in ${lang} is dir=${dir}`);
  const violations = await accessibility(page);
  check(violations.length === 0, `dashboard in ${lang}: no serious or critical axe violations ${violations.join("; ")}`);
  await screenshot(page, `dashboard-${lang}`);
}

// The map pans and zooms with the script, and is whole without it.
await page.goto(`${base}/?lang=en`);
const before = await page.getAttribute(".map svg", "viewBox");
await page.click('[data-zoom="in"]');
const zoomed = await page.getAttribute(".map svg", "viewBox");
check(zoomed !== before, `the map zooms in (viewBox ${before} -> ${zoomed})`);
await page.click('[data-zoom="reset"]');
check((await page.getAttribute(".map svg", "viewBox")) === before, "the map's whole view comes back");

// Webfonts: a Pashto page loads Noto Naskh Arabic, an Urdu page Noto Nastaliq Urdu, an
// English page links no font at all.
for (const [lang, family] of [["ps", "Noto Naskh Arabic"], ["ur", "Noto Nastaliq Urdu"]]) {
  await page.goto(`${base}/?lang=${lang}`, { waitUntil: "networkidle" });
  const loaded = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family.replace(/"/g, ""));
  });
  check(loaded.includes(family), `the ${lang} dashboard loads ${family} (loaded: ${loaded.join(", ")})`);
}
await page.goto(`${base}/?lang=en`);
check((await page.locator('link[href^="/static/fonts."]').count()) === 0, "an English page links no webfont");

// The cookie remembers the language: the plain URL now comes in the last one asked for.
await page.goto(`${base}/?lang=ps`);
await page.goto(`${base}/`);
check((await page.getAttribute("html", "dir")) === "rtl", "the lang cookie keeps Pashto (dir=rtl) on /");

// An incident with a finding: linked from the dashboard's findings.
await page.goto(`${base}/?lang=en`);
const link = page.locator('a[href^="/incidents/"]').first();
check((await link.count()) === 1, "the dashboard links a finding to its incident page");
const incidentUrl = new URL(await link.getAttribute("href"), base).href.replace(/#.*/, "");
const incidentBytes = await weigh(page, `${incidentUrl}?lang=en`);
check(incidentBytes > 0 && incidentBytes <= 100 * 1024, `incident page transfers ${incidentBytes} bytes (at most 100 KB)`);
check((await page.locator(".account").count()) >= 2, "the incident page shows the accounts side by side");
check((await page.locator("ol.timeline li").count()) >= 3, "the incident page shows its timeline");

// "Verify on the record" for every step: all must verify.
const buttons = page.locator("button.verify");
const steps = await buttons.count();
for (let i = 0; i < steps; i++) {
  await buttons.nth(i).click();
  const verdict = page.locator("output.verdict").nth(i);
  await page.waitForFunction((n) => document.querySelectorAll("output.verdict")[n].dataset.verdict, i, {
    timeout: 10000,
  });
  const said = await verdict.getAttribute("data-verdict");
  check(said === "ok", `step ${i + 1} of ${steps} verifies in the browser (verdict: ${said}: ${await verdict.textContent()})`);
}
const firstVerdict = await page.locator("output.verdict q").first().textContent();
check(
  firstVerdict === (await buttons.first().getAttribute("data-claim")),
  `a verified step shows the text the record holds (${firstVerdict})`,
);
const violations = await accessibility(page);
check(violations.length === 0, `incident page: no serious or critical axe violations ${violations.join("; ")}`);
await screenshot(page, "incident-en");

async function verdictOfFirst() {
  await page.evaluate(() => {
    for (const o of document.querySelectorAll("output.verdict")) delete o.dataset.verdict;
  });
  await buttons.first().click();
  await page.waitForFunction(() => document.querySelector("output.verdict").dataset.verdict, null, { timeout: 10000 });
  return page.locator("output.verdict").first().getAttribute("data-verdict");
}

// A page that shows another text than the entry holds (as a lying node would serve it):
// the entry still proves, but the check says the record does not say what the page shows.
await page.evaluate(() => {
  document.querySelector("button.verify").dataset.claim = "Something the record never said";
});
const altered = await verdictOfFirst();
check(altered === "mismatch", `a step whose text differs from the entry's is refused (verdict: ${altered})`);
await page.reload();

// Pinning: a key pinned in this browser is checked against the page's; another key, or a
// page naming another, is refused before anything is fetched.
check(await page.locator("form.pin").isVisible(), "the incident page offers to pin the log key");
const pageKey = await page.getAttribute("#verify-messages", "data-log-vkey");
await page.fill("#pin-key", "");
await page.click("form.pin button");
check((await page.locator("output.pinned").textContent()).includes(pageKey), "the page's key is pinned");
check((await verdictOfFirst()) === "ok", "entries verify against the pinned key");
await page.fill("#pin-key", `${pageKey.split("+")[0]}+00000000+AQ${"A".repeat(42)}=`);
await page.click("form.pin button");
const changed = await verdictOfFirst();
check(changed === "key-changed", `a page naming another key than the pinned one is refused (verdict: ${changed})`);
await page.evaluate(() => localStorage.clear());
await page.reload();

// A forged log key (the log's name, another public key, its correct key hash): the same
// page must refuse the checkpoint as not signed by the log key.
await page.evaluate(async () => {
  const m = document.getElementById("verify-messages");
  const name = m.dataset.logVkey.split("+")[0];
  const key = new Uint8Array(33);
  key[0] = 1;
  key.set(crypto.getRandomValues(new Uint8Array(32)), 1);
  const hashed = new Uint8Array([...new TextEncoder().encode(name + "\n"), ...key]);
  const id = new Uint8Array(await crypto.subtle.digest("SHA-256", hashed)).slice(0, 4);
  const hex = [...id].map((b) => b.toString(16).padStart(2, "0")).join("");
  m.dataset.logVkey = `${name}+${hex}+${btoa(String.fromCharCode(...key))}`;
  for (const o of document.querySelectorAll("output.verdict")) delete o.dataset.verdict;
});
await buttons.first().click();
await page.waitForFunction(() => document.querySelector("output.verdict").dataset.verdict, null, { timeout: 10000 });
const forged = await page.locator("output.verdict").first().getAttribute("data-verdict");
check(forged === "bad-signature", `a checkpoint under another log key is refused (verdict: ${forged})`);

for (const lang of ["ps", "ur", "ar"]) {
  await page.goto(`${incidentUrl}?lang=${lang}`);
  check((await page.getAttribute("html", "dir")) === "rtl", `incident page in ${lang} is dir=rtl`);
  const v = await accessibility(page);
  check(v.length === 0, `incident page in ${lang}: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(page, `incident-${lang}`);
}

// A crossing's page, linked from the dashboard: statuses and each party's flows.
for (const lang of ["en", "ur"]) {
  await page.goto(`${base}/crossings/chaman-spin-boldak?lang=${lang}`);
  check((await page.locator("ol.timeline li").count()) >= 1, `the crossing page in ${lang} lists its status reports`);
  check((await page.locator(".flows rect").count()) >= 1, `the crossing page in ${lang} charts the reported flows`);
  const v = await accessibility(page);
  check(v.length === 0, `crossing page in ${lang}: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(page, `crossing-${lang}`);
}

// Talks: rounds and the commitments made at them.
for (const lang of ["en", "fa-AF"]) {
  await page.goto(`${base}/talks?lang=${lang}`);
  check((await page.locator("section.round").count()) >= 1, `the talks page in ${lang} lists the rounds`);
  const v = await accessibility(page);
  check(v.length === 0, `talks page in ${lang}: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(page, `talks-${lang}`);
}

// The log explorer: the checkpoint, entries a page at a time, the keys.
for (const lang of ["en", "ar"]) {
  await page.goto(`${base}/record?lang=${lang}`);
  check((await page.locator("pre.note").count()) === 1, `the record page in ${lang} shows the checkpoint`);
  const v = await accessibility(page);
  check(v.length === 0, `record page in ${lang}: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(page, `record-${lang}`);
}
await page.goto(`${base}/record?lang=en`);
const first = await page.locator("tbody tr td a").first().textContent();
await page.click(".pages a");
const older = await page.locator("tbody tr td a").first().textContent();
check(Number(older) < Number(first), `the record's older page starts before entry ${first} (at ${older})`);

// The daily situation report leads with what the monitors observed, right to left too.
for (const lang of ["ur", "ar", "en"]) {
  await page.goto(`${base}/reports/daily/2025-11-10?lang=${lang}`);
  const dir = lang === "en" ? "ltr" : "rtl";
  check((await page.getAttribute("html", "dir")) === dir, `the daily report in ${lang} is dir=${dir}`);
  const lead = (await page.locator("#lead").textContent()) ?? "";
  check(lead.length > 10, `the daily report in ${lang} leads with the violations observed (${lead})`);
  check((await page.locator("#observations-h + p + table tbody tr").count()) === 3,
    `the daily report in ${lang} sets each party's own counts beside the mechanism's`);
  const v = await accessibility(page);
  check(v.length === 0, `daily report in ${lang}: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(page, `sitrep-observations-${lang}`);
}
{
  const plain = ((await page.locator("#lead").textContent()) ?? "").replace(/[\u2066-\u2069]/g, "");
  check(plain === "39 violations observed, including 16 explosions (6 the day before).", `the English lead line reads as the OSCE's did (${plain})`);
}

// One day of observations, right to left: the lead, each delegation's counts, the list.
for (const lang of ["ps", "en"]) {
  await page.goto(`${base}/observations?day=2025-11-10&lang=${lang}`);
  const dir = lang === "en" ? "ltr" : "rtl";
  check((await page.getAttribute("html", "dir")) === dir, `the observations page in ${lang} is dir=${dir}`);
  check((await page.locator("#counts tbody tr").count()) === 3, `the observations page in ${lang} has the mechanism's and each party's counts`);
  const v = await accessibility(page);
  check(v.length === 0, `observations page in ${lang}: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(page, `observations-${lang}`);
}

// ---- Work pages: log in as each role, file, reply, sign, finalize, work offline. ----

async function loggedIn(name) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(`${base}/login?lang=en`);
  await p.fill("#name", name);
  await p.fill("#password", "exercise-only");
  await Promise.all([p.waitForURL(/\/desk/), p.click('form[action="/login"] button')]);
  return { ctx, p };
}

// Clicks `selector` and answers the entry number the next page says was written, or null
// (printing the problem it shows instead). The old page is marked, so its answer is never
// mistaken for the new one's, whether the browser or offline.js sent the form.
async function written(p, selector) {
  await p.evaluate(() => document.body.setAttribute("data-stale", ""));
  await p.locator(selector).click();
  for (let i = 0; i < 150; i++) {
    const said = await p
      .evaluate(() => {
        const b = document.body;
        if (!b || b.hasAttribute("data-stale") || document.readyState !== "complete") return null;
        const done = document.querySelector("#done a");
        const problem = document.querySelector("#problem");
        return done ? done.textContent : problem ? `problem: ${problem.textContent}` : null;
      })
      .catch(() => null);
    if (said && said.startsWith("#")) return Number(said.slice(1));
    if (said) {
      console.log(`     refused: ${said}`);
      return null;
    }
    await p.waitForTimeout(100);
  }
  console.log("     no answer within 15 s");
  return null;
}

async function fillReport(p, title) {
  await p.fill("#r-title", title);
  await p.fill("#r-summary", "Browser test: shelling reported near the line.");
  await p.selectOption("#r-event", "explosions_remote_violence/shelling_artillery_missile_attack");
  await p.fill("#r-date", "2025-10-15");
  await p.fill("#r-place", "Chaman");
  await p.fill("#r-lat", "30.92");
  await p.fill("#r-lon", "66.45");
  for (const [field, value] of [["killed", "1"], ["injured", "2"]]) {
    await p.fill(`#r-${field}-low`, "0");
    await p.fill(`#r-${field}-best`, value);
    await p.fill(`#r-${field}-high`, "3");
  }
  await p.selectOption("#r-accused", "af");
  await p.check('input[name="provisions"][value="ceasefire"]');
  await p.fill("#r-source", "Browser test field team");
}

{
  // A wrong password is refused on the form itself.
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(`${base}/login?lang=en`);
  await p.fill("#name", "pk-liaison-1");
  await p.fill("#password", "wrong");
  await p.click('form[action="/login"] button');
  check((await p.locator(".problem").count()) === 1, "a wrong password is refused on the login form");
  const v = await accessibility(p);
  check(v.length === 0, `login page: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(p, "login-en");
  await ctx.close();
}

{
  // A party's liaison files a report and its party's reply to the finding against it.
  const { ctx, p } = await loggedIn("pk-liaison-1");
  check((await p.locator("#r-title").count()) === 1, "a liaison's desk has the report form");
  await fillReport(p, "Browser test: shelling near Chaman");
  const report = await written(p, 'form[action="/desk/report"] button[type="submit"]');
  check(report !== null, `a liaison files a report from the browser (entry ${report})`);
  const findings = await (await p.request.get(`${base}/api/v1/findings`)).json();
  const against = findings.items.find(
    (f) => f.status !== "final" && f.awaiting.includes("pk") && !f.replied.some((r) => r.party === "pk"),
  );
  check(against !== undefined, "the exercise has a finding awaiting Pakistan's reply");
  await p.selectOption("#s-incident", String(against.incident_idx));
  await p.selectOption("#s-kind", "reply");
  await p.fill("#s-finding", String(against.index));
  await p.fill("#s-text", "Browser test: we reply to the finding.");
  const reply = await written(p, 'form[action="/desk/statement"] button[type="submit"]');
  check(reply !== null, `a liaison files its party's reply to finding ${against.index} (entry ${reply})`);
  const v = await accessibility(p);
  check(v.length === 0, `desk page: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(p, "desk-liaison-en");

  // Offline: the draft is kept, and sent when the link returns.
  await p.goto(`${base}/desk`);
  await ctx.setOffline(true);
  await fillReport(p, "Browser test: filed while offline");
  await p.click('form[action="/desk/report"] button[type="submit"]');
  await p.locator("#outbox").waitFor({ state: "visible", timeout: 5000 });
  check(await p.locator("#outbox").isVisible(), "a report filed offline is kept in the outbox");
  await ctx.setOffline(false);
  await p.locator("#outbox").waitFor({ state: "hidden", timeout: 10000 });
  const listed = await (await p.request.get(`${base}/api/v1/reports?limit=5`)).json();
  check(
    listed.items.some((r) => r.report.title === "Browser test: filed while offline"),
    "the kept report is on the record once the network returns",
  );

  // In Pashto the desk is right to left.
  await p.goto(`${base}/desk?lang=ps`);
  check((await p.getAttribute("html", "dir")) === "rtl", "the desk in Pashto is dir=rtl");
  const vp = await accessibility(p);
  check(vp.length === 0, `desk page in ps: no serious or critical axe violations ${vp.join("; ")}`);
  await screenshot(p, "desk-liaison-ps");

  // Logging out ends the session: the desk asks for a login again.
  await p.goto(`${base}/desk?lang=en`);
  await Promise.all([p.waitForURL(`${base}/`), p.click('form[action="/logout"] button')]);
  await p.goto(`${base}/desk`);
  check(p.url().endsWith("/login"), "after logging out the desk asks for a login");
  await ctx.close();
}

{
  // A monitor files a report too, and sees no signing queue unless its delegation signs.
  const { ctx, p } = await loggedIn("jmt-monitor-1");
  await fillReport(p, "Browser test: a monitor's report");
  const filed = await written(p, 'form[action="/desk/report"] button[type="submit"]');
  check(filed !== null, "a monitor files a report from the browser");
  // The investigation workspace: an incident of that report, an investigation, a step, a finding.
  await p.click("text=Open an incident");
  await p.fill("#i-title", "Browser test: shelling near Chaman");
  await p.fill("#i-reports", String(filed));
  await p.check('input[name="accused"][value="af"]');
  const incident = await written(p, 'form[action="/desk/incident"] button[type="submit"]');
  check(incident !== null, `a monitor opens an incident of report ${filed} (entry ${incident})`);
  await p.click("text=Open an investigation");
  await p.selectOption("#v-incident", String(incident));
  await p.fill("#v-mandate", "Browser test: establish where the shells came from.");
  await p.fill("#v-tasks", "Visit the impact site\nInterview witnesses");
  const investigation = await written(p, 'form[action="/desk/investigation"] button[type="submit"]');
  check(investigation !== null, `a monitor opens an investigation (entry ${investigation})`);
  await p.click("text=Record an investigation step");
  await p.selectOption("#t-investigation", String(investigation));
  await p.selectOption("#t-kind", "access_denied");
  await p.fill("#t-occurred", "2025-10-16");
  await p.selectOption("#t-party", "af");
  await p.fill("#t-text", "Browser test: the team was turned back at a checkpoint.");
  check((await written(p, 'form[action="/desk/step"] button[type="submit"]')) !== null, "a monitor records a denial of access");
  await p.click("text=Propose a finding");
  await p.selectOption("#f-investigation", String(investigation));
  await p.selectOption("#f-provision", "ceasefire");
  await p.selectOption("#f-attribution", "attributed");
  await p.selectOption("#f-party", "af");
  await p.fill("#f-reasoning", "Browser test: crater analysis points across the line.");
  check((await written(p, 'form[action="/desk/finding"] button[type="submit"]')) !== null, "a monitor proposes a finding");
  const v = await accessibility(p);
  check(v.length === 0, `monitor's desk: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(p, "desk-monitor-en");
  await ctx.close();
}

{
  // Commissioners sign a finding and finalize the one whose reply has come.
  const { ctx, p } = await loggedIn("tr-commissioner-1");
  check((await p.locator("#r-title").count()) === 0, "a commissioner's desk has no report form");
  const queued = await p.locator("article.queued").count();
  check(queued >= 1, `the signing queue lists ${queued} finding(s) with the quorum`);
  const findings = await (await p.request.get(`${base}/api/v1/findings?status=awaiting_signatures`)).json();
  const unsigned = findings.items.find((f) => !f.concur.includes("tr") && !f.dissent.includes("tr"));
  check(unsigned !== undefined, "a finding awaits the Turkish commissioner's signature");
  const card = p.locator(`#finding-${unsigned.index}`);
  await card.locator("textarea").fill("Browser test: the evidence supports the finding.");
  check((await written(p, `#finding-${unsigned.index} button[value="concur"]`)) !== null, `a commissioner signs finding ${unsigned.index} (concur)`);
  const replied = (await (await p.request.get(`${base}/api/v1/findings`)).json()).items.find(
    (f) => f.status === "ready",
  );
  check(replied !== undefined, "a finding has its quorum and every reply");
  const final = await written(p, `#finding-${replied.index} form[action="/desk/finalize"] button`);
  check(final !== null, `a commissioner declares finding ${replied.index} final`);
  const after = await (await p.request.get(`${base}/api/v1/findings/${replied.index}`)).json();
  check(after.status === "final", `finding ${replied.index} is final on the record`);
  const v = await accessibility(p);
  check(v.length === 0, `commissioner's desk: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(p, "desk-commissioner-en");

  // The commissioner sets an alert from the desk, in Arabic (right to left), and is shown
  // its signing secret once.
  await p.goto(`${base}/desk?lang=ar`);
  await p.fill("#a-url", "https://alerts.example.org/truce");
  await p.check('input[name="alert_kinds"][value="report.submitted"]');
  await p.selectOption("#a-accused", "pk");
  await p.fill("#a-killed", "1");
  await Promise.all([p.waitForLoadState("load"), p.click('#alert-form button[type="submit"]')]);
  const secret = (await p.locator("#alert-secret").textContent()) ?? "";
  check(secret.startsWith("whsec_"), `the alert's secret is shown once (${secret.slice(0, 10)}…)`);
  check((await p.locator("article.alert").count()) === 1, "the alert is listed on the desk");
  const va = await accessibility(p);
  check(va.length === 0, `commissioner's desk with an alert in ar: no serious or critical axe violations ${va.join("; ")}`);
  await screenshot(p, "desk-alerts-ar");
  await ctx.close();
}

{
  // A monitor records a night's observation from the desk in Pashto, right to left.
  const m = await loggedIn("jmt-monitor-2");
  await m.p.goto(`${base}/desk?lang=ps`);
  check((await m.p.getAttribute("html", "dir")) === "rtl", "the desk with the observation form in Pashto is dir=rtl");
  const minute = (d) => d.toISOString().slice(0, 16);
  await m.p.selectOption("#o-platform", "observation_post");
  await m.p.fill("#o-place", "د تورخم شمال ته د څارنې پوسته");
  await m.p.fill("#o-lat", "34.12");
  await m.p.fill("#o-lon", "71.10");
  await m.p.fill("#o-start", minute(new Date(Date.now() - 3 * 3600 * 1000)));
  await m.p.fill("#o-end", minute(new Date(Date.now() - 60 * 1000)));
  await m.p.selectOption("#o-kind-1", "impact");
  await m.p.fill("#o-count-1", "4");
  await m.p.selectOption("#o-perception-1", "heard");
  const v = await accessibility(m.p);
  check(v.length === 0, `the desk's observation form in ps: no serious or critical axe violations ${v.join("; ")}`);
  const recorded = await written(m.p, 'form[action="/desk/observation"] button[type="submit"]');
  check(recorded !== null, `a monitor records an observation from the desk in Pashto (entry ${recorded})`);
  const entry = await (await m.p.request.get(`${base}/api/v1/entries/${recorded}`)).json();
  check(JSON.stringify(entry).includes("observation.recorded"), "the entry written is an observation");
  await screenshot(m.p, "desk-observation-ps");
  await m.ctx.close();
}

{
  // Anyone tells the mechanism what they saw, without an account: in Pashto, right to left,
  // then offline (kept, sent when the link returns, the reference page shown).
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  p.on("pageerror", (e) => errors.push(String(e)));
  const fillPublic = async (account) => {
    await p.fill("#p-account", account);
    await p.fill("#p-date", "2025-10-16");
    await p.fill("#p-place", "سپین بولدک، کندهار");
    await p.fill("#p-injured", "2");
  };
  await p.goto(`${base}/report?lang=ps`);
  check((await p.getAttribute("html", "dir")) === "rtl", "the public report form in Pashto is dir=rtl");
  const v = await accessibility(p);
  check(v.length === 0, `public report form in ps: no serious or critical axe violations ${v.join("; ")}`);
  await screenshot(p, "report-public-ps");
  await fillPublic("Browser test: د سهار په ۶ بجو د هاوان ګولۍ د ښوونځي تر څنګ ولګېدې.");
  await Promise.all([p.waitForURL(/\/report\/[0-9a-f]{24}$/), p.click('form[action="/report"] button')]);
  const reference = p.url();
  check((await p.getAttribute("html", "lang")) === "ps", "the reference page keeps the reporter's language");
  check((await p.locator("#reference").textContent()).length === 24, "the reporter is given a reference page");
  const vs = await accessibility(p);
  check(vs.length === 0, `public report status page in ps: no serious or critical axe violations ${vs.join("; ")}`);
  await screenshot(p, "report-status-ps");

  await p.goto(`${base}/report?lang=en`);
  await ctx.setOffline(true);
  await fillPublic("Browser test: reported while the network was down.");
  await p.click('form[action="/report"] button');
  await p.locator("#outbox").waitFor({ state: "visible", timeout: 5000 });
  check(await p.locator("#outbox").isVisible(), "a public report sent offline is kept in the outbox");
  await ctx.setOffline(false);
  await p.waitForURL(/\/report\/[0-9a-f]{24}$/, { timeout: 10000 }).catch(() => {});
  check(/\/report\/[0-9a-f]{24}$/.test(p.url()), `the kept public report is sent and its reference shown (${p.url()})`);
  await ctx.close();

  // A monitor finds it on the desk and files a report of their own from it.
  const m = await loggedIn("jmt-monitor-1");
  const id = reference.split("/").pop();
  check((await m.p.locator(`#pr-${id}`).count()) === 1, "the monitor's desk lists the public report");
  await m.p.click(`#pr-${id} ~ p a`);
  check((await m.p.inputValue("#r-summary")).includes("هاوان"), "the report form starts from what the public wrote");
  await m.p.fill("#r-title", "Browser test: mortar fire reported by the public");
  await m.p.selectOption("#r-event", "explosions_remote_violence/shelling_artillery_missile_attack");
  await m.p.fill("#r-lat", "30.99");
  await m.p.fill("#r-lon", "66.40");
  for (const f of ["killed", "injured"]) {
    for (const b of ["low", "best", "high"]) await m.p.fill(`#r-${f}-${b}`, f === "killed" ? "0" : "2");
  }
  const filed = await written(m.p, 'form[action="/desk/report"] button[type="submit"]');
  check(filed !== null, `a monitor files a report from a public one (entry ${filed})`);
  await m.p.goto(reference);
  check((await m.p.locator(`#status a[href="/api/v1/entries/${filed}"]`).count()) === 1, "the reference page links the report filed from it");
  await m.ctx.close();
}

check(errors.length === 0, `no script errors on the pages ${errors.join("; ")}`);
await browser.close();
if (failures.length > 0) {
  console.error(`${failures.length} browser check(s) failed:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("all browser checks passed");
