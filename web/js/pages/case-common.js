// pages/case-common.js — shared by 典型案例 (pages/cases.js, pages/case.js),
// 标杆企业 (pages/benchmarks.js) and the public page (cases.html,
// js/public-cases.js): the status tags, and the case itself — the facts
// gathered from the enterprise's records (profile, body, problems,
// measures, before/after, certificate) shown read-only, each section with
// its text part beside it (read as paragraphs, or an input supplied by the
// editor). Not a page of its own. Text always goes through textContent.
import { h, tag, statusTag, fmtDate } from '../util.js';
import { radarChart } from '../radar.js';

export const CASE_STATUS = {
  draft: ['草稿', 'grey'],
  submitted: ['已提交', 'blue'],
  returned: ['已退回', 'orange'],
  published: ['已发布', 'green'],
};
export const BENCH_STATUS = {
  nominated: ['已提名', 'blue'],
  selected: ['入选', 'green'],
  not_selected: ['未入选', 'grey'],
};
// Quota state of a district × industry (GET /benchmarks by_industry).
export const QUOTA_STATE = {
  missing: ['待提名', 'orange'],
  open: ['可再提名', 'blue'],
  full: ['已满', 'green'],
  over: ['超出名额', 'red'],
};
// The text parts of a case, in order: key, label, required to submit, hint.
export const CASE_TEXTS = [
  ['summary', '案例简介', true, '企业基本情况、参加提升行动的经过，已按台账预填，可修改。'],
  ['problems', '问题诊断', false, '对诊断发现的堵点、痛点、难点的说明（选填）。'],
  ['measures', '改进措施', false, '对“一企一策”改进措施的说明（选填）。'],
  ['results', '提升成效', false, '对提升前后变化的说明（选填）。'],
  ['lessons', '经验启示', true, '可复制推广的做法和体会，提交前必须填写。'],
];
export const TEXT_MAX = 5000;
export const TITLE_MAX = 100;
const KIND_COLOUR = { blockage: 'red', pain: 'orange', difficulty: 'blue' };

export function caseTag(status) {
  const s = CASE_STATUS[status];
  return s ? tag(s[0], s[1]) : statusTag(status);
}
export function benchTag(status) {
  const s = BENCH_STATUS[status];
  return s ? tag(s[0], s[1]) : statusTag(status);
}
export function quotaTag(state) {
  const s = QUOTA_STATE[state];
  return s ? tag(s[0], s[1]) : null;
}

// Plain text → paragraphs (blank lines split, single breaks kept); never HTML.
export function paragraphs(text, empty = '（未填写）') {
  const box = h('div.case-text');
  const paras = String(text || '').replace(/\r\n?/g, '\n').split(/\n[ \t\u3000]*\n/);
  for (const para of paras) {
    const lines = para.replace(/^\n+|\n+$/g, '').split('\n');
    if (!lines.join('').trim()) continue;
    const p = document.createElement('p');
    lines.forEach((line, i) => {
      if (i) p.append(document.createElement('br'));
      p.append(document.createTextNode(line));
    });
    box.append(p);
  }
  if (!box.childNodes.length) box.append(h('p.case-text-empty', empty));
  return box;
}

