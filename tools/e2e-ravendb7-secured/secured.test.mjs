// A secured genuine RavenDB 7.1 behind the same-origin proxy (run by
// scripts/e2e_ravendb7_secured.sh): RavenDB admits only the client
// certificate nginx presents upstream; nginx admits only the admin's
// password (basic auth). Checked with fetch and the headers a browser
// sends, and from the dashboard's own page in a headless browser (the
// shared driver, tools/e2e/driver: E2E_BROWSER=chromium by default, or
// firefox), which holds a password and never a certificate. nginx runs the
// README's secured example, which the first test checks. A second nginx
// runs the same example presenting a certificate RavenDB does not know: its
// refusal is checked word for word, and on the dashboard's screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ENGINE, launchBrowser } from '../e2e/driver/index.mjs';
import { nginxConf, readmeSecuredSettings } from './readme.mjs';

const env = (k) => process.env[k];
const BASE = env('E2E7S_BASE_URL');
const API = env('E2E7S_API_URL');
const RAVEN = env('E2E7S_RAVEN_URL');
const USER = env('E2E7S_USER');
const PASSWORD = env('E2E7S_PASSWORD');
const STRANGER = env('E2E7S_STRANGER_URL');
const STRANGER_THUMBPRINT = env('E2E7S_STRANGER_THUMBPRINT');
assert.ok(BASE && API && RAVEN && USER && PASSWORD && STRANGER && STRANGER_THUMBPRINT,
  'run through scripts/e2e_ravendb7_secured.sh');

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = basic(USER, PASSWORD);
const REALM = 'Basic realm="Raven Backup Studio"';
// RavenDB 7.1.5's own words for a request without a client certificate
// (RequestRouter; recorded from this server).
const NO_CERT = 'This server requires client certificate for authentication, but none was provided by the client. '
  + 'Did you forget to install the certificate?\nYour certificate store may be cached by the browser. '
  + 'Create a new private browsing tab, which will not cache any certificates. (Ctrl+Shift+N in Chrome, Ctrl+Shift+P in Firefox)';
// ... and for a certificate it does not know (recorded from this server).
const UNKNOWN_CERT = `The supplied client certificate 'CN=raven-backup-studio-stranger(Thumbprint: ${STRANGER_THUMBPRINT})' `
  + 'is unknown to the server. In order to register your certificate please contact your system administrator.\n'
  + 'Your certificate store may be cached by the browser. Create a new private browsing tab, which will not cache any certificates. '
  + '(Ctrl+Shift+N in Chrome, Ctrl+Shift+P in Firefox)';
const NOT_ADMIN = ' Operator/ClusterAdmin access is required but not given to this certificate.';
const DB_ADMIN = ' DatabaseAdmin access is required but not given to this certificate.';

