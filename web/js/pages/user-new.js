// pages/user-new.js — 新建用户 (city_admin). The role decides which
// organisation field is shown: a district/city unit for district officers, a
// certification body for cb staff, an enterprise id for enterprise contacts.
import { get, post } from '../api.js';
import { h, ROLES } from '../util.js';
import {
  pageHeader, card, field, select, clearFormErrors, setFieldError, showFormError,
  secretDialog, toast,
} from '../ui.js';

const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;

async function allUnits() {
  const items = [];
  for (let page = 1; page <= 20; page++) {
    const r = await get('/units', { page, per_page: 200 });
    items.push(...(r.items || []));
    if (items.length >= (r.total || 0) || !(r.items || []).length) break;
  }
  return items.filter((u) => u.active !== false);
}

// The units a role may belong to (docs/api.md, POST /users).
const UNIT_KINDS_FOR_ROLE = {
  district_officer: ['district', 'city'],
  cb_staff: ['cb'],
  city_admin: ['city'],
};

function fillUnitSelect(sel, units, role) {
  const kinds = UNIT_KINDS_FOR_ROLE[role] || [];
  const groups = { city: '市局', district: '区市场监管局', cb: '认证机构' };
  sel.replaceChildren(h('option', { value: '' }, role === 'city_admin' ? '（不指定，默认市局）' : '请选择单位'));
  for (const k of kinds) {
    const list = units.filter((u) => u.kind === k);
    if (!list.length) continue;
    sel.append(h('optgroup', { label: groups[k] }, list.map((u) => h('option', { value: String(u.id) }, u.name))));
  }
}

export async function render(ctx) {
  const { el } = ctx;
  el.append(pageHeader('新建用户', { sub: '不填写初始密码时，系统生成临时密码并只显示一次；用户首次登录后须修改密码。' }));
  const units = await allUnits();
  if (!ctx.isCurrent()) return;

  const username = h('input', { name: 'username', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '32' });
  const displayName = h('input', { name: 'display_name', type: 'text', autocomplete: 'off', maxlength: '64' });
  const role = select('role', [['', '请选择角色'], ...Object.entries(ROLES)], '');
  const unit = h('select', { name: 'unit_id' });
  const enterprise = h('input', { name: 'enterprise_id', type: 'number', min: '1', step: '1', inputmode: 'numeric' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });

  const unitField = field('所属单位', unit, { required: true });
  const unitLabelReq = unitField.querySelector('.req');
  const entField = field('企业ID', enterprise, { required: true, hint: '企业在平台中的编号（企业名录上线后可直接选择）' });
  unitField.hidden = true;
  entField.hidden = true;

  const syncRole = () => {
    const r = role.value;
    unitField.hidden = !UNIT_KINDS_FOR_ROLE[r];
    entField.hidden = r !== 'enterprise';
    unitLabelReq.hidden = r === 'city_admin';
    if (UNIT_KINDS_FOR_ROLE[r]) {
      fillUnitSelect(unit, units, r);
      if (r === 'city_admin') {
        const city = units.find((u) => u.kind === 'city');
        if (city) unit.value = String(city.id);
      }
    }
  };
  role.addEventListener('change', syncRole);

  const submit = h('button.btn.btn-primary', { type: 'submit' }, '创建用户');
  const form = h('form.form.form-narrow', { novalidate: true },
    field('用户名', username, { required: true, hint: '3–32 位小写字母、数字或 . _ -，如 xuhui' }),
    field('姓名', displayName, { required: true, hint: '显示在页面和日志中，如“徐汇区市场监管局 李明”' }),
    field('角色', role, { required: true }),
    unitField,
    entField,
    field('初始密码', password, { hint: '可不填：留空时由系统生成临时密码' }),
    h('div.form-actions', submit, h('a.btn', { href: '#/users' }, '取消')));
  el.append(card(null, form));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const r = role.value;
    const v = {
      username: username.value.trim(),
      display_name: displayName.value.trim(),
      role: r,
      unit_id: UNIT_KINDS_FOR_ROLE[r] && unit.value ? Number(unit.value) : null,
      enterprise_id: r === 'enterprise' && enterprise.value ? Number(enterprise.value) : null,
    };
    let bad = false;
    const fail = (name, msg) => { setFieldError(form, name, msg); bad = true; };
    if (!v.username) fail('username', '请输入用户名');
    else if (!USERNAME_RE.test(v.username)) fail('username', '用户名须为 3–32 位小写字母、数字或 . _ -');
    if (!v.display_name) fail('display_name', '请输入姓名');
    if (!r) fail('role', '请选择角色');
    if ((r === 'district_officer' || r === 'cb_staff') && !v.unit_id) fail('unit_id', '请选择所属单位');
    if (r === 'enterprise' && !(Number.isInteger(v.enterprise_id) && v.enterprise_id > 0)) fail('enterprise_id', '请输入企业ID（正整数）');
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    const body = { ...v };
    if (password.value) body.password = password.value;
    submit.disabled = true;
    try {
      const res = await post('/users', body);
      const created = (res && res.user) || res || {};
      const tmp = (res && res.temporary_password) || created.temporary_password;
      if (tmp) {
        await secretDialog({
          title: '用户已创建', intro: `已为 ${created.display_name || v.display_name} 开通账号，请将以下临时密码告知该用户。`,
          username: created.username || v.username, secret: tmp,
        });
      } else {
        toast(`已创建用户 ${v.username}`);
      }
      ctx.navigate(`#/users?q=${encodeURIComponent(v.username)}`);
    } catch (err) {
      showFormError(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  username.focus();
}
