// Two genuine RavenDB servers (7.1.5 unless E2E7_VERSION says otherwise) in
// one browser (issue 18): server A behind nginx at the page's own origin,
// server B (started fresh by this file) behind the same nginx under
// /raven-b/ (scripts/e2e_ravendb7.sh proxies it, same origin). A one-time
// backup of a database of the same name on each, from the Backup screen,
// switching the server under Server settings in between: both servers
// answer operation id 1, node A. Each is followed to its own end on its own
// server, and the Operations screen lists both, each under its server,
// before and after a reload, and follows each again on its own server.
// Elements are found by role and accessible name.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, launch, ravenAt, until, createDatabase, logged, open, shown,
  startServerB, stopServerB, API, API_B, RAVEN, BACKUP_ROOT, VERSION,
} from './lib7.mjs';

let browser;
let ravenB;
before(async () => {
  [browser, ravenB] = await Promise.all([launch(), startServerB()]);
});
after(async () => {
  await browser?.close();
  await stopServerB();
});

const DB = 'Twin';
const FOLDER_A = `${BACKUP_ROOT}/two-servers-a`;
const FOLDER_B = `${BACKUP_ROOT}/two-servers-b`;
const HERE_TABLE = 'Backups and restores started from this browser, newest first';
// The row of the backup of Twin, operation 1 on node A, once it succeeded.
const TWIN_ROW = new RegExp(`^Database backup ${DB} 1 A .*succeeded`);

/** A poll of Twin's operation 1, answered 200, on A (prefix '') or B ('/raven-b'). */
function pollOfOne(prefix) {
  const re = new RegExp(`^200 GET ${prefix}/databases/${DB}/operations/state\\?id=1(&|$)`);
  return (line) => re.test(line);
}

/** The state of operation `id` of database Twin, read on the server at `base`. */
async function twinState(base, id) {
  return ravenAt(base, 'GET', `/databases/${DB}/operations/state?id=${id}`);
}

/** Opens Server settings, saves `url` and waits until the page uses it and is connected. */
async function switchServer(page, url, { useDefault = false } = {}) {
  const panel = page.getByRole('region', { name: 'Server', exact: true });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Server settings' }).click();
  await shown(page, panel);
  const checksBefore = logged(/^GET \S*\/build\/version/).length;
  if (useDefault) {
    await panel.getByRole('button', { name: 'Use default' }).click();
    await shown(page, panel.getByText(`In use: ${url} (this page's own address)`));
  } else {
    await panel.getByRole('textbox', { name: 'RavenDB server URL' }).fill(url);
    await panel.getByRole('button', { name: 'Save and check' }).click();
    await shown(page, panel.getByText(`In use: ${url} (your setting in this browser)`));
  }
  // The server check went to the new server and it answered.
  const path = url === API_B ? '/raven-b/build/version' : '/build/version';
  await until(`the server check on ${url}`, () => logged(/^GET \S*\/build\/version/).slice(checksBefore)
    .some((l) => l.startsWith(`200 GET ${path}`)), 30000);
  await shown(page, page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }), { timeout: 30000 });
  await panel.getByRole('button', { name: 'Close' }).click();
}

/** On the Backup screen: a one-time backup of Twin into `folder`, followed to "Backup succeeded". */
async function backUpTwin(page, folder) {
  await page.getByRole('link', { name: 'Backup', exact: true }).click();
  await shown(page, page.getByRole('heading', { name: 'Backup', level: 1 }));
  await page.getByRole('combobox', { name: 'Database', exact: true }).fill(DB);
  await shown(page, page.getByText(`Database ${DB} on the server.`));
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(folder);
  await shown(page, page.getByRole('region', { name: 'Review the request' }));
  await page.getByRole('button', { name: 'Start one-time backup' }).click();
  const panel = page.getByRole('region', { name: `Backup of database ${DB}` });
  // The folder (under the panel) names this backup: A's and B's differ,
  // so an earlier panel cannot pass for this one.
  await shown(page, page.getByText(`The backup folder on the server is ${folder}/`), { timeout: 60000 });
  await shown(page, panel.getByText('Backup succeeded'));
  return (await page.getByText(/The backup folder on the server is /).textContent())
    .replace('The backup folder on the server is ', '').trim();
}

/**
 * The Operations screen on the server `here` (the other one is `there`):
 * Twin's backup under the server in use, with its Follow button, and the
 * other server's under "On <there>", without one; both succeeded, id 1.
 */
