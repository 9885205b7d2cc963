// User administration (city_admin only) and changing one's own password.
// Tests run in order and share the server's state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

let srv;
let city;
const ids = {}; // unit and enterprise ids looked up from the demo data
const made = {}; // users created here: username -> { id, password }

before(async () => {
  srv = await startServer();
  city = new Client(srv.base);
  const r = await city.login('city');
  assert.equal(r.status, 200, r.text);
  ids.cityUser = r.json.user.id;
  ids.cityUnit = r.json.user.unit.id;
  const units = await city.get('/api/v1/units?per_page=200');
  assert.equal(units.status, 200, units.text);
  ids.xuhui = units.json.items.find((u) => u.district === '徐汇区').id;
  ids.pudong = units.json.items.find((u) => u.district === '浦东新区').id;
  ids.cb = units.json.items.find((u) => u.kind === 'cb').id;
  const ent = new Client(srv.base);
  ids.enterprise = (await ent.login('ent1')).json.user.enterprise.id;
});
after(async () => { await srv?.stop(); });

function assertError(r, status, code, field, what = '') {
  assert.equal(r.status, status, `${what} expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.ok(r.json?.error, `${what} error body expected: ${r.text}`);
  assert.equal(r.json.error.code, code, `${what} code: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string');
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `message should be Chinese: ${r.json.error.message}`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${what} field: ${r.text}`);
}

// POST /users answers "201 user" (the record itself, plus temporary_password once);
// workflow verbs (disable, enable) answer the updated record.
function createdUser(r) {
  assert.ok(r.json && typeof r.json.id === 'number' && typeof r.json.username === 'string',
    `expected the user record at the top level: ${r.text}`);
  return r.json;
}

async function loginAs(username, password) {
  const c = new Client(srv.base);
  const r = await c.login(username, password);
  return { c, r };
}

function noSecrets(u) {
  for (const k of Object.keys(u)) assert.doesNotMatch(k, /password_hash|^password$|secret/, `user has ${k}`);
}

test('non-admins get 403 on the users endpoints', async () => {
  for (const name of ['pudong', 'cb1', 'ent1']) {
    const { c, r } = await loginAs(name, DEMO_PASSWORD);
    assert.equal(r.status, 200);
    assertError(await c.get('/api/v1/users'), 403, 'forbidden', undefined, `${name} GET /users`);
    assertError(await c.get(`/api/v1/users/${ids.cityUser}`), 403, 'forbidden', undefined, `${name} GET /users/id`);
    assertError(await c.post('/api/v1/users', {
      username: `by${name}`, display_name: 'x', role: 'city_admin', unit_id: ids.cityUnit, password: 'Very-Strong-2021',
    }), 403, 'forbidden', undefined, `${name} POST /users`);
    assertError(await c.post(`/api/v1/users/${ids.cityUser}/disable`), 403, 'forbidden', undefined, `${name} disable`);
    assertError(await c.patch(`/api/v1/users/${ids.cityUser}`, { display_name: 'hacked' }), 403, 'forbidden', undefined, `${name} PATCH`);
  }
  const list = await city.get(`/api/v1/users?q=by`);
  assert.ok(!list.json.items.some((u) => u.username.startsWith('bypudong')), 'user created by non-admin');
});

test('city lists users with filters', async () => {
  const r = await city.get('/api/v1/users');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.total >= 6);
  const names = r.json.items.map((u) => u.username);
  for (const n of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) assert.ok(names.includes(n), `${n} missing`);
  r.json.items.forEach(noSecrets);

  const cbs = await city.get('/api/v1/users?role=cb_staff');
  assert.equal(cbs.status, 200);
  assert.ok(cbs.json.items.length >= 2);
  assert.ok(cbs.json.items.every((u) => u.role === 'cb_staff'));

  const q = await city.get('/api/v1/users?q=pudong');
  assert.ok(q.json.items.some((u) => u.username === 'pudong'));
  assert.ok(q.json.items.every((u) => u.username.includes('pudong') || u.display_name.includes('pudong')));

  const byUnit = await city.get(`/api/v1/users?unit_id=${ids.pudong}`);
  assert.ok(byUnit.json.items.some((u) => u.username === 'pudong'));
  assert.ok(byUnit.json.items.every((u) => u.unit && u.unit.id === ids.pudong));

  const active = await city.get('/api/v1/users?active=true');
  assert.ok(active.json.items.every((u) => u.active === true));
});

test('city creates a user with a password; the user can log in', async () => {
  const r = await city.post('/api/v1/users', {
    username: 'xuhui', display_name: '徐汇区 李明', role: 'district_officer', unit_id: ids.xuhui,
    enterprise_id: null, password: 'Xuhui-Strong-2021',
  });
  assert.equal(r.status, 201, r.text);
  const u = createdUser(r);
  assert.equal(typeof u.id, 'number');
  assert.equal(u.username, 'xuhui');
  assert.equal(u.display_name, '徐汇区 李明');
  assert.equal(u.role, 'district_officer');
  assert.equal(u.unit.id, ids.xuhui);
  assert.equal(u.unit.district, '徐汇区');
  assert.equal(u.active, true);
  assert.ok(!('temporary_password' in r.json) || r.json.temporary_password === null,
    'no temporary password when one was given');
  noSecrets(u);
  made.xuhui = { id: u.id, password: 'Xuhui-Strong-2021' };

  const { r: lr } = await loginAs('xuhui', 'Xuhui-Strong-2021');
  assert.equal(lr.status, 200, lr.text);
  assert.equal(lr.json.user.role, 'district_officer');

  const got = await city.get(`/api/v1/users/${u.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.username, 'xuhui');
});

