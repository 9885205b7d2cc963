// Improvement plan 提升方案 · actions 改进措施 (docs/api.md): the demo plan (overdue and
// waiting-for-verification actions), creating an action linked to a finding (with every
// field rule), the state machine open → in_progress (ready) → verified → closed with its
// refusals, rejection and reopening, stale versions, evidence files, the history in order,
// the list filters (status, overdue, due within a week, ready, enterprise, district) with
// their counts, and the data scope of every role.
// Tests run in order and share one server: the demo data (simulated date 2021-05-10) plus a
// second, tiny checklist (code test-mini) loaded from a copy of data/, so that "an item of
// another checklist" can be tried; uploads are limited to 4 KiB (--max-upload).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, ROOT, BIN, newDatabase } from '../lib/server.mjs';

const API = '/api/v1';
const MAX_UPLOAD = 4096;
const CB1_NAME = '沪联质量认证中心（演示）';
const NAMES = {
  pujiang: '上海浦江精密电子有限公司（演示）', // ent1; 6 demo actions
  jingyao: '上海晶曜封装测试有限公司（演示）', // 3 closed demo actions
  weilian: '上海微链芯片设计有限公司（演示）',
  ruice: '上海锐测半导体设备有限公司（演示）',
  ruiji: '上海瑞济医疗器械有限公司（演示）', // no diagnosis, no action in the demo
  waitan: '上海外滩时尚服饰有限公司（演示）', // 黄浦区, not assigned to cb1
};
const MINI = {
  code: 'test-mini', version: 1, title: '测试用小检查表', standard: 'GB/T 19001-2016 / ISO 9001:2015',
  scale: [1, 2, 3, 4, 5].map((level) => ({ level, label: `等级${level}`, description: `第${level}级说明` })),
  sections: [{ clause: '4', title: '组织环境', items: [{ key: 'm4-1', clause: '4.1', title: '测试项', text: '测试检查内容？' }] }],
};
// The demo plan on 2021-05-10 (data/demo.json "actions").
const DEMO = {
  goals: { title: '制定并分解质量目标', status: 'closed' },
  gauges: { title: '建立量具校准台账并送检', status: 'verified' },
  suppliers: { title: '开展供方评价', status: 'in_progress', ready: true }, // due 05-20
  docs: { title: '清理并统一作业指导书', status: 'in_progress', overdue: true }, // due 05-05
  audit: { title: '培训内审员并开展首次内审', status: 'open' }, // due 05-14: within a week
  returns: { title: '建立退货原因分析和纠正措施流程', status: 'open' },
};

let srv;
let tmp;
const cl = {};
const E = {}; // enterprise ids
const D = {}; // diagnosis ids
const A = {}; // action ids (demo by key, and those made here)
let ISO; // the ISO checklist
let MINI_ID; // the id of the test-mini item

