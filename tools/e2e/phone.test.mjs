// Phone width (issue 11 item 11): at 390 px every screen and state fits the
// window: the page never scrolls sideways (document.scrollingElement's
// scrollWidth is at most innerWidth). Long server addresses, URLs, curl
// commands and log lines wrap or scroll inside their own box.
import { beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, setup, reset, control, progress, fillBackup, apiBackup, connected, browser, BASE, api, documents,
} from './lib.mjs';

setup();
beforeEach(async () => { await reset(); });

const PHONE = { width: 390, height: 844 };

/** Fails naming the widest elements if the page scrolls sideways. */
async function fits(page, state) {
  const measured = await page.evaluate(() => {
    const width = window.innerWidth;
    const scroll = document.scrollingElement.scrollWidth;
    const wide = [];
    if (scroll > width) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 0.5 && r.width > 0) {
          wide.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
        }
      }
    }
    return { width, scroll, wide: wide.slice(0, 8) };
  });
  assert.ok(measured.scroll <= measured.width,
    `${state}: the page scrolls sideways (${measured.scroll} > ${measured.width}): ${measured.wide.join(', ')}`);
}

for (const dark of [false, true]) {
  test(`at 390 px no screen scrolls sideways${dark ? ' (dark)' : ''}`, async () => {
    const page = await browser.newPage({ dark, viewport: PHONE });
    try {
      await page.goto(`${BASE}#/backup`);
      await connected(page);
      await fits(page, 'Backup, empty form');

      // A long folder makes a long review URL and curl command.
      const folder = 'e2e/phone/a-rather-long-folder-name-without-any-break-in-it-at-all-0123456789';
      await fillBackup(page, 'Northwind', folder);
      await page.getByRole('region', { name: 'Review the request' }).waitFor();
      await fits(page, 'Backup, reviewed');

      // The secrets warning, then the stored document in the editor.
      await page.getByRole('combobox', { name: 'Database', exact: true }).fill('Payroll');
      await page.getByRole('alert').filter({ hasText: 'secrets in plain text' }).waitFor();
      await fits(page, 'Backup, secrets warning');
      await page.getByRole('radio', { name: 'Load the stored document and edit it' }).check();
      await page.getByRole('textbox', { name: 'Value of Raven/Encryption/Key' }).waitFor();
      await fits(page, 'Backup, structured editor');

      // A finished backup (a fresh form).
      await page.goto(`${BASE}#/operations`);
      await page.reload();
      await connected(page);
      await page.getByRole('link', { name: 'Backup', exact: true }).click();
      await fillBackup(page, 'Northwind', folder);
      await page.getByRole('button', { name: 'Start backup' }).click();
      await progress(page).getByText('Backup succeeded').waitFor({ timeout: 30000 });
      await fits(page, 'Backup, finished');

      // Restore: a validation error, the confirmation, a finished restore.
      await page.getByRole('link', { name: 'Restore', exact: true }).click();
      await page.getByRole('button', { name: 'Restore…' }).click();
      await page.getByText('Enter the backup folder').first().waitFor();
      await fits(page, 'Restore, invalid');
      await apiBackup('Northwind', 'e2e/phone-restore');
      await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill('e2e/phone-restore');
      await page.getByRole('textbox', { name: 'New database name' }).fill(`PhoneCopy${dark ? 'Dark' : ''}`);
      await page.getByRole('button', { name: 'Restore…' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Confirm the restore' });
      await confirm.waitFor();
      await fits(page, 'Restore, confirmation');
      await confirm.getByRole('button', { name: 'Yes, restore' }).click();
      await progress(page, 'Restore').getByText('Restore succeeded').waitFor({ timeout: 30000 });
      await fits(page, 'Restore, finished');

      // Operations, then the server settings.
      await page.getByRole('link', { name: 'Operations', exact: true }).click();
      await page.getByRole('region', { name: 'Operations on the server' }).getByText(/Backup to: /).first().waitFor();
      await fits(page, 'Operations');
      await page.getByRole('button', { name: 'Server settings' }).click();
      await page.getByRole('region', { name: 'Server', exact: true }).waitFor();
      await fits(page, 'Server settings');

      // A start whose answer was lost: unknown whether it started.
      await page.getByRole('link', { name: 'Backup', exact: true }).click();
      await control('faults', { method: 'POST', pathPrefix: '/databases/Northwind/admin/backup', status: 504, body: '' });
      await page.getByRole('button', { name: 'Start backup' }).click();
      await page.getByRole('region', { name: 'Unknown whether the backup started' }).waitFor({ timeout: 20000 });
      await fits(page, 'Backup, lost answer');
    } finally {
      await page.close().catch(() => {});
    }
  });
}

// The restore drill's states at 390 px (issue 17): confirmation, running,
// a report listing a changed document, the scratch database it could not
// delete; then the Operations screen with the verified folder.
for (const dark of [false, true]) {
  test(`at 390 px the restore drill does not scroll sideways${dark ? ' (dark)' : ''}`, async () => {
    const folder = 'e2e/phone/drill-a-rather-long-folder-name-without-any-break-in-it-0123456789';
    await apiBackup('Northwind', folder);
    const [first] = await documents('Northwind');
    const put = await api('PUT', `/databases/Northwind/docs/${encodeURIComponent(first.id)}`,
      { ...first.body, ChangedAfterTheBackup: true });
    assert.ok(put.status < 300, put.text);
    await control('faults', { method: 'DELETE', pathPrefix: '/admin/databases/', status: 503,
      contentType: 'text/plain; charset=utf-8', body: 'Injected: the server is busy' });
    const page = await browser.newPage({ dark, viewport: PHONE });
    try {
      await page.goto(`${BASE}#/restore`);
      await connected(page);
      await page.getByRole('textbox', { name: 'Backup folder on the server' }).fill(folder);
      await page.getByRole('textbox', { name: 'Database the backup was taken from' }).fill('Northwind');
      await page.getByRole('button', { name: 'Verify by restoring…' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Confirm the verification' });
      await confirm.waitFor();
      await fits(page, 'Drill, confirmation');
      await control('op-step', { ms: 1500 });
      await confirm.getByRole('button', { name: 'Yes, verify' }).click();
      await page.getByRole('region', { name: 'Verification running' }).getByText(/Restoring the backup into Northwind-verify-/).waitFor();
      await fits(page, 'Drill, running');
      await control('op-step', { ms: 30 });
      const result = page.getByRole('region', { name: 'Verification result' });
      await result.waitFor({ timeout: 60000 });
      await result.getByRole('heading', { name: 'Documents that differ' }).waitFor();
      await page.getByRole('region', { name: 'Scratch databases left by a verification' }).waitFor();
      await fits(page, 'Drill, report with a difference and a left scratch database');
      await page.getByRole('link', { name: 'Operations', exact: true }).click();
      await page.getByRole('region', { name: 'Verified by restoring' }).getByText(folder).waitFor();
      await fits(page, 'Operations with drills');
    } finally {
      await page.close().catch(() => {});
    }
  });
}
