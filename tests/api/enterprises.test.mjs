// Enterprises 企业名录 · 帮扶台账 (docs/api.md "Enterprises"): the demo registry,
// data scope per role, filters and paging, phone masking, creation with USCC and
// size-class checks, updates, indicators, the contact account, the assignment to a
// certification body, the counts, the CSV template and import (including a
// 10,000-row file), the ledger export and the audit entries.
// Tests run in order and share one server (demo data, simulated date 2021-05-10);
// the 10,000-row import gets its own server so the shared registry stays small.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
let srv;
let tmp;
const cl = {}; // logged-in clients by username
const E = {}; // demo enterprise ids by short name
const CB = {}; // certification-body unit ids: cb1, cb2
const made = {}; // ids of enterprises created by this file

const PUDONG = [
  ['pujiang', '上海浦江精密电子有限公司（演示）', '913101156A8K3M2P7U', '集成电路'],
  ['xintu', '上海芯途微电子有限公司（演示）', '91310115TCULH87WLK', '集成电路'],
  ['jingyao', '上海晶曜封装测试有限公司（演示）', '913101151EFJ2A89F9', '集成电路'],
  ['weilian', '上海微链芯片设计有限公司（演示）', '913101152XW55T1P3Y', '集成电路'],
  ['ruice', '上海锐测半导体设备有限公司（演示）', '91310115MNH91HTMEC', '集成电路'],
  ['kangyuan', '上海康源生物科技有限公司（演示）', '9131011536KXLELYTQ', '生物医药'],
  ['ruiji', '上海瑞济医疗器械有限公司（演示）', '91310115Y8GAMBRCNB', '生物医药'],
  ['baicheng', '上海百澄检测技术有限公司（演示）', '91310115377EEF3LHU', '生物医药'],
  ['hexin', '上海禾信试剂有限公司（演示）', '913101157EF9W4800C', '生物医药'],
  ['annuo', '上海安诺生物医药有限公司（演示）', '91310115HQW76Q5TRB', '生物医药'],
];
const HUANGPU = [
  ['waitan', '上海外滩时尚服饰有限公司（演示）', '913101017CDJLBNT8H', '时尚消费品'],
  ['yuyuan', '上海豫园匠心工艺品有限公司（演示）', '9131010118225WJENN', '时尚消费品'],
  ['xintiandi', '上海新天地香氛有限公司（演示）', '913101017J4LYXDCQT', '时尚消费品'],
  ['yunshang', '上海云裳在线科技有限公司（演示）', '913101018D5LD4KTN4', '在线新经济'],
  ['dianjiang', '上海点将网络科技有限公司（演示）', '91310101FX93B0EXHC', '在线新经济'],
];
const CB1_NAME = '沪联质量认证中心（演示）';
const CB2_NAME = '申诚认证有限公司（演示）';

async function login(username, password) {
  const c = new Client(srv.base);
  const r = await c.login(username, password);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  srv = await startServer();
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-ent-'));
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(u);
  const units = await cl.city.get(`${API}/units?kind=cb&per_page=200`);
  assert.equal(units.status, 200, units.text);
  for (const u of units.json.items) {
    if (u.name === CB1_NAME) CB.cb1 = u.id;
    if (u.name === CB2_NAME) CB.cb2 = u.id;
  }
  assert.ok(CB.cb1 && CB.cb2, 'demo certification bodies not found');
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
  const r = await c.get(`${API}/enterprises?per_page=200${query}`);
  assert.equal(r.status, 200, `list ${query}: ${r.text}`);
  assert.ok(Array.isArray(r.json.items), `list ${query}: items`);
  assert.equal(r.json.items.length, Math.min(r.json.total, 200), `list ${query}: items vs total`);
  return r.json;
}
async function total(c, query = '') {
  const r = await c.get(`${API}/enterprises?per_page=1${query}`);
  assert.equal(r.status, 200, `count ${query}: ${r.text}`);
  return r.json.total;
}
async function getEnt(c, id) {
  const r = await c.get(`${API}/enterprises/${id}`);
  assert.equal(r.status, 200, `GET enterprise ${id}: ${r.text}`);
  return r.json;
}
const names = (l) => l.items.map((e) => e.name).sort();

// A role that may never do something (cb staff editing) may get 403 before the scope
// check, but an out-of-scope record must answer exactly like an unknown id (404 or 403).
async function assertNoLeak(c, method, path, unknownPath, body, what) {
  const r = await c.req(method, path, body);
  const u = await c.req(method, unknownPath, body);
  assert.ok([403, 404].includes(r.status), `${what}: ${r.status} ${r.text}`);
  assert.equal(r.status, u.status, `${what}: ${r.status} for an existing record, ${u.status} for an unknown one`);
  assert.equal(r.json?.error?.code, u.json?.error?.code, what);
}

// Raw bytes of a GET (Client.req decodes as text, which would drop a BOM or corrupt binaries).
async function getBytes(c, path) {
  const h = {};
  if (c.cookie) h.cookie = c.cookie;
  const r = await fetch(srv.base + path, { headers: h, redirect: 'manual' });
  const buf = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* binary */ }
  return { status: r.status, headers: r.headers, buf, json, text: buf.toString('utf8', 0, 500) };
}

// GB 32100-2015 check character.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function checkChar(s17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(s17[i]) * USCC_W[i];
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c];
}
const withCheck = (s17) => s17 + checkChar(s17);
let usccSeq = 0;
// A fresh valid USCC with the given region code; 'Q' + 8 digits never clashes with the demo data.
const newUscc = (region = '310115', letter = 'Q') =>
  withCheck(`91${region}${letter}${String(++usccSeq).padStart(8, '0')}`);
const wrongCheck = (u) => u.slice(0, 17) + (u[17] === '0' ? '1' : '0');
const fullWidth = (s) => s.replace(/[0-9A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xFEE0));

function pudongBody(over = {}) {
  return {
    name: '上海测试精工有限公司', uscc: newUscc(), address: '上海市浦东新区测试路1号',
    industry: '集成电路', park: '张江高科技园区', sector: '工业', employees: 30, revenue: 500,
    total_assets: 300, contact_name: '李雷', contact_phone: '13912345678', consent: true, ...over,
  };
}

const ENTERPRISE_KEYS = ['id', 'name', 'uscc', 'address', 'district', 'district_unit_id', 'industry', 'park',
  'sector', 'sector_name', 'employees', 'revenue', 'total_assets', 'size_class', 'size_class_name',
  'contact_name', 'contact_phone', 'consent', 'region_warning', 'assignment', 'created_at', 'updated_at'];
function assertShape(e, what) {
  for (const k of ENTERPRISE_KEYS) assert.ok(k in e, `${what}: enterprise lacks ${k}: ${JSON.stringify(e)}`);
}

// CSV import helpers.
const HEAD = ['企业名称', '统一社会信用代码', '地址', '所属区', '试点行业', '所属园区/基地/创新中心', '划型行业',
  '从业人员（人）', '营业收入（万元）', '资产总额（万元）', '联系人', '联系电话', '自愿参加（是/否）'];
const csvField = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function csvRow(o) {
  return [o.name, o.uscc, o.address ?? '上海市浦东新区导入路1号', o.district ?? '浦东新区', o.industry ?? '集成电路',
    o.park ?? '张江高科技园区', o.sector ?? '工业', o.employees ?? 30, o.revenue ?? 500, o.total_assets ?? 300,
    o.contact_name ?? '张三', o.contact_phone ?? '13912340000', o.consent ?? '是']
    .map(String).map(csvField).join(',');
}
const csv = (lines, eol = '\r\n') => lines.join(eol) + eol;
const BOM = '\uFEFF';
function importCsv(c, body, query = '', type = 'text/csv') {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return c.req('POST', `${API}/enterprises/import${query}`, payload, { 'content-type': type });
}
function rowAt(result, line) {
  return result.rows.find((r) => r.line === line);
}

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
const xmlEscape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// ---------------------------------------------------------------- check character

test('the GB 32100 check character helper agrees with known codes', () => {
  assert.equal(checkChar('91350100M000100Y4'), '3');
  assert.equal(checkChar('91310000607216596'), 'U');
  for (const [, , uscc] of [...PUDONG, ...HUANGPU]) assert.equal(checkChar(uscc), uscc[17], uscc);
});

// ---------------------------------------------------------------- demo data and scope

