// Cancel on a genuine modern RavenDB (run by scripts/e2e_ravendb7.sh): a
// restore of a database of about 150,000 documents is started from the
// Restore screen, canceled with its Cancel button and confirmation, and ends
// "Canceled" as the server reports it (POST /admin/operations/kill,
// docs/protocol/ravendb-4x.md#kill), with the words on what stays on disk.
// Elements are found by role and accessible name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BASE, BACKUP_ROOT, SHOTS, VERSION, axeViolations, chromiumForFile, raven } from './lib7.mjs';

const DOCS = 150_000;
const BATCH = 5_000;
const browser = chromiumForFile();

/** Polls an operation state until it is no longer InProgress (a condition). */
async function waitForEnd(path, limitMs = 120000) {
  const end = Date.now() + limitMs;
  for (;;) {
    const state = await raven('GET', path);
    const status = state.json?.Status;
    if (status && status !== 'InProgress') return state.json;
    assert.ok(status === 'InProgress', `unexpected state: ${state.status} ${state.text.slice(0, 300)}`);
    assert.ok(Date.now() < end, `${path} ends within ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A database of DOCS documents of about 1 KB, loaded in batches (bulk_docs). */
async function seed(name) {
  const created = await raven('PUT', `/admin/databases?name=${name}&replicationFactor=1`,
    { DatabaseName: name, Settings: {}, Disabled: false });
  assert.equal(created.status, 201, created.text);
  const filler = 'x'.repeat(900);
  for (let start = 0; start < DOCS; start += BATCH) {
    const Commands = [];
    for (let i = start; i < Math.min(start + BATCH, DOCS); i++) {
      Commands.push({
        Id: `items/${i}`, Type: 'PUT', ChangeVector: null,
        Document: { Number: i, Text: filler, '@metadata': { '@collection': 'Items' } },
      });
    }
    const res = await raven('POST', `/databases/${name}/bulk_docs`, { Commands });
    assert.equal(res.status, 201, res.text.slice(0, 300));
  }
  const stats = await raven('GET', `/databases/${name}/stats`);
  assert.equal(stats.json?.CountOfDocuments, DOCS, stats.text.slice(0, 300));
}

test(`a restore of ${DOCS} documents is canceled from the Restore screen and ends "Canceled" on RavenDB ${VERSION}`, async () => {
  const source = 'Big';
  const copy = 'BigCanceled';
  await seed(source);
  const folder = `${BACKUP_ROOT}/cancel`;
  const backup = await raven('POST', `/databases/${source}/admin/backup`,
    { BackupType: 'Backup', LocalSettings: { Disabled: false, FolderPath: folder } });
  assert.equal(backup.status, 200, backup.text);
  const done = await waitForEnd(`/databases/${source}/operations/state?id=${backup.json.OperationId}`);
  assert.equal(done.Status, 'Completed', JSON.stringify(done).slice(0, 300));
  const location = join(folder, done.Result.LocalBackup.BackupDirectory);

  const context = await browser().newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(BASE + '#/restore');
    await page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }).waitFor({ timeout: 20000 });
    await page.getByLabel('Backup folder on the server').fill(location);
    await page.getByLabel('New database name').fill(copy);
    await page.getByRole('button', { name: 'Restore…' }).click();
    const confirmRestore = page.getByRole('alertdialog', { name: 'Confirm the restore' });
    await confirmRestore.waitFor({ timeout: 20000 });
    const started = page.waitForResponse((r) => r.url().endsWith('/admin/restore/database') && r.request().method() === 'POST');
    await confirmRestore.getByRole('button', { name: 'Yes, restore' }).click();
    const answer = await started;
    assert.equal(answer.status(), 200, await answer.text());
    const operationId = (await answer.json()).OperationId;
    assert.ok(Number.isInteger(operationId), `an operation id: ${operationId}`);

    // Cancel, with the keyboard-reachable confirmation.
    const cancel = page.getByRole('button', { name: 'Cancel the restore…' });
    await cancel.click({ timeout: 20000 });
    const question = page.getByRole('alertdialog', { name: 'Cancel this restore?' });
    await question.waitFor({ timeout: 5000 });
    // The safe choice has the focus; what stays on disk is said before.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'No, let it run');
    assert.match(await question.textContent(), /data folder the restore was writing stays on the server's disk/);
    const killed = page.waitForResponse((r) => r.url().includes(`/admin/operations/kill?id=${operationId}`));
    await question.getByRole('button', { name: 'Yes, cancel it' }).click();
    assert.equal((await killed).status(), 204);

    // The panel ends "Canceled", from the followed state.
    const outcome = page.locator('.outcome').filter({ hasText: 'Canceled' });
    await outcome.waitFor({ timeout: 60000 });
    const words = await outcome.textContent();
    assert.match(words, /server reports the restore as canceled/, words);
    assert.match(words, /data folder .* stays on the server's disk/, words);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'restore-canceled.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'axe: the canceled restore, light and dark');

    // The server agrees: the operation is Canceled, the database is not
    // registered, and its data folder is still on disk.
    const state = await raven('GET', `/operations/state?id=${operationId}`);
    assert.equal(state.json?.Status, 'Canceled', state.text.slice(0, 300));
    const dbs = await raven('GET', '/databases');
    assert.ok(!dbs.json.Databases.some((d) => d.Name === copy), 'the canceled restore did not register the database');
    // The server's data folder holds its log (scripts/ravendb7/start.sh).
    const dataDir = join(dirname(process.env.E2E7_SERVER_LOG), 'Databases', copy);
    assert.ok(existsSync(dataDir), `the killed restore's folder stays: ${dataDir}`);
    assert.deepEqual(errors, [], 'no page errors');
  } finally {
    await context.close();
  }
});
