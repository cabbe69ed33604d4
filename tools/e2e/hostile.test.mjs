// Hostile input: names, paths and server messages with markup, quotes, RTL
// and emoji render as text and execute nothing; a 5 MB message stays usable.
import { beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, setup, reset, api, control, open, progress, fillBackup, startRestore, apiBackup, sleep,
} from './lib.mjs';

setup();
beforeEach(async () => { await reset(); });

const HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"quotes"', 'שלום', '🦅😀'];

/** No element was injected into <main> from text, and no dialog opened. */
async function assertInert(s) {
  const injected = await s.page.evaluate(() => document.querySelectorAll('main img, main script, main iframe, main svg image').length);
  assert.equal(injected, 0, 'no injected img/script element in main');
  assert.equal(await s.page.evaluate(() => window.__pwned === true), false);
  assert.deepEqual(s.dialogs, [], 'no dialog');
}

test('an odd database name and a hostile backup path render as text', async () => {
  const odd = 'odd.-_Name..x';
  const created = await api('PUT', `/admin/databases/${encodeURIComponent(odd)}`, { Settings: {}, SecuredSettings: {}, Disabled: false });
  assert.equal(created.status, 201, created.text);
  const s = await open('#/backup');
  const location = `e2e/${HOSTILE.join(' ')}`;
  await fillBackup(s.page, odd, location);
  const review = s.page.getByRole('region', { name: 'Review the request' });
  await review.waitFor();
  await review.getByText(odd).first().waitFor();
  await s.page.getByRole('button', { name: 'Start backup' }).click();
  await progress(s.page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  await s.page.getByText(`The backup is in ${location} on the server.`).waitFor();
  const files = await control('backup-files');
  assert.ok(files.some((f) => f.endsWith('/Database.Document') && f.includes('שלום')), JSON.stringify(files));
  await assertInert(s);
});

test('a hostile name typed into the forms is shown as text', async () => {
  const s = await open('#/backup');
  const name = HOSTILE.join('');
  await s.page.getByRole('combobox', { name: 'Database', exact: true }).fill(name);
  await s.page.getByText(`There is no database named “${name}” on the server.`).waitFor();
  await s.page.getByRole('link', { name: 'Restore' }).click();
  const field = s.page.getByRole('textbox', { name: 'New database name' });
  await field.fill(name);
  await s.page.getByRole('button', { name: 'Restore…' }).click();
  // Refused before any request: the list of problems (an alert) and the
  // field's own error (which aria-describedby names, with aria-invalid set)
  // list each refused character of the name, markup and emoji included, as
  // text. The field's static hint ("Letters, digits, _ - and . only") does
  // not satisfy this.
  const refused = [...new Set([...name].filter((c) => !/[A-Za-z0-9_.-]/.test(c)))]
    .map((c) => (c === ' ' ? 'space' : c)).join(', ');
  const message = `The name contains characters that are not allowed: ${refused}. A database name can use only`;
  await s.page.getByRole('alert').getByText(message).waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  const described = await field.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? ''));
  assert.ok(described.some((t) => t.includes(message)), `the field's description says it: ${described}`);
  assert.equal(await field.inputValue(), name, 'the typed name is kept');
  const received = await api('GET', '/__devserver/received?pathPrefix=/admin/restore');
  assert.equal(received.json.length, 0);
  await assertInert(s);
});

test('a hostile server message (failed backup) renders as text', async () => {
  const message = `Injected: ${HOSTILE.join(' | ')}`;
  await control('fail-next-operation', { kind: 'backup', atStep: 2, error: message });
  const s = await open('#/backup');
  await fillBackup(s.page, 'Northwind', 'e2e/hostile-message');
  await s.page.getByRole('button', { name: 'Start backup' }).click();
  const failed = s.page.getByRole('alert').filter({ hasText: 'Failed' });
  await failed.waitFor({ timeout: 30000 });
  await failed.getByText(message).first().waitFor();
  const summary = progress(s.page).getByText(/^Backup failed: /).first();
  await summary.waitFor();
  assert.ok((await summary.textContent()).includes(message), await summary.textContent());
  await assertInert(s);
});

test('a hostile server message (failed restore) renders as text', async () => {
  await apiBackup('Northwind', 'e2e/hostile-restore');
  const message = `Injected restore failure ${HOSTILE.join(' ')}`;
  await control('fail-next-operation', { kind: 'restore', atStep: 2, error: message });
  const s = await open('#/restore');
  await startRestore(s.page, 'e2e/hostile-restore', 'NeverThere');
  await progress(s.page, 'Restore').getByText('Restore failed').first().waitFor({ timeout: 30000 });
  await s.page.getByRole('alert').filter({ hasText: 'Failed' }).getByText(message).first().waitFor();
  await assertInert(s);
});

test('a 5 MB status message stays responsive (a click answers within 2 s)', async () => {
  const line = 'A very long status message from the server <b>not bold</b> שלום 😀. ';
  const message = `Injected 5 MB failure: ${line.repeat(Math.ceil(5_000_000 / line.length))}`;
  assert.ok(message.length >= 5_000_000);
  await control('fail-next-operation', { kind: 'backup', atStep: 2, error: message });
  const s = await open('#/backup');
  await fillBackup(s.page, 'Northwind', 'e2e/huge');
  // A heartbeat in the page records every stall of its main thread.
  await s.page.evaluate(() => {
    window.__stalls = [];
    let last = performance.now();
    setInterval(() => { const now = performance.now(); if (now - last > 250) window.__stalls.push(Math.round(now - last)); last = now; }, 50);
  });
  await s.page.getByRole('button', { name: 'Start backup' }).click();
  // Clicks while the 5 MB status arrives and after: each answers within 2 s.
  const failed = s.page.getByRole('alert').filter({ hasText: 'Failed' });
  const settings = s.page.getByRole('button', { name: 'Server settings' });
  const deadline = Date.now() + 60000;
  let clicks = 0;
  for (;;) {
    const t0 = Date.now();
    await settings.click({ timeout: 2000 });
    const open = (await settings.getAttribute('aria-expanded', { timeout: 2000 })) === 'true';
    await s.page.getByRole('region', { name: 'Server', exact: true }).waitFor({ state: open ? 'visible' : 'hidden', timeout: 2000 });
    const took = Date.now() - t0;
    assert.ok(took < 2000, `click ${clicks} answered in ${took} ms`);
    clicks++;
    if (clicks >= 4 && await failed.count() > 0) break;
    assert.ok(Date.now() < deadline, 'the failure is shown within 60 s');
    await sleep(300);
  }
  const shown = await failed.textContent();
  assert.ok(shown.length < 20000, `the failure shows a clipped message (${shown.length} characters)`);
  assert.match(shown, /Injected 5 MB failure: A very long status message/);
  assert.match(shown, /more characters: download the whole log to read them/);
  const stalls = await s.page.evaluate(() => window.__stalls);
  assert.ok(Math.max(0, ...stalls) < 2000, `the page's main thread stalled: ${stalls} ms`);
  await assertInert(s);
});
