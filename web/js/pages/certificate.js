// pages/certificate.js — 证书详情 (#/certificates/{id}): the certificate's
// fields (CNCA registry fields), the printable PDF, the QR code of the public
// verification page, the surveillance schedule and records (the issuing body
// records a 监督审核), the status buttons allowed from today's status for
// whoever may change it (each asks for a date and a reason), and the change
// history at the bottom.
import { get, post } from '../api.js';
import { h, statusTag, fmtDate, fmtDateTime, daysLeftText, STATUS } from '../util.js';
import {
  card, button, dataTable, openDialog, setFieldError, clearFormErrors, showFormError, toast, field, emptyState,
} from '../ui.js';
import {
  ACTIONS, RESULTS, allowedActions, canChangeStatus, canRecordSurveillance, resultTag, priorTag, info, survState,
  todayOf,
} from './certificate-common.js';

export async function render(ctx) {
  const { el, params, user, site } = ctx;
  const cert = await get(`/certificates/${encodeURIComponent(params.id)}`);
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.navigate(location.hash);
  const today = todayOf(site);
  document.title = `${cert.number} - ${document.title.split(' - ').pop()}`;

  // Header: number, holder, status tag; PDF and the status buttons.
  const actions = [h('a.btn', { href: `/api/v1/certificates/${cert.id}.pdf`, target: '_blank', rel: 'noopener', id: 'cert-pdf' }, '打印证书(PDF)')];
  if (canChangeStatus(cert, user)) {
    for (const key of allowedActions(cert)) {
      const a = ACTIONS[key];
      actions.push(button(a.label, { kind: a.kind, dataset: { action: key }, onClick: () => statusDialog(cert, key, today, reload) }));
    }
  }
  el.append(h('div.page-header.cert-header',
    h('div.page-header-text',
      h('h1.page-title.cert-title', h('span.cert-title-number', { text: cert.number }), statusTag(cert.status), priorTag(cert)),
      h('p.page-sub.cert-holder-line', h('span', { text: cert.holder }),
        cert.issuer ? h('span.cert-sub-issuer', { text: `发证机构：${cert.issuer}` }) : null)),
    h('div.page-actions.cert-actions', actions)));

  const warn = warnings(cert);
  if (warn) el.append(warn);
  if (cert.status !== cert.stored_status && cert.status === 'expired') {
    el.append(h('div.alert.alert-info', `证书已于 ${fmtDate(cert.expiry_date)} 到期，状态按今天的日期显示为“过期”。`));
  }

  el.append(h('div.cert-detail-grid',
    card('证书信息', certInfo(cert)),
    card('证书查询二维码', qrBlock(cert))));
  el.append(surveillanceCard(cert, user, today, reload));
  el.append(card('状态变更记录', historyTable(cert)));
}

function warnings(cert) {
  const msgs = [];
  const s = cert.surveillance || {};
  if (cert.must_withdraw) {
    msgs.push(`证书自 ${fmtDate(cert.status_date)} 起暂停已超过 6 个月，应予撤销。`);
  }
  if (cert.must_suspend) {
    msgs.push(`监督审核已逾期（应于 ${fmtDate(s.next_due)} 前完成，${daysLeftText(s.days_left)}），应暂停证书。`);
  }
  if (!msgs.length) return null;
  return h('div.alert.alert-error.cert-warning', { role: 'alert' },
    h('strong.cert-warning-title', '认证监管提示'),
    h('ul.cert-warning-list', msgs.map((m) => h('li', { text: m }))));
}

