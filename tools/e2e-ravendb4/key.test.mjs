// The Restore form's key on a genuine RavenDB 4.1 (run by
// scripts/e2e_ravendb4.sh): 4.0 and 4.1 have no BackupEncryptionSettings,
// so the key goes as the restore's EncryptionKey; this server (plain HTTP)
// refuses any key in its own words, which the screen shows; the key is
// masked, in the review too, and kept in no storage, cookie, URL or
// console line (docs/protocol/ravendb-4x.md#restore-key). The shared
// setup is lib4.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import {
  BASE, BACKUP_ROOT, SHOTS, browserForFile, databaseNames, openPage, connected, shown, axeCheck, axeFindings, axeStates,
} from './lib4.mjs';

browserForFile();

const KEY = Buffer.from('restore-key-e2e-0123456789abcde!').toString('base64');
const COPY = 'KeyedCopy';

test('the key goes as EncryptionKey on 4.1; the server refuses it in its own words; the key stays a secret', async () => {
  const folder = `${BACKUP_ROOT}/key-41`;
  mkdirSync(folder, { recursive: true });
  const { context, page, problems } = await openPage();
  const consoleLines = [];
  const restorePosts = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/admin\/restore\/database$/.test(r.url())) restorePosts.push(r.postData());
  });
  await page.goto(BASE + '#/restore');
  await connected(page);
  await page.getByLabel('Backup folder on the server').fill(folder);
  await page.getByLabel('New database name').fill(COPY);
  const key = page.getByLabel('Encryption key of the backup');
  await key.fill(KEY);
  assert.equal(await key.getAttribute('type'), 'password');
  await page.getByLabel('New database name').focus();
  assert.notEqual(await key.inputValue(), KEY, 'masked when not focused');

  // The review: EncryptionKey, masked; no BackupEncryptionSettings on 4.1.
  const review = page.getByRole('region', { name: 'Review the request' });
  await shown(page, review);
  const reviewed = await review.textContent();
  assert.match(reviewed, /"EncryptionKey": "••••••••"/);
  assert.ok(!reviewed.includes('BackupEncryptionSettings'), reviewed);
  assert.ok(!reviewed.includes(KEY), 'the review masks the key');
  await axeCheck(page, 'Restore form with a key (4.1)');

  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('alertdialog', { name: 'Confirm the restore' }).getByRole('button', { name: 'Yes, restore' }).click();
  const refusal = page.getByRole('region', { name: 'The server did not start the restore' });
  await shown(page, refusal.getByText("Cannot restore an encrypted database to a node which doesn't support SSL!").first(), { timeout: 15000 });
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/ravendb41-restore-key-refused.png`, fullPage: true });
  await axeCheck(page, 'Restore with a key refused (4.1)');

  assert.equal(restorePosts.length, 1, 'one restore request');
  const body = JSON.parse(restorePosts[0]);
  assert.equal(body.EncryptionKey, KEY, 'the key goes as EncryptionKey');
  assert.ok(!('BackupEncryptionSettings' in body), `4.1 has no BackupEncryptionSettings: ${Object.keys(body)}`);
  assert.ok(!(await databaseNames()).includes(COPY));
  // What was typed is kept (the key too, in memory), and nowhere else.
  assert.equal(await page.getByLabel('New database name').inputValue(), COPY);
  const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })
    + location.href + document.cookie);
  assert.ok(!kept.includes(KEY), 'the key is in no storage, cookie or URL');
  assert.ok(!consoleLines.join('\n').includes(KEY), 'the key is on no console line');
  assert.deepEqual(problems.filter((p) => !/status of 500/.test(p)), []);
  await context.close();
});

test('axe: 0 violations on the key states above, light and dark', () => {
  assert.equal(axeStates.length, 4, `states checked: ${JSON.stringify(axeStates)}`);
  assert.deepEqual(axeFindings, []);
});
