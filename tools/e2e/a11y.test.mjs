// Accessibility: axe-core on every screen and state, light and dark, with
// screenshots; one backup and one restore done with the keyboard only.
import { beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, setup, reset, control, open, progress, fillBackup, apiBackup, axe, shot, until, api, documents,
} from './lib.mjs';

setup();
beforeEach(async () => { await reset(); });

for (const theme of ['light', 'dark']) {
  test(`axe: every screen and state, ${theme} theme (zero violations), with screenshots`, async () => {
    const dark = theme === 'dark';
    const { page } = await open('#/backup', { dark });
    if (dark) {
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), 'dark');
    }
    const found = [];
    const check = async (state, name) => {
      try { await axe(page, `${state}, ${theme}`); } catch (e) { found.push(e.message); }
      await shot(page, `${name}-${theme}`);
    };

    // Backup form, reviewed.
    await fillBackup(page, 'Northwind', `e2e/a11y-${theme}`);
    await page.getByRole('region', { name: 'Review the request' }).waitFor();
    await check('Backup form and review', 'backup-review');

    // The secrets warning.
    await page.getByRole('combobox', { name: 'Database', exact: true }).fill('Payroll');
    await page.getByRole('alert').filter({ hasText: 'secrets in plain text' }).waitFor();
    await check('Backup: secrets warning', 'backup-warning');

    // Progress, then the finished result.
    await page.getByRole('combobox', { name: 'Database', exact: true }).fill('Northwind');
    // Slow steps keep the running state on screen for seconds: the watch
    // reads at most two answers a second (the status document every other
    // one), and a loaded machine may stall the page for a moment.
    await control('op-step', { ms: 1500 });
    await page.getByRole('button', { name: 'Start backup' }).click();
    await progress(page).getByText(/running, [1-9][0-9]* messages?/).waitFor();
    await check('Backup in progress', 'backup-running');
    await control('op-step', { ms: 30 });
    await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
    await check('Backup finished', 'backup-done');

    // Restore with a validation error.
    await page.getByRole('link', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Restore…' }).click();
    await page.getByText('Enter the backup folder').first().waitFor();
    // Focus moves to the first invalid field.
    const folder = page.getByRole('textbox', { name: 'Backup folder on the server' });
    await until('focus on the first invalid field', () => folder.evaluate((el) => el === document.activeElement), 5000);
    await check('Restore form with a validation error', 'restore-invalid');

    // A running restore, then the finished one. Its messages come only in
    // its last steps: slow steps keep "running, N messages" on screen long
    // enough to be seen (as for the backup above).
    await control('op-step', { ms: 2000 });
    await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(`e2e/a11y-${theme}`);
    await page.getByRole('textbox', { name: 'New database name' }).fill(`A11y${theme}`);
    await page.getByRole('button', { name: 'Restore…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm the restore' });
    await confirm.waitFor();
    await check('Restore confirmation', 'restore-confirm');
    await confirm.getByRole('button', { name: 'Yes, restore' }).click();
    await progress(page, 'Restore').getByText(/running, [1-9][0-9]* messages?/).waitFor();
    await check('Restore in progress', 'restore-running');
    await control('op-step', { ms: 30 });
    await progress(page, 'Restore').getByText('Restore succeeded').waitFor({ timeout: 30000 });
    await check('Restore finished', 'restore-done');

    // Operations.
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('region', { name: 'Operations on the server' }).getByText(/Backup to: /).first().waitFor();
    await check('Operations', 'operations');

    // Server settings panel open.
    await page.getByRole('button', { name: 'Server settings' }).click();
    await page.getByRole('region', { name: 'Server', exact: true }).waitFor();
    await check('Server settings', 'server-settings');

    assert.deepEqual(found, []);
  });
}

