// pages/users.js — 用户管理 (city_admin): list with filters, enable/disable and
// password reset, each behind a confirmation dialog.
import { get, post } from '../api.js';
import { h, tag, fmtDateTime, ROLES } from '../util.js';
import {
  pageHeader, card, dataTable, pager, filterBar, select, emptyState,
  confirmDialog, secretDialog, openDialog, toast,
} from '../ui.js';

const PER_PAGE = 20;

function orgName(u) {
  if (u.unit) return u.unit.name;
  if (u.enterprise) return u.enterprise.name;
  return '—';
}

async function act(ctx, u, action) {
  const who = `${u.display_name}（${u.username}）`;
  const spec = {
    disable: {
      title: '停用用户', label: '确认停用', danger: true,
      message: `确定停用用户 ${who} 吗？停用后该用户无法登录，已登录的会话立即失效。可随时重新启用。`,
    },
    enable: { title: '启用用户', label: '确认启用', message: `确定启用用户 ${who} 吗？启用后该用户可以使用原密码登录。` },
    reset: {
      title: '重置密码', label: '确认重置', danger: true,
      message: `确定重置用户 ${who} 的密码吗？原密码立即失效，该用户已登录的会话将被退出，下次登录须修改密码。`,
    },
  }[action];
  if (!(await confirmDialog({ title: spec.title, message: spec.message, confirmLabel: spec.label, danger: spec.danger }))) return;
  try {
    if (action === 'reset') {
      const r = await post(`/users/${u.id}/reset-password`);
      await secretDialog({
        title: '密码已重置', intro: `已为用户 ${who} 生成新的临时密码。`,
        username: u.username, secret: r.temporary_password,
      });
    } else {
      await post(`/users/${u.id}/${action}`);
      toast(action === 'disable' ? `已停用用户 ${u.username}` : `已启用用户 ${u.username}`);
    }
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
  ctx.navigate(location.hash); // reload the list in place
}

export async function render(ctx) {
  const { el, query, user: me } = ctx;
  const role = query.get('role') || '';
  const active = query.get('active') || '';
  const q = query.get('q') || '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  el.append(pageHeader('用户管理', {
    sub: '为区市场监管局、认证机构和企业开通账号。新用户首次登录须修改临时密码。',
    actions: [h('a.btn.btn-primary', { href: '#/users/new' }, '新建用户')],
  }));
  const roleSel = select('role', [['', '全部'], ...Object.entries(ROLES)], role);
  const activeSel = select('active', [['', '全部'], ['true', '启用'], ['false', '已停用']], active);
  const qIn = h('input', { type: 'search', name: 'q', value: q, placeholder: '用户名或姓名' });
  const bar = filterBar([
    { label: '角色', el: roleSel }, { label: '状态', el: activeSel }, { label: '关键字', el: qIn },
  ], (v) => ctx.setQuery({ role: v.role, active: v.active, q: v.q }));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  const data = await get('/users', { role, active, q, page, per_page: PER_PAGE });
  if (!ctx.isCurrent()) return;
  body.replaceChildren();
  const filtered = role || active || q;
  body.append(dataTable([
    { label: '用户名', render: (u) => h('code.username', u.username) },
    { primary: true, label: '姓名', render: (u) => h('span.cell-strong', u.display_name) },
    { label: '角色', render: (u) => u.role_name || ROLES[u.role] || u.role },
    { label: '所属单位', render: orgName },
    {
      label: '状态',
      render: (u) => [u.active ? tag('启用', 'green') : tag('已停用', 'grey'),
        u.active && u.must_change_password ? [' ', tag('待改密码', 'orange')] : null],
      cls: 'nowrap',
    },
    { label: '最近登录', render: (u) => (u.last_login_at ? fmtDateTime(u.last_login_at) : '从未登录'), cls: 'nowrap' },
    {
      label: '操作',
      cls: 'col-actions',
      render: (u) => h('div.row-actions',
        u.id === me.id ? null
          : u.active
            ? h('button.btn.btn-link.btn-link-danger', { type: 'button', on: { click: () => act(ctx, u, 'disable') } }, '停用')
            : h('button.btn.btn-link', { type: 'button', on: { click: () => act(ctx, u, 'enable') } }, '启用'),
        h('button.btn.btn-link', { type: 'button', on: { click: () => act(ctx, u, 'reset') } }, '重置密码')),
    },
  ], data.items || [], {
    caption: '用户列表',
    rowClass: (u) => (u.active ? undefined : 'row-disabled'),
    empty: filtered
      ? emptyState('没有符合条件的用户', '请调整筛选条件，或点击“重置”查看全部用户。')
      : emptyState('还没有用户', '点击右上角“新建用户”为各单位开通账号。', h('a.btn.btn-primary', { href: '#/users/new' }, '新建用户')),
  }));
  body.append(pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ role, active, q, page: p }),
  }));
}
