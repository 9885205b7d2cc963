// Work plans 试点工作方案 (docs/api.md "Work plans", "Enterprises", "Selections"):
// the demo plan of 浦东新区 (approved), a plan built by 黄浦区 from enterprises it
// registers through the API and a body the city selects, the draft rules, the
// submit rules (quotas), the late flag, the city's review (return → resubmit →
// approve), versions, history and data scope.
// Tests run in order and share one server (demo data, simulated date 2021-05-10,
// work plan deadline 2021-03-05, late submission allowed); one extra server runs
// with the date 2021-03-01 for an on-time submission.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
const CB1_NAME = '沪联质量认证中心（演示）';
const CB2_NAME = '申诚认证有限公司（演示）';
const FASHION = '时尚消费品';
const ONLINE = '在线新经济';
const AI = '人工智能';
const ELDER = '养老';

let srv;
const cl = {}; // logged-in clients by username
const unit = {}; // unit ids by short name
const ent = { pudong: [], fashion: [], online: [], ai: [], elder: [] }; // enterprise ids
let planId; // huangpu's plan
let pudongPlan; // pudong's plan (from /mine)

async function login(s, username, password) {
  const c = new Client(s.base);
  const r = await c.login(username, password);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  srv = await startServer();
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(srv, u);
  const us = await cl.city.get(`${API}/units?per_page=200`);
  assert.equal(us.status, 200, us.text);
  for (const u of us.json.items) {
    if (u.name === CB1_NAME) unit.cb1 = u.id;
    if (u.name === CB2_NAME) unit.cb2 = u.id;
    if (u.kind === 'district' && u.district === '浦东新区') unit.pudong = u.id;
    if (u.kind === 'district' && u.district === '黄浦区') unit.huangpu = u.id;
  }
  const es = await cl.city.get(`${API}/enterprises?per_page=200`);
  assert.equal(es.status, 200, es.text);
  for (const e of es.json.items) {
    if (e.district === '浦东新区') ent.pudong.push(e.id);
    if (e.district === '黄浦区' && e.industry === FASHION) ent.fashion.push(e.id);
    if (e.district === '黄浦区' && e.industry === ONLINE) ent.online.push(e.id);
  }
});
after(async () => { await srv?.stop(); });

// ---------------------------------------------------------------- helpers

function assertError(r, status, code, field, what = '') {
  assert.equal(r.status, status, `${what} expected ${status} ${code}${field !== undefined ? ` field ${field}` : ''}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what} error code: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string', `${what} error message`);
  assert.ok(r.json.error.message.length > 0, `${what} empty error message`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${what} error field: ${r.text}`);
}

const put = (c, path, body) => c.req('PUT', path, body);
const q = (s) => encodeURIComponent(s);

// GB 32100-2015 check character of a unified social credit code.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function usccCheck(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c];
}
let usccSeq = 0;
// 91 + region 310101 (黄浦区) + a 9-character body unique to this file + check.
function newUscc() {
  const n = (++usccSeq).toString().padStart(4, '0');
  const first17 = `91310101WPT7K${n}`;
  return first17 + usccCheck(first17);
}

const step = (over = {}) => ({ title: '动员部署', start: '2021-03-01', end: '2021-03-31', description: '召开动员会', ...over });
const steps2 = [step(), step({ title: '帮扶提升', start: '2021-04-01', end: '2021-08-31', description: '现场诊断' })];
const industry = (name, enterprise_ids, cb_unit_ids = []) => ({ industry: name, enterprise_ids, cb_unit_ids });
const content = (industries, steps = [step()], summary = '聚焦时尚消费品行业开展帮扶') => ({ industries, steps, summary });
const criteria = () => ({
  qualification: { ok: true, note: 'CNCA 批准书有效' },
  social_responsibility: { ok: true, note: '' },
  credit: { ok: true, note: '信用中国查询无不良记录' },
  willingness: { ok: true, note: '愿意提供帮扶' },
});

async function mine(c = cl.huangpu) {
  const r = await c.get(`${API}/workplans/mine`);
  assert.equal(r.status, 200, `GET /workplans/mine: ${r.text}`);
  return r.json;
}
async function plan(id = planId, c = cl.city) {
  const r = await c.get(`${API}/workplans/${id}`);
  assert.equal(r.status, 200, `GET /workplans/${id}: ${r.text}`);
  return r.json;
}
async function list(c, query = '') {
  const r = await c.get(`${API}/workplans?per_page=200${query}`);
  assert.equal(r.status, 200, `list ${query}: ${r.text}`);
  assert.equal(r.json.items.length, r.json.total, `list ${query}: per_page=200 should hold everything`);
  return r.json;
}
const stripDerived = (cont) => ({
  summary: cont.summary,
  steps: cont.steps,
  industries: cont.industries.map((i) => ({ industry: i.industry, enterprise_ids: i.enterprise_ids, cb_unit_ids: i.cb_unit_ids })),
});