test('city creates a user without a password: temporary password, must change', async () => {
  const r = await city.post('/api/v1/users', {
    username: 'cb.new-1', display_name: '认证机构 新员工', role: 'cb_staff', unit_id: ids.cb,
  });
  assert.equal(r.status, 201, r.text);
  const u = createdUser(r);
  const temp = r.json.temporary_password;
  assert.equal(typeof temp, 'string', `temporary_password missing: ${r.text}`);
  assert.ok(temp.length >= 8, 'temporary password shorter than the policy');
  assert.equal(u.must_change_password, true);
  made.cbnew = { id: u.id, password: temp };

  const { r: lr } = await loginAs('cb.new-1', temp);
  assert.equal(lr.status, 200, lr.text);
  assert.equal(lr.json.user.must_change_password, true);

  const got = await city.get(`/api/v1/users/${u.id}`);
  assert.equal(got.status, 200);
  assert.ok(!got.text.includes(temp), 'temporary password returned again');
  assert.equal(got.json.must_change_password, true);

  // two generated passwords differ
  const r2 = await city.post('/api/v1/users', {
    username: 'cb.new-2', display_name: '认证机构 新员工2', role: 'cb_staff', unit_id: ids.cb,
  });
  assert.equal(r2.status, 201, r2.text);
  assert.notEqual(r2.json.temporary_password, temp);
});

