// verify.js — the public certificate verification page (/verify, no login;
// the QR code on a certificate opens /verify?number=…). Standalone: it does
// not load the application shell. Looks the number up with
// GET /api/v1/public/certificates/{number} and shows the certificate with its
// status large and coloured, and the date of the check. The public API never
// returns contacts or addresses.
import { get } from './api.js';
import { h, clear, STATUS, fmtDate } from './util.js';

const $ = (id) => document.getElementById(id);
const NUMBER_RE = /^[A-Z0-9\-/()]{4,40}$/;

// What each status means for someone reading the certificate.
const MEANING = {
  valid: '证书有效，获证组织的质量管理体系持续符合认证要求。',
  suspended: '证书已暂停，暂停期间不得使用证书和认证标志。',
  withdrawn: '证书已撤销，不能再用于证明获证。',
  cancelled: '证书已注销，不能再用于证明获证。',
  expired: '证书已超过有效期，不能再用于证明获证。',
};

function normalise(raw) {
  return String(raw || '').replace(/\s+/g, '').toUpperCase();
}

function showMessage(kind, title, detail) {
  clear($('verify-result')).append(h(`div.alert.alert-${kind}.verify-message`, { role: kind === 'error' ? 'alert' : 'status' },
    h('strong', { text: title }), detail ? h('p', { text: detail }) : null));
}

function item(label, value, cls) {
  return h(`div.verify-item${cls ? `.${cls}` : ''}`, h('dt', { text: label }),
    h('dd', value === null || value === undefined || value === '' ? '—' : value));
}

function certificateCard(c, checkedOn) {
  const [label, colour] = STATUS[c.status] || [c.status_name || c.status, 'grey'];
  return h(`article.verify-cert.verify-cert-${colour}`, { 'aria-label': `证书 ${c.number}` },
    h(`div.verify-status.verify-status-${colour}`,
      h('span.verify-status-label', '证书状态'),
      h('span.verify-status-value', { text: c.status_name || label }),
      c.status_date ? h('span.verify-status-date', `状态日期 ${fmtDate(c.status_date)}`) : null),
    h('p.verify-meaning', { text: MEANING[c.status] || '' }),
    h('dl.verify-fields',
      item('获证组织', c.holder, 'verify-wide.verify-holder'),
      item('证书编号', h('code', { text: c.number })),
      item('统一社会信用代码', c.uscc ? h('code', { text: c.uscc }) : null),
      item('认证范围', c.scope, 'verify-wide'),
      item('认证依据', c.standard),
      item('认证项目', c.scheme),
      item('颁证日期', fmtDate(c.issue_date)),
      item('有效期至', fmtDate(c.expiry_date)),
      item('初次颁证日期', fmtDate(c.first_issue_date)),
      item('认证覆盖人数', c.headcount ? `${c.headcount} 人` : null),
      item('发证机构', c.issuer, 'verify-wide')),
    h('p.verify-checked', `核验日期 ${fmtDate(checkedOn)}`));
}

let seq = 0;

async function lookup(number, { push = true } = {}) {
  const n = normalise(number);
  $('verify-number').value = n;
  $('verify-number').removeAttribute('aria-invalid');
  if (!n) {
    $('verify-number').setAttribute('aria-invalid', 'true');
    showMessage('error', '请输入证书编号');
    $('verify-number').focus();
    return;
  }
  if (!NUMBER_RE.test(n)) {
    $('verify-number').setAttribute('aria-invalid', 'true');
    showMessage('error', '证书编号格式不正确', '证书编号由 4–40 位大写字母、数字或 - / ( ) 组成，请核对后重新输入。');
    return;
  }
  if (push) {
    const url = `${location.pathname}?number=${encodeURIComponent(n)}`;
    if (`${location.pathname}${location.search}` !== url) history.replaceState(null, '', url);
  }
  const my = ++seq;
  const btn = $('verify-submit');
  btn.disabled = true;
  clear($('verify-result')).append(h('p.loading', '正在查询…'));
  try {
    const r = await get(`/public/certificates/${encodeURIComponent(n)}`);
    if (my !== seq) return;
    const items = (r && r.items) || [];
    if (!items.length) { showMessage('error', '未查到该编号的证书', '请核对证书编号后重新查询。'); return; }
    const res = clear($('verify-result'));
    if (items.length > 1) res.append(h('p.verify-multi', `该编号对应 ${items.length} 张证书（不同发证机构），请核对发证机构。`));
    for (const c of items) res.append(certificateCard(c, r.checked_on));
    document.title = `${n} 证书查询 - 小微企业质量管理体系认证提升行动服务平台`;
  } catch (err) {
    if (my !== seq) return;
    if (err.status === 404) showMessage('error', '未查到该编号的证书', '请核对证书编号后重新查询。平台仅收录参加提升行动的企业的证书。');
    else if (err.status === 429) showMessage('warning', '查询过于频繁', '同一网络每分钟可查询的次数有限，请稍后再试。');
    else if (err.status === 422) showMessage('error', '证书编号格式不正确', err.message);
    else showMessage('error', '查询失败', err.message);
  } finally {
    if (my === seq) btn.disabled = false;
  }
}

async function loadSite() {
  try {
    const site = await get('/public/site');
    if (site && site.simulated) {
      $('verify-demo-banner').textContent = `演示模式 · 模拟日期 ${site.today}`;
      $('verify-demo-banner').hidden = false;
      $('verify-demo-note').textContent = '本平台当前运行演示数据，查询结果仅供演示，不代表真实的认证信息。';
      $('verify-demo-note').hidden = false;
    }
  } catch { /* the page works without the site line */ }
}

function boot() {
  $('verify-form').addEventListener('submit', (e) => {
    e.preventDefault();
    lookup($('verify-number').value);
  });
  loadSite();
  const n = new URLSearchParams(location.search).get('number');
  if (n) lookup(n, { push: false });
  else $('verify-number').focus();
}

boot();
