// pages/workplans.js — 工作方案审核 (#/workplans, city_admin): the pilot
// districts' work plans with their industries and enterprise counts against
// the target, status, late flag and submission time; filter by status.
import { get } from '../api.js';
import { h, statusTag, fmtDateTime } from '../util.js';
import {
  pageHeader, card, dataTable, pager, filterBar, select, emptyState,
} from '../ui.js';
import { lateTag, countBadge } from './workplan-common.js';

const PER_PAGE = 50;
const STATUSES = [['', '全部'], ['submitted', '已提交（待审核）'], ['returned', '已退回'], ['approved', '已通过'], ['draft', '草稿']];

export async function render(ctx) {
  const { el, query } = ctx;
  const status = query.get('status') || '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  el.append(pageHeader('工作方案审核', {
    sub: '审核各试点地区报送的试点工作方案：试点行业（1—2 个）、每个行业 5 家以上试点企业、帮扶认证机构和实施步骤。',
  }));
  const bar = filterBar([{ label: '状态', el: select('status', STATUSES, status) }], (v) => ctx.setQuery({ status: v.status }));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  const data = await get('/workplans', { status, page, per_page: PER_PAGE });
  if (!ctx.isCurrent()) return;
  const items = data.items || [];
  const waiting = items.filter((p) => p.status === 'submitted').length;
  body.replaceChildren(...[
    !status && waiting ? h('p.wp-waiting', `有 ${waiting} 份工作方案待审核。`) : null,
    dataTable([
      {
        primary: true,
        label: '区',
        render: (p) => h('a.cell-strong', { href: `#/workplans/${p.id}` }, (p.unit && (p.unit.district || p.unit.name)) || `#${p.id}`),
      },
      {
        label: '试点行业',
        render: (p) => {
          const inds = (p.content && p.content.industries) || [];
          return inds.length ? h('div.wp-counts', inds.map((i) => countBadge(i))) : h('span.cell-muted', '未选择');
        },
      },
      { label: '状态', render: (p) => h('span.wp-tags', statusTag(p.status), lateTag(p)), cls: 'nowrap' },
      { label: '版本', render: (p) => (p.version ? `第 ${p.version} 版` : '—'), cls: 'nowrap' },
      { label: '提交时间', render: (p) => (p.submitted_at ? fmtDateTime(p.submitted_at) : '未提交'), cls: 'nowrap' },
      {
        label: '操作',
        cls: 'col-actions',
        render: (p) => h('a.btn.btn-small', { href: `#/workplans/${p.id}` }, p.status === 'submitted' ? '审核' : '查看'),
      },
    ], items, {
      caption: '各区试点工作方案',
      rowClass: (p) => (p.status === 'submitted' ? 'wp-row-waiting' : undefined),
      empty: status
        ? emptyState('没有该状态的工作方案', '请选择其他状态，或点击“重置”查看全部。')
        : emptyState('还没有试点地区编制工作方案', '试点地区市场监管局在“工作方案”中编制并提交后，将在这里审核。'),
    }),
    pager({
      total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
      onPage: (p) => ctx.setQuery({ status, page: p }),
    }),
  ].filter(Boolean));
}
