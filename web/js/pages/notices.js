// pages/notices.js — 通知公告 (#/notices, every logged-in role): the notices
// visible to the caller, newest first, unread ones tagged 未读 and counted;
// search by keyword and an 只看未读 filter; pagination. City and district
// officers get 发布通知, and see the audience and their own withdrawn or
// not-yet-published notices tagged.
import { get } from '../api.js';
import { h, fmtDate } from '../util.js';
import { pageHeader, card, dataTable, pager, filterBar, select, emptyState, errorBox } from '../ui.js';
import { audienceText, unreadTag, stateTags, canPublish } from './notice-common.js';

const PER_PAGE = 20;
const FILTERS = ['unread', 'q'];

export async function render(ctx) {
  const { el, query, user, site } = ctx;
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const official = canPublish(user);
  const today = site && site.today;

  const countEl = h('span.notice-unread-count', { 'aria-live': 'polite' });
  el.append(pageHeader('通知公告', {
    sub: h('span.notice-sub', h('span', official
      ? '市局和各区市场监管局发布的通知公告。公开通知无需登录也可在“通知公告”公众页面查看。'
      : '市局和区市场监管局发布的通知公告，请及时阅读。'), countEl),
    actions: official ? [h('a.btn.btn-primary', { href: '#/notices/new', id: 'notice-new' }, '发布通知')] : [],
  }));

  const bar = filterBar([
    { label: '阅读状态', el: select('unread', [['', '全部'], ['true', '只看未读']], f.unread) },
    { label: '关键字', el: h('input', { type: 'search', name: 'q', value: f.q, placeholder: '输入通知标题或正文关键字' }) },
  ], (v) => ctx.setQuery(v));
  bar.classList.add('notice-filter-bar');
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  let data;
  try {
    data = await get('/notices', { ...f, page, per_page: PER_PAGE });
  } catch (err) {
    if (!ctx.isCurrent()) return;
    body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const unread = Number(data.unread) || 0;
  countEl.textContent = unread ? `未读 ${unread} 条` : '全部已读';
  countEl.classList.toggle('notice-unread-none', !unread);

  const href = (n) => `#/notices/${n.id}`;
  const columns = [
    {
      primary: true,
      label: '标题',
      render: (n) => h('span.notice-title-cell',
        h('a.notice-row-link', { href: href(n), text: n.title }),
        unreadTag(n), stateTags(n, today),
        (n.attachments || []).length ? h('span.notice-clip', { title: '有附件' }, `附件 ${(n.attachments || []).length}`) : null),
    },
    { label: '发布单位', render: (n) => (n.publisher ? n.publisher.name : '—') },
    official ? { label: '发布范围', render: (n) => audienceText(n), cls: 'nowrap' } : null,
    { label: '发布日期', render: (n) => fmtDate(n.publish_date), cls: 'nowrap' },
  ].filter(Boolean);
  const filtered = FILTERS.some((k) => f[k]);
  const table = dataTable(columns, data.items || [], {
    caption: '通知公告列表',
    rowClass: (n) => `notice-row${n.read === false && !n.withdrawn ? ' notice-row-unread' : ''}${n.withdrawn ? ' notice-row-withdrawn' : ''}`,
    empty: filtered
      ? emptyState(f.unread ? '没有未读的通知' : '没有符合条件的通知', '请调整筛选条件，或点击“重置”查看全部通知。')
      : emptyState('暂无通知公告', official ? '点击“发布通知”向企业、认证机构或公众发布通知。' : '市局或区市场监管局发布通知后会显示在这里。',
        official ? h('a.btn.btn-primary', { href: '#/notices/new' }, '发布通知') : null),
  });
  table.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.notice-row');
    if (!tr || e.target.closest('a, button')) return;
    const a = tr.querySelector('a.notice-row-link');
    if (a) ctx.navigate(a.getAttribute('href'));
  });
  body.replaceChildren(table, pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ ...f, page: p }),
  }));
}