// A PUT of huangpu's plan that must be refused with 422 `field`; the stored plan is unchanged.
async function assertPutRefused(cont, field, what) {
  const before = await plan();
  const r = await put(cl.huangpu, `${API}/workplans/${planId}`, { content: cont });
  assertError(r, 422, 'invalid', field, `${what} (PUT)`);
  const after = await plan();
  assert.deepEqual(after.content, before.content, `${what}: a refused PUT changed the content`);
  assert.equal(after.updated_at, before.updated_at, `${what}: a refused PUT touched updated_at`);
  return r;
}
// A submit that must be refused with 422 `field`: the plan stays a draft, no version frozen.
async function assertSubmitRefused(cont, field, what) {
  const s = await put(cl.huangpu, `${API}/workplans/${planId}`, { content: cont });
  assert.equal(s.status, 200, `${what}: the draft must save (drafts are not checked for quotas): ${s.text}`);
  const r = await cl.huangpu.post(`${API}/workplans/${planId}/submit`);
  assertError(r, 422, 'invalid', field, `${what} (submit)`);
  const after = await plan();
  assert.equal(after.status, 'draft', `${what}: a refused submit changed the status`);
  assert.deepEqual(after.versions, [], `${what}: a refused submit froze a version`);
  assert.equal(after.submitted_at ?? null, null, `${what}: a refused submit set submitted_at`);
  return r;
}

async function registerEnterprise(c, ind, i, extra = {}) {
  const body = {
    name: `上海测试${ind}企业${i}有限公司`, uscc: newUscc(), address: `上海市黄浦区测试路${i}号`,
    district: '黄浦区', industry: ind, park: '外滩金融集聚带', sector: '工业',
    employees: 20 + i * 3, revenue: 300 + i * 70, total_assets: 400 + i * 10,
    contact_name: '李测试', contact_phone: `1391234${String(1000 + i).slice(-4)}`, consent: true, ...extra,
  };
  const r = await c.post(`${API}/enterprises`, body);
  assert.equal(r.status, 201, `register ${body.name}: ${r.text}`);
  assert.equal(r.json.district, '黄浦区');
  assert.equal(r.json.industry, ind);
  assert.equal(r.json.size_class, 'small', `${body.name}: 20–50 employees, 300–1000 万元 of 工业 is small`);
  assert.equal(r.json.consent, true);
  assert.equal(r.json.region_warning, null, `USCC ${body.uscc} has the region of 黄浦区`);
  return r.json.id;
}

// ---------------------------------------------------------------- demo facts: 浦东新区

test('USCC helper reproduces the check characters of the demo enterprises', async () => {
  const r = await cl.city.get(`${API}/enterprises?per_page=200`);
  assert.equal(r.json.total, 15, 'demo enterprises');
  for (const e of r.json.items) assert.equal(usccCheck(e.uscc.slice(0, 17)), e.uscc[17], e.uscc);
  assert.equal(ent.pudong.length, 10);
  assert.equal(ent.fashion.length, 3, '黄浦区 时尚消费品 ×3');
  assert.equal(ent.online.length, 2, '黄浦区 在线新经济 ×2');
});

test('pudong: GET /workplans/mine → the approved demo plan with resolved names', async () => {
  const p = await mine(cl.pudong);
  pudongPlan = p;
  assert.equal(typeof p.id, 'number');
  assert.equal(p.programme_id, 1);
  assert.deepEqual(p.unit, { id: unit.pudong, name: '浦东新区市场监管局', district: '浦东新区' });
  assert.equal(p.status, 'approved');
  assert.equal(p.status_name, '已通过');
  assert.equal(p.late, false);
  assert.equal(p.version, 1);
  assert.equal(p.return_reason, null);
  assert.equal(typeof p.submitted_at, 'string');
  assert.equal(typeof p.approved_at, 'string');
  assert.deepEqual(p.deadline, { due: '2021-03-05', days_left: -66, state: 'done' });
  assert.deepEqual(p.content.industries.map((i) => i.industry), ['集成电路', '生物医药']);
  for (const i of p.content.industries) {
    assert.equal(i.count, 5, `${i.industry} count`);
    assert.equal(i.target, 5, `${i.industry} target`);
    assert.equal(i.enterprise_ids.length, 5);
    assert.deepEqual(i.cb_unit_ids, [unit.cb1]);
    assert.deepEqual(i.cbs, [{ id: unit.cb1, name: CB1_NAME }]);
    assert.deepEqual(i.enterprises.map((e) => e.id), i.enterprise_ids, `${i.industry}: enterprises resolved in order`);
    for (const e of i.enterprises) {
      assert.ok(e.name.endsWith('（演示）'), e.name);
      assert.match(e.uscc, /^91310115[0-9A-Z]{10}$/);
      assert.ok(['small', 'micro'].includes(e.size_class), e.size_class);
    }
  }
  const ids = p.content.industries.flatMap((i) => i.enterprise_ids);
  assert.deepEqual([...ids].sort((a, b) => a - b), [...ent.pudong].sort((a, b) => a - b), 'the 10 enterprises of 浦东新区');
  // names match the enterprise registry
  const e1 = await cl.pudong.get(`${API}/enterprises/${ids[0]}`);
  assert.equal(e1.status, 200, e1.text);
  assert.equal(p.content.industries[0].enterprises[0].name, e1.json.name);
  assert.equal(p.content.industries[0].enterprises[0].uscc, e1.json.uscc);
  assert.equal(e1.json.industry, '集成电路');
  assert.equal(p.content.steps.length, 4);
  for (const s of p.content.steps) {
    assert.equal(typeof s.title, 'string');
    assert.ok(s.title.length > 0);
    assert.match(s.start, /^\d{4}-\d\d-\d\d$/);
    assert.match(s.end, /^\d{4}-\d\d-\d\d$/);
    assert.ok(s.start <= s.end, `${s.title}: start ≤ end`);
  }
  assert.equal(typeof p.content.summary, 'string');
  assert.ok(Array.isArray(p.versions));
  assert.ok(Array.isArray(p.history));
  assert.equal(p.versions.length, 1);
  assert.equal(p.versions[0].version, 1);
  assert.equal(p.versions[0].outcome, 'approved');
  // the same record by id, for pudong and the city
  assert.deepEqual((await plan(p.id, cl.pudong)).content, p.content);
  assert.deepEqual((await plan(p.id, cl.city)).content, p.content);
});

