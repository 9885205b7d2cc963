// Selections 遴选 (docs/api.md "Selections"): certification bodies per pilot
// industry, chosen by the city from accepted declarations of bodies that join,
// with the four criteria, the quota of 2 per industry and its exception.
//
// The demo data has only two certification bodies; to reach the quota path
// (a third body → 409 quota_exceeded, or 201 with an exception reason) this file
// adds two more CB units straight into its own fresh database before the server
// starts (there is no API to create units): 第三认证中心（测试） joins the pilot,
// 第四认证中心（测试） declares it does not join. Their staff accounts, declarations
// and acceptance all go through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, newDatabase, PG, BIN, ROOT } from '../lib/server.mjs';

const API = '/api/v1';
const CB3 = '第三认证中心（测试）';
const CB4 = '第四认证中心（测试）';
const CATALOGUE = ['集成电路', '生物医药', '人工智能', '生命健康', '汽车', '高端装备', '时尚消费品', '人力资源', '养老', '在线新经济'];

let srv, dir;
let extraUnits = false; // whether CB3/CB4 could be inserted
const cl = {};
const unit = {}; // unit ids by short name
const decl = {}; // declaration ids by short name

function prepareDatabase() {
  dir = mkdtempSync(join(tmpdir(), 'qmslift-sel-'));
  const db = newDatabase(dir);
  const env = { ...process.env, QMSLIFT_PWHASH: 'min' };
  const r = spawnSync(BIN, ['demo', '--db', db], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`qmslift demo failed: ${r.stderr}`);
  const now = Math.floor(Date.now() / 1000);
  const sql = `INSERT INTO units (kind, name, cnca_code, created_at) VALUES ('cb', '${CB3}', 'CNCA-R-2099-903', ${now}), ('cb', '${CB4}', 'CNCA-R-2099-904', ${now});`;
  const ins = PG ? spawnSync('psql', [db, '-qAtv', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' })
    : spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  extraUnits = !ins.error && ins.status === 0;
  if (!extraUnits) console.error(`# could not add test CB units (${ins.error?.message || ins.stderr}); quota tests are skipped`);
  return db;
}

async function login(username, password) {
  const c = new Client(srv.base);
  const r = await c.login(username, password);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  const db = prepareDatabase();
  srv = await startServer({ db });
  for (const u of ['city', 'pudong', 'cb1', 'cb2', 'ent1']) cl[u] = await login(u);
  const cbs = await cl.city.get(`${API}/units?kind=cb&per_page=200`);
  for (const u of cbs.json.items) unit[u.name] = u.id;
  unit.cb1 = unit['沪联质量认证中心（演示）'];
  unit.cb2 = unit['申诚认证有限公司（演示）'];
  unit.cb3 = unit[CB3];
  unit.cb4 = unit[CB4];
  const pd = await cl.city.get(`${API}/units?kind=district&q=${encodeURIComponent('浦东')}`);
  unit.pudong = pd.json.items[0]?.id;
});
after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

function assertError(r, status, code, field, what = '') {
  assert.equal(r.status, status, `${what} expected ${status} ${code}${field !== undefined ? ` field ${field}` : ''}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what} error code: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0, `${what} empty message`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${what} error field: ${r.text}`);
}

const criteria = (over = {}) => ({
  qualification: { ok: true, note: 'CNCA 批准书有效' },
  social_responsibility: { ok: true, note: '' },
  credit: { ok: true, note: '信用中国查询无不良记录' },
  willingness: { ok: true, note: '愿意提供帮扶' },
  ...over,
});
const select = (industry, cb_unit_id, over = {}) => cl.city.post(`${API}/selections`,
  { industry, cb_unit_id, criteria: criteria(), exception_reason: null, ...over });

async function summary(c = cl.city) {
  const r = await c.get(`${API}/selections/summary`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function counts() {
  const s = await summary();
  return Object.fromEntries(s.items.map((i) => [i.industry, i.count]));
}
async function selections(c, qs = '') {
  const r = await c.get(`${API}/selections?per_page=200${qs}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, r.json.total);
  return r.json;
}

// Declare for a CB through the API and have the city accept it (unless told not to).
async function declareCb(c, unitName, joins, accept = true) {
  const form = joins ? {
    unit_name: unitName, joins_pilot: true, leader: '赵敏', contact_phone: '021-64870000',
    contact_email: 'pilot@cb.example.cn', province: '上海市', founded: '2010-01-01', ownership: 'private',
    qualifications: 'CNCA 批准书；ISO 9001 认证', remarks: '',
  } : { unit_name: unitName, joins_pilot: false };
  const r = await c.post(`${API}/declarations`, { form });
  assert.equal(r.status, 201, r.text);
  const s = await c.post(`${API}/declarations/${r.json.id}/submit`);
  assert.equal(s.status, 200, s.text);
  if (accept) {
    const a = await cl.city.post(`${API}/declarations/${r.json.id}/accept`);
    assert.equal(a.status, 200, a.text);
  }
  return r.json.id;
}

// ---------------------------------------------------------------- demo facts

test('summary: the 10 catalogue industries; cb1 selected for 集成电路 and 生物医药', async () => {
  const prog = await cl.city.get(`${API}/programmes/1`);
  assert.deepEqual(prog.json.industries.map((i) => i.name), CATALOGUE, 'programme catalogue');
  const s = await summary();
  assert.deepEqual(s.items.map((i) => i.industry), CATALOGUE, 'summary lists the catalogue in order');
  for (const i of s.items) {
    assert.equal(i.max, 2, `${i.industry} max`);
    assert.equal(i.count, i.cbs.length, `${i.industry} count vs cbs`);
    assert.equal(i.count, ['集成电路', '生物医药'].includes(i.industry) ? 1 : 0, `${i.industry} count`);
  }
  const ic = s.items.find((i) => i.industry === '集成电路');
  assert.equal(ic.cbs[0].cb.name, '沪联质量认证中心（演示）');
  assert.equal(ic.cbs[0].cb.id, unit.cb1);
  // districts read it too (they choose bodies for their work plans)
  const pd = await summary(cl.pudong);
  assert.deepEqual(pd.items.map((i) => [i.industry, i.count]), s.items.map((i) => [i.industry, i.count]));
});

test('the demo selections and their shape', async () => {
  const l = await selections(cl.city);
  assert.equal(l.total, 2);
  assert.deepEqual(l.items.map((s) => s.industry).sort(), ['生物医药', '集成电路'].sort());
  const d = await cl.cb1.get(`${API}/declarations/mine`);
  for (const s of l.items) {
    assert.equal(typeof s.id, 'number');
    assert.equal(s.programme_id, 1);
    assert.equal(s.cb.id, unit.cb1);
    assert.equal(s.cb.name, '沪联质量认证中心（演示）');
    assert.equal(s.declaration_id, d.json.id);
    assert.deepEqual(Object.keys(s.criteria).sort(), ['credit', 'qualification', 'social_responsibility', 'willingness']);
    for (const c of Object.values(s.criteria)) {
      assert.equal(c.ok, true);
      assert.equal(typeof c.note, 'string');
    }
    assert.equal(s.exception_reason, null);
    assert.equal(s.created_by, 'city');
  }
  const f = await selections(cl.city, `&industry=${encodeURIComponent('集成电路')}`);
  assert.equal(f.total, 1);
  assert.equal(f.items[0].industry, '集成电路');
  assert.equal((await selections(cl.city, `&cb_unit_id=${unit.cb2}`)).total, 0);
  assert.equal((await selections(cl.city, `&cb_unit_id=${unit.cb1}`)).total, 2);
  assert.equal((await selections(cl.pudong)).total, 2, 'districts see all selections');
});

test('anonymous: 401', async () => {
  const anon = new Client(srv.base);
  assertError(await anon.get(`${API}/selections`), 401, 'not_authenticated', undefined, 'anonymous list');
  assertError(await anon.get(`${API}/selections/summary`), 401, 'not_authenticated', undefined, 'anonymous summary');
  assertError(await anon.post(`${API}/selections`, { industry: '集成电路' }), 401, 'not_authenticated', undefined, 'anonymous POST');
});

test('any logged-in user may list selections (docs/api.md): enterprise ent1 too', async () => {
  const r = await cl.ent1.get(`${API}/selections`);
  assert.equal(r.status, 200, `ent1 GET /selections: ${r.text}`);
  assert.equal(r.json.total, 2);
});

test('collection paging on /selections: bad values 422', async () => {
  for (const bad of ['per_page=0', 'per_page=201', 'page=0', 'cb_unit_id=abc'])
    assertError(await cl.city.get(`${API}/selections?${bad}`), 422, 'invalid', undefined, bad);
});

test('collection paging on /selections: per_page and page apply', async () => {
  const r = await cl.city.get(`${API}/selections?per_page=1`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 2);
  assert.equal(r.json.per_page, 1);
  assert.equal(r.json.items.length, 1, 'per_page=1 must return one item');
  const p2 = await cl.city.get(`${API}/selections?per_page=1&page=2`);
  assert.equal(p2.json.page, 2);
  assert.equal(p2.json.items.length, 1);
  assert.notEqual(p2.json.items[0].id, r.json.items[0].id);
});

test('roles: only the city selects or deletes', async () => {
  const ids = (await selections(cl.city)).items.map((s) => s.id);
  for (const u of ['pudong', 'cb1', 'cb2', 'ent1']) {
    assertError(await cl[u].post(`${API}/selections`, { industry: '人工智能', cb_unit_id: unit.cb1, criteria: criteria() }),
      403, 'forbidden', undefined, `${u} POST`);
    assertError(await cl[u].req('DELETE', `${API}/selections/${ids[0]}`), 403, 'forbidden', undefined, `${u} DELETE`);
  }
  assertError(await cl.city.req('POST', `${API}/selections`, { industry: '人工智能', cb_unit_id: unit.cb1, criteria: criteria() },
    { 'x-csrf-token': 'nope' }), 403, 'csrf_failed', undefined, 'wrong CSRF');
  assert.equal((await selections(cl.city)).total, 2, 'refused requests changed the selections');
});

// ---------------------------------------------------------------- eligibility

test('a body without an accepted, joining declaration cannot be selected', async () => {
  const before = await counts();
  // cb2 has no declaration yet
  assertError(await select('集成电路', unit.cb2), 422, 'invalid', 'cb_unit_id', 'cb2 without declaration');
  // cb2 submitted but not yet accepted
  decl.cb2 = await declareCb(cl.cb2, '申诚认证有限公司（演示）', true, false);
  assertError(await select('集成电路', unit.cb2), 422, 'invalid', 'cb_unit_id', 'cb2 submitted, not accepted');
  // a district unit with an accepted, joining declaration is no certification body
  assertError(await select('集成电路', unit.pudong), 422, 'invalid', 'cb_unit_id', 'district unit');
  assertError(await select('集成电路', 999999), 422, 'invalid', 'cb_unit_id', 'unknown unit');
  if (extraUnits) {
    const u = await cl.city.post(`${API}/users`, { username: 'cb4.test', display_name: '第四认证 测试', role: 'cb_staff', unit_id: unit.cb4, password: 'Cb4-Pilot-2021' });
    assert.equal(u.status, 201, u.text);
    decl.cb4 = await declareCb(await login('cb4.test', 'Cb4-Pilot-2021'), CB4, false, true);
    assertError(await select('集成电路', unit.cb4), 422, 'invalid', 'cb_unit_id', 'accepted but not joining');
  }
  assert.deepEqual(await counts(), before, 'a refused selection changed the counts');
});

test('input checks: criteria, industry, body shape; nothing saved', async () => {
  const a = await cl.city.post(`${API}/declarations/${decl.cb2}/accept`);
  assert.equal(a.status, 200, a.text);
  const before = await counts();
  const ind = '集成电路';
  assertError(await cl.city.post(`${API}/selections`, { industry: ind, cb_unit_id: unit.cb2 }), 422, 'invalid', 'criteria', 'criteria missing');
  const three = criteria(); delete three.willingness;
  assertError(await select(ind, unit.cb2, { criteria: three }), 422, 'invalid', 'criteria', 'a criterion missing');
  assertError(await select(ind, unit.cb2, { criteria: criteria({ credit: { note: '' } }) }), 422, 'invalid', 'criteria', 'ok missing');
  assertError(await select(ind, unit.cb2, { criteria: criteria({ credit: { ok: true, note: '注'.repeat(201) } }) }),
    422, 'invalid', 'criteria', 'note 201 chars');
  for (const [key, label] of [['qualification', '资质'], ['social_responsibility', '社会责任'], ['credit', '信用'], ['willingness', '意愿']]) {
    const r = await select(ind, unit.cb2, { criteria: criteria({ [key]: { ok: false, note: '不符合' } }) });
    assertError(r, 422, 'invalid', 'criteria', `${key} ok:false`);
    assert.ok(r.json.error.message.includes(label) || r.json.error.message.includes(key),
      `the message must name the failed criterion ${key}: ${r.json.error.message}`);
  }
  assertError(await select('区块链', unit.cb2), 422, 'invalid', 'industry', 'industry not in the catalogue');
  assertError(await cl.city.post(`${API}/selections`, { cb_unit_id: unit.cb2, criteria: criteria() }), 422, 'invalid', 'industry', 'industry missing');
  assertError(await cl.city.post(`${API}/selections`, { industry: ind, criteria: criteria() }), 422, 'invalid', 'cb_unit_id', 'cb_unit_id missing');
  assertError(await select(ind, String(unit.cb2)), 400, 'bad_type', 'cb_unit_id', 'cb_unit_id as text');
  assertError(await select(ind, unit.cb2, { colour: 'red' }), 400, 'unknown_field', 'colour', 'unknown key');
  assertError(await select(ind, unit.cb2, { criteria: criteria({ extra: { ok: true, note: '' } }) }), 400, 'unknown_field', undefined, 'unknown criterion');
  const bad = await cl.city.req('POST', `${API}/selections`, '{"industry":', { 'content-type': 'application/json' });
  assertError(bad, 400, 'bad_json', undefined, 'malformed JSON');
  assert.deepEqual(await counts(), before, 'refused selections changed the counts');
  assert.equal((await selections(cl.city)).total, 2);
});

test('criteria: null counts as absent → 422 invalid (docs/api.md common rules)', async () => {
  const before = await counts();
  assertError(await select(null, unit.cb2), 422, 'invalid', 'industry', 'industry null');
  assertError(await select('集成电路', null), 422, 'invalid', 'cb_unit_id', 'cb_unit_id null');
  assertError(await select('集成电路', unit.cb2, { criteria: null }), 422, 'invalid', 'criteria', 'criteria null');
  assert.deepEqual(await counts(), before);
});

// ---------------------------------------------------------------- selecting, quota

let cb2ic; // cb2's selection for 集成电路
test('select cb2 for 集成电路 → 201, 2 of 2; the same again → 409 conflict', async () => {
  const r = await select('集成电路', unit.cb2, { criteria: criteria({ qualification: { ok: true, note: 'CNCA-R-2099-002' } }) });
  assert.equal(r.status, 201, r.text);
  cb2ic = r.json;
  assert.equal(typeof r.json.id, 'number');
  assert.equal(r.json.industry, '集成电路');
  assert.equal(r.json.cb.id, unit.cb2);
  assert.equal(r.json.cb.name, '申诚认证有限公司（演示）');
  assert.equal(r.json.declaration_id, decl.cb2);
  assert.equal(r.json.criteria.qualification.note, 'CNCA-R-2099-002');
  assert.equal(r.json.criteria.credit.ok, true);
  assert.equal(r.json.created_by, 'city');
  assert.equal(r.json.exception_reason, null);
  const ic = (await summary()).items.find((i) => i.industry === '集成电路');
  assert.equal(ic.count, 2);
  assert.equal(ic.max, 2);
  assert.deepEqual(ic.cbs.map((s) => s.cb.id).sort(), [unit.cb1, unit.cb2].sort());
  // selecting one of the two again, even with an exception reason, is refused
  const again1 = await select('集成电路', unit.cb1, { exception_reason: '重复遴选测试理由' });
  assertError(again1, 409, 'conflict', undefined, 'cb1 again with a reason');
  assert.equal((await counts())['集成电路'], 2, 'a refused selection changed the count');
});

test('the same body twice for a full industry → 409 conflict (not quota_exceeded)', async () => {
  const again = await select('集成电路', unit.cb2);
  assertError(again, 409, 'conflict', undefined, 'the same body twice (industry full)');
  assert.equal((await counts())['集成电路'], 2, 'a refused selection changed the count');
});

test('two bodies for 人工智能: the same body twice → 409 conflict; 2 of 2', async () => {
  assert.equal((await select('人工智能', unit.cb1)).status, 201);
  assertError(await select('人工智能', unit.cb1), 409, 'conflict', undefined, 'the same body twice (1 of 2)');
  assert.equal((await counts())['人工智能'], 1, 'a refused duplicate changed the count');
  assert.equal((await select('人工智能', unit.cb2)).status, 201);
  const ai = (await summary()).items.find((i) => i.industry === '人工智能');
  assert.equal(ai.count, 2);
  assert.equal(ai.max, 2);
  assert.deepEqual(ai.cbs.map((s) => s.cb.id).sort(), [unit.cb1, unit.cb2].sort());
});

test('a third body: 409 quota_exceeded; a short exception reason 422; a real one 201', async (t) => {
  if (!extraUnits) { t.skip('no third CB unit could be added'); return; }
  const u = await cl.city.post(`${API}/users`, { username: 'cb3.test', display_name: '第三认证 测试', role: 'cb_staff', unit_id: unit.cb3, password: 'Cb3-Pilot-2021' });
  assert.equal(u.status, 201, u.text);
  cl.cb3 = await login('cb3.test', 'Cb3-Pilot-2021');
  decl.cb3 = await declareCb(cl.cb3, CB3, true, true);

  const q = await select('集成电路', unit.cb3);
  assertError(q, 409, 'quota_exceeded', undefined, 'third body');
  assert.ok(q.json.error.message.includes('2'), `quota message: ${q.json.error.message}`);
  const q2 = await select('集成电路', unit.cb3, { exception_reason: '' });
  assertError(q2, 409, 'quota_exceeded', undefined, 'third body, empty reason');
  assertError(await select('集成电路', unit.cb3, { exception_reason: '太多' }), 422, 'invalid', 'exception_reason', 'short reason');
  assertError(await select('集成电路', unit.cb3, { exception_reason: '需要更多' }), 422, 'invalid', 'exception_reason', '4-character reason');
  assert.equal((await counts())['集成电路'], 2, 'refused selections changed the count');

  const reason = '集成电路企业数量多，需第三家机构帮扶';
  const ok = await select('集成电路', unit.cb3, { exception_reason: reason });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.exception_reason, reason);
  const ic = (await summary()).items.find((i) => i.industry === '集成电路');
  assert.equal(ic.count, 3);
  assert.equal(ic.max, 2);
  assert.equal(ic.cbs.find((s) => s.cb.id === unit.cb3)?.exception_reason, reason, 'exception reason shown in the summary');
  const l = await selections(cl.city, `&cb_unit_id=${unit.cb3}`);
  assert.equal(l.total, 1);
  assert.equal(l.items[0].exception_reason, reason, 'exception reason shown in the list');
  // a fourth needs its own exception as well
  assertError(await select('集成电路', unit.cb3, { exception_reason: reason }), 409, 'conflict', undefined, 'cb3 twice');
});

test('cb staff see only their own body', async () => {
  const one = await selections(cl.cb1);
  assert.ok(one.total >= 3, `cb1: ${one.total}`);
  assert.ok(one.items.every((s) => s.cb.id === unit.cb1), 'cb1 sees other bodies');
  const two = await selections(cl.cb2);
  assert.deepEqual(two.items.map((s) => s.industry).sort(), ['人工智能', '集成电路'].sort());
  assert.ok(two.items.every((s) => s.cb.id === unit.cb2), 'cb2 sees other bodies');
  const peek = await cl.cb2.get(`${API}/selections?per_page=200&cb_unit_id=${unit.cb1}`);
  assert.ok(peek.status === 200 || peek.status === 404 || peek.status === 403, peek.text);
  if (peek.status === 200) assert.ok(peek.json.items.every((s) => s.cb.id === unit.cb2), 'cb_unit_id lets cb2 read cb1');
  // the city sees everything
  const all = await selections(cl.city);
  assert.equal(all.total, 2 + 1 + 2 + (extraUnits ? 1 : 0));
});

// ---------------------------------------------------------------- delete

test('DELETE a selection → 204; count drops; audit has create and delete', async () => {
  const before = (await counts())['集成电路'];
  const r = await cl.city.req('DELETE', `${API}/selections/${cb2ic.id}`);
  assert.equal(r.status, 204, r.text);
  assert.equal((await counts())['集成电路'], before - 1);
  assert.ok(!(await selections(cl.city)).items.some((s) => s.id === cb2ic.id), 'deleted selection still listed');
  assert.ok(!(await selections(cl.cb2)).items.some((s) => s.industry === '集成电路'));
  assertError(await cl.city.req('DELETE', `${API}/selections/${cb2ic.id}`), 404, 'not_found', undefined, 'delete twice');
  assertError(await cl.city.req('DELETE', `${API}/selections/999999`), 404, 'not_found', undefined, 'unknown id');

  const del = await cl.city.get(`${API}/audit-log?action=selection.delete&per_page=200`);
  assert.equal(del.status, 200, del.text);
  assert.ok(del.json.items.some((e) => e.object_id === cb2ic.id && e.username === 'city' && e.action === 'selection.delete'),
    `audit: ${del.text.slice(0, 500)}`);
  const cre = await cl.city.get(`${API}/audit-log?action=selection.create&per_page=200`);
  assert.ok(cre.json.items.some((e) => e.object_id === cb2ic.id && e.username === 'city'), 'audit lacks selection.create');

  // with one place free again, cb2 can be selected again without an exception reason
  if (!extraUnits) {
    const again = await select('集成电路', unit.cb2);
    assert.equal(again.status, 201, again.text);
  }
});
