// pages/selections.js — 认证机构遴选: the certification bodies selected for each
// pilot industry of the catalogue (at most 2 per industry in principle).
// city_admin selects (four criteria, an exception reason beyond the quota) and
// revokes; district officers read; certification-body staff see the
// industries their own body serves (我服务的试点行业, #/selections/mine).
import { get, post, del } from '../api.js';
import { h, tag, fmtDateTime } from '../util.js';
import {
  pageHeader, card, dataTable, emptyState, button, openDialog, confirmDialog, setFieldError,
  clearFormErrors, toast, errorBox, uid,
} from '../ui.js';
import { loadProgramme, noProgramme } from '../programme.js';

// The four conditions of the notice for a certification body to be selected.
export const CRITERIA = [
  ['qualification', '资质', '具备开展质量管理体系认证的相应资质'],
  ['social_responsibility', '社会责任', '社会责任感强'],
  ['credit', '无不良信用记录', '经信用中国等渠道查询，无不良信用记录'],
  ['willingness', '帮扶意愿', '愿意为小微企业提供针对性帮扶'],
];

async function allPages(path, params = {}) {
  const items = [];
  for (let page = 1; page <= 20; page++) {
    const r = await get(path, { ...params, page, per_page: 200 });
    const got = (r && r.items) || (Array.isArray(r) ? r : []);
    items.push(...got);
    if (Array.isArray(r) || items.length >= (r.total || 0) || !got.length) break;
  }
  return items;
}

function criteriaNotes(s) {
  const c = s.criteria || {};
  const notes = CRITERIA.filter(([k]) => c[k] && c[k].note).map(([k, label]) => `${label}：${c[k].note}`);
  return notes.length ? h('div.cell-muted.sel-notes', { text: notes.join('；') }) : null;
}

function exceptionNote(s) {
  return s.exception_reason ? h('p.sel-exception', { text: `例外：${s.exception_reason}` }) : null;
}

function countTag(count, max) {
  const colour = count === 0 ? 'grey' : count < max ? 'blue' : count === max ? 'green' : 'orange';
  return h(`span.sel-count.sel-count-${colour}`, { text: `已选 ${count} / ${max}` });
}

export async function render(ctx) {
  const { user } = ctx;
  if (user.role === 'cb_staff') return renderMine(ctx);
  return renderAll(ctx, user.role === 'city_admin');
}

// ---- City and districts: per industry ----------------------------------

async function renderAll(ctx, canEdit) {
  const { el, site } = ctx;
  const prog = await loadProgramme(site);
  if (!prog) { el.append(pageHeader('认证机构遴选'), noProgramme()); return; }
  const [summaryRaw, selections] = await Promise.all([
    get('/selections/summary'),
    allPages('/selections'),
  ]);
  if (!ctx.isCurrent()) return;
  const summary = (summaryRaw && summaryRaw.items) || (Array.isArray(summaryRaw) ? summaryRaw : []);
  const defaultMax = (prog.quotas && prog.quotas.max_cbs_per_industry) || 2;
  const names = (prog.industries || []).map((i) => i.name);
  for (const s of summary) if (!names.includes(s.industry)) names.push(s.industry);
  const category = Object.fromEntries((prog.industries || []).map((i) => [i.name, i.category]));
  const rows = names.map((name) => {
    const sels = selections.filter((s) => s.industry === name);
    const sum = summary.find((s) => s.industry === name) || {};
    return { industry: name, category: category[name], selections: sels, count: sum.count ?? sels.length, max: sum.max ?? defaultMax };
  });
  const reload = () => ctx.navigate(location.hash);

  el.append(pageHeader('认证机构遴选', {
    sub: canEdit
      ? '为每个试点行业遴选认证机构：须具备相应资质、社会责任感强、无不良信用记录、愿意开展针对性帮扶；原则上每个试点行业不超过 2 家。'
      : '市局为各试点行业遴选的认证机构（只读）。制定试点工作方案时，请从本行业已遴选的认证机构中选择。',
    actions: canEdit ? [button('新增遴选', { kind: 'primary', onClick: () => selectDialog(rows, null, reload) })] : [],
  }));
  const total = selections.length;
  const covered = rows.filter((r) => r.count > 0).length;
  el.append(h('p.sel-overview', `共 ${rows.length} 个试点行业，已有 ${covered} 个行业遴选了认证机构，共 ${total} 条遴选记录。`));

  const columns = [
    {
      primary: true,
      label: '试点行业',
      render: (r) => h('div', h('span.cell-strong', { text: r.industry }), r.category ? h('div.cell-muted', { text: r.category }) : null),
    },
    {
      label: '已遴选认证机构',
      render: (r) => (r.selections.length
        ? h('ul.sel-list', r.selections.map((s) => h('li.sel-item',
          h('div.sel-item-main', h('span.sel-cb', { text: s.cb ? s.cb.name : `#${s.cb_unit_id}` }),
            canEdit ? h('button.btn.btn-link.btn-link-danger', {
              type: 'button', 'aria-label': `撤销 ${s.cb ? s.cb.name : ''}（${r.industry}）`, on: { click: () => revoke(s, reload) },
            }, '撤销') : null),
          exceptionNote(s), criteriaNotes(s))))
        : h('span.cell-muted', '尚未遴选')),
    },
    { label: '数量', render: (r) => countTag(r.count, r.max), cls: 'nowrap' },
  ];
  if (canEdit) {
    columns.push({
      label: '操作',
      cls: 'col-actions',
      render: (r) => h('button.btn.btn-small', { type: 'button', on: { click: () => selectDialog(rows, r.industry, reload) } }, '遴选'),
    });
  }
  el.append(card(null, dataTable(columns, rows, {
    caption: '各试点行业遴选的认证机构',
    rowClass: (r) => `sel-row${r.count > r.max ? ' sel-row-over' : ''}`,
    empty: emptyState('本行动尚未设置试点行业', '请先在提升行动设置中添加试点行业。'),
  })));
}

