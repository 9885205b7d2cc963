// Reminder e-mails (docs/api.md "Deadlines 报送期限 · reminders 提醒", "Sending"): the scheduled
// job `reminders.send` against a local SMTP sink (tests/lib/smtp-sink.mjs). On 2021-05-11, seven
// days before the mid-term due date 2021-05-18, 浦东新区 (a pilot district without its mid-term
// report) gets exactly one e-mail, 沪联 (report submitted) none, and nothing more in later job
// periods; the reminders are listed per unit; a refused delivery is kept as `failed` and retried
// by a later run; an unreachable or hung SMTP server never slows the API; two servers sharing one
// database still send each reminder once.
// Servers (each on a fresh demo database, simulated date 2021-05-11, job period 1 s, tick 50 ms):
//   A — the sink;  C — smtp-url on a closed port;  H — a sink that accepts and never answers;
//   D1 + D2 — two servers on one database and one sink.
// They are all started first, so that their job periods run while the tests look at each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startServer, Client, freePort } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';

const API = '/api/v1';
const TODAY = '2021-05-11';
const FROM = 'reminders@qmslift.example.cn';
const PUDONG_TO = 'pilot@pudong.example.cn';
const CB1_TO = 'pilot@hulian-cert.example.cn';
const jobArgs = (smtpUrl) => ['--smtp-url', smtpUrl, '--smtp-from', FROM, '--job-period', '1', '--job-tick-ms', '50'];

let sinkA, sinkD, sinkH;
let A, C, H, D1, D2;
const cl = {}; // clients on A by username
const unit = {};

async function login(s, username) {
  const c = new Client(s.base);
  const r = await c.login(username);
  assert.equal(r.status, 200, `login ${username}: ${r.text}`);
  return c;
}

before(async () => {
  [sinkA, sinkD, sinkH] = await Promise.all([startSmtpSink({ port: 0 }), startSmtpSink({ port: 0 }),
    startSmtpSink({ port: 0, silent: true })]);
  const closed = await freePort(); // nothing listens there
  [A, C, H, D1] = await Promise.all([
    startServer({ today: TODAY, args: jobArgs(`smtp://127.0.0.1:${sinkA.port}`) }),
    startServer({ today: TODAY, args: jobArgs(`smtp://127.0.0.1:${closed}`) }),
    startServer({ today: TODAY, args: jobArgs(`smtp://127.0.0.1:${sinkH.port}`) }),
    startServer({ today: TODAY, args: jobArgs(`smtp://127.0.0.1:${sinkD.port}`) }),
  ]);
  D2 = await startServer({ today: TODAY, db: D1.db, args: jobArgs(`smtp://127.0.0.1:${sinkD.port}`) });
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'ent1']) cl[u] = await login(A, u);
  const us = await cl.city.get(`${API}/units?per_page=200`);
  for (const u of us.json.items) {
    if (u.kind === 'district' && u.district === '浦东新区') unit.pudong = u.id;
    if (u.kind === 'district' && u.district === '黄浦区') unit.huangpu = u.id;
    if (u.kind === 'cb' && u.name === '沪联质量认证中心（演示）') unit.cb1 = u.id;
  }
});
after(async () => {
  // the sinks first: a server blocked on the hung sink gets its connection closed and can stop
  await Promise.all([sinkA, sinkD, sinkH].filter(Boolean).map((s) => s.close()));
  await Promise.all([A, C, H, D2, D1].filter(Boolean).map((s) => s.stop()));
});

// ---------------------------------------------------------------- helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs = 6000, every = 25) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(every);
  }
}
const to = (sink, addr) => sink.messages.filter((m) => m.to.includes(addr));

