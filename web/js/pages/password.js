// pages/password.js — 修改密码. Also the forced first step after logging in
// with a temporary password (user.must_change_password).
import { post } from '../api.js';
import { h } from '../util.js';
import { pageHeader, card, field, clearFormErrors, setFieldError, showFormError, toast } from '../ui.js';

export async function render(ctx) {
  const { el, user } = ctx;
  const forced = !!user.must_change_password;
  el.append(pageHeader('修改密码'));
  if (forced) {
    el.append(h('div.alert.alert-warning', { role: 'alert' },
      '您正在使用临时密码登录。为保障账号安全，请先设置新密码，然后再使用平台的其他功能。'));
  }
  const current = h('input', { name: 'current_password', type: 'password', autocomplete: 'current-password' });
  const next = h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', maxlength: '128' });
  const confirm = h('input', { name: 'confirm_password', type: 'password', autocomplete: 'new-password', maxlength: '128' });
  const submit = h('button.btn.btn-primary', { type: 'submit' }, '确认修改');
  const done = h('div.alert.alert-success', { role: 'status', hidden: true });
  const form = h('form.form.form-narrow', { novalidate: true },
    field(forced ? '当前密码（临时密码）' : '当前密码', current, { required: true }),
    field('新密码', next, { required: true, hint: '8–128 个字符；不能与用户名相同，不能使用常见密码' }),
    field('确认新密码', confirm, { required: true }),
    h('div.form-actions', submit, forced ? null : h('a.btn', { href: '#/home' }, '返回首页')));
  el.append(card(null, done, form));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    done.hidden = true;
    let bad = false;
    const fail = (name, msg) => { setFieldError(form, name, msg); bad = true; };
    if (!current.value) fail('current_password', '请输入当前密码');
    if (!next.value) fail('new_password', '请输入新密码');
    else if ([...next.value].length < 8) fail('new_password', '新密码至少 8 个字符');
    else if (next.value === user.username) fail('new_password', '新密码不能与用户名相同');
    if (!confirm.value) fail('confirm_password', '请再次输入新密码');
    else if (next.value && confirm.value !== next.value) fail('confirm_password', '两次输入的新密码不一致');
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    submit.disabled = true;
    try {
      await post('/me/password', { current_password: current.value, new_password: next.value });
      form.reset();
      await ctx.refreshUser();
      if (forced) {
        toast('密码已修改，欢迎使用');
        ctx.navigate('#/home');
      } else {
        done.textContent = '密码已修改。您在其他设备上的登录已退出，当前登录保持有效。';
        done.hidden = false;
        toast('密码已修改');
      }
    } catch (err) {
      showFormError(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  current.focus();
}
