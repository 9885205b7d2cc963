// programme.js — shared by the home, calendar and industries pages:
// loads the programme the site runs (from /public/site) and renders deadlines.
import { get } from './api.js';
import { h, daysLeftText, statusTag, fmtDate } from './util.js';
import { dataTable, emptyState } from './ui.js';

// The programme shown by the site; falls back to the first one listed.
export async function loadProgramme(site) {
  const list = await get('/programmes', { per_page: 50 });
  const items = (list && list.items) || [];
  const id = site && site.programme ? site.programme.id : null;
  return items.find((p) => p.id === id) || items[0] || null;
}

export function noProgramme() {
  return emptyState('尚未配置提升行动', '请市局管理员先导入本年度的提升行动计划（工作日程、报送截止日期、试点行业）。');
}

// "还剩 8 天" with its tag, as one inline group.
export function deadlineBadge(d) {
  return h('span.deadline-badge',
    h(`span.days.days-${d.state}`, { text: daysLeftText(d.days_left) }), ' ', statusTag(d.state));
}

export function deadlinesTable(deadlines) {
  return dataTable([
    { primary: true, label: '报送事项', render: (d) => h('div', h('div.cell-strong', { text: d.name }),
      d.description ? h('div.cell-muted', { text: d.description }) : null) },
    { label: '截止日期', render: (d) => fmtDate(d.due), cls: 'nowrap' },
    { label: '报送单位', key: 'audience_name' },
    { label: '剩余天数', render: (d) => h(`span.days.days-${d.state}`, { text: daysLeftText(d.days_left) }), cls: 'nowrap' },
    { label: '状态', render: (d) => statusTag(d.state), cls: 'nowrap' },
  ], deadlines, {
    caption: '报送截止日期',
    rowClass: (d) => `deadline-row deadline-${d.state}`,
    empty: emptyState('本行动没有设置报送截止日期', '如需增加报送事项，请联系市局管理员。'),
  });
}
