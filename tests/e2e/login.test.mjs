// The login page: Chinese labels and banner, server error messages (wrong
// password, lockout), deep links kept across login, expired sessions sent back
// to the login page, and CSP-clean loading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  byLabel, setup, newPage, login, openLogin, shot, text, assertNoProblems, PHONE,
} from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { if (env) await env.teardown(); });

test('login page is Chinese, labelled and shows the demo banner', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    const res = await page.goto(`${env.base}/`);
    assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/);
    await page.locator('#login-view').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await text(page.locator('h1')), '小微企业质量管理体系认证提升行动服务平台');
    assert.equal(await text(page.locator('#login-demo-banner')), '演示模式 · 模拟日期 2021-05-10');
    assert.ok((await text(page.locator('#login-programme'))).includes('帮扶提升'));
    // Labels are tied to their inputs.
    assert.equal(await byLabel(page, '用户名').getAttribute('name'), 'username');
    assert.equal(await byLabel(page, '密码').getAttribute('type'), 'password');
    // The CJK font is used (not a fallback that draws boxes).
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(font, /^"Noto Sans CJK SC", "Microsoft YaHei"/);
    await shot(page, 'login');
    // Empty submit is caught before the server.
    await page.getByRole('button', { name: '登录' }).click();
    assert.equal(await text(page.locator('#login-error')), '请输入用户名');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('wrong password shows 用户名或密码错误 and stays on the login page', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await openLogin(page, env.base);
    await byLabel(page, '用户名').fill('pudong');
    await byLabel(page, '密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    const err = page.locator('#login-error');
    await err.waitFor({ state: 'visible' });
    assert.equal(await text(err), '用户名或密码错误');
    assert.equal(await page.locator('#shell').isVisible(), false);
    assert.equal(await byLabel(page, '密码').inputValue(), '', 'password field is cleared');
    // An unknown user gets the same message.
    await byLabel(page, '用户名').fill('nobody-here');
    await byLabel(page, '密码').fill('whatever-1');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForFunction(() => document.querySelector('#login-submit').textContent === '登录');
    assert.equal(await text(err), '用户名或密码错误');
    await shot(page, 'login-error');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('repeated failures show the lockout message from the server', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await openLogin(page, env.base);
    const err = page.locator('#login-error');
    let message = '';
    for (let i = 0; i < 7; i++) {
      await byLabel(page, '用户名').fill('cb2');
      await byLabel(page, '密码').fill(`wrong-${i}`);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForFunction(() => document.querySelector('#login-submit').textContent === '登录'
        && !document.querySelector('#login-error').hidden);
      message = await text(err);
      if (message !== '用户名或密码错误') break;
    }
    assert.notEqual(message, '用户名或密码错误', 'locked out after repeated failures');
    assert.match(message, /分钟/, `lockout message names the minutes: ${message}`);
    await shot(page, 'login-locked');
  } finally {
    await context.close();
  }
});

test('a deep link survives the login and an expired session returns to login', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await openLogin(page, env.base, '#/industries');
    assert.match(page.url(), /#\/login$/);
    await login(page, env.base, 'huangpu');
    await page.waitForURL(/#\/industries$/);
    await page.locator('.quota-list').waitFor();
    const catalogue = await text(page.locator('table'));
    for (const name of ['集成电路', '生物医药', '人工智能', '在线新经济']) assert.ok(catalogue.includes(name), name);
    const quotas = await text(page.locator('.quota-list'));
    assert.ok(quotas.includes('不超过 2 家'), quotas);
    assert.ok(quotas.includes('不少于 5 家'), quotas);
    await shot(page, 'industries');

    // The session disappears (e.g. disabled, expired): the next API call
    // answers 401 and the UI goes back to the login page, keeping the target.
    await context.clearCookies();
    await page.locator('#sidenav').getByRole('link', { name: '单位名录' }).click();
    await page.locator('#login-view').waitFor({ state: 'visible' });
    assert.ok((await text(page.locator('#login-notice'))).includes('登录已失效'));
    await login(page, env.base, 'huangpu');
    await page.waitForURL(/#\/units$/);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('phone-width login page', async () => {
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    await openLogin(page, env.base);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
    await shot(page, 'phone-login');
  } finally {
    await context.close();
  }
});