/** A request through nginx with a browser's same-origin headers. */
async function viaProxy(method, path, { body, auth = ADMIN, proxy = API, origin = proxy } = {}) {
  const headers = {
    Referer: BASE,
    'Sec-Fetch-Site': origin === proxy ? 'same-origin' : 'cross-site',
    'Sec-Fetch-Mode': 'cors',
    'Sec-Fetch-Dest': 'empty',
  };
  // A browser sends Origin on every same-origin request but a GET.
  if (method !== 'GET' || origin !== proxy) headers.Origin = origin;
  if (auth) headers.Authorization = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(proxy + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** Waits (at most `ms`) until `probe` returns a truthy value, which it returns. */
async function until(what, probe, ms = 60000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const databaseNames = async () => (await viaProxy('GET', '/databases')).json().Databases.map((d) => d.Name);

const VIEWPORT = { width: 1280, height: 800 };
let browser;
// The Firefox driver finds elements by role with axe-core's tree.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
before(async () => { browser = await launchBrowser({ axeSource: AXE_SOURCE, timeoutMs: 30000 }); });
after(async () => { await browser?.close(); });

/** Loads `url`; the error's text when the load itself failed, else null. */
const load = (page, url) => page.goto(url).then(() => null, (e) => e.message);

test("nginx runs the README's secured example, and RavenDB the README's settings", () => {
  const conf = readFileSync(env('E2E7S_NGINX_CONF'), 'utf8');
  assert.equal(conf, nginxConf({
    port: new URL(API).port, dir: env('E2E7S_NGINX_DIR'), www: env('E2E7S_WWW_DIR'),
    raven: RAVEN, certs: env('E2E7S_CERTS'), htpasswd: env('E2E7S_HTPASSWD'),
  }));
  const readme = readmeSecuredSettings();
  const running = JSON.parse(readFileSync(env('E2E7S_RAVEN_SETTINGS'), 'utf8'));
  assert.deepEqual(Object.keys(running).sort(), Object.keys(readme).sort(), 'the same settings');
  assert.equal(running['Setup.Mode'], readme['Setup.Mode']);
  assert.equal(new URL(running.ServerUrl).protocol, 'https:');
  assert.equal(new URL(readme.ServerUrl).protocol, 'https:');
  assert.equal(running.ServerUrl, RAVEN);
  assert.match(running['Security.Certificate.Path'], /\.pfx$/);
  assert.match(readme['Security.Certificate.Path'], /\.pfx$/);
  assert.equal(readme['Security.WellKnownCertificates.Admin'].length, 1);
  assert.equal(running['Security.WellKnownCertificates.Admin'].length, 1);
  assert.match(running['Security.WellKnownCertificates.Admin'][0], /^[0-9A-F]{40}$/, 'a SHA-1 thumbprint');
  // The password file holds a SHA-512 crypt hash, never the password.
  const htpasswd = readFileSync(env('E2E7S_HTPASSWD'), 'utf8');
  assert.match(htpasswd, new RegExp(`^${USER}:\\$6\\$`));
  assert.ok(!htpasswd.includes(PASSWORD));
});

test('with the password, through nginx: the version, a new database, a document and a one-time backup that completes', async () => {
  const version = await viaProxy('GET', '/build/version');
  assert.equal(version.status, 200, version.text);
  assert.equal(version.json().FullVersion, '7.1.5');
  assert.equal(version.json().ProductVersion, '7.1');

  const created = await viaProxy('PUT', '/admin/databases?name=Secured&replicationFactor=1',
    { body: { DatabaseName: 'Secured', Settings: {}, Disabled: false } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json().Name, 'Secured');
  assert.ok(created.json().NodesAddedTo.every((u) => u.startsWith('https://')), created.text);

  const doc = await viaProxy('PUT', '/databases/Secured/docs?id=users/1',
    { body: { Name: 'Ada', '@metadata': { '@collection': 'Users' } } });
  assert.equal(doc.status, 201, doc.text);
  assert.equal(doc.json().Id, 'users/1');

  const root = env('E2E7S_BACKUP_ROOT');
  const backup = await viaProxy('POST', '/databases/Secured/admin/backup',
    { body: { BackupType: 'Backup', LocalSettings: { Disabled: false, FolderPath: root } } });
  assert.equal(backup.status, 200, backup.text);
  const id = backup.json().OperationId;
  assert.equal(typeof id, 'number', backup.text);
  const state = await until('the backup to end', async () => {
    const s = (await viaProxy('GET', `/databases/Secured/operations/state?id=${id}`)).json();
    return s.Status === 'InProgress' ? null : s;
  });
  assert.equal(state.Status, 'Completed', JSON.stringify(state));
  const dir = state.Result.LocalBackup.BackupDirectory;
  assert.ok(dir && existsSync(`${root}/${dir}`), `the backup folder ${dir} exists`);
  assert.ok(readdirSync(`${root}/${dir}`).some((f) => f.endsWith('.ravendb-full-backup')), readdirSync(`${root}/${dir}`).join(', '));
});

test('without the password, or with a wrong one, nginx answers 401 and RavenDB never sees the request', async () => {
  const cases = [
    ['no credentials', null],
    ['a wrong password', basic(USER, `${PASSWORD}x`)],
    ['an unknown user', basic('root', PASSWORD)],
  ];
  for (const [name, auth] of cases) {
    for (const [method, path, body] of [
      ['GET', '/build/version'],
      ['GET', new URL(BASE).pathname],
      ['PUT', `/admin/databases?name=Sneaky&replicationFactor=1`, { DatabaseName: 'Sneaky', Settings: {}, Disabled: false }],
      ['POST', '/databases/Secured/admin/backup', { BackupType: 'Backup', LocalSettings: { FolderPath: '/tmp' } }],
    ]) {
      const r = await viaProxy(method, path, { body, auth });
      assert.equal(r.status, 401, `${name}: ${method} ${path}`);
      assert.equal(r.headers.get('www-authenticate'), REALM, `${name}: nginx asks for the password`);
      assert.match(r.headers.get('server') ?? '', /^nginx/);
      assert.equal(r.headers.get('raven-server-version'), null, `${name}: RavenDB did not answer ${path}`);
    }
  }
  assert.ok(!(await databaseNames()).includes('Sneaky'), 'no database was created without the password');
});

test('straight to RavenDB without the client certificate: its own 403, nothing done', async () => {
  const version = await fetch(`${RAVEN}/build/version`);
  assert.equal(version.status, 403);
  assert.deepEqual(await version.json(), { Type: 'InvalidAuth', Message: NO_CERT });

  const put = await fetch(`${RAVEN}/admin/databases?name=Direct&replicationFactor=1`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ DatabaseName: 'Direct', Settings: {}, Disabled: false }),
  });
  assert.equal(put.status, 403);
  assert.deepEqual(await put.json(), {
    Type: 'InvalidAuth',
    Message: `${NO_CERT} Operator/ClusterAdmin access is required but not given to this certificate.`,
  });
  // The basic-auth password is no key to RavenDB either.
  const withPassword = await fetch(`${RAVEN}/build/version`, { headers: { Authorization: ADMIN } });
  assert.equal(withPassword.status, 403);
  // Plain HTTP on RavenDB's port gets no answer at all.
  await assert.rejects(fetch(`${RAVEN.replace('https:', 'http:')}/build/version`));
  assert.ok(!(await databaseNames()).includes('Direct'), 'no database was created');
});

test('through nginx, a foreign Origin is still refused by RavenDB (the CSRF check stays on)', async () => {
  const r = await viaProxy('POST', '/admin/restore/points?type=Local',
    { body: { FolderPath: '/no/such/folder' }, origin: 'http://evil.example' });
  assert.equal(r.status, 403);
  assert.equal(r.text, '', "RavenDB's CSRF refusal has an empty body");
  assert.ok(r.headers.get('content-type')?.startsWith('application/json'), 'RavenDB answered, not nginx');
});

test('through a proxy presenting a certificate RavenDB does not know: its own 403, word for word, nothing done', async () => {
  const version = await viaProxy('GET', '/build/version', { proxy: STRANGER });
  assert.equal(version.status, 403, version.text);
  assert.deepEqual(version.json(), { Type: 'InvalidAuth', Message: UNKNOWN_CERT });
  const put = await viaProxy('PUT', '/admin/databases?name=Stranger&replicationFactor=1',
    { proxy: STRANGER, body: { DatabaseName: 'Stranger', Settings: {}, Disabled: false } });
  assert.equal(put.status, 403, put.text);
  assert.deepEqual(put.json(), { Type: 'InvalidAuth', Message: UNKNOWN_CERT + NOT_ADMIN });
  const backup = await viaProxy('POST', '/databases/Secured/admin/backup',
    { proxy: STRANGER, body: { BackupType: 'Backup', LocalSettings: { FolderPath: env('E2E7S_BACKUP_ROOT') } } });
  assert.equal(backup.status, 403, backup.text);
  assert.deepEqual(backup.json(), { Type: 'InvalidAuth', Message: UNKNOWN_CERT + DB_ADMIN });
  assert.ok(!(await databaseNames()).includes('Stranger'), 'no database was created');
  // The password is still nginx's business: without it, nginx's 401.
  const noPassword = await viaProxy('GET', '/build/version', { proxy: STRANGER, auth: null });
  assert.equal(noPassword.status, 401);
});

test('the dashboard is served behind the password with the strict CSP', async () => {
  const r = await fetch(BASE, { headers: { Authorization: ADMIN } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-security-policy') ?? '', /^default-src 'self'; .*connect-src 'self'; frame-ancestors 'none'$/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await r.text(), /<script[^>]+src=/);
  assert.deepEqual(await (await fetch(`${BASE}config.json`, { headers: { Authorization: ADMIN } })).json(), { serverUrl: '' });
});

test('in a browser with only the password, the dashboard connects to the secured RavenDB 7.1 and its page can write', async () => {
  // Without the password, or with a wrong one, the page is not served (a
  // headed browser would ask for the password): the load fails, or shows
  // nginx's 401 page, never the dashboard.
  // Engine difference: headless Firefox with no password to give waits at
  // the password prompt (as a headed one would), so only a wrong one is
  // tried there; Chromium fails the load at once.
  const attempts = [{ username: USER, password: `${PASSWORD}x` }];
  if (ENGINE === 'chromium') attempts.unshift(undefined);
  for (const httpCredentials of attempts) {
    const page = await browser.newPage({ viewport: VIEWPORT, httpCredentials });
    try {
      const failed = await load(page, BASE);
      const what = failed ?? await page.evaluate(() => `${document.title} | ${document.body?.innerText ?? ''}`);
      assert.match(what, /ERR_INVALID_AUTH_CREDENTIALS|401 Authorization Required/,
        `${httpCredentials ? 'a wrong' : 'no'} password: ${what}`);
      assert.equal(await page.getByRole('status').count(), 0, 'no dashboard');
    } finally {
      await page.close();
    }
  }

  const logStart = readFileSync(env('E2E7S_NGINX_ACCESS_LOG'), 'utf8').split('\n').filter(Boolean).length;
  const page = await browser.newPage({ viewport: VIEWPORT, httpCredentials: { username: USER, password: PASSWORD } });
  try {
    await page.goto(`${BASE}#/backup`);
    const status = page.getByRole('status').filter({ hasText: /Connected/ });
    await status.waitFor({ timeout: 30000 });
    const header = (await status.textContent()).trim();
    if (env('E2E7S_SCREENSHOTS')) await page.screenshot(`${env('E2E7S_SCREENSHOTS')}/connected.png`);
    assert.match(header, /Connected: RavenDB 7\.1/, `the header names the server: "${header}"`);
    // A same-origin PUT from the page (the browser sends its Origin and the password).
    const put = await page.evaluate(async () => {
      const r = await fetch('/admin/databases?name=FromThePage&replicationFactor=1', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ DatabaseName: 'FromThePage', Settings: {}, Disabled: false }),
      });
      return r.status;
    });
    assert.equal(put, 201);
    assert.ok((await databaseNames()).includes('FromThePage'));
    // The password lives in the browser's auth cache only: not in storage or the URL.
    const places = await page.evaluate(() => [location.href, JSON.stringify(localStorage), JSON.stringify(sessionStorage)]);
    for (const p of places) assert.ok(!p.includes(PASSWORD), 'the password is not in storage or the URL');
  } finally {
    await page.close();
  }
  // nginx refused none of the page's requests (its log since the page
  // opened). The browser sends the password after nginx's first 401 for a
  // path outside the page's folder (basic auth's challenge, as a headed
  // browser does without asking again): each such 401 is followed by the
  // same request answered. /favicon.ico is left out: the dashboard names
  // its icon (./favicon-<hash>.svg) and never asks for it, but Chromium asks
  // for it on behalf of the 401 pages of the attempts above, and nginx may
  // log that after this page's window opened (seen in a CI run).
  const logged = readFileSync(env('E2E7S_NGINX_ACCESS_LOG'), 'utf8').split('\n').slice(logStart).filter(Boolean)
    .map((l) => ({ user: l.split(' ')[2], request: l.split('"')[1], status: l.split('"')[2].trim().split(' ')[0] }))
    .filter((l) => !l.request.startsWith('GET /favicon.ico '));
  assert.ok(logged.some((l) => l.request === 'GET /build/version HTTP/1.1' && l.status === '200'),
    'the page asked RavenDB through nginx');
  logged.forEach((l, i) => {
    assert.notEqual(l.status, '403', `refused: ${l.request}`);
    if (l.status === '401') {
      assert.equal(l.user, '-', 'a 401 only to a request without the password');
      assert.ok(logged.slice(i + 1).some((m) => m.request === l.request && m.user === USER && m.status.startsWith('2')),
        `${l.request} was sent again with the password and answered`);
    }
  });
});