test('pudong: the approved plan is frozen (PUT, submit → 409) and a second plan → 409', async () => {
  const id = pudongPlan.id;
  const same = { content: stripDerived(pudongPlan.content) };
  assertError(await put(cl.pudong, `${API}/workplans/${id}`, same), 409, 'conflict', undefined, 'PUT approved plan');
  assertError(await cl.pudong.post(`${API}/workplans/${id}/submit`), 409, 'conflict', undefined, 'submit approved plan');
  assertError(await cl.pudong.post(`${API}/workplans`, same), 409, 'conflict', undefined, 'second plan for pudong');
  const after = await mine(cl.pudong);
  assert.equal(after.status, 'approved');
  assert.equal(after.version, 1);
  assert.deepEqual(after.content, pudongPlan.content);
  assert.equal(after.updated_at, pudongPlan.updated_at);
  assert.equal((await list(cl.city)).total, 1, 'still one plan');
});

test('huangpu has no plan yet: /mine → 404', async () => {
  assertError(await cl.huangpu.get(`${API}/workplans/mine`), 404, 'not_found', undefined, 'huangpu /mine');
  const l = await list(cl.huangpu);
  assert.equal(l.total, 0);
});

// ---------------------------------------------------------------- roles and scope

test('anonymous → 401; cb staff and enterprises → 403; the city writes no plan', async () => {
  const anon = new Client(srv.base);
  assertError(await anon.get(`${API}/workplans`), 401, 'not_authenticated', undefined, 'anonymous list');
  assertError(await anon.get(`${API}/workplans/mine`), 401, 'not_authenticated', undefined, 'anonymous mine');
  assertError(await anon.post(`${API}/workplans`, { content: content([]) }), 401, 'not_authenticated', undefined, 'anonymous POST');
  for (const u of ['cb1', 'ent1']) {
    assertError(await cl[u].get(`${API}/workplans`), 403, 'forbidden', undefined, `${u} list`);
    assertError(await cl[u].get(`${API}/workplans/mine`), 403, 'forbidden', undefined, `${u} mine`);
    assertError(await cl[u].post(`${API}/workplans`, { content: content([]) }), 403, 'forbidden', undefined, `${u} POST`);
    assertError(await cl[u].get(`${API}/workplans/${pudongPlan.id}`), 403, 'forbidden', undefined, `${u} GET a plan`);
  }
  assertError(await cl.city.post(`${API}/workplans`, { content: content([]) }), 403, 'forbidden', undefined, 'city POST');
  assertError(await cl.city.get(`${API}/workplans/mine`), 403, 'forbidden', undefined, 'city /mine (district officers only)');
  assertError(await cl.huangpu.req('POST', `${API}/workplans`, { content: content([]) }, { 'x-csrf-token': 'nope' }),
    403, 'csrf_failed', undefined, 'wrong CSRF');
  assertError(await cl.huangpu.get(`${API}/workplans/mine`), 404, 'not_found', undefined, 'refused POSTs created a plan');
});

test('huangpu cannot see or touch pudong\'s plan: 404', async () => {
  const id = pudongPlan.id;
  assertError(await cl.huangpu.get(`${API}/workplans/${id}`), 404, 'not_found', undefined, 'huangpu GET');
  assertError(await put(cl.huangpu, `${API}/workplans/${id}`, { content: stripDerived(pudongPlan.content) }),
    404, 'not_found', undefined, 'huangpu PUT');
  assertError(await cl.huangpu.post(`${API}/workplans/${id}/submit`), 404, 'not_found', undefined, 'huangpu submit');
  assertError(await cl.huangpu.get(`${API}/workplans/${id}/versions/1`), 404, 'not_found', undefined, 'huangpu versions');
  assertError(await cl.city.get(`${API}/workplans/999999`), 404, 'not_found', undefined, 'unknown id');
  assert.equal((await mine(cl.pudong)).updated_at, pudongPlan.updated_at);
});

// ---------------------------------------------------------------- setup: enterprises and selection

