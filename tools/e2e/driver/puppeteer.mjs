// Firefox driver: Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi (Playwright cannot drive a stock Firefox). It offers the
// small API of driver/index.mjs; elements are found by driver/query.mjs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import puppeteer from 'puppeteer-core';
import { resolveInPage, encodeMatch } from './query.mjs';

export const engine = 'firefox';
const EXECUTABLE = process.env.E2E_FIREFOX ?? '/usr/bin/firefox-esr';
const POLL_MS = 100;
/** Firefox's reports of a refused request or resource (not script errors). */
const NETWORK_REPORT = /^(Content-Security-Policy: |Cross-Origin Request Blocked: )/;

export async function launch({ axeSource, onPid, timeoutMs }) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: EXECUTABLE,
    headless: true,
    // Engine difference: Firefox asks the user before a page may read the
    // clipboard (a "Paste" popup); this testing pref lets the test read
    // what "Copy curl command" wrote, as Chromium's permission grant does.
    extraPrefsFirefox: { 'dom.events.testing.asyncClipboard': true },
  });
  const pid = browser.process()?.pid;
  if (pid) onPid?.(pid, true);
  return {
    engine,
    async newPage({ viewport, httpCredentials, permissions = [], origin, initScript }) {
      const downloads = mkdtempSync(join(tmpdir(), 'e2e-firefox-downloads-'));
      const context = await browser.createBrowserContext({
        downloadBehavior: { policy: 'allow', downloadPath: downloads },
      });
      // WebDriver BiDi permissions.setPermission, for `origin`.
      if (permissions.length) await context.overridePermissions(origin, permissions);
      const page = await context.newPage();
      if (initScript) await page.evaluateOnNewDocument(initScript);
      await page.setViewport(viewport);
      // HTTP basic auth answered for this page (a proxy's password).
      if (httpCredentials) await page.authenticate(httpCredentials);
      page.setDefaultTimeout(timeoutMs);
      page.setDefaultNavigationTimeout(timeoutMs);
      return new Page(context, page, { axeSource, downloads, timeoutMs });
    },
    async close() {
      await browser.close().catch(() => {});
      if (pid) onPid?.(pid, false);
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Errors that only mean "the page is navigating": retried. */
const transient = (e) => /context|destroyed|detached|navigat|no such (frame|node|element)|stale|discarded|Target closed|not found/i.test(String(e?.message ?? e));

class Page {
  constructor(context, page, opts) {
    this.context = context;
    this.pp = page;
    this.opts = opts;
    this.held = [];
    this.timeoutMs = opts.timeoutMs;
    this.keyboard = {
      press: (keys) => pressKeys(this.pp, keys),
      type: (text) => this.pp.keyboard.type(text),
    };
  }

  onConsole(cb) {
    this.pp.on('console', (m) => cb(`${m.type()}: ${m.text()}`));
    this.pp.on('pageerror', (e) => {
      // Engine difference: Firefox reports a request refused by CORS or a
      // resource refused by the CSP as a JavaScript error (BiDi log entry
      // of type "javascript"); Chromium logs both to the console. They are
      // passed on as console errors, as in Chromium, where the flows look
      // for them (lib.mjs: "nothing was refused by the CSP").
      if (NETWORK_REPORT.test(e.message)) cb(`error: ${e.message}`);
    });
  }
  onPageError(cb) { this.pp.on('pageerror', (e) => { if (!NETWORK_REPORT.test(e.message)) cb(String(e)); }); }
  onDialog(cb) { this.pp.on('dialog', (d) => { cb(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); }); }

  /**
   * Every request whose URL matches `re` fails until unblockRequests(): a
   * network error, or the answer `status` (e.g. 404) with an empty body;
   * with `hold`, it gets no answer at all until unblockRequests() lets it
   * through to the server.
   */
  async blockRequests(re, { status, hold } = {}) {
    this.blocked = re;
    this.blockedStatus = status;
    this.hold = hold;
    if (this.intercepting) return;
    this.intercepting = true;
    await this.pp.setRequestInterception(true);
    this.pp.on('request', (r) => {
      if (r.isInterceptResolutionHandled()) return;
      if (!this.blocked?.test(r.url())) r.continue().catch(() => {});
      else if (this.hold) this.held.push(r);
      else if (this.blockedStatus) r.respond({ status: this.blockedStatus, body: '' }).catch(() => {});
      else r.abort('failed').catch(() => {});
    });
  }
  async unblockRequests() {
    this.blocked = null;
    for (const r of this.held.splice(0)) await r.continue().catch(() => {});
  }

  async goto(url) { await this.pp.goto(url, { waitUntil: 'load' }); }
  async reload() { await this.pp.reload({ waitUntil: 'load' }); }
  url() { return this.pp.url(); }
  isClosed() { return this.pp.isClosed(); }
  evaluate(fn, arg) { return this.pp.evaluate(fn, arg); }
  async screenshot(path) { await this.pp.screenshot({ path, fullPage: true }); }
  async close() {
    await this.context.close().catch(() => {});
    rmSync(this.opts.downloads, { recursive: true, force: true });
  }

  getByRole(role, opts) { return new Locator(this, []).getByRole(role, opts); }
  getByText(text, opts) { return new Locator(this, []).getByText(text, opts); }

  async clipboardText() { return this.pp.evaluate(() => navigator.clipboard.readText()); }

  /**
   * Runs `action` (which starts a download) and returns the saved file.
   * Engine difference: over BiDi there is no download event in puppeteer,
   * so the file is awaited in the context's download folder (Firefox
   * writes NAME.part first and renames it when complete).
   */
  async download(action, timeoutMs = this.timeoutMs) {
    const dir = this.opts.downloads;
    const before = new Set(readdirSync(dir));
    await action();
    const end = Date.now() + timeoutMs;
    for (;;) {
      const files = readdirSync(dir).filter((f) => !before.has(f));
      const done = files.filter((f) => !f.endsWith('.part'));
      if (done.length && !files.some((f) => f.endsWith('.part'))) {
        return { fileName: done[0], text: readFileSync(join(dir, done[0]), 'utf8') };
      }
      if (Date.now() > end) throw new Error(`no download within ${timeoutMs} ms (${files})`);
      await sleep(POLL_MS);
    }
  }

  /** Runs the finder in the page, injecting axe-core first if needed. */
  async resolve(steps, mode) {
    const fn = mode === 'info' || mode === 'elements' ? 'evaluate' : 'evaluateHandle';
    let r = await this.pp[fn](resolveInPage, steps, mode);
    if (r === 'NO_AXE' || (fn === 'evaluateHandle' && (await r.jsonValue().catch(() => null)) === 'NO_AXE')) {
      await this.pp.evaluate(`${this.opts.axeSource};0`);
      r = await this.pp[fn](resolveInPage, steps, mode);
    }
    return r;
  }
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta']);
async function pressKeys(pp, keys) {
  const parts = keys.split('+');
  // puppeteer's BiDi keyboard knows the space bar only as ' '.
  const key = parts.pop().replace(/^Space$/, ' ');
  for (const m of parts) if (MODIFIERS.has(m)) await pp.keyboard.down(m);
  await pp.keyboard.press(key);
  for (const m of parts.reverse()) if (MODIFIERS.has(m)) await pp.keyboard.up(m);
}

function describe(steps) {
  return steps.map((s) => {
    const m = (v) => (v && typeof v === 'object' ? `/${v.source}/${v.flags}` : JSON.stringify(v));
    if (s.kind === 'role') return `getByRole(${s.role}${s.name !== undefined ? `, ${m(s.name)}` : ''}${s.exact ? ', exact' : ''})`;
    if (s.kind === 'text') return `getByText(${m(s.text)}${s.exact ? ', exact' : ''})`;
    if (s.kind === 'hasText') return `filter(hasText ${m(s.text)})`;
    return `nth(${s.n})`;
  }).join('.');
}

class Locator {
  constructor(page, steps) { this.page = page; this.steps = steps; }
  #with(step) { return new Locator(this.page, [...this.steps, step]); }
  getByRole(role, { name, exact, level } = {}) {
    return this.#with({ kind: 'role', role, name: encodeMatch(name), exact: !!exact, level });
  }
  getByText(text, { exact } = {}) { return this.#with({ kind: 'text', text: encodeMatch(text), exact: !!exact }); }
  filter({ hasText }) { return this.#with({ kind: 'hasText', text: encodeMatch(hasText) }); }
  first() { return this.#with({ kind: 'nth', n: 0 }); }
  toString() { return describe(this.steps); }

  /** Polls until `ok(info)` (strict: more than one match is an error). */
  async #until(what, ok, timeoutMs = this.page.timeoutMs) {
    const end = Date.now() + timeoutMs;
    let last = null;
    for (;;) {
      try {
        const info = await this.page.resolve(this.steps, 'info');
        if (info.count > 1) throw new StrictError(`strict mode violation: ${this} resolved to ${info.count} elements`);
        if (ok(info)) return info;
        last = info;
      } catch (e) {
        if (e instanceof StrictError || !transient(e)) throw e;
        last = e.message;
      }
      if (Date.now() > end) {
        throw new Error(`${this}: timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
      }
      await sleep(POLL_MS);
    }
  }

  /** The one element, once `ready(info)` holds. */
  async #element(what, ready, timeoutMs) {
    const end = Date.now() + (timeoutMs ?? this.page.timeoutMs);
    for (;;) {
      await this.#until(what, ready, Math.max(0, end - Date.now()));
      try {
        const h = await this.page.resolve(this.steps, 'one');
        const el = h.asElement();
        if (el) return el;
        await h.dispose();
      } catch (e) {
        if (!transient(e)) throw e;
      }
      if (Date.now() > end) throw new Error(`${this}: element went away while waiting for ${what}`);
    }
  }

  async waitFor({ state = 'visible', timeout } = {}) {
    const want = {
      visible: (i) => i.count === 1 && i.visible,
      hidden: (i) => i.count === 0 || !i.visible,
      attached: (i) => i.count === 1,
      detached: (i) => i.count === 0,
    }[state];
    await this.#until(state, want, timeout);
  }

  async count() {
    for (let i = 0; ; i++) {
      try {
        return (await this.page.resolve(this.steps, 'info')).count;
      } catch (e) {
        if (!transient(e) || i > 50) throw e;
        await sleep(POLL_MS);
      }
    }
  }

  async isVisible() {
    const info = await this.page.resolve(this.steps, 'info');
    if (info.count > 1) throw new StrictError(`strict mode violation: ${this} resolved to ${info.count} elements`);
    return info.count === 1 && info.visible;
  }

  async click({ timeout } = {}) {
    const el = await this.#element('visible and enabled', (i) => i.count === 1 && i.visible && i.enabled, timeout);
    await el.scrollIntoView().catch(() => {});
    await el.click();
  }

  /** Sets an input's text as typing or pasting would: one input event. */
  async fill(value) {
    const el = await this.#element('visible and enabled', (i) => i.count === 1 && i.visible && i.enabled);
    const ok = await el.evaluate((node, v) => {
      node.focus();
      if (typeof node.select === 'function') node.select();
      const done = v === '' ? document.execCommand('delete') : document.execCommand('insertText', false, v);
      return done && node.value === v;
    }, value);
    if (!ok) throw new Error(`${this}: fill did not set the value`);
  }

  async check() {
    const el = await this.#element('visible and enabled', (i) => i.count === 1 && i.visible && i.enabled);
    if (await el.evaluate((n) => n.checked)) return;
    await el.click();
    const end = Date.now() + this.page.timeoutMs;
    while (!(await el.evaluate((n) => n.checked))) {
      if (Date.now() > end) throw new Error(`${this}: clicking did not check it`);
      await sleep(POLL_MS);
    }
  }

  async selectOption(value) {
    const el = await this.#element('visible and enabled', (i) => i.count === 1 && i.visible && i.enabled);
    const chosen = await el.select(value);
    if (!chosen.includes(value)) throw new Error(`${this}: no option ${value}`);
  }

  async #attached(timeout) { return this.#element('attached', (i) => i.count === 1, timeout); }
  async inputValue() { return (await this.#attached()).evaluate((n) => n.value); }
  async getAttribute(name, { timeout } = {}) { return (await this.#attached(timeout)).evaluate((n, a) => n.getAttribute(a), name); }
  async textContent() { return (await this.#attached()).evaluate((n) => n.textContent); }
  async evaluate(fn, arg) { return (await this.#attached()).evaluate(fn, arg); }
}

class StrictError extends Error {}
