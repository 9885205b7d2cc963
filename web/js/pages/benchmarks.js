// pages/benchmarks.js — 标杆企业 (#/benchmarks, city_admin and district officers).
// The quota status per district × pilot industry (1–2 nominations each) comes
// first. A district nominates its own pilot enterprises with a reason (the
// server refuses a third in one industry with 409 quota_exceeded — its message
// is shown under the form) and withdraws a nomination until the result is
// published. Each city_admin user is one reviewer: the city sees every
// reviewer's score, the mean and the count, enters or revises its own score,
// ticks the nominations that are selected and publishes the round after a
// confirmation; the rest become 未入选. A district sees how many reviewers have
// scored and, after publication, the mean score and the result.
import { get, post, put, del } from '../api.js';
import { h } from '../util.js';
import {
  pageHeader, card, dataTable, emptyState, errorBox, button, openDialog, confirmDialog, setFieldError,
  clearFormErrors, showFormError, toast, uid, field,
} from '../ui.js';
import { allPages } from './enterprise-common.js';
import { benchTag, quotaTag, fmtScore } from './case-common.js';

export async function render(ctx) {
  const { el, user } = ctx;
  const city = user.role === 'city_admin';
  const reload = () => ctx.navigate(location.hash);

  el.append(pageHeader('标杆企业', {
    sub: city
      ? '各试点地区每个试点行业推荐 1–2 家标杆企业。每位市局评审人员（市局管理员账号）分别打分，择优确定入选名单后统一公布；入选名单向公众公开。'
      : '每个试点行业推荐 1–2 家本区试点企业作为标杆企业，写明推荐理由；市局评审后统一公布入选名单。',
    actions: [h('a.btn', { href: '/cases.html?tab=benchmarks', target: '_blank', rel: 'noopener' }, '公开名单')],
  }));

  const data = await get('/benchmarks', { per_page: 200 });
  if (!ctx.isCurrent()) return;
  const items = data.items || [];
  const quota = data.quota || { min: 1, max: 2 };

  el.append(card(h('div.card-head-row', h('h2.card-title', '推荐名额'),
    h('span.card-note', `每个试点行业 ${quota.min}–${quota.max} 家`)), quotaTable(data.by_industry || [], quota, city)));

  if (!city) {
    el.append(await nominateCard(ctx, data, reload));
    if (!ctx.isCurrent()) return;
  }
  el.append(card(h('div.card-head-row', h('h2.card-title', city ? '推荐名单与评审' : '本区推荐'),
    h('span.card-note', `共 ${data.total || 0} 家`)),
  city ? cityList(items, data, quota, reload) : districtList(items, reload)));
}

function quotaTable(rows, quota, city) {
  return dataTable([
    city ? { label: '所属区', render: (r) => r.district, cls: 'nowrap' } : null,
    { primary: true, label: '试点行业', render: (r) => h('span.cell-strong', { text: r.industry }) },
    { label: '已推荐', render: (r) => h('span.bench-count', `${r.nominated} / ${quota.max}`), cls: 'nowrap' },
    { label: '名额状态', render: (r) => quotaTag(r.state), cls: 'nowrap' },
    { label: '已入选', render: (r) => (r.selected ? `${r.selected} 家` : '—'), cls: 'nowrap' },
  ].filter(Boolean), rows, {
    caption: '各试点行业推荐名额',
    rowClass: (r) => `bench-quota-row bench-quota-${r.state}`,
    empty: emptyState('暂无试点行业', '试点企业确定帮扶认证机构后，其试点行业会显示在这里。'),
  });
}

// ---- District: nominate and withdraw --------------------------------------

