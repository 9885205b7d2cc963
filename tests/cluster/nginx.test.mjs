// The deployment recipe of docs/operations.md, tested: nginx terminating TLS
// with HTTP/2 in front of two qmslift servers on one database
// (deploy/nginx-qmslift.conf is used as it is, with its placeholders filled in).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freePort, ROOT, DEMO_PASSWORD } from '../lib/server.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
let a, b, dir, nginx, port;

function curl(args) {
  const r = spawnSync('curl', ['-sk', '--http2', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `curl failed: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  assert.ok(NGINX, 'nginx is installed by scripts/deps.sh test');
  a = await startServer({ args: ['--trust-proxy', 'yes'] });
  b = await startServer({ db: a.db, args: ['--trust-proxy', 'yes'] });
  dir = mkdtempSync(join(tmpdir(), 'qmslift-nginx-'));
  const key = join(dir, 'key.pem'), cert = join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
    '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  port = await freePort();
  const site = readFileSync(join(ROOT, 'deploy', 'nginx-qmslift.conf'), 'utf8')
    .replaceAll('@LISTEN@', `127.0.0.1:${port}`).replaceAll('@CERT@', cert).replaceAll('@KEY@', key)
    .replaceAll('@UPSTREAM_A@', `127.0.0.1:${a.port}`).replaceAll('@UPSTREAM_B@', `127.0.0.1:${b.port}`);
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(join(dir, 'nginx.conf'), `
${process.getuid() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}`);
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const t = spawnSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', `https://127.0.0.1:${port}/healthz`], { encoding: 'utf8' });
    if (t.stdout === '200') break;
    await new Promise((res) => setTimeout(res, 50));
  }
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGTERM');
    await new Promise((r) => nginx.once('exit', r));
  }
  await a?.stop();
  await b?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('HTTPS with HTTP/2 through nginx reaches qmslift', () => {
  const out = curl(['-o', '/dev/null', '-w', '%{http_version} %{http_code}', `https://127.0.0.1:${port}/healthz`]);
  assert.equal(out, '2 200');
});

test('login over TLS sets a Secure cookie and the session works on both upstreams', async () => {
  const jar = join(dir, 'cookies');
  const headers = curl(['-D', '-', '-o', join(dir, 'login.json'), '-c', jar, '-H', 'Content-Type: application/json',
    '--data', JSON.stringify({ username: 'city', password: DEMO_PASSWORD }), `https://127.0.0.1:${port}/api/v1/login`]);
  assert.match(headers, /^HTTP\/2 200/m);
  assert.match(headers, /set-cookie: qms_session=[^;]+;.*HttpOnly; SameSite=Strict;.*Secure/i);
  // spawnSync blocks the event loop: let the servers' log lines arrive before counting
  const settle = () => new Promise((res) => setTimeout(res, 300));
  await settle();
  const before = [a.log().split('path=/api/v1/me').length, b.log().split('path=/api/v1/me').length];
  for (let i = 0; i < 6; i++) {
    const me = JSON.parse(curl(['-b', jar, `https://127.0.0.1:${port}/api/v1/me`]));
    assert.equal(me.user.username, 'city');
  }
  await settle();
  const served = [a.log().split('path=/api/v1/me').length - before[0], b.log().split('path=/api/v1/me').length - before[1]];
  assert.equal(served[0] + served[1], 6);
  assert.ok(served[0] > 0 && served[1] > 0, `both upstreams served /me: ${served}`);
});

test('the audit log records the client address nginx saw, and a forged header cannot change it', () => {
  const jar = join(dir, 'cookies');
  curl(['-o', '/dev/null', '-H', 'X-Forwarded-For: 203.0.113.9', '-H', 'Content-Type: application/json',
    '--data', JSON.stringify({ username: 'cb1', password: 'wrong-password' }), `https://127.0.0.1:${port}/api/v1/login`]);
  const log = JSON.parse(curl(['-b', jar, `https://127.0.0.1:${port}/api/v1/audit-log?action=login.failure&username=cb1`]));
  assert.ok(log.items.length >= 1);
  assert.equal(log.items[0].ip, '127.0.0.1');
});

test('the public API is rate limited per client at nginx (429 with the JSON error); the rest is not', () => {
  // 60 requests at once on one HTTP/2 connection: the first 31 (1 + burst 30)
  // pass, a few more as the 10 r/s bucket refills (one more per 100 ms the
  // burst takes), the rest get 429.
  const codes = (url, n, extra = []) => curl(['--parallel', '--parallel-immediate', '--parallel-max', String(n),
    ...extra, '-w', '%{http_code}\n', ...Array.from({ length: n }, () => ['-o', '/dev/null', url]).flat()])
    .trim().split('\n');
  const got = codes(`https://127.0.0.1:${port}/api/v1/public/notices`, 60);
  assert.equal(got.length, 60);
  const ok = got.filter((c) => c === '200').length, limited = got.filter((c) => c === '429').length;
  assert.equal(ok + limited, 60, `only 200 or 429: ${got.join(',')}`);
  assert.ok(ok >= 31, `the burst passes: ${ok} × 200`);
  assert.ok(limited >= 10, `the rest is refused: ${limited} × 429`);
  // The refusal is the API's error shape, in Chinese, with Retry-After.
  // (Single requests, each a new process and TLS handshake, come faster than
  // the bucket refills: one of the first few is refused.)
  let headers = '';
  for (let i = 0; i < 20 && !/^HTTP\/2 429/m.test(headers); i++) {
    headers = curl(['-D', '-', '-o', join(dir, 'limited.json'), `https://127.0.0.1:${port}/api/v1/public/cases`]);
  }
  assert.match(headers, /^HTTP\/2 429/m, 'the bucket stays empty under a stream of requests');
  assert.match(headers, /^content-type: application\/json/mi);
  assert.match(headers, /^retry-after: 1/mi);
  assert.match(headers, /^strict-transport-security: /mi);
  const body = JSON.parse(readFileSync(join(dir, 'limited.json'), 'utf8'));
  assert.equal(body.error.code, 'rate_limited');
  assert.match(body.error.message, /请求过于频繁/);
  // Not limited: the same burst on a path outside /api/v1/public/.
  const health = codes(`https://127.0.0.1:${port}/healthz`, 60);
  assert.deepEqual([...new Set(health)], ['200']);
});
