// The element finder of the puppeteer (Firefox) driver: the role, accessible
// name and text semantics of Playwright's getByRole / getByText / filter,
// computed in the page by axe-core's own role and name functions (the same
// code that judges accessibility), so one set of flows finds the same
// elements in both engines.
//
// `resolveInPage` runs inside the page (puppeteer serializes it): it must not
// use anything from this module's scope.

/** A locator step with a RegExp turned into plain data for the page. */
export function encodeMatch(m) {
  if (m instanceof RegExp) return { source: m.source, flags: m.flags };
  return m;
}

/**
 * Resolves `steps` (a locator chain) to elements, in document order.
 * `mode`: 'elements' returns the array; 'one' returns the element if exactly
 * one matches, else the count; 'info' returns the count and, for the first
 * match, what actionability needs. Returns 'NO_AXE' when axe-core is not yet
 * injected into this document.
 */
export function resolveInPage(steps, mode) {
  /* global axe */
  if (typeof axe === 'undefined' || !axe.commons) return 'NO_AXE';
  const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
  // Playwright: a string matches case-insensitively as a substring of the
  // whitespace-normalized text; `exact` compares the whole normalized text;
  // a RegExp is tested as is.
  const matcher = (m, exact, raw) => {
    if (m === undefined || m === null) return () => true;
    if (typeof m === 'object') {
      const re = new RegExp(m.source, m.flags);
      return (s) => { re.lastIndex = 0; return re.test(raw ? String(s) : norm(s)); };
    }
    const want = norm(m);
    if (exact) return (s) => norm(s) === want;
    const low = want.toLowerCase();
    return (s) => norm(s).toLowerCase().includes(low);
  };
  const SKIP = new Set(['SCRIPT', 'NOSCRIPT', 'STYLE', 'TEMPLATE', 'HEAD']);
  const texts = new Map();
  const textOf = (el) => {
    let t = texts.get(el);
    if (t !== undefined) return t;
    t = '';
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) t += n.nodeValue;
      else if (n.nodeType === 1 && !SKIP.has(n.nodeName)) t += textOf(n);
    }
    texts.set(el, t);
    return t;
  };
  const descendants = (scopes) => {
    const seen = new Set();
    const out = [];
    for (const scope of scopes) {
      for (const el of scope.querySelectorAll('*')) {
        if (!seen.has(el)) { seen.add(el); out.push(el); }
      }
    }
    // Document order, as Playwright returns them.
    return out.sort((a, b) => (a === b ? 0 : (a.compareDocumentPosition(b) & 4 ? -1 : 1)));
  };
  const level = (el) => {
    const m = /^H([1-6])$/.exec(el.nodeName);
    return Number(el.getAttribute('aria-level') ?? (m ? m[1] : NaN));
  };
  axe.setup(document);
  try {
    let current = [document.documentElement];
    let first = true;
    for (const step of steps) {
      if (step.kind === 'role') {
        const ok = matcher(step.name, step.exact, false);
        const pool = first ? [document.documentElement, ...descendants(current)] : descendants(current);
        current = pool.filter((el) => {
          const v = axe.utils.getNodeFromTree(el);
          if (!v || axe.commons.aria.getRole(v) !== step.role) return false;
          if (!axe.commons.dom.isVisibleToScreenReaders(v)) return false;
          if (step.level !== undefined && level(el) !== step.level) return false;
          return ok(axe.commons.text.accessibleTextVirtual(v));
        });
      } else if (step.kind === 'text') {
        // The deepest elements whose text matches (a parent is skipped when
        // one of its children matches too), hidden ones included.
        const ok = matcher(step.text, step.exact, true);
        current = descendants(current).filter((el) => {
          if (SKIP.has(el.nodeName) || el.closest('head')) return false;
          if (!ok(textOf(el))) return false;
          for (const c of el.children) if (!SKIP.has(c.nodeName) && ok(textOf(c))) return false;
          return true;
        });
      } else if (step.kind === 'hasText') {
        const ok = matcher(step.text, false, true);
        current = current.filter((el) => ok(textOf(el)));
      } else if (step.kind === 'nth') {
        current = current.length > step.n ? [current[step.n]] : [];
      }
      first = false;
    }
    if (mode === 'elements') return current;
    if (mode === 'one') return current.length === 1 ? current[0] : current.length;
    const el = current[0];
    if (!el) return { count: 0 };
    const r = el.getBoundingClientRect();
    const visible = r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
      && (typeof el.checkVisibility !== 'function' || el.checkVisibility());
    const disabled = (typeof el.matches === 'function' && el.matches(':disabled'))
      || !!el.closest('[aria-disabled="true"]');
    return { count: current.length, visible, enabled: !disabled };
  } finally {
    axe.teardown();
  }
}