async function reminders(c, query = '') {
  const r = await c.get(`${API}/reminders?per_page=200${query}`);
  assert.equal(r.status, 200, `GET /reminders${query}: ${r.text}`);
  return r.json;
}
// The `reminders.send` runs recorded in the audit log (server s), oldest first.
async function jobRuns(city) {
  const r = await city.get(`${API}/audit-log?action=job.run&per_page=200`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.map((x) => x.detail).filter((d) => d.job === 'reminders.send').sort((a, b) => a.period - b.period);
}
// Wait until n more `reminders.send` periods have run after the moment of the call.
async function morePeriods(city, n) {
  const start = (await jobRuns(city)).at(-1)?.period ?? 0;
  await until(`${n} more job periods`, async () => (await jobRuns(city)).filter((d) => d.period > start).length >= n, 8000, 100);
}
async function timed(fn) {
  const t = performance.now();
  const r = await fn();
  return { r, ms: performance.now() - t };
}

// ---------------------------------------------------------------- A: one e-mail, once

test('7 days before the due date pudong gets exactly one e-mail about 中期推进情况报送; cb1 none', async () => {
  await until('an e-mail to pudong', () => to(sinkA, PUDONG_TO).length >= 1);
  const mails = to(sinkA, PUDONG_TO);
  assert.equal(mails.length, 1, `one e-mail to ${PUDONG_TO}, got ${mails.length}`);
  const m = mails[0];
  assert.deepEqual(m.to, [PUDONG_TO]);
  assert.equal(m.from, FROM, 'the envelope sender is smtp-from');
  assert.ok(m.headers.from?.includes(FROM), `From header: ${m.headers.from}`);
  assert.ok(m.headers.to?.includes(PUDONG_TO), `To header: ${m.headers.to}`);
  assert.match(m.headers.subject, /^=\?UTF-8\?B\?/i, 'the subject is RFC 2047 encoded');
  assert.ok(m.subject.includes('中期推进情况报送'), `subject: ${m.subject}`);
  assert.ok(m.subject.includes('还有 7 天'), `subject: ${m.subject}`);
  assert.ok(m.subject.includes('2021-05-18'), `subject: ${m.subject}`);
  assert.ok(m.text.includes('浦东新区市场监管局'), `body names the unit: ${m.text}`);
  assert.ok(m.text.includes('2021-05-18'), 'body has the due date');
  assert.equal(to(sinkA, CB1_TO).length, 0, 'cb1 has submitted its mid-term report: no e-mail');
  assert.equal(sinkA.messages.length, 1, `nothing else was sent: ${sinkA.messages.map((x) => `${x.to} ${x.subject}`).join('; ')}`);
  assert.equal(sinkA.rejected.length, 0);
});

test('at most once: several job periods later still one e-mail and one reminder row', async () => {
  await morePeriods(cl.city, 3);
  assert.equal(to(sinkA, PUDONG_TO).length, 1, 'no second e-mail for the same reminder');
  assert.equal(sinkA.messages.length, 1);
  const rs = await reminders(cl.city);
  assert.equal(rs.total, 1, JSON.stringify(rs.items));
  const runs = await jobRuns(cl.city);
  assert.ok(runs.length >= 4, `job runs: ${runs.length}`);
  assert.ok(runs.every((d) => /^sent \d+, failed \d+$|^ok$|^skipped$/.test(d.result)), JSON.stringify(runs.map((d) => d.result)));
  assert.equal(runs.filter((d) => d.result === 'sent 1, failed 0').length, 1, 'one run sent one e-mail');
});

test('GET /reminders (city) lists it as sent, with the documented fields', async () => {
  const rs = await reminders(cl.city);
  assert.equal(rs.total, 1);
  const x = rs.items[0];
  assert.equal(x.unit.id, unit.pudong);
  assert.equal(x.unit.name, '浦东新区市场监管局');
  assert.equal(x.deadline_key, 'midterm');
  assert.equal(x.due_date, '2021-05-18');
  assert.equal(x.offset_days, -7);
  assert.equal(x.recipient, PUDONG_TO);
  assert.equal(x.status, 'sent');
  assert.equal(x.attempts, 1);
  assert.ok(!x.last_error, `no error: ${x.last_error}`);
  assert.ok(x.sent_at, 'sent_at');
  assert.equal(x.subject, to(sinkA, PUDONG_TO)[0].subject, 'the recorded subject is the one sent');
  const s = await cl.pudong.get(`${API}/reminders/settings`);
  assert.equal(s.json.smtp_configured, true);
});

test('reminder times follow the business clock (the simulated date), like every other record', async () => {
  const x = (await reminders(cl.city)).items[0];
  const report = (await cl.pudong.get(`${API}/reports`)).json.items[0];
  assert.ok(report.created_at.startsWith('2021-05-'), `a record made on the simulated date: ${report.created_at}`);
  // 2021-05-11 in Shanghai is 2021-05-10T16:00Z … 2021-05-11T15:59Z
  assert.match(x.created_at, /^2021-05-1[01]T/, `created_at on the simulated date: ${x.created_at}`);
  assert.match(x.sent_at, /^2021-05-1[01]T/, `sent_at on the simulated date: ${x.sent_at}`);
});

test('a unit gets only its own reminders; filters; enterprises 403', async () => {
  // huangpu gets addresses from the city: its declaration is overdue (offset +7 has come)
  const put = await cl.city.req('PUT', `${API}/reminders/settings?unit_id=${unit.huangpu}`, { emails: ['office@huangpu.example.cn'] });
  assert.equal(put.status, 200, put.text);
  await until('an e-mail to huangpu', () => to(sinkA, 'office@huangpu.example.cn').length >= 1);
  const hm = to(sinkA, 'office@huangpu.example.cn');
  assert.equal(hm.length, 1);
  assert.ok(hm[0].subject.includes('申报表报送'), hm[0].subject);
  assert.ok(hm[0].subject.includes('逾期'), hm[0].subject);

  const all = await reminders(cl.city);
  assert.equal(all.total, 2);
  const p = await reminders(cl.pudong);
  assert.deepEqual(p.items.map((x) => [x.unit.id, x.deadline_key]), [[unit.pudong, 'midterm']]);
  const h = await reminders(cl.huangpu);
  assert.deepEqual(h.items.map((x) => [x.unit.id, x.deadline_key, x.offset_days]), [[unit.huangpu, 'declaration', 7]]);
  assert.equal((await reminders(cl.cb1)).total, 0, 'cb1 has none');
  assert.equal((await reminders(cl.pudong, `&unit_id=${unit.huangpu}`)).total, 1, 'unit_id does not widen a unit\'s list');
  assert.equal((await reminders(cl.pudong, `&unit_id=${unit.huangpu}`)).items[0].unit.id, unit.pudong);
  assert.equal((await reminders(cl.city, `&unit_id=${unit.huangpu}`)).total, 1);
  assert.equal((await reminders(cl.city, '&status=sent')).total, 2);
  assert.equal((await reminders(cl.city, '&status=failed')).total, 0);
  assert.equal((await reminders(cl.city, '&deadline_key=midterm')).total, 1);
  assert.equal((await reminders(cl.city, '&deadline_key=annual')).total, 0);
  const bad = await cl.city.get(`${API}/reminders?status=lost`);
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.field, 'status');
  assert.equal((await cl.ent1.get(`${API}/reminders`)).status, 403);
});

