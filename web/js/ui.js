// ui.js — the shared building blocks of every page: page header, cards,
// filter bar, table (stacked cards at phone width), pagination, form fields
// with server-error mapping, modal dialogs and the toast.
import { h, clear, append } from './util.js';

let idSeq = 0;
export const uid = (prefix = 'f') => `${prefix}-${++idSeq}`;

// ---- Page structure ------------------------------------------------------

export function pageHeader(title, { actions = [], sub } = {}) {
  return h('div.page-header',
    h('div.page-header-text', h('h1.page-title', { text: title }), sub ? h('p.page-sub', sub) : null),
    actions.length ? h('div.page-actions', actions) : null);
}

export function card(title, ...children) {
  return h('section.card',
    title ? h('div.card-head', typeof title === 'string' ? h('h2.card-title', { text: title }) : title) : null,
    h('div.card-body', children));
}

export function emptyState(message, hint, action) {
  return h('div.empty', h('p.empty-title', { text: message }), hint ? h('p.empty-hint', { text: hint }) : null,
    action || null);
}

export function loading(el) {
  clear(el).append(h('p.loading', { text: '正在加载…' }));
}

export function errorBox(err) {
  return h('div.alert.alert-error', { role: 'alert' }, err && err.message ? err.message : '加载失败，请刷新页面重试');
}

export function button(label, { kind = 'default', type = 'button', onClick, ...rest } = {}) {
  return h(`button.btn.btn-${kind}`, { type, on: onClick ? { click: onClick } : undefined, ...rest }, label);
}

// ---- Table ---------------------------------------------------------------

// columns: [{ label, key | render(row, i), cls, primary }]. Each cell carries
// its column label (data-label) so CSS can turn rows into cards on a phone;
// the `primary` column becomes the card's title there, and `col-no` (row
// numbers) is left out of the cards.
export function dataTable(columns, rows, { empty, caption, rowClass } = {}) {
  if (!rows.length) return empty || emptyState('暂无数据');
  const thead = h('thead', h('tr', columns.map((c) => h('th', { scope: 'col', class: c.cls }, c.label))));
  const tbody = h('tbody', rows.map((row, i) => h('tr', { class: rowClass ? rowClass(row) : undefined },
    columns.map((c) => {
      const v = c.render ? c.render(row, i) : row[c.key];
      return h('td', { class: [c.cls, c.primary ? 'td-primary' : ''].filter(Boolean).join(' ') || undefined, dataset: { label: c.label } },
        v === null || v === undefined || v === '' ? '—' : v);
    }))));
  return h('div.table-wrap', h('table.table.table-stack', caption ? h('caption.sr-only', caption) : null, thead, tbody));
}

// ---- Pagination ----------------------------------------------------------

export function pager({ total, page, perPage, onPage }) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return h('nav.pager', { 'aria-label': '分页' },
    h('span.pager-total', `共 ${total} 条`),
    pages > 1 ? [
      h('button.btn.btn-small', { type: 'button', disabled: page <= 1, on: { click: () => onPage(page - 1) } }, '上一页'),
      h('span.pager-page', `第 ${page} / ${pages} 页`),
      h('button.btn.btn-small', { type: 'button', disabled: page >= pages, on: { click: () => onPage(page + 1) } }, '下一页'),
    ] : null);
}

// ---- Filter bar ----------------------------------------------------------

// fields: [{ label, el }] — el is an input/select with a name. onSubmit gets
// {name: value}. A 重置 button clears every field and submits.
export function filterBar(fields, onSubmit) {
  const form = h('form.filter-bar', { role: 'search' });
  for (const f of fields) {
    const id = f.el.id || (f.el.id = uid('flt'));
    form.append(h('div.filter-item', h('label', { for: id, text: f.label }), f.el));
  }
  const values = () => Object.fromEntries(fields.map((f) => [f.el.name, f.el.value.trim()]));
  form.append(h('div.filter-buttons',
    h('button.btn.btn-primary', { type: 'submit' }, '查询'),
    h('button.btn', { type: 'button', on: { click: () => { for (const f of fields) f.el.value = ''; onSubmit(values()); } } }, '重置')));
  form.addEventListener('submit', (e) => { e.preventDefault(); onSubmit(values()); });
  return form;
}

export function select(name, options, value) {
  return h('select', { name },
    options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, label)));
}

// ---- Forms ---------------------------------------------------------------

