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
const violations = await accessibility(page);
check(violations.length === 0, `incident page: no serious or critical axe violations ${violations.join("; ")}`);
await screenshot(page, "incident-en");

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

check(errors.length === 0, `no script errors on the pages ${errors.join("; ")}`);
await browser.close();
if (failures.length > 0) {
  console.error(`${failures.length} browser check(s) failed:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("all browser checks passed");
