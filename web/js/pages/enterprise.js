// pages/enterprise.js — 企业详情 / 帮扶台账 (#/enterprises/{id}; #/enterprise is
// the enterprise contact's own record, 企业信息). Sections: 基本信息 (the
// whole phone number), 质量指标 (baseline and follow-up, editable by the
// district, the city and the enterprise itself), 帮扶认证机构 (assignment to a
// body selected for the enterprise's industry), 企业联系人账号 (district and
// city open an account: the temporary password is shown once), 问题诊断 (its
// diagnoses), 提升方案 (its actions), 提升效果 (first diagnosis against the
// re-assessment: per-clause table, radar chart, indicators), 认证实施 (link),
// and 培训记录 (the training its staff attended).
import { get, put, post } from '../api.js';
import { h, tag, fmtDate, fmtDateTime, statusTag } from '../util.js';
import {
  card, button, dataTable, openDialog, confirmDialog, secretDialog, setFieldError, clearFormErrors,
  showFormError, toast, errorBox, emptyState, uid, field,
} from '../ui.js';
import {
  SECTOR_NAME, sizeTag, fmtMoney, fmtNumber, fmtPercent, selectedBodies, infoItem,
} from './enterprise-common.js';
import { kindTag } from './training-common.js';
import {
  actionLink, actionTags, progressBar, dueCell, todayOf,
} from './actions.js';
import { radarChart } from '../radar.js';

// The indicators of a period, in the ledger's order: [key, label, unit, kind].
export const INDICATORS = [
  ['first_pass_yield', '一次交验合格率', '%', 'percent'],
  ['defect_rate', '不良率', '%', 'percent'],
  ['complaints', '顾客投诉', '次', 'integer'],
  ['satisfaction', '顾客满意度', '%', 'percent'],
  ['quality_cost_rate', '质量成本率', '%', 'percent'],
  ['revenue', '营业收入', '万元', 'money'],
  ['profit_margin', '利润率', '%', 'margin'],
];
const KINDS = { baseline: '基线指标', followup: '跟踪指标' };

function fmtIndicator(kind, v) {
  if (kind === 'money') return fmtMoney(v);
  if (kind === 'integer') return fmtNumber(v);
  return fmtPercent(v);
}

export async function render(ctx) {
  const { el, params, user } = ctx;
  const self = user.role === 'enterprise';
  if (self && params.id) {
    // An enterprise contact has one record: its own, under 企业信息.
    history.replaceState(null, '', '#/enterprise');
    ctx.navigate('#/enterprise');
    return;
  }
  const id = self ? (user.enterprise && user.enterprise.id) : params.id;
  if (!id) {
    el.append(h('h1.page-title', '企业信息'),
      emptyState('当前账号未关联企业', '请联系所在区市场监管局为您的企业开通账号。'));
    return;
  }
  const ent = await get(`/enterprises/${encodeURIComponent(id)}`);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate(location.hash);
  const role = user.role;
  const isOfficial = role === 'city_admin' || role === 'district_officer';
  const canEditIndicators = isOfficial || self;
  document.title = `${ent.name} - ${document.title.split(' - ').pop()}`;

  // Header: name, size class, industry, district; 编辑 for those who may.
  const editHref = self ? '#/enterprise/edit' : isOfficial ? `#/enterprises/${ent.id}/edit` : null;
  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.reg-title', { text: ent.name }, sizeTag(ent)),
      h('p.page-sub', [ent.district, ent.industry ? `试点行业：${ent.industry}` : null, ent.park || null].filter(Boolean).join(' · '))),
    editHref ? h('div.page-actions', h('a.btn.btn-primary', { href: editHref }, self ? '修改企业信息' : '编辑')) : null));

  if (ent.region_warning) {
    el.append(h('div.alert.alert-warning.reg-region-warning', { role: 'status' },
      h('strong', '请核实注册地：'), h('span', { text: ent.region_warning })));
  }

  el.append(card('基本信息', basicInfo(ent)));
  el.append(indicatorsCard(ent, canEditIndicators, reload));
  el.append(await assignmentCard(ent, isOfficial, reload));
  if (isOfficial) el.append(accountCard(ent));
  // 帮扶提升 and 培训记录 load beside each other after the rest of the ledger.
  const slots = [h('div'), h('div'), h('div')];
  el.append(...slots, card('认证实施', laterSections(id)));
  const trainingSlot = h('div');
  el.append(trainingSlot);
  await Promise.all([
    diagnosesCard(ent, user, slots[0]),
    planCard(ent, user, todayOf(ctx.site), slots[1]),
    improvementCard(ent, slots[2]),
    trainingsCard(ent, trainingSlot),
  ]);
}

