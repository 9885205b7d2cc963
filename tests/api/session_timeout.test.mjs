// Idle session timeout (--session-idle SECONDS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--session-idle', '2'] }); });
after(async () => { await srv?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a session idle for longer than --session-idle is refused; activity keeps it alive', async () => {
  const idle = new Client(srv.base);
  const busy = new Client(srv.base);
  assert.equal((await idle.login('pudong')).status, 200);
  assert.equal((await busy.login('cb1')).status, 200);
  assert.equal((await idle.get('/api/v1/me')).status, 200);

  // busy uses its session every 0.7 s for 3.5 s: longer than the idle limit in total,
  // but never idle for 2 s
  for (let i = 0; i < 5; i++) {
    await sleep(700);
    const r = await busy.get('/api/v1/me');
    assert.equal(r.status, 200, `busy session refused after ${(i + 1) * 0.7} s: ${r.text}`);
  }
  // idle has now been idle for about 3.5 s
  const r = await idle.get('/api/v1/me');
  assert.equal(r.status, 401, `idle session still valid: ${r.text}`);
  assert.equal(r.json?.error?.code, 'not_authenticated');
  // and it stays dead even though it was just used
  assert.equal((await idle.get('/api/v1/programmes')).status, 401);
  // logging in again works
  assert.equal((await idle.login('pudong')).status, 200);
  assert.equal((await idle.get('/api/v1/me')).status, 200);
});
