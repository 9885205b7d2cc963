// pages/diagnoses.js — 问题诊断 (#/diagnoses): the diagnoses in the caller's
// scope (the server decides: the city all, a district its enterprises', a
// body its on-site diagnoses and the submitted self-assessments of its
// enterprises, an enterprise its self-assessments and its submitted on-site
// diagnoses). Filter bar, table (stacked cards on a phone), pagination.
// 开始诊断 (a body's auditor: an assigned enterprise, the date, the team;
// #/diagnoses?start=<enterprise id> opens it with the enterprise chosen, and
// an enterprise with an open draft gets that draft) and 开始自我评价 (an
// enterprise) create a draft and open it. Answers still
// waiting in this browser (js/offline-queue.js) are listed at the top.
// Styles: css/diagnosis.css (diag-*).
import { get, post } from '../api.js';
import { h, statusTag, fmtDate } from '../util.js';
import {
  pageHeader, card, dataTable, pager, filterBar, select, emptyState, field, openDialog, clearFormErrors,
  setFieldError, showFormError, toast,
} from '../ui.js';
import * as queue from '../offline-queue.js';
import { roundLabel, fmtScore, todayOf, progressCell } from './diagnosis.js';

const PER_PAGE = 20;
const FILTERS = ['kind', 'status', 'district', 'q'];

export async function render(ctx) {
  const { el, query, user } = ctx;
  const role = user.role;
  const isEnt = role === 'enterprise';
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));
  if (isEnt) f.q = '';
  const isCity = role === 'city_admin';
  if (!isCity) f.district = '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  queue.init(user);

  const actions = [];
  // An open draft of one's own kind is continued rather than started again.
  const ownKind = role === 'cb_staff' ? 'onsite' : (isEnt ? 'self' : null);
  const [drafts, units] = await Promise.all([
    ownKind ? allItems('/diagnoses', { kind: ownKind, status: 'draft' }).catch(() => []) : [],
    isCity ? allItems('/units', { kind: 'district' }).catch(() => []) : [],
  ]);
  if (!ctx.isCurrent()) return;
  const districts = [...new Set(units.map((u) => u.district).filter(Boolean))];
  if (role === 'cb_staff') {
    actions.push(h('button.btn.btn-primary', { type: 'button', id: 'diag-start', on: { click: () => startOnsite(ctx, drafts) } }, '开始诊断'));
  } else if (isEnt) {
    const own = drafts[0];
    actions.push(own
      ? h('a.btn.btn-primary', { href: `#/diagnoses/${own.id}`, id: 'diag-start' }, '继续自我评价')
      : h('button.btn.btn-primary', { type: 'button', id: 'diag-start', on: { click: () => startSelf(ctx) } }, '开始自我评价'));
  }
  const sub = {
    city_admin: '全市试点企业的现场诊断（认证机构）和企业自我评价。',
    district_officer: '本区试点企业的现场诊断和企业自我评价。',
    cb_staff: '本机构对所指派企业的现场诊断和再评估，以及这些企业已提交的自我评价。诊断页面可在手机上使用，离线时填写的评分会在联网后自动发送。',
    enterprise: '本企业的自我评价，以及认证机构已提交的现场诊断。',
  }[role];
  el.append(pageHeader('问题诊断', { sub, actions }));

  const unsentSlot = h('div');
  el.append(unsentSlot);
  showUnsent(unsentSlot, ctx);

  const fields = [
    { label: '诊断类型', el: select('kind', [['', '全部'], ['onsite', '现场诊断'], ['self', '自我评价']], f.kind) },
    { label: '状态', el: select('status', [['', '全部'], ['draft', '草稿'], ['submitted', '已提交']], f.status) },
    isCity ? { label: '所属区', el: select('district', [['', '全部'], ...districts.map((x) => [x, x])], f.district) } : null,
    isEnt ? null : { label: '企业名称', el: h('input', { type: 'search', name: 'q', value: f.q, placeholder: '输入企业名称' }) },
  ].filter(Boolean);
  const bar = filterBar(fields, (v) => ctx.setQuery(v));
  bar.classList.add('filter-bar-grid', 'diag-filter-bar');
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  const data = await get('/diagnoses', { ...f, page, per_page: PER_PAGE });
  if (!ctx.isCurrent()) return;
  body.replaceChildren();
  const filtered = FILTERS.some((k) => f[k]);
  const showCb = role === 'city_admin' || role === 'district_officer';
  const columns = [
    {
      primary: true,
      label: '企业',
      render: (d) => h('span.diag-ent-cell',
        h('a.diag-row-link', { href: `#/diagnoses/${d.id}` }, d.enterprise ? d.enterprise.name : '—'),
        showCb && d.cb ? h('span.cell-muted', { text: d.cb.name }) : null),
    },
    { label: '类型', render: (d) => h('span', { class: `diag-kind diag-kind-${d.kind}`, text: d.kind_name || (d.kind === 'self' ? '自我评价' : '现场诊断') }), cls: 'nowrap' },
    { label: '轮次', render: (d) => roundLabel(d), cls: 'nowrap' },
    { label: '诊断日期', render: (d) => fmtDate(d.visit_date), cls: 'nowrap' },
    { label: '进度', render: (d) => progressCell(d.progress), cls: 'nowrap' },
    { label: '综合得分', render: (d) => listScore(d), cls: 'nowrap diag-score-col' },
    { label: '状态', render: (d) => statusTag(d.status), cls: 'nowrap' },
  ];
  const emptyHint = {
    cb_staff: ['还没有诊断记录', '点击右上角“开始诊断”，选择所指派的企业，到现场逐项评分、记录问题并拍照留证。'],
    enterprise: ['还没有诊断记录', '点击右上角“开始自我评价”，对照检查表逐项给本企业打分；认证机构提交现场诊断后也会显示在这里。'],
  }[role] || ['还没有诊断记录', '认证机构完成现场诊断、企业完成自我评价后会显示在这里。'];
  const table = dataTable(columns, data.items || [], {
    caption: '问题诊断列表',
    rowClass: (d) => `diag-row diag-row-${d.status}`,
    empty: filtered
      ? emptyState('没有符合条件的诊断', '请调整筛选条件，或点击“重置”查看全部诊断。')
      : emptyState(...emptyHint),
  });
  table.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.diag-row');
    if (!tr || e.target.closest('a, button')) return;
    const a = tr.querySelector('a.diag-row-link');
    if (a) ctx.navigate(a.getAttribute('href'));
  });
  body.append(table, pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ ...f, page: p }),
  }));
  // #/diagnoses?start=<enterprise id> (the 开始诊断 link of the assistance
  // ledger): open the dialog with that enterprise chosen.
  const startFor = query.get('start');
  if (startFor && role === 'cb_staff') {
    const rest = new URLSearchParams(query);
    rest.delete('start');
    history.replaceState(null, '', `#${ctx.path}${rest.toString() ? `?${rest}` : ''}`);
    startOnsite(ctx, drafts, startFor);
  }
}

