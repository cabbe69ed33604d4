// The main flows, through nginx at the sub-path, under the strict CSP.
import { beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, setup, reset, api, control, open, progress, fillBackup, chooseDatabase, startRestore,
  apiBackup, documents, until, shot, assertNoSecret, API, BACKUP_ROOT,
} from './lib.mjs';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

setup();
beforeEach(async () => { await reset(); });

test('full then incremental backup of Northwind', async () => {
  const { page, errors } = await open('#/backup');
  await fillBackup(page, 'Northwind', 'e2e/northwind');
  await page.getByRole('region', { name: 'Review the request' }).waitFor();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  await page.getByText('The backup is in e2e/northwind on the server.').waitFor();
  let files = await control('backup-files');
  assert.ok(files.includes('e2e/northwind/Database.Document'), JSON.stringify(files));
  assert.ok(files.includes('e2e/northwind/RavenDB.Voron.Backup'), JSON.stringify(files));

  // A change, then an incremental backup into the same folder.
  const put = await api('PUT', '/databases/Northwind/docs/companies/1000', { Name: 'New since the full backup' });
  assert.ok(put.status < 300, put.text);
  await page.getByRole('radio', { name: 'Incremental backup' }).check();
  await page.getByRole('region', { name: 'Review the request' }).getByText(/incremental=true/).first().waitFor();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText(/\/Inc 20/).first().waitFor({ timeout: 30000 });
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  files = await control('backup-files');
  assert.ok(files.some((f) => /^e2e\/northwind\/Inc [^/]+\/Database\.Document$/.test(f)), JSON.stringify(files));
  const received = await api('GET', '/__devserver/received?pathPrefix=/databases/Northwind/admin/backup');
  assert.equal(received.json.length, 2, 'one POST per click');
  assert.deepEqual(errors, []);
});

test('restore into a new name; the documents are equal over the API', async () => {
  await apiBackup('Northwind', 'e2e/source');
  const { page, errors } = await open('#/restore');
  await startRestore(page, 'e2e/source', 'NorthwindCopy');
  await progress(page, 'Restore').getByText('Restore succeeded').waitFor({ timeout: 30000 });
  await page.getByRole('link', { name: 'Back up NorthwindCopy now' }).waitFor();
  const source = await documents('Northwind');
  const copy = await documents('NorthwindCopy');
  assert.equal(source.length, 300);
  assert.deepEqual(copy, source);
  assert.deepEqual(errors, []);
});

test('sensitive-data warning for Payroll and its acknowledgment', async () => {
  const { page } = await open('#/backup');
  await fillBackup(page, 'Payroll', 'e2e/payroll');
  const warning = page.getByRole('alert').filter({ hasText: 'This backup will contain 3 secrets in plain text' });
  await warning.waitFor();
  for (const key of ['Raven/Encryption/Key', 'Raven/AWSSecretKey', 'Raven/Encryption/Algorithm']) {
    await warning.getByText(key, { exact: true }).waitFor();
  }
  // Blocked until acknowledged: nothing is sent.
  await page.getByRole('button', { name: 'Start backup' }).click();
  await page.getByText('The backup cannot start yet:').waitFor();
  let received = await api('GET', '/__devserver/received?pathPrefix=/databases/Payroll/admin/backup');
  assert.equal(received.json.length, 0);
  await page.getByRole('checkbox', { name: 'I understand: 3 secrets will be written in plain text into this backup' }).check();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  received = await api('GET', '/__devserver/received?pathPrefix=/databases/Payroll/admin/backup');
  assert.equal(received.json.length, 1);
  assert.equal(received.json[0].DatabaseDocument, null);
  // The warning told the truth: the server wrote the secrets into the backup.
  const written = readFileSync(`${BACKUP_ROOT}/e2e/payroll/Database.Document`, 'utf8');
  assert.throws(() => assertNoSecret([written], 'the acknowledged backup'), /a secret value of Payroll/);
  // The stored document, secrets included, loaded into the editor (memory
  // only): the after-flow check then looks for the values in storage,
  // the URL, the console and the access logs.
  await page.getByRole('radio', { name: 'Load the stored document and edit it' }).check();
  await page.getByText('Raven/AWSSecretKey').first().waitFor();
});

test('sensitive-data warning for Payroll: strip the secured settings', async () => {
  const { page } = await open('#/backup');
  await fillBackup(page, 'Payroll', 'e2e/payroll-stripped');
  const warning = page.getByRole('alert').filter({ hasText: 'This backup will contain 3 secrets in plain text' });
  await warning.getByRole('button', { name: 'Strip secured settings from this backup' }).click();
  await page.getByRole('region', { name: 'Secured settings will be stripped' }).waitFor();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  const received = await api('GET', '/__devserver/received?pathPrefix=/databases/Payroll/admin/backup');
  assert.equal(received.json.length, 1);
  assert.deepEqual(received.json[0].DatabaseDocument.SecuredSettings, {});
  // What the server wrote into the backup folder carries no secret value.
  const written = readFileSync(`${BACKUP_ROOT}/e2e/payroll-stripped/Database.Document`, 'utf8');
  assert.match(written, /Payroll|SecuredSettings/);
  assertNoSecret([written], 'the stripped backup\'s Database.Document');
});

