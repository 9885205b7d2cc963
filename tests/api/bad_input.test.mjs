// Hostile and malformed input: every answer is the documented 4xx with a JSON
// error body, nothing leaks, and the server keeps answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer, Client } from '../lib/server.mjs';

let srv;
let city;
before(async () => {
  srv = await startServer();
  city = new Client(srv.base);
  assert.equal((await city.login('city')).status, 200);
});
after(async () => { await srv?.stop(); });

function assertError(r, status, codes, what = '') {
  const list = Array.isArray(codes) ? codes : [codes];
  assert.equal(r.status, status, `${what} expected ${status} ${list.join('|')}, got ${r.status}: ${r.text.slice(0, 300)}`);
  assert.ok(r.json?.error, `${what} JSON error body expected: ${r.text.slice(0, 300)}`);
  assert.ok(list.includes(r.json.error.code), `${what} code ${r.json.error.code}, expected ${list.join('|')}`);
  assert.equal(typeof r.json.error.message, 'string');
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `message should be Chinese: ${r.json.error.message}`);
}

async function healthy(what) {
  const r = await fetch(`${srv.base}/healthz`, { signal: AbortSignal.timeout(3000) });
  assert.equal(r.status, 200, `server unhealthy after ${what}`);
}

// Send raw bytes, read until the server closes (or timeout), return status + body.
function raw(request, { timeout = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); resolve(parse(Buffer.concat(chunks))); }, timeout);
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => { clearTimeout(timer); if (chunks.length) resolve(parse(Buffer.concat(chunks))); else reject(e); });
    sock.on('close', () => { clearTimeout(timer); resolve(parse(Buffer.concat(chunks))); });
    sock.write(request);
  });
}
function parse(buf) {
  const sep = buf.indexOf('\r\n\r\n');
  const head = (sep >= 0 ? buf.subarray(0, sep) : buf).toString('latin1');
  let body = sep >= 0 ? buf.subarray(sep + 4) : Buffer.alloc(0);
  if (/^transfer-encoding:\s*chunked/im.test(head)) {
    const out = [];
    let off = 0;
    for (;;) {
      const eol = body.indexOf('\r\n', off);
      if (eol < 0) break;
      const n = parseInt(body.subarray(off, eol).toString('latin1'), 16);
      if (!(n > 0)) break;
      out.push(body.subarray(eol + 2, eol + 2 + n));
      off = eol + 2 + n + 2;
    }
    body = Buffer.concat(out);
  }
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  return { status: m ? Number(m[1]) : 0, head, body: body.toString('utf8') };
}

test('malformed JSON to /login → 400 bad_json', async () => {
  for (const body of ['{"username":"city",', '{username:city}', 'not json at all', '{"a":1}}', '\u00ff\u00fe{']) {
    const r = await new Client(srv.base).req('POST', '/api/v1/login', body, { 'content-type': 'application/json' });
    assertError(r, 400, 'bad_json', `body ${JSON.stringify(body)}:`);
  }
  await healthy('malformed JSON');
});

test('wrong types → 400 bad_type', async () => {
  for (const body of [{ username: 1, password: 'x' }, { username: 'city', password: ['qmslift-demo'] },
    { username: { $ne: '' }, password: { $ne: '' } }, { username: true, password: 1 }]) {
    const r = await new Client(srv.base).post('/api/v1/login', body);
    assertError(r, 400, 'bad_type', `body ${JSON.stringify(body)}:`);
  }
  // null is how this API spells "absent" (e.g. "enterprise_id":null), so a null
  // username may be treated as missing (422 field username) or as a wrong type (400)
  const r = await new Client(srv.base).post('/api/v1/login', { username: null, password: 'x' });
  assert.ok((r.status === 400 && r.json?.error?.code === 'bad_type') ||
    (r.status === 422 && r.json?.error?.code === 'invalid' && r.json.error.field === 'username'), `null username: ${r.status} ${r.text}`);
  await healthy('wrong types');
});

test('non-object JSON → 400', async () => {
  for (const body of ['[]', '[1,2]', '"city"', '42', 'null', 'true']) {
    const r = await new Client(srv.base).req('POST', '/api/v1/login', body, { 'content-type': 'application/json' });
    assertError(r, 400, ['bad_json', 'bad_type'], `body ${body}:`);
  }
  await healthy('non-object JSON');
});

test('empty body to /login → 400', async () => {
  const r = await new Client(srv.base).req('POST', '/api/v1/login', '', { 'content-type': 'application/json' });
  assertError(r, 400, 'bad_json', 'empty body:');
});

test('deeply nested JSON does not crash the server', async () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  const r = await new Client(srv.base).req('POST', '/api/v1/login', deep, { 'content-type': 'application/json' });
  assert.equal(r.status, 400, `deep nesting: ${r.status}`);
  await healthy('deep nesting');
});

