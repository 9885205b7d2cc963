// Login throttling: per account and client address, per client address, and the
// office-NAT case (many users, one address, successes never count).
// Requests from 127.0.0.2 / 127.0.0.3 act as other client addresses (Linux
// routes all of 127/8 to loopback).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

function loginFrom(localAddress, username, password, extraHeaders = {}) {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: srv.port, localAddress, method: 'POST', path: '/api/v1/login',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders },
      agent: false,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function assertError(r, status, code, what) {
  assert.equal(r.status, status, `${what}: expected ${status} ${code}, got ${r.status} ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what}: ${r.text}`);
}

test('5 failures lock the account for that address; right password then gets 429', async () => {
  for (let i = 1; i <= 5; i++) {
    assertError(await loginFrom('127.0.0.1', 'cb2', 'wrong-' + i), 401, 'bad_credentials', `failure ${i}`);
  }
  const locked = await loginFrom('127.0.0.1', 'cb2', DEMO_PASSWORD);
  assertError(locked, 429, 'too_many_attempts', '6th attempt with the right password');
  assert.match(locked.json.error.message, /\d/, 'message should say how many minutes are left');
  assertError(await loginFrom('127.0.0.1', 'cb2', 'wrong-again'), 429, 'too_many_attempts', '7th attempt');
});

test('a forged X-Forwarded-For does not get around the lock (no --trust-proxy)', async () => {
  const r = await loginFrom('127.0.0.1', 'cb2', DEMO_PASSWORD, { 'x-forwarded-for': '203.0.113.7' });
  assertError(r, 429, 'too_many_attempts', 'locked account with a forged X-Forwarded-For');
  const f = await loginFrom('127.0.0.1', 'huangpu', 'forged-xff-1', { 'x-forwarded-for': '203.0.113.8' });
  assertError(f, 401, 'bad_credentials', 'failure with a forged X-Forwarded-For');
  const c = new Client(srv.base);
  assert.equal((await c.login('city')).status, 200);
  const log = await c.get('/api/v1/audit-log?action=login.failure&username=huangpu');
  assert.equal(log.status, 200, log.text);
  assert.ok(log.json.items.length >= 1, 'failure not logged');
  assert.equal(log.json.items[0].ip, '127.0.0.1', 'audit log took the address from X-Forwarded-For');
});

test('the locked account still logs in from another address', async () => {
  const r = await loginFrom('127.0.0.2', 'cb2', DEMO_PASSWORD);
  assert.equal(r.status, 200, `cb2 from 127.0.0.2: ${r.text}`);
  assert.equal(r.json.user.username, 'cb2');
});

test('other users at the same address are not affected by one locked account', async () => {
  const r = await loginFrom('127.0.0.1', 'cb1', DEMO_PASSWORD);
  assert.equal(r.status, 200, r.text);
});

test('office NAT: 40 successful logins from one address are never throttled', async () => {
  const users = ['city', 'pudong', 'huangpu', 'cb1', 'ent1'];
  for (let i = 0; i < 40; i++) {
    const u = users[i % users.length];
    const r = await loginFrom('127.0.0.1', u, DEMO_PASSWORD);
    assert.equal(r.status, 200, `login ${i + 1} (${u}): ${r.status} ${r.text}`);
  }
});

test('the lock is recorded in the audit log', async () => {
  const c = new Client(srv.base);
  assert.equal((await c.login('city')).status, 200);
  const r = await c.get('/api/v1/audit-log?action=login.locked');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 1, 'no login.locked entry');
  assert.ok(r.json.items.every((e) => e.action === 'login.locked'));
  assert.ok(r.json.items.some((e) => e.username === 'cb2' && e.ip === '127.0.0.1'),
    JSON.stringify(r.json.items));
});

test('30 failures from one address (any accounts) block logins from it, and only from it', async () => {
  // 8 fresh accounts so that no single account reaches its own 5-failure lock
  const admin = new Client(srv.base);
  assert.equal((await admin.login('city')).status, 200);
  const units = await admin.get('/api/v1/units?kind=cb');
  assert.equal(units.status, 200);
  const names = [];
  for (let i = 1; i <= 8; i++) {
    const username = `spray${i}`;
    const r = await admin.post('/api/v1/users', {
      username, display_name: `测试 ${i}`, role: 'cb_staff', unit_id: units.json.items[0].id,
      password: 'Spray-Target-2021',
    });
    assert.equal(r.status, 201, r.text);
    names.push(username);
  }
  for (let i = 0; i < 30; i++) {
    const u = names[i % names.length]; // at most 4 failures per account
    assertError(await loginFrom('127.0.0.3', u, 'guess-' + i), 401, 'bad_credentials', `failure ${i + 1} (${u})`);
  }
  const blocked = await loginFrom('127.0.0.3', 'pudong', DEMO_PASSWORD);
  assertError(blocked, 429, 'too_many_attempts', 'right password from the blocked address');
  assert.match(blocked.json.error.message, /\d/, 'message should say how many minutes are left');
  // the same accounts from other addresses are fine
  const fromOffice = await loginFrom('127.0.0.1', 'pudong', DEMO_PASSWORD);
  assert.equal(fromOffice.status, 200, fromOffice.text);
  const sprayed = await loginFrom('127.0.0.2', 'spray1', 'Spray-Target-2021');
  assert.equal(sprayed.status, 200, sprayed.text);
});
