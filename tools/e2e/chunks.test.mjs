// The screens that load from their own wasm file when first shown
// (scripts/split_wasm.sh, docs/size.md "The split"): when that file does not
// arrive (the connection drops, the web server answers 404 after a new
// deploy), the screen says so in plain words and what to do, instead of a
// blank area or a crash, and "Try again" loads it once the file is there.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { setup, test, open, WWW_DIR } from './lib.mjs';

setup();

const LAZY = /^(split|chunk)_\w+-[0-9a-f]{16}\.wasm$/;

test('the release build has the Restore and Operations screens in files of their own', () => {
  const files = readdirSync(WWW_DIR);
  for (const screen of ['restore', 'operations']) {
    assert.ok(files.some((f) => LAZY.test(f) && f.startsWith(`split_${screen}-`)),
      `dist/ has split_${screen}-<hash>.wasm: ${files.join(', ')}`);
  }
});

for (const [how, block] of [
  ['the connection drops', {}],
  ['the web server answers 404', { status: 404 }],
]) {
  test(`when the Restore screen's file does not arrive (${how}), the screen says what to do, and Try again loads it`, async () => {
    const { page } = await open('#/backup');
    await page.blockRequests(/\/split_restore-[0-9a-f]{16}\.wasm$/, block);
    await page.getByRole('link', { name: 'Restore', exact: true }).click();
    const alert = page.getByRole('alert', { name: 'This screen could not be loaded' });
    await alert.waitFor();
    const text = await alert.textContent();
    assert.match(text, /did not arrive from the web server/, text);
    assert.match(text, /try again\. If it fails again, reload the page/, text);
    assert.equal(await page.getByRole('heading', { name: 'Restore', level: 1 }).count(), 0);
    // The rest of the app still works: the Backup screen is in the main wasm.
    await page.getByRole('link', { name: 'Backup', exact: true }).click();
    await page.getByRole('heading', { name: 'Backup', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Restore', exact: true }).click();
    await alert.waitFor();

    await page.unblockRequests();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Restore', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Verify a backup by restoring it' }).waitFor();
    await page.getByRole('alert', { name: 'This screen could not be loaded' }).waitFor({ state: 'detached' });
  });
}

test('each split screen loads from its file on the first visit to it', async () => {
  const { page } = await open('#/operations');
  await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Restore', exact: true }).click();
  await page.getByRole('heading', { name: 'Restore', level: 1 }).waitFor();
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname.split('/').pop())
    .filter((n) => /^(split|chunk)_/.test(n)));
  for (const screen of ['operations', 'restore']) {
    assert.ok(loaded.some((n) => n.startsWith(`split_${screen}-`)), `split_${screen} was fetched: ${loaded.join(', ')}`);
  }
});
