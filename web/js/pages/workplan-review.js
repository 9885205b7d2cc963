// pages/workplan-review.js — one district's work plan for the city
// (#/workplans/{id}): read-only, 退回 (with a required reason) and 通过 while
// it is submitted, the versions with a comparison of any two of them, and the
// history.
import { get, post } from '../api.js';
import { h, statusTag, fmtDateTime } from '../util.js';
import {
  card, button, openDialog, confirmDialog, setFieldError, clearFormErrors, toast, errorBox, uid,
} from '../ui.js';
import { loadProgramme } from '../programme.js';
import {
  lateTag, planTitle, planDeadline, deadlineBanner, returnReasonBox, planView, versionsTable, historyTable, compareView,
} from './workplan-common.js';

export async function render(ctx) {
  const { el, params, site } = ctx;
  const [prog, plan] = await Promise.all([loadProgramme(site), get(`/workplans/${encodeURIComponent(params.id)}`)]);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate(location.hash);
  const title = planTitle(plan);
  document.title = `${title} - ${document.title.split(' - ').pop()}`;

  const actions = [];
  if (plan.status === 'submitted') {
    actions.push(button('退回', { kind: 'warning', id: 'wp-return', onClick: () => returnDialog(plan, reload) }),
      button('通过', { kind: 'primary', id: 'wp-approve', onClick: () => approveDialog(plan, title, reload) }));
  }
  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.wp-page-title', { text: title }, statusTag(plan.status), lateTag(plan)),
      h('p.page-sub', [plan.unit && plan.unit.name, plan.submitted_at ? `提交于 ${fmtDateTime(plan.submitted_at)}` : '尚未提交',
        plan.approved_at ? `通过于 ${fmtDateTime(plan.approved_at)}` : null, `当前第 ${plan.version || 0} 版`].filter(Boolean).join(' · '))),
    actions.length ? h('div.page-actions', actions) : null));

  el.append(deadlineBanner(planDeadline(plan, prog), plan, { allowLate: !prog || prog.allow_late !== false, forUnit: false }));
  const returned = returnReasonBox(plan, { forUnit: false });
  if (returned) el.append(returned);
  if (plan.status === 'draft') el.append(h('div.alert.alert-info', '该区尚未提交，以下为草稿内容，提交后方可审核。'));

  el.append(card(null, planView(plan)));
  if ((plan.versions || []).length) el.append(card('版本记录', versionsTable(plan), compareView(plan)));
  el.append(card('办理记录', historyTable(plan)));
}

function returnDialog(plan, reload) {
  const reason = h('textarea', { id: uid('reason'), name: 'reason', rows: '4', maxlength: '500' });
  const box = h('div.dialog-form',
    h('p', '退回后，区市场监管局可以修改工作方案并重新提交。请写明需要修改的内容。'),
    h('div.field', { dataset: { field: 'reason' } },
      h('label', { for: reason.id }, '退回理由', h('span.req', { 'aria-hidden': 'true' }, '*')),
      reason,
      h('p.field-hint', '不超过 500 字，区市场监管局在“工作方案”中可以看到。')));
  const done = openDialog({
    title: '退回工作方案',
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
            await post(`/workplans/${plan.id}/return`, { reason: text });
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
  done.then((v) => { if (v) { toast('工作方案已退回'); reload(); } });
}

async function approveDialog(plan, title, reload) {
  const ok = await confirmDialog({
    title: '通过工作方案',
    message: `确定通过“${title}”吗？通过后该区不能再修改工作方案。`,
    confirmLabel: '确认通过',
  });
  if (!ok) return;
  try {
    await post(`/workplans/${plan.id}/approve`);
    toast('工作方案已通过');
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
  reload();
}