test('through the proxy with the unknown certificate, the dashboard says in plain words that RavenDB refused the certificate, and shows its words', async () => {
  const page = await browser.newPage({ viewport: VIEWPORT, httpCredentials: { username: USER, password: PASSWORD } });
  try {
    await page.goto(`${STRANGER}${new URL(BASE).pathname}#/backup`);
    const status = page.getByRole('status').filter({ hasText: /Client certificate refused/ });
    await status.waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Server settings' }).click();
    const panel = page.getByRole('region', { name: 'Server', exact: true });
    await panel.getByText('The server did not accept the client certificate', { exact: false }).waitFor();
    const text = await panel.textContent();
    if (env('E2E7S_SCREENSHOTS')) await page.screenshot(`${env('E2E7S_SCREENSHOTS')}/certificate-refused.png`);
    assert.ok(text.includes(UNKNOWN_CERT.split('\n')[0]), `RavenDB's own words are on screen: ${text}`);
    assert.match(text, /proxy_ssl_certificate|Security\.WellKnownCertificates\.Admin/, 'what to do next');
    assert.doesNotMatch(text, /administrator rights|AnonymousAccess|lost/i, 'not a 3.x admin hint');
    const whole = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(whole, /administrator rights|AnonymousAccess/i, 'no field hint calls it a missing admin either');
  } finally {
    await page.close();
  }
});
