// Declarations 申报表 (docs/api.md "Declarations"): the demo declarations, the
// draft → submit → return → resubmit → accept workflow, form validation,
// data scope, versions, history, the stamped scan, the PDF and the Excel export.
// Tests run in order and share one server (demo data, simulated date 2021-05-10,
// declaration deadline 2021-02-20, late submission allowed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
let srv;
const cl = {}; // logged-in clients by username
const ids = {}; // declaration ids by short name
let tmp;

async function login(username, password) {
  const c = new Client(srv.base);
  const r = await c.login(username, password);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  srv = await startServer();
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-decl-'));
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(u);
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

async function list(c, query = '') {
  const r = await c.get(`${API}/declarations?per_page=200${query}`);
  assert.equal(r.status, 200, `list ${query}: ${r.text}`);
  assert.equal(r.json.items.length, r.json.total, `list ${query}: per_page=200 should hold everything`);
  return r.json;
}
const names = (l) => l.items.map((d) => d.unit.name).sort();

// Raw bytes of a GET (Client.req decodes as text, which would corrupt binaries).
async function getBytes(c, path) {
  const h = {};
  if (c.cookie) h.cookie = c.cookie;
  const r = await fetch(srv.base + path, { headers: h, redirect: 'manual' });
  const buf = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* binary */ }
  return { status: r.status, headers: r.headers, buf, json, text: buf.toString('utf8', 0, 500) };
}

// A rule violation must be refused with 422 `field`, either when the form is saved
// (then the stored form is unchanged) or at the latest when it is submitted (then
// the declaration stays a draft, version unchanged).
async function assertRejected(c, id, form, field, what) {
  const before = (await c.get(`${API}/declarations/${id}`)).json;
  const r = await put(c, `${API}/declarations/${id}`, { form });
  if (r.status === 422) {
    assertError(r, 422, 'invalid', field, `${what} (PUT)`);
    const after = (await c.get(`${API}/declarations/${id}`)).json;
    assert.deepEqual(after.form, before.form, `${what}: a refused PUT changed the form`);
    assert.equal(after.updated_at, before.updated_at, `${what}: a refused PUT touched updated_at`);
    return 'put';
  }
  assert.equal(r.status, 200, `${what}: PUT answered ${r.status}: ${r.text}`);
  const s = await c.post(`${API}/declarations/${id}/submit`);
  assertError(s, 422, 'invalid', field, `${what} (submit)`);
  const after = (await c.get(`${API}/declarations/${id}`)).json;
  assert.equal(after.status, before.status, `${what}: a refused submit changed the status`);
  assert.equal(after.version, before.version, `${what}: a refused submit changed the version`);
  assert.deepEqual(after.versions, before.versions, `${what}: a refused submit froze a version`);
  return 'submit';
}

// ---------------------------------------------------------------- fixtures