async function login(username) {
  const c = new Client(srv.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-actions-'));
  const data = join(tmp, 'data');
  cpSync(join(ROOT, 'data'), data, { recursive: true });
  writeFileSync(join(data, 'checklists', 'test-mini-v1.json'), JSON.stringify(MINI));
  const db = newDatabase(tmp);
  const r = spawnSync(BIN, ['demo', '--db', db, '--data', data, '--today', '2021-05-10'],
    { cwd: ROOT, env: { ...process.env, QMSLIFT_PWHASH: 'min' }, encoding: 'utf8' });
  assert.equal(r.status, 0, `qmslift demo: ${r.stderr}`);
  srv = await startServer({ db, args: ['--data', data, '--max-upload', String(MAX_UPLOAD)] });
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(u);
  const ents = await cl.city.get(`${API}/enterprises?per_page=200`);
  for (const [k, name] of Object.entries(NAMES)) {
    E[k] = ents.json.items.find((e) => e.name === name)?.id;
    assert.ok(E[k], `demo enterprise ${name} missing`);
  }
  const ds = await cl.city.get(`${API}/diagnoses?per_page=200`);
  assert.equal(ds.status, 200, ds.text);
  const find = (ent, kind, round = 1) => ds.json.items.find((d) => d.enterprise.id === ent && d.kind === kind && d.round === round)?.id;
  D.pujiang = find(E.pujiang, 'onsite');
  D.pujiangSelf = find(E.pujiang, 'self');
  D.jingyao = find(E.jingyao, 'onsite');
  assert.ok(D.pujiang && D.pujiangSelf && D.jingyao, `demo diagnoses: ${JSON.stringify(D)}`);
  const cls = await cl.city.get(`${API}/checklists`);
  const isoId = cls.json.items.find((c) => c.code === 'iso9001-small').id;
  const miniId = cls.json.items.find((c) => c.code === 'test-mini').id;
  ISO = (await cl.city.get(`${API}/checklists/${isoId}`)).json;
  MINI_ID = (await cl.city.get(`${API}/checklists/${miniId}`)).json.sections[0].items[0].id;
  const acts = await cl.city.get(`${API}/actions?per_page=200`);
  assert.equal(acts.status, 200, acts.text);
  for (const [k, v] of Object.entries(DEMO)) {
    A[k] = acts.json.items.find((a) => a.title === v.title)?.id;
    assert.ok(A[k], `demo action ${v.title} missing`);
  }
});
after(async () => {
  await srv?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

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
const itemId = (key) => {
  const it = ISO.sections.flatMap((s) => s.items).find((x) => x.key === key);
  assert.ok(it, `checklist item ${key}`);
  return it.id;
};
async function getAction(c, id) {
  const r = await c.get(`${API}/actions/${id}`);
  assert.equal(r.status, 200, `GET action ${id}: ${r.text}`);
  return r.json;
}
// A list, with the checks every list must pass: items vs total, order by due date, counts.
async function list(c, query = '') {
  const r = await c.get(`${API}/actions?per_page=200${query}`);
  assert.equal(r.status, 200, `list ${query}: ${r.text}`);
  const l = r.json;
  assert.equal(l.items.length, l.total, `list ${query}: items vs total`);
  const due = l.items.map((a) => a.due_date);
  assert.deepEqual(due, [...due].sort(), `list ${query}: ordered by due date`);
  for (const k of ['open', 'in_progress', 'verified', 'closed', 'overdue']) {
    assert.ok(Number.isInteger(l.counts?.[k]), `list ${query}: counts.${k} in ${JSON.stringify(l.counts)}`);
  }
  if (!/status=/.test(query)) {
    assert.equal(l.counts.open + l.counts.in_progress + l.counts.verified + l.counts.closed, l.total,
      `list ${query}: counts by status add up to the total`);
    for (const s of ['open', 'in_progress', 'verified', 'closed']) {
      assert.equal(l.counts[s], l.items.filter((a) => a.status === s).length, `list ${query}: counts.${s}`);
    }
    assert.equal(l.counts.overdue, l.items.filter((a) => a.overdue).length, `list ${query}: counts.overdue`);
  }
  for (const a of l.items) {
    const exp = ['open', 'in_progress'].includes(a.status) && a.due_date < '2021-05-10';
    assert.equal(a.overdue, exp, `action ${a.id} (${a.status}, due ${a.due_date}) overdue`);
  }
  return l;
}
const titles = (l) => l.items.map((a) => a.title).sort();
const post = (c, path, body) => c.post(path, body);
const progress = (c, id, body) => post(c, `${API}/actions/${id}/progress`, body);
const verify = (c, id, body) => post(c, `${API}/actions/${id}/verify`, body);
const close = (c, id) => post(c, `${API}/actions/${id}/close`, {});
const reopen = (c, id, body) => post(c, `${API}/actions/${id}/reopen`, body);
const uploadFile = (c, id, name, body) => c.req('PUT', `${API}/actions/${id}/files?filename=${q(name)}`, body,
  { 'content-type': 'application/octet-stream' });
async function getBytes(c, path) {
  const r = await fetch(srv.base + path, { headers: c?.cookie ? { cookie: c.cookie } : {}, redirect: 'manual' });
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}
function minimalPdf(text = 'calibration certificate') {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 12 Tf 72 770 Td (${text}) Tj ET`;
  objs[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
// A ZIP with one stored entry word/document.xml: what a .docx starts with.
function minimalDocx() {
  const name = Buffer.from('word/document.xml');
  const data = Buffer.from('<w:document/>');
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt32LE(data.length, 18);
  h.writeUInt32LE(data.length, 22);
  h.writeUInt16LE(name.length, 26);
  return new Uint8Array(Buffer.concat([h, name, data]));
}

const PLAN = () => ({
  title: '建立退货原因分析制度', detail: '每批退货填写原因分析表，月度汇总。', method: 'pdca',
  owner: '生产部 陈静', due_date: '2021-06-30', diagnosis_id: D.pujiang, item_id: itemId('10.2-1'),
});

// ---------------------------------------------------------------- the demo plan

test('demo plan: cb1 has overdue and ready actions, counts, order, filters', async () => {
  const all = await list(cl.cb1);
  assert.equal(all.total, 11);
  assert.ok(all.counts.overdue >= 1, 'demo has an overdue action');
  assert.ok(all.counts.ready >= 1, `demo has an action waiting for verification: ${JSON.stringify(all.counts)}`);
  assert.deepEqual({ ...all.counts }, { ...all.counts, open: 3, in_progress: 3, verified: 1, closed: 4, overdue: 1, ready: 1 });
  assert.equal(all.items[0].due_date, '2021-04-10', 'earliest due first');

  const docs = all.items.find((a) => a.id === A.docs);
  assert.equal(docs.overdue, true);
  assert.equal(docs.status_name, '进行中');
  const g = await getAction(cl.cb1, A.gauges);
  assert.equal(g.status, 'verified');
  assert.equal(g.status_name, '已验证');
  assert.equal(g.overdue, false, 'a verified action past its date is not overdue');
  assert.equal(g.enterprise.id, E.pujiang);
  assert.equal(g.enterprise.name, NAMES.pujiang);
  assert.equal(g.cb.name, CB1_NAME);
  assert.equal(g.diagnosis_id, D.pujiang);
  assert.equal(g.item_id, itemId('7.1.5-1'));
  assert.equal(g.item_key, '7.1.5-1');
  assert.equal(g.finding, '出厂检验用的两把卡尺和一台高度规没有校准记录，也没有校准标识。');
  assert.equal(g.method, 'process_control');
  assert.equal(g.method_name, '过程控制');
  assert.deepEqual(g.history.map((h) => h.event), ['create', 'complete', 'verify']);
  const s = await getAction(cl.cb1, A.suppliers);
  assert.equal(s.ready, true);
  assert.equal(s.status, 'in_progress');
  assert.equal(s.progress, 100);

  const over = await list(cl.cb1, '&overdue=true');
  assert.deepEqual(over.items.map((a) => a.id), [A.docs]);
  const week = await list(cl.cb1, '&due=week');
  assert.deepEqual(week.items.map((a) => a.id), [A.audit], 'due 05-14: within 7 days');
  const ready = await list(cl.cb1, '&ready=true');
  assert.deepEqual(ready.items.map((a) => a.id), [A.suppliers]);
  const closed = await list(cl.cb1, '&status=closed');
  assert.equal(closed.total, 4);
  assert.ok(closed.items.every((a) => a.status === 'closed'));
  assert.deepEqual(closed.counts, all.counts, 'counts ignore the status filter');
  assert.equal((await list(cl.cb1, `&enterprise_id=${E.pujiang}`)).total, 6);
  assert.equal((await list(cl.cb1, `&enterprise_id=${E.jingyao}&status=closed`)).total, 3);

  assert.equal((await list(cl.city)).total, 11);
  assert.equal((await list(cl.pudong)).total, 11);
  assert.equal((await list(cl.city, `&district=${q('黄浦区')}`)).total, 0);
  assert.equal((await list(cl.pudong, `&district=${q('黄浦区')}`)).total, 0);
  assert.equal((await list(cl.huangpu)).total, 0);
  assert.equal((await list(cl.cb2)).total, 0);
  const ent = await list(cl.ent1);
  assert.equal(ent.total, 6);
  assert.ok(ent.items.every((a) => a.enterprise.id === E.pujiang));
  assert.equal((await list(cl.ent1, `&enterprise_id=${E.jingyao}`)).total, 0, 'ent1 asking for another enterprise');

  assertError(await cl.cb1.get(`${API}/actions?status=done`), 422, 'invalid', 'status');
  assertError(await cl.cb1.get(`${API}/actions?due=month`), 422, 'invalid', 'due');
  assertError(await cl.cb1.get(`${API}/actions?per_page=500`), 422, 'invalid');
});

// ---------------------------------------------------------------- create

test('create: cb1 links a finding → 201 open; every field rule; who may', async () => {
  const path = `${API}/enterprises/${E.pujiang}/actions`;
  const bad = async (over, field, what) => assertError(await post(cl.cb1, path, { ...PLAN(), ...over }), 422, 'invalid', field, what);
  await bad({ method: 'magic' }, 'method', 'unknown method');
  await bad({ due_date: '2021-13-01' }, 'due_date', 'month 13');
  await bad({ due_date: '2021-06-31' }, 'due_date', 'June 31');
  await bad({ due_date: '30/06/2021' }, 'due_date', 'bad format');
  // A new action is not due before today (2021-05-10); the message names today.
  const past = await post(cl.cb1, path, { ...PLAN(), due_date: '2021-05-09' });
  assertError(past, 422, 'invalid', 'due_date', 'due yesterday');
  assert.equal(past.json.error.message, '完成期限不能早于今天（2021-05-10）');
  await bad({ title: '措'.repeat(101) }, 'title', 'title of 101 characters');
  await bad({ title: '' }, 'title', 'empty title');
  await bad({ title: null }, 'title', 'null title');
  await bad({ owner: undefined }, 'owner', 'missing owner');
  await bad({ owner: '责'.repeat(51) }, 'owner', 'owner of 51 characters');
  await bad({ detail: '细'.repeat(2001) }, 'detail', 'detail of 2,001 characters');
  await bad({ method: undefined }, 'method', 'missing method');
  await bad({ due_date: undefined }, 'due_date', 'missing due date');
  await bad({ diagnosis_id: undefined }, 'diagnosis_id', 'item without diagnosis');
  await bad({ diagnosis_id: D.jingyao, item_id: itemId('8.5-1') }, 'diagnosis_id', 'a diagnosis of another enterprise');
  await bad({ diagnosis_id: D.pujiangSelf }, 'diagnosis_id', 'a self-assessment');
  await bad({ diagnosis_id: 99999 }, 'diagnosis_id', 'unknown diagnosis');
  await bad({ item_id: MINI_ID }, 'item_id', 'an item of another checklist');
  await bad({ item_id: 99999 }, 'item_id', 'an item of no checklist');
  assertError(await post(cl.cb1, path, { ...PLAN(), title: 5 }), 400, 'bad_type', 'title', 'title as a number');
  assertError(await post(cl.cb1, path, { ...PLAN(), item_id: '12' }), 400, 'bad_type', 'item_id', 'item_id as text');
  assertError(await post(cl.cb1, path, { ...PLAN(), priority: 1 }), 400, 'unknown_field', undefined, 'unknown field');
  assertError(await post(cl.cb2, path, PLAN()), 404, 'not_found', undefined, 'cb2 (not assigned)');
  assertError(await post(cl.ent1, path, PLAN()), 403, 'forbidden', undefined, 'the enterprise');
  assertError(await post(cl.pudong, path, PLAN()), 403, 'forbidden', undefined, 'the district');
  assertError(await post(cl.city, path, PLAN()), 403, 'forbidden', undefined, 'the city');
  assertError(await post(cl.cb1, `${API}/enterprises/${E.waitan}/actions`, { ...PLAN(), diagnosis_id: undefined, item_id: undefined }),
    404, 'not_found', undefined, 'cb1 for a Huangpu enterprise');
  assert.equal((await list(cl.cb1, `&enterprise_id=${E.pujiang}`)).total, 6, 'a refused create wrote something');

  const r = await post(cl.cb1, path, PLAN());
  assert.equal(r.status, 201, r.text);
  const a = r.json;
  A.main = a.id;
  assert.equal(a.status, 'open');
  assert.equal(a.status_name, '待开始');
  assert.equal(a.ready, false);
  assert.equal(a.progress, 0);
  assert.equal(a.overdue, false);
  assert.equal(a.version, 1);
  assert.equal(a.title, PLAN().title);
  assert.equal(a.detail, PLAN().detail);
  assert.equal(a.method, 'pdca');
  assert.equal(a.method_name, 'PDCA循环');
  assert.equal(a.owner, '生产部 陈静');
  assert.equal(a.due_date, '2021-06-30');
  assert.equal(a.diagnosis_id, D.pujiang);
  assert.equal(a.item_id, itemId('10.2-1'));
  assert.equal(a.item_key, '10.2-1');
  assert.equal(a.finding, '客户退货只做返工处理，没有分析原因和采取纠正措施。', 'the finding of the linked answer');
  assert.deepEqual(a.enterprise, { ...a.enterprise, id: E.pujiang, name: NAMES.pujiang, district: '浦东新区' });
  assert.equal(a.cb.name, CB1_NAME);
  assert.equal(a.created_by, 'cb1');
  assert.equal(a.closed_at, null);
  assert.deepEqual(a.files, []);
  assert.equal(a.history.length, 1);
  assert.equal(a.history[0].event, 'create');
  assert.equal(a.history[0].username, 'cb1');

  // 100 characters exactly, no diagnosis link, due today
  const t = await post(cl.cb1, path, { title: '措'.repeat(100), method: 'other', owner: '办公室', due_date: '2021-05-10' });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.diagnosis_id, null);
  assert.equal(t.json.item_id, null);
  assert.equal(t.json.finding, null);
  assert.equal(t.json.overdue, false, 'due today is not overdue');
  A.long = t.json.id;
  // the diagnosis alone (no item) is a valid link
  const d = await post(cl.cb1, path, { ...PLAN(), title: '整体改进', item_id: undefined });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.diagnosis_id, D.pujiang);
  assert.equal(d.json.item_id, null);
  A.diagOnly = d.json.id;
});

// ---------------------------------------------------------------- the state machine

test('progress by the enterprise: 40 → in_progress; value rules; who may', async () => {
  const p = `${API}/actions/${A.main}/progress`;
  assertError(await post(cl.ent1, p, { progress: 101 }), 422, 'invalid', 'progress', 'progress 101');
  assertError(await post(cl.ent1, p, { progress: -1 }), 422, 'invalid', 'progress', 'progress -1');
  assertError(await post(cl.ent1, p, { progress: '40' }), 400, 'bad_type', 'progress', 'progress "40"');
  assertError(await post(cl.ent1, p, { note: 'x' }), 422, 'invalid', 'progress', 'missing progress');
  assertError(await post(cl.ent1, p, { progress: 90, done: true }), 422, 'invalid', 'progress', 'done below 100');
  assertError(await post(cl.ent1, p, { progress: 40, done: 'yes' }), 400, 'bad_type', 'done', 'done "yes"');
  assertError(await post(cl.ent1, p, { progress: 40, percent: 4 }), 400, 'unknown_field', undefined, 'unknown field');
  assertError(await post(cl.cb2, p, { progress: 40 }), 404, 'not_found', undefined, 'cb2');
  assertError(await post(cl.huangpu, p, { progress: 40 }), 403, 'forbidden', undefined, 'huangpu (role)');
  assertError(await post(cl.pudong, p, { progress: 40 }), 403, 'forbidden', undefined, 'the district');
  assert.equal((await getAction(cl.cb1, A.main)).status, 'open', 'a refused report changed the action');

  const r = await post(cl.ent1, p, { progress: 40, note: '已完成原因分析表设计' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'in_progress');
  assert.equal(r.json.status_name, '进行中');
  assert.equal(r.json.progress, 40);
  assert.equal(r.json.progress_note, '已完成原因分析表设计');
  assert.equal(r.json.ready, false);
  assert.equal(r.json.version, 2);
});

test('done, close before verification 409, rejection needs a note, verify, close, reopen', async () => {
  const id = A.main;
  const done = await progress(cl.ent1, id, { progress: 100, done: true, note: '制度已发布，4月退货已按新表分析' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.status, 'in_progress');
  assert.equal(done.json.ready, true, 'done asks for verification');
  assert.equal(done.json.progress, 100);
  assert.ok((await list(cl.cb1, '&ready=true')).items.some((a) => a.id === id), 'listed as ready');

  assertError(await close(cl.cb1, id), 409, 'conflict', undefined, 'close before verification');
  assertError(await verify(cl.ent1, id, { effective: true }), 403, 'forbidden', undefined, 'the enterprise verifies');
  assertError(await close(cl.ent1, id), 403, 'forbidden', undefined, 'the enterprise closes');
  assertError(await verify(cl.pudong, id, { effective: true }), 403, 'forbidden', undefined, 'the district verifies');
  assertError(await verify(cl.cb2, id, { effective: true }), 404, 'not_found', undefined, 'cb2 verifies');
  assertError(await verify(cl.cb1, id, { effective: false }), 422, 'invalid', 'note', 'not effective without a note');
  assertError(await verify(cl.cb1, id, { effective: false, note: '  ' }), 422, 'invalid', 'note', 'not effective with a blank note');
  assertError(await verify(cl.cb1, id, { note: '有效' }), 422, 'invalid', 'effective', 'effective missing');
  assertError(await verify(cl.cb1, id, { effective: 'true' }), 400, 'bad_type', 'effective', 'effective "true"');
  assert.equal((await getAction(cl.cb1, id)).ready, true, 'a refused verification changed the action');

  const rej = await verify(cl.cb1, id, { effective: false, note: '抽查发现3月退货未分析，请补充' });
  assert.equal(rej.status, 200, rej.text);
  assert.equal(rej.json.status, 'in_progress');
  assert.equal(rej.json.ready, false, 'rejected: no longer waiting for verification');
  assertError(await verify(cl.cb1, id, { effective: true }), 409, 'conflict', undefined, 'verify while not ready');

  const again = await progress(cl.ent1, id, { progress: 100, done: true, note: '3月退货已补充分析' });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.ready, true);
  const v = await verify(cl.cb1, id, { effective: true, note: '抽查3、4月分析表齐全，有效' });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.status, 'verified');
  assert.equal(v.json.status_name, '已验证');
  assert.equal(v.json.overdue, false);
  assertError(await verify(cl.cb1, id, { effective: true }), 409, 'conflict', undefined, 'verify twice');
  assertError(await progress(cl.ent1, id, { progress: 100 }), 409, 'conflict', undefined, 'progress on a verified action');

  const c = await close(cl.cb1, id);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'closed');
  assert.equal(c.json.status_name, '已关闭');
  assert.equal(typeof c.json.closed_at, 'string');
  const ver = c.json.version;
  assertError(await put(cl.cb1, `${API}/actions/${id}`, { ...PLAN(), version: ver }), 409, 'conflict', undefined, 'update after closed');
  assertError(await progress(cl.ent1, id, { progress: 100 }), 409, 'conflict', undefined, 'progress after closed');
  assertError(await uploadFile(cl.ent1, id, 'late.pdf', minimalPdf()), 409, 'conflict', undefined, 'evidence after closed');
  assertError(await close(cl.cb1, id), 409, 'conflict', undefined, 'close twice');

  assertError(await reopen(cl.cb1, id, {}), 422, 'invalid', undefined, 'reopen without a reason');
  assertError(await reopen(cl.ent1, id, { reason: '再改' }), 403, 'forbidden', undefined, 'the enterprise reopens');
  const ro = await reopen(cl.cb1, id, { reason: '5月又出现同类退货，需继续整改' });
  assert.equal(ro.status, 200, ro.text);
  assert.equal(ro.json.status, 'in_progress');
  assert.equal(ro.json.ready, false);
  assert.equal(ro.json.closed_at, null);
  assert.equal(ro.json.version, ver + 1);
  // reopening an action still being worked on is refused
  assertError(await reopen(cl.cb1, id, { reason: '再次' }), 409, 'conflict', undefined, 'reopen in progress (not ready)');
  assertError(await reopen(cl.cb1, A.audit, { reason: '再次' }), 409, 'conflict', undefined, 'reopen an open action');
});

test('PUT: the plan fields with the version; stale → 409 version_conflict', async () => {
  const id = A.main;
  const cur = await getAction(cl.cb1, id);
  const path = `${API}/actions/${id}`;
  assertError(await put(cl.cb1, path, { ...PLAN(), version: cur.version - 1, title: '旧版本的修改' }), 409, 'version_conflict', undefined, 'stale version');
  assertError(await put(cl.cb1, path, { ...PLAN() }), 422, 'invalid', 'version', 'no version');
  assertError(await put(cl.ent1, path, { ...PLAN(), version: cur.version }), 403, 'forbidden', undefined, 'the enterprise edits');
  assertError(await put(cl.cb2, path, { ...PLAN(), version: cur.version }), 404, 'not_found', undefined, 'cb2 edits');
  assertError(await put(cl.cb1, path, { ...PLAN(), version: cur.version, method: 'x' }), 422, 'invalid', 'method', 'bad method');
  assertError(await put(cl.cb1, path, { ...PLAN(), version: cur.version, item_id: MINI_ID }), 422, 'invalid', 'item_id', 'item of another checklist');
  assert.equal((await getAction(cl.cb1, id)).title, PLAN().title, 'a refused update changed the title');

  const r = await put(cl.cb1, path, { ...PLAN(), version: cur.version, title: '建立退货原因分析和纠正措施制度',
    method: 'qc_tools', due_date: '2021-05-08', item_id: itemId('10.2-1') });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, cur.version + 1);
  assert.equal(r.json.title, '建立退货原因分析和纠正措施制度');
  assert.equal(r.json.method_name, 'QC七种工具');
  assert.equal(r.json.due_date, '2021-05-08');
  assert.equal(r.json.status, 'in_progress', 'editing the plan keeps the status');
  assert.equal(r.json.overdue, true, 'in progress and due 05-08: overdue on 05-10');
  assertError(await put(cl.cb1, path, { ...PLAN(), version: cur.version }), 409, 'version_conflict', undefined, 'the version that was just used');
  // a state change with a stale view is not possible either: versions bump on every change
  assert.ok((await list(cl.cb1, '&overdue=true')).items.some((a) => a.id === id), 'listed as overdue');
});

test('evidence: the enterprise uploads a PDF (listed, downloadable), Word by content, refusals', async () => {
  const id = A.main;
  const pdf = minimalPdf();
  const r = await uploadFile(cl.ent1, id, '退货分析表.pdf', pdf);
  assert.equal(r.status, 201, r.text);
  const f = r.json.files.at(-1);
  assert.equal(f.filename, '退货分析表.pdf');
  assert.equal(f.content_type, 'application/pdf');
  assert.equal(f.size, pdf.length);
  assert.equal(f.uploaded_by, 'ent1');
  assert.equal(typeof f.created_at, 'string');
  const docx = await uploadFile(cl.cb1, id, '验证记录.docx', minimalDocx());
  assert.equal(docx.status, 201, docx.text);
  assert.equal(docx.json.files.at(-1).content_type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.equal(docx.json.files.at(-1).uploaded_by, 'cb1');
  assertError(await uploadFile(cl.ent1, id, 'x.pdf', new Uint8Array(Buffer.from('不是PDF，只是一段文字'))), 415, 'unsupported_media_type', undefined, 'text named x.pdf');
  assertError(await uploadFile(cl.ent1, id, 'empty.pdf', new Uint8Array(0)), 422, 'invalid', undefined, 'empty');
  const big = new Uint8Array(MAX_UPLOAD + 100);
  big.set(pdf.subarray(0, 9));
  let tooBig;
  try {
    tooBig = await uploadFile(cl.ent1, id, 'big.pdf', big);
  } catch (e) {
    assert.fail(`an upload over max-upload must be answered 413: ${e.cause?.code || e.message}`);
  }
  assertError(tooBig, 413, 'body_too_large', undefined, 'over max-upload');
  assertError(await uploadFile(cl.cb2, id, 'x.pdf', pdf), 404, 'not_found', undefined, 'cb2 uploads');
  assertError(await uploadFile(cl.pudong, id, 'x.pdf', pdf), 403, 'forbidden', undefined, 'the district uploads');

  const a = await getAction(cl.ent1, id);
  assert.equal(a.files.length, 2, 'only the accepted files are listed');
  const g = await getBytes(cl.pudong, `${API}/actions/${id}/files/${f.id}`);
  assert.equal(g.status, 200);
  assert.ok(Buffer.from(pdf).equals(g.buf), 'PDF bytes differ');
  assert.match(g.headers.get('content-type') || '', /^application\/pdf/);
  assert.equal((await getBytes(cl.cb2, `${API}/actions/${id}/files/${f.id}`)).status, 404, 'cb2 download');
  assert.equal((await getBytes(cl.huangpu, `${API}/actions/${id}/files/${f.id}`)).status, 404, 'huangpu download');
  assert.equal((await getBytes(cl.cb1, `${API}/actions/${A.gauges}/files/${f.id}`)).status, 404, 'a file through another action');
});

test('history: every change in order, with who and the progress', async () => {
  const a = await getAction(cl.ent1, A.main);
  const h = a.history.map((e) => [e.event, e.username, e.progress]);
  assert.deepEqual(h, [
    ['create', 'cb1', 0],
    ['progress', 'ent1', 40],
    ['complete', 'ent1', 100],
    ['reject', 'cb1', null],
    ['complete', 'ent1', 100],
    ['verify', 'cb1', null],
    ['close', 'cb1', null],
    ['reopen', 'cb1', null],
    ['update', 'cb1', null],
    ['evidence', 'ent1', null],
    ['evidence', 'cb1', null],
  ]);
  assert.equal(a.history[1].note, '已完成原因分析表设计');
  assert.equal(a.history[3].note, '抽查发现3月退货未分析，请补充');
  assert.equal(a.history[5].note, '抽查3、4月分析表齐全，有效');
  assert.equal(a.history[7].note, '5月又出现同类退货，需继续整改');
  assert.equal(a.history[9].note, '退货分析表.pdf');
  for (const e of a.history) assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // the audit log has the changes too
  const log = await cl.city.get(`${API}/audit-log?per_page=200&username=cb1`);
  assert.equal(log.status, 200, log.text);
  const mine = log.json.items.filter((x) => x.object_type === 'action' && x.object_id === A.main).map((x) => x.action);
  for (const act of ['action.create', 'action.verify', 'action.close', 'action.reopen', 'action.update']) {
    assert.ok(mine.includes(act), `audit ${act}: ${mine.join(', ')}`);
  }
});

// ---------------------------------------------------------------- filters

test('filters: due within a week (inclusive), overdue, ready, status, with counts', async () => {
  const path = `${API}/enterprises/${E.ruiji}/actions`;
  const mk = async (title, due) => {
    const r = await post(cl.cb1, path, { title, method: 'training', owner: '质量部', due_date: due });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  A.today = await mk('今天到期', '2021-05-10');
  A.day7 = await mk('第七天到期', '2021-05-17');
  A.day8 = await mk('第八天到期', '2021-05-18');
  // A new action cannot be due in the past: agreed for later, then moved back a day.
  A.yesterday = await mk('昨天到期', '2021-05-20');
  const moved = await put(cl.cb1, `${API}/actions/${A.yesterday}`,
    { title: '昨天到期', method: 'training', owner: '质量部', due_date: '2021-05-09', version: 1 });
  assert.equal(moved.status, 200, moved.text);
  const ent = `&enterprise_id=${E.ruiji}`;
  const all = await list(cl.cb1, ent);
  assert.equal(all.total, 4);
  assert.deepEqual(all.items.map((a) => a.id), [A.yesterday, A.today, A.day7, A.day8], 'ordered by due date');
  assert.deepEqual({ ...all.counts }, { ...all.counts, open: 4, in_progress: 0, verified: 0, closed: 0, overdue: 1 });
  const week = await list(cl.cb1, `${ent}&due=week`);
  assert.deepEqual(week.items.map((a) => a.id), [A.today, A.day7], 'due today … today + 7');
  assert.equal(week.counts.overdue, 0);
  assert.equal(week.counts.open, 2);
  const over = await list(cl.cb1, `${ent}&overdue=true`);
  assert.deepEqual(over.items.map((a) => a.id), [A.yesterday]);
  assert.equal(over.counts.overdue, 1);

  // the body may report progress too; verified and closed actions leave the week and overdue lists
  for (const id of [A.today, A.yesterday]) {
    const d = await progress(cl.cb1, id, { progress: 100, done: true, note: '现场确认已完成' });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.ready, true);
  }
  assert.deepEqual((await list(cl.cb1, `${ent}&ready=true`)).items.map((a) => a.id), [A.yesterday, A.today]);
  assert.equal((await verify(cl.cb1, A.today, { effective: true })).status, 200);
  assert.equal((await verify(cl.cb1, A.yesterday, { effective: true })).status, 200);
  assert.equal((await close(cl.cb1, A.yesterday)).status, 200);
  assert.deepEqual((await list(cl.cb1, `${ent}&due=week`)).items.map((a) => a.id), [A.day7]);
  assert.equal((await list(cl.cb1, `${ent}&overdue=true`)).total, 0);
  assert.equal((await list(cl.cb1, `${ent}&ready=true`)).total, 0);
  const after = await list(cl.cb1, ent);
  assert.deepEqual({ ...after.counts }, { ...after.counts, open: 2, in_progress: 0, verified: 1, closed: 1, overdue: 0 });
  const v = await list(cl.cb1, `${ent}&status=verified`);
  assert.deepEqual(v.items.map((a) => a.id), [A.today]);
  assert.deepEqual(v.counts, after.counts, 'counts ignore the status filter');
  const open = await list(cl.cb1, `${ent}&status=open`);
  assert.deepEqual(open.items.map((a) => a.id), [A.day7, A.day8]);

  // the whole of cb1's plan still adds up
  await list(cl.cb1);
  await list(cl.city, `&district=${q('浦东新区')}`);
});

// ---------------------------------------------------------------- scope

test('scope: ent1 its own only, huangpu and cb2 nothing (404), the district reads', async () => {
  const own = await getAction(cl.ent1, A.main);
  assert.equal(own.enterprise.id, E.pujiang);
  for (const id of [A.today, A.day7]) assertError(await cl.ent1.get(`${API}/actions/${id}`), 404, 'not_found', undefined, 'ent1 another enterprise');
  const jy = (await list(cl.city, `&enterprise_id=${E.jingyao}`)).items[0].id;
  assertError(await cl.ent1.get(`${API}/actions/${jy}`), 404, 'not_found', undefined, 'ent1 晶曜');
  assertError(await progress(cl.ent1, A.day7, { progress: 10 }), 404, 'not_found', undefined, 'ent1 reports on another enterprise');
  for (const u of ['huangpu', 'cb2']) {
    for (const id of [A.main, A.docs, A.day7]) assertError(await cl[u].get(`${API}/actions/${id}`), 404, 'not_found', undefined, `${u} GET`);
    assert.equal((await list(cl[u])).total, 0, `${u} list`);
  }
  assertError(await reopen(cl.cb2, A.main, { reason: 'x' }), 404, 'not_found', undefined, 'cb2 reopens');
  assertError(await close(cl.cb2, A.gauges), 404, 'not_found', undefined, 'cb2 closes');
  assert.equal((await cl.pudong.get(`${API}/actions/${A.main}`)).status, 200);
  assert.equal((await cl.city.get(`${API}/actions/${A.main}`)).status, 200);
  assertError(await close(cl.pudong, A.gauges), 403, 'forbidden', undefined, 'the district closes');
  assertError(await cl.city.get(`${API}/actions/99999`), 404, 'not_found');
  // ent1's list: its 6 demo actions and the 3 made here
  const ent = await list(cl.ent1);
  assert.equal(ent.total, 9);
  assert.ok(ent.items.every((a) => a.enterprise.id === E.pujiang));
  assert.equal((await list(cl.cb1)).total, 18);
  assert.equal((await list(cl.pudong)).total, 18);
});

test('the demo action waiting for verification can be verified and closed by cb1', async () => {
  const v = await verify(cl.cb1, A.suppliers, { effective: true, note: '名录已批准，评价记录齐全' });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.status, 'verified');
  const c = await close(cl.cb1, A.suppliers);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'closed');
  // the demo verified action closes too; the demo overdue one cannot be closed
  assert.equal((await close(cl.cb1, A.gauges)).status, 200);
  assertError(await close(cl.cb1, A.docs), 409, 'conflict', undefined, 'close an action in progress');
  const all = await list(cl.cb1, `&enterprise_id=${E.pujiang}`);
  assert.equal(all.counts.ready, 0);
  assert.equal(all.counts.overdue, 2, 'the demo 作业指导书 and the re-dated main action');
});

test('notes: the 2,000-character limit counts characters, also 4-byte ones', async () => {
  const p = `${API}/actions/${A.long}/progress`;
  assertError(await post(cl.cb1, p, { progress: 10, note: '进'.repeat(2001) }), 422, 'invalid', 'note', 'note of 2,001 characters');
  const ok = await post(cl.cb1, p, { progress: 10, note: '进'.repeat(2000) });
  assert.equal(ok.status, 200, `2,000 CJK characters: ${ok.text.slice(0, 200)}`);
  const ext = '𠀀'.repeat(2000); // CJK Extension B: one character, 4 bytes in UTF-8
  const r = await post(cl.cb1, p, { progress: 20, note: ext });
  assert.equal(r.status, 200, `a note of 2,000 characters of CJK Extension B (8,000 bytes) must be accepted: ${r.status} ${r.text.slice(0, 200)}`);
  assert.equal(r.json.progress_note, ext);
});

// docs/api.md: actions are seen "as for diagnoses" (the body assigned to the enterprise) and
// changed by the "assigned body"; once the district removes the assignment, the body that
// wrote the plan no longer sees the enterprise, nor its actions.
test('scope follows the assignment: a body no longer assigned gets 404', async () => {
  const un = await put(cl.pudong, `${API}/enterprises/${E.ruiji}/assignment`, { cb_unit_id: null });
  assert.equal(un.status, 200, un.text);
  assertError(await cl.cb1.get(`${API}/enterprises/${E.ruiji}`), 404, 'not_found', undefined, 'cb1 on the enterprise');
  assertError(await post(cl.cb1, `${API}/enterprises/${E.ruiji}/actions`, { title: '新措施', method: 'other', owner: '质量部', due_date: '2021-06-01' }),
    404, 'not_found', undefined, 'cb1 creates for an enterprise no longer assigned');
  assert.equal((await cl.pudong.get(`${API}/actions?enterprise_id=${E.ruiji}`)).json.total, 4, 'the district still sees the plan');
  assert.equal((await list(cl.cb1, `&enterprise_id=${E.ruiji}`)).total, 0, 'cb1 still lists the actions of an enterprise no longer assigned to it');
  assertError(await cl.cb1.get(`${API}/actions/${A.day7}`), 404, 'not_found', undefined, 'cb1 GET an action of an enterprise no longer assigned');
  const cur = await getAction(cl.pudong, A.day7);
  assertError(await put(cl.cb1, `${API}/actions/${A.day7}`, { title: '改', method: 'other', owner: '质量部', due_date: '2021-06-01', version: cur.version }),
    404, 'not_found', undefined, 'cb1 edits an action of an enterprise no longer assigned');
});
