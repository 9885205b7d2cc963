// pages/declarations.js — 申报表审核 (city_admin): every unit's declaration
// with filters, pagination and the Excel export of the filtered list; a row
// opens the review page (#/declarations/{id}).
import { get, qs } from '../api.js';
import { h, tag, statusTag, fmtDateTime } from '../util.js';
import { pageHeader, card, dataTable, pager, filterBar, select, emptyState } from '../ui.js';
import { loadProgramme } from '../programme.js';
import { CATEGORY_NAMES, catalogueIndustries } from './declaration-form.js';

const PER_PAGE = 20;
const FILTERS = ['category', 'joins', 'status', 'late', 'industry', 'q'];

function joinsText(d) {
  const j = d.form ? d.form.joins_pilot : null;
  return j === true ? tag('是', 'blue') : j === false ? tag('否', 'grey') : '—';
}

export async function render(ctx) {
  const { el, query, site } = ctx;
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  const prog = await loadProgramme(site);
  const industries = await catalogueIndustries(prog);
  if (!ctx.isCurrent()) return;

  el.append(pageHeader('申报表审核', {
    sub: '各区市场监管局和认证机构报送的试点工作申报表（附件2）。点击单位名称查看、退回或通过。',
    actions: [h('a.btn', { href: `/api/v1/declarations.xlsx${qs(f)}`, download: true, id: 'decl-export' }, '导出Excel')],
  }));
  const bar = filterBar([
    { label: '单位类别', el: select('category', [['', '全部'], ...Object.entries(CATEGORY_NAMES)], f.category) },
    { label: '参与试点', el: select('joins', [['', '全部'], ['true', '是'], ['false', '否']], f.joins) },
    {
      label: '状态',
      el: select('status', [['', '全部'], ['draft', '草稿'], ['submitted', '已提交'], ['returned', '已退回'], ['accepted', '已通过']], f.status),
    },
    { label: '逾期', el: select('late', [['', '全部'], ['true', '逾期提交'], ['false', '按时提交']], f.late) },
    { label: '试点行业', el: select('industry', [['', '全部'], ...industries.map((n) => [n, n])], f.industry) },
    { label: '单位名称', el: h('input', { type: 'search', name: 'q', value: f.q, placeholder: '输入单位名称关键字' }) },
  ], (v) => ctx.setQuery(v));
  bar.classList.add('filter-bar-grid'); // two selects a row at phone width
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  const data = await get('/declarations', { ...f, page, per_page: PER_PAGE });
  if (!ctx.isCurrent()) return;
  body.replaceChildren();
  const filtered = FILTERS.some((k) => f[k]);
  const href = (d) => `#/declarations/${d.id}`;
  const table = dataTable([
    {
      primary: true,
      label: '单位',
      render: (d) => h('a.cell-strong.decl-row-link', { href: href(d) }, (d.form && d.form.unit_name) || d.unit.name),
    },
    { label: '类别', render: (d) => d.category_name || CATEGORY_NAMES[d.category] || d.category, cls: 'nowrap' },
    { label: '参与试点', render: joinsText, cls: 'nowrap' },
    { label: '试点行业', render: (d) => (d.form && (d.form.industries || []).length ? d.form.industries.join('、') : '—') },
    { label: '负责人', render: (d) => (d.form && d.form.leader) || '—', cls: 'nowrap' },
    { label: '状态', render: (d) => statusTag(d.status), cls: 'nowrap' },
    { label: '逾期', render: (d) => (d.late ? tag('逾期提交', 'red-outline') : '—'), cls: 'nowrap' },
    { label: '提交时间', render: (d) => (d.submitted_at ? fmtDateTime(d.submitted_at) : '未提交'), cls: 'nowrap' },
  ], data.items || [], {
    caption: '申报表列表',
    rowClass: (d) => `decl-row decl-row-${d.status}`,
    empty: filtered
      ? emptyState('没有符合条件的申报表', '请调整筛选条件，或点击“重置”查看全部申报表。')
      : emptyState('还没有单位填报申报表', '各区市场监管局和认证机构登录后在“我的申报表”中填报；截止日期见工作日程。',
        h('a.btn', { href: '#/calendar' }, '查看工作日程')),
  });
  // The whole row opens the record (the unit name stays the keyboard target).
  table.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.decl-row');
    if (!tr || e.target.closest('a, button')) return;
    const a = tr.querySelector('a.decl-row-link');
    if (a) ctx.navigate(a.getAttribute('href'));
  });
  body.append(table);
  body.append(pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ ...f, page: p }),
  }));
}
