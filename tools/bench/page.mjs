// `make bench`, the page: what a first visit costs, for our dist/ served by
// nginx as the README deploys it (its own nginx example: precompressed
// brotli, same-origin proxy) and for RavenDB's own Studio, side by side, in
// headless Chromium with the cache off. Each figure is the median of
// BENCH_RUNS runs (default 5, at least 5 unless BENCH_RUNS says otherwise),
// once at full speed and once throttled to 10 Mbit/s with 40 ms latency
// (CDP Network.emulateNetworkConditions). A benchmark, never a test: it
// prints figures and fails only when it cannot measure.
//
// Both pages talk to the same genuine RavenDB 7.1 server (scripts/ravendb7,
// installed when missing), which holds the databases of DATABASES. RavenDB
// 4.1's Studio is measured too when 4.1 is installed (scripts/ravendb4).
//
// The figures:
// - bytes on the wire: the sum of CDP's encodedDataLength (headers and
//   bodies as sent) of every HTTP request until the page is settled (loaded,
//   the database list ready, then no request for 500 ms); requests counts
//   them (websockets are counted apart);
// - database list ready: ms from navigation start until the DOM shows the
//   server's databases. Ours: the Database field's suggestions (the <datalist>
//   of the labelled <input list>) hold every name. The Studio: its databases
//   view (#databases) shows a visible link named after each database. Taken
//   in the page by a MutationObserver (performance.now()), so not rounded to
//   a polling interval;
// - load event: ms until loadEventEnd;
// - JS heap: Runtime.getHeapUsage usedSize after a forced garbage collection,
//   once settled (the wasm linear memory of ours is not in it).
//
//   node tools/bench/page.mjs      (scripts/bench.sh runs it; BENCH_RUNS=7 for more runs)
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, rmSync, cpSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = `${ROOT}target/bench`;
const SUB = 'ops/raven/backup/';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// BENCH_ONLY_OURS=1: measure our page only (no Studio), e.g. while trying
// a loading lever on a loaded machine; `make bench` measures both.
const ONLY_OURS = process.env.BENCH_ONLY_OURS === '1';
// BENCH_DIST=DIR: measure another build of ours (e.g. an older dist/ kept
// for a before/after figure); default dist/.
const DIST = process.env.BENCH_DIST ?? `${ROOT}dist`;
const READY_TIMEOUT_MS = Number(process.env.BENCH_READY_TIMEOUT_MS ?? 20000);
const QUIET_MS = 500;
const SETTLE_CAP_MS = 10000;
const DATABASES = ['Northwind', 'Orders', 'Payroll'];
// 10 Mbit/s both ways, 40 ms round trip added to every request.
const SLOW_LINK = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
const RAVEN4_HOME = process.env.RAVEN4_HOME ?? `${process.env.HOME}/.cache/ravendb41`;
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch (e) { console.error(`cleanup: ${e.message}`); }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143)); });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/** Runs a RavenDB start script (7.1 or 4.1) on a free port and a fresh data folder; stops it at the end. */
async function startRaven(script, dir) {
  const port = await freePort();
  cleanups.push(() => execFileSync('bash', [`${ROOT}scripts/${script}/start.sh`, 'stop', dir], { stdio: 'ignore' }));
  execFileSync('bash', [`${ROOT}scripts/${script}/start.sh`, String(port), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return `http://127.0.0.1:${port}`;
}

async function createDatabases(url) {
  for (const name of DATABASES) {
    const r = await fetch(`${url}/admin/databases?name=${name}&replicationFactor=1`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ DatabaseName: name, Settings: {}, Disabled: false }),
    });
    if (!r.ok) throw new Error(`creating ${name} on ${url}: ${r.status} ${await r.text()}`);
  }
}

