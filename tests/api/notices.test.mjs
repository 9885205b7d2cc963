// Notices 通知公告 (docs/api.md "Notices"): the demo notices, publishing to each audience
// (public, all, a role, a district), the visibility matrix per user and anonymously,
// scheduled notices (hidden until their publish date, except for the publisher and the
// city), read/unread, what a district officer may publish, edits and withdrawal by the
// publisher only, field validation, plain-text bodies, attachments (PDF, Word, Excel
// checked by content), downloads and the anonymous public endpoints.
// Tests run in order and share one server (demo data, simulated date 2021-05-10); a
// second server on the same database with a later date shows scheduled notices appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
const TODAY = '2021-05-10';
const CITY_UNIT = '上海市市场监督管理局';
const USERS = ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1'];

let srv;
const cl = {}; // logged-in clients by username
const me = {}; // the /me user object by username
const N = {}; // notice ids made by this file
const demo = {}; // demo notices: pub (list), district, future

async function login(s, username) {
  const c = new Client(s.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  srv = await startServer();
  for (const u of USERS) {
    cl[u] = await login(srv, u);
    const r = await cl[u].get(`${API}/me`);
    assert.equal(r.status, 200, r.text);
    me[u] = r.json.user;
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
// 422 invalid; the field, when the server names one, must be the offending one.
function assertInvalid(r, fields, what = '') {
  assertError(r, 422, 'invalid', undefined, what);
  const f = r.json.error.field;
  if (f !== null && f !== undefined) {
    const ok = [].concat(fields);
    assert.ok(ok.includes(f), `${what} error field ${f}, expected ${ok.join(' or ')}: ${r.text}`);
  }
}
function assertHidden(r, what) {
  assert.ok([403, 404].includes(r.status), `${what}: expected 403 or 404, got ${r.status}: ${r.text}`);
}

const put = (c, path, body, headers) => c.req('PUT', path, body, headers);
const q = (s) => encodeURIComponent(s);

// An anonymous GET.
async function pub(path, base = srv.base) {
  const r = await fetch(base + path, { redirect: 'manual' });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, json, text };
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

async function listAll(c, query = '') {
  const r = await c.get(`${API}/notices?per_page=200${query}`);
  assert.equal(r.status, 200, `notices ${query}: ${r.text}`);
  assert.ok(Array.isArray(r.json.items), 'items');
  assert.equal(typeof r.json.total, 'number', 'total');
  assert.equal(typeof r.json.unread, 'number', `unread count missing: ${r.text.slice(0, 300)}`);
  assert.equal(r.json.items.length, Math.min(r.json.total, 200), 'items vs total');
  return r.json;
}
async function publicList(query = '', base = srv.base) {
  const r = await pub(`${API}/public/notices?per_page=200${query}`, base);
  assert.equal(r.status, 200, `public notices: ${r.text}`);
  assert.ok(Array.isArray(r.json.items), 'items');
  assert.equal(r.json.items.length, Math.min(r.json.total, 200), 'items vs total');
  return r.json;
}
const ids = (l) => l.items.map((n) => n.id);

function noticeBody(over = {}) {
  return {
    title: '测试通知', body: '各有关单位：\n\n请按时参加。', audience: 'public',
    audience_role: null, audience_district: null, publish_date: TODAY, ...over,
  };
}
async function create(c, over, what) {
  const r = await c.post(`${API}/notices`, noticeBody(over));
  assert.equal(r.status, 201, `${what}: ${r.text}`);
  assert.ok(Number.isInteger(r.json.id), `${what}: id`);
  return r.json;
}
function assertOrder(items, what) {
  for (let i = 1; i < items.length; i++) {
    assert.ok(items[i - 1].publish_date >= items[i].publish_date,
      `${what}: not newest first: ${items[i - 1].publish_date} before ${items[i].publish_date}`);
  }
}

// Is notice id visible to user (a client or null for anonymous)? Checks the list and the
// record and that both agree.
async function assertVisible(user, id, visible, what) {
  if (user === null) {
    const l = await publicList();
    assert.equal(ids(l).includes(id), visible, `${what}: anonymous list ${visible ? 'lacks' : 'shows'} ${id}`);
    const r = await pub(`${API}/public/notices/${id}`);
    if (visible) assert.equal(r.status, 200, `${what}: anonymous GET ${id}: ${r.text}`);
    else assertError(r, 404, 'not_found', undefined, `${what}: anonymous GET ${id}`);
    return;
  }
  const l = await listAll(cl[user]);
  assert.equal(ids(l).includes(id), visible, `${what}: ${user}'s list ${visible ? 'lacks' : 'shows'} ${id}`);
  const r = await cl[user].get(`${API}/notices/${id}`);
  if (visible) {
    assert.equal(r.status, 200, `${what}: ${user} GET ${id}: ${r.text}`);
    assert.equal(r.json.id, id);
  } else {
    assertError(r, 404, 'not_found', undefined, `${what}: ${user} GET ${id}`);
  }
}

// ---------------------------------------------------------------- a tiny ZIP writer

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xFFFFFFFF;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}
// Stored (uncompressed) ZIP of [name, content] pairs.
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034B50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0, 6);
    lh.writeUInt16LE(0, 8); lh.writeUInt16LE(0, 10); lh.writeUInt16LE(0x21, 12);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(data.length, 18); lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(nameBuf.length, 26); lh.writeUInt16LE(0, 28);
    locals.push(lh, nameBuf, data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014B50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0, 8); ch.writeUInt16LE(0, 10); ch.writeUInt16LE(0, 12); ch.writeUInt16LE(0x21, 14);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(data.length, 20); ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(nameBuf.length, 28); ch.writeUInt32LE(offset, 42);
    centrals.push(ch, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054B50, 0);
  end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CT_XML = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const FILES = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n\u0000\u00ff\u0080binary', 'latin1'),
  docx: zip([['[Content_Types].xml', CT_XML],
    ['word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>培训安排</w:t></w:r></w:p></w:body></w:document>']]),
  xlsx: zip([['[Content_Types].xml', CT_XML],
    ['xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>']]),
  doc: Buffer.concat([Buffer.from([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), Buffer.alloc(504, 0x00),
    Buffer.from('Word.Document.8 报名回执', 'utf8')]),
  exe: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200, 0x41)]),
  plainZip: zip([['readme.txt', 'just a text file'], ['data/a.csv', 'a,b\n1,2\n']]),
};
const TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  doc: 'application/msword',
};
function upload(c, id, filename, buf, type) {
  return put(c, `${API}/notices/${id}/attachments?filename=${q(filename)}`, buf, { 'content-type': type });
}
// Content-Disposition as UTF-8 (fetch exposes raw header bytes as latin1).
function disposition(headers) {
  const raw = headers.get('content-disposition') || '';
  return Buffer.from(raw, 'latin1').toString('utf8');
}
function assertNamed(headers, filename, what) {
  const d = disposition(headers);
  assert.match(d, /attachment/i, `${what}: Content-Disposition ${d}`);
  assert.ok(d.includes(filename) || d.includes(encodeURIComponent(filename)),
    `${what}: Content-Disposition lacks ${filename}: ${d}`);
}

