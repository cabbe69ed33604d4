// "While the admin looks elsewhere" (issue 17 item 6): a watched backup or
// restore shows its progress in the tab title, then its outcome until the
// admin returns; when it ends while the tab is hidden, one desktop
// notification, only if the admin allowed it, without the server's words,
// a secret or document content.
import { beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, setup, reset, api, control, browser, connected, fillBackup, startRestore, apiBackup,
  until, assertNoSecret, BASE, ENGINE,
} from './lib.mjs';

setup();
beforeEach(async () => { await reset(); });

const APP = 'Raven Backup Studio';

// Runs in every document before the app. It records every title the app
// sets and every notification it constructs (then calls the real
// constructor, so the browser's own checks still apply). Headless engines
// report every page as visible whatever is in front, so the page cannot be
// hidden honestly: `document.hidden` / `visibilityState` are overridden on
// the document and `__setHidden` flips them and dispatches
// `visibilitychange` as a browser does when the tab goes to the background.
const INIT = `(() => {
  window.__titles = [];
  const title = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
  Object.defineProperty(document, 'title', {
    configurable: true,
    get() { return title.get.call(document); },
    set(v) { window.__titles.push(String(v)); title.set.call(document, v); },
  });
  window.__notifications = [];
  const Real = window.Notification;
  if (Real) {
    window.Notification = class extends Real {
      constructor(t, options) {
        window.__notifications.push({ title: String(t), body: String(options?.body ?? ''), hidden: document.hidden });
        super(t, options);
      }
    };
  }
  let hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  window.__setHidden = (h) => {
    hidden = h;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  };
})();`;

const sessions = [];

/** A page on `hash` with the recorder; `notifications`: granted by the browser. */
async function openPage(hash, { notifications = false } = {}) {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    permissions: notifications ? ['notifications'] : [],
    origin: new URL(BASE).origin,
    initScript: INIT,
  });
  const s = { page, console: [], errors: [], dialogs: [] };
  page.onConsole((m) => s.console.push(m));
  page.onPageError((e) => s.errors.push(e));
  page.onDialog((d) => s.dialogs.push(d));
  sessions.push(s);
  await page.goto(BASE + hash);
  await connected(page);
  // The screen's body has arrived (its own wasm file): the footer's checkbox
  // no longer moves down under a click.
  await until('the screen is shown whole', async () => (await page.getByText('Loading this screen…').count()) === 0
    && (await page.getByText('Asking the server which RavenDB it runs…').count()) === 0, 30000, 50);
  return s;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) {
    try {
      if (!s.page.isClosed()) {
        const seen = await s.page.evaluate(() => [
          location.href, ...window.__titles,
          ...window.__notifications.flatMap((n) => [n.title, n.body]),
        ]);
        assertNoSecret([...seen, ...s.console], 'the URL, the titles, the notifications or the console');
      }
      assert.deepEqual(s.errors, [], 'no uncaught error in the page');
      assert.deepEqual(s.dialogs, [], 'no dialog ever opens');
    } finally {
      await s.page.close().catch(() => {});
    }
  }
});

const titleOf = (page) => page.evaluate(() => document.title);
const recorded = (page) => page.evaluate(() => ({ titles: window.__titles, notifications: window.__notifications }));

async function titleBecomes(page, expected) {
  await until(`the title "${expected}"`, async () => (await titleOf(page)) === expected, 30000, 50);
}

/** Turns "Notify me when an operation ends" on (the browser grants it). */
async function allowNotifications(page) {
  await page.getByRole('checkbox', { name: 'Notify me when an operation ends' }).check();
  await page.getByText('On: when a backup, restore or drill ends while this tab is hidden').waitFor();
}

test('the title follows a backup, says how it ended until the admin returns, then resets', async () => {
  const { page } = await openPage('#/backup');
  assert.equal(await titleOf(page), APP);
  await fillBackup(page, 'Northwind', 'e2e/attention-title');
  await page.getByRole('button', { name: 'Start backup' }).click();
  await titleBecomes(page, `Done: Backup of Northwind — ${APP}`);
  const { titles, notifications } = await recorded(page);
  assert.ok(titles.indexOf(`Backing up Northwind… — ${APP}`) >= 0, `the progress was in the title: ${titles}`);
  assert.ok(titles.indexOf(`Backing up Northwind… — ${APP}`) < titles.indexOf(`Done: Backup of Northwind — ${APP}`));
  // The outcome is what the screen says.
  await page.getByRole('region', { name: /^Backup of / }).getByText('Backup succeeded').waitFor();
  assert.equal(await titleOf(page), `Done: Backup of Northwind — ${APP}`, 'the outcome stays until the admin returns');
  // The admin is back (a key pressed in the page): the plain title.
  await page.keyboard.press('Shift');
  await titleBecomes(page, APP);
  assert.deepEqual(notifications, [], 'no notification when the admin did not ask for one');
});

