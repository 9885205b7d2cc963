// pages/workplan-common.js — shared by 工作方案 (pages/workplan.js, the district
// editor) and 工作方案审核 (pages/workplans.js, pages/workplan-review.js): the
// deadline banner, the return reason, the read-only plan, the versions, the
// comparison of two versions and the history. Not a page of its own.
import { get } from '../api.js';
import { h, tag, statusTag, fmtDate, fmtDateTime, daysLeftText } from '../util.js';
import { dataTable, emptyState, errorBox, uid } from '../ui.js';
import { sizeTag, allPages } from './enterprise-common.js';

export function lateTag(plan) {
  return plan && plan.late ? tag('逾期提交', 'red-outline') : null;
}

export function planTitle(plan) {
  const u = plan.unit || {};
  return `${u.district || u.name || ''} 试点工作方案`;
}

// The 试点工作方案报送 deadline: from the record, else from the programme.
export function planDeadline(plan, prog) {
  if (plan && plan.deadline) return plan.deadline;
  const d = prog && (prog.deadlines || []).find((x) => x.key === 'workplan');
  return d ? { due: d.due, days_left: d.days_left, state: d.state } : null;
}

export function deadlineBanner(deadline, plan, { allowLate = true, forUnit = true } = {}) {
  if (!deadline) return null;
  const submitted = plan && (plan.status === 'submitted' || plan.status === 'approved');
  const overdue = deadline.days_left < 0;
  let note;
  if (submitted) {
    note = plan.late ? `已于 ${fmtDateTime(plan.submitted_at)} 逾期提交。` : `已于 ${fmtDateTime(plan.submitted_at)} 按时提交。`;
  } else if (overdue) {
    note = forUnit
      ? (allowLate ? '已过截止日期，仍可提交，提交后将标记为“逾期提交”。' : '已过截止日期，不能再提交，请联系市局。')
      : '已过截止日期，尚未提交。';
  } else {
    note = forUnit ? '请在截止日期前提交；提交后由市局审核。' : '尚未提交。';
  }
  const kind = submitted ? 'info' : overdue || deadline.state === 'due_soon' || deadline.state === 'due_today' ? 'warning' : 'info';
  const days = submitted || deadline.state === 'done'
    ? (plan && plan.late ? tag('逾期提交', 'red-outline') : tag('已完成', 'green'))
    : h(`span.days.days-${deadline.state}`, { text: daysLeftText(deadline.days_left) });
  return h(`div.alert.alert-${kind}.wp-deadline`, { role: 'status' },
    h('span.wp-deadline-main', `试点工作方案报送截止 ${deadline.due}`), days,
    h('span.wp-deadline-note', { text: note }));
}

export function returnReasonBox(plan, { forUnit = true } = {}) {
  if (!plan || plan.status !== 'returned' || !plan.return_reason) return null;
  return h('div.alert.wp-returned', { role: 'alert' },
    h('p.wp-returned-title', '市局退回意见'),
    h('p.wp-returned-reason', { text: plan.return_reason }),
    forUnit ? h('p.wp-returned-hint', '请按意见修改工作方案后重新提交。') : null);
}

// "集成电路 5/5" — red when below the target.
export function countBadge(ind) {
  const count = ind.count ?? (ind.enterprise_ids || []).length;
  const target = ind.target ?? 5;
  return h(`span.wp-count.${count >= target ? 'wp-count-ok' : 'wp-count-low'}`, { title: `已选 ${count} 家 / 至少 ${target} 家` },
    h('span.wp-count-name', { text: ind.industry }), h('span.wp-count-n', `${count}/${target}`));
}

// ---- Read-only plan --------------------------------------------------------

