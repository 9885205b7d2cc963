// pages/reminders.js — 提醒设置 (#/reminders).
// A district bureau or a certification body edits the e-mail addresses that
// receive its deadline reminders (up to 5, rows added and removed, an
// enabled switch; the server's `emails` error under the list), sees whether
// the platform's SMTP server is configured, and the reminders sent to it
// (已发送 / 发送失败 with the error). The city sees every reminder and can pick
// a unit (?unit=ID) to read and change its settings.
import { get, put } from '../api.js';
import { h, tag, fmtDate, fmtDateTime } from '../util.js';
import {
  pageHeader, card, dataTable, pager, filterBar, select, emptyState, errorBox, button, toast, uid,
} from '../ui.js';

const MAX_EMAILS = 5;
const PER_PAGE = 20;

const SEND_STATUS = {
  sent: ['已发送', 'green'],
  failed: ['发送失败', 'red'],
  sending: ['发送中', 'blue'],
};
const STATUS_OPTIONS = [['', '全部状态'], ['sent', '已发送'], ['failed', '发送失败'], ['sending', '发送中']];

function offsetText(n) {
  const d = Number(n) || 0;
  if (d < 0) return `截止前 ${-d} 天`;
  if (d === 0) return '截止当天';
  return `逾期 ${d} 天`;
}

