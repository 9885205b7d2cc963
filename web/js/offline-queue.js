// offline-queue.js — diagnosis answers that have not reached the server yet.
//
// An auditor on a factory floor often has no signal. Every answer the user
// gives is first written to localStorage, then sent; it leaves localStorage
// only when the server has confirmed it. So an answer is never lost: not when
// the network drops, not when the tab is closed, not when the session expires.
//
// Storage: one localStorage key per unsent answer,
//   qmslift.unsent.v1.<username>.<diagnosis id>.<item id>
// holding { diagnosis_id, item_id, answer: {score, na, finding, kind},
//   version, seq, edited_at, state, current?, error? } where `version` is the
// version of the stored answer the user edited (docs/api.md: PUT …/answers/
// {item_id}), `state` is 'unsent' (waiting for the network), 'conflict' (the
// server has another version: `current` is that answer) or 'error' (refused
// for good: `error` is the server's message). The user name is part of the
// key so that, on a shared office computer, one user's answers are never sent
// with another user's session.
//
// Sending: at once (a score tap) or after a short pause (finding text); again
// when the browser fires 'online', every RETRY_MS while anything is queued,
// and when a page calls flush() (on load). One request per answer at a time;
// an edit made while its answer is on the way is sent after it, based on the
// version the server has just given.
//
// Pages: init(username) once, put() on every edit, status()/count() for the
// indicators, subscribe() to hear about changes, keepTheirs()/useMine() to
// settle a version conflict.
import { get, put as apiPut } from './api.js';

const PREFIX = 'qmslift.unsent.v1.';
const RETRY_MS = 8000;

let username = null;
let timer = null;
let seqCounter = 0;
const memory = new Map();       // fallback when localStorage refuses (private mode, full)
const inflight = new Set();     // keys being sent
const waiting = new Map();      // key → debounce timer
const listeners = new Set();
let storageOk = true;

const keyOf = (d, i) => `${PREFIX}${username}.${d}.${i}`;

// ---- Storage ---------------------------------------------------------------

function read(key) {
  let raw = null;
  try { raw = localStorage.getItem(key); } catch { raw = null; }
  if (raw === null && memory.has(key)) raw = memory.get(key);
  if (raw === null) return null;
  try { return JSON.parse(raw); } catch { return null; }
}

function write(key, entry) {
  const raw = JSON.stringify(entry);
  try {
    localStorage.setItem(key, raw);
    memory.delete(key);
    storageOk = true;
  } catch {
    memory.set(key, raw);
    storageOk = false;
  }
}

function remove(key) {
  try { localStorage.removeItem(key); } catch { /* nothing stored there */ }
  memory.delete(key);
}

function allKeys() {
  const out = new Set();
  const mine = `${PREFIX}${username}.`;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k && k.startsWith(mine)) out.add(k);
    }
  } catch { /* storage unavailable: memory only */ }
  for (const k of memory.keys()) if (k.startsWith(mine)) out.add(k);
  return [...out];
}

// ---- Notifications -----------------------------------------------------------

function notify(entryOrKey, extra = {}) {
  const e = typeof entryOrKey === 'string' ? parseKey(entryOrKey) : entryOrKey;
  const ev = { diagnosisId: String(e.diagnosis_id), itemId: String(e.item_id), ...extra };
  ev.status = status(ev.diagnosisId, ev.itemId);
  for (const fn of [...listeners]) {
    try { fn(ev); } catch { /* a listener's error must not stop the queue */ }
  }
}

function parseKey(key) {
  const parts = key.slice(PREFIX.length).split('.');
  return { item_id: parts.pop(), diagnosis_id: parts.pop() };
}

// ---- Public API ----------------------------------------------------------------

// Start the queue for the logged-in user (idempotent): retries on 'online'
// and on a timer.
export function init(user) {
  const name = user && (user.username || user);
  if (!name) return;
  username = String(name);
  if (timer) return;
  window.addEventListener('online', () => { flush(undefined, { verify: true }); });
  timer = setInterval(() => {
    if (count() > 0) flush(undefined, { verify: true });
  }, RETRY_MS);
}

export function storageWorks() { return storageOk; }

// The unsent entry of one answer, or null.
export function entry(diagnosisId, itemId) {
  if (!username) return null;
  return read(keyOf(diagnosisId, itemId));
}

