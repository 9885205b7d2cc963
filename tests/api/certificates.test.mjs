// Certification 认证实施 · certificates 认证证书 · surveillance 监督审核 (docs/api.md): the demo
// certificates, data scope per role, filters, the supervision lists and statistics, the
// certification audit of an enterprise, issuing (with every field rule), prior certificates
// recorded by a district, the status machine with its history, surveillance audits and
// their schedule, public verification (fields, QR code, rate limit), the effective
// expiry (computed before the daily job, then recorded by it), exports and audit entries.
// Tests run in order and share one server (demo data, simulated date 2021-05-10);
// the expiry, the job and the rate limit get servers of their own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
let srv;
let tmp;
const cl = {}; // logged-in clients by username
const E = {}; // demo enterprise ids by short name
const CB = {}; // certification-body unit ids: cb1, cb2
const C = {}; // certificate ids: hlqc, annuo (00219…), hexin (00220…), and those made here
const CERT = {}; // certificate numbers made by this file

const HLQC = 'HLQC-2021-Q-0018';
const ANNUO = '00219Q21001R0S';
const HEXIN = '00220Q20456R0S';
const CB1_NAME = '沪联质量认证中心（演示）';
const CB2_NAME = '申诚认证有限公司（演示）';
const PRIOR_ISSUER = '华东某认证有限公司（演示）';
const STD = 'GB/T 19001-2016/ISO 9001:2015';

const PUDONG = {
  pujiang: '上海浦江精密电子有限公司（演示）',
  xintu: '上海芯途微电子有限公司（演示）',
  jingyao: '上海晶曜封装测试有限公司（演示）',
  weilian: '上海微链芯片设计有限公司（演示）',
  kangyuan: '上海康源生物科技有限公司（演示）',
  hexin: '上海禾信试剂有限公司（演示）',
  annuo: '上海安诺生物医药有限公司（演示）',
};
const HUANGPU = { waitan: '上海外滩时尚服饰有限公司（演示）' };

async function login(username, password) {
  const c = new Client(srv.base);
  const r = await c.login(username, password);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  srv = await startServer();
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-cert-'));
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(u);
  const units = await cl.city.get(`${API}/units?kind=cb&per_page=200`);
  assert.equal(units.status, 200, units.text);
  for (const u of units.json.items) {
    if (u.name === CB1_NAME) CB.cb1 = u.id;
    if (u.name === CB2_NAME) CB.cb2 = u.id;
  }
  assert.ok(CB.cb1 && CB.cb2, 'demo certification bodies not found');
  const ents = await cl.city.get(`${API}/enterprises?per_page=200`);
  assert.equal(ents.status, 200, ents.text);
  for (const [key, name] of Object.entries({ ...PUDONG, ...HUANGPU })) {
    const e = ents.json.items.find((x) => x.name === name);
    assert.ok(e, `demo enterprise ${name} missing`);
    E[key] = e.id;
  }
  const certs = await cl.city.get(`${API}/certificates?per_page=200`);
  assert.equal(certs.status, 200, certs.text);
  for (const [key, number] of [['hlqc', HLQC], ['annuo', ANNUO], ['hexin', HEXIN]]) {
    const c = certs.json.items.find((x) => x.number === number);
    assert.ok(c, `demo certificate ${number} missing`);
    C[key] = c.id;
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

async function list(c, query = '') {
  const r = await c.get(`${API}/certificates?per_page=200${query}`);
  assert.equal(r.status, 200, `list ${query}: ${r.text}`);
  assert.ok(Array.isArray(r.json.items), `list ${query}: items`);
  assert.equal(r.json.items.length, Math.min(r.json.total, 200), `list ${query}: items vs total`);
  return r.json;
}
const numbers = (l) => l.items.map((c) => c.number).sort();
async function getCert(c, id) {
  const r = await c.get(`${API}/certificates/${id}`);
  assert.equal(r.status, 200, `GET certificate ${id}: ${r.text}`);
  return r.json;
}

// Raw bytes of a GET (Client.req decodes as text, which would corrupt binaries).
async function getBytes(c, path, base = srv.base) {
  const h = {};
  if (c?.cookie) h.cookie = c.cookie;
  const r = await fetch(base + path, { headers: h, redirect: 'manual' });
  const buf = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* binary */ }
  return { status: r.status, headers: r.headers, buf, json, text: buf.toString('utf8', 0, 500) };
}

// A public (anonymous) GET.
async function pub(path, base = srv.base) {
  const r = await fetch(base + path, { redirect: 'manual' });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, json, text };
}

// A GET whose path is sent exactly as written (fetch would normalise "../").
function rawGet(path, base = srv.base) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const rq = httpRequest({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, text: body }));
    });
    rq.on('error', reject);
    rq.end();
  });
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

function pdfText(buf, name) {
  const f = join(tmp, name);
  writeFileSync(f, buf);
  const t = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  return t.stdout.replace(/\s+/g, '');
}

// Date arithmetic on YYYY-MM-DD (UTC).
const day = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
const daysBetween = (a, b) => day(b) - day(a);

const ISSUE = '2021-05-01';
function issueBody(over = {}) {
  return {
    enterprise_id: E.xintu, number: 'HLQC-2021-Q-0101', scope: '集成电路芯片设计和销售',
    sites: '上海市浦东新区张江演示路2号', issue_date: ISSUE, expiry_date: '2024-04-30', headcount: 32, ...over,
  };
}
const reasons = { date: '2021-05-03', reason: '未按期接受监督审核' };

// ---------------------------------------------------------------- demo data