export async function render(ctx) {
  const { el, user, query } = ctx;
  const city = user.role === 'city_admin';
  const unitId = city ? (parseInt(query.get('unit') || '', 10) || 0) : (user.unit ? user.unit.id : 0);
  const status = query.get('status') || '';
  const key = query.get('deadline') || '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  el.append(pageHeader('报送提醒', {
    sub: city
      ? '各单位接收报送期限提醒的邮箱和系统已发送的提醒邮件；选择单位可查看和修改其提醒邮箱。'
      : '报送期限临近或逾期时，平台向下列邮箱发送提醒邮件；平台首页的“报送事项”同时显示各事项状态。',
  }));

  const [units, dl] = await Promise.all([
    city ? get('/units', { per_page: 200 }).then((r) => (r.items || []).filter((u) => u.kind !== 'city')).catch(() => []) : Promise.resolve([]),
    get('/deadlines').catch(() => null),
  ]);
  if (!ctx.isCurrent()) return;
  const deadlineNames = new Map(((dl && dl.items) || []).map((d) => [d.key, d.name]));
  const unitName = (id) => { const u = units.find((x) => x.id === id); return u ? u.name : ''; };

  // ---- city: the unit picker ----
  if (city) {
    const pick = h('select', { name: 'unit', id: uid('unit') },
      h('option', { value: '' }, '全部单位'),
      h('optgroup', { label: '区市场监管局' }, units.filter((u) => u.kind === 'district')
        .map((u) => h('option', { value: String(u.id), selected: u.id === unitId }, u.name))),
      h('optgroup', { label: '认证机构' }, units.filter((u) => u.kind === 'cb')
        .map((u) => h('option', { value: String(u.id), selected: u.id === unitId }, u.name))));
    pick.addEventListener('change', () => ctx.setQuery({ unit: pick.value, status, deadline: key }));
    el.append(h('div.rem-pick', h('label', { for: pick.id }, '单位'), pick,
      unitId ? h('a.btn.btn-small', { href: '#/reminders' }, '查看全部单位') : null));
  }

  // ---- settings ----
  if (unitId) {
    const slot = h('div', h('p.loading', '正在加载…'));
    el.append(slot);
    try {
      const s = await get('/reminders/settings', city ? { unit_id: unitId } : undefined);
      if (!ctx.isCurrent()) return;
      slot.replaceChildren(smtpNote(s), settingsCard(ctx, s, { city, unitId, name: city ? unitName(unitId) : (user.unit && user.unit.name) }));
    } catch (err) {
      if (ctx.isCurrent()) slot.replaceChildren(errorBox(err));
    }
  }

  // ---- reminders sent ----
  const bar = filterBar([
    { label: '报送事项', el: select('deadline', [['', '全部事项'], ...[...deadlineNames.entries()]], key) },
    { label: '发送状态', el: select('status', STATUS_OPTIONS, status) },
  ], (v) => ctx.setQuery({ unit: city ? unitId || '' : '', status: v.status, deadline: v.deadline }));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(h('div.card-head-row', h('h2.card-title', city && !unitId ? '已发送的提醒（全部单位）' : '已发送的提醒')), bar, body));
  let data;
  try {
    data = await get('/reminders', {
      unit_id: city && unitId ? unitId : '', status, deadline_key: key, page, per_page: PER_PAGE,
    });
  } catch (err) {
    if (ctx.isCurrent()) body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const items = data.items || [];
  body.replaceChildren(
    dataTable([
      {
        primary: true,
        label: '提醒',
        render: (r) => h('span.rem-subject', h('span.cell-strong', { text: r.subject || deadlineNames.get(r.deadline_key) || r.deadline_key }),
          h('span.cell-muted', `${deadlineNames.get(r.deadline_key) || r.deadline_key} · 截止 ${fmtDate(r.due_date)} · ${offsetText(r.offset_days)}`)),
      },
      city && !unitId ? {
        label: '单位',
        render: (r) => (r.unit ? h('a', { href: `#/reminders?unit=${r.unit.id}`, text: r.unit.name }) : '—'),
        cls: 'nowrap',
      } : null,
      { label: '收件人', render: (r) => h('span.rem-mail', { text: r.recipient }), cls: 'nowrap' },
      {
        label: '状态',
        render: (r) => {
          const [l, c] = SEND_STATUS[r.status] || [r.status, 'grey'];
          return h('span.rem-status', tag(l, c), r.attempts > 1 ? h('span.cell-muted', `已尝试 ${r.attempts} 次`) : null);
        },
        cls: 'nowrap',
      },
      { label: '发送时间', render: (r) => (r.sent_at ? fmtDateTime(r.sent_at) : r.created_at ? `${fmtDateTime(r.created_at)}（未送达）` : '—'), cls: 'nowrap' },
      { label: '错误信息', render: (r) => (r.last_error ? h('span.rem-error', { text: r.last_error }) : '—') },
    ].filter(Boolean), items, {
      caption: '已发送的提醒',
      rowClass: (r) => (r.status === 'failed' ? 'rem-row-failed' : undefined),
      empty: status || key
        ? emptyState('没有符合条件的提醒', '请调整筛选条件，或点击“重置”查看全部。')
        : emptyState('还没有发送过提醒', '报送期限临近（截止前）或逾期后，平台将按设定的提醒节点向提醒邮箱发送邮件。'),
    }),
    pager({
      total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
      onPage: (p) => ctx.setQuery({ unit: city ? unitId || '' : '', status, deadline: key, page: p }),
    }));
}

function smtpNote(s) {
  return s.smtp_configured
    ? h('div.alert.alert-success.rem-smtp', { id: 'rem-smtp', role: 'status' },
      h('strong', '邮件服务器已配置。'), ' 报送期限临近或逾期时，平台将按设定的提醒节点向下列邮箱发送提醒邮件。')
    : h('div.alert.alert-warning.rem-smtp', { id: 'rem-smtp', role: 'status' },
      h('strong', '邮件服务器未配置。'), ' 当前仅在平台首页“报送事项”中提醒，不会发送邮件；如需邮件提醒，请联系平台管理员配置 SMTP 服务器。邮箱仍可预先设置。');
}

