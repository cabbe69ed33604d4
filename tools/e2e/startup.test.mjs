// How the page starts (src/app.rs, mount): it reads config.json first, so
// the server check and the database list leave before the view is built
// (docs/size.md, "Loading"). A host that never answers config.json must not
// leave a blank page: the app shows after about a second, says it is still
// checking, and connects once config.json arrives.
import assert from 'node:assert/strict';
import { setup, test, open, connected, until } from './lib.mjs';

setup();

test('config.json that does not answer: the app shows anyway, says it is checking, and connects when it arrives', async () => {
  const { page } = await open('#/backup', { waitConnected: false });
  await page.blockRequests(/\/config\.json$/, { hold: true });
  await page.reload();
  await page.getByRole('heading', { name: 'Backup', level: 1 }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Checking the server' }).waitFor();
  assert.equal(await page.getByText(/Connected: RavenDB/).count(), 0, 'not connected without config.json');

  await page.unblockRequests();
  await connected(page);
  const database = page.getByRole('combobox', { name: 'Database', exact: true });
  const suggested = () => database.evaluate((input) => [...(input.list?.options ?? [])].map((o) => o.value));
  await until('the server\'s databases are suggested', async () => (await suggested()).includes('Northwind'), 15000);
});

test('a name typed while the server is being checked stays typed, with the focus, when the server answers', async () => {
  const { page } = await open('#/backup', { waitConnected: false });
  await page.blockRequests(/\/build\/version$/, { hold: true });
  await page.reload();
  await page.getByText('Asking the server which RavenDB it runs…').waitFor();
  const database = page.getByRole('combobox', { name: 'Database', exact: true });
  await database.fill('Nor');
  await page.unblockRequests();
  await connected(page);
  await until('the Backup body is shown', async () => (await page.getByText('Asking the server which RavenDB it runs…').count()) === 0, 15000);
  assert.equal(await database.inputValue(), 'Nor', 'what was typed is kept');
  assert.ok(await database.evaluate((input) => input === document.activeElement), 'the field keeps the focus');
  assert.equal(await database.evaluate((input) => input.selectionStart), await database.evaluate((input) => input.value.length), 'the caret is after what was typed');
});
