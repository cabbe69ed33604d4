// "Verify by restoring" (issue 17) against a genuine RavenDB 4.1 server,
// through nginx (same origin, strict CSP), in headless Debian chromium:
// a backup made on the dashboard's Backup screen is restored into a
// scratch database, compared with its source and hard-deleted (the
// server's database list is checked afterwards); documents changed after
// the backup are reported as changed. Run by scripts/e2e_ravendb4.sh;
// the shared setup is lib4.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, BACKUP_ROOT, SHOTS, browserForFile, api, databaseNames, openPage, connected, shown } from './lib4.mjs';

const DB = 'Depot';
const COUNT = 30;

browserForFile();

async function put(id, body) {
  const r = await api('PUT', `/databases/${DB}/docs?id=${encodeURIComponent(id)}`, body);
  assert.equal(r.status, 201, r.text);
}

/** Runs the drill of `folder` from the Restore screen; returns the result region. */
async function drill(page, folder) {
  await page.goto(BASE + '#/restore');
  await connected(page);
  await page.getByLabel('Backup folder on the server').fill(folder);
  await page.getByRole('button', { name: 'List restore points' }).click();
  await page.getByRole('combobox', { name: 'Restore up to' }).waitFor();
  await page.getByLabel('Database the backup was taken from').fill(DB);
  await page.getByRole('button', { name: 'Verify by restoring…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm the verification' });
  await confirm.getByText(/RavenDB 4\.x and later do not say a backup's size before a restore/).waitFor();
  await confirm.getByRole('button', { name: 'Yes, verify' }).click();
  const result = page.getByRole('region', { name: 'Verification result' });
  await result.waitFor({ timeout: 90000 });
  return result;
}

/** No scratch database of DB is left on the server. */
async function noScratchLeft() {
  const left = (await databaseNames()).filter((n) => n.toLowerCase().startsWith(`${DB.toLowerCase()}-verify-`));
  assert.deepEqual(left, [], 'the scratch database is gone from GET /databases');
}

let folder;

test('a dashboard-made 4.1 backup verified by restoring: every document equal, the scratch database gone', async () => {
  const created = await api('PUT', `/admin/databases?name=${DB}&replicationFactor=1`,
    { DatabaseName: DB, Settings: {}, Disabled: false });
  assert.equal(created.status, 201, created.text);
  for (let i = 1; i <= COUNT; i++) {
    await put(`items/${i}`, {
      Name: `Item ${i}`, Price: i * 1.5, Tags: ['a', `t${i % 7}`], Nested: { Deep: [i, null, 'ü'] },
      '@metadata': { '@collection': i % 2 ? 'Items' : 'Parts', Custom: `m${i}` },
    });
  }
  const { context, page, problems } = await openPage();
  await page.goto(BASE + `#/backup?db=${DB}`);
  await connected(page);
  await page.getByLabel('Backup folder on the server').fill(BACKUP_ROOT);
  await page.getByRole('checkbox', { name: 'Create the temporary backup task on the server' }).check();
  await page.getByRole('button', { name: 'Start one-time backup' }).click();
  await page.getByRole('region', { name: `Backup of database ${DB}` }).getByText('Backup succeeded').waitFor({ timeout: 60000 });
  const folderNote = page.getByText(/The backup folder on the server is /);
  await folderNote.waitFor({ timeout: 15000 });
  folder = (await folderNote.textContent()).replace('The backup folder on the server is ', '').trim();

  const result = await drill(page, folder);
  await shown(page, result.getByText(new RegExp(`^Restorable: ${COUNT} of ${COUNT} documents equal, 0 missing, 0 different, 0 changed since the backup; restore took \\d+\\.\\d s$`)));
  await result.getByText(/^The scratch database Depot-verify-\d{8}-\d{6}(-\d)? was hard-deleted\.$/).waitFor();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/ravendb41-drill-equal.png`, fullPage: true });
  await noScratchLeft();
  assert.deepEqual(problems, []);
  await context.close();
});

test('documents changed and created after the backup are reported as changed since the backup', async () => {
  assert.ok(folder, 'the first test made the backup');
  await put('items/3', { Name: 'Item 3, renamed', '@metadata': { '@collection': 'Items', Custom: 'm3' } });
  await put('items/4', { Name: 'Item 4', Price: 99, '@metadata': { '@collection': 'Parts', Custom: 'm4' } });
  await put('items/new', { Name: 'New', '@metadata': { '@collection': 'Items' } });
  const { context, page, problems } = await openPage();
  const result = await drill(page, folder);
  await shown(page, result.getByText(new RegExp(`^Restorable: ${COUNT - 2} of ${COUNT - 2} documents equal, 0 missing, 0 different, 3 changed since the backup; restore took \\d+\\.\\d s$`)));
  const differing = result.getByRole('list', { name: 'Documents that differ' });
  for (const id of ['items/3', 'items/4', 'items/new']) {
    await differing.getByRole('listitem').filter({ hasText: `${id}: changed on the source since the backup` }).waitFor();
  }
  await result.getByText(/was hard-deleted\.$/).waitFor();
  await noScratchLeft();
  assert.deepEqual(problems, []);
  await context.close();
});
