// Reports 中期推进情况 · 年度总结 (docs/api.md "Reports"): pudong's demo mid-term draft and its
// live figures, each checked against the same numbers obtained independently through the other
// endpoints (enterprises, diagnoses, actions, certificates, training, indicators); the records
// behind each figure; the content rules (unknown key, length, lock); submission (the figures are
// frozen with their record ids, and stay so while the data changes underneath — the live figures
// move); versions; the city's return (live again) → resubmit (version 2) → accept; who may create
// which kind; data scope and roles; the PDF and the xlsx of the figures; the late flag.
// Tests run in order and share one server (demo data, simulated date 2021-05-10, mid-term due
// 2021-05-18); a second server runs on 2021-05-20 for a late submission.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
const TODAY = '2021-05-10';
const PUDONG = '浦东新区';
const PUDONG_UNIT = '浦东新区市场监管局';
const CB1_NAME = '沪联质量认证中心（演示）';
const RUIJI = '上海瑞济医疗器械有限公司（演示）'; // 浦东新区, assigned to cb1, no diagnosis in the demo
const MIDTERM_KEYS = ['progress', 'problems', 'next_steps'];
const ANNUAL_KEYS = ['summary', 'replication_plan', 'cases_note'];
const COUNT_FIGURES = ['enterprises', 'diagnosed', 'actions_open', 'actions_closed', 'actions_overdue', 'certified',
  'trained_enterprises'];
const IND_KEYS = ['first_pass_yield', 'defect_rate', 'complaints', 'satisfaction', 'quality_cost_rate', 'profit_margin'];

let srv, late, tmp;
const cl = {}; // logged-in clients by username
const unit = {}; // unit ids
const R = {}; // report ids
let atSubmit; // pudong's mid-term report right after its first submission
let recordsAtSubmit; // key → records of each figure right after the first submission
const made = {}; // records made here after the submission

