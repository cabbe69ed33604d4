// End to end against a genuine RavenDB 4.1 server, through nginx (same
// origin, strict CSP), in headless Debian chromium driven by Playwright.
// Run by scripts/e2e_ravendb4.sh, which starts the server and nginx.
// Elements are found by role and accessible name, as a person would.
// axe-core runs on every 4.x screen state the flows reach, light and dark;
// the last test asserts that it found nothing. The shared setup is lib4.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, API, BACKUP_ROOT, SHOTS, browserForFile, api, createDatabase, openPage, connected, axeCheck, axeFindings, axeStates,
} from './lib4.mjs';

browserForFile();

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

test('back up from the dashboard, restore into a new name, and every document is equal', async () => {
  await createDatabase('Shop', 40);
  const { context, page, problems, failed } = await openPage();
  await page.goto(BASE + '#/backup?db=Shop');
  await connected(page);

  await page.getByLabel('Backup folder on the server').fill(BACKUP_ROOT);
  await page.getByRole('region', { name: 'Review the request' }).first().waitFor();
  await axeCheck(page, 'Backup form with its review (4.1)');
  // Nothing is created on the server without consent.
  await page.getByRole('button', { name: 'Start one-time backup' }).click();
  await page.getByText('Agree to the temporary task first').waitFor();
  await axeCheck(page, 'Backup refused before consent');
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
  await axeCheck(page, 'Backup succeeded, temporary task removed');

  // Restore it under a new name.
  await page.getByRole('link', { name: 'Restore' }).click();
  await page.getByRole('heading', { name: 'Restore' }).waitFor();
  await page.getByLabel('Backup folder on the server').fill(folder);
  await page.getByRole('button', { name: 'List restore points' }).click();
  await page.getByRole('combobox', { name: 'Restore up to' }).waitFor();
  await page.getByLabel('New database name').fill('ShopCopy');
  await axeCheck(page, 'Restore form with its restore points');
  await page.getByRole('button', { name: 'Restore…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Confirm the restore' });
  await confirm.getByText(`Restore backup at ${folder} into a new database ShopCopy`).waitFor();
  await axeCheck(page, 'Restore confirmation');
  await confirm.getByRole('button', { name: 'Yes, restore' }).click();
  await page.getByRole('region', { name: 'Restore of database ShopCopy' }).getByText('Restore succeeded').waitFor({ timeout: 60000 });
  await page.getByRole('link', { name: 'Back up ShopCopy now' }).waitFor();
  await axeCheck(page, 'Restore succeeded');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/ravendb41-restore-done.png`, fullPage: true });

  const source = await documents('Shop');
  const copy = await documents('ShopCopy');
  assert.equal(source.length, 40);
  assert.deepEqual(copy, source, 'every restored document equals its source');
  console.log(`answers >= 400 in this flow: ${JSON.stringify(failed)}`);
  assert.deepEqual(problems, [], `answers >= 400: ${JSON.stringify(failed)}`);
  await context.close();
});

// Issue 11 item 22: the 400 of the flaky run was a 3.x request (GET
// /admin/databases/Shop from the 3.x Backup screen, GET
// /docs/Raven/Restore/InProgress from the 3.x Restore screen) sent while the
// server's version was not known yet. Delaying the version check makes that
// race certain instead of rare.
for (const hash of ['#/backup?db=Shop', '#/restore']) {
  test(`no 3.x request reaches RavenDB 4.1 on ${hash}, even when /build/version answers last`, async () => {
    const { context, page, problems, failed } = await openPage();
    const sent = [];
    page.on('request', (r) => sent.push(`${r.method()} ${r.url().replace(API, '')}`));
    await page.route('**/build/version', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(BASE + hash);
    await connected(page);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const v3Only = sent.filter((r) => /\/docs\/Raven\/|\/admin\/databases\/[^?]/.test(r));
    assert.deepEqual(v3Only, [], `requests sent: ${JSON.stringify(sent)}`);
    assert.deepEqual(failed.filter((f) => !f.includes('/config.json')), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('a name taken after the screen read the list is refused right before the POST; nothing is sent', async () => {
  const { context, page } = await openPage();
  const restores = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/admin\/restore\/database/.test(r.url())) restores.push(r.url()); });
  await page.goto(BASE + '#/restore');
  await connected(page);
  const folders = await api('POST', '/admin/restore/points', { Path: BACKUP_ROOT });
  assert.equal(folders.status, 200, folders.text);
  const folder = folders.json.List[0].Location;
  await page.getByLabel('Backup folder on the server').fill(folder);
  await page.getByLabel('New database name').fill('Meanwhile');
  await page.getByRole('region', { name: 'Review the request' }).waitFor();
  // The database appears after the screen read the list: the list is read
  // again before the POST (a restore onto it could replace it), so nothing
  // is sent.
  await createDatabase('Meanwhile', 0);
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByRole('alertdialog', { name: 'Confirm the restore' }).getByRole('button', { name: 'Yes, restore' }).click();
  const refusal = page.getByRole('region', { name: 'The server did not start the restore' });
  await refusal.getByText('Nothing was sent: a database named "Meanwhile" exists on the server now').first().waitFor({ timeout: 15000 });
  assert.deepEqual(restores, [], 'no restore request was sent');
  await axeCheck(page, 'Restore refused before the POST');
  // What was typed is kept.
  assert.equal(await page.getByLabel('New database name').inputValue(), 'Meanwhile');
  // And a name the screen already knows is refused before any request.
  await page.getByLabel('New database name').fill('shop');
  await page.getByRole('button', { name: 'Restore…' }).click();
  await page.getByText('A database named "Shop" already exists on the server').first().waitFor();
  assert.equal(await page.getByLabel('New database name').getAttribute('aria-invalid'), 'true');
  await axeCheck(page, 'Restore form with a validation error');
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

// Issue 11 item 21: the 4.0/4.1 Backup screen renders two request reviews;
// they once shared id="review-title" and one region name (duplicate-id,
// landmark-unique on the three Backup states).
test('axe: 0 violations on every 4.x screen state reached above, light and dark', () => {
  // Eight states of the flows above, each in both themes.
  assert.equal(axeStates.length, 16, `states checked: ${JSON.stringify(axeStates)}`);
  assert.deepEqual(axeFindings, []);
});
