// One small browser API for the end-to-end flows, so each flow is written
// once and runs in every engine. `E2E_BROWSER` picks the engine:
//   chromium  Debian's chromium through playwright-core (driver/playwright.mjs)
//   firefox   Debian's firefox-esr through puppeteer-core over WebDriver BiDi
//             (driver/puppeteer.mjs; Playwright cannot drive a stock Firefox)
//
// The API (a subset of Playwright's, which the Firefox driver reproduces):
//   browser.newPage({ viewport, dark, httpCredentials }) -> page; browser.close()
//         (httpCredentials { username, password }: answers HTTP basic auth;
//         permissions ['notifications'] granted to `origin`; initScript: a
//         script run in every document before the page's own)
//   page: goto(url), reload(), url(), isClosed(), close(), evaluate(fn|source, arg),
//         screenshot(path), keyboard.press('Shift+Tab') / keyboard.type(text),
//         onConsole(cb), onPageError(cb), onDialog(cb) (dialogs are dismissed),
//         clipboardText(), download(action) -> { fileName, text },
//         blockRequests(regexp, { status, hold }) / unblockRequests() (matching
//         URLs fail as a network error does, or get the answer `status`,
//         or with `hold` get no answer until unblocked, then go through),
//         getByRole(role, { name, exact, level }), getByText(text, { exact })
//   locator: getByRole, getByText, filter({ hasText }), first(),
//         waitFor({ state: visible|hidden|attached|detached, timeout }), count(),
//         isVisible(), click({ timeout }), fill(value), check(), selectOption(value),
//         inputValue(), getAttribute(name), textContent(), evaluate(fn, arg)
// Names and texts match as in Playwright: a string is a case-insensitive
// substring unless `exact`, a RegExp is tested; actions and waitFor are
// strict (more than one match is an error).
import { writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ENGINE = process.env.E2E_BROWSER || 'chromium';
const ENGINES = { chromium: './playwright.mjs', firefox: './puppeteer.mjs' };
if (!ENGINES[ENGINE]) throw new Error(`E2E_BROWSER must be one of ${Object.keys(ENGINES)}, not ${ENGINE}`);

// scripts/e2e.sh stops the browsers listed here if a run is interrupted (a
// launched browser leads its own process group, so its pid is the group's).
const PID_DIR = process.env.E2E_PID_DIR;
function onPid(pid, running) {
  if (!PID_DIR) return;
  mkdirSync(PID_DIR, { recursive: true });
  const file = join(PID_DIR, String(pid));
  if (running) writeFileSync(file, `${ENGINE}\n`);
  else rmSync(file, { force: true });
}

/** Launches the engine's browser (see the API above). */
export async function launchBrowser({ axeSource, timeoutMs = 15000 }) {
  const driver = await import(ENGINES[ENGINE]);
  return driver.launch({ axeSource, onPid, timeoutMs });
}