export function fmtScore(v) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(1);
}
function fmtNum(v) {
  if (v === null || v === undefined) return '—';
  return Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

// A score change: green up, red down, grey unchanged or unknown.
function scoreChange(v) {
  if (v === null || v === undefined) return h('span.case-change.case-same', '—');
  const n = Number(v);
  const cls = n > 0 ? 'case-up' : n < 0 ? 'case-down' : 'case-same';
  return h(`span.case-change.${cls}`, `${n > 0 ? '▲ +' : n < 0 ? '▼ −' : ''}${Math.abs(n).toFixed(1)}`);
}
function indicatorChange(r) {
  if (r.change === null || r.change === undefined) return h('span.case-change.case-same', '—');
  const n = Number(r.change);
  const cls = r.better === true ? 'case-up' : r.better === false ? 'case-down' : 'case-same';
  const word = r.better === true ? '改善' : r.better === false ? '变差' : '持平';
  return h(`span.case-change.${cls}`, `${n > 0 ? '+' : n < 0 ? '−' : ''}${fmtNum(Math.abs(n))}`, h('span.case-word', `（${word}）`));
}

// A small table that stays a table at phone width (few short columns).
function miniTable(columns, rows, caption) {
  return h('div.table-wrap.case-table-wrap', h('table.table.case-table',
    h('caption.sr-only', caption),
    h('thead', h('tr', columns.map((c) => h('th', { scope: 'col', class: c.cls }, c.label)))),
    h('tbody', rows.map((r) => h('tr', { class: r.total ? 'case-total' : undefined },
      columns.map((c) => {
        const v = c.render(r);
        return h('td', { class: c.cls, dataset: { label: c.label } }, v === null || v === undefined || v === '' ? '—' : v);
      }))))));
}

function facts(items) {
  return h('dl.case-facts', items.filter(Boolean).map(([label, value]) => h('div.case-fact',
    h('dt', label), h('dd', value === null || value === undefined || value === '' ? '—' : value))));
}

function section(key, title, factsNode, textNode, note) {
  return h('section.case-section', { id: `case-sec-${key}`, 'aria-labelledby': `case-h-${key}` },
    h('h2.case-section-title', { id: `case-h-${key}` }, title, note ? h('span.case-section-note', note) : null),
    factsNode, textNode ? h('div.case-section-text', textNode) : null);
}

// ---- The case ------------------------------------------------------------

// The case body: sections of facts with the text parts. textSlot(key, label)
// returns the node for a text part (an editor's field), default: paragraphs
// of c.texts[key] under a small heading. opts.verifyLinks: certificate
// number as a link to the public verification page.
export function caseBody(c, { textSlot, verifyLinks = true } = {}) {
  const f = c.facts || {};
  const t = c.texts || {};
  const label = Object.fromEntries(CASE_TEXTS.map(([k, l]) => [k, l]));
  const slot = textSlot || ((key) => (key === 'summary' || key === 'lessons' || t[key]
    ? paragraphs(t[key], key === 'lessons' ? '（尚未填写经验启示）' : '（未填写）') : null));
  const withHead = (key, node) => (node && !textSlot && key !== 'summary' && key !== 'lessons'
    ? [h('h3.case-text-head', `${label[key]}说明`), node] : node);
  const p = f.profile || {};
  const cert = f.certificate;

  const profile = section('profile', '一、企业概况', facts([
    ['企业名称', p.name],
    ['所属区', p.district],
    ['试点行业', p.industry],
    ['企业规模', p.size_class_name],
    ['从业人员', p.employees === null || p.employees === undefined ? null : `${p.employees} 人`],
    ['所在园区', p.park],
    ['帮扶认证机构', f.cb ? f.cb.name : null],
  ]), slot('summary', label.summary));

  const problems = f.problems || [];
  const problemsNode = problems.length
    ? h('ul.case-problems', problems.map((x) => h('li.case-problem',
      h('div.case-problem-head',
        tag(x.kind_name || '问题', KIND_COLOUR[x.kind] || 'grey'),
        h('span.case-problem-item', `${x.clause} ${x.item_title || x.item_key}`),
        x.round > 1 ? h('span.case-problem-round', `第 ${x.round} 轮诊断`) : null),
      h('p.case-problem-text', { text: x.finding || '' }))))
    : h('p.case-none', '现场诊断未记录堵点、痛点、难点问题。');

  const measures = f.measures || [];
  const measuresNode = measures.length
    ? miniTable([
      { label: '改进措施', render: (m) => h('span.case-measure', h('span.cell-strong', { text: m.title }),
        m.detail ? h('span.case-measure-detail', { text: m.detail }) : null) },
      { label: '方法', render: (m) => m.method_name, cls: 'nowrap case-col-method' },
      { label: '完成期限', render: (m) => fmtDate(m.due_date), cls: 'nowrap' },
      { label: '状态', render: (m) => statusTag(m.status), cls: 'nowrap' },
    ], measures, '改进措施')
    : h('p.case-none', '尚未制定改进措施。');

  const ba = f.before_after || {};
  const resultsNodes = [];
  if (ba.first) {
    const o = ba.overall || {};
    resultsNodes.push(h('div.case-stats',
      h('div.case-stat', h('span.case-stat-label', '首次诊断得分'), h('span.case-stat-value', fmtScore(o.before)),
        h('span.case-stat-sub', fmtDate(ba.first.visit_date))),
      h('div.case-stat', h('span.case-stat-label', '再评估得分'), h('span.case-stat-value', ba.latest ? fmtScore(o.after) : '—'),
        h('span.case-stat-sub', ba.latest ? fmtDate(ba.latest.visit_date) : '尚未再评估')),
      h('div.case-stat', h('span.case-stat-label', '得分变化'), h('span.case-stat-value', scoreChange(o.change)),
        h('span.case-stat-sub', '满分 5 分'))));
    const secs = ba.sections || [];
    let radar = null;
    if (secs.length >= 3) {
      const first = `首次诊断（${fmtDate(ba.first.visit_date)}）`;
      try {
        radar = radarChart({
          axes: secs.map((s) => ({ label: `${s.clause} ${s.title}` })),
          series: ba.latest
            ? [{ name: first, values: secs.map((s) => s.before), kind: 'before' },
              { name: `再评估（${fmtDate(ba.latest.visit_date)}）`, values: secs.map((s) => s.after), kind: 'current' }]
            : [{ name: first, values: secs.map((s) => s.before), kind: 'current' }],
        }, { title: ba.latest ? '提升前后各条款得分' : '首次诊断各条款得分', size: 380 });
      } catch { radar = null; }
    }
    resultsNodes.push(h('div.case-ba',
      h('div.case-ba-table', h('h3.case-sub', '各条款得分'), miniTable([
        { label: '条款', render: (s) => (s.total ? h('span.cell-strong', '总体') : `${s.clause} ${s.title}`) },
        { label: '首次', render: (s) => fmtScore(s.before), cls: 'case-num' },
        { label: '再评估', render: (s) => fmtScore(s.after), cls: 'case-num' },
        { label: '变化', render: (s) => scoreChange(s.change), cls: 'case-num' },
      ], [...secs, { total: true, ...(ba.overall || {}) }], '各条款得分（提升前后）')),
      radar ? h('div.case-radar', radar) : null));
  } else {
    resultsNodes.push(h('p.case-none', '尚无提交的现场诊断得分。'));
  }
  const ind = ba.indicators || {};
  const rows = ind.rows || [];
  if (rows.length) {
    resultsNodes.push(h('h3.case-sub', '质量指标',
      h('span.case-sub-note', [ind.baseline_period ? `基线：${ind.baseline_period}` : null,
        ind.followup_period ? `跟踪：${ind.followup_period}` : null].filter(Boolean).join('　'))),
    miniTable([
      { label: '指标', render: (r) => h('span', r.label, h('span.case-unit', `（${r.unit}）`)) },
      { label: '基线', render: (r) => fmtNum(r.baseline), cls: 'case-num' },
      { label: '跟踪', render: (r) => fmtNum(r.followup), cls: 'case-num' },
      { label: '变化', render: indicatorChange, cls: 'case-num' },
    ], rows, '质量指标变化'));
  }

  let certNode;
  if (cert) {
    const number = verifyLinks
      ? h('a.case-cert-number', { href: `/verify?number=${encodeURIComponent(cert.number)}`, text: cert.number })
      : h('span.case-cert-number', { text: cert.number });
    certNode = facts([
      ['证书编号', number],
      ['发证机构', cert.issuer],
      ['认证范围', cert.scope],
      ['认证标准', cert.standard],
      ['发证日期', fmtDate(cert.issue_date)],
      ['有效期至', fmtDate(cert.expiry_date)],
      ['证书状态', h('span', statusTag(cert.status), h('span.case-asof', `（截至 ${fmtDate(f.as_of)}）`))],
    ]);
  } else {
    certNode = h('p.case-none', '尚未取得提升行动中颁发的认证证书。');
  }

  return h('div.case-body',
    profile,
    section('problems', '二、问题诊断', problemsNode, withHead('problems', slot('problems', label.problems)),
      problems.length ? `共 ${problems.length} 项` : null),
    section('measures', '三、改进措施', measuresNode, withHead('measures', slot('measures', label.measures)),
      measures.length ? `共 ${measures.length} 项` : null),
    section('results', '四、提升成效', resultsNodes, withHead('results', slot('results', label.results))),
    section('certificate', '五、认证证书', certNode, null),
    section('lessons', '六、经验启示', null, slot('lessons', label.lessons)),
    f.as_of ? h('p.case-asof-note', `案例事实依据 ${fmtDate(f.as_of)} 帮扶台账、诊断记录和证书信息汇集。`) : null);
}