test('demo registry: 15 enterprises, 10 in 浦东新区 all assigned, 5 in 黄浦区 none assigned', async () => {
  const all = await list(cl.city);
  assert.equal(all.total, 15, `city sees ${all.total}: ${names(all)}`);
  for (const e of all.items) assertShape(e, 'list item');
  for (const [key, name, uscc, industry] of PUDONG) {
    const e = all.items.find((x) => x.name === name);
    assert.ok(e, `demo enterprise ${name} missing`);
    E[key] = e.id;
    assert.equal(e.uscc, uscc);
    assert.equal(e.district, '浦东新区');
    assert.equal(e.industry, industry);
    assert.ok(e.assignment, `${name} not assigned`);
    assert.equal(e.assignment.cb.id, CB.cb1, `${name} assigned to ${JSON.stringify(e.assignment)}`);
    assert.equal(e.assignment.cb.name, CB1_NAME);
    assert.equal(e.consent, true);
    assert.ok(['micro', 'small'].includes(e.size_class), `${name} size ${e.size_class}`);
    assert.ok(!('indicators' in e), 'indicators are in the single record only');
  }
  for (const [key, name, uscc, industry] of HUANGPU) {
    const e = all.items.find((x) => x.name === name);
    assert.ok(e, `demo enterprise ${name} missing`);
    E[key] = e.id;
    assert.equal(e.uscc, uscc);
    assert.equal(e.district, '黄浦区');
    assert.equal(e.industry, industry);
    assert.equal(e.assignment, null, `${name} should not be assigned`);
  }
  const byIndustry = {};
  for (const e of all.items) byIndustry[`${e.district}/${e.industry}`] = (byIndustry[`${e.district}/${e.industry}`] || 0) + 1;
  assert.deepEqual(byIndustry, { '浦东新区/集成电路': 5, '浦东新区/生物医药': 5, '黄浦区/时尚消费品': 3, '黄浦区/在线新经济': 2 });

  // the first six pudong enterprises have a 2020 baseline, the others none
  for (const [i, [key, name]] of PUDONG.entries()) {
    const e = await getEnt(cl.pudong, E[key]);
    assert.ok(e.indicators, `${name}: single record has indicators`);
    if (i < 6) {
      assert.ok(e.indicators.baseline, `${name}: baseline expected`);
      assert.equal(e.indicators.baseline.period, '2020年度', name);
    } else {
      assert.equal(e.indicators.baseline, null, `${name}: no baseline expected`);
    }
    if (name === '上海晶曜封装测试有限公司（演示）') {
      // re-assessed in May: its follow-up figures are in the demo
      assert.equal(e.indicators.followup.period, '2021年4月', name);
      assert.equal(e.indicators.followup.first_pass_yield, 97.5, name);
    } else {
      assert.equal(e.indicators.followup, null, `${name}: no follow-up yet`);
    }
  }
  const p = await getEnt(cl.pudong, E.pujiang);
  assert.equal(p.sector, 'industry');
  assert.equal(p.sector_name, '工业');
  assert.equal(p.size_class, 'small');
  assert.equal(p.size_class_name, '小型');
  assert.equal(p.district_unit_id, (await cl.pudong.get(`${API}/me`)).json.user.unit.id);
  assert.equal(p.employees, 45);
  assert.equal(p.revenue, 1200);
  assert.equal(p.total_assets, 800);
});

test('data scope: each role sees exactly its enterprises', async () => {
  const pd = await list(cl.pudong);
  assert.equal(pd.total, 10);
  assert.ok(pd.items.every((e) => e.district === '浦东新区'), 'pudong sees another district');
  const hp = await list(cl.huangpu);
  assert.equal(hp.total, 5);
  assert.ok(hp.items.every((e) => e.district === '黄浦区'), 'huangpu sees another district');
  const c1 = await list(cl.cb1);
  assert.equal(c1.total, 10, 'cb1 sees its 10 assigned enterprises');
  assert.ok(c1.items.every((e) => e.assignment?.cb?.id === CB.cb1), 'cb1 sees an enterprise not assigned to it');
  const c2 = await list(cl.cb2);
  assert.equal(c2.total, 0, 'cb2 has no assigned enterprise');
  assert.deepEqual(c2.items, []);
  const e1 = await list(cl.ent1);
  assert.equal(e1.total, 1);
  assert.equal(e1.items[0].id, E.pujiang);
  assert.equal(e1.items[0].uscc, '913101156A8K3M2P7U');
  // filters never widen the scope
  assert.equal(await total(cl.ent1, `&district=${q('黄浦区')}`), 0);
  assert.equal(await total(cl.cb1, `&district=${q('黄浦区')}`), 0);
  const r = await cl.pudong.get(`${API}/enterprises?per_page=200&district=${q('黄浦区')}`);
  if (r.status === 200) assert.ok(r.json.items.every((e) => e.district === '浦东新区'), 'pudong reads 黄浦区 through the filter');

  assertError(await new Client(srv.base).get(`${API}/enterprises`), 401, 'not_authenticated', undefined, 'anonymous list');
});

test('records outside the scope answer 404, not 403', async () => {
  assertError(await cl.pudong.get(`${API}/enterprises/${E.waitan}`), 404, 'not_found', undefined, 'pudong → huangpu enterprise');
  assertError(await cl.huangpu.get(`${API}/enterprises/${E.pujiang}`), 404, 'not_found', undefined, 'huangpu → pudong enterprise');
  assertError(await cl.cb2.get(`${API}/enterprises/${E.pujiang}`), 404, 'not_found', undefined, 'cb2 → pudong enterprise');
  assertError(await cl.cb1.get(`${API}/enterprises/${E.waitan}`), 404, 'not_found', undefined, 'cb1 → unassigned enterprise');
  assertError(await cl.ent1.get(`${API}/enterprises/${E.xintu}`), 404, 'not_found', undefined, 'ent1 → another enterprise');
  assertError(await cl.city.get(`${API}/enterprises/999999`), 404, 'not_found', undefined, 'unknown id');
  for (const [c, id] of [[cl.city, E.waitan], [cl.pudong, E.xintu], [cl.huangpu, E.waitan], [cl.cb1, E.annuo], [cl.ent1, E.pujiang]]) {
    const e = await getEnt(c, id);
    assert.equal(e.id, id);
  }
});

test('filters: district, industry, size_class, park, assigned, q', async () => {
  const pd = await list(cl.city, `&district=${q('浦东新区')}`);
  assert.equal(pd.total, 10);
  assert.ok(pd.items.every((e) => e.district === '浦东新区'));
  assert.equal(await total(cl.city, `&district=${q('黄浦区')}`), 5);
  assert.equal(await total(cl.city, `&district=${q('徐汇区')}`), 0);

  const ic = await list(cl.city, `&industry=${q('集成电路')}`);
  assert.equal(ic.total, 5);
  assert.ok(ic.items.every((e) => e.industry === '集成电路'));
  assert.equal(await total(cl.city, `&industry=${q('时尚消费品')}`), 3);
  assert.equal(await total(cl.city, `&industry=${q('在线新经济')}`), 2);
  assert.equal(await total(cl.city, `&industry=${q('汽车')}`), 0);

  // 工业 small needs ≥20 employees and ≥300 万元; 软件和信息技术服务业 ≥10 and ≥50
  const micro = await list(cl.city, '&size_class=micro');
  assert.deepEqual(names(micro), ['上海点将网络科技有限公司（演示）', '上海禾信试剂有限公司（演示）', '上海豫园匠心工艺品有限公司（演示）'].sort());
  assert.ok(micro.items.every((e) => e.size_class === 'micro' && e.size_class_name === '微型'));
  const small = await list(cl.city, '&size_class=small');
  assert.equal(small.total, 12);
  assert.ok(small.items.every((e) => e.size_class === 'small' && e.size_class_name === '小型'));
  assert.equal(await total(cl.pudong, '&size_class=micro'), 1);

  const zj = await list(cl.pudong, `&park=${q('张江')}`);
  assert.equal(zj.total, 7, `park contains 张江: ${names(zj)}`);
  assert.ok(zj.items.every((e) => e.park.includes('张江')));
  assert.equal(await total(cl.city, `&park=${q('药谷')}`), 3);
  assert.equal(await total(cl.city, `&park=${q('国际医学园区')}`), 2);

  assert.equal(await total(cl.city, '&assigned=true'), 10);
  const un = await list(cl.city, '&assigned=false');
  assert.equal(un.total, 5);
  assert.ok(un.items.every((e) => e.assignment === null && e.district === '黄浦区'));
  assert.equal(await total(cl.pudong, '&assigned=false'), 0);
  assert.equal(await total(cl.huangpu, '&assigned=true'), 0);

  const byName = await list(cl.city, `&q=${q('浦江')}`);
  assert.deepEqual(names(byName), ['上海浦江精密电子有限公司（演示）']);
  assert.deepEqual(names(await list(cl.city, '&q=6A8K3M2P7U')), ['上海浦江精密电子有限公司（演示）'], 'q on part of the USCC');
  assert.deepEqual(names(await list(cl.city, '&q=913101156A8K3M2P7U')), ['上海浦江精密电子有限公司（演示）'], 'q on the whole USCC');
  assert.equal(await total(cl.city, `&q=${q('演示')}`), 15);
  assert.equal(await total(cl.city, `&q=${q('不存在的企业名')}`), 0);
  assert.equal(await total(cl.huangpu, `&q=${q('浦江')}`), 0, 'q stays within the scope');

  const combo = await list(cl.city, `&district=${q('浦东新区')}&industry=${q('生物医药')}&size_class=micro`);
  assert.deepEqual(names(combo), ['上海禾信试剂有限公司（演示）']);
});

