// pages/deadlines.js — 报送进度 (#/deadlines): the matrix of units × the
// programme's statutory deadlines (GET /deadlines/matrix) with one coloured
// state cell each (ui.md: 即将到期 orange, 已逾期 red, 已完成 green), the date for
// the done ones, a legend, the counts per deadline and filters (单位类型, 状态).
// The city sees every district bureau and certification body; a district
// officer its own row. At phone width every unit becomes a stacked card.
//
// Also the deadline vocabulary shared by the report pages (reports.js,
// report.js, reminders.js) and the 报送事项 card of the home page
// (mountHomeCard, called from pages/home.js).
import { get } from '../api.js';
import { h, tag, fmtDate, daysLeftText } from '../util.js';
import {
  pageHeader, card, filterBar, select, emptyState, errorBox,
} from '../ui.js';

// Deadline state (docs/api.md "Deadlines") → label and tag colour.
export const DL_STATES = {
  upcoming: ['未到期', 'blue'],
  due_soon: ['即将到期', 'orange'],
  overdue: ['已逾期', 'red'],
  done: ['已完成', 'green'],
  done_late: ['逾期完成', 'done-late'],
  not_applicable: ['不适用', 'grey-outline'],
};
const STATE_ORDER = ['done', 'done_late', 'due_soon', 'overdue', 'upcoming', 'not_applicable'];
const LEGEND = [
  ['upcoming', '距截止 14 天以上'],
  ['due_soon', '13 天内截止'],
  ['overdue', '已过截止日期未报送'],
  ['done', '按期报送'],
  ['done_late', '截止后报送'],
  ['not_applicable', '不属于报送范围'],
];

export function dlTag(state) {
  const [label, colour] = DL_STATES[state] || [state || '—', 'grey'];
  return tag(label, colour);
}

export const UNIT_KIND_SHORT = { district: '区', cb: '认证机构', city: '市局' };

export function unitKindTag(kind) {
  return kind ? h(`span.dl-kind.dl-kind-${kind}`, { text: UNIT_KIND_SHORT[kind] || kind }) : null;
}

// 已完成 2021-05-10 / 还剩 8 天 / 已逾期 79 天 — the words beside a state tag.
export function stateNote(item) {
  if (!item) return '';
  if (item.state === 'done' || item.state === 'done_late') return item.done_at ? `${fmtDate(item.done_at)} 报送` : '';
  if (item.state === 'not_applicable') return '';
  return daysLeftText(item.days_left);
}

// Counts of one deadline as small tags (states with a count only), the
// applicable total last.
function countChips(counts, { compact = false } = {}) {
  const c = counts || {};
  const applicable = STATE_ORDER.filter((s) => s !== 'not_applicable').reduce((n, s) => n + (Number(c[s]) || 0), 0);
  const chips = STATE_ORDER.filter((s) => s !== 'not_applicable' && Number(c[s]))
    .map((s) => h(`span.dl-chip.dl-chip-${s}`, { title: DL_STATES[s][0] },
      h('span.dl-chip-label', DL_STATES[s][0]), h('span.dl-chip-n', String(c[s]))));
  const done = (Number(c.done) || 0) + (Number(c.done_late) || 0);
  return h('div.dl-chips',
    chips.length ? chips : h('span.cell-muted', '无应报送单位'),
    compact ? null : h('span.dl-chip-total', `已报送 ${done} / 应报送 ${applicable}`));
}

// ---- Matrix page -------------------------------------------------------------

const KINDS = [['', '全部单位'], ['district', '区市场监管局'], ['cb', '认证机构']];
const STATES = [['', '全部状态'], ...STATE_ORDER.filter((s) => s !== 'not_applicable').map((s) => [s, DL_STATES[s][0]])];

function legend() {
  return h('ul.dl-legend', { 'aria-label': '图例' }, LEGEND.map(([s, note]) => h('li.dl-legend-item',
    h(`span.dl-swatch.dl-s-${s}`, { 'aria-hidden': 'true' }), dlTag(s), h('span.dl-legend-note', note))));
}

// The reports filed so far, so a report cell links to its report.
async function reportIndex(user) {
  if (user.role !== 'city_admin' && user.role !== 'district_officer') return new Map();
  try {
    const r = await get('/reports', { per_page: 200 });
    return new Map((r.items || []).map((x) => [`${x.unit && x.unit.id}:${x.kind}`, x.id]));
  } catch {
    return new Map();
  }
}

