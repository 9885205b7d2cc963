// pages/case.js — one typical case (#/cases/{id}). The facts gathered from the
// enterprise's records are read-only; the district that owns a draft (or a
// returned case) edits the title and the text parts beside them, saves the
// draft, gathers the facts again (更新台账数据), submits or deletes — each
// final step after a confirmation. The city returns a submitted case with a
// reason or publishes it. Buttons appear only where the user may use them.
// The history (who, what, when) is at the bottom for the district and the city.
import { get, post, put, del } from '../api.js';
import { h, tag, fmtDateTime } from '../util.js';
import {
  card, button, openDialog, confirmDialog, setFieldError, clearFormErrors, showFormError, toast, errorBox, uid,
  dataTable, emptyState,
} from '../ui.js';
import { caseTag, caseBody, CASE_TEXTS, TEXT_MAX, TITLE_MAX } from './case-common.js';

const HISTORY = {
  'case.create': ['起草', 'grey'],
  'case.update': ['修改', 'grey'],
  'case.refresh': ['更新台账数据', 'teal'],
  'case.submit': ['提交', 'blue'],
  'case.return': ['退回', 'orange'],
  'case.publish': ['发布', 'green'],
};

export async function render(ctx) {
  const { el, params, user } = ctx;
  const c = await get(`/cases/${encodeURIComponent(params.id)}`);
  if (!ctx.isCurrent()) return;
  document.title = `${c.title} - ${document.title.split(' - ').pop()}`;
  const reload = () => ctx.navigate(location.hash);
  const owner = user.role === 'district_officer' && user.unit && user.unit.id === c.district_unit_id;
  const editable = owner && (c.status === 'draft' || c.status === 'returned');
  const reviewing = user.role === 'city_admin' && c.status === 'submitted';

  const form = editable ? h('form.case-form', { novalidate: true, id: 'case-form' }) : null;
  const titleInput = editable ? h('input', { type: 'text', name: 'title', id: uid('title'), value: c.title, maxlength: String(TITLE_MAX) }) : null;
  const inputs = {};

  const actions = [];
  if (editable) {
    actions.push(
      button('保存草稿', { id: 'case-save', onClick: () => save(false) }),
      button('更新台账数据', { id: 'case-refresh', onClick: () => refresh() }),
      button('提交市局', { kind: 'primary', id: 'case-submit', onClick: () => save(true) }),
    );
  }
  if (reviewing) {
    actions.push(button('退回', { kind: 'warning', id: 'case-return', onClick: () => returnDialog(c, reload) }),
      button('发布', { kind: 'primary', id: 'case-publish', onClick: () => publish() }));
  }
  if (c.status === 'published') {
    actions.push(h('a.btn', { href: `/cases.html?id=${c.id}`, target: '_blank', rel: 'noopener', id: 'case-public' }, '公开页面'));
  }
  actions.push(button('打印', { id: 'case-print', onClick: () => window.print() }));
  if (editable) actions.push(button('删除', { kind: 'danger', id: 'case-delete', onClick: () => remove() }));

  el.append(h('div.page-header.case-header',
    h('div.page-header-text',
      h('h1.page-title.case-page-title', h('span', { text: c.title }), caseTag(c.status)),
      h('p.page-sub', [c.enterprise && c.enterprise.name, c.district, c.industry,
        c.published_at ? `发布于 ${fmtDateTime(c.published_at)}` : c.submitted_at ? `提交于 ${fmtDateTime(c.submitted_at)}` : `起草人 ${c.created_by || '—'}`,
      ].filter(Boolean).join(' · '))),
    h('div.page-actions.case-actions', actions)));

  if (c.status === 'returned' && c.return_reason) {
    el.append(h('div.alert.case-returned', { role: 'alert' },
      h('p.case-returned-title', '市局退回意见'), h('p.case-returned-reason', { text: c.return_reason }),
      owner ? h('p.case-returned-hint', '请按意见修改后重新提交。') : null));
  }
  if (editable) {
    el.append(h('div.alert.alert-info.case-tip', { role: 'note' },
      '灰色底纹部分由平台按帮扶台账、诊断记录和证书信息汇集，不能直接修改；台账更新后可点击“更新台账数据”。请填写标题和各部分说明，“案例简介”和“经验启示”为必填项。'));
  } else if (owner && c.status === 'submitted') {
    el.append(h('div.alert.alert-info', { role: 'status' }, '案例已提交，等待市局审核；审核期间不能修改。'));
  } else if (reviewing) {
    el.append(h('div.alert.alert-info', { role: 'status' }, '请审核案例内容：通过的案例发布后向公众公开；需要修改的请退回并写明意见。'));
  }

  // The editable text parts: a textarea with its label, count and hint.
  const textSlot = editable ? (key, label) => {
    const [, , required, hint] = CASE_TEXTS.find(([k]) => k === key);
    const ta = h('textarea', { name: key, id: uid(key), rows: key === 'summary' || key === 'lessons' ? '6' : '4', maxlength: String(TEXT_MAX) });
    ta.value = (c.texts && c.texts[key]) || '';
    inputs[key] = ta;
    const count = h('span.case-count', { 'aria-live': 'polite' });
    const upd = () => { count.textContent = `${[...ta.value].length} / ${TEXT_MAX}`; };
    ta.addEventListener('input', upd);
    upd();
    ta.setAttribute('aria-describedby', `${ta.id}-hint`);
    return h('div.field.case-text-field', { dataset: { field: key } },
      h('label', { for: ta.id }, key === 'summary' || key === 'lessons' ? label : `${label}说明`,
        required ? h('span.req', { 'aria-hidden': 'true' }, '*') : null),
      ta, h('div.case-text-foot', h('p.field-hint', { id: `${ta.id}-hint`, text: hint }), count));
  } : undefined;

  const body = caseBody(c, { textSlot });
  if (editable) {
    form.append(h('div.field.case-title-field', { dataset: { field: 'title' } },
      h('label', { for: titleInput.id }, '案例标题', h('span.req', { 'aria-hidden': 'true' }, '*')), titleInput,
      h('p.field-hint', `不超过 ${TITLE_MAX} 字，概括企业名称和主要做法。`)), body);
    form.addEventListener('submit', (e) => { e.preventDefault(); save(false); });
    el.append(card(null, form));
  } else {
    el.append(card(null, h('article.case-article', body)));
  }
  if (c.history) el.append(card('办理记录', historyTable(c.history)));

  // ---- Actions ----------------------------------------------------------

  function values() {
    const texts = {};
    for (const [k, ta] of Object.entries(inputs)) texts[k] = ta.value;
    return { title: titleInput.value.trim(), texts };
  }
  function check(v, forSubmit) {
    clearFormErrors(form);
    let ok = true;
    if (!v.title) { setFieldError(form, 'title', '请填写案例标题'); ok = false; }
    for (const [k, label, required] of CASE_TEXTS) {
      if ([...(v.texts[k] || '')].length > TEXT_MAX) { setFieldError(form, k, `${label}不能超过 ${TEXT_MAX} 字`); ok = false; }
      if (forSubmit && required && !(v.texts[k] || '').trim()) { setFieldError(form, k, `请填写${label}后再提交`); ok = false; }
    }
    if (!ok) { const first = form.querySelector('[aria-invalid="true"]'); if (first) first.focus(); }
    return ok;
  }
  async function save(submit) {
    const v = values();
    if (!check(v, submit)) return;
    if (submit && !(await confirmDialog({
      title: '提交典型案例',
      message: `确定将“${v.title}”提交市局审核吗？提交后，审核期间不能修改。`,
      confirmLabel: '确认提交',
    }))) return;
    try {
      await put(`/cases/${c.id}`, v);
      if (submit) await post(`/cases/${c.id}/submit`);
      toast(submit ? '案例已提交市局审核' : '草稿已保存');
      reload();
    } catch (err) {
      clearFormErrors(form);
      showFormError(form, err);
    }
  }
  async function refresh() {
    if (!(await confirmDialog({
      title: '更新台账数据',
      message: '将按帮扶台账、诊断记录和证书信息重新汇集案例中的事实部分（企业概况、问题、措施、前后对比、证书）。已填写的标题和说明不变，但未保存的修改会丢失。',
      confirmLabel: '确认更新',
    }))) return;
    try {
      await post(`/cases/${c.id}/refresh`);
      toast('台账数据已更新');
      reload();
    } catch (err) {
      showFormError(form, err);
    }
  }
  async function remove() {
    if (!(await confirmDialog({
      title: '删除案例',
      message: `确定删除“${c.title}”吗？删除后不能恢复。`,
      confirmLabel: '确认删除',
      danger: true,
    }))) return;
    try {
      await del(`/cases/${c.id}`);
      toast('案例已删除');
      ctx.navigate('#/cases');
    } catch (err) {
      showFormError(form, err);
    }
  }
  async function publish() {
    if (!(await confirmDialog({
      title: '发布典型案例',
      message: `确定发布“${c.title}”吗？发布后所有用户和公众（无需登录）都可以查看，区市场监管局不能再修改。`,
      confirmLabel: '确认发布',
    }))) return;
    try {
      await post(`/cases/${c.id}/publish`);
      toast('案例已发布');
    } catch (err) {
      await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
    }
    reload();
  }
}