export function planView(plan) {
  const c = plan.content || {};
  const industries = c.industries || [];
  const steps = c.steps || [];
  return h('div.wp-view',
    h('section.wp-section', h('h3.wp-section-title', '工作概述'),
      c.summary ? h('p.wp-summary', { text: c.summary }) : h('p.cell-muted', '（未填写）')),
    h('section.wp-section', h('h3.wp-section-title', `试点行业（${industries.length} 个）`),
      industries.length
        ? industries.map((ind, i) => h('div.wp-ind-view',
          h('div.wp-ind-head',
            h('span.wp-ind-no', `试点行业 ${i + 1}`),
            h('span.wp-ind-name', { text: ind.industry }),
            enterpriseCount(ind)),
          h('div.wp-ind-cbs', h('span.wp-label', '认证机构：'),
            (ind.cbs || []).length
              ? (ind.cbs || []).map((b) => h('span.wp-cb', { text: b.name }))
              : (ind.cb_unit_ids || []).length
                ? h('span', { text: ind.cb_unit_ids.map((x) => `#${x}`).join('、') })
                : h('span.cell-muted', '未选择')),
          dataTable([
            { label: '序号', render: (_, n) => String(n + 1), cls: 'col-no' },
            { primary: true, label: '企业名称', render: (e) => h('a', { href: `#/enterprises/${e.id}` }, e.name || `#${e.id}`) },
            { label: '统一社会信用代码', render: (e) => (e.uscc ? h('code.reg-uscc', e.uscc) : '—'), cls: 'nowrap' },
            { label: '规模', render: (e) => sizeTag(e), cls: 'nowrap' },
          ], ind.enterprises || (ind.enterprise_ids || []).map((id) => ({ id })), {
            caption: `${ind.industry} 试点企业`,
            empty: emptyState('未选择试点企业'),
          })))
        : h('p.cell-muted', '（未选择试点行业）')),
    h('section.wp-section', h('h3.wp-section-title', '实施步骤'), stepsTable(steps)));
}

function enterpriseCount(ind) {
  const count = ind.count ?? (ind.enterprise_ids || []).length;
  const target = ind.target ?? 5;
  return h(`span.wp-need.${count >= target ? 'wp-need-ok' : 'wp-need-low'}`, `已选 ${count} 家 / 至少 ${target} 家`);
}

export function stepsTable(steps) {
  return dataTable([
    { label: '序号', render: (_, n) => String(n + 1), cls: 'col-no' },
    { primary: true, label: '步骤名称', render: (s) => h('span.cell-strong', { text: s.title || '（未填写）' }) },
    { label: '开始', render: (s) => fmtDate(s.start), cls: 'nowrap' },
    { label: '结束', render: (s) => fmtDate(s.end), cls: 'nowrap' },
    { label: '说明', render: (s) => (s.description ? h('span.wp-pre', { text: s.description }) : null) },
  ], steps, { caption: '实施步骤', empty: emptyState('未填写实施步骤') });
}

// ---- Versions and history --------------------------------------------------

const VERSION_RESULT = {
  submitted: ['待审核', 'blue'],
  returned: ['已退回', 'orange'],
  approved: ['已通过', 'green'],
  accepted: ['已通过', 'green'],
};

export function versionsTable(plan) {
  const list = [...(plan.versions || [])].sort((a, b) => b.version - a.version);
  const latest = list.length ? list[0].version : 0;
  return dataTable([
    { primary: true, label: '版本', render: (v) => h('span.cell-strong', `第 ${v.version} 版`), cls: 'nowrap' },
    { label: '提交时间', render: (v) => fmtDateTime(v.submitted_at), cls: 'nowrap' },
    { label: '提交人', render: (v) => (v.submitted_by ? h('code.username', v.submitted_by) : '—') },
    { label: '逾期', render: (v) => (v.late ? tag('逾期提交', 'red-outline') : '—'), cls: 'nowrap' },
    {
      label: '审核结果',
      render: (v) => {
        const after = v.outcome || (v.version === latest && plan.status === 'submitted' ? 'submitted' : null);
        const [label, colour] = VERSION_RESULT[after] || [null];
        return label ? tag(label, colour) : after ? statusTag(after) : '—';
      },
      cls: 'nowrap',
    },
    { label: '退回意见', render: (v) => v.return_reason || '—' },
  ], list, { caption: '版本记录', empty: emptyState('还没有提交过', '每次提交都会保存一个版本。') });
}

