// End to end against a genuine RavenDB 4.1 server, through nginx (same
// origin, strict CSP), in headless Debian chromium driven by Playwright.
// Run by scripts/e2e_ravendb4.sh, which starts the server and nginx.
// Elements are found by role and accessible name, as a person would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const BASE = process.env.E2E4_BASE_URL;
const API = process.env.E2E4_API_URL;
const BACKUP_ROOT = process.env.E2E4_BACKUP_ROOT;
const SHOTS = process.env.E2E4_SCREENSHOTS;
assert.ok(BASE && API && BACKUP_ROOT, 'run through scripts/e2e_ravendb4.sh');

const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
});
after(async () => { await browser?.close(); });

async function api(method, path, body) {
  const res = await fetch(API + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

async function createDatabase(name, docs) {
  const r = await api('PUT', `/admin/databases?name=${name}&replicationFactor=1`,
    { DatabaseName: name, Settings: {}, Disabled: false });
  assert.equal(r.status, 201, r.text);
  for (let i = 1; i <= docs; i++) {
    const d = await api('PUT', `/databases/${name}/docs?id=items/${i}`,
      { Name: `Item ${i}`, Price: i * 1.5, Tags: ['a', `t${i % 7}`], '@metadata': { '@collection': 'Items' } });
    assert.equal(d.status, 201, d.text);
  }
}

/** The documents of a database without their per-database metadata. */
async function documents(name) {
  const r = await api('GET', `/databases/${name}/docs?start=0&pageSize=1024`);
  assert.equal(r.status, 200, r.text);
  return r.json.Results
    .map((d) => {
      const { '@metadata': meta, ...body } = d;
      return { id: meta['@id'], collection: meta['@collection'], body };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function openPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/config\.json|404/.test(m.text())) problems.push(m.text()); });
  return { context, page, problems };
}

async function connected(page) {
  await page.getByRole('status').filter({ hasText: 'Connected: RavenDB 4.1' }).waitFor({ timeout: 15000 });
}

test('back up from the dashboard, restore into a new name, and every document is equal', async () => {
  await createDatabase('Shop', 40);
  const { context, page, problems } = await openPage();
  await page.goto(BASE + '#/backup?db=Shop');
  await connected(page);

  await page.getByLabel('Backup folder on the server').fill(BACKUP_ROOT);
  // Nothing is created on the server without consent.
  await page.getByRole('button', { name: 'Start one-time backup' }).click();
  await page.getByText('Agree to the temporary task first').waitFor();
  const before = await api('GET', '/databases/Shop/tasks');
  assert.equal(before.json.OngoingTasksList.length, 0, 'no task was created without consent');

  await page.getByRole('checkbox', { name: 'Create the temporary backup task on the server' }).check();
  await page.getByRole('button', { name: 'Start one-time backup' }).click();
  const progress = page.getByRole('region', { name: 'Backup of database Shop' });
  await progress.getByText('Backup succeeded').waitFor({ timeout: 60000 });
  const folderNote = page.getByText(/The backup folder on the server is /);
  await folderNote.waitFor({ timeout: 15000 });
  await page.getByText(/The temporary backup task \(id \d+\) was removed from the server/).waitFor();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/ravendb41-backup-done.png`, fullPage: true });
  const folder = (await folderNote.textContent()).replace('The backup folder on the server is ', '').trim();
  assert.ok(folder.startsWith(BACKUP_ROOT), folder);
  const afterTasks = await api('GET', '/databases/Shop/tasks');
  assert.equal(afterTasks.json.OngoingTasksList.length, 0, 'the temporary task was removed');
  // The screen's task list says so too.
  await page.getByText('This database has no backup task').waitFor({ timeout: 10000 });

  // Restore it under a new name.
  await page.getByRole('link', { name: 'Restore' }).click();
  await page.getByRole('heading', { name: 'Restore' }).waitFor();
  await page.getByLabel('Backup folder on the server').fill(folder);
  await page.getByRole('button', { name: 'List restore points' }).click();
  await page.getByRole('combobox', { name: 'Restore up to' }).waitFor();
  await page.getByLabel('New database name').fill('ShopCopy');
  await page.getByRole('button', { name: 'Restore…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm the restore' });
  await confirm.getByText(`Restore backup at ${folder} into a new database ShopCopy`).waitFor();
  await confirm.getByRole('button', { name: 'Yes, restore' }).click();
  await page.getByRole('region', { name: 'Restore of database ShopCopy' }).getByText('Restore succeeded').waitFor({ timeout: 60000 });
  await page.getByRole('link', { name: 'Back up ShopCopy now' }).waitFor();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/ravendb41-restore-done.png`, fullPage: true });

  const source = await documents('Shop');
  const copy = await documents('ShopCopy');
  assert.equal(source.length, 40);
  assert.deepEqual(copy, source, 'every restored document equals its source');
  assert.deepEqual(problems, []);
  await context.close();
});

test("restoring onto an existing name shows RavenDB's own message", async () => {
  const { context, page } = await openPage();
  await page.goto(BASE + '#/restore');
  await connected(page);
  const folders = await api('POST', '/admin/restore/points', { Path: BACKUP_ROOT });
  assert.equal(folders.status, 200, folders.text);
  const folder = folders.json.List[0].Location;
  await page.getByLabel('Backup folder on the server').fill(folder);
  await page.getByLabel('New database name').fill('Meanwhile');
  await page.getByRole('region', { name: 'Review the request' }).waitFor();
  // The database appears after the screen read the list: the server refuses.
  await createDatabase('Meanwhile', 0);
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('alertdialog', { name: 'Confirm the restore' }).getByRole('button', { name: 'Yes, restore' }).click();
  const refusal = page.getByRole('region', { name: 'The server did not start the restore' });
  await refusal.getByText('Cannot restore data to an existing database named Meanwhile').first().waitFor({ timeout: 15000 });
  // What was typed is kept.
  assert.equal(await page.getByLabel('New database name').inputValue(), 'Meanwhile');
  // And a name the screen already knows is refused before any request.
  await page.getByLabel('New database name').fill('shop');
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByText('A database named "Shop" already exists on the server').first().waitFor();
  assert.equal(await page.getByLabel('New database name').getAttribute('aria-invalid'), 'true');
  await context.close();
});

test("a wrong backup path shows RavenDB's own message", async () => {
  const { context, page } = await openPage();
  await page.goto(BASE + '#/restore');
  await connected(page);
  await page.getByLabel('Backup folder on the server').fill('/no/such/backup/folder');
  await page.getByLabel('New database name').fill('NeverRestored');
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('alertdialog', { name: 'Confirm the restore' }).getByRole('button', { name: 'Yes, restore' }).click();
  const refusal = page.getByRole('region', { name: 'The server did not start the restore' });
  await refusal.getByText("Backup location doesn't exist, path: /no/such/backup/folder").first().waitFor({ timeout: 15000 });
  const dbs = await api('GET', '/databases');
  assert.ok(!dbs.json.Databases.some((d) => d.Name === 'NeverRestored'));
  await context.close();
});
