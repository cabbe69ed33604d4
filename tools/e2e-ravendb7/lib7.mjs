// Shared helpers of the genuine modern RavenDB suite (run by
// scripts/e2e_ravendb7.sh, which starts RavenDB and nginx): RavenDB's own
// HTTP API from node (the tests' setup and their checks, never the page's
// work), a page opener on the shared engine driver (tools/e2e/driver: the
// same flows in Chromium and Firefox, E2E_BROWSER), and axe-core in both
// themes. Elements are found by role and accessible name only.
import { test as nodeTest, before as nodeBefore, after as nodeAfter } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ENGINE, launchBrowser } from '../e2e/driver/index.mjs';
import { AXE_SOURCE, axeFindings, axeInThemes, axeStates } from '../e2e/axe-themes.mjs';
import { requestJson } from '../e2e/http.mjs';

// `shown` and the axe lists are the suites' shared ones (tools/e2e/axe-themes.mjs).
export { axeFindings, axeStates, shown } from '../e2e/axe-themes.mjs';

export { ENGINE };
export const BASE = process.env.E2E7_BASE_URL;
export const API = process.env.E2E7_API_URL;
export const RAVEN = process.env.E2E7_RAVEN_URL;
export const BACKUP_ROOT = process.env.E2E7_BACKUP_ROOT;
export const SHOTS = process.env.E2E7_SCREENSHOTS;
export const NGINX_ACCESS_LOG = process.env.E2E7_NGINX_ACCESS_LOG;
export const VERSION = process.env.E2E7_VERSION ?? '7.1';
assert.ok(BASE && API && RAVEN && BACKUP_ROOT && NGINX_ACCESS_LOG, 'run through scripts/e2e_ravendb7.sh');

export { AXE_SOURCE };

/** node:test's `test`, its name prefixed with the engine ("[firefox] ..."). */
export function test(name, fn) {
  return nodeTest(`[${ENGINE}] ${name}`, fn);
}

export function launch() {
  return launchBrowser({ axeSource: AXE_SOURCE, timeoutMs: 20000 });
}

const CHROMIUM_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Headless Chromium through playwright-core itself, for the files that use
 * its page API directly (whatever E2E_BROWSER says): launched before the
 * file's tests, closed after them. Returns a getter of the browser.
 */
export function chromiumForFile() {
  let browser;
  nodeBefore(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  });
  nodeAfter(async () => { await browser?.close(); });
  return () => browser;
}

/** A request straight to RavenDB (no Origin header: its CSRF check lets it through). */
export async function raven(method, path, body) {
  return ravenAt(RAVEN, method, path, body);
}

/** The same, straight to the RavenDB server at `base` (e.g. the second server). */
export async function ravenAt(base, method, path, body) {
  return requestJson(base, method, path, body);
}