test('bad filter and paging values → 422', async () => {
  const wrong = [];
  for (const query of ['size_class=medium', 'size_class=big', 'assigned=yes', 'assigned=1',
    `industry=${q('不存在的行业')}`, `district=${q('火星区')}`,
    'page=0', 'page=-1', 'page=abc', 'per_page=0', 'per_page=201', 'per_page=abc']) {
    const r = await cl.city.get(`${API}/enterprises?${query}`);
    if (r.status !== 422 || r.json?.error?.code !== 'invalid') wrong.push(`?${decodeURIComponent(query)} → ${r.status} ${r.text.slice(0, 120)}`);
  }
  assert.deepEqual(wrong, [], `bad filter values not refused with 422:\n${wrong.join('\n')}`);
});

test('paging', async () => {
  const seen = new Set();
  const sizes = [];
  for (let page = 1; page <= 4; page++) {
    const r = await cl.city.get(`${API}/enterprises?per_page=4&page=${page}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 15);
    assert.equal(r.json.page, page);
    assert.equal(r.json.per_page, 4);
    sizes.push(r.json.items.length);
    for (const e of r.json.items) seen.add(e.id);
  }
  assert.deepEqual(sizes, [4, 4, 4, 3]);
  assert.equal(seen.size, 15, 'pages overlap or miss records');
  const beyond = await cl.city.get(`${API}/enterprises?per_page=4&page=5`);
  assert.equal(beyond.status, 200, beyond.text);
  assert.deepEqual(beyond.json.items, []);
  assert.equal(beyond.json.total, 15);
  const def = await cl.city.get(`${API}/enterprises`);
  assert.equal(def.json.page, 1);
  assert.equal(def.json.per_page, 50);
});

test('contact phone: masked in lists, whole in the single record', async () => {
  const l = await list(cl.city);
  for (const e of l.items) assert.match(e.contact_phone, /^1\d{2}\*{4}\d{4}$/, `${e.name}: ${e.contact_phone}`);
  const p = l.items.find((e) => e.id === E.pujiang);
  assert.equal(p.contact_phone, '138****1234');
  for (const u of ['pudong', 'city', 'cb1', 'ent1']) {
    assert.equal((await list(cl[u], `&q=${q('浦江')}`)).items[0].contact_phone, '138****1234', `${u} list`);
    assert.equal((await getEnt(cl[u], E.pujiang)).contact_phone, '13800001234', `${u} single record`);
  }
  assert.equal((await getEnt(cl.huangpu, E.waitan)).contact_phone, '13811110001');
});

// ---------------------------------------------------------------- create

test('create: a valid enterprise → 201 with the computed size class', async () => {
  const before = await total(cl.pudong);
  const body = pudongBody({ name: '上海测试精工有限公司' });
  const r = await cl.pudong.post(`${API}/enterprises`, body);
  assert.equal(r.status, 201, r.text);
  assertShape(r.json, 'created');
  assert.ok(Number.isInteger(r.json.id));
  made.small = r.json.id;
  made.smallUscc = body.uscc;
  assert.equal(r.json.name, body.name);
  assert.equal(r.json.uscc, body.uscc);
  assert.equal(r.json.district, '浦东新区', 'a district officer creates in the own district');
  assert.equal(r.json.industry, '集成电路');
  assert.equal(r.json.sector, 'industry');
  assert.equal(r.json.sector_name, '工业');
  assert.equal(r.json.size_class, 'small');
  assert.equal(r.json.size_class_name, '小型');
  assert.equal(r.json.employees, 30);
  assert.equal(r.json.revenue, 500);
  assert.equal(r.json.total_assets, 300);
  assert.equal(r.json.consent, true);
  assert.equal(r.json.region_warning, null);
  assert.equal(r.json.assignment, null);
  assert.equal(r.json.contact_phone, '13912345678');
  assert.equal(await total(cl.pudong), before + 1);
  const g = await getEnt(cl.pudong, made.small);
  assert.equal(g.uscc, body.uscc);
  assert.equal(g.contact_phone, '13912345678');
  assert.deepEqual(g.indicators, { baseline: null, followup: null });

  // micro: 工业 with fewer than 20 employees; the sector given by its key; the own district named explicitly
  const m = await cl.pudong.post(`${API}/enterprises`, pudongBody({
    name: '上海测试微型电子有限公司', sector: 'industry', employees: 10, revenue: 120, total_assets: 80, district: '浦东新区',
  }));
  assert.equal(m.status, 201, m.text);
  made.micro = m.json.id;
  assert.equal(m.json.size_class, 'micro');
  assert.equal(m.json.size_class_name, '微型');
  assert.equal(m.json.sector_name, '工业');
  // another sector by its Chinese name: 软件和信息技术服务业 small ≥10 and ≥50
  const s = await cl.pudong.post(`${API}/enterprises`, pudongBody({
    name: '上海测试软件有限公司', sector: '软件和信息技术服务业', employees: 12, revenue: 80, total_assets: 40,
  }));
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.sector, 'software_it');
  assert.equal(s.json.sector_name, '软件和信息技术服务业');
  assert.equal(s.json.size_class, 'small');
});

test('create: USCC problems → 422 field uscc, each with its own reason; duplicate → 409', async () => {
  const before = await total(cl.city);
  const good = newUscc();
  const cases = {
    check: wrongCheck(good),
    lowercase: withCheck(`91310115QA${String(++usccSeq).padStart(6, '0')}B`).toLowerCase(),
    forbidden: `91310115O${String(++usccSeq).padStart(8, '0')}1`,
    short17: good.slice(0, 17),
    fullwidth: fullWidth(good),
  };
  assert.ok(/[a-z]/.test(cases.lowercase));
  assert.equal(cases.fullwidth.length, 18);
  const messages = {};
  for (const [what, uscc] of Object.entries(cases)) {
    const r = await cl.pudong.post(`${API}/enterprises`, pudongBody({ uscc }));
    assertError(r, 422, 'invalid', 'uscc', `USCC ${what} (${uscc})`);
    messages[what] = r.json.error.message;
  }
  assert.match(messages.check, /校验/, 'check-character message');
  assert.match(messages.lowercase, /大写/, 'lower-case message');
  assert.match(messages.forbidden, /I.*O.*S.*V.*Z|字母/, 'forbidden-letter message');
  assert.match(messages.short17, /18/, 'length message');

  for (const [what, uscc] of [['empty', ''], ['null', null], ['19 chars', `${good}1`], ['with a space', `${good.slice(0, 9)} ${good.slice(10)}`]]) {
    assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ uscc })), 422, 'invalid', 'uscc', `USCC ${what}`);
  }
  const dup = await cl.pudong.post(`${API}/enterprises`, pudongBody({ uscc: '913101156A8K3M2P7U' }));
  assertError(dup, 409, 'conflict', 'uscc', 'duplicate USCC');
  const dupOther = await cl.huangpu.post(`${API}/enterprises`, {
    ...pudongBody({ uscc: made.smallUscc, industry: '时尚消费品', address: '上海市黄浦区测试路1号' }),
  });
  assertError(dupOther, 409, 'conflict', 'uscc', 'duplicate USCC registered in another district');
  assert.equal(await total(cl.city), before, 'a refused create wrote something');

  // each problem has its own reason (checked last so the checks above always run)
  const kinds = Object.keys(messages);
  const same = [];
  for (let i = 0; i < kinds.length; i++) {
    for (let j = i + 1; j < kinds.length; j++) {
      if (messages[kinds[i]] === messages[kinds[j]]) same.push(`${kinds[i]} and ${kinds[j]}: "${messages[kinds[i]]}"`);
    }
  }
  assert.deepEqual(same, [], `USCC problems sharing one message (each needs its own reason):\n${same.join('\n')}`);
  assert.match(messages.fullwidth, /全角|半角/, `full-width message: ${messages.fullwidth}`);
});

test('create: size class, sector, industry, consent, numbers, types, keys → refused', async () => {
  const before = await total(cl.city);
  const medium = await cl.pudong.post(`${API}/enterprises`, pudongBody({ employees: 300, revenue: 2000, total_assets: 1500 }));
  assertError(medium, 422, 'invalid', 'size_class', 'medium enterprise');
  assert.match(medium.json.error.message, /中型/);
  assert.match(medium.json.error.message, /300/, 'the thresholds are in the message');
  assert.match(medium.json.error.message, /2000/, 'the thresholds are in the message');
  const large = await cl.pudong.post(`${API}/enterprises`, pudongBody({ employees: 1000, revenue: 40000, total_assets: 30000 }));
  assertError(large, 422, 'invalid', 'size_class', 'large enterprise');
  assert.match(large.json.error.message, /大型/);
  // 零售业 medium: ≥50 employees and ≥500 万元
  const retail = await cl.pudong.post(`${API}/enterprises`, pudongBody({ sector: '零售业', employees: 60, revenue: 600 }));
  assertError(retail, 422, 'invalid', 'size_class', 'medium retailer');
  assert.match(retail.json.error.message, /中型/);

  const noSector = pudongBody();
  delete noSector.sector;
  assertError(await cl.pudong.post(`${API}/enterprises`, noSector), 422, 'invalid', 'sector', 'missing sector');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ sector: null })), 422, 'invalid', 'sector', 'null sector');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ sector: '航天业' })), 422, 'invalid', 'sector', 'unknown sector');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ industry: '不存在的行业' })), 422, 'invalid', 'industry', 'unknown industry');
  const noIndustry = pudongBody();
  delete noIndustry.industry;
  assertError(await cl.pudong.post(`${API}/enterprises`, noIndustry), 422, 'invalid', 'industry', 'missing industry');
  const noName = pudongBody();
  delete noName.name;
  assertError(await cl.pudong.post(`${API}/enterprises`, noName), 422, 'invalid', 'name', 'missing name');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ consent: false })), 422, 'invalid', 'consent', 'consent false');
  const noConsent = pudongBody();
  delete noConsent.consent;
  assertError(await cl.pudong.post(`${API}/enterprises`, noConsent), 422, 'invalid', 'consent', 'consent missing');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ employees: -1 })), 422, 'invalid', 'employees', 'negative employees');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ employees: 1.5 })), 422, 'invalid', 'employees', 'fractional employees');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ revenue: -5 })), 422, 'invalid', 'revenue', 'negative revenue');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ total_assets: -1 })), 422, 'invalid', 'total_assets', 'negative assets');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ revenue: '500' })), 400, 'bad_type', 'revenue', 'string revenue');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ employees: '30' })), 400, 'bad_type', 'employees', 'string employees');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ consent: 'true' })), 400, 'bad_type', 'consent', 'string consent');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ name: 123 })), 400, 'bad_type', 'name', 'number name');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ legal_person: '张三' })), 400, 'unknown_field', 'legal_person', 'unknown key');
  assertError(await cl.pudong.post(`${API}/enterprises`, pudongBody({ district: '黄浦区' })), 422, 'invalid', 'district', 'pudong creates in 黄浦区');
  assertError(await cl.pudong.req('POST', `${API}/enterprises`, '{"name":', { 'content-type': 'application/json' }), 400, 'bad_json', undefined, 'malformed JSON');
  assert.equal(await total(cl.city), before, 'a refused create wrote something');
});

test('create: region warning, city needs a district, roles', async () => {
  const foreign = newUscc('310101');
  const r = await cl.pudong.post(`${API}/enterprises`, pudongBody({ name: '上海测试异地登记有限公司', uscc: foreign }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.district, '浦东新区');
  assert.equal(typeof r.json.region_warning, 'string', `region_warning: ${r.text}`);
  assert.ok(r.json.region_warning.length > 0);
  made.foreign = r.json.id;
  assert.equal((await getEnt(cl.pudong, made.foreign)).region_warning, r.json.region_warning);

  const noDistrict = pudongBody({ industry: '时尚消费品' });
  assertError(await cl.city.post(`${API}/enterprises`, noDistrict), 422, 'invalid', 'district', 'city without district');
  assertError(await cl.city.post(`${API}/enterprises`, pudongBody({ district: '火星区' })), 422, 'invalid', 'district', 'city, unknown district');
  const cityMade = await cl.city.post(`${API}/enterprises`, pudongBody({
    name: '上海测试黄浦时装有限公司', uscc: newUscc('310101'), district: '黄浦区', industry: '时尚消费品',
    address: '上海市黄浦区测试路2号', sector: '零售业', employees: 15, revenue: 200,
  }));
  assert.equal(cityMade.status, 201, cityMade.text);
  assert.equal(cityMade.json.district, '黄浦区');
  assert.equal(cityMade.json.region_warning, null);
  made.cityHuangpu = cityMade.json.id;
  assert.equal((await getEnt(cl.huangpu, made.cityHuangpu)).name, '上海测试黄浦时装有限公司');

  assertError(await cl.huangpu.post(`${API}/enterprises`, pudongBody({ district: '浦东新区' })), 422, 'invalid', 'district', 'huangpu creates for 浦东新区');
  for (const u of ['cb1', 'ent1']) {
    assertError(await cl[u].post(`${API}/enterprises`, pudongBody()), 403, 'forbidden', undefined, `${u} creates`);
  }
});

// ---------------------------------------------------------------- update

test('update: district officer, the enterprise itself, refusals', async () => {
  const r = await put(cl.pudong, `${API}/enterprises/${made.small}`, { address: '上海市浦东新区测试路99号' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.address, '上海市浦东新区测试路99号');
  assert.equal(r.json.name, '上海测试精工有限公司', 'fields not sent stay');
  assert.equal((await getEnt(cl.pudong, made.small)).address, '上海市浦东新区测试路99号');

  // size class is recomputed
  const m = await put(cl.pudong, `${API}/enterprises/${made.small}`, { employees: 12 });
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.size_class, 'micro');
  const back = await put(cl.pudong, `${API}/enterprises/${made.small}`, { employees: 30 });
  assert.equal(back.json.size_class, 'small');

  // the contact edits its own profile fields
  const own = await put(cl.ent1, `${API}/enterprises/${E.pujiang}`, {
    address: '上海市浦东新区张江高科技园区演示路1号B座', contact_name: '陈静', contact_phone: '13800005678', employees: 46,
  });
  assert.equal(own.status, 200, own.text);
  const g = await getEnt(cl.ent1, E.pujiang);
  assert.equal(g.address, '上海市浦东新区张江高科技园区演示路1号B座');
  assert.equal(g.contact_phone, '13800005678');
  assert.equal(g.employees, 46);
  assert.equal(g.uscc, '913101156A8K3M2P7U');
  for (const [key, value] of [['uscc', '913101156A8K3M2P7U'], ['district', '浦东新区'], ['name', '上海改名有限公司']]) {
    assertError(await put(cl.ent1, `${API}/enterprises/${E.pujiang}`, { [key]: value }), 400, 'unknown_field', key, `ent1 PUT ${key}`);
  }
  assertError(await put(cl.ent1, `${API}/enterprises/${E.xintu}`, { address: 'x' }), 404, 'not_found', undefined, 'ent1 PUT another enterprise');
  assertError(await put(cl.cb1, `${API}/enterprises/${E.pujiang}`, { address: 'x' }), 403, 'forbidden', undefined, 'cb1 PUT an assigned enterprise');
  await assertNoLeak(cl.cb2, 'PUT', `${API}/enterprises/${E.pujiang}`, `${API}/enterprises/999999`, { address: 'x' }, 'cb2 PUT an invisible enterprise');
  assertError(await put(cl.huangpu, `${API}/enterprises/${E.pujiang}`, { address: 'x' }), 404, 'not_found', undefined, 'huangpu PUT a pudong enterprise');
  assertError(await put(cl.pudong, `${API}/enterprises/999999`, { address: 'x' }), 404, 'not_found', undefined, 'PUT unknown');

  // the whole record is checked again; a refused update changes nothing
  // 上海晶曜 has 2600 万元 revenue, so 5000 employees make it medium (工业: ≥300 and ≥2000).
  // (浦江 with 1200 万元 would stay small: medium needs both thresholds.)
  const jy = await getEnt(cl.pudong, E.jingyao);
  const five = await put(cl.pudong, `${API}/enterprises/${E.jingyao}`, { employees: 5000 });
  assertError(five, 422, 'invalid', 'size_class', 'PUT employees 5000');
  assert.match(five.json.error.message, /中型/);
  assert.deepEqual(await getEnt(cl.pudong, E.jingyao), jy, 'a refused PUT changed the record');
  const before = await getEnt(cl.pudong, E.pujiang);
  assertError(await put(cl.ent1, `${API}/enterprises/${E.pujiang}`, { employees: 5000, revenue: 50000 }), 422, 'invalid', 'size_class', 'ent1 PUT large');
  assertError(await put(cl.pudong, `${API}/enterprises/${E.pujiang}`, { employees: -3 }), 422, 'invalid', 'employees', 'PUT negative employees');
  assertError(await put(cl.pudong, `${API}/enterprises/${E.pujiang}`, { uscc: wrongCheck('913101156A8K3M2P7U') }), 422, 'invalid', 'uscc', 'PUT bad USCC');
  assertError(await put(cl.pudong, `${API}/enterprises/${E.pujiang}`, { uscc: '91310115TCULH87WLK' }), 409, 'conflict', 'uscc', 'PUT USCC of another enterprise');
  assertError(await put(cl.pudong, `${API}/enterprises/${E.pujiang}`, { revenue: 'a lot' }), 400, 'bad_type', 'revenue', 'PUT string revenue');
  assertError(await put(cl.pudong, `${API}/enterprises/${E.pujiang}`, { industry: '不存在的行业' }), 422, 'invalid', 'industry', 'PUT unknown industry');
  assertError(await put(cl.pudong, `${API}/enterprises/${E.pujiang}`, { colour: 'red' }), 400, 'unknown_field', 'colour', 'PUT unknown key');
  const moved = await put(cl.pudong, `${API}/enterprises/${E.pujiang}`, { district: '黄浦区' });
  assert.ok([400, 422].includes(moved.status), `pudong moves an enterprise to 黄浦区: ${moved.status} ${moved.text}`);
  const after = await getEnt(cl.pudong, E.pujiang);
  assert.deepEqual(after, before, 'a refused PUT changed the record');
});

test('update: the whole record is checked again, consent included', async () => {
  // run on an enterprise of this file, so that a failure here leaves the demo data alone
  const wrong = [];
  for (const [body, field] of [[{ consent: false }, 'consent'], [{ sector: null }, 'sector'], [{ name: '' }, 'name'],
    [{ industry: null }, 'industry'], [{ uscc: '' }, 'uscc']]) {
    const before = await getEnt(cl.pudong, made.micro);
    const r = await put(cl.pudong, `${API}/enterprises/${made.micro}`, body);
    if (r.status !== 422 || r.json?.error?.field !== field) wrong.push(`PUT ${JSON.stringify(body)} → ${r.status} ${r.text.slice(0, 100)}`);
    const after = await getEnt(cl.pudong, made.micro);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      wrong.push(`PUT ${JSON.stringify(body)} changed the record`);
      await put(cl.pudong, `${API}/enterprises/${made.micro}`, { consent: true, sector: before.sector, name: before.name, industry: before.industry, uscc: before.uscc });
    }
  }
  assert.deepEqual(wrong, [], `expected 422 with the field and no change:\n${wrong.join('\n')}`);
});

// ---------------------------------------------------------------- indicators

test('indicators: baseline and follow-up', async () => {
  const path = `${API}/enterprises/${E.pujiang}/indicators`;
  const full = { period: '2020年度', first_pass_yield: 95.5, defect_rate: 1.2, satisfaction: 90, quality_cost_rate: 4, complaints: 3, revenue: 1300, profit_margin: -5 };
  const noPeriod = { ...full };
  delete noPeriod.period;
  assertError(await put(cl.ent1, `${path}/baseline`, noPeriod), 422, 'invalid', 'period', 'baseline without period');
  assertError(await put(cl.ent1, `${path}/baseline`, { ...full, satisfaction: 120 }), 422, 'invalid', 'satisfaction', 'satisfaction 120');
  assertError(await put(cl.ent1, `${path}/baseline`, { ...full, quality_cost_rate: -1 }), 422, 'invalid', 'quality_cost_rate', 'quality cost −1');
  assertError(await put(cl.ent1, `${path}/baseline`, { ...full, first_pass_yield: 100.5 }), 422, 'invalid', 'first_pass_yield', 'yield 100.5');
  assertError(await put(cl.ent1, `${path}/baseline`, { ...full, complaints: 2.5 }), 422, 'invalid', 'complaints', 'complaints 2.5');
  assertError(await put(cl.ent1, `${path}/baseline`, { ...full, complaints: '3' }), 400, 'bad_type', 'complaints', 'complaints as text');
  assertError(await put(cl.ent1, `${path}/baseline`, { ...full, mood: 'good' }), 400, 'unknown_field', 'mood', 'unknown indicator');
  assert.equal((await getEnt(cl.ent1, E.pujiang)).indicators.baseline.profit_margin, 6.5, 'a refused PUT changed the baseline');

  const r = await put(cl.ent1, `${path}/baseline`, full);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.baseline, r.text);
  assert.ok('followup' in r.json, r.text);
  assert.equal(r.json.baseline.profit_margin, -5);
  assert.equal(r.json.baseline.period, '2020年度');
  const g = await getEnt(cl.pudong, E.pujiang);
  assert.equal(g.indicators.baseline.period, '2020年度');
  assert.equal(g.indicators.baseline.profit_margin, -5);
  assert.equal(g.indicators.baseline.satisfaction, 90);
  assert.equal(g.indicators.baseline.complaints, 3);
  assert.equal(g.indicators.baseline.first_pass_yield, 95.5);
  assert.equal(g.indicators.baseline.revenue, 1300);
  assert.equal(g.indicators.followup, null);

  const f = await put(cl.ent1, `${path}/followup`, { period: '2021年度', first_pass_yield: 97, satisfaction: 93, complaints: 1, profit_margin: 8 });
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.followup.period, '2021年度');
  assert.equal(f.json.baseline.period, '2020年度', 'follow-up keeps the baseline');
  const g2 = await getEnt(cl.ent1, E.pujiang);
  assert.equal(g2.indicators.followup.profit_margin, 8);
  assert.equal(g2.indicators.baseline.profit_margin, -5);

  // a district officer for its own district; others 404
  const pd = await put(cl.pudong, `${API}/enterprises/${E.ruiji}/indicators/baseline`, { period: '2020年度', satisfaction: 80 });
  assert.equal(pd.status, 200, pd.text);
  assert.equal((await getEnt(cl.pudong, E.ruiji)).indicators.baseline.satisfaction, 80);
  assertError(await put(cl.ent1, `${path}/other`, full), 404, 'not_found', undefined, 'kind other');
  assertError(await put(cl.pudong, `${API}/enterprises/${E.waitan}/indicators/baseline`, full), 404, 'not_found', undefined, 'pudong → huangpu indicators');
  assertError(await put(cl.ent1, `${API}/enterprises/${E.xintu}/indicators/baseline`, full), 404, 'not_found', undefined, 'ent1 → another enterprise indicators');
  await assertNoLeak(cl.cb2, 'PUT', `${path}/baseline`, `${API}/enterprises/999999/indicators/baseline`, full, 'cb2 → invisible enterprise indicators');
});

// ---------------------------------------------------------------- contact account

test('contact account: create, log in, see only the own enterprise', async () => {
  const r = await cl.pudong.post(`${API}/enterprises/${E.xintu}/account`, { username: 'xintu', display_name: '芯途微电子 王磊' });
  assert.equal(r.status, 201, r.text);
  const user = r.json.user || r.json;
  assert.equal(user.username, 'xintu');
  assert.equal(user.role, 'enterprise');
  assert.equal(user.enterprise?.id, E.xintu);
  assert.equal(user.must_change_password, true);
  const pw = r.json.temporary_password;
  assert.equal(typeof pw, 'string', `temporary_password: ${r.text}`);
  assert.ok(pw.length >= 8);

  const c = new Client(srv.base);
  const li = await c.login('xintu', pw);
  assert.equal(li.status, 200, li.text);
  assert.equal(li.json.user.role, 'enterprise');
  const l = await c.get(`${API}/enterprises?per_page=200`);
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.total, 1);
  assert.equal(l.json.items[0].id, E.xintu);
  assert.equal((await c.get(`${API}/enterprises/${E.xintu}`)).status, 200);
  assertError(await c.get(`${API}/enterprises/${E.pujiang}`), 404, 'not_found', undefined, 'new contact → ent1 enterprise');

  assertError(await cl.pudong.post(`${API}/enterprises/${E.jingyao}/account`, { username: 'xintu', display_name: '重复' }), 409, 'conflict', 'username', 'duplicate username');
  assertError(await cl.pudong.post(`${API}/enterprises/${E.jingyao}/account`, { username: 'ent1', display_name: '重复' }), 409, 'conflict', 'username', 'username of a demo user');
  assertError(await cl.pudong.post(`${API}/enterprises/${E.jingyao}/account`, { username: 'Bad Name!', display_name: '晶曜' }), 422, 'invalid', 'username', 'bad username');
  assertError(await cl.huangpu.post(`${API}/enterprises/${E.jingyao}/account`, { username: 'jingyao', display_name: '晶曜' }), 404, 'not_found', undefined, 'huangpu → pudong account');
  assertError(await cl.cb1.post(`${API}/enterprises/${E.jingyao}/account`, { username: 'jingyao', display_name: '晶曜' }), 403, 'forbidden', undefined, 'cb1 creates an account');
  assertError(await cl.ent1.post(`${API}/enterprises/${E.pujiang}/account`, { username: 'jingyao2', display_name: '晶曜' }), 403, 'forbidden', undefined, 'ent1 creates an account');
});

// ---------------------------------------------------------------- assignment

test('assignment to a certification body selected for the industry', async () => {
  // 时尚消费品 has no selected body: cb1 is selected for 集成电路 and 生物医药 only
  assertError(await put(cl.huangpu, `${API}/enterprises/${E.waitan}/assignment`, { cb_unit_id: CB.cb1 }), 422, 'invalid', 'cb_unit_id', 'cb1 for 时尚消费品');
  assert.equal((await getEnt(cl.huangpu, E.waitan)).assignment, null);

  const id = made.small; // a new 集成电路 enterprise, unassigned
  const cb1Before = await total(cl.cb1);
  const assignedBefore = await total(cl.pudong, '&assigned=true');
  const r = await put(cl.pudong, `${API}/enterprises/${id}/assignment`, { cb_unit_id: CB.cb1 });
  assert.equal(r.status, 200, r.text);
  const e = await getEnt(cl.pudong, id);
  assert.equal(e.assignment?.cb?.id, CB.cb1, JSON.stringify(e.assignment));
  assert.equal(e.assignment.cb.name, CB1_NAME);
  assert.equal(await total(cl.cb1), cb1Before + 1, 'cb1 sees the newly assigned enterprise');
  assert.equal((await getEnt(cl.cb1, id)).id, id);
  assert.equal(await total(cl.pudong, '&assigned=true'), assignedBefore + 1);

  // cb2 is not selected for 集成电路; the assignment stays
  assertError(await put(cl.pudong, `${API}/enterprises/${id}/assignment`, { cb_unit_id: CB.cb2 }), 422, 'invalid', 'cb_unit_id', 'cb2 for 集成电路');
  assertError(await put(cl.pudong, `${API}/enterprises/${id}/assignment`, { cb_unit_id: e.district_unit_id }), 422, 'invalid', 'cb_unit_id', 'a district unit as the body');
  assertError(await put(cl.pudong, `${API}/enterprises/${id}/assignment`, { cb_unit_id: String(CB.cb1) }), 400, 'bad_type', 'cb_unit_id', 'cb_unit_id as text');
  assert.equal((await getEnt(cl.pudong, id)).assignment?.cb?.id, CB.cb1);
  assertError(await cl.cb2.get(`${API}/enterprises/${id}`), 404, 'not_found', undefined, 'cb2 after a refused assignment');

  const un = await put(cl.pudong, `${API}/enterprises/${id}/assignment`, { cb_unit_id: null });
  assert.equal(un.status, 200, un.text);
  assert.equal((await getEnt(cl.pudong, id)).assignment, null);
  assert.equal(await total(cl.cb1), cb1Before, 'cb1 still sees the unassigned enterprise');
  assertError(await cl.cb1.get(`${API}/enterprises/${id}`), 404, 'not_found', undefined, 'cb1 after unassignment');

  // assign again for the ledger and the audit checks below
  assert.equal((await put(cl.pudong, `${API}/enterprises/${id}/assignment`, { cb_unit_id: CB.cb1 })).status, 200);

  assertError(await put(cl.huangpu, `${API}/enterprises/${E.xintu}/assignment`, { cb_unit_id: CB.cb1 }), 404, 'not_found', undefined, 'huangpu → pudong assignment');
  assertError(await put(cl.cb1, `${API}/enterprises/${E.xintu}/assignment`, { cb_unit_id: null }), 403, 'forbidden', undefined, 'cb1 changes an assignment');
  assertError(await put(cl.ent1, `${API}/enterprises/${E.pujiang}/assignment`, { cb_unit_id: null }), 403, 'forbidden', undefined, 'ent1 changes its assignment');
  assert.equal((await getEnt(cl.pudong, E.xintu)).assignment?.cb?.id, CB.cb1);
});

// ---------------------------------------------------------------- counts

test('counts per district and industry match the list', async () => {
  const r = await cl.pudong.get(`${API}/enterprises/counts`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 2, r.text);
  let sum = 0;
  for (const row of r.json.items) {
    assert.equal(row.district, '浦东新区', `pudong counts include ${row.district}`);
    const n = await total(cl.pudong, `&industry=${q(row.industry)}`);
    const a = await total(cl.pudong, `&industry=${q(row.industry)}&assigned=true`);
    assert.equal(row.enterprises, n, `${row.industry}: enterprises ${row.enterprises} vs list ${n}`);
    assert.equal(row.assigned, a, `${row.industry}: assigned ${row.assigned} vs list ${a}`);
    sum += row.enterprises;
  }
  assert.equal(sum, await total(cl.pudong), 'counts do not add up to the list');
  assert.ok(r.json.items.some((x) => x.industry === '生物医药' && x.enterprises === 5 && x.assigned === 5), r.text);

  const city = await cl.city.get(`${API}/enterprises/counts`);
  assert.equal(city.status, 200, city.text);
  const hp = city.json.items.filter((x) => x.district === '黄浦区');
  assert.ok(hp.some((x) => x.industry === '在线新经济' && x.enterprises === 2 && x.assigned === 0), city.text);
  assert.equal(hp.reduce((s, x) => s + x.enterprises, 0), await total(cl.city, `&district=${q('黄浦区')}`));
  assert.equal(city.json.items.reduce((s, x) => s + x.enterprises, 0), await total(cl.city));
  const hpc = await cl.huangpu.get(`${API}/enterprises/counts`);
  assert.equal(hpc.status, 200, hpc.text);
  assert.ok(hpc.json.items.every((x) => x.district === '黄浦区'), hpc.text);

  assertError(await cl.cb1.get(`${API}/enterprises/counts`), 403, 'forbidden', undefined, 'cb1 counts');
  assertError(await cl.ent1.get(`${API}/enterprises/counts`), 403, 'forbidden', undefined, 'ent1 counts');
});

// ---------------------------------------------------------------- CSV import

test('CSV template: UTF-8 BOM and the Chinese headers', async () => {
  const r = await getBytes(cl.pudong, `${API}/enterprises/template.csv`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /^text\/csv/);
  assert.deepEqual([...r.buf.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'template does not start with the UTF-8 BOM');
  const text = r.buf.toString('utf8', 3);
  const header = text.split(/\r?\n/)[0];
  assert.deepEqual(header.split(','), HEAD);
  assert.equal((await getBytes(cl.city, `${API}/enterprises/template.csv`)).status, 200);
});

test('CSV import: accepted, refused with the physical line, duplicates on re-import, dry run', async () => {
  const u1 = newUscc();
  const u2 = newUscc();
  const tricky = '上海"引号",逗号\n换行精密有限公司';
  const file = BOM + csv([
    HEAD.join(','), // line 1
    csvRow({ name: '上海导入精工有限公司', uscc: u1 }), // line 2
    csvRow({ name: tricky, uscc: u2, industry: '生物医药', park: '张江药谷' }), // lines 3–4
    csvRow({ name: '上海导入错码有限公司', uscc: wrongCheck(newUscc()) }), // line 5
    csvRow({ name: '上海导入中型有限公司', uscc: newUscc(), employees: 300, revenue: 2000, total_assets: 1500 }), // line 6
  ]);
  const before = await total(cl.city);
  const r = await importCsv(cl.pudong, file);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dry_run, false);
  assert.equal(r.json.total_rows, 4, r.text);
  assert.equal(r.json.accepted, 2, r.text);
  assert.equal(r.json.duplicates, 0, r.text);
  assert.equal(r.json.refused, 2, r.text);
  const a1 = rowAt(r.json, 2);
  assert.equal(a1?.status, 'accepted', r.text);
  assert.equal(a1.uscc, u1);
  assert.ok(Number.isInteger(a1.id), r.text);
  const a2 = rowAt(r.json, 3);
  assert.equal(a2?.status, 'accepted', `the quoted multi-line record starts on line 3: ${r.text}`);
  assert.equal(a2.name, tricky);
  const bad = rowAt(r.json, 5);
  assert.equal(bad?.status, 'refused', `bad USCC on physical line 5: ${r.text}`);
  assert.equal(bad.field, 'uscc');
  assert.match(bad.message, /校验/);
  const med = rowAt(r.json, 6);
  assert.equal(med?.status, 'refused', `medium on physical line 6: ${r.text}`);
  assert.equal(med.field, 'size_class');
  assert.match(med.message, /中型/);
  assert.equal(await total(cl.city), before + 2);
  made.imported = a1.id;
  const stored = await getEnt(cl.pudong, a2.id);
  assert.equal(stored.name, tricky, 'quotes, comma and line break kept in the name');
  assert.equal(stored.district, '浦东新区');
  assert.equal(stored.industry, '生物医药');
  assert.equal(stored.size_class, 'small');
  assert.equal(stored.consent, true);
  assert.equal(stored.contact_phone, '13912340000');
  assert.equal((await getEnt(cl.pudong, a1.id)).employees, 30);

  // the same file again adds nothing
  const again = await importCsv(cl.pudong, file);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.accepted, 0, again.text);
  assert.equal(again.json.duplicates, 2, again.text);
  assert.equal(again.json.refused, 2, again.text);
  assert.equal(rowAt(again.json, 2)?.status, 'duplicate');
  assert.equal(rowAt(again.json, 3)?.status, 'duplicate');
  assert.equal(rowAt(again.json, 5)?.status, 'refused');
  assert.equal(rowAt(again.json, 6)?.status, 'refused');
  assert.equal(await total(cl.city), before + 2, 're-import grew the registry');

  // dry run: the same answer, nothing written
  const u3 = newUscc();
  const u4 = newUscc();
  const fresh = csv([HEAD.join(','), csvRow({ name: '上海试运行一有限公司', uscc: u3 }), csvRow({ name: '上海试运行二有限公司', uscc: u4, employees: 8 })], '\n');
  const dry = await importCsv(cl.pudong, fresh, '?dry_run=true');
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.total_rows, 2);
  assert.equal(dry.json.accepted, 2, dry.text);
  assert.equal(await total(cl.city), before + 2, 'dry run wrote enterprises');
  assert.equal(await total(cl.city, `&q=${u3}`), 0, 'dry run wrote an enterprise');
  const wet = await importCsv(cl.pudong, fresh, '?dry_run=false');
  assert.equal(wet.status, 200, wet.text);
  assert.equal(wet.json.dry_run, false);
  assert.equal(wet.json.accepted, 2, `file without BOM and with LF line ends: ${wet.text}`);
  assert.equal(await total(cl.city, `&q=${u4}`), 1);
  assert.equal((await list(cl.city, `&q=${u4}`)).items[0].size_class, 'micro');
  assert.equal(await total(cl.city), before + 4);
});

// Encode text as GBK (iconv when present; otherwise only 企业名称 is GBK, the rest ASCII-safe UTF-8).
function gbk(text) {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: Buffer.from(text, 'utf8') });
  if (r.status === 0 && r.stdout?.length) return r.stdout;
  return Buffer.concat([Buffer.from([0xC6, 0xF3, 0xD2, 0xB5, 0xC3, 0xFB, 0xB3, 0xC6]), Buffer.from(',uscc\r\n')]);
}

test('CSV import: encoding and column problems', async () => {
  const before = await total(cl.city);
  const text = csv([HEAD.join(','), csvRow({ name: '上海编码测试有限公司', uscc: newUscc() })]);
  const g = gbk(text);
  assert.deepEqual([...g.subarray(0, 8)], [0xC6, 0xF3, 0xD2, 0xB5, 0xC3, 0xFB, 0xB3, 0xC6], 'GBK bytes of 企业名称');
  const r = await importCsv(cl.pudong, g);
  assertError(r, 415, 'unsupported_media_type', undefined, 'GBK file');
  assert.match(r.json.error.message, /UTF-8/i);

  const noUscc = HEAD.filter((h) => h !== '统一社会信用代码');
  const missing = csv([noUscc.join(','), '上海缺列有限公司,上海市浦东新区导入路1号,浦东新区,集成电路,张江高科技园区,工业,30,500,300,张三,13912340000,是']);
  const m = await importCsv(cl.pudong, BOM + missing);
  assertError(m, 422, 'invalid', 'file', 'missing 统一社会信用代码 column');
  assert.match(m.json.error.message, /统一社会信用代码/);

  const semi = csv([HEAD.join(';'), ['上海分号有限公司', newUscc(), '上海市浦东新区导入路1号', '浦东新区', '集成电路', '张江高科技园区', '工业', 30, 500, 300, '张三', '13912340000', '是'].join(';')]);
  assertError(await importCsv(cl.pudong, BOM + semi), 422, 'invalid', 'file', 'semicolon-delimited file');
  assertError(await importCsv(cl.pudong, ''), 422, 'invalid', 'file', 'empty file');
  assertError(await importCsv(cl.pudong, BOM), 422, 'invalid', 'file', 'only a BOM');
  assert.equal(await total(cl.city), before);
});

test('CSV import: blank lines are skipped, an unterminated quote is reported with its line', async () => {
  const u1 = newUscc();
  const u2 = newUscc();
  const blanks = BOM + [
    HEAD.join(','), // 1
    '', // 2
    csvRow({ name: '上海空行一有限公司', uscc: u1 }), // 3
    '', // 4
    '', // 5
    csvRow({ name: '上海空行二有限公司', uscc: u2 }), // 6
    '', // 7
    '',
  ].join('\r\n');
  const r = await importCsv(cl.pudong, blanks);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total_rows, 2, `blank lines counted as rows: ${r.text}`);
  assert.equal(r.json.accepted, 2, r.text);
  assert.equal(r.json.refused, 0, r.text);
  assert.equal(rowAt(r.json, 3)?.uscc, u1, `line numbers count the blank lines: ${r.text}`);
  assert.equal(rowAt(r.json, 6)?.uscc, u2, `line numbers count the blank lines: ${r.text}`);

  const u3 = newUscc();
  const open = BOM + [
    HEAD.join(','), // 1
    csvRow({ name: '上海引号前一行有限公司', uscc: u3 }), // 2
    `"上海未闭合引号有限公司,${newUscc()},上海市浦东新区导入路1号,浦东新区,集成电路,张江高科技园区,工业,30,500,300,张三,13912340000,是`, // 3
    '',
  ].join('\r\n');
  const o = await importCsv(cl.pudong, open, '?dry_run=true');
  assert.equal(o.status, 200, o.text);
  const bad = rowAt(o.json, 3);
  assert.equal(bad?.status, 'refused', `unterminated quote on line 3: ${o.text}`);
  assert.ok(bad.message.length > 0);
  assert.equal(rowAt(o.json, 2)?.status, 'accepted', o.text);
  assert.equal(o.json.refused, 1, o.text);
});

test('CSV import: roles and districts', async () => {
  const file = BOM + csv([HEAD.join(','), csvRow({ name: '上海角色测试有限公司', uscc: newUscc() })]);
  assertError(await importCsv(cl.cb1, file), 403, 'forbidden', undefined, 'cb1 import');
  assertError(await importCsv(cl.ent1, file), 403, 'forbidden', undefined, 'ent1 import');
  assertError(await new Client(srv.base).req('POST', `${API}/enterprises/import`, Buffer.from(file), { 'content-type': 'text/csv' }),
    401, 'not_authenticated', undefined, 'anonymous import');

  const before = await total(cl.city);
  const hu = newUscc('310101');
  const hp = BOM + csv([
    HEAD.join(','), // 1
    csvRow({ name: '上海黄浦导入服饰有限公司', uscc: hu, district: '黄浦区', industry: '时尚消费品', park: '南京东路商圈', sector: '零售业', employees: 20, revenue: 300, address: '上海市黄浦区导入路1号' }), // 2
    csvRow({ name: '上海越区导入有限公司', uscc: newUscc(), district: '浦东新区' }), // 3
    csvRow({ name: '上海不自愿有限公司', uscc: newUscc('310101'), district: '黄浦区', industry: '时尚消费品', sector: '零售业', employees: 20, revenue: 300, consent: '否' }), // 4
  ]);
  const r = await importCsv(cl.huangpu, hp);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 1, r.text);
  assert.equal(r.json.refused, 2, r.text);
  assert.equal(rowAt(r.json, 2)?.status, 'accepted', r.text);
  const other = rowAt(r.json, 3);
  assert.equal(other?.status, 'refused', `huangpu imports a 浦东新区 row: ${r.text}`);
  assert.equal(other.field, 'district');
  const noConsent = rowAt(r.json, 4);
  assert.equal(noConsent?.status, 'refused', r.text);
  assert.equal(noConsent.field, 'consent');
  assert.equal(await total(cl.city), before + 1);
  assert.equal(await total(cl.huangpu, `&q=${hu}`), 1);
  made.huangpuImported = '上海黄浦导入服饰有限公司';
});

