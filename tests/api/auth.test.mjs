// Login, logout, cookies, sessions, CSRF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

function assertErrorBody(r, status, code) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.ok(r.json && r.json.error, `error body expected, got: ${r.text}`);
  assert.equal(r.json.error.code, code, `code: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string');
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `message should be Chinese: ${r.json.error.message}`);
  assert.ok('field' in r.json.error, 'error.field must be present');
}

const ACCOUNTS = [
  ['city', 'city_admin'],
  ['pudong', 'district_officer'],
  ['huangpu', 'district_officer'],
  ['cb1', 'cb_staff'],
  ['cb2', 'cb_staff'],
  ['ent1', 'enterprise'],
];

for (const [username, role] of ACCOUNTS) {
  test(`demo account ${username} logs in as ${role}`, async () => {
    const c = new Client(srv.base);
    const r = await c.login(username);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.username, username);
    assert.equal(r.json.user.role, role);
    assert.equal(typeof r.json.user.id, 'number');
    assert.equal(r.json.user.active, true);
    assert.equal(typeof r.json.user.role_name, 'string');
    assert.ok(!('password' in r.json.user) && !('password_hash' in r.json.user), 'password leaked');
    assert.equal(typeof r.json.csrf_token, 'string');
    assert.ok(r.json.csrf_token.length >= 16, 'csrf token too short');

    const sc = r.headers.get('set-cookie');
    assert.ok(sc, 'no Set-Cookie');
    assert.match(sc, /(^|[\s,])qms_session=[^;]{16,}/, `session cookie missing or short: ${sc}`);
    assert.match(sc, /;\s*HttpOnly/i, `HttpOnly missing: ${sc}`);
    assert.match(sc, /;\s*SameSite=Strict/i, `SameSite=Strict missing: ${sc}`);
    assert.match(sc, /;\s*Path=\//i, `Path=/ missing: ${sc}`);
    assert.doesNotMatch(sc, /;\s*Secure/i, 'Secure must not be set over plain HTTP');

    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    const RFC3339Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
    assert.match(r.json.user.created_at, RFC3339Z, `created_at ${r.json.user.created_at}`);

    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.match(me.json.user.last_login_at || '', RFC3339Z, `last_login_at after login: ${me.json.user.last_login_at}`);
    assert.equal(me.json.user.username, username);
    assert.equal(me.json.user.role, role);
    assert.equal(me.json.csrf_token, r.json.csrf_token);
    if (role === 'enterprise') {
      assert.ok(me.json.user.enterprise, 'enterprise user without enterprise');
      assert.match(me.json.user.enterprise.uscc, /^[0-9A-HJ-NPQRTUWXY]{18}$/);
    } else {
      assert.equal(me.json.user.enterprise, null);
      assert.ok(me.json.user.unit, `${username} has no unit`);
    }
    if (username === 'pudong') {
      assert.equal(me.json.user.unit.district, '浦东新区');
      assert.equal(me.json.user.unit.kind, 'district');
    }
    if (username === 'city') assert.equal(me.json.user.unit?.kind, 'city');
    if (role === 'cb_staff') assert.equal(me.json.user.unit.kind, 'cb');

    const oldCookie = c.cookie;
    const out = await c.post('/api/v1/logout');
    assert.equal(out.status, 204, out.text);
    c.cookie = oldCookie; // present the old cookie again, as a stale browser tab would
    const after = await c.get('/api/v1/me');
    assertErrorBody(after, 401, 'not_authenticated');
    const stale = new Client(srv.base);
    stale.cookie = oldCookie;
    assertErrorBody(await stale.get('/api/v1/programmes'), 401, 'not_authenticated');
  });
}

test('logout clears the cookie in the browser', async () => {
  const c = new Client(srv.base);
  await c.login('cb1');
  const r = await c.post('/api/v1/logout');
  assert.equal(r.status, 204);
  const sc = r.headers.get('set-cookie') || '';
  assert.match(sc, /qms_session=/, 'logout should overwrite the cookie');
  assert.match(sc, /(Max-Age=0|Expires=Thu, 01 Jan 1970)/i, `cookie not expired: ${sc}`);
});

test('each login gives a new session and token', async () => {
  const a = new Client(srv.base);
  const b = new Client(srv.base);
  const ra = await a.login('huangpu');
  const rb = await b.login('huangpu');
  assert.equal(ra.status, 200);
  assert.equal(rb.status, 200);
  assert.notEqual(a.cookie, b.cookie, 'two logins got the same session cookie');
  assert.notEqual(a.csrf, b.csrf, 'two logins got the same CSRF token');
  // both sessions are valid at the same time
  assert.equal((await a.get('/api/v1/me')).status, 200);
  assert.equal((await b.get('/api/v1/me')).status, 200);
  // logging one out leaves the other alone
  assert.equal((await a.post('/api/v1/logout')).status, 204);
  assert.equal((await b.get('/api/v1/me')).status, 200);
});

test('a session cookie sent before login is not adopted (no session fixation)', async () => {
  const c = new Client(srv.base);
  const planted = 'qms_session=' + 'a'.repeat(43);
  c.cookie = planted;
  const r = await c.login('cb2');
  assert.equal(r.status, 200);
  assert.notEqual(c.cookie, planted);
});

test('wrong password and unknown user answer the same 401', async () => {
  const c = new Client(srv.base);
  const wrong = await c.post('/api/v1/login', { username: 'huangpu', password: 'not-the-password' });
  const unknown = await c.post('/api/v1/login', { username: 'nobody-here', password: 'not-the-password' });
  assertErrorBody(wrong, 401, 'bad_credentials');
  assertErrorBody(unknown, 401, 'bad_credentials');
  assert.equal(wrong.text, unknown.text, 'bodies differ: user existence leaks');
  assert.equal(wrong.json.error.message, '用户名或密码错误');
  assert.equal(wrong.headers.get('set-cookie'), null, 'failed login must not set a session');
  // the failed login did not log anyone in
  assert.equal(c.cookie, null);
});

test('CSRF: state-changing request without, with a wrong, and with the right token', async () => {
  const c = new Client(srv.base);
  await c.login('pudong');
  const token = c.csrf;

  c.csrf = null; // Client then sends no X-CSRF-Token
  const missing = await c.post('/api/v1/logout');
  assertErrorBody(missing, 403, 'csrf_failed');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'logout without token must not end the session');

  const wrong = await c.req('POST', '/api/v1/logout', {}, { 'x-csrf-token': token.slice(0, -2) + 'xx' });
  assertErrorBody(wrong, 403, 'csrf_failed');
  const empty = await c.req('POST', '/api/v1/logout', {}, { 'x-csrf-token': '' });
  assertErrorBody(empty, 403, 'csrf_failed');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'logout with a wrong token must not end the session');

  // a token from another session is not accepted either
  const other = new Client(srv.base);
  await other.login('pudong');
  const foreign = await c.req('POST', '/api/v1/logout', {}, { 'x-csrf-token': other.csrf });
  assertErrorBody(foreign, 403, 'csrf_failed');

  c.csrf = token;
  const ok = await c.post('/api/v1/logout');
  assert.equal(ok.status, 204, ok.text);
});

test('CSRF is checked on PATCH too', async () => {
  const c = new Client(srv.base);
  const r = await c.login('city');
  const id = r.json.user.id;
  c.csrf = null;
  const p = await c.patch(`/api/v1/users/${id}`, { display_name: 'CSRF 攻击' });
  assertErrorBody(p, 403, 'csrf_failed');
  const me = await c.get('/api/v1/me');
  assert.notEqual(me.json.user.display_name, 'CSRF 攻击');
});

test('garbage and forged session cookies are refused', async () => {
  for (const cookie of ['qms_session=garbage', 'qms_session=', 'qms_session=' + 'A'.repeat(4000),
    'qms_session=%00%01%02', 'qms_session="; DROP TABLE sessions; --"']) {
    const c = new Client(srv.base);
    c.cookie = cookie;
    assertErrorBody(await c.get('/api/v1/me'), 401, 'not_authenticated');
  }
  assert.equal((await new Client(srv.base).get('/healthz')).status, 200);
});

test('anonymous requests to protected endpoints are 401', async () => {
  const c = new Client(srv.base);
  for (const p of ['/api/v1/me', '/api/v1/programmes', '/api/v1/programmes/1', '/api/v1/units',
    '/api/v1/units/1', '/api/v1/users', '/api/v1/users/1', '/api/v1/audit-log']) {
    assertErrorBody(await c.get(p), 401, 'not_authenticated');
  }
  // state-changing without a session: 401 (not a CSRF error that hints at a session)
  assertErrorBody(await c.post('/api/v1/users', { username: 'sneaky', role: 'city_admin' }), 401, 'not_authenticated');
});

test('very long credentials are refused cleanly', async () => {
  const c = new Client(srv.base);
  const r = await c.post('/api/v1/login', { username: 'x'.repeat(5000), password: 'y'.repeat(5000) });
  assert.ok(r.status === 401 || r.status === 422 || r.status === 400, `got ${r.status}`);
  assert.ok(r.json?.error, r.text);
  assert.equal((await c.get('/healthz')).status, 200);
});

test('login with the demo password is case-sensitive in the password', async () => {
  const c = new Client(srv.base);
  const r = await c.post('/api/v1/login', { username: 'cb1', password: DEMO_PASSWORD.toUpperCase() });
  assertErrorBody(r, 401, 'bad_credentials');
});
