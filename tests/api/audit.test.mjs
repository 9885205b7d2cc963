// The audit log: what is recorded, filters, order, access.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

let srv;
let city;
let created;
before(async () => {
  srv = await startServer();
  // some history: a failed login, a successful one, a logout, a user created and disabled
  const anon = new Client(srv.base);
  const bad = await anon.post('/api/v1/login', { username: 'pudong', password: 'wrong-password-1' });
  assert.equal(bad.status, 401);
  const p = new Client(srv.base);
  assert.equal((await p.login('pudong')).status, 200);
  assert.equal((await p.post('/api/v1/logout')).status, 204);
  city = new Client(srv.base);
  assert.equal((await city.login('city')).status, 200);
  const units = await city.get('/api/v1/units?kind=cb');
  const r = await city.post('/api/v1/users', {
    username: 'audited', display_name: '审计测试', role: 'cb_staff', unit_id: units.json.items[0].id,
    password: 'Audit-Trail-2021',
  });
  assert.equal(r.status, 201, r.text);
  created = r.json;
  assert.equal((await city.post(`/api/v1/users/${created.id}/disable`)).status, 200);
});
after(async () => { await srv?.stop(); });

test('city sees login, logout and user actions with username and ip', async () => {
  const r = await city.get('/api/v1/audit-log?per_page=200');
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.json.total, 'number');
  assert.equal(r.json.page, 1);
  assert.equal(r.json.per_page, 200);
  const items = r.json.items;
  const find = (action, username) => items.find((e) => e.action === action && e.username === username);

  const fail = find('login.failure', 'pudong');
  assert.ok(fail, 'login.failure for pudong missing');
  assert.equal(fail.ip, '127.0.0.1');
  assert.ok(!JSON.stringify(fail).includes('wrong-password-1'), 'the tried password is logged');

  const ok = find('login.success', 'pudong');
  assert.ok(ok, 'login.success for pudong missing');
  assert.equal(ok.ip, '127.0.0.1');
  assert.equal(typeof ok.user_id, 'number');
  assert.match(ok.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, `at: ${ok.at}`);

  assert.ok(find('logout', 'pudong'), 'logout missing');
  assert.ok(find('login.success', 'city'), 'login.success for city missing');

  const create = find('user.create', 'city');
  assert.ok(create, 'user.create missing');
  assert.equal(create.object_type, 'user');
  assert.equal(create.object_id, created.id);
  assert.equal(create.ip, '127.0.0.1');
  assert.ok(!JSON.stringify(create).includes('Audit-Trail-2021'), 'the new password is logged');

  const dis = find('user.disable', 'city');
  assert.ok(dis, 'user.disable missing');
  assert.equal(dis.object_id, created.id);
});

test('newest first', async () => {
  const r = await city.get('/api/v1/audit-log?per_page=200');
  const ats = r.json.items.map((e) => e.at);
  const sorted = [...ats].sort().reverse();
  assert.deepEqual(ats, sorted, 'entries not newest first');
  const idx = (a) => r.json.items.findIndex((e) => e.action === a);
  assert.ok(idx('user.disable') < idx('user.create'), 'disable should come before create');
  assert.ok(idx('user.create') < idx('login.failure'));
});

test('filter by action', async () => {
  const r = await city.get('/api/v1/audit-log?action=login.failure');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 1);
  assert.ok(r.json.items.every((e) => e.action === 'login.failure'), JSON.stringify(r.json.items));
  const none = await city.get('/api/v1/audit-log?action=no.such.action');
  assert.equal(none.json.total, 0);
});

test('filter by username', async () => {
  const r = await city.get('/api/v1/audit-log?username=pudong');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 3, 'pudong has a failure, a success and a logout');
  assert.ok(r.json.items.every((e) => e.username === 'pudong'), JSON.stringify(r.json.items));
  const both = await city.get('/api/v1/audit-log?username=pudong&action=logout');
  assert.ok(both.json.items.length >= 1);
  assert.ok(both.json.items.every((e) => e.username === 'pudong' && e.action === 'logout'));
});

test('filter by date range', async () => {
  // timestamps are the real clock, the simulated date only moves the programme calendar;
  // so use a range around the entries' own dates
  const all = await city.get('/api/v1/audit-log?per_page=1');
  // `at` is UTC; the filter takes Shanghai dates (UTC+8)
  const day = new Date(Date.parse(all.json.items[0].at) + 8 * 3600e3).toISOString().slice(0, 10);
  const inRange = await city.get(`/api/v1/audit-log?from=${day}&to=${day}`);
  assert.equal(inRange.status, 200, inRange.text);
  assert.equal(inRange.json.total, all.json.total);
  const past = await city.get('/api/v1/audit-log?from=2000-01-01&to=2000-01-02');
  assert.equal(past.status, 200);
  assert.equal(past.json.total, 0);
  const bad = await city.get('/api/v1/audit-log?from=yesterday');
  assert.equal(bad.status, 422, bad.text);
});

test('non-admins get 403', async () => {
  for (const u of ['pudong', 'cb1', 'ent1']) {
    const c = new Client(srv.base);
    assert.equal((await c.login(u, DEMO_PASSWORD)).status, 200);
    const r = await c.get('/api/v1/audit-log');
    assert.equal(r.status, 403, `${u}: ${r.text}`);
    assert.equal(r.json?.error?.code, 'forbidden');
  }
});
