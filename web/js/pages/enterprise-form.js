// pages/enterprise-form.js — 新建企业 (#/enterprises/new) and 编辑企业
// (#/enterprises/{id}/edit, and #/enterprise/edit for the enterprise itself).
// Labels above the fields, the USCC checked live on the client (GB 32100; the
// server stays the authority), the server's 422 `field` under its input (the
// size-class refusal, which explains the thresholds, under 企业规模), and the
// region warning shown after saving. An enterprise contact may change only
// the address, park, sector, size figures and contact.
import { get, post, put } from '../api.js';
import { h } from '../util.js';
import {
  pageHeader, card, field, button, showFormError, clearFormErrors, setFieldError, toast, errorBox, uid,
} from '../ui.js';
import { loadProgramme } from '../programme.js';
import {
  SECTORS, MEASURE_NAME, checkUscc, industryNames, loadDistricts, sizeTag,
} from './enterprise-common.js';

// What the enterprise itself may change (docs/api.md PUT /enterprises/{id}).
const SELF_FIELDS = ['address', 'park', 'sector', 'employees', 'revenue', 'total_assets', 'contact_name', 'contact_phone'];
const NUMBER_FIELDS = ['employees', 'revenue', 'total_assets'];

export async function render(ctx) {
  const { el, params, user, site } = ctx;
  const self = user.role === 'enterprise';
  const id = self ? (user.enterprise && user.enterprise.id) : params.id;
  const isNew = !self && !params.id;
  const isCity = user.role === 'city_admin';
  if (!isNew && !id) {
    el.append(pageHeader('修改企业信息'), errorBox({ message: '当前账号未关联企业，请联系区市场监管局。' }));
    return;
  }
  const [prog, districts, ent] = await Promise.all([
    loadProgramme(site),
    loadDistricts().catch(() => []),
    isNew ? Promise.resolve(null) : get(`/enterprises/${encodeURIComponent(id)}`),
  ]);
  if (!ctx.isCurrent()) return;
  const industries = industryNames(prog);
  const backHref = self ? '#/enterprise' : ent ? `#/enterprises/${ent.id}` : '#/enterprises';
  const title = isNew ? '新建企业' : self ? '修改企业信息' : '编辑企业';
  if (ent) document.title = `${title}：${ent.name} - ${document.title.split(' - ').pop()}`;

  el.append(pageHeader(title, {
    sub: isNew
      ? '登记自愿参加本次提升行动的小型、微型企业。保存时按《中小企业划型标准规定》自动划型，中型及以上企业不能登记。'
      : self
        ? '企业可以修改地址、园区、划型行业、规模指标和联系人；企业名称、统一社会信用代码等如有变化，请联系所在区市场监管局。'
        : ent.name,
  }));

  const locked = (name) => self && !SELF_FIELDS.includes(name);
  const v = (name) => (ent && ent[name] !== null && ent[name] !== undefined ? ent[name] : '');
  const text = (name, extra = {}) => h('input', {
    type: 'text', name, value: String(v(name)), disabled: locked(name), ...extra,
  });
  const num = (name, extra = {}) => h('input', {
    type: 'number', name, value: String(v(name)), min: '0', inputmode: 'decimal', disabled: locked(name), ...extra,
  });

  // Inputs.
  const nameIn = text('name', { maxlength: '100', autocomplete: 'organization' });
  const usccIn = text('uscc', { maxlength: '24', autocapitalize: 'characters', spellcheck: 'false', class: 'reg-uscc-input' });
  const usccLive = h('p.reg-live', { id: uid('live'), 'aria-live': 'polite' });
  const myDistrict = user.unit && user.unit.district;
  const districtSel = isCity && !self
    ? h('select', { name: 'district' }, h('option', { value: '' }, '请选择所属区'),
      districts.map((d) => h('option', { value: d.district, selected: d.district === v('district') }, d.district)))
    : h('input', { type: 'text', name: 'district', value: String(v('district') || myDistrict || ''), disabled: true });
  const industrySel = h('select', { name: 'industry', disabled: locked('industry') },
    h('option', { value: '' }, '请选择试点行业'),
    industries.map((n) => h('option', { value: n, selected: n === v('industry') }, n)),
    v('industry') && !industries.includes(v('industry')) ? h('option', { value: v('industry'), selected: true }, v('industry')) : null);
  const sectorSel = h('select', { name: 'sector' },
    h('option', { value: '' }, '请选择划型行业'),
    SECTORS.map(([k, n]) => h('option', { value: k, selected: k === v('sector') }, n)));
  const sectorHint = h('p.field-hint', { id: uid('hint') });
  const employeesIn = num('employees', { step: '1' });
  const revenueIn = num('revenue', { step: '0.01' });
  const assetsIn = num('total_assets', { step: '0.01' });
  const sizeOut = h('output', { name: 'size_class', class: 'reg-size-out', id: uid('size') },
    ent ? [sizeTag(ent), h('span.cell-muted', ' 保存后按最新数据重新划型')] : h('span.cell-muted', '保存时按划型行业和规模指标自动判定（小型 / 微型）'));
  const consent = h('input', { type: 'checkbox', name: 'consent', id: uid('consent'), checked: ent ? ent.consent !== false : false, disabled: self });

  // Live USCC check: advice only, the server decides.
  const regionCode = () => {
    const dn = isCity ? districtSel.value : (v('district') || myDistrict);
    const d = districts.find((x) => x.district === dn);
    return d ? d.region_code : null;
  };
  const liveUscc = () => {
    const s = usccIn.value.trim();
    usccLive.className = 'reg-live';
    if (!s) { usccLive.textContent = ''; return; }
    const why = checkUscc(s);
    if (why) {
      usccLive.textContent = why;
      usccLive.classList.add('reg-live-bad');
      return;
    }
    const rc = regionCode();
    if (rc && s.slice(2, 8) !== rc) {
      usccLive.textContent = `校验通过；登记机关代码 ${s.slice(2, 8)} 与所属区代码 ${rc} 不一致，保存后请核实注册地`;
      usccLive.classList.add('reg-live-warn');
    } else {
      usccLive.textContent = '校验通过';
      usccLive.classList.add('reg-live-ok');
    }
  };
  usccIn.addEventListener('input', liveUscc);
  if (isCity) districtSel.addEventListener('change', liveUscc);

  // Which size figures the chosen sector needs (marked * and named in the hint).
  const measureFields = { employees: employeesIn, revenue: revenueIn, total_assets: assetsIn };
  const onSector = () => {
    const s = SECTORS.find(([k]) => k === sectorSel.value);
    for (const [name, input] of Object.entries(measureFields)) {
      const need = !!(s && s[2].includes(name));
      const wrap = input.closest('.field');
      const mark = wrap && wrap.querySelector('label .req');
      if (mark) mark.hidden = !need;
      if (need) input.setAttribute('aria-required', 'true'); else input.removeAttribute('aria-required');
    }
    sectorHint.textContent = s
      ? `${s[1]}按${s[2].map((m) => MEASURE_NAME[m]).join('、')}划型。`
      : '按《中小企业划型标准规定》（工信部联企业〔2011〕300号）选择企业所属的划型行业。';
  };
  sectorSel.setAttribute('aria-describedby', sectorHint.id);

  const measureField = (label, input, unit) => {
    const f = field(label, input, { required: true });
    const lab = f.querySelector('label');
    lab.insertBefore(h('span.reg-unit', unit), lab.querySelector('.req'));
    return f;
  };
  const lockNote = (f) => { if (f.querySelector('input:disabled, select:disabled')) f.classList.add('reg-field-locked'); return f; };

  const form = h('form.reg-form', { novalidate: true },
    h('fieldset.reg-fieldset', h('legend', '企业基本信息'),
      h('div.reg-grid',
        lockNote(h('div.reg-span-2', field('企业名称', nameIn, { required: true }))),
        lockNote(h('div', { class: 'reg-uscc-field' }, (() => {
          const f = field('统一社会信用代码', usccIn, { required: true, hint: '18 位，字母大写；不使用 I、O、S、V、Z' });
          f.append(usccLive);
          usccIn.setAttribute('aria-describedby', [usccIn.getAttribute('aria-describedby'), usccLive.id].filter(Boolean).join(' '));
          return f;
        })())),
        lockNote(field('所属区', districtSel, { required: isCity && !self })),
        lockNote(field('试点行业', industrySel, { required: true })),
        field('所属园区/基地/创新中心', text('park', { maxlength: '100', placeholder: '如 张江高科技园区' })),
        h('div.reg-span-2', field('地址', text('address', { maxlength: '200' }))))),
    h('fieldset.reg-fieldset', h('legend', '企业划型'),
      h('div.reg-grid',
        h('div.reg-span-2', (() => { const f = field('划型行业', sectorSel, { required: true }); f.append(sectorHint); return f; })()),
        measureField('从业人员', employeesIn, '（人）'),
        measureField('营业收入', revenueIn, '（万元）'),
        measureField('资产总额', assetsIn, '（万元）'),
        h('div.field', { dataset: { field: 'size_class' } }, h('label', { for: sizeOut.id }, '企业规模'), sizeOut))),
    h('fieldset.reg-fieldset', h('legend', '联系人'),
      h('div.reg-grid',
        field('联系人', text('contact_name', { maxlength: '30', autocomplete: 'name' })),
        field('联系电话', h('input', { type: 'tel', name: 'contact_phone', value: String(v('contact_phone')), maxlength: '20', autocomplete: 'tel' }),
          { hint: '手机号如 13812345678，固定电话须带区号，如 021-12345678' }))),
    self ? null : h('div.field.reg-consent', { dataset: { field: 'consent' } },
      h('label.check', { for: consent.id }, consent, h('span', '企业自愿参加本次提升行动'), h('span.req', { 'aria-hidden': 'true' }, '*')),
      h('p.field-hint', '本行动坚持企业自愿原则，请确认企业已同意参加后勾选。')));
  sectorSel.addEventListener('change', onSector);
  onSector();
  if (usccIn.value) liveUscc();

  const saveBtn = button(isNew ? '保存' : '保存修改', { kind: 'primary', type: 'submit' });
  form.append(h('div.form-actions', saveBtn, h('a.btn', { href: backHref }, '取消')));
  el.append(card(null, form));

  const body = () => {
    const out = {};
    for (const input of form.querySelectorAll('input[name], select[name]')) {
      const name = input.name;
      if (input.disabled || name === 'size_class') continue;
      if (self && !SELF_FIELDS.includes(name)) continue;
      if (name === 'consent') { out.consent = input.checked; continue; }
      if (name === 'district' && !isCity) continue;
      const val = input.value.trim();
      if (NUMBER_FIELDS.includes(name)) {
        out[name] = val === '' ? null : Number(val);
        continue;
      }
      out[name] = val;
    }
    return out;
  };

  // Client checks: only what the server would refuse for sure.
  const check = (b) => {
    const errs = [];
    if (!self) {
      if (!b.name) errs.push(['name', '请填写企业名称']);
      const why = checkUscc(b.uscc);
      if (why) errs.push(['uscc', why]);
      if (isCity && !b.district) errs.push(['district', '请选择所属区']);
      if (!b.industry) errs.push(['industry', '请选择试点行业']);
      if (!b.consent) errs.push(['consent', '企业须自愿参加：请确认企业已同意参加本次提升行动']);
    }
    if (!b.sector) errs.push(['sector', '请选择划型行业']);
    // The figures the sector's size class needs (the server names them all
    // under employees; here each goes under its own input).
    const sec = SECTORS.find(([k]) => k === (b.sector ?? (ent && ent.sector)));
    if (sec) {
      for (const m of sec[2]) {
        const val = m in b ? b[m] : ent ? ent[m] : null;
        if (val === null || val === undefined) errs.push([m, `${sec[1]}按${sec[2].map((x) => MEASURE_NAME[x]).join('、')}划型，请填写${MEASURE_NAME[m]}`]);
      }
    }
    for (const n of NUMBER_FIELDS) {
      if (b[n] !== null && b[n] !== undefined && (Number.isNaN(b[n]) || b[n] < 0)) errs.push([n, `${MEASURE_NAME[n]}应为不小于 0 的数字`]);
    }
    if (b.employees !== null && b.employees !== undefined && !Number.isNaN(b.employees) && !Number.isInteger(b.employees)) {
      errs.push(['employees', '从业人员应为整数']);
    }
    return errs;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const b = body();
    const errs = check(b);
    if (errs.length) {
      for (const [n, m] of errs) setFieldError(form, n, m);
      const first = form.querySelector('[aria-invalid="true"]');
      if (first) first.focus();
      return;
    }
    // Absent rather than null: a null would leave the stored value (docs/api.md).
    for (const n of NUMBER_FIELDS) if (b[n] === null) delete b[n];
    saveBtn.disabled = true;
    try {
      const saved = isNew ? await post('/enterprises', b) : await put(`/enterprises/${ent.id}`, b);
      toast(saved.region_warning ? `${isNew ? '企业已登记' : '企业信息已保存'}，请核实注册地` : isNew ? '企业已登记' : '企业信息已保存',
        saved.region_warning ? 'warning' : 'success');
      ctx.navigate(self ? '#/enterprise' : `#/enterprises/${saved.id}`);
    } catch (err) {
      showFormError(form, err);
    } finally {
      saveBtn.disabled = false;
    }
  });
}