test('demo certificates as documented', async () => {
  const h = await getCert(cl.city, C.hlqc);
  assert.equal(h.number, HLQC);
  assert.equal(h.issuer, CB1_NAME);
  assert.equal(h.cb_unit_id, CB.cb1);
  assert.equal(h.enterprise_id, E.jingyao);
  assert.equal(h.prior, false);
  assert.equal(h.holder, PUDONG.jingyao);
  assert.equal(h.uscc, '913101151EFJ2A89F9');
  assert.equal(h.district, '浦东新区');
  assert.equal(h.industry, '集成电路');
  assert.equal(h.standard, STD);
  assert.equal(h.scheme, '质量管理体系认证');
  assert.equal(h.scope, '集成电路封装测试服务');
  assert.equal(h.issue_date, '2021-04-28');
  assert.equal(h.first_issue_date, '2021-04-28');
  assert.equal(h.expiry_date, '2024-04-27');
  assert.equal(h.headcount, 78);
  assert.equal(h.status, 'valid');
  assert.equal(h.status_name, '有效');
  assert.equal(h.stored_status, 'valid');
  assert.equal(h.status_date, '2021-04-28');
  assert.deepEqual(h.surveillance, { done: 0, required: 2, next_due: '2022-04-28', overdue: false, days_left: 353 });
  assert.equal(h.must_suspend, false);
  assert.equal(h.must_withdraw, false);
  assert.match(h.verify_url, /\/verify\?number=HLQC-2021-Q-0018$/);
  assert.ok(Array.isArray(h.history) && h.history.length === 1, `history: ${JSON.stringify(h.history)}`);
  assert.equal(h.history[0].from, null);
  assert.equal(h.history[0].to, 'valid');
  assert.equal(h.history[0].date, '2021-04-28');
  assert.equal(h.history[0].username, 'cb1');
  assert.deepEqual(h.surveillances, []);

  // the recorded certification audit that led to it
  const au = await cl.cb1.get(`${API}/enterprises/${E.jingyao}/audit`);
  assert.equal(au.status, 200, au.text);
  assert.equal(au.json.audit.decision, 'certify');
  assert.equal(au.json.audit.stage2_date, '2021-04-15');
  assert.equal(au.json.audit.nc_found, au.json.audit.nc_closed);

  const a = await getCert(cl.city, C.annuo);
  assert.equal(a.prior, true);
  assert.equal(a.issuer, PRIOR_ISSUER);
  assert.equal(a.cb_unit_id, null);
  assert.equal(a.holder, PUDONG.annuo);
  assert.equal(a.issue_date, '2019-03-01');
  assert.equal(a.status, 'valid');
  assert.equal(a.surveillance.done, 1);
  assert.equal(a.surveillance.next_due, '2021-02-20');
  assert.equal(a.surveillance.overdue, true);
  assert.equal(a.surveillance.days_left, -79);
  assert.equal(a.must_suspend, true);
  assert.equal(a.must_withdraw, false);
  assert.equal(a.surveillances.length, 1);
  assert.equal(a.surveillances[0].audit_date, '2020-02-20');

  const x = await getCert(cl.city, C.hexin);
  assert.equal(x.prior, true);
  assert.equal(x.holder, PUDONG.hexin);
  assert.equal(x.status, 'suspended');
  assert.equal(x.status_name, '暂停');
  assert.equal(x.status_date, '2020-10-20');
  assert.equal(x.must_withdraw, true, 'suspended since 2020-10-20: more than 6 months');
  assert.equal(x.must_suspend, false);
  assert.ok(x.history.some((ev) => ev.from === 'valid' && ev.to === 'suspended' && ev.date === '2020-10-20'),
    `history: ${JSON.stringify(x.history)}`);

  // 浦东新区's 10 enterprises are assigned to cb1's body, cb2's body has none
  const pd = await cl.city.get(`${API}/enterprises?per_page=200&district=${q('浦东新区')}`);
  assert.equal(pd.json.total, 10);
  assert.ok(pd.json.items.every((e) => e.assignment?.cb?.id === CB.cb1), 'a pudong enterprise not assigned to cb1');
  assert.equal((await cl.cb2.get(`${API}/enterprises?per_page=1`)).json.total, 0);
});

// ---------------------------------------------------------------- scope and filters

test('data scope: city 3, pudong 3, huangpu 0, cb1 its own, cb2 0, ent1 0', async () => {
  assert.deepEqual(numbers(await list(cl.city)), [ANNUO, HEXIN, HLQC].sort());
  assert.deepEqual(numbers(await list(cl.pudong)), [ANNUO, HEXIN, HLQC].sort());
  const hp = await list(cl.huangpu);
  assert.equal(hp.total, 0);
  assert.deepEqual(hp.items, []);
  assert.deepEqual(numbers(await list(cl.cb1)), [HLQC], 'cb1 sees only what it issued (not the prior certificates of its enterprises)');
  assert.equal((await list(cl.cb2)).total, 0);
  assert.equal((await list(cl.ent1)).total, 0, 'ent1 (浦江精密) has no certificate');
  // filters never widen the scope
  assert.equal((await list(cl.cb1, '&prior=true')).total, 0);
  const hpFilter = await cl.huangpu.get(`${API}/certificates?district=${q('浦东新区')}`);
  if (hpFilter.status === 200) assert.equal(hpFilter.json.total, 0, 'huangpu reads 浦东新区 through the filter');
  assertError(await new Client(srv.base).get(`${API}/certificates`), 401, 'not_authenticated', undefined, 'anonymous list');
  // a body filtering for another body's certificates gets none (not its own)
  assert.deepEqual(numbers(await list(cl.cb1, `&cb_unit_id=${CB.cb2}`)), [], 'cb1 filtering for cb2\'s certificates: the filter must narrow, not be replaced by its own body');
});

test('another party\'s certificate by id answers 404, like an unknown id', async () => {
  const cases = [
    [cl.huangpu, C.hlqc, 'huangpu → pudong certificate'],
    [cl.cb2, C.hlqc, 'cb2 → cb1 certificate'],
    [cl.cb1, C.annuo, 'cb1 → prior certificate of its enterprise'],
    [cl.ent1, C.hlqc, 'ent1 → another enterprise\'s certificate'],
    [cl.city, 999999, 'unknown id'],
  ];
  for (const [c, id, what] of cases) assertError(await c.get(`${API}/certificates/${id}`), 404, 'not_found', undefined, what);
  for (const [c, id] of [[cl.pudong, C.hlqc], [cl.pudong, C.annuo], [cl.cb1, C.hlqc]]) assert.equal((await getCert(c, id)).id, id);
});

test('an enterprise contact sees its own certificate', async () => {
  const acc = await cl.pudong.post(`${API}/enterprises/${E.jingyao}/account`, { username: 'jingyao', display_name: '晶曜 联系人' });
  assert.equal(acc.status, 201, acc.text);
  const c = await login('jingyao', acc.json.temporary_password);
  const ch = await c.post(`${API}/me/password`, { current_password: acc.json.temporary_password, new_password: 'Jingyao-Cert-2021' });
  assert.equal(ch.status, 204, ch.text);
  assert.deepEqual(numbers(await list(c)), [HLQC]);
  assert.equal((await getCert(c, C.hlqc)).number, HLQC);
  assertError(await c.get(`${API}/certificates/${C.annuo}`), 404, 'not_found', undefined, 'enterprise → another enterprise');
});

