// pages/training-common.js — shared by the training pages (宣传培训: list,
// detail, form, statistics, check-in) and the enterprise ledger's 培训记录:
// the kinds, the session's time and place, its state relative to today, who
// organises it. Not a page of its own. Styles: css/notices.css (training-*).
import { h, tag } from '../util.js';

// kind → [label, tag colour] (docs/api.md Training).
export const KINDS = {
  online: ['线上培训', 'blue'],
  offline: ['线下培训', 'green'],
  small_class: ['小班化定制培训', 'teal'],
};
export const KIND_OPTIONS = Object.entries(KINDS).map(([k, [label]]) => [k, label]);

export function kindTag(t) {
  const [label, colour] = KINDS[t.kind] || [t.kind_name || t.kind, 'grey'];
  return tag(t.kind_name || label, colour);
}

// "2021-05-10 09:00–12:00", or both ends in full when the days differ.
export function timeRange(t) {
  const s = String(t.starts_at || '');
  const e = String(t.ends_at || '');
  if (!s) return '—';
  if (!e) return s;
  if (s.slice(0, 10) === e.slice(0, 10)) return `${s}–${e.slice(11)}`;
  return `${s} 至 ${e}`;
}

export function dayOf(t) { return String(t.starts_at || '').slice(0, 10); }

// The session relative to the business date: upcoming / today / past.
export function sessionState(t, today) {
  if (!today) return null;
  const start = dayOf(t);
  const end = String(t.ends_at || t.starts_at || '').slice(0, 10);
  if (end < today) return 'past';
  if (start > today) return 'upcoming';
  return 'today';
}
const STATES = { upcoming: ['未开始', 'blue'], today: ['今日举办', 'orange'], past: ['已结束', 'grey'] };
export function stateTag(t, today) {
  const s = sessionState(t, today);
  return s ? tag(...STATES[s]) : null;
}

// 地点 or the online link (opened in a new tab, never as our page).
export function placeCell(t) {
  const parts = [];
  if (t.place) parts.push(h('span.training-place', { text: t.place }));
  if (t.link && /^https?:\/\//i.test(t.link)) {
    parts.push(h('a.training-link', { href: t.link, target: '_blank', rel: 'noopener noreferrer', text: t.kind === 'online' ? '进入线上培训' : '线上链接' }));
  }
  return parts.length ? h('span.training-where', parts) : '—';
}

// 名额: 已报名 / 容量, red when full.
export function seats(t) {
  const reg = Number(t.registered) || 0;
  const cap = Number(t.capacity) || 0;
  const full = cap > 0 && reg >= cap;
  return h(`span.training-seats${full ? '.training-seats-full' : ''}`,
    h('span.training-seats-n', `${reg} / ${cap}`), full ? tag('已满', 'red') : null);
}

export function isFull(t) {
  return (Number(t.capacity) || 0) > 0 && (Number(t.registered) || 0) >= Number(t.capacity);
}

// The organiser unit's staff manage a session; the city sees everything.
export function isOrganiser(t, user) {
  return !!user && !!user.unit && !!t.organiser && user.unit.id === t.organiser.id;
}

export function canOrganise(user) {
  return !!user && ['city_admin', 'district_officer', 'cb_staff'].includes(user.role);
}

// The check-in token from "http://host/#/checkin/TOKEN" (the server's base URL
// may differ from the address the browser uses: build the link on ours).
export function checkinToken(url) {
  const m = /#\/checkin\/([^/?#]+)/.exec(String(url || ''));
  return m ? m[1] : null;
}

// Mobile 1[3-9]xxxxxxxxx or a landline 0xx(x)-xxxxxxx(x)[-ext] (as the server checks).
export const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-[1-9]\d{6,7}(-\d{1,6})?)$/;