const HISTORY_ACTIONS = {
  'workplan.create': ['新建草稿', 'grey'],
  'workplan.update': ['保存修改', 'grey'],
  'workplan.submit': ['提交', 'blue'],
  'workplan.return': ['退回', 'orange'],
  'workplan.approve': ['通过', 'green'],
};

function historyDetail(r) {
  const d = r.detail && typeof r.detail === 'object' ? r.detail : {};
  const parts = [];
  if (d.version) parts.push(`第 ${d.version} 版`);
  if (d.late === true) parts.push('逾期提交');
  if (d.reason) parts.push(`退回意见：${d.reason}`);
  return parts.length ? parts.join('；') : '—';
}

export function historyTable(plan) {
  const list = [...(plan.history || [])].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return dataTable([
    { label: '时间', render: (r) => fmtDateTime(r.at), cls: 'nowrap' },
    { label: '操作人', render: (r) => (r.username ? h('code.username', r.username) : '—') },
    {
      primary: true,
      label: '操作',
      render: (r) => { const [l, c] = HISTORY_ACTIONS[r.action] || [r.action, 'grey']; return tag(l, c); },
      cls: 'nowrap',
    },
    { label: '说明', render: historyDetail },
  ], list, { caption: '办理记录', empty: emptyState('暂无办理记录') });
}

// ---- Version comparison ----------------------------------------------------

// Names for the ids of stored versions (which carry ids only): the plan's own
// resolved names, then the district's enterprises and the bodies.
async function nameResolver(plan) {
  const ents = new Map();
  const cbs = new Map();
  for (const ind of (plan.content && plan.content.industries) || []) {
    for (const e of ind.enterprises || []) ents.set(e.id, e.name);
    for (const b of ind.cbs || []) cbs.set(b.id, b.name);
  }
  const district = plan.unit && plan.unit.district;
  const [entList, cbList] = await Promise.all([
    district ? allPages('/enterprises', { district }).catch(() => []) : Promise.resolve([]),
    allPages('/units', { kind: 'cb' }).catch(() => []),
  ]);
  for (const e of entList) if (!ents.has(e.id)) ents.set(e.id, e.name);
  for (const b of cbList) if (!cbs.has(b.id)) cbs.set(b.id, b.name);
  return { ent: (id) => ents.get(id) || `企业 #${id}`, cb: (id) => cbs.get(id) || `认证机构 #${id}` };
}

