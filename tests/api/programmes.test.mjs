// The programme: calendar, deadlines (relative to the simulated date), quotas, industries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

let srv;
let c;
before(async () => {
  srv = await startServer();
  c = new Client(srv.base);
  const r = await c.login('pudong');
  assert.equal(r.status, 200, r.text);
});
after(async () => { await srv?.stop(); });

const PHASES = [
  ['mobilisation', '动员部署', '2021-01-01', '2021-03-31'],
  ['assistance', '帮扶提升', '2021-04-01', '2021-08-31'],
  [null, '认证实施', '2021-09-01', '2021-10-31'],
  [null, '总结验收', '2021-11-01', '2021-11-30'],
  [null, '复制推广', '2021-12-01', '2022-10-31'],
];
const DEADLINES = ['2021-02-20', '2021-03-05', '2021-05-18', '2021-11-18'];
const INDUSTRIES = ['集成电路', '生物医药', '人工智能', '生命健康', '汽车', '高端装备',
  '时尚消费品', '人力资源', '养老', '在线新经济'];

async function programmeOf(client) {
  const r = await client.get('/api/v1/programmes');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 1);
  assert.equal(r.json.items.length, 1);
  return r.json.items[0];
}

test('GET /api/v1/programmes lists the Shanghai 2021 programme', async () => {
  const r = await c.get('/api/v1/programmes');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 1);
  assert.equal(r.json.page, 1);
  assert.equal(r.json.per_page, 50);
  const p = r.json.items[0];
  assert.equal(p.code, 'sh-2021');
  assert.equal(p.region, '上海市');
  assert.equal(p.year, 2021);
  assert.equal(p.notice, '沪市监认证〔2021〕65号');
  assert.equal(typeof p.allow_late, 'boolean');
  assert.equal(p.today, '2021-05-10');
});

test('five phases with dates and states relative to 2021-05-10', async () => {
  const p = await programmeOf(c);
  assert.equal(p.phases.length, 5);
  PHASES.forEach(([key, name, start, end], i) => {
    const ph = p.phases[i];
    if (key) assert.equal(ph.key, key);
    assert.equal(typeof ph.key, 'string');
    assert.equal(ph.name, name);
    assert.equal(ph.start, start);
    assert.equal(ph.end, end);
  });
  assert.deepEqual(p.phases.map((ph) => ph.state), ['past', 'current', 'upcoming', 'upcoming', 'upcoming']);
  assert.equal(p.current_phase.key, 'assistance');
  assert.equal(p.current_phase.name, '帮扶提升');
});

test('four deadlines with days_left and state relative to 2021-05-10', async () => {
  const p = await programmeOf(c);
  assert.equal(p.deadlines.length, 4);
  assert.deepEqual(p.deadlines.map((d) => d.due), DEADLINES);
  assert.deepEqual(p.deadlines.map((d) => d.days_left), [-79, -66, 8, 192]);
  assert.deepEqual(p.deadlines.map((d) => d.state), ['overdue', 'overdue', 'due_soon', 'upcoming']);
  for (const d of p.deadlines) {
    assert.equal(typeof d.key, 'string');
    assert.ok(d.name, 'deadline name');
    assert.ok(d.audience, 'deadline audience');
    assert.ok(d.audience_name, 'deadline audience_name');
  }
  assert.equal(p.deadlines[0].key, 'declaration');
  assert.equal(p.deadlines[0].name, '申报表报送');
  assert.equal(p.deadlines[0].audience, 'all_units');
});

test('quotas from the notice', async () => {
  const p = await programmeOf(c);
  assert.deepEqual(p.quotas, {
    max_cbs_per_industry: 2,
    min_industries_per_district: 1,
    max_industries_per_district: 2,
    min_enterprises_per_industry: 5,
    min_benchmarks_per_industry: 1,
    max_benchmarks_per_industry: 2,
    // the full-points targets of the evaluation (总结验收)
    evaluation_targets: {
      training_sessions: 4,
      training_person_times: 50,
      pilot_enterprises: 1,
      diagnosis_rate: 1,
      action_closure_rate: 0.9,
      certified_rate: 0.8,
      clear_improvement_rate: 0.9,
      satisfaction_rate: 0.9,
    },
  });
});

test('the ten industries named by the notice', async () => {
  const p = await programmeOf(c);
  assert.deepEqual(p.industries.map((i) => i.name), INDUSTRIES);
  for (const i of p.industries) {
    assert.equal(typeof i.id, 'number');
    assert.equal(typeof i.category, 'string');
  }
  assert.equal(new Set(p.industries.map((i) => i.id)).size, 10);
});

test('GET /api/v1/programmes/{id} answers the same programme; unknown ids 404', async () => {
  const list = await programmeOf(c);
  const r = await c.get(`/api/v1/programmes/${list.id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, list);
  for (const bad of ['999', '0', '-1', 'abc', '1x']) {
    const nf = await c.get(`/api/v1/programmes/${bad}`);
    assert.equal(nf.status, 404, `/programmes/${bad} → ${nf.status}`);
    assert.equal(nf.json?.error?.code, 'not_found', nf.text);
  }
});

test('every role can read programmes', async () => {
  for (const u of ['city', 'cb1', 'ent1']) {
    const other = new Client(srv.base);
    assert.equal((await other.login(u)).status, 200);
    const p = await programmeOf(other);
    assert.equal(p.code, 'sh-2021');
  }
});

test('on 2021-05-18 the mid-term deadline is due today', async () => {
  const s = await startServer({ today: '2021-05-18' });
  try {
    const cl = new Client(s.base);
    assert.equal((await cl.login('city')).status, 200);
    const p = await programmeOf(cl);
    assert.equal(p.today, '2021-05-18');
    assert.deepEqual(p.deadlines.map((d) => d.days_left), [-87, -74, 0, 184]);
    assert.deepEqual(p.deadlines.map((d) => d.state), ['overdue', 'overdue', 'due_today', 'upcoming']);
  } finally {
    await s.stop();
  }
});

test('on 2021-05-04 the mid-term deadline is 14 days away (due_soon); on 2020-12-31 no phase is current', async () => {
  const s = await startServer({ today: '2021-05-04' });
  try {
    const cl = new Client(s.base);
    assert.equal((await cl.login('city')).status, 200);
    const p = await programmeOf(cl);
    assert.equal(p.deadlines[2].days_left, 14);
    assert.equal(p.deadlines[2].state, 'due_soon');
  } finally {
    await s.stop();
  }
  const e = await startServer({ today: '2020-12-31' });
  try {
    const cl = new Client(e.base);
    assert.equal((await cl.login('city')).status, 200);
    const p = await programmeOf(cl);
    assert.equal(p.current_phase, null);
    assert.deepEqual(p.phases.map((ph) => ph.state), ['upcoming', 'upcoming', 'upcoming', 'upcoming', 'upcoming']);
    assert.equal(p.deadlines[0].days_left, 51);
    assert.equal(p.deadlines[0].state, 'upcoming');
  } finally {
    await e.stop();
  }
});