// A labelled field: label above the input, * for required, hint below, and a
// slot for the validation message.
export function field(label, input, { required = false, hint } = {}) {
  const id = input.id || (input.id = uid('in'));
  if (required) input.setAttribute('aria-required', 'true');
  const hintEl = hint ? h('p.field-hint', { id: `${id}-hint`, text: hint }) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', { dataset: { field: input.name || '' } },
    h('label', { for: id }, label, required ? h('span.req', { 'aria-hidden': 'true' }, '*') : null),
    input, hintEl);
}

export function clearFormErrors(form) {
  for (const el of form.querySelectorAll('.field-error, .form-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const hint = document.getElementById(`${el.id}-hint`);
    if (hint) el.setAttribute('aria-describedby', hint.id); else el.removeAttribute('aria-describedby');
  }
}

// Put one message under the input named `name`; returns false if the form has
// no such (visible) input.
export function setFieldError(form, name, message) {
  const input = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (!input || input.closest('[hidden]')) return false;
  const wrap = input.closest('.field') || input.parentElement;
  const msg = h('p.field-error', { id: `${input.id}-error`, text: message });
  wrap.append(msg);
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), msg.id].filter(Boolean).join(' '));
  return true;
}

// Show an error on the form: under its field when the server named one that
// the form has, else as a message at the top of the form.
export function showFormError(form, err) {
  const message = err && err.message ? err.message : '提交失败，请稍后重试';
  if (!(err && err.field && setFieldError(form, err.field, message))) {
    form.prepend(h('div.alert.alert-error.form-error', { role: 'alert', text: message }));
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

// ---- Dialog --------------------------------------------------------------

// openDialog({ title, body, actions: [{label, kind, value, before}] }) → Promise
// of the chosen value (null on Esc). A real modal <dialog>: focus stays inside.
// An action's optional before() (may be async) runs first with the buttons
// disabled; when it returns false the dialog stays open (a form in the
// dialog showing its errors).
export function openDialog({ title, body, actions = [{ label: '关闭', kind: 'primary', value: true }], className }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const dlg = h('dialog.dialog', { 'aria-labelledby': titleId, class: className });
    const footer = h('div.dialog-actions');
    let result = null;
    let busy = false;
    const choose = async (a) => {
      if (busy) return;
      if (a.before) {
        busy = true;
        for (const b of footer.querySelectorAll('button')) b.disabled = true;
        let ok = false;
        try { ok = await a.before(); } finally {
          busy = false;
          for (const b of footer.querySelectorAll('button')) b.disabled = false;
        }
        if (ok === false) return;
      }
      result = a.value;
      dlg.close();
    };
    dlg.addEventListener('cancel', (e) => { if (busy) e.preventDefault(); });
    for (const a of actions) {
      footer.append(h(`button.btn.btn-${a.kind || 'default'}`, {
        type: 'button',
        dataset: { value: String(a.value) },
        on: { click: () => choose(a) },
      }, a.label));
    }
    append(dlg, [h('h2.dialog-title', { id: titleId, text: title }),
      h('div.dialog-body', body), footer]);
    dlg.addEventListener('close', () => { dlg.remove(); resolve(result); });
    document.body.append(dlg);
    dlg.showModal();
    const primary = footer.querySelector('.btn-primary, .btn-danger') || footer.querySelector('button');
    if (primary) primary.focus();
  });
}

export async function confirmDialog({ title, message, confirmLabel = '确定', danger = false }) {
  const v = await openDialog({
    title,
    body: typeof message === 'string' ? h('p', { text: message }) : message,
    actions: [
      { label: '取消', kind: 'default', value: false },
      { label: confirmLabel, kind: danger ? 'danger' : 'primary', value: true },
    ],
  });
  return v === true;
}

// Show a one-time secret (temporary password) with the advice that goes with it.
export function secretDialog({ title, intro, username, secret }) {
  return openDialog({
    title,
    body: [
      h('p', { text: intro }),
      h('dl.secret',
        h('dt', '用户名'), h('dd', h('code', { text: username })),
        h('dt', '临时密码'), h('dd', h('code.secret-value', { text: secret }))),
      h('p.dialog-note', '临时密码仅显示这一次，请通过安全渠道告知用户；用户首次登录后须修改密码。'),
    ],
    actions: [{ label: '我已记下', kind: 'primary', value: true }],
  });
}

// ---- Toast ---------------------------------------------------------------

let toastTimer = null;
export function toast(message, kind = 'success') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.className = `toast toast-${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 3500);
}
