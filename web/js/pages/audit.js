// pages/audit.js — 操作日志 (city_admin): who did what, when, from where.
import { get } from '../api.js';
import { h, tag, fmtDateTime, AUDIT_ACTIONS, OBJECT_TYPES, ROLES } from '../util.js';
import { pageHeader, card, dataTable, pager, filterBar, select, emptyState } from '../ui.js';

const PER_PAGE = 30;

const ACTION_COLOUR = {
  'login.failure': 'orange',
  'password.change_failed': 'orange',
  'job.run': 'grey',
  'login.locked': 'red',
  'user.disable': 'red',
  'user.reset_password': 'orange',
  'user.create': 'green',
  'user.enable': 'green',
};

// Detail keys worth showing next to the object, in Chinese, with their
// values translated where they are codes.
const REASONS = {
  unknown_user: '用户不存在',
  bad_password: '密码错误',
  disabled: '账号已停用',
};
const JOBS = {
  'maintenance.purge': '清理过期会话和登录限制记录',
};
const RESULTS = { ok: '成功', failed: '失败' };
const DETAIL = {
  job: ['任务', (v) => JOBS[v] || v],
  result: ['结果', (v) => RESULTS[v] || v],
  username: ['用户名', (v) => v],
  role: ['角色', (v) => ROLES[v] || v],
  reason: ['原因', (v) => REASONS[v] || v],
  from: ['原姓名', (v) => v],
  to: ['新姓名', (v) => v],
  display_name: ['姓名', (v) => v],
  minutes: ['锁定分钟', (v) => v],
};

function objectCell(r) {
  const parts = [];
  if (r.object_type) {
    parts.push(`${OBJECT_TYPES[r.object_type] || r.object_type}${r.object_id ? ` #${r.object_id}` : ''}`);
  }
  const d = r.detail && typeof r.detail === 'object' ? r.detail : null;
  const extra = d ? Object.entries(d)
    .filter(([k, v]) => DETAIL[k] && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${DETAIL[k][0]}：${DETAIL[k][1](v)}`) : [];
  if (!parts.length && !extra.length) return '—';
  return h('div', parts.length ? h('div', parts.join('')) : null,
    extra.length ? h('div.cell-muted', extra.join('；')) : null);
}

export async function render(ctx) {
  const { el, query } = ctx;
  const action = query.get('action') || '';
  const username = query.get('username') || '';
  const from = query.get('from') || '';
  const to = query.get('to') || '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  el.append(pageHeader('操作日志', { sub: '登录、退出和账号管理操作的记录，按时间倒序排列（北京时间）。' }));
  const actionSel = select('action', [['', '全部操作'], ...Object.entries(AUDIT_ACTIONS)], action);
  const userIn = h('input', { type: 'search', name: 'username', value: username, placeholder: '用户名' });
  const fromIn = h('input', { type: 'date', name: 'from', value: from });
  const toIn = h('input', { type: 'date', name: 'to', value: to });
  const bar = filterBar([
    { label: '操作', el: actionSel }, { label: '用户名', el: userIn },
    { label: '开始日期', el: fromIn }, { label: '结束日期', el: toIn },
  ], (v) => ctx.setQuery(v));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  const data = await get('/audit-log', { action, username, from, to, page, per_page: PER_PAGE });
  if (!ctx.isCurrent()) return;
  body.replaceChildren();
  const filtered = action || username || from || to;
  body.append(dataTable([
    { label: '时间', render: (r) => fmtDateTime(r.at), cls: 'nowrap' },
    { label: '用户', render: (r) => (r.username ? h('code.username', r.username) : '—') },
    { label: 'IP 地址', render: (r) => (r.ip === 'cli' ? '命令行' : r.ip || '—'), cls: 'nowrap' },
    { label: '操作', render: (r) => tag(AUDIT_ACTIONS[r.action] || r.action, ACTION_COLOUR[r.action] || 'blue'), cls: 'nowrap' },
    { label: '对象', render: objectCell },
  ], data.items || [], {
    caption: '操作日志',
    empty: filtered
      ? emptyState('没有符合条件的日志', '请放宽筛选条件（例如清空日期范围），或点击“重置”查看全部日志。')
      : emptyState('暂无操作日志', '用户登录或管理账号后，记录会显示在这里。'),
  }));
  body.append(pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ action, username, from, to, page: p }),
  }));
}