// ---------------------------------------------------------------- demo notices

test('demo notices: public ones, one for 浦东新区, one scheduled after today', async () => {
  const all = await listAll(cl.city);
  assertOrder(all.items, 'city list');
  demo.pub = all.items.filter((n) => n.audience === 'public' && n.publish_date <= TODAY && !n.withdrawn);
  demo.district = all.items.find((n) => n.audience === 'district' && n.audience_district === '浦东新区');
  demo.future = all.items.find((n) => n.publish_date > TODAY);
  assert.ok(demo.pub.length >= 1, `no published public demo notice: ${JSON.stringify(all.items.map((n) => [n.id, n.audience, n.publish_date]))}`);
  assert.ok(demo.district, 'no demo notice for 浦东新区');
  assert.ok(demo.future, 'no scheduled demo notice (publish_date after today)');
  for (const k of ['id', 'title', 'body', 'audience', 'audience_name', 'audience_role', 'audience_district',
    'publish_date', 'publisher', 'author', 'attachments', 'read', 'withdrawn', 'created_at', 'updated_at']) {
    assert.ok(k in demo.district, `notice lacks ${k}: ${JSON.stringify(demo.district)}`);
  }
  assert.ok(Array.isArray(demo.district.attachments));

  const p = await publicList();
  assertOrder(p.items, 'public list');
  for (const n of demo.pub) assert.ok(ids(p).includes(n.id), `public list lacks demo notice ${n.id} ${n.title}`);
  assert.ok(p.items.every((n) => n.audience === 'public'), 'public list shows a non-public notice');
  assert.ok(!ids(p).includes(demo.district.id), 'public list shows the 浦东新区 notice');
  assert.ok(!ids(p).includes(demo.future.id), 'public list shows the scheduled notice');
  assert.ok(p.items.every((n) => n.publish_date <= TODAY), 'public list shows a notice before its date');

  await assertVisible('pudong', demo.district.id, true, 'demo 浦东新区 notice');
  await assertVisible('ent1', demo.district.id, true, 'demo 浦东新区 notice');
  await assertVisible('huangpu', demo.district.id, false, 'demo 浦东新区 notice');
  await assertVisible('cb1', demo.district.id, false, 'demo 浦东新区 notice');
  for (const u of ['huangpu', 'cb1', 'cb2', 'ent1']) {
    if (demo.future.publisher?.id === me[u].unit?.id) continue;
    await assertVisible(u, demo.future.id, false, 'demo scheduled notice');
  }
  await assertVisible(null, demo.future.id, false, 'demo scheduled notice');
  for (const u of USERS) {
    const l = await listAll(cl[u]);
    for (const n of demo.pub) assert.ok(ids(l).includes(n.id), `${u} does not see public demo notice ${n.id}`);
    assertOrder(l.items, `${u} list`);
  }
});