function basicInfo(e) {
  return h('dl.reg-info',
    infoItem('企业名称', e.name, { wide: true }),
    infoItem('统一社会信用代码', h('code.reg-uscc', e.uscc)),
    infoItem('所属区', e.district),
    infoItem('试点行业', e.industry),
    infoItem('所属园区/基地/创新中心', e.park),
    infoItem('地址', e.address, { wide: true }),
    infoItem('划型行业', e.sector_name || SECTOR_NAME[e.sector] || e.sector),
    infoItem('企业规模', sizeTag(e)),
    infoItem('从业人员', e.employees === null || e.employees === undefined ? null : `${fmtNumber(e.employees)} 人`),
    infoItem('营业收入', e.revenue === null || e.revenue === undefined ? null : `${fmtMoney(e.revenue)} 万元`),
    infoItem('资产总额', e.total_assets === null || e.total_assets === undefined ? null : `${fmtMoney(e.total_assets)} 万元`),
    infoItem('联系人', e.contact_name),
    infoItem('联系电话', e.contact_phone),
    infoItem('自愿参加', e.consent ? tag('企业自愿参加', 'green') : tag('未确认', 'orange')),
    infoItem('登记时间', fmtDateTime(e.created_at)),
    infoItem('更新时间', fmtDateTime(e.updated_at)));
}

// ---- 培训记录 -------------------------------------------------------------

// GET /enterprises/{id}/trainings: one item per registration of the
// enterprise's staff ({training_id, title, kind, starts_at, name, post,
// attended}), newest session first; grouped by session here.
async function trainingsCard(ent, slot) {
  let items;
  try {
    const r = await get(`/enterprises/${ent.id}/trainings`);
    items = Array.isArray(r) ? r : (r && r.items) || [];
  } catch (err) {
    slot.replaceWith(card('培训记录', errorBox(err)));
    return;
  }
  const sessions = new Map();
  for (const it of items) {
    const key = it.training_id ?? `${it.title}|${it.starts_at}`;
    if (!sessions.has(key)) sessions.set(key, { t: { id: it.training_id, title: it.title, kind: it.kind, starts_at: it.starts_at }, people: [] });
    sessions.get(key).people.push(it);
  }
  const rows = [...sessions.values()];
  const attended = items.filter((p) => p.attended).length;
  const table = dataTable([
    { primary: true, label: '培训', render: (r) => (r.t.id ? h('a.cell-strong', { href: `#/trainings/${r.t.id}`, text: r.t.title }) : h('span', { text: r.t.title })) },
    { label: '类型', render: (r) => kindTag(r.t), cls: 'nowrap' },
    { label: '开始时间', render: (r) => r.t.starts_at || '—', cls: 'nowrap' },
    {
      label: '参训人员',
      render: (r) => h('span.reg-training-people', r.people.map((p) => h('span.reg-training-person',
        h('span', { text: p.post ? `${p.name}（${p.post}）` : p.name }), p.attended ? tag('已签到', 'green') : tag('未签到', 'grey')))),
    },
  ], rows, {
    caption: '培训记录',
    empty: emptyState('暂无培训记录', '企业人员报名参加宣传培训后，这里记录参训和签到情况。',
      h('a.btn', { href: '#/trainings' }, '查看培训安排')),
  });
  slot.replaceWith(card(h('div.card-head-row.reg-head-row', h('h2.card-title', '培训记录'),
    h('span.card-note', `报名培训 ${rows.length} 场，签到 ${attended} 人次`)), table));
}