async function login(s, username) {
  const c = new Client(s.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-reports-'));
  [srv, late] = await Promise.all([startServer(), startServer({ today: '2021-05-20' })]);
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(srv, u);
  const us = await cl.city.get(`${API}/units?per_page=200`);
  assert.equal(us.status, 200, us.text);
  for (const u of us.json.items) {
    if (u.name === CB1_NAME) unit.cb1 = u.id;
    if (u.kind === 'district' && u.district === PUDONG) unit.pudong = u.id;
    if (u.kind === 'district' && u.district === '黄浦区') unit.huangpu = u.id;
  }
  const list = await cl.city.get(`${API}/reports?per_page=200`);
  assert.equal(list.status, 200, list.text);
  R.pudong = list.json.items.find((r) => r.unit.id === unit.pudong && r.kind === 'midterm')?.id;
  R.cb1 = list.json.items.find((r) => r.unit.id === unit.cb1 && r.kind === 'midterm')?.id;
  assert.ok(R.pudong && R.cb1, `demo reports: ${list.text}`);
});
after(async () => {
  await Promise.all([srv?.stop(), late?.stop()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

function assertError(r, status, code, field, what = '') {
  assert.equal(r.status, status, `${what} expected ${status} ${code}${field !== undefined ? ` field ${field}` : ''}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what} error code: ${r.text}`);
  assert.ok(typeof r.json.error.message === 'string' && r.json.error.message.length > 0, `${what} error message`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${what} error field: ${r.text}`);
}
const put = (c, path, body) => c.req('PUT', path, body);
const q = (s) => encodeURIComponent(s);
const round1 = (x) => Math.round(x * 10 + 1e-9) / 10;
const round2 = (x) => Math.round(x * 100 + 1e-9) / 100;
const ids = (recs) => recs.map((r) => r.id).sort((a, b) => a - b);
const sorted = (xs) => [...xs].sort((a, b) => a - b);

async function getReport(id = R.pudong, c = cl.pudong) {
  const r = await c.get(`${API}/reports/${id}`);
  assert.equal(r.status, 200, `GET report ${id}: ${r.text}`);
  return r.json;
}
const fig = (rep, key) => rep.figures.find((f) => f.key === key);
const figMap = (figs) => Object.fromEntries(figs.map((f) => [f.key, f.value]));
async function figure(id, key, c = cl.pudong) {
  const r = await c.get(`${API}/reports/${id}/figures/${key}`);
  assert.equal(r.status, 200, `GET figure ${key}: ${r.text}`);
  return r.json;
}
async function liveFigures(c = cl.pudong) {
  const r = await c.get(`${API}/reports/figures?kind=midterm`);
  assert.equal(r.status, 200, `GET /reports/figures: ${r.text}`);
  return r.json;
}
async function all(c, path) {
  const r = await c.get(`${API}${path}${path.includes('?') ? '&' : '?'}per_page=200`);
  assert.equal(r.status, 200, `GET ${path}: ${r.text}`);
  assert.equal(r.json.items.length, r.json.total, `${path}: one page holds everything`);
  return r.json;
}

// The figures of a scope, computed here from the other endpoints (what the caller c sees).
async function independentFigures(c, entQuery) {
  const out = {};
  const ents = await all(c, `/enterprises${entQuery}`);
  out.enterprises = { value: ents.total, ids: sorted(ents.items.map((e) => e.id)) };
  const entIds = new Set(out.enterprises.ids);
  const diags = (await all(c, '/diagnoses?kind=onsite&status=submitted')).items.filter((d) => entIds.has(d.enterprise.id));
  const diagnosed = sorted([...new Set(diags.map((d) => d.enterprise.id))]);
  out.diagnosed = { value: diagnosed.length, ids: diagnosed };
  const acts = await all(c, '/actions');
  const actsIn = acts.items.filter((a) => entIds.has(a.enterprise.id));
  const pick = (pred) => sorted(actsIn.filter(pred).map((a) => a.id));
  out.actions_open = { value: acts.counts.open + acts.counts.in_progress, ids: pick((a) => ['open', 'in_progress'].includes(a.status)) };
  out.actions_closed = { value: acts.counts.verified + acts.counts.closed, ids: pick((a) => ['verified', 'closed'].includes(a.status)) };
  out.actions_overdue = { value: acts.counts.overdue, ids: pick((a) => a.overdue) };
  const certs = (await all(c, '/certificates?prior=false')).items.filter((x) => entIds.has(x.enterprise_id));
  out.certified = { value: certs.length, ids: sorted(certs.map((x) => x.id)) };
  // training: attendances of these enterprises in any session (the city sees every registration)
  const attended = new Map();
  for (const t of (await all(cl.city, '/trainings')).items) {
    const one = await cl.city.get(`${API}/trainings/${t.id}`);
    assert.equal(one.status, 200, one.text);
    for (const reg of one.json.registrations || []) {
      if (reg.attended && entIds.has(reg.enterprise.id)) attended.set(reg.enterprise.id, (attended.get(reg.enterprise.id) || 0) + 1);
    }
  }
  out.trained_enterprises = { value: attended.size, ids: sorted([...attended.keys()]) };
  out.person_times = { value: [...attended.values()].reduce((a, b) => a + b, 0), ids: sorted([...attended.keys()]) };
  // re-assessment: first and latest submitted on-site diagnosis of each enterprise
  const byEnt = new Map();
  for (const d of diags) byEnt.set(d.enterprise.id, [...(byEnt.get(d.enterprise.id) || []), d]);
  const changes = [];
  for (const [id, ds] of byEnt) {
    if (ds.length < 2) continue;
    ds.sort((a, b) => a.round - b.round || a.id - b.id);
    changes.push({ id, change: ds[ds.length - 1].overall - ds[0].overall });
  }
  if (changes.length) {
    out.avg_score_change = { value: round1(changes.reduce((s, x) => s + x.change, 0) / changes.length),
      ids: sorted(changes.map((x) => x.id)) };
  }
  // indicators: mean change over the enterprises with both a baseline and a follow-up value
  const inds = {};
  for (const id of out.enterprises.ids) {
    const e = await c.get(`${API}/enterprises/${id}`);
    assert.equal(e.status, 200, e.text);
    const b = e.json.indicators?.baseline, f = e.json.indicators?.followup;
    if (!b || !f) continue;
    for (const k of IND_KEYS) {
      if (b[k] == null || f[k] == null) continue;
      (inds[k] ||= []).push({ id, change: f[k] - b[k] });
    }
  }
  for (const [k, xs] of Object.entries(inds)) {
    out[`ind_${k}`] = { value: round2(xs.reduce((s, x) => s + x.change, 0) / xs.length), ids: sorted(xs.map((x) => x.id)) };
  }
  return out;
}

function checkAgainst(figs, want, what) {
  const keys = figs.map((f) => f.key);
  for (const k of Object.keys(want)) assert.ok(keys.includes(k), `${what}: figure ${k} missing (have ${keys.join(', ')})`);
  for (const k of keys) assert.ok(k in want, `${what}: figure ${k} has no independent value`);
  for (const f of figs) {
    const w = want[f.key];
    if (Number.isInteger(w.value) && !f.key.startsWith('ind_') && f.key !== 'avg_score_change') {
      assert.equal(f.value, w.value, `${what}: ${f.key}`);
    } else {
      assert.ok(Math.abs(f.value - w.value) < 0.0051, `${what}: ${f.key} = ${f.value}, expected ${w.value}`);
    }
  }
}

async function pdfText(id, c, name) {
  const r = await fetch(`${srv.base}${API}/reports/${id}.pdf`, { headers: { cookie: c.cookie } });
  assert.equal(r.status, 200, `PDF: ${r.status}`);
  assert.match(r.headers.get('content-type'), /^application\/pdf/);
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
  const f = join(tmp, name);
  writeFileSync(f, buf);
  const t = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  return t.stdout.replace(/\s+/g, '');
}

async function xlsxText(id, c, name) {
  const r = await fetch(`${srv.base}${API}/reports/${id}/figures.xlsx`, { headers: { cookie: c.cookie } });
  assert.equal(r.status, 200, `xlsx: ${r.status}`);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  const f = join(tmp, name);
  writeFileSync(f, Buffer.from(await r.arrayBuffer()));
  let s = '';
  for (const part of ['xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml']) {
    s += spawnSync('unzip', ['-p', f, part], { encoding: 'utf8' }).stdout || '';
  }
  assert.ok(s.includes('<'), 'no sheet XML in the xlsx');
  return s;
}

const FILLED = {
  progress: '浦东新区已完成现场诊断，推进改进措施。',
  problems: '部分企业整改进度偏慢。',
  next_steps: '6月底前完成全部诊断。',
};

// ---------------------------------------------------------------- the demo draft

test('pudong\'s demo mid-term draft: the report object', async () => {
  const r = await getReport();
  assert.equal(r.id, R.pudong);
  assert.deepEqual(r.unit, { id: unit.pudong, name: PUDONG_UNIT, kind: 'district' });
  assert.equal(r.kind, 'midterm');
  assert.equal(r.kind_name, '中期推进情况');
  assert.equal(r.due, '2021-05-18');
  assert.equal(r.status, 'draft');
  assert.equal(r.status_name, '草稿');
  assert.equal(r.late, false);
  assert.equal(r.version, 0);
  assert.deepEqual(Object.keys(r.content).sort(), [...MIDTERM_KEYS].sort());
  for (const k of MIDTERM_KEYS) assert.ok(r.content[k].length > 10, `demo text ${k}`);
  assert.equal(r.figures_frozen, false);
  assert.equal(r.figures_at, TODAY);
  assert.equal(r.return_reason, null);
  assert.equal(r.submitted_at, null);
  assert.equal(r.accepted_at, null);
  assert.deepEqual(r.versions, []);
  for (const f of r.figures) {
    assert.equal(typeof f.key, 'string');
    assert.ok(f.label.length > 0, `${f.key} label`);
    assert.equal(typeof f.unit, 'string');
    assert.equal(typeof f.value, 'number');
  }
  const keys = r.figures.map((f) => f.key);
  for (const k of [...COUNT_FIGURES, 'person_times']) assert.ok(keys.includes(k), `figure ${k} present`);
  assert.equal(fig(r, 'enterprises').label, '试点企业');
  assert.equal(fig(r, 'enterprises').unit, '家');
});

test('pudong\'s figures equal the counts obtained through the other endpoints', async () => {
  const want = await independentFigures(cl.pudong, `?district=${q(PUDONG)}`);
  assert.equal(want.enterprises.value, 10, 'the demo has 10 enterprises in 浦东新区');
  assert.equal(want.diagnosed.value, 5);
  assert.ok(want.avg_score_change, 'the demo has a re-assessment (晶曜)');
  // a district's training totals are also in GET /trainings/stats
  const ts = await cl.pudong.get(`${API}/trainings/stats`);
  assert.equal(ts.status, 200, ts.text);
  assert.equal(want.trained_enterprises.value, ts.json.totals.enterprises, 'trained enterprises = /trainings/stats');
  assert.equal(want.person_times.value, ts.json.totals.person_times, 'person-times = /trainings/stats');
  const r = await getReport();
  checkAgainst(r.figures, want, 'report');
  checkAgainst((await liveFigures()).figures, want, 'GET /reports/figures');
  assert.equal((await liveFigures()).figures_at, TODAY);
});

test('cb1\'s live figures: the enterprises assigned to it', async () => {
  const want = await independentFigures(cl.cb1, '');
  const live = await liveFigures(cl.cb1);
  checkAgainst(live.figures, want, 'cb1 live');
});

test('GET /reports/{id}/figures/{key}: the records behind each figure match its value', async () => {
  const r = await getReport();
  const want = await independentFigures(cl.pudong, `?district=${q(PUDONG)}`);
  for (const f of r.figures) {
    const x = await figure(R.pudong, f.key);
    assert.equal(x.key, f.key);
    assert.equal(x.label, f.label);
    assert.equal(x.value, f.value, `${f.key}: value`);
    assert.equal(x.frozen, false);
    assert.ok(Array.isArray(x.records));
    for (const rec of x.records) {
      assert.ok(['enterprise', 'action', 'certificate', 'training'].includes(rec.type), `${f.key}: record type ${rec.type}`);
      assert.equal(typeof rec.id, 'number');
      assert.ok(rec.name.length > 0);
      assert.equal(typeof rec.detail, 'string');
    }
    if (COUNT_FIGURES.includes(f.key)) assert.equal(x.value, x.records.length, `${f.key}: count = records.length`);
    if (want[f.key].ids) assert.deepEqual(ids(x.records), want[f.key].ids, `${f.key}: the records are the right ones`);
  }
  assert.equal((await figure(R.pudong, 'enterprises')).records[0].type, 'enterprise');
  assert.equal((await figure(R.pudong, 'actions_open')).records[0].type, 'action');
  assert.equal((await figure(R.pudong, 'certified')).records[0].type, 'certificate');
  const pt = await figure(R.pudong, 'person_times');
  const te = await figure(R.pudong, 'trained_enterprises');
  assert.deepEqual(ids(pt.records), ids(te.records), 'person-times come from the trained enterprises');
  assert.ok(pt.value >= te.value);
  assertError(await cl.pudong.get(`${API}/reports/${R.pudong}/figures/no_such_figure`), 404, 'not_found');
});

// ---------------------------------------------------------------- editing

test('PUT content: unknown key → 400, wrong types → 400, too long → 422; 20,000 characters pass', async () => {
  const before = await getReport();
  assertError(await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: { ...FILLED, summary: 'x' } }), 400, 'unknown_field',
    undefined, 'an annual key in a mid-term report');
  assertError(await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: FILLED, status: 'submitted' }), 400, 'unknown_field');
  assertError(await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: 'text' }), 400, 'bad_type');
  assertError(await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: { ...FILLED, progress: 12 } }), 400, 'bad_type');
  assertError(await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: { ...FILLED, problems: '问'.repeat(20001) } }),
    422, 'invalid', 'problems');
  const after = await getReport();
  assert.deepEqual(after.content, before.content, 'refused PUTs changed nothing');
  const long = '进'.repeat(20000);
  const ok = await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: { ...before.content, progress: long } });
  assert.equal(ok.status, 200, ok.text.slice(0, 300));
  assert.equal(ok.json.content.progress, long, '20,000 Chinese characters are kept whole');
  const back = await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: before.content });
  assert.equal(back.status, 200, back.text);
  assert.deepEqual(back.json.content, before.content);
});

test('only the owner unit edits: other units 404, the city 403', async () => {
  assertError(await put(cl.cb1, `${API}/reports/${R.pudong}`, { content: FILLED }), 404, 'not_found', undefined, 'cb1');
  assertError(await put(cl.huangpu, `${API}/reports/${R.pudong}`, { content: FILLED }), 404, 'not_found', undefined, 'huangpu');
  assertError(await put(cl.city, `${API}/reports/${R.pudong}`, { content: FILLED }), 403, 'forbidden', undefined, 'city');
  assertError(await cl.city.post(`${API}/reports/${R.pudong}/submit`), 403, 'forbidden', undefined, 'city submit');
  assertError(await cl.huangpu.post(`${API}/reports/${R.pudong}/submit`), 404, 'not_found', undefined, 'huangpu submit');
});

test('submit with an empty (or blank) section → 422 naming it; nothing frozen', async () => {
  const r1 = await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: { ...FILLED, problems: '' } });
  assert.equal(r1.status, 200, r1.text);
  const s1 = await cl.pudong.post(`${API}/reports/${R.pudong}/submit`);
  assertError(s1, 422, 'invalid', 'problems', 'empty problems');
  assert.ok(s1.json.error.message.includes('存在的问题和不足'), s1.json.error.message);
  const r2 = await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: { ...FILLED, next_steps: '   ' } });
  assert.equal(r2.status, 200, r2.text);
  const s2 = await cl.pudong.post(`${API}/reports/${R.pudong}/submit`);
  assertError(s2, 422, 'invalid', 'next_steps', 'blank next_steps');
  assert.ok(s2.json.error.message.includes('下一步举措'), s2.json.error.message);
  const rep = await getReport();
  assert.equal(rep.status, 'draft');
  assert.equal(rep.version, 0);
  assert.deepEqual(rep.versions, []);
  assert.equal(rep.figures_frozen, false);
});

// ---------------------------------------------------------------- submit and freeze

test('submit: figures frozen on today\'s date, version 1, on time', async () => {
  const r = await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: FILLED });
  assert.equal(r.status, 200, r.text);
  const live = await liveFigures();
  const s = await cl.pudong.post(`${API}/reports/${R.pudong}/submit`);
  assert.equal(s.status, 200, s.text);
  atSubmit = s.json;
  assert.equal(atSubmit.status, 'submitted');
  assert.equal(atSubmit.status_name, '已提交');
  assert.equal(atSubmit.version, 1);
  assert.equal(atSubmit.late, false);
  assert.equal(atSubmit.figures_frozen, true);
  assert.equal(atSubmit.figures_at, TODAY);
  assert.ok(atSubmit.submitted_at?.startsWith(TODAY) || atSubmit.submitted_at?.startsWith('2021-05-09'),
    `submitted_at on the business date: ${atSubmit.submitted_at}`);
  assert.deepEqual(atSubmit.content, FILLED);
  assert.deepEqual(figMap(atSubmit.figures), figMap(live.figures), 'the frozen figures are the live ones of the moment');
  assert.equal(atSubmit.versions.length, 1);
  assert.equal(atSubmit.versions[0].version, 1);
  assert.equal(atSubmit.versions[0].outcome, null);
  assert.equal(atSubmit.versions[0].late, false);
  recordsAtSubmit = {};
  for (const f of atSubmit.figures) {
    const x = await figure(R.pudong, f.key);
    assert.equal(x.frozen, true, `${f.key}: frozen`);
    recordsAtSubmit[f.key] = x;
  }
});

test('a submitted report is locked: PUT and submit → 409 locked', async () => {
  assertError(await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: FILLED }), 409, 'locked');
  assertError(await cl.pudong.post(`${API}/reports/${R.pudong}/submit`), 409, 'locked');
  assert.deepEqual((await getReport()).content, FILLED);
});

test('the data changes (cb1 adds and verifies actions, submits a diagnosis): frozen figures stay, live ones move', async () => {
  // a new action for 瑞济 (open)
  const ruiji = (await all(cl.cb1, `/enterprises?q=${q('瑞济医疗')}`)).items.find((e) => e.name === RUIJI);
  assert.ok(ruiji, '瑞济 is assigned to cb1');
  made.ruiji = ruiji.id;
  const a = await cl.cb1.post(`${API}/enterprises/${ruiji.id}/actions`, {
    title: '建立进货检验规程', detail: '报告冻结后新增的措施', method: 'process_control', owner: '质量部 周敏', due_date: '2021-06-30',
  });
  assert.equal(a.status, 201, a.text);
  made.action = a.json.id;
  // an action reported done → verified
  const ready = (await all(cl.cb1, '/actions?ready=true')).items.find((x) => x.enterprise.district === PUDONG);
  assert.ok(ready, 'the demo has an action waiting for verification in 浦东新区');
  const v = await cl.cb1.post(`${API}/actions/${ready.id}/verify`, { effective: true, note: '现场验证有效' });
  assert.equal(v.status, 200, v.text);
  made.verified = ready.id;
  // an on-site diagnosis of 瑞济, every item answered, submitted
  const cls = await cl.cb1.get(`${API}/checklists`);
  const iso = cls.json.items.find((c) => c.code === 'iso9001-small');
  const checklist = (await cl.cb1.get(`${API}/checklists/${iso.id}`)).json;
  const d = await cl.cb1.post(`${API}/enterprises/${ruiji.id}/diagnoses`, { kind: 'onsite', visit_date: '2021-05-09', team: '王工', checklist_id: iso.id });
  assert.equal(d.status, 201, d.text);
  const items = checklist.sections.flatMap((s) => s.items);
  await Promise.all(items.map(async (it, i) => {
    const r = await put(cl.cb1, `${API}/diagnoses/${d.json.id}/answers/${it.id}`, { score: 2 + (i % 3), na: false, finding: '', kind: '', version: 0 });
    assert.equal(r.status, 200, `answer ${it.key}: ${r.text}`);
  }));
  const sub = await cl.cb1.post(`${API}/diagnoses/${d.json.id}/submit`);
  assert.equal(sub.status, 200, sub.text);
  made.diagnosis = d.json.id;

  // the frozen report: the same figures, the same record ids
  const rep = await getReport();
  assert.equal(rep.figures_frozen, true);
  assert.equal(rep.figures_at, TODAY);
  assert.deepEqual(rep.figures, atSubmit.figures, 'frozen figures did not change');
  for (const f of rep.figures) {
    const x = await figure(R.pudong, f.key);
    assert.deepEqual(x, recordsAtSubmit[f.key], `${f.key}: frozen records did not change`);
  }
  assert.ok(!ids(recordsAtSubmit.actions_open.records).includes(made.action));
  assert.ok(!ids(recordsAtSubmit.diagnosed.records).includes(ruiji.id));
  // the live figures did move
  const live = figMap((await liveFigures()).figures);
  const frozen = figMap(atSubmit.figures);
  assert.equal(live.diagnosed, frozen.diagnosed + 1, 'live: one more diagnosed enterprise');
  assert.equal(live.actions_closed, frozen.actions_closed + 1, 'live: one more verified action');
  assert.equal(live.actions_open, frozen.actions_open + 1 - 1, 'live: one new open action, one less in progress');
  const want = await independentFigures(cl.pudong, `?district=${q(PUDONG)}`);
  checkAgainst((await liveFigures()).figures, want, 'live after the changes');
});

test('a draft of another kind (pudong\'s annual report) shows the live records, with the new ones', async () => {
  const r = await cl.pudong.post(`${API}/reports`, { kind: 'annual' });
  assert.equal(r.status, 201, r.text);
  R.pudongAnnual = r.json.id;
  assert.equal(r.json.kind, 'annual');
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.figures_frozen, false);
  const open = await figure(R.pudongAnnual, 'actions_open');
  assert.equal(open.frozen, false);
  assert.ok(ids(open.records).includes(made.action), 'the new action is among the live records');
  assert.ok(!ids(open.records).includes(made.verified));
  const diag = await figure(R.pudongAnnual, 'diagnosed');
  assert.ok(ids(diag.records).includes(made.ruiji));
  const closed = await figure(R.pudongAnnual, 'actions_closed');
  assert.ok(ids(closed.records).includes(made.verified));
});

test('versions/1 holds the submitted content and the frozen figures', async () => {
  const r = await cl.pudong.get(`${API}/reports/${R.pudong}/versions/1`);
  assert.equal(r.status, 200, `GET versions/1: ${r.text}`);
  assert.equal(r.json.version, 1);
  const body = JSON.stringify(r.json);
  for (const k of MIDTERM_KEYS) assert.ok(body.includes(JSON.stringify(FILLED[k])), `versions/1 has the ${k} text`);
  const content = r.json.content?.text ?? r.json.content;
  for (const k of MIDTERM_KEYS) assert.equal(content[k], FILLED[k], `versions/1 content.${k}`);
  const figs = r.json.figures ?? r.json.content?.figures;
  assert.ok(Array.isArray(figs), `versions/1 carries the figures: ${body.slice(0, 300)}`);
  assert.deepEqual(figMap(figs), figMap(atSubmit.figures), 'the frozen figures');
  assertError(await cl.pudong.get(`${API}/reports/${R.pudong}/versions/2`), 404, 'not_found');
  // the demo's submitted report of cb1 has its version 1 as well
  const cb = await cl.cb1.get(`${API}/reports/${R.cb1}/versions/1`);
  assert.equal(cb.status, 200, `cb1 versions/1: ${cb.text}`);
});

// ---------------------------------------------------------------- review

test('only the city reviews: units → 403', async () => {
  assertError(await cl.pudong.post(`${API}/reports/${R.pudong}/return`, { reason: '自己退回' }), 403, 'forbidden');
  assertError(await cl.pudong.post(`${API}/reports/${R.pudong}/accept`), 403, 'forbidden');
  assertError(await cl.cb1.post(`${API}/reports/${R.pudong}/return`, { reason: 'x' }), 403, 'forbidden');
  assertError(await cl.cb1.post(`${API}/reports/${R.cb1}/accept`), 403, 'forbidden', undefined, 'cb1 accepting its own');
  assertError(await cl.ent1.post(`${API}/reports/${R.pudong}/accept`), 403, 'forbidden');
  assertError(await cl.city.post(`${API}/reports/${R.pudongAnnual}/accept`), 409, 'conflict', undefined, 'accepting a draft');
  assertError(await cl.city.post(`${API}/reports/${R.pudongAnnual}/return`, { reason: '草稿' }), 409, 'conflict', undefined, 'returning a draft');
});

test('city returns with a reason → returned, figures live again; a reason is required', async () => {
  assertError(await cl.city.post(`${API}/reports/${R.pudong}/return`, {}), 422, 'invalid', 'reason');
  assertError(await cl.city.post(`${API}/reports/${R.pudong}/return`, { reason: '' }), 422, 'invalid', 'reason');
  const r = await cl.city.post(`${API}/reports/${R.pudong}/return`, { reason: '请补充生物医药行业的诊断进度' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.status_name, '已退回');
  assert.equal(r.json.return_reason, '请补充生物医药行业的诊断进度');
  assert.equal(r.json.figures_frozen, false);
  assert.equal(r.json.figures_at, TODAY);
  assert.deepEqual(figMap(r.json.figures), figMap((await liveFigures()).figures), 'live figures again');
  assert.notDeepEqual(figMap(r.json.figures), figMap(atSubmit.figures));
  const rep = await getReport();
  assert.equal(rep.versions[0].outcome, 'returned');
  assert.equal(rep.versions[0].return_reason, '请补充生物医药行业的诊断进度');
  const open = await figure(R.pudong, 'actions_open');
  assert.equal(open.frozen, false);
  assert.ok(ids(open.records).includes(made.action), 'live records again');
});

test('resubmit → version 2 with the new text and today\'s figures; versions/2', async () => {
  const content = { ...FILLED, progress: `${FILLED.progress}生物医药行业已完成诊断2家。` };
  const p = await put(cl.pudong, `${API}/reports/${R.pudong}`, { content });
  assert.equal(p.status, 200, p.text);
  const s = await cl.pudong.post(`${API}/reports/${R.pudong}/submit`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted');
  assert.equal(s.json.version, 2);
  assert.equal(s.json.figures_frozen, true);
  assert.equal(s.json.versions[0].return_reason, '请补充生物医药行业的诊断进度', 'version 1 keeps the reason');
  assert.deepEqual(figMap(s.json.figures), figMap((await liveFigures()).figures));
  assert.deepEqual(s.json.versions.map((v) => [v.version, v.outcome]), [[1, 'returned'], [2, null]]);
  const v2 = await cl.pudong.get(`${API}/reports/${R.pudong}/versions/2`);
  assert.equal(v2.status, 200, `GET versions/2: ${v2.text}`);
  assert.ok(JSON.stringify(v2.json).includes(JSON.stringify(content.progress)));
  const v1 = await cl.city.get(`${API}/reports/${R.pudong}/versions/1`);
  assert.equal(v1.status, 200, `GET versions/1: ${v1.text}`);
  assert.ok(!JSON.stringify(v1.json).includes('生物医药行业已完成诊断2家'), 'version 1 keeps its own text');
});

test('accept → accepted; no more edits, returns or accepts', async () => {
  const r = await cl.city.post(`${API}/reports/${R.pudong}/accept`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'accepted');
  assert.equal(r.json.status_name, '已通过');
  assert.ok(r.json.accepted_at);
  assert.equal(r.json.figures_frozen, true);
  assert.equal(r.json.versions[1].outcome, 'accepted');
  assertError(await put(cl.pudong, `${API}/reports/${R.pudong}`, { content: FILLED }), 409, 'locked');
  assertError(await cl.pudong.post(`${API}/reports/${R.pudong}/submit`), 409, 'locked');
  assertError(await cl.city.post(`${API}/reports/${R.pudong}/return`, { reason: '再改' }), 409, 'conflict');
  assertError(await cl.city.post(`${API}/reports/${R.pudong}/accept`), 409, 'conflict');
  const list = await all(cl.city, '/reports?status=accepted');
  assert.deepEqual(list.items.map((x) => x.id), [R.pudong]);
});

// ---------------------------------------------------------------- who creates what

test('huangpu (not a pilot) cannot create a mid-term report (422) but can create its annual one (once)', async () => {
  const m = await cl.huangpu.post(`${API}/reports`, { kind: 'midterm' });
  assertError(m, 422, 'invalid', 'kind', 'huangpu midterm');
  const a = await cl.huangpu.post(`${API}/reports`, { kind: 'annual' });
  assert.equal(a.status, 201, a.text);
  R.huangpuAnnual = a.json.id;
  assert.equal(a.json.unit.id, unit.huangpu);
  assert.equal(a.json.kind, 'annual');
  assert.equal(a.json.kind_name, '年度工作总结及复制推广计划');
  assert.equal(a.json.due, '2021-11-18');
  assert.equal(a.json.status, 'draft');
  assert.equal(a.json.version, 0);
  assert.deepEqual(Object.keys(a.json.content).sort(), [...ANNUAL_KEYS].sort());
  assert.ok(Object.values(a.json.content).every((v) => v === ''));
  const again = await cl.huangpu.post(`${API}/reports`, { kind: 'annual' });
  assertError(again, 409, 'conflict', undefined, 'a second annual report');
  // annual content keys, and a mid-term key refused
  assertError(await put(cl.huangpu, `${API}/reports/${R.huangpuAnnual}`, { content: { progress: 'x' } }), 400, 'unknown_field');
  const p = await put(cl.huangpu, `${API}/reports/${R.huangpuAnnual}`, { content: { summary: '年度工作', replication_plan: '复制推广', cases_note: '' } });
  assert.equal(p.status, 200, p.text);
  const s = await cl.huangpu.post(`${API}/reports/${R.huangpuAnnual}/submit`);
  assertError(s, 422, 'invalid', 'cases_note');
  assert.ok(s.json.error.message.includes('典型案例和标杆企业情况'), s.json.error.message);
});

test('creation rules: a second report of the same kind → 409; bad kinds → 422; audiences', async () => {
  assertError(await cl.pudong.post(`${API}/reports`, { kind: 'midterm' }), 409, 'conflict', undefined, 'pudong midterm again');
  assertError(await cl.pudong.post(`${API}/reports`, { kind: 'annual' }), 409, 'conflict', undefined, 'pudong annual again');
  assertError(await cl.cb1.post(`${API}/reports`, { kind: 'midterm' }), 409, 'conflict', undefined, 'cb1 midterm again');
  assertError(await cl.cb1.post(`${API}/reports`, { kind: 'annual' }), 422, 'invalid', 'kind', 'annual is for districts');
  assertError(await cl.cb2.post(`${API}/reports`, { kind: 'midterm' }), 422, 'invalid', 'kind', 'cb2 is not a pilot');
  assertError(await cl.cb2.post(`${API}/reports`, { kind: 'annual' }), 422, 'invalid', 'kind', 'cb2 annual');
  assertError(await cl.pudong.post(`${API}/reports`, { kind: 'weekly' }), 422, 'invalid', 'kind');
  assertError(await cl.pudong.post(`${API}/reports`, {}), 422, 'invalid', 'kind');
  assertError(await cl.pudong.post(`${API}/reports`, { kind: 'annual', content: {} }), 400, 'unknown_field');
  assertError(await cl.city.post(`${API}/reports`, { kind: 'annual' }), 403, 'forbidden');
  assertError(await cl.ent1.post(`${API}/reports`, { kind: 'annual' }), 403, 'forbidden');
});

test('scope: another unit\'s report → 404 on every route; enterprises 403; the lists', async () => {
  const foreign = [
    [cl.huangpu, R.pudong], [cl.cb1, R.pudong], [cl.cb2, R.pudong], [cl.pudong, R.cb1], [cl.pudong, R.huangpuAnnual],
  ];
  for (const [c, id] of foreign) {
    for (const path of [`/reports/${id}`, `/reports/${id}.pdf`, `/reports/${id}/figures.xlsx`, `/reports/${id}/figures/enterprises`,
      `/reports/${id}/versions/1`]) {
      assertError(await c.get(`${API}${path}`), 404, 'not_found', undefined, path);
    }
  }
  assertError(await cl.pudong.get(`${API}/reports/999999`), 404, 'not_found');
  assertError(await cl.ent1.get(`${API}/reports`), 403, 'forbidden');
  assertError(await cl.ent1.get(`${API}/reports/${R.pudong}`), 403, 'forbidden');
  assertError(await cl.ent1.get(`${API}/reports/figures?kind=midterm`), 403, 'forbidden');
  assertError(await cl.city.get(`${API}/reports/figures?kind=midterm`), 403, 'forbidden', undefined, 'the city has no figures of its own');
  const mine = await all(cl.pudong, '/reports');
  assert.deepEqual(sorted(mine.items.map((x) => x.id)), sorted([R.pudong, R.pudongAnnual]));
  assert.ok(mine.items.every((x) => x.unit.id === unit.pudong));
  const h = await all(cl.huangpu, `/reports?unit_id=${unit.pudong}`);
  assert.deepEqual(h.items.map((x) => x.id), [R.huangpuAnnual], 'unit_id does not widen a unit\'s list');
  const city = await all(cl.city, '/reports');
  assert.deepEqual(sorted(city.items.map((x) => x.id)), sorted([R.pudong, R.cb1, R.pudongAnnual, R.huangpuAnnual]));
  assert.deepEqual((await all(cl.city, '/reports?kind=annual')).items.map((x) => x.kind), ['annual', 'annual']);
  assert.deepEqual((await all(cl.city, `/reports?unit_id=${unit.cb1}`)).items.map((x) => x.id), [R.cb1]);
  assert.deepEqual((await all(cl.city, '/reports?status=submitted')).items.map((x) => x.id), [R.cb1]);
  assertError(await cl.city.get(`${API}/reports?kind=weekly`), 422, 'invalid', 'kind');
  assertError(await cl.city.get(`${API}/reports?status=lost`), 422, 'invalid', 'status');
  // the city reads any report and its figures
  assert.equal((await getReport(R.huangpuAnnual, cl.city)).unit.id, unit.huangpu);
  assert.equal((await figure(R.pudong, 'enterprises', cl.city)).frozen, true);
});

// ---------------------------------------------------------------- documents

test('PDF: unit name, 中期推进情况, a figure label and the text', async () => {
  const rep = await getReport();
  const text = await pdfText(R.pudong, cl.pudong, 'midterm.pdf');
  assert.ok(text.includes(PUDONG_UNIT), 'unit name');
  assert.ok(text.includes('中期推进情况'), 'kind');
  assert.ok(text.includes('试点企业'), 'figure label 试点企业');
  assert.ok(text.includes(fig(rep, 'diagnosed').label), 'figure label of diagnosed');
  assert.ok(text.includes(rep.content.progress.slice(0, 12).replace(/\s+/g, '')), 'the progress text');
  assert.ok(text.includes(FILLED.problems.replace(/\s+/g, '').slice(0, 10)), 'the problems text');
  assert.ok(text.includes('存在的问题和不足'), 'section heading');
  const city = await pdfText(R.pudong, cl.city, 'midterm-city.pdf');
  assert.ok(city.includes(PUDONG_UNIT), 'the city prints it too');
  const annual = await pdfText(R.huangpuAnnual, cl.huangpu, 'annual.pdf');
  assert.ok(annual.includes('黄浦区市场监管局'));
  assert.ok(annual.includes('年度工作开展情况'));
});

test('xlsx of the figures: labels and the records behind them', async () => {
  const s = await xlsxText(R.pudong, cl.pudong, 'figures.xlsx');
  const rep = await getReport();
  for (const f of rep.figures.slice(0, 6)) assert.ok(s.includes(f.label), `label ${f.label}`);
  const ents = await figure(R.pudong, 'enterprises');
  assert.ok(s.includes(ents.records[0].name), `a record name (${ents.records[0].name})`);
  const cert = await figure(R.pudong, 'certified');
  assert.ok(s.includes(cert.records[0].name), `the certificate number ${cert.records[0].name}`);
  const c = await xlsxText(R.cb1, cl.city, 'cb1.xlsx');
  assert.ok(c.includes('试点企业'));
});

// ---------------------------------------------------------------- late

test('a report submitted after its due date (2021-05-20) is late', async () => {
  const c = await login(late, 'pudong');
  const list = await c.get(`${API}/reports?kind=midterm`);
  const id = list.json.items[0].id;
  const before = await c.get(`${API}/reports/${id}`);
  assert.equal(before.json.late, false);
  assert.equal(before.json.figures_at, '2021-05-20');
  const s = await c.post(`${API}/reports/${id}/submit`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.late, true);
  assert.equal(s.json.figures_at, '2021-05-20');
  assert.equal(s.json.versions[0].late, true);
  // the overdue action count is taken on the day of the submission
  const acts = await c.get(`${API}/actions?per_page=200`);
  assert.equal(fig(s.json, 'actions_overdue').value, acts.json.counts.overdue);
  const city = await login(late, 'city');
  const m = await city.get(`${API}/deadlines/matrix`);
  assert.equal(m.json.units.find((u) => u.id === unit.pudong).cells.midterm.state, 'done_late');
});