function certInfo(c) {
  const statusLine = h('span.cert-status-line', statusTag(c.status),
    c.status_date ? h('span.cell-muted', ` 自 ${fmtDate(c.status_date)}`) : null);
  // Three columns; the wide items (two columns) are paired with a narrow one
  // so that the rows stay full.
  return h('dl.cert-info',
    info('证书编号', h('code.cert-code', { text: c.number })),
    info('状态', statusLine),
    info('参加行动前已获证', c.prior ? '是' : '否'),
    info('获证组织', c.holder, { wide: true }),
    info('统一社会信用代码', c.uscc ? h('code.cert-code', { text: c.uscc }) : null),
    info('认证范围', c.scope, { wide: true }),
    info('覆盖人数', c.headcount === null || c.headcount === undefined ? null : `${c.headcount} 人`),
    info('认证依据', c.standard),
    info('认证项目', c.scheme),
    info('发证机构', c.issuer),
    info('初次颁证日期', fmtDate(c.first_issue_date)),
    info('颁证日期', fmtDate(c.issue_date)),
    info('有效期至', fmtDate(c.expiry_date)),
    info('注册地址', c.address, { wide: true }),
    info('所属区', c.district),
    info('认证覆盖的场所', c.sites, { wide: true }),
    info('试点行业', c.industry),
    c.status_reason ? info('状态变更原因', c.status_reason, { wide: true }) : null,
    c.enterprise_id ? info('试点企业', h('span.cert-links',
      h('a', { href: `#/enterprises/${c.enterprise_id}` }, '企业详情'),
      h('a', { href: `#/certification/${c.enterprise_id}` }, '认证审核'))) : null);
}

function qrBlock(c) {
  const verifyHref = `/verify?number=${encodeURIComponent(c.number)}`;
  return h('div.cert-qr',
    h('img.cert-qr-img', {
      src: `/api/v1/public/certificates/${encodeURIComponent(c.number)}/qr.svg`,
      alt: `证书 ${c.number} 的查询二维码`,
      width: '164', height: '164',
    }),
    h('div.cert-qr-text',
      h('p', '扫描二维码或打开下面的链接，可在证书查询页面核验本证书的状态（无需登录）。'),
      h('p', h('a.cert-verify-link', { href: verifyHref, target: '_blank', rel: 'noopener' }, '证书查询页面 ↗')),
      c.verify_url ? h('p.cell-muted.cert-verify-url', { text: `二维码地址：${c.verify_url}` }) : null));
}

// ---- 监督审核 ---------------------------------------------------------------

function surveillanceCard(cert, user, today, reload) {
  const s = cert.surveillance || {};
  const st = survState(cert);
  const active = cert.status === 'valid' || cert.status === 'suspended';
  const done = Number(s.done) || 0;
  const required = Number(s.required) || 2;
  const schedule = h('div.cert-schedule',
    h('div.cert-sched-item',
      h('span.cert-sched-label', '本周期监督审核'),
      h(`span.cert-sched-value${done >= required ? '.cert-sched-ok' : ''}`, `已做 ${done} / 应做 ${required}`)),
    h('div.cert-sched-item',
      h('span.cert-sched-label', '下次截止'),
      active && s.next_due
        ? h(`span.cert-sched-value.cert-due-${st}`, h('span', s.next_due), ' ',
          h('span.cert-sched-days', s.overdue ? `已逾期 ${Math.abs(s.days_left)} 天` : daysLeftText(s.days_left)))
        : h('span.cert-sched-value.cell-muted', active ? '—' : `证书${(STATUS[cert.status] || [''])[0]}，不再安排`)),
    h('p.cert-sched-rule', '首次监督审核应在颁证后 12 个月内完成，此后间隔不超过 12 个月，每个认证周期至少 2 次；“未通过”不计入已做次数。'));

  const warnList = [];
  if (cert.must_suspend) warnList.push('监督审核逾期，应暂停证书。');
  if (cert.must_withdraw) warnList.push('证书暂停已超过 6 个月，应撤销证书。');

  const records = dataTable([
    { primary: true, label: '审核日期', render: (r) => fmtDate(r.audit_date), cls: 'nowrap' },
    { label: '结论', render: (r) => resultTag(r.result), cls: 'nowrap' },
    { label: '说明', render: (r) => (r.notes ? h('span.cert-pre', { text: r.notes }) : '—') },
    { label: '登记人', render: (r) => r.created_by || '—', cls: 'nowrap' },
    { label: '登记时间', render: (r) => fmtDateTime(r.created_at), cls: 'nowrap' },
  ], cert.surveillances || [], {
    caption: '监督审核记录',
    empty: h('p.cert-none', '尚无监督审核记录。'),
  });

  const parts = [schedule,
    warnList.length ? h('div.cert-surv-warn', { role: 'alert' }, warnList.map((m) => h('p', { text: m }))) : null,
    h('h3.cert-subtitle', '监督审核记录'), records];
  if (canRecordSurveillance(cert, user) && active) parts.push(surveillanceForm(cert, today, reload));
  return card('监督审核', ...parts);
}