function cell(d, u, reports) {
  const c = (u.cells || {})[d.key] || { state: 'not_applicable' };
  const id = reports.get(`${u.id}:${d.key}`);
  const inner = [dlTag(c.state),
    c.done_at ? h('span.dl-cell-date', fmtDate(c.done_at)) : null];
  return h(`td.dl-cell.dl-s-${c.state}`, { dataset: { label: d.name, key: d.key, state: c.state } },
    id ? h('a.dl-cell-link', { href: `#/reports/${id}`, title: '查看报告' }, inner) : h('span.dl-cell-in', inner));
}

function matrixTable(data, reports, { counts = true, scope = '全部单位' } = {}) {
  const deadlines = data.deadlines || [];
  const units = data.units || [];
  const thead = h('thead', h('tr',
    h('th.dl-unit-col', { scope: 'col' }, '单位'),
    deadlines.map((d) => h('th.dl-head', { scope: 'col' },
      h('span.dl-head-name', { text: d.name }), h('span.dl-head-due', `截止 ${fmtDate(d.due)}`)))));
  const tbody = h('tbody', units.map((u) => h('tr.dl-row', { dataset: { unit: String(u.id), kind: u.kind } },
    h('th.td-primary.dl-unit', { scope: 'row' },
      h('span.dl-unit-name', { text: u.name }), unitKindTag(u.kind),
      u.kind === 'district' || u.kind === 'cb' ? (u.pilot ? tag('试点', 'blue') : null) : null),
    deadlines.map((d) => cell(d, u, reports)))));
  const tfoot = counts && h('tfoot', h('tr.dl-counts',
    h('th.td-primary', { scope: 'row' }, '各期限统计', h('span.dl-counts-note', `（${scope}）`)),
    deadlines.map((d) => h('td', { dataset: { label: d.name, key: d.key } }, countChips((data.counts || {})[d.key], { compact: false })))));
  return h('div.table-wrap.dl-matrix-wrap',
    h('table.table.table-stack.dl-matrix', h('caption.sr-only', '各单位报送进度'), thead, tbody, tfoot));
}

export async function render(ctx) {
  const { el, user, query } = ctx;
  const city = user.role === 'city_admin';
  const kind = city ? (query.get('kind') || '') : '';
  const state = city ? (query.get('state') || '') : '';
  el.append(pageHeader('报送进度', {
    sub: city
      ? '各区市场监管局和认证机构对申报表、工作方案、中期推进情况和年度总结的报送情况；状态按模拟日期计算。'
      : '本单位各报送事项的进度；全市进度由市局汇总查看。',
  }));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null,
    city ? filterBar([
      { label: '单位类型', el: select('kind', KINDS, kind) },
      { label: '状态', el: select('state', STATES, state) },
    ], (v) => ctx.setQuery({ kind: v.kind, state: v.state })) : null,
    legend(), body));

  let data;
  let reports;
  try {
    [data, reports] = await Promise.all([get('/deadlines/matrix', { kind, state }), reportIndex(user)]);
  } catch (err) {
    if (ctx.isCurrent()) body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const units = data.units || [];
  body.replaceChildren(...[
    h('p.dl-summary', { id: 'dl-summary' },
      `数据截至 ${fmtDate(data.today)} · 共 ${units.length} 个单位`,
      state ? h('span.cell-muted', `（仅列出有“${DL_STATES[state] ? DL_STATES[state][0] : state}”事项的单位；统计行不受状态筛选影响）`) : null),
    units.length
      ? h('p.dl-phone-dues', '截止日期：', (data.deadlines || []).map((d) => h('span.dl-phone-due', `${d.name} ${fmtDate(d.due)}`)),
        h('span.dl-phone-due.cell-muted', '不适用的事项不列出'))
      : null,
    units.length
      ? matrixTable(data, reports, { counts: city, scope: kind === 'cb' ? '全部认证机构' : kind === 'district' ? '全部区市场监管局' : '全部单位' })
      : emptyState(state ? '没有处于该状态的单位' : '没有符合条件的单位', '请调整筛选条件，或点击“重置”查看全部。'),
    city ? h('p.card-foot-note', '点击中期推进情况、年度总结的单元格可打开对应报告。') : null,
  ].filter(Boolean));
}

