// pages/evaluations.js — 总结验收评分 (#/evaluations; the city and district
// officers). The city's ranking of the districts on the three national
// dimensions 组织发动 / 宣传培训 / 企业帮扶 (subtotals, total, rank, 已确认
// tag), 导出Excel; a district officer sees its own row. Above it, the
// effect questionnaire card (效果问卷): answers, the clear-improvement rate
// and the satisfaction rate, per district for the city.
import { get } from '../api.js';
import { h, tag } from '../util.js';
import { pageHeader, card, dataTable, emptyState, errorBox } from '../ui.js';
import { fmtPoints, fmtMax, statusTagOf, QUESTION_LABEL } from './evaluation.js';

export async function render(ctx) {
  const { el, user } = ctx;
  const isCity = user.role === 'city_admin';
  const [ranking, summary] = await Promise.all([
    get('/evaluations', { per_page: 200 }),
    get('/questionnaires/summary').catch((err) => ({ error: err })),
  ]);
  if (!ctx.isCurrent()) return;

  const actions = [h('a.btn', { href: '#/questionnaires', id: 'eval-quest-link' }, '效果问卷')];
  if (isCity) actions.push(h('a.btn', { href: '/api/v1/evaluations.xlsx', download: true, id: 'eval-export' }, '导出Excel'));
  const dims = ranking.dimensions || [];
  el.append(pageHeader(isCity ? '总结验收评分' : '本区总结验收评分', {
    sub: `${dims.map((d) => `${d.label}${fmtMax(d.max)}分`).join('、')}，满分 ${fmtMax(ranking.max)} 分；`
      + `未确认的评分按 ${ranking.today || '—'} 的业务数据实时计算，确认后冻结。`,
    actions,
  }));

  el.append(summaryCard(summary, isCity));

  const rows = ranking.items || [];
  const columns = [
    { label: '排名', render: (r) => h('span.eval-rank', { class: r.rank <= 3 ? `eval-rank-top eval-rank-${r.rank}` : undefined }, String(r.rank)), cls: 'eval-rank-col nowrap' },
    {
      primary: true,
      label: '区',
      render: (r) => h('span.eval-district-cell',
        h('a.eval-row-link', { href: `#/evaluations/${r.district_unit_id}`, text: r.district || r.unit_name }),
        h('span.cell-muted', { text: r.unit_name })),
    },
    ...dims.map((d, i) => ({
      label: `${d.label}（${fmtMax(d.max)}）`,
      render: (r) => dimCell(r.dimensions[i]),
      cls: 'eval-num-col',
    })),
    {
      label: '总分',
      render: (r) => h('span.eval-total-cell',
        h('strong.eval-total-n', fmtPoints(r.total)),
        h('meter.eval-total-bar', { min: '0', max: String(r.max), value: String(r.total), 'aria-hidden': 'true' })),
      cls: 'eval-num-col',
    },
    {
      label: '状态',
      render: (r) => h('span.eval-tags', statusTagOf(r.status),
        r.missing_entries && !r.finalised ? tag(`待评定 ${r.missing_entries} 项`, 'orange') : null),
      cls: 'nowrap',
    },
  ];
  const table = dataTable(columns, rows, {
    caption: '总结验收评分排名',
    rowClass: (r) => `eval-row eval-row-${r.status}`,
    empty: emptyState('暂无区市场监管局', '在“单位名录”中维护区市场监管局后，这里按区列出评分。'),
  });
  table.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.eval-row');
    if (!tr || e.target.closest('a, button')) return;
    const a = tr.querySelector('a.eval-row-link');
    if (a) ctx.navigate(a.getAttribute('href'));
  });
  const finals = rows.filter((r) => r.finalised).length;
  el.append(card(h('div.card-head-row.eval-head-row', h('h2.card-title', isCity ? '各区评分排名' : '本区评分'),
    h('span.card-note', isCity ? `共 ${rows.length} 个区，已确认 ${finals} 个；点击区名查看评分表并录入市局评定项` : '点击区名查看各项得分和计算依据')),
  table));
}

function dimCell(d) {
  if (!d) return '—';
  return h('span.eval-dim-cell', h('span.eval-dim-n', fmtPoints(d.points)),
    h('meter.eval-dim-bar', { min: '0', max: String(d.max), value: String(d.points), 'aria-hidden': 'true' }));
}

// ---- 效果问卷 summary ------------------------------------------------------

const pctText = (v) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(1)}%`);

function summaryCard(s, isCity) {
  if (s.error) return card('企业效果问卷', errorBox(s.error));
  const tiles = h('div.eval-tiles',
    tile('受帮扶企业', String(s.assisted ?? 0), '家', 'assisted'),
    tile('已答问卷', String(s.answered ?? 0), '家', 'answered'),
    tile('明显改善率', pctText(s.clear_improvement_percent), '', 'clear', '答“非常明显”或“比较明显”的企业占已答问卷的比例'),
    tile('满意度', pctText(s.satisfaction_percent), '', 'satisfaction',
      s.mean_satisfaction === null || s.mean_satisfaction === undefined ? '满意度平均分 ÷ 5' : `平均 ${Number(s.mean_satisfaction).toFixed(1)} 分（满分 5 分）`));
  const answered = Number(s.answered) || 0;
  const dist = h('ul.eval-answers', { 'aria-label': '改善程度分布' }, (s.answers || []).map((a) => h('li.eval-answer',
    h('span.eval-answer-label', { text: QUESTION_LABEL[a.value] || a.label }),
    h('meter.eval-answer-bar', { min: '0', max: String(Math.max(answered, 1)), value: String(a.count), 'aria-hidden': 'true', class: `eval-answer-${a.value}` }),
    h('span.eval-answer-n', `${a.count} 家`))));
  const body = [tiles];
  if (answered) body.push(dist);
  else body.push(h('p.card-foot-note', '还没有企业填写效果问卷。受帮扶企业在“效果问卷”页面填写，区市场监管局也可代为录入。'));
  const by = s.by_district || [];
  if (isCity && by.length) {
    body.push(dataTable([
      { primary: true, label: '区', render: (r) => h('span.cell-strong', { text: r.district || r.unit_name }) },
      { label: '受帮扶企业', render: (r) => String(r.assisted), cls: 'eval-num-col' },
      { label: '已答问卷', render: (r) => String(r.answered), cls: 'eval-num-col' },
      { label: '明显改善率', render: (r) => pctText(r.clear_improvement_percent), cls: 'eval-num-col' },
      { label: '满意度', render: (r) => pctText(r.satisfaction_percent), cls: 'eval-num-col' },
    ], by, { caption: '各区效果问卷' }));
  }
  return card(h('div.card-head-row.eval-head-row', h('h2.card-title', '企业效果问卷'),
    h('span.card-note', '受帮扶企业对提升效果的评价；计入“企业帮扶”维度')), h('div.eval-summary', body));
}

function tile(label, value, unit, key, note) {
  return h(`div.eval-tile.eval-tile-${key}`,
    h('span.eval-tile-label', label),
    h('span.eval-tile-value', h('span.eval-tile-n', value), unit ? h('span.eval-tile-unit', unit) : null),
    note ? h('span.eval-tile-note', note) : null);
}
