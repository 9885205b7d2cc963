// pages/questionnaire.js — 企业效果问卷.
//   #/questionnaire        an enterprise answers its own questionnaire;
//   #/questionnaires       the city and district officers: the assisted
//                          enterprises in scope and whether each has answered;
//   #/questionnaires/{id}  one enterprise's questionnaire — a district officer
//                          may enter it on the enterprise's behalf (e.g. after
//                          a phone call); the city reads it.
// Two questions: the improvement (非常明显 / 比较明显 / 一般 / 不明显, radio
// buttons) and the satisfaction (1–5 stars, as buttons), plus comments. Only
// enterprises assigned to a certification body answer; answers lock when the
// district's evaluation is confirmed.
import { get, put } from '../api.js';
import { h, tag, fmtDateTime } from '../util.js';
import {
  pageHeader, card, dataTable, pager, emptyState, errorBox, field, button, toast,
  setFieldError, clearFormErrors, showFormError,
} from '../ui.js';

const PER_PAGE = 20;
const STARS = ['很不满意', '不满意', '一般', '满意', '很满意'];

export async function render(ctx) {
  const { user, params } = ctx;
  if (params.id) return renderForm(ctx, params.id);
  if (user.role === 'enterprise') {
    if (!user.enterprise) {
      ctx.el.append(pageHeader('企业效果问卷'), emptyState('账号未关联企业', '请联系所在区市场监管局。'));
      return undefined;
    }
    return renderForm(ctx, user.enterprise.id);
  }
  return renderList(ctx);
}

// ---- The list (city, district officers) -----------------------------------