// ---- Home page card (报送事项) ---------------------------------------------

// Inserted by pages/home.js after the page is drawn: for a district bureau or
// a certification body its deadline items (state, due date, days left, link)
// and its extras (监督审核, 改进措施); for the city the counts per deadline.
// Returns the deadlines it drew (the home page marks its tasks with them), or
// undefined when there is no card.
export async function mountHomeCard(el, user) {
  if (!user || user.role === 'enterprise') return;
  let data;
  try {
    data = await get('/deadlines');
  } catch {
    return; // the home page keeps its other cards; 工作日程 shows the dates
  }
  const c = user.role === 'city_admin' ? cityCard(data) : unitCard(data);
  c.id = 'home-deadlines';
  c.classList.add('dl-home-card');
  const side = el.querySelector('.home-side');
  if (side) side.prepend(c);
  else el.append(c);
  return data;
}

function unitCard(data) {
  const items = (data.items || []).filter((d) => d.state !== 'not_applicable');
  const skipped = (data.items || []).length - items.length;
  const head = h('div.card-head-row', h('h2.card-title', '报送事项'),
    h('a.card-link', { href: data.unit && data.unit.kind === 'district' ? '#/deadlines' : '#/reports' },
      data.unit && data.unit.kind === 'district' ? '报送进度 →' : '总结报告 →'));
  const list = h('ul.dl-home-list', items.map((d) => h(`li.dl-home-item.dl-home-${d.state}`, { dataset: { key: d.key } },
    h('div.dl-home-main',
      h('a.dl-home-name', { href: d.link || '#/calendar', text: d.name }),
      h('span.dl-home-meta', `截止 ${fmtDate(d.due)}`, stateNote(d) ? ` · ${stateNote(d)}` : '')),
    dlTag(d.state))));
  const extras = (data.extras || []).map((x) => extraLine(x));
  return card(head,
    items.length ? list : h('p.empty-hint', '本单位当前没有需要报送的事项。'),
    skipped ? h('p.dl-home-note', `另有 ${skipped} 项报送事项不适用于本单位。`) : null,
    extras.length ? h('div.dl-home-extras', extras) : null);
}

function extraLine(x) {
  const parts = [];
  if (x.key === 'surveillance') {
    parts.push(h(`span.dl-extra-n${x.overdue ? '.dl-extra-bad' : ''}`, `已逾期 ${Number(x.overdue) || 0}`),
      h(`span.dl-extra-n${x.due_soon ? '.dl-extra-warn' : ''}`, `即将到期 ${Number(x.due_soon) || 0}`));
  } else {
    parts.push(h(`span.dl-extra-n${x.overdue ? '.dl-extra-bad' : ''}`, `已逾期 ${Number(x.overdue) || 0}`),
      h(`span.dl-extra-n${x.due_week ? '.dl-extra-warn' : ''}`, `本周到期 ${Number(x.due_week) || 0}`));
  }
  if (x.next_due) parts.push(h('span.dl-extra-next', `最近 ${fmtDate(x.next_due)}`));
  return h('a.dl-extra', { href: x.link || '#/home', dataset: { key: x.key } },
    h('span.dl-extra-name', { text: x.name }), h('span.dl-extra-parts', parts), h('span.dl-extra-go', { 'aria-hidden': 'true' }, '→'));
}

function cityCard(data) {
  const head = h('div.card-head-row', h('h2.card-title', '报送进度'),
    h('a.card-link', { href: '#/deadlines' }, '报送进度 →'));
  const items = data.items || [];
  return card(head,
    items.length
      ? h('ul.dl-home-list', items.map((d) => h('li.dl-home-item.dl-home-city', { dataset: { key: d.key } },
        h('div.dl-home-main',
          h('a.dl-home-name', { href: '#/deadlines', text: d.name }),
          h('span.dl-home-meta', `截止 ${fmtDate(d.due)} · ${d.days_left < 0 ? '已截止' : daysLeftText(d.days_left)}`)),
        countChips(d.counts, { compact: true }))))
      : h('p.empty-hint', '本行动没有设置报送截止日期。'));
}
