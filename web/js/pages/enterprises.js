// pages/enterprises.js — 企业名录 (#/enterprises): the pilot enterprises in the
// caller's scope (city all, a district its own, a certification body those
// assigned to it), with filters, paging, the registration progress per
// district × industry against the plan target (5 per industry), and the
// actions 新建企业 / 导入CSV / 导出帮扶台账 / 下载导入模板. Enterprise users are
// sent to their own record.
import { get, qs } from '../api.js';
import { h } from '../util.js';
import {
  pageHeader, card, dataTable, pager, filterBar, select, emptyState, errorBox,
} from '../ui.js';
import { loadProgramme } from '../programme.js';
import {
  sizeTag, maskPhone, industryNames, loadDistricts, minEnterprises, progressBadge,
} from './enterprise-common.js';

const PER_PAGE = 20;

export async function render(ctx) {
  const { el, query, user, site } = ctx;
  if (user.role === 'enterprise') {
    history.replaceState(null, '', '#/enterprise');
    ctx.navigate('#/enterprise');
    return;
  }
  const isCity = user.role === 'city_admin';
  const canWrite = isCity || user.role === 'district_officer';
  const f = {
    district: isCity ? (query.get('district') || '') : '',
    industry: query.get('industry') || '',
    size_class: query.get('size_class') || '',
    park: query.get('park') || '',
    assigned: canWrite ? (query.get('assigned') || '') : '',
    q: query.get('q') || '',
  };
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  const [prog, districts] = await Promise.all([
    loadProgramme(site),
    isCity ? loadDistricts() : Promise.resolve([]),
  ]);
  if (!ctx.isCurrent()) return;
  const industries = industryNames(prog);

  const actions = [];
  if (canWrite) {
    actions.push(
      h('a.btn.btn-primary', { href: '#/enterprises/new' }, '新建企业'),
      h('a.btn', { href: '#/enterprises/import' }, '导入CSV'),
      h('a.btn', {
        href: `/api/v1/ledger.xlsx${qs({ district: f.district, industry: f.industry })}`,
        download: true,
        id: 'ledger-xlsx',
        title: '按当前所属区、试点行业筛选导出',
      }, '导出帮扶台账(Excel)'),
      h('a.btn', { href: '/api/v1/enterprises/template.csv', download: true, id: 'import-template' }, '下载导入模板'),
    );
  }
  const sub = user.role === 'cb_staff'
    ? '市局、区市场监管局指派给本机构帮扶的试点企业。'
    : user.role === 'district_officer'
      ? '本区登记的试点小微企业（企业自愿参加）。每个试点行业应选取 5 家以上。'
      : '各区登记的试点小微企业（企业自愿参加）。每个试点行业应选取 5 家以上。';
  el.append(pageHeader('企业名录', { sub, actions }));
  const acts = el.querySelector('.page-actions');
  if (acts) acts.classList.add('reg-actions');

  // Registration progress against the plan target (city and districts).
  if (canWrite) el.append(await countsCard(ctx, prog, f));
  if (!ctx.isCurrent()) return;

  const fields = [];
  if (isCity) {
    fields.push({ label: '所属区', el: select('district', [['', '全部'], ...districts.map((d) => [d.district, d.district])], f.district) });
  }
  fields.push(
    { label: '试点行业', el: select('industry', [['', '全部'], ...industries.map((n) => [n, n])], f.industry) },
    { label: '企业规模', el: select('size_class', [['', '全部'], ['small', '小型'], ['micro', '微型']], f.size_class) },
    { label: '园区', el: h('input', { type: 'search', name: 'park', value: f.park, placeholder: '园区、基地名称' }) },
  );
  if (canWrite) {
    fields.push({ label: '是否已指派', el: select('assigned', [['', '全部'], ['true', '已指派'], ['false', '未指派']], f.assigned) });
  }
  fields.push({ label: '关键字', el: h('input', { type: 'search', name: 'q', value: f.q, placeholder: '企业名称或统一社会信用代码' }) });
  const bar = filterBar(fields, (v) => ctx.setQuery({ ...v }));
  bar.classList.add('reg-filter-bar');
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  let data;
  try {
    data = await get('/enterprises', { ...f, page, per_page: PER_PAGE });
  } catch (err) {
    if (!ctx.isCurrent()) return;
    body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const filtered = Object.values(f).some(Boolean);
  const columns = [
    {
      primary: true,
      label: '企业名称',
      render: (e) => h('a.cell-strong.reg-ent-link', { href: `#/enterprises/${e.id}` }, e.name),
    },
    { label: '统一社会信用代码', render: (e) => h('code.reg-uscc', e.uscc), cls: 'nowrap' },
    { label: '所属区', key: 'district', cls: 'nowrap' },
    { label: '试点行业', key: 'industry', cls: 'nowrap' },
    { label: '园区', key: 'park' },
    { label: '规模', render: (e) => sizeTag(e), cls: 'nowrap' },
    {
      label: '帮扶机构',
      render: (e) => (e.assignment && e.assignment.cb ? e.assignment.cb.name : h('span.cell-muted', '未指派')),
    },
    {
      label: '联系人/电话',
      render: (e) => (e.contact_name || e.contact_phone
        ? h('span.reg-contact', e.contact_name || '', e.contact_phone ? h('span.cell-muted', ` ${maskPhone(e.contact_phone)}`) : null)
        : null),
    },
  ];
  body.replaceChildren(
    dataTable(columns, data.items || [], {
      caption: '企业名录',
      empty: filtered
        ? emptyState('没有符合条件的企业', '请调整筛选条件，或点击“重置”查看全部企业。')
        : canWrite
          ? emptyState('还没有登记企业', '点击“新建企业”逐家登记，或下载导入模板后批量导入。',
            h('a.btn.btn-primary', { href: '#/enterprises/new' }, '新建企业'))
          : emptyState('暂无指派给本机构的企业', '区市场监管局指派试点企业后，将在这里显示。'),
    }),
    pager({
      total: data.total || 0,
      page: data.page || page,
      perPage: data.per_page || PER_PAGE,
      onPage: (p) => ctx.setQuery({ ...f, page: p }),
    }),
  );
}

// 登记进度: per district × industry, "已登记 N 家 / 目标 5 家" and how many are
// assigned to a body; for the city also the districts' totals.
async function countsCard(ctx, prog, f) {
  const target = minEnterprises(prog);
  let items;
  try {
    items = ((await get('/enterprises/counts')) || {}).items || [];
  } catch (err) {
    return card('登记进度', errorBox(err));
  }
  const isCity = ctx.user.role === 'city_admin';
  if (!items.length) {
    return card('登记进度', h('p.cell-muted', `尚未登记试点企业。每个试点行业应选取 ${target} 家以上小微企业。`));
  }
  const rows = [...items].sort((a, b) => String(a.district).localeCompare(String(b.district), 'zh-CN')
    || String(a.industry).localeCompare(String(b.industry), 'zh-CN'));
  const link = (r) => `#/enterprises${isCity ? `?district=${encodeURIComponent(r.district)}&` : '?'}industry=${encodeURIComponent(r.industry)}`;
  const table = dataTable([
    ...(isCity ? [{ label: '所属区', key: 'district', cls: 'nowrap' }] : []),
    { primary: true, label: '试点行业', render: (r) => h('a', { href: link(r) }, r.industry) },
    { label: '登记情况', render: (r) => progressBadge(r.enterprises, target), cls: 'nowrap' },
    {
      label: '已指派认证机构',
      render: (r) => h(`span${r.assigned < r.enterprises ? '.reg-warn-text' : ''}`, `${r.assigned} / ${r.enterprises} 家`),
      cls: 'nowrap',
    },
  ], rows, { caption: '登记进度', rowClass: (r) => ((f.industry === r.industry && (!isCity || !f.district || f.district === r.district)) ? 'row-current' : undefined) });
  let head = null;
  if (isCity) {
    const byDistrict = new Map();
    for (const r of rows) byDistrict.set(r.district, (byDistrict.get(r.district) || 0) + r.enterprises);
    head = h('p.reg-counts-sum', `共 ${byDistrict.size} 个区登记了试点企业，合计 ${[...byDistrict.values()].reduce((a, b) => a + b, 0)} 家。`);
  }
  return card(h('div.card-head-row.reg-head-row', h('h2.card-title', '登记进度'),
    h('span.card-note', `目标：每个试点行业 ${target} 家以上`)), head, h('div.reg-counts', table));
}
