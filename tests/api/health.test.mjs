// Health check, public site information, security headers and static files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { startServer, Client } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

function assertErrorBody(r, status, code) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.ok(r.json && r.json.error, `error body expected, got: ${r.text}`);
  assert.equal(r.json.error.code, code);
  assert.equal(typeof r.json.error.message, 'string');
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `message should be Chinese: ${r.json.error.message}`);
  assert.ok(r.json.error.message.length > 0);
  assert.ok('field' in r.json.error, 'error.field must be present (null or a name)');
}

function assertSecurityHeaders(r, what) {
  const csp = r.headers.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy missing`);
  assert.match(csp, /frame-ancestors\s+'none'/, `${what}: CSP without frame-ancestors 'none': ${csp}`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.ok(r.headers.get('referrer-policy'), `${what}: Referrer-Policy missing`);
}

test('GET /healthz answers 200 {"status":"ok"}', async () => {
  const r = await new Client(srv.base).get('/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
});

test('GET /api/v1/public/site reports the simulated date and the current phase', async () => {
  const r = await new Client(srv.base).get('/api/v1/public/site');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  assert.equal(r.json.today, '2021-05-10');
  assert.equal(r.json.simulated, true);
  assert.equal(typeof r.json.platform, 'string');
  assert.ok(r.json.platform.length > 0);
  const p = r.json.programme;
  assert.ok(p, 'programme missing');
  assert.equal(p.code, 'sh-2021');
  assert.equal(typeof p.id, 'number');
  assert.ok(p.current_phase, 'current_phase missing');
  assert.equal(p.current_phase.key, 'assistance');
  assert.equal(p.current_phase.name, '帮扶提升');
  assert.equal(p.current_phase.start, '2021-04-01');
  assert.equal(p.current_phase.end, '2021-08-31');
});

test('a server without --today reports simulated false and the real date', async () => {
  const real = await startServer({ today: null });
  try {
    const r = await new Client(real.base).get('/api/v1/public/site');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.simulated, false);
    assert.match(r.json.today, /^\d{4}-\d{2}-\d{2}$/);
    const now = new Date();
    const candidates = [-1, 0, 1].map((d) => new Date(now.getTime() + d * 86400000).toISOString().slice(0, 10));
    assert.ok(candidates.includes(r.json.today), `today ${r.json.today} is not the real date`);
  } finally {
    await real.stop();
  }
});

test('a server with a date outside every phase reports current_phase null', async () => {
  const early = await startServer({ today: '2020-12-31' });
  try {
    const r = await new Client(early.base).get('/api/v1/public/site');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.today, '2020-12-31');
    assert.equal(r.json.simulated, true);
    assert.equal(r.json.programme.current_phase, null);
  } finally {
    await early.stop();
  }
});

test('security headers on the home page', async () => {
  const r = await new Client(srv.base).get('/');
  assert.equal(r.status, 200, `GET / → ${r.status}`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/);
  assertSecurityHeaders(r, 'GET /');
});

test('security headers on API responses (success and errors)', async () => {
  const c = new Client(srv.base);
  const site = await c.get('/api/v1/public/site');
  assertSecurityHeaders(site, 'GET /api/v1/public/site');
  const me = await c.get('/api/v1/me');
  assertErrorBody(me, 401, 'not_authenticated');
  assertSecurityHeaders(me, 'GET /api/v1/me (401)');
  assert.match(me.headers.get('content-type') || '', /^application\/json/);
  await c.login('city');
  const progs = await c.get('/api/v1/programmes');
  assert.equal(progs.status, 200);
  assertSecurityHeaders(progs, 'GET /api/v1/programmes');
  const nf = await c.get('/api/v1/no-such-thing');
  assertErrorBody(nf, 404, 'not_found');
  assertSecurityHeaders(nf, 'GET /api/v1/no-such-thing (404)');
});

test('static files: content types and Cache-Control', async () => {
  const c = new Client(srv.base);
  const index = await c.get('/index.html');
  assert.equal(index.status, 200, 'GET /index.html');
  assert.match(index.headers.get('content-type') || '', /^text\/html/);
  assert.ok(index.headers.get('cache-control'), '/index.html: Cache-Control missing');
  assertSecurityHeaders(index, 'GET /index.html');
  assert.match(index.text, /<html[^>]*lang="zh-CN"/, 'index.html must declare lang="zh-CN"');

  const home = await c.get('/');
  // local references only (no CDN is allowed anyway), resolved against the page's URL
  const local = (refs) => refs.map((ref) => new URL(ref, `${srv.base}/`))
    .filter((u) => u.origin === srv.base).map((u) => u.pathname);
  const scripts = local([...home.text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]));
  const styles = local([...home.text.matchAll(/<link[^>]*\bhref="([^"]+\.css)"/g)].map((m) => m[1]));
  assert.ok(scripts.length > 0, 'home page references no local script');
  assert.ok(styles.length > 0, 'home page references no local stylesheet');
  for (const s of scripts) {
    const r = await c.get(s);
    assert.equal(r.status, 200, `GET ${s}`);
    assert.match(r.headers.get('content-type') || '', /^(text|application)\/javascript/, `${s} content type`);
    assert.ok(r.headers.get('cache-control'), `${s}: Cache-Control missing`);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${s}: nosniff`);
  }
  for (const s of styles) {
    const r = await c.get(s);
    assert.equal(r.status, 200, `GET ${s}`);
    assert.match(r.headers.get('content-type') || '', /^text\/css/, `${s} content type`);
    assert.ok(r.headers.get('cache-control'), `${s}: Cache-Control missing`);
  }
});

test('a missing static file is 404 and not the index page', async () => {
  const r = await new Client(srv.base).get('/js/does-not-exist.js');
  assert.equal(r.status, 404);
});

// Raw requests (node:http does not decompress), for the gzip copies of web/vendor/.
function raw(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${srv.base}${path}`, { headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
  });
}

test('web/vendor/: the gzip copy goes to clients accepting gzip, the file itself to others', async () => {
  const path = '/vendor/echarts.min.js';
  const onDisk = readFileSync(new URL('../../web/vendor/echarts.min.js', import.meta.url));
  const plain = await raw(path);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.equals(onDisk), 'without Accept-Encoding: the file as it is');
  assert.match(plain.headers.vary || '', /Accept-Encoding/);

  const gz = await raw(path, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers['content-type'], /javascript/);
  assert.match(gz.headers.vary || '', /Accept-Encoding/);
  assert.ok(gz.body.length < onDisk.length / 2, `compressed ${gz.body.length} of ${onDisk.length} bytes`);
  assert.ok(gunzipSync(gz.body).equals(onDisk), 'the gzip copy inflates to the same bytes');
  assert.notEqual(gz.headers.etag, plain.headers.etag, 'one ETag per representation');

  const again = await raw(path, { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag });
  assert.equal(again.status, 304);
  assert.equal((await raw(path, { 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding'], undefined,
    'gzip;q=0 refuses gzip');
  assert.equal((await raw('/index.html', { 'accept-encoding': 'gzip' })).headers['content-encoding'], undefined,
    'files without a gzip copy are sent as they are');
  assert.equal((await raw(`${path}.gz`)).status, 404, 'the .gz file has no URL of its own');
});
