// pages/certificates.js — 认证证书 (#/certificates, every logged-in role; the
// server scopes the list: the city all, a district its enterprises', a body
// those it issued, an enterprise its own). Filter bar, table (stacked cards
// on a phone), pagination, the Excel export of the filtered list; 颁发证书 for
// a body, 登记已有证书 for a district or the city; the statistics per
// district × industry (city, district); a body's 认证审核 list of its
// assigned enterprises with their audit decisions.
import { get, qs } from '../api.js';
import { h, statusTag, fmtDate } from '../util.js';
import { pageHeader, card, dataTable, pager, filterBar, select, emptyState, errorBox } from '../ui.js';
import { loadProgramme } from '../programme.js';
import {
  STATUS_OPTIONS, nextSurvCell, priorTag, certLink, decisionTag, districtNames, allItems, mapLimit,
} from './certificate-common.js';

const PER_PAGE = 20;
const FILTERS = ['status', 'district', 'industry', 'prior', 'q'];

export async function render(ctx) {
  const { el, query, site, user } = ctx;
  const role = user.role;
  const isCity = role === 'city_admin';
  const official = isCity || role === 'district_officer';
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  if (!isCity) f.district = '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  const [prog, districts] = await Promise.all([
    loadProgramme(site).catch(() => null),
    isCity ? districtNames().catch(() => []) : Promise.resolve([]),
  ]);
  if (!ctx.isCurrent()) return;
  const industries = prog ? (prog.industries || []).map((i) => i.name) : [];

  // The export is refused to enterprise contacts (403), so they get no button.
  const actions = role === 'enterprise' ? []
    : [h('a.btn', { href: `/api/v1/certificates.xlsx${qs(f)}`, download: true, id: 'cert-export' }, '导出Excel')];
  if (role === 'cb_staff') actions.push(h('a.btn.btn-primary', { href: '#/certificates/new' }, '颁发证书'));
  if (official) actions.push(h('a.btn.btn-primary', { href: '#/certificates/new?prior=1' }, '登记已有证书'));
  const sub = {
    city_admin: '全市试点企业的认证证书，含参加提升行动前已获得的证书。',
    district_officer: '本区试点企业的认证证书，含参加提升行动前已获得的证书。',
    cb_staff: '本机构颁发的认证证书。监督审核按 CNCA-QMS-01：颁证后 12 个月内进行首次监督审核，此后间隔不超过 12 个月。',
    enterprise: '本企业的认证证书。',
  }[role];
  el.append(pageHeader('认证证书', { sub, actions }));

  const fields = [
    { label: '状态', el: select('status', [['', '全部'], ...STATUS_OPTIONS], f.status) },
    isCity ? { label: '所属区', el: select('district', [['', '全部'], ...districts.map((d) => [d, d])], f.district) } : null,
    { label: '试点行业', el: select('industry', [['', '全部'], ...industries.map((n) => [n, n])], f.industry) },
    { label: '参加行动前已获证', el: select('prior', [['', '全部'], ['true', '是'], ['false', '否']], f.prior) },
    { label: '持证组织/证书编号', el: h('input', { type: 'search', name: 'q', value: f.q, placeholder: '输入企业名称或证书编号' }) },
  ].filter(Boolean);
  const bar = filterBar(fields, (v) => ctx.setQuery(v));
  bar.classList.add('filter-bar-grid', 'cert-filter-bar');
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  // Statistics and the audit list load beside the list.
  const statsSlot = official ? h('div') : null;
  const auditSlot = role === 'cb_staff' ? h('div') : null;
  if (statsSlot) el.append(statsSlot);
  if (auditSlot) el.append(auditSlot);
  const side = [
    statsSlot ? statsCard(statsSlot, isCity) : null,
    auditSlot ? auditCard(auditSlot) : null,
  ];

  const data = await get('/certificates', { ...f, page, per_page: PER_PAGE });
  if (!ctx.isCurrent()) return;
  body.replaceChildren();
  const filtered = FILTERS.some((k) => f[k]);
  const columns = [
    {
      primary: true,
      label: '证书编号',
      render: (c) => h('span.cert-num-cell', h('a.cert-number.cert-row-link', { href: `#/certificates/${c.id}` }, c.number), priorTag(c)),
    },
    { label: '获证组织', render: (c) => h('span.cert-holder', { text: c.holder }) },
    { label: '所属区', key: 'district', cls: 'nowrap' },
    { label: '试点行业', key: 'industry', cls: 'nowrap' },
    { label: '发证机构', key: 'issuer' },
    { label: '颁证日期', render: (c) => fmtDate(c.issue_date), cls: 'nowrap' },
    { label: '有效期至', render: (c) => fmtDate(c.expiry_date), cls: 'nowrap' },
    { label: '状态', render: (c) => statusTag(c.status), cls: 'nowrap' },
    { label: '下次监督审核', render: nextSurvCell, cls: 'nowrap' },
  ];
  const emptyHint = {
    cb_staff: ['本机构还没有颁发证书', '先在下方“认证审核”中记录审核和认证决定，批准认证后即可颁发证书。'],
    enterprise: ['本企业还没有认证证书', '认证机构完成认证审核并颁发证书后，证书会显示在这里。'],
  }[role] || ['还没有认证证书', '认证机构颁发证书后会显示在这里；参加行动前已获得的证书可点击“登记已有证书”录入。'];
  const table = dataTable(columns, data.items || [], {
    caption: '认证证书列表',
    rowClass: (c) => `cert-row cert-row-${c.status}${c.must_suspend || c.must_withdraw ? ' cert-row-alert' : ''}`,
    empty: filtered
      ? emptyState('没有符合条件的证书', '请调整筛选条件，或点击“重置”查看全部证书。')
      : emptyState(...emptyHint),
  });
  table.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.cert-row');
    if (!tr || e.target.closest('a, button')) return;
    const a = tr.querySelector('a.cert-row-link');
    if (a) ctx.navigate(a.getAttribute('href'));
  });
  body.append(table, pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ ...f, page: p }),
  }));
  await Promise.all(side);
}