test('a restore in the title, then its outcome', async () => {
  await apiBackup('Northwind', 'e2e/attention-restore');
  const { page } = await openPage('#/restore');
  await startRestore(page, 'e2e/attention-restore', 'AttentionCopy');
  await titleBecomes(page, `Done: Restore of AttentionCopy — ${APP}`);
  const { titles } = await recorded(page);
  assert.ok(titles.includes(`Restoring AttentionCopy… — ${APP}`), `the progress was in the title: ${titles}`);
  await page.getByRole('region', { name: /^Restore of / }).getByText('Restore succeeded').waitFor();
  // The admin is back (the window has focus again): the plain title.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await titleBecomes(page, APP);
});

test('hidden and allowed: one notification in plain words, nothing of the server\'s text or the secrets', async () => {
  const { page } = await openPage('#/backup', { notifications: true });
  await allowNotifications(page);
  const payroll = await api('GET', '/admin/databases/Payroll');
  const secrets = Object.values(payroll.json.SecuredSettings);
  // The server's failure words carry a path and a secret-looking value.
  const words = 'Injected failure writing D:\\backups\\payroll-vault with key s3cr3t-0xC0FFEE';
  await control('fail-next-operation', { kind: 'backup', atStep: 2, error: words });
  await fillBackup(page, 'Payroll', 'e2e/attention-payroll');
  await page.getByRole('checkbox', { name: /^I understand: 3 secrets will be written/ }).check();
  // The admin looks at another tab (set before the click, so the end is
  // certain to come while hidden).
  await page.evaluate(() => window.__setHidden(true));
  await page.getByRole('button', { name: 'Start backup' }).click();
  await titleBecomes(page, `Failed: Backup of Payroll — ${APP}`);
  await until('a notification', async () => (await recorded(page)).notifications.length > 0);
  // The screen has the server's words (rendered as text).
  await page.getByRole('alert').filter({ hasText: 'Failed' }).getByText(words).first().waitFor();
  const { notifications } = await recorded(page);
  assert.equal(notifications.length, 1, JSON.stringify(notifications));
  assert.deepEqual(notifications[0], {
    title: 'Backup of Payroll: failed',
    body: `The server reports the backup of Payroll failed. Open the ${APP} tab to read the server's words.`,
    hidden: true,
  });
  const text = `${notifications[0].title} ${notifications[0].body}`;
  for (const leak of [words, 's3cr3t', 'payroll-vault', ...secrets]) assert.ok(!text.includes(leak), leak);
  const doc = await api('GET', '/databases/Payroll/docs?start=0&pageSize=5');
  for (const d of doc.json) {
    for (const v of Object.values(d).filter((v) => typeof v === 'string' && v.length > 3)) {
      assert.ok(!text.includes(v), `document content in the notification: ${v}`);
    }
  }
  assert.equal(await titleOf(page), `Failed: Backup of Payroll — ${APP}`, 'the outcome stays while hidden');
  // The admin comes back to the tab.
  await page.evaluate(() => window.__setHidden(false));
  await titleBecomes(page, APP);
  assert.equal((await recorded(page)).notifications.length, 1, 'still one');
});

test('allowed but the tab is visible: no notification', async () => {
  const { page } = await openPage('#/backup', { notifications: true });
  await allowNotifications(page);
  await fillBackup(page, 'Northwind', 'e2e/attention-visible');
  await page.getByRole('button', { name: 'Start backup' }).click();
  await titleBecomes(page, `Done: Backup of Northwind — ${APP}`);
  await page.getByRole('region', { name: /^Backup of / }).getByText('Backup succeeded').waitFor();
  // Hidden after the end: an end seen is never announced later.
  await page.evaluate(() => window.__setHidden(true));
  await page.evaluate(() => window.__setHidden(false));
  assert.deepEqual((await recorded(page)).notifications, []);
});

test('hidden but not allowed by the browser: no notification, and the page says so', async () => {
  const { page } = await openPage('#/backup');
  const box = page.getByRole('checkbox', { name: 'Notify me when an operation ends' });
  await box.click();
  // No grant in this context: Chromium answers "denied" for itself;
  // headless Firefox leaves its question open (no one is there to answer),
  // and the page says it is waiting for the answer.
  const said = await until('the browser\'s answer', async () => {
    for (const t of ['The browser refused: notifications stay off', 'closed without an answer',
      'blocked for this site', 'The browser is asking whether this site may show notifications']) {
      if (await page.getByText(t).isVisible()) return t;
    }
    return null;
  });
  // Checked while the question is open (the admin's choice), unchecked
  // once the browser refused.
  const asking = said.startsWith('The browser is asking');
  assert.equal(await box.evaluate((el) => el.checked), asking, `checked: ${asking} after "${said}"`);
  await fillBackup(page, 'Northwind', 'e2e/attention-denied');
  await page.evaluate(() => window.__setHidden(true));
  await page.getByRole('button', { name: 'Start backup' }).click();
  await titleBecomes(page, `Done: Backup of Northwind — ${APP}`);
  assert.deepEqual((await recorded(page)).notifications, [], `${ENGINE}: none without the permission`);
});
