// Training 宣传培训 (docs/api.md "Training"): the demo session, sessions organised by the
// city, a district and a certification body, field validation, registrations (by an
// enterprise for itself, by a district or the city for an enterprise in scope), capacity,
// duplicates, masked phones, who sees which registrations, attendance by the organiser,
// check-in through the venue QR token (on the session's day only), statistics per scope
// (computed here from the demo baseline plus this file's attendance), the exports and an
// enterprise's training record.
// Tests run in order and share one server (demo data, simulated date 2021-05-10); a second
// server on the same database with the date 2021-05-11 checks the wrong-day check-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
const CB1_NAME = '沪联质量认证中心（演示）';
const CITY_UNIT = '上海市市场监督管理局';
const USERS = ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1'];
const MASK = /^1[3-9]\d\*{4}\d{4}$/;

let srv;
let tmp;
const cl = {}; // logged-in clients by username
const me = {}; // /me users
const E = {}; // enterprise ids: pujiang (ent1), xintu, kangyuan (浦东新区), waitan (黄浦区)
const T = {}; // training ids made here
const R = {}; // registration ids made here
const base = {}; // baseline: demo session, stats per user, attendance records
const FULL_PHONES = ['13800000001', '13800000002', '13800000003', '13800000004', '13800000005',
  '13800000006', '13800000007', '13800000008'];

