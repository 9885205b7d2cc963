// A national-scale dataset for the dashboard benchmark, written straight into the
// database (no HTTP): 100,000 enterprises across the 16 Shanghai districts and the
// programme's industries, 40 certification bodies and their assignments, one work
// plan per district (the targets), ≈34,000 submitted on-site diagnoses (first
// diagnoses and re-assessments) with 59 checklist answers each (≈2,000,000
// answers) and their clause scores, improvement actions, certificates issued in the
// programme and held before it, training sessions with attendance.
//
// Usage: node bench/gen-national.mjs DB [--enterprises N] [--diagnosed N]
//          [--reassessed N] [--today YYYY-MM-DD] [--bin build/qmslift]
//   DB is a SQLite file or a postgresql://… URL (an existing, empty database).
//   The database is first prepared with `qmslift demo` (schema, programme, units,
//   checklist, demo accounts such as city / pudong / cb1), then the rows are
//   generated into one transaction: multi-row INSERTs piped to sqlite3, or COPY
//   piped to psql. A database that already holds the generated rows is left alone,
//   so a benchmark can reuse it. Deterministic (seeded); progress on stderr.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---- Options ---------------------------------------------------------------

const argv = process.argv.slice(2);
const opt = { enterprises: 100000, diagnosed: 30000, reassessed: 4000, today: '2021-09-30',
  bin: process.env.QMSLIFT_BIN || join(ROOT, 'build', 'qmslift') };
let DB = null;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a.startsWith('--')) {
    const k = a.slice(2);
    if (!(k in opt)) usage(`unknown option ${a}`);
    opt[k] = typeof opt[k] === 'number' ? Number(argv[++i]) : argv[++i];
  } else if (!DB) DB = a;
  else usage(`unexpected ${a}`);
}
if (!DB) usage('no database given');
if (opt.reassessed > opt.diagnosed) usage('--reassessed exceeds --diagnosed');
const PG = /^postgres(ql)?:\/\//.test(DB);

function usage(msg) {
  process.stderr.write(`gen-national: ${msg}\nusage: node bench/gen-national.mjs DB [--enterprises N] [--diagnosed N] `
    + '[--reassessed N] [--today YYYY-MM-DD] [--bin PATH]\n');
  process.exit(2);
}

const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (m) => process.stderr.write(`[${secs().padStart(6)} s] ${m}\n`);

// ---- Database helpers ----------------------------------------------------------