async function operationsShowBoth(page, here, there) {
  await page.getByRole('link', { name: 'Operations' }).click();
  await shown(page, page.getByRole('heading', { name: 'Operations', level: 1 }));
  const local = page.getByRole('region', { name: 'Started from this browser' });
  const mine = local.getByRole('table', { name: HERE_TABLE });
  await shown(page, mine.getByRole('row', { name: TWIN_ROW }));
  assert.equal(await mine.getByRole('row', { name: /^Database backup / }).count(), 1, 'one entry of the server in use');
  assert.equal(await mine.getByRole('button', { name: /^Follow / }).count(), 1);
  await shown(page, local.getByRole('heading', { name: `On ${there}`, exact: true }));
  const theirs = local.getByRole('table', { name: `Started from this browser on ${there}`, exact: true });
  await shown(page, theirs.getByRole('row', { name: TWIN_ROW }));
  assert.equal(await theirs.getByRole('row', { name: /^Database backup / }).count(), 1, "one entry of the other server");
  await shown(page, theirs.getByText('Not on the server in use'));
  assert.equal(await theirs.getByRole('button', { name: /^Follow / }).count(), 0, "the other server's entry is not followed here");
  // No heading for the server in use, nor for an unknown server.
  assert.equal(await local.getByRole('heading', { name: `On ${here}`, exact: true }).count(), 0);
  assert.equal(await local.getByRole('heading', { name: 'Server unknown' }).count(), 0);
  return { local, mine };
}

/** Follows Twin's entry of the server in use again, to "Backup succeeded". */
async function followAgain(page, mine) {
  await mine.getByRole('button', { name: /^Follow database backup of Twin/ }).click();
  const panel = page.getByRole('region', { name: `Backup of database ${DB}` });
  await shown(page, panel.getByText('Backup succeeded'), { timeout: 30000 });
}

test(`a backup on each of two servers, both operation 1 on node A, each followed to its own end and listed under its own server, across a reload (RavenDB ${VERSION})`, async () => {
  // The same database name on both, of different sizes.
  await createDatabase(DB, 40);
  await createDatabase(DB, 70, ravenB);
  const { page, problems } = await open(browser, '#/backup');

  // On A (the page's own origin).
  const dirA = await backUpTwin(page, FOLDER_A);
  assert.match(dirA, new RegExp(`^${FOLDER_A}/.*ravendb-${DB}-A-backup$`), dirA);
  assert.deepEqual(logged(new RegExp(`^POST \\S*/databases/${DB}/admin/backup`)),
    [`200 POST /databases/${DB}/admin/backup`], 'one start, on A');

  // Switched to B under Server settings, no reload.
  await switchServer(page, API_B);
  const dirB = await backUpTwin(page, FOLDER_B);
  assert.match(dirB, new RegExp(`^${FOLDER_B}/.*ravendb-${DB}-A-backup$`), dirB);
  assert.deepEqual(logged(new RegExp(`^POST \\S*/databases/${DB}/admin/backup`)),
    [`200 POST /databases/${DB}/admin/backup`, `200 POST /raven-b/databases/${DB}/admin/backup`], 'then one on B');

  // Both servers numbered their backup 1: each server's operation 1 is
  // that backup, completed, of its own documents; neither has a second.
  for (const [base, docs] of [[RAVEN, 40], [ravenB, 70]]) {
    const one = await twinState(base, 1);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.Status, 'Completed', one.text);
    assert.equal(one.json.Result.Documents.ReadCount, docs, one.text.slice(0, 400));
    const two = await twinState(base, 2);
    assert.equal(two.status, 404, two.text);
  }
  // Each was followed on its own server, and only there.
  const polls = logged(new RegExp(`^GET \\S*/databases/${DB}/operations/state\\?id=`));
  assert.ok(polls.some(pollOfOne('')), polls.join('\n'));
  assert.ok(polls.some(pollOfOne('/raven-b')), polls.join('\n'));
  assert.deepEqual(polls.filter((l) => !l.startsWith('200 ')), [], 'every poll answered 200');

  // The Operations screen, on B: B's entry to follow, A's under A.
  let { mine } = await operationsShowBoth(page, API_B, API);
  // After a reload (still on B, the setting kept): the same, and B's
  // entry is followed again on B.
  await page.reload();
  await shown(page, page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }), { timeout: 30000 });
  ({ mine } = await operationsShowBoth(page, API_B, API));
  const pollsBefore = polls.length;
  await followAgain(page, mine);
  const newPolls = () => logged(new RegExp(`^GET \\S*/databases/${DB}/operations/state\\?id=`)).slice(pollsBefore);
  assert.ok(newPolls().length > 0 && newPolls().every(pollOfOne('/raven-b')),
    newPolls().join('\n'));

  // Back to A ("Use default": the page's own origin), then reloaded: A's
  // entry to follow, B's under B; A's followed again on A.
  await switchServer(page, API, { useDefault: true });
  await page.reload();
  await shown(page, page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }), { timeout: 30000 });
  ({ mine } = await operationsShowBoth(page, API, API_B));
  const onB = newPolls().length;
  await followAgain(page, mine);
  const onA = newPolls().slice(onB);
  assert.ok(onA.length > 0 && onA.every(pollOfOne('')), onA.join('\n'));

  assert.deepEqual(problems, [], 'no console or page errors');
  await page.close();
});
