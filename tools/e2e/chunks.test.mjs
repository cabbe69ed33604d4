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

test('the release build has the Restore and Operations screens and each Backup body in files of their own', () => {
  const files = readdirSync(WWW_DIR);
  for (const screen of ['restore', 'operations', 'backup3', 'backup4']) {
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

// The Backup screen's body (here the 3.x one: the devserver is RavenDB 3.5)
// is in its own file; the database field with the server's databases is in
// the main wasm, so the list is there even when that file does not arrive.
for (const [how, block] of [
  ['the connection drops', {}],
  ['the web server answers 404', { status: 404 }],
]) {
  test(`when the Backup screen's file does not arrive (${how}), the database list is still shown, and Try again loads the form`, async () => {
    const { page } = await open('#/operations');
    await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
    await page.blockRequests(/\/split_backup3-[0-9a-f]{16}\.wasm$/, block);
    await page.getByRole('link', { name: 'Backup', exact: true }).click();
    const alert = page.getByRole('alert', { name: 'This screen could not be loaded' });
    await alert.waitFor();
    assert.match(await alert.textContent(), /did not arrive from the web server/);
    await page.getByRole('heading', { name: 'Backup', level: 1 }).waitFor();
    // The list: the field's hint counts the server's databases, and its
    // suggestions hold them.
    const field = page.getByRole('combobox', { name: 'Database', exact: true });
    await page.getByText(/Type to choose among the \d+ databases on the server/).waitFor();
    const suggested = await field.evaluate((el) => [...el.list.options].map((o) => o.value));
    assert.ok(suggested.includes('Northwind'), `suggestions: ${suggested.join(', ')}`);
    await field.fill('Northwind');
    assert.equal(await page.getByRole('textbox', { name: 'Backup folder on the server' }).count(), 0);

    await page.unblockRequests();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill('e2e/chunk-retry');
    await alert.waitFor({ state: 'detached' });
    assert.equal(await field.inputValue(), 'Northwind', 'what was typed before the form came is kept');
    // The form uses the name typed in the frame's field.
    await page.getByRole('region', { name: 'Review the request' }).getByText('Northwind').first().waitFor();
    // A refused start still marks the frame's field (the body writes its error).
    await field.fill('');
    await page.getByRole('button', { name: 'Start backup' }).click();
    await page.getByRole('alert').filter({ hasText: 'The backup cannot start yet' }).waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const described = await field.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? ''));
    assert.ok(described.includes('Choose what to back up.'), `the field's error is named by aria-describedby: ${described}`);
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
  // No Backup body yet; then only the 3.x one (the devserver is RavenDB 3.5).
  assert.ok(!loaded.some((n) => n.startsWith('split_backup')), loaded.join(', '));
  await page.getByRole('link', { name: 'Backup', exact: true }).click();
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).waitFor();
  const now = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname.split('/').pop())
    .filter((n) => /^split_backup/.test(n)));
  assert.ok(now.length === 1 && now[0].startsWith('split_backup3-'), `only the 3.x body: ${now.join(', ')}`);
});

// The database list never waits on the Backup body's file: held on its way
// (no answer yet), the field already suggests the server's databases, and
// the loading line is a status; the form comes when the file does.
test('while the Backup screen\'s file is still on its way, the database list is there and the loading line is a status', async () => {
  const { page } = await open('#/operations');
  await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
  await page.blockRequests(/\/split_backup3-[0-9a-f]{16}\.wasm$/, { hold: true });
  await page.getByRole('link', { name: 'Backup', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Loading this screen…' }).waitFor();
  const field = page.getByRole('combobox', { name: 'Database', exact: true });
  await page.getByText(/Type to choose among the \d+ databases on the server/).waitFor();
  const suggested = await field.evaluate((el) => [...el.list.options].map((o) => o.value));
  assert.ok(suggested.includes('Northwind'), `suggestions: ${suggested.join(', ')}`);
  assert.equal(await page.getByRole('textbox', { name: 'Backup folder on the server' }).count(), 0);

  await page.unblockRequests();
  await page.getByRole('textbox', { name: 'Backup folder on the server' }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Loading this screen…' }).waitFor({ state: 'detached' });
});