// The list carries the stored score of submitted diagnoses; a draft's score
// is shown on its page while it is being filled in.
function listScore(d) {
  const v = d.scores && d.scores.overall !== undefined ? d.scores.overall : d.overall;
  if (v === null || v === undefined) return h('span.cell-muted', d.status === 'draft' ? '未提交' : '—');
  return h('span.diag-score-num', fmtScore(v));
}

// Answers given in this browser that the server has not confirmed yet.
function showUnsent(slot, ctx) {
  const draw = () => {
    const groups = new Map();
    for (const e of queue.entries()) groups.set(String(e.diagnosis_id), (groups.get(String(e.diagnosis_id)) || 0) + 1);
    slot.replaceChildren();
    if (!groups.size) return;
    const total = [...groups.values()].reduce((a, b) => a + b, 0);
    slot.append(h('div.alert.alert-warning.diag-unsent-alert', { role: 'status' },
      h('strong', `本机有 ${total} 条评分尚未发送到服务器`),
      h('span', '（离线时填写）。联网后会自动发送，也可打开诊断查看：'),
      h('span.diag-unsent-links', [...groups.entries()].map(([id, n]) => h('a', { href: `#/diagnoses/${id}` }, `诊断 #${id}（${n} 条）`)))));
  };
  draw();
  const off = queue.subscribe(() => { if (!ctx.isCurrent()) { off(); return; } draw(); });
  queue.flush();
}

// Every page of a list (at most 2,000 rows).
async function allItems(path, params = {}) {
  const items = [];
  for (let page = 1; page <= 10; page++) {
    const r = await get(path, { ...params, page, per_page: 200 });
    const got = (r && r.items) || [];
    items.push(...got);
    if (items.length >= (r.total || 0) || !got.length) break;
  }
  return items;
}

// ---- 开始诊断 (cb_staff) ----------------------------------------------------

