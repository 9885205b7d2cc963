// pages/actions.js — 改进措施 (#/actions): the actions of the improvement plans
// (提升方案, 一企一策) in the caller's scope (the city all, a district its
// enterprises', a body those it wrote, an enterprise its own). Counters from
// the server's `counts` that act as filters, a filter bar, the table (stacked
// cards on a phone), pagination; 新建措施 for a certification body.
//
// Also the shared pieces of the action pages (action.js, action-form.js), the
// 帮扶台账 (enterprise.js) and the home page: the methods, the status tags, the
// progress bar and the due-date cell.
import { get } from '../api.js';
import { h, tag, statusTag, fmtDate, daysBetween } from '../util.js';
import { pageHeader, card, dataTable, pager, filterBar, select, emptyState } from '../ui.js';
import { allPages, loadDistricts } from './enterprise-common.js';

const PER_PAGE = 20;

// Method or tool of an action (src/core/diagnosis.c): key → label.
export const METHODS = [
  ['pdca', 'PDCA循环'],
  ['5s', '5S管理'],
  ['qc_tools', 'QC七种工具'],
  ['process_control', '过程控制'],
  ['supplier_evaluation', '供方评价'],
  ['training', '培训'],
  ['document_control', '文件控制'],
  ['internal_audit', '内部审核'],
  ['customer_feedback', '顾客反馈处理'],
  ['other', '其他'],
];

// The list filters of the hash (#/actions?status=open&overdue=true…) and the
// one 状态 choice they make in the filter bar and the counters.
const STATES = [
  ['open', '待开始', { status: 'open' }],
  ['in_progress', '进行中', { status: 'in_progress' }],
  ['ready', '待验证', { ready: 'true' }],
  ['overdue', '已逾期', { overdue: 'true' }],
  ['week', '本周到期', { due: 'week' }],
  ['verified', '已验证', { status: 'verified' }],
  ['closed', '已关闭', { status: 'closed' }],
];

