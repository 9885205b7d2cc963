// pages/units.js — 单位名录: market-regulation units and certification bodies.
import { get } from '../api.js';
import { h, tag, UNIT_KINDS } from '../util.js';
import { pageHeader, card, dataTable, pager, filterBar, select, emptyState } from '../ui.js';

const PER_PAGE = 20;

export async function render(ctx) {
  const { el, query } = ctx;
  const kind = query.get('kind') || '';
  const q = query.get('q') || '';
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);

  const kindSel = select('kind', [['', '全部'], ...Object.entries(UNIT_KINDS)], kind);
  const qIn = h('input', { type: 'search', name: 'q', value: q, placeholder: '输入单位名称关键字' });
  el.append(pageHeader('单位名录', { sub: '参与提升行动的市场监管部门和认证机构。' }));
  const bar = filterBar([{ label: '单位类别', el: kindSel }, { label: '单位名称', el: qIn }],
    (v) => ctx.setQuery({ kind: v.kind, q: v.q }));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, bar, body));

  const data = await get('/units', { kind, q, page, per_page: PER_PAGE });
  if (!ctx.isCurrent()) return;
  body.replaceChildren();
  const filtered = kind || q;
  body.append(dataTable([
    { label: '序号', render: (_, i) => String((page - 1) * PER_PAGE + i + 1), cls: 'col-no' },
    { primary: true, label: '单位名称', render: (u) => h('span.cell-strong', u.name) },
    { label: '类别', render: (u) => u.kind_name || UNIT_KINDS[u.kind] || u.kind },
    { label: '所在区', render: (u) => u.district || '—' },
    { label: '代码', render: (u) => u.region_code || u.cnca_code || '—', cls: 'nowrap' },
    { label: '状态', render: (u) => (u.active === false ? tag('已停用', 'grey') : tag('正常', 'green')), cls: 'nowrap' },
  ], data.items || [], {
    caption: '单位名录',
    empty: filtered
      ? emptyState('没有符合条件的单位', '请更换单位类别或名称关键字后重新查询，或点击“重置”查看全部单位。')
      : emptyState('单位名录为空', '请市局管理员导入区市场监管局和认证机构名录。'),
  }));
  body.append(pager({
    total: data.total || 0, page: data.page || page, perPage: data.per_page || PER_PAGE,
    onPage: (p) => ctx.setQuery({ kind, q, page: p }),
  }));
}
