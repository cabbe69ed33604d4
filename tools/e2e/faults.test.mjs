// Faults injected with the devserver's control endpoints, seen through nginx.
import { beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import {
  test, setup, reset, api, control, open, progress, fillBackup, startRestore, apiBackup,
  DIRECT, WWW_DIR, until,
} from './lib.mjs';

setup();
beforeEach(async () => { await reset(); await reset(DIRECT); });
afterEach(() => { rmSync(`${WWW_DIR}/config.json`, { force: true }); });

/** How soon a restart must show as "Lost" (see the test below). */
const LOST_WITHIN_MS = 10000;

async function startNorthwindBackup(page, location) {
  await fillBackup(page, 'Northwind', location);
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText(/running/).waitFor({ timeout: 15000 });
}

test('the server goes away during a backup and comes back: reconnecting, then the truth', async () => {
  await control('op-step', { ms: 300 });
  const { page } = await open('#/backup');
  await startNorthwindBackup(page, 'e2e/outage');
  await control('outage', { ms: 4000 });
  await progress(page).getByText(/reconnecting to the server/).waitFor({ timeout: 15000 });
  await page.getByText(/^Reconnecting: /).waitFor();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 60000 });
  assert.equal(await page.getByText(/reconnecting to the server/).count(), 0);
  const files = await control('backup-files');
  assert.ok(files.includes('e2e/outage/Database.Document'), JSON.stringify(files));
});

test('a restart loses the operation: the UI ends with "Lost", no endless spinner', async () => {
  await control('op-step', { ms: 300 });
  const { page } = await open('#/backup');
  await startNorthwindBackup(page, 'e2e/restart');
  const t0 = Date.now();
  await control('restart', {});
  // The waiting limit is far above the bound checked next, so the bound can fail.
  await progress(page).getByText('Lost: the outcome is unknown').waitFor({ timeout: 90000 });
  const took = Date.now() - t0;
  // A restart deletes the interrupted backup's status document (as RavenDB
  // 3.5 does at startup). src/api/poll.rs: once the operation id answers
  // 404 and the document is read as missing, "Lost" follows at once; the
  // two reads are at most PollConfig::max_delay_ms (3 s) apart, so within
  // 2 x 3 s of the restart, plus 4 s of slack for a loaded machine. (Had
  // the document stayed, "Lost" would wait for settle_ms, 15 s: too late.)
  assert.ok(took <= LOST_WITHIN_MS, `"Lost" after ${took} ms, more than ${LOST_WITHIN_MS} ms`);
  await progress(page).getByText('Backup: outcome unknown (lost).').waitFor();
  assert.equal(await progress(page).getByRole('progressbar').count(), 0, 'no spinner left');
  assert.equal(await page.getByText('Backup succeeded').count(), 0);
});

test('a 500 with a stack trace on start: first line, and the rest under "Details from the server"', async () => {
  const error = 'System.InvalidOperationException: The backup destination is locked (injected)\r\n'
    + '   at Raven.Database.Actions.MaintenanceActions.StartBackup(String backupDestinationDirectory)\r\n'
    + '   at Raven.Database.Server.Controllers.Admin.AdminController.Backup()';
  await control('faults', {
    method: 'POST', pathPrefix: '/databases/Northwind/admin/backup', status: 500,
    contentType: 'application/json',
    body: JSON.stringify({ Url: '/databases/Northwind/admin/backup?incremental=false', Error: error }),
  });
  const { page } = await open('#/backup');
  await fillBackup(page, 'Northwind', 'e2e/500');
  await page.getByRole('button', { name: 'Start backup' }).click();
  const region = page.getByRole('region', { name: 'The server did not start the backup' });
  await region.waitFor();
  await region.getByText('The backup destination is locked (injected)').first().waitFor();
  const details = region.getByText('Details from the server');
  await details.waitFor();
  // The stack trace is behind the disclosure, not in the headline.
  const trace = region.getByText(/at Raven\.Database\.Actions\.MaintenanceActions\.StartBackup/);
  assert.equal(await trace.isVisible(), false);
  await details.click();
  await trace.waitFor({ state: 'visible' });
});

test('a plain-text 400 on restore is shown in the server\'s words', async () => {
  await apiBackup('Northwind', 'e2e/400');
  const words = 'Restore refused by the server: the backup folder is being written (injected)';
  await control('faults', {
    method: 'POST', pathPrefix: '/admin/restore', status: 400, contentType: 'text/plain; charset=utf-8', body: words,
  });
  const { page } = await open('#/restore');
  await startRestore(page, 'e2e/400', 'Refused');
  const region = page.getByRole('region', { name: 'The server did not start the restore' });
  await region.getByText(words).first().waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'New database name' }).inputValue(), 'Refused');
});

test('slow responses past the time limit (config.json requestTimeoutMs) are said as such', async () => {
  writeFileSync(`${WWW_DIR}/config.json`, JSON.stringify({ requestTimeoutMs: 2000 }));
  await control('faults', { pathPrefix: '/build/version', delayMs: 4000, count: 20 });
  const { page } = await open('#/backup', { waitConnected: false });
  await page.getByRole('status').filter({ hasText: 'Server too slow to answer' }).waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Server settings' }).click();
  const panel = page.getByRole('region', { name: 'Server', exact: true });
  await panel.getByText(/did not answer within 2000 ms/).first().waitFor();
  // Once the server is fast again, "Check again" connects.
  await api('DELETE', '/__devserver/faults');
  await panel.getByRole('button', { name: 'Check again' }).click();
  await page.getByRole('status').filter({ hasText: 'Connected: RavenDB 3.5' }).waitFor({ timeout: 20000 });

  // During a backup, status reads slower than the limit: reconnecting, then the truth.
  await control('op-step', { ms: 300 });
  await fillBackup(page, 'Northwind', 'e2e/slow');
  await page.getByRole('button', { name: 'Start backup' }).click();
  await progress(page).getByText(/running/).waitFor({ timeout: 15000 });
  await control('faults', { method: 'GET', pathPrefix: '/databases/Northwind/', delayMs: 3000, count: 4 });
  await progress(page).getByText(/reconnecting to the server/).waitFor({ timeout: 20000 });
  await progress(page).getByText(/did not answer within 2000 ms/).first().waitFor();
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 60000 });
});

test('CORS refusal: a server without CORS is "Blocked by CORS" and the setting is explained', async () => {
  const { page } = await open('#/backup');
  await page.getByRole('button', { name: 'Server settings' }).click();
  const url = page.getByRole('textbox', { name: 'RavenDB server URL' });
  await url.fill(DIRECT);
  await page.getByRole('button', { name: 'Save and check' }).click();
  await page.getByRole('status').filter({ hasText: 'Blocked by CORS' }).waitFor({ timeout: 20000 });
  const panel = page.getByRole('region', { name: 'Server', exact: true });
  await panel.getByText(/AccessControlAllowOrigin/).first().waitFor();
  // The request did reach that server (it is CORS, not a network failure).
  const reqs = await api('GET', '/__devserver/requests', undefined, DIRECT);
  assert.ok(reqs.json.some((r) => r.path === '/build/version'), reqs.text);
  await page.getByRole('button', { name: 'Use default' }).click();
  await page.getByRole('status').filter({ hasText: 'Connected: RavenDB 3.5' }).waitFor();
});
