// pages/industries.js — 试点行业: the programme's industry catalogue and the
// notice's quotas.
import { h } from '../util.js';
import { pageHeader, card, dataTable, emptyState } from '../ui.js';
import { loadProgramme, noProgramme } from '../programme.js';

function range(min, max, unit) {
  if (min != null && max != null) return min === max ? `${min} ${unit}` : `${min}–${max} ${unit}`;
  if (max != null) return `不超过 ${max} ${unit}`;
  if (min != null) return `不少于 ${min} ${unit}`;
  return null;
}

function quotaList(q) {
  const rows = [
    ['每个试点行业参与的认证机构', range(null, q.max_cbs_per_industry, '家')],
    ['每个试点地区确定的重点试点行业', range(q.min_industries_per_district, q.max_industries_per_district, '个')],
    ['每个试点行业选取的试点企业', range(q.min_enterprises_per_industry, null, '家')],
    ['每个试点行业推荐的标杆企业', range(q.min_benchmarks_per_industry, q.max_benchmarks_per_industry, '家')],
  ].filter(([, v]) => v);
  if (!rows.length) return h('p.empty-hint', '本行动未设置数量要求。');
  return h('dl.quota-list', rows.map(([k, v]) => h('div.quota', h('dt', k), h('dd', v))));
}

export async function render(ctx) {
  const { el, site } = ctx;
  const prog = await loadProgramme(site);
  if (!ctx.isCurrent()) return;
  if (!prog) { el.append(pageHeader('试点行业'), noProgramme()); return; }
  const list = prog.industries || [];
  el.append(pageHeader('试点行业', { sub: `${prog.name}聚焦的行业，试点地区从中确定本地区的重点试点行业。` }));
  el.append(h('div.two-col',
    card(`行业目录（${list.length} 个）`, dataTable([
      { label: '序号', render: (_, i) => String(i + 1), cls: 'col-no' },
      { primary: true, label: '行业', render: (r) => h('span.cell-strong', r.name) },
      { label: '类别', key: 'category' },
    ], list, {
      caption: '试点行业目录',
      empty: emptyState('尚未设置试点行业', '请市局管理员在提升行动设置中添加试点行业。'),
    })),
    card('数量要求', quotaList(prog.quotas || {}),
      prog.notice ? h('p.card-foot-note', `依据：${prog.notice}`) : null)));
}
