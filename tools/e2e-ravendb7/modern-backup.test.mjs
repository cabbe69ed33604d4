// The Backup screen on a genuine modern RavenDB (run by
// scripts/e2e_ravendb7.sh): the task list read under 5.x+'s `OngoingTasks`
// key, and a one-time backup (POST /databases/{db}/admin/backup) whose
// folder is shown in full: the result's BackupDirectory joined to the
// folder asked for (docs/protocol/ravendb-4x.md#backup-result), with the
// node that ran it (OperationNodeTag). Elements are found by role and name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, BACKUP_ROOT, VERSION, chromiumForFile, raven } from './lib7.mjs';

const browser = chromiumForFile();

test(`the Backup screen lists a task and shows a one-time backup's full folder on RavenDB ${VERSION}`, async () => {
  const db = 'TasksShop';
  const created = await raven('PUT', `/admin/databases?name=${db}&replicationFactor=1`, { DatabaseName: db, Settings: {}, Disabled: false });
  assert.equal(created.status, 201, created.text);
  for (let i = 1; i <= 3; i++) {
    const put = await raven('PUT', `/databases/${db}/docs?id=users/${i}`, { Name: `User ${i}`, '@metadata': { '@collection': 'Users' } });
    assert.equal(put.status, 201, put.text);
  }
  // A (disabled) periodic task: the modern `/tasks` answer lists it under `OngoingTasks`.
  const task = await raven('POST', `/databases/${db}/admin/periodic-backup`, {
    Name: 'nightly-e2e', BackupType: 'Backup', FullBackupFrequency: '0 2 * * *', Disabled: true,
    LocalSettings: { Disabled: false, FolderPath: join(BACKUP_ROOT, 'nightly') },
  });
  assert.equal(task.status, 200, task.text);
  const tasks = await raven('GET', `/databases/${db}/tasks`);
  assert.ok(Array.isArray(tasks.json?.OngoingTasks) && !('OngoingTasksList' in tasks.json), tasks.text.slice(0, 300));

  const context = await browser().newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}#/backup?db=${db}`);
    await page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }).waitFor({ timeout: 20000 });
    const table = page.getByRole('table', { name: 'Backup tasks' });
    await table.getByRole('rowheader', { name: /nightly-e2e/ }).waitFor({ timeout: 20000 });
    await table.getByRole('button', { name: 'Full backup now with nightly-e2e' }).waitFor();

    const folder = join(BACKUP_ROOT, 'one-time');
    await page.getByLabel('Backup folder on the server').fill(folder);
    await page.getByRole('button', { name: 'Start one-time backup' }).click();
    await page.getByRole('region', { name: `Backup of database ${db}` }).getByText('Backup succeeded').waitFor({ timeout: 60000 });
    const note = page.getByText(/^The backup folder on the server is /);
    await note.waitFor({ timeout: 15000 });
    const shown = (await note.textContent()).replace('The backup folder on the server is ', '').trim();
    assert.ok(shown.startsWith(folder + '/') && shown.endsWith(`.ravendb-${db}-A-backup`), shown);
    assert.ok(existsSync(shown), `the folder shown exists on disk: ${shown}`);
    await page.getByText('RavenDB ran the backup on node A.').waitFor();
    // The folder shown is one the server restores from.
    const points = await raven('POST', '/admin/restore/points?type=Local', { FolderPath: shown });
    assert.equal(points.status, 200, points.text);
    assert.equal(points.json.List.length, 1, points.text.slice(0, 300));
  } finally {
    await context.close();
  }
});

// Issue 11 item 4: the answer to a backup start is lost after the server got
// the request: the route lets the request through, then answers 504 as a
// proxy does whose wait for the server ran out (nginx's proxy_read_timeout).
// The dashboard must not give up or send a second request: it looks among
// the database's operations, finds the backup and follows it to the end.
// (The one-time backup: an unlicensed 7.1 refuses, depending on timing, to
// create the enabled task a "back up now" needs: "Your license doesn't
// support adding periodic backups".)
test(`a backup start whose answer is lost is found among the operations and followed on RavenDB ${VERSION}`, async () => {
  const db = 'LostAnswerShop';
  const created = await raven('PUT', `/admin/databases?name=${db}&replicationFactor=1`, { DatabaseName: db, Settings: {}, Disabled: false });
  assert.equal(created.status, 201, created.text);
  const put = await raven('PUT', `/databases/${db}/docs?id=users/1`, { Name: 'User 1', '@metadata': { '@collection': 'Users' } });
  assert.equal(put.status, 201, put.text);

  const context = await browser().newContext();
  const page = await context.newPage();
  try {
    let delivered = 0;
    await page.route((url) => url.pathname === `/databases/${db}/admin/backup`, async (route) => {
      const answer = await route.fetch(); // the server gets it and starts the backup
      delivered += answer.status() === 200 ? 1 : 0;
      await route.fulfill({ status: 504, contentType: 'text/html', body: '<html><body>504 Gateway Time-out</body></html>' });
    });
    await page.goto(`${BASE}#/backup?db=${db}`);
    await page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }).waitFor({ timeout: 20000 });
    const folder = join(BACKUP_ROOT, 'lost-answer');
    await page.getByLabel('Backup folder on the server').fill(folder);
    await page.getByRole('button', { name: 'Start one-time backup' }).click();
    const region = page.getByRole('region', { name: `Backup of database ${db}` });
    await region.getByText('Backup succeeded').waitFor({ timeout: 60000 });
    await page.getByText(/The answer to the start was lost .* It was found on the server and is followed here; no second request was sent\./).waitFor();
    const note = page.getByText(/^The backup folder on the server is /);
    await note.waitFor({ timeout: 15000 });
    const shown = (await note.textContent()).replace('The backup folder on the server is ', '').trim();
    assert.ok(shown.startsWith(folder + '/') && existsSync(shown), shown);
    assert.equal(delivered, 1, 'the server got exactly one request');
    // The server ran exactly one backup.
    const ops = await raven('GET', `/databases/${db}/operations`);
    const runs = ops.json.Results.filter((o) => o.Description?.TaskType === 'DatabaseBackup');
    assert.equal(runs.length, 1, ops.text.slice(0, 400));
  } catch (e) {
    if (process.env.E2E7_SCREENSHOTS) await page.screenshot({ path: join(process.env.E2E7_SCREENSHOTS, 'lost-answer-failed.png'), fullPage: true });
    throw e;
  } finally {
    await context.close();
  }
});
