// Evaluation 总结验收 and the effect questionnaire 效果问卷 (docs/api.md "Evaluation").
// One server with the demo data on 2021-11-20 (the summary phase). The computed
// sub-indicators of 浦东新区 are checked against figures counted here through the
// ordinary list endpoints (enterprises, work plans, declarations, trainings, diagnoses,
// actions, certificates, questionnaires) and the rules re-implemented below from the
// indicator table in docs/api.md; then entered points and their validation (nothing
// half-saved), the ranking, finalising (frozen figures), reopening, data scope, the
// questionnaire rules and the summary rates, and the Excel export. The full-points
// targets come from the programme (quotas.evaluation_targets): the last tests start a
// second server on a changed copy of data/programmes/shanghai-2021.json.
// Tests run in order and share the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, BIN, ROOT, PG, newDatabase } from '../lib/server.mjs';

const API = '/api/v1';
const TODAY = '2021-11-20';
const USERS = ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1'];
const PUDONG = '浦东新区';

let srv;
let tmp;
const cl = {};
const me = {};
const U = {}; // unit ids: pudong, huangpu, xuhui, city, cb1
const E = {}; // enterprise ids: pujiang (ent1), xintu, waitan (黄浦区, not assisted)

before(async () => {
  srv = await startServer({ today: TODAY });
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-eval-'));
  for (const u of USERS) {
    cl[u] = new Client(srv.base);
    const r = await cl[u].login(u);
    assert.equal(r.status, 200, `login ${u}: ${r.text}`);
    me[u] = (await cl[u].get(`${API}/me`)).json.user;
  }
  const units = await cl.city.get(`${API}/units?per_page=200`);
  const byName = (n) => units.json.items.find((x) => x.name === n)?.id;
  U.pudong = byName('浦东新区市场监管局');
  U.huangpu = byName('黄浦区市场监管局');
  U.xuhui = byName('徐汇区市场监管局');
  U.city = byName('上海市市场监督管理局');
  U.cb1 = byName('沪联质量认证中心（演示）');
  for (const k of Object.keys(U)) assert.ok(U[k], `unit ${k} missing`);
  assert.equal(me.pudong.unit.id, U.pudong);
  const es = await cl.city.get(`${API}/enterprises?per_page=200`);
  const ent = (n) => es.json.items.find((e) => e.name === n)?.id;
  E.pujiang = ent('上海浦江精密电子有限公司（演示）');
  E.xintu = ent('上海芯途微电子有限公司（演示）');
  E.jingyao = ent('上海晶曜封装测试有限公司（演示）');
  E.waitan = ent('上海外滩时尚服饰有限公司（演示）');
  for (const k of Object.keys(E)) assert.ok(E[k], `enterprise ${k} missing`);
  assert.equal(me.ent1.enterprise.id, E.pujiang);
});
after(async () => {
  await srv?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

const put = (c, path, body) => c.req('PUT', path, body);
function assertError(r, status, code, field, what = '') {
  assert.equal(r.status, status, `${what}: expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what}: code ${r.text}`);
  assert.ok(r.json.error.message.length > 0, `${what}: empty message`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${what}: field ${r.text}`);
}
async function ok(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// The rules as docs/api.md states them: one decimal, halves up; rates and counts
// proportional to their target and clamped to the maximum; nothing counted → 0.
const round1 = (x) => Math.floor(Math.abs(x) * 10 + 0.5 + 1e-9) / 10;
const ratioPts = (max, n, d, target) => (d <= 0 || n <= 0 ? 0 : round1(max * Math.min(1, n / d / target)));
const countPts = (max, n, target) => (n <= 0 ? 0 : round1(max * Math.min(1, n / target)));
const stagePts = (max, s) => (s === 2 ? max : s === 1 ? round1(max / 2) : 0);
const pct = (n, d) => (d > 0 ? round1((100 * n) / d) : null);
const near = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

// Count Pudong's facts through the ordinary endpoints, as the city.
async function countPudong() {
  const c = cl.city;
  const f = {};
  const ents = await ok(await c.get(`${API}/enterprises?district=${encodeURIComponent(PUDONG)}&per_page=200`), 'enterprises');
  f.enrolled = ents.total;
  const assisted = ents.items.filter((e) => e.assignment);
  f.assisted = assisted.length;
  const wps = await ok(await c.get(`${API}/workplans?per_page=200`), 'workplans');
  const wp = wps.items.find((w) => w.unit.id === U.pudong);
  f.workplan = !wp ? 0 : wp.status === 'approved' ? 2 : wp.status === 'submitted' ? 1 : 0;
  f.planTarget = wp && wp.status === 'approved'
    ? wp.content.industries.reduce((s, i) => s + i.enterprise_ids.length, 0) : 0;
  const decls = await ok(await c.get(`${API}/declarations?per_page=200`), 'declarations');
  const d = decls.items.find((x) => x.unit.id === U.pudong);
  f.declaration = !d || d.status === 'draft' ? 0 : d.late ? 1 : 2;
  // Training: sessions held by the district or attended by its enterprises; person-times.
  const ts = await ok(await c.get(`${API}/trainings?per_page=200`), 'trainings');
  const sessions = new Set();
  f.personTimes = 0;
  for (const t of ts.items) {
    const full = await ok(await c.get(`${API}/trainings/${t.id}`), `training ${t.id}`);
    const att = full.registrations.filter((r) => r.attended && r.enterprise.district === PUDONG);
    f.personTimes += att.length;
    if (att.length || (t.organiser.id === U.pudong && t.starts_at <= `${TODAY} 23:59`)) sessions.add(t.id);
  }
  f.sessions = sessions.size;
  const diags = await ok(await c.get(`${API}/diagnoses?kind=onsite&status=submitted&district=${encodeURIComponent(PUDONG)}&per_page=200`), 'diagnoses');
  f.diagnosed = new Set(diags.items.map((x) => x.enterprise.id)).size;
  const acts = await ok(await c.get(`${API}/actions?district=${encodeURIComponent(PUDONG)}&per_page=200`), 'actions');
  f.actions = acts.total;
  f.closed = acts.items.filter((a) => a.status === 'closed').length;
  const certs = await ok(await c.get(`${API}/certificates?district=${encodeURIComponent(PUDONG)}&prior=false&per_page=200`), 'certificates');
  f.certified = new Set(certs.items.filter((x) => ['valid', 'suspended'].includes(x.status)).map((x) => x.enterprise_id)).size;
  f.answered = 0; f.clear = 0; f.satSum = 0;
  for (const e of assisted) {
    const q = await ok(await c.get(`${API}/enterprises/${e.id}/questionnaire`), `questionnaire ${e.id}`);
    if (!q.answered) continue;
    f.answered++;
    if (['very', 'fairly'].includes(q.improvement)) f.clear++;
    f.satSum += q.satisfaction;
  }
  return f;
}

function expectedPoints(f) {
  return {
    declaration_on_time: stagePts(5, f.declaration),
    workplan_approved: stagePts(10, f.workplan),
    pilot_enterprises: ratioPts(10, f.enrolled, f.planTarget, 1),
    training_sessions: countPts(10, f.sessions, 4),
    training_person_times: countPts(10, f.personTimes, 50),
    diagnosis_rate: ratioPts(10, f.diagnosed, f.enrolled, 1),
    action_closure_rate: ratioPts(10, f.closed, f.actions, 0.9),
    certified_rate: ratioPts(10, f.certified, f.enrolled, 0.8),
    clear_improvement_rate: ratioPts(8, f.clear, f.answered, 0.9),
    satisfaction_rate: ratioPts(7, f.satSum, f.answered * 5, 0.9),
  };
}

const sheet = async (c, id = U.pudong) => ok(await c.get(`${API}/evaluations/${id}`), `GET evaluation ${id}`);
const item = (s, key) => {
  const it = s.items.find((x) => x.key === key);
  assert.ok(it, `item ${key} missing`);
  return it;
};
function assertSums(s, what) {
  let total = 0;
  for (const d of s.dimensions) {
    const sum = s.items.filter((i) => i.dimension === d.key).reduce((a, i) => a + (i.points ?? 0), 0);
    near(d.points, round1(sum), `${what}: ${d.key} subtotal`);
    total += d.points;
  }
  near(s.total, round1(total), `${what}: total`);
}

// ---------------------------------------------------------------- computed values

test('the indicator table: three dimensions, 100 points, computed and entered sources', async () => {
  const s = await sheet(cl.city);
  assert.deepEqual(s.dimensions.map((d) => [d.key, d.label, d.max]),
    [['mobilisation', '组织发动', 30], ['publicity', '宣传培训', 25], ['assistance', '企业帮扶', 45]]);
  assert.equal(s.max, 100);
  near(s.items.reduce((a, i) => a + i.max, 0), 100, 'maxima');
  assert.deepEqual(s.items.filter((i) => i.source === 'entered').map((i) => i.key).sort(), ['leadership', 'publicity']);
  for (const i of s.items) {
    assert.ok(i.label && i.how, `${i.key} label/how`);
    // The target is programme data, shown beside the description, never inside it.
    assert.doesNotMatch(i.how, /达到 ?\d|\d+ ?%/, `${i.key} how names no target: ${i.how}`);
    if (i.source === 'computed') assert.ok(i.figures, `${i.key} figures`);
    else assert.equal(i.figures, null);
  }
  assert.equal(s.status, 'draft');
  assert.equal(s.finalised, false);
  assert.equal(s.computed_on, TODAY);
  assert.equal(s.unit.id, U.pudong);
  assert.equal(s.district, PUDONG);
});

test('Pudong computed sub-indicators match the records counted through the API', async () => {
  const f = await countPudong();
  // The demo has something in every computed indicator of Pudong.
  assert.ok(f.enrolled >= 10 && f.planTarget >= 10 && f.answered >= 5 && f.actions > 0 && f.diagnosed > 0, JSON.stringify(f));
  const s = await sheet(cl.city);
  const want = expectedPoints(f);
  for (const [key, pts] of Object.entries(want)) near(item(s, key).points, pts, key);
  // the figures behind them
  assert.deepEqual(item(s, 'pilot_enterprises').figures, { numerator: f.enrolled, denominator: f.planTarget,
    rate_percent: pct(f.enrolled, f.planTarget), target_percent: 100 });
  assert.equal(item(s, 'diagnosis_rate').figures.numerator, f.diagnosed);
  assert.equal(item(s, 'diagnosis_rate').figures.denominator, f.enrolled);
  assert.equal(item(s, 'diagnosis_rate').value, pct(f.diagnosed, f.enrolled));
  assert.equal(item(s, 'action_closure_rate').figures.numerator, f.closed);
  assert.equal(item(s, 'action_closure_rate').figures.denominator, f.actions);
  assert.equal(item(s, 'action_closure_rate').figures.target_percent, 90);
  assert.equal(item(s, 'certified_rate').figures.numerator, f.certified);
  assert.equal(item(s, 'clear_improvement_rate').figures.numerator, f.clear);
  assert.equal(item(s, 'clear_improvement_rate').figures.denominator, f.answered);
  assert.equal(item(s, 'satisfaction_rate').figures.numerator, f.satSum);
  assert.equal(item(s, 'satisfaction_rate').figures.denominator, f.answered * 5);
  assert.equal(item(s, 'satisfaction_rate').figures.answers, f.answered);
  assert.deepEqual(item(s, 'training_sessions').figures, { count: f.sessions, target: 4, unit: '场' });
  assert.equal(item(s, 'training_person_times').figures.count, f.personTimes);
  // The targets of data/programmes/shanghai-2021.json (quotas.evaluation_targets).
  assert.equal(item(s, 'training_person_times').figures.target, 50);
  assert.equal(item(s, 'diagnosis_rate').figures.target_percent, 100);
  assert.equal(item(s, 'certified_rate').figures.target_percent, 80);
  assert.equal(item(s, 'clear_improvement_rate').figures.target_percent, 90);
  assert.equal(item(s, 'satisfaction_rate').figures.target_percent, 90);
  assert.equal(item(s, 'declaration_on_time').figures.state, ['not_submitted', 'late', 'on_time'][f.declaration]);
  assert.equal(item(s, 'workplan_approved').figures.state, ['none', 'submitted', 'approved'][f.workplan]);
  // Entered ones start empty: no points, counted as 0.
  for (const k of ['leadership', 'publicity']) {
    assert.equal(item(s, k).points, null);
    assert.equal(item(s, k).entered, false);
  }
  assert.equal(s.missing_entries, 2);
  assertSums(s, 'pudong');
});

test('a district with no pilot work scores 0 everywhere, never NaN', async () => {
  const s = await sheet(cl.city, U.huangpu);
  assert.equal(s.total, 0);
  for (const i of s.items) {
    assert.ok(i.points === null || i.points === 0, `${i.key}: ${i.points}`);
    if (i.figures && 'rate_percent' in i.figures && i.key !== 'pilot_enterprises' && i.key !== 'diagnosis_rate' && i.key !== 'certified_rate') {
      assert.equal(i.figures.rate_percent, null, `${i.key} rate`);
    }
  }
  assert.equal(item(s, 'pilot_enterprises').figures.denominator, 0);
  assert.equal(item(s, 'pilot_enterprises').value, null);
  assert.equal(item(s, 'satisfaction_rate').value, null);
  assert.ok(item(s, 'satisfaction_rate').value_text.length > 0);
});

// ---------------------------------------------------------------- ranking

test('the ranking: every district, sorted by total with competition ranks and subtotals', async () => {
  const r = await ok(await cl.city.get(`${API}/evaluations`), 'ranking');
  const units = await ok(await cl.city.get(`${API}/units?kind=district&per_page=200`), 'units');
  assert.equal(r.total, units.total);
  assert.equal(r.items.length, units.total);
  assert.equal(r.today, TODAY);
  for (let i = 0; i < r.items.length; i++) {
    const x = r.items[i];
    const sum = x.dimensions.reduce((a, d) => a + d.points, 0);
    near(x.total, round1(sum), `${x.district} total`);
    if (i > 0) assert.ok(r.items[i - 1].total >= x.total, 'sorted by total');
    assert.equal(x.rank, 1 + r.items.filter((y) => y.total > x.total).length, `${x.district} rank`);
  }
  const p = r.items.find((x) => x.district_unit_id === U.pudong);
  assert.equal(p.rank, 1);
  assert.equal(p.total, (await sheet(cl.city)).total);
  assert.equal(p.status, 'draft');
  // paging
  const page = await ok(await cl.city.get(`${API}/evaluations?per_page=5&page=2`), 'page 2');
  assert.equal(page.items.length, 5);
  assert.equal(page.items[0].district_unit_id, r.items[5].district_unit_id);
  assertError(await cl.city.get(`${API}/evaluations?per_page=0`), 422, 'invalid');
});

test('a district officer sees its own row only; other districts answer 404; others 403', async () => {
  const r = await ok(await cl.huangpu.get(`${API}/evaluations`), 'huangpu ranking');
  assert.equal(r.total, 1);
  assert.equal(r.items[0].district_unit_id, U.huangpu);
  assert.ok(r.items[0].rank >= 1);
  await sheet(cl.huangpu, U.huangpu);
  await sheet(cl.pudong, U.pudong);
  assertError(await cl.huangpu.get(`${API}/evaluations/${U.pudong}`), 404, 'not_found');
  assertError(await cl.pudong.get(`${API}/evaluations/${U.huangpu}`), 404, 'not_found');
  for (const u of ['cb1', 'cb2', 'ent1']) {
    assertError(await cl[u].get(`${API}/evaluations`), 403, 'forbidden', undefined, u);
    assertError(await cl[u].get(`${API}/evaluations/${U.pudong}`), 403, 'forbidden', undefined, u);
  }
  // Only the city enters, finalises, reopens, exports.
  for (const u of ['pudong', 'huangpu']) {
    assertError(await put(cl[u], `${API}/evaluations/${U[u]}`, { entered: { leadership: 5 } }), 403, 'forbidden');
    assertError(await cl[u].post(`${API}/evaluations/${U[u]}/finalise`), 403, 'forbidden');
    assertError(await cl[u].post(`${API}/evaluations/${U[u]}/reopen`), 403, 'forbidden');
    assert.equal((await cl[u].get(`${API}/evaluations.xlsx`)).status, 403);
  }
  // Not a district: the city unit, a body, nothing.
  for (const id of [U.city, U.cb1, 999999]) {
    assertError(await cl.city.get(`${API}/evaluations/${id}`), 404, 'not_found', undefined, `unit ${id}`);
    assertError(await put(cl.city, `${API}/evaluations/${id}`, { entered: { leadership: 1 } }), 404, 'not_found');
    assertError(await cl.city.post(`${API}/evaluations/${id}/finalise`), 404, 'not_found');
  }
  // Without a session.
  assert.equal((await new Client(srv.base).get(`${API}/evaluations`)).status, 401);
});

// ---------------------------------------------------------------- entered points

test('entered points: range, unknown and computed keys, types, precision — each 422/400 naming the key', async () => {
  const path = `${API}/evaluations/${U.pudong}`;
  assertError(await put(cl.city, path, { entered: { leadership: 5.5 } }), 422, 'invalid', 'leadership', 'above max');
  assert.match((await put(cl.city, path, { entered: { leadership: 5.5 } })).json.error.message, /组织领导与部署.*0 到 5/);
  assertError(await put(cl.city, path, { entered: { publicity: -1 } }), 422, 'invalid', 'publicity', 'negative');
  assertError(await put(cl.city, path, { entered: { publicity: 2.25 } }), 422, 'invalid', 'publicity', 'two decimals');
  assertError(await put(cl.city, path, { entered: { bogus: 1 } }), 422, 'invalid', 'bogus', 'unknown key');
  assertError(await put(cl.city, path, { entered: { diagnosis_rate: 10 } }), 422, 'invalid', 'diagnosis_rate', 'computed key');
  assert.match((await put(cl.city, path, { entered: { diagnosis_rate: 10 } })).json.error.message, /诊断完成率/);
  assertError(await put(cl.city, path, { entered: { leadership: '4' } }), 400, 'bad_type', 'leadership');
  assertError(await put(cl.city, path, { entered: [4] }), 400, 'bad_type', 'entered');
  assertError(await put(cl.city, path, { entered: {}, extra: 1 }), 400, 'unknown_field', 'extra');
  assertError(await put(cl.city, path, { comment: 5 }), 400, 'bad_type', 'comment');
  assertError(await put(cl.city, path, { comment: '长'.repeat(2001) }), 422, 'invalid', 'comment');
  assertError(await cl.city.req('PUT', path, '{"entered":', { 'content-type': 'application/json' }), 400, 'bad_json');
  // Nothing half-saved: a valid entry next to a bad one is not kept.
  assertError(await put(cl.city, path, { entered: { leadership: 4, publicity: 9 }, comment: '不应保存' }), 422, 'invalid', 'publicity');
  const s = await sheet(cl.city);
  assert.equal(item(s, 'leadership').points, null);
  assert.equal(s.comment, '');
  assert.equal(s.updated_at, null);
  // CSRF
  assert.equal((await cl.city.req('PUT', path, { entered: { leadership: 4 } }, { 'x-csrf-token': 'wrong' })).status, 403);
});

test('entering points updates the sheet, its subtotal, the total and the ranking', async () => {
  const before = await sheet(cl.city);
  const r = await put(cl.city, `${API}/evaluations/${U.pudong}`, { entered: { leadership: 4.5 }, comment: '组织有力' });
  const s = await ok(r, 'PUT leadership');
  assert.equal(item(s, 'leadership').points, 4.5);
  assert.equal(item(s, 'leadership').entered, true);
  assert.equal(s.comment, '组织有力');
  assert.equal(s.updated_by, 'city');
  assert.ok(s.updated_at);
  assert.equal(s.missing_entries, 1);
  near(s.total, round1(before.total + 4.5), 'total + 4.5');
  near(s.dimensions[0].points, round1(before.dimensions[0].points + 4.5), 'mobilisation + 4.5');
  assertSums(s, 'after leadership');
  // A second PUT with another key keeps the first one and the comment.
  const s2 = await ok(await put(cl.city, `${API}/evaluations/${U.pudong}`, { entered: { publicity: 3 } }), 'PUT publicity');
  assert.equal(item(s2, 'leadership').points, 4.5);
  assert.equal(item(s2, 'publicity').points, 3);
  assert.equal(s2.comment, '组织有力');
  assert.equal(s2.missing_entries, 0);
  near(s2.total, round1(before.total + 7.5), 'total + 7.5');
  // null clears an entry; an integer and a 0 are fine.
  const s3 = await ok(await put(cl.city, `${API}/evaluations/${U.pudong}`, { entered: { publicity: null } }), 'clear');
  assert.equal(item(s3, 'publicity').points, null);
  await ok(await put(cl.city, `${API}/evaluations/${U.pudong}`, { entered: { publicity: 0 } }), 'zero');
  await ok(await put(cl.city, `${API}/evaluations/${U.pudong}`, { entered: { publicity: 3 } }), 'three');
  // The ranking shows the new total; a lower-ranked district moves with its entries.
  const rk = await ok(await cl.city.get(`${API}/evaluations`), 'ranking');
  assert.equal(rk.items.find((x) => x.district_unit_id === U.pudong).total, s2.total);
  const xuhuiBefore = rk.items.find((x) => x.district_unit_id === U.xuhui);
  await ok(await put(cl.city, `${API}/evaluations/${U.xuhui}`, { entered: { leadership: 5, publicity: 5 } }), 'xuhui');
  const rk2 = await ok(await cl.city.get(`${API}/evaluations`), 'ranking 2');
  const xuhui = rk2.items.find((x) => x.district_unit_id === U.xuhui);
  near(xuhui.total, round1(xuhuiBefore.total + 10), 'xuhui total');
  assert.ok(xuhui.rank <= xuhuiBefore.rank, 'xuhui rank rises or stays');
  assert.equal(xuhui.rank, 1 + rk2.items.filter((y) => y.total > xuhui.total).length);
  // The history records who changed what.
  const h = (await sheet(cl.city)).history;
  assert.ok(h.some((e) => e.action === 'evaluation.update' && e.username === 'city'));
  // The district sees its entered points.
  assert.equal(item(await sheet(cl.pudong), 'leadership').points, 4.5);
});

// ---------------------------------------------------------------- finalise / reopen

test('finalise needs every entered indicator, freezes the computed values; reopen thaws them', async () => {
  // Huangpu has no entries yet: 422 naming the first missing one.
  assertError(await cl.city.post(`${API}/evaluations/${U.huangpu}/finalise`), 422, 'invalid', 'leadership');
  assertError(await cl.city.post(`${API}/evaluations/${U.pudong}/reopen`), 409, 'conflict', undefined, 'reopen a draft');
  const live = await sheet(cl.city);
  const fin = await ok(await cl.city.post(`${API}/evaluations/${U.pudong}/finalise`), 'finalise');
  assert.equal(fin.status, 'final');
  assert.equal(fin.finalised, true);
  assert.equal(fin.status_name, '已确认');
  assert.equal(fin.total, live.total);
  assert.deepEqual(fin.items, live.items);
  assertError(await cl.city.post(`${API}/evaluations/${U.pudong}/finalise`), 409, 'conflict', undefined, 'twice');
  assertError(await put(cl.city, `${API}/evaluations/${U.pudong}`, { entered: { leadership: 1 } }), 409, 'conflict');
  assertError(await put(cl.city, `${API}/evaluations/${U.pudong}`, { comment: 'x' }), 409, 'conflict');

  // The records move on: Pudong holds another training session today.
  const t = await cl.pudong.post(`${API}/trainings`, {
    title: '总结验收专题培训', kind: 'offline', starts_at: `${TODAY} 09:00`, ends_at: `${TODAY} 11:00`,
    place: '浦东新区市场监管局会议室', capacity: 40,
  });
  assert.equal(t.status, 201, t.text);
  const frozen = await sheet(cl.city);
  assert.deepEqual(frozen.items, fin.items, 'frozen sheet unchanged');
  assert.equal(frozen.computed_on, TODAY);
  const rk = await ok(await cl.city.get(`${API}/evaluations`), 'ranking');
  const row = rk.items.find((x) => x.district_unit_id === U.pudong);
  assert.equal(row.finalised, true);
  assert.equal(row.total, fin.total);

  const re = await ok(await cl.city.post(`${API}/evaluations/${U.pudong}/reopen`), 'reopen');
  assert.equal(re.status, 'draft');
  assert.equal(item(re, 'training_sessions').figures.count, item(fin, 'training_sessions').figures.count + 1);
  assert.equal(item(re, 'leadership').points, 4.5, 'entered points survive reopening');
  const f = await countPudong();
  for (const [key, pts] of Object.entries(expectedPoints(f))) near(item(re, key).points, pts, `reopened ${key}`);
  const actions = re.history.map((e) => e.action);
  assert.ok(actions.includes('evaluation.finalise') && actions.includes('evaluation.reopen'), actions.join());
  // Finalise again for the questionnaire lock below.
  await ok(await cl.city.post(`${API}/evaluations/${U.pudong}/finalise`), 'finalise again');
});

// ---------------------------------------------------------------- questionnaire

test('questionnaire: the enterprise reads and answers its own; values checked', async () => {
  // Pudong is final now: reopen so its enterprises may answer.
  await ok(await cl.city.post(`${API}/evaluations/${U.pudong}/reopen`), 'reopen');
  const path = `${API}/enterprises/${E.pujiang}/questionnaire`;
  const q0 = await ok(await cl.ent1.get(path), 'ent1 GET');
  assert.equal(q0.enterprise.id, E.pujiang);
  assert.equal(q0.assisted, true);
  assert.equal(q0.answered, false);
  assert.equal(q0.can_answer, true);
  assert.equal(q0.improvement, null);
  assert.deepEqual(q0.options.map((o) => [o.value, o.label]),
    [['very', '非常明显'], ['fairly', '比较明显'], ['average', '一般'], ['not', '不明显']]);
  assertError(await put(cl.ent1, path, { improvement: 'great', satisfaction: 5 }), 422, 'invalid', 'improvement');
  assertError(await put(cl.ent1, path, { satisfaction: 5 }), 422, 'invalid', 'improvement');
  assertError(await put(cl.ent1, path, { improvement: 'very' }), 422, 'invalid', 'satisfaction');
  assertError(await put(cl.ent1, path, { improvement: 'very', satisfaction: 0 }), 422, 'invalid', 'satisfaction');
  assertError(await put(cl.ent1, path, { improvement: 'very', satisfaction: 6 }), 422, 'invalid', 'satisfaction');
  assertError(await put(cl.ent1, path, { improvement: 'very', satisfaction: '5' }), 400, 'bad_type', 'satisfaction');
  assertError(await put(cl.ent1, path, { improvement: 'very', satisfaction: 4.5 }), 400, 'bad_type', 'satisfaction');
  assertError(await put(cl.ent1, path, { improvement: 1, satisfaction: 5 }), 400, 'bad_type', 'improvement');
  assertError(await put(cl.ent1, path, { improvement: 'very', satisfaction: 5, score: 1 }), 400, 'unknown_field', 'score');
  assertError(await put(cl.ent1, path, { improvement: 'very', satisfaction: 5, comments: '字'.repeat(501) }), 422, 'invalid', 'comments');
  assert.equal((await cl.ent1.get(path)).json.answered, false, 'nothing saved by refused bodies');
  const q = await ok(await put(cl.ent1, path, { improvement: 'very', satisfaction: 5, comments: '流程清楚多了' }), 'answer');
  assert.equal(q.answered, true);
  assert.equal(q.improvement, 'very');
  assert.equal(q.improvement_name, '非常明显');
  assert.equal(q.satisfaction, 5);
  assert.equal(q.comments, '流程清楚多了');
  assert.equal(q.answered_by, 'ent1');
  assert.ok(q.answered_at);
  // It can change its answer while the district's evaluation is open.
  const q2 = await ok(await put(cl.ent1, path, { improvement: 'fairly', satisfaction: 4 }), 'change');
  assert.equal(q2.improvement, 'fairly');
  assert.equal(q2.comments, '');
  // The district and the city read it.
  assert.equal((await ok(await cl.pudong.get(path), 'pudong GET')).satisfaction, 4);
  const cq = await ok(await cl.city.get(path), 'city GET');
  assert.equal(cq.improvement, 'fairly');
  assert.equal(cq.can_answer, false);
});

test('questionnaire: scope, on behalf of an enterprise, not assisted → 409, locked when final', async () => {
  const xintu = `${API}/enterprises/${E.xintu}/questionnaire`;
  // Another enterprise's: 404 for ent1; another district's: 404; bodies and the city may not answer.
  assertError(await cl.ent1.get(xintu), 404, 'not_found');
  assertError(await put(cl.ent1, xintu, { improvement: 'very', satisfaction: 5 }), 404, 'not_found');
  assertError(await cl.huangpu.get(xintu), 404, 'not_found');
  assertError(await put(cl.huangpu, xintu, { improvement: 'very', satisfaction: 5 }), 404, 'not_found');
  assertError(await cl.cb1.get(xintu), 403, 'forbidden');
  assertError(await put(cl.city, xintu, { improvement: 'very', satisfaction: 5 }), 403, 'forbidden');
  assertError(await cl.city.get(`${API}/enterprises/999999/questionnaire`), 404, 'not_found');
  // The district officer enters it on the enterprise's behalf.
  const q = await ok(await put(cl.pudong, xintu, { improvement: 'not', satisfaction: 2, comments: '电话回访代填' }), 'on behalf');
  assert.equal(q.answered_by, 'pudong');
  // Not assisted (黄浦区 enterprises have no body assigned): 409.
  const waitan = `${API}/enterprises/${E.waitan}/questionnaire`;
  const w = await ok(await cl.huangpu.get(waitan), 'huangpu GET waitan');
  assert.equal(w.assisted, false);
  assert.equal(w.can_answer, false);
  assertError(await put(cl.huangpu, waitan, { improvement: 'very', satisfaction: 5 }), 409, 'conflict');
  // Final evaluation of the district: answers are locked (409) until reopened.
  await ok(await cl.city.post(`${API}/evaluations/${U.pudong}/finalise`), 'finalise');
  const locked = await ok(await cl.ent1.get(`${API}/enterprises/${E.pujiang}/questionnaire`), 'locked GET');
  assert.equal(locked.locked, true);
  assert.equal(locked.can_answer, false);
  assertError(await put(cl.ent1, `${API}/enterprises/${E.pujiang}/questionnaire`, { improvement: 'very', satisfaction: 5 }), 409, 'conflict');
  await ok(await cl.city.post(`${API}/evaluations/${U.pudong}/reopen`), 'reopen');
  await ok(await put(cl.ent1, `${API}/enterprises/${E.pujiang}/questionnaire`, { improvement: 'fairly', satisfaction: 4 }), 'after reopen');
});

test('questionnaire summary: counts per answer, clear-improvement and satisfaction rates; scoped', async () => {
  const f = await countPudong();
  // Count the answers one by one through the API.
  const ents = (await cl.city.get(`${API}/enterprises?district=${encodeURIComponent(PUDONG)}&per_page=200`)).json.items.filter((e) => e.assignment);
  const counts = { very: 0, fairly: 0, average: 0, not: 0 };
  for (const e of ents) {
    const q = (await cl.city.get(`${API}/enterprises/${e.id}/questionnaire`)).json;
    if (q.answered) counts[q.improvement]++;
  }
  const s = await ok(await cl.city.get(`${API}/questionnaires/summary`), 'city summary');
  // The city's totals add up its districts; Pudong's row is what was counted here.
  for (const k of ['answered', 'assisted', 'clear_improvement']) {
    assert.equal(s[k], s.by_district.reduce((a, d) => a + d[k], 0), `total ${k}`);
  }
  const pd = s.by_district.find((d) => d.district_unit_id === U.pudong);
  assert.ok(pd, 'Pudong row');
  assert.equal(pd.district, PUDONG);
  assert.equal(pd.answered, f.answered);
  assert.equal(pd.assisted, f.assisted);
  assert.deepEqual(pd.counts, counts);
  assert.deepEqual(pd.answers.map((a) => [a.value, a.label, a.count]),
    [['very', '非常明显', counts.very], ['fairly', '比较明显', counts.fairly], ['average', '一般', counts.average], ['not', '不明显', counts.not]]);
  assert.equal(pd.clear_improvement, counts.very + counts.fairly);
  assert.equal(pd.clear_improvement_percent, pct(counts.very + counts.fairly, f.answered));
  assert.equal(pd.satisfaction_percent, pct(f.satSum, f.answered * 5));
  assert.equal(pd.mean_satisfaction, round1(f.satSum / f.answered));
  assert.ok(!s.by_district.some((d) => d.district_unit_id === U.huangpu), 'no assisted enterprises in Huangpu');
  if (s.by_district.length === 1) {
    for (const k of ['counts', 'clear_improvement_percent', 'satisfaction_percent', 'mean_satisfaction']) assert.deepEqual(s[k], pd[k], k);
  }
  // The evaluation uses the same figures.
  const sh = await sheet(cl.city);
  assert.equal(item(sh, 'clear_improvement_rate').value, pd.clear_improvement_percent);
  assert.equal(item(sh, 'satisfaction_rate').value, pd.satisfaction_percent);
  // A district sees its own figures; one without assisted enterprises sees zeros and no rates.
  const p = await ok(await cl.pudong.get(`${API}/questionnaires/summary`), 'pudong summary');
  assert.equal(p.answered, f.answered);
  assert.deepEqual(p.by_district.map((d) => d.district_unit_id), [U.pudong]);
  const h = await ok(await cl.huangpu.get(`${API}/questionnaires/summary`), 'huangpu summary');
  assert.equal(h.assisted, 0);
  assert.equal(h.answered, 0);
  assert.equal(h.clear_improvement_percent, null);
  assert.equal(h.satisfaction_percent, null);
  assert.deepEqual(h.by_district, []);
  for (const u of ['cb1', 'ent1']) assertError(await cl[u].get(`${API}/questionnaires/summary`), 403, 'forbidden');
});

// ---------------------------------------------------------------- export

test('GET /evaluations.xlsx: the ranking as a spreadsheet (city only)', async () => {
  const r = await fetch(`${srv.base}${API}/evaluations.xlsx`, { headers: { cookie: cl.city.cookie } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition') || '', /attachment/);
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
  const f = join(tmp, 'ranking.xlsx');
  writeFileSync(f, buf);
  let xml = '';
  for (const part of ['xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml']) {
    xml += spawnSync('unzip', ['-p', f, part], { encoding: 'utf8' }).stdout || '';
  }
  for (const s of ['排名', '组织发动', '宣传培训', '企业帮扶', '总分', '浦东新区市场监管局', '黄浦区市场监管局', '诊断完成率']) {
    assert.ok(xml.includes(s), `xlsx lacks ${s}`);
  }
  const rk = await ok(await cl.city.get(`${API}/evaluations`), 'ranking');
  assert.ok(xml.includes(rk.items[0].total.toFixed(1)), 'top total in the sheet');
  for (const u of ['pudong', 'cb1', 'ent1']) {
    const x = await fetch(`${srv.base}${API}/evaluations.xlsx`, { headers: { cookie: cl[u].cookie } });
    assert.equal(x.status, 403, u);
  }
});

// On PostgreSQL a second `qmslift demo` stops earlier, in the selections loader (a unique
// violation aborts the transaction there), before reaching the questionnaires.
test('running the demo loader again adds and changes no questionnaire', async () => {
  const before = await ok(await cl.city.get(`${API}/questionnaires/summary`), 'before');
  const r = spawnSync(BIN, ['demo', '--db', srv.db, '--today', TODAY], {
    cwd: ROOT, env: { ...process.env, QMSLIFT_PWHASH: 'min' }, encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await ok(await cl.city.get(`${API}/questionnaires/summary`), 'after'), before);
});

// ---------------------------------------------------------------- targets from the programme

// A copy of data/ whose programme sets other evaluation targets.
function dataWithTargets(dir, targets) {
  const file = join(dir, 'programmes', 'shanghai-2021.json');
  const p = JSON.parse(readFileSync(join(ROOT, 'data', 'programmes', 'shanghai-2021.json'), 'utf8'));
  p.quotas.evaluation_targets = { ...p.quotas.evaluation_targets, ...targets };
  writeFileSync(file, JSON.stringify(p));
}
const qmslift = (args) => spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8',
  env: { ...process.env, QMSLIFT_PWHASH: 'min' } });

// Points from a sheet's own figures against the given targets (the rules of docs/api.md).
function pointsFor(it, target) {
  const f = it.figures;
  return 'count' in f ? countPts(it.max, f.count, target) : ratioPts(it.max, f.numerator, f.denominator, target);
}

test('the targets come from the programme file: a changed target changes the reported target and the points', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qmslift-eval-targets-'));
  const data = join(dir, 'data');
  cpSync(join(ROOT, 'data'), data, { recursive: true });
  const T = { training_sessions: 2, training_person_times: 10, certified_rate: 0.5, action_closure_rate: 0.4 };
  dataWithTargets(data, T);
  const db = newDatabase(dir);
  const d = qmslift(['demo', '--db', db, '--data', data, '--today', TODAY]);
  assert.equal(d.status, 0, `qmslift demo: ${d.stderr}`);
  const other = await startServer({ db, today: TODAY, args: ['--data', data] });
  try {
    const c = new Client(other.base);
    assert.equal((await c.login('city')).status, 200);
    const p = await ok(await c.get(`${API}/programmes`), 'programmes');
    assert.deepEqual(p.items[0].quotas.evaluation_targets, { training_sessions: 2, training_person_times: 10,
      pilot_enterprises: 1, diagnosis_rate: 1, action_closure_rate: 0.4, certified_rate: 0.5,
      clear_improvement_rate: 0.9, satisfaction_rate: 0.9 });
    const pudong = async () => ok(await c.get(`${API}/evaluations/${U.pudong}`), 'sheet');
    const s = await pudong();
    const ref = await sheet(cl.city); // the same district on the shipped targets (facts may differ by now)
    assert.equal(item(s, 'training_sessions').figures.target, 2);
    assert.equal(item(s, 'training_person_times').figures.target, 10);
    assert.equal(item(s, 'certified_rate').figures.target_percent, 50);
    assert.equal(item(s, 'action_closure_rate').figures.target_percent, 40);
    assert.equal(item(s, 'satisfaction_rate').figures.target_percent, 90, 'not set: unchanged');
    assert.equal(item(ref, 'training_sessions').figures.target, 4);
    for (const [key, target] of Object.entries(T)) near(item(s, key).points, pointsFor(item(s, key), target), key);
    // The demo's Pudong earns more than on the shipped targets somewhere (each target is lower).
    const f = await countPudong();
    const shipped = expectedPoints(f);
    assert.ok(Object.keys(T).some((k) => item(s, k).points > shipped[k]),
      `some points rise: ${Object.keys(T).map((k) => `${k} ${shipped[k]}→${item(s, k).points}`).join(', ')}`);
    assertSums(s, 'other targets');

    // A final sheet keeps the targets it was scored with when the programme changes.
    await ok(await put(c, `${API}/evaluations/${U.pudong}`, { entered: { leadership: 4, publicity: 3 } }), 'enter');
    const fin = await ok(await c.post(`${API}/evaluations/${U.pudong}/finalise`), 'finalise');
    dataWithTargets(data, { training_sessions: 40 });
    const i = qmslift(['init', '--db', db, '--data', data]);
    assert.equal(i.status, 0, `qmslift init: ${i.stderr}`);
    const kept = await pudong();
    assert.deepEqual(kept.items, fin.items, 'final sheet unchanged');
    assert.equal(kept.total, fin.total);
    const huangpu = await ok(await c.get(`${API}/evaluations/${U.huangpu}`), 'huangpu');
    assert.equal(item(huangpu, 'training_sessions').figures.target, 40, 'a draft sheet uses the new target');
    const re = await ok(await c.post(`${API}/evaluations/${U.pudong}/reopen`), 'reopen');
    assert.equal(item(re, 'training_sessions').figures.target, 40, 'reopened: the programme\'s target again');
    near(item(re, 'training_sessions').points, pointsFor(item(re, 'training_sessions'), 40), 'reopened points');
  } finally {
    await other.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a programme file with a bad evaluation target is refused, naming the key; nothing is loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qmslift-eval-bad-'));
  try {
    const data = join(dir, 'data');
    cpSync(join(ROOT, 'data'), data, { recursive: true });
    const db = newDatabase(dir);
    const cases = [
      [{ training_sessions: 0 }, /quotas\.evaluation_targets\.training_sessions（培训场次的满分标准）应为大于 0 的整数/],
      [{ training_person_times: 12.5 }, /training_person_times.*整数/],
      [{ certified_rate: 80 }, /certified_rate（新获证企业率的满分标准）应为大于 0 且不超过 1 的比例/],
      [{ satisfaction_rate: 0 }, /satisfaction_rate.*不超过 1/],
      [{ diagnosis_rate: '100%' }, /diagnosis_rate.*应为数字/],
      [{ training_sesions: 4 }, /“training_sesions”不是评分项/],
      [{ leadership: 5 }, /leadership（组织领导与部署）不按满分标准计分/],
    ];
    for (const [bad, message] of cases) {
      dataWithTargets(data, bad);
      const r = qmslift(['demo', '--db', db, '--data', data, '--today', TODAY]);
      assert.equal(r.status, 1, `${JSON.stringify(bad)} accepted: ${r.stdout}`);
      assert.match(r.stderr, message, JSON.stringify(bad));
    }
    // Nothing was loaded: the database holds no programme.
    const count = 'SELECT COUNT(*) FROM programmes';
    const q = PG ? spawnSync('psql', [db, '-qAtc', count], { encoding: 'utf8' })
      : spawnSync('sqlite3', [db, count], { encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    assert.equal(q.stdout.trim(), '0');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
