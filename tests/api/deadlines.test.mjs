// Deadlines 报送期限 · reminders 提醒 (docs/api.md "Deadlines"): the deadline service as each
// role sees it on the demo (浦东新区 a pilot district with its declaration and work plan done and a
// mid-term draft; 沪联 a pilot body whose mid-term report is submitted; 黄浦区 without a
// declaration; an enterprise with only its actions), the states around the mid-term due date
// (servers with other simulated dates), done / done_late after a submission, the city's matrix
// (cells, counts, filters, scope), a declaration that turns a unit into a pilot unit, and the
// reminder settings (own unit, the city with ?unit_id=, address checks).
// Tests run in order and share one server (demo data, simulated date 2021-05-10, mid-term due
// 2021-05-18); four more servers run on 2021-05-04, 05-05, 05-18 and 05-20.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
const TODAY = '2021-05-10';
const CB1_NAME = '沪联质量认证中心（演示）';
const CB2_NAME = '申诚认证有限公司（演示）';
const KEYS = ['declaration', 'workplan', 'midterm', 'annual'];
const STATES = ['not_applicable', 'upcoming', 'due_soon', 'overdue', 'done', 'done_late'];
const LABELS = {
  not_applicable: '不适用', upcoming: '未到期', due_soon: '即将到期', overdue: '已逾期', done: '已完成', done_late: '逾期完成',
};
const DUE = { declaration: '2021-02-20', workplan: '2021-03-05', midterm: '2021-05-18', annual: '2021-11-18' };

let srv;
const other = {}; // servers on other dates, by date
const cl = {}; // logged-in clients by username
const unit = {}; // unit ids by short name
let UNITS; // every active district and body (GET /units)

async function login(s, username) {
  const c = new Client(s.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  const dates = ['2021-05-04', '2021-05-05', '2021-05-18', '2021-05-20'];
  const started = await Promise.all([startServer(), ...dates.map((today) => startServer({ today }))]);
  srv = started[0];
  dates.forEach((d, i) => { other[d] = started[i + 1]; });
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) cl[u] = await login(srv, u);
  const us = await cl.city.get(`${API}/units?per_page=200`);
  assert.equal(us.status, 200, us.text);
  for (const u of us.json.items) {
    if (u.name === CB1_NAME) unit.cb1 = u.id;
    if (u.name === CB2_NAME) unit.cb2 = u.id;
    if (u.kind === 'district' && u.district === '浦东新区') unit.pudong = u.id;
    if (u.kind === 'district' && u.district === '黄浦区') unit.huangpu = u.id;
  }
  assert.ok(unit.cb1 && unit.cb2 && unit.pudong && unit.huangpu, `demo units: ${JSON.stringify(unit)}`);
  UNITS = us.json.items.filter((u) => (u.kind === 'district' || u.kind === 'cb') && u.active);
});
after(async () => {
  await Promise.all([srv?.stop(), ...Object.values(other).map((s) => s.stop())]);
});

// ---------------------------------------------------------------- helpers