test('filters: status (effective), prior, district, industry, q; bad status 422', async () => {
  assert.deepEqual(numbers(await list(cl.city, '&status=valid')), [ANNUO, HLQC].sort());
  assert.deepEqual(numbers(await list(cl.city, '&status=suspended')), [HEXIN]);
  assert.equal((await list(cl.city, '&status=expired')).total, 0);
  assert.equal((await list(cl.city, '&status=withdrawn')).total, 0);
  assert.deepEqual(numbers(await list(cl.city, '&prior=true')), [ANNUO, HEXIN].sort());
  assert.deepEqual(numbers(await list(cl.city, '&prior=false')), [HLQC]);
  assert.equal((await list(cl.city, `&district=${q('浦东新区')}`)).total, 3);
  assert.equal((await list(cl.city, `&district=${q('黄浦区')}`)).total, 0);
  assert.deepEqual(numbers(await list(cl.city, `&industry=${q('集成电路')}`)), [HLQC]);
  assert.deepEqual(numbers(await list(cl.city, `&industry=${q('生物医药')}`)), [ANNUO, HEXIN].sort());
  assert.deepEqual(numbers(await list(cl.city, `&cb_unit_id=${CB.cb1}`)), [HLQC]);
  assert.deepEqual(numbers(await list(cl.city, `&q=${q('安诺')}`)), [ANNUO]);
  assert.deepEqual(numbers(await list(cl.city, '&q=HLQC')), [HLQC]);
  assert.deepEqual(numbers(await list(cl.city, '&q=Q20456')), [HEXIN]);
  assert.equal((await list(cl.city, `&q=${q('不存在的企业')}`)).total, 0);
  assert.deepEqual(numbers(await list(cl.city, `&status=valid&prior=true&industry=${q('生物医药')}`)), [ANNUO]);
  const paged = await cl.city.get(`${API}/certificates?per_page=2&page=2`);
  assert.equal(paged.status, 200, paged.text);
  assert.equal(paged.json.total, 3);
  assert.equal(paged.json.items.length, 1);
  assert.equal(paged.json.page, 2);
  assertError(await cl.city.get(`${API}/certificates?status=bogus`), 422, 'invalid', undefined, 'bad status');
  assertError(await cl.city.get(`${API}/certificates?status=${q('有效')}`), 422, 'invalid', undefined, 'status label instead of key');
  assertError(await cl.city.get(`${API}/certificates?per_page=0`), 422, 'invalid', undefined, 'bad paging');
});

// ---------------------------------------------------------------- supervision and statistics

test('supervision lists: must_suspend, must_withdraw; bodies see their own; districts 403', async () => {
  const r = await cl.city.get(`${API}/certificates/supervision`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.today, '2021-05-10');
  for (const k of ['must_suspend', 'must_withdraw', 'due_soon']) assert.ok(Array.isArray(r.json[k]), k);
  assert.deepEqual(r.json.must_suspend.map((c) => c.number), [ANNUO]);
  assert.deepEqual(r.json.must_withdraw.map((c) => c.number), [HEXIN]);
  assert.ok(!r.json.due_soon.some((c) => c.number === HLQC), 'HLQC is due in 353 days, not soon');

  const b = await cl.cb1.get(`${API}/certificates/supervision`);
  assert.equal(b.status, 200, b.text);
  assert.deepEqual(b.json.must_suspend, []);
  assert.deepEqual(b.json.must_withdraw, []);
  const all = [...b.json.must_suspend, ...b.json.must_withdraw, ...b.json.due_soon].map((c) => c.number);
  assert.ok(!all.includes(ANNUO) && !all.includes(HEXIN), `cb1 sees prior certificates: ${all}`);
  const b2 = await cl.cb2.get(`${API}/certificates/supervision`);
  assert.equal(b2.status, 200, b2.text);
  assert.equal(b2.json.must_suspend.length + b2.json.must_withdraw.length + b2.json.due_soon.length, 0);

  for (const u of ['pudong', 'huangpu', 'ent1']) {
    assertError(await cl[u].get(`${API}/certificates/supervision`), 403, 'forbidden', undefined, `${u} supervision`);
  }
});

test('statistics per district and industry', async () => {
  const r = await cl.city.get(`${API}/certificates/stats`);
  assert.equal(r.status, 200, r.text);
  const row = (d, i) => r.json.items.find((x) => x.district === d && x.industry === i);
  const ic = row('浦东新区', '集成电路');
  const bio = row('浦东新区', '生物医药');
  assert.ok(ic && bio, `stats items: ${JSON.stringify(r.json.items)}`);
  assert.equal(ic.newly_certified, 1);
  assert.equal(ic.already_certified, 0);
  assert.equal(ic.pilot_enterprises, 5);
  assert.equal(bio.newly_certified, 0);
  assert.equal(bio.already_certified, 2);
  assert.equal(bio.pilot_enterprises, 5);

  const p = await cl.pudong.get(`${API}/certificates/stats`);
  assert.equal(p.status, 200, p.text);
  assert.ok(p.json.items.length >= 2 && p.json.items.every((x) => x.district === '浦东新区'), JSON.stringify(p.json.items));
  const h = await cl.huangpu.get(`${API}/certificates/stats`);
  assert.equal(h.status, 200, h.text);
  assert.ok(h.json.items.every((x) => x.district === '黄浦区'), `huangpu sees: ${JSON.stringify(h.json.items)}`);
  for (const u of ['cb1', 'ent1']) assertError(await cl[u].get(`${API}/certificates/stats`), 403, 'forbidden', undefined, `${u} stats`);
});

// ---------------------------------------------------------------- certification audit and issuing

test('issuing before a certify decision is refused with 409', async () => {
  const a = await cl.cb1.get(`${API}/enterprises/${E.xintu}/audit`);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.audit, null, 'xintu has no certification audit yet');
  assertError(await cl.cb1.post(`${API}/certificates`, issueBody()), 409, 'conflict', undefined, 'issue without an audit');
});

