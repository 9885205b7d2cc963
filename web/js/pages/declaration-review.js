// pages/declaration-review.js — one declaration for the city (#/declarations/{id}):
// the read-only form in the paper layout, the PDF and the stamped scan,
// 退回 (with a required reason) and 通过 while it is submitted, the versions
// with a field-by-field comparison of any two of them, and the history.
import { get, post } from '../api.js';
import { h, tag, statusTag, fmtDateTime } from '../util.js';
import {
  card, button, openDialog, confirmDialog, setFieldError, clearFormErrors, dataTable, toast, errorBox, uid,
} from '../ui.js';
import { loadProgramme } from '../programme.js';
import {
  declarationTable, catalogueIndustries, declarationDeadline, deadlineBanner, lateTag, returnReasonBox,
  scanInfo, versionsTable, historyTable, formFields, formatValue, FIELD_LABELS,
} from './declaration-form.js';

export async function render(ctx) {
  const { el, params, site } = ctx;
  const [prog, decl] = await Promise.all([loadProgramme(site), get(`/declarations/${encodeURIComponent(params.id)}`)]);
  const industries = await catalogueIndustries(prog);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate(location.hash);
  const name = (decl.form && decl.form.unit_name) || decl.unit.name;
  document.title = `${name} 申报表 - ${document.title.split(' - ').pop()}`;

  const actions = [h('a.btn', { href: `/api/v1/declarations/${decl.id}.pdf`, download: true, id: 'decl-pdf' }, '下载PDF')];
  if (decl.status === 'submitted') {
    actions.push(button('退回', { kind: 'warning', onClick: () => returnDialog(decl, reload) }),
      button('通过', { kind: 'primary', onClick: () => acceptDialog(decl, name, reload) }));
  }
  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.decl-page-title', { text: name }, statusTag(decl.status), lateTag(decl)),
      h('p.page-sub', [decl.category_name, decl.submitted_at ? `提交于 ${fmtDateTime(decl.submitted_at)}` : '尚未提交',
        decl.accepted_at ? `通过于 ${fmtDateTime(decl.accepted_at)}` : null, `当前第 ${decl.version || 0} 版`].filter(Boolean).join(' · '))),
    h('div.page-actions', actions)));

  el.append(deadlineBanner(declarationDeadline(decl, prog), decl, { allowLate: !prog || prog.allow_late !== false }));
  const returned = returnReasonBox(decl, { forUnit: false });
  if (returned) el.append(returned);
  if (decl.status === 'draft') {
    el.append(h('div.alert.alert-info', '该单位尚未提交，以下为草稿内容，提交后方可审核。'));
  }

  const sheet = declarationTable({ category: decl.category, form: decl.form, industries, editable: false });
  el.append(card(null, sheet.el));
  el.append(card('盖章扫描件', scanInfo(decl)));
  if ((decl.versions || []).length) el.append(card('版本记录', versionsTable(decl), compareView(decl)));
  el.append(card('办理记录', historyTable(decl)));
}

// ---- 退回 / 通过 ----------------------------------------------------------

function returnDialog(decl, reload) {
  const reason = h('textarea', { id: uid('reason'), name: 'reason', rows: '4', maxlength: '500' });
  const box = h('div.dialog-form',
    h('p', '退回后，单位可以修改申报表并重新提交。请写明需要修改的内容。'),
    h('div.field', { dataset: { field: 'reason' } },
      h('label', { for: reason.id }, '退回理由', h('span.req', { 'aria-hidden': 'true' }, '*')),
      reason,
      h('p.field-hint', '不超过 500 字，单位在“我的申报表”中可以看到。')));
  const done = openDialog({
    title: '退回申报表',
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
            await post(`/declarations/${decl.id}/return`, { reason: text });
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
  done.then((v) => { if (v) { toast('申报表已退回'); reload(); } });
}

async function acceptDialog(decl, name, reload) {
  const ok = await confirmDialog({
    title: '通过申报表',
    message: `确定通过“${name}”的申报表吗？通过后该单位不能再修改申报表。`,
    confirmLabel: '确认通过',
  });
  if (!ok) return;
  try {
    await post(`/declarations/${decl.id}/accept`);
    toast('申报表已通过');
    reload();
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
    reload();
  }
}

// ---- Version comparison ----------------------------------------------

// Pick two versions (or the current content) and show every field side by
// side, the changed ones highlighted.
function compareView(decl) {
  const versions = [...(decl.versions || [])].sort((a, b) => a.version - b.version);
  const options = [
    ...versions.map((v) => [String(v.version), `第 ${v.version} 版（${fmtDateTime(v.submitted_at)}）`]),
    ['current', '当前内容'],
  ];
  const n = versions.length;
  const pick = (name, label, value) => {
    const s = h('select', { name, id: uid('cmp') }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
    return [s, h('div.filter-item', h('label', { for: s.id }, label), s)];
  };
  const [selA, itemA] = pick('a', '比较版本', n >= 2 ? String(versions[n - 2].version) : String(versions[0].version));
  const [selB, itemB] = pick('b', '与', n >= 2 ? String(versions[n - 1].version) : 'current');
  const out = h('div.decl-compare-result');
  const cache = new Map();
  const load = async (key) => {
    if (key === 'current') return { label: '当前内容', form: decl.form };
    if (!cache.has(key)) cache.set(key, get(`/declarations/${decl.id}/versions/${key}`));
    const v = await cache.get(key);
    return { label: `第 ${v.version} 版`, form: v.form };
  };
  const run = async () => {
    out.replaceChildren(h('p.loading', '正在比较…'));
    try {
      const [a, b] = await Promise.all([load(selA.value), load(selB.value)]);
      out.replaceChildren(compareTable(decl.category, a, b));
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  const onlyDiff = h('input', { type: 'checkbox', name: 'only_changed' });
  onlyDiff.addEventListener('change', () => out.classList.toggle('only-changed', onlyDiff.checked));
  const form = h('form.filter-bar.decl-compare-bar', itemA, itemB,
    h('div.filter-buttons', h('button.btn.btn-primary', { type: 'submit' }, '比较')),
    h('label.check.decl-compare-only', onlyDiff, h('span', '只显示不同项')));
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  run();
  return h('section.decl-compare', { 'aria-label': '版本比较' }, h('h3.decl-compare-title', '版本比较'), form, out);
}

function compareTable(category, a, b) {
  const fields = formFields(category);
  const rows = fields.map((f) => {
    const va = formatValue(f, a.form);
    const vb = formatValue(f, b.form);
    return { field: f, va, vb, changed: va !== vb };
  });
  const changed = rows.filter((r) => r.changed).length;
  const cell = (v) => (v ? h('span.decl-pre', { text: v }) : h('span.cell-muted', '（空）'));
  return h('div',
    h(`p.decl-compare-summary${changed ? '.has-changes' : ''}`,
      changed ? `${a.label}与${b.label}共有 ${changed} 项不同（已高亮）` : `${a.label}与${b.label}内容相同`),
    dataTable([
      {
        primary: true,
        label: '项目',
        render: (r) => h('span', h('span.cell-strong', { text: FIELD_LABELS[r.field] || r.field }),
          r.changed ? [' ', tag('已修改', 'orange')] : null),
      },
      { label: a.label, render: (r) => cell(r.va) },
      { label: b.label, render: (r) => cell(r.vb) },
    ], rows, { caption: '版本比较', rowClass: (r) => (r.changed ? 'diff-changed' : 'diff-same') }));
}