async function renderList(ctx) {
  const { el, query } = ctx;
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  el.append(pageHeader('企业效果问卷', {
    sub: '已指派认证机构帮扶的企业填写效果问卷：改善程度和满意度。企业未能在线填写的，区市场监管局可在电话或现场回访后代为录入。',
    actions: [h('a.btn', { href: '#/evaluations' }, '评分总览')],
  }));
  const body = h('div', h('p.loading', '正在加载…'));
  el.append(card(null, body));
  let data;
  let answers;
  try {
    data = await get('/enterprises', { assigned: 'true', page, per_page: PER_PAGE });
    answers = await Promise.all((data.items || []).map((e) => get(`/enterprises/${e.id}/questionnaire`).catch(() => null)));
  } catch (err) {
    if (ctx.isCurrent()) body.replaceChildren(errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const rows = (data.items || []).map((e, i) => ({ e, q: answers[i] }));
  body.replaceChildren(dataTable([
    { primary: true, label: '企业', render: (r) => h('a.quest-row-link', { href: `#/questionnaires/${r.e.id}`, text: r.e.name }) },
    { label: '所属区', render: (r) => r.e.district, cls: 'nowrap' },
    { label: '认证机构', render: (r) => (r.e.assignment && r.e.assignment.cb ? r.e.assignment.cb.name : '—') },
    { label: '问卷', render: (r) => (r.q && r.q.answered ? tag('已填写', 'green') : tag('未填写', 'grey')), cls: 'nowrap' },
    { label: '改善程度', render: (r) => (r.q && r.q.answered ? r.q.improvement_name : '—'), cls: 'nowrap' },
    { label: '满意度', render: (r) => (r.q && r.q.answered ? starText(r.q.satisfaction) : '—'), cls: 'nowrap' },
    { label: '填写人', render: (r) => (r.q && r.q.answered ? h('code.username', r.q.answered_by) : '—') },
  ], rows, {
    caption: '受帮扶企业效果问卷',
    rowClass: (r) => `quest-row${r.q && r.q.answered ? ' quest-row-answered' : ''}`,
    empty: emptyState('暂无受帮扶企业', '试点企业指派认证机构后，会列在这里等待填写效果问卷。'),
  }), pager({ total: data.total || 0, page, perPage: PER_PAGE, onPage: (p) => ctx.setQuery({ page: p }) }));
}

const starText = (n) => `${'★'.repeat(n)}${'☆'.repeat(5 - n)} ${n} 分`;

// ---- The form ---------------------------------------------------------------

async function renderForm(ctx, id) {
  const { el, user } = ctx;
  const q = await get(`/enterprises/${encodeURIComponent(id)}/questionnaire`);
  if (!ctx.isCurrent()) return;
  const own = user.role === 'enterprise';
  const actions = own ? [] : [h('a.btn', { href: '#/questionnaires' }, '问卷列表')];
  el.append(pageHeader('企业效果问卷', {
    sub: own ? '参加小微企业质量管理体系认证提升行动后，请如实评价本企业的提升效果和对帮扶服务的满意程度。'
      : `${q.enterprise.name} · ${user.role === 'district_officer' ? '企业未能在线填写的，可在回访后代为录入' : '只读'}`,
    actions,
  }));

  if (!q.assisted) {
    el.append(card(null, emptyState('无需填写效果问卷',
      own ? '本企业尚未由区市场监管局指派认证机构帮扶。指派并完成帮扶后，再填写效果问卷。'
        : '该企业尚未指派认证机构帮扶，效果问卷只由受帮扶企业填写。')));
    return;
  }
  if (q.answered) {
    el.append(h('div.alert.alert-success.quest-answered', { role: 'status' },
      `已于 ${fmtDateTime(q.answered_at)} 提交（填写人 ${q.answered_by}）。`,
      q.can_answer ? '如有变化，可修改后重新提交。' : ''));
  }
  if (q.locked) {
    el.append(h('div.alert.alert-info', { role: 'status' }, '所在区的总结验收评分已确认，问卷不能再修改。'));
  }
  el.append(card(h('div.card-head-row', h('h2.card-title', { text: q.enterprise.name }),
    h('span.card-note', own ? '带 * 的为必答题' : '效果问卷')), form(q, id, ctx)));
}

function form(q, id, ctx) {
  const readonly = !q.can_answer;
  const f = h('form.quest-form', { novalidate: true });

  // 1. improvement: radio buttons
  const groupId = 'quest-improvement';
  const radios = h('div.quest-options', { role: 'radiogroup', 'aria-labelledby': `${groupId}-label`, 'aria-required': 'true' },
    q.options.map((o) => h('label.quest-option', { class: q.improvement === o.value ? 'is-checked' : undefined },
      h('input', { type: 'radio', name: 'improvement', value: o.value, checked: q.improvement === o.value, disabled: readonly }),
      h('span.quest-option-label', { text: o.label }))));
  radios.addEventListener('change', () => {
    for (const l of radios.querySelectorAll('.quest-option')) l.classList.toggle('is-checked', l.querySelector('input').checked);
    clearError(f, 'improvement');
  });
  f.append(h('fieldset.field.quest-question', { dataset: { field: 'improvement' } },
    h('legend', { id: `${groupId}-label` }, '1. 参加提升行动后，本企业质量管理水平的改善程度', h('span.req', { 'aria-hidden': 'true' }, '*')),
    radios));

  // 2. satisfaction: 1–5 stars as buttons (aria-pressed), the value in a hidden input
  let value = q.satisfaction || 0;
  const hidden = h('input', { type: 'hidden', name: 'satisfaction', value: value ? String(value) : '' });
  const caption = h('span.quest-star-caption', { 'aria-live': 'polite' });
  const stars = [1, 2, 3, 4, 5].map((n) => h('button.quest-star', {
    type: 'button', disabled: readonly, dataset: { value: String(n) }, 'aria-label': `${n} 分 ${STARS[n - 1]}`,
    on: { click: () => { value = n; paint(); clearError(f, 'satisfaction'); } },
  }, '★'));
  const paint = () => {
    hidden.value = value ? String(value) : '';
    for (const b of stars) {
      const on = Number(b.dataset.value) <= value;
      b.classList.toggle('is-on', on);
      b.setAttribute('aria-pressed', String(Number(b.dataset.value) === value));
    }
    caption.textContent = value ? `${value} 分 · ${STARS[value - 1]}` : '请点击星级评分';
  };
  paint();
  f.append(h('fieldset.field.quest-question', { dataset: { field: 'satisfaction' } },
    h('legend', '2. 对本次提升行动帮扶服务的满意度', h('span.req', { 'aria-hidden': 'true' }, '*')),
    h('div.quest-stars', { role: 'group', 'aria-label': '满意度 1 到 5 分' }, stars, caption), hidden));

  // 3. comments
  const comments = h('textarea', { name: 'comments', rows: '3', maxlength: '500', value: q.comments || '', disabled: readonly,
    placeholder: '对帮扶服务和提升行动的意见建议（选填）' });
  f.append(field('3. 意见建议', comments, { hint: '不超过 500 字' }));

  if (readonly) return f;
  const submit = button(q.answered ? '修改并提交' : '提交问卷', { kind: 'primary', type: 'submit', id: 'quest-submit' });
  f.append(h('div.form-actions', submit));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(f);
    const picked = f.querySelector('input[name="improvement"]:checked');
    let bad = false;
    if (!picked) { errorUnder(f, 'improvement', '请选择改善程度'); bad = true; }
    if (!value) { errorUnder(f, 'satisfaction', '请选择满意度（1–5 分）'); bad = true; }
    if (bad) return;
    submit.disabled = true;
    try {
      await put(`/enterprises/${encodeURIComponent(id)}/questionnaire`,
        { improvement: picked.value, satisfaction: value, comments: comments.value.trim() });
      toast('效果问卷已提交，感谢您的评价');
      ctx.navigate(location.hash);
    } catch (err) {
      if (err.field && errorUnder(f, err.field, err.message)) return;
      showFormError(f, err);
    } finally {
      submit.disabled = false;
    }
  });
  return f;
}

// Drop the message of a question once it is answered.
function clearError(form, name) {
  const box = form.querySelector(`[data-field="${name}"]`);
  if (!box) return;
  for (const m of box.querySelectorAll('.field-error')) m.remove();
  for (const el of box.querySelectorAll('[aria-invalid], [aria-describedby]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
}

// A message at the end of the question's fieldset (radio groups and stars have
// no single input for setFieldError to sit under).
function errorUnder(form, name, message) {
  const box = form.querySelector(`[data-field="${name}"]`);
  if (!box) return false;
  if (name === 'comments') return setFieldError(form, name, message);
  const msg = h('p.field-error', { id: `quest-${name}-error`, role: 'alert', text: message });
  box.append(msg);
  const target = box.querySelector('input:not([type="hidden"]), button');
  if (target) {
    for (const el of box.querySelectorAll('input:not([type="hidden"]), button')) el.setAttribute('aria-describedby', msg.id);
    target.setAttribute('aria-invalid', 'true');
    target.focus();
  }
  return true;
}