test('certification audit: dates, nonconformities and the certify decision are checked', async () => {
  const path = `${API}/enterprises/${E.xintu}/audit`;
  const ok = { stage1_date: '2021-04-06', stage2_date: '2021-04-20', team: '王强（组长）', nc_found: 2, nc_closed: 2,
    decision: 'certify', decision_date: '2021-04-30', notes: '' };
  const bad = async (over, field, what) => assertError(await put(cl.cb1, path, { ...ok, ...over }), 422, 'invalid', field, what);
  await bad({ stage1_date: '2021-04-21' }, 'stage2_date', 'stage 2 before stage 1');
  await bad({ stage1_date: '2021-05-11', stage2_date: '2021-05-11', decision: 'pending', decision_date: null }, 'stage1_date', 'future stage 1');
  await bad({ decision_date: '2021-05-11' }, 'decision_date', 'future decision date');
  await bad({ nc_found: 1, nc_closed: 2, decision: 'pending' }, 'nc_closed', 'closed > found');
  await bad({ nc_found: 3, nc_closed: 2 }, 'decision', 'certify with an open nonconformity');
  await bad({ stage2_date: null }, 'decision', 'certify without stage 2');
  await bad({ decision_date: null }, 'decision', 'certify without a decision date');
  await bad({ decision: 'maybe' }, 'decision', 'unknown decision');
  await bad({ stage1_date: '2021/04/06' }, 'stage1_date', 'malformed date');

  // pending first: still no certificate
  const p = await put(cl.cb1, path, { ...ok, nc_closed: 1, decision: 'pending', decision_date: null });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.audit.decision, 'pending');
  assertError(await cl.cb1.post(`${API}/certificates`, issueBody()), 409, 'conflict', undefined, 'issue after a pending decision');

  const r = await put(cl.cb1, path, ok);
  assert.equal(r.status, 200, r.text);
  for (const [k, v] of Object.entries(ok)) {
    if (k !== 'notes') assert.equal(r.json.audit[k], v, `audit.${k}: ${r.text}`);
  }

  assertError(await put(cl.cb2, path, ok), 404, 'not_found', undefined, 'cb2 PUT for a pudong enterprise');
  assertError(await cl.cb2.get(path), 404, 'not_found', undefined, 'cb2 GET for a pudong enterprise');
  assertError(await put(cl.cb1, `${API}/enterprises/${E.waitan}/audit`, ok), 404, 'not_found', undefined, 'cb1 PUT for an unassigned enterprise');
  const pg = await cl.pudong.get(path);
  assert.equal(pg.status, 200, pg.text);
  assert.equal(pg.json.audit.decision, 'certify');
  assertError(await put(cl.pudong, path, ok), 403, 'forbidden', undefined, 'pudong PUT');
  assertError(await put(cl.city, path, ok), 403, 'forbidden', undefined, 'city PUT');
  assertError(await cl.huangpu.get(path), 404, 'not_found', undefined, 'huangpu GET for a pudong enterprise');
});

test('issuing: field rules', async () => {
  const post = (over) => cl.cb1.post(`${API}/certificates`, issueBody(over));
  for (const n of ['hlqc-2021-q-0101', 'ABC', 'HLQC 2021 Q 0101', 'HLQC-2021-Q-0101.', 'Ｈ2021Q0101', 'A'.repeat(41)]) {
    const r = await post({ number: n });
    assertError(r, 422, 'invalid', 'number', `number ${JSON.stringify(n)}`);
  }
  assertError(await post({ expiry_date: '2021-04-30' }), 422, 'invalid', 'expiry_date', 'expiry before issue');
  assertError(await post({ expiry_date: ISSUE }), 422, 'invalid', 'expiry_date', 'expiry on the issue date');
  assertError(await post({ expiry_date: '2024-05-02' }), 422, 'invalid', 'expiry_date', 'expiry beyond 3 years');
  assertError(await post({ expiry_date: '2025-04-30' }), 422, 'invalid', 'expiry_date', 'expiry 4 years on');
  assertError(await post({ issue_date: '2021-05-11', expiry_date: '2024-05-10' }), 422, 'invalid', 'issue_date', 'issue in the future');
  assertError(await post({ issue_date: '2021/05/01' }), 422, 'invalid', 'issue_date', 'malformed issue date');
  assertError(await post({ first_issue_date: '2021-05-02' }), 422, 'invalid', 'first_issue_date', 'first issue after issue');
  assertError(await post({ headcount: 0 }), 422, 'invalid', 'headcount', 'headcount 0');
  assertError(await post({ headcount: -5 }), 422, 'invalid', 'headcount', 'negative headcount');
  assertError(await post({ headcount: undefined }), 422, 'invalid', 'headcount', 'no headcount');
  assertError(await post({ scope: undefined }), 422, 'invalid', 'scope', 'no scope');
  assertError(await post({ issue_date: null }), 422, 'invalid', 'issue_date', 'null issue date');
  assertError(await post({ number: 101 }), 400, 'bad_type', undefined, 'number as a JSON number');
  assertError(await post({ colour: 'red' }), 400, 'unknown_field', undefined, 'unknown key');
  assert.equal((await list(cl.cb1)).total, 1, 'a refused request wrote a certificate');
});

test('issuing: a valid certificate gets registry defaults, status valid and the surveillance schedule', async () => {
  const ent = (await cl.city.get(`${API}/enterprises/${E.xintu}`)).json;
  const r = await cl.cb1.post(`${API}/certificates`, issueBody());
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  C.a = c.id;
  CERT.a = c.number;
  assert.equal(c.number, 'HLQC-2021-Q-0101');
  assert.equal(c.holder, PUDONG.xintu);
  assert.equal(c.uscc, ent.uscc);
  assert.equal(c.address, ent.address);
  assert.equal(c.enterprise_id, E.xintu);
  assert.equal(c.issuer, CB1_NAME);
  assert.equal(c.cb_unit_id, CB.cb1);
  assert.equal(c.prior, false);
  assert.equal(c.standard, STD, 'the standard defaults to GB/T 19001-2016/ISO 9001:2015');
  assert.equal(c.scheme, '质量管理体系认证');
  assert.equal(c.issue_date, ISSUE);
  assert.equal(c.first_issue_date, ISSUE, 'the first issue date defaults to the issue date');
  assert.equal(c.expiry_date, '2024-04-30');
  assert.equal(c.headcount, 32);
  assert.equal(c.status, 'valid');
  assert.equal(c.status_name, '有效');
  assert.equal(c.status_date, ISSUE);
  assert.equal(c.district, '浦东新区');
  assert.equal(c.industry, '集成电路');
  assert.equal(c.surveillance.done, 0);
  assert.equal(c.surveillance.required, 2);
  assert.equal(c.surveillance.next_due, '2022-05-01', 'first surveillance due 12 months after issue');
  assert.equal(c.surveillance.overdue, false);
  assert.equal(c.surveillance.days_left, daysBetween('2021-05-10', '2022-05-01'));
  assert.equal(c.must_suspend, false);
  assert.match(c.verify_url, /\/verify\?number=HLQC-2021-Q-0101$/);
  assert.equal(c.history.length, 1);
  assert.equal(c.history[0].to, 'valid');
  assert.equal(c.history[0].date, ISSUE);
  assert.equal(c.history[0].username, 'cb1');
  assert.deepEqual((await getCert(cl.cb1, c.id)).number, c.number);

  // expiry exactly issue + 36 months is still within the 3-year cycle
  const b = await cl.cb1.post(`${API}/certificates`, issueBody({ number: 'HLQC-2021-Q-0102', expiry_date: '2024-05-01' }));
  assert.equal(b.status, 201, b.text);
  C.b = b.json.id;
  CERT.b = b.json.number;
  assert.equal(b.json.expiry_date, '2024-05-01');

  assert.deepEqual(numbers(await list(cl.cb1)), [HLQC, CERT.a, CERT.b].sort());
  assert.equal((await list(cl.pudong)).total, 5);
});