test('a refused delivery is recorded as failed with the error, and a later run sends it (attempts 2)', async () => {
  const addr = 'retry@pudong.example.cn';
  sinkA.failNext(1, { at: 'rcpt', code: 451 });
  const put = await cl.pudong.req('PUT', `${API}/reminders/settings`, { emails: [PUDONG_TO, addr] });
  assert.equal(put.status, 200, put.text);
  // the sink refuses the first attempt …
  await until('the refused attempt', () => sinkA.rejected.some((x) => x.to.includes(addr)));
  const refusedAt = Date.now();
  // … the reminder is then kept as failed, with the error, until a later job run
  const row = async () => (await reminders(cl.pudong)).items.find((x) => x.recipient === addr);
  const seen = await until('the reminder row', row, 2000, 10);
  let failed = seen.status === 'failed' ? seen : null;
  if (!failed && seen.status === 'sending') failed = await until('failed', async () => { const x = await row(); return x.status !== 'sending' && x; }, 2000, 10);
  assert.equal(failed?.status, 'failed',
    `right after the refusal the reminder should be failed until a later run, got ${JSON.stringify(failed ?? seen)} ` +
    `${Date.now() - refusedAt} ms after the refusal (retried within the same job run?)`);
  assert.equal(failed.attempts, 1);
  assert.ok(failed.last_error && failed.last_error.length > 0, `last_error: ${failed.last_error}`);
  assert.match(failed.last_error, /451|RCPT|recipient/i, `last_error tells what happened: ${failed.last_error}`);
  assert.equal(failed.sent_at, null);
  // … and a later run delivers it
  const sent = await until('sent', async () => { const x = await row(); return x.status === 'sent' && x; }, 5000);
  assert.equal(sent.attempts, 2);
  assert.ok(!sent.last_error, `the error is cleared once sent: ${sent.last_error}`);
  assert.ok(sent.sent_at);
  assert.equal(to(sinkA, addr).length, 1, 'delivered once');
  assert.equal(to(sinkA, PUDONG_TO).length, 1, 'the first address was not written to again');
});

test('the retry came from a later job run, not the same one', async () => {
  const runs = await jobRuns(cl.city);
  const failing = runs.filter((d) => /failed [1-9]/.test(d.result));
  assert.ok(failing.length >= 1, `a run recorded the failure: ${JSON.stringify(runs.map((d) => d.result))}`);
  assert.ok(failing.every((d) => d.result === 'sent 0, failed 1'),
    `the failing run should not also have sent it: ${JSON.stringify(failing.map((d) => `${d.period}: ${d.result}`))}`);
  assert.ok(runs.some((d) => d.period > failing[0].period && d.result === 'sent 1, failed 0'), 'a later run sent it');
});

test('a unit with reminders disabled gets nothing', async () => {
  const addr = 'off@pudong.example.cn';
  const put = await cl.pudong.req('PUT', `${API}/reminders/settings`, { emails: [addr], enabled: false });
  assert.equal(put.status, 200, put.text);
  await morePeriods(cl.city, 2);
  assert.equal(to(sinkA, addr).length, 0);
  assert.equal((await reminders(cl.pudong)).items.filter((x) => x.recipient === addr).length, 0);
});