// ---- 质量指标 -------------------------------------------------------------

function indicatorsCard(ent, canEdit, reload) {
  const ind = ent.indicators || {};
  const rows = ['baseline', 'followup'].map((k) => ({ kind: k, data: ind[k] }));
  const table = dataTable([
    { primary: true, label: '类别', render: (r) => h('span.cell-strong', KINDS[r.kind]), cls: 'nowrap' },
    { label: '统计期间', render: (r) => (r.data ? r.data.period : h('span.cell-muted', '未填报')), cls: 'nowrap' },
    ...INDICATORS.map(([key, label, unit, kind]) => ({
      label: `${label}${unit === '%' ? ' %' : unit === '万元' ? ' 万元' : ''}`,
      render: (r) => (r.data ? fmtIndicator(kind, r.data[key]) : '—'),
      cls: 'nowrap reg-num',
    })),
    {
      label: '填报人/时间',
      render: (r) => (r.data ? h('span.cell-muted.reg-updated', h('span', { text: r.data.updated_by || '' }), h('span', fmtDateTime(r.data.updated_at))) : '—'),
    },
    ...(canEdit ? [{
      label: '操作',
      cls: 'col-actions',
      render: (r) => h('button.btn.btn-link', {
        type: 'button',
        dataset: { kind: r.kind },
        on: { click: () => indicatorDialog(ent, r.kind, r.data, reload) },
      }, r.data ? `修改${KINDS[r.kind]}` : `填报${KINDS[r.kind]}`),
    }] : []),
  ], rows, { caption: '基线指标与跟踪指标', rowClass: (r) => `reg-ind-${r.kind}` });
  return card(h('div.card-head-row.reg-head-row', h('h2.card-title', '基线指标与跟踪指标'),
    h('span.card-note', '基线指标为参加提升行动前的数据，跟踪指标为帮扶后的数据')), table);
}

function indicatorDialog(ent, kind, data, reload) {
  const d = data || {};
  const inputs = {};
  const period = h('input', { type: 'text', name: 'period', value: d.period || '', maxlength: '30', placeholder: kind === 'baseline' ? '如 2020年度' : '如 2021年1-6月' });
  inputs.period = period;
  const grid = h('div.reg-grid.reg-grid-dialog', field('统计期间', period, { required: true }));
  for (const [key, label, unit, k] of INDICATORS) {
    const input = h('input', {
      type: 'number', name: key, value: d[key] === null || d[key] === undefined ? '' : String(d[key]),
      step: k === 'integer' ? '1' : '0.01', inputmode: 'decimal',
      ...(k === 'percent' ? { min: '0', max: '100' } : k === 'integer' || k === 'money' ? { min: '0' } : {}),
    });
    inputs[key] = input;
    const f = field(label, input);
    f.querySelector('label').append(h('span.reg-unit', `（${unit}）`));
    grid.append(f);
  }
  const box = h('form.dialog-form', { novalidate: true },
    h('p.cell-muted.reg-dialog-intro', `${ent.name} · ${KINDS[kind]}。百分比填写 0–100 的数字，利润率可以为负数；不了解的指标可以留空。`),
    grid);
  box.addEventListener('submit', (e) => e.preventDefault());
  openDialog({
    title: `${data ? '修改' : '填报'}${KINDS[kind]}`,
    body: box,
    className: 'dialog-wide',
    actions: [
      { label: '取消', value: false },
      {
        label: '保存',
        kind: 'primary',
        value: true,
        before: async () => {
          clearFormErrors(box);
          const body = { period: period.value.trim() };
          if (!body.period) { setFieldError(box, 'period', '请填写统计期间'); period.focus(); return false; }
          for (const [key, label, , k] of INDICATORS) {
            const raw = inputs[key].value.trim();
            if (raw === '') continue;
            const n = Number(raw);
            if (Number.isNaN(n)) { setFieldError(box, key, `${label}应为数字`); return false; }
            if (k === 'percent' && (n < 0 || n > 100)) { setFieldError(box, key, `${label}应在 0–100 之间`); return false; }
            if (k === 'integer' && (!Number.isInteger(n) || n < 0)) { setFieldError(box, key, `${label}应为不小于 0 的整数`); return false; }
            body[key] = n;
          }
          try {
            await put(`/enterprises/${ent.id}/indicators/${kind}`, body);
            return true;
          } catch (err) {
            showFormError(box, err);
            return false;
          }
        },
      },
    ],
  }).then((ok) => { if (ok) { toast(`${KINDS[kind]}已保存`); reload(); } });
  period.focus();
}

