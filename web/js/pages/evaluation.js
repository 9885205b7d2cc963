// pages/evaluation.js — 评分表 (#/evaluations/{district_unit_id}): one
// district's score sheet. Each sub-indicator of 组织发动 / 宣传培训 / 企业帮扶
// with its source (系统计算 from the records, with the figures behind it, or
// 市局评定), points and maximum. The city enters the 市局评定 points and a
// comment (server errors under the field they name), then 确认评分 (after a
// confirmation) freezes the computed values; 撤销确认 reopens. District
// officers read their own sheet. The history at the bottom.
// Also exports the small helpers the ranking page shares.
import { get, put, post } from '../api.js';
import { h, tag, fmtDateTime } from '../util.js';
import {
  card, dataTable, emptyState, field, button, confirmDialog, toast,
  setFieldError, clearFormErrors, showFormError,
} from '../ui.js';

export const QUESTION_LABEL = { very: '非常明显', fairly: '比较明显', average: '一般', not: '不明显' };

// Points always with their one decimal (55 → "55.0"); maxima and targets as
// people write them (30 → "30", 2.5 → "2.5").
export function fmtPoints(v) {
  if (v === null || v === undefined) return '—';
  return Number(v).toFixed(1);
}
export function fmtMax(v) {
  if (v === null || v === undefined) return '—';
  const n = Number(v);
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function statusTagOf(status) {
  return status === 'final' ? tag('已确认', 'green') : tag('草稿', 'grey');
}

const HISTORY = {
  'evaluation.update': ['修改评分', 'blue'],
  'evaluation.finalise': ['确认评分', 'green'],
  'evaluation.reopen': ['撤销确认', 'orange'],
};

export async function render(ctx) {
  const { el, params, user } = ctx;
  const id = params.id;
  const s = await get(`/evaluations/${encodeURIComponent(id)}`);
  if (!ctx.isCurrent()) return;
  const isCity = user.role === 'city_admin';
  const editable = isCity && !s.finalised;
  document.title = `${s.district} 评分表 - ${document.title.split(' - ').pop()}`;
  const reload = () => ctx.navigate(location.hash);

  const actions = [h('a.btn', { href: '#/evaluations' }, isCity ? '返回排名' : '评分总览')];
  if (isCity && !s.finalised) actions.push(button('确认评分', { kind: 'primary', id: 'eval-finalise', onClick: () => finalise(s, reload, form) }));
  if (isCity && s.finalised) actions.push(button('撤销确认', { kind: 'warning', id: 'eval-reopen', onClick: () => reopen(s, reload) }));
  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.eval-title', h('span', { text: `${s.district} 总结验收评分` }), statusTagOf(s.status)),
      h('p.page-sub', { text: s.finalised
        ? `${s.unit_name} · 评分已确认，计算数据冻结于 ${s.computed_on}`
        : `${s.unit_name} · 系统计算项按 ${s.computed_on} 的业务数据实时计算` })),
    h('div.page-actions', actions)));

  if (!s.finalised && s.missing_entries) {
    el.append(h('div.alert.alert-warning.eval-missing', { role: 'status' },
      isCity ? `还有 ${s.missing_entries} 项“市局评定”未录入（未录入按 0 分计），全部录入后才能确认评分。`
        : `市局尚有 ${s.missing_entries} 项评定未录入，当前得分按 0 分计。`));
  }

  el.append(h('section.eval-scoreboard', { 'aria-label': '得分' },
    h('div.eval-score-total',
      h('span.eval-tile-label', '总分'),
      h('span.eval-score-value', h('strong', { id: 'eval-total' }, fmtPoints(s.total)), h('span.eval-tile-unit', ` / ${fmtMax(s.max)} 分`))),
    s.dimensions.map((d) => h(`div.eval-score-dim.eval-score-${d.key}`,
      h('span.eval-tile-label', d.label),
      h('span.eval-score-value', h('strong', { class: `eval-dim-points`, dataset: { dim: d.key } }, fmtPoints(d.points)),
        h('span.eval-tile-unit', ` / ${fmtMax(d.max)} 分`)),
      h('meter.eval-dim-bar', { min: '0', max: String(d.max), value: String(d.points ?? 0), 'aria-hidden': 'true' })))));

  const form = h('form.eval-form', { novalidate: true });
  for (const d of s.dimensions) {
    const items = s.items.filter((i) => i.dimension === d.key);
    form.append(card(h('div.card-head-row.eval-head-row', h('h2.card-title', d.label),
      h('span.card-note', `${fmtPoints(d.points)} / ${fmtMax(d.max)} 分`)), itemsTable(items, editable)));
  }
  const comment = h('textarea', { name: 'comment', rows: '3', maxlength: '2000', value: s.comment || '', id: 'eval-comment' });
  if (editable) {
    const save = button('保存评分', { kind: 'primary', type: 'submit', id: 'eval-save' });
    form.append(card('评价意见', field('对该区提升行动的总体评价', comment, { hint: '随评分一并保存，不超过 2000 字' }),
      h('div.form-actions', save)));
    form.addEventListener('submit', (e) => { e.preventDefault(); saveForm(form, s, save, reload); });
  } else {
    form.append(card('评价意见', s.comment ? h('p.eval-comment', { text: s.comment }) : h('p.cell-muted', '暂无评价意见')));
  }
  el.append(form);

  const labels = Object.fromEntries(s.items.map((i) => [i.key, i.label]));
  el.append(card('办理记录', dataTable([
    { label: '时间', render: (r) => fmtDateTime(r.at), cls: 'nowrap' },
    { label: '操作人', render: (r) => (r.username ? h('code.username', r.username) : '—') },
    { primary: true, label: '操作', render: (r) => { const [l, c] = HISTORY[r.action] || [r.action, 'grey']; return tag(l, c); }, cls: 'nowrap' },
    { label: '说明', render: (r) => historyDetail(r, labels) },
  ], [...(s.history || [])].reverse(), { caption: '办理记录', empty: emptyState('暂无办理记录', '市局录入评定得分或确认评分后，这里记录操作人和时间。') })));
}