async function revoke(s, reload) {
  const ok = await confirmDialog({
    title: '撤销遴选',
    message: `确定撤销“${s.cb ? s.cb.name : ''}”在“${s.industry}”试点行业的遴选吗？`,
    confirmLabel: '确认撤销',
    danger: true,
  });
  if (!ok) return;
  try {
    await del(`/selections/${s.id}`);
    toast('已撤销遴选');
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
  reload();
}

// ---- 新增遴选 dialog ------------------------------------------------------

async function selectDialog(rows, industry, reload) {
  let bodies;
  try {
    // Candidates: certification bodies whose declaration joins the pilot and was accepted.
    const decls = await allPages('/declarations', { category: 'certification_body', status: 'accepted', joins: 'true' });
    bodies = decls.map((d) => ({ id: d.unit.id, name: d.unit.name }));
  } catch (err) {
    toast(err.message, 'error');
    return;
  }
  const indSel = h('select', { name: 'industry', id: uid('sel') },
    h('option', { value: '' }, '请选择试点行业'),
    rows.map((r) => h('option', { value: r.industry, selected: r.industry === industry }, `${r.industry}（已选 ${r.count} / ${r.max}）`)));
  const cbSel = h('select', { name: 'cb_unit_id', id: uid('sel') });
  const fillBodies = () => {
    const row = rows.find((r) => r.industry === indSel.value);
    const taken = new Set(row ? row.selections.map((s) => (s.cb ? s.cb.id : s.cb_unit_id)) : []);
    const keep = cbSel.value;
    cbSel.replaceChildren(h('option', { value: '' }, bodies.length ? '请选择认证机构' : '（暂无可遴选的认证机构）'),
      ...bodies.map((b) => h('option', { value: String(b.id), disabled: taken.has(b.id) },
        taken.has(b.id) ? `${b.name}（已入选本行业）` : b.name)));
    if (keep && !taken.has(Number(keep))) cbSel.value = keep;
  };
  fillBodies();

  const critRows = CRITERIA.map(([key, label, desc]) => {
    const name = `crit_${key}`;
    const yes = h('input', { type: 'radio', name, value: 'true' });
    const no = h('input', { type: 'radio', name, value: 'false' });
    const note = h('input', { type: 'text', name: `${name}_note`, maxlength: '200', 'aria-label': `${label}说明`, placeholder: '说明（可选）' });
    const labelId = uid('crit');
    return {
      key, label, yes, no, note,
      el: h('tr',
        h('th', { scope: 'row', id: labelId }, h('span.cell-strong', label), h('div.cell-muted', desc)),
        h('td.nowrap', h('div.radio-group', { role: 'radiogroup', 'aria-labelledby': labelId },
          h('label.check', yes, h('span', '是')), h('label.check', no, h('span', '否')))),
        h('td', note)),
    };
  });
  const critSet = h('fieldset.field.sel-criteria', {
    name: 'criteria',
    // A choice clears the message about unconfirmed criteria.
    on: { change: () => { if (critSet.querySelector('.field-error')) clearFormErrors(critSet); } },
  },
    h('legend', '遴选条件', h('span.req', { 'aria-hidden': 'true' }, '*')),
    h('table.sel-criteria-table',
      h('thead', h('tr', h('th', { scope: 'col' }, '条件'), h('th', { scope: 'col' }, '是否符合'), h('th', { scope: 'col' }, '说明'))),
      h('tbody', critRows.map((c) => c.el))),
    h('p.field-hint', '四项条件均须符合方可入选；说明可填写资质批准号、信用查询结果等，每项不超过 200 字。'));

  const reason = h('textarea', { name: 'exception_reason', id: uid('sel'), rows: '3', maxlength: '500' });
  const reasonField = h('div.field.sel-exception-field', { dataset: { field: 'exception_reason' } },
    h('div.alert.alert-warning.sel-quota-note', { role: 'note' }),
    h('label', { for: reason.id }, '例外理由', h('span.req', { 'aria-hidden': 'true' }, '*')),
    reason,
    h('p.field-hint', '不少于 5 个字，将在遴选结果中显示。'));
  const quotaNote = reasonField.querySelector('.sel-quota-note');
  let forceReason = false;
  const syncReason = () => {
    const row = rows.find((r) => r.industry === indSel.value);
    const full = row && row.count >= row.max;
    reasonField.hidden = !(full || forceReason);
    quotaNote.textContent = row
      ? `“${row.industry}”已遴选 ${row.count} 家认证机构。原则上每个试点行业不超过 ${row.max} 家，如确需增加，请填写例外理由。`
      : '原则上每个试点行业不超过 2 家认证机构，如确需增加，请填写例外理由。';
  };
  indSel.addEventListener('change', () => { forceReason = false; fillBodies(); syncReason(); });
  syncReason();

  const box = h('div.dialog-form.sel-form',
    h('div.field', { dataset: { field: 'industry' } }, h('label', { for: indSel.id }, '试点行业', h('span.req', { 'aria-hidden': 'true' }, '*')), indSel),
    h('div.field', { dataset: { field: 'cb_unit_id' } }, h('label', { for: cbSel.id }, '认证机构', h('span.req', { 'aria-hidden': 'true' }, '*')), cbSel,
      h('p.field-hint', '仅列出申报表已通过且参与试点的认证机构。')),
    critSet,
    reasonField);

  const submit = async () => {
    clearFormErrors(box);
    for (const e of box.querySelectorAll('.alert-error')) e.remove();
    let bad = false;
    const fail = (name, msg) => { setFieldError(box, name, msg); bad = true; };
    if (!indSel.value) fail('industry', '请选择试点行业');
    if (!cbSel.value) fail('cb_unit_id', '请选择认证机构');
    const unset = critRows.filter((c) => !c.yes.checked && !c.no.checked);
    const failed = critRows.filter((c) => c.no.checked);
    if (unset.length) fail('criteria', `请逐项确认遴选条件：${unset.map((c) => c.label).join('、')}`);
    else if (failed.length) fail('criteria', `不符合“${failed.map((c) => c.label).join('、')}”条件的认证机构不能入选`);
    const tooLong = critRows.find((c) => [...c.note.value.trim()].length > 200);
    if (tooLong) fail('criteria', `“${tooLong.label}”的说明不能超过 200 字`);
    const needReason = !reasonField.hidden;
    const r = reason.value.trim();
    if (needReason && [...r].length < 5) fail('exception_reason', '请填写例外理由（不少于 5 个字）');
    if (bad) { const first = box.querySelector('[aria-invalid="true"]'); if (first && first.focus) first.focus(); return false; }
    const body = {
      industry: indSel.value,
      cb_unit_id: Number(cbSel.value),
      criteria: Object.fromEntries(critRows.map((c) => [c.key, { ok: c.yes.checked, note: c.note.value.trim() }])),
      exception_reason: needReason ? r : null,
    };
    try {
      await post('/selections', body);
      return true;
    } catch (err) {
      if (err.code === 'quota_exceeded') {
        forceReason = true;
        syncReason();
        setFieldError(box, 'exception_reason', err.message);
        reason.focus();
        return false;
      }
      const field = err.field ? String(err.field).split('.')[0] : null;
      if (!(field && setFieldError(box, field, err.message))) box.prepend(errorBox(err));
      return false;
    }
  };

  const done = openDialog({
    title: '新增遴选',
    body: box,
    className: 'dialog-wide',
    actions: [{ label: '取消', value: false }, { label: '确认遴选', kind: 'primary', value: true, before: submit }],
  });
  (industry ? cbSel : indSel).focus();
  if (await done) {
    toast(`已遴选 ${cbSel.selectedOptions[0] ? cbSel.selectedOptions[0].textContent : ''}（${indSel.value}）`);
    reload();
  }
}

// ---- Certification-body staff: 我服务的试点行业 -----------------------------

async function renderMine(ctx) {
  const { el, user } = ctx;
  const selections = await allPages('/selections');
  if (!ctx.isCurrent()) return;
  el.append(pageHeader('我服务的试点行业', {
    sub: `${user.unit ? user.unit.name : '本机构'}入选的试点行业。入选后由试点地区的区市场监管局在工作方案中安排帮扶的试点企业。`,
  }));
  el.append(card(null, dataTable([
    { primary: true, label: '试点行业', render: (s) => h('span.cell-strong', { text: s.industry }) },
    {
      label: '遴选条件',
      render: (s) => h('ul.sel-crit-list', CRITERIA.map(([k, label]) => {
        const c = (s.criteria || {})[k] || {};
        return h('li', c.ok ? tag('符合', 'green') : tag('未确认', 'grey'), ' ', h('span', { text: label }),
          c.note ? h('span.cell-muted', { text: `（${c.note}）` }) : null);
      })),
    },
    { label: '例外说明', render: (s) => exceptionNote(s) || '—' },
    { label: '遴选时间', render: (s) => fmtDateTime(s.created_at), cls: 'nowrap' },
  ], selections, {
    caption: '我服务的试点行业',
    empty: emptyState('本机构尚未入选任何试点行业',
      '市局根据申报表审核结果和资质、社会责任、信用记录、帮扶意愿等条件遴选认证机构。请先确认申报表已提交并通过审核。',
      h('a.btn.btn-primary', { href: '#/declaration' }, '查看我的申报表')),
  })));
}
