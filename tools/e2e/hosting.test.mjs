// Static hosting as users deploy it: the README's own nginx example (taken
// from README.md, only its paths, port and upstream substituted) serves dist/
// from a sub-path; every kind of file gets the strict CSP (no inline script
// or style, no framing), X-Frame-Options, nosniff, its type, its caching and
// compression: the build's brotli and gzip -9 copies are sent as they are
// (brotli_static, gzip_static) and decode to the very files of dist/. The
// suite's own nginx (scripts/e2e.sh) is checked the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, rmSync, cpSync, copyFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { setup, open, browser, until, BASE, DIRECT, WWW_DIR } from './lib.mjs';

setup();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUB = 'ops/raven/backup/';
const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'";
// Debian's libnginx-mod-http-brotli-static (scripts/setup.sh installs it).
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';

/** The README's nginx example (the block that serves the sub-path). */
function readmeExample() {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const blocks = [...readme.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]);
  const example = blocks.find((b) => b.includes(`location /${SUB}`));
  assert.ok(example, 'README.md has an nginx example serving /ops/raven/backup/');
  return example;
}

function substitute(text, from, to) {
  assert.ok(text.includes(from), `the README's example contains ${from}`);
  return text.split(from).join(to);
}

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

let nginx;
let README_BASE;
before(async () => {
  const dir = `${ROOT}target/e2e/readme-nginx`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/logs`, { recursive: true });
  assert.ok(existsSync(`${ROOT}dist/index.html`), 'dist/ is built');
  cpSync(`${ROOT}dist`, `${dir}/www/${SUB}`, { recursive: true });
  // A page of the same site that frames the dashboard (no script: the CSP
  // would refuse one).
  writeFileSync(`${dir}/www/${SUB}framer.html`, `<!doctype html><title>framer</title><iframe title="framed" src="./index.html#/backup"></iframe>`);
  const port = await freePort();
  let example = readmeExample();
  example = substitute(example, 'listen 443 ssl;', `listen 127.0.0.1:${port};`);
  example = substitute(example, 'root /srv/www;', `root ${dir}/www;`);
  example = substitute(example, 'proxy_pass http://127.0.0.1:8080;', `proxy_pass ${DIRECT};`);
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  // As Debian's /etc/nginx/nginx.conf loads an installed module (modules-enabled/).
  const modules = existsSync(BROTLI_MODULE) ? `load_module ${BROTLI_MODULE};` : '';
  writeFileSync(`${dir}/nginx.conf`, `${modules}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
${user}
events {}
http {
  access_log ${dir}/logs/access.log;
  client_body_temp_path ${dir}/cb; proxy_temp_path ${dir}/px;
  fastcgi_temp_path ${dir}/fc; uwsgi_temp_path ${dir}/uw; scgi_temp_path ${dir}/sc;
${example}
}
`);
  nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  nginx.stderr.on('data', (d) => { stderr += d; });
  README_BASE = `http://127.0.0.1:${port}/${SUB}`;
  await until(`nginx with the README's example (${stderr})`, async () => {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    return fetch(README_BASE).then((r) => r.ok, () => false);
  }, 10000);
});
after(() => { nginx?.kill(); });

