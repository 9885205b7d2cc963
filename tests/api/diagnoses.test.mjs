// Diagnosis 问题诊断 · self-assessment 自我评价 · re-assessment 再评估 (docs/api.md): the
// checklists, the demo diagnoses per scope, an on-site diagnosis of an enterprise that has
// none (creation rules, answers one by one with their versions, the scores per clause and
// overall computed here from what was sent, evidence files, submission and the lock), the
// PDF report, the data scope of every role, a re-assessment (round 2 with `previous`), the
// enterprise's self-assessment and the `self` block, and the before/after improvement view.
// Tests run in order and share one server: the demo data (simulated date 2021-05-10) plus a
// second, tiny checklist (code test-mini) loaded from a copy of data/, so that "an item of
// another checklist" can be tried; uploads are limited to 4 KiB (--max-upload).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { startServer, Client, ROOT, BIN, newDatabase } from '../lib/server.mjs';

const API = '/api/v1';
const MAX_UPLOAD = 4096;
const CB1_NAME = '沪联质量认证中心（演示）';
const NAMES = {
  pujiang: '上海浦江精密电子有限公司（演示）', // ent1; demo: self-assessment + on-site round 1, both submitted
  xintu: '上海芯途微电子有限公司（演示）', // demo: on-site draft, 25 answers
  jingyao: '上海晶曜封装测试有限公司（演示）', // demo: on-site round 1 and round 2, indicators followup
  weilian: '上海微链芯片设计有限公司（演示）',
  ruice: '上海锐测半导体设备有限公司（演示）',
  kangyuan: '上海康源生物科技有限公司（演示）',
  ruiji: '上海瑞济医疗器械有限公司（演示）', // no diagnosis in the demo
  baicheng: '上海百澄检测技术有限公司（演示）', // no diagnosis in the demo
  waitan: '上海外滩时尚服饰有限公司（演示）', // 黄浦区, not assigned to cb1
};

// A second checklist (another code), three items: its item ids belong to no ISO diagnosis.
const MINI = {
  code: 'test-mini', version: 1, title: '测试用小检查表', standard: 'GB/T 19001-2016 / ISO 9001:2015',
  scale: [1, 2, 3, 4, 5].map((level) => ({ level, label: `等级${level}`, description: `第${level}级说明` })),
  sections: [
    { clause: '4', title: '组织环境', items: [
      { key: 'm4-1', clause: '4.1', title: '测试项一', text: '测试检查内容一？' },
      { key: 'm4-2', clause: '4.2', title: '测试项二', text: '测试检查内容二？', hint: '提示' },
    ] },
    { clause: '5', title: '领导作用', items: [{ key: 'm5-1', clause: '5.1', title: '测试项三', text: '测试检查内容三？' }] },
  ],
};

let srv;
let tmp;
const cl = {}; // logged-in clients by username (cb1b: a second session of cb1)
const E = {}; // enterprise ids by short name
const D = {}; // diagnosis ids: demo ones and those made here
const F = {}; // evidence file ids
let ISO; // the full ISO checklist (GET /checklists/{id})
let MINI_CL; // the test-mini checklist
let ITEMS; // ISO items in order, each with its section clause: {id, key, clause, section}
const BASE = {}; // lists taken before this file changes anything

