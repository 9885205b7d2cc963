// Statistics 统计 (docs/api.md): every figure of GET /api/v1/stats/overview, /stages,
// /scores and /deadlines is recounted here from the records other endpoints list —
// the caller's own /enterprises (its scope), the city's /diagnoses, /certificates,
// /actions, /workplans, /enterprises/{id}/improvement, /trainings/stats and
// /deadlines/matrix — for the city (whole and one district), a district officer and a
// certification body. Then a diagnosis is submitted through the API and the figures
// follow (the clause scores are kept by the database at submission). District scope is
// forced, enterprises are refused (403), bad parameters are 422. Runs on SQLite and,
// under tests/pg/with-cluster.sh, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

const API = '/api/v1';
const TODAY = '2021-05-10';
const PUDONG = '浦东新区';
const HUANGPU = '黄浦区';
const STAGES = ['enrolled', 'diagnosed', 'improving', 'certified', 'prior_certified'];
let srv;
const cl = {};

async function login(username) {
  const c = new Client(srv.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

// Every item of a collection, page by page.
async function all(c, path) {
  const items = [];
  for (let page = 1; ; page++) {
    const r = await c.get(`${API}${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=200`);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    items.push(...r.json.items);
    if (items.length >= r.json.total || !r.json.items.length) return items;
  }
}

async function stats(c, path, params = {}) {
  const qs = new URLSearchParams(params).toString();
  const r = await c.get(`${API}/stats/${path}${qs ? `?${qs}` : ''}`);
  assert.equal(r.status, 200, `stats/${path}: ${r.text}`);
  return r.json;
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const close = (actual, expected, what) => {
  if (expected === null) assert.equal(actual, null, what);
  else assert.ok(actual !== null && Math.abs(actual - expected) < 0.006, `${what}: ${actual} ≠ ${expected}`);
};

// The figures of a scope recounted from the records: `ents` are the enterprises the
// caller lists itself (its scope); the facts about them come from the city's lists.
async function recount(ents) {
  const ids = new Set(ents.map((e) => e.id));
  const diagnoses = (await all(cl.city, '/diagnoses?kind=onsite&status=submitted')).filter((d) => ids.has(d.enterprise.id));
  const diagnosed = new Set(diagnoses.map((d) => d.enterprise.id));
  const live = (c) => c.status === 'valid' || c.status === 'suspended';
  const certs = (await all(cl.city, '/certificates')).filter((c) => ids.has(c.enterprise_id) && live(c));
  const certified = new Set(certs.filter((c) => !c.prior).map((c) => c.enterprise_id));
  const prior = new Set(certs.filter((c) => c.prior).map((c) => c.enterprise_id));
  const actions = (await all(cl.city, '/actions')).filter((a) => ids.has(a.enterprise.id));
  const withActions = new Set(actions.map((a) => a.enterprise.id));
  const flags = (e) => ({
    enrolled: 1,
    diagnosed: diagnosed.has(e.id) ? 1 : 0,
    improving: withActions.has(e.id) && !certified.has(e.id) ? 1 : 0,
    certified: certified.has(e.id) ? 1 : 0,
    prior_certified: prior.has(e.id) ? 1 : 0,
  });
  // Work-plan targets: the enterprises listed in submitted or approved plans.
  const plans = (await all(cl.city, '/workplans')).filter((w) => w.status === 'approved' || w.status === 'submitted');
  const targets = [];
  for (const w of plans) {
    for (const ind of w.content.industries) {
      for (const id of ind.enterprise_ids) if (ids.has(id)) targets.push({ district: w.unit.district, industry: ind.industry });
    }
  }
  const group = (key) => {
    const rows = new Map();
    const row = (k) => {
      if (!rows.has(k)) rows.set(k, { key: k, target: 0, enrolled: 0, diagnosed: 0, improving: 0, certified: 0, prior_certified: 0 });
      return rows.get(k);
    };
    for (const e of ents) {
      const f = flags(e);
      const r = row(key(e));
      for (const s of STAGES) r[s] += f[s];
    }
    for (const t of targets) row(key(t)).target++;
    return rows;
  };
  // Scores: first and latest submitted on-site diagnosis per enterprise (the improvement endpoint).
  const firsts = [], latests = [], changes = [];
  const clauses = new Map();
  for (const id of diagnosed) {
    const r = await cl.city.get(`${API}/enterprises/${id}/improvement`);
    assert.equal(r.status, 200, r.text);
    const { first, latest, sections } = r.json;
    if (first.overall !== null) firsts.push(first.overall);
    const last = latest ? latest.overall : first.overall;
    if (last !== null) latests.push(last);
    if (latest && first.overall !== null && latest.overall !== null) changes.push(latest.overall - first.overall);
    for (const s of sections) {
      if (!clauses.has(s.clause)) clauses.set(s.clause, { before: [], after: [] });
      if (s.before !== null) clauses.get(s.clause).before.push(s.before);
      const after = latest ? s.after : s.before;
      if (after !== null) clauses.get(s.clause).after.push(after);
    }
  }
  const counts = { open: 0, in_progress: 0, verified: 0, closed: 0, overdue: 0, total: actions.length };
  for (const a of actions) {
    counts[a.status]++;
    if ((a.status === 'open' || a.status === 'in_progress') && a.due_date < TODAY) counts.overdue++;
  }
  return {
    total: group(() => 'all').get('all'),
    byDistrict: group((e) => e.district),
    byIndustry: group((e) => e.industry),
    actions: counts,
    scores: { diagnosed: diagnosed.size, avg_first: mean(firsts), avg_latest: mean(latests), avg_change: mean(changes), reassessed: changes.length },
    clauses,
  };
}

// Compare a scope's statistics with the recount.
async function assertScope(c, ents, params = {}, { training } = {}) {
  const want = await recount(ents);
  const ov = await stats(c, 'overview', params);
  const total = { ...want.total };
  delete total.key;
  assert.deepEqual(ov.funnel, total, 'overview.funnel');
  assert.deepEqual(ov.actions, want.actions, 'overview.actions');
  assert.equal(ov.scores.diagnosed, want.scores.diagnosed);
  assert.equal(ov.scores.reassessed, want.scores.reassessed);
  for (const k of ['avg_first', 'avg_latest', 'avg_change']) close(ov.scores[k], want.scores[k], `overview.scores.${k}`);
  if (training) assert.deepEqual(ov.training, training, 'overview.training');

  for (const [by, rows] of [['district', want.byDistrict], ['industry', want.byIndustry]]) {
    const st = await stats(c, 'stages', { by, ...params });
    assert.equal(st.by, by);
    const got = Object.fromEntries(st.items.map((r) => [r.key, r]));
    assert.deepEqual(Object.keys(got).sort(), [...rows.keys()].sort(), `stages by ${by}: keys`);
    for (const [k, r] of rows) assert.deepEqual(got[k], r, `stages by ${by}: ${k}`);
    for (const s of STAGES) assert.equal(st.items.reduce((a, r) => a + r[s], 0), ov.funnel[s], `stages by ${by}: ${s} adds up`);
  }

  const sc = await stats(c, 'scores', { by: 'district', ...params });
  assert.equal(sc.items.reduce((a, r) => a + r.diagnosed, 0), want.scores.diagnosed);
  assert.deepEqual(sc.clauses.map((x) => x.clause), [...want.clauses.keys()].sort((a, b) => a - b), 'clauses in order');
  for (const x of sc.clauses) {
    const w = want.clauses.get(x.clause);
    close(x.avg_first, mean(w.before), `clause ${x.clause} first`);
    close(x.avg_latest, mean(w.after), `clause ${x.clause} latest`);
    assert.equal(x.diagnoses_first, w.before.length);
    assert.ok(x.title && !x.title.startsWith('第'), `clause ${x.clause} has its title`);
  }
  return { ov, want };
}

before(async () => {
  srv = await startServer();
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'ent1']) cl[u] = await login(u);
});
after(async () => { await srv?.stop(); });

test('city: the whole programme, recounted from the records', async () => {
  const ents = await all(cl.city, '/enterprises');
  const ts = (await cl.city.get(`${API}/trainings/stats`)).json.totals;
  const { ov } = await assertScope(cl.city, ents, {}, { training: { trained_enterprises: ts.enterprises, person_times: ts.person_times } });
  assert.equal(ov.today, TODAY);
  assert.deepEqual(ov.scope, { level: 'city', district: null, unit: null });
  // The demo has something in every stage, so the comparisons above mean something.
  for (const s of STAGES) assert.ok(ov.funnel[s] > 0, `demo has ${s}`);
  assert.ok(ov.funnel.target > 0 && ov.scores.reassessed > 0 && ov.actions.overdue > 0);
  // The enterprises total is the registry's total; the certificates those the list shows.
  assert.equal(ov.funnel.enrolled, (await cl.city.get(`${API}/enterprises`)).json.total);
  const counts = (await cl.city.get(`${API}/actions`)).json.counts;
  for (const k of ['open', 'in_progress', 'verified', 'closed', 'overdue', 'total']) assert.equal(ov.actions[k], counts[k], `actions.${k}`);
});

test('city with ?district= and a district officer: the same district figures; the scope is forced', async () => {
  const ents = await all(cl.city, `/enterprises?district=${encodeURIComponent(PUDONG)}`);
  const { ov: city } = await assertScope(cl.city, ents, { district: PUDONG });
  assert.deepEqual(city.scope, { level: 'city', district: PUDONG, unit: null });

  const mine = await all(cl.pudong, '/enterprises');
  assert.deepEqual(mine.map((e) => e.id).sort(), ents.map((e) => e.id).sort());
  const ts = (await cl.pudong.get(`${API}/trainings/stats`)).json.totals;
  const { ov } = await assertScope(cl.pudong, mine, {}, { training: { trained_enterprises: ts.enterprises, person_times: ts.person_times } });
  assert.deepEqual(ov.scope, { level: 'district', district: PUDONG, unit: null });
  assert.deepEqual(ov.funnel, city.funnel);
  // Another district named in the query changes nothing: still its own.
  const other = await stats(cl.pudong, 'overview', { district: HUANGPU });
  assert.deepEqual(other, ov);
  const st = await stats(cl.pudong, 'stages', { by: 'district', district: HUANGPU });
  assert.deepEqual(st.items.map((r) => r.key), [PUDONG]);

  // 黄浦区 has enterprises but no plan and no diagnosis: zeros, not errors.
  const hp = await stats(cl.huangpu, 'overview');
  assert.equal(hp.funnel.enrolled, (await cl.huangpu.get(`${API}/enterprises`)).json.total);
  assert.equal(hp.funnel.target, 0);
  assert.equal(hp.scores.diagnosed, 0);
  assert.equal(hp.scores.avg_first, null);
  const hs = await stats(cl.huangpu, 'scores');
  assert.deepEqual(hs.items, []);
  assert.deepEqual(hs.clauses, []);
});

test('certification body: the enterprises assigned to it', async () => {
  const ents = await all(cl.cb1, '/enterprises');
  assert.ok(ents.length > 0);
  const { ov } = await assertScope(cl.cb1, ents);
  assert.equal(ov.scope.level, 'cb');
  assert.equal(ov.scope.unit, '沪联质量认证中心（演示）');
  assert.equal(ov.funnel.enrolled, ents.length);
});

test('deadlines: the deadline matrix counted per state', async () => {
  const matrix = (await cl.city.get(`${API}/deadlines/matrix`)).json;
  const dl = await stats(cl.city, 'deadlines');
  assert.equal(dl.units, matrix.units.length);
  assert.deepEqual(dl.items.map((x) => x.key), matrix.deadlines.map((x) => x.key));
  for (const x of dl.items) {
    assert.equal(x.due, matrix.deadlines.find((d) => d.key === x.key).due);
    const want = { not_applicable: 0, upcoming: 0, due_soon: 0, overdue: 0, done: 0, done_late: 0 };
    for (const u of matrix.units) want[u.cells[x.key].state]++;
    assert.deepEqual(x.counts, want, `deadline ${x.key}`);
    assert.equal(Object.values(x.counts).reduce((a, b) => a + b, 0), dl.units);
  }
  assert.equal(dl.states.overdue, '已逾期');

  // A district: its own row, with the state of each deadline.
  const own = (await cl.pudong.get(`${API}/deadlines/matrix`)).json.units[0];
  const mine = await stats(cl.pudong, 'deadlines');
  assert.equal(mine.units, 1);
  for (const x of mine.items) assert.equal(x.state, own.cells[x.key].state, `pudong ${x.key}`);
  // The city narrowed to a district sees that bureau's row.
  const narrowed = await stats(cl.city, 'deadlines', { district: PUDONG });
  assert.deepEqual(narrowed.items, mine.items);
  const bodies = await stats(cl.city, 'deadlines', { kind: 'cb' });
  assert.equal(bodies.units, matrix.units.filter((u) => u.kind === 'cb').length);
});

test('a submitted diagnosis moves the figures (clause scores kept at submission)', async () => {
  const before = await stats(cl.city, 'overview');
  const drafts = await all(cl.cb1, '/diagnoses?kind=onsite&status=draft');
  assert.ok(drafts.length, 'the demo has a draft diagnosis');
  const d = (await cl.cb1.get(`${API}/diagnoses/${drafts[0].id}`)).json;
  const checklist = (await cl.cb1.get(`${API}/checklists/${d.checklist_id}`)).json;
  const answered = new Set(d.answers.map((a) => a.item_id));
  let k = 0;
  for (const s of checklist.sections) {
    for (const item of s.items) {
      if (answered.has(item.id)) continue;
      const r = await cl.cb1.req('PUT', `${API}/diagnoses/${d.id}/answers/${item.id}`, { score: 1 + (k++ % 5), na: false, version: 0 });
      assert.equal(r.status, 200, r.text);
    }
  }
  const sub = await cl.cb1.post(`${API}/diagnoses/${d.id}/submit`);
  assert.equal(sub.status, 200, sub.text);
  const wasDiagnosed = (await all(cl.city, '/diagnoses?kind=onsite&status=submitted'))
    .filter((x) => x.enterprise.id === d.enterprise.id).length > 1;
  const after = await stats(cl.city, 'overview');
  assert.equal(after.funnel.diagnosed, before.funnel.diagnosed + (wasDiagnosed ? 0 : 1));
  // Every figure, the radar included, still equals the recount (which reads the new diagnosis).
  await assertScope(cl.city, await all(cl.city, '/enterprises'));
});

test('refusals: enterprises 403, anonymous 401, bad parameters 422', async () => {
  for (const p of ['overview', 'stages', 'scores', 'deadlines']) {
    const r = await cl.ent1.get(`${API}/stats/${p}`);
    assert.equal(r.status, 403, `${p}: ${r.text}`);
    assert.equal(r.json.error.code, 'forbidden');
    const anon = await new Client(srv.base).get(`${API}/stats/${p}`);
    assert.equal(anon.status, 401);
  }
  for (const [path, field] of [['stages?by=month', 'by'], ['scores?by=cb', 'by'],
    [`overview?district=${encodeURIComponent('不存在区')}`, 'district'], ['deadlines?kind=city', 'kind']]) {
    const r = await cl.city.get(`${API}/stats/${path}`);
    assert.equal(r.status, 422, `${path}: ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  const r = await cl.city.req('POST', `${API}/stats/overview`, {});
  assert.equal(r.status, 405);
});