export function compareView(plan) {
  const versions = [...(plan.versions || [])].sort((a, b) => a.version - b.version);
  if (!versions.length) return null;
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
  const out = h('div.wp-compare-result');
  const cache = new Map();
  let names = null;
  const load = async (key) => {
    if (key === 'current') return { label: '当前内容', content: plan.content || {} };
    if (!cache.has(key)) cache.set(key, get(`/workplans/${plan.id}/versions/${key}`));
    const v = await cache.get(key);
    return { label: `第 ${v.version} 版`, content: v.content || {} };
  };
  const run = async () => {
    out.replaceChildren(h('p.loading', '正在比较…'));
    try {
      if (!names) names = await nameResolver(plan);
      const [a, b] = await Promise.all([load(selA.value), load(selB.value)]);
      out.replaceChildren(compareTable(a, b, names));
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  const form = h('form.filter-bar.wp-compare-bar', itemA, itemB,
    h('div.filter-buttons', h('button.btn.btn-primary', { type: 'submit' }, '比较')));
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  run();
  return h('section.wp-compare', { 'aria-label': '版本比较' }, h('h3.wp-section-title', '版本比较'), form, out);
}

// A list of names with the ones only on this side marked (added / removed).
function nameList(items, other, mark) {
  if (!items.length) return h('span.cell-muted', '（无）');
  return h('ul.wp-diff-list', items.map(([key, label]) => {
    const only = !other.some(([k]) => k === key);
    return h(`li${only ? `.wp-diff-${mark}` : ''}`, only ? h('span.wp-diff-mark', { 'aria-hidden': 'true' }, mark === 'added' ? '＋' : '－') : null,
      h('span', { text: label }), only ? h('span.sr-only', mark === 'added' ? '（新增）' : '（删除）') : null);
  }));
}

function stepText(s) {
  if (!s) return '';
  return `${s.title || '（未填写）'}（${s.start || '—'} 至 ${s.end || '—'}）${s.description ? `：${s.description}` : ''}`;
}

function compareTable(a, b, names) {
  const ca = a.content || {};
  const cb = b.content || {};
  const rows = [];
  const textCell = (v) => (v ? h('span.wp-pre', { text: v }) : h('span.cell-muted', '（空）'));
  rows.push({ label: '工作概述', va: textCell(ca.summary || ''), vb: textCell(cb.summary || ''), changed: (ca.summary || '') !== (cb.summary || '') });

  const indA = ca.industries || [];
  const indB = cb.industries || [];
  const allInd = [...new Set([...indA.map((x) => x.industry), ...indB.map((x) => x.industry)])];
  const indNames = (list) => list.map((x) => [x.industry, x.industry]);
  rows.push({
    label: '试点行业',
    va: nameList(indNames(indA), indNames(indB), 'removed'),
    vb: nameList(indNames(indB), indNames(indA), 'added'),
    changed: indA.map((x) => x.industry).join('|') !== indB.map((x) => x.industry).join('|'),
  });
  for (const name of allInd) {
    const x = indA.find((i) => i.industry === name) || { enterprise_ids: [], cb_unit_ids: [] };
    const y = indB.find((i) => i.industry === name) || { enterprise_ids: [], cb_unit_ids: [] };
    const eA = (x.enterprise_ids || []).map((id) => [id, names.ent(id)]);
    const eB = (y.enterprise_ids || []).map((id) => [id, names.ent(id)]);
    const sameSet = (p, q) => p.length === q.length && p.every(([k]) => q.some(([j]) => j === k));
    rows.push({
      label: `${name} · 试点企业`,
      va: nameList(eA, eB, 'removed'),
      vb: nameList(eB, eA, 'added'),
      changed: !sameSet(eA, eB),
      sub: `${eA.length} 家 → ${eB.length} 家`,
    });
    const bA = (x.cb_unit_ids || []).map((id) => [id, names.cb(id)]);
    const bB = (y.cb_unit_ids || []).map((id) => [id, names.cb(id)]);
    rows.push({ label: `${name} · 认证机构`, va: nameList(bA, bB, 'removed'), vb: nameList(bB, bA, 'added'), changed: !sameSet(bA, bB) });
  }
  const sA = ca.steps || [];
  const sB = cb.steps || [];
  for (let i = 0; i < Math.max(sA.length, sB.length, 1); i++) {
    const ta = stepText(sA[i]);
    const tb = stepText(sB[i]);
    rows.push({ label: `实施步骤 ${i + 1}`, va: textCell(ta), vb: textCell(tb), changed: ta !== tb });
  }
  const changed = rows.filter((r) => r.changed).length;
  return h('div',
    h(`p.wp-compare-summary${changed ? '.has-changes' : ''}`,
      changed ? `${a.label}与${b.label}共有 ${changed} 项不同（已高亮）` : `${a.label}与${b.label}内容相同`),
    dataTable([
      {
        primary: true,
        label: '项目',
        render: (r) => h('span', h('span.cell-strong', { text: r.label }), r.changed ? [' ', tag('已修改', 'orange')] : null,
          r.sub && r.changed ? h('div.cell-muted', { text: r.sub }) : null),
      },
      { label: a.label, render: (r) => r.va },
      { label: b.label, render: (r) => r.vb },
    ], rows, { caption: '版本比较', rowClass: (r) => (r.changed ? 'wp-diff-changed' : 'wp-diff-same') }));
}
