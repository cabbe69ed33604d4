// Static hosting as users deploy it: dist/ from a sub-path of nginx, strict
// CSP with no inline script or style, right types, caching and compression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, BASE } from './lib.mjs';

setup();

test('nginx serves dist/ at the sub-path with the CSP, types, caching and gzip', async () => {
  const index = await fetch(BASE, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(index.status, 200);
  const csp = index.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  // No inline script or style: every script has a src, no style element or attribute.
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), html);
  assert.ok(!/<style[\s>]/i.test(html) && !/\sstyle=/i.test(html), html);
  const assets = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css|wasm))"/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), html);
  for (const a of assets) {
    const r = await fetch(BASE + a, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(r.status, 200, a);
    assert.match(r.headers.get('cache-control') ?? '', /max-age=31536000/, `${a} is cached long`);
    assert.ok(r.headers.get('content-security-policy'), `${a} carries the CSP`);
  }
  const js = assets.find((a) => /raven-backup-studio-[0-9a-f]+\.js$/.test(a))
    ?? assets.find((a) => a.startsWith('raven-backup-studio'));
  const wasmName = js.replace(/\.js$/, '_bg.wasm');
  const wasm = await fetch(BASE + wasmName, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(wasm.status, 200, wasmName);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.match(wasm.headers.get('cache-control'), /immutable/);
  // undici decodes gzip transparently; the raw header still says it was compressed.
  assert.equal(wasm.headers.get('content-encoding'), 'gzip');
  const config = await fetch(BASE + 'config.json');
  assert.equal(config.status, 404, 'no config.json by default');
  assert.equal(config.headers.get('cache-control'), 'no-cache');
});

test('the page runs under the CSP from the sub-path, on every screen', async () => {
  const { page } = await open('#/backup');
  for (const [link, heading] of [['Restore', 'Restore'], ['Operations', 'Operations'], ['Backup', 'Backup']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }
  assert.ok(page.url().startsWith(BASE), page.url());
});