function assertError(r, status, code, field, what = '') {
  assert.equal(r.status, status, `${what} expected ${status} ${code}${field !== undefined ? ` field ${field}` : ''}, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, `${what} error code: ${r.text}`);
  assert.ok(typeof r.json.error.message === 'string' && r.json.error.message.length > 0, `${what} error message`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `${what} error field: ${r.text}`);
}
const put = (c, path, body) => c.req('PUT', path, body);
const day = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
const daysBetween = (a, b) => day(b) - day(a);

async function deadlines(c) {
  const r = await c.get(`${API}/deadlines`);
  assert.equal(r.status, 200, `GET /deadlines: ${r.text}`);
  return r.json;
}
const item = (d, key) => {
  const it = d.items.find((x) => x.key === key);
  assert.ok(it, `deadline ${key} missing: ${JSON.stringify(d.items)}`);
  return it;
};
async function matrix(c, query = '') {
  const r = await c.get(`${API}/deadlines/matrix${query}`);
  assert.equal(r.status, 200, `GET /deadlines/matrix${query}: ${r.text}`);
  return r.json;
}
// One unit's deadline item: the documented fields, state label, due date and days_left.
function checkItem(it, today, state, doneAt = null) {
  assert.equal(it.state, state, `${it.key}: state ${it.state}, expected ${state}`);
  assert.equal(it.state_name, LABELS[state], `${it.key}: state_name`);
  assert.equal(it.due, DUE[it.key], `${it.key}: due`);
  assert.equal(it.days_left, daysBetween(today, it.due), `${it.key}: days_left`);
  assert.equal(it.done_at, doneAt, `${it.key}: done_at`);
  assert.equal(typeof it.name, 'string');
  assert.ok(it.name.length > 0);
  assert.equal(typeof it.link, 'string');
}
async function settings(c, query = '') {
  const r = await c.get(`${API}/reminders/settings${query}`);
  assert.equal(r.status, 200, `GET /reminders/settings${query}: ${r.text}`);
  return r.json;
}

// ---------------------------------------------------------------- each unit's deadlines

test('pudong (pilot district): declaration and work plan done, mid-term due soon (8 days), annual upcoming', async () => {
  const d = await deadlines(cl.pudong);
  assert.equal(d.today, TODAY);
  assert.equal(d.unit.id, unit.pudong);
  assert.equal(d.unit.name, '浦东新区市场监管局');
  assert.equal(d.unit.kind, 'district');
  assert.deepEqual(d.items.map((x) => x.key), KEYS, 'the programme deadlines in order');
  const decl = item(d, 'declaration');
  checkItem(decl, TODAY, 'done', decl.done_at);
  assert.ok(decl.done_at && decl.done_at <= DUE.declaration, `declaration done on time: ${decl.done_at}`);
  const wp = item(d, 'workplan');
  checkItem(wp, TODAY, 'done', wp.done_at);
  assert.ok(wp.done_at && wp.done_at <= DUE.workplan, `work plan done on time: ${wp.done_at}`);
  const mid = item(d, 'midterm');
  checkItem(mid, TODAY, 'due_soon');
  assert.equal(mid.days_left, 8);
  assert.equal(mid.name, '中期推进情况报送');
  assert.equal(mid.link, '#/reports?kind=midterm');
  checkItem(item(d, 'annual'), TODAY, 'upcoming');
  assert.equal(item(d, 'annual').days_left, 192);
});

test('the due dates are the programme\'s deadlines', async () => {
  const p = await cl.pudong.get(`${API}/programmes`);
  assert.equal(p.status, 200, p.text);
  const prog = p.json.items[0];
  for (const k of KEYS) {
    const pd = prog.deadlines.find((x) => x.key === k);
    assert.ok(pd, `programme deadline ${k}`);
    assert.equal(pd.due, DUE[k], `programme ${k} due`);
  }
  const d = await deadlines(cl.pudong);
  for (const it of d.items) assert.equal(it.name, prog.deadlines.find((x) => x.key === it.key).name, `${it.key} name`);
});

test('pudong\'s extras: its enterprises\' actions, the same numbers as GET /actions', async () => {
  const d = await deadlines(cl.pudong);
  assert.equal(d.extras.length, 1, JSON.stringify(d.extras));
  const a = d.extras[0];
  assert.equal(a.key, 'actions');
  const all = await cl.pudong.get(`${API}/actions?per_page=200`);
  assert.equal(all.status, 200, all.text);
  assert.equal(a.overdue, all.json.counts.overdue, 'overdue = /actions counts.overdue');
  assert.ok(a.overdue >= 1, 'the demo has an overdue action in 浦东新区');
  const week = await cl.pudong.get(`${API}/actions?due=week&per_page=200`);
  assert.equal(week.status, 200, week.text);
  assert.equal(a.due_week, week.json.total, 'due_week = /actions?due=week total');
  const open = all.json.items.filter((x) => x.status === 'open' || x.status === 'in_progress');
  const next = open.map((x) => x.due_date).filter((x) => x >= TODAY).sort()[0] ?? null;
  assert.equal(a.next_due, next, 'next_due = the earliest due date from today among open actions');
  assert.equal(a.link, '#/actions?overdue=true');
});

test('cb1 (pilot body): work plan and annual not applicable, mid-term done (the demo report is submitted)', async () => {
  const d = await deadlines(cl.cb1);
  assert.equal(d.unit.id, unit.cb1);
  assert.equal(d.unit.kind, 'cb');
  checkItem(item(d, 'declaration'), TODAY, 'done', item(d, 'declaration').done_at);
  checkItem(item(d, 'workplan'), TODAY, 'not_applicable');
  checkItem(item(d, 'midterm'), TODAY, 'done', TODAY);
  checkItem(item(d, 'annual'), TODAY, 'not_applicable');
  const reports = await cl.cb1.get(`${API}/reports?kind=midterm`);
  assert.equal(reports.status, 200, reports.text);
  assert.equal(reports.json.items[0].status, 'submitted', 'the demo mid-term report of cb1 is submitted');
  // extras of a body: surveillance of its certificates and the actions of its enterprises
  assert.deepEqual(d.extras.map((x) => x.key).sort(), ['actions', 'surveillance']);
  const acts = await cl.cb1.get(`${API}/actions?per_page=200`);
  assert.equal(d.extras.find((x) => x.key === 'actions').overdue, acts.json.counts.overdue);
  const surv = d.extras.find((x) => x.key === 'surveillance');
  assert.equal(typeof surv.overdue, 'number');
  const certs = await cl.cb1.get(`${API}/certificates?per_page=200`);
  const dues = certs.json.items.filter((c) => ['valid', 'suspended'].includes(c.status) && c.surveillance?.next_due)
    .map((c) => c.surveillance.next_due).sort();
  assert.equal(surv.next_due, dues[0] ?? null, 'surveillance next_due = the earliest of its certificates');
});

test('huangpu (no declaration, not a pilot): declaration overdue, work plan and mid-term not applicable', async () => {
  const d = await deadlines(cl.huangpu);
  assert.equal(d.unit.id, unit.huangpu);
  checkItem(item(d, 'declaration'), TODAY, 'overdue');
  assert.equal(item(d, 'declaration').days_left, -79);
  checkItem(item(d, 'workplan'), TODAY, 'not_applicable');
  checkItem(item(d, 'midterm'), TODAY, 'not_applicable');
  checkItem(item(d, 'annual'), TODAY, 'upcoming'); // every district
  const decl = await cl.huangpu.get(`${API}/declarations/mine`);
  assert.equal(decl.status, 404, 'huangpu has no declaration in the demo');
});

test('cb2 (not a pilot): the annual report is for districts only', async () => {
  const d = await deadlines(cl.cb2);
  checkItem(item(d, 'midterm'), TODAY, 'not_applicable');
  checkItem(item(d, 'annual'), TODAY, 'not_applicable');
});

test('an enterprise gets no programme deadlines, only its actions (with the overdue one)', async () => {
  const d = await deadlines(cl.ent1);
  assert.equal(d.today, TODAY);
  assert.equal(d.unit, null);
  assert.deepEqual(d.items, []);
  assert.equal(d.extras.length, 1);
  assert.equal(d.extras[0].key, 'actions');
  assert.ok(d.extras[0].overdue >= 1, JSON.stringify(d.extras));
  const acts = await cl.ent1.get(`${API}/actions?per_page=200`);
  assert.equal(acts.status, 200, acts.text);
  assert.equal(d.extras[0].overdue, acts.json.counts.overdue, 'the enterprise\'s own overdue actions');
  assert.ok(acts.json.items.every((a) => a.enterprise.id === acts.json.items[0].enterprise.id));
});

test('the city gets counts per state over all units, the same as the matrix', async () => {
  const d = await deadlines(cl.city);
  assert.equal(d.unit, null);
  const m = await matrix(cl.city);
  for (const it of d.items) {
    assert.equal(it.state, undefined, 'the city gets counts, not a state');
    assert.deepEqual(Object.keys(it.counts).sort(), [...STATES].sort());
    const sum = Object.values(it.counts).reduce((a, b) => a + b, 0);
    assert.equal(sum, UNITS.length, `${it.key}: counts cover every district and body`);
    assert.deepEqual(it.counts, m.counts[it.key], `${it.key}: /deadlines counts = matrix counts`);
  }
  assert.equal(item(d, 'midterm').counts.done, 1, 'only cb1 has submitted its mid-term report');
});

// ---------------------------------------------------------------- the matrix

test('matrix (city): every district and body with a cell per deadline; counts follow the cells', async () => {
  const m = await matrix(cl.city);
  assert.equal(m.today, TODAY);
  assert.deepEqual(m.deadlines.map((x) => x.key), KEYS);
  for (const x of m.deadlines) assert.equal(x.due, DUE[x.key]);
  assert.deepEqual(m.units.map((u) => u.id).sort((a, b) => a - b), UNITS.map((u) => u.id).sort((a, b) => a - b),
    'every active district bureau and certification body, nothing else');
  const counted = Object.fromEntries(KEYS.map((k) => [k, Object.fromEntries(STATES.map((s) => [s, 0]))]));
  for (const u of m.units) {
    const known = UNITS.find((x) => x.id === u.id);
    assert.equal(u.kind, known.kind, `${u.name} kind`);
    assert.equal(u.name, known.name);
    assert.deepEqual(Object.keys(u.cells).sort(), [...KEYS].sort(), `${u.name}: a cell per deadline`);
    for (const k of KEYS) {
      const c = u.cells[k];
      assert.ok(STATES.includes(c.state), `${u.name} ${k}: ${c.state}`);
      assert.equal(c.state_name, LABELS[c.state]);
      assert.equal(c.done_at !== null, c.state === 'done' || c.state === 'done_late', `${u.name} ${k}: done_at iff done`);
      counted[k][c.state]++;
    }
    // audiences
    if (u.kind === 'cb') {
      assert.equal(u.cells.workplan.state, 'not_applicable', `${u.name}: work plans are for districts`);
      assert.equal(u.cells.annual.state, 'not_applicable', `${u.name}: annual reports are for districts`);
    } else {
      assert.notEqual(u.cells.annual.state, 'not_applicable', `${u.name}: every district reports annually`);
    }
    assert.notEqual(u.cells.declaration.state, 'not_applicable', `${u.name}: every unit declares`);
    assert.equal(u.cells.midterm.state === 'not_applicable', !u.pilot, `${u.name}: mid-term iff pilot`);
  }
  assert.deepEqual(m.counts, counted, 'counts are the cells counted');
  const row = (id) => m.units.find((u) => u.id === id);
  assert.equal(row(unit.pudong).cells.midterm.state, 'due_soon');
  assert.equal(row(unit.pudong).cells.workplan.state, 'done');
  assert.equal(row(unit.cb1).cells.midterm.state, 'done');
  assert.equal(row(unit.huangpu).cells.declaration.state, 'overdue');
  assert.equal(row(unit.huangpu).cells.midterm.state, 'not_applicable');
});

test('matrix cells agree with each unit\'s own GET /deadlines', async () => {
  const m = await matrix(cl.city);
  for (const [u, id] of [['pudong', unit.pudong], ['cb1', unit.cb1], ['huangpu', unit.huangpu], ['cb2', unit.cb2]]) {
    const d = await deadlines(cl[u]);
    const row = m.units.find((x) => x.id === id);
    for (const it of d.items) {
      assert.equal(row.cells[it.key].state, it.state, `${u} ${it.key}`);
      assert.equal(row.cells[it.key].done_at, it.done_at, `${u} ${it.key} done_at`);
    }
    assert.equal(row.pilot, d.unit.pilot, `${u} pilot`);
  }
});

test('matrix filters: kind=district|cb, state=…; bad values → 422', async () => {
  const all = await matrix(cl.city);
  const dist = await matrix(cl.city, '?kind=district');
  assert.ok(dist.units.length > 0 && dist.units.every((u) => u.kind === 'district'));
  assert.deepEqual(dist.units.map((u) => u.id), all.units.filter((u) => u.kind === 'district').map((u) => u.id));
  const cbs = await matrix(cl.city, '?kind=cb');
  assert.ok(cbs.units.length > 0 && cbs.units.every((u) => u.kind === 'cb'));
  assert.deepEqual(cbs.units.map((u) => u.id), all.units.filter((u) => u.kind === 'cb').map((u) => u.id));
  for (const k of KEYS) {
    for (const s of STATES) {
      assert.equal(dist.counts[k][s] + cbs.counts[k][s], all.counts[k][s], `${k} ${s}: district + cb counts = all`);
    }
  }
  for (const s of ['overdue', 'done', 'due_soon', 'done_late']) {
    const f = await matrix(cl.city, `?state=${s}`);
    const want = all.units.filter((u) => KEYS.some((k) => u.cells[k].state === s)).map((u) => u.id);
    assert.deepEqual(f.units.map((u) => u.id), want, `state=${s}: the units having a cell in that state`);
    assert.ok(want.length > 0, `the demo has a unit with a ${s} cell`);
  }
  const both = await matrix(cl.city, '?kind=cb&state=done');
  assert.ok(both.units.every((u) => u.kind === 'cb' && KEYS.some((k) => u.cells[k].state === 'done')));
  assert.ok(both.units.some((u) => u.id === unit.cb1));
  assertError(await cl.city.get(`${API}/deadlines/matrix?kind=enterprise`), 422, 'invalid', 'kind');
  assertError(await cl.city.get(`${API}/deadlines/matrix?state=late`), 422, 'invalid', 'state');
});

test('matrix scope: a district officer gets only its own row; bodies and enterprises 403', async () => {
  const m = await matrix(cl.pudong);
  assert.deepEqual(m.units.map((u) => u.id), [unit.pudong]);
  assert.equal(m.units[0].cells.midterm.state, 'due_soon');
  for (const k of KEYS) {
    const total = Object.values(m.counts[k]).reduce((a, b) => a + b, 0);
    assert.equal(total, 1, `${k}: counts of its own row only`);
    assert.equal(m.counts[k][m.units[0].cells[k].state], 1);
  }
  const h = await matrix(cl.huangpu);
  assert.deepEqual(h.units.map((u) => u.id), [unit.huangpu]);
  assert.deepEqual((await matrix(cl.pudong, '?kind=cb')).units, [], 'a district asking for bodies gets nothing');
  assertError(await cl.cb1.get(`${API}/deadlines/matrix`), 403, 'forbidden');
  assertError(await cl.cb2.get(`${API}/deadlines/matrix`), 403, 'forbidden');
  assertError(await cl.ent1.get(`${API}/deadlines/matrix`), 403, 'forbidden');
  assertError(await new Client(srv.base).get(`${API}/deadlines`), 401, 'not_authenticated');
  assertError(await new Client(srv.base).get(`${API}/deadlines/matrix`), 401, 'not_authenticated');
});

// ---------------------------------------------------------------- other dates

test('pudong\'s mid-term over time: upcoming (14 days) → due_soon (13 … 0 days) → overdue', async () => {
  const at = async (date) => {
    const c = await login(other[date], 'pudong');
    const d = await deadlines(c);
    assert.equal(d.today, date);
    return item(d, 'midterm');
  };
  const d04 = await at('2021-05-04');
  checkItem(d04, '2021-05-04', 'upcoming');
  assert.equal(d04.days_left, 14);
  const d05 = await at('2021-05-05');
  checkItem(d05, '2021-05-05', 'due_soon');
  assert.equal(d05.days_left, 13);
  const d18 = await at('2021-05-18');
  checkItem(d18, '2021-05-18', 'due_soon');
  assert.equal(d18.days_left, 0, 'due today is still due_soon, not overdue');
  const d20 = await at('2021-05-20');
  checkItem(d20, '2021-05-20', 'overdue');
  assert.equal(d20.days_left, -2);
  assert.equal(d20.state_name, '已逾期');
});

test('the city\'s counts move with the date too (2021-05-20: the pilot districts without a report are overdue)', async () => {
  const c = await login(other['2021-05-20'], 'city');
  const m = await matrix(c);
  const pd = m.units.find((u) => u.id === unit.pudong);
  assert.equal(pd.cells.midterm.state, 'overdue');
  const pilots = m.units.filter((u) => u.pilot);
  assert.ok(pilots.length >= 2);
  assert.equal(m.counts.midterm.due_soon, 0, 'nothing is due soon after the due date');
  assert.equal(m.counts.midterm.not_applicable, m.units.length - pilots.length);
});

async function submitMidterm(s, today) {
  const c = await login(s, 'pudong');
  const list = await c.get(`${API}/reports?kind=midterm`);
  assert.equal(list.status, 200, list.text);
  const id = list.json.items[0]?.id;
  assert.ok(id, 'pudong has its demo mid-term draft');
  const r = await c.post(`${API}/reports/${id}/submit`);
  assert.equal(r.status, 200, `submit on ${today}: ${r.text}`);
  return { c, report: r.json };
}

test('submitted on the due date (2021-05-18): done, done_at that day', async () => {
  const { c, report } = await submitMidterm(other['2021-05-18'], '2021-05-18');
  assert.equal(report.late, false);
  const mid = item(await deadlines(c), 'midterm');
  checkItem(mid, '2021-05-18', 'done', '2021-05-18');
});

test('submitted after the due date (2021-05-20): done_late, done_at that day; matrix agrees', async () => {
  const { c, report } = await submitMidterm(other['2021-05-20'], '2021-05-20');
  assert.equal(report.late, true, 'a report submitted after its due date is late');
  const mid = item(await deadlines(c), 'midterm');
  checkItem(mid, '2021-05-20', 'done_late', '2021-05-20');
  assert.equal(mid.state_name, '逾期完成');
  const city = await login(other['2021-05-20'], 'city');
  const m = await matrix(city, '?state=done_late');
  const row = m.units.find((u) => u.id === unit.pudong);
  assert.ok(row, 'pudong is listed under state=done_late');
  assert.equal(row.cells.midterm.state, 'done_late');
  assert.equal(row.cells.midterm.done_at, '2021-05-20');
});

test('submitted before the due date (demo date): done; the city\'s count of done goes up', async () => {
  const before = item(await deadlines(cl.city), 'midterm').counts;
  const { report } = await submitMidterm(srv, TODAY);
  assert.equal(report.late, false);
  const mid = item(await deadlines(cl.pudong), 'midterm');
  checkItem(mid, TODAY, 'done', TODAY);
  const after = item(await deadlines(cl.city), 'midterm').counts;
  assert.equal(after.done, before.done + 1);
  assert.equal(after.due_soon, before.due_soon - 1);
  // a return by the city reopens the obligation until the unit submits again;
  // the resubmission keeps the date of the first submission
  const ret = await cl.city.post(`${API}/reports/${report.id}/return`, { reason: '请补充培训情况' });
  assert.equal(ret.status, 200, ret.text);
  const open = item(await deadlines(cl.pudong), 'midterm');
  assert.equal(open.state, 'due_soon');
  assert.equal(open.done_at, null);
  const again = await cl.pudong.post(`${API}/reports/${report.id}/submit`);
  assert.equal(again.status, 200, again.text);
  checkItem(item(await deadlines(cl.pudong), 'midterm'), TODAY, 'done', TODAY);
});

test('a declaration with 参与试点 是 makes huangpu a pilot district only once submitted', async () => {
  const form = {
    unit_name: '黄浦区市场监管局', joins_pilot: true, industries: ['时尚消费品'], leader: '李明',
    contact_phone: '021-63210000', contact_email: 'pilot@huangpu.example.cn', remarks: '',
  };
  const created = await cl.huangpu.post(`${API}/declarations`, { form });
  assert.equal(created.status, 201, created.text);
  let d = await deadlines(cl.huangpu);
  assert.equal(d.unit.pilot, false, 'a draft declaration does not make a pilot');
  checkItem(item(d, 'midterm'), TODAY, 'not_applicable');
  checkItem(item(d, 'declaration'), TODAY, 'overdue');
  const sub = await cl.huangpu.post(`${API}/declarations/${created.json.id}/submit`);
  assert.equal(sub.status, 200, sub.text);
  d = await deadlines(cl.huangpu);
  assert.equal(d.unit.pilot, true);
  checkItem(item(d, 'declaration'), TODAY, 'done_late', TODAY);
  checkItem(item(d, 'workplan'), TODAY, 'overdue');
  checkItem(item(d, 'midterm'), TODAY, 'due_soon');
  const m = await matrix(cl.city);
  const row = m.units.find((u) => u.id === unit.huangpu);
  assert.equal(row.pilot, true);
  assert.equal(row.cells.midterm.state, 'due_soon');
});

// ---------------------------------------------------------------- reminder settings

test('reminder settings: a unit reads its own (the demo address of pudong)', async () => {
  const s = await settings(cl.pudong);
  assert.equal(s.unit_id, unit.pudong);
  assert.deepEqual(s.emails, ['pilot@pudong.example.cn']);
  assert.equal(s.enabled, true);
  const c = await settings(cl.cb1);
  assert.equal(c.unit_id, unit.cb1);
  assert.deepEqual(c.emails, ['pilot@hulian-cert.example.cn']);
  const h = await settings(cl.huangpu);
  assert.equal(h.unit_id, unit.huangpu);
  assert.deepEqual(h.emails, []);
});

test('reminder settings: PUT own unit, up to 5 addresses, enabled flag', async () => {
  const five = ['a1@pudong.example.cn', 'a2@pudong.example.cn', 'zhang.wei@pudong.gov.cn', 'x_y+z@mail.example.cn', 'b5@pudong.example.cn'];
  const r = await put(cl.pudong, `${API}/reminders/settings`, { emails: five, enabled: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unit_id, unit.pudong);
  assert.deepEqual(r.json.emails, five);
  assert.equal(r.json.enabled, false);
  const s = await settings(cl.pudong);
  assert.deepEqual(s.emails, five);
  assert.equal(s.enabled, false);
  const back = await put(cl.pudong, `${API}/reminders/settings`, { emails: ['pilot@pudong.example.cn'], enabled: true });
  assert.equal(back.status, 200, back.text);
  assert.deepEqual((await settings(cl.pudong)).emails, ['pilot@pudong.example.cn']);
  assert.equal((await settings(cl.pudong)).enabled, true);
});

test('reminder settings: a bad address → 422 field emails naming it; a repeated one, 6 addresses → 422; nothing saved', async () => {
  const before = await settings(cl.pudong);
  for (const bad of ['not-an-address', 'two@@example.cn', 'a@b', '张伟@pudong.example.cn', 'a b@example.cn', 'x@example.c0m']) {
    const r = await put(cl.pudong, `${API}/reminders/settings`, { emails: ['ok@pudong.example.cn', bad] });
    assertError(r, 422, 'invalid', 'emails', `address ${bad}`);
    assert.ok(r.json.error.message.includes(bad), `the message names ${bad}: ${r.json.error.message}`);
  }
  const dup = await put(cl.pudong, `${API}/reminders/settings`, { emails: ['ok@pudong.example.cn', 'OK@Pudong.example.cn'] });
  assertError(dup, 422, 'invalid', 'emails', 'the same address twice (case aside)');
  assert.match(dup.json.error.message, /邮箱地址重复：OK@Pudong\.example\.cn/);
  const six = [1, 2, 3, 4, 5, 6].map((i) => `u${i}@pudong.example.cn`);
  assertError(await put(cl.pudong, `${API}/reminders/settings`, { emails: six }), 422, 'invalid', 'emails', 'six addresses');
  assertError(await put(cl.pudong, `${API}/reminders/settings`, { emails: 'a@pudong.example.cn' }), 400, 'bad_type', 'emails');
  assertError(await put(cl.pudong, `${API}/reminders/settings`, { emails: [], enabled: 'yes' }), 400, 'bad_type', 'enabled');
  assertError(await put(cl.pudong, `${API}/reminders/settings`, { emails: [], cc: [] }), 400, 'unknown_field');
  assert.deepEqual(await settings(cl.pudong), before, 'refused PUTs changed nothing');
});

test('reminder settings: the city reads and writes any unit with ?unit_id=', async () => {
  assertError(await cl.city.get(`${API}/reminders/settings`), 422, 'invalid', 'unit_id');
  const p = await settings(cl.city, `?unit_id=${unit.pudong}`);
  assert.equal(p.unit_id, unit.pudong);
  assert.deepEqual(p.emails, ['pilot@pudong.example.cn']);
  const r = await put(cl.city, `${API}/reminders/settings?unit_id=${unit.huangpu}`, { emails: ['office@huangpu.example.cn'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unit_id, unit.huangpu);
  const h = await settings(cl.huangpu);
  assert.deepEqual(h.emails, ['office@huangpu.example.cn'], 'huangpu sees what the city set');
  assert.equal(h.enabled, true, 'enabled defaults to true');
});

test('reminder settings: a unit only ever edits its own (cb2 with ?unit_id=pudong changes cb2\'s)', async () => {
  const before = await settings(cl.pudong);
  const r = await put(cl.cb2, `${API}/reminders/settings?unit_id=${unit.pudong}`, { emails: ['intruder@cb2.example.cn'] });
  if (r.status === 200) assert.equal(r.json.unit_id, unit.cb2, 'the write went to cb2\'s own unit');
  else assert.ok([403, 404].includes(r.status), `cb2 writing pudong's settings: ${r.status} ${r.text}`);
  assert.deepEqual(await settings(cl.pudong), before, 'pudong\'s settings are unchanged');
  const g = await settings(cl.cb2, `?unit_id=${unit.pudong}`);
  assert.equal(g.unit_id, unit.cb2, 'cb2 reads its own settings whatever unit_id says');
  assert.ok(!g.emails.includes('pilot@pudong.example.cn'));
  assertError(await cl.ent1.get(`${API}/reminders/settings`), 403, 'forbidden');
  assertError(await put(cl.ent1, `${API}/reminders/settings`, { emails: [] }), 403, 'forbidden');
});

test('reminder settings: the city naming a unit that does not exist → 404/422, not a server error', async () => {
  const r = await put(cl.city, `${API}/reminders/settings?unit_id=999999`, { emails: ['a@example.cn'] });
  assert.ok([404, 422].includes(r.status), `PUT ?unit_id=999999: expected 404 or 422, got ${r.status}: ${r.text}`);
});
