// The README's secured Deploy example, as the secured suite runs it: the
// nginx block (the one with proxy_ssl_certificate) with only its port,
// paths and upstream substituted, and RavenDB's settings.json block. Used
// by scripts/e2e_ravendb7_secured.sh to write nginx.conf (so the harness's
// nginx is the README's example) and by secured.test.mjs to check that.
//
//   node tools/e2e-ravendb7-secured/readme.mjs nginx-conf OUT \
//     --port N --dir NGINX_DIR --www WWW --raven https://127.0.0.1:P \
//     --certs CERTS_DIR --htpasswd FILE
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function blocks(lang) {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  return [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

function only(list, what) {
  if (list.length !== 1) throw new Error(`README.md has ${list.length} ${what}, wanted exactly one`);
  return list[0];
}

/** The README's nginx example for a secured RavenDB. */
export function readmeSecuredNginx() {
  return only(blocks('nginx').filter((b) => b.includes('proxy_ssl_certificate ')),
    'nginx blocks with proxy_ssl_certificate');
}

/** The README's settings.json for a secured RavenDB, parsed. */
export function readmeSecuredSettings() {
  return JSON.parse(only(blocks('json').filter((b) => b.includes('Security.WellKnownCertificates.Admin')),
    'json blocks with Security.WellKnownCertificates.Admin'));
}

function substitute(text, from, to) {
  if (!text.includes(from)) throw new Error(`the README's secured example lacks ${from}`);
  return text.split(from).join(to);
}

/** A whole nginx.conf around the README's secured example. */
export function nginxConf({ port, dir, www, raven, certs, htpasswd }) {
  let example = readmeSecuredNginx();
  example = substitute(example, 'listen 443 ssl;', `listen 127.0.0.1:${port};`);
  example = substitute(example, 'root /srv/www;', `root ${www};`);
  example = substitute(example, 'proxy_pass https://127.0.0.1:8080;', `proxy_pass ${raven};`);
  example = substitute(example, '/etc/nginx/raven/', `${certs}/`);
  example = substitute(example, '/etc/nginx/raven-backup.htpasswd', htpasswd);
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  return `worker_processes 1;
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
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: Object.fromEntries(['port', 'dir', 'www', 'raven', 'certs', 'htpasswd'].map((k) => [k, { type: 'string' }])),
  });
  const [command, out] = positionals;
  if (command !== 'nginx-conf' || !out || Object.keys(values).length !== 6) {
    console.error('usage: readme.mjs nginx-conf OUT --port N --dir D --www W --raven URL --certs C --htpasswd F');
    process.exit(2);
  }
  writeFileSync(out, nginxConf(values));
}
