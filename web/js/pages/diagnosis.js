// pages/diagnosis.js — one diagnosis (#/diagnoses/{id}): a body's on-site
// diagnosis 现场诊断 / re-assessment 再评估, or an enterprise's
// self-assessment 自我评价. Designed for a phone first: the auditor walks the
// factory floor with it.
//
// Draft (its author's unit): a sticky progress bar (已答 26 / 59, the overall
// score), the checklist as collapsible clause groups with their scores, and
// per item five big score buttons 1–5 and 不适用, the finding, its kind
// (堵点/痛点/难点) and photo/PDF evidence. Every answer is saved as it is
// given through js/offline-queue.js: kept in localStorage until the server
// confirms it, retried when the network returns; a version conflict with
// another auditor shows both answers and lets the user choose. 提交诊断 locks
// it (confirmation; the server's 422 tells how many items are missing).
// Submitted (or someone else's): read-only, with the radar chart, the clause
// table (self-assessment and the first diagnosis beside it), the findings by
// kind and 下载报告(PDF).
//
// Also exports the small helpers the list page (pages/diagnoses.js) shares.
// Styles: css/diagnosis.css (diag-*).
import { get, put, post, del, upload } from '../api.js';
import { h, statusTag, tag, fmtDate, fmtDateTime, fmtSize } from '../util.js';
import { card, field, openDialog, confirmDialog, toast, clearFormErrors, setFieldError, showFormError } from '../ui.js';
import * as queue from '../offline-queue.js';
import { radarChart } from '../radar.js';

export const FINDING_KINDS = [['blockage', '堵点'], ['pain', '痛点'], ['difficulty', '难点']];
const KIND_NAME = Object.fromEntries(FINDING_KINDS);
const TEXT_DELAY = 1200; // ms of no typing before a finding is sent

// ---- Shared helpers (also used by pages/diagnoses.js) -----------------------

export function fmtScore(v) {
  return v === null || v === undefined || Number.isNaN(Number(v)) ? '—' : Number(v).toFixed(1);
}

