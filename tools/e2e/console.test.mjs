// A fresh deploy (dist/ as built, default config.json included) loads with a
// clean console: no error, no request answered 4xx/5xx or failed, and the
// icon the page links is served (issue 11 item 15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setup, browser, connected, until, BASE, WWW_DIR } from './lib.mjs';

setup();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('a fresh deploy loads with no console error and no failed request', async () => {
  // Another flow may have replaced config.json: put back the one dist/ ships.
  assert.ok(existsSync(`${ROOT}dist/config.json`), 'dist/ ships a default config.json');
  copyFileSync(`${ROOT}dist/config.json`, `${WWW_DIR}/config.json`);

  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    const answered = new Set();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      answered.add(r.url());
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });

    await page.goto(BASE);
    await connected(page);
    // The page links its icon, and the browser got it.
    const icon = await page.locator('link[rel="icon"]').evaluate((l) => l.href);
    const got = await fetch(icon);
    assert.equal(got.status, 200, icon);
    assert.match(got.headers.get('content-type') ?? '', /^image\//);
    await until(`the browser fetched the icon ${icon}`, () => answered.has(icon), 10000);
    // config.json was read (the default: this page's origin).
    assert.ok(answered.has(`${BASE}config.json`), [...answered].join('\n'));
    await page.waitForLoadState('networkidle');
    assert.deepEqual(problems, [], 'a clean console');
  } finally {
    await context.close();
  }
});
