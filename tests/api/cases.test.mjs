// Typical cases 典型案例 and benchmark enterprises 标杆企业 (docs/api.md "Typical cases ·
// benchmark enterprises"). Cases: the demo's published case is public without contacts,
// phones or USCC, its draft is not; a district drafts a case from an enterprise and the
// facts are the records themselves (checked against the diagnosis, action, enterprise and
// improvement endpoints); drafts stay with their district and the city (404 for
// huangpu, the body, the enterprise); edits, the submit check, 409 after submit, return
// with a reason, resubmit, publish, the public view, the history. Benchmarks: the quota
// status per district × industry, the third nomination in an industry refused with 409
// quota_exceeded and nothing saved, the same enterprise twice 409, only own pilot
// enterprises, withdrawal, reviewers' scores (range 422, type 400), the mean of two city
// reviewers (a second city_admin created through the API), the publication rules
// (unscored 422, over the quota 409 after the city lowers it, unknown id 422), the result
// and the public list. Tests run in order and share one server (demo data, 2021-05-10).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, PG } from '../lib/server.mjs';

const API = '/api/v1';
const USERS = ['city', 'pudong', 'huangpu', 'cb1', 'ent1'];
const USCC = {
  pujiang: '913101156A8K3M2P7U', // 浦江精密: ent1, demo draft case, 6 findings, 6 actions
  xintu: '91310115TCULH87WLK', // 芯途: 集成电路, no nomination
  jingyao: '913101151EFJ2A89F9', // 晶曜: demo published case, nominated
  ruice: '91310115MNH91HTMEC', // 锐测: 1 finding, 1 action, nominated
  kangyuan: '9131011536KXLELYTQ', // 生物医药
  ruiji: '91310115Y8GAMBRCNB', // 生物医药
  baicheng: '91310115377EEF3LHU', // 生物医药
  waitan: '913101017CDJLBNT8H', // 黄浦, not assigned to a body
};

let srv;
const cl = {};
const me = {};
const ent = {}; // enterprise ids by key
const S = {}; // ids made by this file

before(async () => {
  srv = await startServer();
  for (const u of USERS) {
    cl[u] = new Client(srv.base);
    const r = await cl[u].login(u);
    assert.equal(r.status, 200, `login ${u}: ${r.text}`);
    me[u] = (await cl[u].get(`${API}/me`)).json.user;
  }
  for (const [k, uscc] of Object.entries(USCC)) {
    const r = await cl.city.get(`${API}/enterprises?q=${uscc}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1, `enterprise ${k}`);
    ent[k] = r.json.items[0].id;
  }
});
after(async () => { await srv?.stop(); });

// ---------------------------------------------------------------- helpers

function assertError(r, status, code, field, what = '') {
  assert.equal(r.status, status, `${what} expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what} error code: ${r.text}`);
  assert.ok(r.json.error.message.length > 0, `${what} empty message`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${what} field: ${r.text}`);
}
const put = (c, p, b) => c.req('PUT', p, b);
const del = (c, p) => c.req('DELETE', p);
async function pub(path) {
  const r = await fetch(srv.base + path);
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text };
}
function ok(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.text}`);
  return r.json;
}
// Run SQL on the test database (the city changing the programme's quotas).
function sql(statement) {
  const r = PG ? spawnSync('psql', [srv.db, '-qAtv', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', [srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sql: ${r.error?.message || r.stderr}`);
}
// No contact, phone or USCC anywhere in a public answer.
async function assertNothingPrivate(text, what) {
  const all = (await cl.city.get(`${API}/enterprises?per_page=200`)).json.items;
  for (const e of all) {
    const full = (await cl.city.get(`${API}/enterprises/${e.id}`)).json;
    assert.ok(!text.includes(full.uscc), `${what}: USCC of ${full.name}`);
    assert.ok(!text.includes(full.contact_phone), `${what}: phone of ${full.name}`);
    assert.ok(!text.includes(full.contact_name), `${what}: contact of ${full.name}`);
    assert.ok(!text.includes(full.address), `${what}: address of ${full.name}`);
  }
  for (const key of ['uscc', 'contact', 'phone', 'address', 'owner', 'created_by', 'return_reason', 'history']) {
    assert.ok(!text.includes(`"${key}`), `${what}: key ${key} in ${text.slice(0, 200)}`);
  }
}