function minimalPdf(text = 'qmslift scan') {
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
function minimalJpeg() { // SOI + JFIF APP0 + EOI: enough for the magic bytes
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01,
    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
}
function fakeExe() {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b[2] = 0x90;
  b.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return new Uint8Array(b);
}

const HUANGPU_FORM = {
  unit_name: '黄浦区市场监管局',
  joins_pilot: true,
  industries: ['人工智能', '集成电路'],
  leader: '王芳',
  contact_phone: '021-63210000',
  contact_email: 'pilot@huangpu.example.cn',
  remarks: '依托外滩金融集聚带推进',
};
const CB2_FORM = {
  unit_name: '申诚认证有限公司（演示）',
  joins_pilot: true,
  leader: '陈静',
  contact_phone: '13912345678',
  contact_email: 'pilot@shencheng.example.cn',
  province: '上海市',
  founded: '2012-06-18',
  ownership: 'other',
  ownership_other: '社会服务机构',
  qualifications: 'CNCA-R-2099-002；质量管理体系认证（ISO 9001）',
  remarks: '',
};

// ---------------------------------------------------------------- demo facts

test('demo declarations are as documented', async () => {
  const all = await list(cl.city);
  const by = Object.fromEntries(all.items.map((d) => [d.unit.name, d]));
  assert.deepEqual(Object.keys(by).sort(), [
    '嘉定区市场监管局', '徐汇区市场监管局', '杨浦区市场监管局', '沪联质量认证中心（演示）',
    '浦东新区市场监管局', '闵行区市场监管局', '静安区市场监管局',
  ].sort(), 'demo declarations');
  assert.equal(all.total, 7);

  const pd = by['浦东新区市场监管局'];
  assert.equal(pd.status, 'accepted');
  assert.equal(pd.form.joins_pilot, true);
  assert.deepEqual([...pd.form.industries].sort(), ['生物医药', '集成电路'].sort());
  assert.equal(pd.category, 'market_regulation');
  assert.equal(pd.category_name, '市场监管部门');
  assert.equal(pd.unit.kind, 'district');
  assert.equal(pd.programme_id, 1);
  assert.equal(typeof pd.status_name, 'string');
  assert.equal(pd.deadline.due, '2021-02-20');
  assert.equal(pd.deadline.days_left, -79);
  ids.pudong = pd.id;

  assert.equal(by['徐汇区市场监管局'].status, 'accepted');
  const ja = by['静安区市场监管局'];
  assert.equal(ja.status, 'accepted');
  assert.equal(ja.form.joins_pilot, false);

  const mh = by['闵行区市场监管局'];
  assert.equal(mh.status, 'submitted');
  assert.equal(mh.late, true, '闵行区 submitted late');
  ids.minhang = mh.id;

  const jd = by['嘉定区市场监管局'];
  assert.equal(jd.status, 'returned');
  assert.equal(typeof jd.return_reason, 'string');
  assert.ok(jd.return_reason.length > 0, '嘉定区 return reason');

  assert.equal(by['杨浦区市场监管局'].status, 'draft');
  assert.equal(by['杨浦区市场监管局'].version, 0);

  const cb = by['沪联质量认证中心（演示）'];
  assert.equal(cb.status, 'accepted');
  assert.equal(cb.category, 'certification_body');
  assert.equal(cb.unit.kind, 'cb');
  assert.equal(cb.form.joins_pilot, true);
  ids.cb1 = cb.id;

  for (const d of all.items) {
    assert.ok(!('versions' in d) && !('history' in d), `list items carry versions/history: ${d.unit.name}`);
    assert.ok(['draft', 'submitted', 'returned', 'accepted'].includes(d.status));
  }
  for (const u of ['黄浦区市场监管局', '申诚认证有限公司（演示）'])
    assert.ok(!by[u], `${u} should have no declaration yet`);
});

test('one declaration (GET {id}) carries versions and history', async () => {
  const r = await cl.pudong.get(`${API}/declarations/${ids.pudong}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.json.versions), 'versions');
  assert.ok(Array.isArray(r.json.history), 'history');
  assert.equal(r.json.versions.length, 1);
  assert.equal(r.json.versions[0].version, 1);
  const mine = await cl.pudong.get(`${API}/declarations/mine`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.id, ids.pudong);
  const cb = await cl.cb1.get(`${API}/declarations/mine`);
  assert.equal(cb.status, 200, cb.text);
  assert.equal(cb.json.id, ids.cb1);
  assert.equal(cb.json.category, 'certification_body');
});

test('units without a declaration: /mine is 404', async () => {
  for (const u of ['huangpu', 'cb2']) {
    const r = await cl[u].get(`${API}/declarations/mine`);
    assertError(r, 404, 'not_found', undefined, `${u} /mine`);
  }
});

// ---------------------------------------------------------------- huangpu: draft

test('huangpu creates a partial draft', async () => {
  const r = await cl.huangpu.post(`${API}/declarations`, { form: { unit_name: '黄浦区市场监管局', joins_pilot: true } });
  assert.equal(r.status, 201, r.text);
  const d = r.json;
  assert.equal(typeof d.id, 'number');
  assert.equal(d.status, 'draft');
  assert.equal(d.category, 'market_regulation');
  assert.equal(d.category_name, '市场监管部门');
  assert.equal(d.version, 0);
  assert.equal(d.late, false);
  assert.equal(d.unit.name, '黄浦区市场监管局');
  assert.equal(d.form.unit_name, '黄浦区市场监管局');
  assert.equal(d.form.joins_pilot, true);
  assert.equal(d.submitted_at, null);
  assert.equal(d.scan, null);
  assert.equal(d.deadline.due, '2021-02-20');
  assert.equal(d.deadline.days_left, -79);
  assert.equal(d.deadline.state, 'overdue', 'a draft after the deadline is overdue');
  ids.huangpu = d.id;

  const mine = await cl.huangpu.get(`${API}/declarations/mine`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.id, d.id);
  assert.deepEqual(mine.json.versions, []);
  assert.ok(mine.json.history.some((h) => h.action === 'declaration.create' && h.username === 'huangpu'),
    `history: ${JSON.stringify(mine.json.history)}`);
});

test('a second POST by the same unit is 409', async () => {
  const r = await cl.huangpu.post(`${API}/declarations`, { form: { unit_name: '黄浦区市场监管局' } });
  assertError(r, 409, 'conflict', undefined, 'second POST');
  const l = await list(cl.huangpu);
  assert.equal(l.total, 1, 'a refused POST created a second declaration');
  const p = await cl.pudong.post(`${API}/declarations`, { form: { unit_name: '浦东新区市场监管局' } });
  assertError(p, 409, 'conflict', undefined, 'pudong POST');
});

test('PUT replaces the draft form', async () => {
  const r = await put(cl.huangpu, `${API}/declarations/${ids.huangpu}`,
    { form: { unit_name: '黄浦区市场监管局', joins_pilot: true, industries: ['人工智能'], remarks: '草稿' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.form.industries, ['人工智能']);
  assert.equal(r.json.form.remarks, '草稿');
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.version, 0);
  const g = await cl.huangpu.get(`${API}/declarations/${ids.huangpu}`);
  assert.deepEqual(g.json.form.industries, ['人工智能']);
  assert.equal(g.json.form.leader, null, 'absent fields are null');
  assert.equal(g.json.form.qualifications, null);
});

test('malformed bodies: unknown keys 400 unknown_field, wrong types 400 bad_type; nothing saved', async () => {
  const path = `${API}/declarations/${ids.huangpu}`;
  const before = (await cl.huangpu.get(path)).json;
  const base = { unit_name: '黄浦区市场监管局', joins_pilot: true };
  const cases = [
    [{ form: { ...base, colour: 'red' } }, 400, 'unknown_field', 'unknown form key'],
    [{ form: base, extra: 1 }, 400, 'unknown_field', 'unknown top-level key'],
    [{ form: { ...base, joins_pilot: 'yes' } }, 400, 'bad_type', 'joins_pilot "yes"'],
    [{ form: { ...base, industries: '集成电路' } }, 400, 'bad_type', 'industries as text'],
    [{ form: { ...base, industries: [1] } }, 400, 'bad_type', 'industries [1]'],
    [{ form: { ...base, unit_name: 123 } }, 400, 'bad_type', 'unit_name number'],
    [{ form: { ...base, leader: ['王芳'] } }, 400, 'bad_type', 'leader array'],
    [{ form: 'x' }, 400, 'bad_type', 'form as text'],
  ];
  for (const [body, st, code, what] of cases) {
    const r = await put(cl.huangpu, path, body);
    assertError(r, st, code, undefined, what);
  }
  const f1 = await put(cl.huangpu, path, { form: { ...base, colour: 'red' } });
  assert.equal(f1.json.error.field, 'colour', 'unknown_field names the key');
  const f2 = await put(cl.huangpu, path, { form: { ...base, joins_pilot: 'yes' } });
  assert.equal(f2.json.error.field, 'joins_pilot');
  const f3 = await put(cl.huangpu, path, { form: { ...base, industries: '集成电路' } });
  assert.equal(f3.json.error.field, 'industries');
  const bad = await cl.huangpu.req('PUT', path, '{"form":', { 'content-type': 'application/json' });
  assertError(bad, 400, 'bad_json', undefined, 'malformed JSON');
  const txt = await cl.huangpu.req('PUT', path, JSON.stringify({ form: base }), { 'content-type': 'text/plain' });
  assertError(txt, 415, 'unsupported_media_type', undefined, 'text/plain body');
  // POST create also checks types
  const pc = await cl.cb2.post(`${API}/declarations`, { form: { unit_name: 5 } });
  assertError(pc, 400, 'bad_type', undefined, 'POST bad type');
  assert.equal((await cl.cb2.get(`${API}/declarations/mine`)).status, 404, 'a refused POST created a declaration');

  const after = (await cl.huangpu.get(path)).json;
  assert.deepEqual(after.form, before.form, 'a refused PUT changed the form');
  assert.equal(after.updated_at, before.updated_at);
});

test('a CB-only field on a district form is 422 with that field, and the form stays unchanged', async () => {
  const path = `${API}/declarations/${ids.huangpu}`;
  const before = (await cl.huangpu.get(path)).json;
  for (const [k, v] of [['qualifications', 'CNCA-R-2099-009'], ['province', '上海市'], ['founded', '2010-01-01'],
    ['ownership', 'private']]) {
    const r = await put(cl.huangpu, path, { form: { unit_name: '黄浦区市场监管局', joins_pilot: true, industries: ['集成电路'], [k]: v } });
    assertError(r, 422, 'invalid', k, `district form with ${k}`);
  }
  const after = (await cl.huangpu.get(path)).json;
  assert.deepEqual(after.form, before.form, 'a 422 PUT changed the form');
  assert.deepEqual(after.form.industries, ['人工智能']);
  // null counts as absent
  const ok = await put(cl.huangpu, path, { form: { unit_name: '黄浦区市场监管局', joins_pilot: true, industries: ['人工智能'], qualifications: null, remarks: '草稿' } });
  assert.equal(ok.status, 200, `qualifications: null on a district form: ${ok.text}`);
});

test('field rules: industries, phone, email, lengths', async () => {
  const id = ids.huangpu;
  const f = (over) => ({ ...HUANGPU_FORM, ...over });
  await assertRejected(cl.huangpu, id, f({ industries: ['区块链'] }), 'industries', 'industry not in the catalogue');
  await assertRejected(cl.huangpu, id, f({ industries: ['集成电路', '集成电路'] }), 'industries', 'repeated industry');
  await assertRejected(cl.huangpu, id, f({ contact_phone: '12345' }), 'contact_phone', 'phone 12345');
  await assertRejected(cl.huangpu, id, f({ contact_phone: '021-0888000' }), 'contact_phone', 'phone 021-0888000');
  await assertRejected(cl.huangpu, id, f({ contact_phone: '12812345678' }), 'contact_phone', 'mobile 128…');
  await assertRejected(cl.huangpu, id, f({ contact_email: 'not-an-email' }), 'contact_email', 'email without @');
  await assertRejected(cl.huangpu, id, f({ contact_email: 'a@b' }), 'contact_email', 'email without domain');
  await assertRejected(cl.huangpu, id, f({ unit_name: '黄'.repeat(61) }), 'unit_name', 'unit_name 61 chars');
  await assertRejected(cl.huangpu, id, f({ leader: '王'.repeat(31) }), 'leader', 'leader 31 chars');
  await assertRejected(cl.huangpu, id, f({ remarks: '备'.repeat(501) }), 'remarks', 'remarks 501 chars');
  const d = (await cl.huangpu.get(`${API}/declarations/${id}`)).json;
  assert.equal(d.status, 'draft');
  assert.equal(d.version, 0);
  // boundaries and the documented phone shapes are accepted
  for (const phone of ['13812345678', '021-63210000', '0512-6321000', '021-63210000-123']) {
    const r = await put(cl.huangpu, `${API}/declarations/${id}`, { form: f({ contact_phone: phone }) });
    assert.equal(r.status, 200, `phone ${phone}: ${r.text}`);
    assert.equal(r.json.form.contact_phone, phone);
  }
  const edge = await put(cl.huangpu, `${API}/declarations/${id}`,
    { form: f({ unit_name: '黄'.repeat(60), leader: '王'.repeat(30), remarks: '备'.repeat(500) }) });
  assert.equal(edge.status, 200, `maximum lengths: ${edge.text}`);
});

test('submit requires leader, contact_phone and industries when joining', async () => {
  const id = ids.huangpu;
  const cases = [
    [{ ...HUANGPU_FORM, leader: undefined }, 'leader'],
    [{ ...HUANGPU_FORM, leader: null }, 'leader'],
    [{ ...HUANGPU_FORM, contact_phone: undefined }, 'contact_phone'],
    [{ ...HUANGPU_FORM, industries: [] }, 'industries'],
    [{ ...HUANGPU_FORM, industries: null }, 'industries'],
    [{ ...HUANGPU_FORM, joins_pilot: undefined }, 'joins_pilot'],
    [{ ...HUANGPU_FORM, unit_name: undefined }, 'unit_name'],
  ];
  for (const [form, field] of cases) {
    const clean = JSON.parse(JSON.stringify(form));
    const r = await put(cl.huangpu, `${API}/declarations/${id}`, { form: clean });
    assert.equal(r.status, 200, `an incomplete draft (no ${field}) must be saved: ${r.text}`);
    const s = await cl.huangpu.post(`${API}/declarations/${id}/submit`);
    assertError(s, 422, 'invalid', field, `submit without ${field}`);
    const d = (await cl.huangpu.get(`${API}/declarations/${id}`)).json;
    assert.equal(d.status, 'draft', `refused submit (${field}) changed the status`);
    assert.equal(d.version, 0);
    assert.deepEqual(d.versions, []);
  }
});

test('scan upload on a draft is 409', async () => {
  const r = await cl.huangpu.req('PUT', `${API}/declarations/${ids.huangpu}/scan?filename=${q('盖章.pdf')}`,
    minimalPdf(), { 'content-type': 'application/pdf' });
  assertError(r, 409, 'conflict', undefined, 'scan on draft');
  const g = await cl.huangpu.get(`${API}/declarations/${ids.huangpu}/scan`);
  assert.equal(g.status, 404, 'no scan stored');
});

test('valid submit after the deadline: submitted, version 1, late', async () => {
  const id = ids.huangpu;
  const p = await put(cl.huangpu, `${API}/declarations/${id}`, { form: HUANGPU_FORM });
  assert.equal(p.status, 200, p.text);
  const r = await cl.huangpu.post(`${API}/declarations/${id}/submit`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'submitted');
  assert.equal(r.json.version, 1);
  assert.equal(r.json.late, true, '2021-05-10 is after 2021-02-20');
  assert.equal(typeof r.json.submitted_at, 'string');
  assert.match(r.json.submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(r.json.deadline.due, '2021-02-20');
  assert.notEqual(r.json.deadline.state, 'overdue', 'a submitted declaration is no longer overdue (done)');
  assert.deepEqual(r.json.form, { ...HUANGPU_FORM, province: null, founded: null, ownership: null, ownership_other: null, qualifications: null });
  assert.equal(r.json.versions.length, 1);
  assert.equal(r.json.versions[0].version, 1);
  assert.equal(r.json.versions[0].submitted_by, 'huangpu');
  const v1 = await cl.huangpu.get(`${API}/declarations/${id}/versions/1`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.json.version, 1);
  assert.equal(v1.json.form.leader, '王芳');
  assert.equal(v1.json.submitted_by, 'huangpu');
});

test('after submit: submit again 409, PUT 409', async () => {
  const id = ids.huangpu;
  assertError(await cl.huangpu.post(`${API}/declarations/${id}/submit`), 409, 'conflict', undefined, 'submit twice');
  assertError(await put(cl.huangpu, `${API}/declarations/${id}`, { form: { ...HUANGPU_FORM, leader: '改' } }),
    409, 'conflict', undefined, 'PUT after submit');
  const d = (await cl.huangpu.get(`${API}/declarations/${id}`)).json;
  assert.equal(d.form.leader, '王芳');
  assert.equal(d.version, 1);
});

// ---------------------------------------------------------------- scope

test('data scope: other units get 404, wrong roles 403', async () => {
  const id = ids.huangpu;
  for (const [m, path, body] of [
    ['GET', `${API}/declarations/${id}`],
    ['PUT', `${API}/declarations/${id}`, { form: HUANGPU_FORM }],
    ['POST', `${API}/declarations/${id}/submit`, {}],
    ['GET', `${API}/declarations/${id}/versions/1`],
    ['GET', `${API}/declarations/${id}.pdf`],
    ['GET', `${API}/declarations/${id}/scan`],
  ]) {
    const r = await cl.pudong.req(m, path, body);
    assertError(r, 404, 'not_found', undefined, `pudong ${m} ${path}`);
    const c = await cl.cb1.req(m, path, body);
    assertError(c, 404, 'not_found', undefined, `cb1 ${m} ${path}`);
  }
  const own = await list(cl.pudong);
  assert.equal(own.total, 1);
  assert.deepEqual(names(own), ['浦东新区市场监管局']);
  const own2 = await list(cl.pudong, `&q=${q('黄浦')}`);
  assert.equal(own2.total, 0, 'q must not widen the scope');
  const cbl = await list(cl.cb1);
  assert.deepEqual(names(cbl), ['沪联质量认证中心（演示）']);

  assertError(await cl.ent1.get(`${API}/declarations`), 403, 'forbidden', undefined, 'ent1 list');
  assertError(await cl.ent1.get(`${API}/declarations/${id}`), 403, 'forbidden', undefined, 'ent1 get');
  assertError(await cl.ent1.post(`${API}/declarations`, { form: { unit_name: 'x' } }), 403, 'forbidden', undefined, 'ent1 create');
  assertError(await cl.pudong.post(`${API}/declarations/${id}/return`, { reason: '请补充材料后重新提交' }), 403, 'forbidden', undefined, 'pudong return');
  assertError(await cl.pudong.post(`${API}/declarations/${id}/accept`), 403, 'forbidden', undefined, 'pudong accept');
  assertError(await cl.huangpu.post(`${API}/declarations/${id}/accept`), 403, 'forbidden', undefined, 'owner accepts itself');
  assertError(await cl.cb1.post(`${API}/declarations/${id}/return`, { reason: '请补充材料后重新提交' }), 403, 'forbidden', undefined, 'cb1 return');
  assertError(await cl.pudong.post(`${API}/selections`, { industry: '集成电路', cb_unit_id: 21 }), 403, 'forbidden', undefined, 'pudong selects');
  assertError(await cl.city.get(`${API}/declarations/mine`), 403, 'forbidden', undefined, 'city /mine');
  assertError(await cl.city.post(`${API}/declarations`, { form: { unit_name: '上海市市场监督管理局' } }), 403, 'forbidden', undefined, 'city create');
  const anon = new Client(srv.base);
  assertError(await anon.get(`${API}/declarations`), 401, 'not_authenticated', undefined, 'anonymous');
  assertError(await anon.get(`${API}/declarations/${id}.pdf`), 401, 'not_authenticated', undefined, 'anonymous pdf');
  // no CSRF token
  const noCsrf = await cl.huangpu.req('POST', `${API}/declarations/${id}/submit`, {}, { 'x-csrf-token': 'wrong' });
  assertError(noCsrf, 403, 'csrf_failed', undefined, 'wrong csrf');
  const d = (await cl.city.get(`${API}/declarations/${id}`)).json;
  assert.equal(d.status, 'submitted', 'refused requests changed the state');
  assert.equal(d.version, 1);
  assert.equal(d.form.leader, '王芳');
  assertError(await cl.city.get(`${API}/declarations/999999`), 404, 'not_found', undefined, 'unknown id');
});

// ---------------------------------------------------------------- scan

test('scan: PDF upload, download with the same bytes', async () => {
  const path = `${API}/declarations/${ids.huangpu}/scan`;
  const pdf = minimalPdf();
  const r = await cl.huangpu.req('PUT', `${path}?filename=${q('盖章.pdf')}`, pdf, { 'content-type': 'application/pdf' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, ids.huangpu, 'answers the declaration');
  assert.equal(r.json.scan?.filename, '盖章.pdf', JSON.stringify(r.json.scan));
  assert.equal(r.json.scan.size, pdf.length);
  assert.equal(r.json.scan.content_type, 'application/pdf');
  assert.equal(typeof r.json.scan.uploaded_at, 'string');
  for (const c of [cl.huangpu, cl.city]) {
    const g = await getBytes(c, path);
    assert.equal(g.status, 200, g.text);
    assert.ok(Buffer.from(pdf).equals(g.buf), 'downloaded bytes differ');
    assert.match(g.headers.get('content-type') || '', /^application\/pdf/);
    const cd = g.headers.get('content-disposition') || '';
    assert.match(cd, /^attachment/i, cd);
    const m = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(cd);
    assert.ok(m, `filename* missing: ${cd}`);
    assert.equal(decodeURIComponent(m[1]), '盖章.pdf');
  }
});

test('scan: PNG and JPEG by content replace the previous scan', async () => {
  const path = `${API}/declarations/${ids.huangpu}/scan`;
  const jpg = minimalJpeg();
  const j = await cl.huangpu.req('PUT', `${path}?filename=scan.jpg`, jpg, { 'content-type': 'image/jpeg' });
  assert.equal(j.status, 200, j.text);
  assert.equal(j.json.scan.content_type, 'image/jpeg');
  const png = minimalPng();
  const r = await cl.huangpu.req('PUT', `${path}?filename=${q('盖章页.png')}`, png, { 'content-type': 'image/png' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.scan.filename, '盖章页.png');
  assert.equal(r.json.scan.size, png.length);
  assert.equal(r.json.scan.content_type, 'image/png');
  const g = await getBytes(cl.huangpu, path);
  assert.equal(g.status, 200);
  assert.ok(Buffer.from(png).equals(g.buf), 'the PNG replaced the PDF');
  assert.match(g.headers.get('content-type') || '', /^image\/png/);
});

test('scan: wrong content, wrong type, empty, too large, JSON, other unit are refused; scan unchanged', async () => {
  const path = `${API}/declarations/${ids.huangpu}/scan`;
  const png = minimalPng();
  const up = (c, name, body, type) => c.req('PUT', `${path}?filename=${q(name)}`, body, type ? { 'content-type': type } : {});
  assertError(await up(cl.huangpu, 'x.pdf', fakeExe(), 'application/pdf'), 415, 'unsupported_media_type', undefined, 'exe named x.pdf');
  assertError(await up(cl.huangpu, 'x.png', minimalPdf(), 'image/png'), 415, 'unsupported_media_type', undefined, 'PDF sent as image/png');
  assertError(await up(cl.huangpu, 'x.pdf', minimalPng(), 'application/pdf'), 415, 'unsupported_media_type', undefined, 'PNG sent as application/pdf');
  assertError(await up(cl.huangpu, 'x.pdf', new Uint8Array(0), 'application/pdf'), 422, 'invalid', undefined, 'empty body');
  assertError(await cl.huangpu.req('PUT', path + '?filename=x.json', JSON.stringify({ file: 'JVBERi0=' }), { 'content-type': 'application/json' }),
    415, 'unsupported_media_type', undefined, 'JSON body');
  // over 10 MiB: a valid PDF header followed by padding
  const big = new Uint8Array(10 * 1024 * 1024 + 1024);
  big.set(minimalPdf().subarray(0, 9));
  let tooBig;
  try {
    tooBig = await up(cl.huangpu, 'big.pdf', big, 'application/pdf');
  } catch (e) {
    assert.fail(`a body over 10 MiB must be answered 413, the connection failed instead: ${e.cause?.code || e.message}`);
  }
  assertError(tooBig, 413, 'body_too_large', undefined, '> 10 MiB');
  // another unit: 404; the city (not the owner): refused
  assertError(await up(cl.pudong, 'x.pdf', minimalPdf(), 'application/pdf'), 404, 'not_found', undefined, 'pudong uploads');
  const city = await up(cl.city, 'x.pdf', minimalPdf(), 'application/pdf');
  assert.equal(city.status, 403, `city uploads someone's scan: ${city.text}`);

  const d = (await cl.huangpu.get(`${API}/declarations/${ids.huangpu}`)).json;
  assert.equal(d.scan.filename, '盖章页.png', 'a refused upload replaced the scan');
  assert.equal(d.scan.size, png.length);
  const g = await getBytes(cl.huangpu, path);
  assert.ok(Buffer.from(png).equals(g.buf), 'stored scan changed');
  // a declaration without a scan
  const none = await cl.city.get(`${API}/declarations/${ids.pudong}/scan`);
  assertError(none, 404, 'not_found', undefined, 'no scan yet');
});

// ---------------------------------------------------------------- not joining, CB

let putuo;
test('a unit that does not join submits a short declaration', async () => {
  const units = await cl.city.get(`${API}/units?kind=district&q=${q('普陀')}`);
  assert.equal(units.status, 200, units.text);
  const unit = units.json.items.find((u) => u.district === '普陀区');
  assert.ok(unit, 'no 普陀区 unit');
  const u = await cl.city.post(`${API}/users`, { username: 'putuo.test', display_name: '普陀区 测试', role: 'district_officer',
    unit_id: unit.id, password: 'Putuo-Pilot-2021' });
  assert.equal(u.status, 201, u.text);
  putuo = await login('putuo.test', 'Putuo-Pilot-2021');
  assert.equal((await putuo.get(`${API}/declarations/mine`)).status, 404);
  const c = await putuo.post(`${API}/declarations`, { form: { unit_name: '普陀区市场监管局', joins_pilot: false } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.unit.id, unit.id);
  ids.putuo = c.json.id;
  const s = await putuo.post(`${API}/declarations/${ids.putuo}/submit`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted');
  assert.equal(s.json.form.joins_pilot, false);
  assert.deepEqual(s.json.form.industries ?? [], []);
  assert.equal(s.json.version, 1);
  assert.equal(s.json.late, true);
});

test('certification body cb2: CB rules', async () => {
  const c = cl.cb2;
  const withInd = await c.post(`${API}/declarations`, { form: { unit_name: CB2_FORM.unit_name, joins_pilot: true, industries: ['集成电路'] } });
  assertError(withInd, 422, 'invalid', 'industries', 'industries on a CB form (POST)');
  assert.equal((await c.get(`${API}/declarations/mine`)).status, 404, 'a refused POST created a declaration');
  const r = await c.post(`${API}/declarations`, { form: { unit_name: CB2_FORM.unit_name, joins_pilot: true } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.category, 'certification_body');
  assert.equal(r.json.unit.kind, 'cb');
  assert.equal(r.json.status, 'draft');
  ids.cb2 = r.json.id;
  const f = (over) => JSON.parse(JSON.stringify({ ...CB2_FORM, ...over }));
  await assertRejected(c, ids.cb2, f({ industries: ['集成电路'] }), 'industries', 'industries on a CB form');
  await assertRejected(c, ids.cb2, f({ ownership_other: undefined }), 'ownership_other', 'ownership other without ownership_other');
  await assertRejected(c, ids.cb2, f({ ownership: 'private' }), 'ownership_other', 'ownership_other with ownership private');
  await assertRejected(c, ids.cb2, f({ ownership: 'alien', ownership_other: undefined }), 'ownership', 'unknown ownership');
  await assertRejected(c, ids.cb2, f({ founded: '2021-05-11' }), 'founded', 'founded tomorrow');
  await assertRejected(c, ids.cb2, f({ founded: '2012-13-01' }), 'founded', 'founded not a date');
  await assertRejected(c, ids.cb2, f({ qualifications: undefined }), 'qualifications', 'qualifications missing');
  await assertRejected(c, ids.cb2, f({ province: undefined }), 'province', 'province missing');
  await assertRejected(c, ids.cb2, f({ qualifications: '资'.repeat(501) }), 'qualifications', 'qualifications 501');
  const d = (await c.get(`${API}/declarations/${ids.cb2}`)).json;
  assert.equal(d.status, 'draft');
  const today = await put(c, `${API}/declarations/${ids.cb2}`, { form: f({ founded: '2021-05-10' }) });
  assert.equal(today.status, 200, `founded today is allowed: ${today.text}`);
  const ok = await put(c, `${API}/declarations/${ids.cb2}`, { form: CB2_FORM });
  assert.equal(ok.status, 200, ok.text);
  const s = await c.post(`${API}/declarations/${ids.cb2}/submit`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted');
  assert.equal(s.json.late, true);
  assert.equal(s.json.form.ownership, 'other');
  assert.equal(s.json.form.ownership_other, '社会服务机构');
  assert.equal(s.json.form.founded, '2012-06-18');
  assert.deepEqual(s.json.form.industries ?? [], []);
});

// ---------------------------------------------------------------- city: list filters

test('city list filters', async () => {
  // demo 7 + huangpu, putuo, cb2 (all three submitted late)
  const all = await list(cl.city);
  assert.equal(all.total, 10);
  const count = async (qs) => (await list(cl.city, qs)).total;
  assert.equal(await count('&category=certification_body'), 2);
  assert.deepEqual(names(await list(cl.city, '&category=certification_body')), ['沪联质量认证中心（演示）', '申诚认证有限公司（演示）'].sort());
  assert.equal(await count('&category=market_regulation'), 8);
  assert.deepEqual(names(await list(cl.city, '&joins=false')), ['普陀区市场监管局', '静安区市场监管局'].sort());
  assert.equal(await count('&joins=true'), 8);
  assert.deepEqual(names(await list(cl.city, '&status=submitted')),
    ['申诚认证有限公司（演示）', '普陀区市场监管局', '闵行区市场监管局', '黄浦区市场监管局'].sort());
  assert.equal(await count('&status=accepted'), 4);
  assert.deepEqual(names(await list(cl.city, '&status=returned')), ['嘉定区市场监管局']);
  assert.deepEqual(names(await list(cl.city, '&status=draft')), ['杨浦区市场监管局']);
  assert.deepEqual(names(await list(cl.city, '&late=true')),
    ['申诚认证有限公司（演示）', '普陀区市场监管局', '闵行区市场监管局', '黄浦区市场监管局'].sort());
  assert.equal(await count('&late=false'), 6);
  assert.deepEqual(names(await list(cl.city, `&industry=${q('集成电路')}`)), ['浦东新区市场监管局', '黄浦区市场监管局'].sort());
  assert.deepEqual(names(await list(cl.city, `&industry=${q('汽车')}`)), ['嘉定区市场监管局', '闵行区市场监管局'].sort());
  assert.equal(await count(`&industry=${q('养老')}`), 0);
  assert.deepEqual(names(await list(cl.city, `&q=${q('浦东')}`)), ['浦东新区市场监管局']);
  assert.equal(await count(`&q=${q('认证')}`), 2);
  assert.equal(await count(`&q=${q('%')}`), 0, 'q=% must not match everything');
  assert.equal(await count('&category=market_regulation&status=accepted'), 3);
  assert.equal(await count(`&category=certification_body&industry=${q('集成电路')}`), 0);
  assert.equal(await count('&joins=true&late=true&status=submitted'), 3);
  for (const bad of ['category=bank', 'category=district', 'joins=yes', 'joins=1', 'status=done', 'status=SUBMITTED',
    'late=maybe', 'per_page=0', 'per_page=201', 'page=0']) {
    const r = await cl.city.get(`${API}/declarations?${bad}`);
    assertError(r, 422, 'invalid', undefined, `filter ${bad}`);
  }
  const p = await cl.city.get(`${API}/declarations?per_page=3&page=2`);
  assert.equal(p.status, 200);
  assert.equal(p.json.items.length, 3);
  assert.equal(p.json.total, 10);
  assert.equal(p.json.page, 2);
  assert.equal(p.json.per_page, 3);
});

test('industry filter outside the catalogue is 422 (docs/api.md: "industry (a catalogue name)")', async () => {
  for (const path of [`${API}/declarations?industry=${q('区块链')}`, `${API}/declarations.xlsx?industry=${q('区块链')}`]) {
    const r = await cl.city.get(path);
    assertError(r, 422, 'invalid', undefined, `GET ${decodeURIComponent(path)}`);
  }
});

// ---------------------------------------------------------------- return, resubmit, accept

test('return needs a reason; the owner sees it', async () => {
  const id = ids.huangpu;
  assertError(await cl.city.post(`${API}/declarations/${id}/return`, {}), 422, 'invalid', 'reason', 'return without reason');
  assertError(await cl.city.post(`${API}/declarations/${id}/return`, { reason: '' }), 422, 'invalid', 'reason', 'empty reason');
  assertError(await cl.city.post(`${API}/declarations/${id}/return`, { reason: null }), 422, 'invalid', 'reason', 'null reason');
  assertError(await cl.city.post(`${API}/declarations/${id}/return`, { reason: '退'.repeat(501) }), 422, 'invalid', 'reason', 'reason 501');
  assertError(await cl.city.post(`${API}/declarations/${id}/return`, { reason: 5 }), 400, 'bad_type', undefined, 'reason number');
  assert.equal((await cl.city.get(`${API}/declarations/${id}`)).json.status, 'submitted', 'a refused return changed the status');

  const reason = '请补充拟优先推荐的特色产业园区，负责人请填写分管局领导';
  const r = await cl.city.post(`${API}/declarations/${id}/return`, { reason });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.return_reason, reason);
  const mine = await cl.huangpu.get(`${API}/declarations/mine`);
  assert.equal(mine.json.status, 'returned');
  assert.equal(mine.json.return_reason, reason);
  assert.equal(mine.json.version, 1);
  assertError(await cl.city.post(`${API}/declarations/${id}/return`, { reason }), 409, 'conflict', undefined, 'return a returned one');
  assertError(await cl.city.post(`${API}/declarations/${id}/accept`), 409, 'conflict', undefined, 'accept a returned one');
  // a returned declaration can be edited again
  const e = await put(cl.huangpu, `${API}/declarations/${id}`, { form: { ...HUANGPU_FORM, leader: '李强', contact_phone: '13900001111' } });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.status, 'returned');
  const s = await cl.huangpu.post(`${API}/declarations/${id}/submit`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'submitted');
  assert.equal(s.json.version, 2);
  assert.equal(s.json.versions.length, 2);
});

test('versions: 1 and 2 differ in the edited fields; unknown versions 404', async () => {
  const id = ids.huangpu;
  const v1 = await cl.city.get(`${API}/declarations/${id}/versions/1`);
  const v2 = await cl.city.get(`${API}/declarations/${id}/versions/2`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v1.json.version, 1);
  assert.equal(v2.json.version, 2);
  assert.equal(v1.json.form.leader, '王芳');
  assert.equal(v2.json.form.leader, '李强');
  assert.equal(v1.json.form.contact_phone, '021-63210000');
  assert.equal(v2.json.form.contact_phone, '13900001111');
  assert.deepEqual(v1.json.form.industries, v2.json.form.industries);
  assert.equal(v2.json.submitted_by, 'huangpu');
  assert.equal(typeof v2.json.submitted_at, 'string');
  for (const v of ['99', '0', '-1', 'abc']) {
    const r = await cl.city.get(`${API}/declarations/${id}/versions/${v}`);
    assert.equal(r.status, 404, `version ${v}: ${r.text}`);
  }
  // the owner reads its own versions
  assert.equal((await cl.huangpu.get(`${API}/declarations/${id}/versions/2`)).status, 200);
});

test('versions list records the outcome and return_reason (docs/api.md)', async () => {
  const d = (await cl.city.get(`${API}/declarations/${ids.huangpu}`)).json;
  const v1 = d.versions.find((v) => v.version === 1);
  assert.ok(v1, JSON.stringify(d.versions));
  assert.equal(v1.submitted_by, 'huangpu');
  assert.equal(v1.return_reason, '请补充拟优先推荐的特色产业园区，负责人请填写分管局领导');
  assert.equal(v1.outcome, 'returned', `versions[].outcome per docs/api.md: ${JSON.stringify(v1)}`);
  assert.equal(v1.late, true);
});

test('accept: accepted, then no more transitions or edits', async () => {
  const id = ids.huangpu;
  const r = await cl.city.post(`${API}/declarations/${id}/accept`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'accepted');
  assert.equal(typeof r.json.accepted_at, 'string');
  assert.equal(r.json.version, 2);
  assertError(await cl.city.post(`${API}/declarations/${id}/accept`), 409, 'conflict', undefined, 'accept twice');
  assertError(await cl.city.post(`${API}/declarations/${id}/return`, { reason: '再次退回测试理由' }), 409, 'conflict', undefined, 'return after accept');
  assertError(await put(cl.huangpu, `${API}/declarations/${id}`, { form: HUANGPU_FORM }), 409, 'conflict', undefined, 'PUT after accept');
  assertError(await cl.huangpu.post(`${API}/declarations/${id}/submit`), 409, 'conflict', undefined, 'submit after accept');
  const d = (await cl.huangpu.get(`${API}/declarations/mine`)).json;
  assert.equal(d.status, 'accepted');
  assert.equal(d.form.leader, '李强');
  // accept the draft of 杨浦区: not submitted → 409
  const yp = (await list(cl.city, `&q=${q('杨浦')}`)).items[0];
  assertError(await cl.city.post(`${API}/declarations/${yp.id}/accept`), 409, 'conflict', undefined, 'accept a draft');
});

test('history lists create, update, submit, return, accept with usernames', async () => {
  const d = (await cl.city.get(`${API}/declarations/${ids.huangpu}`)).json;
  const seen = (action, username) => d.history.some((h) => h.action === action && h.username === username);
  for (const [a, u] of [['declaration.create', 'huangpu'], ['declaration.update', 'huangpu'], ['declaration.submit', 'huangpu'],
    ['declaration.return', 'city'], ['declaration.accept', 'city']])
    assert.ok(seen(a, u), `history lacks ${a} by ${u}: ${JSON.stringify(d.history.map((h) => [h.action, h.username]))}`);
  assert.equal(d.history.filter((h) => h.action === 'declaration.submit').length, 2, 'two submissions');
  for (const h of d.history) assert.match(h.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // refused requests are not in the history as changes
  assert.equal(d.history.filter((h) => h.action === 'declaration.accept').length, 1);
  const log = await cl.city.get(`${API}/audit-log?action=declaration.return&per_page=200`);
  assert.equal(log.status, 200, log.text);
  assert.ok(log.json.items.some((e) => e.object_id === ids.huangpu && e.username === 'city'), 'audit log has the return');
});

// ---------------------------------------------------------------- PDF and Excel

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

test('PDF of a declaration', async () => {
  const r = await getBytes(cl.huangpu, `${API}/declarations/${ids.huangpu}.pdf`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/pdf/);
  assert.equal(r.buf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(r.buf.includes(Buffer.from('%%EOF')), 'PDF not terminated');
  const cb = await getBytes(cl.city, `${API}/declarations/${ids.cb2}.pdf`);
  assert.equal(cb.status, 200, cb.text);
  assert.equal(cb.buf.subarray(0, 5).toString('latin1'), '%PDF-');
  assertError(await cl.pudong.get(`${API}/declarations/${ids.huangpu}.pdf`), 404, 'not_found', undefined, 'pudong pdf');
  assertError(await cl.city.get(`${API}/declarations/999999.pdf`), 404, 'not_found', undefined, 'unknown pdf');
  if (!hasPdftotext) return; // poppler-utils is installed by the test setup
  const text = (buf, name) => {
    const f = join(tmp, name);
    writeFileSync(f, buf);
    const t = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    return t.stdout.replace(/\s+/g, '');
  };
  const t1 = text(r.buf, 'huangpu.pdf');
  assert.ok(t1.includes('黄浦区市场监管局'), `unit name not in the PDF text: ${t1.slice(0, 300)}`);
  assert.ok(t1.includes('试点工作申报表'), `title not in the PDF text: ${t1.slice(0, 300)}`);
  assert.ok(t1.includes('李强'), 'the current leader is printed');
  const t2 = text(cb.buf, 'cb2.pdf');
  assert.ok(t2.includes('申诚认证有限公司'), `cb name not in the PDF text: ${t2.slice(0, 300)}`);
});

function xlsxText(buf, name) {
  const f = join(tmp, name);
  writeFileSync(f, buf);
  let s = '';
  for (const part of ['xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml']) {
    const r = spawnSync('unzip', ['-p', f, part], { encoding: 'utf8' });
    s += r.stdout || '';
  }
  assert.ok(s.includes('<'), 'no sheet XML found in the xlsx');
  return s;
}

test('Excel export of the declarations', async () => {
  const r = await getBytes(cl.city, `${API}/declarations.xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /spreadsheetml|application\/vnd\.ms-excel|octet-stream/);
  assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK');
  const s = xlsxText(r.buf, 'all.xlsx');
  for (const want of ['浦东新区市场监管局', '申诚认证', '黄浦区市场监管局', '试点行业（初步意向）', '沪联质量认证中心'])
    assert.ok(s.includes(want), `xlsx lacks ${want}`);

  const cbOnly = await getBytes(cl.city, `${API}/declarations.xlsx?category=certification_body`);
  assert.equal(cbOnly.status, 200, cbOnly.text);
  const t = xlsxText(cbOnly.buf, 'cb.xlsx');
  assert.ok(!t.includes('浦东新区市场监管局'), 'category filter ignored in the xlsx');
  assert.ok(t.includes('申诚认证'), 'cb rows missing');
  assert.ok(t.includes('试点行业（初步意向）'), 'header missing in the filtered export');

  const late = await getBytes(cl.city, `${API}/declarations.xlsx?status=returned`);
  assert.equal(late.status, 200);
  const t3 = xlsxText(late.buf, 'returned.xlsx');
  assert.ok(t3.includes('嘉定区市场监管局') && !t3.includes('黄浦区市场监管局'), 'status filter ignored in the xlsx');

  assertError(await cl.pudong.get(`${API}/declarations.xlsx`), 403, 'forbidden', undefined, 'pudong xlsx');
  assertError(await cl.cb1.get(`${API}/declarations.xlsx`), 403, 'forbidden', undefined, 'cb1 xlsx');
  assertError(await cl.city.get(`${API}/declarations.xlsx?status=done`), 422, 'invalid', undefined, 'xlsx bad filter');
});

// ---------------------------------------------------------------- before the deadline

test('a submission before the deadline is not late', async () => {
  const early = await startServer({ today: '2021-02-10' });
  try {
    const c = new Client(early.base);
    assert.equal((await c.login('huangpu')).status, 200);
    const r = await c.post(`${API}/declarations`, { form: HUANGPU_FORM });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.deadline.days_left, 10);
    assert.equal(r.json.deadline.state, 'due_soon');
    const s = await c.post(`${API}/declarations/${r.json.id}/submit`);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.status, 'submitted');
    assert.equal(s.json.late, false);
    assert.equal(s.json.version, 1);
    assert.notEqual(s.json.deadline.state, 'due_soon', 'submitted: the deadline is done');
    const city = new Client(early.base);
    assert.equal((await city.login('city')).status, 200);
    const l = await city.get(`${API}/declarations?late=false&q=${q('黄浦')}`);
    assert.equal(l.status, 200);
    assert.equal(l.json.total, 1);
  } finally {
    await early.stop();
  }
});
