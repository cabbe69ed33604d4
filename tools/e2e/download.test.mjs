// The log download yields the log: the file the browser saves holds every
// line the progress panel shows (issue 11 item 20: the object URL must not
// be revoked before the browser has read it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, open, fillBackup, progress } from './lib.mjs';

setup();

test('"Download the whole log" saves the log of the finished backup', async () => {
  const { page } = await open('#/backup');
  await fillBackup(page, 'Northwind', 'e2e/download');
  await page.getByRole('button', { name: 'Start backup' }).click();
  const panel = progress(page);
  await panel.getByText('Backup succeeded').first().waitFor({ timeout: 30000 });
  const shown = await panel.getByRole('list', { name: 'Messages from the server' })
    .locator('.log-text').allTextContents();
  assert.ok(shown.length >= 3, shown.join('\n'));

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Download the whole log' }).click(),
  ]);
  const failure = await download.failure();
  assert.equal(failure, null, `the download failed: ${failure}`);
  const file = readFileSync(await download.path(), 'utf8');
  for (const line of shown) assert.ok(file.includes(line), `${line} is in the file:\n${file}`);
  assert.match(download.suggestedFilename(), /\.txt$|\.log$/);
});