/** Waits until `check()` returns a truthy value (polled, with a deadline). */
export async function until(what, check, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Creates database `name` with `count` documents in two collections (one
 * bulk request per 100), of several shapes: nested objects, arrays,
 * numbers, nulls and non-ASCII text.
 */
export async function createDatabase(name, count, base = RAVEN) {
  const raven = (method, path, body) => ravenAt(base, method, path, body);
  const r = await raven('PUT', `/admin/databases?name=${encodeURIComponent(name)}&replicationFactor=1`,
    { DatabaseName: name, Settings: {}, Disabled: false });
  assert.equal(r.status, 201, r.text);
  for (let first = 1; first <= count; first += 100) {
    const commands = [];
    for (let i = first; i < Math.min(first + 100, count + 1); i++) {
      const order = i % 3 === 0;
      commands.push({
        Type: 'PUT',
        Id: order ? `orders/${i}` : `items/${i}`,
        ChangeVector: null,
        Document: order
          ? { Customer: `customers/${i % 17}`, Lines: [{ Item: `items/${i - 1}`, Qty: i % 5, Price: i * 0.25 }],
            ShippedAt: i % 2 ? null : '2026-11-29T12:00:00.0000000Z', '@metadata': { '@collection': 'Orders' } }
          : { Name: `Item ${i} — Grüße ✓`, Price: i * 1.5, Tags: ['a', `t${i % 7}`], Stock: { Shelf: i % 11, Count: i },
            '@metadata': { '@collection': 'Items' } },
      });
    }
    const b = await raven('POST', `/databases/${encodeURIComponent(name)}/bulk_docs`, { Commands: commands });
    assert.equal(b.status, 201, b.text);
  }
  const stats = await raven('GET', `/databases/${encodeURIComponent(name)}/stats`);
  assert.equal(stats.json?.CountOfDocuments, count, stats.text);
}

/** Names of the databases on the server. */
export async function databaseNames() {
  const r = await raven('GET', '/databases');
  assert.equal(r.status, 200, r.text);
  return r.json.Databases.map((d) => d.Name);
}

/**
 * Every document of a database (paged through), sorted by id, with its
 * metadata except the change vector (a restored database has its own
 * database id, hence its own change vectors).
 */
export async function documents(name) {
  const all = [];
  for (let start = 0; ; start += 1024) {
    const r = await raven('GET', `/databases/${encodeURIComponent(name)}/docs?start=${start}&pageSize=1024`);
    assert.equal(r.status, 200, r.text);
    for (const d of r.json.Results) {
      const { '@change-vector': _cv, ...meta } = d['@metadata'];
      all.push({ ...d, '@metadata': meta });
    }
    if (r.json.Results.length < 1024) break;
  }
  return all.sort((a, b) => a['@metadata']['@id'].localeCompare(b['@metadata']['@id']));
}

/** The number of documents RavenDB reports for a database. */
export async function documentCount(name) {
  const stats = await raven('GET', `/databases/${encodeURIComponent(name)}/stats`);
  assert.equal(stats.status, 200, stats.text);
  return stats.json.CountOfDocuments;
}

/**
 * A one-time backup of `db` into `folder` made over the API (a test's
 * setup), followed to its end; returns the backup's own folder.
 */
export async function apiBackup(db, folder) {
  const started = await raven('POST', `/databases/${encodeURIComponent(db)}/admin/backup`,
    { BackupType: 'Backup', LocalSettings: { Disabled: false, FolderPath: folder } });
  assert.equal(started.status, 200, started.text);
  const id = started.json.OperationId;
  const state = await until(`backup of ${db}`, async () => {
    const s = await raven('GET', `/databases/${encodeURIComponent(db)}/operations/state?id=${id}`);
    assert.ok(['InProgress', 'Completed'].includes(s.json?.Status), `the backup did not complete: ${s.text.slice(0, 300)}`);
    return s.json.Status === 'Completed' && s.json;
  });
  return `${folder}/${state.Result.LocalBackup.BackupDirectory}`;
}

// The second server of a test that wants one: nginx already proxies
// API_B (same origin, under /raven-b/) to RAVEN_B_PORT; the test starts it
// there with startServerB() and stops it with stopServerB() (the harness
// stops it too, on every exit).
export const API_B = process.env.E2E7_API_URL_B;
const RAVEN_B_PORT = process.env.E2E7_RAVEN_B_PORT;
const RAVEN_B_DATA = process.env.E2E7_RAVEN_B_DATA;
const START_SH = fileURLToPath(new URL('../../scripts/ravendb7/start.sh', import.meta.url));
const run = promisify(execFile);

/**
 * Starts a fresh RavenDB (E2E7_VERSION, an empty data folder) on the port
 * nginx proxies under API_B; returns its own URL once it answers.
 */
export async function startServerB() {
  assert.ok(API_B && RAVEN_B_PORT && RAVEN_B_DATA, 'run through scripts/e2e_ravendb7.sh, which proxies a second server');
  await run('bash', [START_SH, RAVEN_B_PORT, RAVEN_B_DATA], { env: process.env, timeout: 120000 });
  return readFileSync(`${RAVEN_B_DATA}/url`, 'utf8').trim();
}

/** Stops the server startServerB() started (nothing when none runs). */
export async function stopServerB() {
  if (RAVEN_B_DATA) await run('bash', [START_SH, 'stop', RAVEN_B_DATA], { env: process.env, timeout: 60000 });
}

/** The requests nginx logged so far whose request line matches `re`. */
export function logged(re) {
  if (!existsSync(NGINX_ACCESS_LOG)) return [];
  return readFileSync(NGINX_ACCESS_LOG, 'utf8').split('\n')
    .map((l) => /"([A-Z]+ \S+) HTTP\/[\d.]+" (\d+)/.exec(l))
    .filter((m) => m && re.test(m[1]))
    .map((m) => `${m[2]} ${m[1]}`);
}

/**
 * A new page of `browser` on `hash`, its console errors and page errors
 * collected in `problems`; waits for "Connected: RavenDB <version>".
 */
export async function open(browser, hash) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.onConsole((m) => { if (/^error: /.test(m) && !/config\.json/.test(m)) problems.push(m); });
  page.onPageError((e) => problems.push(e));
  await page.goto(BASE + hash);
  await page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }).waitFor({ timeout: 30000 });
  return { page, problems };
}

/**
 * Runs axe-core on the page as it is, in the light and in the dark theme
 * (the header's Theme picker, as tools/e2e/a11y.test.mjs switches it), and
 * records every violation of any impact, plus duplicate ids; the flow goes
 * on and the suite's last test asserts that nothing was found.
 */
export async function axeCheck(page, state) {
  const picker = page.getByRole('combobox', { name: 'Theme' });
  const before = await picker.inputValue();
  for (const theme of ['light', 'dark']) {
    await picker.selectOption(theme);
    await until(`the ${theme} theme`, () => page.evaluate((t) => document.documentElement.getAttribute('data-theme') === t, theme), 10000);
    await page.evaluate(`${AXE_SOURCE};0`);
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
      }));
    });
    axeStates.push(`${state}, ${theme}`);
    for (const v of violations) axeFindings.push({ state: `${state}, ${theme}`, ...v });
    if (SHOTS) await page.screenshot(`${SHOTS}/${ENGINE}-${state.replace(/[^A-Za-z0-9]+/g, '-')}-${theme}.png`);
  }
  const duplicates = await page.evaluate(() => {
    const seen = new Map();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `id="${id}" ×${n}`);
  });
  if (duplicates.length) axeFindings.push({ state, id: 'duplicate-id', nodes: duplicates });
  await picker.selectOption(before);
}

/**
 * axe-core's violations (any impact) on a playwright-core page of
 * chromiumForFile(), in the light and in the dark theme, plus duplicate
 * ids; the theme picker is left as it was (tools/e2e/axe-themes.mjs).
 */
export const axeViolations = axeInThemes;
