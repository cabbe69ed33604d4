// "Verify by restoring" (issue 17) on a genuine modern RavenDB (run by
// scripts/e2e_ravendb7.sh): a backup made on the dashboard's Backup screen
// restored into a scratch database, compared with its source and
// hard-deleted (the server's database list checked afterwards);
// documents changed after the backup reported as changed; and the backup
// key sent in the restore's BackupEncryptionSettings, the server's own
// refusal shown, the key in no storage, URL or console. Elements are
// found by role and accessible name (docs/protocol/ravendb-4x.md#drill).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, launch, raven, createDatabase, databaseNames, logged, open, shown, axeCheck, axeFindings,
  BACKUP_ROOT, SHOTS, ENGINE, VERSION,
} from './lib7.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const DB = 'DrillShop';
const COUNT = 120;
let backupDir;

/** Runs the drill of `backupDir` from the Restore screen; returns the result region. */
async function drill(page, { key } = {}) {
  await page.getByRole('link', { name: 'Restore' }).click();
  await shown(page, page.getByRole('heading', { name: 'Restore', level: 1 }));
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(backupDir);
  await page.getByRole('button', { name: 'List restore points' }).click();
  await shown(page, page.getByRole('combobox', { name: 'Restore up to' }));
  await page.getByRole('textbox', { name: 'Database the backup was taken from' }).fill(DB);
  if (key) {
    // A password field has no ARIA role: reached as a keyboard user does,
    // the next stop after the source database's field.
    await page.getByRole('textbox', { name: 'Database the backup was taken from' }).click();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => [document.activeElement?.id, document.activeElement?.labels?.[0]?.textContent]);
    assert.deepEqual(focused, ['drill-key', 'Backup encryption key (only for an encrypted backup)']);
    await page.keyboard.type(key);
  }
  await page.getByRole('button', { name: 'Verify by restoring…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm the verification' });
  await shown(page, confirm.getByText(/RavenDB 4\.x and later do not say a backup's size before a restore/));
  await confirm.getByRole('button', { name: 'Yes, verify' }).click();
  const result = page.getByRole('region', { name: 'Verification result' });
  await shown(page, result, { timeout: 90000 });
  return result;
}

async function noScratchLeft() {
  const left = (await databaseNames()).filter((n) => n.toLowerCase().startsWith(`${DB.toLowerCase()}-verify-`));
  assert.deepEqual(left, [], 'no scratch database is left in GET /databases');
}

test(`a dashboard-made backup verified by restoring from its result panel: every document equal, the scratch database gone; its row in Operations offers the same (RavenDB ${VERSION})`, async () => {
  await createDatabase(DB, COUNT);
  const { page, problems } = await open(browser, '#/backup');
  await page.getByRole('combobox', { name: 'Database', exact: true }).fill(DB);
  await shown(page, page.getByText(`Database ${DB} on the server.`));
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(`${BACKUP_ROOT}/drill`);
  await page.getByRole('button', { name: 'Start one-time backup' }).click();
  await shown(page, page.getByRole('region', { name: `Backup of database ${DB}` }).getByText('Backup succeeded'), { timeout: 60000 });
  const folderNote = page.getByText(/The backup folder on the server is /);
  await shown(page, folderNote);
  backupDir = (await folderNote.textContent()).replace('The backup folder on the server is ', '').trim();

  // The result panel's entry: the Restore screen opens at the drill's
  // confirmation, with the backup's folder and its database filled in;
  // nothing is sent before "Yes, verify".
  const restoresBefore = logged(/^POST \/admin\/restore\/database/).length;
  const deletesBefore = logged(/^DELETE \/admin\/databases/).length;
  await page.getByRole('button', { name: `Verify by restoring… the backup of ${DB} at ${backupDir}` }).click();
  await shown(page, page.getByRole('heading', { name: 'Restore', level: 1 }));
  const confirm = page.getByRole('alertdialog', { name: 'Confirm the verification' });
  await shown(page, confirm.getByText(`Restore the backup at ${backupDir} into a new scratch database ${DB}-verify-`, { exact: false }));
  assert.equal(await page.getByRole('textbox', { name: 'Backup folder on the server' }).inputValue(), backupDir);
  assert.equal(logged(/^POST \/admin\/restore\/database/).length, restoresBefore, 'nothing is sent before the admin agrees');
  await confirm.getByRole('button', { name: 'Yes, verify' }).click();
  const result = page.getByRole('region', { name: 'Verification result' });
  await shown(page, result, { timeout: 90000 });
  await shown(page, result.getByText(new RegExp(`^Restorable: ${COUNT} of ${COUNT} documents equal, 0 missing, 0 different, 0 changed since the backup; restore took \\d+\\.\\d s$`)));
  await shown(page, result.getByText(/^The scratch database DrillShop-verify-\d{8}-\d{6}(-\d)? was hard-deleted\.$/));
  await axeCheck(page, 'Verification result, restorable');
  if (SHOTS) await page.screenshot(`${SHOTS}/${ENGINE}-drill-equal.png`);
  await noScratchLeft();
  // One hard delete, and the restore into the scratch name, went through nginx.
  assert.equal(logged(/^DELETE \/admin\/databases/).length - deletesBefore, 1);
  // The backup's row under Operations offers the same drill; it opens at
  // the confirmation, and going back sends nothing.
  const restoresAfter = logged(/^POST \/admin\/restore\/database/).length;
  await page.getByRole('link', { name: 'Operations' }).click();
  await shown(page, page.getByRole('heading', { name: 'Operations', level: 1 }));
  await page.getByRole('button', { name: `Verify by restoring… the backup of ${DB} at ${backupDir}` }).click();
  const again = page.getByRole('alertdialog', { name: 'Confirm the verification' });
  await shown(page, again.getByText(`Restore the backup at ${backupDir} into a new scratch database ${DB}-verify-`, { exact: false }));
  await again.getByRole('button', { name: 'Cancel' }).click();
  await shown(page, page.getByRole('button', { name: 'Verify by restoring…', exact: true }));
  assert.equal(logged(/^POST \/admin\/restore\/database/).length, restoresAfter, 'nothing is sent without Yes');
  assert.deepEqual(problems, []);
  await page.close();
});

test(`documents changed and created after the backup are reported as changed since the backup (RavenDB ${VERSION})`, async () => {
  assert.ok(backupDir, 'the first test made the backup');
  for (const [id, body] of [
    ['items/1', { Name: 'Item 1, renamed', '@metadata': { '@collection': 'Items' } }],
    ['orders/3', { Customer: 'customers/1', Lines: [], '@metadata': { '@collection': 'Orders' } }],
    ['items/new', { Name: 'New', '@metadata': { '@collection': 'Items' } }],
  ]) {
    const r = await raven('PUT', `/databases/${DB}/docs?id=${encodeURIComponent(id)}`, body);
    assert.equal(r.status, 201, r.text);
  }
  const { page, problems } = await open(browser, '#/restore');
  const result = await drill(page);
  await shown(page, result.getByText(new RegExp(`^Restorable: ${COUNT - 2} of ${COUNT - 2} documents equal, 0 missing, 0 different, 3 changed since the backup; restore took \\d+\\.\\d s$`)));
  const differing = result.getByRole('list', { name: 'Documents that differ' });
  for (const id of ['items/1', 'orders/3', 'items/new']) {
    await shown(page, differing.getByText(`${id}: changed on the source since the backup`));
  }
  await shown(page, result.getByText(/was hard-deleted\.$/));
  await noScratchLeft();
  assert.deepEqual(problems, []);
  await page.close();
});

test(`the backup key goes in the restore's BackupEncryptionSettings; the server's refusal is shown; the key is kept nowhere (RavenDB ${VERSION})`, async () => {
  assert.ok(backupDir, 'the first test made the backup');
  // An unlicensed server cannot make an encrypted backup (402, "Your
  // current license doesn't include the encrypted backup feature!"), so
  // the key is given for the plain backup: the server then tries to
  // decrypt it and says so, which shows the key reached it.
  const key = Buffer.from('drill4-e2e-key-0123456789abcdef!').toString('base64');
  const { page, problems } = await open(browser, '#/restore');
  const result = await drill(page, { key });
  await shown(page, result.getByText(/^Not restorable: the restore failed; restore took \d+\.\d s\. The server said: .*Failed to decryped file\. Wrong or corrupted file or key/));
  await shown(page, result.getByText(/^The scratch database DrillShop-verify-\d{8}-\d{6}(-\d)? (was hard-deleted|was never created; nothing was left behind)\.$/));
  await noScratchLeft();
  assert.equal(await page.evaluate(() => document.getElementById('drill-key').type), 'password', 'the key is masked until revealed');
  await page.getByRole('button', { name: 'Reveal the backup key' }).click();
  assert.equal(await page.evaluate(() => document.getElementById('drill-key').type), 'text', 'revealed on request');
  await page.getByRole('button', { name: 'Hide the backup key' }).click();
  const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href + document.cookie);
  assert.ok(!kept.includes(key), 'the key is in no storage, cookie or URL');
  assert.ok(!problems.join('\n').includes(key), 'the key is on no console line');
  await axeCheck(page, 'Verification result, restore refused');
  assert.deepEqual(problems, []);
  await page.close();
});

test('axe: 0 violations on the drill states above, light and dark', () => {
  assert.deepEqual(axeFindings, []);
});
