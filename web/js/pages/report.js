// pages/report.js — one report (#/reports/{id}): 中期推进情况 or 年度总结.
// Header with the unit, the kind, the status and the due date with its
// deadline state; 主要数据 as cards (value + unit, 数据截至, 已冻结 / 实时), each
// opening the records behind it; the three text sections — editable by the
// unit while a draft or returned (保存草稿, 提交 after a confirmation, the
// server's field errors under the right textarea), read-only once submitted;
// the city's 退回 (with a reason) and 通过; the return reason; 下载PDF and
// 导出Excel; the versions at the bottom, each viewable as it was frozen.
import { get, post, put } from '../api.js';
import {
  h, tag, statusTag, fmtDate, fmtDateTime, daysBetween,
} from '../util.js';
import {
  card, button, confirmDialog, openDialog, toast, errorBox, uid, clearFormErrors, setFieldError, emptyState, dataTable,
} from '../ui.js';
import { dlTag, stateNote, unitKindTag } from './deadlines.js';
import {
  SECTIONS, kindLabel, lateTag, figureGrid, openFigureDialog, fmtValue, recordsTable,
} from './reports.js';

const MAX_TEXT = 20000;

// The report's deadline as the deadline service sees it: the unit's own item,
// or for the city the unit's cell of the matrix. Loaded beside the report;
// returns a function of the report.
async function deadlineSource(user) {
  try {
    if (user.role === 'city_admin') {
      const m = await get('/deadlines/matrix');
      return (r) => {
        const d = (m.deadlines || []).find((x) => x.key === r.kind);
        const u = (m.units || []).find((x) => r.unit && x.id === r.unit.id);
        const c = u && u.cells ? u.cells[r.kind] : null;
        return d && c ? { ...c, due: d.due, days_left: daysBetween(m.today, d.due) } : null;
      };
    }
    const dl = await get('/deadlines');
    return (r) => (dl.items || []).find((x) => x.key === r.kind) || null;
  } catch {
    return () => null;
  }
}

export async function render(ctx) {
  const { el, user, params } = ctx;
  const id = encodeURIComponent(params.id);
  const [r, dlOf] = await Promise.all([get(`/reports/${id}`), deadlineSource(user)]);
  if (!ctx.isCurrent()) return;
  const dl = dlOf(r);
  const city = user.role === 'city_admin';
  const own = !city && user.unit && r.unit && user.unit.id === r.unit.id;
  const editable = own && (r.status === 'draft' || r.status === 'returned');
  const reload = () => ctx.navigate(location.hash);
  const title = `${kindLabel(r.kind)}报告`;
  document.title = `${r.unit ? r.unit.name : ''} ${title} - ${document.title.split(' - ').pop()}`;

  // ---- header ----
  const actions = [
    h('a.btn', { href: `/api/v1/reports/${r.id}.pdf`, id: 'rpt-pdf', download: '' }, '下载PDF'),
    h('a.btn', { href: `/api/v1/reports/${r.id}/figures.xlsx`, id: 'rpt-xlsx', download: '' }, '导出Excel'),
  ];
  if (city && r.status === 'submitted') {
    actions.push(button('退回', { kind: 'warning', id: 'rpt-return', onClick: () => returnDialog(r, reload) }),
      button('通过', { kind: 'primary', id: 'rpt-accept', onClick: () => acceptDialog(r, reload) }));
  }
  el.append(h('div.page-header.rpt-header',
    h('div.page-header-text',
      h('h1.page-title.rpt-title', h('span', { text: title }), statusTag(r.status), lateTag(r)),
      h('p.rpt-unit-line', h('span.rpt-unit-name', { text: r.unit ? r.unit.name : '' }), unitKindTag(r.unit && r.unit.kind))),
    h('div.page-actions.rpt-actions', actions)));
  el.append(metaStrip(r, dl));

  if (r.status === 'returned' && r.return_reason) {
    el.append(h('div.alert.rpt-returned', { role: 'alert', id: 'rpt-returned' },
      h('p.rpt-returned-title', '市局退回意见'),
      h('p.rpt-returned-reason', { text: r.return_reason }),
      h('p.rpt-returned-hint', own ? '请按意见修改报告后重新提交；主要数据将在重新提交时按当天的记录冻结。' : '已退回该单位修改，重新提交后可再次审核。')));
  }
  if (city && r.status === 'draft') el.append(h('div.alert.alert-info', '该单位尚未提交，以下为草稿内容和实时数据，提交后方可审核。'));
  if (editable && dl && dl.days_left < 0) {
    el.append(h('div.alert.alert-warning', `已过报送截止日期（${fmtDate(dl.due)}），仍可提交，提交后将标记为“逾期提交”。`));
  }

  // ---- 主要数据 ----
  const figures = r.figures || [];
  el.append(card(h('div.card-head-row.rpt-fig-head',
    h('h2.card-title', '主要数据'),
    h('span.rpt-fig-meta', { id: 'rpt-fig-meta' },
      h('span', `数据截至 ${fmtDate(r.figures_at)}`),
      r.figures_frozen ? tag('已冻结', 'blue') : tag('实时', 'teal'))),
  figureGrid(figures, (f) => openFigureDialog(f, {
    load: () => get(`/reports/${r.id}/figures/${encodeURIComponent(f.key)}`),
    frozen: r.figures_frozen,
    at: r.figures_at,
  })),
  h('p.card-foot-note', r.figures_frozen
    ? `以上数据已于 ${fmtDateTime(r.submitted_at)} 提交时冻结，点击各项可查看冻结时依据的记录。`
    : '草稿期间按平台业务记录实时汇总，提交时冻结；点击各项可查看依据的记录。')));

  // ---- 报告正文 ----
  el.append(editable ? editor(ctx, r, dl, reload) : card('报告正文', textView(r.kind, r.content || {})));
  if (!editable && own && r.status === 'submitted') {
    el.lastChild.querySelector('.card-body').append(h('p.card-foot-note', '报告已提交，市局审核期间不能修改；如需修改，请联系市局退回。'));
  }

  // ---- 版本记录 ----
  el.append(card('版本记录', versionsTable(r)));
}