export function todayOf(site) {
  if (site && site.today) return site.today;
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// 首次诊断 / 再评估 (第 N 轮) for on-site diagnoses; 自我评价 has no round.
export function roundLabel(d) {
  if (d.kind === 'self') return h('span.cell-muted', '—');
  if ((d.round || 1) <= 1) return h('span.diag-round', '首次诊断');
  return h('span.diag-round.diag-round-re', '再评估', h('span.diag-round-n', `第 ${d.round} 轮`));
}

export function progressCell(p) {
  const items = (p && p.items) || 0;
  const answered = (p && p.answered) || 0;
  return h('span.diag-progress-cell',
    h('progress.diag-progress-mini', { max: String(items || 1), value: String(answered), 'aria-hidden': 'true' }),
    h('span', `${answered}/${items}`));
}

// Checklists rarely change (a new version is a new id): fetched once.
const checklistCache = new Map();
function loadChecklist(id) {
  if (!checklistCache.has(id)) {
    const p = get(`/checklists/${id}`);
    checklistCache.set(id, p);
    p.catch(() => checklistCache.delete(id));
  }
  return checklistCache.get(id);
}

// Scores as the server computes them (src/core/diagnosis.c): a clause is the
// mean of its scored items in tenths, halves up; overall the mean of the
// clause means (unrounded), rounded the same way. Computed here too so the
// page follows the answers while offline.
function round1(x) { return Math.floor(Math.abs(x) * 10 + 0.5 + 1e-9) / 10; }
function computeScores(cl, answerOf) {
  let items = 0;
  let answered = 0;
  let sumMeans = 0;
  let withScore = 0;
  const sections = cl.sections.map((sec) => {
    const s = { clause: sec.clause, title: sec.title, items: 0, answered: 0, na: 0, score: null };
    let sum = 0;
    let scored = 0;
    for (const it of sec.items) {
      s.items++;
      const a = answerOf(String(it.id));
      if (a && a.na) { s.answered++; s.na++; } else if (a && a.score >= 1 && a.score <= 5) { s.answered++; scored++; sum += a.score; }
    }
    if (scored) {
      s.score = Math.floor((20 * sum + scored) / (2 * scored)) / 10;
      sumMeans += sum / scored;
      withScore++;
    }
    items += s.items;
    answered += s.answered;
    return s;
  });
  return { items, answered, overall: withScore ? round1(sumMeans / withScore) : null, sections };
}

function canEdit(d, user) {
  if (d.status !== 'draft') return false;
  if (d.kind === 'onsite') return user.role === 'cb_staff' && !!user.unit && !!d.cb && user.unit.id === d.cb.id;
  return user.role === 'enterprise' && !!user.enterprise && !!d.enterprise && user.enterprise.id === d.enterprise.id;
}

const fileUrl = (d, f) => `/api/v1/diagnoses/${d.id}/files/${f.id}`;
const isImage = (f) => /^image\//.test(f.content_type || '');
const change = (a, b) => (a === null || a === undefined || b === null || b === undefined ? null : round1(a - b) * Math.sign(a - b || 1));

function changeEl(after, before) {
  const c = change(after, before);
  if (c === null) return h('span.diag-change', '—');
  if (c === 0) return h('span.diag-change.diag-change-0', '±0');
  return h(`span.diag-change.${c > 0 ? 'diag-change-up' : 'diag-change-down'}`, `${c > 0 ? '+' : '−'}${Math.abs(c).toFixed(1)}`);
}

function scoreText(a, scale) {
  if (!a) return '未评分';
  if (a.na) return '不适用';
  if (a.score >= 1 && a.score <= 5) {
    const lv = scale.find((s) => s.level === a.score);
    return `${a.score} 分${lv ? ` · ${lv.label}` : ''}`;
  }
  return '未评分';
}

// ---- Page ------------------------------------------------------------------

export async function render(ctx) {
  const { el, params, user } = ctx;
  const d = await get(`/diagnoses/${encodeURIComponent(params.id)}`);
  const cl = await loadChecklist(d.checklist_id);
  if (!ctx.isCurrent()) return;
  queue.init(user);
  const editable = canEdit(d, user);
  document.title = `${d.enterprise.name} ${d.kind_name || ''} - ${document.title.split(' - ').pop()}`;

  const S = {
    ctx, d, cl, editable, user,
    scale: cl.scale || [],
    server: new Map((d.answers || []).map((a) => [String(a.item_id), a])),
    selfAnswers: new Map(((d.self && d.self.answers) || []).map((a) => [String(a.item_id), a])),
    files: [...(d.files || [])],
    touched: new Set(),
    items: new Map(),     // item id → view
    sections: [],         // section views
    onlyOpen: false,
  };
  S.answerOf = (id) => {
    if (editable) {
      const e = queue.entry(d.id, id);
      if (e) return e.answer;
    }
    return S.server.get(id) || null;
  };
  S.itemById = new Map();
  for (const sec of cl.sections) for (const it of sec.items) S.itemById.set(String(it.id), { ...it, section: sec });

  el.classList.add('diag-page', editable ? 'diag-editing' : 'diag-readonly');
  el.append(header(S));
  if (editable) {
    el.append(stickyBar(S));
    S.alertSlot = h('div.diag-alerts');
    el.append(S.alertSlot, tools(S));
  } else {
    const stale = queue.entries(d.id);
    if (stale.length) el.append(staleAlert(S, stale));
    if (d.status === 'submitted') el.append(resultCard(S), findingsCard(S));
    else {
      const p = d.progress || {};
      el.append(h('div.alert.alert-info', { role: 'status' }, d.kind === 'self'
        ? `企业正在填写自我评价（已答 ${p.answered ?? 0} / ${p.items ?? 0}），下面的得分为目前的填写情况。`
        : `认证机构正在进行现场诊断（已答 ${p.answered ?? 0} / ${p.items ?? 0}），下面的得分为目前的填写情况；提交后可下载诊断报告。`));
    }
    el.append(tools(S));
  }
  const list = h('div.diag-sections');
  for (const sec of cl.sections) {
    const v = sectionView(S, sec);
    S.sections.push(v);
    list.append(v.el);
  }
  el.append(list);
  const loose = S.files.filter((f) => !f.item_id);
  if (editable || loose.length) el.append(looseEvidence(S));
  if (editable) el.append(infoCard(S));
  else if (d.status !== 'submitted' && d.summary) el.append(card(d.kind === 'self' ? '评价总结' : '诊断结论', h('p.diag-pre', { text: d.summary })));
  refreshTotals(S);

  if (editable) {
    const off = queue.subscribe((ev) => {
      if (!ctx.isCurrent()) { off(); return; }
      if (ev.diagnosisId !== String(d.id)) return;
      if (ev.result && ev.result.answer) S.server.set(String(ev.result.answer.item_id), ev.result.answer);
      S.touched.add(ev.itemId);
      const v = S.items.get(ev.itemId);
      if (v) v.update();
      refreshTotals(S);
    });
    const netChange = () => { if (!ctx.isCurrent()) { window.removeEventListener('online', netChange); window.removeEventListener('offline', netChange); return; } refreshTotals(S); };
    window.addEventListener('online', netChange);
    window.addEventListener('offline', netChange);
    // Answers left from an earlier visit: shown above (answerOf), sent now.
    for (const e of queue.entries(d.id)) S.touched.add(String(e.item_id));
    queue.flush(d.id);
  }
}

// ---- Header ------------------------------------------------------------------

function header(S) {
  const { d, editable } = S;
  const self = d.kind === 'self';
  const meta = [
    tag(d.kind_name || (self ? '自我评价' : '现场诊断'), self ? 'teal' : 'blue'),
    self ? null : h('span.diag-meta-item', (d.round || 1) > 1 ? `再评估（第 ${d.round} 轮）` : '首次诊断'),
    h('span.diag-meta-item', `${self ? '评价日期' : '诊断日期'} ${fmtDate(d.visit_date)}`),
    d.team ? h('span.diag-meta-item', { text: `${self ? '评价人员' : '诊断组'} ${d.team}` }) : null,
    !self && d.cb ? h('span.diag-meta-item', { text: d.cb.name }) : null,
    d.status === 'submitted' && d.submitted_at ? h('span.diag-meta-item', `提交于 ${fmtDateTime(d.submitted_at)}`) : null,
  ];
  const actions = [];
  if (d.status === 'submitted') {
    actions.push(h('a.btn.btn-primary', { href: `/api/v1/diagnoses/${d.id}.pdf`, download: '', id: 'diag-pdf' }, '下载报告(PDF)'));
  }
  if (editable) actions.push(h('button.btn.btn-primary', { type: 'button', id: 'diag-submit', on: { click: () => submit(S) } }, self ? '提交自我评价' : '提交诊断'));
  if (S.user.role !== 'enterprise') actions.push(h('a.btn', { href: `#/enterprises/${d.enterprise.id}` }, '帮扶台账'));
  return h('div.page-header.diag-header',
    h('div.page-header-text',
      h('h1.page-title.diag-title', h('span', { text: d.enterprise.name }), statusTag(d.status)),
      h('p.diag-meta', meta)),
    actions.length ? h('div.page-actions.diag-actions', actions) : null);
}

// ---- Sticky progress bar and the unsent banner --------------------------------

function stickyBar(S) {
  S.progress = h('progress.diag-progress', { max: '1', value: '0', 'aria-hidden': 'true' });
  S.progressText = h('span.diag-progress-text');
  S.overallEl = h('span.diag-overall-num');
  S.compareEl = h('span.diag-overall-compare');
  S.unsent = h('div.diag-unsent', { role: 'status', hidden: true });
  const bar = h('div.diag-sticky',
    h('div.diag-sticky-row',
      h('div.diag-progress-wrap', S.progressText, S.progress),
      h('div.diag-overall', h('span.diag-overall-label', '综合得分'), S.overallEl, S.compareEl)),
    S.unsent);
  // Below the top bar, whose height changes with the width.
  const topbar = document.querySelector('.topbar');
  if (topbar && typeof ResizeObserver !== 'undefined') {
    const ro = new ResizeObserver(() => {
      if (!S.ctx.isCurrent()) { ro.disconnect(); return; }
      const pos = getComputedStyle(topbar).position;
      bar.style.top = pos === 'sticky' || pos === 'fixed' ? `${topbar.offsetHeight}px` : '0px';
    });
    ro.observe(topbar);
  }
  return bar;
}

function refreshTotals(S) {
  const t = computeScores(S.cl, S.answerOf);
  S.totals = t;
  if (S.progress) {
    S.progress.max = t.items || 1;
    S.progress.value = t.answered;
    S.progressText.replaceChildren('已答 ', h('strong', String(t.answered)), ` / ${t.items}`);
    S.overallEl.textContent = fmtScore(t.overall);
    const cmp = [];
    if (S.d.self && S.d.self.overall !== null && S.d.self.overall !== undefined) cmp.push(h('span.diag-self-chip', `自评 ${fmtScore(S.d.self.overall)}`));
    if (S.d.previous) cmp.push(h('span.diag-prev-chip', `首次 ${fmtScore(S.d.previous.overall)}`), changeEl(t.overall, S.d.previous.overall));
    S.compareEl.replaceChildren(...cmp);
  }
  t.sections.forEach((s, i) => S.sections[i] && S.sections[i].update(s));
  if (S.unsent) {
    const n = queue.count(S.d.id);
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    const queued = queue.entries(S.d.id);
    const conflicts = queued.filter((e) => e.state === 'conflict').length;
    const retryable = queued.some((e) => e.state === 'unsent');
    S.unsent.hidden = !n && !offline;
    S.unsent.className = `diag-unsent${n ? ' diag-unsent-on' : ''}`;
    S.unsent.replaceChildren(...[
      offline ? h('span.diag-offline', '当前离线') : null,
      n ? h('strong.diag-unsent-count', `${n} 条未发送`) : null,
      h('span.diag-unsent-note', n
        ? (conflicts ? `其中 ${conflicts} 条与他人的修改冲突，请在该项下选择保留哪一份` : (offline ? '已保存在本机，联网后自动发送' : '正在重试发送'))
        : '评分会先保存在本机，联网后自动发送'),
      n ? h('button.btn.btn-small.diag-unsent-find', { type: 'button', on: { click: () => { const e = queue.entries(S.d.id)[0]; if (!e) return; if (S.onlyOpen) setOnlyOpen(S, false); openItem(e.item_id); } } }, '查看') : null,
      retryable && !offline ? h('button.btn.btn-small', { type: 'button', on: { click: () => queue.flush(S.d.id) } }, '立即重试') : null,
    ].filter(Boolean));
  }
}

// ---- Tools: 只看未答, expand/collapse, jump, the scale ---------------------------

function tools(S) {
  const { editable } = S;
  const wrap = h('div.diag-tools');
  if (editable) {
    const only = h('button.btn.btn-small.diag-only-open', { type: 'button', 'aria-pressed': 'false' }, '只看未答');
    only.addEventListener('click', () => setOnlyOpen(S, !S.onlyOpen));
    S.onlyBtn = only;
    wrap.append(only);
  }
  const expand = h('button.btn.btn-small', { type: 'button' }, editable ? '全部收起' : '全部展开');
  expand.addEventListener('click', () => {
    const open = expand.textContent === '全部展开';
    for (const v of S.sections) v.el.open = open;
    expand.textContent = open ? '全部收起' : '全部展开';
  });
  const jump = h('select.diag-jump', { 'aria-label': '跳到条款' },
    h('option', { value: '' }, '跳到条款…'),
    S.cl.sections.map((s) => h('option', { value: s.clause }, `${s.clause} ${s.title}`)));
  jump.addEventListener('change', () => {
    const sec = document.getElementById(`diag-sec-${jump.value}`);
    if (sec) {
      sec.open = true;
      sec.scrollIntoView({ block: 'start' });
      sec.querySelector('summary').focus({ preventScroll: true });
    }
    jump.value = '';
  });
  const scale = h('details.diag-scale',
    h('summary', '评分标准'),
    h('dl.diag-scale-list', S.scale.map((s) => [h('dt', h('span.diag-scale-level', String(s.level)), s.label), h('dd', s.description)]),
      h('dt', h('span.diag-scale-level.diag-scale-na', '—'), '不适用'), h('dd', '企业不涉及该项（如没有设计开发）；不计入得分。')));
  wrap.append(expand, jump, scale);
  return wrap;
}

function setOnlyOpen(S, on) {
  S.onlyOpen = on;
  S.ctx.el.classList.toggle('diag-only-open-on', on);
  if (S.onlyBtn) S.onlyBtn.setAttribute('aria-pressed', String(on));
  if (on) for (const v of S.sections) v.el.open = true;
}

// ---- Clause sections ---------------------------------------------------------------

function sectionView(S, sec) {
  const { d, editable } = S;
  const selfSec = d.self && (d.self.sections || []).find((s) => s.clause === sec.clause);
  const prevSec = d.previous && (d.previous.sections || []).find((s) => s.clause === sec.clause);
  const count = h('span.diag-sec-count');
  const score = h('span.diag-sec-score');
  const prevChange = h('span.diag-sec-change');
  const summary = h('summary.diag-sec-head',
    h('span.diag-sec-name', h('span.diag-sec-no', sec.clause), h('span.diag-sec-title', sec.title)),
    h('span.diag-sec-stats',
      count,
      h('span.diag-sec-score-wrap', h('span.diag-sec-score-label', '得分'), score),
      selfSec ? h('span.diag-self-chip', { title: '企业自我评价的条款得分' }, `自评 ${fmtScore(selfSec.score)}`) : null,
      prevSec ? h('span.diag-prev-chip', { title: '首次诊断的条款得分' }, `首次 ${fmtScore(prevSec.score)}`) : null,
      prevSec ? prevChange : null));
  const ol = h('ol.diag-items');
  for (const it of sec.items) {
    const v = editable ? itemEditor(S, S.itemById.get(String(it.id))) : itemReadonly(S, S.itemById.get(String(it.id)));
    S.items.set(String(it.id), v);
    ol.append(v.el);
  }
  const el = h('details.diag-section', { id: `diag-sec-${sec.clause}`, open: editable }, summary, ol);
  return {
    el,
    update(s) {
      count.textContent = `已答 ${s.answered}/${s.items}`;
      count.classList.toggle('diag-sec-done', s.answered === s.items);
      score.textContent = fmtScore(s.score);
      if (prevSec) prevChange.replaceChildren(changeEl(s.score, prevSec.score));
      el.classList.toggle('diag-section-done', s.answered === s.items);
    },
  };
}

function selfChip(S, id) {
  if (!S.d.self) return null;
  const a = S.selfAnswers.get(id);
  if (!a || (!a.na && !a.score)) return h('span.diag-self-chip.diag-self-none', '自评 —');
  return h('span.diag-self-chip', { title: '企业自我评价' }, a.na ? '自评 不适用' : `自评 ${a.score}`);
}

// ---- One item: the editor ----------------------------------------------------------

function itemEditor(S, it) {
  const { d } = S;
  const id = String(it.id);
  const statusEl = h('span.diag-save', { 'aria-live': 'polite' });
  const scoreBtns = [1, 2, 3, 4, 5].map((level) => {
    const lv = S.scale.find((s) => s.level === level) || { label: '', description: '' };
    return h('button.diag-score-btn', {
      type: 'button', 'aria-pressed': 'false', dataset: { score: String(level) },
      title: `${level} 分 · ${lv.label}：${lv.description}`, 'aria-label': `${level} 分（${lv.label}）`,
    }, String(level));
  });
  const naBtn = h('button.diag-score-btn.diag-na-btn', { type: 'button', 'aria-pressed': 'false', title: '企业不涉及该项，不计入得分' }, '不适用');
  const scaleLine = h('p.diag-scale-line', { 'aria-live': 'polite' });
  const findingId = `diag-finding-${id}`;
  const finding = h('textarea.diag-finding', {
    id: findingId, name: 'finding', rows: '2', maxlength: '2000',
    placeholder: S.d.kind === 'self' ? '存在的问题（可不填）' : '现场发现的问题、证据（可不填）',
  });
  const kindBtns = FINDING_KINDS.map(([k, label]) => h('button.diag-kind-chip', { type: 'button', 'aria-pressed': 'false', dataset: { kind: k } }, label));
  const thumbs = h('div.diag-thumbs');
  const conflictBox = h('div.diag-conflict', { hidden: true, role: 'alert' });
  const errorBox = h('div.diag-item-error', { hidden: true, role: 'alert' });
  const camId = `diag-cam-${id}`;
  const fileId = `diag-file-${id}`;
  const cam = h('input.file-native', { type: 'file', id: camId, accept: 'image/*', capture: 'environment' });
  const pick = h('input.file-native', { type: 'file', id: fileId, accept: 'image/jpeg,image/png,application/pdf,image/*', multiple: true });

  const li = h('li.diag-item', { id: `diag-item-${id}`, dataset: { itemId: id, key: it.key } },
    h('div.diag-item-head',
      h('span.diag-key', { text: it.key }),
      h('h3.diag-item-title', { text: it.title }),
      selfChip(S, id),
      statusEl),
    h('p.diag-q', { text: it.text }),
    it.hint ? h('p.diag-hint', h('span.diag-hint-label', '查证：'), it.hint) : null,
    h('div.diag-scores', { role: 'group', 'aria-label': `${it.key} 评分` }, scoreBtns, naBtn),
    scaleLine,
    h('div.diag-finding-row',
      h('label.diag-label', { for: findingId }, S.d.kind === 'self' ? '存在的问题' : '发现的问题'),
      finding),
    h('div.diag-kinds', { role: 'group', 'aria-label': '问题类型' }, h('span.diag-label', '问题类型'), kindBtns),
    h('div.diag-evidence',
      thumbs,
      h('div.diag-evidence-actions',
        cam, h('label.btn.btn-small.file-pick.diag-upload', { for: camId }, '拍照'),
        pick, h('label.btn.btn-small.file-pick.diag-upload', { for: fileId }, '上传照片/PDF'))),
    conflictBox,
    errorBox);

  const current = () => ({ score: null, na: false, finding: '', kind: '', ...(S.answerOf(id) || {}) });
  const baseVersion = () => { const a = S.server.get(id); return a ? a.version : 0; };
  const save = (patch, delay = 0) => {
    const a = { ...current(), ...patch };
    S.touched.add(id);
    queue.put(d.id, id, a, baseVersion(), { delay });
    view.update();
    refreshTotals(S);
  };
  scoreBtns.forEach((b, i) => b.addEventListener('click', () => save({ score: i + 1, na: false })));
  naBtn.addEventListener('click', () => save({ score: null, na: true }));
  finding.addEventListener('input', () => save({ finding: finding.value }, TEXT_DELAY));
  finding.addEventListener('blur', () => queue.sendNow(d.id, id));
  for (const b of kindBtns) {
    b.addEventListener('click', () => {
      const k = b.dataset.kind;
      save({ kind: current().kind === k ? '' : k, finding: finding.value });
    });
  }
  const onFiles = (input) => async () => {
    const files = [...input.files];
    input.value = '';
    for (const f of files) await uploadEvidence(S, f, id, thumbs);
  };
  cam.addEventListener('change', onFiles(cam));
  pick.addEventListener('change', onFiles(pick));

  const view = {
    el: li,
    update(force = false) {
      const a = S.answerOf(id);
      scoreBtns.forEach((b, i) => b.setAttribute('aria-pressed', String(!!a && !a.na && a.score === i + 1)));
      naBtn.setAttribute('aria-pressed', String(!!a && !!a.na));
      const lv = a && !a.na && a.score ? S.scale.find((s) => s.level === a.score) : null;
      scaleLine.replaceChildren();
      if (lv) scaleLine.append(h('strong', `${lv.level} 分 · ${lv.label}`), h('span', { text: `：${lv.description}` }));
      else if (a && a.na) scaleLine.append(h('strong', '不适用'), h('span', '：不计入得分'));
      else scaleLine.append(h('span.diag-unscored', '未评分：点选 1–5 分，或“不适用”'));
      if (force || document.activeElement !== finding) finding.value = (a && a.finding) || '';
      for (const b of kindBtns) b.setAttribute('aria-pressed', String(!!a && a.kind === b.dataset.kind));
      const answered = !!a && (a.na || (a.score >= 1 && a.score <= 5));
      li.classList.toggle('diag-answered', answered);
      const st = queue.status(d.id, id);
      const label = {
        saved: S.touched.has(id) ? '已保存' : '',
        pending: '保存中…',
        saving: '保存中…',
        unsent: '未发送',
        conflict: '有冲突',
        error: '保存失败',
      }[st];
      statusEl.textContent = label;
      statusEl.className = `diag-save diag-save-${st}`;
      li.classList.toggle('diag-item-unsent', st === 'unsent' || st === 'conflict' || st === 'error');
      drawConflict(S, id, conflictBox, view);
      drawError(S, id, errorBox, view);
    },
    renderThumbs() { drawThumbs(S, thumbs, S.files.filter((f) => String(f.item_id) === id)); },
  };
  view.update();
  view.renderThumbs();
  return view;
}

function drawConflict(S, id, box, view) {
  const e = queue.entry(S.d.id, id);
  if (!e || e.state !== 'conflict') { box.hidden = true; box.replaceChildren(); return; }
  const theirs = e.current;
  const side = (title, a, cls) => h(`div.diag-conflict-side.${cls}`,
    h('p.diag-conflict-who', title),
    h('p.diag-conflict-score', scoreText(a, S.scale)),
    a && a.kind ? h('p', tag(KIND_NAME[a.kind] || a.kind, 'orange')) : null,
    h('p.diag-conflict-finding', { text: a && a.finding ? a.finding : '（未填写发现的问题）' }));
  box.hidden = false;
  box.replaceChildren(
    h('p.diag-conflict-title', theirs
      ? `此项已被 ${theirs.updated_by || '他人'} 于 ${fmtDateTime(theirs.updated_at)} 修改，与您的评分冲突：`
      : '此项的回答已被他人清除，与您的评分冲突：'),
    h('div.diag-conflict-sides', side('对方的', theirs, 'diag-conflict-theirs'), side('我的（未发送）', e.answer, 'diag-conflict-mine')),
    h('div.diag-conflict-actions',
      h('button.btn.btn-small', {
        type: 'button',
        on: {
          click: () => {
            const cur = queue.keepTheirs(S.d.id, id);
            if (cur) S.server.set(id, cur); else S.server.delete(id);
            view.update(true);
            refreshTotals(S);
            toast('已保留对方的回答');
          },
        },
      }, '保留对方的'),
      h('button.btn.btn-small.btn-primary', { type: 'button', on: { click: () => { queue.useMine(S.d.id, id); view.update(); } } }, '用我的覆盖')));
}

function drawError(S, id, box, view) {
  const e = queue.entry(S.d.id, id);
  if (!e || e.state !== 'error') { box.hidden = true; box.replaceChildren(); return; }
  box.hidden = false;
  box.replaceChildren(
    h('p', { text: `未能保存：${e.error || '服务器拒绝了这条评分'}` }),
    h('div.diag-conflict-actions',
      h('button.btn.btn-small', {
        type: 'button',
        on: {
          click: async () => {
            if (!(await confirmDialog({ title: '放弃这条评分', message: '放弃后，本机保存的这条评分将被删除，恢复为服务器上的内容。', confirmLabel: '放弃', danger: true }))) return;
            queue.discard(S.d.id, id);
            view.update(true);
            refreshTotals(S);
          },
        },
      }, '放弃这条评分')));
}

// ---- One item: read-only -----------------------------------------------------------

function itemReadonly(S, it) {
  const id = String(it.id);
  const a = S.server.get(id) || null;
  const cls = !a ? 'none' : (a.na ? 'na' : `s${a.score}`);
  const thumbs = h('div.diag-thumbs');
  const li = h('li.diag-item.diag-item-ro', { id: `diag-item-${id}`, dataset: { itemId: id, key: it.key } },
    h('div.diag-item-head',
      h('span.diag-key', { text: it.key }),
      h('h3.diag-item-title', { text: it.title }),
      selfChip(S, id),
      h(`span.diag-score-badge.diag-badge-${cls}`, scoreText(a, S.scale))),
    h('p.diag-q', { text: it.text }),
    a && (a.finding || a.kind) ? h('div.diag-ro-finding',
      a.kind ? tag(KIND_NAME[a.kind] || a.kind, 'orange') : null,
      a.finding ? h('span.diag-pre', { text: a.finding }) : null) : null,
    thumbs);
  drawThumbs(S, thumbs, S.files.filter((f) => String(f.item_id) === id));
  return { el: li, update() {}, renderThumbs() { drawThumbs(S, thumbs, S.files.filter((f) => String(f.item_id) === id)); } };
}

// ---- Evidence ------------------------------------------------------------------------

function drawThumbs(S, box, files) {
  box.replaceChildren(...files.map((f) => {
    const url = fileUrl(S.d, f);
    const del_ = S.editable ? h('button.diag-thumb-del', {
      type: 'button', 'aria-label': `删除 ${f.filename}`, title: '删除',
      on: { click: () => deleteEvidence(S, f) },
    }, '×') : null;
    if (isImage(f)) {
      return h('figure.diag-thumb',
        h('a.diag-thumb-link', { href: url, target: '_blank', rel: 'noopener', title: `${f.filename}（${fmtSize(f.size)}）` },
          h('img', { src: url, alt: f.filename, loading: 'lazy' })),
        del_);
    }
    return h('figure.diag-thumb.diag-thumb-file',
      h('a.diag-thumb-link', { href: url, target: '_blank', rel: 'noopener', title: `${f.filename}（${fmtSize(f.size)}）` },
        h('span.diag-file-icon', 'PDF'), h('span.diag-file-name', { text: f.filename })),
      del_);
  }));
}

// Phone photos are large: JPEG-compress anything over 1.5 MB (and convert
// what the server does not take, such as HEIC or WebP) to at most 2048 px.
async function prepareImage(file) {
  const ok = /^(image\/jpeg|image\/png|application\/pdf)$/.test(file.type);
  if ((ok && file.size <= 1.5 * 1024 * 1024) || !/^image\//.test(file.type)) return file;
  try {
    const bmp = await createImageBitmap(file);
    const k = Math.min(1, 2048 / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bmp.width * k);
    canvas.height = Math.round(bmp.height * k);
    canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((res) => canvas.toBlob(res, 'image/jpeg', 0.85));
    if (!blob) return file;
    return new File([blob], `${file.name.replace(/\.[^.]*$/, '') || 'photo'}.jpg`, { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

async function uploadEvidence(S, file, itemId, thumbs) {
  if (navigator.onLine === false) {
    toast('当前离线，照片和文件需联网后上传（评分和文字可以离线填写）', 'error');
    return;
  }
  const holder = h('figure.diag-thumb.diag-thumb-busy', h('span', '上传中…'));
  thumbs.append(holder);
  try {
    const f = await prepareImage(file);
    const q = new URLSearchParams({ filename: f.name || 'photo.jpg' });
    if (itemId) q.set('item_id', itemId);
    const saved = await upload(`/diagnoses/${S.d.id}/files?${q}`, f);
    S.files.push(saved);
    toast(`已上传 ${saved.filename}`);
  } catch (err) {
    toast(`${file.name}：${err.message}`, 'error');
  } finally {
    holder.remove();
    redrawEvidence(S, itemId);
  }
}

async function deleteEvidence(S, f) {
  const ok = await confirmDialog({ title: '删除证据', message: `确定删除“${f.filename}”吗？删除后不能恢复。`, confirmLabel: '删除', danger: true });
  if (!ok) return;
  try {
    await del(`/diagnoses/${S.d.id}/files/${f.id}`);
    S.files = S.files.filter((x) => x.id !== f.id);
    toast('已删除');
  } catch (err) {
    toast(err.message, 'error');
  }
  redrawEvidence(S, f.item_id ? String(f.item_id) : null);
}

function redrawEvidence(S, itemId) {
  if (itemId) { const v = S.items.get(String(itemId)); if (v) v.renderThumbs(); } else if (S.looseThumbs) drawThumbs(S, S.looseThumbs, S.files.filter((f) => !f.item_id));
}

function looseEvidence(S) {
  S.looseThumbs = h('div.diag-thumbs');
  drawThumbs(S, S.looseThumbs, S.files.filter((f) => !f.item_id));
  let actions = null;
  if (S.editable) {
    const pick = h('input.file-native', { type: 'file', id: 'diag-file-all', accept: 'image/jpeg,image/png,application/pdf,image/*', multiple: true });
    pick.addEventListener('change', async () => {
      const files = [...pick.files];
      pick.value = '';
      for (const f of files) await uploadEvidence(S, f, null, S.looseThumbs);
    });
    actions = h('div.diag-evidence-actions', pick, h('label.btn.btn-small.file-pick.diag-upload', { for: 'diag-file-all' }, '上传照片/PDF'));
  }
  return card('其他证据', h('p.card-note.diag-loose-note', '与具体检查项无关的资料，如现场总体照片、企业提供的文件。'), h('div.diag-evidence', S.looseThumbs, actions));
}

// ---- 诊断信息 and submitting ---------------------------------------------------------------

function infoCard(S) {
  const { d, ctx } = S;
  const self = d.kind === 'self';
  const today = todayOf(ctx.site);
  const date = h('input', { type: 'date', name: 'visit_date', value: d.visit_date || '', max: today });
  const team = h('input', { type: 'text', name: 'team', maxlength: '200', value: d.team || '' });
  const summary = h('textarea', { name: 'summary', rows: '4', maxlength: '4000', value: d.summary || '',
    placeholder: self ? '总体情况、主要不足和打算采取的措施' : '总体评价、主要问题和改进建议（写入诊断报告）' });
  const go = h('button.btn', { type: 'submit' }, '保存');
  const form = h('form.diag-info-form', { novalidate: true },
    h('div.diag-info-grid',
      field(self ? '评价日期' : '诊断日期', date, { required: true }),
      field(self ? '参加评价人员' : '诊断组成员', team, { required: !self })),
    field(self ? '评价总结' : '诊断结论', summary),
    h('div.form-actions', go, h('button.btn.btn-primary', { type: 'button', on: { click: () => submit(S) } }, self ? '提交自我评价' : '提交诊断')));
  const values = () => ({ visit_date: date.value, team: team.value.trim(), summary: summary.value.trim() });
  let saved = JSON.stringify(values());
  S.saveInfo = async ({ quiet = false } = {}) => {
    clearFormErrors(form);
    const v = values();
    if (JSON.stringify(v) === saved) return true;
    if (!v.visit_date) { setFieldError(form, 'visit_date', '请填写日期'); return false; }
    if (!self && !v.team) { setFieldError(form, 'team', '请填写诊断组成员'); return false; }
    go.disabled = true;
    try {
      await put(`/diagnoses/${d.id}`, v);
      saved = JSON.stringify(v);
      if (!quiet) toast('已保存');
      return true;
    } catch (err) {
      showFormError(form, err);
      return false;
    } finally {
      go.disabled = false;
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); S.saveInfo(); });
  return card(self ? '评价信息' : '诊断信息', form);
}

async function submit(S) {
  const { d, ctx } = S;
  const self = d.kind === 'self';
  const what = self ? '自我评价' : '诊断';
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  if (S.saveInfo && !(await S.saveInfo({ quiet: true }))) return;
  if (queue.entries(d.id).length) {
    await queue.flush(d.id);
    const left = queue.entries(d.id).length;
    if (left) {
      await openDialog({
        title: `暂不能提交${what}`,
        body: h('p', `还有 ${left} 条评分没有发送到服务器（离线、发送失败或与他人的修改冲突）。请联网并处理后再提交。`),
      });
      return;
    }
  }
  const t = S.totals;
  const missing = t.items - t.answered;
  const body = [
    h('p', `提交后${what}将锁定，不能再修改评分、问题和证据。`),
    h('p', `已答 ${t.answered} / ${t.items} 项，综合得分 ${fmtScore(t.overall)}。`),
    missing ? h('p.dialog-note', `还有 ${missing} 项未回答（评分或标为不适用），全部回答后才能提交。`) : null,
  ];
  const ok = await confirmDialog({ title: `提交${what}`, message: h('div', body), confirmLabel: `确认提交` });
  if (!ok || !ctx.isCurrent()) return;
  try {
    await post(`/diagnoses/${d.id}/submit`);
    toast(`${what}已提交`);
    ctx.navigate(location.hash);
  } catch (err) {
    S.alertSlot.replaceChildren(h('div.alert.alert-error.diag-submit-error', { role: 'alert' },
      h('span', { text: err.message }),
      err.status === 422 ? h('button.btn.btn-small', { type: 'button', on: { click: () => { setOnlyOpen(S, true); S.alertSlot.scrollIntoView({ block: 'start' }); } } }, '只看未答项') : null));
    if (err.status === 422) setOnlyOpen(S, true);
    S.alertSlot.scrollIntoView({ block: 'center' });
  }
}

// ---- Read-only: results, findings, stale answers ----------------------------------------

function resultCard(S) {
  const { d, cl } = S;
  const secs = (d.scores && d.scores.sections) || [];
  const bySec = (list, clause) => { const s = (list || []).find((x) => x.clause === clause); return s ? s.score : null; };
  const axes = cl.sections.map((s) => ({ label: `${s.clause} ${s.title}` }));
  const series = [{ name: d.kind === 'self' ? '本次自评' : (d.round > 1 ? '本次再评估' : '本次诊断'), kind: 'current', values: cl.sections.map((s) => bySec(secs, s.clause)) }];
  if (d.previous) series.push({ name: '首次诊断', kind: 'before', values: cl.sections.map((s) => bySec(d.previous.sections, s.clause)) });
  if (d.self) series.push({ name: '企业自评', kind: 'self', values: cl.sections.map((s) => bySec(d.self.sections, s.clause)) });
  const overall = d.scores ? d.scores.overall : d.overall;
  const head = ['条款', '得分'];
  if (d.self) head.push('自评');
  if (d.previous) head.push('首次诊断', '变化');
  const rows = cl.sections.map((s) => {
    const v = bySec(secs, s.clause);
    const cells = [h('th', { scope: 'row' }, h('span.diag-sec-no', s.clause), s.title), h('td.diag-num', h('strong', fmtScore(v)))];
    if (d.self) cells.push(h('td.diag-num', fmtScore(bySec(d.self.sections, s.clause))));
    if (d.previous) {
      const p = bySec(d.previous.sections, s.clause);
      cells.push(h('td.diag-num', fmtScore(p)), h('td.diag-num', changeEl(v, p)));
    }
    return h('tr', cells);
  });
  const totalRow = [h('th', { scope: 'row' }, '综合得分'), h('td.diag-num', h('strong', fmtScore(overall)))];
  if (d.self) totalRow.push(h('td.diag-num', fmtScore(d.self.overall)));
  if (d.previous) totalRow.push(h('td.diag-num', fmtScore(d.previous.overall)), h('td.diag-num', changeEl(overall, d.previous.overall)));
  const table = h('table.table.diag-clause-table',
    h('caption.sr-only', '各条款得分'),
    h('thead', h('tr', head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', rows, h('tr.diag-total-row', totalRow)));
  const big = h('div.diag-overall-big',
    h('span.diag-overall-big-label', '综合得分'),
    h('span.diag-overall-big-num', fmtScore(overall)),
    h('span.diag-overall-big-max', '/ 5'),
    d.previous ? h('span.diag-overall-big-cmp', `首次诊断 ${fmtScore(d.previous.overall)}（${d.previous.visit_date || ''}）`, changeEl(overall, d.previous.overall)) : null,
    d.self ? h('span.diag-overall-big-cmp', `企业自评 ${fmtScore(d.self.overall)}`) : null);
  return card(d.kind === 'self' ? '评价结果' : (d.round > 1 ? '再评估结果' : '诊断结果'),
    h('div.diag-result',
      h('div.diag-radar', radarChart({ axes, series }, { values: true, title: '各条款得分雷达图', size: window.innerWidth < 560 ? 340 : 420 })),
      h('div.diag-result-side', big, h('div.table-wrap', table))),
    d.summary ? h('div.diag-summary', h('h3.diag-summary-title', d.kind === 'self' ? '评价总结' : '诊断结论'), h('p.diag-pre', { text: d.summary })) : null);
}

function findingsCard(S) {
  const groups = [...FINDING_KINDS, ['', '其他问题']].map(([k, label]) => ({ k, label, items: [] }));
  for (const sec of S.cl.sections) {
    for (const it of sec.items) {
      const a = S.server.get(String(it.id));
      if (!a || !a.finding) continue;
      const g = groups.find((x) => x.k === (a.kind || '')) || groups[groups.length - 1];
      g.items.push({ it, a });
    }
  }
  const filled = groups.filter((g) => g.items.length);
  if (!filled.length) return card('发现的问题', h('p.cert-none', '没有记录具体问题。'));
  return card('发现的问题', h('div.diag-findings', filled.map((g) => h('section.diag-findings-group',
    h('h3.diag-findings-title', g.label, h('span.diag-findings-n', `${g.items.length} 项`)),
    h('ul.diag-findings-list', g.items.map(({ it, a }) => h('li',
      h('a.diag-key', { href: `#${location.hash.slice(1).split('?')[0]}`, dataset: { item: String(it.id) }, on: { click: (e) => { e.preventDefault(); openItem(it.id); } } }, it.key),
      h('span.diag-findings-score', scoreText(a, S.scale)),
      h('span.diag-pre', { text: a.finding }))))))));
}

function openItem(id) {
  const li = document.getElementById(`diag-item-${id}`);
  if (!li) return;
  const sec = li.closest('details');
  if (sec) sec.open = true;
  li.scrollIntoView({ block: 'center' });
  li.classList.add('diag-item-flash');
  setTimeout(() => li.classList.remove('diag-item-flash'), 1600);
}

// Answers kept in this browser for a diagnosis that can no longer be edited
// (submitted meanwhile, or the account changed): shown, so nothing is lost
// unseen, and the user may drop them.
function staleAlert(S, stale) {
  const box = h('div.alert.alert-warning.diag-stale', { role: 'alert' },
    h('p', h('strong', `本机有 ${stale.length} 条评分未能发送`), '：该诊断已提交或您无权修改，这些评分没有保存到服务器。'),
    h('ul', stale.map((e) => {
      const it = S.itemById.get(String(e.item_id));
      return h('li', { text: `${it ? it.key : e.item_id}：${scoreText(e.answer, S.scale)}${e.answer.finding ? `；${e.answer.finding}` : ''}` });
    })),
    h('button.btn.btn-small', {
      type: 'button',
      on: {
        click: async () => {
          if (!(await confirmDialog({ title: '放弃未发送的评分', message: '放弃后这些评分将从本机删除。', confirmLabel: '放弃', danger: true }))) return;
          for (const e of stale) queue.discard(S.d.id, e.item_id);
          box.remove();
        },
      },
    }, '放弃这些评分'));
  return box;
}
