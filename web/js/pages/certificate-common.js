// pages/certificate-common.js — shared by the certification pages (认证证书,
// 证书详情, 颁发证书, 认证审核, 认证监管): vocabulary, the surveillance
// schedule badge, who may change a certificate, the definition grid and small
// look-ups. Not a page of its own. Styles: css/certificates.css (cert-*).
import { get } from '../api.js';
import { h, tag, statusTag, daysLeftText, STATUS } from '../util.js';

export const CERT_STATUSES = ['valid', 'suspended', 'withdrawn', 'cancelled', 'expired'];
export const STATUS_OPTIONS = CERT_STATUSES.map((s) => [s, STATUS[s][0]]);

export const DECISIONS = { pending: ['待定', 'grey'], certify: ['批准认证', 'green'], refuse: ['不予认证', 'red'] };
export const RESULTS = { pass: ['通过', 'green'], nonconformities: ['有不符合项已整改', 'orange'], fail: ['未通过', 'red'] };

export const DEFAULT_STANDARD = 'GB/T 19001-2016/ISO 9001:2015';
export const DEFAULT_SCHEME = '质量管理体系认证';

// Days before a surveillance deadline that count as 即将到期 (the server's
// due_soon list uses 0–30 days).
export const DUE_SOON_DAYS = 30;

// Status changes: from the status as of today, the allowed actions
// (docs/api.md: 有效→暂停, 暂停→有效, 暂停→撤销, 有效→注销).
export const ACTIONS = {
  suspend: { label: '暂停', to: 'suspended', kind: 'warning', verb: '暂停证书', hint: '暂停期间证书不得使用；暂停期限最长 6 个月，逾期未恢复应撤销。' },
  restore: { label: '恢复', to: 'valid', kind: 'primary', verb: '恢复证书', hint: '暂停原因消除、经确认后恢复证书有效。' },
  withdraw: { label: '撤销', to: 'withdrawn', kind: 'danger', verb: '撤销证书', hint: '撤销后证书失效，且不能恢复。' },
  cancel: { label: '注销', to: 'cancelled', kind: 'danger', verb: '注销证书', hint: '注销后证书失效，且不能恢复（如获证组织申请注销、不再需要认证）。' },
};
const TRANSITIONS = { valid: ['suspend', 'cancel'], suspended: ['restore', 'withdraw'] };

export function allowedActions(cert) {
  // Only when the stored status agrees with today's (an expired one is final).
  if (cert.stored_status && cert.stored_status !== cert.status) return [];
  return TRANSITIONS[cert.status] || [];
}

// The issuing body changes its certificates; a district or the city changes
// the certificates an enterprise held before joining (prior).
export function canChangeStatus(cert, user) {
  if (!user) return false;
  if (cert.prior) return user.role === 'district_officer' || user.role === 'city_admin';
  return user.role === 'cb_staff' && !!user.unit && user.unit.id === cert.cb_unit_id;
}

// Surveillance audits are recorded by the issuing body.
export function canRecordSurveillance(cert, user) {
  return !cert.prior && !!user && user.role === 'cb_staff' && !!user.unit && user.unit.id === cert.cb_unit_id;
}

export function decisionTag(decision) {
  const [label, colour] = DECISIONS[decision] || ['未记录', 'grey-outline'];
  return tag(label, colour);
}

export function resultTag(result) {
  const [label, colour] = RESULTS[result] || [result, 'grey'];
  return tag(label, colour);
}

export function priorTag(cert) {
  return cert.prior ? tag('参加前已获证', 'teal') : null;
}

// Surveillance only matters while a certificate is valid or suspended.
function watched(cert) {
  return cert.status === 'valid' || cert.status === 'suspended';
}

// The next surveillance deadline as a state: overdue | due_soon | upcoming | null.
export function survState(cert) {
  const s = cert.surveillance;
  if (!s || !s.next_due || !watched(cert)) return null;
  if (s.overdue || s.days_left < 0) return 'overdue';
  if (s.days_left <= DUE_SOON_DAYS) return 'due_soon';
  return 'upcoming';
}

// List cell: the date, then 已逾期 (red) / 即将到期 (orange) with the days.
export function nextSurvCell(cert) {
  const s = cert.surveillance;
  const st = survState(cert);
  if (!st) return h('span.cell-muted', '—');
  return h(`span.cert-due.cert-due-${st}`,
    h('span.cert-due-date', s.next_due),
    st === 'upcoming'
      ? h('span.cert-due-days', daysLeftText(s.days_left))
      : h('span.cert-due-days', statusTag(st), st === 'overdue' ? `${Math.abs(s.days_left)} 天` : daysLeftText(s.days_left)));
}

// "label: value" items of a definition grid (dl.cert-info).
export function info(label, value, { wide = false, cls } = {}) {
  const empty = value === null || value === undefined || value === '';
  return h(`div.cert-info-item${wide ? '.cert-info-wide' : ''}`, { class: cls },
    h('dt', { text: label }),
    h('dd', empty ? h('span.cert-empty', '—') : value));
}

export function certLink(cert) {
  return h('a.cert-number', { href: `#/certificates/${cert.id}` }, cert.number);
}

// Today's date: the site's (simulated) business date, else the browser's.
export function todayOf(site) {
  if (site && site.today) return site.today;
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

// Every item of a paged collection (per_page 200, at most 10 pages).
export async function allItems(path, params = {}) {
  const items = [];
  for (let page = 1; page <= 10; page++) {
    const r = await get(path, { ...params, page, per_page: 200 });
    const got = (r && r.items) || [];
    items.push(...got);
    if (items.length >= (r.total || 0) || !got.length) break;
  }
  return items;
}

// District names for the city's 所属区 filter.
export async function districtNames() {
  const units = await allItems('/units', { kind: 'district' });
  return [...new Set(units.map((u) => u.district).filter(Boolean))];
}

// Run fn over items with at most `limit` requests in flight.
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// Replace the last breadcrumb item and the document title (pages whose
// title depends on the mode, e.g. 登记已有证书).
export function retitle(title) {
  const last = document.querySelector('#breadcrumb [aria-current="page"]');
  if (last) last.textContent = title;
  document.title = `${title} - ${document.title.split(' - ').pop()}`;
}
