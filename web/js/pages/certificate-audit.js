// pages/certificate-audit.js — 认证审核 (#/certification/{enterprise_id}): the
// certification audit of one enterprise (第一、二阶段审核, 不符合项, 认证决定).
// The body the enterprise is assigned to records it (PUT
// /enterprises/{id}/audit); districts, the city and the enterprise read it.
// Below: the certificates issued on it, and 颁发证书 once the decision is
// 批准认证.
import { get, put } from '../api.js';
import { h, statusTag, fmtDate, fmtDateTime } from '../util.js';
import {
  card, field, button, dataTable, setFieldError, clearFormErrors, showFormError, toast, emptyState,
} from '../ui.js';
import { DECISIONS, decisionTag, info, certLink, todayOf } from './certificate-common.js';

export async function render(ctx) {
  const { el, params, user, site } = ctx;
  const id = params.id;
  const [ent, auditRes] = await Promise.all([
    get(`/enterprises/${encodeURIComponent(id)}`),
    get(`/enterprises/${encodeURIComponent(id)}/audit`),
  ]);
  // Certificates on this enterprise (the list has no enterprise filter: search by name).
  const certs = ((await get('/certificates', { q: ent.name, per_page: 50 }).catch(() => ({ items: [] }))).items || [])
    .filter((c) => String(c.enterprise_id) === String(ent.id));
  if (!ctx.isCurrent()) return;
  const audit = auditRes.audit;
  const today = todayOf(site);
  const assignedCb = ent.assignment && ent.assignment.cb;
  const editable = user.role === 'cb_staff' && !!user.unit && !!assignedCb && assignedCb.id === user.unit.id;
  document.title = `${ent.name} 认证审核 - ${document.title.split(' - ').pop()}`;

  const issued = certs.filter((c) => !c.prior);
  const canIssue = editable && audit && audit.decision === 'certify';
  const actions = [];
  if (canIssue && !issued.length) actions.push(h('a.btn.btn-primary', { href: `#/certificates/new?enterprise=${ent.id}` }, '颁发证书'));
  if (user.role !== 'enterprise') actions.push(h('a.btn', { href: `#/enterprises/${ent.id}` }, '企业详情'));
  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.cert-title', h('span', { text: ent.name }), decisionTag(audit ? audit.decision : null)),
      h('p.page-sub', [ent.district, ent.industry ? `试点行业：${ent.industry}` : null,
        assignedCb ? `认证机构：${assignedCb.name}` : '尚未指派认证机构'].filter(Boolean).join(' · '))),
    actions.length ? h('div.page-actions', actions) : null));

  if (editable) {
    if (audit && audit.decision === 'certify' && !issued.length) {
      el.append(h('div.alert.alert-success.cert-next', { role: 'status' },
        h('span', '已作出“批准认证”的决定，可以颁发证书。'), ' ',
        h('a', { href: `#/certificates/new?enterprise=${ent.id}` }, '颁发证书 →')));
    }
    el.append(card(h('div.card-head-row.cert-head-row', h('h2.card-title', '认证审核记录'),
      audit ? h('span.card-note', `最近由 ${audit.updated_by || '—'} 于 ${fmtDateTime(audit.updated_at)} 更新`) : h('span.card-note', '尚未记录')),
    auditForm(ent, audit, today, issued.length > 0, () => ctx.navigate(location.hash))));
  } else {
    el.append(card('认证审核记录', audit ? auditView(audit) : emptyState('尚未记录认证审核',
      assignedCb ? `由“${assignedCb.name}”完成第一、二阶段审核后记录。` : '区市场监管局指派认证机构后，由该机构记录认证审核。')));
  }

  el.append(card('认证证书', dataTable([
    { primary: true, label: '证书编号', render: (c) => certLink(c) },
    { label: '发证机构', key: 'issuer' },
    { label: '颁证日期', render: (c) => fmtDate(c.issue_date), cls: 'nowrap' },
    { label: '有效期至', render: (c) => fmtDate(c.expiry_date), cls: 'nowrap' },
    { label: '参加前已获证', render: (c) => (c.prior ? '是' : '否'), cls: 'nowrap' },
    { label: '状态', render: (c) => statusTag(c.status), cls: 'nowrap' },
  ], certs, { caption: '本企业的认证证书', empty: h('p.cert-none', '本企业还没有认证证书。') })));
}