test('anonymous callers get 401 on the logged-in endpoints; public paging is checked', async () => {
  assertError(await pub(`${API}/notices`), 401, 'not_authenticated');
  assertError(await pub(`${API}/notices/${demo.pub[0].id}`), 401, 'not_authenticated');
  assertError(await new Client(srv.base).post(`${API}/notices`, noticeBody()), 401, 'not_authenticated');
  assertError(await pub(`${API}/public/notices?per_page=0`), 422, 'invalid');
  assertError(await pub(`${API}/public/notices?per_page=201`), 422, 'invalid');
  assertError(await pub(`${API}/public/notices/999999`), 404, 'not_found');
});

// ---------------------------------------------------------------- publishing and visibility

test('city publishes to each audience kind', async () => {
  const p = await create(cl.city, { title: '公开通知：认证提升行动启动', audience: 'public' }, 'public');
  assert.equal(p.audience, 'public');
  assert.equal(p.audience_name, '公开');
  assert.equal(p.audience_role, null);
  assert.equal(p.audience_district, null);
  assert.equal(p.publish_date, TODAY);
  assert.equal(p.publisher.name, CITY_UNIT);
  assert.equal(p.publisher.id, me.city.unit.id);
  assert.equal(p.author, 'city');
  assert.equal(p.withdrawn, false);
  assert.deepEqual(p.attachments, []);
  assert.equal(p.title, '公开通知：认证提升行动启动');
  assert.equal(p.body, '各有关单位：\n\n请按时参加。');
  N.pub = p.id;

  const a = await create(cl.city, { title: '全体用户通知：平台维护', audience: 'all' }, 'all');
  assert.equal(a.audience, 'all');
  assert.equal(typeof a.audience_name, 'string');
  assert.ok(a.audience_name.length > 0);
  N.all = a.id;

  const r = await create(cl.city, { title: '认证机构通知：审核员培训', audience: 'role', audience_role: 'cb_staff' }, 'role');
  assert.equal(r.audience, 'role');
  assert.equal(r.audience_role, 'cb_staff');
  assert.equal(r.audience_district, null);
  N.roleCb = r.id;

  const e = await create(cl.city, { title: '企业通知：填报基线指标', audience: 'role', audience_role: 'enterprise' }, 'role enterprise');
  assert.equal(e.audience_role, 'enterprise');
  N.roleEnt = e.id;

  const d = await create(cl.city, { title: '浦东新区通知：现场推进会', audience: 'district', audience_district: '浦东新区' }, 'district');
  assert.equal(d.audience, 'district');
  assert.equal(d.audience_district, '浦东新区');
  assert.equal(d.audience_role, null);
  N.district = d.id;

  const got = await cl.city.get(`${API}/notices/${N.district}`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.audience_district, '浦东新区');
  assert.equal(got.json.title, '浦东新区通知：现场推进会');
});

test('visibility matrix: public, all, role cb_staff, role enterprise, district 浦东新区', async () => {
  const matrix = {
    pub: { anon: true, city: true, pudong: true, huangpu: true, cb1: true, cb2: true, ent1: true },
    all: { anon: false, city: true, pudong: true, huangpu: true, cb1: true, cb2: true, ent1: true },
    roleCb: { anon: false, city: true, pudong: false, huangpu: false, cb1: true, cb2: true, ent1: false },
    roleEnt: { anon: false, city: true, pudong: false, huangpu: false, cb1: false, cb2: false, ent1: true },
    district: { anon: false, city: true, pudong: true, huangpu: false, cb1: false, cb2: false, ent1: true },
  };
  for (const [key, row] of Object.entries(matrix)) {
    for (const [user, visible] of Object.entries(row)) {
      await assertVisible(user === 'anon' ? null : user, N[key], visible, `notice ${key}`);
    }
  }
  // The public endpoints never show a non-public notice, whoever asks.
  for (const key of ['all', 'roleCb', 'district']) {
    const r = await cl.pudong.get(`${API}/public/notices/${N[key]}`);
    assertError(r, 404, 'not_found', undefined, `public GET of ${key} notice`);
  }
  const l = await publicList();
  assert.ok(!ids(l).includes(N.all), "'all' notice in the public list");
});

