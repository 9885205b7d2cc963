// pages/dashboard.js — 数据看板 (#/dashboard; the city, districts, certification
// bodies): the programme's enterprises by stage (登记 → 诊断 → 提升 → 获证) against the
// work plans' targets, by district and by industry; improvement actions by status;
// diagnosis scores first vs latest (by district, or by industry within one district)
// and per clause (radar); the deadlines' states. Every chart is drawn with Apache
// ECharts (served by qmslift from web/vendor/, loaded once by a <script> element) from
// one GET /api/v1/stats/… answer, carries a caption saying what its numbers mean, and
// a 数据表 button showing the same numbers as a table. The server scopes the data:
// the city sees all (and may pick a district), a district its own enterprises, a body
// those assigned to it.
import { get } from '../api.js';
import { h, statusTag, tag, fmtDate } from '../util.js';
import { pageHeader, card, dataTable, filterBar, select, emptyState } from '../ui.js';

// ---- Loading ECharts and the page's stylesheet once --------------------------

let echartsLoading = null;
function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!echartsLoading) {
    echartsLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = 'vendor/echarts.min.js';
      s.addEventListener('load', () => (window.echarts ? resolve(window.echarts) : reject(new Error('图表组件加载失败'))));
      s.addEventListener('error', () => {
        echartsLoading = null;
        s.remove();
        reject(new Error('图表组件（vendor/echarts.min.js）加载失败，请刷新页面重试；如仍失败，请联系管理员运行 make run 安装前端依赖。'));
      });
      document.head.append(s);
    });
  }
  return echartsLoading;
}

let cssLoading = null;
function loadCss() {
  if (!cssLoading) {
    cssLoading = new Promise((resolve) => {
      const link = h('link', { rel: 'stylesheet', href: 'css/dashboard.css' });
      link.addEventListener('load', resolve);
      link.addEventListener('error', resolve); // unstyled beats no page
      document.head.append(link);
    });
  }
  return cssLoading;
}

// ---- Charts on the page: resized with the window, disposed when the page goes ----

const live = new Map(); // chart → its option
let resizeQueued = false;
window.addEventListener('resize', () => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    for (const [c, option] of live) {
      if (!c.getDom().isConnected) { c.dispose(); live.delete(c); continue; }
      c.resize({ animation: { duration: 0 } });
      const top = legendTop(option, c.getWidth());
      const grid = c.getOption().grid;
      if (top !== undefined && grid && grid[0] && grid[0].top !== top) c.setOption({ grid: { top } }, { lazyUpdate: false });
    }
  });
});
function disposeAll() {
  for (const c of live.keys()) c.dispose();
  live.clear();
}

// A legend at the top wraps onto more lines on a narrow chart: the plot starts below
// it. Estimated from the labels (ECharts lays the legend out itself but does not move
// the grid); undefined for charts without a top legend.
function legendTop(option, width) {
  if (!option.legend || option.legend.bottom !== undefined || !option.grid) return undefined;
  const names = (option.series || []).flatMap((x) => (x.type === 'radar' ? [] : [x.name]));
  let rows = 1;
  let line = 0;
  for (const n of names) {
    const w = 25 + 13 * n.length + 10;
    if (line && line + w > width - 16) { rows++; line = 0; }
    line += w;
  }
  return 12 + rows * 24;
}

// ---- Vocabulary and colours (ui.md) -------------------------------------------

const STAGES = [
  ['enrolled', '已登记', '#7f9cc4'],
  ['diagnosed', '已诊断', '#1a56a8'],
  ['improving', '提升中', '#d9822b'],
  ['certified', '已获证', '#1e7a3e'],
];
const TARGET_COLOUR = '#b42318';
const ACTION_STATES = [
  ['open', '待开始', '#8c939d'],
  ['in_progress', '进行中', '#1a56a8'],
  ['verified', '已验证', '#0c8585'],
  ['closed', '已关闭', '#1e7a3e'],
];
const DEADLINE_STATES = [
  ['done', '已完成', 'green'],
  ['done_late', '逾期完成', 'orange'],
  ['upcoming', '未到期', 'blue'],
  ['due_soon', '即将到期', 'orange'],
  ['overdue', '已逾期', 'red'],
  ['not_applicable', '不适用', 'grey'],
];