test('issuing: duplicates, other bodies and roles', async () => {
  const dup = await cl.cb1.post(`${API}/certificates`, issueBody());
  assertError(dup, 409, 'conflict', undefined, 'same number by the same issuer');
  assertError(await cl.cb1.post(`${API}/certificates`, issueBody({ number: HLQC })), 409, 'conflict', undefined, 'the demo number again');
  assertError(await cl.cb2.post(`${API}/certificates`, issueBody({ number: 'SC-2021-0001' })), 422, 'invalid', 'enterprise_id', 'cb2 for a pudong enterprise');
  assertError(await cl.cb1.post(`${API}/certificates`, issueBody({ enterprise_id: E.waitan, number: 'HLQC-2021-Q-0103' })), 422, 'invalid', 'enterprise_id', 'cb1 for an unassigned enterprise');
  assertError(await cl.cb1.post(`${API}/certificates`, issueBody({ enterprise_id: 999999, number: 'HLQC-2021-Q-0104' })), 422, 'invalid', 'enterprise_id', 'unknown enterprise');
  assertError(await cl.pudong.post(`${API}/certificates`, issueBody({ number: 'PD-2021-0001' })), 403, 'forbidden', undefined, 'pudong issuing (not prior)');
  assertError(await cl.city.post(`${API}/certificates`, issueBody({ number: 'CITY-2021-0001' })), 403, 'forbidden', undefined, 'city issuing (not prior)');
  assertError(await cl.cb1.post(`${API}/certificates`, issueBody({ number: 'HLQC-2021-Q-0105', prior: true, issuer_name: '某机构' })), 403, 'forbidden', undefined, 'a body recording a prior certificate');
  assertError(await cl.ent1.post(`${API}/certificates`, issueBody({ enterprise_id: E.pujiang, number: 'ENT-2021-0001' })), 403, 'forbidden', undefined, 'enterprise issuing');
  assert.equal((await list(cl.city)).total, 5, 'a refused request wrote a certificate');
});

test('prior certificates recorded by the district; numbers are unique per issuer', async () => {
  const body = (over = {}) => ({
    prior: true, enterprise_id: E.kangyuan, number: '00221Q20777R0S', issuer_name: '华南某认证有限公司（演示）',
    scope: '生物试剂的研发', issue_date: '2020-06-01', expiry_date: '2023-05-31', headcount: 20, ...over,
  });
  assertError(await cl.pudong.post(`${API}/certificates`, body({ issuer_name: undefined })), 422, 'invalid', 'issuer_name', 'prior without issuer_name');
  const r = await cl.pudong.post(`${API}/certificates`, body());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.prior, true);
  assert.equal(r.json.issuer, '华南某认证有限公司（演示）');
  assert.equal(r.json.cb_unit_id, null);
  assert.equal(r.json.holder, PUDONG.kangyuan);
  assert.equal(r.json.status, 'valid');
  C.prior = r.json.id;
  CERT.prior = r.json.number;
  const other = await cl.pudong.post(`${API}/certificates`, body({ issuer_name: '另一认证有限公司（演示）', enterprise_id: E.weilian }));
  assert.equal(other.status, 201, `same number, another issuer: ${other.text}`);
  C.prior2 = other.json.id;
  assertError(await cl.pudong.post(`${API}/certificates`, body({ enterprise_id: E.weilian })), 409, 'conflict', undefined, 'same number, same issuer');
  assertError(await cl.pudong.post(`${API}/certificates`, body({ enterprise_id: E.waitan, number: '00221Q20778R0S' })), 422, 'invalid', 'enterprise_id', 'pudong recording for a huangpu enterprise');
  assertError(await cl.huangpu.post(`${API}/certificates`, body({ number: '00221Q20779R0S' })), 422, 'invalid', 'enterprise_id', 'huangpu recording for a pudong enterprise');
  assertError(await cl.pudong.post(`${API}/certificates`, body({ number: '00221Q20780R0S', expiry_date: '2023-06-02' })), 422, 'invalid', 'expiry_date', 'prior beyond 3 years');
  assert.deepEqual(numbers(await list(cl.pudong, `&q=00221Q20777R0S`)), [CERT.prior, CERT.prior]);
  assert.equal((await list(cl.cb1, `&q=00221Q20777R0S`)).total, 0, 'cb1 sees prior certificates');
});

// ---------------------------------------------------------------- status machine