test('CSV import: 10,000 rows in one request', async () => {
  const big = await startServer();
  try {
    const c = new Client(big.base);
    assert.equal((await c.login('pudong')).status, 200);
    const lines = [HEAD.join(',')];
    const seen = new Set();
    for (let i = 0; i < 10000; i++) {
      const uscc = withCheck(`91310115K${String(i).padStart(8, '0')}`);
      seen.add(uscc);
      lines.push(csvRow({
        name: `上海批量导入第${i + 1}号有限公司`, uscc, industry: i % 2 ? '生物医药' : '集成电路',
        employees: 5 + (i % 200), revenue: 100 + (i % 1500), total_assets: 50 + (i % 1000),
      }));
    }
    assert.equal(seen.size, 10000);
    const file = Buffer.from(BOM + csv(lines), 'utf8');
    const t0 = performance.now();
    const r = await importCsv(c, file);
    const ms = performance.now() - t0;
    console.log(`10,000-row import (${(file.length / 1048576).toFixed(2)} MiB): ${ms.toFixed(0)} ms, HTTP ${r.status}`);
    assert.equal(r.status, 200, r.text.slice(0, 500));
    assert.equal(r.json.total_rows, 10000);
    assert.equal(r.json.accepted, 10000, `refused: ${JSON.stringify(r.json.rows.filter((x) => x.status !== 'accepted').slice(0, 5))}`);
    assert.equal(r.json.refused, 0);
    assert.equal(r.json.duplicates, 0);
    assert.ok(r.json.rows.length <= 1000, `accepted rows are listed up to 1,000, got ${r.json.rows.length}`);
    const t = await c.get(`${API}/enterprises?per_page=1`);
    assert.equal(t.json.total, 10010);
    const last = await c.get(`${API}/enterprises?per_page=5&q=${q('上海批量导入第10000号有限公司')}`);
    assert.equal(last.json.total, 1);
    assert.equal(last.json.items[0].uscc, withCheck('91310115K00009999'));
  } finally {
    await big.stop();
  }
});

