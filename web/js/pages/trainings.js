// pages/trainings.js — 宣传培训 (#/trainings, every logged-in role): online,
// offline and small-class sessions with filters (类型, 行业, 时间), the seats
// taken (已报名 / 容量), pagination; 新建培训, 培训统计 and 导出Excel for the
// units that organise training (city, districts, certification bodies).
import { get, qs } from '../api.js';
import { h } from '../util.js';
import { pageHeader, card, dataTable, pager, filterBar, select, emptyState, errorBox } from '../ui.js';
import { loadProgramme } from '../programme.js';
import {
  KIND_OPTIONS, kindTag, timeRange, stateTag, placeCell, seats, canOrganise,
} from './training-common.js';

const PER_PAGE = 20;
const FILTERS = ['kind', 'industry', 'from', 'to'];

export async function render(ctx) {
  const { el, query, user, site } = ctx;
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const organiser = canOrganise(user);
  const today = site && site.today;

  const prog = await loadProgramme(site).catch(() => null);
  if (!ctx.isCurrent()) return;
  const industries = prog ? (prog.industries || []).map((i) => i.name) : [];

  const actions = [];
  if (organiser) {
    actions.push(
      h('a.btn', { href: '#/trainings/stats', id: 'training-stats-link' }, '培训统计'),
      h('a.btn', { href: `/api/v1/trainings.xlsx${qs(f)}`, download: true, id: 'training-export' }, '导出Excel'),
      h('a.btn.btn-primary', { href: '#/trainings/new', id: 'training-new' }, '新建培训'));
  }
  const sub = user.role === 'enterprise'
    ? '免费的线上、线下培训和小班化定制培训。点击培训名称查看详情并为本企业人员报名；到场后扫描签到二维码签到。'
    : '市局、区市场监管局和认证机构组织的线上、线下培训和小班化定制培训。企业人员报名后，现场扫描签到二维码签到。';
  el.append(pageHeader('宣传培训', { sub, actions }));
  const acts = el.querySelector('.page-actions');
  if (acts) acts.classList.add('training-actions');

  const bar = filterBar([
    { label: '类型', el: select('kind', [['', '全部'], ...KIND_OPTIONS], f.kind) },
    { label: '行业', el: select('industry', [['', '全部'], ...industries.map((n) => [n, n])], f.industry) },
    { label: '开始日期从', el: h('input', { type: 'date', name: 'from', value: f.from }) },
    { label: '至', el: h('input', { type: 'date', name: 'to', value: f.to }) },
  ], (v) => ctx.setQuery(v));
  bar.classList.add('filter-bar-grid', 'training-filter-bar');
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  let data;
  try {
    data = await get('/trainings', { ...f, page, per_page: PER_PAGE });
  } catch (err) {
    if (!ctx.isCurrent()) return;
    body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const href = (t) => `#/trainings/${t.id}`;
  const columns = [
    {
      primary: true,
      label: '标题',
      render: (t) => h('span.training-title-cell', h('a.training-row-link', { href: href(t), text: t.title }), stateTag(t, today)),
    },
    { label: '类型', render: kindTag, cls: 'nowrap' },
    { label: '行业', render: (t) => t.industry || '不限', cls: 'nowrap' },
    { label: '主办单位', render: (t) => (t.organiser ? t.organiser.name : '—') },
    { label: '时间', render: (t) => timeRange(t), cls: 'nowrap' },
    { label: '地点/链接', render: placeCell },
    { label: '名额', render: seats, cls: 'nowrap' },
  ];
  const filtered = FILTERS.some((k) => f[k]);
  const table = dataTable(columns, data.items || [], {
    caption: '培训列表',
    rowClass: (t) => `training-row training-row-${t.kind}`,
    empty: filtered
      ? emptyState('没有符合条件的培训', '请调整筛选条件，或点击“重置”查看全部培训。')
      : emptyState('暂无培训安排', organiser ? '点击“新建培训”发布线上、线下或小班化定制培训。' : '市局、区市场监管局和认证机构发布培训后会显示在这里。',
        organiser ? h('a.btn.btn-primary', { href: '#/trainings/new' }, '新建培训') : null),
  });
  table.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.training-row');
    if (!tr || e.target.closest('a, button')) return;
    const a = tr.querySelector('a.training-row-link');
    if (a) ctx.navigate(a.getAttribute('href'));
  });
  body.replaceChildren(table, pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ ...f, page: p }),
  }));
}