// Every unsent entry of this user (of one diagnosis when given).
export function entries(diagnosisId) {
  if (!username) return [];
  const out = [];
  for (const k of allKeys()) {
    const e = read(k);
    if (!e) continue;
    if (diagnosisId !== undefined && String(e.diagnosis_id) !== String(diagnosisId)) continue;
    out.push(e);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

// 'saved' (nothing queued) | 'pending' (waiting for the pause after typing) |
// 'saving' (on the way) | 'unsent' | 'conflict' | 'error'.
export function status(diagnosisId, itemId) {
  const key = keyOf(diagnosisId, itemId);
  const e = read(key);
  if (!e) return 'saved';
  if (e.state === 'conflict' || e.state === 'error') return e.state;
  if (inflight.has(key)) return 'saving';
  if (waiting.has(key)) return 'pending';
  return 'unsent';
}

// Answers not on their way and not confirmed: waiting for the network, in
// conflict, or refused. (Answers being sent right now are not counted, so the
// banner does not flash on every save.)
export function count(diagnosisId) {
  let n = 0;
  for (const e of entries(diagnosisId)) {
    const s = status(e.diagnosis_id, e.item_id);
    if (s === 'unsent' || s === 'conflict' || s === 'error') n++;
  }
  return n;
}

// Record an edit. answer: {score, na, finding, kind}; version: the version of
// the server's answer the user was editing (0 for a first answer). When an
// entry is already queued its version is kept (the edit continues from it)
// and a conflict stays a conflict until the user settles it. delay (ms): wait
// this long for more typing before sending.
export function put(diagnosisId, itemId, answer, version, { delay = 0 } = {}) {
  const key = keyOf(diagnosisId, itemId);
  const old = read(key);
  const e = {
    diagnosis_id: Number(diagnosisId),
    item_id: Number(itemId),
    answer: {
      score: answer.na ? null : (answer.score ?? null),
      na: !!answer.na,
      finding: answer.finding || '',
      kind: answer.kind || '',
    },
    version: old ? old.version : (Number(version) || 0),
    seq: Date.now() * 1000 + (++seqCounter % 1000),
    edited_at: new Date().toISOString(),
    state: old && old.state === 'conflict' ? 'conflict' : 'unsent',
  };
  if (e.state === 'conflict') e.current = old.current;
  write(key, e);
  clearTimeout(waiting.get(key));
  waiting.delete(key);
  if (e.state === 'unsent') {
    if (delay > 0) {
      waiting.set(key, setTimeout(() => { waiting.delete(key); sendOne(key); }, delay));
    } else {
      sendOne(key);
    }
  }
  notify(e);
  return e;
}

// Send now what is waiting for the pause after typing (a textarea's blur).
export function sendNow(diagnosisId, itemId) {
  const key = keyOf(diagnosisId, itemId);
  if (!waiting.has(key)) return;
  clearTimeout(waiting.get(key));
  waiting.delete(key);
  sendOne(key);
}

// Try every queued answer (of one diagnosis when given), one after another.
// verify: first make sure the session still belongs to the user whose
// answers these are (background retries: the user may have logged out and
// someone else in).
let flushing = null;
export function flush(diagnosisId, { verify = false } = {}) {
  if (!username) return Promise.resolve();
  if (flushing) return flushing;
  const run = (async () => {
    await null; // let `flushing` be set before the body can finish
    try {
      if (!entries(diagnosisId).some((e) => e.state === 'unsent')) return;
      if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
      if (verify) {
        const me = await get('/me', undefined, { silent401: true }).catch(() => null);
        if (!me || !me.user || me.user.username !== username) return;
      }
      for (const e of entries(diagnosisId)) {
        if (typeof navigator !== 'undefined' && navigator.onLine === false) break;
        const key = keyOf(e.diagnosis_id, e.item_id);
        if (e.state !== 'unsent' || inflight.has(key) || waiting.has(key)) continue;
        await sendOne(key);
      }
    } finally {
      if (flushing === run) flushing = null;
    }
  })();
  flushing = run;
  return run;
}

// Conflict: take the other user's answer; the local edit is dropped.
// Returns the answer the server has (or null when it was cleared).
export function keepTheirs(diagnosisId, itemId) {
  const key = keyOf(diagnosisId, itemId);
  const e = read(key);
  remove(key);
  notify({ diagnosis_id: diagnosisId, item_id: itemId }, { resolved: 'theirs' });
  return e ? e.current || null : null;
}

// Conflict: send the local answer again, over the server's current version.
export function useMine(diagnosisId, itemId) {
  const key = keyOf(diagnosisId, itemId);
  const e = read(key);
  if (!e) return;
  e.version = e.current ? Number(e.current.version) || 0 : 0;
  e.state = 'unsent';
  delete e.current;
  delete e.error;
  write(key, e);
  notify(e);
  return sendOne(key);
}

// Drop an answer the server refused for good (e.g. the diagnosis is locked).
export function discard(diagnosisId, itemId) {
  const key = keyOf(diagnosisId, itemId);
  clearTimeout(waiting.get(key));
  waiting.delete(key);
  remove(key);
  notify({ diagnosis_id: diagnosisId, item_id: itemId }, { resolved: 'discarded' });
}

// fn({diagnosisId, itemId, status, result?, resolved?}) on every change;
// returns the function that unsubscribes.
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// ---- Sending ---------------------------------------------------------------

// Transient failures are retried; anything else needs the user.
function transient(err) {
  const s = err && err.status;
  return !s || s === 401 || s === 408 || s === 429 || s >= 500;
}

async function sendOne(key) {
  if (inflight.has(key)) return;
  const e = read(key);
  if (!e || e.state !== 'unsent') return;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    notify(e);
    return;
  }
  inflight.add(key);
  notify(e);
  const sentSeq = e.seq;
  let again = false;
  let result = null;
  try {
    result = await apiPut(`/diagnoses/${e.diagnosis_id}/answers/${e.item_id}`, { ...e.answer, version: e.version });
    const now = read(key);
    if (now && now.seq !== sentSeq) {
      // Edited while on the way: the newer edit continues from the version just stored.
      now.version = result && result.answer ? result.answer.version : now.version;
      write(key, now);
      again = now.state === 'unsent' && !waiting.has(key);
    } else {
      remove(key);
    }
  } catch (err) {
    const now = read(key) || e;
    if (transient(err)) {
      now.state = 'unsent';
      now.last_error = err.message;
      write(key, now);
    } else if (err.code === 'version_conflict') {
      let current;
      try {
        const d = await get(`/diagnoses/${e.diagnosis_id}`);
        current = (d.answers || []).find((a) => String(a.item_id) === String(e.item_id)) || null;
      } catch (err2) {
        if (transient(err2)) { write(key, now); return; } // ask again next time
        current = null;
      }
      const latest = read(key) || now;
      latest.state = 'conflict';
      latest.current = current;
      write(key, latest);
    } else {
      now.state = 'error';
      now.error = err.message;
      now.code = err.code;
      write(key, now);
    }
  } finally {
    inflight.delete(key);
    notify(parseKey(key), result ? { result } : {});
  }
  if (again) await sendOne(key);
}