async function nominateCard(ctx, data, reload) {
  let ents = [];
  try {
    ents = await allPages('/enterprises', { assigned: 'true' });
  } catch (err) {
    return card('推荐标杆企业', errorBox(err));
  }
  const taken = new Set((data.items || []).map((b) => b.enterprise.id));
  const full = new Set((data.by_industry || []).filter((r) => r.nominated >= (data.quota || {}).max).map((r) => r.industry));
  const entSel = h('select', { name: 'enterprise_id' }, h('option', { value: '' }, '请选择本区试点企业'),
    ents.filter((e) => !taken.has(e.id)).map((e) => h('option', { value: String(e.id) },
      `${e.name}（${e.industry}${full.has(e.industry) ? '，名额已满' : ''}）`)));
  const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '500' });
  const form = h('form.form.bench-form', { novalidate: true, id: 'bench-form' },
    h('div.bench-form-grid',
      field('试点企业', entSel, { required: true, hint: '仅列出已确定帮扶认证机构的本区试点企业。' }),
      field('推荐理由', reason, { required: true, hint: '提升成效、可复制的做法等，不超过 500 字。' })),
    h('div.form-actions', h('button.btn.btn-primary', { type: 'submit', id: 'bench-nominate' }, '推荐')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    let ok = true;
    if (!entSel.value) { setFieldError(form, 'enterprise_id', '请选择试点企业'); ok = false; }
    if (!reason.value.trim()) { setFieldError(form, 'reason', '请填写推荐理由'); ok = false; }
    if (!ok) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    try {
      await post('/benchmarks', { enterprise_id: Number(entSel.value), reason: reason.value.trim() });
      toast('已推荐');
      reload();
    } catch (err) {
      showFormError(form, err);
    }
  });
  return card('推荐标杆企业', form);
}

function districtList(items, reload) {
  return dataTable([
    { primary: true, label: '企业', render: (b) => h('span.cell-strong', { text: b.enterprise.name }) },
    { label: '试点行业', render: (b) => b.industry, cls: 'nowrap' },
    { label: '推荐理由', render: (b) => h('span.bench-reason', { text: b.reason }) },
    { label: '评审', render: (b) => (b.mean_score !== null && b.mean_score !== undefined
      ? h('span.bench-mean', `平均 ${fmtScore(b.mean_score)} 分`) : b.reviewers ? `${b.reviewers} 位评审已打分` : '尚未评分'), cls: 'nowrap' },
    { label: '状态', render: (b) => benchTag(b.status), cls: 'nowrap' },
    {
      label: '操作',
      cls: 'col-actions',
      render: (b) => (b.published_at ? null : button('撤回', {
        kind: 'link', dataset: { id: String(b.id) },
        onClick: async () => {
          if (!(await confirmDialog({ title: '撤回推荐', message: `确定撤回对“${b.enterprise.name}”的推荐吗？撤回后名额可推荐其他企业。`, confirmLabel: '确认撤回', danger: true }))) return;
          try {
            await del(`/benchmarks/${b.id}`);
            toast('已撤回推荐');
          } catch (err) {
            toast(err.message, 'error');
          }
          reload();
        },
      })),
    },
  ], items, {
    caption: '本区推荐的标杆企业',
    rowClass: (b) => `bench-row bench-row-${b.status}`,
    empty: emptyState('尚未推荐标杆企业', '在上方选择本区试点企业并填写推荐理由。'),
  });
}

// ---- City: scores, selection, publication ---------------------------------

