// pages/action-form.js — 新建措施 (#/actions/new?enterprise_id=&diagnosis_id=&item_id=)
// and 编辑措施 (#/actions/{id}/edit), for the certification body assigned to
// the enterprise. An action may answer a finding of the enterprise's submitted
// on-site diagnoses (the answers with a finding, shown with the checklist item
// they belong to). The server's field errors go under their inputs; a stale
// edit (409) asks to reload.
import { get, post, put } from '../api.js';
import { h, clear, append, tag, fmtDate } from '../util.js';
import {
  pageHeader, card, field, button, setFieldError, clearFormErrors, showFormError, toast, emptyState, errorBox,
} from '../ui.js';
import { allPages } from './enterprise-common.js';
import { METHODS, todayOf, isActionBody } from './actions.js';

const FINDING_KINDS = { blockage: ['堵点', 'red'], pain: ['痛点', 'orange'], difficulty: ['难点', 'blue'] };

// ---- Findings of an enterprise ---------------------------------------------

const checklists = new Map();
function checklist(id) {
  if (!checklists.has(id)) {
    checklists.set(id, get(`/checklists/${id}`).then((cl) => {
      const items = new Map();
      for (const s of cl.sections || []) for (const it of s.items || []) items.set(it.id, { ...it, section: s.title });
      return items;
    }).catch((err) => { checklists.delete(id); throw err; }));
  }
  return checklists.get(id);
}

// The submitted on-site diagnoses of the enterprise (and `extraId`, the one an
// action already links, whatever its state) with their findings:
// [{ diag, findings: [{ item, answer }] }], newest diagnosis first.
async function loadFindings(entId, extraId) {
  const list = await get('/diagnoses', { enterprise_id: entId, kind: 'onsite', status: 'submitted', per_page: 50 });
  const ids = (list.items || []).map((d) => d.id);
  if (extraId && !ids.includes(Number(extraId))) ids.push(Number(extraId));
  const groups = await Promise.all(ids.map(async (id) => {
    const diag = await get(`/diagnoses/${id}`).catch(() => null);
    if (!diag || diag.kind !== 'onsite' || !diag.enterprise || String(diag.enterprise.id) !== String(entId)) return null;
    const items = await checklist(diag.checklist_id);
    const order = [...items.keys()];
    const findings = (diag.answers || []).filter((a) => a.finding && items.has(a.item_id))
      .map((a) => ({ item: items.get(a.item_id), answer: a }))
      .sort((x, y) => order.indexOf(x.item.id) - order.indexOf(y.item.id));
    return { diag, findings };
  }));
  return groups.filter(Boolean);
}

function diagLabel(d) {
  return `${d.round > 1 ? `第 ${d.round} 轮再评估` : '现场诊断'}（${fmtDate(d.visit_date)}）`;
}

function shorten(s, n) {
  const chars = [...String(s || '')];
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : chars.join('');
}

// ---- Page ------------------------------------------------------------------