test('raw JSON editing: an error with line and column, then a fix', async () => {
  const { page } = await open('#/backup');
  await fillBackup(page, 'Northwind', 'e2e/json');
  await page.getByRole('radio', { name: 'Write a document as JSON' }).check();
  await page.getByRole('radio', { name: 'Raw JSON' }).check();
  const area = page.getByRole('textbox', { name: 'DatabaseDocument (JSON)' });
  const broken = '{\n  "Id": "Northwind",\n  "Settings": {,}\n}';
  await area.fill(broken);
  await page.getByText('Invalid JSON at line 3, column 16').first().waitFor();
  await page.getByRole('button', { name: 'Start backup' }).click();
  await until('aria-invalid', async () => (await area.getAttribute('aria-invalid')) === 'true', 5000);
  assert.equal(await area.inputValue(), broken, 'the text is kept');
  let received = await api('GET', '/__devserver/received?pathPrefix=/databases/Northwind/admin/backup');
  assert.equal(received.json.length, 0);
  await area.fill('{\n  "Id": "Northwind",\n  "Settings": {"Raven/X": "1"}\n}');
  await until('error gone', async () => (await page.getByText('Invalid JSON').count()) === 0, 5000);
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  received = await api('GET', '/__devserver/received?pathPrefix=/databases/Northwind/admin/backup');
  assert.deepEqual(received.json[0].DatabaseDocument.Settings, { 'Raven/X': '1' });
});

test('re-attach after a page reload mid-restore', async () => {
  await apiBackup('Northwind', 'e2e/reload');
  await control('op-step', { ms: 300 });
  const { page } = await open('#/restore');
  await startRestore(page, 'e2e/reload', 'AfterReload');
  await progress(page, 'Restore').getByText(/running/).waitFor({ timeout: 15000 });
  await page.reload();
  const notice = page.getByRole('region', { name: 'Another restore is in progress' });
  await notice.waitFor({ timeout: 15000 });
  await notice.getByRole('button', { name: 'Follow its live log' }).click();
  await progress(page, 'Restore').getByText('Restore succeeded').waitFor({ timeout: 60000 });
  const dbs = await api('GET', '/databases');
  assert.ok(dbs.json.includes('AfterReload'), dbs.text);
});

test('the Operations screen lists the backup and the restore', async () => {
  const { page } = await open('#/backup');
  await fillBackup(page, 'Northwind', 'e2e/ops');
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  await page.getByRole('link', { name: 'Restore' }).click();
  await startRestore(page, 'e2e/ops', 'OpsCopy');
  await progress(page, 'Restore').getByText('Restore succeeded').waitFor({ timeout: 30000 });
  await page.getByRole('link', { name: 'Operations' }).click();
  const server = page.getByRole('region', { name: 'Operations on the server' });
  await server.getByText(/Backup to: e2e\/ops/).first().waitFor({ timeout: 15000 });
  await server.getByText(/Restoring database OpsCopy from e2e\/ops/).first().waitFor();
  const local = page.getByRole('region', { name: 'Started from this browser' });
  await local.getByRole('button', { name: /^Follow database backup of Northwind/ }).waitFor();
  await local.getByRole('button', { name: /^Follow database restore of OpsCopy/ }).waitFor();
});

test('the request review and copy-as-curl: the copied command is the one shown, and it works', async () => {
  const { page } = await open('#/backup');
  await fillBackup(page, 'Northwind', 'e2e/curl');
  const review = page.getByRole('region', { name: 'Review the request' });
  await review.getByText(`${API}/databases/Northwind/admin/backup?incremental=false`).first().waitFor();
  const shown = await review.getByText(/^curl -X POST /).textContent();
  await review.getByRole('button', { name: 'Copy curl command' }).click();
  await review.getByRole('status').filter({ hasText: 'The curl command was copied.' }).waitFor();
  const copied = await page.clipboardText();
  assert.equal(copied, shown);
  assert.ok(copied.startsWith(`curl -X POST '${API}/databases/Northwind/admin/backup?incremental=false'`), copied);
  // The copied command, run as is, starts the backup the form describes.
  await promisify(execFile)('sh', ['-c', `${copied} --silent --show-error --fail`]);
  await until('backup written by the copied curl', async () => (await control('backup-files')).includes('e2e/curl/Database.Document'));

  // With Payroll's stored document in the body, the secret values are
  // masked in the review and in what is copied.
  await chooseDatabase(page, 'Payroll');
  await page.getByRole('radio', { name: 'Load the stored document and edit it' }).check();
  await page.getByRole('checkbox', { name: 'I understand: 3 secrets will be written in plain text into this backup' }).check();
  await review.getByText(/Raven\/AWSSecretKey/).first().waitFor();
  await review.getByRole('button', { name: 'Copy curl command' }).click();
  const masked = await until('the Payroll curl in the clipboard', async () => {
    const text = await page.clipboardText();
    return text.includes('/databases/Payroll/') && text;
  });
  assert.ok(masked.includes('••••••••'), masked);
  assertNoSecret([masked], 'the copied curl command');
});

test('the whole log of a finished backup downloads as a text file', async () => {
  const { page } = await open('#/backup');
  await fillBackup(page, 'Northwind', 'e2e/log');
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  const { fileName, text } = await page.download(
    () => progress(page).getByRole('button', { name: 'Download the whole log' }).click(), 15000);
  assert.equal(fileName, 'backup-log.txt');
  const lines = text.split('\n').filter(Boolean);
  for (const line of lines) assert.match(line, /^\[\d{4}-\d\d-\d\dT[^\]]+\] (Info|Warning|Error): /, line);
  assert.ok(lines[0].includes(`Backing up data to directory = '${BACKUP_ROOT}/e2e/log'`), lines[0]);
  assert.equal(lines.at(-1).replace(/^\[[^\]]+\] /, ''), 'Info: Backup completed');
  // Every message shown on screen is in the file.
  for (const shown of ['Backing up indexes..', 'Finished indexes backup. Executing data backup..']) {
    await progress(page).getByText(shown).first().waitFor();
    assert.ok(text.includes(shown), shown);
  }
});