/** Every kind of file the dashboard has, by URL, with its type and caching. */
async function assetsOf(base) {
  const index = await fetch(base);
  assert.equal(index.status, 200);
  const html = await index.text();
  // No inline script or style: every script has a src, no style element or attribute.
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), html);
  assert.ok(!/<style[\s>]/i.test(html) && !/\sstyle=/i.test(html), html);
  const linked = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css|wasm|svg|ico))"/g)].map((m) => m[1]);
  const find = (what, re) => {
    const hit = linked.find((a) => re.test(a));
    assert.ok(hit, `index.html links ${what}: ${linked.join(', ')}`);
    return hit;
  };
  const js = find('the app', /^raven-backup-studio-[0-9a-f]+\.js$/);
  const hashed = 'public, max-age=31536000, immutable';
  const loader = find('the split loader', /^__wasm_split-[0-9a-f]{16}\.js$/);
  const chunks = [...(await (await fetch(base + loader)).text())
    .matchAll(/"\.\/((?:split|chunk)_\w+-[0-9a-f]{16}\.wasm)"/g)].map((m) => m[1]);
  assert.ok(chunks.some((c) => c.startsWith('split_restore-')) && chunks.some((c) => c.startsWith('split_operations-')),
    `the split loader fetches the Restore and Operations screens: ${chunks.join(', ')}`);
  // file: the file of dist/ behind the URL; precompressed: dist/ has its .br and .gz.
  const asset = (name, file, more) => ({ name, url: base + file, file, precompressed: true, ...more });
  return [
    { ...asset('the sub-path', 'index.html', { type: 'text/html', cache: 'no-cache' }), url: base },
    asset('index.html', 'index.html', { type: 'text/html', cache: 'no-cache' }),
    asset('config.json', 'config.json', { type: 'application/json', cache: 'no-cache', precompressed: false }),
    asset('the loader', find('the loader', /^init-[0-9a-f]+\.js$/), { type: 'text/javascript', cache: hashed }),
    asset('the app', js, { type: 'text/javascript', cache: hashed }),
    asset('the wasm', js.replace(/\.js$/, '_bg.wasm'), { type: 'application/wasm', cache: hashed, gzip: true }),
    asset('the stylesheet', find('the stylesheet', /\.css$/), { type: 'text/css', cache: hashed }),
    asset('the icon', find('the icon', /\.(svg|ico)$/), { type: /^image\//, cache: hashed }),
    // The release build's split (scripts/split_wasm.sh): its loader, preloaded
    // with the app, and the screens' wasm files it fetches when first shown.
    asset('the split loader', loader, { type: 'text/javascript', cache: hashed }),
    ...chunks.map((c) => asset(`the lazily loaded ${c}`, c, { type: 'application/wasm', cache: hashed, gzip: true })),
  ];
}

/** One GET with the given Accept-Encoding; the body as sent (not decoded). */
function getRaw(url, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Each file is sent as the build's brotli copy to a browser that accepts br,
 * as its gzip -9 copy to one that accepts only gzip, and as it is otherwise;
 * each decodes to the very bytes of dist/. config.json has no copy (it is
 * edited after deploying): it is compressed on the fly, never from a stale copy.
 */
async function checkEncodings(base) {
  assert.ok(existsSync(BROTLI_MODULE),
    `nginx's brotli_static module is installed (${BROTLI_MODULE}: apt install libnginx-mod-http-brotli-static, scripts/setup.sh)`);
  for (const a of await assetsOf(base)) {
    const original = readFileSync(`${ROOT}dist/${a.file}`);
    const precompressed = existsSync(`${ROOT}dist/${a.file}.br`) && existsSync(`${ROOT}dist/${a.file}.gz`);
    assert.equal(precompressed, a.precompressed, `${a.name}: dist/ has a .br and a .gz copy of ${a.file}: ${precompressed}`);
    for (const [accept, encoding, decode] of [
      ['br, gzip', 'br', brotliDecompressSync],
      ['br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['identity', undefined, (b) => b],
    ]) {
      const what = `${a.name} with Accept-Encoding: ${accept}`;
      const r = await getRaw(a.url, accept);
      assert.equal(r.status, 200, what);
      if (!a.precompressed) {
        // No copy, never brotli; nginx gzips it on the fly (or not, when small).
        const sent = r.headers['content-encoding'];
        assert.ok(sent === undefined || (sent === 'gzip' && accept.includes('gzip')), `${what}: Content-Encoding ${sent}`);
        assert.ok((sent === 'gzip' ? gunzipSync(r.body) : r.body).equals(original), `${what}: the file as it is in dist/`);
        continue;
      }
      assert.equal(r.headers['content-encoding'], encoding, `${what}: Content-Encoding`);
      if (encoding) assert.match(r.headers.vary ?? '', /Accept-Encoding/i, `${what}: Vary`);
      if (a.precompressed && encoding) {
        const copy = readFileSync(`${ROOT}dist/${a.file}.${encoding === 'br' ? 'br' : 'gz'}`);
        assert.ok(r.body.equals(copy), `${what}: the build's own .${encoding === 'br' ? 'br' : 'gz'} copy is sent (${r.body.length} B, the copy is ${copy.length} B)`);
      }
      assert.ok(decode(r.body).equals(original), `${what}: decodes to dist/${a.file} (${original.length} B)`);
    }
  }
}

async function checkHeaders(base, policy) {
  for (const a of await assetsOf(base)) {
    const r = await fetch(a.url, { headers: { 'Accept-Encoding': 'gzip' } });
    const h = (k) => r.headers.get(k) ?? '';
    assert.equal(r.status, 200, `${a.name}: ${a.url}`);
    assert.ok(h('content-security-policy').startsWith(policy), `${a.name} has the CSP: ${h('content-security-policy')}`);
    assert.match(h('content-security-policy'), /(^|; )frame-ancestors 'none'(;|$)/, `${a.name} cannot be framed (CSP)`);
    assert.equal(h('x-frame-options'), 'DENY', `${a.name} cannot be framed (X-Frame-Options)`);
    assert.equal(h('x-content-type-options'), 'nosniff', `${a.name} has nosniff`);
    if (a.type instanceof RegExp) assert.match(h('content-type'), a.type, a.name);
    else assert.equal(h('content-type').split(';')[0], a.type, a.name);
    assert.equal(h('cache-control'), a.cache, `${a.name}: caching`);
    // undici decodes gzip transparently; the raw header still says it was compressed.
    if (a.gzip) assert.equal(h('content-encoding'), 'gzip', `${a.name} is compressed`);
    await r.arrayBuffer();
  }
  // A missing file gets the headers too.
  const missing = await fetch(`${base}missing.js`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('x-content-type-options'), 'nosniff', 'a 404 has nosniff');
  assert.match(missing.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  // The default config.json means "this page's origin".
  assert.deepEqual(await (await fetch(`${base}config.json`)).json(), { serverUrl: '' });
}

test("the README's nginx example serves every kind of file with the CSP, no framing, nosniff, types, caching and gzip", async () => {
  await checkHeaders(README_BASE, POLICY);
});

test("the README's nginx example sends the build's brotli and gzip -9 copies, which decode to dist/'s files", async () => {
  await checkEncodings(README_BASE);
});

test("the README's nginx example passes RavenDB 3.x's grant_type header, so the API-key sign-in's exchange starts", async () => {
  // nginx drops headers with underscores by default: the server would then
  // answer 400 "Only supported grant_type is client_credentials".
  const origin = new URL(README_BASE).origin;
  const res = await fetch(`${origin}/OAuth/API-Key`, { method: 'POST', headers: { grant_type: 'client_credentials' } });
  const body = await res.text();
  assert.equal(res.status, 412, `${res.status} ${body}`);
  assert.match(res.headers.get('www-authenticate') ?? '', /challenge=/);
});

test("the suite's own nginx sends the same headers", async () => {
  // Another flow may have replaced or removed config.json: put back dist/'s.
  copyFileSync(`${ROOT}dist/config.json`, `${WWW_DIR}/config.json`);
  await checkHeaders(BASE, POLICY);
  await checkEncodings(BASE);
});

test("under the README's example the page connects through its proxy, and no page can frame it", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    const problems = [];
    const consoleLines = [];
    page.onConsole((m) => {
      consoleLines.push(m);
      if (/^error: /.test(m) || /Content.Security.Policy/i.test(m)) problems.push(m);
    });
    page.onPageError((e) => problems.push(e));
    await page.goto(`${README_BASE}#/backup`);
    await page.getByRole('status').filter({ hasText: 'Connected: RavenDB 3.5' }).waitFor();
    assert.deepEqual(problems, []);

    // A page of the same site puts the dashboard in a frame: the browser
    // refuses it (frame-ancestors 'none'), says so, and shows none of it.
    consoleLines.length = 0;
    await page.goto(`${README_BASE}framer.html`);
    await until('the browser reports the frame-ancestors refusal', async () => consoleLines.some((m) => /frame-ancestors/.test(m)), 15000);
    const framed = await page.evaluate(() => {
      const frame = document.querySelector('iframe');
      if (!frame) return 'no iframe';
      const doc = frame.contentDocument;
      return doc ? (doc.body?.textContent ?? '') : null;
    });
    assert.notEqual(framed, 'no iframe', 'the framing page has its iframe');
    assert.ok(framed === null || !framed.includes('Raven Backup Studio'), `nothing of the dashboard renders in the frame: ${framed}`);
  } finally {
    await page.close();
  }
});

test('the page runs under the CSP from the sub-path, on every screen', async () => {
  const { page } = await open('#/backup');
  for (const [link, heading] of [['Restore', 'Restore'], ['Operations', 'Operations'], ['Backup', 'Backup']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }
  assert.ok(page.url().startsWith(BASE), page.url());
});
