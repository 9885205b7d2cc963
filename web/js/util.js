// util.js — small DOM and formatting helpers shared by every page.
//
// Pages build their DOM with h() (text always goes through textContent, so
// server text is never parsed as HTML). esc() is there for the rare template
// string. Labels and tag colours follow ../shared/ui.md.

// Escape text for use inside HTML markup or a quoted attribute.
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

// h('tag.class1.class2', {attrs}, ...children) → element.
// attrs: class, text, dataset {}, on {event: fn}, hidden/disabled/checked/...
// (booleans), anything else is set with setAttribute. Children may be
// strings/numbers (text nodes), nodes, arrays, or null/false (skipped).
export function h(sel, attrs, ...children) {
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
    if (attrs !== undefined) children.unshift(attrs);
    attrs = {};
  }
  const [tag, ...classes] = sel.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = [el.className, v].filter(Boolean).join(' ');
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'value' && 'value' in el) el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

// ---- Dates ---------------------------------------------------------------

// "2021-05-10T08:00:00Z" → "2021-05-10 16:00" (Asia/Shanghai, UTC+8, no DST
// since 1991, so a fixed offset is exact and needs no time-zone database).
export function fmtDateTime(iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const d = new Date(t + 8 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export function fmtDate(s) { return s ? String(s).slice(0, 10) : '—'; }

// Whole days from date a to date b (both YYYY-MM-DD).
export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

// ---- Status tags ---------------------------------------------------------

// value → [label, colour] (ui.md "Status vocabulary"), plus the deadline and
// phase states this issue adds.
export const STATUS = {
  draft: ['草稿', 'grey'],
  submitted: ['已提交', 'blue'],
  returned: ['已退回', 'orange'],
  accepted: ['已通过', 'green'],
  approved: ['已通过', 'green'],
  late: ['逾期提交', 'red-outline'],
  due_soon: ['即将到期', 'orange'],
  due_today: ['今日截止', 'red'],
  overdue: ['已逾期', 'red'],
  upcoming: ['未到期', 'blue'],
  done: ['已完成', 'green'],
  open: ['待开始', 'grey'],
  in_progress: ['进行中', 'blue'],
  verified: ['已验证', 'teal'],
  closed: ['已关闭', 'green'],
  valid: ['有效', 'green'],
  suspended: ['暂停', 'orange'],
  withdrawn: ['撤销', 'red'],
  cancelled: ['注销', 'grey'],
  expired: ['过期', 'grey'],
};

export const PHASE_STATE = {
  past: ['已结束', 'grey'],
  current: ['进行中', 'blue'],
  upcoming: ['未开始', 'grey-outline'],
};

export function tag(label, colour) {
  return h(`span.tag.tag-${colour || 'grey'}`, { text: label });
}

export function statusTag(value) {
  const [label, colour] = STATUS[value] || [value, 'grey'];
  return tag(label, colour);
}

// days_left → "还剩 8 天" / "今日截止" / "已逾期 79 天".
export function daysLeftText(days) {
  if (days === 0) return '今日截止';
  if (days > 0) return `还剩 ${days} 天`;
  return `已逾期 ${-days} 天`;
}

// ---- Vocabulary ----------------------------------------------------------

export const ROLES = {
  city_admin: '市局管理员',
  district_officer: '区市场监管局',
  cb_staff: '认证机构',
  enterprise: '企业',
};

export const UNIT_KINDS = {
  city: '市局',
  district: '区市场监管局',
  cb: '认证机构',
};

export const AUDIT_ACTIONS = {
  'login.success': '登录成功',
  'login.failure': '登录失败',
  'login.locked': '登录锁定',
  logout: '退出登录',
  'password.change': '修改密码',
  'password.change_failed': '修改密码失败',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.reset_password': '重置密码',
  'job.run': '定时任务',
  'declaration.create': '新建申报表',
  'declaration.update': '修改申报表',
  'declaration.submit': '提交申报表',
  'declaration.return': '退回申报表',
  'declaration.accept': '通过申报表',
  'declaration.scan': '上传盖章扫描件',
  'selection.create': '遴选认证机构',
  'selection.delete': '撤销遴选',
};

export const OBJECT_TYPES = {
  user: '用户',
  unit: '单位',
  programme: '提升行动',
  session: '会话',
  job: '定时任务',
  declaration: '申报表',
  selection: '遴选',
};

// 123456 → "120.6 KB" (file sizes in lists).
export function fmtSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
