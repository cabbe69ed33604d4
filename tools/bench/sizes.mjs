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
 * for code two such screens share. Not part of the first load.
 */
export const LAZY = /^(split|chunk)_\w+-[0-9a-f]{16}\.wasm$/;

function files(dir) {
  return readdirSync(dir)
    .filter((f) => !/\.(br|gz)$/.test(f) && statSync(join(dir, f)).isFile())
    .sort();
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

export function sizes(dir) {
  const measure = (name) => {
    const buf = readFileSync(join(dir, name));
    return { name, raw: buf.length, gzip: gzip9(buf).length, brotli: brotli11(buf).length };
  };
  const files = firstLoadFiles(dir).map(measure);
  const lazy = lazyFiles(dir).map(measure);
  const sum = (list, k) => list.reduce((a, f) => a + f[k], 0);
  const wasm = files.filter((f) => f.name.endsWith('.wasm'));
  const total = (list) => ({ raw: sum(list, 'raw'), gzip: sum(list, 'gzip'), brotli: sum(list, 'brotli') });
  return { files, wasm: total(wasm), firstLoad: total(files), lazy, lazyTotal: total(lazy) };
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
  row(`all first-load files (${s.files.length})`, s.firstLoad);
  if (s.lazy.length === 0) return;
  console.log(`\n${'loaded when a screen is first shown'.padEnd(46)}`);
  for (const f of s.lazy) row(f.name, f);
  row(`all lazily loaded files (${s.lazy.length})`, s.lazyTotal);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
