// City administrator pages: create a user through the form (client and server
// errors under the right field, the one-time temporary password), disable and
// enable with a confirmation dialog, reset the password, the new user's forced
// password change, the audit log; and that other roles cannot get there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { byLabel, setup, newPage, login, shot, text, assertNoProblems, assertBreadcrumb } from './browser.mjs';

let env;
let admin; // { context, page } of the logged-in city administrator
before(async () => {
  env = await setup();
  admin = await newPage(env.browser);
  await login(admin.page, env.base, 'city');
});
after(async () => {
  if (admin) await admin.context.close();
  if (env) await env.teardown();
});

const NEW_USER = { username: 'xuhui_li', display_name: '徐汇区市场监管局 李明', unit: '徐汇区市场监管局' };
let tempPassword = null;

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

const fieldError = (page, name) => page.locator(`.field[data-field="${name}"] .field-error`);

test('users list shows the demo accounts with filters and pagination', async () => {
  const { page } = admin;
  await page.locator('#sidenav').getByRole('link', { name: '用户管理' }).click();
  await page.waitForURL(/#\/users$/);
  await page.locator('table tbody tr').first().waitFor();
  const list = await text(page.locator('table'));
  for (const u of ['city', 'pudong', 'huangpu', 'cb1', 'cb2', 'ent1']) assert.ok(list.includes(u), u);
  assert.match(await text(page.locator('.pager-total')), /^共 \d+ 条$/);
  // The administrator cannot disable themselves: no button on their own row.
  const own = page.locator('tbody tr', { has: page.locator('code', { hasText: /^city$/ }) });
  assert.equal(await own.getByRole('button', { name: '停用' }).count(), 0);
  await shot(page, 'users');

  // Filter by role.
  await byLabel(page.locator('#content'), '角色').selectOption('cb_staff');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/role=cb_staff/);
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);
  const filtered = await text(page.locator('tbody'));
  assert.ok(filtered.includes('cb1') && filtered.includes('cb2') && !filtered.includes('pudong'), filtered);
  // A filter with no match says what to do next.
  await byLabel(page.locator('#content'), '关键字').fill('zz-no-such-user');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.empty').waitFor();
  assert.ok((await text(page.locator('.empty'))).includes('重置'));
  assertNoProblems(page);
});

