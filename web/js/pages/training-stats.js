// pages/training-stats.js — 培训统计 (#/trainings/stats; city, districts,
// certification bodies): sessions, enterprises reached, participants
// (distinct people) and person-times (人次, attendances) in total and by
// type, industry and district, counted from attendance (the server scopes
// them: a district its enterprises, a body its own sessions, the city all);
// 导出Excel of the sessions with their counts.
import { get } from '../api.js';
import { h } from '../util.js';
import { pageHeader, card, dataTable, emptyState } from '../ui.js';
import { KINDS } from './training-common.js';

const MEASURES = [
  ['sessions', '培训场次', '场'],
  ['enterprises', '覆盖企业', '家'],
  ['participants', '参训人数', '人'],
  ['person_times', '参训人次', '人次'],
];

export async function render(ctx) {
  const { el, user } = ctx;
  const data = await get('/trainings/stats');
  if (!ctx.isCurrent()) return;
  const scope = {
    city_admin: '全市各单位组织的培训',
    district_officer: '本区企业参加的培训',
    cb_staff: '本机构组织的培训',
  }[user.role] || '培训';
  el.append(pageHeader('培训统计', {
    sub: `${scope}，按签到记录统计：参训人数按企业、姓名和电话去重，参训人次为签到次数。`,
    actions: [
      h('a.btn', { href: '#/trainings' }, '培训列表'),
      h('a.btn', { href: '/api/v1/trainings.xlsx', download: true, id: 'training-stats-export' }, '导出Excel'),
    ],
  }));

  const totals = data.totals || {};
  el.append(h('section.training-totals', { 'aria-label': '培训合计' }, MEASURES.map(([k, label, unit]) => h(`div.training-total.training-total-${k}`,
    h('span.training-total-label', label),
    h('span.training-total-value', h('span.training-total-n', String(Number(totals[k]) || 0)), h('span.training-total-unit', unit))))));

  el.append(h('div.training-stats-grid',
    // Rows carry their group in `key` (the kind's key, the industry name — empty
    // for sessions open to every industry — or the district name).
    breakdown('按培训类型', data.by_kind, (r) => r.kind_name || (KINDS[r.key ?? r.kind] || [])[0] || r.key || r.kind, '培训类型', 'kind'),
    breakdown('按行业', data.by_industry, (r) => (r.key ?? r.industry) || '不限行业', '行业', 'industry'),
    breakdown('按区', data.by_district, (r) => (r.key ?? r.district) || '未填写', '区', 'district')));
}

function breakdown(title, rows, labelOf, labelHead, key) {
  const items = rows || [];
  const present = MEASURES.filter(([k]) => items.some((r) => r[k] !== undefined && r[k] !== null));
  const table = dataTable([
    { primary: true, label: labelHead, render: (r) => h('span.cell-strong', { text: labelOf(r) }) },
    ...present.map(([k, label]) => ({ label, render: (r) => h('span.training-num', String(Number(r[k]) || 0)), cls: 'training-num-col' })),
  ], items, {
    caption: title,
    rowClass: () => `training-stat-row training-stat-${key}`,
    empty: emptyState('暂无签到记录', '企业人员签到后，这里按类别统计参训情况。'),
  });
  return card(title, table);
}