/** nginx with the README's own example: dist/ under /ops/raven/backup/, the rest proxied to upstream. */
async function startReadmeNginx(upstream) {
  const dir = `${WORK}/nginx`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/logs`, { recursive: true });
  cpSync(DIST, `${dir}/www/${SUB}`, { recursive: true });
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  let example = [...readme.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1])
    .find((b) => b.includes(`location /${SUB}`));
  if (!example) throw new Error('README.md has no nginx example serving /ops/raven/backup/');
  const port = await freePort();
  for (const [from, to] of [['listen 443 ssl;', `listen 127.0.0.1:${port};`], ['root /srv/www;', `root ${dir}/www;`],
    ['proxy_pass http://127.0.0.1:8080;', `proxy_pass ${upstream};`]]) {
    if (!example.includes(from)) throw new Error(`the README's nginx example has no "${from}"`);
    example = example.split(from).join(to);
  }
  if (!existsSync(BROTLI_MODULE)) throw new Error(`${BROTLI_MODULE} is missing: bash scripts/setup.sh`);
  writeFileSync(`${dir}/nginx.conf`, `load_module ${BROTLI_MODULE};
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
${process.getuid?.() === 0 ? 'user root;' : ''}
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/cb; proxy_temp_path ${dir}/px;
  fastcgi_temp_path ${dir}/fc; uwsgi_temp_path ${dir}/uw; scgi_temp_path ${dir}/sc;
${example}
}
`);
  const nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'], { stdio: 'ignore' });
  cleanups.push(async () => {
    if (nginx.exitCode !== null) return;
    const gone = new Promise((r) => nginx.once('exit', r));
    nginx.kill('SIGTERM');
    await gone;
  });
  const base = `http://127.0.0.1:${port}/${SUB}`;
  for (let i = 0; ; i++) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${readFileSync(`${dir}/logs/error.log`, 'utf8')}`);
    if (await fetch(base).then((r) => r.ok, () => false)) return base;
    if (i > 100) throw new Error('nginx did not answer');
    await sleep(100);
  }
}

/**
 * Runs in the page before its own scripts: records performance.now() in
 * window.__benchReady when the database list is first ready (see the header).
 */
function readyWatcher({ kind, names }) {
  const ours = () => [...document.querySelectorAll('input[list]')].some((input) => {
    const label = [...(input.labels ?? [])].map((l) => l.textContent).join(' ');
    const options = [...(input.list?.options ?? [])].map((o) => o.value);
    return /database/i.test(label) && names.every((n) => options.includes(n));
  });
  const studio = () => {
    if (!location.hash.startsWith('#databases')) return false;
    const links = [...document.querySelectorAll('a')];
    return names.every((n) => links.some((a) => a.textContent.trim() === n && a.getClientRects().length > 0));
  };
  const check = kind === 'ours' ? ours : studio;
  // Trunk's loader fires this once the wasm is instantiated and main() ran:
  // main() creates the state and starts reading config.json; the view is
  // built a task later (src/app.rs, mount).
  addEventListener('TrunkApplicationStarted', () => { window.__benchStarted = performance.now(); });
  const observer = new MutationObserver(() => {
    if (window.__benchReady === undefined && check()) {
      window.__benchReady = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
}

async function measure(browser, target, link) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (link) await cdp.send('Network.emulateNetworkConditions', link);
    let requests = 0; let bytes = 0; let websockets = 0; let failed = 0;
    const inflight = new Set();
    const timeline = new Map(); // requestId -> [url, start, end, bytes] (CDP timestamps, s)
    let lastActivity = Date.now();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.startsWith('data:')) return;
      requests += 1; inflight.add(e.requestId); lastActivity = Date.now();
      timeline.set(e.requestId, [e.request.url, e.timestamp, null, 0]);
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (!inflight.delete(e.requestId)) return;
      bytes += e.encodedDataLength; lastActivity = Date.now();
      const t = timeline.get(e.requestId);
      if (t) { t[2] = e.timestamp; t[3] = e.encodedDataLength; }
    });
    cdp.on('Network.loadingFailed', (e) => {
      if (inflight.delete(e.requestId)) { failed += 1; lastActivity = Date.now(); }
    });
    cdp.on('Network.webSocketCreated', () => { websockets += 1; });
    await page.addInitScript(readyWatcher, { kind: target.kind, names: DATABASES });
    await page.goto(target.url, { waitUntil: 'load', timeout: 120000 });
    const timeout = target.neverReady ? 1 : READY_TIMEOUT_MS;
    const ready = await page.waitForFunction(() => window.__benchReady, null, { timeout, polling: 50 })
      .then((h) => h.jsonValue(), () => null);
    // Settled: nothing in flight and nothing new for QUIET_MS (at most SETTLE_CAP_MS).
    const settleEnd = Date.now() + SETTLE_CAP_MS;
    while (Date.now() < settleEnd && (inflight.size > 0 || Date.now() - lastActivity < QUIET_MS)) await sleep(50);
    const load = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? null);
    const started = await page.evaluate(() => window.__benchStarted ?? null);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    if (process.env.BENCH_TRACE) {
      const t0 = Math.min(...[...timeline.values()].map((t) => t[1]));
      console.log(`\n${target.name}${link ? ' (slow link)' : ''}: ready ${ready?.toFixed(0)} ms, load ${load?.toFixed(0)} ms, wasm app started ${started?.toFixed(0)} ms`);
      for (const [url, start, end, n] of timeline.values()) {
        const ms = (x) => (x === null ? '   ?' : String(Math.round((x - t0) * 1000)).padStart(5));
        console.log(`  ${ms(start)} -> ${ms(end)} ms ${String(n).padStart(9)} B  ${url.slice(0, 110)}`);
      }
    }
    return { bytes, requests, websockets, failed, ready, load, started, heap: usedSize };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function report(title, targets, results) {
  const ours = targets[0];
  const fmt = {
    bytes: (v) => v.toLocaleString('en-US'),
    requests: (v) => String(v),
    ready: (v) => `${Math.round(v)} ms`,
    load: (v) => `${Math.round(v)} ms`,
    started: (v) => `${Math.round(v)} ms`,
    heap: (v) => `${(v / 1e6).toFixed(1)} MB`,
  };
  const rows = [
    ['bytes on the wire', 'bytes'], ['requests', 'requests'], ['database list ready', 'ready'],
    ['load event', 'load'], ['wasm app started', 'started'], ['JS heap after load', 'heap'],
  ];
  const med = (t, k) => median(results.get(t.name).map((r) => r[k]));
  const cell = (t, k) => {
    const runs = results.get(t.name);
    const v = med(t, k);
    if (k === 'ready' && runs.some((r) => r.ready === null)) {
      const n = runs.filter((r) => r.ready === null).length;
      return v === null ? `never (${READY_TIMEOUT_MS / 1000} s)` : `${fmt.ready(v)} (${n} never)`;
    }
    if (v === null) return '-';
    let s = fmt[k](v);
    if (k === 'requests') {
      const ws = median(runs.map((r) => r.websockets));
      if (ws) s += ` +${ws} ws`;
    }
    return s;
  };
  const width = [22, ...targets.map((t, i) => (i === 0 ? 22 : 30))];
  console.log(`\n${title} (median of ${RUNS} runs; ratio = the Studio's figure / ours)`);
  console.log(['', ...targets.map((t) => t.name)].map((c, i) => c.padEnd(width[i])).join(' '));
  for (const [label, k] of rows) {
    const cells = [label, cell(ours, k)];
    for (const t of targets.slice(1)) {
      const a = med(ours, k); const b = med(t, k);
      const never = k === 'ready' && results.get(t.name).every((r) => r.ready === null);
      const ratio = never ? 'never ready' : a && b ? `${(b / a).toFixed(1)}x` : '-';
      cells.push(`${cell(t, k)} (${ratio})`);
    }
    console.log(cells.map((c, i) => c.padEnd(width[i])).join(' '));
  }
}

