// pages/reports.js — 中期推进情况 · 年度总结 (#/reports).
// A district bureau or a certification body: its reports by kind with the
// status, the due date and the deadline state from the deadline service, and
// 新建 for the kinds it must file (the server's 422 shown for one that does
// not apply). The city: every report with filters (类型, 状态, 单位), the
// 逾期提交 flag and pagination.
//
// Also the pieces shared with the report page (report.js): kinds, the text
// sections, figure formatting, the figure cards and the records dialog.
import { get, post } from '../api.js';
import { h, tag, statusTag, fmtDate, fmtDateTime } from '../util.js';
import {
  pageHeader, card, dataTable, pager, filterBar, select, emptyState, errorBox, openDialog,
} from '../ui.js';
import { dlTag, stateNote, unitKindTag } from './deadlines.js';

const PER_PAGE = 20;

// Report kinds (docs/api.md "Reports") and their text sections.
export const KINDS = {
  midterm: { label: '中期推进情况', full: '中期推进情况' },
  annual: { label: '年度总结', full: '年度工作总结及复制推广计划' },
};
export const KIND_KEYS = ['midterm', 'annual'];

export const SECTIONS = {
  midterm: [
    ['progress', '工作进展', '试点工作开展情况：试点企业、问题诊断、帮扶措施、认证和培训等方面的进展与成效。'],
    ['problems', '存在的问题和不足', '工作推进中遇到的困难、问题和不足。'],
    ['next_steps', '下一步举措', '下一阶段的工作安排和具体措施。'],
  ],
  annual: [
    ['summary', '年度工作开展情况', '全年试点工作的组织实施、主要做法和取得的成效。'],
    ['replication_plan', '下一年度复制推广计划', '下一年度在本区推广质量管理体系认证提升的计划安排。'],
    ['cases_note', '典型案例和标杆企业情况', '推荐的典型案例和标杆企业及其主要做法；案例和企业的详细材料在', [['#/cases', '典型案例'], ['#/benchmarks', '标杆企业']]],
  ],
};

export const kindLabel = (k) => (KINDS[k] ? KINDS[k].label : k);

export function lateTag(r) {
  return r && r.late ? tag('逾期提交', 'red-outline') : null;
}

// ---- Figures -----------------------------------------------------------------

// Changes (平均得分提升, 指标变化) carry a sign and at least one decimal; counts
// are whole numbers.
export function isChange(f) {
  return f.key === 'avg_score_change' || String(f.key).startsWith('ind_');
}

export function fmtValue(f) {
  const v = Number(f.value);
  if (!Number.isFinite(v)) return '—';
  if (!isChange(f)) return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  let s = Math.abs(v).toFixed(2).replace(/0$/, '');
  if (s.endsWith('.')) s += '0';
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${s}`;
}

function recordsCount(f) {
  return Array.isArray(f.records) ? f.records.length : Number(f.records) || 0;
}

// The figure cards: each a button that opens the records behind it.
export function figureGrid(figures, onOpen) {
  if (!figures.length) return emptyState('暂无主要数据', '登记试点企业、开展诊断和培训后，这里会自动汇总。');
  return h('ul.rpt-figures', figures.map((f) => {
    const n = recordsCount(f);
    const change = isChange(f);
    const v = Number(f.value);
    return h('li.rpt-figure-item',
      h(`button.rpt-figure${change ? '.rpt-figure-change' : ''}${change && v > 0 ? '.rpt-up' : ''}${change && v < 0 ? '.rpt-down' : ''}`, {
        type: 'button',
        dataset: { key: f.key },
        'aria-haspopup': 'dialog',
        on: { click: () => onOpen(f) },
      },
      h('span.rpt-figure-label', { text: f.label }),
      h('span.rpt-figure-value', h('span.rpt-figure-n', fmtValue(f)), h('span.rpt-figure-unit', { text: f.unit || '' })),
      h('span.rpt-figure-foot', `依据 ${n} 条记录`, h('span.rpt-figure-go', { 'aria-hidden': 'true' }, ' 查看 →'))));
  }));
}

const RECORD_TYPES = {
  enterprise: ['企业', (id) => `#/enterprises/${id}`],
  action: ['改进措施', (id) => `#/actions/${id}`],
  certificate: ['认证证书', (id) => `#/certificates/${id}`],
  training: ['培训', (id) => `#/trainings/${id}`],
};