function cityList(items, data, quota, reload) {
  const pending = items.filter((b) => !b.published_at);
  const picks = new Map(); // id → checkbox
  const table = dataTable([
    {
      label: '入选',
      cls: 'col-pick',
      render: (b) => {
        if (b.published_at) return benchTag(b.status);
        const box = h('input', { type: 'checkbox', name: 'selected', value: String(b.id), id: uid('pick'),
          disabled: !b.reviewers, 'aria-label': `${b.enterprise.name} 入选` });
        picks.set(b.id, box);
        return h('label.bench-pick', { for: box.id, title: b.reviewers ? '勾选为入选' : '尚无评分，不能入选' }, box);
      },
    },
    { primary: true, label: '企业', render: (b) => h('span.bench-ent', h('span.cell-strong', { text: b.enterprise.name }),
      h('span.bench-ent-meta', `${b.district} · ${b.industry}`)) },
    { label: '推荐理由', render: (b) => h('span.bench-reason', { text: b.reason }) },
    {
      label: '评审打分',
      render: (b) => ((b.scores || []).length
        ? h('ul.bench-scores', b.scores.map((s) => h('li', { title: s.comment || '' },
          h('span.bench-reviewer', { text: s.reviewer_name || s.reviewer }), h('span.bench-score', String(s.score)))))
        : h('span.cell-muted', '尚无评分')),
    },
    { label: '平均分', render: (b) => h('span.bench-mean', b.mean_score === null ? '—' : fmtScore(b.mean_score)), cls: 'nowrap bench-num' },
    { label: '评审人数', render: (b) => `${b.reviewers} 人`, cls: 'nowrap bench-num' },
    {
      label: '我的评分',
      cls: 'col-actions',
      render: (b) => (b.published_at
        ? (b.my_score ? String(b.my_score.score) : '—')
        : button(b.my_score ? `${b.my_score.score} 分 · 修改` : '评分', {
          kind: b.my_score ? 'small' : 'primary',
          class: 'btn-small bench-score-btn',
          dataset: { id: String(b.id) },
          onClick: () => scoreDialog(b, reload),
        })),
    },
  ], items, {
    caption: '标杆企业推荐名单与评审',
    rowClass: (b) => `bench-row bench-row-${b.status}`,
    empty: emptyState('各区尚未推荐标杆企业', '试点地区推荐后，在这里评分和确定入选名单。'),
  });
  if (!pending.length) {
    const done = items.some((b) => b.published_at);
    return h('div', table, done ? h('p.bench-published-note', '评选结果已公布。') : null);
  }
  const err = h('div.bench-publish-error');
  const publishBtn = button('公布评选结果', {
    kind: 'primary', id: 'bench-publish',
    onClick: async () => {
      err.replaceChildren();
      const selected = [...picks.entries()].filter(([, box]) => box.checked).map(([id]) => id);
      const names = pending.filter((b) => selected.includes(b.id)).map((b) => b.enterprise.name);
      const ok = await confirmDialog({
        title: '公布评选结果',
        message: h('div',
          h('p', { text: `将公布 ${pending.length} 家推荐企业的评选结果：入选 ${selected.length} 家，其余 ${pending.length - selected.length} 家为“未入选”。公布后不能再修改评分和名单，入选名单向公众公开。` }),
          names.length ? h('ul.bench-confirm-list', names.map((n) => h('li', { text: n }))) : h('p.cell-muted', '未勾选任何企业。')),
        confirmLabel: '确认公布',
      });
      if (!ok) return;
      try {
        await post('/benchmarks/publish', { selected });
        toast('评选结果已公布');
        reload();
      } catch (e) {
        err.replaceChildren(h('div.alert.alert-error', { role: 'alert', text: e.message }));
      }
    },
  });
  return h('div', table, err,
    h('div.bench-publish-bar', h('p.bench-publish-hint',
      `勾选入选企业后公布（每个区的每个试点行业最多 ${quota.max} 家；尚无评分的不能入选）。待公布 ${data.pending ?? pending.length} 家。`),
    publishBtn));
}

function scoreDialog(b, reload) {
  const score = h('input', { type: 'number', name: 'score', min: '0', max: '100', step: '1', inputmode: 'numeric',
    value: b.my_score ? String(b.my_score.score) : '' });
  const comment = h('textarea', { name: 'comment', rows: '3', maxlength: '500' });
  comment.value = b.my_score ? b.my_score.comment || '' : '';
  const box = h('div.dialog-form.case-dialog-form',
    h('p', { text: `${b.enterprise.name}（${b.district} · ${b.industry}）` }),
    field('评分', score, { required: true, hint: '0–100 的整数；公布前可以修改。' }),
    field('评审意见', comment, { hint: '选填，不超过 500 字。' }));
  const done = openDialog({
    title: b.my_score ? '修改评分' : '评分',
    body: box,
    actions: [
      { label: '取消', value: false },
      {
        label: '保存评分',
        kind: 'primary',
        value: true,
        before: async () => {
          clearFormErrors(box);
          const v = score.value.trim();
          if (!/^\d{1,3}$/.test(v) || Number(v) > 100) { setFieldError(box, 'score', '评分应为 0–100 的整数'); score.focus(); return false; }
          try {
            await put(`/benchmarks/${b.id}/scores`, { score: Number(v), comment: comment.value.trim() });
            return true;
          } catch (e) {
            if (!setFieldError(box, e.field || 'score', e.message)) box.prepend(errorBox(e));
            return false;
          }
        },
      },
    ],
  });
  score.focus();
  done.then((v) => { if (v) { toast('评分已保存'); reload(); } });
}

