// Shared helpers of the genuine RavenDB 4.1 suite (run by
// scripts/e2e_ravendb4.sh, which starts RavenDB and nginx): RavenDB's own
// HTTP API from node (the tests' setup and their checks, never the page's
// work), headless Debian chromium through playwright-core for the file,
// pages whose errors and failed answers are recorded, and axe-core in both
// themes. Elements are found by role and accessible name only.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { axeFindings, axeInThemes, axeStates } from '../e2e/axe-themes.mjs';
import { requestJson } from '../e2e/http.mjs';

// `shown` and the axe lists are the suites' shared ones (tools/e2e/axe-themes.mjs).
export { axeFindings, axeStates, shown } from '../e2e/axe-themes.mjs';

export const BASE = process.env.E2E4_BASE_URL;
export const API = process.env.E2E4_API_URL;
export const BACKUP_ROOT = process.env.E2E4_BACKUP_ROOT;
export const SHOTS = process.env.E2E4_SCREENSHOTS;
assert.ok(BASE && API && BACKUP_ROOT, 'run through scripts/e2e_ravendb4.sh');

const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser;

/** Launches chromium before the file's tests and closes it after them (call once, at the top level). */
export function browserForFile() {
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
  });
  after(async () => { await browser?.close(); });
}

/** A request straight to RavenDB through nginx: `{ status, json, text }`. */
export async function api(method, path, body) {
  return requestJson(API, method, path, body);
}

/** Creates database `name` with `docs` documents of the Items collection. */
export async function createDatabase(name, docs) {
  const r = await api('PUT', `/admin/databases?name=${name}&replicationFactor=1`,
    { DatabaseName: name, Settings: {}, Disabled: false });
  assert.equal(r.status, 201, r.text);
  for (let i = 1; i <= docs; i++) {
    const d = await api('PUT', `/databases/${name}/docs?id=items/${i}`,
      { Name: `Item ${i}`, Price: i * 1.5, Tags: ['a', `t${i % 7}`], '@metadata': { '@collection': 'Items' } });
    assert.equal(d.status, 201, d.text);
  }
}

/** Names of the databases on the server. */
export async function databaseNames() {
  const r = await api('GET', '/databases');
  assert.equal(r.status, 200, r.text);
  return r.json.Databases.map((d) => d.Name);
}

/**
 * A new page (in its own context) whose console errors, page errors and
 * HTTP answers are recorded: `problems` (errors) and `failed` (every
 * answer >= 400, with its method and URL, so a console "Failed to load
 * resource" names its request).
 */
export async function openPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const failed = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/config\.json|404/.test(m.text())) problems.push(m.text()); });
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url().replace(API, '')}`);
  });
  page.on('requestfailed', (r) => failed.push(`failed ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  return { context, page, problems, failed };
}

/** Waits for the header's "Connected: RavenDB 4.1". */
export async function connected(page) {
  await page.getByRole('status').filter({ hasText: 'Connected: RavenDB 4.1' }).waitFor({ timeout: 15000 });
}

/**
 * Runs axe-core on the page as it is, in the light and in the dark theme
 * (tools/e2e/axe-themes.mjs), and records every violation, whatever its
 * impact, plus duplicate ids. The flow goes on; the file's last test
 * asserts that none was found.
 */
export async function axeCheck(page, state) {
  for (const theme of ['light', 'dark']) axeStates.push(`${state}, ${theme}`);
  for (const { theme, ...v } of await axeInThemes(page)) {
    axeFindings.push({ state: theme ? `${state}, ${theme}` : state, ...v });
  }
}