// The restore drill's states (issue 17): its confirmation, a running
// drill, a report with a difference (one document changed after the
// backup) and the scratch database it could not delete (the server
// refused the hard delete once), then the Operations screen listing the
// verified folder and the left scratch database.
for (const theme of ['light', 'dark']) {
  test(`axe: the restore drill's states, ${theme} theme (zero violations), with screenshots`, async () => {
    const dark = theme === 'dark';
    const folder = `e2e/drill-a11y-${theme}`;
    await apiBackup('Northwind', folder);
    const [first] = await documents('Northwind');
    const put = await api('PUT', `/databases/Northwind/docs/${encodeURIComponent(first.id)}`,
      { ...first.body, ChangedAfterTheBackup: true });
    assert.ok(put.status < 300, put.text);
    await control('faults', { method: 'DELETE', pathPrefix: '/admin/databases/', status: 503,
      contentType: 'text/plain; charset=utf-8', body: 'Injected: the server is busy' });
    const { page } = await open('#/restore', { dark });
    const found = [];
    const check = async (state, name) => {
      try { await axe(page, `${state}, ${theme}`); } catch (e) { found.push(e.message); }
      await shot(page, `${name}-${theme}`);
    };
    await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(folder);
    await page.getByRole('textbox', { name: 'Database the backup was taken from' }).fill('Northwind');
    await page.getByRole('button', { name: 'Verify by restoring…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm the verification' });
    await confirm.waitFor();
    await check('Drill confirmation', 'drill-confirm');
    await control('op-step', { ms: 1500 });
    await confirm.getByRole('button', { name: 'Yes, verify' }).click();
    await page.getByRole('region', { name: 'Verification running' }).getByText(/Restoring the backup into Northwind-verify-/).waitFor();
    await check('Drill running', 'drill-running');
    await control('op-step', { ms: 30 });
    const result = page.getByRole('region', { name: 'Verification result' });
    await result.waitFor({ timeout: 60000 });
    await result.getByRole('heading', { name: 'Documents that differ' }).waitFor();
    await page.getByRole('region', { name: 'Scratch databases left by a verification' }).waitFor();
    await check('Drill report with a difference, a scratch database left', 'drill-report');

    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('region', { name: 'Verified by restoring' }).getByText(folder).waitFor();
    await page.getByRole('region', { name: 'Scratch databases left by a verification' }).waitFor();
    await check('Operations with drills', 'operations-drills');
    assert.deepEqual(found, []);
  });
}

/** Presses Tab (or Shift+Tab) until the element with this role and name has focus. */
async function tabTo(page, role, name, { back = false, max = 80 } = {}) {
  const target = page.getByRole(role, { name, exact: true });
  for (let i = 0; i < max; i++) {
    if (await target.count() === 1 && await target.evaluate((el) => el === document.activeElement)) {
      // Focus reached with the keyboard is visible (style: :focus-visible).
      const outline = await target.evaluate((el) => {
        const st = getComputedStyle(el);
        return `${st.outlineStyle} ${parseFloat(st.outlineWidth)}`;
      });
      assert.equal(outline, 'solid 3', `visible focus on ${role} "${name}"`);
      return;
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not reach ${role} "${name}" with the keyboard`);
}

test('one backup and one restore with the keyboard only', async () => {
  const { page } = await open('#/backup');
  await tabTo(page, 'combobox', 'Database');
  await page.keyboard.type('Northwind');
  await page.keyboard.press('Escape'); // close the datalist suggestions
  await page.getByText(/databases on the server/).waitFor();
  await tabTo(page, 'textbox', 'Backup folder on the server');
  await page.keyboard.type('e2e/keyboard');
  await page.getByRole('region', { name: 'Review the request' }).waitFor();
  await tabTo(page, 'button', 'Start backup');
  await page.keyboard.press('Enter');
  await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
  const files = await control('backup-files');
  assert.ok(files.includes('e2e/keyboard/Database.Document'), JSON.stringify(files));

  // To the Restore screen through the navigation, backwards.
  await tabTo(page, 'link', 'Restore', { back: true, max: 120 });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Restore', level: 1 }).waitFor();
  await tabTo(page, 'textbox', 'Backup folder on the server');
  await page.keyboard.type('e2e/keyboard');
  await tabTo(page, 'textbox', 'New database name');
  await page.keyboard.type('KeyboardCopy');
  await tabTo(page, 'button', 'Restore…');
  await page.keyboard.press('Space');
  await page.getByRole('alertdialog', { name: 'Confirm the restore' }).waitFor();
  await tabTo(page, 'button', 'Yes, restore');
  await page.keyboard.press('Enter');
  await progress(page, 'Restore').getByText('Restore succeeded').waitFor({ timeout: 30000 });
  const dbs = await api('GET', '/databases');
  assert.ok(dbs.json.includes('KeyboardCopy'), dbs.text);
});
