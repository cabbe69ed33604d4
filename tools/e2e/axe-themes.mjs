// axe-core on a playwright-core page in the light and the dark theme, plus
// duplicate ids (axe 4.14 no longer runs duplicate-id-aria): the one check
// that the genuine-RavenDB suites (tools/e2e-ravendb4, tools/e2e-ravendb7)
// share, with the lists their axe checks record into and their wait for a
// locator that says what was on screen. axe is injected through CDP, which
// the page's CSP does not govern.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every axe violation (any impact) in each theme, as `{ theme, id, impact,
 * help, nodes }`, then `{ id: 'duplicate-id', nodes }` if ids repeat. The
 * header's Theme picker is switched and left as it was.
 */
export async function axeInThemes(page) {
  const picker = page.getByRole('combobox', { name: 'Theme' });
  const previous = await picker.inputValue();
  const found = [];
  for (const theme of ['light', 'dark']) {
    await picker.selectOption(theme);
    await page.waitForFunction((t) => document.documentElement.getAttribute('data-theme') === t, theme);
    await page.evaluate(`${AXE_SOURCE};0`);
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    });
    for (const v of violations) found.push({ theme, ...v });
  }
  const duplicates = await page.evaluate(() => {
    const seen = new Map();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `id="${id}" ×${n}`);
  });
  if (duplicates.length) found.push({ id: 'duplicate-id', nodes: duplicates });
  await picker.selectOption(previous);
  return found;
}

/**
 * Every axe violation a suite's `axeCheck` found, and the states it
 * checked: one node process runs one test file, so these are that file's;
 * its last test asserts that nothing was found.
 */
export const axeFindings = [];
export const axeStates = [];

/**
 * Waits until `locator` is visible; on a timeout the error carries the
 * text of the page's main region, so a failed run says what was on screen.
 */
export async function shown(page, locator, opts) {
  try {
    await locator.waitFor(opts);
  } catch (e) {
    const text = await page.evaluate(() => document.querySelector('main')?.innerText ?? document.body.innerText).catch(() => '?');
    throw new Error(`${e.message}\non screen:\n${text}`);
  }
}