export async function render(ctx) {
  const { el, params, query, user, site } = ctx;
  const editing = !!params.id;
  const today = todayOf(site);
  let action = null;
  if (editing) action = await get(`/actions/${encodeURIComponent(params.id)}`);
  const ents = editing ? [] : await allPages('/enterprises');
  if (!ctx.isCurrent()) return;

  const backHref = editing ? `#/actions/${action.id}` : '#/actions';
  if (editing) document.title = `编辑措施 - ${document.title.split(' - ').pop()}`;
  el.append(pageHeader(editing ? '编辑措施' : '新建措施', {
    sub: editing
      ? `${action.enterprise.name} · ${action.title}`
      : '针对现场诊断发现的问题制定改进措施（一企一策）：写明做什么、用什么方法、谁负责、何时完成。',
  }));

  if (editing && !isActionBody(user)) {
    el.append(card(null, emptyState('您不能修改此措施', '只有帮扶该企业的认证机构可以修改。', h('a.btn', { href: backHref }, '返回措施详情'))));
    return;
  }
  if (editing && action.status === 'closed') {
    el.append(card(null, emptyState('措施已关闭，不能再修改', '如需继续整改，请在措施详情中“重新打开”。', h('a.btn', { href: backHref }, '返回措施详情'))));
    return;
  }
  if (!editing && !ents.length) {
    el.append(card(null, emptyState('本机构还没有帮扶企业', '区市场监管局将试点企业指派给本机构后，即可为其制定提升方案。')));
    return;
  }

  // Inputs.
  const entSel = editing
    ? null
    : h('select', { name: 'enterprise_id' },
      h('option', { value: '' }, '请选择企业'),
      ents.map((e) => h('option', { value: String(e.id), selected: String(e.id) === (query.get('enterprise_id') || '') }, e.name)));
  const findingSel = h('select', { name: 'finding' }, h('option', { value: '' }, '不关联具体问题'));
  const findingBox = h('div.act-finding-preview', { 'aria-live': 'polite' });
  const title = h('input', { type: 'text', name: 'title', maxlength: '100', value: action ? action.title : '', placeholder: '如：建立量具校准台账并送检' });
  const detail = h('textarea', { name: 'detail', rows: '4', maxlength: '2000', placeholder: '具体做法、完成标准和需要提交的证据材料' });
  detail.value = action ? action.detail || '' : '';
  const method = h('select', { name: 'method' },
    h('option', { value: '' }, '请选择方法工具'),
    METHODS.map(([k, l]) => h('option', { value: k, selected: !!action && action.method === k }, l)));
  const owner = h('input', { type: 'text', name: 'owner', maxlength: '50', value: action ? action.owner : '', placeholder: '部门和姓名，如 质量部 陈静' });
  const due = h('input', { type: 'date', name: 'due_date', value: action ? action.due_date : '', min: editing ? undefined : today });

  const go = button(editing ? '保存修改' : '保存措施', { kind: 'primary', type: 'submit', id: 'act-save' });
  const form = h('form.act-form', { novalidate: true },
    h('fieldset.act-fieldset',
      h('legend', '关联问题'),
      editing
        ? h('div.field', h('span.act-form-label', '企业'), h('p.act-form-static', { text: action.enterprise.name }))
        : field('企业', entSel, { required: true, hint: '本机构帮扶的试点企业' }),
      field('诊断发现的问题', findingSel, { hint: '从企业已提交的现场诊断中选择本措施要解决的问题' }),
      findingBox),
    h('fieldset.act-fieldset',
      h('legend', '措施内容'),
      field('措施名称', title, { required: true, hint: '不超过 100 字' }),
      field('具体内容', detail, { hint: '不超过 2000 字' }),
      h('div.act-grid',
        field('方法工具', method, { required: true }),
        field('责任人', owner, { required: true }),
        field('完成期限', due, { required: true }))),
    h('div.form-actions', go, h('a.btn', { href: backHref }, '取消')));

  // Findings of the chosen enterprise.
  let groups = [];
  const preselect = editing
    ? (action.diagnosis_id && action.item_id ? `${action.diagnosis_id}:${action.item_id}` : '')
    : (query.get('diagnosis_id') && query.get('item_id') ? `${query.get('diagnosis_id')}:${query.get('item_id')}` : '');
  const showPreview = () => {
    clear(findingBox);
    const [d, i] = findingSel.value.split(':').map(Number);
    const g = groups.find((x) => x.diag.id === d);
    const f = g && g.findings.find((x) => x.item.id === i);
    if (!f) return;
    const kind = FINDING_KINDS[f.answer.kind];
    findingBox.append(h('div.act-finding',
      h('p.act-finding-head', h('code.act-item-code', { text: f.item.key }), h('span.cell-strong', { text: f.item.title }),
        kind ? tag(kind[0], kind[1]) : null,
        f.answer.score ? h('span.cell-muted', `得分 ${f.answer.score}`) : null),
      h('p.act-finding-text', { text: f.answer.finding }),
      h('p.cell-muted.act-finding-item', { text: `检查内容：${f.item.text}` })));
  };
  const loadFor = async (entId, wanted) => {
    clear(findingSel).append(h('option', { value: '' }, entId ? '正在加载诊断发现的问题…' : '不关联具体问题'));
    clear(findingBox);
    groups = [];
    if (!entId) return;
    findingSel.disabled = true;
    try {
      groups = await loadFindings(entId, wanted ? wanted.split(':')[0] : null);
    } catch (err) {
      findingBox.append(errorBox(err));
    }
    findingSel.disabled = false;
    const total = groups.reduce((n, g) => n + g.findings.length, 0);
    append(clear(findingSel), [h('option', { value: '' }, total ? '不关联具体问题' : '（该企业尚无已提交的现场诊断问题）'),
      groups.filter((g) => g.findings.length).map((g) => h('optgroup', { label: diagLabel(g.diag) },
        g.findings.map((f) => h('option', { value: `${g.diag.id}:${f.item.id}` },
          `${f.item.key} ${shorten(f.answer.finding, 36)}`))))]);
    if (wanted && findingSel.querySelector(`option[value="${CSS.escape(wanted)}"]`)) findingSel.value = wanted;
    showPreview();
  };
  findingSel.addEventListener('change', showPreview);
  if (entSel) entSel.addEventListener('change', () => loadFor(entSel.value, ''));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const body = {
      title: title.value.trim(),
      detail: detail.value.trim(),
      method: method.value,
      owner: owner.value.trim(),
      due_date: due.value,
    };
    const [d, i] = findingSel.value ? findingSel.value.split(':').map(Number) : [null, null];
    body.diagnosis_id = d;
    body.item_id = i;
    const entId = editing ? action.enterprise.id : entSel.value;
    const errs = [];
    if (!editing && !entId) errs.push(['enterprise_id', '请选择企业']);
    if (!body.title) errs.push(['title', '请填写措施名称']);
    if (!body.method) errs.push(['method', '请选择方法工具']);
    if (!body.owner) errs.push(['owner', '请填写责任人']);
    if (!body.due_date) errs.push(['due_date', '请填写完成期限']);
    if (errs.length) {
      for (const [name, msg] of errs) setFieldError(form, name, msg);
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    go.disabled = true;
    try {
      const saved = editing
        ? await put(`/actions/${action.id}`, { ...body, version: action.version })
        : await post(`/enterprises/${entId}/actions`, body);
      toast(editing ? '措施已保存' : '措施已创建');
      ctx.navigate(`#/actions/${saved.id}`);
    } catch (err) {
      if (err.status === 409 && err.code === 'version_conflict') {
        form.prepend(h('div.alert.alert-error.form-error.act-conflict', { role: 'alert' },
          h('span', '已被他人修改，请刷新后再编辑。'), ' ',
          button('刷新', { kind: 'small', onClick: () => ctx.navigate(location.hash) })));
        form.querySelector('.act-conflict button').focus();
      } else if (err.field === 'diagnosis_id' || err.field === 'item_id') {
        setFieldError(form, 'finding', err.message);
        findingSel.focus();
      } else {
        showFormError(form, err);
      }
    } finally {
      go.disabled = false;
    }
  });

  el.append(card(null, form));
  const entId = editing ? action.enterprise.id : (entSel.value || '');
  await loadFor(entId ? String(entId) : '', preselect);
}