async function login(s, username) {
  const c = new Client(s.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  srv = await startServer();
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-train-'));
  for (const u of USERS) {
    cl[u] = await login(srv, u);
    me[u] = (await cl[u].get(`${API}/me`)).json.user;
  }
  const es = await cl.city.get(`${API}/enterprises?per_page=200`);
  assert.equal(es.status, 200, es.text);
  const byName = {
    pujiang: '上海浦江精密电子有限公司（演示）', xintu: '上海芯途微电子有限公司（演示）',
    kangyuan: '上海康源生物科技有限公司（演示）', waitan: '上海外滩时尚服饰有限公司（演示）',
  };
  for (const [k, name] of Object.entries(byName)) {
    E[k] = es.json.items.find((e) => e.name === name)?.id;
    assert.ok(E[k], `demo enterprise ${name} missing`);
  }
  assert.equal(me.ent1.enterprise.id, E.pujiang, 'ent1 is not 浦江精密电子');
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
// 422 invalid; the field, when the server names one, must be the offending one.
function assertInvalid(r, fields, what = '') {
  assertError(r, 422, 'invalid', undefined, what);
  const f = r.json.error.field;
  if (f !== null && f !== undefined) {
    const ok = [].concat(fields);
    assert.ok(ok.includes(f), `${what} error field ${f}, expected ${ok.join(' or ')}: ${r.text}`);
  }
}
function assertRefused(r, statuses, what) {
  assert.ok(statuses.includes(r.status), `${what}: expected ${statuses.join('/')}, got ${r.status}: ${r.text}`);
}
const put = (c, path, body) => c.req('PUT', path, body);
const del = (c, path) => c.req('DELETE', path);
const q = (s) => encodeURIComponent(s);

async function getBytes(c, path) {
  const h = {};
  if (c?.cookie) h.cookie = c.cookie;
  const r = await fetch(srv.base + path, { headers: h, redirect: 'manual' });
  const buf = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* binary */ }
  return { status: r.status, headers: r.headers, buf, json, text: buf.toString('utf8', 0, 500) };
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

async function listAll(c, query = '') {
  const r = await c.get(`${API}/trainings?per_page=200${query}`);
  assert.equal(r.status, 200, `trainings ${query}: ${r.text}`);
  assert.ok(Array.isArray(r.json.items));
  assert.equal(r.json.items.length, Math.min(r.json.total, 200), 'items vs total');
  return r.json;
}
async function getT(c, id) {
  const r = await c.get(`${API}/trainings/${id}`);
  assert.equal(r.status, 200, `GET training ${id}: ${r.text}`);
  return r.json;
}
const regs = (t) => t.registrations || [];
const regIds = (t) => regs(t).map((x) => x.id).sort((a, b) => a - b);
const sorted = (a) => [...a].sort((x, y) => x - y);
// No full phone number of this file anywhere in a reply.
function assertNoFullPhone(text, what) {
  for (const p of FULL_PHONES) assert.ok(!text.includes(p), `${what}: full phone ${p} in ${text.slice(0, 300)}`);
}
function assertMasked(t, what) {
  for (const x of regs(t)) assert.match(x.phone, MASK, `${what}: phone ${x.phone} not masked`);
}

function session(over = {}) {
  return {
    title: '测试培训', kind: 'offline', industry: '集成电路', starts_at: '2021-05-20 09:00',
    ends_at: '2021-05-20 12:00', place: '浦东新区测试会议室', link: null, capacity: 50,
    materials: '《质量管理体系要求》讲义', ...over,
  };
}
async function create(c, over, what) {
  const r = await c.post(`${API}/trainings`, session(over));
  assert.equal(r.status, 201, `${what}: ${r.text}`);
  assert.ok(Number.isInteger(r.json.id));
  return r.json;
}
async function register(c, id, body, what) {
  const r = await c.post(`${API}/trainings/${id}/registrations`, body);
  assert.equal(r.status, 201, `${what}: ${r.text}`);
  assert.ok(Number.isInteger(r.json.id), `${what}: id`);
  assertNoFullPhone(r.text, what);
  assert.match(r.json.phone, MASK, `${what}: phone not masked`);
  return r.json;
}
async function stats(c, what) {
  const r = await c.get(`${API}/trainings/stats`);
  assert.equal(r.status, 200, `${what} stats: ${r.text}`);
  for (const k of ['sessions', 'enterprises', 'participants', 'person_times']) {
    assert.equal(typeof r.json.totals?.[k], 'number', `${what} stats: totals.${k}: ${r.text}`);
  }
  for (const k of ['by_kind', 'by_industry', 'by_district']) assert.ok(Array.isArray(r.json[k]), `${what} stats: ${k}`);
  return r.json;
}
function tokenOf(t) {
  assert.equal(typeof t.checkin_url, 'string', `no checkin_url: ${JSON.stringify(t).slice(0, 300)}`);
  const m = /\/checkin\/([^/?#]+)$/.exec(t.checkin_url);
  assert.ok(m, `checkin_url ${t.checkin_url}`);
  return m[1];
}
// The check-in view: the session and the caller's registrations.
const ciTitle = (j) => j?.training?.title ?? j?.title;
const ciRegs = (j) => j?.registrations ?? j?.training?.registrations;

// Breakdown entries name their group `kind` / `industry` / `district` or `key`.
// Attendance records {session, organiser, kind, industry, enterprise, district, person}
// and the totals they imply for a scope.
function totalsOf(records) {
  return {
    sessions: new Set(records.map((r) => r.session)).size,
    enterprises: new Set(records.map((r) => r.enterprise)).size,
    participants: new Set(records.map((r) => `${r.enterprise}|${r.person}`)).size,
    person_times: records.length,
  };
}
const SCOPES = {
  city: () => true,
  pudong: (r) => r.district === '浦东新区',
  huangpu: (r) => r.district === '黄浦区',
  cb1: (r) => r.organiser === 'cb1',
};

// ---------------------------------------------------------------- demo session and baseline

test('demo: a session on 2021-05-10 by 沪联质量认证中心 with registrations of 浦东新区 enterprises', async () => {
  const all = await listAll(cl.city);
  const d = all.items.find((t) => t.organiser?.name === CB1_NAME && t.starts_at.startsWith('2021-05-10'));
  assert.ok(d, `no demo session: ${JSON.stringify(all.items.map((t) => [t.id, t.title, t.starts_at]))}`);
  base.demo = d.id;
  const t = await getT(cl.cb1, d.id);
  for (const k of ['id', 'title', 'kind', 'kind_name', 'industry', 'organiser', 'starts_at', 'ends_at', 'place',
    'link', 'capacity', 'materials', 'registered', 'attended', 'checkin_url', 'registrations']) {
    assert.ok(k in t, `training lacks ${k}: ${JSON.stringify(t).slice(0, 400)}`);
  }
  assert.equal(t.organiser.kind, 'cb');
  assert.ok(regs(t).length >= 1, 'demo session has no registrations');
  assert.equal(t.registered, regs(t).length, 'registered vs registrations');
  assert.equal(t.attended, regs(t).filter((x) => x.attended).length, 'attended vs registrations');
  assert.ok(regs(t).every((x) => x.enterprise.district === '浦东新区'), 'demo registration outside 浦东新区');
  assertMasked(t, 'demo, cb1');
  base.demoRegs = regIds(t);

  const c = await getT(cl.city, d.id);
  assert.deepEqual(regIds(c), base.demoRegs, 'city does not see all demo registrations');
  assert.equal(typeof c.checkin_url, 'string', 'city lacks checkin_url');
  const p = await getT(cl.pudong, d.id);
  assert.deepEqual(regIds(p), base.demoRegs, 'pudong does not see its enterprises\' registrations');
  assert.ok(!p.checkin_url, 'pudong sees the checkin_url');
  const e = await getT(cl.ent1, d.id);
  assert.deepEqual(regIds(e), sorted(regs(t).filter((x) => x.enterprise.id === E.pujiang).map((x) => x.id)),
    'ent1 sees other enterprises\' registrations');
  assert.ok(!e.checkin_url, 'ent1 sees the checkin_url');
  const h = await getT(cl.huangpu, d.id);
  assert.deepEqual(regs(h), [], 'huangpu sees 浦东新区 registrations');
  const c2 = await getT(cl.cb2, d.id);
  assert.deepEqual(regs(c2), [], 'cb2 sees another body\'s registrations');
  assert.ok(!c2.checkin_url, 'cb2 sees the checkin_url');
  for (const v of [c, p, e, h, c2]) assertMasked(v, 'demo');
});

test('baseline: the statistics agree with the demo attendance', async () => {
  // Every session's registrations as the city sees them (all of them).
  const all = await listAll(cl.city);
  base.records = [];
  for (const s of all.items) {
    const t = await getT(cl.city, s.id);
    const organiser = t.organiser.name === CB1_NAME ? 'cb1' : `unit${t.organiser.id}`;
    for (const x of regs(t).filter((y) => y.attended)) {
      base.records.push({ session: t.id, organiser, kind: t.kind, industry: t.industry,
        enterprise: x.enterprise.id, district: x.enterprise.district, person: `${x.name}|${x.phone}` });
    }
  }
  base.stats = {};
  for (const u of Object.keys(SCOPES)) {
    base.stats[u] = await stats(cl[u], u);
    assert.deepEqual(base.stats[u].totals, totalsOf(base.records.filter(SCOPES[u])), `${u} baseline totals`);
  }
});

// ---------------------------------------------------------------- sessions

test('the city, a district and a body organise sessions; enterprises cannot', async () => {
  const c = await create(cl.city, { title: '全市质量管理体系宣贯会', kind: 'offline', industry: null,
    starts_at: '2021-06-01 09:00', ends_at: '2021-06-01 11:30', capacity: 1, place: '市局大礼堂' }, 'city');
  assert.equal(c.organiser.name, CITY_UNIT);
  assert.equal(c.organiser.id, me.city.unit.id);
  assert.equal(c.kind, 'offline');
  assert.equal(c.kind_name, '线下培训');
  assert.equal(c.industry, null);
  assert.equal(c.starts_at, '2021-06-01 09:00');
  assert.equal(c.ends_at, '2021-06-01 11:30');
  assert.equal(c.capacity, 1);
  assert.equal(c.registered, 0);
  assert.equal(c.attended, 0);
  T.city = c.id;

  const p = await create(cl.pudong, { title: '生物医药线上专题培训', kind: 'online', industry: '生物医药',
    place: null, link: 'https://meeting.example.cn/j/123456', starts_at: '2021-05-12 09:00',
    ends_at: '2021-05-12 11:00', capacity: 100 }, 'pudong');
  assert.equal(p.organiser.id, me.pudong.unit.id);
  assert.equal(p.organiser.name, '浦东新区市场监管局');
  assert.equal(p.kind_name, '线上培训');
  assert.equal(p.link, 'https://meeting.example.cn/j/123456');
  T.pudong = p.id;

  const b = await create(cl.cb1, { title: '集成电路小班化定制培训（测试）', kind: 'small_class', industry: '集成电路',
    starts_at: '2021-05-10 14:00', ends_at: '2021-05-10 17:00', place: '张江测试中心', capacity: 3 }, 'cb1');
  assert.equal(b.organiser.name, CB1_NAME);
  assert.equal(b.organiser.id, me.cb1.unit.id);
  assert.equal(b.kind_name, '小班化定制培训');
  assert.equal(typeof b.checkin_url, 'string', 'organiser lacks checkin_url');
  T.cb1 = b.id;

  assertError(await cl.ent1.post(`${API}/trainings`, session()), 403, 'forbidden', undefined, 'ent1 creates');
  assertError(await new Client(srv.base).post(`${API}/trainings`, session()), 401, 'not_authenticated');
  assertError(await cl.city.post(`${API}/trainings`, { ...session(), organiser_id: 99 }), 400, 'unknown_field', undefined, 'unknown key');
  assertError(await cl.city.post(`${API}/trainings`, session({ capacity: '30' })), 400, 'bad_type', undefined, 'capacity as text');

  const l = await listAll(cl.ent1);
  for (const id of [T.city, T.pudong, T.cb1]) assert.ok(l.items.some((t) => t.id === id), `ent1 list lacks ${id}`);
  assertError(await cl.city.get(`${API}/trainings/999999`), 404, 'not_found');
});

test('validation: times, place, link, capacity, kind, industry, title', async () => {
  const bad = async (over, fields, what) => assertInvalid(await cl.city.post(`${API}/trainings`, session(over)), fields, what);
  await bad({ ends_at: '2021-05-20 08:00' }, ['ends_at', 'starts_at'], 'end before start');
  await bad({ ends_at: '2021-05-20 09:00' }, ['ends_at', 'starts_at'], 'end equal to start');
  await bad({ ends_at: '2021-05-19 12:00' }, ['ends_at', 'starts_at'], 'end a day before');
  await bad({ starts_at: '2021-05-32 09:00' }, 'starts_at', 'day 32');
  await bad({ starts_at: '2021-02-30 09:00', ends_at: '2021-02-30 10:00' }, 'starts_at', 'February 30');
  await bad({ starts_at: '2021-05-20 25:00' }, 'starts_at', 'hour 25');
  await bad({ starts_at: '2021-05-20T09:00' }, 'starts_at', 'ISO T separator');
  await bad({ starts_at: '2021-05-20' }, 'starts_at', 'date without time');
  await bad({ ends_at: 'tomorrow' }, 'ends_at', 'text end');
  await bad({ starts_at: null }, 'starts_at', 'no start');
  await bad({ kind: 'online', link: null, place: null }, 'link', 'online without link');
  await bad({ kind: 'online', link: 'ftp://example.cn/x', place: null }, 'link', 'ftp link');
  await bad({ kind: 'online', link: 'javascript:alert(1)', place: null }, 'link', 'javascript link');
  await bad({ kind: 'offline', place: null }, 'place', 'offline without place');
  await bad({ kind: 'offline', place: '' }, 'place', 'offline with empty place');
  await bad({ kind: 'small_class', place: null }, 'place', 'small class without place');
  await bad({ capacity: 0 }, 'capacity', 'capacity 0');
  await bad({ capacity: 10001 }, 'capacity', 'capacity 10001');
  await bad({ capacity: -5 }, 'capacity', 'negative capacity');
  await bad({ kind: 'webinar' }, 'kind', 'unknown kind');
  await bad({ kind: null }, 'kind', 'no kind');
  await bad({ industry: '火星产业' }, 'industry', 'industry outside the catalogue');
  await bad({ title: '' }, 'title', 'empty title');
  await bad({ title: null }, 'title', 'no title');

  const hi = await create(cl.city, { title: '万人大讲堂', capacity: 10000, kind: 'online', place: null,
    link: 'http://live.example.cn/x' }, 'capacity 10000');
  assert.equal(hi.capacity, 10000);
  assert.equal(hi.kind, 'online');
  T.big = hi.id;
});

test('editing: the organiser unit only', async () => {
  const r = await put(cl.cb1, `${API}/trainings/${T.cb1}`, session({ title: '集成电路小班化定制培训（测试·修订）',
    kind: 'small_class', starts_at: '2021-05-10 14:00', ends_at: '2021-05-10 17:30', place: '张江测试中心', capacity: 3 }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, '集成电路小班化定制培训（测试·修订）');
  assert.equal(r.json.ends_at, '2021-05-10 17:30');
  assert.equal(r.json.organiser.id, me.cb1.unit.id);
  for (const u of ['cb2', 'pudong', 'huangpu', 'ent1']) {
    assertRefused(await put(cl[u], `${API}/trainings/${T.cb1}`, session({ title: '篡改' })), [403, 404], `${u} PUT cb1's session`);
  }
  assertRefused(await put(cl.huangpu, `${API}/trainings/${T.pudong}`, session({ title: '篡改' })), [403, 404], "huangpu PUT pudong's session");
  assertInvalid(await put(cl.cb1, `${API}/trainings/${T.cb1}`, session({ capacity: 0 })), 'capacity', 'PUT capacity 0');
  const t = await getT(cl.city, T.cb1);
  assert.equal(t.title, '集成电路小班化定制培训（测试·修订）', 'a refused PUT changed the session');
});

// The contract names the city beside the organiser where it may act (QR code, attendance
// list); editing is the organiser unit's. Sent with the current content, so a wrong answer
// changes nothing the later tests rely on.
test('editing: the city is not the organiser of a body\'s session (403)', async () => {
  const t = await getT(cl.cb1, T.cb1);
  const same = {};
  for (const k of ['title', 'kind', 'industry', 'starts_at', 'ends_at', 'place', 'link', 'capacity', 'materials']) same[k] = t[k];
  assertRefused(await put(cl.city, `${API}/trainings/${T.cb1}`, same), [403], "city PUT cb1's session");
});

test('list filters: kind, industry, from, to', async () => {
  const on = await listAll(cl.city, '&kind=online');
  assert.ok(on.items.length >= 2 && on.items.every((t) => t.kind === 'online'), 'kind filter');
  const bio = await listAll(cl.city, `&industry=${q('生物医药')}`);
  assert.ok(bio.items.some((t) => t.id === T.pudong) && bio.items.every((t) => t.industry === '生物医药'), 'industry filter');
  const from = await listAll(cl.city, '&from=2021-05-11');
  assert.ok(!from.items.some((t) => t.id === T.cb1), 'from filter keeps a 2021-05-10 session');
  assert.ok(from.items.some((t) => t.id === T.city) && from.items.some((t) => t.id === T.pudong), 'from filter');
  const to = await listAll(cl.city, '&to=2021-05-10');
  assert.ok(to.items.some((t) => t.id === T.cb1) && to.items.some((t) => t.id === base.demo), 'to filter drops a 2021-05-10 session');
  assert.ok(!to.items.some((t) => t.id === T.pudong), 'to filter keeps a later session');
});

// ---------------------------------------------------------------- registrations

test('registrations: by an enterprise for itself, by a district or the city for an enterprise in scope', async () => {
  const r1 = await register(cl.ent1, T.cb1, { name: '测试甲', post: '质量主管', phone: '13800000001' }, 'ent1');
  assert.equal(r1.enterprise.id, E.pujiang);
  assert.equal(r1.phone, '138****0001');
  assert.equal(r1.name, '测试甲');
  assert.equal(r1.post, '质量主管');
  assert.equal(r1.attended, false);
  R.jia = r1.id;

  assertError(await cl.ent1.post(`${API}/trainings/${T.cb1}/registrations`, { name: '测试甲', post: '质量主管', phone: '13800000001' }),
    409, 'conflict', undefined, 'same person twice');
  for (const phone of ['1380000000', '138000000012', '12800000001', '138-0000-0001', 'abcdefghijk', '']) {
    assertInvalid(await cl.ent1.post(`${API}/trainings/${T.cb1}/registrations`, { name: '测试坏', post: '员工', phone }), 'phone', `phone ${phone}`);
  }
  assertInvalid(await cl.ent1.post(`${API}/trainings/${T.cb1}/registrations`, { name: '', post: '员工', phone: '13800000009' }), 'name', 'empty name');
  assertError(await cl.ent1.post(`${API}/trainings/${T.cb1}/registrations`, { name: '测试', phone: '13800000009', age: 3 }), 400, 'unknown_field');

  const r2 = await register(cl.pudong, T.cb1, { enterprise_id: E.xintu, name: '测试乙', post: '内审员', phone: '13800000002' }, 'pudong for xintu');
  assert.equal(r2.enterprise.id, E.xintu);
  assert.equal(r2.enterprise.district, '浦东新区');
  R.yi = r2.id;
  assertRefused(await cl.pudong.post(`${API}/trainings/${T.cb1}/registrations`, { enterprise_id: E.waitan, name: '越权', post: '员工', phone: '13800000006' }),
    [404, 422], 'pudong registers a 黄浦区 enterprise');
  assertRefused(await cl.pudong.post(`${API}/trainings/${T.cb1}/registrations`, { enterprise_id: 999999, name: '无此企业', post: '员工', phone: '13800000006' }),
    [404, 422], 'pudong registers an unknown enterprise');
  assertRefused(await cl.ent1.post(`${API}/trainings/${T.cb1}/registrations`, { enterprise_id: E.xintu, name: '越权', post: '员工', phone: '13800000006' }),
    [400, 403, 404, 422], 'ent1 registers for another enterprise');
  assertRefused(await cl.cb1.post(`${API}/trainings/${T.cb1}/registrations`, { enterprise_id: E.xintu, name: '越权', post: '员工', phone: '13800000006' }),
    [403], 'cb1 registers an enterprise');

  // The city fills the last place; the next one is refused exactly then.
  const r3 = await register(cl.city, T.cb1, { enterprise_id: E.waitan, name: '测试丙', post: '厂长', phone: '13800000003' }, 'city for waitan');
  assert.equal(r3.enterprise.id, E.waitan);
  R.bing = r3.id;
  assertError(await cl.ent1.post(`${API}/trainings/${T.cb1}/registrations`, { name: '测试丁', post: '员工', phone: '13800000004' }),
    409, 'capacity_full', undefined, 'fourth registration for 3 places');
  assertError(await cl.pudong.post(`${API}/trainings/${T.cb1}/registrations`, { enterprise_id: E.kangyuan, name: '测试丁', post: '员工', phone: '13800000004' }),
    409, 'capacity_full', undefined, 'district registration when full');
  const t = await getT(cl.cb1, T.cb1);
  assert.equal(t.registered, 3);
  assert.deepEqual(regIds(t), sorted([R.jia, R.yi, R.bing]), 'refused registrations were stored');
});

test('deleting a registration frees its place; the enterprise, its district and the organiser may', async () => {
  // T.city has 1 place.
  const a = await register(cl.ent1, T.city, { name: '测试己', post: '员工', phone: '13800000007' }, 'ent1 on city session');
  assertError(await cl.pudong.post(`${API}/trainings/${T.city}/registrations`, { enterprise_id: E.xintu, name: '测试庚', post: '员工', phone: '13800000008' }),
    409, 'capacity_full', undefined, 'capacity 1 full');
  for (const u of ['huangpu', 'cb1', 'cb2']) {
    assertRefused(await del(cl[u], `${API}/trainings/${T.city}/registrations/${a.id}`), [403, 404], `${u} deletes ent1's registration`);
  }
  const d1 = await del(cl.ent1, `${API}/trainings/${T.city}/registrations/${a.id}`);
  assert.ok([200, 204].includes(d1.status), `ent1 deletes its own: ${d1.status} ${d1.text}`);
  const b = await register(cl.pudong, T.city, { enterprise_id: E.xintu, name: '测试庚', post: '员工', phone: '13800000008' }, 'after delete');
  assertRefused(await del(cl.ent1, `${API}/trainings/${T.city}/registrations/${b.id}`), [403, 404], "ent1 deletes xintu's registration");
  const d2 = await del(cl.pudong, `${API}/trainings/${T.city}/registrations/${b.id}`);
  assert.ok([200, 204].includes(d2.status), `pudong deletes its enterprise's: ${d2.status} ${d2.text}`);
  const c = await register(cl.ent1, T.city, { name: '测试己', post: '员工', phone: '13800000007' }, 'again');
  const d3 = await del(cl.city, `${API}/trainings/${T.city}/registrations/${c.id}`);
  assert.ok([200, 204].includes(d3.status), `organiser deletes: ${d3.status} ${d3.text}`);
  assertError(await del(cl.city, `${API}/trainings/${T.city}/registrations/${c.id}`), 404, 'not_found', undefined, 'deleted twice');
  const t = await getT(cl.city, T.city);
  assert.equal(t.registered, 0);
  assert.deepEqual(regs(t), []);
});

test('registrations are visible per scope and phones are masked in every view', async () => {
  const expect = {
    cb1: [R.jia, R.yi, R.bing], city: [R.jia, R.yi, R.bing], pudong: [R.jia, R.yi],
    huangpu: [R.bing], ent1: [R.jia], cb2: [],
  };
  for (const [u, want] of Object.entries(expect)) {
    const r = await cl[u].get(`${API}/trainings/${T.cb1}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(regIds(r.json), sorted(want), `${u} sees registrations ${regIds(r.json)}`);
    assertNoFullPhone(r.text, `${u} GET training`);
    assertMasked(r.json, u);
    const l = await cl[u].get(`${API}/trainings?per_page=200`);
    assertNoFullPhone(l.text, `${u} list`);
    if (!['cb1', 'city'].includes(u)) {
      assert.ok(!l.json.items.find((x) => x.id === T.cb1).checkin_url, `${u} sees the check-in URL in the list`);
    }
  }
  const j = (await getT(cl.cb1, T.cb1)).registrations.find((x) => x.id === R.jia);
  assert.equal(j.phone, '138****0001');
  assert.equal(j.enterprise.name, '上海浦江精密电子有限公司（演示）');
  assert.equal(j.post, '质量主管');
});

// ---------------------------------------------------------------- attendance and check-in

test('attendance is recorded by the organiser only', async () => {
  for (const u of ['pudong', 'huangpu', 'cb2', 'ent1']) {
    assertError(await cl[u].post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: R.yi, attended: true }),
      403, 'forbidden', undefined, `${u} records attendance`);
  }
  let t = await getT(cl.cb1, T.cb1);
  assert.equal(t.attended, 0, 'a refused attendance was stored');

  const a = await cl.cb1.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: R.yi, attended: true });
  assert.equal(a.status, 200, a.text);
  assertNoFullPhone(a.text, 'attendance reply');
  const b = await cl.cb1.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: R.bing, attended: true });
  assert.equal(b.status, 200, b.text);
  t = await getT(cl.cb1, T.cb1);
  assert.equal(t.attended, 2);
  assert.equal(t.registrations.find((x) => x.id === R.yi).attended, true);
  assert.equal(t.registrations.find((x) => x.id === R.jia).attended, false);
  // Back and forth.
  const off = await cl.cb1.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: R.bing, attended: false });
  assert.equal(off.status, 200, off.text);
  assert.equal((await getT(cl.cb1, T.cb1)).attended, 1);
  const on = await cl.cb1.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: R.bing, attended: true });
  assert.equal(on.status, 200, on.text);
  assert.equal((await getT(cl.cb1, T.cb1)).attended, 2);

  // A registration of another session.
  const demoReg = base.demoRegs[0];
  assertRefused(await cl.cb1.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: demoReg, attended: true }),
    [404, 422], 'registration of another session');
  assertRefused(await cl.cb1.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: 999999, attended: true }),
    [404, 422], 'unknown registration');
  assertError(await cl.cb1.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: R.yi, attended: 'yes' }),
    400, 'bad_type', undefined, 'attended as text');

  // The district's online session: pujiang's 测试甲 attends (a second attendance of one
  // person); kangyuan's 测试戊 is marked and unmarked.
  const p1 = await register(cl.ent1, T.pudong, { name: '测试甲', post: '质量主管', phone: '13800000001' }, 'ent1 on pudong session');
  R.jia2 = p1.id;
  const p2 = await register(cl.pudong, T.pudong, { enterprise_id: E.kangyuan, name: '测试戊', post: '员工', phone: '13800000005' }, 'kangyuan');
  R.wu = p2.id;
  for (const [id, v] of [[R.jia2, true], [R.wu, true], [R.wu, false]]) {
    const r = await cl.pudong.post(`${API}/trainings/${T.pudong}/attendance`, { registration_id: id, attended: v });
    assert.equal(r.status, 200, r.text);
  }
  assertError(await cl.cb1.post(`${API}/trainings/${T.pudong}/attendance`, { registration_id: R.jia2, attended: true }),
    403, 'forbidden', undefined, "cb1 records attendance on pudong's session");
  const pt = await getT(cl.pudong, T.pudong);
  assert.equal(pt.attended, 1);
  assert.equal(pt.registered, 2);
});

// Kept apart (and sent for a registration already marked) so that a wrong answer does not
// change the figures the later tests compute.
test('attendance: the city is not the organiser of a body\'s session (403)', async () => {
  assert.equal((await getT(cl.cb1, T.cb1)).registrations.find((x) => x.id === R.yi).attended, true);
  assertError(await cl.city.post(`${API}/trainings/${T.cb1}/attendance`, { registration_id: R.yi, attended: true }),
    403, 'forbidden', undefined, 'city records attendance on cb1\'s session');
});

test('check-in by QR token: the enterprise sees and checks in its own people, on the day only', async () => {
  const t = await getT(cl.cb1, T.cb1);
  const token = tokenOf(t);
  T.token = token;
  const c = await getT(cl.city, T.cb1);
  assert.equal(tokenOf(c), token, 'city and organiser see different check-in URLs');
  assert.ok(!(await getT(cl.ent1, T.cb1)).checkin_url, 'ent1 sees the check-in URL');

  const v = await cl.ent1.get(`${API}/checkin/${token}`);
  assert.equal(v.status, 200, v.text);
  assert.equal(ciTitle(v.json), t.title, `check-in view title: ${v.text.slice(0, 300)}`);
  const mine = ciRegs(v.json);
  assert.ok(Array.isArray(mine), `check-in view lacks registrations: ${v.text.slice(0, 300)}`);
  assert.deepEqual(mine.map((x) => x.id), [R.jia], 'ent1 sees other registrations at check-in');
  assertNoFullPhone(v.text, 'check-in view');
  const pv = await cl.pudong.get(`${API}/checkin/${token}`);
  assert.equal(pv.status, 200, pv.text);
  assert.ok(!(ciRegs(pv.json) || []).some((x) => x.id === R.bing), 'pudong sees a 黄浦区 registration at check-in');
  assertError(await new Client(srv.base).get(`${API}/checkin/${token}`), 401, 'not_authenticated');
  assertError(await cl.ent1.get(`${API}/checkin/nosuchtoken0000000000`), 404, 'not_found', undefined, 'unknown token GET');
  assertError(await cl.ent1.post(`${API}/checkin/nosuchtoken0000000000`, { registration_id: R.jia }), 404, 'not_found', undefined, 'unknown token POST');

  // On another day: 409 wrong_day (a server on the same database dated 2021-05-11).
  const other = await startServer({ db: srv.db, today: '2021-05-11' });
  try {
    const e1 = await login(other, 'ent1');
    assertError(await e1.post(`${API}/checkin/${token}`, { registration_id: R.jia }), 409, 'wrong_day', undefined, 'check-in on 2021-05-11');
  } finally {
    await other.stop();
  }
  assert.equal((await getT(cl.cb1, T.cb1)).registrations.find((x) => x.id === R.jia).attended, false, 'wrong-day check-in was stored');

  // Someone else's registration.
  assertRefused(await cl.ent1.post(`${API}/checkin/${token}`, { registration_id: R.yi }), [403, 404], "ent1 checks in xintu's person");
  assertRefused(await cl.ent1.post(`${API}/checkin/${token}`, { registration_id: R.jia2 }), [404, 422], 'registration of another session');
  assert.equal((await getT(cl.cb1, T.cb1)).attended, 2, 'a refused check-in was stored');

  // On the day.
  const ok = await cl.ent1.post(`${API}/checkin/${token}`, { registration_id: R.jia });
  assert.equal(ok.status, 200, ok.text);
  assertNoFullPhone(ok.text, 'check-in reply');
  const after1 = await getT(cl.cb1, T.cb1);
  const j = after1.registrations.find((x) => x.id === R.jia);
  assert.equal(j.attended, true);
  assert.ok(j.checked_in_at, 'checked_in_at not set');
  assert.equal(after1.attended, 3);
  // Checking in twice does not count twice.
  const again = await cl.ent1.post(`${API}/checkin/${token}`, { registration_id: R.jia });
  assert.ok([200, 409].includes(again.status), `second check-in: ${again.status} ${again.text}`);
  assert.equal((await getT(cl.cb1, T.cb1)).attended, 3);
});

test('check-in QR code: organiser and city only', async () => {
  for (const u of ['cb1', 'city']) {
    const r = await getBytes(cl[u], `${API}/trainings/${T.cb1}/checkin-qr.svg`);
    assert.equal(r.status, 200, `${u}: ${r.text}`);
    assert.match(r.headers.get('content-type') || '', /image\/svg\+xml/);
    assert.ok(r.buf.toString('utf8').includes('<svg'), 'not an SVG');
  }
  for (const u of ['pudong', 'cb2', 'ent1']) {
    assertRefused(await getBytes(cl[u], `${API}/trainings/${T.cb1}/checkin-qr.svg`), [403, 404], `${u} QR`);
  }
});

// ---------------------------------------------------------------- statistics

test('statistics: totals follow the attendance, per scope; breakdowns add up', async () => {
  const cb1Kind = 'small_class';
  const mine = [
    { session: T.cb1, organiser: 'cb1', kind: cb1Kind, industry: '集成电路', enterprise: E.pujiang, district: '浦东新区', person: '测试甲|138****0001' },
    { session: T.cb1, organiser: 'cb1', kind: cb1Kind, industry: '集成电路', enterprise: E.xintu, district: '浦东新区', person: '测试乙|138****0002' },
    { session: T.cb1, organiser: 'cb1', kind: cb1Kind, industry: '集成电路', enterprise: E.waitan, district: '黄浦区', person: '测试丙|138****0003' },
    { session: T.pudong, organiser: 'pudong', kind: 'online', industry: '生物医药', enterprise: E.pujiang, district: '浦东新区', person: '测试甲|138****0001' },
  ];
  const records = [...base.records, ...mine];
  for (const u of Object.keys(SCOPES)) {
    const s = await stats(cl[u], u);
    const want = totalsOf(records.filter(SCOPES[u]));
    assert.deepEqual(s.totals, want, `${u} totals (baseline ${JSON.stringify(base.stats[u].totals)})`);
    const sum = (arr, k) => arr.reduce((n, x) => n + (x[k] || 0), 0);
    for (const k of ['by_kind', 'by_industry', 'by_district']) {
      assert.equal(sum(s[k], 'person_times'), s.totals.person_times, `${u} ${k} person_times sum: ${JSON.stringify(s[k])}`);
    }
    assert.equal(sum(s.by_kind, 'sessions'), s.totals.sessions, `${u} by_kind sessions sum`);
    assert.equal(sum(s.by_district, 'enterprises'), s.totals.enterprises, `${u} by_district enterprises sum`);
    assert.equal(sum(s.by_district, 'participants'), s.totals.participants, `${u} by_district participants sum`);
    // Per kind, per district: the person-times the records imply.
    for (const kind of new Set(records.filter(SCOPES[u]).map((r) => r.kind))) {
      const e = s.by_kind.find((x) => (x.kind ?? x.key) === kind);
      assert.ok(e, `${u} by_kind lacks ${kind}: ${JSON.stringify(s.by_kind)}`);
      assert.equal(e.person_times, records.filter(SCOPES[u]).filter((r) => r.kind === kind).length, `${u} ${kind} person_times`);
    }
    for (const district of new Set(records.filter(SCOPES[u]).map((r) => r.district))) {
      const e = s.by_district.find((x) => (x.district ?? x.key) === district);
      assert.ok(e, `${u} by_district lacks ${district}: ${JSON.stringify(s.by_district)}`);
      assert.equal(e.person_times, records.filter(SCOPES[u]).filter((r) => r.district === district).length, `${u} ${district} person_times`);
    }
    const bio = s.by_industry.find((x) => (x.industry ?? x.key) === '生物医药');
    const bioWant = records.filter(SCOPES[u]).filter((r) => r.industry === '生物医药').length;
    assert.equal(bio?.person_times || 0, bioWant, `${u} 生物医药 person_times`);
  }
  const p = await stats(cl.pudong, 'pudong');
  assert.ok(p.by_district.every((x) => (x.district ?? x.key) === '浦东新区' || !x.person_times), `pudong sees other districts: ${JSON.stringify(p.by_district)}`);
  const h = await stats(cl.huangpu, 'huangpu');
  assert.equal(h.totals.person_times - base.stats.huangpu.totals.person_times, 1, 'huangpu: waitan\'s attendance');
  assertRefused(await cl.ent1.get(`${API}/trainings/stats`), [200, 403], 'ent1 stats');
});

// ---------------------------------------------------------------- exports and the enterprise record

test('exports: sessions with counts, the attendance list', async () => {
  const r = await getBytes(cl.city, `${API}/trainings.xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK');
  const s = xlsxText(r.buf, 'trainings.xlsx');
  for (const title of ['集成电路小班化定制培训（测试·修订）', '生物医药线上专题培训', '全市质量管理体系宣贯会']) {
    assert.ok(s.includes(xmlEscape(title)), `trainings.xlsx lacks ${title}`);
  }

  for (const u of ['cb1', 'city']) {
    const a = await getBytes(cl[u], `${API}/trainings/${T.cb1}/attendance.xlsx`);
    assert.equal(a.status, 200, `${u}: ${a.text}`);
    assert.equal(a.buf.subarray(0, 2).toString('latin1'), 'PK');
    const t = xlsxText(a.buf, `attendance-${u}.xlsx`);
    for (const n of ['测试甲', '测试乙', '测试丙']) assert.ok(t.includes(n), `attendance.xlsx (${u}) lacks ${n}`);
    assert.ok(t.includes('上海外滩时尚服饰有限公司（演示）'), 'attendance.xlsx lacks the enterprise');
    assertNoFullPhone(t, `attendance.xlsx (${u})`);
  }
  for (const u of ['pudong', 'huangpu', 'cb2', 'ent1']) {
    assertRefused(await getBytes(cl[u], `${API}/trainings/${T.cb1}/attendance.xlsx`), [403, 404], `${u} attendance.xlsx`);
  }
});

test("an enterprise's training record lists its registrations", async () => {
  const r = await cl.ent1.get(`${API}/enterprises/${E.pujiang}/trainings`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.text.includes('集成电路小班化定制培训（测试·修订）'), `lacks the cb1 session: ${r.text.slice(0, 400)}`);
  assert.ok(r.text.includes('生物医药线上专题培训'), 'lacks the pudong session');
  assert.ok(r.text.includes('测试甲'), 'lacks the person');
  assert.ok(!r.text.includes('测试乙') && !r.text.includes('测试丙'), 'shows other enterprises\' people');
  assert.ok(!r.text.includes('全市质量管理体系宣贯会'), 'shows a deleted registration');
  assertNoFullPhone(r.text, 'enterprise trainings');
  const p = await cl.pudong.get(`${API}/enterprises/${E.pujiang}/trainings`);
  assert.equal(p.status, 200, p.text);
  assert.ok(p.text.includes('测试甲'));
  const w = await cl.city.get(`${API}/enterprises/${E.waitan}/trainings`);
  assert.equal(w.status, 200, w.text);
  assert.ok(w.text.includes('测试丙') && !w.text.includes('测试甲'), `waitan record: ${w.text.slice(0, 400)}`);
  assertError(await cl.huangpu.get(`${API}/enterprises/${E.pujiang}/trainings`), 404, 'not_found', undefined, 'huangpu reads pujiang');
  assertError(await cl.ent1.get(`${API}/enterprises/${E.xintu}/trainings`), 404, 'not_found', undefined, 'ent1 reads xintu');
});
