// pages/supervision.js — 认证监管 (#/supervision, city_admin and cb_staff):
// from GET /certificates/supervision, the certificates that need action —
// 应暂停 (valid, surveillance overdue), 应撤销 (suspended for more than
// 6 months) — and the surveillance audits falling due within 30 days. Every
// row links to the certificate, where the issuing body (for prior
// certificates the district or the city) changes its status.
import { get } from '../api.js';
import { h, statusTag, fmtDate, daysBetween } from '../util.js';
import { pageHeader, card, dataTable, emptyState } from '../ui.js';
import { certLink, priorTag } from './certificate-common.js';

export async function render(ctx) {
  const { el, user } = ctx;
  const data = await get('/certificates/supervision');
  if (!ctx.isCurrent()) return;
  const today = data.today;
  const cb = user.role === 'cb_staff';
  el.append(pageHeader('认证监管', {
    sub: `依据 CNCA-QMS-01：监督审核逾期应暂停证书，暂停期限最长 6 个月，逾期应撤销证书。统计日期 ${fmtDate(today)}。`,
    actions: [h('a.btn', { href: '#/certificates' }, '全部证书')],
  }));

  const counts = [
    ['应暂停', (data.must_suspend || []).length, 'red'],
    ['应撤销', (data.must_withdraw || []).length, 'red'],
    ['30 天内到期', (data.due_soon || []).length, 'orange'],
  ];
  el.append(h('div.cert-sup-summary', counts.map(([label, n, colour]) => h(`div.cert-sup-count.cert-sup-${n ? colour : 'zero'}`,
    h('span.cert-sup-n', String(n)), h('span.cert-sup-label', label)))));

  const base = [
    { primary: true, label: '证书编号', render: (c) => h('span.cert-num-cell', certLink(c), priorTag(c)) },
    { label: '获证组织', render: (c) => h('span.cert-holder', { text: c.holder }) },
    { label: '所属区', key: 'district', cls: 'nowrap' },
    cb ? null : { label: '发证机构', key: 'issuer' },
    { label: '状态', render: (c) => statusTag(c.status), cls: 'nowrap' },
  ].filter(Boolean);
  const surv = (c) => c.surveillance || {};

  el.append(section('应暂停（监督审核逾期）', 'sup-suspend',
    '以下有效证书的监督审核已逾期，发证机构应暂停证书（参加前已获证的由区市场监管局或市局处理）。',
    dataTable([
      ...base,
      { label: '监督审核截止', render: (c) => fmtDate(surv(c).next_due), cls: 'nowrap' },
      { label: '已做/应做', render: (c) => `${surv(c).done ?? 0} / ${surv(c).required ?? 2}`, cls: 'nowrap' },
      { label: '逾期', render: (c) => h('span.cert-late', `已逾期 ${Math.abs(surv(c).days_left || 0)} 天`), cls: 'nowrap' },
    ], data.must_suspend || [], {
      caption: '应暂停的证书',
      empty: emptyState('没有监督审核逾期的有效证书'),
    })));

  el.append(section('应撤销（暂停超过 6 个月）', 'sup-withdraw',
    '以下证书暂停已超过 6 个月仍未恢复，应撤销证书。',
    dataTable([
      ...base,
      { label: '暂停日期', render: (c) => fmtDate(c.status_date), cls: 'nowrap' },
      { label: '已暂停', render: (c) => h('span.cert-late', `${daysBetween(c.status_date, today)} 天`), cls: 'nowrap' },
      { label: '暂停原因', render: (c) => c.status_reason || '—' },
    ], data.must_withdraw || [], {
      caption: '应撤销的证书',
      empty: emptyState('没有暂停超过 6 个月的证书'),
    })));

  el.append(section('30 天内到期的监督审核', 'sup-due',
    '以下有效证书的监督审核将在 30 天内到期，请及时安排。',
    dataTable([
      ...base,
      { label: '监督审核截止', render: (c) => fmtDate(surv(c).next_due), cls: 'nowrap' },
      { label: '已做/应做', render: (c) => `${surv(c).done ?? 0} / ${surv(c).required ?? 2}`, cls: 'nowrap' },
      { label: '剩余', render: (c) => h('span.cert-soon', surv(c).days_left === 0 ? '今日截止' : `还剩 ${surv(c).days_left} 天`), cls: 'nowrap' },
    ], data.due_soon || [], {
      caption: '30 天内到期的监督审核',
      empty: emptyState('30 天内没有到期的监督审核'),
    })));
}

function section(title, key, note, table) {
  return h('section.card.cert-sup-card', { id: key, 'aria-labelledby': `${key}-title` },
    h('div.card-head', h('div.card-head-row',
      h('h2.card-title', { id: `${key}-title`, text: title }))),
    h('div.card-body', h('p.cert-sup-note', { text: note }), table));
}