const num = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('zh-CN'));
const score = (v) => (v === null || v === undefined ? '—' : Number(v).toFixed(2));
const signed = (v) => (v === null || v === undefined ? '—' : `${v > 0 ? '+' : ''}${Number(v).toFixed(2)}`);
const percent = (a, b) => (b ? `${Math.round((a / b) * 1000) / 10}%` : '—');

// The options every chart shares: Chinese font, tooltips drawn on the canvas
// (richText: the HTML tooltip would need inline styles, which the CSP refuses).
function baseOption() {
  return {
    textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
    tooltip: { renderMode: 'richText', confine: true },
    animationDuration: 300,
  };
}

// ---- Building blocks ------------------------------------------------------------

let seq = 0;
// A card holding one chart: title, caption, the chart, and a 数据表 toggle with the table.
function chartCard({ key, title, caption, table, wide = false, empty = null, rows = 0 }) {
  const id = `chart-${key}`;
  const titleId = `${id}-title`;
  const tableBox = h('div.dash-table', { id: `${id}-table-${++seq}`, hidden: true }, table);
  const toggle = h('button.btn.btn-small.dash-toggle', {
    type: 'button', 'aria-expanded': 'false', 'aria-controls': tableBox.id,
    on: {
      click: () => {
        const open = tableBox.hidden;
        tableBox.hidden = !open;
        toggle.setAttribute('aria-expanded', String(open));
        toggle.textContent = open ? '收起数据表' : '数据表';
      },
    },
  }, '数据表');
  // Bar charts with one category per row grow with their rows (set before drawing).
  const chart = empty ? null : h('div.dash-chart', { id, role: 'img', 'aria-labelledby': titleId, 'aria-describedby': `${id}-caption` });
  if (chart && rows) chart.style.height = `${Math.max(260, rows * 40 + 80)}px`;
  const section = h('section.card.dash-card', { class: wide ? 'dash-wide' : undefined, 'aria-labelledby': titleId, dataset: { chart: key } },
    h('div.card-head', h('div.card-head-row', h('h2.card-title', { id: titleId, text: title }), empty ? null : toggle)),
    h('div.card-body',
      h('p.dash-caption', { id: `${id}-caption`, text: caption }),
      chart || empty,
      empty ? null : tableBox));
  return { section, chart };
}

// Horizontal grouped bars of the stages per key, with the work plans' target as a
// red marker line through each category.
function stagesOption(items) {
  const keys = items.map((r) => r.key || '未填写');
  const hasTarget = items.some((r) => r.target > 0);
  return {
    ...baseOption(),
    color: STAGES.map((s) => s[2]),
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 30, containLabel: true },
    xAxis: { type: 'value', name: '企业数（家）', nameLocation: 'middle', nameGap: 26, minInterval: 1 },
    yAxis: { type: 'category', data: keys, inverse: true, axisLabel: { width: 84, overflow: 'truncate' } },
    tooltip: { ...baseOption().tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    series: [
      ...STAGES.map(([k, label]) => ({ name: label, type: 'bar', data: items.map((r) => r[k]), barMaxWidth: 14 })),
      ...(hasTarget ? [{
        name: '计划目标', type: 'scatter', symbol: 'rect', symbolSize: [3, 30], itemStyle: { color: TARGET_COLOUR },
        encode: { x: 0, y: 1 }, data: items.filter((r) => r.target > 0).map((r) => [r.target, r.key || '未填写']), z: 5,
      }] : []),
    ],
  };
}

function stagesTable(items, label) {
  return dataTable([
    { label, primary: true, render: (r) => h('span.cell-strong', { text: r.key || '未填写' }) },
    { label: '计划目标', cls: 'num', render: (r) => num(r.target) },
    ...STAGES.map(([k, l]) => ({ label: l, cls: 'num', render: (r) => num(r[k]) })),
    { label: '获证率（对目标）', cls: 'num', render: (r) => percent(r.certified, r.target) },
  ], items, { caption: `按${label}的推进情况`, empty: emptyState('暂无数据') });
}

function scopeText(data, user) {
  const s = data.scope || {};
  if (s.level === 'cb') return `${s.unit || '本机构'}服务的试点企业${s.district ? `（${s.district}）` : ''}`;
  if (s.district) return `${s.district}的试点企业`;
  return user.role === 'city_admin' ? '全市试点企业' : '试点企业';
}

