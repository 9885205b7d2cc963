// The qmslift command: init (no default password), user add|disable|passwd,
// backup, config file, --help and exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, PG, newDatabase, startServer, Client } from '../lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qmslift-cli-'));
const db = newDatabase(dir);
after(() => rmSync(dir, { recursive: true, force: true }));

function q(args, { input, env } = {}) {
  return spawnSync(BIN, args, {
    cwd: ROOT, input, encoding: 'utf8',
    env: clean({ ...process.env, QMSLIFT_PWHASH: 'min', QMSLIFT_ADMIN_PASSWORD: '', QMSLIFT_PASSWORD: '', ...env }),
  });
}
// Drop variables set to '' so the command reads standard input instead.
function clean(env) { return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')); }

test('usage errors exit 2, --help exits 0 and lists the settings', () => {
  assert.equal(q([]).status, 2);
  assert.equal(q(['frobnicate']).status, 2);
  assert.equal(q(['serve', '--no-such-option', 'x']).status, 2);
  assert.equal(q(['serve', '--today', '2021-02-30']).status, 2, 'an impossible date is refused');
  const h = q(['serve', '--help']);
  assert.equal(h.status, 0);
  for (const s of ['--db', '--listen', '--today', '--session-idle', '--pwhash', '--config', '--trust-proxy'])
    assert.match(h.stdout, new RegExp(s));
  for (const c of ['init', 'demo', 'user', 'backup']) assert.equal(q([c, '--help']).status, 0, c);
});

test('init without a password refuses to create an administrator', () => {
  const r = spawnSync(BIN, ['init', '--db', db], { cwd: ROOT, input: '', encoding: 'utf8', env: clean({ ...process.env, QMSLIFT_PWHASH: 'min', QMSLIFT_ADMIN_PASSWORD: '', QMSLIFT_PASSWORD: '' }) });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /密码/);
});

test('init refuses a weak administrator password, then accepts a good one from stdin', () => {
  const env = clean({ ...process.env, QMSLIFT_PWHASH: 'min', QMSLIFT_ADMIN_PASSWORD: '', QMSLIFT_PASSWORD: '' });
  const weak = spawnSync(BIN, ['init', '--db', db, '--admin', 'root'], { cwd: ROOT, input: 'password\n', encoding: 'utf8', env });
  assert.equal(weak.status, 1);
  const ok = spawnSync(BIN, ['init', '--db', db, '--admin', 'root'], { cwd: ROOT, input: 'Chief-admin-2021\n', encoding: 'utf8', env });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /已创建市局管理员 root/);
  // a second init does not create another administrator nor ask again
  const again = spawnSync(BIN, ['init', '--db', db], { cwd: ROOT, input: '', encoding: 'utf8', env });
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /已创建/);
});

test('user add / passwd / disable work and are audited; the server sees them', async () => {
  const add = q(['user', 'add', 'xuhui', '--role', 'district_officer', '--unit', '徐汇区市场监管局', '--name', '徐汇区 李明', '--db', db],
    { env: { QMSLIFT_PASSWORD: 'Xuhui-officer-1' } });
  assert.equal(add.status, 0, add.stderr);
  assert.equal(q(['user', 'add', 'xuhui', '--role', 'district_officer', '--unit', '徐汇区市场监管局', '--db', db],
    { env: { QMSLIFT_PASSWORD: 'Xuhui-officer-1' } }).status, 1, 'duplicate');
  assert.equal(q(['user', 'add', 'nounit', '--role', 'cb_staff', '--db', db], { env: { QMSLIFT_PASSWORD: 'Some-good-pass1' } }).status, 2);
  assert.equal(q(['user', 'add', 'badrole', '--role', 'king', '--db', db], { env: { QMSLIFT_PASSWORD: 'Some-good-pass1' } }).status, 2);
  assert.equal(q(['user', 'passwd', 'xuhui', '--db', db], { input: '12345678\n' }).status, 1, 'common password refused');
  assert.equal(q(['user', 'passwd', 'xuhui', '--db', db], { input: 'Xuhui-officer-2\n' }).status, 0);
  assert.equal(q(['user', 'passwd', 'nobody', '--db', db], { input: 'Xuhui-officer-2\n' }).status, 1);

  const srv = await startServer({ db });
  try {
    const c = new Client(srv.base);
    assert.equal((await c.login('xuhui', 'Xuhui-officer-1')).status, 401);
    const r = await c.login('xuhui', 'Xuhui-officer-2');
    assert.equal(r.status, 200);
    assert.equal(r.json.user.unit.name, '徐汇区市场监管局');
    assert.equal(q(['user', 'disable', 'xuhui', '--db', db]).status, 0);
    assert.equal((await c.get('/api/v1/me')).status, 401, 'disabling from the CLI ends sessions');
    const admin = new Client(srv.base);
    assert.equal((await admin.login('root', 'Chief-admin-2021')).status, 200);
    const log = await admin.get('/api/v1/audit-log?username=' + encodeURIComponent('(命令行)'));
    const actions = log.json.items.map((x) => x.action);
    for (const a of ['user.create', 'user.reset_password', 'user.disable']) assert.ok(actions.includes(a), a);
  } finally {
    await srv.stop();
  }
});

test('backup copies the SQLite database online (PostgreSQL is told to use pg_dump)', () => {
  const dest = join(dir, 'backup.db');
  const r = q(['backup', dest, '--db', db]);
  if (PG) {
    assert.equal(r.status, 1);
    assert.match(r.stderr, /pg_dump/);
    return;
  }
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(dest));
  const check = q(['init', '--db', dest]);
  assert.equal(check.status, 0, 'the copy opens and is at the current schema');
});

test('settings come from the config file, and the command line wins', () => {
  const ini = join(dir, 'qmslift.ini');
  writeFileSync(ini, '[server]\nsession_idle = abc\n');
  const bad = q(['serve', '--config', ini, '--db', db]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /session_idle/);
  assert.equal(q(['serve', '--config', join(dir, 'missing.ini')]).status, 2);
});