test('q filters the public and the logged-in lists', async () => {
  const p = await publicList(`&q=${q('认证提升行动启动')}`);
  assert.deepEqual(ids(p), [N.pub]);
  const l = await listAll(cl.cb1, `&q=${q('审核员培训')}`);
  assert.deepEqual(ids(l), [N.roleCb]);
  const h = await listAll(cl.huangpu, `&q=${q('审核员培训')}`);
  assert.deepEqual(ids(h), [], 'q reveals a notice the caller cannot see');
});

test('enterprises and certification bodies cannot publish; role rules for the city', async () => {
  assertError(await cl.ent1.post(`${API}/notices`, noticeBody()), 403, 'forbidden', undefined, 'ent1 create');
  assertError(await cl.cb1.post(`${API}/notices`, noticeBody()), 403, 'forbidden', undefined, 'cb1 create');
});

// ---------------------------------------------------------------- scheduled notices

test('a scheduled notice is hidden until its publish date, except from its publisher and the city', async () => {
  const f = await create(cl.city, { title: '预告：下半年工作安排', publish_date: '2021-05-20' }, 'scheduled');
  assert.equal(f.publish_date, '2021-05-20');
  N.future = f.id;
  const fd = await create(cl.pudong, { title: '浦东预告：六月培训', audience: 'district', audience_district: '浦东新区', publish_date: '2021-06-01' }, 'pudong scheduled');
  N.futurePudong = fd.id;

  await assertVisible('city', N.future, true, 'scheduled, publisher');
  for (const u of ['pudong', 'huangpu', 'cb1', 'ent1']) await assertVisible(u, N.future, false, 'scheduled');
  await assertVisible(null, N.future, false, 'scheduled');
  await assertVisible('pudong', N.futurePudong, true, 'pudong scheduled, publisher');
  await assertVisible('city', N.futurePudong, true, 'pudong scheduled, city');
  await assertVisible('ent1', N.futurePudong, false, 'pudong scheduled');

  // Another server on the same database, later date: the notices have appeared.
  const later = await startServer({ db: srv.db, today: '2021-05-25' });
  try {
    const anon = await publicList('', later.base);
    assert.ok(ids(anon).includes(N.future), 'scheduled public notice not public on 2021-05-25');
    const r = await pub(`${API}/public/notices/${N.future}`, later.base);
    assert.equal(r.status, 200, r.text);
    const hp = await login(later, 'huangpu');
    const l = await hp.get(`${API}/notices?per_page=200`);
    assert.equal(l.status, 200, l.text);
    assert.ok(l.json.items.some((n) => n.id === N.future), 'huangpu does not see it on 2021-05-25');
    const e1 = await login(later, 'ent1');
    const g = await e1.get(`${API}/notices/${N.futurePudong}`);
    assertError(g, 404, 'not_found', undefined, 'ent1 GET of the 2021-06-01 notice on 2021-05-25');
  } finally {
    await later.stop();
  }
  const evenLater = await startServer({ db: srv.db, today: '2021-06-01' });
  try {
    const e1 = await login(evenLater, 'ent1');
    const g = await e1.get(`${API}/notices/${N.futurePudong}`);
    assert.equal(g.status, 200, `ent1 GET of the 2021-06-01 notice on its date: ${g.text}`);
  } finally {
    await evenLater.stop();
  }
});

// ---------------------------------------------------------------- read / unread