// ---------------------------------------------------------------- the demo

test('the demo: a published case in public, a draft kept inside', async () => {
  const l = await pub(`${API}/public/cases`);
  assert.equal(l.status, 200, l.text);
  const demo = l.json.items.find((c) => c.enterprise.name.startsWith('上海晶曜封装测试'));
  assert.ok(demo, 'published demo case listed');
  assert.equal(demo.district, '浦东新区');
  assert.equal(demo.industry, '集成电路');
  assert.ok(demo.summary.includes('演示'), 'the summary says the November date is a demo');
  assert.ok(!l.json.items.some((c) => c.enterprise.name.startsWith('上海浦江精密')), 'the draft is not public');
  const d = await pub(`${API}/public/cases/${demo.id}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.facts.certificate.number, 'HLQC-2021-Q-0018');
  assert.equal(d.json.facts.cb.name, '沪联质量认证中心（演示）');
  assert.ok(d.json.texts.lessons.length > 20, 'lessons');
  await assertNothingPrivate(d.text, 'public demo case');
  await assertNothingPrivate(l.text, 'public case list');
  S.demoCase = demo.id;

  const mine = ok(await cl.pudong.get(`${API}/cases`), 200, 'pudong cases');
  const draft = mine.items.find((c) => c.enterprise.id === ent.pujiang);
  assert.equal(draft.status, 'draft');
  assert.equal(draft.status_name, '草稿');
  S.demoDraft = draft.id;
  assert.equal((await pub(`${API}/public/cases/${draft.id}`)).status, 404);
  assertError(await pub(`${API}/cases`), 401, 'not_authenticated');
});

// ---------------------------------------------------------------- drafting

test('a draft gathers the facts from the records', async () => {
  const r = await cl.pudong.post(`${API}/cases`, { enterprise_id: ent.ruice });
  const c = ok(r, 201, 'draft a case');
  S.case = c.id;
  assert.equal(c.status, 'draft');
  assert.equal(c.district, '浦东新区');
  assert.equal(c.enterprise.id, ent.ruice);
  assert.ok(c.title.includes('上海锐测半导体设备'), 'title prefilled');
  const f = c.facts;

  // Profile and body from the registry.
  const e = ok(await cl.pudong.get(`${API}/enterprises/${ent.ruice}`), 200, 'enterprise');
  assert.deepEqual({ ...f.profile }, {
    name: e.name, industry: e.industry, size_class: e.size_class, size_class_name: e.size_class_name,
    employees: e.employees, district: e.district, park: e.park,
  });
  assert.equal(f.cb.id, e.assignment.cb.id);
  assert.equal(f.cb.name, e.assignment.cb.name);

  // Problems: the 堵点/痛点/难点 findings of its submitted on-site diagnoses.
  const diags = ok(await cl.pudong.get(`${API}/diagnoses?enterprise_id=${ent.ruice}&kind=onsite&status=submitted`), 200, 'diagnoses');
  const findings = [];
  for (const d of diags.items) {
    const full = ok(await cl.pudong.get(`${API}/diagnoses/${d.id}`), 200, 'diagnosis');
    for (const a of full.answers) if (a.kind) findings.push({ finding: a.finding, kind: a.kind, kind_name: a.kind_name });
  }
  assert.ok(findings.length >= 1, 'the demo enterprise has a finding');
  assert.deepEqual(f.problems.map((p) => ({ finding: p.finding, kind: p.kind, kind_name: p.kind_name })).sort((a, b) => a.finding.localeCompare(b.finding)),
    findings.sort((a, b) => a.finding.localeCompare(b.finding)));
  for (const p of f.problems) assert.ok(['堵点', '痛点', '难点'].includes(p.kind_name));
  assert.ok(f.problems.every((p) => p.item_key && p.clause && p.item_title), 'items named');

  // Measures: its improvement actions.
  const acts = ok(await cl.pudong.get(`${API}/actions?enterprise_id=${ent.ruice}&per_page=200`), 200, 'actions');
  assert.ok(acts.items.length >= 1);
  assert.deepEqual(f.measures.map((m) => [m.id, m.title, m.status]).sort(), acts.items.map((a) => [a.id, a.title, a.status]).sort());

  // Before/after: the improvement endpoint's figures.
  const imp = ok(await cl.pudong.get(`${API}/enterprises/${ent.ruice}/improvement`), 200, 'improvement');
  assert.equal(f.before_after.overall.before, imp.overall.before);
  assert.equal(f.before_after.overall.after, imp.overall.after);
  assert.deepEqual(f.before_after.sections.map((s) => [s.clause, s.before, s.after]), imp.sections.map((s) => [s.clause, s.before, s.after]));
  const fpy = f.before_after.indicators.rows.find((x) => x.key === 'first_pass_yield');
  assert.equal(fpy.baseline, e.indicators.baseline.first_pass_yield);
  assert.equal(f.before_after.indicators.baseline_period, e.indicators.baseline.period);
  assert.equal(f.certificate, null, 'no certificate yet');
  assert.equal(f.as_of, '2021-05-10');

  // Texts: a summary drafted from the facts, empty lessons.
  assert.ok(c.texts.summary.includes(e.name) && c.texts.summary.includes(e.park), c.texts.summary);
  assert.equal(c.texts.lessons, '');
  assert.ok(c.history.some((h) => h.action === 'case.create'));
});

test('a draft of the enterprise with the most records, and a refresh after new follow-up figures', async () => {
  assertError(await cl.pudong.post(`${API}/cases`, { enterprise_id: ent.pujiang }), 409, 'conflict', 'enterprise_id', 'second case');
  assert.equal((await del(cl.huangpu, `${API}/cases/${S.demoDraft}`)).status, 404, 'another district cannot delete');
  assert.equal((await del(cl.pudong, `${API}/cases/${S.demoDraft}`)).status, 204);
  const c = ok(await cl.pudong.post(`${API}/cases`, { enterprise_id: ent.pujiang }), 201, 'redraft');
  S.pujiang = c.id;
  const kinds = c.facts.problems.map((p) => p.kind_name);
  assert.equal(c.facts.problems.length, 6);
  assert.ok(kinds.includes('堵点') && kinds.includes('痛点') && kinds.includes('难点'), kinds.join());
  assert.ok(c.facts.problems.some((p) => p.finding.includes('出厂检验用的两把卡尺')), 'a real finding');
  assert.equal(c.facts.measures.length, 6);
  assert.ok(c.facts.measures.some((m) => m.title === '建立量具校准台账并送检' && m.status === 'verified'));
  assert.equal(c.facts.before_after.latest, null, 'no re-assessment yet');
  const fpy = () => c.facts.before_after.indicators.rows.find((x) => x.key === 'first_pass_yield');
  assert.equal(fpy().baseline, 92);
  assert.equal(fpy().followup, null);

  ok(await put(cl.pudong, `${API}/enterprises/${ent.pujiang}/indicators/followup`, { period: '2021年4月', first_pass_yield: 95.5 }), 200, 'followup');
  const again = ok(await cl.pudong.post(`${API}/cases/${S.pujiang}/refresh`), 200, 'refresh');
  const row = again.facts.before_after.indicators.rows.find((x) => x.key === 'first_pass_yield');
  assert.equal(row.followup, 95.5);
  assert.equal(row.change, 3.5);
  assert.equal(row.better, true);
  assert.equal(again.texts.summary, c.texts.summary, 'the texts survive a refresh');
});

test('who may draft', async () => {
  assertError(await cl.huangpu.post(`${API}/cases`, { enterprise_id: ent.xintu }), 422, 'invalid', 'enterprise_id', 'another district');
  assertError(await cl.pudong.post(`${API}/cases`, { enterprise_id: 999999 }), 422, 'invalid', 'enterprise_id', 'unknown');
  assertError(await cl.pudong.post(`${API}/cases`, {}), 422, 'invalid', 'enterprise_id', 'missing');
  assertError(await cl.pudong.post(`${API}/cases`, { enterprise_id: '3' }), 400, 'bad_type', 'enterprise_id');
  assertError(await cl.pudong.post(`${API}/cases`, { enterprise_id: ent.xintu, title: 'x' }), 400, 'unknown_field');
  for (const u of ['city', 'cb1', 'ent1']) assertError(await cl[u].post(`${API}/cases`, { enterprise_id: ent.xintu }), 403, 'forbidden', undefined, u);
});

test('drafts stay with their district and the city', async () => {
  ok(await cl.city.get(`${API}/cases/${S.case}`), 200, 'city sees the draft');
  for (const u of ['huangpu', 'cb1', 'ent1']) {
    assertError(await cl[u].get(`${API}/cases/${S.case}`), 404, 'not_found', undefined, `${u} GET draft`);
    const l = ok(await cl[u].get(`${API}/cases?per_page=200`), 200, `${u} list`);
    assert.ok(!l.items.some((c) => c.id === S.case || c.id === S.pujiang), `${u} list shows a draft`);
    assert.ok(l.items.some((c) => c.id === S.demoCase), `${u} sees the published case`);
  }
  // ent1's own enterprise: the draft about it is still the district's working document.
  assertError(await cl.ent1.get(`${API}/cases/${S.pujiang}`), 404, 'not_found');
  assertError(await put(cl.huangpu, `${API}/cases/${S.case}`, { title: '改' }), 404, 'not_found', undefined, 'huangpu PUT');
  assertError(await cl.huangpu.post(`${API}/cases/${S.case}/submit`), 404, 'not_found', undefined, 'huangpu submit');
  const l = ok(await cl.city.get(`${API}/cases?status=draft&district=${encodeURIComponent('浦东新区')}`), 200, 'city filter');
  assert.ok(l.items.every((c) => c.status === 'draft' && c.district === '浦东新区'));
  assert.ok(l.items.some((c) => c.id === S.case));
  assertError(await cl.city.get(`${API}/cases?status=open`), 422, 'invalid', 'status');
});

// ---------------------------------------------------------------- the workflow

test('edit, submit, 409 after submit, return with a reason, resubmit, publish', async () => {
  const p = `${API}/cases/${S.case}`;
  assertError(await put(cl.pudong, p, { texts: { morals: 'x' } }), 400, 'unknown_field', 'morals');
  assertError(await put(cl.pudong, p, { texts: { lessons: 'x'.repeat(5001) } }), 422, 'invalid', 'lessons');
  assertError(await put(cl.pudong, p, { texts: 'x' }), 400, 'bad_type', 'texts');
  assertError(await put(cl.pudong, p, { title: '' }), 422, 'invalid', 'title');
  assertError(await cl.pudong.post(`${p}/submit`), 422, 'invalid', 'lessons', 'empty lessons');
  const c = ok(await put(cl.pudong, p, { title: '锐测半导体：整机出厂检验从无到有', texts: { lessons: '先把出厂检验做起来。', results: '整机一次交检合格率提升。' } }), 200, 'edit');
  assert.equal(c.title, '锐测半导体：整机出厂检验从无到有');
  assert.equal(c.texts.lessons, '先把出厂检验做起来。');
  assert.ok(c.texts.summary.length > 10, 'untouched text kept');
  ok(await put(cl.pudong, p, { texts: { lessons: null } }), 200, 'null keeps the text');
  assertError(await put(cl.city, p, { title: 'x' }), 403, 'forbidden', undefined, 'city PUT');
  assertError(await cl.city.post(`${p}/publish`), 409, 'conflict', undefined, 'publish a draft');

  const s = ok(await cl.pudong.post(`${p}/submit`), 200, 'submit');
  assert.equal(s.status, 'submitted');
  assert.ok(s.submitted_at);
  assertError(await put(cl.pudong, p, { title: '再改' }), 409, 'conflict', undefined, 'edit after submit');
  assertError(await cl.pudong.post(`${p}/submit`), 409, 'conflict', undefined, 'submit twice');
  assertError(await cl.pudong.post(`${p}/refresh`), 409, 'conflict', undefined, 'refresh after submit');
  assertError(await del(cl.pudong, p), 409, 'conflict', undefined, 'delete after submit');
  assertError(await cl.pudong.post(`${p}/return`, { reason: 'x' }), 403, 'forbidden');

  assertError(await cl.city.post(`${p}/return`, {}), 422, 'invalid', 'reason');
  const r = ok(await cl.city.post(`${p}/return`, { reason: '请补充整机出厂检验前后的合格率数据。' }), 200, 'return');
  assert.equal(r.status, 'returned');
  const seen = ok(await cl.pudong.get(p), 200, 'pudong sees the reason');
  assert.equal(seen.return_reason, '请补充整机出厂检验前后的合格率数据。');
  assert.equal(seen.status_name, '已退回');
  ok(await put(cl.pudong, p, { texts: { results: '整机出厂一次交检合格率由 88% 提高到 96%。' } }), 200, 'edit after return');
  ok(await cl.pudong.post(`${p}/submit`), 200, 'resubmit');
  const pubd = ok(await cl.city.post(`${p}/publish`), 200, 'publish');
  assert.equal(pubd.status, 'published');
  assert.equal(pubd.status_name, '已发布');
  assert.ok(pubd.published_at);
  assertError(await put(cl.pudong, p, { title: '再改' }), 409, 'conflict', undefined, 'edit after publish');
  assertError(await cl.city.post(`${p}/return`, { reason: '撤回' }), 409, 'conflict', undefined, 'return after publish');
  assertError(await cl.city.post(`${p}/publish`), 409, 'conflict', undefined, 'publish twice');
  const actions = pubd.history.map((h) => h.action);
  for (const a of ['case.create', 'case.update', 'case.submit', 'case.return', 'case.publish']) assert.ok(actions.includes(a), a);
  assert.ok(pubd.history.find((h) => h.action === 'case.return').detail.reason.includes('合格率'));
});

test('a published case: every logged-in user and the public, no contacts, phones or USCC', async () => {
  for (const u of ['huangpu', 'cb1', 'ent1']) {
    const c = ok(await cl[u].get(`${API}/cases/${S.case}`), 200, `${u} reads`);
    assert.equal(c.history, undefined, `${u} gets no history`);
    assert.equal(c.return_reason, undefined, `${u} gets no return reason`);
    assertError(await put(cl.huangpu, `${API}/cases/${S.case}`, { title: 'x' }), 403, 'forbidden', undefined, 'huangpu edits a published case');
  }
  const l = await pub(`${API}/public/cases?industry=${encodeURIComponent('集成电路')}`);
  assert.equal(l.status, 200);
  const item = l.json.items.find((c) => c.id === S.case);
  assert.ok(item, 'listed publicly');
  assert.equal(item.title, '锐测半导体：整机出厂检验从无到有');
  const q = await pub(`${API}/public/cases?q=${encodeURIComponent('锐测')}`);
  assert.deepEqual(q.json.items.map((c) => c.id), [S.case]);
  const d = await pub(`${API}/public/cases/${S.case}`);
  assert.equal(d.status, 200, d.text);
  assert.ok(d.json.texts.results.includes('96%'));
  assert.ok(d.json.facts.problems.length >= 1);
  assert.ok(d.json.facts.measures.length >= 1);
  await assertNothingPrivate(d.text, 'public case');
  assert.equal((await pub(`${API}/public/cases/${S.pujiang}`)).status, 404, 'a draft is not public');
  assert.equal((await pub(`${API}/public/cases/999999`)).status, 404);
  assert.equal((await pub(`${API}/public/cases?page=0`)).status, 422);
});

// ---------------------------------------------------------------- benchmarks

async function benchList(c, query = '') {
  return ok(await c.get(`${API}/benchmarks?per_page=200${query}`), 200, `benchmarks ${query}`);
}
const quotaRow = (l, district, industry) => l.by_industry.find((q) => q.district === district && q.industry === industry);

test('benchmarks: the quota status per district and industry', async () => {
  const l = await benchList(cl.pudong);
  assert.deepEqual(l.quota, { min: 1, max: 2 });
  assert.equal(l.total, 2, 'the two demo nominations');
  assert.ok(l.items.every((b) => b.district === '浦东新区' && b.industry === '集成电路' && b.status === 'nominated'));
  const ic = quotaRow(l, '浦东新区', '集成电路');
  assert.equal(ic.nominated, 2);
  assert.equal(ic.state, 'full');
  const bio = quotaRow(l, '浦东新区', '生物医药');
  assert.equal(bio.nominated, 0);
  assert.equal(bio.state, 'missing');
  assert.ok(l.by_industry.every((q) => q.district === '浦东新区'), 'a district sees its own rows');
  // A district sees how many reviewers scored, not who gave what.
  for (const b of l.items) {
    assert.equal(b.scores, undefined);
    assert.equal(b.mean_score, null);
    assert.equal(b.reviewers, 1);
  }
  const city = await benchList(cl.city);
  const jy = city.items.find((b) => b.enterprise.id === ent.jingyao);
  assert.equal(jy.scores.length, 1);
  assert.equal(jy.scores[0].reviewer, 'city');
  assert.equal(jy.scores[0].score, 92);
  assert.equal(jy.mean_score, 92);
  assert.equal(jy.my_score.score, 92);
  S.bJingyao = jy.id;
  S.bRuice = city.items.find((b) => b.enterprise.id === ent.ruice).id;
  const other = await benchList(cl.huangpu);
  assert.equal(other.total, 0);
  assert.ok(!other.by_industry.some((q) => q.district === '浦东新区'));
  assert.equal((await benchList(cl.huangpu, `&district=${encodeURIComponent('浦东新区')}`)).total, 0);
  const filtered = await benchList(cl.city, `&industry=${encodeURIComponent('生物医药')}`);
  assert.equal(filtered.total, 0);
  assert.ok(filtered.by_industry.every((q) => q.industry === '生物医药'));
  for (const u of ['cb1', 'ent1']) assertError(await cl[u].get(`${API}/benchmarks`), 403, 'forbidden');
  assertError(await pub(`${API}/benchmarks`), 401, 'not_authenticated');
});

test('benchmarks: the third nomination in an industry is refused, nothing saved; duplicates; scope', async () => {
  const r = await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.xintu, reason: '芯片设计质量稳定。' });
  assertError(r, 409, 'quota_exceeded', undefined, 'third 集成电路');
  assert.ok(r.json.error.message.includes('集成电路'), r.json.error.message);
  assert.equal((await benchList(cl.pudong)).total, 2, 'nothing saved');
  assertError(await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.jingyao, reason: '再推荐一次。' }), 409, 'conflict', undefined, 'same enterprise');

  const a = ok(await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.kangyuan, reason: '生物医药质量管理示范。' }), 201, 'first 生物医药');
  assert.equal(a.industry, '生物医药');
  assert.equal(a.status, 'nominated');
  assert.equal(a.status_name, '已提名');
  S.bKangyuan = a.id;
  S.bRuiji = ok(await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.ruiji, reason: '医疗器械质量追溯完整。' }), 201, 'second').id;
  assertError(await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.baicheng, reason: '检测能力强。' }), 409, 'quota_exceeded', undefined, 'third 生物医药');
  const l = await benchList(cl.pudong);
  assert.equal(quotaRow(l, '浦东新区', '生物医药').nominated, 2);
  assert.equal(quotaRow(l, '浦东新区', '生物医药').state, 'full');

  // Withdraw one, the slot frees.
  assertError(await del(cl.huangpu, `${API}/benchmarks/${S.bRuiji}`), 404, 'not_found', undefined, 'another district withdraws');
  assert.equal((await del(cl.pudong, `${API}/benchmarks/${S.bRuiji}`)).status, 204);
  assert.equal(quotaRow(await benchList(cl.pudong), '浦东新区', '生物医药').state, 'open');
  S.bRuiji = ok(await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.ruiji, reason: '医疗器械质量追溯完整。' }), 201, 'again').id;

  // Only the district's own pilot enterprises.
  assertError(await cl.huangpu.post(`${API}/benchmarks`, { enterprise_id: ent.xintu, reason: '理由。' }), 422, 'invalid', 'enterprise_id', 'another district');
  assertError(await cl.huangpu.post(`${API}/benchmarks`, { enterprise_id: ent.waitan, reason: '理由。' }), 422, 'invalid', 'enterprise_id', 'not a pilot enterprise');
  assertError(await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.xintu }), 422, 'invalid', 'reason');
  assertError(await cl.pudong.post(`${API}/benchmarks`, { enterprise_id: ent.xintu, reason: 'x'.repeat(501) }), 422, 'invalid', 'reason');
  for (const u of ['city', 'cb1', 'ent1']) assertError(await cl[u].post(`${API}/benchmarks`, { enterprise_id: ent.xintu, reason: '理由。' }), 403, 'forbidden', undefined, u);
  assertError(await cl.huangpu.get(`${API}/benchmarks/${S.bKangyuan}`), 404, 'not_found');
});

test('benchmarks: reviewers score 0-100; the mean of two city reviewers', async () => {
  const p = `${API}/benchmarks/${S.bJingyao}/scores`;
  assertError(await put(cl.city, p, { score: 101 }), 422, 'invalid', 'score');
  assertError(await put(cl.city, p, { score: -1 }), 422, 'invalid', 'score');
  assertError(await put(cl.city, p, { score: '90' }), 400, 'bad_type', 'score');
  assertError(await put(cl.city, p, { score: 90.5 }), 400, 'bad_type', 'score');
  assertError(await put(cl.city, p, {}), 422, 'invalid', 'score');
  assertError(await put(cl.city, `${API}/benchmarks/999999/scores`, { score: 80 }), 404, 'not_found');
  assertError(await put(cl.pudong, p, { score: 80 }), 403, 'forbidden');

  const u = ok(await cl.city.post(`${API}/users`, {
    username: 'review2', display_name: '市局评审 李华', role: 'city_admin', unit_id: me.city.unit.id, password: 'Review-2021-panel',
  }), 201, 'second reviewer');
  assert.equal(u.role, 'city_admin');
  const r2 = new Client(srv.base);
  ok(await r2.login('review2', 'Review-2021-panel'), 200, 'login review2');
  const b = ok(await put(r2, p, { score: 91, comment: '示范性强。' }), 200, 'second score');
  assert.equal(b.reviewers, 2);
  assert.equal(b.mean_score, 91.5);
  assert.deepEqual(b.scores.map((s) => [s.reviewer, s.score]).sort(), [['city', 92], ['review2', 91]]);
  assert.equal(b.scores.find((s) => s.reviewer === 'review2').reviewer_name, '市局评审 李华');
  assert.deepEqual(b.my_score, { score: 91, comment: '示范性强。' });
  // A reviewer revises; still one score each.
  const c = ok(await put(cl.city, p, { score: 88 }), 200, 'revise');
  assert.equal(c.reviewers, 2);
  assert.equal(c.mean_score, 89.5);
  assert.equal(c.my_score.score, 88);
  // Edge values are in range.
  ok(await put(cl.city, `${API}/benchmarks/${S.bKangyuan}/scores`, { score: 0 }), 200, 'score 0');
  ok(await put(cl.city, `${API}/benchmarks/${S.bKangyuan}/scores`, { score: 100, comment: '' }), 200, 'score 100');
});

test('benchmarks: the publication rules', async () => {
  const p = `${API}/benchmarks/publish`;
  assertError(await cl.pudong.post(p, { selected: [] }), 403, 'forbidden');
  assertError(await cl.city.post(p, {}), 422, 'invalid', 'selected');
  assertError(await cl.city.post(p, { selected: 'all' }), 400, 'bad_type', 'selected');
  assertError(await cl.city.post(p, { selected: [999999] }), 422, 'invalid', 'selected', 'unknown id');
  const r = await cl.city.post(p, { selected: [S.bJingyao, S.bRuiji] });
  assertError(r, 422, 'invalid', 'selected', 'unscored');
  assert.ok(r.json.error.message.includes('上海瑞济医疗器械'), r.json.error.message);

  // The city lowers the quota to one per industry: two in 集成电路 are too many.
  const QUOTAS = '{"max_cbs_per_industry":2,"min_industries_per_district":1,"max_industries_per_district":2,"min_enterprises_per_industry":5,"min_benchmarks_per_industry":1,"max_benchmarks_per_industry":%MAX%}';
  sql(`UPDATE programmes SET quotas = '${QUOTAS.replace('%MAX%', '1')}'`);
  try {
    const l = await benchList(cl.city);
    assert.deepEqual(l.quota, { min: 1, max: 1 });
    assert.equal(quotaRow(l, '浦东新区', '集成电路').state, 'over');
    const over = await cl.city.post(p, { selected: [S.bJingyao, S.bRuice] });
    assertError(over, 409, 'quota_exceeded', 'selected', 'over the quota');
    assert.ok(over.json.error.message.includes('集成电路'));
  } finally {
    sql(`UPDATE programmes SET quotas = '${QUOTAS.replace('%MAX%', '2')}'`);
  }
  assert.ok((await benchList(cl.city)).items.every((b) => b.status === 'nominated' && !b.published_at), 'nothing published by the refusals');

  const res = ok(await cl.city.post(p, { selected: [S.bJingyao, S.bRuice, S.bKangyuan, S.bJingyao] }), 200, 'publish');
  const by = Object.fromEntries(res.items.map((b) => [b.id, b]));
  for (const id of [S.bJingyao, S.bRuice, S.bKangyuan]) {
    assert.equal(by[id].status, 'selected');
    assert.equal(by[id].status_name, '入选');
    assert.ok(by[id].published_at);
  }
  assert.equal(by[S.bRuiji].status, 'not_selected');
  assert.ok(by[S.bRuiji].published_at);
  assertError(await cl.city.post(p, { selected: [] }), 409, 'conflict', undefined, 'nothing left to publish');
  assertError(await put(cl.city, `${API}/benchmarks/${S.bJingyao}/scores`, { score: 70 }), 409, 'conflict', undefined, 'score after publication');
  assertError(await del(cl.pudong, `${API}/benchmarks/${S.bRuiji}`), 409, 'conflict', undefined, 'withdraw after publication');
  // The district now sees the mean, still not who gave what.
  const mine = await benchList(cl.pudong);
  const jy = mine.items.find((b) => b.id === S.bJingyao);
  assert.equal(jy.mean_score, 89.5);
  assert.equal(jy.scores, undefined);
  assert.equal(quotaRow(mine, '浦东新区', '集成电路').selected, 2);
  const audit = ok(await cl.city.get(`${API}/audit-log?action=benchmark.publish`), 200, 'audit');
  assert.equal(audit.items.length, 1);
});

test('benchmarks: the public list of the selected ones', async () => {
  const l = await pub(`${API}/public/benchmarks`);
  assert.equal(l.status, 200, l.text);
  assert.deepEqual(l.json.items.map((b) => b.id).sort((a, b) => a - b), [S.bJingyao, S.bRuice, S.bKangyuan].sort((a, b) => a - b));
  const jy = l.json.items.find((b) => b.id === S.bJingyao);
  assert.equal(jy.enterprise.name, '上海晶曜封装测试有限公司（演示）');
  assert.equal(jy.district, '浦东新区');
  assert.equal(jy.industry, '集成电路');
  assert.equal(jy.case_id, S.demoCase, 'links the published case');
  assert.equal(l.json.items.find((b) => b.id === S.bRuice).case_id, S.case);
  assert.equal(l.json.items.find((b) => b.id === S.bKangyuan).case_id, null);
  assert.equal(jy.mean_score, undefined, 'scores stay inside');
  await assertNothingPrivate(l.text, 'public benchmarks');
  const bio = await pub(`${API}/public/benchmarks?industry=${encodeURIComponent('生物医药')}`);
  assert.deepEqual(bio.json.items.map((b) => b.id), [S.bKangyuan]);
});
