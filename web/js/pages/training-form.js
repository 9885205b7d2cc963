// pages/training-form.js — 新建培训 (#/trainings/new) and 编辑培训
// (#/trainings/{id}/edit): city, district officers and certification-body
// staff; the session is organised by the caller's unit. An online session
// needs its link, the others a place; the server's `field` errors appear
// under their inputs.
import { get, post, put } from '../api.js';
import { h } from '../util.js';
import {
  pageHeader, card, field, button, showFormError, clearFormErrors, setFieldError, toast, errorBox, emptyState,
} from '../ui.js';
import { loadProgramme } from '../programme.js';
import { retitle } from './certificate-common.js';
import { KIND_OPTIONS, isOrganiser, canOrganise } from './training-common.js';
import { clearErrorsOnInput } from './notice-common.js';

const toInput = (s) => (s ? String(s).replace(' ', 'T').slice(0, 16) : '');
const toApi = (s) => (s ? String(s).replace('T', ' ').slice(0, 16) : null);

export async function render(ctx) {
  const { el, params, user, site } = ctx;
  const isNew = !params.id;
  if (!canOrganise(user)) {
    el.append(pageHeader('新建培训'), emptyState('培训由市局、区市场监管局和认证机构组织', '您可以在“宣传培训”中为本企业人员报名。',
      h('a.btn.btn-primary', { href: '#/trainings' }, '查看培训')));
    return;
  }
  const [prog, t] = await Promise.all([
    loadProgramme(site).catch(() => null),
    isNew ? Promise.resolve(null) : get(`/trainings/${encodeURIComponent(params.id)}`),
  ]);
  if (!ctx.isCurrent()) return;
  if (t) retitle('编辑培训');
  if (t && !isOrganiser(t, user)) {
    el.append(pageHeader('编辑培训'), errorBox({ message: '只有主办单位可以修改本期培训。' }));
    return;
  }
  const industries = prog ? (prog.industries || []).map((i) => i.name) : [];
  const today = (site && site.today) || '';
  const v = (k, d = '') => (t && t[k] !== null && t[k] !== undefined ? t[k] : d);

  el.append(pageHeader(isNew ? '新建培训' : '编辑培训', {
    sub: isNew
      ? `由${user.unit ? user.unit.name : '本单位'}主办。发布后企业即可报名；培训当天企业人员扫描签到二维码签到。`
      : t.title,
    actions: [h('a.btn', { href: t ? `#/trainings/${t.id}` : '#/trainings' }, t ? '返回培训详情' : '返回列表')],
  }));

  const title = h('input', { type: 'text', name: 'title', maxlength: '100', value: v('title') });
  const kind = h('select', { name: 'kind' },
    KIND_OPTIONS.map(([k, label]) => h('option', { value: k, selected: k === v('kind', 'offline') }, label)));
  const industry = h('select', { name: 'industry' },
    h('option', { value: '' }, '不限行业'),
    industries.map((n) => h('option', { value: n, selected: n === v('industry') }, n)),
    v('industry') && !industries.includes(v('industry')) ? h('option', { value: v('industry'), selected: true }, v('industry')) : null);
  const starts = h('input', { type: 'datetime-local', name: 'starts_at', value: t ? toInput(t.starts_at) : (today ? `${today}T09:00` : '') });
  const ends = h('input', { type: 'datetime-local', name: 'ends_at', value: t ? toInput(t.ends_at) : (today ? `${today}T12:00` : '') });
  const place = h('input', { type: 'text', name: 'place', maxlength: '200', value: v('place'), placeholder: '如：张江科学城会议中心 3 楼报告厅' });
  const link = h('input', { type: 'url', name: 'link', maxlength: '500', value: v('link'), placeholder: 'https://', inputmode: 'url', spellcheck: 'false' });
  const capacity = h('input', { type: 'number', name: 'capacity', min: '1', max: '10000', step: '1', inputmode: 'numeric', value: String(v('capacity', '')) });
  const materials = h('textarea', { name: 'materials', rows: '5', maxlength: '5000', placeholder: '课程安排、讲义下载地址、需要携带的材料等；网址会显示为链接' });
  materials.value = v('materials');

  const placeField = field('地点', place, { required: true, hint: '线下培训和小班化定制培训须填写' });
  const linkField = field('线上链接', link, { hint: '线上培训须填写，http:// 或 https:// 开头' });
  // The required mark follows the kind: online → link, otherwise → place.
  const mark = (f, on) => {
    const label = f.querySelector('label');
    const req = label.querySelector('.req');
    if (on && !req) label.append(h('span.req', { 'aria-hidden': 'true' }, '*'));
    if (!on && req) req.remove();
    const input = f.querySelector('input');
    if (on) input.setAttribute('aria-required', 'true'); else input.removeAttribute('aria-required');
  };
  const syncKind = () => {
    const online = kind.value === 'online';
    mark(placeField, !online);
    mark(linkField, online);
  };
  kind.addEventListener('change', syncKind);
  syncKind();

  const go = button(isNew ? '发布培训' : '保存修改', { kind: 'primary', type: 'submit', id: 'training-save' });
  const form = h('form.training-form', { novalidate: true },
    field('培训名称', title, { required: true, hint: '不超过 100 字' }),
    h('div.training-grid',
      field('培训类型', kind, { required: true }),
      field('面向行业', industry, { hint: '不选表示面向所有行业' }),
      field('开始时间', starts, { required: true }),
      field('结束时间', ends, { required: true, hint: '须晚于开始时间' }),
      placeField,
      linkField,
      field('名额', capacity, { required: true, hint: '1–10000 人' })),
    field('培训资料', materials, { hint: '选填，将显示在培训详情页' }),
    h('div.form-actions', go, h('a.btn', { href: t ? `#/trainings/${t.id}` : '#/trainings' }, '取消')));

  clearErrorsOnInput(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const online = kind.value === 'online';
    const cap = capacity.value.trim();
    const data = {
      title: title.value.trim(),
      kind: kind.value,
      industry: industry.value || null,
      starts_at: toApi(starts.value),
      ends_at: toApi(ends.value),
      place: place.value.trim() || null,
      link: link.value.trim() || null,
      capacity: cap === '' ? null : Number(cap),
      materials: materials.value.trim(),
    };
    let bad = false;
    if (!data.title) { setFieldError(form, 'title', '请填写培训名称'); bad = true; }
    if (!data.starts_at) { setFieldError(form, 'starts_at', '请填写开始时间'); bad = true; }
    if (!data.ends_at) { setFieldError(form, 'ends_at', '请填写结束时间'); bad = true; }
    if (data.starts_at && data.ends_at && data.ends_at <= data.starts_at) { setFieldError(form, 'ends_at', '结束时间须晚于开始时间'); bad = true; }
    if (!online && !data.place) { setFieldError(form, 'place', '请填写培训地点'); bad = true; }
    if (online && !data.link) { setFieldError(form, 'link', '线上培训请填写线上链接'); bad = true; }
    if (data.link && !/^https?:\/\/\S+$/i.test(data.link)) { setFieldError(form, 'link', '链接应以 http:// 或 https:// 开头'); bad = true; }
    if (data.capacity === null) { setFieldError(form, 'capacity', '请填写名额'); bad = true; } else if (!Number.isInteger(data.capacity) || data.capacity < 1 || data.capacity > 10000) {
      setFieldError(form, 'capacity', '名额应为 1–10000 的整数'); bad = true;
    }
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    go.disabled = true;
    try {
      const r = isNew ? await post('/trainings', data) : await put(`/trainings/${t.id}`, data);
      toast(isNew ? '培训已发布' : '培训已保存');
      ctx.navigate(`#/trainings/${(r && r.id) || t.id}`);
    } catch (err) {
      showFormError(form, err);
    } finally {
      go.disabled = false;
    }
  });
  el.append(card(null, form));
}