test('enterprise users need an enterprise_id; city_admin needs the city unit', async () => {
  const ok = await city.post('/api/v1/users', {
    username: 'ent1b', display_name: '企业联系人2', role: 'enterprise', enterprise_id: ids.enterprise,
    password: 'Enterprise-2021!',
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(createdUser(ok).enterprise.id, ids.enterprise);
  assertError(await city.post('/api/v1/users', {
    username: 'ent1c', display_name: 'x', role: 'enterprise', password: 'Enterprise-2021!',
  }), 422, 'invalid', 'enterprise_id', 'enterprise without enterprise_id');
  assertError(await city.post('/api/v1/users', {
    username: 'ent1d', display_name: 'x', role: 'enterprise', enterprise_id: 99999, password: 'Enterprise-2021!',
  }), 422, 'invalid', 'enterprise_id', 'unknown enterprise_id');
  const admin2 = await city.post('/api/v1/users', {
    username: 'city2', display_name: '市局 王芳', role: 'city_admin', unit_id: ids.cityUnit, password: 'City-Admin-2021!',
  });
  assert.equal(admin2.status, 201, admin2.text);
  assertError(await city.post('/api/v1/users', {
    username: 'city3', display_name: 'x', role: 'city_admin', unit_id: ids.pudong, password: 'City-Admin-2021!',
  }), 422, 'invalid', 'unit_id', 'city_admin in a district unit');
});

test('duplicate username → 409 conflict, field username', async () => {
  assertError(await city.post('/api/v1/users', {
    username: 'pudong', display_name: 'dup', role: 'district_officer', unit_id: ids.pudong, password: 'Another-Pass-2021',
  }), 409, 'conflict', 'username', 'duplicate pudong');
  assertError(await city.post('/api/v1/users', {
    username: 'xuhui', display_name: 'dup', role: 'district_officer', unit_id: ids.xuhui, password: 'Another-Pass-2021',
  }), 409, 'conflict', 'username', 'duplicate xuhui');
});

test('bad usernames → 422 field username', async () => {
  for (const username of ['ab', 'a'.repeat(33), 'Upper', 'has space', 'bad!', 'semi;colon', '中文名', '', '../x']) {
    assertError(await city.post('/api/v1/users', {
      username, display_name: 'x', role: 'cb_staff', unit_id: ids.cb, password: 'Good-Password-2021',
    }), 422, 'invalid', 'username', `username ${JSON.stringify(username)}`);
  }
  assertError(await city.post('/api/v1/users', {
    display_name: 'x', role: 'cb_staff', unit_id: ids.cb, password: 'Good-Password-2021',
  }), 422, 'invalid', 'username', 'missing username');
  const ok = await city.post('/api/v1/users', {
    username: 'a'.repeat(32), display_name: 'x', role: 'cb_staff', unit_id: ids.cb, password: 'Good-Password-2021',
  });
  assert.equal(ok.status, 201, `32-character username: ${ok.text}`);
});

test('bad role → 422 field role', async () => {
  for (const role of ['superuser', 'admin', 'CITY_ADMIN', '']) {
    assertError(await city.post('/api/v1/users', {
      username: 'roletest', display_name: 'x', role, unit_id: ids.cityUnit, password: 'Good-Password-2021',
    }), 422, 'invalid', 'role', `role ${role}`);
  }
});

test('unit rules → 422 field unit_id', async () => {
  const cases = [
    [{ role: 'district_officer' }, 'district_officer without unit'],
    [{ role: 'district_officer', unit_id: ids.cb }, 'district_officer in a cb unit'],
    [{ role: 'district_officer', unit_id: 99999 }, 'district_officer in an unknown unit'],
    [{ role: 'cb_staff' }, 'cb_staff without unit'],
    [{ role: 'cb_staff', unit_id: ids.pudong }, 'cb_staff in a district unit'],
  ];
  for (const [extra, what] of cases) {
    assertError(await city.post('/api/v1/users', {
      username: 'unittest', display_name: 'x', password: 'Good-Password-2021', ...extra,
    }), 422, 'invalid', 'unit_id', what);
  }
});

test('weak passwords → 422 field password, nothing created', async () => {
  const cases = [
    ['weakling1', 'password', 'common password'],
    ['weakling2', '12345678', 'common password'],
    ['weakling3', 'Ab1!xyz', '7 characters'],
    ['weakling4', 'weakling4', 'same as the username'],
    ['weakling5', 'x'.repeat(129) + 'Y1', 'longer than 128'],
  ];
  for (const [username, password, what] of cases) {
    assertError(await city.post('/api/v1/users', {
      username, display_name: 'x', role: 'cb_staff', unit_id: ids.cb, password,
    }), 422, 'invalid', 'password', what);
  }
  const list = await city.get('/api/v1/users?q=weakling');
  assert.equal(list.json.total, 0, 'a user with a weak password was created');
});

test('PATCH changes display_name only', async () => {
  const id = made.xuhui.id;
  const r = await city.patch(`/api/v1/users/${id}`, { display_name: '徐汇区 李明（科长）' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.display_name, '徐汇区 李明（科长）');
  const got = await city.get(`/api/v1/users/${id}`);
  assert.equal(got.json.display_name, '徐汇区 李明（科长）');

  const esc = await city.patch(`/api/v1/users/${id}`, { role: 'city_admin' });
  assertError(esc, 400, 'unknown_field', undefined, 'PATCH role');
  const again = await city.get(`/api/v1/users/${id}`);
  assert.equal(again.json.role, 'district_officer', 'role changed through PATCH');

  assertError(await city.patch('/api/v1/users/99999', { display_name: 'x' }), 404, 'not_found');
  assertError(await city.patch(`/api/v1/users/${id}`, { display_name: 42 }), 400, 'bad_type', 'display_name');
});

test('GET /api/v1/users/99999 → 404', async () => {
  assertError(await city.get('/api/v1/users/99999'), 404, 'not_found');
  assertError(await city.post('/api/v1/users/99999/disable'), 404, 'not_found');
  assertError(await city.post('/api/v1/users/99999/reset-password'), 404, 'not_found');
});

test('disable ends sessions and blocks login; enable restores login', async () => {
  const { id, password } = made.xuhui;
  const { c: session, r: lr } = await loginAs('xuhui', password);
  assert.equal(lr.status, 200);
  assert.equal((await session.get('/api/v1/me')).status, 200);

  const d = await city.post(`/api/v1/users/${id}/disable`);
  assert.equal(d.status, 200, d.text);
  assert.equal(createdUser(d).active, false);

  assertError(await session.get('/api/v1/me'), 401, 'not_authenticated', undefined, 'session of a disabled user');
  const { r: denied } = await loginAs('xuhui', password);
  assertError(denied, 401, 'bad_credentials', undefined, 'login of a disabled user');
  const { r: unknown } = await loginAs('nobody-at-all', password);
  assert.equal(denied.text, unknown.text, 'disabled and unknown users must answer the same');

  const inactive = await city.get('/api/v1/users?active=false');
  assert.ok(inactive.json.items.some((u) => u.id === id));
  assert.ok(inactive.json.items.every((u) => u.active === false));

  const e = await city.post(`/api/v1/users/${id}/enable`);
  assert.equal(e.status, 200, e.text);
  assert.equal(createdUser(e).active, true);
  const { r: back } = await loginAs('xuhui', password);
  assert.equal(back.status, 200, back.text);
  assertError(await session.get('/api/v1/me'), 401, 'not_authenticated', undefined, 'old session after enable');
});

test('reset-password: sessions ended, old password fails, temporary works', async () => {
  const { id, password } = made.xuhui;
  const { c: session } = await loginAs('xuhui', password);
  assert.equal((await session.get('/api/v1/me')).status, 200);

  const r = await city.post(`/api/v1/users/${id}/reset-password`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.id, id);
  assert.equal(r.json.user.must_change_password, true);
  const temp = r.json.temporary_password;
  assert.equal(typeof temp, 'string');
  assert.ok(temp.length >= 8);
  assert.notEqual(temp, password);

  assertError(await session.get('/api/v1/me'), 401, 'not_authenticated', undefined, 'session after reset');
  const { r: old } = await loginAs('xuhui', password);
  assertError(old, 401, 'bad_credentials', undefined, 'old password after reset');
  const { r: fresh } = await loginAs('xuhui', temp);
  assert.equal(fresh.status, 200, fresh.text);
  assert.equal(fresh.json.user.must_change_password, true);
  made.xuhui.password = temp;
});

test('city cannot disable itself → 409', async () => {
  assertError(await city.post(`/api/v1/users/${ids.cityUser}/disable`), 409, 'conflict', undefined, 'self-disable');
  assert.equal((await city.get('/api/v1/me')).status, 200, 'city session survived');
  const { r } = await loginAs('city', DEMO_PASSWORD);
  assert.equal(r.status, 200);
});

// ---------------------------------------------------------------- own password

test('change own password: validation, success, other sessions ended', async () => {
  const create = await city.post('/api/v1/users', {
    username: 'pwchanger', display_name: '改密码测试', role: 'cb_staff', unit_id: ids.cb, password: 'First-Pass-2021',
  });
  assert.equal(create.status, 201, create.text);
  const { c: a } = await loginAs('pwchanger', 'First-Pass-2021');
  const { c: b } = await loginAs('pwchanger', 'First-Pass-2021');
  assert.equal((await b.get('/api/v1/me')).status, 200);

  assertError(await a.post('/api/v1/me/password', { current_password: 'Not-The-Pass-1', new_password: 'Second-Pass-2021' }),
    422, 'invalid', 'current_password', 'wrong current password');
  for (const [np, what] of [['password', 'common'], ['12345678', 'common'], ['Sh0rt!x', '7 characters'],
    ['pwchanger', 'the username'], ['Z'.repeat(129), '129 characters']]) {
    assertError(await a.post('/api/v1/me/password', { current_password: 'First-Pass-2021', new_password: np }),
      422, 'invalid', 'new_password', `new password ${what}`);
  }
  assertError(await a.post('/api/v1/me/password', { current_password: 'First-Pass-2021' }),
    422, 'invalid', 'new_password', 'missing new password');
  // nothing changed so far
  assert.equal((await b.get('/api/v1/me')).status, 200);

  const ok = await a.post('/api/v1/me/password', { current_password: 'First-Pass-2021', new_password: 'Second-Pass-2021' });
  assert.equal(ok.status, 204, ok.text);
  assert.equal((await a.get('/api/v1/me')).status, 200, 'the current session must stay valid');
  assertError(await b.get('/api/v1/me'), 401, 'not_authenticated', undefined, 'the other session');

  const { r: old } = await loginAs('pwchanger', 'First-Pass-2021');
  assertError(old, 401, 'bad_credentials', undefined, 'old password');
  const { r: fresh } = await loginAs('pwchanger', 'Second-Pass-2021');
  assert.equal(fresh.status, 200, fresh.text);
  // the current session can still change state (its CSRF token still works)
  const out = await a.post('/api/v1/logout');
  assert.equal(out.status, 204, out.text);
});

test('changing a temporary password clears must_change_password', async () => {
  const { c, r } = await loginAs('cb.new-1', made.cbnew.password);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.must_change_password, true);
  const ch = await c.post('/api/v1/me/password', { current_password: made.cbnew.password, new_password: 'Chosen-By-Me-2021' });
  assert.equal(ch.status, 204, ch.text);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.must_change_password, false);
  const { r: again } = await loginAs('cb.new-1', 'Chosen-By-Me-2021');
  assert.equal(again.json.user.must_change_password, false);
});

test('user management actions are in the audit log', async () => {
  const r = await city.get('/api/v1/audit-log?per_page=200');
  assert.equal(r.status, 200, r.text);
  const actions = new Set(r.json.items.map((e) => e.action));
  for (const a of ['user.create', 'user.update', 'user.disable', 'user.enable', 'user.reset_password', 'password.change']) {
    assert.ok(actions.has(a), `no ${a} entry`);
  }
  const dis = r.json.items.find((e) => e.action === 'user.disable');
  assert.equal(dis.username, 'city');
  assert.equal(dis.object_type, 'user');
  assert.equal(dis.object_id, made.xuhui.id);
  assert.ok(!r.text.includes('First-Pass-2021') && !r.text.includes('Second-Pass-2021'), 'audit log leaks a password');
});