test('CSV import across write batches (128 rows each): file order, repeats within and across batches, refusals between', async () => {
  const srv2 = await startServer();
  try {
    const c = new Client(srv2.base);
    assert.equal((await c.login('pudong')).status, 200);
    const existing = (await c.get(`${API}/enterprises?per_page=1`)).json.items[0];
    const usccOf = (i) => withCheck(`91310115B${String(i).padStart(8, '0')}`);
    const lines = [HEAD.join(',')]; // line 1; data row i (0-based) is on line i + 2
    const want = new Map(); // line -> status
    for (let i = 0; i < 300; i++) {
      let uscc = usccOf(i);
      let status = 'accepted';
      if (i === 3) { uscc = existing.uscc; status = 'duplicate'; } // registered before
      if (i === 10 || i === 200) { uscc = usccOf(5); status = 'duplicate'; } // same batch, a later batch
      if (i === 129 || i === 130) status = 'refused'; // right after the first batch boundary
      const row = { name: `上海分批导入第${i + 1}号有限公司`, uscc };
      if (status === 'refused') row.consent = '否';
      lines.push(csvRow(row));
      want.set(i + 2, status);
    }
    const r = await importCsv(c, Buffer.from(BOM + csv(lines), 'utf8'));
    assert.equal(r.status, 200, r.text.slice(0, 500));
    assert.equal(r.json.total_rows, 300);
    assert.equal(r.json.accepted, 295, r.text.slice(0, 500));
    assert.equal(r.json.duplicates, 3);
    assert.equal(r.json.refused, 2);
    const got = r.json.rows.map((x) => x.line);
    assert.deepEqual(got, [...got].sort((a, b) => a - b), 'the report is in file order');
    assert.equal(r.json.rows.length, 300);
    for (const x of r.json.rows) assert.equal(x.status, want.get(x.line), `line ${x.line}: ${JSON.stringify(x)}`);
    // Each accepted row's id is the enterprise with that row's USCC and name.
    for (const line of [2, 7, 129, 130, 133, 301]) {
      const x = r.json.rows.find((y) => y.line === line);
      assert.equal(x.status, 'accepted');
      const e = (await c.get(`${API}/enterprises/${x.id}`)).json;
      assert.equal(e.uscc, x.uscc, `line ${line}`);
      assert.equal(e.name, `上海分批导入第${line - 1}号有限公司`);
    }
    // A repeat points at the first row's enterprise; the registered one at itself.
    const first = r.json.rows.find((y) => y.line === 7);
    assert.equal(r.json.rows.find((y) => y.line === 12).id, first.id);
    assert.equal(r.json.rows.find((y) => y.line === 202).id, first.id);
    assert.equal(r.json.rows.find((y) => y.line === 5).id, existing.id);
    assert.equal((await c.get(`${API}/enterprises?per_page=1`)).json.total, 10 + 295);
  } finally {
    await srv2.stop();
  }
});

