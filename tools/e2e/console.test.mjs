// A fresh deploy (dist/ as built, default config.json included) loads with a
// clean console: no error in the console, and no request the page made was
// answered 4xx/5xx (read from nginx's access log, the same in every engine),
// including the icon and config.json (issue 11 item 15).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setup, test, open, until, BASE, WWW_DIR, NGINX_ACCESS_LOG } from './lib.mjs';

setup();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const logText = () => (existsSync(NGINX_ACCESS_LOG) ? readFileSync(NGINX_ACCESS_LOG, 'utf8') : '');
// nginx's default "combined" line: ... "GET /path HTTP/1.1" 200 ...
const requests = (text) => text.split('\n').filter(Boolean).map((line) => {
  const m = /"(\w+) (\S+) [^"]*" (\d{3}) /.exec(line);
  return m ? { method: m[1], path: m[2], status: Number(m[3]), line } : { line, status: 0 };
});

test('a fresh deploy loads with no console error and no failed request', async () => {
  // Another flow may have replaced config.json: put back the one dist/ ships.
  assert.ok(existsSync(`${ROOT}dist/config.json`), 'dist/ ships a default config.json');
  copyFileSync(`${ROOT}dist/config.json`, `${WWW_DIR}/config.json`);
  const before = logText().length;

  const s = await open('#/backup');
  const icon = await s.page.evaluate(() => document.querySelector('link[rel="icon"]')?.href ?? null);
  assert.ok(icon, 'the page links an icon');
  const got = await fetch(icon);
  assert.equal(got.status, 200, icon);
  assert.match(got.headers.get('content-type') ?? '', /^image\//);

  const sub = new URL(BASE).pathname;
  await until('the page read config.json', () =>
    requests(logText().slice(before)).some((r) => r.path === `${sub}config.json`), 10000);
  // The database list is read once connected: wait for it, so every request
  // of the first load is in the log.
  await until('the page read the database list', () =>
    requests(logText().slice(before)).some((r) => r.path.startsWith('/databases')), 15000);
  const failed = requests(logText().slice(before)).filter((r) => r.status >= 400 || r.status === 0);
  assert.deepEqual(failed.map((r) => r.line), [], 'no request of the first load failed');
  assert.deepEqual(s.console.filter((m) => m.startsWith('error')), [], 'a clean console');
});