async function login(username) {
  const c = new Client(srv.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-diag-'));
  const data = join(tmp, 'data');
  cpSync(join(ROOT, 'data'), data, { recursive: true });
  writeFileSync(join(data, 'checklists', 'test-mini-v1.json'), JSON.stringify(MINI));
  const db = newDatabase(tmp);
  const r = spawnSync(BIN, ['demo', '--db', db, '--data', data, '--today', '2021-05-10'],
    { cwd: ROOT, env: { ...process.env, QMSLIFT_PWHASH: 'min' }, encoding: 'utf8' });
  assert.equal(r.status, 0, `qmslift demo: ${r.stderr}`);
  srv = await startServer({ db, args: ['--data', data, '--max-upload', String(MAX_UPLOAD)] });
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(u);
  cl.cb1b = await login('cb1');
  const ents = await cl.city.get(`${API}/enterprises?per_page=200`);
  assert.equal(ents.status, 200, ents.text);
  for (const [k, name] of Object.entries(NAMES)) {
    E[k] = ents.json.items.find((e) => e.name === name)?.id;
    assert.ok(E[k], `demo enterprise ${name} missing`);
  }
  const me = await cl.ent1.get(`${API}/me`);
  assert.equal(me.json.user.enterprise.id, E.pujiang, 'ent1 is not 浦江精密电子');
  const list = await cl.city.get(`${API}/checklists`);
  assert.equal(list.status, 200, list.text);
  const isoId = list.json.items.find((c) => c.code === 'iso9001-small')?.id;
  const miniId = list.json.items.find((c) => c.code === 'test-mini')?.id;
  assert.ok(isoId && miniId, `checklists: ${list.text}`);
  ISO = (await cl.cb1.get(`${API}/checklists/${isoId}`)).json;
  MINI_CL = (await cl.cb1.get(`${API}/checklists/${miniId}`)).json;
  ITEMS = ISO.sections.flatMap((s) => s.items.map((it) => ({ ...it, section: s.clause })));
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
const del = (c, path) => c.req('DELETE', path);
const q = (s) => encodeURIComponent(s);
const item = (key) => {
  const it = ITEMS.find((x) => x.key === key);
  assert.ok(it, `checklist item ${key} missing`);
  return it;
};
const sectionItems = (clause) => ISO.sections.find((s) => s.clause === clause).items;

async function getDiag(c, id) {
  const r = await c.get(`${API}/diagnoses/${id}`);
  assert.equal(r.status, 200, `GET diagnosis ${id}: ${r.text}`);
  return r.json;
}
async function list(c, query = '') {
  const r = await c.get(`${API}/diagnoses?per_page=200${query}`);
  assert.equal(r.status, 200, `list ${query}: ${r.text}`);
  assert.equal(r.json.items.length, r.json.total, `list ${query}: items vs total`);
  return r.json;
}
function answer(c, id, itemId, body) {
  return put(c, `${API}/diagnoses/${id}/answers/${itemId}`, body);
}
async function answerOk(c, id, itemId, body, what = '') {
  const r = await answer(c, id, itemId, body);
  assert.equal(r.status, 200, `${what} answer ${itemId}: ${r.text}`);
  return r.json;
}
// Answer every unanswered item of a diagnosis with scores from pick(item, index).
async function answerAll(c, id, pick) {
  const d = await getDiag(c, id);
  const done = new Set(d.answers.map((a) => a.item_id));
  let last;
  for (const [i, it] of ITEMS.entries()) {
    if (done.has(it.id)) continue;
    last = await answerOk(c, id, it.id, { score: pick(it, i) }, 'answer all');
  }
  return last;
}

// Expected scores from answers (item_id → {score, na}), with exact integer arithmetic:
// clause = mean of its scores, halves up to one decimal; overall = mean of the unrounded
// clause means of the clauses with a score, rounded the same way.
function gcd(a, b) { return b ? gcd(b, a % b) : a; }
function expectedScores(checklist, answers) {
  const secs = [];
  const means = []; // [sum, scored]
  for (const s of checklist.sections) {
    let items = 0, answered = 0, na = 0, scored = 0, sum = 0;
    for (const it of s.items) {
      items++;
      const a = answers.get(it.id);
      if (!a) continue;
      if (a.na) { answered++; na++; } else if (a.score >= 1 && a.score <= 5) { answered++; scored++; sum += a.score; }
    }
    const score = scored ? Math.floor((20 * sum + scored) / (2 * scored)) / 10 : null;
    if (scored) means.push([sum, scored]);
    secs.push({ clause: s.clause, title: s.title, items, answered, na, score });
  }
  let overall = null;
  if (means.length) {
    const l = means.reduce((acc, [, n]) => acc * n / gcd(acc, n), 1);
    const num = means.reduce((acc, [s, n]) => acc + s * (l / n), 0);
    const den = l * means.length;
    overall = Math.floor((20 * num + den) / (2 * den)) / 10;
  }
  return { overall, sections: secs };
}
const answerMap = (answers) => new Map(answers.map((a) => [a.item_id, { score: a.score, na: a.na }]));

// Raw bytes of a GET (Client.req decodes as text, which would corrupt binaries).
async function getBytes(c, path) {
  const h = {};
  if (c?.cookie) h.cookie = c.cookie;
  const r = await fetch(srv.base + path, { headers: h, redirect: 'manual' });
  const buf = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* binary */ }
  return { status: r.status, headers: r.headers, buf, json, text: buf.toString('utf8', 0, 500) };
}
function pdfText(buf, name) {
  const f = join(tmp, name);
  writeFileSync(f, buf);
  const t = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  return t.stdout.replace(/\s+/g, '');
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function minimalPng() { // a real 1×1 white pixel
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]));
}
function minimalJpeg() { // SOI + JFIF APP0 + EOI
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01,
    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
}
function minimalPdf(text = 'qmslift evidence') {
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
const upload = (c, id, query, body) => c.req('PUT', `${API}/diagnoses/${id}/files?${query}`, body,
  { 'content-type': 'application/octet-stream' });

// ---------------------------------------------------------------- checklists

test('checklists: list, the ISO checklist with its scale, sections 4–10 and item ids', async () => {
  const r = await cl.ent1.get(`${API}/checklists`);
  assert.equal(r.status, 200, r.text);
  const iso = r.json.items.find((c) => c.code === 'iso9001-small');
  assert.deepEqual(iso, { id: ISO.id, code: 'iso9001-small', version: 1, title: '小微企业质量管理体系诊断检查表',
    standard: 'GB/T 19001-2016 / ISO 9001:2015', items: 59 });
  assert.equal(r.json.items.find((c) => c.code === 'test-mini').items, 3);

  assert.equal(ISO.code, 'iso9001-small');
  assert.equal(ISO.version, 1);
  assert.equal(ISO.title, '小微企业质量管理体系诊断检查表');
  assert.deepEqual(ISO.scale.map((s) => s.level), [1, 2, 3, 4, 5]);
  assert.deepEqual(ISO.scale.map((s) => s.label), ['缺失', '初步', '基本规范', '有效运行', '持续改进']);
  assert.ok(ISO.scale.every((s) => typeof s.description === 'string' && s.description.length > 0));
  assert.deepEqual(ISO.sections.map((s) => s.clause), ['4', '5', '6', '7', '8', '9', '10']);
  assert.deepEqual(ISO.sections.map((s) => s.title), ['组织环境', '领导作用', '策划', '支持', '运行', '绩效评价', '改进']);
  assert.deepEqual(ISO.sections.map((s) => s.items.length), [6, 6, 5, 14, 15, 8, 5]);
  assert.equal(ITEMS.length, 59);
  assert.deepEqual(ITEMS[0], { ...ITEMS[0], key: '4.1-1', clause: '4.1', title: '理解组织及其环境', section: '4' });
  const ids = new Set();
  for (const it of ITEMS) {
    assert.ok(Number.isInteger(it.id) && it.id > 0, `item ${it.key} id ${it.id}`);
    ids.add(it.id);
    assert.ok(it.clause === it.section || it.clause.startsWith(`${it.section}.`), `item ${it.key} clause ${it.clause} in ${it.section}`);
    assert.ok(it.title && it.text, `item ${it.key} title/text`);
  }
  assert.equal(ids.size, 59, 'item ids are unique');
  for (const it of MINI_CL.sections.flatMap((s) => s.items)) assert.ok(!ids.has(it.id), 'mini items have their own ids');

  assertError(await cl.cb1.get(`${API}/checklists/99999`), 404, 'not_found');
  const anon = await new Client(srv.base).get(`${API}/checklists`);
  assert.equal(anon.status, 401, anon.text);
});

// ---------------------------------------------------------------- the demo data per scope

test('demo diagnoses: lists per scope, filters, newest first, no answers in the list', async () => {
  const city = await list(cl.city);
  assert.equal(city.total, 8, `city: ${city.items.map((d) => d.enterprise.name + d.kind).join(', ')}`);
  const visits = city.items.map((d) => d.visit_date);
  assert.deepEqual(visits, [...visits].sort().reverse(), 'newest first');
  assert.equal(city.items[0].enterprise.id, E.xintu);
  assert.equal(city.items[0].status, 'draft');
  assert.deepEqual(city.items[0].progress, { items: 59, answered: 25 });
  for (const d of city.items) {
    for (const k of ['answers', 'files', 'self']) assert.ok(!(k in d), `list item has ${k}`);
  }
  for (const d of city.items) {
    const key = Object.keys(E).find((k) => E[k] === d.enterprise.id);
    D[`${key}_${d.kind}${d.kind === 'onsite' ? d.round : ''}`] = d.id;
  }
  assert.ok(D.pujiang_self && D.pujiang_onsite1 && D.jingyao_onsite1 && D.jingyao_onsite2 && D.xintu_onsite1, JSON.stringify(D));

  const r2 = city.items.find((d) => d.id === D.jingyao_onsite2);
  assert.equal(r2.round, 2);
  assert.equal(r2.visit_date, '2021-05-06');
  assert.equal(r2.status, 'submitted');
  assert.equal(r2.status_name, '已提交');
  assert.equal(r2.cb.name, CB1_NAME);
  assert.equal(typeof r2.scores?.overall, 'number', 'a submitted diagnosis lists its scores');
  assert.equal(r2.scores.sections.length, 7);
  const r2full = await getDiag(cl.city, D.jingyao_onsite2);
  assert.equal(r2full.previous?.diagnosis_id, D.jingyao_onsite1, 'a demo re-assessment points to round 1');
  assert.equal(r2full.previous.round, 1);
  assert.equal(r2full.self, null, '晶曜 has no self-assessment');

  assert.equal((await list(cl.pudong)).total, 8);
  assert.equal((await list(cl.cb1)).total, 8, 'cb1: its 7 on-site diagnoses and the submitted self-assessment');
  assert.equal((await list(cl.cb2)).total, 0);
  assert.equal((await list(cl.huangpu)).total, 0);
  const ent = await list(cl.ent1);
  assert.deepEqual(ent.items.map((d) => d.id).sort(), [D.pujiang_self, D.pujiang_onsite1].sort());

  assert.equal((await list(cl.cb1, '&kind=self')).total, 1);
  assert.equal((await list(cl.cb1, '&status=draft')).total, 1);
  assert.equal((await list(cl.cb1, '&status=submitted&kind=onsite')).total, 6);
  assert.equal((await list(cl.city, `&q=${q('晶曜')}`)).total, 2);
  assert.equal((await list(cl.city, `&enterprise_id=${E.jingyao}`)).total, 2);
  assert.equal((await list(cl.city, `&district=${q('黄浦区')}`)).total, 0);
  assert.equal((await list(cl.city, `&district=${q('浦东新区')}`)).total, 8);
  assert.equal((await list(cl.pudong, `&district=${q('黄浦区')}`)).total, 0, 'a district asking for another district');
  assert.equal((await list(cl.ent1, `&enterprise_id=${E.jingyao}`)).total, 0, 'ent1 asking for another enterprise');
  assertError(await cl.city.get(`${API}/diagnoses?kind=visit`), 422, 'invalid', 'kind');
  assertError(await cl.city.get(`${API}/diagnoses?status=done`), 422, 'invalid', 'status');
  assertError(await cl.city.get(`${API}/diagnoses?per_page=0`), 422, 'invalid');
  const p = await cl.city.get(`${API}/diagnoses?per_page=3&page=2`);
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.json.items.map((d) => d.id), city.items.slice(3, 6).map((d) => d.id));
  assert.equal(p.json.total, 8);
  BASE.city = city;
});

test('demo scores: the stored scores equal the scores computed from the answers', async () => {
  for (const key of ['pujiang_onsite1', 'jingyao_onsite1', 'jingyao_onsite2', 'pujiang_self']) {
    const d = await getDiag(cl.city, D[key]);
    assert.equal(d.answers.length, 59, key);
    const exp = expectedScores(ISO, answerMap(d.answers));
    assert.deepEqual(d.scores, exp, `${key} scores`);
    const listed = BASE.city.items.find((x) => x.id === d.id);
    assert.deepEqual(listed.scores, exp, `${key} scores in the list`);
  }
  // the demo na item (8.3-1) of 浦江's diagnosis is excluded
  const d = await getDiag(cl.city, D.pujiang_onsite1);
  const na = d.answers.find((a) => a.item_id === item('8.3-1').id);
  assert.equal(na.na, true);
  assert.equal(na.score, null);
  assert.equal(d.scores.sections.find((s) => s.clause === '8').na, 1);
  const f = d.answers.find((a) => a.item_id === item('7.1.5-1').id);
  assert.equal(f.kind, 'pain');
  assert.equal(f.kind_name, '痛点');
  assert.equal(f.score, 1);
});