test('reading a notice marks it read for that user only; unread count and filter', async () => {
  const n = await create(cl.city, { title: '待阅通知：请阅读', audience: 'all' }, 'unread');
  N.unread = n.id;
  const before1 = await listAll(cl.pudong);
  const item = before1.items.find((x) => x.id === n.id);
  assert.ok(item, 'new notice not in pudong list');
  assert.equal(item.read, false);
  assert.equal(before1.unread, before1.items.filter((x) => !x.read).length, 'unread count vs items');
  const u1 = await listAll(cl.pudong, '&unread=true');
  assert.ok(u1.items.every((x) => x.read === false), 'unread=true shows read notices');
  assert.ok(ids(u1).includes(n.id));
  assert.equal(u1.total, before1.unread, 'unread=true total vs unread');

  // A list never marks anything read.
  assert.equal((await listAll(cl.pudong)).unread, before1.unread, 'listing changed the unread count');

  const g = await cl.pudong.get(`${API}/notices/${n.id}`);
  assert.equal(g.status, 200, g.text);
  const after1 = await listAll(cl.pudong);
  assert.equal(after1.unread, before1.unread - 1, 'unread count did not drop by one');
  assert.equal(after1.items.find((x) => x.id === n.id).read, true, 'not marked read');
  const u2 = await listAll(cl.pudong, '&unread=true');
  assert.ok(!ids(u2).includes(n.id), 'read notice still in unread=true');
  assert.equal(u2.total, before1.unread - 1);
  // Reading twice changes nothing.
  await cl.pudong.get(`${API}/notices/${n.id}`);
  assert.equal((await listAll(cl.pudong)).unread, before1.unread - 1, 'second read changed the count');

  // Other users are unaffected.
  const hp = await listAll(cl.huangpu);
  assert.equal(hp.items.find((x) => x.id === n.id).read, false, "pudong's read marked huangpu's copy");
  const hpUnread = await listAll(cl.huangpu, '&unread=true');
  assert.ok(ids(hpUnread).includes(n.id));

  // A notice one cannot see cannot be read (404, and the count is unchanged).
  const hpBefore = hp.unread;
  assertError(await cl.huangpu.get(`${API}/notices/${N.district}`), 404, 'not_found');
  assert.equal((await listAll(cl.huangpu)).unread, hpBefore);
});

// ---------------------------------------------------------------- district officers

test('a district officer publishes public or to its own district only', async () => {
  const p = await create(cl.pudong, { title: '浦东新区公开通知：企业申报指南', audience: 'public' }, 'pudong public');
  assert.equal(p.publisher.id, me.pudong.unit.id);
  assert.equal(p.publisher.name, '浦东新区市场监管局');
  assert.equal(p.author, 'pudong');
  N.pudongPub = p.id;
  const d = await create(cl.pudong, { title: '浦东新区内部通知：台账更新', audience: 'district', audience_district: '浦东新区' }, 'pudong district');
  N.pudongDistrict = d.id;

  assertInvalid(await cl.pudong.post(`${API}/notices`, noticeBody({ audience: 'all' })), 'audience', 'pudong all');
  assertInvalid(await cl.pudong.post(`${API}/notices`, noticeBody({ audience: 'role', audience_role: 'enterprise' })), 'audience', 'pudong role');
  assertInvalid(await cl.pudong.post(`${API}/notices`, noticeBody({ audience: 'district', audience_district: '黄浦区' })), ['audience_district', 'audience'], 'pudong 黄浦区');
  assertInvalid(await cl.huangpu.post(`${API}/notices`, noticeBody({ audience: 'district', audience_district: '浦东新区' })), ['audience_district', 'audience'], 'huangpu 浦东新区');

  await assertVisible(null, N.pudongPub, true, 'pudong public');
  await assertVisible('huangpu', N.pudongPub, true, 'pudong public');
  await assertVisible('ent1', N.pudongDistrict, true, 'pudong district');
  await assertVisible('huangpu', N.pudongDistrict, false, 'pudong district');
  await assertVisible('cb1', N.pudongDistrict, false, 'pudong district');
  await assertVisible('city', N.pudongDistrict, true, 'pudong district, city');
});