test('status machine: suspend, restore, cancel; final; dates and reasons checked', async () => {
  const path = (a) => `${API}/certificates/${C.b}/${a}`;
  assertError(await cl.pudong.post(path('suspend'), reasons), 403, 'forbidden', undefined, 'pudong suspending cb1\'s certificate');
  assertError(await cl.city.post(path('suspend'), reasons), 403, 'forbidden', undefined, 'city suspending a body\'s certificate');
  assertError(await cl.cb2.post(path('suspend'), reasons), 404, 'not_found', undefined, 'cb2 suspending cb1\'s certificate');
  assertError(await cl.cb1.post(path('suspend'), { date: '2021-05-03' }), 422, 'invalid', 'reason', 'no reason');
  assertError(await cl.cb1.post(path('suspend'), { date: '2021-05-03', reason: null }), 422, 'invalid', 'reason', 'null reason');
  assertError(await cl.cb1.post(path('suspend'), { date: '2021-05-03', reason: '' }), 422, 'invalid', 'reason', 'empty reason');
  assertError(await cl.cb1.post(path('suspend'), { reason: 'x' }), 422, 'invalid', 'date', 'no date');
  assertError(await cl.cb1.post(path('suspend'), { ...reasons, date: '2021-05-11' }), 422, 'invalid', 'date', 'date after today');
  assertError(await cl.cb1.post(path('suspend'), { ...reasons, date: '2021-04-30' }), 422, 'invalid', 'date', 'date before the issue (status) date');
  assertError(await cl.cb1.post(path('suspend'), { ...reasons, date: '2021-5-3' }), 422, 'invalid', 'date', 'malformed date');
  assertError(await cl.cb1.post(path('withdraw'), { date: '2021-05-02', reason: '撤销' }), 409, 'conflict', undefined, 'withdraw from valid');
  assertError(await cl.cb1.post(path('restore'), { date: '2021-05-02', reason: '恢复' }), 409, 'conflict', undefined, 'restore from valid');
  assert.equal((await getCert(cl.cb1, C.b)).history.length, 1, 'a refused change was recorded');

  let r = await cl.cb1.post(path('suspend'), reasons);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'suspended');
  assert.equal(r.json.status_name, '暂停');
  assert.equal(r.json.status_date, '2021-05-03');
  assert.equal(r.json.status_reason, reasons.reason);
  assertError(await cl.cb1.post(path('suspend'), { date: '2021-05-04', reason: '再次暂停' }), 409, 'conflict', undefined, 'suspend again');
  assertError(await cl.cb1.post(path('cancel'), { date: '2021-05-04', reason: '注销' }), 409, 'conflict', undefined, 'cancel from suspended');
  assertError(await cl.cb1.post(path('restore'), { date: '2021-05-02', reason: '整改完成' }), 422, 'invalid', 'date', 'restore before the suspension date');

  r = await cl.cb1.post(path('restore'), { date: '2021-05-04', reason: '整改完成，恢复证书' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'valid');
  assert.equal(r.json.status_name, '有效');
  r = await cl.cb1.post(path('cancel'), { date: '2021-05-05', reason: '企业申请注销' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'cancelled');
  assert.equal(r.json.status_name, '注销');
  for (const a of ['suspend', 'restore', 'withdraw', 'cancel']) {
    assertError(await cl.cb1.post(path(a), { date: '2021-05-06', reason: '再变更' }), 409, 'conflict', undefined, `${a} after cancel`);
  }

  const c = await getCert(cl.cb1, C.b);
  const hist = c.history.map((h) => [h.from, h.to, h.date, h.reason, h.username]);
  const expected = [
    [null, 'valid', ISSUE],
    ['valid', 'suspended', '2021-05-03', reasons.reason, 'cb1'],
    ['suspended', 'valid', '2021-05-04', '整改完成，恢复证书', 'cb1'],
    ['valid', 'cancelled', '2021-05-05', '企业申请注销', 'cb1'],
  ];
  assert.equal(hist.length, 4, `history: ${JSON.stringify(c.history)}`);
  for (const e of expected) {
    assert.ok(hist.some((h) => e.every((v, i) => h[i] === v)), `history lacks ${JSON.stringify(e)}: ${JSON.stringify(hist)}`);
  }
  for (const h of c.history) assert.match(h.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  assert.deepEqual(numbers(await list(cl.city, '&status=cancelled')), [CERT.b]);
});

test('prior certificates: the district suspends and withdraws them', async () => {
  const body = { date: '2021-05-10', reason: '监督审核超期未做' };
  assertError(await cl.cb1.post(`${API}/certificates/${C.annuo}/suspend`, body), 404, 'not_found', undefined, 'cb1 suspending a prior certificate');
  assertError(await cl.huangpu.post(`${API}/certificates/${C.annuo}/suspend`, body), 404, 'not_found', undefined, 'huangpu suspending a pudong certificate');
  const r = await cl.pudong.post(`${API}/certificates/${C.annuo}/suspend`, body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'suspended');
  assert.equal(r.json.status_name, '暂停');
  assert.equal(r.json.must_suspend, false);
  assert.equal(r.json.must_withdraw, false);
  const ev = r.json.history.find((h) => h.to === 'suspended');
  assert.equal(ev?.username, 'pudong');

  const w = await cl.pudong.post(`${API}/certificates/${C.hexin}/withdraw`, { date: '2021-05-10', reason: '暂停期满未恢复' });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.status, 'withdrawn');
  assert.equal(w.json.status_name, '撤销');
  assert.equal(w.json.must_withdraw, false);

  const s = await cl.city.get(`${API}/certificates/supervision`);
  assert.equal(s.status, 200, s.text);
  assert.ok(!s.json.must_suspend.some((c) => c.number === ANNUO), 'still in must_suspend after the suspension');
  assert.ok(!s.json.must_withdraw.some((c) => c.number === HEXIN), 'still in must_withdraw after the withdrawal');
  assert.ok(numbers(await list(cl.city, '&status=suspended')).includes(ANNUO));
  assert.deepEqual(numbers(await list(cl.city, '&status=withdrawn')), [HEXIN]);
});

// ---------------------------------------------------------------- surveillance

test('surveillance audits: dates and result checked; a pass moves the next due date', async () => {
  const path = `${API}/certificates/${C.hlqc}/surveillances`;
  const ok = { audit_date: '2021-05-06', result: 'pass', notes: '第一次监督审核' };
  assertError(await cl.cb1.post(path, { ...ok, audit_date: '2021-04-27' }), 422, 'invalid', 'audit_date', 'before issue');
  assertError(await cl.cb1.post(path, { ...ok, audit_date: '2021-05-11' }), 422, 'invalid', 'audit_date', 'after today');
  assertError(await cl.cb1.post(path, { ...ok, result: 'maybe' }), 422, 'invalid', 'result', 'result maybe');
  assertError(await cl.cb1.post(path, { audit_date: '2021-05-06' }), 422, 'invalid', 'result', 'no result');
  const cb2 = await cl.cb2.post(path, ok);
  assert.ok([403, 404].includes(cb2.status), `cb2 adding a surveillance: ${cb2.status} ${cb2.text}`);
  assertError(await cl.pudong.post(path, ok), 403, 'forbidden', undefined, 'pudong adding a surveillance');
  assert.equal((await getCert(cl.cb1, C.hlqc)).surveillances.length, 0, 'a refused surveillance was stored');

  const r = await cl.cb1.post(path, ok);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.surveillance.done, 1);
  assert.equal(r.json.surveillance.next_due, '2022-05-06', 'next due 12 months after the audit');
  assert.equal(r.json.surveillance.days_left, daysBetween('2021-05-10', '2022-05-06'));
  assert.equal(r.json.surveillances.length, 1);
  assert.equal(r.json.surveillances[0].audit_date, '2021-05-06');
  assert.equal(r.json.surveillances[0].result, 'pass');
  assert.equal(r.json.surveillances[0].created_by, 'cb1');

  // a failed audit does not count as done
  const f = await cl.cb1.post(`${API}/certificates/${C.a}/surveillances`, { audit_date: '2021-05-07', result: 'fail', notes: '' });
  assert.equal(f.status, 201, f.text);
  assert.equal(f.json.surveillance.done, 0);
  assert.equal(f.json.surveillance.next_due, '2022-05-01');
  assert.equal(f.json.surveillances.length, 1);
});

// ---------------------------------------------------------------- public verification

