// Shared helpers of the end-to-end suite (run by scripts/e2e.sh, which starts
// nginx and the devservers). Elements are found by role and accessible name
// only, as a person (or a screen reader) finds them. The browser comes from
// driver/index.mjs: the same flows run in Chromium and in Firefox
// (E2E_BROWSER).
import { before, after, afterEach, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ENGINE, launchBrowser } from './driver/index.mjs';
import { requestJson } from './http.mjs';

export { ENGINE };

export const BASE = process.env.E2E_BASE_URL;
export const API = process.env.E2E_SERVER_URL;
export const DIRECT = process.env.E2E_DIRECT_DEVSERVER;
export const ACCESS_LOG = process.env.E2E_ACCESS_LOG;
export const NGINX_ACCESS_LOG = process.env.E2E_NGINX_ACCESS_LOG;
export const WWW_DIR = process.env.E2E_WWW_DIR;
export const SHOTS = process.env.E2E_SCREENSHOTS;
export const BACKUP_ROOT = process.env.E2E_BACKUP_ROOT;
assert.ok(BASE && API && DIRECT && ACCESS_LOG, 'run through scripts/e2e.sh');
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export let browser;
const sessions = [];
let secrets = null;

/** node:test's `test`, its name prefixed with the engine ("[firefox] ..."). */
export function test(name, fn) {
  return nodeTest(`[${ENGINE}] ${name}`, fn);
}

/** Registers the browser and the after-every-flow secrets check for a file. */
export function setup() {
  before(async () => {
    browser = await launchBrowser({ axeSource: AXE_SOURCE });
    await reset();
    const payroll = await api('GET', '/admin/databases/Payroll');
    secrets = Object.values(payroll.json.SecuredSettings).filter((v) => v.length > 3);
    assert.ok(secrets.length >= 2, 'Payroll has secured settings');
  });
  afterEach(async () => {
    // Secrets: after every flow, none of Payroll's secret values in the
    // browser's storage, the URL, the console, or the server's access logs.
    const open = sessions.splice(0);
    for (const s of open) {
      try {
        if (!s.page.isClosed()) {
          const places = await s.page.evaluate(() => {
            const out = [location.href];
            for (const store of [localStorage, sessionStorage]) {
              for (let i = 0; i < store.length; i++) {
                const k = store.key(i);
                out.push(`${k}=${store.getItem(k)}`);
              }
            }
            return out;
          });
          places.push(...s.console);
          assertNoSecret(places, 'the browser (storage, URL, console)');
        } else {
          assertNoSecret(s.console, 'the browser console');
        }
        assert.deepEqual(s.dialogs, [], 'no dialog ever opens');
        assert.deepEqual(s.errors, [], 'no uncaught error in the page');
        // Chromium says "Content Security Policy", Firefox "Content-Security-Policy".
        assert.deepEqual(s.console.filter((m) => /Content[- ]Security[- ]Policy/i.test(m)), [],
          'nothing was refused by the CSP');
      } finally {
        await s.page.close().catch(() => {});
      }
    }
    for (const log of [ACCESS_LOG, NGINX_ACCESS_LOG]) {
      if (log && existsSync(log)) assertNoSecret([readFileSync(log, 'utf8')], log);
    }
  });
  after(async () => { await browser?.close(); });
}

/** Fails if any of Payroll's secret values is in one of `places`. */
export function assertNoSecret(places, where) {
  for (const secret of secrets ?? []) {
    for (const place of places) {
      assert.ok(!place.includes(secret) && !place.includes(encodeURIComponent(secret)),
        `a secret value of Payroll was found in ${where}: ${place.slice(0, 200)}`);
    }
  }
}

export async function api(method, path, body, base = API) {
  return requestJson(base, method, path, body);
}

export async function control(path, body, base = API) {
  const r = await api(body === undefined ? 'GET' : 'POST', `/__devserver/${path}`, body, base);
  assert.ok(r.status === 200, `${path}: ${r.status} ${r.text}`);
  return r.json;
}

/** Resets the server before a flow: demo data only, empty backup root. */
export async function reset(base = API) {
  await control('reset', { backups: true }, base);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `fn` returns a truthy value. */
export async function until(what, fn, timeoutMs = 30000, stepMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** A backup made over the API (not through the UI), waited for. */
export async function apiBackup(db, location, incremental = false) {
  const r = await api('POST', `/databases/${db}/admin/backup?incremental=${incremental}`,
    { BackupLocation: location, DatabaseDocument: null });
  assert.equal(r.status, 202, r.text);
  await until('API backup', async () => {
    const s = await api('GET', `/databases/${db}/docs/Raven/Backup/Status`);
    return s.json && s.json.IsRunning === false && s.json.Completed;
  });
}

/** The documents of a database, without Raven/ ids and @metadata. */
export async function documents(db) {
  const r = await api('GET', `/databases/${db}/docs?start=0&pageSize=10000`);
  assert.equal(r.status, 200, r.text);
  return r.json
    .filter((d) => !d['@metadata']['@id'].startsWith('Raven/'))
    .map((d) => {
      const { '@metadata': meta, ...body } = d;
      return { id: meta['@id'], body };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * A new browser context and page on `hash` (e.g. '#/backup'); console
 * messages, dialogs and page errors are collected.
 */
export async function open(hash = '#/backup', { dark = false, waitConnected = true } = {}) {
  const page = await browser.newPage({ dark, viewport: { width: 1280, height: 900 } });
  const s = { page, console: [], dialogs: [], errors: [] };
  page.onConsole((m) => s.console.push(m));
  page.onPageError((e) => s.errors.push(e));
  page.onDialog((d) => s.dialogs.push(d));
  sessions.push(s);
  await page.goto(BASE + hash);
  if (dark) await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  if (waitConnected) await connected(page);
  return s;
}

export async function connected(page) {
  await page.getByRole('status').filter({ hasText: 'Connected: RavenDB 3.5' }).waitFor({ timeout: 15000 });
}

export function progress(page, noun = 'Backup') {
  return page.getByRole('region', { name: new RegExp(`^${noun} of `) });
}

export async function chooseDatabase(page, name) {
  await page.getByRole('combobox', { name: 'Database', exact: true }).fill(name);
  await page.getByText(/databases on the server/).waitFor();
}

export async function fillBackup(page, db, location) {
  await chooseDatabase(page, db);
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(location);
  // As a person would: Start only once the stored document has been checked
  // for secured settings (a click before that is refused with "cannot start
  // yet" and sends nothing, which made the flows racy under load).
  await page.getByText('Checking the stored document for secured settings').waitFor({ state: 'hidden', timeout: 15000 });
}

export async function startRestore(page, location, name) {
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(location);
  await page.getByRole('textbox', { name: 'New database name' }).fill(name);
  await page.getByRole('button', { name: 'Restore…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm the restore' });
  await confirm.getByRole('button', { name: 'Yes, restore' }).click();
}

export async function shot(page, name) {
  if (SHOTS) await page.screenshot(`${SHOTS}/${name}-${ENGINE}.png`);
}

/**
 * Runs axe-core in the page (through the driver's protocol, CDP or BiDi,
 * which the page's CSP does not govern) and fails on any violation, of
 * any impact.
 */
export async function axe(page, state) {
  await page.evaluate(`${AXE_SOURCE};0`);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  if (result.length) throw new Error(`axe (${state}): ${JSON.stringify(result, null, 1)}`);
  return result;
}