function auditView(a) {
  return h('dl.cert-info',
    info('第一阶段审核日期', fmtDate(a.stage1_date)),
    info('第二阶段审核日期', fmtDate(a.stage2_date)),
    info('发现不符合项', `${a.nc_found ?? 0} 项`),
    info('已关闭不符合项', `${a.nc_closed ?? 0} 项`),
    info('认证决定', decisionTag(a.decision)),
    info('决定日期', fmtDate(a.decision_date)),
    info('审核组', a.team, { wide: true }),
    info('更新', `${a.updated_by || '—'} · ${fmtDateTime(a.updated_at)}`),
    info('说明', a.notes ? h('span.cert-pre', { text: a.notes }) : null, { cls: 'cert-info-full' }));
}

function auditForm(ent, a, today, locked, reload) {
  const v = a || {};
  const date = (name) => h('input', { type: 'date', name, max: today, value: v[name] || '' });
  const stage1 = date('stage1_date');
  const stage2 = date('stage2_date');
  const decisionDate = date('decision_date');
  const team = h('input', { type: 'text', name: 'team', maxlength: '200', value: v.team || '', placeholder: '如：王强（组长）、刘敏' });
  const num = (name) => h('input', { type: 'number', name, min: '0', step: '1', inputmode: 'numeric', value: v[name] === undefined || v[name] === null ? '0' : String(v[name]) });
  const found = num('nc_found');
  const closed = num('nc_closed');
  const decision = h('select', { name: 'decision' },
    Object.entries(DECISIONS).map(([k, [label]]) => h('option', { value: k, selected: (v.decision || 'pending') === k }, label)));
  const notes = h('textarea', { name: 'notes', rows: '3', maxlength: '1000', value: v.notes || '' });
  const go = button('保存认证审核', { kind: 'primary', type: 'submit' });
  const form = h('form.cert-form.cert-audit-form', { novalidate: true },
    h('fieldset.cert-fieldset',
      h('legend', '审核'),
      h('div.cert-grid',
        field('第一阶段审核日期', stage1, { hint: '不晚于今天' }),
        field('第二阶段审核日期', stage2, { hint: '不早于第一阶段' }),
        h('div.cert-span-all', field('审核组', team, { hint: '审核组成员，注明组长' })),
        field('发现不符合项', found, { hint: '第一、二阶段审核发现的不符合项数' }),
        field('已关闭不符合项', closed, { hint: '不超过发现的项数' }))),
    h('fieldset.cert-fieldset',
      h('legend', '认证决定'),
      h('div.cert-grid',
        field('认证决定', decision, { required: true, hint: locked ? '已颁发证书，认证决定不能再更改' : '批准认证须已完成第二阶段审核、填写决定日期，且不符合项全部关闭' }),
        field('决定日期', decisionDate),
        h('div.cert-span-all', field('说明', notes)))),
    h('div.form-actions', go));
  if (locked) decision.disabled = true;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const n = (input) => (input.value === '' ? 0 : Number(input.value));
    const body = {
      stage1_date: stage1.value || null,
      stage2_date: stage2.value || null,
      team: team.value.trim(),
      nc_found: n(found),
      nc_closed: n(closed),
      decision: decision.value,
      decision_date: decisionDate.value || null,
      notes: notes.value.trim(),
    };
    const errs = [];
    for (const [name, input] of [['nc_found', found], ['nc_closed', closed]]) {
      const x = n(input);
      if (!Number.isInteger(x) || x < 0) errs.push([name, '应为不小于 0 的整数']);
    }
    if (!errs.length && body.nc_closed > body.nc_found) errs.push(['nc_closed', '已关闭的不符合项不能多于发现的不符合项']);
    if (body.stage1_date && body.stage2_date && body.stage2_date < body.stage1_date) errs.push(['stage2_date', '第二阶段审核不能早于第一阶段']);
    if (errs.length) {
      for (const [name, msg] of errs) setFieldError(form, name, msg);
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    go.disabled = true;
    try {
      await put(`/enterprises/${ent.id}/audit`, body);
      toast('认证审核已保存');
      reload();
    } catch (err) {
      showFormError(form, err);
    } finally {
      go.disabled = false;
    }
  });
  return form;
}