// ---------------------------------------------------------------- creating an on-site diagnosis

const ONSITE = { kind: 'onsite', visit_date: '2021-05-10', team: '王强（组长）、刘敏' };

test('create on-site: who may, field rules, then 201 with an empty diagnosis', async () => {
  const path = `${API}/enterprises/${E.ruiji}/diagnoses`;
  assert.equal((await list(cl.city, `&enterprise_id=${E.ruiji}`)).total, 0, '瑞济 has no diagnosis in the demo');
  assertError(await cl.cb2.post(path, ONSITE), 404, 'not_found', undefined, 'cb2 (not assigned)');
  assertError(await cl.pudong.post(path, ONSITE), 403, 'forbidden', undefined, 'district officer');
  assertError(await cl.city.post(path, ONSITE), 403, 'forbidden', undefined, 'city');
  assertError(await cl.ent1.post(path, ONSITE), 404, 'not_found', undefined, 'ent1 for another enterprise');
  assertError(await cl.ent1.post(`${API}/enterprises/${E.pujiang}/diagnoses`, ONSITE), 403, 'forbidden', undefined, 'ent1 on-site for itself');
  assertError(await cl.cb1.post(`${API}/enterprises/${E.waitan}/diagnoses`, ONSITE), 404, 'not_found', undefined, 'cb1 for a Huangpu enterprise');
  assertError(await cl.cb1.post(`${API}/enterprises/99999/diagnoses`, ONSITE), 404, 'not_found', undefined, 'unknown enterprise');

  assertError(await cl.cb1.post(path, { ...ONSITE, visit_date: '2021-05-11' }), 422, 'invalid', 'visit_date', 'visit tomorrow');
  assertError(await cl.cb1.post(path, { ...ONSITE, visit_date: '2021-02-30' }), 422, 'invalid', 'visit_date', 'no such day');
  assertError(await cl.cb1.post(path, { ...ONSITE, visit_date: '2021/05/01' }), 422, 'invalid', 'visit_date', 'bad format');
  assertError(await cl.cb1.post(path, { kind: 'onsite', visit_date: '2021-05-10' }), 422, 'invalid', 'team', 'missing team');
  assertError(await cl.cb1.post(path, { ...ONSITE, team: '  ' }), 422, 'invalid', 'team', 'blank team');
  assertError(await cl.cb1.post(path, { ...ONSITE, team: null }), 422, 'invalid', 'team', 'null team');
  assertError(await cl.cb1.post(path, { ...ONSITE, kind: 'audit' }), 422, 'invalid', 'kind', 'unknown kind');
  assertError(await cl.cb1.post(path, { ...ONSITE, checklist_id: 99999 }), 422, 'invalid', 'checklist_id', 'unknown checklist');
  assertError(await cl.cb1.post(path, { ...ONSITE, team: 12 }), 400, 'bad_type', 'team', 'team as a number');
  assertError(await cl.cb1.post(path, { ...ONSITE, auditor: 'x' }), 400, 'unknown_field', undefined, 'unknown field');
  assertError(await cl.cb1.post(path, { ...ONSITE, kind: 'self' }), 403, 'forbidden', undefined, 'cb1 creating a self-assessment');
  assert.equal((await list(cl.city, `&enterprise_id=${E.ruiji}`)).total, 0, 'a refused create wrote something');

  const r = await cl.cb1.post(path, ONSITE);
  assert.equal(r.status, 201, r.text);
  const d = r.json;
  D.ruiji = d.id;
  assert.deepEqual(d.enterprise, { id: E.ruiji, name: NAMES.ruiji, uscc: '91310115Y8GAMBRCNB', district: '浦东新区', industry: '生物医药' });
  assert.equal(d.cb.name, CB1_NAME);
  assert.equal(d.kind, 'onsite');
  assert.equal(d.kind_name, '现场诊断');
  assert.equal(d.round, 1);
  assert.equal(d.checklist_id, ISO.id, 'defaults to the newest iso9001-small');
  assert.equal(d.visit_date, '2021-05-10');
  assert.equal(d.team, ONSITE.team);
  assert.equal(d.summary, '');
  assert.equal(d.status, 'draft');
  assert.equal(d.status_name, '草稿');
  assert.equal(d.submitted_at, null);
  assert.equal(d.created_by, 'cb1');
  assert.deepEqual(d.progress, { items: 59, answered: 0 });
  assert.equal(d.scores.overall, null);
  assert.deepEqual(d.scores.sections, expectedScores(ISO, new Map()).sections);
  assert.deepEqual(d.answers, []);
  assert.deepEqual(d.files, []);
  assert.equal(d.self, null);
  assert.equal(d.previous, null);

  assertError(await cl.cb1.post(path, ONSITE), 409, 'conflict', undefined, 'a second draft');
  assertError(await cl.cb1.post(`${API}/enterprises/${E.xintu}/diagnoses`, ONSITE), 409, 'conflict', undefined, '芯途 has a demo draft');
  assert.equal((await list(cl.city, `&enterprise_id=${E.ruiji}`)).total, 1);
});

test('update the header: author unit only, date rule', async () => {
  const path = `${API}/diagnoses/${D.ruiji}`;
  assertError(await put(cl.cb2, path, { summary: 'x' }), 404, 'not_found', undefined, 'cb2');
  assertError(await put(cl.pudong, path, { summary: 'x' }), 403, 'forbidden', undefined, 'district');
  assertError(await put(cl.cb1, path, { visit_date: '2021-06-01' }), 422, 'invalid', 'visit_date');
  assertError(await put(cl.cb1, path, { remark: 'x' }), 400, 'unknown_field');
  const r = await put(cl.cb1, path, { visit_date: '2021-05-09', summary: '生产过程控制基本规范，文件和记录需加强。' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.visit_date, '2021-05-09');
  assert.equal(r.json.team, ONSITE.team, 'a field not sent is kept');
  assert.equal(r.json.summary, '生产过程控制基本规范，文件和记录需加强。');
  const g = await getDiag(cl.pudong, D.ruiji);
  assert.equal(g.visit_date, '2021-05-09');
});

test('team: the limit the server states (200 characters) holds for Chinese names too', async () => {
  const path = `${API}/diagnoses/${D.ruiji}`;
  const over = await put(cl.cb1, path, { team: '组'.repeat(201) });
  assertError(over, 422, 'invalid', 'team', 'team of 201 characters');
  assert.match(over.json.error.message, /200/, 'the message states the limit');
  const r = await put(cl.cb1, path, { team: '组'.repeat(200) });
  assert.equal(r.status, 200, `a team of exactly 200 Chinese characters (600 bytes) is refused: ${r.text}`);
  const back = await put(cl.cb1, path, { team: ONSITE.team });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.team, ONSITE.team);
});

// ---------------------------------------------------------------- answers and scores

// Clause 4 (6 items): 2, 2, 2, 3, n/a, unanswered → 9/4 = 2.25 → 2.3 (half up)
// Clause 5 (6 items): 1, 1, 1, 1, 1, 2 → 7/6 = 1.1667 → 1.2
// Clause 6: one item n/a only → score null, left out of the overall
// overall = (2.25 + 1.1667) / 2 = 1.7083 → 1.7 (the mean of the rounded means would be 1.8)
const FINDING = '出厂检验记录不全，部分批次没有检验员签字，不合格品未隔离存放。';
let sent; // item_id → {score, na}