// ---- 证书统计 (city, district) -------------------------------------------

async function statsCard(slot, isCity) {
  let data;
  try { data = await get('/certificates/stats'); } catch (err) {
    slot.replaceWith(card('证书统计', errorBox(err)));
    return;
  }
  const items = data.items || [];
  const sum = (k) => items.reduce((s, r) => s + (Number(r[k]) || 0), 0);
  const num = (v) => h('span.cert-stat-num', String(v ?? 0));
  const rows = items.map((r) => ({ ...r }));
  if (items.length > 1) {
    rows.push({ total: true, district: '合计', industry: '', pilot_enterprises: sum('pilot_enterprises'), newly_certified: sum('newly_certified'), already_certified: sum('already_certified') });
  }
  const table = dataTable([
    { primary: true, label: isCity ? '所属区' : '区', render: (r) => h('span.cell-strong', { text: r.district }) },
    { label: '试点行业', render: (r) => r.industry || (r.total ? '全部' : '—') },
    { label: '试点企业', render: (r) => num(r.pilot_enterprises), cls: 'cert-num-col' },
    { label: '新获证', render: (r) => num(r.newly_certified), cls: 'cert-num-col' },
    { label: '参加前已获证', render: (r) => num(r.already_certified), cls: 'cert-num-col' },
  ], rows, {
    caption: '证书统计',
    rowClass: (r) => (r.total ? 'cert-stat-total' : 'cert-stat-row'),
    empty: emptyState('暂无试点企业', '试点企业登记并指派认证机构后，这里按区和试点行业统计获证情况。'),
  });
  slot.replaceWith(card(h('div.card-head-row.cert-head-row', h('h2.card-title', '证书统计'),
    h('span.card-note', '按区和试点行业统计：试点企业为已指派认证机构的企业；新获证为参加行动后获得的证书')), table));
}

// ---- 认证审核 (cb_staff) --------------------------------------------------

async function auditCard(slot) {
  let ents; let certs;
  try {
    [ents, certs] = await Promise.all([allItems('/enterprises'), allItems('/certificates')]);
  } catch (err) {
    slot.replaceWith(card('认证审核', errorBox(err)));
    return;
  }
  const audits = await mapLimit(ents, 6, (e) => get(`/enterprises/${e.id}/audit`).then((r) => r.audit).catch(() => null));
  const byEnt = new Map();
  for (const c of certs) {
    if (!c.prior && c.enterprise_id) byEnt.set(c.enterprise_id, [...(byEnt.get(c.enterprise_id) || []), c]);
  }
  const rows = ents.map((e, i) => ({ e, a: audits[i], certs: byEnt.get(e.id) || [] }));
  const table = dataTable([
    { primary: true, label: '企业', render: (r) => h('a.cert-ent-link', { href: `#/certification/${r.e.id}` }, r.e.name) },
    { label: '所属区', render: (r) => r.e.district, cls: 'nowrap' },
    { label: '试点行业', render: (r) => r.e.industry, cls: 'nowrap' },
    { label: '第二阶段审核', render: (r) => (r.a && r.a.stage2_date ? r.a.stage2_date : '—'), cls: 'nowrap' },
    { label: '认证决定', render: (r) => decisionTag(r.a ? r.a.decision : null), cls: 'nowrap' },
    { label: '决定日期', render: (r) => (r.a && r.a.decision_date ? r.a.decision_date : '—'), cls: 'nowrap' },
    { label: '证书', render: (r) => (r.certs.length ? h('span.cert-inline-list', r.certs.map((c) => certLink(c))) : '—') },
    {
      label: '操作',
      cls: 'col-actions',
      render: (r) => h('span.row-actions',
        h('a.btn.btn-link', { href: `#/certification/${r.e.id}` }, r.a ? '认证审核' : '记录审核'),
        r.a && r.a.decision === 'certify' && !r.certs.length
          ? h('a.btn.btn-link', { href: `#/certificates/new?enterprise=${r.e.id}` }, '颁发证书') : null),
    },
  ], rows, {
    caption: '认证审核',
    rowClass: (r) => `cert-audit-row cert-audit-${r.a ? r.a.decision : 'none'}`,
    empty: emptyState('还没有指派给本机构的企业', '区市场监管局将试点企业指派给本机构后，即可在这里记录认证审核。'),
  });
  slot.replaceWith(card(h('div.card-head-row.cert-head-row', h('h2.card-title', '认证审核'),
    h('span.card-note', `指派给本机构的试点企业共 ${ents.length} 家；记录第一、二阶段审核和认证决定，批准认证后颁发证书`)), table));
}