// ---- 帮扶认证机构 ---------------------------------------------------------

async function assignmentCard(ent, canAssign, reload) {
  const a = ent.assignment;
  const current = a && a.cb
    ? h('div.reg-assigned',
      h('span.reg-assigned-name', { text: a.cb.name }),
      h('span.cell-muted', `指派于 ${fmtDateTime(a.assigned_at)}`))
    : h('p.reg-unassigned', '尚未指派认证机构。');
  if (!canAssign) return card('帮扶认证机构', current);

  let bodies = [];
  let loadErr = null;
  try { bodies = await selectedBodies(ent.industry); } catch (err) { loadErr = err; }
  const currentId = a && a.cb ? a.cb.id : null;
  const others = bodies.filter((b) => b.id !== currentId);
  const unassignBtn = a ? button('取消指派', { kind: 'default', onClick: () => unassign(ent, reload) }) : null;
  const hint = `只能指派市局已遴选为“${ent.industry}”服务的认证机构；指派后该机构可以查看和帮扶本企业。`;
  if (a && !others.length) {
    return card('帮扶认证机构', current, loadErr ? errorBox(loadErr) : null,
      h('div.reg-inline', unassignBtn, h('span.cell-muted', '本行业暂无其他已遴选的认证机构可供更改。')));
  }
  const sel = h('select', { name: 'cb_unit_id', id: uid('cb') },
    h('option', { value: '' }, others.length ? '请选择认证机构' : '（本行业尚未遴选认证机构）'),
    others.map((b) => h('option', { value: String(b.id) }, b.name)));
  const form = h('form.reg-assign-form', { novalidate: true },
    h('div.field', { dataset: { field: 'cb_unit_id' } },
      h('label', { for: sel.id }, a ? '更改为' : '指派认证机构'),
      h('div.reg-inline', sel,
        button(a ? '更改指派' : '指派', { kind: 'primary', type: 'submit', disabled: !others.length }),
        unassignBtn),
      h('p.field-hint', others.length ? hint : `市局尚未为“${ent.industry}”遴选认证机构，遴选后即可指派。`)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    if (!sel.value) { setFieldError(form, 'cb_unit_id', '请选择认证机构'); return; }
    const b = others.find((x) => String(x.id) === sel.value);
    const ok = await confirmDialog({
      title: a ? '更改指派' : '指派认证机构',
      message: a
        ? `确定将“${ent.name}”改为由“${b.name}”帮扶吗？原机构“${a.cb.name}”将不能再查看本企业。`
        : `确定指派“${b.name}”帮扶“${ent.name}”吗？`,
      confirmLabel: '确认指派',
    });
    if (!ok) return;
    try {
      await put(`/enterprises/${ent.id}/assignment`, { cb_unit_id: Number(sel.value) });
      toast('已指派认证机构');
      reload();
    } catch (err) {
      showFormError(form, err);
    }
  });
  return card('帮扶认证机构', current, loadErr ? errorBox(loadErr) : null, form);
}

