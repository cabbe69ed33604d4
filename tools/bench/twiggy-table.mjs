// Where the release wasm's bytes go: reads `twiggy top -f csv` of a release
// wasm that kept its function names (tools/bench/twiggy.sh makes it) and
// prints two markdown tables: per crate (and kind: drop glue, serde derives,
// data), and per module of ours. docs/size.md holds the latest output.
//
//   node tools/bench/twiggy-table.mjs TOP.csv WASM_BROTLI_BYTES
import { readFileSync } from 'node:fs';

const [csvPath, brotliArg] = process.argv.slice(2);
const rows = readFileSync(csvPath, 'utf8').split('\n').slice(1).filter(Boolean).map((line) => {
  // Name,ShallowSize,...: the name is quoted when it holds a comma or a quote.
  let name;
  let rest;
  if (line.startsWith('"')) {
    let i = 1;
    name = '';
    for (;;) {
      if (line[i] === '"' && line[i + 1] === '"') { name += '"'; i += 2; } else if (line[i] === '"') { i += 1; break; } else { name += line[i]; i += 1; }
    }
    rest = line.slice(i + 1);
  } else {
    const c = line.indexOf(',');
    name = line.slice(0, c);
    rest = line.slice(c + 1);
  }
  return { name, size: Number(rest.split(',')[0]) };
}).filter((r) => !r.name.includes('"function names" subsection') && !r.name.startsWith('custom section'));

const OURS = 'raven_backup_studio';

// The crate a Rust path begins with; for `<A as B>::m`, A's crate, unless
// A is a generic (core/alloc) wrapper, then the first crate inside it.
function firstPath(name) {
  let n = name;
  while (n.startsWith('<') || n.startsWith('&') || n.startsWith('*') || n.startsWith('[') || n.startsWith('(')) n = n.slice(1);
  n = n.replace(/^(mut |const |dyn )/, '');
  // `<T as tachys::view::Render>::build`: a blanket impl, the trait's crate.
  const blanket = n.match(/^[A-Z][A-Za-z0-9]* as (.*)$/) || n.match(/^str as (.*)$/);
  if (blanket) n = blanket[1];
  // std's own crates carry a hash: core[c5930c85a12de822]::fmt.
  return n.replace(/^([a-z_0-9]+)\[[0-9a-f]+\]/, '$1');
}

// Our module for a path that starts with raven_backup_studio::: two levels
// for the directories (api::wire, pages::backup), one for single files.
const TWO_LEVEL = new Set(['api', 'pages', 'components', 'drill', 'forms', 'present', 'auth', 'state']);
function ourModule(path) {
  const parts = path.slice(OURS.length + 2).split('::').filter((p) => !p.startsWith('{{') && !/^h[0-9a-f]{16}$/.test(p));
  const mod = parts[0] ?? '?';
  if (TWO_LEVEL.has(mod) && parts.length > 2) {
    return `${mod}/${parts[1].replace(/^__component_/, '').replace(/[< ].*/, '')}`;
  }
  return mod.replace(/[< ].*/, '');
}

function classify(name) {
  if (name.startsWith('data segment') || name.startsWith('data[')) return { crate: 'data (strings, tables)' };
  if (/^(import|export|type|table|elem|global|memory|"?wasm-bindgen|code\[)/.test(name) || name.startsWith('type[')) return { crate: 'wasm sections, unnamed' };
  if (name.includes('drop_in_place')) {
    const m = name.match(/drop_in_place<(.*)>/);
    const inner = m ? firstPath(m[1]) : '';
    return { crate: 'drop glue', of: inner.startsWith(OURS) ? ourModule(inner) : null };
  }
  const p = firstPath(name);
  if (p.startsWith(OURS)) {
    if (/as serde(_core)?::de::|__Visitor|__FieldVisitor|as serde(_core)?::ser::/.test(name)) return { crate: `${OURS} (serde derives)`, of: ourModule(p) };
    return { crate: OURS, of: ourModule(p) };
  }
  const crate = p.split('::')[0].replace(/<.*/, '') || '?';
  // A generic's instance that carries one of our types: still that crate's
  // code, but say whose view/future it is when the name tells.
  if (crate === 'core' && p.startsWith('core::fmt')) return { crate: 'core::fmt' };
  if (crate === 'core' || crate === 'alloc' || crate === 'std') {
    const inner = name.match(/raven_backup_studio::[a-z_0-9:]+/);
    return { crate: crate === 'std' ? 'std' : `${crate} (generic instances)`, of: inner ? ourModule(inner[0]) : null };
  }
  if (crate === 'serde_core' || crate === 'serde') return { crate: 'serde' };
  return { crate };
}

const total = rows.reduce((a, r) => a + r.size, 0);
const brotli = Number(brotliArg) || 0;
const byCrate = new Map();
const byOurs = new Map();
for (const r of rows) {
  const c = classify(r.name);
  byCrate.set(c.crate, (byCrate.get(c.crate) ?? 0) + r.size);
  if (c.crate.startsWith(OURS)) {
    const k = c.of ?? '?';
    const e = byOurs.get(k) ?? { own: 0, serde: 0 };
    if (c.crate === OURS) e.own += r.size; else e.serde += r.size;
    byOurs.set(k, e);
  }
}
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
const kb = (n) => (n / 1000).toFixed(1);
const est = (n) => (brotli ? kb((n * brotli) / total) : '');
console.log(`wasm ${total} B raw after wasm-opt (sum of twiggy items)${brotli ? `, ${brotli} B brotli: ~KB brotli = raw share × ${brotli} B` : ''}\n`);
console.log('| crate / kind | KB raw | share | ~KB brotli |');
console.log('|---|---:|---:|---:|');
const crates = [...byCrate.entries()].sort((a, b) => b[1] - a[1]);
let other = 0;
for (const [k, v] of crates) {
  if (v / total < 0.003) { other += v; continue; }
  console.log(`| ${k} | ${kb(v)} | ${pct(v)} | ${est(v)} |`);
}
console.log(`| (crates under 0.3% each) | ${kb(other)} | ${pct(other)} | ${est(other)} |`);
console.log('\nOur code by module (own functions + our serde derives; tachys/reactive_graph closures that hold our views are counted under tachys/reactive_graph above):\n');
console.log('| module of ours | KB raw own | KB raw serde derives | share of wasm | ~KB brotli |');
console.log('|---|---:|---:|---:|---:|');
for (const [k, v] of [...byOurs.entries()].sort((a, b) => (b[1].own + b[1].serde) - (a[1].own + a[1].serde))) {
  const s = v.own + v.serde;
  console.log(`| ${k} | ${kb(v.own)} | ${kb(v.serde)} | ${pct(s)} | ${est(s)} |`);
}