test('huangpu registers enterprises through the API (时尚消费品 → 6, 人工智能 5, 养老 5)', async () => {
  for (let i = 1; i <= 3; i++) ent.fashion.push(await registerEnterprise(cl.huangpu, FASHION, i));
  for (let i = 1; i <= 5; i++) ent.ai.push(await registerEnterprise(cl.huangpu, AI, 10 + i));
  for (let i = 1; i <= 5; i++) ent.elder.push(await registerEnterprise(cl.huangpu, ELDER, 20 + i));
  const c = await cl.huangpu.get(`${API}/enterprises/counts`);
  assert.equal(c.status, 200, c.text);
  const n = (ind) => c.json.items.find((i) => i.district === '黄浦区' && i.industry === ind)?.enterprises;
  assert.equal(n(FASHION), 6);
  assert.equal(n(ONLINE), 2);
  assert.equal(n(AI), 5);
  assert.equal(n(ELDER), 5);
});

test('the city selects cb1\'s body for 时尚消费品, 人工智能 and 养老 (not 在线新经济)', async () => {
  for (const ind of [FASHION, AI, ELDER]) {
    const r = await cl.city.post(`${API}/selections`, { industry: ind, cb_unit_id: unit.cb1, criteria: criteria(), exception_reason: null });
    assert.equal(r.status, 201, `select cb1 for ${ind}: ${r.text}`);
    assert.equal(r.json.cb.id, unit.cb1);
  }
  const s = await cl.huangpu.get(`${API}/selections?per_page=200`);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json.items.map((x) => x.industry).sort(), ['集成电路', '生物医药', FASHION, AI, ELDER].sort());
  assert.ok(s.json.items.every((x) => x.cb.id === unit.cb1), 'only cb1 is selected');
});

// ---------------------------------------------------------------- draft rules on POST

test('POST: invalid drafts → 422/400 with field; nothing is created', async () => {
  const f3 = ent.fashion.slice(0, 3);
  const cases = [
    [content([industry('区块链', [])]), 'industries', 'unknown industry'],
    [content([industry(FASHION, f3), industry(FASHION, [])]), 'industries', 'duplicate industry'],
    [content([industry(FASHION, [...f3, ent.pudong[0]])]), 'enterprises', 'an enterprise of 浦东新区'],
    [content([industry(FASHION, [...f3, ent.online[0]])]), 'enterprises', 'an enterprise of another industry'],
    [content([industry(FASHION, [f3[0], f3[1], f3[0]])]), 'enterprises', 'the same enterprise twice'],
    [content([industry(FASHION, f3, [unit.cb2])]), 'cbs', 'a body not selected (cb2)'],
    [content([industry(ONLINE, ent.online, [unit.cb1])]), 'cbs', 'cb1 not selected for 在线新经济'],
    [content([industry(FASHION, f3)], [step({ start: '2021-04-01', end: '2021-03-01' })]), 'steps', 'start > end'],
    [content([industry(FASHION, f3)], [step({ end: '2021-02-30' })]), 'steps', 'impossible date'],
    [content([industry(FASHION, f3)], [step({ title: '' })]), 'steps', 'empty title'],
  ];
  for (const [c, field, what] of cases)
    assertError(await cl.huangpu.post(`${API}/workplans`, { content: c }), 422, 'invalid', field, `${what} (POST)`);
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: content([]), colour: 'red' }), 400, 'unknown_field', 'colour', 'unknown top-level key');
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: { ...content([]), colour: 'red' } }), 400, 'unknown_field', undefined, 'unknown content key');
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: { ...content([]), industries: FASHION } }), 400, 'bad_type', 'industries', 'industries as a string');
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: content([industry(FASHION, [f3[0], String(f3[1])])]) }),
    400, 'bad_type', undefined, 'enterprise_ids with a string');
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: 'x' }), 400, 'bad_type', 'content', 'content as a string');
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: content([industry(null, [])]) }), 422, 'invalid', 'industries', 'industry null');
  const bad = await cl.huangpu.req('POST', `${API}/workplans`, '{"content":', { 'content-type': 'application/json' });
  assertError(bad, 400, 'bad_json', undefined, 'malformed JSON');
  const plain = await cl.huangpu.req('POST', `${API}/workplans`, JSON.stringify({ content: content([]) }), { 'content-type': 'text/plain' });
  assertError(plain, 415, 'unsupported_media_type', undefined, 'text/plain body');
  assertError(await cl.huangpu.get(`${API}/workplans/mine`), 404, 'not_found', undefined, 'a refused POST created a plan');
});

test('POST: content missing or null → 422 invalid field content (docs/api.md common rules: null counts as absent)', async () => {
  assertError(await cl.huangpu.post(`${API}/workplans`, {}), 422, 'invalid', 'content', 'content missing');
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: null }), 422, 'invalid', 'content', 'content null');
  assertError(await cl.huangpu.get(`${API}/workplans/mine`), 404, 'not_found', undefined, 'a refused POST created a plan');
});