function settingsCard(ctx, s, { city, unitId, name }) {
  const form = h('form.rem-form', { novalidate: true, id: 'rem-form' });
  const enabled = h('input', { type: 'checkbox', name: 'enabled', id: uid('en'), role: 'switch', checked: s.enabled !== false });
  const list = h('ol.rem-emails');
  const addBtn = button('＋ 添加邮箱', { id: 'rem-add' });
  const count = h('span.rem-count');
  const rows = [];
  const refresh = () => {
    rows.forEach((r, i) => {
      r.no.textContent = `邮箱 ${i + 1}`;
      r.input.setAttribute('aria-label', `提醒邮箱 ${i + 1}`);
      r.remove.setAttribute('aria-label', `删除邮箱 ${i + 1}`);
    });
    addBtn.disabled = rows.length >= MAX_EMAILS;
    count.textContent = `${rows.length} / ${MAX_EMAILS}`;
  };
  const addRow = (value) => {
    const input = h('input', { type: 'email', name: 'email', value: value || '', autocomplete: 'email', spellcheck: 'false', maxlength: '254', placeholder: 'name@example.cn' });
    const no = h('span.rem-no', { 'aria-hidden': 'true' });
    const remove = h('button.btn.btn-link.btn-link-danger', { type: 'button' }, '删除');
    const li = h('li.rem-email', no, input, remove);
    const row = { li, input, no, remove };
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      li.remove();
      refresh();
      (rows[0] ? rows[0].input : addBtn).focus();
    });
    rows.push(row);
    list.append(li);
    refresh();
    return row;
  };
  for (const e of s.emails || []) addRow(e);
  if (!rows.length) addRow('');
  addBtn.addEventListener('click', () => { if (rows.length < MAX_EMAILS) addRow('').input.focus(); });

  const slot = h('div.rem-error-slot');
  const saveBtn = button('保存', { kind: 'primary', type: 'submit', id: 'rem-save' });
  form.append(
    h('div.field.rem-switch-field', { dataset: { field: 'enabled' } },
      h('label.rem-switch', { for: enabled.id }, enabled, h('span.rem-switch-track', { 'aria-hidden': 'true' }), h('span', '启用邮件提醒')),
      h('p.field-hint', '关闭后不再向本单位发送提醒邮件，首页仍显示报送事项。')),
    h('div.field.rem-emails-field', { dataset: { field: 'emails' } },
      h('div.rem-emails-head', h('span.rem-label', '提醒邮箱'), count),
      list,
      slot,
      h('div.rem-add', addBtn, h('span.field-hint', `最多 ${MAX_EMAILS} 个，空行不保存。`))),
    h('div.form-actions', saveBtn));

  const clearErr = () => {
    for (const e of form.querySelectorAll('.field-error, .form-error')) e.remove();
    for (const r of rows) r.input.removeAttribute('aria-invalid');
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErr();
    const emails = rows.map((r) => r.input.value.trim()).filter(Boolean);
    saveBtn.disabled = true;
    try {
      const saved = await put(`/reminders/settings${city ? `?unit_id=${encodeURIComponent(unitId)}` : ''}`, { emails, enabled: enabled.checked });
      toast('提醒设置已保存');
      // Show what the server kept (empty rows dropped).
      list.replaceChildren();
      rows.length = 0;
      for (const m of saved.emails || []) addRow(m);
      if (!rows.length) addRow('');
      enabled.checked = saved.enabled !== false;
    } catch (err) {
      if (err.field === 'emails' || err.field === 'enabled') {
        const bad = rows.find((r) => r.input.value.trim() && err.message.includes(r.input.value.trim()));
        const target = err.field === 'enabled' ? form.querySelector('.rem-switch-field') : slot;
        const p = h('p.field-error', { id: uid('err'), role: 'alert', text: err.message });
        target.append(p);
        if (bad) {
          bad.input.setAttribute('aria-invalid', 'true');
          bad.input.setAttribute('aria-describedby', p.id);
          bad.input.focus();
        }
      } else {
        form.prepend(h('div.alert.alert-error.form-error', { role: 'alert', text: err.message }));
      }
    } finally {
      saveBtn.disabled = false;
    }
  });
  return card(h('div.card-head-row', h('h2.card-title', '提醒邮箱'),
    name ? h('span.rem-unit', { text: name }) : null), form);
}

