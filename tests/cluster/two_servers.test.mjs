// Two qmslift servers sharing one database behave as one platform: sessions,
// writes, lockouts and exactly-once scheduled jobs. Runs on SQLite by default
// and on PostgreSQL under tests/pg/with-cluster.sh (QMSLIFT_TEST_PG).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, PG } from '../lib/server.mjs';

const JOB_ARGS = ['--job-period', '1', '--job-tick-ms', '100'];
let a, b;

before(async () => {
  a = await startServer({ args: JOB_ARGS });
  b = await startServer({ db: a.db, args: JOB_ARGS });
});
after(async () => { await a?.stop(); await b?.stop(); });

test(`backend under test: ${PG ? 'postgresql' : 'sqlite'}`, () => {
  assert.equal(a.db.startsWith('postgresql://'), Boolean(PG));
});

test('a session created on one server is valid on the other; logout ends it on both', async () => {
  const ca = new Client(a.base);
  assert.equal((await ca.login('pudong')).status, 200);
  const cb = new Client(b.base);
  cb.cookie = ca.cookie;
  cb.csrf = ca.csrf;
  const me = await cb.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.user.username, 'pudong');
  assert.equal(me.json.csrf_token, ca.csrf);
  assert.equal((await cb.post('/api/v1/logout')).status, 204);
  assert.equal((await ca.get('/api/v1/me')).status, 401);
});

test('a write on one server is seen on the other at once', async () => {
  const ca = new Client(a.base), cb = new Client(b.base);
  await ca.login('city');
  await cb.login('city');
  const r = await ca.post('/api/v1/users', {
    username: 'twoservers', display_name: '双机测试', role: 'district_officer',
    unit_id: (await ca.get('/api/v1/units?kind=district&q=徐汇')).json.items[0].id,
    password: 'Tw0-servers-ok',
  });
  assert.equal(r.status, 201);
  const seen = await cb.get(`/api/v1/users/${r.json.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.display_name, '双机测试');
  // and a disable on B ends the session made on A
  const user = new Client(a.base);
  assert.equal((await user.login('twoservers', 'Tw0-servers-ok')).status, 200);
  assert.equal((await cb.post(`/api/v1/users/${r.json.id}/disable`)).status, 200);
  assert.equal((await user.get('/api/v1/me')).status, 401);
});

test('login failures count across servers and the lock holds on both', async () => {
  const ca = new Client(a.base), cb = new Client(b.base);
  for (let i = 0; i < 3; i++) assert.equal((await ca.login('huangpu', 'wrong-password')).status, 401);
  for (let i = 0; i < 2; i++) assert.equal((await cb.login('huangpu', 'wrong-password')).status, 401);
  const r1 = await ca.login('huangpu');
  const r2 = await cb.login('huangpu');
  assert.equal(r1.status, 429, 'locked on A with the right password');
  assert.equal(r2.status, 429, 'locked on B too');
  assert.equal(r2.json.error.code, 'too_many_attempts');
  // another account from the same address is not slowed
  assert.equal((await cb.login('cb1')).status, 200);
});

test('each scheduled job period runs exactly once across the two servers', async () => {
  await new Promise((r) => setTimeout(r, 3500));
  const c = new Client(b.base);
  await c.login('city');
  const r = await c.get('/api/v1/audit-log?action=job.run&per_page=200');
  assert.equal(r.status, 200);
  const runs = r.json.items.map((x) => x.detail);
  assert.ok(runs.length >= 3, `expected at least 3 periods in 3.5 s, got ${runs.length}`);
  const periods = runs.map((d) => `${d.job}:${d.period}`);
  assert.equal(new Set(periods).size, periods.length, `a period ran twice: ${periods.join(' ')}`);
  const servers = new Set(runs.map((d) => d.server));
  for (const s of servers) assert.match(s, /^127\.0\.0\.1:\d+\/\d+$/);
  // results: "ok", or for reminders "skipped" (no smtp-url here) / "sent N, failed M"
  const bad = runs.filter((d) => !/^(ok|skipped|sent \d+, failed \d+)$/.test(d.result));
  assert.deepEqual(bad, [], 'every run succeeded');
  assert.ok(runs.some((d) => d.job === 'reminders.send'), 'the reminder job runs too');
});

test('servers carry on after PostgreSQL restarts', { skip: !PG && 'SQLite is embedded: nothing to restart' }, async () => {
  const { spawnSync } = await import('node:child_process');
  const c = new Client(a.base);
  assert.equal((await c.login('cb2')).status, 200);
  // -l: the new postmaster must not inherit our pipes, or spawnSync waits for it forever
  const ctl = [process.env.QMSLIFT_TEST_PG_CTL, '-D', process.env.QMSLIFT_TEST_PG_DATA,
    '-l', `${process.env.QMSLIFT_TEST_PG_DATA}/../pg.log`, '-m', 'fast', '-w', 'restart'];
  const cmd = process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', ...ctl]] : [ctl[0], ctl.slice(1)];
  const r = spawnSync(cmd[0], cmd[1], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 30000 });
  assert.equal(r.status, 0, `pg_ctl restart failed: ${r.stderr}`);
  // the very first request after the restart already succeeds (reconnect + re-prepare)
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.username, 'cb2');
  assert.equal((await new Client(b.base).get('/healthz')).status, 200);
});