async function unassign(ent, reload) {
  const ok = await confirmDialog({
    title: '取消指派',
    message: `确定取消“${ent.assignment.cb.name}”对“${ent.name}”的帮扶指派吗？取消后该机构不能再查看本企业。`,
    confirmLabel: '确认取消指派',
    danger: true,
  });
  if (!ok) return;
  try {
    await put(`/enterprises/${ent.id}/assignment`, { cb_unit_id: null });
    toast('已取消指派');
    reload();
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
}

// ---- 企业联系人账号 -------------------------------------------------------

function accountCard(ent) {
  const username = h('input', { type: 'text', name: 'username', maxlength: '32', autocapitalize: 'off', spellcheck: 'false', autocomplete: 'off' });
  const display = h('input', { type: 'text', name: 'display_name', maxlength: '50', value: ent.contact_name ? `${ent.contact_name}` : '' });
  const go = button('开通账号', { kind: 'primary', type: 'submit' });
  const form = h('form.reg-account-form', { novalidate: true },
    h('div.reg-grid',
      field('用户名', username, { required: true, hint: '3–32 位小写字母、数字或 _ . -，如 pj_chenjing' }),
      field('姓名', display, { required: true, hint: '企业联系人的姓名，登录后显示' })),
    h('div.form-actions', go));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const u = username.value.trim();
    const d = display.value.trim();
    let bad = false;
    if (!/^[a-z0-9_.-]{3,32}$/.test(u)) { setFieldError(form, 'username', '用户名应为 3–32 位小写字母、数字或 _ . -'); bad = true; }
    if (!d) { setFieldError(form, 'display_name', '请填写姓名'); bad = true; }
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    go.disabled = true;
    try {
      const r = await post(`/enterprises/${ent.id}/account`, { username: u, display_name: d });
      await secretDialog({
        title: '账号已开通',
        intro: `已为“${ent.name}”开通企业联系人账号。`,
        username: r.username || u,
        secret: r.temporary_password,
      });
      username.value = '';
    } catch (err) {
      showFormError(form, err);
    } finally {
      go.disabled = false;
    }
  });
  return card('企业联系人账号',
    h('p.reg-card-intro', '为企业联系人开通账号后，企业可以登录核对企业信息、填报质量指标。临时密码只显示一次，首次登录须修改。'),
    form);
}

// ---- 认证实施 ---------------------------------------------------------------

function laterSections(id) {
  // Certification: the audit and the certificates of this enterprise.
  const cert = h('li.reg-later-item',
    h('a.reg-later-title', { href: `#/certification/${id}` }, '认证审核与认证证书 →'),
    h('span.cell-muted', '认证审核记录、认证决定、证书及监督审核情况'));
  return h('ul.reg-later', cert);
}

// ---- 问题诊断 -------------------------------------------------------------

const fmtScore = (v) => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v).toFixed(1));

function scoreCell(v) {
  const s = fmtScore(v);
  return s === null ? h('span.act-score.act-score-none', '—') : h('span.act-score', s);
}