// ---------------------------------------------------------------- C: SMTP down

test('SMTP down (closed port): the API answers fast, the reminder is failed, at most 5 attempts', async () => {
  const city = await login(C, 'city');
  const pudong = await login(C, 'pudong');
  const row = async () => (await reminders(city)).items.find((x) => x.recipient === PUDONG_TO);
  const failed = await until('a failed reminder', async () => { const x = await row(); return x?.status === 'failed' && x; });
  assert.ok(failed.last_error.length > 0, 'last_error');
  assert.equal(failed.deadline_key, 'midterm');
  assert.equal(failed.sent_at, null);
  for (let i = 0; i < 5; i++) {
    const { r, ms } = await timed(() => pudong.get(`${API}/me`));
    assert.equal(r.status, 200);
    assert.ok(ms < 1000, `GET /me took ${ms.toFixed(0)} ms while the job fails`);
  }
  const { r: d, ms } = await timed(() => pudong.get(`${API}/deadlines`));
  assert.equal(d.status, 200);
  assert.ok(ms < 1000, `GET /deadlines took ${ms.toFixed(0)} ms`);
  // retried at later runs up to 5 attempts, then left alone
  const done = await until('5 attempts', async () => { const x = await row(); return x.attempts >= 5 && x; }, 9000, 100);
  assert.equal(done.attempts, 5);
  assert.equal(done.status, 'failed');
  await morePeriods(city, 2);
  const still = await row();
  assert.equal(still.attempts, 5, 'no sixth attempt');
  assert.equal(still.status, 'failed');
  assert.equal((await reminders(city)).total, 1, 'still one reminder row');
});

// ---------------------------------------------------------------- H: SMTP hung

test('SMTP hung (accepts, never answers): requests, reads and writes, still answer fast', async () => {
  const city = await login(H, 'city');
  const pudong = await login(H, 'pudong');
  await until('the job to connect to the hung server', () => sinkH.connections >= 1);
  const x = await until('the reminder row', async () => (await reminders(city)).items.find((r) => r.recipient === PUDONG_TO));
  // Recorded before sending: still `sending` while the job waits, or — when this file runs
  // late under a loaded suite — `failed` by the SMTP timeout (src/mail.c), never `sent`.
  if (x.status === 'failed') assert.match(x.last_error || '', /timed out/i, JSON.stringify(x));
  else assert.equal(x.status, 'sending', 'recorded before sending, still sending');
  for (let i = 0; i < 3; i++) {
    const { r, ms } = await timed(() => pudong.get(`${API}/me`));
    assert.equal(r.status, 200);
    assert.ok(ms < 1000, `GET /me took ${ms.toFixed(0)} ms while the job waits for SMTP`);
  }
  const { r: w, ms } = await timed(() => pudong.req('PUT', `${API}/reminders/settings`, { emails: [PUDONG_TO, 'second@pudong.example.cn'] }));
  assert.equal(w.status, 200, w.text);
  assert.ok(ms < 1000, `a write took ${ms.toFixed(0)} ms while the job waits for SMTP`);
  const { r: rep, ms: ms2 } = await timed(() => pudong.get(`${API}/reports`));
  assert.equal(rep.status, 200);
  assert.ok(ms2 < 1000, `GET /reports took ${ms2.toFixed(0)} ms`);
  assert.equal(sinkH.messages.length, 0);
});

// ---------------------------------------------------------------- D: two servers, one database

test('two servers on one database: still exactly one e-mail per reminder', async () => {
  await until('an e-mail to pudong', () => to(sinkD, PUDONG_TO).length >= 1);
  const c1 = await login(D1, 'city');
  const p2 = await login(D2, 'pudong');
  // a second address, written through the other server
  const put = await p2.req('PUT', `${API}/reminders/settings`, { emails: [PUDONG_TO, 'two@pudong.example.cn'] });
  assert.equal(put.status, 200, put.text);
  await until('an e-mail to the second address', () => to(sinkD, 'two@pudong.example.cn').length >= 1);
  await morePeriods(c1, 3);
  assert.equal(to(sinkD, PUDONG_TO).length, 1, 'one e-mail to the first address');
  assert.equal(to(sinkD, 'two@pudong.example.cn').length, 1, 'one e-mail to the second address');
  assert.equal(to(sinkD, CB1_TO).length, 0);
  assert.equal(sinkD.messages.length, 2);
  const rs = await reminders(c1);
  assert.equal(rs.total, 2);
  assert.ok(rs.items.every((x) => x.status === 'sent' && x.attempts === 1), JSON.stringify(rs.items));
  const runs = await jobRuns(c1);
  assert.ok(runs.length >= 4);
  const periods = runs.map((d) => d.period);
  assert.equal(new Set(periods).size, periods.length, 'each period ran once across the two servers');
});