test('answers: saved one by one, progress and scores computed as documented', async () => {
  const s4 = sectionItems('4'), s5 = sectionItems('5'), s6 = sectionItems('6');
  const plan = [
    [s4[0], { score: 2, finding: FINDING, kind: 'pain' }],
    [s4[1], { score: 2, kind: 'blockage', finding: '质量方针未传达到员工。' }],
    [s4[2], { score: 2 }],
    [s4[3], { score: 3, na: false, version: 0 }],
    [s4[4], { na: true, finding: '无外包过程' }],
    ...s5.map((it, i) => [it, { score: i === 5 ? 2 : 1, kind: i === 0 ? 'difficulty' : '' }]),
    [s6[0], { na: true }],
  ];
  sent = new Map();
  let answered = 0;
  for (const [it, body] of plan) {
    const r = await answerOk(cl.cb1, D.ruiji, it.id, body);
    answered++;
    sent.set(it.id, { score: body.score ?? null, na: !!body.na });
    assert.equal(r.answer.item_id, it.id);
    assert.equal(r.answer.score, body.score ?? null);
    assert.equal(r.answer.na, !!body.na);
    assert.equal(r.answer.finding, body.finding ?? '');
    assert.equal(r.answer.kind, body.kind ?? '');
    assert.equal(r.answer.kind_name, { '': '', pain: '痛点', blockage: '堵点', difficulty: '难点' }[body.kind ?? '']);
    assert.equal(r.answer.version, 1);
    assert.equal(r.answer.updated_by, 'cb1');
    assert.deepEqual(r.progress, { items: 59, answered }, `progress after ${it.key}`);
    assert.deepEqual(r.scores, expectedScores(ISO, sent), `scores after ${it.key}`);
  }
  const d = await getDiag(cl.cb1, D.ruiji);
  const sec = Object.fromEntries(d.scores.sections.map((s) => [s.clause, s]));
  assert.deepEqual(sec['4'], { clause: '4', title: '组织环境', items: 6, answered: 5, na: 1, score: 2.3 });
  assert.deepEqual(sec['5'], { clause: '5', title: '领导作用', items: 6, answered: 6, na: 0, score: 1.2 });
  assert.deepEqual(sec['6'], { clause: '6', title: '策划', items: 5, answered: 1, na: 1, score: null });
  assert.deepEqual(sec['7'], { clause: '7', title: '支持', items: 14, answered: 0, na: 0, score: null });
  assert.equal(d.scores.overall, 1.7, 'overall: mean of the unrounded clause means, 1.7083 → 1.7');
  assert.deepEqual(d.progress, { items: 59, answered: 12 });
  assert.equal(d.answers.length, 12);
  const a = d.answers.find((x) => x.item_id === s4[0].id);
  assert.equal(a.finding, FINDING);
  assert.equal(a.kind_name, '痛点');
  // the list has the progress too
  const l = await list(cl.cb1, `&enterprise_id=${E.ruiji}`);
  assert.deepEqual(l.items[0].progress, { items: 59, answered: 12 });
});

test('answers: refused values leave the answer as it was', async () => {
  const it = sectionItems('7')[0];
  const path = (id) => `${API}/diagnoses/${D.ruiji}/answers/${id}`;
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 0 }), 422, 'invalid', 'score', 'score 0');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 6 }), 422, 'invalid', 'score', 'score 6');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: -1 }), 422, 'invalid', 'score', 'score -1');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: '3' }), 400, 'bad_type', 'score', 'score "3"');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 2.5 }), 400, 'bad_type', 'score', 'score 2.5');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 3, na: true }), 422, 'invalid', 'score', 'na with a score');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { na: 'yes' }), 400, 'bad_type', 'na', 'na "yes"');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 3, kind: 'risk' }), 422, 'invalid', 'kind', 'unknown kind');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 3, comment: 'x' }), 400, 'unknown_field', undefined, 'unknown field');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 3, finding: '问'.repeat(2001) }), 422, 'invalid', 'finding', 'finding of 2,001 characters');
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 3, version: -1 }), 422, 'invalid', 'version', 'version -1');
  assertError(await answer(cl.cb1, D.ruiji, 99999, { score: 3 }), 422, 'invalid', 'item_id', 'an item of no checklist');
  const miniItem = MINI_CL.sections[0].items[0].id;
  assertError(await answer(cl.cb1, D.ruiji, miniItem, { score: 3 }), 422, 'invalid', 'item_id', 'an item of another checklist');
  assertError(await cl.cb1.req('PUT', path(it.id), 'score=3', { 'content-type': 'application/x-www-form-urlencoded' }),
    415, 'unsupported_media_type', undefined, 'form body');
  // who: another body 404, the district 403, the enterprise cannot see a draft (404)
  assertError(await answer(cl.cb2, D.ruiji, it.id, { score: 3 }), 404, 'not_found', undefined, 'cb2');
  assertError(await answer(cl.pudong, D.ruiji, it.id, { score: 3 }), 403, 'forbidden', undefined, 'district');
  assertError(await answer(cl.ent1, D.ruiji, it.id, { score: 3 }), 404, 'not_found', undefined, 'ent1');
  assertError(await answer(cl.cb1, 99999, it.id, { score: 3 }), 404, 'not_found', undefined, 'unknown diagnosis');
  const d = await getDiag(cl.cb1, D.ruiji);
  assert.equal(d.answers.find((a) => a.item_id === it.id), undefined, 'a refused answer was stored');
  assert.deepEqual(d.progress, { items: 59, answered: 12 });
});

test('answers: a finding of exactly 2,000 characters is accepted, also in 4-byte characters', async () => {
  const it = sectionItems('7')[1];
  const r = await answer(cl.cb1, D.ruiji, it.id, { score: 3, finding: '问'.repeat(2000) });
  assert.equal(r.status, 200, `2,000 CJK characters: ${r.text.slice(0, 300)}`);
  assert.equal([...r.json.answer.finding].length, 2000);
  const ext = '𠀀'.repeat(2000); // CJK Extension B: 4 bytes each in UTF-8, one character each
  const r2 = await answer(cl.cb1, D.ruiji, it.id, { score: 3, finding: ext, version: 1 });
  assert.equal(r2.status, 200, `2,000 characters of CJK Extension B (8,000 bytes) must be accepted: ${r2.status} ${r2.text.slice(0, 300)}`);
  assert.equal(r2.json.answer.finding, ext);
});

test('answers: versions — a stale write is 409 with the current answer, an identical resend is 200', async () => {
  const it = sectionItems('7')[2];
  const a = await answerOk(cl.cb1, D.ruiji, it.id, { score: 3, finding: '量具未校准', kind: 'pain', version: 0 }, 'first write');
  assert.equal(a.answer.version, 1);
  // the second session edited the same (empty) answer: conflict
  const c = await answer(cl.cb1b, D.ruiji, it.id, { score: 4, finding: '量具已部分校准', kind: 'pain', version: 0 });
  assertError(c, 409, 'version_conflict', undefined, 'second write on version 0');
  assert.equal(c.json.current?.item_id, it.id, c.text);
  assert.equal(c.json.current.score, 3);
  assert.equal(c.json.current.finding, '量具未校准');
  assert.equal(c.json.current.version, 1);
  // absent version counts as 0
  assertError(await answer(cl.cb1b, D.ruiji, it.id, { score: 4 }), 409, 'version_conflict', undefined, 'no version on an existing answer');
  // a resend of what is stored, with the stale version: the reply was lost — 200, nothing changes
  const again = await answerOk(cl.cb1b, D.ruiji, it.id, { score: 3, finding: '量具未校准', kind: 'pain', version: 0 }, 'resend');
  assert.equal(again.answer.version, 1, 'an identical resend does not bump the version');
  assert.equal(again.answer.score, 3);
  // a write on the current version
  const b = await answerOk(cl.cb1b, D.ruiji, it.id, { score: 4, finding: '量具已部分校准', kind: 'pain', version: 1 }, 'write v1');
  assert.equal(b.answer.version, 2);
  assert.equal(b.answer.score, 4);
  // the first session is now behind
  const c2 = await answer(cl.cb1, D.ruiji, it.id, { score: 5, version: 1 });
  assertError(c2, 409, 'version_conflict', undefined, 'first session on version 1');
  assert.equal(c2.json.current.version, 2);
  assert.equal(c2.json.current.score, 4);
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 5, version: 7 }), 409, 'version_conflict', undefined, 'a version from the future');
  const d = await getDiag(cl.cb1, D.ruiji);
  const stored = d.answers.find((x) => x.item_id === it.id);
  assert.equal(stored.score, 4);
  assert.equal(stored.version, 2);
  sent.set(it.id, { score: 4, na: false });
  sent.set(sectionItems('7')[1].id, { score: 3, na: false });
  assert.deepEqual(d.scores, expectedScores(ISO, sent));
});