function metaStrip(r, dl) {
  const item = (label, ...value) => h('div.rpt-meta-item', h('dt', label), h('dd', value));
  return h('dl.rpt-meta', { id: 'rpt-meta' },
    item('报告类型', r.kind_name || kindLabel(r.kind)),
    item('截止日期', h('span.rpt-due', fmtDate(r.due || (dl && dl.due))),
      dl ? h('span.rpt-state', dlTag(dl.state), stateNote(dl) ? h('span.rpt-state-note', stateNote(dl)) : null) : null),
    item('当前版本', r.version ? `第 ${r.version} 版` : '未提交'),
    item('提交时间', r.submitted_at ? fmtDateTime(r.submitted_at) : '—'),
    r.accepted_at ? item('通过时间', fmtDateTime(r.accepted_at)) : null);
}

function textView(kind, content) {
  return h('div.rpt-text-view', (SECTIONS[kind] || []).map(([key, label], i) => h('section.rpt-text-sec', { dataset: { key } },
    h('h3.rpt-sec-title', `${'一二三四'[i]}、${label}`),
    content[key] ? h('p.rpt-pre', { text: content[key] }) : h('p.cell-muted', '（未填写）'))));
}

// ---- Editor --------------------------------------------------------------------

function editor(ctx, r, dl, reload) {
  const sections = SECTIONS[r.kind] || [];
  const form = h('form.rpt-form', { novalidate: true, id: 'rpt-form' });
  const boxes = {};
  sections.forEach(([key, label, hint, links]) => {
    const ta = h('textarea.rpt-textarea', { name: key, id: uid(`rpt-${key}`), rows: '8', maxlength: String(MAX_TEXT) });
    ta.value = (r.content && r.content[key]) || '';
    const counter = h('span.rpt-count', { 'aria-live': 'off' });
    const count = () => { counter.textContent = `${[...ta.value].length} / ${MAX_TEXT} 字`; };
    ta.addEventListener('input', count);
    count();
    boxes[key] = ta;
    ta.setAttribute('aria-required', 'true');
    const hintEl = h('p.field-hint', { id: `${ta.id}-hint` }, hint,
      links ? [links.map(([href, t], i) => [i ? '、' : '', h('a', { href }, `“${t}”`)]), '中报送。'] : null);
    ta.setAttribute('aria-describedby', hintEl.id);
    form.append(h('div.field.rpt-field', { dataset: { field: key } },
      h('label.rpt-sec-label', { for: ta.id }, label, h('span.req', { 'aria-hidden': 'true' }, '*')),
      hintEl, ta, counter));
  });
  const saveBtn = button('保存草稿', { id: 'rpt-save' });
  const submitBtn = button(r.status === 'returned' ? '重新提交' : '提交', { kind: 'primary', type: 'submit', id: 'rpt-submit' });
  form.append(h('div.form-actions.rpt-form-actions', submitBtn, saveBtn,
    h('span.rpt-form-note', '草稿可分次填写；三部分均需填写后才能提交。')));

  const values = () => Object.fromEntries(sections.map(([key]) => [key, boxes[key].value.trim()]));
  const busy = (on) => { saveBtn.disabled = on; submitBtn.disabled = on; };
  const showErr = (err) => {
    if (!(err && err.field && boxes[err.field] && setFieldError(form, err.field, err.message))) {
      form.prepend(h('div.alert.alert-error.form-error', { role: 'alert', text: err && err.message ? err.message : '操作失败，请稍后重试' }));
      form.scrollIntoView({ block: 'start' });
      return;
    }
    boxes[err.field].focus();
    boxes[err.field].scrollIntoView({ block: 'center' });
  };
  const save = (c) => put(`/reports/${r.id}`, { content: c });

  saveBtn.addEventListener('click', async () => {
    clearFormErrors(form);
    busy(true);
    try {
      await save(values());
      toast('草稿已保存');
      reload();
    } catch (err) {
      showErr(err);
    } finally {
      busy(false);
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const c = values();
    const empty = sections.filter(([key]) => !c[key]);
    if (empty.length) {
      for (const [key, label] of empty) setFieldError(form, key, `请填写“${label}”后再提交`);
      const first = boxes[empty[0][0]];
      first.focus();
      first.scrollIntoView({ block: 'center' });
      return;
    }
    const late = dl && dl.days_left < 0;
    const ok = await confirmDialog({
      title: `提交${kindLabel(r.kind)}`,
      message: h('div.rpt-confirm',
        h('p.rpt-confirm-main', '提交后数据将冻结'),
        h('p', `主要数据将按今天（${fmtDate(r.figures_at)}）的记录冻结保存，报告内容不能再修改；市局审核时如需修改，将退回本单位。`),
        late ? h('p.dialog-note', `已过报送截止日期（${fmtDate(dl.due)}），提交后将标记为“逾期提交”。`) : null,
        h('p', '确定提交吗？')),
      confirmLabel: '确认提交',
    });
    if (!ok) return;
    busy(true);
    try {
      await save(c);
      await post(`/reports/${r.id}/submit`);
      toast(`${kindLabel(r.kind)}已提交`);
      reload();
    } catch (err) {
      showErr(err);
    } finally {
      busy(false);
    }
  });
  return card(h('div.card-head-row', h('h2.card-title', '报告正文'),
    h('span.card-note', r.status === 'returned' ? '已退回，请修改后重新提交' : '草稿')), form);
}

// ---- City: return and accept -------------------------------------------------------

function returnDialog(r, reload) {
  const reason = h('textarea', { id: uid('reason'), name: 'reason', rows: '4', maxlength: '500' });
  const box = h('div.dialog-form',
    h('p', `退回后，${r.unit ? r.unit.name : '该单位'}可以修改报告并重新提交，主要数据在重新提交时重新冻结。请写明需要修改的内容。`),
    h('div.field', { dataset: { field: 'reason' } },
      h('label', { for: reason.id }, '退回理由', h('span.req', { 'aria-hidden': 'true' }, '*')),
      reason,
      h('p.field-hint', '不超过 500 字，报送单位在报告页面顶部可以看到。')));
  const done = openDialog({
    title: `退回${kindLabel(r.kind)}`,
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
            await post(`/reports/${r.id}/return`, { reason: text });
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
  done.then((v) => { if (v) { toast('报告已退回'); reload(); } });
}

async function acceptDialog(r, reload) {
  const ok = await confirmDialog({
    title: `通过${kindLabel(r.kind)}`,
    message: `确定通过“${r.unit ? r.unit.name : ''}”的${kindLabel(r.kind)}吗？通过后报告不能再修改。`,
    confirmLabel: '确认通过',
  });
  if (!ok) return;
  try {
    await post(`/reports/${r.id}/accept`);
    toast('报告已通过');
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
  reload();
}

// ---- Versions ----------------------------------------------------------------------

const VERSION_RESULT = {
  submitted: ['待审核', 'blue'],
  returned: ['已退回', 'orange'],
  accepted: ['已通过', 'green'],
  approved: ['已通过', 'green'],
};

function versionsTable(r) {
  const list = [...(r.versions || [])].sort((a, b) => b.version - a.version);
  const latest = list.length ? list[0].version : 0;
  return dataTable([
    { primary: true, label: '版本', render: (v) => h('span.cell-strong', `第 ${v.version} 版`), cls: 'nowrap' },
    { label: '提交时间', render: (v) => fmtDateTime(v.submitted_at), cls: 'nowrap' },
    { label: '提交人', render: (v) => (v.submitted_by ? h('code.username', v.submitted_by) : '—') },
    { label: '逾期', render: (v) => (v.late ? tag('逾期提交', 'red-outline') : '—'), cls: 'nowrap' },
    {
      label: '审核结果',
      render: (v) => {
        const after = v.outcome || (v.version === latest && r.status === 'submitted' ? 'submitted' : null);
        const [label, colour] = VERSION_RESULT[after] || [null];
        return label ? tag(label, colour) : '—';
      },
      cls: 'nowrap',
    },
    { label: '退回意见', render: (v) => (v.return_reason ? h('span.rpt-pre', { text: v.return_reason }) : '—') },
    {
      label: '操作',
      cls: 'col-actions',
      render: (v) => h('button.btn.btn-small', { type: 'button', dataset: { version: String(v.version) }, on: { click: () => versionDialog(r, v) } }, '查看'),
    },
  ], list, { caption: '版本记录', empty: emptyState('还没有提交过', '每次提交都会冻结并保存一个版本，可随时查看。') });
}

// One frozen version: its figures (with the records kept at submission) and texts.
function versionDialog(r, v) {
  const body = h('div.rpt-version', h('p.loading', '正在加载…'));
  openDialog({
    title: `${kindLabel(r.kind)} · 第 ${v.version} 版`,
    body,
    className: 'dialog-wide rpt-version-dialog',
    actions: [{ label: '关闭', kind: 'primary', value: true }],
  });
  body.addEventListener('click', (e) => {
    if (e.target.closest('a[href^="#/"]')) { const dlg = body.closest('dialog'); if (dlg) dlg.close(); }
  });
  (async () => {
    let ver;
    try {
      ver = await get(`/reports/${r.id}/versions/${v.version}`);
    } catch (err) {
      body.replaceChildren(errorBox(err));
      return;
    }
    const c = ver.content || {};
    const figs = c.figures || [];
    body.replaceChildren(
      h('p.rpt-version-meta',
        tag('已冻结', 'blue'),
        h('span', `提交于 ${fmtDateTime(ver.submitted_at)}`),
        ver.submitted_by ? h('span', ['提交人 ', h('code.username', ver.submitted_by)]) : null,
        h('span', `数据截至 ${fmtDate(c.figures_at)}`),
        ver.late ? tag('逾期提交', 'red-outline') : null),
      ver.return_reason ? h('div.alert.rpt-returned.rpt-version-returned', h('p.rpt-returned-title', '退回意见'), h('p.rpt-pre', { text: ver.return_reason })) : null,
      h('h3.rpt-sec-title', '主要数据'),
      dataTable([
        { primary: true, label: '指标', render: (f) => h('span.cell-strong', { text: f.label }) },
        { label: '数值', render: (f) => h('span.rpt-version-val', `${fmtValue(f)} ${f.unit || ''}`), cls: 'nowrap' },
        {
          label: '依据记录',
          render: (f) => {
            const recs = Array.isArray(f.records) ? f.records : [];
            if (!recs.length) return h('span.cell-muted', '0 条');
            return h('details.rpt-version-recs', h('summary', `${recs.length} 条`), recordsTable(recs));
          },
        },
      ], figs, { caption: '冻结的主要数据', empty: emptyState('该版本没有保存主要数据') }),
      h('h3.rpt-sec-title', '报告正文'),
      textView(r.kind, c.text || {}));
  })();
}