export function recordsTable(records) {
  return dataTable([
    { label: '序号', render: (_, i) => String(i + 1), cls: 'col-no' },
    { label: '类型', render: (r) => tag((RECORD_TYPES[r.type] || [r.type])[0], 'grey'), cls: 'nowrap' },
    {
      primary: true,
      label: '名称',
      render: (r) => {
        const t = RECORD_TYPES[r.type];
        return t && r.id ? h('a.rpt-rec-link', { href: t[1](r.id), text: r.name || `#${r.id}` }) : h('span', { text: r.name || '—' });
      },
    },
    { label: '说明', render: (r) => (r.detail ? h('span', { text: r.detail }) : null) },
  ], records, { caption: '数据依据的记录', empty: emptyState('没有记录', '该项数据当前为 0。') });
}

// The dialog listing the records behind a figure. `load` gives the figure with
// its records (GET /reports/{id}/figures/{key}, or a stored version's figure).
export function openFigureDialog(f, { load, frozen, at }) {
  const body = h('div.rpt-rec-body', h('p.loading', '正在加载…'));
  const done = openDialog({
    title: `${f.label}：${fmtValue(f)} ${f.unit || ''}`,
    body,
    className: 'dialog-wide rpt-rec-dialog',
    actions: [{ label: '关闭', kind: 'primary', value: true }],
  });
  // A link inside the dialog navigates: close the dialog first.
  body.addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="#/"]');
    if (!a) return;
    const dlg = body.closest('dialog');
    if (dlg) dlg.close();
  });
  (async () => {
    try {
      const full = await load();
      const recs = full.records || [];
      body.replaceChildren(
        h('p.rpt-rec-meta',
          frozen ? tag('已冻结', 'blue') : tag('实时', 'teal'),
          h('span', `数据截至 ${fmtDate(at)}`),
          h('span', { id: 'rpt-rec-count' }, `共 ${recs.length} 条记录`),
          recs.length !== Number(full.value) && !isChange(full)
            ? h('span.cell-muted', `（${full.label} ${fmtValue(full)} ${full.unit || ''}，按记录汇总）`)
            : null),
        recordsTable(recs));
    } catch (err) {
      body.replaceChildren(errorBox(err));
    }
  })();
  return done;
}

// ---- List page ---------------------------------------------------------------

export async function render(ctx) {
  if (ctx.user.role === 'city_admin') return cityList(ctx);
  return unitList(ctx);
}