test('POST: a draft with 3 enterprises and no body → 201 draft', async () => {
  const cont = content([industry(FASHION, ent.fashion.slice(0, 3))]);
  const r = await cl.huangpu.post(`${API}/workplans`, { content: cont });
  if (r.status !== 201) {
    // keep the rest of the file running if a refused POST above slipped through
    const m = await cl.huangpu.get(`${API}/workplans/mine`);
    if (m.status === 200) planId = m.json.id;
  }
  assert.equal(r.status, 201, `POST draft: ${r.text}`);
  planId = r.json.id;
  assert.equal(typeof planId, 'number');
  assert.equal(r.json.status, 'draft');
  assert.equal(typeof r.json.status_name, 'string');
  assert.deepEqual(r.json.unit, { id: unit.huangpu, name: '黄浦区市场监管局', district: '黄浦区' });
  assert.equal(r.json.programme_id, 1);
  assert.equal(r.json.late, false);
  assert.equal(r.json.return_reason, null);
  assert.deepEqual(stripDerived(r.json.content), cont);
  const i = r.json.content.industries[0];
  assert.equal(i.count, 3);
  assert.equal(i.target, 5);
  assert.deepEqual(i.cbs, []);
  assert.deepEqual(i.enterprises.map((e) => e.id), ent.fashion.slice(0, 3));
  assert.equal(i.enterprises[0].name, '上海外滩时尚服饰有限公司（演示）');
  // not submitted: the deadline shows the calendar state (2021-03-05 is 66 days past)
  assert.equal(r.json.deadline.due, '2021-03-05');
  assert.equal(r.json.deadline.days_left, -66);
  assert.equal(r.json.deadline.state, 'overdue');
  const m = await mine();
  assert.equal(m.id, planId);
  assert.deepEqual(m.versions, []);
  assert.ok(m.history.some((h) => h.action === 'workplan.create' && h.username === 'huangpu'), JSON.stringify(m.history));
  assertError(await cl.huangpu.post(`${API}/workplans`, { content: cont }), 409, 'conflict', undefined, 'a second plan');
});

// ---------------------------------------------------------------- draft rules on PUT

test('PUT: invalid drafts → 422 with field; the stored plan is unchanged', async () => {
  const f3 = ent.fashion.slice(0, 3);
  await assertPutRefused(content([industry('区块链', [])]), 'industries', 'unknown industry');
  await assertPutRefused(content([industry(FASHION, f3), industry(FASHION, [])]), 'industries', 'duplicate industry');
  await assertPutRefused(content([industry(FASHION, [...f3, ent.pudong[0]])]), 'enterprises', 'an enterprise of 浦东新区');
  await assertPutRefused(content([industry(FASHION, [...f3, ent.online[0]])]), 'enterprises', 'an enterprise of another industry');
  await assertPutRefused(content([industry(FASHION, [f3[0], f3[1], f3[0]])]), 'enterprises', 'the same enterprise twice');
  await assertPutRefused(content([industry(FASHION, f3), industry(AI, [f3[2]])]), 'enterprises', 'one enterprise in two industries');
  await assertPutRefused(content([industry(FASHION, f3, [unit.cb2])]), 'cbs', 'a body not selected (cb2)');
  await assertPutRefused(content([industry(ONLINE, ent.online, [unit.cb1])]), 'cbs', 'cb1 not selected for 在线新经济');
  await assertPutRefused(content([industry(FASHION, f3, [unit.huangpu])]), 'cbs', 'a district unit as a body');
  await assertPutRefused(content([industry(FASHION, f3)], [step({ start: '2021-04-01', end: '2021-03-01' })]), 'steps', 'start > end');
  await assertPutRefused(content([industry(FASHION, f3)], [step({ end: '2021-02-30' })]), 'steps', 'impossible date 2021-02-30');
  await assertPutRefused(content([industry(FASHION, f3)], [step({ start: '2021/03/01' })]), 'steps', 'a date not YYYY-MM-DD');
  await assertPutRefused(content([industry(FASHION, f3)], [step({ title: '' })]), 'steps', 'empty title');
});

test('PUT: an enterprise of another district is refused without leaking it', async () => {
  const f3 = ent.fashion.slice(0, 3);
  const foreignId = ent.pudong[0];
  const foreign = (await cl.city.get(`${API}/enterprises/${foreignId}`)).json;
  const r = await assertPutRefused(content([industry(FASHION, [...f3, foreignId])]), 'enterprises', 'foreign enterprise');
  const msg = r.json.error.message;
  assert.ok(!msg.includes(foreign.name), `the message names pudong's enterprise: ${msg}`);
  assert.ok(!msg.includes(foreign.uscc), `the message shows pudong's USCC: ${msg}`);
  assert.ok(!msg.includes('浦东'), `the message names 浦东新区: ${msg}`);
  assert.ok(!msg.includes(foreign.industry), `the message shows the foreign enterprise's industry: ${msg}`);
});

test('PUT: a foreign enterprise and an unknown id get the same answer (404 must not leak)', async () => {
  const f3 = ent.fashion.slice(0, 3);
  const a = await assertPutRefused(content([industry(FASHION, [...f3, ent.pudong[0]])]), 'enterprises', 'foreign enterprise');
  const b = await assertPutRefused(content([industry(FASHION, [...f3, 999999])]), 'enterprises', 'unknown enterprise');
  assert.equal(a.json.error.message.replace(String(ent.pudong[0]), '#'), b.json.error.message.replace('999999', '#'),
    'a foreign enterprise must be indistinguishable from a missing one');
});