// Send a request head, then the body in pieces, reading all the while; a server may
// answer 413 before the body is complete and close (fetch then only sees EPIPE, while
// browsers and curl read the answer), so stop writing as soon as an answer arrives.
function rawUpload(head, body, { chunk = 64 * 1024, timeout = 5000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    const chunks = [];
    let answered = false;
    const done = () => { clearTimeout(timer); resolve(parse(Buffer.concat(chunks))); };
    const timer = setTimeout(() => { sock.destroy(); done(); }, timeout);
    sock.on('data', (d) => { answered = true; chunks.push(d); });
    sock.on('error', () => {});
    sock.on('close', done);
    sock.write(head, async () => {
      for (let off = 0; off < body.length && !answered && !sock.destroyed; off += chunk) {
        await new Promise((r) => sock.write(body.subarray(off, off + chunk), r));
        await new Promise((r) => setImmediate(r));
      }
    });
  });
}
function jsonOf(r) { try { return JSON.parse(r.body); } catch { return null; } }

// POST a body the ordinary way (node:http reads the answer while it writes).
function httpPost(path, body, headers = {}) {
  return new Promise((resolve) => {
    const req = http.request(`${srv.base}${path}`, {
      method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (e) => resolve({ status: 0, text: e.code || e.message }));
    req.end(body);
  });
}

test('body larger than 1 MiB → 413 body_too_large, and the client gets to read it', async () => {
  // A server that answers before the body is read and then closes at once makes the
  // kernel reset the connection, and the client loses the 413 (RFC 9112 §9.6); so
  // repeat: every attempt must see the answer.
  const big = Buffer.from(JSON.stringify({ username: 'city', password: 'x'.repeat(1024 * 1024 + 100) }));
  const seen = [];
  for (let i = 0; i < 20; i++) {
    const r = await httpPost('/api/v1/login', big);
    seen.push(r.status || r.text);
    if (r.status === 413) {
      assert.equal(JSON.parse(r.text).error.code, 'body_too_large', r.text);
    }
    try {
      const f = await fetch(`${srv.base}/api/v1/login`, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
      seen.push(f.status);
      if (f.status === 413) assert.equal((await f.json()).error.code, 'body_too_large');
    } catch (e) {
      seen.push(`fetch ${e.cause?.code || e.message}`);
    }
  }
  assert.ok(seen.every((x) => x === 413), `${seen.length} uploads of 1 MiB + 100 bytes answered: ${seen.join(', ')}`);
  await healthy('big bodies');
});

test('a chunked body over 1 MiB (with a session) → 413', async () => {
  const payload = Buffer.from(JSON.stringify({ username: 'big', display_name: 'x'.repeat(2 * 1024 * 1024) }));
  const parts = [];
  for (let off = 0; off < payload.length; off += 32768) {
    const piece = payload.subarray(off, off + 32768);
    parts.push(Buffer.from(piece.length.toString(16) + '\r\n'), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  const r = await rawUpload('POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Cookie: ${city.cookie}\r\nX-CSRF-Token: ${city.csrf}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
  Buffer.concat(parts));
  assert.equal(r.status, 413, `chunked 2 MiB: ${r.head.split('\r\n')[0] || 'no answer'}`);
  assert.equal(jsonOf(r)?.error?.code, 'body_too_large', r.body);
  const list = await city.get('/api/v1/users?q=big');
  assert.ok(!list.json.items.some((u) => u.username === 'big'), 'user from the oversized body was created');
  await healthy('chunked big body');
});

test('a declared length over 1 MiB is refused without waiting for the body; just under is fine', async () => {
  const r = await raw('POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 50000000\r\nConnection: close\r\n\r\n{"username":', { timeout: 2000 });
  assert.equal(r.status, 413, `declared 50 MB: ${r.head.split('\r\n')[0] || 'no answer'}`);
  assert.equal(jsonOf(r)?.error?.code, 'body_too_large', r.body);
  // a body of just under 1 MiB is parsed (the answer is about credentials, not size)
  const fits = JSON.stringify({ username: 'nobody', password: 'y'.repeat(1024 * 1024 - 100) });
  const r2 = await new Client(srv.base).req('POST', '/api/v1/login', fits, { 'content-type': 'application/json' });
  assert.equal(r2.status, 401, `just under 1 MiB: ${r2.status} ${r2.text.slice(0, 200)}`);
  await healthy('declared big body');
});

test('unknown path under /api/v1 → 404 JSON', async () => {
  for (const p of ['/api/v1/nothing-here', '/api/v1/users/1/explode', '/api/v1/', '/api/v2/me', '/api/v1/programmes/1/2/3']) {
    const r = await city.get(p);
    assertError(r, 404, 'not_found', `GET ${p}:`);
    assert.match(r.headers.get('content-type') || '', /^application\/json/, `${p} content type`);
  }
});

test('wrong method on a known path → 405', async () => {
  const cases = [['GET', '/api/v1/login'], ['DELETE', '/api/v1/me'], ['PUT', '/api/v1/programmes'],
    ['DELETE', '/api/v1/units'], ['GET', '/api/v1/logout'], ['POST', '/api/v1/public/site']];
  for (const [method, path] of cases) {
    const r = await city.req(method, path, method === 'GET' ? undefined : {});
    assertError(r, 405, 'method_not_allowed', `${method} ${path}:`);
  }
  // an unknown method is refused, never served
  const r = await raw('BREW /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok(r.status >= 400 && r.status < 500 || r.status === 501, `BREW → ${r.status}`);
  await healthy('odd methods');
});

test('405 answers name the allowed methods (Allow header, RFC 9110 §15.5.6)', async () => {
  for (const [method, path, must] of [['DELETE', '/api/v1/me', 'GET'], ['GET', '/api/v1/login', 'POST'],
    ['PUT', '/api/v1/users', 'POST']]) {
    const r = await city.req(method, path, method === 'GET' ? undefined : {});
    assert.equal(r.status, 405, `${method} ${path}`);
    const allow = r.headers.get('allow');
    assert.ok(allow, `${method} ${path}: 405 without an Allow header`);
    assert.ok(allow.split(/\s*,\s*/).includes(must), `${method} ${path}: Allow ${allow} lacks ${must}`);
  }
});

test('path traversal never serves files outside web/', async () => {
  const paths = ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/js/..%2f..%2f..%2fetc/passwd',
    '/js/../../../../etc/passwd', '/css/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..\\..\\..\\etc\\passwd', '/js/%2e%2e%5c%2e%2e%5cetc%5cpasswd',
    '/..%c0%af..%c0%afetc/passwd', '/js/../../src/main.c', '/../Makefile', '/%00/etc/passwd', '/index.html%00.js',
    '//etc/passwd', '/./../../../etc/passwd'];
  for (const p of paths) {
    const r = await raw(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === 404 || r.status === 400, `GET ${p} → ${r.status}`);
    assert.doesNotMatch(r.body, /root:.*:0:0:/, `GET ${p} leaked /etc/passwd`);
    assert.doesNotMatch(r.body, /#include/, `GET ${p} leaked a source file`);
  }
  await healthy('traversal');
});

test('garbage session cookies → 401', async () => {
  for (const cookie of ['qms_session=garbage', 'qms_session=../../etc/passwd', `qms_session=${'%'.repeat(300)}`,
    'qms_session=1; qms_session=2', 'other=1']) {
    const c = new Client(srv.base);
    c.cookie = cookie;
    assertError(await c.get('/api/v1/me'), 401, 'not_authenticated', `cookie ${cookie.slice(0, 40)}:`);
  }
});

test('client announces 1000 bytes, sends 10 and disconnects', async () => {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1', () => {
        s.write('POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 1000\r\n\r\n{"usernam', () => setTimeout(() => { s.destroy(); resolve(); }, 20));
      });
      s.on('error', resolve);
    });
  }
  await healthy('truncated bodies');
  assert.equal((await city.get('/api/v1/me')).status, 200);
});