export function todayOf(site) {
  if (site && site.today) return site.today;
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// Still to be done (the deadline matters): open or in progress.
export const working = (a) => a.status === 'open' || a.status === 'in_progress';

// Status tag, then 待验证 and 已逾期 beside it.
export function actionTags(a) {
  return h('span.act-tags', statusTag(a.status),
    a.status === 'in_progress' && a.ready ? tag('待验证', 'orange') : null,
    a.overdue ? tag('已逾期', 'red') : null);
}

// The progress bar: a <progress> (no inline style under the CSP) and the percentage.
export function progressBar(value, { big = false } = {}) {
  const v = Math.max(0, Math.min(100, Number(value) || 0));
  return h(`span.act-progress${big ? '.act-progress-big' : ''}${v >= 100 ? '.act-progress-full' : ''}`,
    h('progress.act-bar', { max: '100', value: String(v), 'aria-label': `完成进度 ${v}%` }),
    h('span.act-pct', `${v}%`));
}

// 完成期限: the date and, while the action is still to be done, the days left.
export function dueCell(a, today) {
  const date = h('span.act-due-date', fmtDate(a.due_date));
  if (!working(a) || !today || !a.due_date) return h('span.act-due', date);
  const n = daysBetween(today, a.due_date);
  let text; let cls;
  if (n < 0) { text = `已逾期 ${-n} 天`; cls = 'overdue'; }
  else if (n === 0) { text = '今日到期'; cls = 'soon'; }
  else if (n <= 7) { text = `还剩 ${n} 天`; cls = 'soon'; }
  else { text = `还剩 ${n} 天`; cls = 'later'; }
  return h(`span.act-due.act-due-${cls}`, date, h('span.act-due-days', text));
}

export function actionLink(a) {
  return h('a.act-title-link', { href: `#/actions/${a.id}`, text: a.title });
}

// Whether the user may verify, close, reopen and edit the actions it sees:
// the staff of the body the enterprise is assigned to now (docs/api.md:
// actions follow the current assignment). The server shows a body only the
// actions of its enterprises, so every body user who sees an action is that
// body; an action's `cb` is the body that wrote it, which may differ after a
// reassignment.
export function isActionBody(user) {
  return user.role === 'cb_staff' && !!user.unit;
}

// ---- 改进措施 list ---------------------------------------------------------

function stateOf(query) {
  for (const [key, , params] of STATES) {
    if (Object.entries(params).every(([k, v]) => query.get(k) === v)) return key;
  }
  return '';
}

export async function render(ctx) {
  const { el, query, user, site } = ctx;
  const role = user.role;
  const isCity = role === 'city_admin';
  const isEnt = role === 'enterprise';
  const today = todayOf(site);
  const state = stateOf(query);
  const base = {
    enterprise_id: isEnt ? '' : (query.get('enterprise_id') || ''),
    district: isCity ? (query.get('district') || '') : '',
  };
  const stateParams = state ? STATES.find((s) => s[0] === state)[2] : {};
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  const [ents, districts, data, all, week] = await Promise.all([
    isEnt ? Promise.resolve([]) : allPages('/enterprises').catch(() => []),
    isCity ? loadDistricts().catch(() => []) : Promise.resolve([]),
    get('/actions', { ...base, ...stateParams, page, per_page: PER_PAGE }),
    get('/actions', { ...base, per_page: 1 }),
    get('/actions', { ...base, due: 'week', per_page: 1 }),
  ]);
  if (!ctx.isCurrent()) return;
  const ent = base.enterprise_id ? ents.find((e) => String(e.id) === base.enterprise_id) : null;

  const actions = role === 'cb_staff'
    ? [h('a.btn.btn-primary', { href: `#/actions/new${base.enterprise_id ? `?enterprise_id=${base.enterprise_id}` : ''}`, id: 'act-new' }, '新建措施')]
    : [];
  const sub = {
    city_admin: '全市试点企业提升方案中的改进措施。',
    district_officer: '本区试点企业提升方案中的改进措施。',
    cb_staff: '本机构为帮扶企业制定的提升方案（一企一策）中的改进措施：企业报告完成后，由本机构验证有效再关闭。',
    enterprise: '本企业提升方案中的改进措施：按期落实，报告进度并上传证据材料，全部完成后申请认证机构验证。',
  }[role];
  el.append(pageHeader(ent ? `改进措施 · ${ent.name}` : '改进措施', { sub, actions }));

  // Counters: the whole scope (enterprise / district filters only), so that
  // they stay put while one of them is the filter.
  const c = all.counts || {};
  const goState = (key) => {
    const params = key ? STATES.find((s) => s[0] === key)[2] : {};
    ctx.setQuery({ ...base, ...params });
  };
  const counter = (key, label, n, colour) => h(`button.act-counter.act-counter-${colour}`, {
    type: 'button',
    'aria-pressed': String(state === key),
    dataset: { state: key || 'all' },
    on: { click: () => goState(key) },
  }, h('span.act-counter-n', String(Number(n) || 0)), h('span.act-counter-label', label));
  el.append(h('div.act-counters', { role: 'group', 'aria-label': '按状态筛选' },
    counter('', '全部', c.total, 'all'),
    counter('open', '待开始', c.open, 'grey'),
    counter('in_progress', '进行中', c.in_progress, 'blue'),
    counter('ready', '待验证', c.ready, 'orange'),
    counter('overdue', '已逾期', c.overdue, 'red'),
    counter('week', '本周到期', week.total, 'orange'),
    counter('verified', '已验证', c.verified, 'teal'),
    counter('closed', '已关闭', c.closed, 'green')));

  const fields = [
    { label: '状态', el: select('state', [['', '全部'], ...STATES.map(([k, l]) => [k, l])], state) },
    isEnt ? null : { label: '企业', el: select('enterprise_id', [['', '全部企业'], ...ents.map((e) => [String(e.id), e.name])], base.enterprise_id) },
    isCity ? { label: '所属区', el: select('district', [['', '全部'], ...districts.map((d) => [d.district, d.district])], base.district) } : null,
  ].filter(Boolean);
  const bar = filterBar(fields, (v) => {
    const params = v.state ? STATES.find((s) => s[0] === v.state)[2] : {};
    ctx.setQuery({ enterprise_id: v.enterprise_id, district: v.district, ...params });
  });
  bar.classList.add('filter-bar-grid', 'act-filter-bar');

  const filtered = !!(state || base.enterprise_id || base.district);
  const columns = [
    {
      primary: true,
      label: '措施',
      render: (a) => h('span.act-title-cell', actionLink(a),
        a.item_key ? h('span.cell-muted.act-item-key', { text: `问题 ${a.item_key}` }) : null),
    },
    isEnt ? null : { label: '企业', render: (a) => h('span.act-ent', { text: a.enterprise.name }) },
    { label: '方法工具', render: (a) => a.method_name || a.method, cls: 'nowrap' },
    { label: '责任人', render: (a) => h('span.act-owner', { text: a.owner }), cls: 'act-col-owner' },
    { label: '完成期限', render: (a) => dueCell(a, today), cls: 'nowrap' },
    { label: '进度', render: (a) => progressBar(a.progress), cls: 'nowrap act-col-progress' },
    { label: '状态', render: actionTags, cls: 'act-col-status' },
  ].filter(Boolean);
  const emptyHint = {
    cb_staff: ['还没有改进措施', '企业的现场诊断提交后，点击“新建措施”，针对诊断发现的问题制定提升方案。',
      h('a.btn.btn-primary', { href: '#/actions/new' }, '新建措施')],
    enterprise: ['本企业还没有改进措施', '认证机构完成现场诊断后，会针对发现的问题制定提升方案，改进措施会显示在这里。'],
  }[role] || ['还没有改进措施', '认证机构为试点企业制定提升方案后，改进措施会显示在这里。'];
  const table = dataTable(columns, data.items || [], {
    caption: '改进措施列表',
    rowClass: (a) => `act-row act-row-${a.status}${a.overdue ? ' act-row-overdue' : ''}${a.ready && a.status === 'in_progress' ? ' act-row-ready' : ''}`,
    empty: filtered
      ? emptyState('没有符合条件的改进措施', '请调整筛选条件，或点击“重置”查看全部措施。')
      : emptyState(...emptyHint),
  });
  table.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.act-row');
    if (!tr || e.target.closest('a, button')) return;
    const a = tr.querySelector('a.act-title-link');
    if (a) ctx.navigate(a.getAttribute('href'));
  });
  el.append(card(null, bar, table, pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ ...base, ...stateParams, page: p }),
  })));
}

// ---- A compact list for other pages (home, 帮扶台账) ------------------------

// A short list of actions: title, enterprise (optional), due date and tags.
export function actionMiniList(items, today, { showEnterprise = true } = {}) {
  return h('ul.act-mini', items.map((a) => h('li.act-mini-item',
    h('div.act-mini-main', actionLink(a),
      showEnterprise ? h('span.act-mini-ent', { text: a.enterprise.name }) : null),
    h('div.act-mini-meta', dueCell(a, today), actionTags(a)))));
}