function returnDialog(c, reload) {
  const reason = h('textarea', { id: uid('reason'), name: 'reason', rows: '4', maxlength: '500' });
  const box = h('div.dialog-form.case-dialog-form',
    h('p', '退回后，区市场监管局可以修改案例并重新提交。请写明需要修改或补充的内容。'),
    h('div.field', { dataset: { field: 'reason' } },
      h('label', { for: reason.id }, '退回理由', h('span.req', { 'aria-hidden': 'true' }, '*')),
      reason, h('p.field-hint', '不超过 500 字，区市场监管局在案例页面可以看到。')));
  const done = openDialog({
    title: '退回典型案例',
    body: box,
    className: 'dialog-wide',
    actions: [
      { label: '取消', value: false },
      {
        label: '确认退回',
        kind: 'warning',
        value: true,
        before: async () => {
          clearFormErrors(box);
          const text = reason.value.trim();
          if (!text) { setFieldError(box, 'reason', '请填写退回理由'); reason.focus(); return false; }
          if ([...text].length > 500) { setFieldError(box, 'reason', '退回理由不能超过 500 字'); return false; }
          try {
            await post(`/cases/${c.id}/return`, { reason: text });
            return true;
          } catch (err) {
            if (!setFieldError(box, 'reason', err.message)) box.prepend(errorBox(err));
            return false;
          }
        },
      },
    ],
  });
  reason.focus();
  done.then((v) => { if (v) { toast('案例已退回'); reload(); } });
}

function historyTable(history) {
  const list = [...history].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return dataTable([
    { label: '时间', render: (r) => fmtDateTime(r.at), cls: 'nowrap' },
    { label: '操作人', render: (r) => (r.username ? h('code.username', r.username) : '—') },
    { primary: true, label: '操作', render: (r) => { const [l, col] = HISTORY[r.action] || [r.action, 'grey']; return tag(l, col); }, cls: 'nowrap' },
    { label: '说明', render: (r) => (r.detail && r.detail.reason ? h('span.case-pre', { text: `退回理由：${r.detail.reason}` }) : null) },
  ], list, { caption: '办理记录', empty: emptyState('暂无办理记录', '演示数据直接载入，没有办理过程。') });
}