test('create user: field errors, role-driven unit select, temporary password', async () => {
  const { page } = admin;
  await go(page, '#/users');
  await page.getByRole('link', { name: '新建用户' }).click();
  await page.waitForURL(/#\/users\/new$/);
  await byLabel(page.locator('#content'), '用户名').waitFor();
  await assertBreadcrumb(page, '首页 / 系统管理 / 用户管理 / 新建用户');

  // Client-side checks put each message under its field.
  await page.getByRole('button', { name: '创建用户' }).click();
  assert.equal(await text(fieldError(page, 'username')), '请输入用户名');
  assert.equal(await text(fieldError(page, 'display_name')), '请输入姓名');
  assert.equal(await text(fieldError(page, 'role')), '请选择角色');
  assert.equal(await byLabel(page.locator('#content'), '用户名').getAttribute('aria-invalid'), 'true');

  // The role decides which organisation field is shown and what it offers.
  const unit = byLabel(page.locator('#content'), '所属单位');
  assert.equal(await unit.isVisible(), false);
  await byLabel(page.locator('#content'), '角色').selectOption('cb_staff');
  const cbOptions = await unit.locator('option').allInnerTexts();
  assert.ok(cbOptions.every((o) => o === '请选择单位' || !o.includes('市场监管局')), cbOptions.join(','));
  assert.ok(cbOptions.length >= 3, 'two demo certification bodies offered');
  await byLabel(page.locator('#content'), '角色').selectOption('enterprise');
  assert.equal(await unit.isVisible(), false);
  assert.ok(await byLabel(page.locator('#content'), '企业ID').isVisible());
  await byLabel(page.locator('#content'), '角色').selectOption('district_officer');
  assert.equal(await byLabel(page.locator('#content'), '企业ID').isVisible(), false);
  const dOptions = await unit.locator('option').allInnerTexts();
  assert.ok(dOptions.includes('浦东新区市场监管局') && dOptions.includes(NEW_USER.unit), dOptions.join(','));
  assert.ok(!dOptions.some((o) => o.includes('认证')), 'no certification body for a district officer');

  // The server's field error (duplicate username) lands under the username.
  await byLabel(page.locator('#content'), '用户名').fill('pudong');
  await byLabel(page.locator('#content'), '姓名').fill(NEW_USER.display_name);
  await unit.selectOption({ label: NEW_USER.unit });
  await page.getByRole('button', { name: '创建用户' }).click();
  await fieldError(page, 'username').waitFor();
  assert.equal(await fieldError(page, 'display_name').count(), 0);
  assert.equal(await page.locator('.form-error').count(), 0, 'not shown as a form-level error');
  await shot(page, 'user-new-errors');

  await byLabel(page.locator('#content'), '用户名').fill(NEW_USER.username);
  await page.getByRole('button', { name: '创建用户' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.waitFor();
  assert.ok((await text(dlg)).includes('用户已创建'));
  tempPassword = await text(dlg.locator('.secret-value'));
  assert.ok(tempPassword.length >= 8, `temporary password shown: ${tempPassword}`);
  await shot(page, 'user-new-password');
  await dlg.getByRole('button', { name: '我已记下' }).click();
  await page.waitForURL(/#\/users\?q=xuhui_li$/);
  const row = page.locator('tbody tr', { hasText: NEW_USER.username });
  await row.waitFor();
  assert.ok((await text(row)).includes(NEW_USER.unit));
  assert.ok((await text(row)).includes('待改密码'));
  assertNoProblems(page);
});

test('the new user must change the temporary password first', async () => {
  assert.ok(tempPassword, 'created by the previous test');
  const { context, page } = await newPage(env.browser);
  try {
    await login(page, env.base, NEW_USER.username, tempPassword);
    await page.waitForURL(/#\/password$/);
    assert.ok((await text(page.locator('.alert-warning'))).includes('临时密码'));
    // Other pages are not reachable until the password is changed.
    await go(page, '#/units');
    await page.waitForURL(/#\/password$/);

    await byLabel(page.locator('#content'), '当前密码（临时密码）').fill(tempPassword);
    await byLabel(page.locator('#content'), '新密码').fill('Xuhui-2021-good');
    await byLabel(page.locator('#content'), '确认新密码').fill('Xuhui-2021-other');
    await page.getByRole('button', { name: '确认修改' }).click();
    assert.equal(await text(fieldError(page, 'confirm_password')), '两次输入的新密码不一致');

    // Wrong current password: the server's message goes under that field.
    await byLabel(page.locator('#content'), '当前密码（临时密码）').fill('not-the-temp-pw');
    await byLabel(page.locator('#content'), '确认新密码').fill('Xuhui-2021-good');
    await page.getByRole('button', { name: '确认修改' }).click();
    await fieldError(page, 'current_password').waitFor();
    assert.equal(await fieldError(page, 'confirm_password').count(), 0);
    await shot(page, 'password-errors');

    await byLabel(page.locator('#content'), '当前密码（临时密码）').fill(tempPassword);
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.waitForURL(/#\/home$/);
    assert.ok((await text(page.locator('.welcome'))).includes(NEW_USER.display_name));
    assert.ok((await text(page.locator('.welcome'))).includes(NEW_USER.unit));
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('disable and enable with a confirmation dialog; reset password', async () => {
  const { page } = admin;
  await go(page, '#/users?q=xuhui_li');
  const row = page.locator('tbody tr', { hasText: NEW_USER.username });
  await row.waitFor();

  // Cancelling the dialog changes nothing.
  await row.getByRole('button', { name: '停用' }).click();
  let dlg = page.getByRole('dialog');
  await dlg.waitFor();
  assert.ok((await text(dlg)).includes('确定停用用户'));
  await dlg.getByRole('button', { name: '取消' }).click();
  await dlg.waitFor({ state: 'detached' });
  assert.ok((await text(row)).includes('启用'));
  assert.equal(await row.getByRole('button', { name: '停用' }).count(), 1);

  await row.getByRole('button', { name: '停用' }).click();
  dlg = page.getByRole('dialog');
  await dlg.waitFor();
  await shot(page, 'users-confirm-disable');
  await dlg.getByRole('button', { name: '确认停用' }).click();
  await row.locator('.tag', { hasText: '已停用' }).waitFor();
  assert.equal(await row.getByRole('button', { name: '启用' }).count(), 1);

  // The disabled user cannot log in.
  const other = await newPage(env.browser);
  try {
    await other.page.goto(`${env.base}/`);
    await byLabel(other.page, '用户名').fill(NEW_USER.username);
    await byLabel(other.page, '密码').fill('Xuhui-2021-good');
    await other.page.getByRole('button', { name: '登录' }).click();
    await other.page.locator('#login-error').waitFor({ state: 'visible' });
    assert.equal(await text(other.page.locator('#login-error')), '用户名或密码错误');
  } finally {
    await other.context.close();
  }

  await row.getByRole('button', { name: '启用' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认启用' }).click();
  await row.locator('.tag', { hasText: /^启用$/ }).waitFor();

  await row.getByRole('button', { name: '重置密码' }).click();
  dlg = page.getByRole('dialog');
  assert.ok((await text(dlg)).includes('确定重置用户'));
  await dlg.getByRole('button', { name: '确认重置' }).click();
  const done = page.getByRole('dialog', { name: '密码已重置' });
  await done.waitFor();
  const pw = await text(done.locator('.secret-value'));
  assert.ok(pw.length >= 8 && pw !== tempPassword, `new temporary password: ${pw}`);
  await done.getByRole('button', { name: '我已记下' }).click();
  await row.locator('.tag', { hasText: '待改密码' }).waitFor();

  // Disable once more so the list shows 已停用 in the final screenshot.
  await row.getByRole('button', { name: '停用' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认停用' }).click();
  await row.locator('.tag', { hasText: '已停用' }).waitFor();
  assertNoProblems(page);
});

test('audit log shows the account actions in Chinese with Shanghai times', async () => {
  const { page } = admin;
  await page.locator('#sidenav').getByRole('link', { name: '操作日志' }).click();
  await page.waitForURL(/#\/audit$/);
  await page.locator('tbody tr').first().waitFor();
  const all = await text(page.locator('tbody'));
  for (const label of ['新建用户', '停用用户', '启用用户', '重置密码', '登录成功', '登录失败', '修改密码']) {
    assert.ok(all.includes(label), `audit shows ${label}`);
  }
  const actions = await page.locator('td[data-label="操作"]').allInnerTexts();
  const codes = ['login.success', 'login.failure', 'login.locked', 'logout', 'password.change',
    'password.change_failed', 'user.create', 'user.update', 'user.disable', 'user.enable',
    'user.reset_password', 'job.run'];
  for (const a of actions) assert.ok(!codes.includes(a.trim()), `action code translated: ${a}`);
  assert.ok(all.includes('原因：账号已停用'), 'failure reason in Chinese');
  assert.ok(all.includes('角色：区市场监管局'), 'role in Chinese');
  const times = await page.locator('tbody tr td:first-child').allInnerTexts();
  for (const t of times) assert.match(t.trim(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await shot(page, 'audit');

  // Filter by action.
  await byLabel(page.locator('#content'), '操作').selectOption('user.disable');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/action=user\.disable/);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tbody tr')];
    return rows.length > 0 && rows.every((tr) => tr.innerText.includes('停用用户'));
  });
  assert.equal(await page.locator('tbody tr').count(), 2);
  // Filter by user name and a date range that excludes everything.
  await byLabel(page.locator('#content'), '操作').selectOption('');
  await byLabel(page.locator('#content'), '用户名').fill('city');
  await byLabel(page.locator('#content'), '开始日期').fill('2000-01-01');
  await byLabel(page.locator('#content'), '结束日期').fill('2000-01-02');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.empty').waitFor();
  assertNoProblems(page);
});

test('units directory filters by kind and name', async () => {
  const { page } = admin;
  await go(page, '#/units');
  await page.locator('tbody tr').first().waitFor();
  const total = Number((await text(page.locator('.pager-total'))).match(/共 (\d+) 条/)[1]);
  assert.ok(total >= 18, `city + 16 districts + Lingang + airport + CBs: ${total}`);
  await shot(page, 'units');
  await byLabel(page.locator('#content'), '单位类别').selectOption('cb');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/kind=cb/);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tbody tr')];
    return rows.length > 0 && rows.every((tr) => tr.innerText.includes('认证机构'));
  });
  assert.match(await text(page.locator('.pager-total')), /^共 2 条$/);
  await byLabel(page.locator('#content'), '单位类别').selectOption('');
  await byLabel(page.locator('#content'), '单位名称').fill('浦东');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/q=/);
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  assert.ok((await text(page.locator('tbody'))).includes('浦东新区市场监管局'));
  assertNoProblems(page);
});

test('other roles see neither 用户管理 nor its page', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await login(page, env.base, 'pudong');
    await page.waitForURL(/#\/home$/);
    const nav = await text(page.locator('#sidenav'));
    assert.ok(!nav.includes('用户管理') && !nav.includes('操作日志'), nav);
    for (const hash of ['#/users', '#/audit', '#/users/new']) {
      await go(page, hash);
      await page.locator('.no-permission').waitFor();
      assert.ok((await text(page.locator('.no-permission'))).includes('您没有访问此页面的权限'));
      assert.equal(await page.locator('table').count(), 0);
    }
    await shot(page, 'no-permission');
    // And the server agrees.
    const status = await page.evaluate(() => fetch('/api/v1/users').then((r) => r.status));
    assert.equal(status, 403);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