function historyDetail(r, labels) {
  const d = r.detail || {};
  if (r.action === 'evaluation.finalise' && d.total !== undefined) return `确认总分 ${fmtPoints(d.total)} 分`;
  if (r.action === 'evaluation.update' && d.entered) {
    const parts = Object.entries(d.entered).map(([k, v]) => `${labels[k] || k} ${v === null ? '清除' : `${fmtPoints(v)} 分`}`);
    if (d.comment) parts.push('评价意见');
    return parts.join('；') || '—';
  }
  return '—';
}
function itemsTable(items, editable) {
  return dataTable([
    {
      primary: true,
      label: '评分项',
      cls: 'eval-col-item',
      render: (i) => h('span.eval-item-cell', h('span.eval-item-label', { text: i.label }), h('span.eval-item-how', { text: i.how })),
    },
    {
      label: '来源',
      render: (i) => (i.source === 'entered' ? tag('市局评定', 'orange') : tag('系统计算', 'blue')),
      cls: 'eval-col-source nowrap',
    },
    { label: '计算依据', render: (i) => basis(i), cls: 'eval-col-basis' },
    {
      label: '得分',
      render: (i) => (i.source === 'entered' && editable ? entryField(i) : h('span.eval-points',
        h('strong', { text: fmtPoints(i.points) }), h('span.eval-max', ` / ${fmtMax(i.max)}`))),
      cls: 'eval-points-col',
    },
  ], items, { caption: '评分项', rowClass: (i) => `eval-item eval-item-${i.source}` });
}

function basis(i) {
  if (i.source === 'entered') return h('span.cell-muted', i.points === null ? '尚未评定' : `市局评定 ${fmtPoints(i.points)} 分`);
  const f = i.figures || {};
  const extra = [];
  if (f.target_percent !== undefined && f.target_percent !== null) extra.push(`满分标准 ${fmtMax(f.target_percent)}%`);
  if (f.target !== undefined && f.unit) extra.push(`满分标准 ${fmtMax(f.target)} ${f.unit}`);
  return h('span.eval-basis', h('span.eval-basis-value', { text: i.value_text }),
    extra.length ? h('span.cell-muted', extra.join(' · ')) : null);
}

// The input of a 市局评定 item: points 0..max, one decimal; the server checks too.
function entryField(i) {
  const input = h('input.eval-entry', {
    type: 'number', name: i.key, min: '0', max: String(i.max), step: '0.1', inputmode: 'decimal',
    value: i.points === null ? '' : String(i.points), 'aria-label': `${i.label}得分（0–${fmtMax(i.max)} 分）`,
  });
  return h('div.field.eval-entry-field', { dataset: { field: i.key } },
    h('span.eval-entry-row', input, h('span.eval-max', ` / ${fmtMax(i.max)}`)));
}

async function saveForm(form, s, btn, reload) {
  clearFormErrors(form);
  // Send what changed: the history then names only those items.
  const entered = {};
  let bad = false;
  for (const input of form.querySelectorAll('input.eval-entry')) {
    const raw = input.value.trim();
    const was = s.items.find((i) => i.key === input.name).points;
    if (raw === '') { if (was !== null) entered[input.name] = null; continue; }
    const v = Number(raw);
    if (!Number.isFinite(v)) { setFieldError(form, input.name, '请输入数字得分'); bad = true; continue; }
    if (v !== was) entered[input.name] = v;
  }
  if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
  const comment = form.querySelector('[name="comment"]').value.trim();
  const body = { entered };
  if (comment !== (s.comment || '')) body.comment = comment;
  btn.disabled = true;
  try {
    await put(`/evaluations/${s.district_unit_id}`, body);
    toast('评分已保存');
    reload();
  } catch (err) {
    showFormError(form, err);
  } finally {
    btn.disabled = false;
  }
}

async function finalise(s, reload, form) {
  const ok = await confirmDialog({
    title: '确认评分',
    message: h('div',
      h('p', { text: `确认${s.district}的总结验收评分（当前总分 ${fmtPoints(s.total)} 分）？` }),
      h('p.dialog-note', '确认后系统计算项的数据将冻结，评分不能再修改；如需修改须先“撤销确认”。')),
    confirmLabel: '确认评分',
  });
  if (!ok) return;
  try {
    await post(`/evaluations/${s.district_unit_id}/finalise`);
    toast('评分已确认');
    reload();
  } catch (err) {
    clearFormErrors(form);
    if (!(err.field && setFieldError(form, err.field, err.message))) toast(err.message, 'error');
    else form.querySelector('[aria-invalid="true"]').focus();
  }
}

async function reopen(s, reload) {
  const ok = await confirmDialog({
    title: '撤销确认',
    message: `撤销${s.district}的评分确认？撤销后系统计算项恢复按最新业务数据计算。`,
    confirmLabel: '撤销确认',
    danger: true,
  });
  if (!ok) return;
  try {
    await post(`/evaluations/${s.district_unit_id}/reopen`);
    toast('已撤销确认');
    reload();
  } catch (err) {
    toast(err.message, 'error');
  }
}