async function main() {
  if (!existsSync(`${DIST}/index.html`)) throw new Error(`${DIST}/index.html is missing: trunk build --release`);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  execFileSync('bash', [`${ROOT}scripts/ravendb7/setup.sh`, '7.1'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const raven7 = await startRaven('ravendb7', `${WORK}/raven7`);
  await createDatabases(raven7);
  const base = await startReadmeNginx(raven7);
  const targets = [
    { name: 'ours (nginx, README)', kind: 'ours', url: `${base}#/backup` },
    { name: 'RavenDB 7.1 Studio', kind: 'studio', url: `${raven7}/studio/index.html#databases` },
  ];
  if (ONLY_OURS) {
    targets.pop();
    console.log('(BENCH_ONLY_OURS: the Studios are left out; RavenDB 7.1 still serves our page its databases)');
  } else if (existsSync(`${RAVEN4_HOME}/.installed`) && existsSync(`${ROOT}scripts/ravendb4/start.sh`)) {
    const raven4 = await startRaven('ravendb4', `${WORK}/raven4`);
    await createDatabases(raven4);
    targets.push({ name: 'RavenDB 4.1 Studio', kind: 'studio', url: `${raven4}/studio/index.html#databases` });
  } else {
    console.log(`(RavenDB 4.1 is not installed in ${RAVEN4_HOME}: its Studio is left out; scripts/ravendb4/setup.sh installs it)`);
  }

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
  cleanups.push(() => browser.close());
  // One warm-up load each (server-side caches, the OS's file cache), not counted.
  for (const t of targets) await measure(browser, t, null);
  for (const [title, link] of [['Full speed (loopback)', null], ['10 Mbit/s, 40 ms latency', SLOW_LINK]]) {
    const results = new Map(targets.map((t) => [t.name, []]));
    for (const t of targets) t.neverReady = false;
    for (let i = 0; i < RUNS; i++) {
      for (const t of targets) {
        const r = await measure(browser, t, link);
        results.get(t.name).push(r);
        // A page that was not ready within the timeout in its first run is
        // not waited for again (RavenDB 4.1's Studio in today's Chromium).
        if (i === 0 && r.ready === null) t.neverReady = true;
        process.stderr.write('.');
      }
    }
    process.stderr.write('\n');
    report(title, targets, results);
  }
}

try {
  await main();
} catch (e) {
  console.error(`bench failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
