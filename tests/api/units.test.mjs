// Units (city bureau, district bureaus, certification bodies), filters and pagination.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

let srv;
let c;
before(async () => {
  srv = await startServer();
  c = new Client(srv.base);
  const r = await c.login('cb1');
  assert.equal(r.status, 200, r.text);
});
after(async () => { await srv?.stop(); });

const DISTRICTS = {
  黄浦区: '310101', 徐汇区: '310104', 长宁区: '310105', 静安区: '310106', 普陀区: '310107',
  虹口区: '310109', 杨浦区: '310110', 闵行区: '310112', 宝山区: '310113', 嘉定区: '310114',
  浦东新区: '310115', 金山区: '310116', 松江区: '310117', 青浦区: '310118', 奉贤区: '310120',
  崇明区: '310151',
};

async function all(query = '') {
  const r = await c.get(`/api/v1/units?per_page=200${query}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, r.json.total, 'per_page=200 should hold all units');
  return r.json;
}

test('one city unit', async () => {
  const r = await all('&kind=city');
  assert.equal(r.total, 1);
  assert.equal(r.items[0].kind, 'city');
  assert.equal(typeof r.items[0].kind_name, 'string');
});

test('18 district units: 16 districts with region codes, 临港新片区 and 机场分局', async () => {
  const r = await all('&kind=district');
  assert.equal(r.total, 18);
  assert.ok(r.items.every((u) => u.kind === 'district'));
  assert.ok(r.items.every((u) => u.kind_name === '区市场监管局'), 'kind_name of district units');
  for (const [district, code] of Object.entries(DISTRICTS)) {
    const u = r.items.find((x) => x.district === district);
    assert.ok(u, `no unit for ${district}`);
    assert.equal(u.region_code, code, `${district} region code`);
    assert.ok(u.name.startsWith(district), `${district} unit name: ${u.name}`);
    assert.equal(u.active, true);
  }
  assert.ok(r.items.some((u) => u.name.includes('临港')), '临港新片区 unit missing');
  assert.ok(r.items.some((u) => u.name.includes('机场')), '机场分局 unit missing');
  const pudong = r.items.find((u) => u.district === '浦东新区');
  assert.equal(pudong.name, '浦东新区市场监管局');
  assert.equal(new Set(r.items.map((u) => u.id)).size, 18);
});

test('certification bodies: at least two, no district, with cnca_code', async () => {
  const r = await all('&kind=cb');
  assert.ok(r.total >= 2, `only ${r.total} cb units`);
  for (const u of r.items) {
    assert.equal(u.kind, 'cb');
    assert.equal(u.district, null);
    assert.equal(u.region_code, null);
    assert.ok('cnca_code' in u, `cnca_code missing on ${u.name}`);
  }
});

test('the unfiltered list is the sum of the kinds', async () => {
  const everything = await all();
  const cbs = await all('&kind=cb');
  assert.equal(everything.total, 1 + 18 + cbs.total);
});

test('q filters by name', async () => {
  const r = await all(`&q=${encodeURIComponent('浦东')}`);
  assert.ok(r.total >= 1);
  assert.ok(r.items.every((u) => u.name.includes('浦东')), JSON.stringify(r.items.map((u) => u.name)));
  assert.ok(r.items.some((u) => u.name === '浦东新区市场监管局'));
  const none = await all(`&q=${encodeURIComponent('不存在的单位名称')}`);
  assert.equal(none.total, 0);
  assert.deepEqual(none.items, []);
  // SQL wildcards are taken literally
  const pct = await all(`&q=${encodeURIComponent('%')}`);
  assert.equal(pct.total, 0, 'q=% must not match everything');
  const combined = await all(`&kind=cb&q=${encodeURIComponent('浦东')}`);
  assert.equal(combined.total, 0, 'kind and q must combine');
});

test('unknown kind is 422', async () => {
  const r = await c.get('/api/v1/units?kind=planet');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json?.error?.code, 'invalid');
});

test('pagination: per_page=5&page=2', async () => {
  const first = await c.get('/api/v1/units');
  assert.equal(first.status, 200);
  assert.equal(first.json.page, 1);
  assert.equal(first.json.per_page, 50);
  const total = first.json.total;
  assert.ok(total >= 21);
  const p1 = await c.get('/api/v1/units?per_page=5&page=1');
  const p2 = await c.get('/api/v1/units?per_page=5&page=2');
  assert.equal(p2.status, 200, p2.text);
  assert.equal(p2.json.total, total);
  assert.equal(p2.json.page, 2);
  assert.equal(p2.json.per_page, 5);
  assert.equal(p2.json.items.length, 5);
  const ids1 = p1.json.items.map((u) => u.id);
  const ids2 = p2.json.items.map((u) => u.id);
  assert.ok(ids2.every((id) => !ids1.includes(id)), 'page 2 repeats page 1');
  assert.deepEqual(ids2, first.json.items.slice(5, 10).map((u) => u.id), 'pages are slices of one order');
  const beyond = await c.get('/api/v1/units?per_page=5&page=1000');
  assert.equal(beyond.status, 200);
  assert.deepEqual(beyond.json.items, []);
  assert.equal(beyond.json.total, total);
  const max = await c.get('/api/v1/units?per_page=200');
  assert.equal(max.status, 200);
  assert.equal(max.json.per_page, 200);
});

test('bad paging values are 422', async () => {
  for (const q of ['per_page=0', 'per_page=201', 'per_page=-5', 'per_page=abc', 'page=abc',
    'page=0', 'page=-1', 'page=1.5', 'per_page=5x']) {
    const r = await c.get(`/api/v1/units?${q}`);
    assert.equal(r.status, 422, `?${q} → ${r.status} ${r.text}`);
    assert.equal(r.json?.error?.code, 'invalid', `?${q}: ${r.text}`);
  }
});

test('GET /api/v1/units/{id}', async () => {
  const list = await all('&kind=district');
  const pudong = list.items.find((u) => u.district === '浦东新区');
  const r = await c.get(`/api/v1/units/${pudong.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, pudong.id);
  assert.equal(r.json.name, '浦东新区市场监管局');
  assert.equal(r.json.region_code, '310115');
  const nf = await c.get('/api/v1/units/99999');
  assert.equal(nf.status, 404);
  assert.equal(nf.json?.error?.code, 'not_found');
});

test('an absurdly large page number is handled (422 or an empty page, never 5xx)', async () => {
  const r = await c.get('/api/v1/units?page=99999999999999999999');
  assert.ok(r.status === 422 || (r.status === 200 && r.json.items.length === 0), `${r.status} ${r.text}`);
});
