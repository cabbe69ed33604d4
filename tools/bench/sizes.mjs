// Sizes of the release build's first-load files: raw, gzip -9 and brotli -q 11,
// each file and in total (what `make bench` prints and the size budget checks).
// Compressed as the build's precompress step (scripts/precompress.mjs) does.
//
//   node tools/bench/sizes.mjs [DIST]          # a table (default dist/)
//   node tools/bench/sizes.mjs [DIST] --json   # the same figures as JSON
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotli11, gzip9 } from '../../scripts/precompress.mjs';

/**
 * The wasm files of the screens that load when first shown
 * (scripts/split_wasm.sh): split_<screen>-<hash>.wasm, and chunk_<n>-<hash>.wasm
 * for code two such screens share.
 */
export const LAZY = /^(split|chunk)_\w+-[0-9a-f]{16}\.wasm$/;

/**
 * The split screens that the first screen (Backup, the app's default
 * route) fetches at once, one per server generation: a first visit
 * downloads one of them, with the chunks it needs. They are part of the
 * first load (docs/size.md, "The split").
 */
export const FIRST_SCREEN = [
  { generation: 'RavenDB 3.x', split: 'backup3' },
  { generation: 'RavenDB 4.x+', split: 'backup4' },
];

function files(dir) {
  return readdirSync(dir)
    .filter((f) => !/\.(br|gz)$/.test(f) && statSync(join(dir, f)).isFile())
    .sort();
}

/**
 * What each split screen loads, from the split loader __wasm_split-*.js:
 * split name -> its own file and the chunk files it needs (transitively),
 * as the loader fetches them.
 */
export function splitFiles(dir) {
  const loaderName = files(dir).find((f) => /^__wasm_split(-[0-9a-f]{16})?\.js$/.test(f));
  if (!loaderName) return new Map();
  const loader = readFileSync(join(dir, loaderName), 'utf8');
  const entry = /(?:const (__chunk_\w+)|export const __wasm_split_load_(\w+)) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{[\s\S]*?new URL\("\.\/([^"]+)"[\s\S]*?\}\s*,\s*\[([^\]]*)\]\)/g;
  const chunks = new Map();
  const splits = new Map();
  for (const m of loader.matchAll(entry)) {
    const deps = m[4].split(',').map((d) => d.trim()).filter(Boolean);
    if (m[1]) chunks.set(m[1], { file: m[3], deps });
    else splits.set(m[2], { file: m[3], deps });
  }
  const resolve = (deps, out) => {
    for (const d of deps) {
      const c = chunks.get(d);
      if (!c) throw new Error(`${loaderName}: ${d} is not defined`);
      if (!out.includes(c.file)) { out.push(c.file); resolve(c.deps, out); }
    }
    return out;
  };
  return new Map([...splits].map(([name, s]) => [name, [s.file, ...resolve(s.deps, [])]]));
}

/**
 * Every file of dist/ but the precompressed copies and the lazily loaded
 * screens: all of them are loaded on the first visit (index.html, the
 * loader, the app's js and wasm, the split loader __wasm_split-*.js that
 * the app's js imports, the stylesheet, the icon, config.json).
 */
export function firstLoadFiles(dir) {
  return files(dir).filter((f) => !LAZY.test(f));
}

/** The lazily loaded screens' files (see LAZY). */
export function lazyFiles(dir) {
  return files(dir).filter((f) => LAZY.test(f));
}

/**
 * The sizes of dist/. `firstLoad` is what a first visit downloads for the
 * first screen: the files every visit loads (`base`), plus the first
 * screen's split files of the generation for which they are the larger
 * (`firstScreen.chosen`); `files` and `wasm` are that first load's.
 */
export function sizes(dir) {
  const measure = (name) => {
    const buf = readFileSync(join(dir, name));
    return { name, raw: buf.length, gzip: gzip9(buf).length, brotli: brotli11(buf).length };
  };
  const sum = (list, k) => list.reduce((a, f) => a + f[k], 0);
  const total = (list) => ({ raw: sum(list, 'raw'), gzip: sum(list, 'gzip'), brotli: sum(list, 'brotli') });
  const base = firstLoadFiles(dir).map(measure);
  const lazyAll = lazyFiles(dir).map(measure);
  const byName = new Map(lazyAll.map((f) => [f.name, f]));
  const splits = splitFiles(dir);
  const generations = FIRST_SCREEN.filter((g) => splits.has(g.split)).map((g) => {
    const list = splits.get(g.split).map((n) => {
      const f = byName.get(n);
      if (!f) throw new Error(`the split loader fetches ${n}, which is not in ${dir}`);
      return f;
    });
    return { ...g, files: list, total: total(list), firstLoad: total([...base, ...list]) };
  });
  const chosen = generations.reduce((a, g) => (a && a.total.brotli >= g.total.brotli ? a : g), null);
  const screenFiles = chosen ? chosen.files : [];
  const files = [...base, ...screenFiles];
  const wasm = files.filter((f) => f.name.endsWith('.wasm'));
  const lazy = lazyAll.filter((f) => !screenFiles.includes(f));
  return {
    files,
    base: total(base),
    wasm: total(wasm),
    firstLoad: total(files),
    firstScreen: { generations, chosen: chosen ? chosen.generation : null },
    lazy,
    lazyTotal: total(lazy),
  };
}

function main() {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--')) ?? 'dist';
  const s = sizes(dir);
  if (args.includes('--json')) { console.log(JSON.stringify(s, null, 2)); return; }
  const row = (name, f) => console.log(`${name.padEnd(46)} ${String(f.raw).padStart(10)} ${String(f.gzip).padStart(10)} ${String(f.brotli).padStart(10)}`);
  console.log(`${'release file'.padEnd(46)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)} ${'brotli 11'.padStart(10)}`);
  for (const f of s.files) row(f.name, f);
  row('wasm', s.wasm);
  const which = s.firstScreen.chosen ? `, with the Backup screen of ${s.firstScreen.chosen}` : '';
  row(`all first-load files (${s.files.length}${which})`, s.firstLoad);
  if (s.firstScreen.generations.length > 0) {
    console.log('\nthe first load per server generation (every visit loads the files above the');
    console.log('Backup screen\'s; one generation\'s Backup files come with them)');
    for (const g of s.firstScreen.generations) {
      row(`${g.generation}: ${g.files.map((f) => f.name.split('-')[0]).join(' + ')}`, g.total);
      row(`${g.generation}: first load`, g.firstLoad);
    }
  }
  if (s.lazy.length === 0) return;
  console.log(`\n${'loaded when another screen is first shown'.padEnd(46)}`);
  for (const f of s.lazy) row(f.name, f);
  row(`all lazily loaded files (${s.lazy.length})`, s.lazyTotal);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