test('answers: DELETE clears one (draft only) and the scores follow', async () => {
  const it = sectionItems('7')[3];
  await answerOk(cl.cb1, D.ruiji, it.id, { score: 5 });
  const before = await getDiag(cl.cb1, D.ruiji);
  assertError(await del(cl.cb2, `${API}/diagnoses/${D.ruiji}/answers/${it.id}`), 404, 'not_found', undefined, 'cb2 delete');
  const r = await del(cl.cb1, `${API}/diagnoses/${D.ruiji}/answers/${it.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.answer, null);
  assert.equal(r.json.progress.answered, before.progress.answered - 1);
  assert.deepEqual(r.json.scores, expectedScores(ISO, sent));
  // a new first answer starts at version 1 again
  const again = await answerOk(cl.cb1, D.ruiji, it.id, { score: 1, version: 0 });
  assert.equal(again.answer.version, 1);
  sent.set(it.id, { score: 1, na: false });
  assert.deepEqual(again.scores, expectedScores(ISO, sent));
});

// ---------------------------------------------------------------- evidence

test('evidence: PNG/JPEG/PDF by content, 415 for others, 413 over max-upload, download, delete', async () => {
  const png = minimalPng();
  const it = sectionItems('4')[0];
  const r = await upload(cl.cb1, D.ruiji, `item_id=${it.id}&filename=${q('车间现场.png')}`, png);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.filename, '车间现场.png');
  assert.equal(r.json.content_type, 'image/png');
  assert.equal(r.json.size, png.length);
  assert.equal(r.json.item_id, it.id);
  assert.equal(typeof r.json.created_at, 'string');
  F.png = r.json.id;
  // the type comes from the content, not the name
  const jpg = minimalJpeg();
  const j = await upload(cl.cb1, D.ruiji, `filename=${q('照片.png')}`, jpg);
  assert.equal(j.status, 201, j.text);
  assert.equal(j.json.content_type, 'image/jpeg');
  assert.equal(j.json.item_id, null, 'evidence for the whole diagnosis');
  F.jpg = j.json.id;
  const pdf = minimalPdf();
  const p = await upload(cl.cb1, D.ruiji, `item_id=${it.id}&filename=${q('记录.pdf')}`, pdf);
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.content_type, 'application/pdf');
  F.pdf = p.json.id;

  assertError(await upload(cl.cb1, D.ruiji, 'filename=x.jpg', new Uint8Array(Buffer.from('这不是图片，只是文字。'))),
    415, 'unsupported_media_type', undefined, 'text named x.jpg');
  assertError(await upload(cl.cb1, D.ruiji, 'filename=x.gif', new Uint8Array(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))),
    415, 'unsupported_media_type', undefined, 'a GIF');
  const big = new Uint8Array(MAX_UPLOAD + 500);
  big.set(png.subarray(0, 8));
  let tooBig;
  try {
    tooBig = await upload(cl.cb1, D.ruiji, 'filename=big.png', big);
  } catch (e) {
    assert.fail(`an upload over max-upload must be answered 413, the connection failed instead: ${e.cause?.code || e.message}`);
  }
  assertError(tooBig, 413, 'body_too_large', undefined, 'over max-upload');
  assertError(await upload(cl.cb1, D.ruiji, 'filename=empty.png', new Uint8Array(0)), 422, 'invalid', undefined, 'empty file');
  assertError(await upload(cl.cb1, D.ruiji, `item_id=99999&filename=x.png`, png), 422, 'invalid', 'item_id', 'unknown item');
  const miniItem = MINI_CL.sections[0].items[0].id;
  assertError(await upload(cl.cb1, D.ruiji, `item_id=${miniItem}&filename=x.png`, png), 422, 'invalid', 'item_id', 'item of another checklist');
  assertError(await upload(cl.cb2, D.ruiji, 'filename=x.png', png), 404, 'not_found', undefined, 'cb2 upload');
  assertError(await upload(cl.pudong, D.ruiji, 'filename=x.png', png), 403, 'forbidden', undefined, 'district upload');

  const d = await getDiag(cl.cb1, D.ruiji);
  assert.deepEqual(d.files.map((f) => f.id), [F.png, F.jpg, F.pdf], 'only the accepted files are listed');
  assert.equal(d.files[0].item_key, it.key);

  const g = await getBytes(cl.cb1, `${API}/diagnoses/${D.ruiji}/files/${F.png}`);
  assert.equal(g.status, 200, g.text);
  assert.ok(Buffer.from(png).equals(g.buf), 'PNG bytes differ');
  assert.match(g.headers.get('content-type') || '', /^image\/png/);
  assert.doesNotMatch(g.headers.get('content-disposition') || '', /attachment/, 'images are shown inline');
  const gp = await getBytes(cl.pudong, `${API}/diagnoses/${D.ruiji}/files/${F.pdf}`);
  assert.equal(gp.status, 200, 'the district sees the evidence');
  assert.ok(Buffer.from(pdf).equals(gp.buf), 'PDF bytes differ');
  assert.match(gp.headers.get('content-disposition') || '', /attachment/);
  assert.equal((await getBytes(cl.cb2, `${API}/diagnoses/${D.ruiji}/files/${F.png}`)).status, 404, 'cb2 download');
  assert.equal((await getBytes(cl.ent1, `${API}/diagnoses/${D.ruiji}/files/${F.png}`)).status, 404, 'ent1 download');
  assert.equal((await getBytes(cl.cb1, `${API}/diagnoses/${D.pujiang_onsite1}/files/${F.png}`)).status, 404,
    'a file through another diagnosis');

  assertError(await del(cl.cb2, `${API}/diagnoses/${D.ruiji}/files/${F.jpg}`), 404, 'not_found', undefined, 'cb2 delete');
  const rm = await del(cl.cb1, `${API}/diagnoses/${D.ruiji}/files/${F.jpg}`);
  assert.equal(rm.status, 204, rm.text);
  assert.equal((await getBytes(cl.cb1, `${API}/diagnoses/${D.ruiji}/files/${F.jpg}`)).status, 404, 'deleted file');
  assertError(await del(cl.cb1, `${API}/diagnoses/${D.ruiji}/files/${F.jpg}`), 404, 'not_found', undefined, 'delete twice');
  assert.deepEqual((await getDiag(cl.cb1, D.ruiji)).files.map((f) => f.id), [F.png, F.pdf]);
});

// ---------------------------------------------------------------- submit and lock

test('submit: refused while items are unanswered (count in the message), then locked', async () => {
  const path = `${API}/diagnoses/${D.ruiji}/submit`;
  const d0 = await getDiag(cl.cb1, D.ruiji);
  const missing = 59 - d0.progress.answered;
  assert.ok(missing > 0);
  const r = await cl.cb1.post(path);
  assertError(r, 422, 'invalid', undefined, 'submit with unanswered items');
  assert.ok(r.json.error.message.includes(String(missing)), `message should say ${missing}: ${r.json.error.message}`);
  assertError(await cl.cb2.post(path), 404, 'not_found', undefined, 'cb2 submit');
  assertError(await cl.pudong.post(path), 403, 'forbidden', undefined, 'district submit');
  assert.equal((await getDiag(cl.cb1, D.ruiji)).status, 'draft');

  // answer the rest: 3 for items with an even position, 4 otherwise
  const last = await answerAll(cl.cb1, D.ruiji, (it, i) => (i % 2 ? 4 : 3));
  assert.deepEqual(last.progress, { items: 59, answered: 59 });
  const full = await getDiag(cl.cb1, D.ruiji);
  assert.deepEqual(full.scores, expectedScores(ISO, answerMap(full.answers)));
  assert.equal(full.answers.length, 59);

  const s = await cl.cb1.post(path);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted');
  assert.equal(s.json.status_name, '已提交');
  assert.equal(typeof s.json.submitted_at, 'string');
  assert.deepEqual(s.json.scores, full.scores);
  assert.deepEqual(s.json.progress, { items: 59, answered: 59 });
  D.ruijiScores = full.scores;

  const it = sectionItems('4')[5];
  assertError(await answer(cl.cb1, D.ruiji, it.id, { score: 5, version: 1 }), 409, 'locked', undefined, 'answer after submit');
  assertError(await del(cl.cb1, `${API}/diagnoses/${D.ruiji}/answers/${it.id}`), 409, 'locked', undefined, 'delete answer after submit');
  assertError(await upload(cl.cb1, D.ruiji, 'filename=late.png', minimalPng()), 409, 'locked', undefined, 'upload after submit');
  assertError(await del(cl.cb1, `${API}/diagnoses/${D.ruiji}/files/${F.png}`), 409, 'locked', undefined, 'delete file after submit');
  assertError(await put(cl.cb1, `${API}/diagnoses/${D.ruiji}`, { summary: '改' }), 409, 'locked', undefined, 'update after submit');
  assertError(await cl.cb1.post(path), 409, 'locked', undefined, 'submit twice');
  const after = await getDiag(cl.cb1, D.ruiji);
  assert.deepEqual(after.answers, full.answers, 'answers changed after the lock');
  assert.equal(after.files.length, 2);

  // the list carries the stored scores of a submitted diagnosis
  const l = await list(cl.pudong, `&enterprise_id=${E.ruiji}`);
  assert.equal(l.items[0].status, 'submitted');
  assert.deepEqual(l.items[0].scores, full.scores);
});

test('PDF report 问题诊断报告: enterprise, team, clause table, findings, evidence', async () => {
  const r = await getBytes(cl.cb1, `${API}/diagnoses/${D.ruiji}.pdf`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/pdf/);
  assert.equal(r.buf.subarray(0, 5).toString('latin1'), '%PDF-');
  const t = pdfText(r.buf, 'ruiji.pdf');
  for (const s of [NAMES.ruiji, '问题诊断报告', ONSITE.team.replace(/\s+/g, ''), '组织环境', '绩效评价', FINDING, '质量方针未传达到员工。',
    CB1_NAME, '车间现场.png']) {
    assert.ok(t.includes(s), `PDF text lacks ${s}`);
  }
  assert.ok(!t.includes('再评估报告'), 'round 1 is not a re-assessment');
  // findings grouped by kind, with their counts; the n/a finding shows 不适用
  assert.ok(t.includes('堵点（1项）'), 'one blockage');
  assert.ok(t.includes('痛点（2项）'), 'two pains');
  assert.ok(!t.includes('难点（'), 'a difficulty without a finding text is not listed');
  assert.ok(t.includes('其他问题（2项）'), 'two findings without a kind');
  assert.ok(t.includes('无外包过程'), 'the n/a finding');
  assert.ok(t.includes('不适用'));
  // the enterprise may read its own submitted report; others not
  assert.equal((await getBytes(cl.ent1, `${API}/diagnoses/${D.pujiang_onsite1}.pdf`)).status, 200, 'ent1 own report');
  assert.equal((await getBytes(cl.ent1, `${API}/diagnoses/${D.ruiji}.pdf`)).status, 404, 'ent1 another report');
  assert.equal((await getBytes(cl.cb2, `${API}/diagnoses/${D.ruiji}.pdf`)).status, 404, 'cb2 report');
  assert.equal((await getBytes(cl.huangpu, `${API}/diagnoses/${D.ruiji}.pdf`)).status, 404, 'huangpu report');
  // a re-assessment report is titled 再评估报告
  const re = await getBytes(cl.pudong, `${API}/diagnoses/${D.jingyao_onsite2}.pdf`);
  assert.equal(re.status, 200, re.text);
  const rt = pdfText(re.buf, 'jingyao2.pdf');
  assert.ok(rt.includes('再评估报告'), 'round 2 PDF title');
  assert.ok(rt.includes(NAMES.jingyao));
  assert.ok(rt.includes('管理评审已开展一次'), 'round 2 finding');
  assert.ok(rt.includes('改进指标跟踪') && rt.includes('一次交验合格率'), 'a re-assessment lists the indicators');
  assert.ok(rt.includes('97.50') && rt.includes('93.60'), 'baseline and followup of the first pass yield');
});

// ---------------------------------------------------------------- scope

test('scope: who sees which diagnosis (404 outside)', async () => {
  // a submitted on-site diagnosis: city, district, body, not another district/body/enterprise
  for (const u of ['city', 'pudong', 'cb1']) assert.equal((await cl[u].get(`${API}/diagnoses/${D.ruiji}`)).status, 200, u);
  for (const u of ['huangpu', 'cb2', 'ent1']) assertError(await cl[u].get(`${API}/diagnoses/${D.ruiji}`), 404, 'not_found', undefined, u);
  // the enterprise: its own submitted on-site diagnosis and its self-assessment
  const own = await getDiag(cl.ent1, D.pujiang_onsite1);
  assert.equal(own.enterprise.id, E.pujiang);
  assert.equal(own.status, 'submitted');
  assert.equal((await getDiag(cl.ent1, D.pujiang_self)).kind, 'self');
  for (const k of ['jingyao_onsite1', 'jingyao_onsite2', 'xintu_onsite1']) {
    assertError(await cl.ent1.get(`${API}/diagnoses/${D[k]}`), 404, 'not_found', undefined, `ent1 ${k}`);
  }
  for (const k of ['pujiang_onsite1', 'pujiang_self', 'jingyao_onsite2', 'xintu_onsite1']) {
    assertError(await cl.huangpu.get(`${API}/diagnoses/${D[k]}`), 404, 'not_found', undefined, `huangpu ${k}`);
    assertError(await cl.cb2.get(`${API}/diagnoses/${D[k]}`), 404, 'not_found', undefined, `cb2 ${k}`);
  }
  assertError(await cl.city.get(`${API}/diagnoses/99999`), 404, 'not_found');
  assert.equal((await list(cl.city)).total, 9);
  assert.equal((await list(cl.pudong)).total, 9);
  assert.equal((await list(cl.cb1)).total, 9);
  assert.equal((await list(cl.huangpu)).total, 0);
  assert.equal((await list(cl.cb2)).total, 0);
  assert.equal((await list(cl.ent1)).total, 2);
});

// ---------------------------------------------------------------- re-assessment and self-assessment

test('re-assessment: round 2 with `previous`, `self` from the submitted self-assessment; hidden from the enterprise while a draft', async () => {
  const r = await cl.cb1.post(`${API}/enterprises/${E.pujiang}/diagnoses`, { ...ONSITE, team: '王强（组长）' });
  assert.equal(r.status, 201, r.text);
  D.pujiang2 = r.json.id;
  assert.equal(r.json.round, 2);
  const first = await getDiag(cl.cb1, D.pujiang_onsite1);
  assert.equal(r.json.previous?.diagnosis_id, D.pujiang_onsite1, JSON.stringify(r.json.previous));
  assert.equal(r.json.previous.round, 1);
  assert.equal(r.json.previous.overall, first.scores.overall);
  assert.deepEqual(r.json.previous.sections, first.scores.sections);
  const self = await getDiag(cl.city, D.pujiang_self);
  assert.equal(r.json.self?.diagnosis_id, D.pujiang_self, JSON.stringify(r.json.self));
  assert.equal(r.json.self.status, 'submitted');
  assert.equal(r.json.self.overall, self.scores.overall);
  assert.deepEqual(r.json.self.sections, self.scores.sections);
  assert.equal(r.json.self.answers.length, 59);
  const sa = r.json.self.answers.find((a) => a.item_id === item('8.3-1').id);
  assert.equal(sa.na, true);
  assert.equal(sa.score, null);
  // the first on-site diagnosis has the self-assessment too, but no `previous`
  assert.equal(first.previous, null);
  assert.equal(first.self?.diagnosis_id, D.pujiang_self);
  // the enterprise does not see the draft
  assertError(await cl.ent1.get(`${API}/diagnoses/${D.pujiang2}`), 404, 'not_found', undefined, 'ent1 draft re-assessment');
  assert.equal((await getBytes(cl.ent1, `${API}/diagnoses/${D.pujiang2}.pdf`)).status, 404, 'ent1 draft PDF');
  assert.ok(!(await list(cl.ent1)).items.some((d) => d.id === D.pujiang2), 'ent1 lists a draft on-site diagnosis');
  assertError(await cl.cb1.post(`${API}/enterprises/${E.pujiang}/diagnoses`, ONSITE), 409, 'conflict', undefined, 'second on-site draft');
  // 瑞济's first diagnosis has neither
  const rj = await getDiag(cl.cb1, D.ruiji);
  assert.equal(rj.self, null);
  assert.equal(rj.previous, null);
});

test('self-assessment: the enterprise only, one draft at a time; the body sees it once submitted', async () => {
  const path = `${API}/enterprises/${E.pujiang}/diagnoses`;
  const body = { kind: 'self', visit_date: '2021-05-10', team: '陈静（质量主管）' };
  assertError(await cl.cb1.post(path, body), 403, 'forbidden', undefined, 'cb1 creating kind self');
  assertError(await cl.pudong.post(path, body), 403, 'forbidden', undefined, 'district creating kind self');
  assertError(await cl.ent1.post(`${API}/enterprises/${E.ruiji}/diagnoses`, body), 404, 'not_found', undefined, 'ent1 for another enterprise');
  assertError(await cl.ent1.post(path, { ...body, visit_date: '2021-05-11' }), 422, 'invalid', 'visit_date', 'self in the future');
  const r = await cl.ent1.post(path, { kind: 'self', visit_date: '2021-05-10' });
  assert.equal(r.status, 201, `self without a team: ${r.text}`);
  D.self2 = r.json.id;
  assert.equal(r.json.kind, 'self');
  assert.equal(r.json.kind_name, '自我评价');
  assert.equal(r.json.cb, null);
  assert.equal(r.json.created_by, 'ent1');
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.self, null);
  assert.equal(r.json.previous, null);
  assertError(await cl.ent1.post(path, body), 409, 'conflict', undefined, 'a second self draft');

  // the body: no access to the draft, cannot write into it
  assertError(await cl.cb1.get(`${API}/diagnoses/${D.self2}`), 404, 'not_found', undefined, 'cb1 on a self draft');
  assertError(await answer(cl.cb1, D.self2, ITEMS[0].id, { score: 3 }), 404, 'not_found', undefined, 'cb1 answers a self draft');
  assert.ok(!(await list(cl.cb1, '&kind=self')).items.some((d) => d.id === D.self2), 'cb1 lists a self draft');
  // the district sees it; the enterprise cannot write into the body's diagnosis
  assert.equal((await cl.pudong.get(`${API}/diagnoses/${D.self2}`)).status, 200);
  assertError(await answer(cl.ent1, D.pujiang2, ITEMS[0].id, { score: 3 }), 404, 'not_found', undefined, 'ent1 answers the body\'s draft');
  assertError(await answer(cl.pudong, D.self2, ITEMS[0].id, { score: 3 }), 403, 'forbidden', undefined, 'district answers a self draft');

  // the enterprise answers: all 4 except clause 8 (all 2), one item n/a
  const na = item('8.3-1');
  await answerOk(cl.ent1, D.self2, na.id, { na: true });
  const last = await answerAll(cl.ent1, D.self2, (it) => (it.section === '8' ? 2 : 4));
  assert.deepEqual(last.progress, { items: 59, answered: 59 });
  const sec = Object.fromEntries(last.scores.sections.map((s) => [s.clause, s.score]));
  assert.equal(sec['8'], 2);
  assert.equal(sec['4'], 4);
  // overall = (6 × 4 + 2) / 7 = 3.714… → 3.7
  assert.equal(last.scores.overall, 3.7);
  // while a draft, the body's re-assessment still shows the demo self-assessment
  assert.equal((await getDiag(cl.cb1, D.pujiang2)).self.diagnosis_id, D.pujiang_self);

  const s = await cl.ent1.post(`${API}/diagnoses/${D.self2}/submit`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted');
  const seen = await getDiag(cl.cb1, D.self2);
  assert.equal(seen.kind, 'self');
  assert.ok((await list(cl.cb1, '&kind=self')).items.some((d) => d.id === D.self2), 'cb1 lists the submitted self-assessment');
  const re = await getDiag(cl.cb1, D.pujiang2);
  assert.equal(re.self?.diagnosis_id, D.self2, 'the newest submitted self-assessment');
  assert.equal(re.self.overall, 3.7);
  assert.deepEqual(re.self.sections, last.scores.sections);
  assert.ok(re.self.answers.every((a) => !('version' in a) && !('updated_by' in a)), 'self answers are trimmed');

  // a self-assessment on another checklist is not compared with an ISO diagnosis
  const m = await cl.ent1.post(path, { kind: 'self', visit_date: '2021-05-10', checklist_id: MINI_CL.id });
  assert.equal(m.status, 201, m.text);
  D.selfMini = m.json.id;
  assert.deepEqual(m.json.progress, { items: 3, answered: 0 });
  assertError(await answer(cl.ent1, D.selfMini, ITEMS[0].id, { score: 3 }), 422, 'invalid', 'item_id', 'an ISO item on the mini checklist');
  for (const it of MINI_CL.sections.flatMap((x) => x.items)) await answerOk(cl.ent1, D.selfMini, it.id, { score: 5 });
  assert.equal((await cl.ent1.post(`${API}/diagnoses/${D.selfMini}/submit`)).status, 200);
  assert.equal((await getDiag(cl.cb1, D.pujiang2)).self.diagnosis_id, D.self2, 'self block from another checklist');
  assert.equal((await list(cl.ent1, '&kind=self')).total, 3);
});

test('re-assessment submitted: the enterprise sees it, its PDF is a 再评估报告, improvement before/after', async () => {
  await answerAll(cl.cb1, D.pujiang2, (it) => (it.section === '9' ? 2 : 3));
  const s = await cl.cb1.post(`${API}/diagnoses/${D.pujiang2}/submit`);
  assert.equal(s.status, 200, s.text);
  const re = await getDiag(cl.ent1, D.pujiang2);
  assert.equal(re.round, 2);
  assert.equal(re.previous.diagnosis_id, D.pujiang_onsite1);
  const pdf = await getBytes(cl.ent1, `${API}/diagnoses/${D.pujiang2}.pdf`);
  assert.equal(pdf.status, 200, pdf.text);
  const t = pdfText(pdf.buf, 'pujiang2.pdf');
  assert.ok(t.includes('再评估报告'), 'title');
  assert.ok(t.includes(NAMES.pujiang), 'enterprise');

  const imp = await cl.ent1.get(`${API}/enterprises/${E.pujiang}/improvement`);
  assert.equal(imp.status, 200, imp.text);
  const first = await getDiag(cl.city, D.pujiang_onsite1);
  assert.equal(imp.json.first.diagnosis_id, D.pujiang_onsite1);
  assert.equal(imp.json.latest.diagnosis_id, D.pujiang2);
  assert.equal(imp.json.latest.visit_date, '2021-05-10');
  for (const s2 of imp.json.sections) {
    const b = first.scores.sections.find((x) => x.clause === s2.clause).score;
    const a = re.scores.sections.find((x) => x.clause === s2.clause).score;
    assert.equal(s2.before, b, `clause ${s2.clause} before`);
    assert.equal(s2.after, a, `clause ${s2.clause} after`);
    assert.equal(s2.change, (Math.round(a * 10) - Math.round(b * 10)) / 10, `clause ${s2.clause} change`);
  }
  assert.equal(imp.json.sections.find((x) => x.clause === '9').after, 2);
  assert.equal(imp.json.sections.find((x) => x.clause === '4').after, 3);
});

// ---------------------------------------------------------------- improvement

test('improvement of 晶曜: first vs latest per clause, overall, indicators baseline → followup', async () => {
  const r = await cl.cb1.get(`${API}/enterprises/${E.jingyao}/improvement`);
  assert.equal(r.status, 200, r.text);
  const imp = r.json;
  const d1 = await getDiag(cl.city, D.jingyao_onsite1);
  const d2 = await getDiag(cl.city, D.jingyao_onsite2);
  assert.equal(imp.first.diagnosis_id, D.jingyao_onsite1);
  assert.equal(imp.first.visit_date, '2021-03-10');
  assert.equal(imp.first.overall, d1.scores.overall);
  assert.deepEqual(imp.first.sections, d1.scores.sections);
  assert.equal(imp.latest.diagnosis_id, D.jingyao_onsite2);
  assert.equal(imp.latest.visit_date, '2021-05-06');
  assert.equal(imp.latest.overall, d2.scores.overall);
  assert.deepEqual(imp.sections.map((s) => s.clause), ['4', '5', '6', '7', '8', '9', '10']);
  for (const s of imp.sections) {
    const b = d1.scores.sections.find((x) => x.clause === s.clause);
    const a = d2.scores.sections.find((x) => x.clause === s.clause);
    assert.equal(s.title, b.title);
    assert.equal(s.before, b.score, `clause ${s.clause} before`);
    assert.equal(s.after, a.score, `clause ${s.clause} after`);
    assert.equal(s.change, (Math.round(a.score * 10) - Math.round(b.score * 10)) / 10, `clause ${s.clause} change = after − before`);
    assert.ok(s.change > 0, `clause ${s.clause} improved (demo base 2 → 4)`);
  }
  assert.equal(imp.overall.before, d1.scores.overall);
  assert.equal(imp.overall.after, d2.scores.overall);
  assert.equal(imp.overall.change, (Math.round(d2.scores.overall * 10) - Math.round(d1.scores.overall * 10)) / 10);

  const ind = Object.fromEntries(imp.indicators.map((x) => [x.key, x]));
  assert.deepEqual(ind.first_pass_yield, { key: 'first_pass_yield', label: ind.first_pass_yield.label, unit: '%',
    baseline: 93.6, followup: 97.5, change: 3.9, better: true });
  assert.equal(ind.complaints.baseline, 4);
  assert.equal(ind.complaints.followup, 1);
  assert.equal(ind.complaints.change, -3);
  assert.equal(ind.complaints.better, true, 'fewer complaints is better');
  assert.equal(ind.satisfaction.change, 5);
  assert.equal(ind.satisfaction.better, true);
  assert.equal(ind.quality_cost_rate.baseline, 4.2);
  assert.equal(ind.quality_cost_rate.followup, 2.6);
  assert.equal(ind.quality_cost_rate.change, -1.6);
  assert.equal(ind.quality_cost_rate.better, true, 'a lower quality cost rate is better');
  assert.equal(ind.revenue.change, 150);
  assert.equal(ind.profit_margin.change, 0.3);
  assert.equal(ind.defect_rate.baseline, null, 'no defect rate in the demo');
  assert.equal(ind.defect_rate.change, null);
  assert.equal(ind.defect_rate.better, null);
  for (const x of imp.indicators) assert.ok(typeof x.label === 'string' && x.label.length > 0, `label of ${x.key}`);
});

test('improvement: one diagnosis only, none at all, and the scope', async () => {
  const one = await cl.pudong.get(`${API}/enterprises/${E.ruiji}/improvement`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.first.diagnosis_id, D.ruiji);
  assert.equal(one.json.latest, null);
  assert.equal(one.json.overall.before, D.ruijiScores.overall);
  assert.equal(one.json.overall.after, null);
  assert.equal(one.json.overall.change, null);
  for (const s of one.json.sections) {
    assert.equal(s.before, D.ruijiScores.sections.find((x) => x.clause === s.clause).score);
    assert.equal(s.after, null);
    assert.equal(s.change, null);
  }
  // 浦江's demo baseline has no followup: the change is null
  const pj = await cl.cb1.get(`${API}/enterprises/${E.pujiang}/improvement`);
  const fpy = pj.json.indicators.find((x) => x.key === 'first_pass_yield');
  assert.equal(fpy.baseline, 92);
  assert.equal(fpy.followup, null);
  assert.equal(fpy.change, null);
  const none = await cl.city.get(`${API}/enterprises/${E.baicheng}/improvement`);
  assert.equal(none.status, 200, none.text);
  assert.equal(none.json.first, null);
  assert.equal(none.json.latest, null);
  assertError(await cl.ent1.get(`${API}/enterprises/${E.jingyao}/improvement`), 404, 'not_found', undefined, 'ent1 another enterprise');
  assertError(await cl.huangpu.get(`${API}/enterprises/${E.jingyao}/improvement`), 404, 'not_found', undefined, 'huangpu');
  assertError(await cl.cb2.get(`${API}/enterprises/${E.jingyao}/improvement`), 404, 'not_found', undefined, 'cb2');
  assertError(await cl.city.get(`${API}/enterprises/99999/improvement`), 404, 'not_found', undefined, 'unknown enterprise');
});

test('lists at the end: counts per scope and filters', async () => {
  // demo 8 + 瑞济 + 浦江 round 2 + two self-assessments
  assert.equal((await list(cl.city)).total, 12);
  assert.equal((await list(cl.pudong)).total, 12);
  assert.equal((await list(cl.cb1)).total, 12, 'cb1: on-site and submitted self-assessments of its enterprises');
  assert.equal((await list(cl.huangpu)).total, 0);
  assert.equal((await list(cl.cb2)).total, 0);
  const ent = await list(cl.ent1);
  assert.deepEqual(ent.items.map((d) => d.id).sort((a, b) => a - b),
    [D.pujiang_self, D.pujiang_onsite1, D.pujiang2, D.self2, D.selfMini].sort((a, b) => a - b));
  assert.equal((await list(cl.ent1, '&kind=onsite')).total, 2);
  assert.equal((await list(cl.city, `&enterprise_id=${E.pujiang}&kind=onsite`)).total, 2);
  assert.equal((await list(cl.city, '&status=draft')).total, 1, 'only the demo draft of 芯途 is left');
  assert.equal((await list(cl.cb1, `&q=${q('瑞济')}`)).total, 1);
});

// ---------------------------------------------------------------- concurrency

// "One draft of each kind at a time": requests that arrive together must not make two.
test('one draft at a time also when the requests arrive together', async () => {
  const N = 16;
  const cb = [], ent = [];
  for (let i = 0; i < N; i++) { cb.push(await login('cb1')); ent.push(await login('ent1')); }
  const made = []; // [what, drafts made, statuses]
  for (const name of ['禾信', '安诺', '百澄']) {
    const id = (await cl.city.get(`${API}/enterprises?per_page=200&q=${q(name)}`)).json.items[0].id;
    const rs = await Promise.all(cb.map((c) => c.post(`${API}/enterprises/${id}/diagnoses`, ONSITE)));
    const l = await list(cl.city, `&enterprise_id=${id}`);
    made.push([`${name} on-site (rounds ${l.items.map((d) => d.round).join(',')})`, l.total, rs.map((r) => r.status)]);
  }
  // self-assessments on the 3-item checklist: cheap to submit, so the race can be tried again
  const miniItems = MINI_CL.sections.flatMap((x) => x.items);
  for (let round = 1; round <= 8; round++) {
    const rs = await Promise.all(ent.map((c) => c.post(`${API}/enterprises/${E.pujiang}/diagnoses`,
      { kind: 'self', visit_date: '2021-05-10', checklist_id: MINI_CL.id })));
    const drafts = (await list(cl.ent1, '&kind=self&status=draft')).items;
    made.push([`浦江 self-assessment, try ${round}`, drafts.length, rs.map((r) => r.status)]);
    if (drafts.length !== 1) break;
    for (const it of miniItems) await answerOk(cl.ent1, drafts[0].id, it.id, { score: 4 });
    assert.equal((await cl.ent1.post(`${API}/diagnoses/${drafts[0].id}/submit`)).status, 200);
  }
  const bad = made.filter(([, n, st]) => n !== 1 || st.filter((x) => x === 201).length !== 1 || !st.every((x) => x === 201 || x === 409));
  assert.deepEqual(bad, [], `${N} simultaneous creates must make exactly one draft (one 201, the rest 409): ` +
    bad.map(([w, n, st]) => `${w}: ${n} drafts, ${st.join(',')}`).join('; '));
});

// ---------------------------------------------------------------- assignment removed

// docs/api.md: who sees a diagnosis is "the body assigned to the enterprise"; once the
// district removes the assignment the body no longer sees the enterprise, nor its diagnoses.
test('scope follows the assignment: a body no longer assigned gets 404', async () => {
  const un = await put(cl.pudong, `${API}/enterprises/${E.ruiji}/assignment`, { cb_unit_id: null });
  assert.equal(un.status, 200, un.text);
  assertError(await cl.cb1.get(`${API}/enterprises/${E.ruiji}`), 404, 'not_found', undefined, 'cb1 on the enterprise');
  assertError(await cl.cb1.get(`${API}/enterprises/${E.ruiji}/improvement`), 404, 'not_found', undefined, 'cb1 improvement');
  assert.equal((await list(cl.cb1, `&enterprise_id=${E.ruiji}`)).total, 0, 'cb1 still lists the diagnoses of an enterprise no longer assigned to it');
  assertError(await cl.cb1.get(`${API}/diagnoses/${D.ruiji}`), 404, 'not_found', undefined, 'cb1 on a diagnosis of an enterprise no longer assigned to it');
  assert.equal((await getBytes(cl.cb1, `${API}/diagnoses/${D.ruiji}.pdf`)).status, 404, 'cb1 PDF');
});
