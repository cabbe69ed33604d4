#!/usr/bin/env node
// Trunk post-build step (release only): writes a brotli -q 11 copy (.br) and
// a gzip -9 copy (.gz) next to each text and wasm file of the build, so a
// static host serves them as they are (nginx `brotli_static on;` and
// `gzip_static on;`, README "Deploy") instead of compressing on every request
// at a low level. config.json is left alone: admins edit it after deploying,
// and a stale config.json.gz would be served in its place.
//
// Brotli is node's own zlib (node already runs the build's wasm-opt, from npm
// binaryen): nothing to install. gzip is the gzip program (GNU gzip -9 -n,
// 1% smaller than zlib level 9; Debian has it on every host).
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { brotliCompressSync, constants } from 'node:zlib';

export const COMPRESSED = /\.(html|js|mjs|css|wasm|svg|txt|map)$/;

export function brotli11(buf) {
  return brotliCompressSync(buf, { params: {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
  } });
}

export function gzip9(buf) {
  return execFileSync('gzip', ['-9', '-n', '-c'], { input: buf, maxBuffer: 1 << 30 });
}

function main() {
  if (process.env.TRUNK_PROFILE && process.env.TRUNK_PROFILE !== 'release') return;
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/precompress.mjs DIR (or as a trunk post_build hook)');
    process.exit(2);
  }
  let n = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!COMPRESSED.test(name) || !statSync(path).isFile()) continue;
    const buf = readFileSync(path);
    writeFileSync(`${path}.br`, brotli11(buf));
    writeFileSync(`${path}.gz`, gzip9(buf));
    n += 1;
  }
  console.log(`precompress: .br and .gz written for ${n} files`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