// Rows of a query as arrays of strings (tab-separated CLI output).
function query(sql) {
  const r = PG
    ? spawnSync('psql', [DB, '-qAtX', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync('sqlite3', ['-batch', '-bail', '-noheader', '-separator', '\t', DB, sql], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`query failed: ${sql}\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

// One long-running sqlite3 or psql process fed through stdin (with backpressure).
class Sink {
  constructor() {
    this.proc = PG
      ? spawn('psql', [DB, '-qX', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'inherit'] })
      : spawn('sqlite3', ['-batch', '-bail', DB], { stdio: ['pipe', 'ignore', 'inherit'] });
    this.exit = once(this.proc, 'exit');
    this.buf = [];
    this.size = 0;
  }
  async write(s) {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) await this.flush();
  }
  async flush() {
    if (!this.buf.length) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.proc.stdin.write(chunk)) await once(this.proc.stdin, 'drain');
  }
  async end() {
    await this.flush();
    this.proc.stdin.end();
    const [code] = await this.exit;
    if (code !== 0) throw new Error(`${PG ? 'psql' : 'sqlite3'} exited with ${code}`);
  }
}

const sqlValue = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v)
  : `'${String(v).replace(/'/g, "''")}'`);
const copyValue = (v) => (v === null || v === undefined ? '\\N'
  : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

// Write the rows a generator yields into a table: COPY on PostgreSQL, INSERTs of
// 500 rows on SQLite. Returns the row count.
async function load(sink, table, cols, rows) {
  let n = 0;
  if (PG) {
    await sink.write(`COPY ${table} (${cols.join(', ')}) FROM STDIN;\n`);
    for (const r of rows) {
      await sink.write(`${r.map(copyValue).join('\t')}\n`);
      n++;
    }
    await sink.write('\\.\n');
  } else {
    let batch = [];
    const head = `INSERT INTO ${table} (${cols.join(', ')}) VALUES `;
    for (const r of rows) {
      batch.push(`(${r.map(sqlValue).join(',')})`);
      n++;
      if (batch.length === 500) {
        await sink.write(`${head}${batch.join(',')};\n`);
        batch = [];
      }
    }
    if (batch.length) await sink.write(`${head}${batch.join(',')};\n`);
  }
  return n;
}

// ---- Deterministic randomness and dates -------------------------------------------

let seed = 20210510;
function rnd() { // mulberry32
  seed = (seed + 0x6D2B79F5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (a, b) => a + Math.floor(rnd() * (b - a + 1));
const pick = (a) => a[Math.floor(rnd() * a.length)];
const DAY = 86400;
const dayNum = (s) => Date.parse(`${s}T00:00:00Z`) / 1000 / DAY;
const dateOf = (d) => new Date(d * DAY * 1000).toISOString().slice(0, 10);
const TODAY = dayNum(opt.today);
const stamp = (d) => d * DAY + 2 * 3600 + int(0, 8 * 3600); // 10:00–18:00 Asia/Shanghai
const addYears = (d, y) => { const x = new Date(d * DAY * 1000); x.setUTCFullYear(x.getUTCFullYear() + y); return x.getTime() / 1000 / DAY; };

// Half away from zero at one decimal, as core/diagnosis.c diag_round1 does.
const round1 = (x) => Math.sign(x) * Math.floor(Math.abs(x) * 10 + 0.5 + 1e-9) / 10;

// A valid USCC (GB 32100) in a district's region.
const USCC_A = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(i, region) {
  let body = '';
  for (let k = 0, x = i; k < 9; k++, x = Math.floor(x / 31)) body = USCC_A[x % 31] + body;
  const s17 = `91${region}${body}`;
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += USCC_A.indexOf(s17[k]) * USCC_W[k];
  const c = 31 - (sum % 31);
  return s17 + USCC_A[c === 31 ? 0 : c];
}

// ---- Main ---------------------------------------------------------------------

async function main() {
  if (!PG && !existsSync(dirname(DB))) throw new Error(`folder of ${DB} does not exist`);
  const generated = () => Number(query("SELECT COUNT(*) FROM enterprises WHERE name LIKE '基准企业%'")[0][0]);
  if (!PG && existsSync(DB) && query("SELECT name FROM sqlite_master WHERE name = 'enterprises'").length && generated() > 0) {
    log(`already generated (${generated()} bench enterprises): nothing to do`);
    return;
  }
  log(`preparing ${PG ? 'PostgreSQL' : 'SQLite'} database with qmslift demo (${opt.bin})`);
  const demo = spawnSync(opt.bin, ['demo', '--db', DB, '--today', opt.today],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, QMSLIFT_PWHASH: process.env.QMSLIFT_PWHASH || 'min' } });
  if (demo.status !== 0) throw new Error(`qmslift demo failed: ${demo.stderr}`);
  if (generated() > 0) {
    log(`already generated (${generated()} bench enterprises): nothing to do`);
    return;
  }

  const [[programme]] = query('SELECT id FROM programmes ORDER BY year DESC, id DESC LIMIT 1');
  const PROG = Number(programme);
  const industries = query(`SELECT name FROM industries WHERE programme_id = ${PROG} ORDER BY seq`).map((r) => r[0]);
  const districts = query("SELECT id, district, region_code FROM units WHERE kind = 'district' "
    + "AND region_code IS NOT NULL AND region_code <> '' ORDER BY region_code")
    .map(([id, name, region]) => ({ id: Number(id), name, region }));
  const [[checklist]] = query("SELECT id FROM checklists WHERE code = 'iso9001-small' ORDER BY version DESC LIMIT 1");
  const items = query(`SELECT id, section FROM checklist_items WHERE checklist_id = ${checklist} ORDER BY position`)
    .map(([id, section]) => ({ id: Number(id), section }));
  const sectionNames = [...new Set(items.map((x) => x.section))];
  const sectionTitle = {
    4: '组织环境', 5: '领导作用', 6: '策划', 7: '支持', 8: '运行', 9: '绩效评价', 10: '改进',
  };
  const maxId = (t) => Number(query(`SELECT COALESCE(MAX(id), 0) FROM ${t}`)[0][0]);
  const next = Object.fromEntries(['units', 'enterprises', 'assignments', 'diagnoses', 'actions', 'certificates',
    'trainings', 'training_registrations'].map((t) => [t, maxId(t) + 1]));
  log(`programme ${PROG}: ${districts.length} districts, ${industries.length} industries, checklist ${checklist} `
    + `(${items.length} items, ${sectionNames.length} clauses)`);
  if (districts.length !== 16 || !items.length) throw new Error('unexpected base data (16 districts and a checklist expected)');

  const sink = new Sink();
  await sink.write(PG ? "BEGIN;\nSET LOCAL session_replication_role = replica;\n"
    : 'PRAGMA synchronous = OFF;\nPRAGMA cache_size = -400000;\nBEGIN;\n');
  const now = stamp(TODAY);

  // Certification bodies: the two demo bodies and 38 more.
  const cbs = query("SELECT id, name FROM units WHERE kind = 'cb' ORDER BY id").map(([id, name]) => ({ id: Number(id), name }));
  const newCbs = [];
  for (let k = cbs.length; k < 40; k++) {
    const cb = { id: next.units++, name: `基准认证机构${String(k + 1).padStart(2, '0')}有限公司` };
    cbs.push(cb);
    newCbs.push(cb);
  }
  await load(sink, 'units', ['id', 'kind', 'name', 'short_name', 'cnca_code', 'active', 'created_at'],
    newCbs.map((c) => [c.id, 'cb', c.name, c.name.slice(0, 8), `CNCA-R-2099-${String(c.id).padStart(3, '0')}`, 1, now]));
  // Four bodies serve each industry.
  const cbsOf = (ind) => { const j = industries.indexOf(ind); return [0, 1, 2, 3].map((k) => cbs[(j * 4 + k) % cbs.length]); };

  // ---- Enterprises and assignments ----
  const W = districts.map((d) => ({ 浦东新区: 4, 闵行区: 2, 嘉定区: 2, 松江区: 2, 宝山区: 1.5 }[d.name] || 1));
  const wsum = W.reduce((a, b) => a + b, 0);
  const pilotInds = districts.map((_, k) => [industries[k % industries.length], industries[(k + 3) % industries.length]]);
  const ents = [];
  function* entRows() {
    for (let i = 0; i < opt.enterprises; i++) {
      let r = rnd() * wsum, k = 0;
      while (r >= W[k]) r -= W[k++];
      const d = districts[k];
      const pilot = rnd() < 0.7;
      const industry = pilot ? pick(pilotInds[k]) : pick(industries);
      const id = next.enterprises++;
      const employees = int(3, 95), micro = employees < 20;
      const revenue = micro ? int(50, 290) : int(300, 1900);
      const e = { id, k, industry, name: `基准企业${i + 1}（${d.name}${industry}）有限公司`, uscc: uscc(3000000 + i, d.region),
        target: pilot && pilotInds[k].includes(industry), cb: null };
      ents.push(e);
      const created = stamp(dayNum('2021-01-10') + int(0, 80));
      yield [id, e.name, e.uscc, d.id, industry, created, `上海市${d.name}基准路${i + 1}号`, `基准园区${i % 60}`,
        'industry', employees, revenue, int(100, 1800), micro ? 'micro' : 'small', `联系人${i % 97}`,
        `139${String(10000000 + (i * 7919) % 90000000).slice(0, 8)}`, 1, created];
    }
  }
  let n = await load(sink, 'enterprises', ['id', 'name', 'uscc', 'district_unit_id', 'industry', 'created_at', 'address',
    'park', 'sector', 'employees', 'revenue', 'total_assets', 'size_class', 'contact_name', 'contact_phone', 'consent',
    'updated_at'], entRows());
  log(`enterprises: ${n}`);

  function* assignRows() {
    for (const e of ents) {
      if (!e.target || rnd() >= 0.85) { e.target = false; continue; }
      e.cb = pick(cbsOf(e.industry));
      yield [next.assignments++, PROG, e.id, e.cb.id, e.industry, 'bench', stamp(dayNum('2021-03-10') + int(0, 20))];
    }
  }
  n = await load(sink, 'assignments', ['id', 'programme_id', 'enterprise_id', 'cb_unit_id', 'industry', 'assigned_by',
    'assigned_at'], assignRows());
  log(`assignments: ${n}`);

  // ---- Work plans: one per district, its pilot industries and their assigned enterprises ----
  const plans = districts.map((d, k) => ({
    summary: `${d.name}小微企业质量管理体系认证提升行动试点工作方案（基准数据）`,
    industries: pilotInds[k].map((ind) => {
      const ids = ents.filter((e) => e.k === k && e.target && e.industry === ind).map((e) => e.id);
      return { industry: ind, enterprise_ids: ids, cb_unit_ids: cbsOf(ind).map((c) => c.id), count: ids.length, target: ids.length };
    }),
    steps: [{ title: '动员部署', start: '2021-03-01', end: '2021-03-31', description: '' },
      { title: '帮扶提升', start: '2021-04-01', end: '2021-08-31', description: '' }],
  }));
  let targets = 0;
  for (let k = 0; k < districts.length; k++) {
    const content = JSON.stringify(plans[k]);
    targets += plans[k].industries.reduce((a, x) => a + x.count, 0);
    const status = k % 5 === 4 ? 'submitted' : 'approved';
    const sub = stamp(dayNum('2021-02-25') + k % 12);
    await sink.write('INSERT INTO workplans (programme_id, unit_id, status, content, version, late, submitted_at, '
      + `approved_at, created_at, updated_at) VALUES (${PROG}, ${districts[k].id}, '${status}', ${sqlValue(content)}, 1, `
      + `${sub > dayNum('2021-03-05') * DAY + DAY ? 1 : 0}, ${sub}, ${status === 'approved' ? sub + 3 * DAY : 'NULL'}, ${sub}, ${sub}) `
      + 'ON CONFLICT (programme_id, unit_id) DO UPDATE SET status = excluded.status, content = excluded.content;\n');
    await sink.write('INSERT INTO workplan_versions (workplan_id, version, content, submitted_at, submitted_by, late, outcome) '
      + `SELECT id, 1, content, submitted_at, 'bench', late, NULL FROM workplans WHERE programme_id = ${PROG} `
      + `AND unit_id = ${districts[k].id} ON CONFLICT (workplan_id, version) DO NOTHING;\n`);
  }
  log(`work plans: ${districts.length} (targets: ${targets} enterprises)`);

  // ---- Diagnoses: first diagnoses of `diagnosed` assigned enterprises, re-assessments of some ----
  const assigned = ents.filter((e) => e.cb);
  if (assigned.length < opt.diagnosed + 1000) throw new Error(`only ${assigned.length} assigned enterprises for ${opt.diagnosed} diagnoses`);
  for (let i = assigned.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [assigned[i], assigned[j]] = [assigned[j], assigned[i]]; }
  const diagnosed = assigned.slice(0, opt.diagnosed);
  const drafts = assigned.slice(opt.diagnosed, opt.diagnosed + 1000);
  const diags = []; // {id, e, round, visit, answers[]}
  for (const [idx, e] of diagnosed.entries()) {
    e.level = 1.4 + rnd() * 2;
    const visit = dayNum('2021-03-20') + int(0, 90);
    diags.push({ id: next.diagnoses++, e, round: 1, visit, level: e.level });
    e.first = diags[diags.length - 1];
    if (idx < opt.reassessed) {
      e.reassessed = true;
      diags.push({ id: next.diagnoses++, e, round: 2, visit: Math.min(TODAY - 1, visit + int(60, 120)), level: e.level + 0.3 + rnd() * 0.9 });
    }
  }
  const TEAMS = ['王工、李工', '张工、赵工', '陈工、刘工', '周工、吴工'];
  function* diagRows() {
    for (const d of diags) {
      // 59 answers: a level per enterprise (higher on a re-assessment), noise per item, 3% not applicable.
      const ans = items.map((it) => {
        if (rnd() < 0.03) return [it, null];
        return [it, Math.max(1, Math.min(5, Math.round(d.level + (rnd() - 0.5) * 1.6)))];
      });
      const secs = sectionNames.map((clause) => {
        const mine = ans.filter(([it]) => it.section === clause);
        const scored = mine.filter(([, s]) => s !== null).map(([, s]) => s);
        const mean = scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : null;
        return { clause, title: sectionTitle[clause] || `第${clause}章`, items: mine.length, answered: mine.length,
          na: mine.length - scored.length, mean };
      });
      const means = secs.filter((s) => s.mean !== null).map((s) => s.mean);
      const overall = means.length ? round1(means.reduce((a, b) => a + b, 0) / means.length) : null;
      d.ans = ans;
      d.secs = secs;
      const scores = JSON.stringify({ overall, sections: secs.map((s) => ({ clause: s.clause, title: s.title, items: s.items,
        answered: s.answered, na: s.na, score: s.mean === null ? null : round1(s.mean) })) });
      const sub = stamp(d.visit + int(0, 2));
      yield [d.id, PROG, d.e.id, d.e.cb.id, 'onsite', d.round, Number(checklist), dateOf(d.visit), pick(TEAMS), '',
        'submitted', overall, scores, items.length, sub, 'bench', stamp(d.visit), sub];
    }
    for (const e of drafts) {
      const visit = TODAY - int(1, 20);
      yield [next.diagnoses++, PROG, e.id, e.cb.id, 'onsite', 1, Number(checklist), dateOf(visit), pick(TEAMS), '',
        'draft', null, null, 0, null, 'bench', stamp(visit), stamp(visit)];
    }
  }
  n = await load(sink, 'diagnoses', ['id', 'programme_id', 'enterprise_id', 'cb_unit_id', 'kind', 'round', 'checklist_id',
    'visit_date', 'team', 'summary', 'status', 'overall', 'scores', 'answered', 'submitted_at', 'created_by', 'created_at',
    'updated_at'], diagRows());
  log(`diagnoses: ${n} (${diags.length} submitted, ${opt.reassessed} of them re-assessments; ${drafts.length} drafts)`);

  let answers = 0;
  const FINDINGS = ['未建立', '记录不完整', '执行不到位', ''];
  function* answerRows() {
    for (const d of diags) {
      const at = stamp(d.visit);
      for (const [it, s] of d.ans) {
        const low = s !== null && s <= 2;
        yield [d.id, it.id, s, s === null ? 1 : 0, low ? pick(FINDINGS) : '', low ? pick(['blockage', 'pain', 'difficulty', '']) : '',
          1, 'bench', at];
        if (++answers % 250000 === 0) log(`  answers: ${answers}`);
      }
      d.ans = null;
    }
  }
  n = await load(sink, 'diagnosis_answers', ['diagnosis_id', 'item_id', 'score', 'na', 'finding', 'kind', 'version',
    'updated_by', 'updated_at'], answerRows());
  log(`checklist answers: ${n}`);

  function* clauseRows() {
    for (const d of diags) for (const s of d.secs) if (s.mean !== null) yield [d.id, s.clause, round1(s.mean)];
  }
  n = await load(sink, 'diagnosis_clause_scores', ['diagnosis_id', 'clause', 'score'], clauseRows());
  log(`clause scores: ${n}`);

  // ---- Improvement actions: 2–5 per diagnosed enterprise ----
  const METHODS = ['pdca', '5s', 'qc_tools', 'process_control', 'supplier_evaluation', 'training', 'document_control',
    'internal_audit', 'customer_feedback', 'other'];
  const ACTIONS = ['建立文件化信息控制程序', '完善量具校准台账', '开展内部审核', '建立顾客满意度调查机制', '完善供方评价记录',
    '明确岗位职责和权限', '开展质量目标分解与考核', '建立不合格品控制流程'];
  function* actionRows() {
    for (const e of diagnosed) {
      const k = int(2, 5);
      for (let j = 0; j < k; j++) {
        const r = rnd();
        const status = e.reassessed ? (r < 0.5 ? 'closed' : r < 0.7 ? 'verified' : r < 0.9 ? 'in_progress' : 'open')
          : (r < 0.35 ? 'open' : r < 0.8 ? 'in_progress' : r < 0.9 ? 'verified' : 'closed');
        const created = e.first.visit + int(1, 10);
        const due = created + int(30, 160);
        const it = pick(items);
        const done = status === 'verified' || status === 'closed';
        const progress = done ? 100 : status === 'open' ? 0 : int(10, 90);
        yield [next.actions++, PROG, e.id, e.cb.id, e.first.id, it.id, pick(ACTIONS), '', pick(METHODS), '质量部',
          dateOf(due), status, status === 'in_progress' && rnd() < 0.2 ? 1 : 0, progress, '', 1,
          status === 'closed' ? stamp(Math.min(TODAY, due)) : null, 'bench', stamp(created), stamp(Math.min(TODAY, created + 20))];
      }
    }
  }
  n = await load(sink, 'actions', ['id', 'programme_id', 'enterprise_id', 'cb_unit_id', 'diagnosis_id', 'item_id', 'title',
    'detail', 'method', 'owner', 'due_date', 'status', 'ready', 'progress', 'progress_note', 'version', 'closed_at',
    'created_by', 'created_at', 'updated_at'], actionRows());
  log(`actions: ${n}`);

  // ---- Certificates: issued in the programme (the re-assessed and some others), and held before ----
  const STATUS = () => { const r = rnd(); return r < 0.9 ? 'valid' : r < 0.95 ? 'suspended' : r < 0.98 ? 'withdrawn' : 'cancelled'; };
  let certN = 0;
  function* certRows() {
    for (const [idx, e] of diagnosed.entries()) {
      if (!(e.reassessed || idx % 3 === 0)) continue;
      const issue = Math.min(TODAY - 1, e.first.visit + int(40, 150));
      const status = STATUS();
      yield [next.certificates++, `BQ-2021-Q-${String(++certN).padStart(6, '0')}`, e.cb.id, e.cb.name, e.id, 0, e.name,
        e.uscc, '', '', `${e.industry}相关产品的设计、生产和服务`, 'GB/T 19001-2016/ISO 9001:2015', '质量管理体系认证',
        dateOf(issue), dateOf(issue), dateOf(addYears(issue, 3) - 1), int(5, 95), status,
        dateOf(status === 'valid' ? issue : Math.min(TODAY, issue + int(10, 60))), '', 'bench', stamp(issue), stamp(issue)];
    }
    for (let i = 0; i < ents.length; i += 20) { // prior certificates: one in twenty enterprises, some expired by now
      const e = ents[i];
      const issue = dayNum('2018-06-01') + int(0, 900);
      yield [next.certificates++, `HD-${String(i).padStart(7, '0')}`, null, '华东基准认证有限公司', e.id, 1, e.name, e.uscc,
        '', '', `${e.industry}相关产品的生产`, 'GB/T 19001-2016/ISO 9001:2015', '质量管理体系认证',
        dateOf(issue), dateOf(issue), dateOf(addYears(issue, 3) - 1), int(5, 95), 'valid', dateOf(issue), '', 'bench',
        stamp(dayNum('2021-03-01')), stamp(dayNum('2021-03-01'))];
    }
  }
  n = await load(sink, 'certificates', ['id', 'number', 'cb_unit_id', 'issuer_name', 'enterprise_id', 'prior', 'holder', 'uscc',
    'address', 'sites', 'scope', 'standard', 'scheme', 'first_issue_date', 'issue_date', 'expiry_date', 'headcount', 'status',
    'status_date', 'status_reason', 'created_by', 'created_at', 'updated_at'], certRows());
  log(`certificates: ${n} (${certN} issued in the programme)`);

  // ---- Training: 300 sessions, 60,000 registrations, three in four attended ----
  const sessions = [];
  function* trainingRows() {
    for (let i = 0; i < 300; i++) {
      const id = next.trainings++;
      const day = dayNum('2021-03-15') + int(0, 180);
      const organiser = i % 3 === 0 ? districts[i % 16].id : cbs[i % cbs.length].id;
      const kind = pick(['online', 'offline', 'small_class']);
      sessions.push(id);
      yield [id, `质量管理体系培训（基准）第${i + 1}期`, kind, kind === 'small_class' ? pick(industries) : '', organiser,
        `${dateOf(day)} 09:00`, `${dateOf(day)} 12:00`, kind === 'online' ? '' : '培训中心', kind === 'online' ? 'https://example.cn/live' : '',
        300, '', `bench${String(id).padStart(10, '0')}`, 'bench', stamp(day - 10), stamp(day - 10)];
    }
  }
  n = await load(sink, 'trainings', ['id', 'title', 'kind', 'industry', 'organiser_unit_id', 'starts_at', 'ends_at', 'place',
    'link', 'capacity', 'materials', 'checkin_token', 'created_by', 'created_at', 'updated_at'], trainingRows());
  function* regRows() {
    for (let i = 0; i < 60000; i++) {
      const e = ents[(i * 7 + int(0, 6)) % ents.length];
      const attended = rnd() < 0.75 ? 1 : 0;
      yield [next.training_registrations++, sessions[i % sessions.length], e.id, `学员${i}`, '质量主管',
        `138${String(10000000 + i).slice(0, 8)}`, attended, attended ? now : null, 'bench', now];
    }
  }
  n = await load(sink, 'training_registrations', ['id', 'training_id', 'enterprise_id', 'name', 'post', 'phone', 'attended',
    'checked_in_at', 'registered_by', 'created_at'], regRows());
  log(`trainings: 300 sessions, ${n} registrations`);

  if (PG) {
    for (const t of Object.keys(next)) {
      await sink.write(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT MAX(id) FROM ${t}));\n`);
    }
  }
  await sink.write('COMMIT;\n');
  log('committing …');
  await sink.end();
  // PostgreSQL's autovacuum vacuums and analyzes after a load like this one (planner
  // statistics, the visibility map for index-only scans); do it now rather than let it
  // run during the measurements. SQLite gets no statistics (qmslift never runs ANALYZE),
  // so it is measured without.
  if (PG) {
    log('VACUUM ANALYZE …');
    query('VACUUM ANALYZE');
  }
  log(`done: ${opt.enterprises} enterprises, ${answers} answers in ${secs()} s`);
}

main().catch((e) => { process.stderr.write(`gen-national: ${e.stack || e}\n`); process.exit(1); });
