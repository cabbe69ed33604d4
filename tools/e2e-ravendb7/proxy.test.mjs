// The same-origin proxy in front of a genuine RavenDB 7.1 (run by
// scripts/e2e_ravendb7.sh): RavenDB 5.x+ refuses with 403 any request whose
// Origin does not match its Host, and the harness's nginx passes the
// browser's Host (docs/deploy-ravendb7.md). Checked with the headers a
// browser sends, and from the dashboard's own page in headless chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestJson } from '../e2e/http.mjs';
import { API, BASE, BACKUP_ROOT, RAVEN, VERSION, apiBackup, chromiumForFile, raven } from './lib7.mjs';

const browser = chromiumForFile();

/** A request with a browser's same-origin headers (and the given Origin). */
async function asBrowser(method, path, body, origin = API) {
  return requestJson(API, method, path, body, {
    Origin: origin,
    Referer: BASE,
    'Sec-Fetch-Site': origin === API ? 'same-origin' : 'cross-site',
    'Sec-Fetch-Mode': 'cors',
    'Sec-Fetch-Dest': 'empty',
  });
}

test('a write with the dashboard\'s own Origin passes the proxy; a foreign Origin is still refused', async () => {
  const missing = '/no/such/backup/folder';
  const own = await asBrowser('POST', '/admin/restore/points?type=Local', { FolderPath: missing });
  assert.notEqual(own.status, 403, 'the own origin is not refused');
  assert.match(own.text, /doesn't exist/, `RavenDB ran the handler: ${own.text.slice(0, 200)}`);

  const created = await asBrowser('PUT', '/admin/databases?name=ProxyCheck&replicationFactor=1',
    { DatabaseName: 'ProxyCheck', Settings: {}, Disabled: false });
  assert.equal(created.status, 201, created.text);

  const evil = await asBrowser('POST', '/admin/restore/points?type=Local', { FolderPath: missing }, 'http://evil.example');
  assert.equal(evil.status, 403, 'CSRF protection stays on for other origins');
  assert.equal(evil.text, '', 'RavenDB\'s refusal has an empty body');

  // Without the proxy's Host handling, the same request is refused: this is
  // what the nginx line fixes.
  const direct = await fetch(RAVEN + '/admin/restore/points?type=Local', {
    method: 'POST',
    headers: { Origin: API, 'Content-Type': 'application/json' },
    body: JSON.stringify({ FolderPath: missing }),
  });
  assert.equal(direct.status, 403);
});

test(`the dashboard connects to RavenDB ${VERSION} and its page can write through the proxy`, async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  const refused = [];
  page.on('response', (r) => { if (r.status() === 403) refused.push(`${r.request().method()} ${r.url()}`); });
  await page.goto(BASE + '#/backup');
  await page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }).waitFor({ timeout: 20000 });
  // A same-origin PUT from the page: chromium sends its Origin, as the
  // dashboard's own writes do.
  const status = await page.evaluate(async () => {
    const r = await fetch('/admin/databases?name=FromThePage&replicationFactor=1', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ DatabaseName: 'FromThePage', Settings: {}, Disabled: false }),
    });
    return r.status;
  });
  assert.equal(status, 201);
  const dbs = await (await fetch(API + '/databases')).json();
  assert.ok(dbs.Databases.some((d) => d.Name === 'FromThePage'), JSON.stringify(dbs.Databases.map((d) => d.Name)));
  assert.deepEqual(refused, [], 'no request of the page was refused');
  await context.close();
});

test(`the Restore screen lists a folder's restore points on RavenDB ${VERSION} (?type=Local, FolderPath)`, async () => {
  const folder = `${BACKUP_ROOT}/points`;
  const created = await raven('PUT', '/admin/databases?name=PointsCheck&replicationFactor=1',
    { DatabaseName: 'PointsCheck', Settings: {}, Disabled: false });
  assert.equal(created.status, 201, created.text);
  // Backed up over the API, waited for until the server says it completed.
  await apiBackup('PointsCheck', folder);

  const context = await browser().newContext();
  const page = await context.newPage();
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
  await page.goto(BASE + '#/restore');
  await page.getByRole('status').filter({ hasText: `Connected: RavenDB ${VERSION}` }).waitFor({ timeout: 20000 });
  await page.getByLabel('Backup folder on the server').fill(folder);
  await page.getByRole('button', { name: 'List restore points' }).click();
  const points = page.getByRole('combobox', { name: 'Restore up to' });
  await points.waitFor({ timeout: 20000 });
  const options = await points.locator('option').allTextContents();
  assert.equal(options.length, 2, `the latest point and the one backup: ${JSON.stringify(options)}`);
  assert.match(options[1], /ravendb-full-backup \(full\)$/, options[1]);
  assert.deepEqual(failed, [], 'no request of the page failed');
  await context.close();
});
