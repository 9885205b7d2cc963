// pages/checkin.js — 培训签到 (#/checkin/{token}, any logged-in user; opened
// by scanning the venue's QR code, so designed for a phone first): the
// session behind the code and the caller's registrations in it, each with a
// 签到 button. Check-in only works on the session's date: the server's 409
// wrong_day is shown as a clear message.
import { get, post } from '../api.js';
import { h, tag, fmtDateTime } from '../util.js';
import { card, button, emptyState, toast } from '../ui.js';
import { kindTag, timeRange, placeCell, dayOf } from './training-common.js';

export async function render(ctx) {
  const { el, params, user } = ctx;
  const token = params.token;
  let data;
  try {
    data = await get(`/checkin/${encodeURIComponent(token)}`);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    if (err.status === 404) {
      el.append(h('h1.page-title', '培训签到'), emptyState('签到二维码无效', '请确认扫描的是主办单位在会场展示的签到二维码，或联系主办单位。',
        h('a.btn.btn-primary', { href: '#/trainings' }, '查看培训')));
      return;
    }
    throw err;
  }
  if (!ctx.isCurrent()) return;
  const t = data.training || data;
  const regs = data.registrations || t.registrations || [];
  const reload = () => ctx.navigate(location.hash);
  document.title = `签到：${t.title} - ${document.title.split(' - ').pop()}`;

  el.append(h('section.checkin-head',
    h('p.checkin-kicker', '培训签到'),
    h('h1.page-title.checkin-title', { text: t.title }),
    h('div.checkin-meta',
      kindTag(t),
      h('span.checkin-time', timeRange(t)),
      h('span.checkin-where', placeCell(t)),
      t.organiser ? h('span.checkin-org', { text: `主办：${t.organiser.name}` }) : null)));

  const msg = h('div.checkin-msg', { 'aria-live': 'assertive' });
  el.append(msg);

  if (!regs.length) {
    el.append(card(null, emptyState(user.role === 'enterprise' ? '本企业没有人报名本期培训' : '您没有报名本期培训的人员',
      user.role === 'enterprise' ? '请先在培训详情页为参训人员报名，再扫码签到。' : '签到由报名企业的联系人为本企业的参训人员办理。',
      t.id ? h('a.btn.btn-primary', { href: `#/trainings/${t.id}` }, '查看培训详情') : null)));
    return;
  }

  // Only the enterprise that registered a person checks it in; others
  // (the organiser, a district) see the list and are sent to the detail page.
  const self = user.role === 'enterprise';
  if (!self) {
    el.append(h('div.alert.alert-info', { role: 'note' }, '签到由报名企业的联系人扫码办理。主办单位可在',
      h('a', { href: `#/trainings/${t.id}` }, '培训详情'), '页为报名人员标记签到。'));
  }
  const list = h('ul.checkin-list', regs.map((r) => {
    const item = h('li.checkin-item', { dataset: { reg: String(r.id) } },
      h('div.checkin-person',
        h('span.checkin-name', { text: r.name }),
        h('span.checkin-post', { text: [r.post, r.phone].filter(Boolean).join(' · ') })),
      r.attended
        ? h('span.checkin-done', tag('已签到', 'green'), r.checked_in_at ? h('span.cell-muted', fmtDateTime(r.checked_in_at)) : null)
        : self
          ? button('签到', { kind: 'primary', class: 'checkin-btn', 'aria-label': `为${r.name}签到`, onClick: (e) => checkIn(e.currentTarget, r) })
          : tag('未签到', 'grey'));
    return item;
  }));
  el.append(card(user.enterprise ? `${user.enterprise.name} · 报名人员` : '报名人员', list,
    h('p.checkin-hint', `请在培训当天（${dayOf(t)}）到达会场后逐人签到。`)));

  async function checkIn(btn, r) {
    btn.disabled = true;
    msg.replaceChildren();
    try {
      await post(`/checkin/${encodeURIComponent(token)}`, { registration_id: r.id });
      toast(`${r.name} 已签到`);
      reload();
    } catch (err) {
      btn.disabled = false;
      const text = err.code === 'wrong_day'
        ? ['今天不是培训日期，不能签到。', err.message || `本期培训在 ${dayOf(t)} 举行，只能在培训当天签到。`]
        : ['签到未成功', err.message];
      msg.replaceChildren(h(`div.alert.${err.code === 'wrong_day' ? 'alert-warning' : 'alert-error'}.checkin-error`, { role: 'alert' },
        h('strong', text[0]), h('p', { text: text[1] })));
      msg.scrollIntoView({ block: 'nearest' });
    }
  }
}