// ---------------------------------------------------------------- ledger export

test('ledger export: district officers get their own district', async () => {
  const r = await getBytes(cl.pudong, `${API}/ledger.xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /spreadsheetml|octet-stream/);
  assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK');
  const s = xlsxText(r.buf, 'pudong.xlsx');
  for (const [, name] of PUDONG) assert.ok(s.includes(xmlEscape(name)), `pudong ledger lacks ${name}`);
  assert.ok(s.includes('上海导入精工有限公司'), 'pudong ledger lacks the imported enterprise');
  assert.ok(s.includes('913101156A8K3M2P7U'), 'pudong ledger lacks the USCC');
  assert.ok(s.includes(CB1_NAME), 'pudong ledger lacks the assigned body');
  for (const [, name] of HUANGPU) assert.ok(!s.includes(name), `pudong ledger shows ${name}`);
  assert.ok(!s.includes(made.huangpuImported), 'pudong ledger shows a 黄浦区 import');

  const h = await getBytes(cl.city, `${API}/ledger.xlsx?district=${q('黄浦区')}`);
  assert.equal(h.status, 200, h.text);
  assert.equal(h.buf.subarray(0, 2).toString('latin1'), 'PK');
  const t = xlsxText(h.buf, 'huangpu.xlsx');
  for (const [, name] of HUANGPU) assert.ok(t.includes(name), `黄浦区 ledger lacks ${name}`);
  assert.ok(t.includes(made.huangpuImported), '黄浦区 ledger lacks the imported enterprise');
  for (const [, name] of PUDONG) assert.ok(!t.includes(name), `黄浦区 ledger shows ${name}`);

  const bio = await getBytes(cl.city, `${API}/ledger.xlsx?industry=${q('生物医药')}`);
  assert.equal(bio.status, 200, bio.text);
  const b = xlsxText(bio.buf, 'bio.xlsx');
  assert.ok(b.includes('上海康源生物科技有限公司（演示）'));
  assert.ok(!b.includes('上海芯途微电子有限公司（演示）'), 'industry filter ignored in the ledger');

  const hpOwn = await getBytes(cl.huangpu, `${API}/ledger.xlsx`);
  assert.equal(hpOwn.status, 200, hpOwn.text);
  const hs = xlsxText(hpOwn.buf, 'huangpu-own.xlsx');
  assert.ok(hs.includes('上海外滩时尚服饰有限公司（演示）'));
  assert.ok(!hs.includes('上海浦江精密电子有限公司（演示）'), 'huangpu ledger shows a 浦东新区 enterprise');
  const cross = await getBytes(cl.pudong, `${API}/ledger.xlsx?district=${q('黄浦区')}`);
  if (cross.status === 200) {
    const cs = xlsxText(cross.buf, 'cross.xlsx');
    for (const [, name] of HUANGPU) assert.ok(!cs.includes(name), `pudong reads ${name} through ?district=黄浦区`);
  } else {
    assert.ok([403, 404, 422].includes(cross.status), `pudong ?district=黄浦区: ${cross.status}`);
  }

  assertError((await getBytes(cl.cb1, `${API}/ledger.xlsx`)), 403, 'forbidden', undefined, 'cb1 ledger');
  assertError((await getBytes(cl.ent1, `${API}/ledger.xlsx`)), 403, 'forbidden', undefined, 'ent1 ledger');
});

// ---------------------------------------------------------------- audit

test('audit: create, import and assign are recorded', async () => {
  const audit = async (action) => {
    const r = await cl.city.get(`${API}/audit-log?per_page=200&action=${q(action)}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.every((x) => x.action === action), `action filter ${action}`);
    return r.json.items;
  };
  const created = await audit('enterprise.create');
  assert.ok(created.some((x) => x.username === 'pudong' && x.object_type === 'enterprise' && x.object_id === made.small),
    `no enterprise.create for ${made.small}: ${JSON.stringify(created.slice(0, 3))}`);
  assert.ok(created.some((x) => x.username === 'city' && x.object_id === made.cityHuangpu), 'city create not audited');
  const imported = await audit('enterprise.import');
  assert.ok(imported.some((x) => x.username === 'pudong'), `no enterprise.import by pudong: ${JSON.stringify(imported.slice(0, 3))}`);
  assert.ok(imported.some((x) => x.username === 'huangpu'), 'no enterprise.import by huangpu');
  const assigned = await audit('enterprise.assign');
  assert.ok(assigned.some((x) => x.username === 'pudong' && x.object_id === made.small),
    `no enterprise.assign for ${made.small}: ${JSON.stringify(assigned.slice(0, 3))}`);
  assertError(await cl.pudong.get(`${API}/audit-log`), 403, 'forbidden', undefined, 'pudong audit');
});