test('PUT: unknown keys → 400 unknown_field; wrong types → 400 bad_type', async () => {
  const f3 = ent.fashion.slice(0, 3);
  const before = await plan();
  const u = `${API}/workplans/${planId}`;
  assertError(await put(cl.huangpu, u, { content: content([]), colour: 'red' }), 400, 'unknown_field', 'colour', 'top-level key');
  assertError(await put(cl.huangpu, u, { content: { ...content([]), colour: 'red' } }), 400, 'unknown_field', undefined, 'content key');
  assertError(await put(cl.huangpu, u, { content: content([{ ...industry(FASHION, f3), benchmark: true }]) }), 400, 'unknown_field', undefined, 'industry key');
  assertError(await put(cl.huangpu, u, { content: content([industry(FASHION, f3)], [{ ...step(), owner: '张三' }]) }), 400, 'unknown_field', undefined, 'step key');
  assertError(await put(cl.huangpu, u, { content: { ...content([]), industries: FASHION } }), 400, 'bad_type', 'industries', 'industries as a string');
  assertError(await put(cl.huangpu, u, { content: content([industry(FASHION, [f3[0], String(f3[1])])]) }), 400, 'bad_type', undefined, 'enterprise_ids with a string');
  assertError(await put(cl.huangpu, u, { content: content([industry(FASHION, f3, [String(unit.cb1)])]) }), 400, 'bad_type', undefined, 'cb_unit_ids with a string');
  assertError(await put(cl.huangpu, u, { content: content([industry(FASHION, f3)], [step({ title: 7 })]) }), 400, 'bad_type', undefined, 'step title as a number');
  assertError(await put(cl.huangpu, u, { content: { ...content([]), steps: '动员部署' } }), 400, 'bad_type', 'steps', 'steps as a string');
  const after = await plan();
  assert.deepEqual(after.content, before.content);
  assert.equal(after.updated_at, before.updated_at);
});

test('PUT: a valid draft saves → 200 (cb1 for 时尚消费品, still 3 enterprises)', async () => {
  const cont = content([industry(FASHION, ent.fashion.slice(0, 3), [unit.cb1])], steps2);
  const r = await put(cl.huangpu, `${API}/workplans/${planId}`, { content: cont });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'draft');
  assert.deepEqual(stripDerived(r.json.content), cont);
  assert.deepEqual(r.json.content.industries[0].cbs, [{ id: unit.cb1, name: CB1_NAME }]);
  assert.equal(r.json.content.industries[0].count, 3);
  assert.equal(r.json.content.industries[0].target, 5);
  assert.deepEqual(stripDerived((await mine()).content), cont);
});

// ---------------------------------------------------------------- submit rules

test('submit: 3 enterprises → 422 enterprises naming 5 and 3', async () => {
  const r = await assertSubmitRefused(content([industry(FASHION, ent.fashion.slice(0, 3), [unit.cb1])]), 'enterprises', '3 enterprises');
  const msg = r.json.error.message;
  assert.ok(msg.includes('5') && msg.includes('3'), `the message must name the target 5 and the count 3: ${msg}`);
});

test('submit: no body → 422 cbs; no steps → 422 steps', async () => {
  await assertSubmitRefused(content([industry(FASHION, ent.fashion, [])]), 'cbs', 'no body');
  await assertSubmitRefused(content([industry(FASHION, ent.fashion, [unit.cb1])], []), 'steps', 'no steps');
});

test('submit: 3 industries → 422 industries; 0 industries → 422 industries', async () => {
  await assertSubmitRefused(content([industry(FASHION, ent.fashion, [unit.cb1]), industry(AI, ent.ai, [unit.cb1]),
    industry(ELDER, ent.elder, [unit.cb1])]), 'industries', '3 industries');
  await assertSubmitRefused(content([]), 'industries', '0 industries');
});

