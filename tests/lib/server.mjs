// Start a real qmslift server for API and browser tests: a temporary SQLite
// database loaded with the demo data, a free loopback port, the simulated date
// 2021-05-10 unless told otherwise, and cheap password hashing (tests only).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.QMSLIFT_BIN || join(ROOT, 'build', 'qmslift');
export const DEMO_PASSWORD = 'qmslift-demo';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The backend under test: SQLite files by default; with QMSLIFT_TEST_PG set
// (tests/pg/with-cluster.sh does it) every server gets a fresh PostgreSQL database.
export const PG = process.env.QMSLIFT_TEST_PG || '';
let dbCounter = 0;

// A new, empty database: a file path in dir, or a new PostgreSQL database.
export function newDatabase(dir) {
  if (!PG) return join(dir, 'test.db');
  const name = `qms_${process.pid}_${++dbCounter}_${Date.now() % 100000}`;
  const r = spawnSync('psql', [`${PG}postgres`, '-qAtc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CREATE DATABASE failed: ${r.stderr}`);
  return `${PG}${name}`;
}

// opts: { today: 'YYYY-MM-DD' | null, env: {...}, args: [...], db: path-or-url (shared, already loaded) }
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qmslift-test-'));
  const db = opts.db || newDatabase(dir);
  const env = { ...process.env, QMSLIFT_PWHASH: 'min', ...(opts.env || {}) };
  const today = opts.today === undefined ? '2021-05-10' : opts.today;
  if (!opts.db) {
    // The demo records are stamped on the simulated date too (the business clock).
    const demoArgs = ['demo', '--db', db, ...(today ? ['--today', today] : [])];
    const r = spawnSync(BIN, demoArgs, { cwd: ROOT, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`qmslift demo failed: ${r.stderr}`);
  }
  const port = await freePort();
  const args = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
                '--web', join(ROOT, 'web')];
  if (today) args.push('--today', today);
  args.push(...(opts.args || []));
  const proc = spawn(BIN, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${log}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    base, port, db, dir, proc,
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A tiny client that keeps the session cookie and CSRF token.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; }
  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
      else { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    }
    const r = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const sc = r.headers.get('set-cookie');
    if (sc) {
      const m = /qms_session=([^;]*)/.exec(sc);
      if (m) this.cookie = m[1] ? `qms_session=${m[1]}` : null;
    }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, json, text };
  }
  get(p) { return this.req('GET', p); }
  post(p, b) { return this.req('POST', p, b === undefined ? {} : b); }
  patch(p, b) { return this.req('PATCH', p, b); }
  async login(username, password = DEMO_PASSWORD) {
    const r = await this.post('/api/v1/login', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}
