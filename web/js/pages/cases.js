// pages/cases.js — 典型案例 (#/cases, every logged-in role): the city sees every
// case (the submitted ones waiting for review first in its mind: a count and a
// filter); a district its own drafts and every published case; bodies and
// enterprises the published ones. Filters status, industry, district (city),
// keyword; paging. A district officer starts a case with 新建案例: choose one
// of its enterprises, the server gathers the facts from the ledger.
import { get, post } from '../api.js';
import { h, fmtDate, fmtDateTime } from '../util.js';
import {
  pageHeader, card, dataTable, pager, filterBar, select, emptyState, errorBox, openDialog, setFieldError,
  clearFormErrors, uid, toast,
} from '../ui.js';
import { loadProgramme } from '../programme.js';
import { allPages, industryNames, loadDistricts } from './enterprise-common.js';
import { caseTag, CASE_STATUS } from './case-common.js';

const PER_PAGE = 20;
const FILTERS = ['status', 'industry', 'district', 'q'];

export async function render(ctx) {
  const { el, query, user, site } = ctx;
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const city = user.role === 'city_admin';
  const district = user.role === 'district_officer';
  const official = city || district;

  el.append(pageHeader('典型案例', {
    sub: city
      ? '各试点地区报送的典型案例：审核后发布，发布的案例向公众公开（不含联系人、电话和统一社会信用代码）。'
      : district
        ? '从本区帮扶台账中的企业起草典型案例：企业概况、问题诊断、改进措施、提升前后对比和认证证书由平台按台账汇集，补充说明和经验启示后提交市局审核。'
        : '市局发布的小微企业质量管理体系认证提升典型案例。',
    actions: [
      district ? h('button.btn.btn-primary', { type: 'button', id: 'case-new', on: { click: () => newCaseDialog(ctx) } }, '新建案例') : null,
      h('a.btn', { href: '/cases.html', target: '_blank', rel: 'noopener' }, '公开页面'),
    ].filter(Boolean),
  }));

  const [prog, districts] = await Promise.all([
    loadProgramme(site).catch(() => null),
    city ? loadDistricts().catch(() => []) : Promise.resolve([]),
  ]);
  if (!ctx.isCurrent()) return;
  const fields = [];
  if (official) {
    fields.push({ label: '状态', el: select('status', [['', '全部'], ...Object.entries(CASE_STATUS).map(([k, [l]]) => [k, l])], f.status) });
  }
  fields.push({ label: '试点行业', el: select('industry', [['', '全部'], ...industryNames(prog).map((n) => [n, n])], f.industry) });
  if (city) fields.push({ label: '所属区', el: select('district', [['', '全部'], ...districts.map((d) => [d.district, d.district])], f.district) });
  fields.push({ label: '关键字', el: h('input', { type: 'search', name: 'q', value: f.q, placeholder: '案例标题或企业名称' }) });
  const bar = filterBar(fields, (v) => ctx.setQuery(v));
  bar.classList.add('case-filter-bar');
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  let data;
  try {
    data = await get('/cases', { ...f, page, per_page: PER_PAGE });
  } catch (err) {
    if (!ctx.isCurrent()) return;
    body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const items = data.items || [];
  const filtered = FILTERS.some((k) => f[k]);
  const waiting = city && !filtered ? items.filter((c) => c.status === 'submitted').length : 0;
  body.replaceChildren(...[
    waiting ? h('p.case-waiting', h('a', { href: '#/cases?status=submitted' }, `有 ${waiting} 个案例待审核`)) : null,
    dataTable([
      {
        primary: true,
        label: '案例标题',
        render: (c) => h('span.case-title-cell', h('a.case-row-link', { href: `#/cases/${c.id}`, text: c.title || '（未填写标题）' })),
      },
      { label: '企业', render: (c) => c.enterprise && c.enterprise.name },
      { label: '所属区', render: (c) => c.district, cls: 'nowrap' },
      { label: '试点行业', render: (c) => c.industry, cls: 'nowrap' },
      { label: '状态', render: (c) => caseTag(c.status), cls: 'nowrap' },
      {
        label: '发布 / 更新',
        render: (c) => (c.published_at ? `发布于 ${fmtDate(fmtDateTime(c.published_at))}` : `更新于 ${fmtDateTime(c.updated_at)}`),
        cls: 'nowrap',
      },
    ], items, {
      caption: '典型案例列表',
      rowClass: (c) => `case-row case-row-${c.status}`,
      empty: filtered
        ? emptyState('没有符合条件的案例', '请调整筛选条件，或点击“重置”查看全部案例。')
        : district
          ? emptyState('还没有典型案例', '点击“新建案例”，从本区帮扶台账中选择一家成效明显的试点企业起草案例。',
            h('button.btn.btn-primary', { type: 'button', on: { click: () => newCaseDialog(ctx) } }, '新建案例'))
          : emptyState('暂无典型案例', city ? '各区提交典型案例后会显示在这里。' : '市局发布典型案例后会显示在这里。'),
    }),
    pager({
      total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
      onPage: (p) => ctx.setQuery({ ...f, page: p }),
    }),
  ].filter(Boolean));
}

// 新建案例: choose an enterprise of the district's ledger; the server drafts the case.
async function newCaseDialog(ctx) {
  let ents;
  try {
    ents = await allPages('/enterprises');
  } catch (err) {
    toast(err.message, 'error');
    return;
  }
  const input = h('select', { id: uid('ent'), name: 'enterprise_id' },
    h('option', { value: '' }, '请选择企业'),
    ents.map((e) => h('option', { value: String(e.id) }, `${e.name}（${e.industry || '未填行业'}）`)));
  const box = h('div.dialog-form.case-dialog-form',
    h('p', '选择本区帮扶台账中的一家企业。平台将汇集该企业的概况、诊断发现的问题、改进措施、提升前后对比和认证证书，生成案例草稿。'),
    h('div.field', { dataset: { field: 'enterprise_id' } },
      h('label', { for: input.id }, '企业', h('span.req', { 'aria-hidden': 'true' }, '*')), input));
  let created = null;
  const done = openDialog({
    title: '新建典型案例',
    body: box,
    className: 'dialog-wide',
    actions: [
      { label: '取消', value: false },
      {
        label: '生成草稿',
        kind: 'primary',
        value: true,
        before: async () => {
          clearFormErrors(box);
          if (!input.value) { setFieldError(box, 'enterprise_id', '请选择企业'); input.focus(); return false; }
          try {
            created = await post('/cases', { enterprise_id: Number(input.value) });
            return true;
          } catch (err) {
            if (!setFieldError(box, err.field || 'enterprise_id', err.message)) box.prepend(errorBox(err));
            return false;
          }
        },
      },
    ],
  });
  input.focus();
  if (await done && created) {
    toast('案例草稿已生成');
    ctx.navigate(`#/cases/${created.id}`);
  }
}