test('editing: the publisher unit and the city only', async () => {
  const r = await put(cl.pudong, `${API}/notices/${N.pudongPub}`,
    noticeBody({ title: '浦东新区公开通知：企业申报指南（修订）', body: '修订后的正文' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, '浦东新区公开通知：企业申报指南（修订）');
  assert.equal(r.json.body, '修订后的正文');
  const g = await pub(`${API}/public/notices/${N.pudongPub}`);
  assert.equal(g.json.title, '浦东新区公开通知：企业申报指南（修订）');

  const c = await put(cl.city, `${API}/notices/${N.pudongPub}`, noticeBody({ title: '市局修订的浦东通知' }));
  assert.equal(c.status, 200, `city edits a district's notice: ${c.text}`);
  assert.equal(c.json.title, '市局修订的浦东通知');
  assert.equal(c.json.publisher.id, me.pudong.unit.id, 'editing changed the publisher');

  for (const u of ['huangpu', 'cb1', 'ent1']) {
    assertHidden(await put(cl[u], `${API}/notices/${N.pudongPub}`, noticeBody({ title: '篡改' })), `${u} PUT pudong's notice`);
  }
  assertHidden(await put(cl.pudong, `${API}/notices/${N.pub}`, noticeBody({ title: '篡改' })), "pudong PUT city's notice");
  const still = await cl.city.get(`${API}/notices/${N.pub}`);
  assert.equal(still.json.title, '公开通知：认证提升行动启动', 'a refused PUT changed the notice');
  assertError(await put(cl.city, `${API}/notices/999999`, noticeBody()), 404, 'not_found');
  // A district officer cannot widen the audience by editing.
  assertInvalid(await put(cl.pudong, `${API}/notices/${N.pudongDistrict}`, noticeBody({ audience: 'all' })), 'audience', 'pudong PUT audience all');
});

// ---------------------------------------------------------------- withdrawal

test('withdrawing hides a notice from everyone but its publisher', async () => {
  const n = await create(cl.city, { title: '即将撤回的通知', audience: 'public' }, 'to withdraw');
  N.withdrawn = n.id;
  await assertVisible(null, n.id, true, 'before withdrawal');
  await assertVisible('pudong', n.id, true, 'before withdrawal');
  const up = await upload(cl.city, n.id, 'gone.pdf', FILES.pdf, TYPES.pdf);
  assert.equal(up.status, 201, up.text);
  N.withdrawnFile = up.json.attachments[0].id;
  const pre = await getBytes(null, `${API}/public/notices/${n.id}/attachments/${N.withdrawnFile}`);
  assert.equal(pre.status, 200, `download before withdrawal: ${pre.text}`);

  for (const u of ['pudong', 'cb1', 'ent1']) {
    assertHidden(await cl[u].post(`${API}/notices/${n.id}/withdraw`), `${u} withdraws city's notice`);
  }
  await assertVisible(null, n.id, true, 'after refused withdrawals');

  const w = await cl.city.post(`${API}/notices/${n.id}/withdraw`);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.withdrawn, true);
  for (const u of ['pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) await assertVisible(u, n.id, false, 'withdrawn');
  await assertVisible(null, n.id, false, 'withdrawn');
  const g = await cl.city.get(`${API}/notices/${n.id}`);
  assert.equal(g.status, 200, `publisher GET withdrawn: ${g.text}`);
  assert.equal(g.json.withdrawn, true);

  // A district withdraws its own notice.
  const pw = await cl.pudong.post(`${API}/notices/${N.pudongDistrict}/withdraw`);
  assert.equal(pw.status, 200, pw.text);
  assert.equal(pw.json.withdrawn, true);
  await assertVisible('ent1', N.pudongDistrict, false, 'pudong withdrawn');
  const own = await cl.pudong.get(`${API}/notices/${N.pudongDistrict}`);
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.withdrawn, true);
  assertError(await cl.city.post(`${API}/notices/999999/withdraw`), 404, 'not_found');
});

// ---------------------------------------------------------------- validation

test('validation: title, audience, role, district, date, body length; unknown keys and types', async () => {
  const bad = async (over, field, what) => assertInvalid(await cl.city.post(`${API}/notices`, noticeBody(over)), field, what);
  await bad({ title: '' }, 'title', 'empty title');
  await bad({ title: null }, 'title', 'null title');
  await bad({ title: '通'.repeat(101) }, 'title', '101-character title');
  await bad({ audience: 'everyone' }, 'audience', 'unknown audience');
  await bad({ audience: null }, 'audience', 'null audience');
  await bad({ audience: 'role', audience_role: 'admin' }, 'audience_role', 'unknown role');
  await bad({ audience: 'role', audience_role: null }, 'audience_role', 'role without audience_role');
  await bad({ audience: 'district', audience_district: '火星区' }, 'audience_district', 'unknown district');
  await bad({ audience: 'district', audience_district: null }, 'audience_district', 'district without audience_district');
  await bad({ publish_date: '2021-02-30' }, 'publish_date', 'impossible date');
  await bad({ publish_date: '2021/05/10' }, 'publish_date', 'slashed date');
  await bad({ publish_date: '10-05-2021' }, 'publish_date', 'reversed date');
  await bad({ body: '文'.repeat(20001) }, 'body', '20,001-character body');

  // 100 Chinese characters (300 bytes) is within the limit.
  const ok = await create(cl.city, { title: '长'.repeat(100), audience: 'all' }, '100-character title');
  assert.equal(ok.title, '长'.repeat(100));
  const okBody = await create(cl.city, { title: '长正文', body: '文'.repeat(20000), audience: 'all' }, '20,000-character body');
  assert.equal(okBody.body.length, 20000);

  assertError(await cl.city.post(`${API}/notices`, { ...noticeBody(), colour: 'red' }), 400, 'unknown_field', undefined, 'unknown key');
  assertError(await cl.city.post(`${API}/notices`, noticeBody({ title: 42 })), 400, 'bad_type', undefined, 'numeric title');
  assertError(await cl.city.req('POST', `${API}/notices`, '{"title":', { 'content-type': 'application/json' }), 400, 'bad_json', undefined, 'malformed JSON');
  assertInvalid(await put(cl.city, `${API}/notices/${N.pub}`, noticeBody({ title: '' })), 'title', 'PUT empty title');
  assertError(await put(cl.city, `${API}/notices/${N.pub}`, { ...noticeBody(), extra: 1 }), 400, 'unknown_field', undefined, 'PUT unknown key');
  const total = (await listAll(cl.city, `&q=${q('篡改')}`)).total;
  assert.equal(total, 0, 'a refused request stored a notice');
});

test('the body is plain text: markup is stored and returned verbatim as a JSON string', async () => {
  const body = '<script>alert("x")</script>\n<b>加粗</b> & <a href="javascript:alert(1)">链接</a>\n详见 https://www.zrpx.org.cn';
  const n = await create(cl.city, { title: '<i>标题</i>', body, audience: 'public' }, 'markup');
  assert.equal(n.body, body);
  const g = await cl.ent1.get(`${API}/notices/${n.id}`);
  assert.equal(g.status, 200, g.text);
  assert.match(g.headers.get('content-type') || '', /^application\/json/);
  assert.equal(g.json.body, body, 'body not returned verbatim');
  assert.equal(g.json.title, '<i>标题</i>');
  const p = await pub(`${API}/public/notices/${n.id}`);
  assert.equal(p.status, 200, p.text);
  assert.match(p.headers.get('content-type') || '', /^application\/json/);
  assert.equal(p.json.body, body);
  const l = await publicList();
  assert.match((await pub(`${API}/public/notices`)).headers.get('content-type') || '', /^application\/json/);
  assert.equal(l.items.find((x) => x.id === n.id)?.title, '<i>标题</i>');
});

// ---------------------------------------------------------------- attachments

test('attachments: PDF, DOCX, XLSX and OLE .doc accepted, downloads return the same bytes', async () => {
  const files = [
    ['pdf', '培训安排.pdf'],
    ['docx', '报名回执.docx'],
    ['xlsx', 'enterprises.xlsx'],
    ['doc', '旧版回执.doc'],
  ];
  N.att = {};
  let last;
  for (const [kind, filename] of files) {
    const r = await upload(cl.city, N.pub, filename, FILES[kind], TYPES[kind]);
    assert.equal(r.status, 201, `upload ${kind}: ${r.text}`);
    assert.equal(r.json.id, N.pub, `upload ${kind}: the notice is returned`);
    const a = r.json.attachments.find((x) => x.filename === filename);
    assert.ok(a, `upload ${kind}: attachment not listed: ${JSON.stringify(r.json.attachments)}`);
    assert.equal(a.size, FILES[kind].length, `${kind} size`);
    assert.ok(Number.isInteger(a.id));
    N.att[kind] = a.id;
    last = r.json;
  }
  assert.equal(last.attachments.length, 4);
  const byName = Object.fromEntries(last.attachments.map((a) => [a.filename, a.content_type]));
  assert.equal(byName['培训安排.pdf'], TYPES.pdf);
  assert.equal(byName['报名回执.docx'], TYPES.docx);
  assert.equal(byName['enterprises.xlsx'], TYPES.xlsx);
  assert.equal(byName['旧版回执.doc'], TYPES.doc);

  for (const [kind, filename] of files) {
    const d = await getBytes(cl.pudong, `${API}/notices/${N.pub}/attachments/${N.att[kind]}`);
    assert.equal(d.status, 200, `download ${kind}: ${d.text}`);
    assert.ok(d.buf.equals(FILES[kind]), `download ${kind}: bytes differ (${d.buf.length} vs ${FILES[kind].length})`);
    assertNamed(d.headers, filename, `download ${kind}`);
    const a = await getBytes(null, `${API}/public/notices/${N.pub}/attachments/${N.att[kind]}`);
    assert.equal(a.status, 200, `anonymous download ${kind}: ${a.text}`);
    assert.ok(a.buf.equals(FILES[kind]), `anonymous download ${kind}: bytes differ`);
    assertNamed(a.headers, filename, `anonymous download ${kind}`);
  }
  const pdf = await getBytes(null, `${API}/public/notices/${N.pub}/attachments/${N.att.pdf}`);
  assert.match(pdf.headers.get('content-type') || '', /application\/pdf/);
  const g = await pub(`${API}/public/notices/${N.pub}`);
  assert.equal(g.json.attachments.length, 4, 'public record lacks the attachments');
});

test('attachments: other content is refused with 415 whatever its name or type header', async () => {
  assertError(await upload(cl.city, N.pub, 'x.pdf', FILES.exe, 'application/pdf'), 415, 'unsupported_media_type', undefined, 'MZ named x.pdf');
  assertError(await upload(cl.city, N.pub, 'x.docx', FILES.plainZip, TYPES.docx), 415, 'unsupported_media_type', undefined, 'plain zip as docx');
  assertError(await upload(cl.city, N.pub, 'x.xlsx', FILES.plainZip, TYPES.xlsx), 415, 'unsupported_media_type', undefined, 'plain zip as xlsx');
  assertError(await upload(cl.city, N.pub, 'x.pdf', Buffer.from('<html><body>not a pdf</body></html>'), 'application/pdf'), 415, 'unsupported_media_type', undefined, 'HTML as pdf');
  const g = await cl.city.get(`${API}/notices/${N.pub}`);
  assert.equal(g.json.attachments.length, 4, 'a refused upload was stored');
});

test('attachments: only the publisher uploads; downloads follow the notice visibility', async () => {
  for (const u of ['pudong', 'cb1', 'ent1']) {
    assertHidden(await upload(cl[u], N.pub, 'x.pdf', FILES.pdf, TYPES.pdf), `${u} uploads to city's notice`);
  }
  const up = await upload(cl.pudong, N.pudongPub, '浦东指南.pdf', FILES.pdf, TYPES.pdf);
  assert.equal(up.status, 201, up.text);
  assertHidden(await upload(cl.huangpu, N.pudongPub, 'x.pdf', FILES.pdf, TYPES.pdf), "huangpu uploads to pudong's notice");

  // An attachment of a non-public notice.
  const r = await upload(cl.city, N.all, '内部.pdf', FILES.pdf, TYPES.pdf);
  assert.equal(r.status, 201, r.text);
  const allFile = r.json.attachments[0].id;
  const d = await upload(cl.city, N.district, '浦东.pdf', FILES.pdf, TYPES.pdf);
  assert.equal(d.status, 201, d.text);
  const districtFile = d.json.attachments[0].id;

  assertError(await getBytes(null, `${API}/public/notices/${N.all}/attachments/${allFile}`), 404, 'not_found', undefined, "anonymous download of an 'all' attachment");
  assertError(await getBytes(cl.cb1, `${API}/public/notices/${N.all}/attachments/${allFile}`), 404, 'not_found', undefined, "public download of an 'all' attachment");
  assertError(await getBytes(null, `${API}/notices/${N.all}/attachments/${allFile}`), 401, 'not_authenticated');
  const ok = await getBytes(cl.cb1, `${API}/notices/${N.all}/attachments/${allFile}`);
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.buf.equals(FILES.pdf));

  const ent = await getBytes(cl.ent1, `${API}/notices/${N.district}/attachments/${districtFile}`);
  assert.equal(ent.status, 200, ent.text);
  assertError(await getBytes(cl.huangpu, `${API}/notices/${N.district}/attachments/${districtFile}`), 404, 'not_found', undefined, 'huangpu downloads a 浦东新区 attachment');
  assertError(await getBytes(cl.cb1, `${API}/notices/${N.district}/attachments/${districtFile}`), 404, 'not_found', undefined, 'cb1 downloads a 浦东新区 attachment');
  // A file id under another (visible, public) notice's path.
  assertError(await getBytes(null, `${API}/public/notices/${N.pub}/attachments/${allFile}`), 404, 'not_found', undefined, 'attachment under a foreign public notice');
  assertError(await getBytes(cl.huangpu, `${API}/notices/${N.pub}/attachments/${districtFile}`), 404, 'not_found', undefined, 'attachment under a foreign notice');
  assertError(await getBytes(null, `${API}/public/notices/${N.pub}/attachments/999999`), 404, 'not_found');

  // A withdrawn notice's attachments are gone for everyone else.
  const wf = N.withdrawnFile;
  assertError(await getBytes(null, `${API}/public/notices/${N.withdrawn}/attachments/${wf}`), 404, 'not_found', undefined, 'withdrawn attachment, anonymous');
  assertError(await getBytes(cl.pudong, `${API}/notices/${N.withdrawn}/attachments/${wf}`), 404, 'not_found', undefined, 'withdrawn attachment, pudong');
  // A scheduled notice's attachments wait for the date too.
  const s = await upload(cl.city, N.future, 'later.pdf', FILES.pdf, TYPES.pdf);
  assert.equal(s.status, 201, s.text);
  const sf = s.json.attachments[0].id;
  assertError(await getBytes(null, `${API}/public/notices/${N.future}/attachments/${sf}`), 404, 'not_found', undefined, 'scheduled attachment, anonymous');
});
