// The Restore form and an encrypted backup on a genuine modern RavenDB
// (run by scripts/e2e_ravendb7.sh): when the server's restore points say
// the chosen backup is encrypted, the form asks for its key before
// anything is sent; the key then goes in the restore's
// BackupEncryptionSettings, never as the new database's EncryptionKey;
// the server's own words come back on screen; the key is masked and kept
// in no storage, cookie, URL or console line
// (docs/protocol/ravendb-4x.md#restore-key).
//
// An unlicensed server refuses to make an encrypted backup (402), so the
// "encrypted backup" is a plain one whose file carries the encrypted
// extension (.ravendb-encrypted-full-backup): the server's restore points
// call it encrypted by that extension (RestorePointsBase.cs), and the
// restore then tries to decrypt it with the key given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  BASE, BACKUP_ROOT, SHOTS, VERSION, apiBackup, axeViolations, chromiumForFile, createDatabase, databaseNames,
} from './lib7.mjs';

const browser = chromiumForFile();
const DB = 'KeyShop';
const COPY = 'KeyShopCopy';
const KEY = Buffer.from('restore-key-e2e-0123456789abcde!').toString('base64');

/**
 * A copy of the plain backup `dir` whose files have the encrypted
 * extensions (`.ravendb-encrypted-snapshot` for its full backup when
 * `snapshot`: the server then lists it as an encrypted snapshot).
 */
function encryptedLooking(dir, { snapshot = false } = {}) {
  const full = snapshot ? '.ravendb-encrypted-snapshot' : '.ravendb-encrypted-full-backup';
  const target = join(BACKUP_ROOT, snapshot ? 'restore-key-snapshot' : 'restore-key-encrypted', basename(dir));
  mkdirSync(target, { recursive: true });
  const files = [];
  for (const name of readdirSync(dir)) {
    const renamed = name
      .replace(/\.ravendb-full-backup$/, full)
      .replace(/\.ravendb-incremental-backup$/, '.ravendb-encrypted-incremental-backup');
    copyFileSync(join(dir, name), join(target, renamed));
    files.push(renamed);
  }
  return { folder: target, file: files.find((f) => f.endsWith(full)) };
}

/**
 * A new page on the Restore screen with `folder` typed and its restore
 * points listed; its console lines, page errors and restore request
 * bodies are collected.
 */
async function restoreScreenAt(folder) {
  const context = await browser().newContext();
  const page = await context.newPage();
  const consoleLines = [];
  const errors = [];
  const restorePosts = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/admin\/restore\/database$/.test(r.url())) restorePosts.push(r.postData());
  });
  await page.goto(BASE + '#/restore');
  await page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }).waitFor({ timeout: 20000 });
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(folder);
  await page.getByRole('button', { name: 'List restore points' }).click();
  const points = page.getByRole('combobox', { name: 'Restore up to' });
  await points.waitFor({ timeout: 20000 });
  return { context, page, consoleLines, errors, restorePosts, points };
}

test(`an encrypted restore point asks for its key; the key goes in BackupEncryptionSettings and stays a secret (RavenDB ${VERSION})`, async () => {
  await createDatabase(DB, 12);
  const { folder, file } = encryptedLooking(await apiBackup(DB, join(BACKUP_ROOT, 'restore-key')));
  assert.ok(file, 'the backup has a full-backup file');

  const { context, page, consoleLines, errors, restorePosts, points } = await restoreScreenAt(folder);
  try {
    // The server's restore points call it encrypted, and the list says so.
    assert.match(await points.textContent(), new RegExp(`${file.replace(/\./g, '\\.')} \\(full, encrypted\\)`));
    await page.getByRole('textbox', { name: 'New database name' }).fill(COPY);

    // Restore… without the key: the key field says why, nothing is sent.
    await page.getByRole('button', { name: 'Restore…' }).click();
    const key = page.getByLabel('Encryption key of the backup');
    await page.waitForFunction(() => document.getElementById('restore4-key')?.getAttribute('aria-invalid') === 'true');
    const described = await key.evaluate((el) => el.getAttribute('aria-describedby').split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '').join(' | '));
    assert.ok(described.includes(`The backup ${file} is encrypted (the server's restore points say so): enter its encryption key.`), described);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'restore4-key', 'the key field has the focus');
    assert.equal(await page.getByRole('alertdialog', { name: 'Confirm the restore' }).count(), 0, 'no confirmation without the key');
    assert.deepEqual(restorePosts, [], 'nothing is sent without the key');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'restore-key-asked.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'axe: the key asked for, light and dark');
    // At phone width the restore points (7.1 lists absolute paths in them)
    // do not widen the page.
    await page.setViewportSize({ width: 390, height: 844 });
    const sideways = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
    assert.ok(sideways <= 0, `at 390 px the page scrolls ${sideways} px sideways`);
    await page.setViewportSize({ width: 1280, height: 720 });

    // The key typed (a password field: dots), masked once it loses focus.
    await key.fill(KEY);
    assert.equal(await key.getAttribute('type'), 'password');
    await page.getByRole('textbox', { name: 'New database name' }).focus();
    assert.notEqual(await key.inputValue(), KEY, 'masked when not focused');
    assert.equal(await key.getAttribute('aria-invalid'), 'false');
    await page.getByRole('button', { name: 'Reveal the key' }).click();
    assert.equal(await key.getAttribute('type'), 'text', 'revealed on request');
    assert.equal(await key.inputValue(), KEY);
    await page.getByRole('button', { name: 'Hide the key' }).click();
    assert.equal(await key.getAttribute('type'), 'password');
    // The review shows where the key goes, masked.
    const review = await page.getByRole('region', { name: 'Review the request' }).textContent();
    assert.match(review, /BackupEncryptionSettings/);
    assert.match(review, /UseProvidedKey/);
    assert.match(review, /••••••••/);
    assert.ok(!review.includes(KEY), 'the review masks the key');
    assert.ok(!/"EncryptionKey"/.test(review), 'no EncryptionKey (the new database\'s key) is sent');

    await page.getByRole('button', { name: 'Restore…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm the restore' });
    await confirm.waitFor({ timeout: 20000 });
    await confirm.getByRole('button', { name: 'Yes, restore' }).click();
    const restore = page.getByRole('region', { name: `Restore of database ${COPY}` });
    await restore.getByText('Restore failed').waitFor({ timeout: 60000 });
    // The server's own words: it tried to decrypt the file with the key.
    await restore.getByText(/Failed to decryped file\. Wrong or corrupted file or key/).first().waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'restore-key-refused.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'axe: the failed restore, light and dark');

    // What was sent: the key in BackupEncryptionSettings, nothing else.
    assert.equal(restorePosts.length, 1, 'one restore request');
    const body = JSON.parse(restorePosts[0]);
    assert.deepEqual(body.BackupEncryptionSettings, { EncryptionMode: 'UseProvidedKey', Key: KEY });
    assert.ok(!('EncryptionKey' in body), `no top-level EncryptionKey: ${Object.keys(body)}`);
    assert.equal(body.BackupLocation, folder);
    assert.ok(!(await databaseNames()).includes(COPY), 'the failed restore left no database');

    // The key is in no storage, cookie, URL or console line.
    const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })
      + location.href + document.cookie);
    assert.ok(!kept.includes(KEY), 'the key is in no storage, cookie or URL');
    assert.ok(!consoleLines.join('\n').includes(KEY), 'the key is on no console line');
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(KEY), 'the key is nowhere on the page once hidden');
    assert.deepEqual(errors, [], 'no page errors');
  } finally {
    await context.close();
  }
});