// ---- The page ---------------------------------------------------------------------

export async function render(ctx) {
  const { el, user, query } = ctx;
  disposeAll();
  const canPick = user.role === 'city_admin' || user.role === 'cb_staff';
  const district = canPick ? (query.get('district') || '') : '';
  const p = district ? { district } : {};
  const [echarts, , overview, byDistrict, byIndustry, deadlines, units] = await Promise.all([
    loadECharts(),
    loadCss(),
    get('/stats/overview', p),
    get('/stats/stages', { by: 'district', ...p }),
    get('/stats/stages', { by: 'industry', ...p }),
    get('/stats/deadlines', p),
    canPick ? get('/units', { kind: 'district', per_page: 200 }) : Promise.resolve(null),
  ]);
  // Within one district the scores are compared by industry, across the city by district.
  const oneDistrict = !!(overview.scope && overview.scope.district);
  const scoresBy = oneDistrict ? 'industry' : 'district';
  const scores = await get('/stats/scores', { by: scoresBy, ...p });
  if (!ctx.isCurrent()) return;

  const scope = scopeText(overview, user);
  el.append(pageHeader('数据看板', {
    sub: `${scope}的提升行动进展，截至 ${fmtDate(overview.today)}。数据随业务办理实时更新。`,
  }));
  if (canPick && units) {
    const names = [...new Set((units.items || []).map((u) => u.district).filter(Boolean))];
    const bar = filterBar([{ label: '所属区', el: select('district', [['', user.role === 'city_admin' ? '全市' : '全部'], ...names.map((n) => [n, n])], district) }],
      (v) => ctx.setQuery(v));
    bar.classList.add('dash-filter');
    el.append(bar);
  }

  el.append(kpis(overview));
  const grid = h('div.dash-grid');
  el.append(grid);
  const charts = []; // [element, option]
  const add = (c, option) => { grid.append(c.section); if (c.chart) charts.push([c.chart, option]); };

  // 1. The stage funnel.
  const f = overview.funnel || {};
  const funnelRows = STAGES.map(([k, label, colour]) => ({ key: k, label, value: f[k] || 0, colour }));
  add(chartCard({
    key: 'funnel',
    title: '推进阶段',
    caption: `已登记：名录中的试点企业；已诊断：已提交现场诊断；提升中：有改进措施、尚未获证；已获证：行动中新获认证证书（有效或暂停，不含参加前已有的 ${num(f.prior_certified)} 家）。工作方案计划目标 ${num(f.target)} 家。`,
    table: dataTable([
      { label: '阶段', primary: true, render: (r) => r.label },
      { label: '企业数（家）', cls: 'num', render: (r) => num(r.value) },
      { label: '占已登记', cls: 'num', render: (r) => percent(r.value, f.enrolled) },
    ], [...funnelRows, { label: '计划目标（工作方案）', value: f.target }, { label: '参加前已获证', value: f.prior_certified }],
    { caption: '推进阶段' }),
  }), {
    ...baseOption(),
    color: STAGES.map((s) => s[2]),
    tooltip: { ...baseOption().tooltip, trigger: 'item', formatter: '{b}：{c} 家' },
    series: [{
      type: 'funnel', name: '推进阶段', sort: 'none', left: '8%', right: '8%', top: 8, bottom: 8, minSize: '18%', gap: 3,
      label: { position: 'inside', formatter: '{b}\n{c} 家', color: '#fff', fontWeight: 600 },
      data: funnelRows.map((r) => ({ name: r.label, value: r.value })),
    }],
  });

  // 2. Actions by status.
  const a = overview.actions || {};
  add(chartCard({
    key: 'actions',
    title: '改进措施',
    caption: `提升方案中的改进措施按状态统计，共 ${num(a.total)} 项；其中已逾期 ${num(a.overdue)} 项（未验证、未关闭且已过完成期限）。`,
    table: dataTable([
      { label: '状态', primary: true, render: (r) => r.tag },
      { label: '措施数（项）', cls: 'num', render: (r) => num(r.value) },
    ], [...ACTION_STATES.map(([k]) => ({ tag: statusTag(k), value: a[k] || 0 })),
      { tag: tag('已逾期', 'red'), value: a.overdue || 0 }, { tag: '合计', value: a.total || 0 }], { caption: '改进措施' }),
  }), {
    ...baseOption(),
    tooltip: { ...baseOption().tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: [...ACTION_STATES.map((s) => s[1]), '已逾期'], axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: '项', minInterval: 1 },
    series: [{
      type: 'bar', name: '措施数', barMaxWidth: 42,
      label: { show: true, position: 'top' },
      data: [...ACTION_STATES.map(([k, , colour]) => ({ value: a[k] || 0, itemStyle: { color: colour } })),
        { value: a.overdue || 0, itemStyle: { color: TARGET_COLOUR } }],
    }],
  });

  // 3 and 4. Stages by district and by industry, against the plan targets.
  for (const [key, label, data] of [['stages-district', '区', byDistrict], ['stages-industry', '行业', byIndustry]]) {
    const items = data.items || [];
    add(chartCard({
      key,
      rows: items.length,
      title: `各${label}推进情况`,
      caption: `每个${label}已登记、已诊断、提升中、已获证的企业数；红色竖线为已提交或已通过的试点工作方案列出的计划目标企业数。`,
      table: stagesTable(items, label),
      wide: true,
      empty: items.length ? null : emptyState('暂无数据', `登记试点企业后，这里按${label}显示推进情况。`),
    }), stagesOption(items));
  }

  // 5. Scores first vs latest.
  const sItems = scores.items || [];
  const sLabel = scoresBy === 'industry' ? '行业' : '区';
  const total = overview.scores || {};
  add(chartCard({
    key: 'scores',
    rows: sItems.length,
    title: `诊断得分变化（按${sLabel}）`,
    caption: `首次现场诊断与最近一次诊断（未再评估的企业即首次）的平均总分（1–5 分）。整体：首次 ${score(total.avg_first)}，最近 ${score(total.avg_latest)}；已再评估的 ${num(total.reassessed)} 家平均提升 ${signed(total.avg_change)} 分。`,
    table: dataTable([
      { label: sLabel, primary: true, render: (r) => h('span.cell-strong', { text: r.key || '未填写' }) },
      { label: '已诊断（家）', cls: 'num', render: (r) => num(r.diagnosed) },
      { label: '首次平均分', cls: 'num', render: (r) => score(r.avg_first) },
      { label: '最近平均分', cls: 'num', render: (r) => score(r.avg_latest) },
      { label: '已再评估（家）', cls: 'num', render: (r) => num(r.reassessed) },
      { label: '再评估平均提升', cls: 'num', render: (r) => signed(r.avg_change) },
    ], sItems, { caption: '诊断得分变化' }),
    empty: sItems.length ? null : emptyState('尚无已提交的现场诊断', '认证机构提交现场诊断后，这里比较首次与最近一次的得分。'),
  }), {
    ...baseOption(),
    color: ['#9fb3cf', '#1a56a8'],
    legend: { top: 0 },
    tooltip: { ...baseOption().tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 36, bottom: 30, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 5, name: '平均分', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: sItems.map((r) => r.key || '未填写'), inverse: true, axisLabel: { width: 84, overflow: 'truncate' } },
    series: [
      { name: '首次诊断', type: 'bar', barMaxWidth: 14, data: sItems.map((r) => r.avg_first) },
      { name: '最近诊断', type: 'bar', barMaxWidth: 14, data: sItems.map((r) => r.avg_latest) },
    ],
  });

  // 6. Clause radar.
  const clauses = scores.clauses || [];
  add(chartCard({
    key: 'radar',
    title: '各条款得分（首次与最近）',
    caption: '质量管理体系各条款（GB/T 19001 第4–10章）在首次与最近一次现场诊断中的平均得分（1–5 分），看出提升集中在哪些条款。',
    table: dataTable([
      { label: '条款', primary: true, render: (r) => `${r.clause} ${r.title}` },
      { label: '首次平均分', cls: 'num', render: (r) => score(r.avg_first) },
      { label: '最近平均分', cls: 'num', render: (r) => score(r.avg_latest) },
      { label: '变化', cls: 'num', render: (r) => (r.avg_first === null || r.avg_latest === null ? '—' : signed(r.avg_latest - r.avg_first)) },
    ], clauses, { caption: '各条款得分' }),
    empty: clauses.length ? null : emptyState('尚无已提交的现场诊断', '认证机构提交现场诊断后，这里显示各条款的得分。'),
  }), {
    ...baseOption(),
    color: ['#9fb3cf', '#1a56a8'],
    legend: { bottom: 0 },
    tooltip: { ...baseOption().tooltip, trigger: 'item' },
    radar: {
      indicator: clauses.map((c) => ({ name: `${c.clause} ${c.title}`, min: 0, max: 5 })),
      radius: '64%', center: ['50%', '48%'], splitNumber: 5,
      axisName: { color: '#3b424c' },
    },
    series: [{
      type: 'radar', name: '条款得分',
      data: [
        { name: '首次诊断', value: clauses.map((c) => c.avg_first), areaStyle: { opacity: 0.12 } },
        { name: '最近诊断', value: clauses.map((c) => c.avg_latest), areaStyle: { opacity: 0.2 } },
      ],
    }],
  });

  // 7. Deadlines (a table: few rows, exact numbers).
  if (deadlines) grid.append(deadlineCard(deadlines));

  // Draw once the cards are in the page (sizes known).
  for (const [node, option] of charts) {
    const chart = echarts.init(node, null, { renderer: 'canvas' });
    const top = legendTop(option, chart.getWidth());
    chart.setOption(top === undefined ? option : { ...option, grid: { ...option.grid, top } });
    live.set(chart, option);
  }
}