function surveillanceForm(cert, today, reload) {
  const max = today < cert.expiry_date ? today : cert.expiry_date;
  const date = h('input', { type: 'date', name: 'audit_date', value: max, min: cert.issue_date, max });
  const result = h('select', { name: 'result' },
    Object.entries(RESULTS).map(([v, [label]]) => h('option', { value: v }, label)));
  const notes = h('textarea', { name: 'notes', rows: '2', maxlength: '500', placeholder: '如：审核组成员、发现的不符合项及整改情况' });
  const go = button('登记监督审核', { kind: 'primary', type: 'submit' });
  const form = h('form.cert-surv-form', { novalidate: true },
    h('h3.cert-subtitle', '登记监督审核'),
    h('div.cert-grid.cert-grid-3',
      field('审核日期', date, { required: true, hint: `${fmtDate(cert.issue_date)} 至 ${max} 之间` }),
      field('审核结论', result, { required: true }),
      h('div.cert-span-all', field('说明', notes))),
    h('div.form-actions', go));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    if (!date.value) { setFieldError(form, 'audit_date', '请填写审核日期'); date.focus(); return; }
    go.disabled = true;
    try {
      await post(`/certificates/${cert.id}/surveillances`, { audit_date: date.value, result: result.value, notes: notes.value.trim() });
      toast('监督审核已登记');
      reload();
    } catch (err) {
      showFormError(form, err);
    } finally {
      go.disabled = false;
    }
  });
  return form;
}

// ---- 状态变更 ---------------------------------------------------------------

function statusDialog(cert, key, today, reload) {
  const a = ACTIONS[key];
  const min = cert.status_date && cert.status_date <= today ? cert.status_date : undefined;
  const date = h('input', { type: 'date', name: 'date', value: today, max: today, min });
  const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '500' });
  const box = h('form.dialog-form.cert-status-form', { novalidate: true },
    h('p.cert-dialog-intro',
      h('span', `证书 ${cert.number}（${cert.holder}）：`), statusTag(cert.status), h('span', ' → '), statusTag(a.to)),
    h('p.dialog-note', { text: a.hint }),
    field('变更日期', date, { required: true, hint: min ? `不早于当前状态日期 ${min}，不晚于今天 ${today}` : `不晚于今天 ${today}` }),
    field(`${a.label}原因`, reason, { required: true, hint: '不超过 500 字，将记入状态变更记录' }));
  box.addEventListener('submit', (e) => e.preventDefault());
  const done = openDialog({
    title: a.verb,
    body: box,
    className: 'dialog-wide',
    actions: [
      { label: '取消', value: false },
      {
        label: `确认${a.label}`,
        kind: a.kind,
        value: true,
        before: async () => {
          clearFormErrors(box);
          const text = reason.value.trim();
          let bad = false;
          if (!date.value) { setFieldError(box, 'date', '请填写变更日期'); bad = true; }
          if (!text) { setFieldError(box, 'reason', `请填写${a.label}原因`); bad = true; }
          if (bad) { box.querySelector('[aria-invalid="true"]').focus(); return false; }
          try {
            await post(`/certificates/${cert.id}/${key}`, { date: date.value, reason: text });
            return true;
          } catch (err) {
            showFormError(box, err);
            return false;
          }
        },
      },
    ],
  });
  reason.focus();
  done.then((v) => { if (v) { toast(`证书已${a.label}`); reload(); } });
}

function historyTable(cert) {
  const rows = [...(cert.history || [])].reverse();
  return dataTable([
    { primary: true, label: '日期', render: (r) => fmtDate(r.date), cls: 'nowrap' },
    {
      label: '原状态 → 新状态',
      render: (r) => h('span.cert-change', r.from ? [statusTag(r.from), h('span.cert-arrow', { 'aria-label': '变更为' }, '→')] : h('span.cell-muted', '新登记 → '), statusTag(r.to)),
      cls: 'nowrap',
    },
    { label: '原因', render: (r) => (r.reason ? h('span.cert-pre', { text: r.reason }) : '—') },
    { label: '操作人', render: (r) => r.username || '—', cls: 'nowrap' },
    { label: '操作时间', render: (r) => fmtDateTime(r.at), cls: 'nowrap' },
  ], rows, {
    caption: '状态变更记录',
    empty: emptyState('暂无状态变更记录'),
  });
}