// A unit: one row per kind of the programme's report deadlines.
async function unitList(ctx) {
  const { el, user, query } = ctx;
  const want = query.get('kind') || '';
  el.append(pageHeader('中期推进情况与年度总结', {
    sub: `${user.unit ? user.unit.name : ''} · 报送中期推进情况和年度工作总结；主要数据由平台按业务记录自动汇总，提交时冻结。`,
  }));
  const msg = h('div', { id: 'rpt-create-msg' });
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(msg, card(null, body));
  let dl;
  let mine;
  try {
    [dl, mine] = await Promise.all([get('/deadlines'), get('/reports', { per_page: 50 })]);
  } catch (err) {
    if (ctx.isCurrent()) body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const items = dl.items || [];
  const byKind = new Map((mine.items || []).map((r) => [r.kind, r]));
  const rows = KIND_KEYS.map((k) => ({ kind: k, item: items.find((d) => d.key === k) || null, report: byKind.get(k) || null }))
    .filter((r) => r.item || r.report);

  const create = async (kind, btn) => {
    msg.replaceChildren();
    btn.disabled = true;
    try {
      const r = await post('/reports', { kind });
      ctx.navigate(`#/reports/${r.id}`);
    } catch (err) {
      btn.disabled = false;
      msg.replaceChildren(h('div.alert.alert-error', { role: 'alert' }, `无法新建${kindLabel(kind)}：${err.message}`));
    }
  };

  body.replaceChildren(dataTable([
    {
      primary: true,
      label: '报告',
      render: (r) => h('span.rpt-kind-cell',
        r.report ? h('a.cell-strong', { href: `#/reports/${r.report.id}` }, kindLabel(r.kind)) : h('span.cell-strong', kindLabel(r.kind)),
        KINDS[r.kind].full !== KINDS[r.kind].label ? h('span.cell-muted', KINDS[r.kind].full) : null),
    },
    { label: '截止日期', render: (r) => (r.item ? fmtDate(r.item.due) : '—'), cls: 'nowrap' },
    {
      label: '报送状态',
      render: (r) => (r.item ? h('span.rpt-state', dlTag(r.item.state), stateNote(r.item) ? h('span.rpt-state-note', stateNote(r.item)) : null) : '—'),
    },
    {
      label: '报告状态',
      render: (r) => (r.report
        ? h('span.rpt-tags', statusTag(r.report.status), lateTag(r.report), r.report.version ? h('span.cell-muted', `第 ${r.report.version} 版`) : null)
        : h('span.cell-muted', '未新建')),
    },
    { label: '提交时间', render: (r) => (r.report && r.report.submitted_at ? fmtDateTime(r.report.submitted_at) : '—'), cls: 'nowrap' },
    {
      label: '操作',
      cls: 'col-actions',
      render: (r) => {
        if (r.report) {
          const edit = r.report.status === 'draft' || r.report.status === 'returned';
          return h('a.btn.btn-small', { href: `#/reports/${r.report.id}`, class: edit ? 'btn-primary' : undefined }, edit ? '填写' : '查看');
        }
        if (r.item && r.item.state === 'not_applicable') {
          return h('span.cell-muted', r.kind === 'midterm' ? '由参与试点的单位报送' : '由区市场监管局报送');
        }
        const btn = h('button.btn.btn-small.btn-primary', { type: 'button', dataset: { kind: r.kind } }, '新建');
        btn.addEventListener('click', () => create(r.kind, btn));
        return btn;
      },
    },
  ], rows, {
    caption: '本单位的报告',
    rowClass: (r) => [`rpt-row-${r.kind}`, r.kind === want ? 'rpt-row-want' : ''].filter(Boolean).join(' '),
    empty: emptyState('本行动没有需要报送的报告', '报送事项以市局发布的工作日程为准。'),
  }),
  h('p.card-foot-note', '新建后草稿自动带入本单位的主要数据（试点企业、诊断、改进措施、获证和培训情况）；提交前可多次保存草稿。'));
  const focus = want && body.querySelector('.rpt-row-want');
  if (focus) focus.scrollIntoView({ block: 'nearest' });
}

const STATUSES = [['', '全部状态'], ['submitted', '已提交（待审核）'], ['returned', '已退回'], ['accepted', '已通过'], ['draft', '草稿']];
const KIND_OPTIONS = [['', '全部类型'], ['midterm', '中期推进情况'], ['annual', '年度总结']];

// All pages of /reports (small: at most two reports per unit).
async function allReports(params) {
  const out = [];
  for (let page = 1; page < 50; page++) {
    const r = await get('/reports', { ...params, page, per_page: 200 });
    out.push(...(r.items || []));
    if (out.length >= (r.total || 0) || !(r.items || []).length) break;
  }
  return out;
}

async function cityList(ctx) {
  const { el, query } = ctx;
  const kind = query.get('kind') || '';
  const status = query.get('status') || '';
  const q = (query.get('q') || '').trim();
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  el.append(pageHeader('中期推进情况与年度总结', {
    sub: '各试点单位报送的中期推进情况和各区年度工作总结：审核、退回或通过；报送进度见“报送进度”。',
    actions: [h('a.btn', { href: '#/deadlines' }, '报送进度')],
  }));
  const search = h('input', { type: 'search', name: 'q', value: q, placeholder: '单位名称', autocomplete: 'off' });
  const bar = filterBar([
    { label: '报告类型', el: select('kind', KIND_OPTIONS, kind) },
    { label: '状态', el: select('status', STATUSES, status) },
    { label: '单位', el: search },
  ], (v) => ctx.setQuery({ kind: v.kind, status: v.status, q: v.q }));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  let items;
  let total;
  let matrix = null;
  let deadlines = new Map();
  try {
    const extra = Promise.all([
      get('/deadlines/matrix').catch(() => null),
      get('/deadlines').catch(() => null),
    ]);
    if (q) {
      // The API filters by unit id: find the units by name, then page here.
      const all = await allReports({ kind, status });
      const needle = q.toLowerCase();
      const hits = all.filter((r) => String((r.unit && r.unit.name) || '').toLowerCase().includes(needle));
      total = hits.length;
      items = hits.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    } else {
      const r = await get('/reports', { kind, status, page, per_page: PER_PAGE });
      items = r.items || [];
      total = r.total || 0;
    }
    const [m, d] = await extra;
    matrix = m;
    if (d) deadlines = new Map((d.items || []).map((x) => [x.key, x]));
  } catch (err) {
    if (ctx.isCurrent()) body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const cellOf = (r) => {
    const u = matrix && (matrix.units || []).find((x) => r.unit && x.id === r.unit.id);
    return u && u.cells ? u.cells[r.kind] : null;
  };
  const waiting = items.filter((r) => r.status === 'submitted').length;
  body.replaceChildren(...[
    !status && waiting ? h('p.rpt-waiting', `本页有 ${waiting} 份报告待审核。`) : null,
    dataTable([
      {
        primary: true,
        label: '单位',
        render: (r) => h('span.rpt-unit-cell',
          h('a.cell-strong', { href: `#/reports/${r.id}`, text: (r.unit && r.unit.name) || `#${r.id}` }),
          unitKindTag(r.unit && r.unit.kind)),
      },
      { label: '报告类型', render: (r) => kindLabel(r.kind), cls: 'nowrap' },
      {
        label: '截止日期',
        render: (r) => {
          const d = deadlines.get(r.kind);
          return d ? fmtDate(d.due) : '—';
        },
        cls: 'nowrap',
      },
      {
        label: '报送状态',
        render: (r) => {
          const c = cellOf(r);
          return c ? h('span.rpt-state', dlTag(c.state), c.done_at ? h('span.rpt-state-note', `${fmtDate(c.done_at)} 报送`) : null) : '—';
        },
      },
      { label: '报告状态', render: (r) => h('span.rpt-tags', statusTag(r.status), lateTag(r)), cls: 'nowrap' },
      { label: '版本', render: (r) => (r.version ? `第 ${r.version} 版` : '—'), cls: 'nowrap' },
      { label: '提交时间', render: (r) => (r.submitted_at ? fmtDateTime(r.submitted_at) : '未提交'), cls: 'nowrap' },
      {
        label: '操作',
        cls: 'col-actions',
        render: (r) => h('a.btn.btn-small', { href: `#/reports/${r.id}`, class: r.status === 'submitted' ? 'btn-primary' : undefined },
          r.status === 'submitted' ? '审核' : '查看'),
      },
    ], items, {
      caption: '各单位报告',
      rowClass: (r) => (r.status === 'submitted' ? 'rpt-row-waiting' : undefined),
      empty: kind || status || q
        ? emptyState('没有符合条件的报告', '请调整筛选条件，或点击“重置”查看全部。')
        : emptyState('还没有单位新建报告', '试点单位在“中期推进情况与年度总结”中新建并提交后，将在这里审核；各单位进度见“报送进度”。',
          h('a.btn.btn-primary', { href: '#/deadlines' }, '查看报送进度')),
    }),
    pager({ total, page, perPage: PER_PAGE, onPage: (p) => ctx.setQuery({ kind, status, q, page: p }) }),
  ].filter(Boolean));
}