function kpis(o) {
  const f = o.funnel || {};
  const a = o.actions || {};
  const s = o.scores || {};
  const t = o.training || {};
  const items = [
    ['enrolled', '试点企业', num(f.enrolled), '家', `计划目标 ${num(f.target)} 家`],
    ['diagnosed', '已完成诊断', num(f.diagnosed), '家', `占 ${percent(f.diagnosed || 0, f.enrolled)}`],
    ['certified', '新获证企业', num(f.certified), '家', `参加前已获证 ${num(f.prior_certified)} 家`],
    ['overdue', '措施已逾期', num(a.overdue), '项', `共 ${num(a.total)} 项措施`],
    ['change', '再评估平均提升', signed(s.avg_change), '分', `已再评估 ${num(s.reassessed)} 家`],
    ['trained', '参训企业', num(t.trained_enterprises), '家', `培训 ${num(t.person_times)} 人次`],
  ];
  return h('section.dash-kpis', { 'aria-label': '主要指标' }, items.map(([k, label, value, unit, note]) => h(`div.dash-kpi.dash-kpi-${k}`, { dataset: { kpi: k } },
    h('span.dash-kpi-label', label),
    h('span.dash-kpi-value', h('span.dash-kpi-n', value), h('span.dash-kpi-unit', unit)),
    h('span.dash-kpi-note', note))));
}