test('submit: a valid plan → 200 submitted, version 1, late (after 2021-03-05)', async () => {
  const cont = content([industry(FASHION, ent.fashion, [unit.cb1])], [step()]);
  const s = await put(cl.huangpu, `${API}/workplans/${planId}`, { content: cont });
  assert.equal(s.status, 200, s.text);
  const r = await cl.huangpu.post(`${API}/workplans/${planId}/submit`);
  assert.equal(r.status, 200, `submit: ${r.text}`);
  assert.equal(r.json.status, 'submitted');
  assert.equal(r.json.version, 1);
  assert.equal(r.json.late, true, 'submitted after the 2021-03-05 deadline');
  assert.equal(r.json.deadline.state, 'done');
  assert.equal(r.json.deadline.due, '2021-03-05');
  assert.match(r.json.submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(r.json.content.industries[0].count, 6);
  const m = await mine();
  assert.equal(m.status, 'submitted');
  assert.equal(m.versions.length, 1);
  assert.equal(m.versions[0].version, 1);
  assert.equal(m.versions[0].submitted_by, 'huangpu');
  assert.equal(m.versions[0].late, true);
  assert.equal(m.versions[0].outcome, null, 'awaiting review');
  assert.deepEqual(stripDerived(m.content), cont);
  // frozen while submitted
  assertError(await cl.huangpu.post(`${API}/workplans/${planId}/submit`), 409, 'conflict', undefined, 'submit twice');
  assertError(await put(cl.huangpu, `${API}/workplans/${planId}`, { content: cont }), 409, 'conflict', undefined, 'PUT while submitted');
  assert.equal((await mine()).version, 1);
});

test('on time: a server dated 2021-03-01 → late: false', async () => {
  const s2 = await startServer({ today: '2021-03-01' });
  try {
    const hp = await login(s2, 'huangpu');
    const city = await login(s2, 'city');
    const es = await city.get(`${API}/enterprises?per_page=200&district=${q('黄浦区')}&industry=${q(FASHION)}`);
    assert.equal(es.status, 200, es.text);
    const ids = es.json.items.map((e) => e.id);
    assert.equal(ids.length, 3);
    for (let i = 1; i <= 2; i++) ids.push(await registerEnterprise(hp, FASHION, 40 + i));
    const sel = await city.post(`${API}/selections`, { industry: FASHION, cb_unit_id: unit.cb1, criteria: criteria(), exception_reason: null });
    assert.equal(sel.status, 201, sel.text);
    const c = await hp.post(`${API}/workplans`, { content: content([industry(FASHION, ids, [unit.cb1])]) });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.deadline.due, '2021-03-05');
    assert.equal(c.json.deadline.days_left, 4);
    assert.ok(['upcoming', 'due_soon'].includes(c.json.deadline.state), `deadline state 4 days ahead: ${c.json.deadline.state}`);
    const r = await hp.post(`${API}/workplans/${c.json.id}/submit`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'submitted');
    assert.equal(r.json.version, 1);
    assert.equal(r.json.late, false);
    assert.equal(r.json.deadline.state, 'done');
  } finally {
    await s2.stop();
  }
});

// ---------------------------------------------------------------- review

test('lists: the city sees all, filters by status; districts see their own', async () => {
  const all = await list(cl.city);
  assert.equal(all.total, 2);
  assert.deepEqual(all.items.map((w) => w.unit.district).sort(), ['浦东新区', '黄浦区'].sort());
  for (const w of all.items)
    for (const i of w.content.industries) {
      assert.equal(typeof i.count, 'number', 'count in list items');
      assert.equal(i.target, 5, 'target in list items');
    }
  const sub = await list(cl.city, '&status=submitted');
  assert.deepEqual(sub.items.map((w) => w.id), [planId]);
  const appr = await list(cl.city, '&status=approved');
  assert.deepEqual(appr.items.map((w) => w.id), [pudongPlan.id]);
  assert.equal((await list(cl.city, '&status=draft')).total, 0);
  assert.equal((await list(cl.city, '&status=returned')).total, 0);
  for (const bad of ['status=accepted', 'status=pending', 'per_page=0', 'per_page=201', 'page=0'])
    assertError(await cl.city.get(`${API}/workplans?${bad}`), 422, 'invalid', undefined, bad);
  const pd = await list(cl.pudong);
  assert.deepEqual(pd.items.map((w) => w.id), [pudongPlan.id]);
  assert.equal((await list(cl.pudong, '&status=submitted')).total, 0);
  const hp = await list(cl.huangpu);
  assert.deepEqual(hp.items.map((w) => w.id), [planId]);
  const paged = await cl.city.get(`${API}/workplans?per_page=1&page=2`);
  assert.equal(paged.status, 200, paged.text);
  assert.equal(paged.json.total, 2);
  assert.equal(paged.json.page, 2);
  assert.equal(paged.json.per_page, 1);
  assert.equal(paged.json.items.length, 1);
});

test('scope: pudong cannot read huangpu\'s plan (404); only the city reviews (403)', async () => {
  assertError(await cl.pudong.get(`${API}/workplans/${planId}`), 404, 'not_found', undefined, 'pudong GET huangpu');
  assertError(await cl.pudong.get(`${API}/workplans/${planId}/versions/1`), 404, 'not_found', undefined, 'pudong versions');
  // reviewing is a city action: other roles are refused by role (403), as for declarations
  assertError(await cl.pudong.post(`${API}/workplans/${planId}/return`, { reason: '请补充' }), 403, 'forbidden', undefined, 'pudong return');
  assertError(await cl.pudong.post(`${API}/workplans/${planId}/approve`), 403, 'forbidden', undefined, 'pudong approve');
  assertError(await cl.huangpu.post(`${API}/workplans/${planId}/return`, { reason: '自己退回自己' }), 403, 'forbidden', undefined, 'huangpu return');
  assertError(await cl.huangpu.post(`${API}/workplans/${planId}/approve`), 403, 'forbidden', undefined, 'huangpu approve');
  for (const u of ['cb1', 'ent1'])
    assertError(await cl[u].post(`${API}/workplans/${planId}/approve`), 403, 'forbidden', undefined, `${u} approve`);
  assert.equal((await mine()).status, 'submitted');
});