test('public verification: the registry fields, never contacts or addresses', async () => {
  const r = await pub(`${API}/public/certificates/${HLQC}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.checked_on, '2021-05-10');
  assert.equal(r.json.items.length, 1);
  const c = r.json.items[0];
  const expect = {
    number: HLQC, holder: PUDONG.jingyao, uscc: '913101151EFJ2A89F9', scope: '集成电路封装测试服务', standard: STD,
    scheme: '质量管理体系认证', first_issue_date: '2021-04-28', issue_date: '2021-04-28', expiry_date: '2024-04-27',
    status: 'valid', status_name: '有效', status_date: '2021-04-28', issuer: CB1_NAME, headcount: 78,
  };
  for (const [k, v] of Object.entries(expect)) assert.equal(c[k], v, `public ${k}: ${r.text}`);
  for (const k of ['address', 'sites', 'contact_name', 'contact_phone', 'enterprise_id', 'cb_unit_id', 'created_by', 'history', 'surveillances']) {
    assert.ok(!(k in c), `public item has ${k}: ${r.text}`);
  }
  const ent = (await cl.city.get(`${API}/enterprises/${E.jingyao}`)).json;
  for (const s of [ent.address, ent.contact_phone, ent.contact_name, '演示路3号']) {
    assert.ok(!r.text.includes(s), `public answer leaks ${s}`);
  }

  // a number held with two issuers shows both; status as of today
  const two = await pub(`${API}/public/certificates/${CERT.prior}`);
  assert.equal(two.status, 200, two.text);
  assert.deepEqual(two.json.items.map((x) => x.issuer).sort(), ['华南某认证有限公司（演示）', '另一认证有限公司（演示）'].sort());
  const sus = await pub(`${API}/public/certificates/${ANNUO}`);
  assert.equal(sus.status, 200, sus.text);
  assert.equal(sus.json.items[0].status, 'suspended');
  assert.equal(sus.json.items[0].status_name, '暂停');
});

test('public verification: unknown and malformed numbers, QR code', async () => {
  assertError(await pub(`${API}/public/certificates/HLQC-2099-Q-9999`), 404, 'not_found', undefined, 'unknown number');
  // malformed numbers (lower case, a space, too short) are 422; path tricks never reach a file
  for (const bad of ['hlqc-2021-q-0018', 'A%20B', 'AB']) {
    assertError(await pub(`${API}/public/certificates/${bad}`), 422, 'invalid', 'number', `malformed ${bad}`);
  }
  const enc = await pub(`${API}/public/certificates/..%2Fetc`);
  assert.ok([404, 422].includes(enc.status), `..%2Fetc: ${enc.status} ${enc.text}`);
  assert.ok(enc.json?.error?.code, `..%2Fetc: no JSON error: ${enc.text}`);
  for (const p of ['../etc', '../../../../etc/passwd']) {
    const raw = await rawGet(`${API}/public/certificates/${p}`);
    assert.ok([400, 404, 422].includes(raw.status), `raw ${p}: ${raw.status} ${raw.text}`);
    assert.ok(!raw.text.includes('root:'), `raw ${p} served a file`);
  }

  const qr = await getBytes(null, `${API}/public/certificates/${HLQC}/qr.svg`);
  assert.equal(qr.status, 200, qr.text);
  assert.match(qr.headers.get('content-type') || '', /^image\/svg\+xml/);
  assert.ok(qr.buf.toString('utf8').trimStart().startsWith('<svg'), `qr.svg starts with: ${qr.text.slice(0, 80)}`);
  assert.ok(qr.buf.toString('utf8').includes('</svg>'));
  assertError(await pub(`${API}/public/certificates/HLQC-2099-Q-9999/qr.svg`), 404, 'not_found', undefined, 'QR of an unknown number');
});

// ---------------------------------------------------------------- exports

test('exports: certificates.xlsx by scope, the certificate PDF', async () => {
  const x = await getBytes(cl.city, `${API}/certificates.xlsx`);
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type') || '', /spreadsheetml/);
  assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
  const s = xlsxText(x.buf, 'city.xlsx');
  for (const n of [HLQC, ANNUO, HEXIN, CERT.a, CERT.b]) assert.ok(s.includes(n), `city export lacks ${n}`);

  const f = await getBytes(cl.city, `${API}/certificates.xlsx?prior=false&status=valid`);
  assert.equal(f.status, 200, f.text);
  const fs = xlsxText(f.buf, 'filtered.xlsx');
  assert.ok(fs.includes(HLQC) && fs.includes(CERT.a), 'filtered export lacks the valid certificates');
  assert.ok(!fs.includes(ANNUO) && !fs.includes(CERT.b), 'filtered export ignores the filters');

  const h = await getBytes(cl.huangpu, `${API}/certificates.xlsx`);
  assert.equal(h.status, 200, h.text);
  assert.equal(h.buf.subarray(0, 2).toString('latin1'), 'PK');
  const hs = xlsxText(h.buf, 'huangpu.xlsx');
  for (const n of [HLQC, ANNUO, HEXIN]) assert.ok(!hs.includes(n), `huangpu export shows ${n}`);
  const c1 = xlsxText((await getBytes(cl.cb1, `${API}/certificates.xlsx`)).buf, 'cb1.xlsx');
  assert.ok(c1.includes(HLQC) && !c1.includes(ANNUO), 'cb1 export scope');
  // an enterprise may export too, but only its own certificates (ent1 has none)
  const e1 = await getBytes(cl.ent1, `${API}/certificates.xlsx`);
  assert.equal(e1.status, 200);
  const es = xlsxText(e1.buf, 'ent1.xlsx');
  for (const n of [HLQC, ANNUO, HEXIN]) assert.ok(!es.includes(n), `ent1 export shows ${n}`);

  const p = await getBytes(cl.city, `${API}/certificates/${C.hlqc}.pdf`);
  assert.equal(p.status, 200, p.text);
  assert.match(p.headers.get('content-type') || '', /^application\/pdf/);
  assert.equal(p.buf.subarray(0, 5).toString('latin1'), '%PDF-');
  const t = pdfText(p.buf, 'hlqc.pdf');
  assert.ok(t.includes(HLQC), `number not in the PDF text: ${t.slice(0, 300)}`);
  assert.ok(t.includes('质量管理体系认证证书'), `title not in the PDF text: ${t.slice(0, 300)}`);
  assert.equal((await getBytes(cl.cb1, `${API}/certificates/${C.hlqc}.pdf`)).status, 200);
  for (const [c, what] of [[cl.huangpu, 'huangpu'], [cl.cb2, 'cb2'], [cl.ent1, 'ent1']]) {
    assertError(await c.get(`${API}/certificates/${C.hlqc}.pdf`), 404, 'not_found', undefined, `${what} PDF of a pudong certificate`);
  }
  assertError(await cl.city.get(`${API}/certificates/999999.pdf`), 404, 'not_found', undefined, 'PDF of an unknown id');
});

// ---------------------------------------------------------------- audit log

test('audit log: issue, prior, suspend, restore, cancel, withdraw, surveillance, certification audit', async () => {
  const r = await cl.city.get(`${API}/audit-log?per_page=200`);
  assert.equal(r.status, 200, r.text);
  const find = (action, username, id) => r.json.items.find((e) => e.action === action && e.username === username &&
    (id === undefined || e.object_id === id));
  const issue = find('certificate.issue', 'cb1', C.a);
  assert.ok(issue, 'certificate.issue missing');
  assert.equal(issue.object_type, 'certificate');
  assert.equal(issue.detail?.number, CERT.a);
  assert.ok(find('certificate.record_prior', 'pudong', C.prior), 'certificate.record_prior missing');
  const sus = find('certificate.suspend', 'cb1', C.b);
  assert.ok(sus, 'certificate.suspend missing');
  assert.equal(sus.detail?.reason, reasons.reason);
  assert.ok(find('certificate.suspend', 'pudong', C.annuo), 'certificate.suspend by pudong missing');
  assert.ok(find('certificate.restore', 'cb1', C.b), 'certificate.restore missing');
  assert.ok(find('certificate.cancel', 'cb1', C.b), 'certificate.cancel missing');
  assert.ok(find('certificate.withdraw', 'pudong', C.hexin), 'certificate.withdraw missing');
  assert.ok(find('certificate.surveillance', 'cb1', C.hlqc), 'certificate.surveillance missing');
  assert.ok(find('enterprise.certification_audit', 'cb1', E.xintu), 'enterprise.certification_audit missing');
  const f = await cl.city.get(`${API}/audit-log?per_page=200&action=certificate.suspend`);
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.total, 2);
});

// ---------------------------------------------------------------- servers of their own

test('effective expiry: shown as expired on the day after expiry, before any job recorded it', async () => {
  // Server A (2021-05-10) runs the jobs of this week's period; server B shares its database
  // with the date 2024-04-28 and the same period, so its expiry job does not run.
  const week = ['--job-period', '604800'];
  const a = await startServer({ args: week });
  let b;
  try {
    b = await startServer({ db: a.db, today: '2024-04-28', args: week });
    const c = new Client(b.base);
    assert.equal((await c.login('city')).status, 200);
    const items = (await c.get(`${API}/certificates?per_page=200`)).json.items;
    const h = items.find((x) => x.number === HLQC);
    assert.equal(h.status, 'expired');
    assert.equal(h.status_name, '过期');
    assert.equal(h.stored_status, 'valid', 'the job should not have run on server B');
    assert.equal(h.must_suspend, false);
    assert.equal(h.surveillance.overdue, false, 'an expired certificate has no overdue surveillance');
    assert.ok((await c.get(`${API}/certificates?status=expired&per_page=200`)).json.items.some((x) => x.number === HLQC));
    assert.ok(!(await c.get(`${API}/certificates?status=valid&per_page=200`)).json.items.some((x) => x.number === HLQC));
    const p = await pub(`${API}/public/certificates/${HLQC}`, b.base);
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.checked_on, '2024-04-28');
    assert.equal(p.json.items[0].status, 'expired');
    assert.equal(p.json.items[0].status_name, '过期');
    // the day of expiry itself is still valid
    const a2 = new Client(a.base);
    assert.equal((await a2.login('city')).status, 200);
    assert.equal((await a2.get(`${API}/certificates/${h.id}`)).json.status, 'valid');
  } finally {
    await b?.stop();
    await a.stop();
  }
});

test('the expiry job records the expiry with an automatic history event', async () => {
  const s = await startServer({ today: '2024-04-28', args: ['--job-period', '1', '--job-tick-ms', '100'] });
  try {
    const c = new Client(s.base);
    assert.equal((await c.login('city')).status, 200);
    const id = (await c.get(`${API}/certificates?q=${HLQC}`)).json.items[0].id;
    let cert;
    for (let i = 0; i < 30; i++) {
      cert = (await c.get(`${API}/certificates/${id}`)).json;
      if (cert.stored_status === 'expired') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(cert.stored_status, 'expired', `stored_status after the job: ${cert.stored_status}`);
    assert.equal(cert.status, 'expired');
    const ev = cert.history.find((h) => h.to === 'expired');
    assert.ok(ev, `no automatic expiry event: ${JSON.stringify(cert.history)}`);
    assert.equal(ev.from, 'valid');
    assert.equal(ev.username, '(定时任务)');
    assert.ok(ev.reason, 'the automatic event has no reason');
    const log = await c.get(`${API}/audit-log?action=job.run&per_page=200`);
    assert.ok(log.json.items.some((e) => e.detail?.job === 'certificates.expire'), 'no job.run entry for certificates.expire');
  } finally {
    await s.stop();
  }
});

test('public lookups are rate limited; misses count double; the 429 carries the JSON error', async () => {
  const s = await startServer({ args: ['--public-rate', '5'] });
  try {
    // one hit and misses: 1 + 2 + 2 = 5 reaches the limit after the third request;
    // hits alone would allow five.
    assert.equal((await pub(`${API}/public/certificates/${HLQC}`, s.base)).status, 200);
    const statuses = [];
    let limited;
    for (let i = 0; i < 5; i++) {
      const r = await pub(`${API}/public/certificates/HLQC-2099-Q-${String(9000 + i)}`, s.base);
      statuses.push(r.status);
      if (r.status === 429) { limited = r; break; }
    }
    assert.ok(limited, `no 429 after misses: ${statuses}`);
    assert.ok(statuses.length <= 3, `misses do not count double: 429 only after ${statuses.length} misses (${statuses})`);
    assertError(limited, 429, 'rate_limited', undefined, 'limited lookup');
    assert.match(limited.headers.get('content-type') || '', /^application\/json/);
    // once limited, hits are refused too, the QR code as well
    assertError(await pub(`${API}/public/certificates/${HLQC}`, s.base), 429, 'rate_limited', undefined, 'hit while limited');
    assertError(await pub(`${API}/public/certificates/${HLQC}/qr.svg`, s.base), 429, 'rate_limited', undefined, 'QR while limited');
    // logged-in users are not affected
    const c = new Client(s.base);
    assert.equal((await c.login('city')).status, 200);
    assert.equal((await c.get(`${API}/certificates`)).status, 200);
  } finally {
    await s.stop();
  }
});

test('public lookups: hits alone are allowed up to the limit', async () => {
  const s = await startServer({ args: ['--public-rate', '5'] });
  try {
    const st = [];
    for (let i = 0; i < 6; i++) st.push((await pub(`${API}/public/certificates/${HLQC}`, s.base)).status);
    assert.deepEqual(st.slice(0, 5), [200, 200, 200, 200, 200], `hits: ${st}`);
    assert.equal(st[5], 429, `the sixth hit within a minute: ${st}`);
  } finally {
    await s.stop();
  }
});