// GET /diagnoses?enterprise_id=: the on-site diagnoses (round 1 the first,
// later rounds re-assessments) and the self-assessments, newest first.
async function diagnosesCard(ent, user, slot) {
  const assigned = user.role === 'cb_staff' && ent.assignment && ent.assignment.cb && user.unit
    && ent.assignment.cb.id === user.unit.id;
  const start = assigned
    ? h('a.btn.btn-primary.btn-small', { href: `#/diagnoses?q=${encodeURIComponent(ent.name)}`, id: 'ledger-diag-start' }, '开始诊断')
    : null;
  const head = (note) => h('div.card-head-row.act-head-row', h('h2.card-title', '问题诊断'),
    h('span.act-card-actions', note ? h('span.card-note', note) : null, start));
  let items;
  try {
    items = (await get('/diagnoses', { enterprise_id: ent.id, per_page: 50 })).items || [];
  } catch (err) {
    slot.replaceWith(card(head(), errorBox(err)));
    return;
  }
  const onsite = items.filter((d) => d.kind === 'onsite' && d.status === 'submitted').length;
  const table = dataTable([
    {
      primary: true,
      label: '类型',
      render: (d) => h('span.act-tags', h('a.cell-strong', { href: `#/diagnoses/${d.id}` }, d.kind_name || (d.kind === 'self' ? '自我评价' : '现场诊断')),
        d.kind === 'onsite' && d.round > 1 ? tag('再评估', 'teal') : null),
    },
    { label: '轮次', render: (d) => (d.kind === 'onsite' ? `第 ${d.round} 轮` : '—'), cls: 'nowrap' },
    { label: '诊断日期', render: (d) => fmtDate(d.visit_date), cls: 'nowrap' },
    { label: '诊断人员', render: (d) => (d.kind === 'onsite' ? (d.team || d.created_by || '—') : (d.created_by || '企业')) },
    { label: '综合得分', render: (d) => scoreCell(d.overall ?? (d.scores && d.scores.overall)), cls: 'nowrap' },
    {
      label: '状态',
      render: (d) => h('span.act-tags', statusTag(d.status),
        d.status === 'draft' && d.progress ? h('span.cell-muted', `已评 ${d.progress.answered}/${d.progress.items}`) : null),
      cls: 'nowrap',
    },
    { label: '操作', cls: 'col-actions', render: (d) => h('a.btn.btn-link', { href: `#/diagnoses/${d.id}` }, '查看') },
  ], items, {
    caption: '问题诊断',
    rowClass: (d) => `act-diag-row act-diag-${d.kind}`,
    empty: emptyState('尚未开展问题诊断', assigned
      ? '点击“开始诊断”，到企业现场对照检查表逐项诊断，提交后据此制定提升方案。'
      : '认证机构到企业现场诊断并提交后，诊断结果会显示在这里。'),
  });
  slot.replaceWith(card(head(items.length ? `现场诊断已提交 ${onsite} 次，共 ${items.length} 份记录` : null), table));
}

// ---- 提升方案 -------------------------------------------------------------

const PLAN_SHOWN = 10;

// GET /actions?enterprise_id=: the actions (by due date) with the counts.
async function planCard(ent, user, today, slot) {
  const listHref = `#/actions?enterprise_id=${ent.id}`;
  const canCreate = user.role === 'cb_staff' && !!ent.assignment && !!ent.assignment.cb && !!user.unit
    && ent.assignment.cb.id === user.unit.id;
  const head = h('div.card-head-row.act-head-row', h('h2.card-title', '提升方案'),
    h('span.act-card-actions',
      h('a.card-link', { href: listHref, id: 'ledger-actions-all' }, '全部改进措施 →'),
      canCreate ? h('a.btn.btn-primary.btn-small', { href: `#/actions/new?enterprise_id=${ent.id}`, id: 'ledger-action-new' }, '新建措施') : null));
  let data;
  try {
    data = await get('/actions', { enterprise_id: ent.id, per_page: 100 });
  } catch (err) {
    slot.replaceWith(card(head, errorBox(err)));
    return;
  }
  const items = data.items || [];
  const c = data.counts || {};
  const chip = (label, n, colour, params) => h(`a.act-count-chip.act-count-chip-${colour}`,
    { href: `${listHref}${params ? `&${params}` : ''}` }, h('span', label), h('strong', String(Number(n) || 0)));
  const counts = items.length ? h('div.act-count-line', { id: 'ledger-action-counts' },
    chip('共', c.total ?? items.length, 'blue', ''),
    chip('待开始', c.open, 'grey', 'status=open'),
    chip('进行中', c.in_progress, 'blue', 'status=in_progress'),
    chip('待验证', c.ready, 'orange', 'ready=true'),
    chip('已逾期', c.overdue, 'red', 'overdue=true'),
    chip('已验证', c.verified, 'green', 'status=verified'),
    chip('已关闭', c.closed, 'green', 'status=closed')) : null;
  const table = dataTable([
    {
      primary: true,
      label: '措施',
      render: (a) => h('span.act-title-cell', actionLink(a),
        a.item_key ? h('span.cell-muted.act-item-key', { text: `问题 ${a.item_key}` }) : null),
    },
    { label: '方法工具', render: (a) => a.method_name || a.method, cls: 'nowrap' },
    { label: '责任人', render: (a) => h('span.act-owner', { text: a.owner }), cls: 'act-col-owner' },
    { label: '完成期限', render: (a) => dueCell(a, today), cls: 'nowrap' },
    { label: '进度', render: (a) => progressBar(a.progress), cls: 'nowrap act-col-progress' },
    { label: '状态', render: actionTags, cls: 'act-col-status' },
  ], items.slice(0, PLAN_SHOWN), {
    caption: '提升方案',
    rowClass: (a) => `act-plan-row${a.overdue ? ' act-row-overdue' : ''}`,
    empty: emptyState('尚未制定提升方案', canCreate
      ? '根据现场诊断发现的问题，点击“新建措施”制定改进措施（一企一策）。'
      : '认证机构根据现场诊断发现的问题制定改进措施后，会显示在这里。'),
  });
  const more = items.length > PLAN_SHOWN
    ? h('p.card-foot-note', `按完成期限显示前 ${PLAN_SHOWN} 项，`, h('a', { href: listHref }, `查看全部 ${items.length} 项 →`))
    : null;
  slot.replaceWith(card(head, counts, table, more));
}

