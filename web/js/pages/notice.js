// pages/notice.js — 通知详情 (#/notices/{id}): title, publisher, date and
// audience, the body as paragraphs with its web addresses as links, the
// attachments as downloads. Opening it marks the notice read for the caller
// (the server does it on GET). The publisher unit and the city get 编辑 and
// 撤回 (after a confirmation).
import { get, post } from '../api.js';
import { h, fmtDate, fmtDateTime } from '../util.js';
import { button, confirmDialog, openDialog, toast } from '../ui.js';
import {
  richText, attachmentList, audienceText, stateTags, canManage,
} from './notice-common.js';

export async function render(ctx) {
  const { el, params, user, site } = ctx;
  const n = await get(`/notices/${encodeURIComponent(params.id)}`);
  if (!ctx.isCurrent()) return;
  const today = site && site.today;
  document.title = `${n.title} - ${document.title.split(' - ').pop()}`;
  const manage = canManage(n, user) && !n.withdrawn;

  const actions = [h('a.btn', { href: '#/notices' }, '返回列表')];
  if (manage) {
    actions.push(h('a.btn', { href: `#/notices/${n.id}/edit`, id: 'notice-edit' }, '编辑'),
      button('撤回', { kind: 'danger', id: 'notice-withdraw', onClick: () => withdraw(ctx, n) }));
  }
  el.append(h('div.page-header.notice-header',
    h('div.page-actions.notice-actions', actions)));

  if (n.withdrawn) {
    el.append(h('div.alert.alert-warning', { role: 'status' }, '本通知已撤回，其他用户和公众不再能看到。'));
  } else if (today && n.publish_date > today) {
    el.append(h('div.alert.alert-info', { role: 'status' }, `本通知将于 ${fmtDate(n.publish_date)} 发布，届时发布范围内的用户才能看到。`));
  }

  const files = attachmentList(n.attachments, (f) => `/api/v1/notices/${n.id}/attachments/${f.id}`);
  el.append(h('article.card.notice-article', { 'aria-labelledby': 'notice-title' },
    h('header.notice-article-head',
      h('h1.page-title.notice-title', { id: 'notice-title', text: n.title }),
      stateTags(n, today).length ? h('div.notice-title-tags', stateTags(n, today)) : null,
      h('p.notice-meta',
        h('span.notice-meta-item', h('span.notice-meta-label', '发布单位'), h('span.notice-publisher', { text: n.publisher ? n.publisher.name : '—' })),
        h('span.notice-meta-item', h('span.notice-meta-label', '发布日期'), h('span.notice-date', fmtDate(n.publish_date))),
        h('span.notice-meta-item', h('span.notice-meta-label', '发布范围'), h('span', { text: audienceText(n) })))),
    richText(n.body),
    files ? h('section.notice-attachments', { 'aria-label': '附件' }, h('h2.notice-files-title', `附件（${n.attachments.length}）`), files) : null,
    canManage(n, user) ? h('footer.notice-foot', `由 ${n.author || '—'} 录入 · 最后修改 ${fmtDateTime(n.updated_at)}`) : null));
}

async function withdraw(ctx, n) {
  const ok = await confirmDialog({
    title: '撤回通知',
    message: `确定撤回“${n.title}”吗？撤回后，除发布单位和市局外，其他用户和公众都将看不到本通知。`,
    confirmLabel: '确认撤回',
    danger: true,
  });
  if (!ok) return;
  try {
    await post(`/notices/${n.id}/withdraw`);
    toast('通知已撤回');
    ctx.navigate(location.hash);
  } catch (err) {
    await openDialog({ title: '撤回未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
}