function deadlineCard(d) {
  const items = d.items || [];
  const single = items.some((x) => x.state);
  const cols = single
    ? [
      { label: '报送事项', primary: true, render: (r) => r.name },
      { label: '截止日期', render: (r) => r.due },
      { label: '状态', render: (r) => tagFor(r.state) },
    ]
    : [
      { label: '报送事项', primary: true, render: (r) => h('span', r.name, h('span.dash-due', ` 截止 ${r.due}`)) },
      ...DEADLINE_STATES.map(([k, label]) => ({ label, cls: `num dash-state-${k}`, render: (r) => num((r.counts || {})[k]) })),
    ];
  const body = items.length ? dataTable(cols, items, { caption: '报送期限' }) : emptyState('本项目未设置报送期限');
  const c = card(h('div.card-head-row', h('h2.card-title', { text: '报送期限' }),
    h('span.card-note', single ? '本单位各项报送的状态' : `${num(d.units)} 个单位（区市场监管局、认证机构）`)),
  h('p.dash-caption', single
    ? '本单位各项报送的截止日期与完成情况（依据申报表、工作方案和报告的提交记录）。'
    : '各项报送在各单位的完成情况：每格为处于该状态的单位数（依据申报表、工作方案和报告的提交记录）。'), body);
  c.classList.add('dash-wide', 'dash-deadlines');
  c.dataset.chart = 'deadlines';
  return c;
}

function tagFor(state) {
  const s = DEADLINE_STATES.find(([k]) => k === state);
  return s ? tag(s[1], s[2]) : tag(state, 'grey');
}