// ---- 提升效果 -------------------------------------------------------------

// Indicator key → [label, unit] as the 基线指标 table above names them.
const IND_LABELS = Object.fromEntries(INDICATORS.map(([k, l, u]) => [k, [l, u]]));
const IND_KIND = Object.fromEntries(INDICATORS.map(([k, , , kind]) => [k, kind]));

function signed(v, digits = 1) {
  const n = Number(v);
  const s = Math.abs(n).toFixed(digits);
  return n > 0 ? `+${s}` : n < 0 ? `−${s}` : s;
}

// A score change: green up, red down, grey unchanged or unknown.
function changeCell(v) {
  if (v === null || v === undefined) return h('span.imp-change.imp-same', '—');
  const n = Number(v);
  const cls = n > 0 ? 'imp-up' : n < 0 ? 'imp-down' : 'imp-same';
  return h(`span.imp-change.${cls}`, { title: n > 0 ? '提升' : n < 0 ? '下降' : '持平' },
    n > 0 ? '▲ ' : n < 0 ? '▼ ' : '', signed(n));
}

// An indicator change, coloured by whether it is better (server's `better`).
function indicatorChange(r) {
  if (r.change === null || r.change === undefined) return h('span.imp-change.imp-same', '—');
  const cls = r.better === true ? 'imp-up' : r.better === false ? 'imp-down' : 'imp-same';
  const word = r.better === true ? '改善' : r.better === false ? '变差' : '持平';
  const n = Number(r.change);
  const abs = Math.abs(n).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  const text = n > 0 ? `+${abs}` : n < 0 ? `−${abs}` : abs;
  return h(`span.imp-change.${cls}`, { title: word }, text, h('span.imp-word', `（${word}）`));
}

// The small numeric tables stay tables on a phone (four columns fit).
function compact(wrap) {
  const t = wrap.querySelector && wrap.querySelector('table');
  if (t) t.classList.replace('table-stack', 'imp-table-compact');
  return wrap;
}

