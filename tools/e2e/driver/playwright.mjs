// Chromium driver: Debian's chromium driven by playwright-core (over CDP).
// It offers the small API of driver/index.mjs by delegating to Playwright's
// own locators (getByRole / getByText find by role and accessible name).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const engine = 'chromium';
const EXECUTABLE = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launch({ onPid, timeoutMs }) {
  const browser = await chromium.launch({ executablePath: EXECUTABLE, headless: true, args: FLAGS });
  // The browser's process id, so scripts/e2e.sh can stop it if this node
  // process dies without closing it.
  let pid = null;
  try {
    const cdp = await browser.newBrowserCDPSession();
    const info = await cdp.send('SystemInfo.getProcessInfo');
    pid = info.processInfo.find((p) => p.type === 'browser')?.id ?? null;
    await cdp.detach();
  } catch { /* the pid is only a safety net */ }
  if (pid) onPid?.(pid, true);
  return {
    engine,
    async newPage({ viewport, dark, httpCredentials, permissions = [], origin, initScript }) {
      const context = await browser.newContext({
        colorScheme: dark ? 'dark' : 'light', viewport, acceptDownloads: true, httpCredentials,
      });
      context.setDefaultTimeout(timeoutMs);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      if (permissions.length) await context.grantPermissions(permissions, origin ? { origin } : {});
      if (initScript) await context.addInitScript(initScript);
      return new Page(context, await context.newPage());
    },
    async close() {
      await browser.close().catch(() => {});
      if (pid) onPid?.(pid, false);
    },
  };
}

class Page {
  constructor(context, page) {
    this.context = context;
    this.pw = page;
    this.held = [];
    this.keyboard = {
      press: (keys) => this.pw.keyboard.press(keys),
      type: (text) => this.pw.keyboard.type(text),
    };
  }

  onConsole(cb) { this.pw.on('console', (m) => cb(`${m.type()}: ${m.text()}`)); }
  onPageError(cb) { this.pw.on('pageerror', (e) => cb(String(e))); }
  onDialog(cb) { this.pw.on('dialog', (d) => { cb(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); }); }

  /**
   * Every request whose URL matches `re` fails until unblockRequests(): a
   * network error, or the answer `status` (e.g. 404) with an empty body;
   * with `hold`, it gets no answer at all until unblockRequests() lets it
   * through to the server.
   */
  async blockRequests(re, { status, hold } = {}) {
    await this.unblockRequests();
    this.blocked = (url) => re.test(url.href);
    await this.pw.route(this.blocked, (r) => {
      if (hold) this.held.push(r);
      else if (status) r.fulfill({ status, body: '' });
      else r.abort();
    });
  }
  async unblockRequests() {
    if (this.blocked) await this.pw.unroute(this.blocked);
    this.blocked = null;
    for (const r of this.held.splice(0)) await r.continue().catch(() => {});
  }

  async goto(url) { await this.pw.goto(url); }
  async reload() { await this.pw.reload(); }
  url() { return this.pw.url(); }
  isClosed() { return this.pw.isClosed(); }
  evaluate(fn, arg) { return this.pw.evaluate(fn, arg); }
  async screenshot(path) { await this.pw.screenshot({ path, fullPage: true }); }
  async close() { await this.context.close().catch(() => {}); }

  getByRole(role, opts) { return new Locator(this.pw.getByRole(role, opts)); }
  getByText(text, opts) { return new Locator(this.pw.getByText(text, opts)); }

  async clipboardText() { return this.pw.evaluate(() => navigator.clipboard.readText()); }

  async download(action, timeoutMs) {
    const [dl] = await Promise.all([this.pw.waitForEvent('download', { timeout: timeoutMs }), action()]);
    const path = await dl.path();
    return { fileName: dl.suggestedFilename(), text: readFileSync(path, 'utf8') };
  }
}

class Locator {
  constructor(pw) { this.pw = pw; }
  getByRole(role, opts) { return new Locator(this.pw.getByRole(role, opts)); }
  getByText(text, opts) { return new Locator(this.pw.getByText(text, opts)); }
  filter(opts) { return new Locator(this.pw.filter(opts)); }
  first() { return new Locator(this.pw.first()); }
  toString() { return this.pw.toString(); }
  waitFor(opts) { return this.pw.waitFor(opts); }
  count() { return this.pw.count(); }
  isVisible() { return this.pw.isVisible(); }
  click(opts) { return this.pw.click(opts); }
  fill(value) { return this.pw.fill(value); }
  check() { return this.pw.check(); }
  async selectOption(value) { await this.pw.selectOption(value); }
  inputValue() { return this.pw.inputValue(); }
  getAttribute(name, opts) { return this.pw.getAttribute(name, opts); }
  textContent() { return this.pw.textContent(); }
  evaluate(fn, arg) { return this.pw.evaluate(fn, arg); }
}