test('return: a reason is required; with one → returned, visible in /mine', async () => {
  const u = `${API}/workplans/${planId}/return`;
  assertError(await cl.city.post(u, {}), 422, 'invalid', 'reason', 'no reason');
  assertError(await cl.city.post(u, { reason: '' }), 422, 'invalid', 'reason', 'empty reason');
  assertError(await cl.city.post(u, { reason: null }), 422, 'invalid', 'reason', 'null reason');
  assertError(await cl.city.post(u, { reason: 5 }), 400, 'bad_type', 'reason', 'reason as a number');
  assert.equal((await mine()).status, 'submitted', 'a refused return changed the status');
  const reason = '实施步骤过于简略，请补充帮扶提升阶段安排';
  const r = await cl.city.post(u, { reason });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.return_reason, reason);
  const m = await mine();
  assert.equal(m.status, 'returned');
  assert.equal(m.return_reason, reason);
  assert.equal(m.versions[0].outcome, 'returned');
  assert.equal(m.versions[0].return_reason, reason);
  assert.equal(m.deadline.state, 'overdue', 'returned: the calendar state again');
  assertError(await cl.city.post(u, { reason }), 409, 'conflict', undefined, 'return twice');
  assertError(await cl.city.post(`${API}/workplans/${planId}/approve`), 409, 'conflict', undefined, 'approve a returned plan');
  assert.equal((await list(cl.city, '&status=returned')).total, 1);
});

test('resubmit: huangpu adds a step → version 2', async () => {
  const cont = content([industry(FASHION, ent.fashion, [unit.cb1])], steps2);
  const p = await put(cl.huangpu, `${API}/workplans/${planId}`, { content: cont });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'returned', 'editing keeps the status returned until resubmitted');
  await assertPutRefused(content([industry(FASHION, ent.fashion, [unit.cb2])], steps2), 'cbs', 'a returned plan is checked too');
  const r = await cl.huangpu.post(`${API}/workplans/${planId}/submit`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'submitted');
  assert.equal(r.json.version, 2);
  assert.equal(r.json.late, true);
  assert.equal(r.json.deadline.state, 'done');
  const m = await mine();
  assert.deepEqual(m.versions.map((v) => v.version), [1, 2]);
  assert.equal(m.versions[1].outcome, null);
  assert.equal(m.versions[1].submitted_by, 'huangpu');
  assert.equal(m.content.steps.length, 2);
});

test('versions 1 and 2 differ in the steps; unknown versions → 404', async () => {
  const v1 = await cl.city.get(`${API}/workplans/${planId}/versions/1`);
  const v2 = await cl.city.get(`${API}/workplans/${planId}/versions/2`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v1.json.version, 1);
  assert.equal(v2.json.version, 2);
  assert.equal(v1.json.submitted_by, 'huangpu');
  assert.equal(v2.json.submitted_by, 'huangpu');
  assert.deepEqual(v1.json.content.steps, [step()]);
  assert.deepEqual(v2.json.content.steps, steps2);
  assert.deepEqual(v1.json.content.industries.map((i) => i.enterprise_ids), [ent.fashion]);
  assert.deepEqual(v2.json.content.industries.map((i) => i.enterprise_ids), [ent.fashion]);
  assert.equal((await cl.huangpu.get(`${API}/workplans/${planId}/versions/2`)).status, 200, 'the owner reads its versions');
  for (const v of ['0', '3', 'x'])
    assertError(await cl.city.get(`${API}/workplans/${planId}/versions/${v}`), 404, 'not_found', undefined, `version ${v}`);
});

test('approve → approved; again → 409; frozen afterwards', async () => {
  const r = await cl.city.post(`${API}/workplans/${planId}/approve`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  assert.equal(r.json.status_name, '已通过');
  assert.equal(r.json.version, 2);
  assert.match(r.json.approved_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assertError(await cl.city.post(`${API}/workplans/${planId}/approve`), 409, 'conflict', undefined, 'approve twice');
  assertError(await cl.city.post(`${API}/workplans/${planId}/return`, { reason: '再退回一次' }), 409, 'conflict', undefined, 'return an approved plan');
  const cont = content([industry(FASHION, ent.fashion, [unit.cb1])], steps2);
  assertError(await put(cl.huangpu, `${API}/workplans/${planId}`, { content: cont }), 409, 'conflict', undefined, 'PUT approved');
  assertError(await cl.huangpu.post(`${API}/workplans/${planId}/submit`), 409, 'conflict', undefined, 'submit approved');
  const m = await mine();
  assert.equal(m.status, 'approved');
  assert.equal(m.versions[1].outcome, 'approved');
  assert.equal(m.versions[0].outcome, 'returned');
  assert.equal((await list(cl.city, '&status=approved')).total, 2);
});

test('history lists create, update, submit, return, approve with usernames', async () => {
  const p = await plan();
  const seen = (action, username) => p.history.some((h) => h.action === action && h.username === username);
  for (const [a, u] of [['workplan.create', 'huangpu'], ['workplan.update', 'huangpu'], ['workplan.submit', 'huangpu'],
    ['workplan.return', 'city'], ['workplan.approve', 'city']])
    assert.ok(seen(a, u), `history lacks ${a} by ${u}: ${JSON.stringify(p.history.map((h) => [h.action, h.username]))}`);
  assert.equal(p.history.filter((h) => h.action === 'workplan.submit').length, 2, 'two submissions');
  assert.equal(p.history.filter((h) => h.action === 'workplan.return').length, 1, 'refused returns are not in the history');
  assert.equal(p.history.filter((h) => h.action === 'workplan.approve').length, 1, 'a refused approve is not in the history');
  for (const h of p.history) assert.match(h.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});