async function startOnsite(ctx, drafts, preselect) {
  let ents;
  let checklists;
  let onsite;
  try {
    [ents, checklists, onsite] = await Promise.all([
      allItems('/enterprises'),
      get('/checklists'),
      allItems('/diagnoses', { kind: 'onsite' }),
    ]);
  } catch (err) {
    toast(err.message, 'error');
    return;
  }
  const items = ents;
  if (!items.length) {
    await openDialog({
      title: '开始诊断',
      body: h('p', '本机构还没有被指派的试点企业。区市场监管局指派企业后，即可在这里开始现场诊断。'),
    });
    return;
  }
  const draftOf = new Map(drafts.map((d) => [String(d.enterprise.id), d]));
  const done = new Map();
  for (const d of onsite) {
    if (d.status === 'submitted') done.set(String(d.enterprise.id), (done.get(String(d.enterprise.id)) || 0) + 1);
  }
  const today = todayOf(ctx.site);
  const ent = h('select', { name: 'enterprise_id' },
    h('option', { value: '' }, '请选择企业'),
    items.map((e) => {
      const id = String(e.id);
      const note = draftOf.has(id) ? '（有未提交的诊断）' : (done.has(id) ? '（再评估）' : '（首次诊断）');
      return h('option', { value: id }, `${e.name}${note}`);
    }));
  const date = h('input', { type: 'date', name: 'visit_date', value: today, max: today });
  const team = h('input', { type: 'text', name: 'team', maxlength: '200', placeholder: '如：王强（组长）、刘敏' });
  const lists = checklists.items || [];
  const cl = lists.length > 1 ? h('select', { name: 'checklist_id' },
    lists.map((c) => h('option', { value: String(c.id) }, `${c.title}（第 ${c.version} 版）`))) : null;
  const note = h('p.field-hint.diag-start-note', { 'aria-live': 'polite' });
  ent.addEventListener('change', () => {
    const dr = draftOf.get(ent.value);
    note.textContent = dr ? `该企业已有一份 ${fmtDate(dr.visit_date)} 的诊断草稿，点击“开始诊断”将继续填写它。`
      : (done.has(ent.value) ? `该企业已完成 ${done.get(ent.value)} 次现场诊断，本次为再评估，将与首次诊断对比。` : '');
  });
  if (preselect && items.some((e) => String(e.id) === String(preselect))) {
    ent.value = String(preselect);
    ent.dispatchEvent(new Event('change'));
  }
  const form = h('form.dialog-form', { novalidate: true },
    field('试点企业', ent, { required: true }),
    note,
    field('诊断日期', date, { required: true, hint: '到企业现场的日期，不晚于今天' }),
    field('诊断组成员', team, { required: true, hint: '注明组长' }),
    cl ? field('检查表', cl) : null);
  let createdId = null;
  const ok = await openDialog({
    title: '开始现场诊断',
    body: form,
    actions: [
      { label: '取消', value: false },
      {
        label: '开始诊断', kind: 'primary', value: true,
        before: async () => {
          clearFormErrors(form);
          const dr = draftOf.get(ent.value);
          if (dr) { createdId = dr.id; return true; }
          const errs = [];
          if (!ent.value) errs.push(['enterprise_id', '请选择企业']);
          if (!date.value) errs.push(['visit_date', '请填写诊断日期']);
          else if (date.value > today) errs.push(['visit_date', '诊断日期不能晚于今天']);
          if (!team.value.trim()) errs.push(['team', '请填写诊断组成员']);
          if (errs.length) {
            for (const [n, m] of errs) setFieldError(form, n, m);
            form.querySelector('[aria-invalid="true"]').focus();
            return false;
          }
          try {
            const body = { kind: 'onsite', visit_date: date.value, team: team.value.trim() };
            if (cl) body.checklist_id = Number(cl.value);
            const d = await post(`/enterprises/${ent.value}/diagnoses`, body);
            createdId = d.id;
            return true;
          } catch (err) {
            showFormError(form, err.field ? err : { ...err, field: err.code === 'conflict' ? 'enterprise_id' : null, message: err.message });
            return false;
          }
        },
      },
    ],
  });
  if (ok && createdId) {
    if (draftOf.has(ent.value)) toast('已打开该企业未提交的诊断');
    ctx.navigate(`#/diagnoses/${createdId}`);
  }
}

// ---- 开始自我评价 (enterprise) ----------------------------------------------

async function startSelf(ctx) {
  const { user } = ctx;
  const entId = user.enterprise && user.enterprise.id;
  if (!entId) { toast('当前账号未关联企业', 'error'); return; }
  const today = todayOf(ctx.site);
  const date = h('input', { type: 'date', name: 'visit_date', value: today, max: today });
  const team = h('input', { type: 'text', name: 'team', maxlength: '200', placeholder: '如：陈静（质量主管）' });
  const form = h('form.dialog-form', { novalidate: true },
    h('p.diag-dialog-intro', '对照检查表逐项给本企业的质量管理现状打分（1–5 分），记录存在的堵点、痛点、难点。可以分几次填写，全部填完后提交。'),
    field('评价日期', date, { required: true }),
    field('参加评价人员', team, { hint: '如质量负责人、生产负责人' }));
  let createdId = null;
  const ok = await openDialog({
    title: '开始自我评价',
    body: form,
    actions: [
      { label: '取消', value: false },
      {
        label: '开始自我评价', kind: 'primary', value: true,
        before: async () => {
          clearFormErrors(form);
          if (!date.value) { setFieldError(form, 'visit_date', '请填写评价日期'); return false; }
          try {
            const d = await post(`/enterprises/${entId}/diagnoses`, { kind: 'self', visit_date: date.value, team: team.value.trim() });
            createdId = d.id;
            return true;
          } catch (err) {
            showFormError(form, err);
            return false;
          }
        },
      },
    ],
  });
  if (ok && createdId) ctx.navigate(`#/diagnoses/${createdId}`);
}
