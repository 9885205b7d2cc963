// pages/notice-common.js — shared by the notice pages (通知公告: list, detail,
// form) and the public notice page (notices.html / js/public-notices.js):
// the audience vocabulary, the plain-text body turned into paragraphs with
// http(s) addresses as links (built with createElement, never parsed as
// HTML), the attachment list and the state tags. Not a page of its own.
// Imports only util.js so the public page can load it without the shell.
// Styles: css/notices.css (notice-*).
import { h, tag, fmtSize, fmtDate } from '../util.js';

export const AUDIENCES = {
  public: '公开',
  all: '全部登录用户',
  role: '指定角色',
  district: '指定区',
};

export const ROLE_AUDIENCES = [
  ['city_admin', '市局'],
  ['district_officer', '区市场监管局'],
  ['cb_staff', '认证机构'],
  ['enterprise', '企业'],
];

// Attachment types the server accepts (checked again from the content there).
export const ATTACHMENT_TYPES = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
export const ATTACHMENT_ACCEPT = `${Object.keys(ATTACHMENT_TYPES).map((e) => `.${e}`).join(',')},${Object.values(ATTACHMENT_TYPES).join(',')}`;

// "公开" / "指定角色：区市场监管局" / "指定区：浦东新区".
export function audienceText(n) {
  const base = n.audience_name || AUDIENCES[n.audience] || n.audience || '';
  if (n.audience === 'role' && n.audience_role) {
    const r = ROLE_AUDIENCES.find(([k]) => k === n.audience_role);
    const name = r ? r[1] : n.audience_role;
    return base.includes(name) ? base : `${AUDIENCES.role}：${name}`;
  }
  if (n.audience === 'district' && n.audience_district) {
    return base.includes(n.audience_district) ? base : `${AUDIENCES.district}：${n.audience_district}`;
  }
  return base;
}

// ---- Body: paragraphs, line breaks, links ---------------------------------

// An http(s) address runs until white space, a quote or angle bracket, or a
// full-width (CJK) character; trailing punctuation is left out of the link.
const URL_RE = /https?:\/\/[^\s<>"'`\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+/g;

function trimUrl(url) {
  let u = url.replace(/[.,;:!?]+$/, '');
  // A closing bracket belongs to the address only when it opened one.
  while (/[)\]]$/.test(u)) {
    const close = u.slice(-1);
    const open = close === ')' ? '(' : '[';
    if (u.split(open).length >= u.split(close).length) break;
    u = u.slice(0, -1).replace(/[.,;:!?]+$/, '');
  }
  return u;
}

// One line of text → text nodes and <a> elements.
export function linkify(line) {
  const out = [];
  let last = 0;
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(line); m; m = URL_RE.exec(line)) {
    const url = trimUrl(m[0]);
    if (!/^https?:\/\/[^/?#]+/.test(url)) continue;
    if (m.index > last) out.push(document.createTextNode(line.slice(last, m.index)));
    const a = document.createElement('a');
    a.href = url;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
    a.className = 'notice-link';
    a.textContent = url;
    out.push(a);
    last = m.index + url.length;
    URL_RE.lastIndex = last;
  }
  if (last < line.length) out.push(document.createTextNode(line.slice(last)));
  return out;
}

// Plain text → <div> of <p>: paragraphs split on blank lines, single line
// breaks kept as <br>, addresses as links. Nothing is interpreted as HTML.
export function richText(text, cls = 'notice-body') {
  const box = h(`div.${cls}`);
  const paras = String(text || '').replace(/\r\n?/g, '\n').split(/\n[ \t\u3000]*\n/);
  for (const para of paras) {
    const lines = para.replace(/^\n+|\n+$/g, '').split('\n');
    if (!lines.join('').trim()) continue;
    const p = document.createElement('p');
    lines.forEach((line, i) => {
      if (i) p.append(document.createElement('br'));
      p.append(...linkify(line));
    });
    box.append(p);
  }
  if (!box.childNodes.length) box.append(h('p.notice-empty-body', '（无正文）'));
  return box;
}

// ---- Attachments ---------------------------------------------------------

const EXT_LABEL = { pdf: 'PDF', doc: 'DOC', docx: 'DOC', xls: 'XLS', xlsx: 'XLS' };

export function fileExt(name) {
  const i = String(name || '').lastIndexOf('.');
  return i < 0 ? '' : name.slice(i + 1).toLowerCase();
}

// attachments: [{id, filename, content_type, size}]; hrefFor(file) → URL.
export function attachmentList(attachments, hrefFor) {
  const list = attachments || [];
  if (!list.length) return null;
  return h('ul.notice-files', list.map((f) => {
    const ext = fileExt(f.filename);
    return h('li.notice-file',
      h(`span.notice-file-icon.notice-file-${EXT_LABEL[ext] ? EXT_LABEL[ext].toLowerCase() : 'other'}`, { 'aria-hidden': 'true' },
        EXT_LABEL[ext] || 'FILE'),
      h('a.notice-file-link', { href: hrefFor(f), download: f.filename || true, text: f.filename || `附件 ${f.id}` }),
      f.size ? h('span.notice-file-size', fmtSize(f.size)) : null);
  }));
}

// ---- Tags ------------------------------------------------------------------

export function unreadTag(n) {
  return n.read === false && !n.withdrawn ? tag('未读', 'red') : null;
}

// 已撤回 / 待发布 (visible to the publisher and the city before the date).
export function stateTags(n, today) {
  return [
    n.withdrawn ? tag('已撤回', 'grey') : null,
    !n.withdrawn && today && n.publish_date && n.publish_date > today ? tag(`${fmtDate(n.publish_date)} 发布`, 'orange') : null,
  ].filter(Boolean);
}

// The publisher unit or the city may edit and withdraw.
export function canManage(n, user) {
  if (!user) return false;
  if (user.role === 'city_admin') return true;
  return user.role === 'district_officer' && !!user.unit && !!n.publisher && user.unit.id === n.publisher.id;
}

export function canPublish(user) {
  return !!user && (user.role === 'city_admin' || user.role === 'district_officer');
}

// A field's error message goes away as soon as the user changes that field.
export function clearErrorsOnInput(form) {
  const clearField = (e) => {
    const wrap = e.target.closest && e.target.closest('.field');
    if (!wrap) return;
    for (const m of wrap.querySelectorAll('.field-error')) m.remove();
    e.target.removeAttribute('aria-invalid');
  };
  form.addEventListener('input', clearField);
  form.addEventListener('change', clearField);
}
