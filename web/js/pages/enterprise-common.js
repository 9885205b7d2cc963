// pages/enterprise-common.js — shared by the enterprise registry (企业名录),
// the enterprise form, the CSV import, the assistance ledger (帮扶台账) and the
// work plans: the size-class sectors, the client-side USCC check (GB 32100,
// advisory only — the server stays the authority), tags, number formatting
// and the catalogue / district look-ups. Not a page of its own.
import { get } from '../api.js';
import { h, tag } from '../util.js';

// 划型行业 of 工信部联企业〔2011〕300号 (data/size-classes.json): key, name and
// the measures the standard uses for the sector (which inputs are needed).
export const SECTORS = [
  ['agriculture', '农、林、牧、渔业', ['revenue']],
  ['industry', '工业', ['employees', 'revenue']],
  ['construction', '建筑业', ['revenue', 'total_assets']],
  ['wholesale', '批发业', ['employees', 'revenue']],
  ['retail', '零售业', ['employees', 'revenue']],
  ['transport', '交通运输业', ['employees', 'revenue']],
  ['warehousing', '仓储业', ['employees', 'revenue']],
  ['postal', '邮政业', ['employees', 'revenue']],
  ['accommodation', '住宿业', ['employees', 'revenue']],
  ['catering', '餐饮业', ['employees', 'revenue']],
  ['information_transmission', '信息传输业', ['employees', 'revenue']],
  ['software_it', '软件和信息技术服务业', ['employees', 'revenue']],
  ['real_estate_development', '房地产开发经营', ['revenue', 'total_assets']],
  ['property_management', '物业管理', ['employees', 'revenue']],
  ['leasing_business', '租赁和商务服务业', ['employees', 'total_assets']],
  ['other', '其他未列明行业', ['employees']],
];
export const SECTOR_NAME = Object.fromEntries(SECTORS.map(([k, n]) => [k, n]));
export const MEASURE_NAME = { employees: '从业人员', revenue: '营业收入', total_assets: '资产总额' };

export const SIZE_CLASSES = { small: ['小型', 'blue'], micro: ['微型', 'teal'] };

export function sizeTag(e) {
  if (!e || !e.size_class) return null;
  const [label, colour] = SIZE_CLASSES[e.size_class] || [e.size_class_name || e.size_class, 'grey'];
  return tag(e.size_class_name || label, colour);
}

// ---- USCC (统一社会信用代码, GB 32100-2015) ---------------------------------

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// The check character for the first 17 characters, or null if one is not
// in the alphabet.
export function usccCheckChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c];
}

// checkUscc(text) → null when valid, else the reason in Chinese.
export function checkUscc(raw) {
  const s = String(raw || '').trim();
  if (!s) return '请填写统一社会信用代码';
  if (/[\uFF01-\uFF5E\u3000]/.test(s)) return '统一社会信用代码中含有全角字符，请切换到半角输入';
  if (/\s/.test(s)) return '统一社会信用代码中不能有空格';
  if ([...s].length !== 18) return `统一社会信用代码应为 18 位，当前为 ${[...s].length} 位`;
  if (/[a-z]/.test(s)) return '统一社会信用代码中的字母应为大写';
  const bad = [...s].filter((ch) => !USCC_ALPHABET.includes(ch));
  if (bad.length) {
    const letters = [...new Set(bad)].join('、');
    return /^[IOSVZ]+$/.test(bad.join(''))
      ? `统一社会信用代码不使用字母 I、O、S、V、Z（出现了 ${letters}）`
      : `统一社会信用代码含有无效字符：${letters}`;
  }
  if (usccCheckChar(s.slice(0, 17)) !== s[17]) return '统一社会信用代码校验位不正确，请核对后重新输入';
  return null;
}

// ---- Formatting ------------------------------------------------------------

const isNum = (v) => v !== null && v !== undefined && v !== '' && !Number.isNaN(Number(v));

// Money in 万元 with two decimals ("1,200.00").
export function fmtMoney(v) {
  if (!isNum(v)) return '—';
  return Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function fmtNumber(v, digits = 0) {
  if (!isNum(v)) return '—';
  return Number(v).toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: Math.max(digits, 2) });
}

export function fmtPercent(v) {
  if (!isNum(v)) return '—';
  return `${Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 2 })}%`;
}

// 13812345678 → 138****5678 (the server masks lists already; this keeps a
// whole number from ever showing in a list).
export function maskPhone(p) {
  const s = String(p || '');
  if (!s) return '';
  if (s.includes('*')) return s;
  if (/^1\d{10}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(7)}`;
  if (s.length > 6) return `${s.slice(0, s.length - 6)}****${s.slice(-2)}`;
  return s;
}

// ---- Look-ups --------------------------------------------------------------

// Every item of a paged collection (per_page 200, at most 20 pages).
export async function allPages(path, params = {}) {
  const items = [];
  for (let page = 1; page <= 20; page++) {
    const r = await get(path, { ...params, page, per_page: 200 });
    const got = (r && r.items) || [];
    items.push(...got);
    if (items.length >= (r.total || 0) || !got.length) break;
  }
  return items;
}

// The catalogue's industry names.
export function industryNames(prog) {
  return prog ? (prog.industries || []).map((i) => i.name) : [];
}

// District units: [{id, name, district, region_code}] (cached per page load).
let districtsPromise = null;
export function loadDistricts() {
  if (!districtsPromise) {
    districtsPromise = allPages('/units', { kind: 'district' })
      .then((list) => list.filter((u) => u.district))
      .catch((err) => { districtsPromise = null; throw err; });
  }
  return districtsPromise;
}

// Bodies selected for an industry: [{id, name}] (unique).
export async function selectedBodies(industry) {
  if (!industry) return [];
  const list = await allPages('/selections', { industry });
  const seen = new Map();
  for (const s of list) {
    if (s.industry !== industry || !s.cb) continue;
    if (!seen.has(s.cb.id)) seen.set(s.cb.id, { id: s.cb.id, name: s.cb.name, exception: s.exception_reason });
  }
  return [...seen.values()];
}

export function minEnterprises(prog) {
  return (prog && prog.quotas && prog.quotas.min_enterprises_per_industry) || 5;
}

// "已登记 N 家 / 目标 5 家" with its colour.
export function progressBadge(count, target, { word = '已登记' } = {}) {
  const ok = count >= target;
  return h(`span.reg-progress.${ok ? 'reg-progress-ok' : 'reg-progress-low'}`, `${word} ${count} 家 / 目标 ${target} 家`);
}

// One "label: value" line of a definition grid.
export function infoItem(label, value, { wide = false } = {}) {
  const empty = value === null || value === undefined || value === '';
  return h(`div.reg-info-item${wide ? '.reg-info-wide' : ''}`,
    h('dt', { text: label }),
    h('dd', empty ? h('span.reg-empty', '未填写') : value));
}
