// The RavenDB 3.x API-key sign-in loads from its own wasm file when first
// needed (docs/size.md, "The 3.x sign-in, loaded when needed"): a first
// visit does not fetch it; when the file does not arrive (the connection
// drops, the web server answers 404 after a new deploy), the sign-in's place
// in Server settings says so in plain words and what to do, the rest of the
// panel keeps what was typed, and "Try again" brings the form, which signs in.
// The key's secret never reaches storage, the URL, the console or a log.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setup, test, open, api, ACCESS_LOG, NGINX_ACCESS_LOG } from './lib.mjs';

setup();

const SIGNIN_FILE = /\/split_signin-[0-9a-f]{16}\.wasm$/;

/** The names of the split files the page fetched so far. */
async function fetchedSplits(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname.split('/').pop())
    .filter((n) => /^(split|chunk)_/.test(n)));
}

for (const [how, block] of [
  ['the connection drops', {}],
  ['the web server answers 404', { status: 404 }],
]) {
  test(`when the sign-in's file does not arrive (${how}), Server settings says what to do, and Try again brings the form, which signs in`, async () => {
    // An API key the devserver knows (3.x keeps them as system documents).
    const name = `e2e-signin-${randomBytes(4).toString('hex')}`;
    const secret = randomBytes(18).toString('base64url');
    const put = await api('PUT', `/docs/Raven/ApiKeys/${name}`,
      { Name: name, Secret: secret, Enabled: true, Databases: [{ TenantId: '*', Admin: true }] });
    assert.ok(put.status === 201 || put.status === 200, `${put.status} ${put.text}`);
    const s = await open('#/backup');
    const { page } = s;
    try {
      // A first visit does not fetch the sign-in.
      await page.getByRole('combobox', { name: 'Database', exact: true }).waitFor();
      assert.ok(!(await fetchedSplits(page)).some((n) => n.startsWith('split_signin-')),
        (await fetchedSplits(page)).join(', '));

      await page.blockRequests(SIGNIN_FILE, block);
      await page.getByRole('button', { name: 'Server settings' }).click();
      const settings = page.getByRole('region', { name: 'Server', exact: true });
      await settings.waitFor();
      // Typed, not saved: the failure below takes none of it away.
      const address = settings.getByRole('textbox', { name: 'RavenDB server URL' });
      const typed = 'http://draft.example:8080';
      await address.fill(typed);
      const alert = page.getByRole('alert', { name: 'The sign-in form could not be loaded' });
      await alert.waitFor();
      const text = await alert.textContent();
      assert.match(text, /did not arrive from the web server/, text);
      assert.match(text, /Check the connection, then try again\. If it fails again, reload the page/, text);
      assert.match(text, /Nothing was sent to the database server/, text);
      await settings.getByRole('heading', { name: 'Sign in (RavenDB 3.x API key)' }).waitFor();
      assert.equal(await page.getByRole('textbox', { name: 'API key name' }).count(), 0);
      assert.equal(await address.inputValue(), typed);

      await page.unblockRequests();
      await alert.getByRole('button', { name: 'Try again' }).click();
      const keyName = page.getByRole('textbox', { name: 'API key name' });
      await keyName.waitFor();
      await alert.waitFor({ state: 'detached' });
      assert.equal(await address.inputValue(), typed, 'what was typed before stays');
      await address.fill('');
      await settings.getByRole('button', { name: 'Use default' }).click();

      await keyName.fill(name);
      // The secret's field is a password field: the keystrokes show as dots.
      const secretField = settings.getByRole('textbox', { name: 'API key secret' });
      assert.equal(await secretField.getAttribute('type'), 'password');
      await secretField.fill(secret);
      assert.equal(await secretField.getAttribute('type'), 'password');
      await settings.getByRole('button', { name: 'Sign in', exact: true }).click();
      const outcome = settings.getByRole('status').filter({ hasText: /^(Signed in with API key|Not signed in)/ });
      await outcome.waitFor();
      assert.equal(await outcome.textContent(), `Signed in with API key "${name}".`,
        await settings.textContent());
      await settings.getByText(new RegExp(`^Signed in to http://127\\.0\\.0\\.1:\\d+ with API key "${name}"\\.$`)).waitFor();
      assert.ok((await fetchedSplits(page)).some((n) => n.startsWith('split_signin-')));

      // Signed in, the dashboard still reads the server (with the token).
      await page.getByRole('status').filter({ hasText: 'Connected: RavenDB 3.5' }).waitFor();
      await settings.getByRole('button', { name: 'Sign out' }).click();
      await settings.getByRole('status').filter({ hasText: 'Signed out: the secret and the token are forgotten.' }).waitFor();
      await keyName.waitFor();

      // The secret went nowhere but to the form's memory.
      const places = await page.evaluate(() => {
        const out = [location.href];
        for (const store of [localStorage, sessionStorage]) {
          for (let i = 0; i < store.length; i++) out.push(`${store.key(i)}=${store.getItem(store.key(i))}`);
        }
        return out;
      });
      places.push(...s.console);
      for (const log of [ACCESS_LOG, NGINX_ACCESS_LOG]) {
        if (log && existsSync(log)) places.push(readFileSync(log, 'utf8'));
      }
      for (const place of places) {
        assert.ok(!place.includes(secret) && !place.includes(encodeURIComponent(secret)),
          `the API key's secret was found in: ${place.slice(0, 200)}`);
      }
    } finally {
      await page.unblockRequests();
      await api('DELETE', `/docs/Raven/ApiKeys/${name}`);
    }
  });
}
