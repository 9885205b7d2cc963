// pages/certificate-new.js — 颁发证书 (#/certificates/new, cb_staff): choose an
// enterprise assigned to the body, see its certification audit (a certificate
// needs the decision 批准认证), fill in the certificate; the server's field
// errors appear under their inputs. #/certificates/new?prior=1 (district,
// city) is 登记已有证书: a certificate the enterprise held before joining the
// action, with the name of the body that issued it.
// ?enterprise=ID preselects the enterprise.
import { get, post } from '../api.js';
import { h, fmtDate } from '../util.js';
import {
  pageHeader, card, field, button, setFieldError, clearFormErrors, showFormError, toast, emptyState, errorBox,
} from '../ui.js';
import {
  DEFAULT_STANDARD, DEFAULT_SCHEME, decisionTag, todayOf, retitle, info,
} from './certificate-common.js';

const NUMBER_RE = /^[A-Z0-9\-/()]{4,40}$/;

// expiry at most 36 months after issue, inclusive (the day before the same
// date three years on is the usual last day; the server allows up to it).
function addYears(date, years) {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y + years, m - 1, d));
  if (t.getUTCMonth() !== m - 1) t.setUTCDate(0); // 29 Feb → 28 Feb
  return t.toISOString().slice(0, 10);
}
function minusDay(date) {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

export async function render(ctx) {
  const { el, user, site, query } = ctx;
  const role = user.role;
  const prior = query.get('prior') === '1' && (role === 'district_officer' || role === 'city_admin');
  const today = todayOf(site);
  if (prior) retitle('登记已有证书');
  if (!prior && role !== 'cb_staff') {
    el.append(pageHeader('颁发证书'),
      emptyState('证书由认证机构颁发', '区市场监管局和市局可以登记试点企业参加行动前已获得的证书。',
        h('a.btn.btn-primary', { href: '#/certificates/new?prior=1' }, '登记已有证书')));
    return;
  }

  const list = await get('/enterprises', { per_page: 200 });
  if (!ctx.isCurrent()) return;
  const ents = (list && list.items) || [];
  el.append(pageHeader(prior ? '登记已有证书' : '颁发证书', {
    sub: prior
      ? '登记试点企业在参加提升行动前已获得的质量管理体系认证证书（计入“参加前已获证”）。'
      : '为指派给本机构的试点企业颁发质量管理体系认证证书。颁发前须记录认证审核并作出“批准认证”的决定。',
    actions: [h('a.btn', { href: '#/certificates' }, '返回证书列表')],
  }));
  if (!ents.length) {
    el.append(card(null, emptyState(prior ? '暂无试点企业' : '还没有指派给本机构的企业',
      prior ? '请先在企业名录中登记试点企业。' : '区市场监管局将试点企业指派给本机构后，才能为其颁发证书。')));
    return;
  }

  const pre = query.get('enterprise') || '';
  const entSel = h('select', { name: 'enterprise_id' },
    h('option', { value: '' }, '请选择企业'),
    ents.map((e) => h('option', { value: String(e.id), selected: String(e.id) === pre }, `${e.name}（${e.district || ''}${e.industry ? ` · ${e.industry}` : ''}）`)));
  const auditBox = h('div.cert-audit-box', { 'aria-live': 'polite' });

  const inp = (name, attrs = {}) => h('input', { type: 'text', name, ...attrs });
  const issuer = prior ? inp('issuer_name', { maxlength: '100', placeholder: '如：某某认证有限公司' }) : null;
  const number = inp('number', { maxlength: '40', autocapitalize: 'characters', spellcheck: 'false', autocomplete: 'off', class: 'cert-mono', placeholder: prior ? '如 00219Q21001R0S' : '如 HLQC-2021-Q-0031' });
  const scope = h('textarea', { name: 'scope', rows: '2', maxlength: '500', placeholder: '如：集成电路设计及相关技术服务' });
  const sites = h('textarea', { name: 'sites', rows: '2', maxlength: '500', placeholder: '不填写时为企业注册地址' });
  const standard = inp('standard', { value: DEFAULT_STANDARD, maxlength: '100' });
  const scheme = inp('scheme', { value: DEFAULT_SCHEME, maxlength: '100' });
  const firstIssue = h('input', { type: 'date', name: 'first_issue_date', max: today });
  const issue = h('input', { type: 'date', name: 'issue_date', max: today, value: prior ? '' : today });
  const expiry = h('input', { type: 'date', name: 'expiry_date' });
  const headcount = h('input', { type: 'number', name: 'headcount', min: '1', step: '1', inputmode: 'numeric' });
  const expiryHint = h('span');
  const syncExpiry = () => {
    if (!issue.value) { expiry.removeAttribute('min'); expiry.removeAttribute('max'); expiryHint.textContent = '最长 3 年'; return; }
    const last = minusDay(addYears(issue.value, 3));
    expiry.min = issue.value;
    expiry.max = addYears(issue.value, 3);
    expiryHint.textContent = `最长 3 年（通常为 ${last}）`;
  };
  issue.addEventListener('change', syncExpiry);
  syncExpiry();

  const go = button(prior ? '登记证书' : '颁发证书', { kind: 'primary', type: 'submit' });
  const form = h('form.cert-form', { novalidate: true },
    h('fieldset.cert-fieldset',
      h('legend', '获证组织'),
      field('试点企业', entSel, { required: true, hint: prior ? '本区（市局：全市）登记的试点企业' : '指派给本机构的试点企业' }),
      prior ? null : auditBox),
    h('fieldset.cert-fieldset',
      h('legend', '证书信息'),
      h('div.cert-grid',
        prior ? h('div.cert-span-all', field('原发证机构', issuer, { required: true, hint: '颁发该证书的认证机构全称' })) : null,
        field('证书编号', number, { required: true, hint: '4–40 位大写字母、数字或 - / ( )' }),
        field('覆盖人数', headcount, { required: true, hint: '认证覆盖的员工人数' }),
        h('div.cert-span-all', field('认证范围', scope, { required: true })),
        h('div.cert-span-all', field('认证覆盖的场所', sites)),
        field('认证依据', standard, { required: true }),
        field('认证项目', scheme, { required: true }),
        field('初次颁证日期', firstIssue, { hint: '不填写时与颁证日期相同' }),
        field('颁证日期', issue, { required: true, hint: '不晚于今天' }),
        field('有效期至', expiry, { required: true, hint: '最长 3 年' }))),
    h('div.form-actions', go, h('a.btn', { href: '#/certificates' }, '取消')));
  // The expiry hint follows the chosen issue date.
  const expHint = form.querySelector(`#${CSS.escape(expiry.id)}-hint`);
  if (expHint) expHint.replaceChildren(expiryHint);
  el.append(card(null, form));

  // The chosen enterprise's audit (bodies only).
  let auditSeq = 0;
  const showAudit = async () => {
    if (prior) return;
    const seq = ++auditSeq;
    const id = entSel.value;
    if (!id) { auditBox.replaceChildren(); return; }
    auditBox.replaceChildren(h('p.loading', '正在读取认证审核…'));
    let audit = null;
    try { audit = (await get(`/enterprises/${encodeURIComponent(id)}/audit`)).audit; } catch (err) {
      if (seq === auditSeq) auditBox.replaceChildren(errorBox(err));
      return;
    }
    if (seq !== auditSeq) return;
    auditBox.replaceChildren(auditSummary(id, audit));
  };
  entSel.addEventListener('change', showAudit);
  showAudit();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const body = {
      enterprise_id: entSel.value ? Number(entSel.value) : null,
      number: number.value.trim(),
      scope: scope.value.trim(),
      sites: sites.value.trim(),
      standard: standard.value.trim(),
      scheme: scheme.value.trim(),
      first_issue_date: firstIssue.value || null,
      issue_date: issue.value || null,
      expiry_date: expiry.value || null,
      headcount: headcount.value === '' ? null : Number(headcount.value),
    };
    if (prior) { body.prior = true; body.issuer_name = issuer.value.trim(); }
    const errs = [];
    if (!body.enterprise_id) errs.push(['enterprise_id', '请选择试点企业']);
    if (prior && !body.issuer_name) errs.push(['issuer_name', '请填写原发证机构名称']);
    if (!body.number) errs.push(['number', '请填写证书编号']);
    else if (!NUMBER_RE.test(body.number)) errs.push(['number', '证书编号应为 4–40 位大写字母、数字或 - / ( )']);
    if (body.headcount === null) errs.push(['headcount', '请填写覆盖人数']);
    else if (!Number.isInteger(body.headcount) || body.headcount < 1) errs.push(['headcount', '覆盖人数应为正整数']);
    if (!body.scope) errs.push(['scope', '请填写认证范围']);
    if (!body.standard) errs.push(['standard', '请填写认证依据']);
    if (!body.scheme) errs.push(['scheme', '请填写认证项目']);
    if (!body.issue_date) errs.push(['issue_date', '请填写颁证日期']);
    if (!body.expiry_date) errs.push(['expiry_date', '请填写有效期截止日期']);
    else if (body.issue_date && body.expiry_date <= body.issue_date) errs.push(['expiry_date', '有效期截止日期应晚于颁证日期']);
    if (errs.length) {
      for (const [name, msg] of errs) setFieldError(form, name, msg);
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    if (!body.sites) delete body.sites;
    if (!body.first_issue_date) delete body.first_issue_date;
    go.disabled = true;
    try {
      const cert = await post('/certificates', body);
      toast(prior ? `证书 ${cert.number} 已登记` : `证书 ${cert.number} 已颁发`);
      ctx.navigate(`#/certificates/${cert.id}`);
    } catch (err) {
      if (err.status === 409 && !err.field && !prior) {
        // No certify decision yet: say so with the way to the audit form.
        const id = entSel.value;
        form.prepend(h('div.alert.alert-error.form-error.cert-need-audit', { role: 'alert' },
          h('span', { text: err.message }), ' ',
          h('a', { href: `#/certification/${id}` }, '记录认证审核 →')));
        form.querySelector('.cert-need-audit a').focus();
      } else {
        showFormError(form, err);
      }
    } finally {
      go.disabled = false;
    }
  });
}

function auditSummary(id, a) {
  const link = h('a.btn.btn-small', { href: `#/certification/${id}` }, a ? '查看/修改认证审核' : '记录认证审核');
  if (!a) {
    return h('div.cert-audit-sum.cert-audit-sum-none',
      h('p', h('strong', '尚未记录认证审核。'), '请先记录第一、二阶段审核和“批准认证”的认证决定，再颁发证书。'), link);
  }
  const ok = a.decision === 'certify';
  return h(`div.cert-audit-sum${ok ? '.cert-audit-sum-ok' : '.cert-audit-sum-none'}`,
    h('div.cert-audit-sum-head', h('span.cert-audit-sum-title', '认证审核'), decisionTag(a.decision), link),
    h('dl.cert-info.cert-info-compact',
      info('第一阶段审核', fmtDate(a.stage1_date)),
      info('第二阶段审核', fmtDate(a.stage2_date)),
      info('审核组', a.team),
      info('不符合项', `发现 ${a.nc_found ?? 0} 项，已关闭 ${a.nc_closed ?? 0} 项`),
      info('决定日期', fmtDate(a.decision_date))),
    ok ? null : h('p.cert-audit-sum-note', '认证决定为“批准认证”后才能颁发证书。'));
}