test('idle half-open connections do not block other clients', async () => {
  const socks = [];
  for (let i = 0; i < 30; i++) {
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('error', () => {});
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // headers never finished
    socks.push(s);
  }
  await new Promise((r) => setTimeout(r, 100));
  try {
    const t0 = Date.now();
    await healthy('30 slow clients');
    assert.ok(Date.now() - t0 < 2000, 'health check slowed down by idle connections');
  } finally {
    socks.forEach((s) => s.destroy());
  }
});

test('malformed request lines and headers are refused, server stays up', async () => {
  const reqs = ['GARBAGE\r\n\r\n', 'GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\n' + 'X-Long: ' + 'a'.repeat(100000) + '\r\n\r\n',
    'POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZZ\r\n'];
  for (const q of reqs) {
    const r = await raw(q, { timeout: 1500 });
    assert.ok(r.status === 0 || r.status >= 400, `${JSON.stringify(q.slice(0, 40))} → ${r.status}`);
  }
  await healthy('malformed requests');
});

test('non-JSON content type on a JSON endpoint → 415 or 400', async () => {
  const r = await new Client(srv.base).req('POST', '/api/v1/login', 'username=city&password=qmslift-demo',
    { 'content-type': 'application/x-www-form-urlencoded' });
  assert.ok(r.status === 415 || r.status === 400, `form body → ${r.status}`);
  assert.ok(r.json?.error, r.text);
  if (r.status === 415) assert.equal(r.json.error.code, 'unsupported_media_type');
});

test('the server is still healthy at the end', async () => {
  await healthy('everything');
  const c = new Client(srv.base);
  assert.equal((await c.login('pudong')).status, 200);
});

test('a body that is not declared as JSON → 415, even when it parses', async () => {
  for (const ct of ['application/x-www-form-urlencoded', 'text/plain', null]) {
    const h = {};
    if (ct) h['content-type'] = ct;
    const r = await fetch(`${srv.base}/api/v1/login`, {
      method: 'POST', headers: h, body: JSON.stringify({ username: 'city', password: 'qmslift-demo' }),
    });
    assert.equal(r.status, 415, `content-type ${ct}`);
    const j = await r.json();
    assert.equal(j.error.code, 'unsupported_media_type');
    assert.equal(r.headers.get('set-cookie'), null, 'no session was created');
  }
});