// GET /enterprises/{id}/improvement: the first submitted on-site diagnosis
// against the latest one (the re-assessment), and the indicators.
async function improvementCard(ent, slot) {
  let imp;
  try {
    imp = await get(`/enterprises/${ent.id}/improvement`);
  } catch (err) {
    slot.replaceWith(card('提升效果', errorBox(err)));
    return;
  }
  const first = imp.first;
  const latest = imp.latest;
  const parts = [];
  if (!first) {
    parts.push(emptyState('尚无诊断得分', '首次现场诊断提交后显示各条款得分；再评估提交后显示提升前后的对比。'));
  } else {
    const o = imp.overall || {};
    parts.push(h('div.imp-summary',
      h('div.imp-stat', h('span.imp-stat-label', '首次诊断得分'), h('span.imp-stat-value', fmtScore(o.before) ?? '—'),
        h('span.imp-stat-sub', fmtDate(first.visit_date))),
      h('div.imp-stat', h('span.imp-stat-label', '再评估得分'), h('span.imp-stat-value', latest ? (fmtScore(o.after) ?? '—') : '—'),
        h('span.imp-stat-sub', latest ? `第 ${latest.round} 轮 · ${fmtDate(latest.visit_date)}` : '尚未再评估')),
      h('div.imp-stat.imp-stat-change', h('span.imp-stat-label', '得分变化'), h('span.imp-stat-value', changeCell(o.change)),
        h('span.imp-stat-sub', '满分 5 分'))));
    const secs = imp.sections || [];
    const rows = [...secs, { total: true, clause: '', title: '综合得分', before: o.before, after: o.after, change: o.change }];
    const table = dataTable([
      { primary: true, label: '条款', render: (r) => (r.total ? h('span.cell-strong', '综合得分') : `${r.clause} ${r.title}`) },
      { label: '首次诊断', render: (r) => scoreCell(r.before), cls: 'imp-num' },
      { label: '再评估', render: (r) => scoreCell(r.after), cls: 'imp-num' },
      { label: '变化', render: (r) => changeCell(r.change), cls: 'imp-num' },
    ], rows, { caption: '各条款得分（提升前后）', rowClass: (r) => (r.total ? 'imp-total' : 'imp-row') });
    compact(table);
    let radar = null;
    try {
      radar = radarChart({
        axes: secs.map((s) => ({ label: `${s.clause} ${s.title}` })),
        series: latest
          ? [{ name: `首次诊断（${fmtDate(first.visit_date)}）`, values: secs.map((s) => s.before), kind: 'before' },
            { name: `再评估（${fmtDate(latest.visit_date)}）`, values: secs.map((s) => s.after), kind: 'current' }]
          : [{ name: `首次诊断（${fmtDate(first.visit_date)}）`, values: secs.map((s) => s.before), kind: 'current' }],
      }, { title: latest ? '提升前后各条款得分' : '首次诊断各条款得分' });
    } catch { radar = null; }
    parts.push(h('div.imp-layout',
      h('div.imp-table', h('h3.imp-subtitle', '各条款得分'), table,
        latest ? null : h('p.imp-note', '再评估（第 2 轮现场诊断）提交后，这里显示提升前后的对比。')),
      radar ? h('div.imp-radar', radar) : null));
  }
  const inds = (imp.indicators || []).filter((r) => r.baseline !== null || r.followup !== null);
  const fmtInd = (key, v) => (v === null || v === undefined ? '—' : fmtIndicator(IND_KIND[key] || 'margin', v));
  const label = (r) => (IND_LABELS[r.key] ? IND_LABELS[r.key][0] : r.label);
  const unit = (r) => (IND_LABELS[r.key] ? IND_LABELS[r.key][1] : r.unit);
  parts.push(h('h3.imp-subtitle', '质量指标变化'),
    compact(dataTable([
      { primary: true, label: '指标', render: (r) => h('span', label(r), h('span.imp-unit', `（${unit(r)}）`)) },
      { label: '基线', render: (r) => fmtInd(r.key, r.baseline), cls: 'imp-num' },
      { label: '跟踪', render: (r) => fmtInd(r.key, r.followup), cls: 'imp-num' },
      { label: '变化', render: indicatorChange, cls: 'imp-num' },
    ], inds, {
      caption: '质量指标变化',
      rowClass: (r) => `imp-ind-row imp-ind-${r.key}`,
      empty: h('p.cell-muted', '尚未填报基线指标和跟踪指标（见上方“基线指标与跟踪指标”）。'),
    })));
  slot.replaceWith(card(h('div.card-head-row.act-head-row', h('h2.card-title', '提升效果'),
    h('span.card-note', '首次现场诊断与最近一次再评估对比；指标为基线与跟踪数据对比')), ...parts));
}