test(`the drill of an encrypted snapshot sends its key as the database's key (EncryptionKey with UseDatabaseKey); the server's words are shown (RavenDB ${VERSION})`, async () => {
  const db = 'SnapShop';
  await createDatabase(db, 5);
  const { folder, file } = encryptedLooking(await apiBackup(db, join(BACKUP_ROOT, 'restore-key-snap')), { snapshot: true });
  assert.ok(file, 'the backup has a file renamed as an encrypted snapshot');

  const { context, page, consoleLines, errors, restorePosts, points } = await restoreScreenAt(folder);
  try {
    // The server's restore points call it encrypted (the list shows the file's snapshot extension).
    assert.match(await points.textContent(), new RegExp(`${file.replace(/\./g, '\\.')} \\([a-z]+, encrypted\\)`));
    await page.getByRole('textbox', { name: 'Database the backup was taken from' }).fill(db);
    // A password field has no ARIA role: the next stop after the source's field.
    await page.getByRole('textbox', { name: 'Database the backup was taken from' }).click();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.labels?.[0]?.textContent),
      'Backup encryption key (only for an encrypted backup)');
    await page.keyboard.type(KEY);
    await page.getByRole('button', { name: 'Verify by restoring…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm the verification' });
    await confirm.waitFor({ timeout: 20000 });
    await confirm.getByRole('button', { name: 'Yes, verify' }).click();
    const result = page.getByRole('region', { name: 'Verification result' });
    await result.waitFor({ timeout: 90000 });
    // The server's own words: a snapshot's key is the key of the database
    // restored from it, which a plain-HTTP node refuses.
    await result.getByText(/The server said: .*Cannot restore an encrypted database to a node which doesn't support SSL!/).waitFor({ timeout: 20000 });
    await result.getByText(/^The scratch database SnapShop-verify-\d{8}-\d{6}(-\d)? (was hard-deleted|was never created; nothing was left behind)\.$/).waitFor();

    // What was sent: the snapshot's key as the database's key.
    assert.equal(restorePosts.length, 1, 'one restore request');
    const body = JSON.parse(restorePosts[0]);
    assert.equal(body.EncryptionKey, KEY);
    assert.deepEqual(body.BackupEncryptionSettings, { EncryptionMode: 'UseDatabaseKey' });
    assert.equal(body.BackupLocation, folder);
    assert.ok(!(await databaseNames()).some((n) => n.toLowerCase().startsWith('snapshop-verify-')), 'no scratch database is left');
    assert.deepEqual(await axeViolations(page), [], 'axe: the refused drill of a snapshot, light and dark');

    const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })
      + location.href + document.cookie);
    assert.ok(!kept.includes(KEY), 'the key is in no storage, cookie or URL');
    assert.ok(!consoleLines.join('\n').includes(KEY), 'the key is on no console line');
    assert.ok(!(await result.textContent()).includes(KEY), 'the key is not in the report');
    assert.deepEqual(errors, [], 'no page errors');
  } finally {
    await context.close();
  }
});
