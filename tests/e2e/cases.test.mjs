// Typical cases (典型案例) and benchmark enterprises (标杆企业) in the browser.
// pudong drafts a case from 上海微链芯片设计 (the page shows the real finding and
// action from its records as read-only facts), is stopped by the client check
// when 经验启示 is empty, fills it and submits after a confirmation; the city
// returns the demo draft with a reason (pudong sees it) and publishes pudong's
// new case; the public page (no login) lists and shows it without USCC or
// phones, reached from the login page. pudong's third 集成电路 nomination shows
// the server's quota message under the form; the city scores, ticks and
// publishes after a confirmation, and the public 标杆企业 tab lists the result.
// Screenshots at 1366×768 and phone width; no page scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
const api = {};
const pages = {};
const WEILIAN = '上海微链芯片设计有限公司（演示）';
const FINDING = '流片外包方的质量要求没有写进合同。';
const ACTION = '在外包合同中写明质量要求';
const LESSONS = '把外包方的质量要求写进合同，是设计企业质量管理的第一步。';
let caseId = null;

async function shot(page, name, opts) {
  await page.evaluate(() => { window.scrollTo(0, 0); const t = document.getElementById('toast'); if (t) t.hidden = true; });
  await fullShot(page, name, opts);
}
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const go = (page, hash) => page.evaluate((x) => { location.hash = x; }, hash);
const nav = (page, name) => page.locator('#sidenav').getByRole('link', { name, exact: true }).click();
const fieldError = (scope, name) => scope.locator(`.field[data-field="${name}"] .field-error`);

async function session(username, viewport) {
  const key = viewport ? `${username}-phone` : username;
  if (!pages[key]) {
    pages[key] = await newPage(env.browser, viewport);
    await login(pages[key].page, env.base, username);
  }
  return pages[key].page;
}

before(async () => {
  env = await setup();
  for (const u of ['city', 'pudong']) {
    api[u] = new Client(env.base);
    assert.equal((await api[u].login(u)).status, 200);
  }
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
});

test('pudong drafts a case from an enterprise of its ledger and submits it', async () => {
  const page = await session('pudong');
  const navText = await text(page.locator('#sidenav'));
  for (const want of ['总结验收', '典型案例', '标杆企业']) assert.ok(navText.includes(want), `nav has ${want}`);
  await nav(page, '典型案例');
  await page.waitForURL(/#\/cases$/);
  await page.locator('.pager-total').waitFor();
  await assertBreadcrumb(page, '首页 / 总结验收 / 典型案例');
  const rows = await text(page.locator('#content table'));
  assert.ok(rows.includes('上海晶曜封装测试') && rows.includes('已发布'), 'the published demo case');
  assert.ok(rows.includes('上海浦江精密电子') && rows.includes('草稿'), 'the demo draft');
  await shot(page, 'cases');

  await page.locator('#case-new').click();
  const dlg = page.locator('dialog.dialog');
  await byLabel(dlg, '企业').selectOption({ label: `${WEILIAN}（集成电路）` });
  await shot(page, 'case-new-dialog', { fullPage: false });
  await dlg.getByRole('button', { name: '生成草稿' }).click();
  await page.waitForURL(/#\/cases\/\d+$/);
  caseId = Number(/cases\/(\d+)/.exec(page.url())[1]);
  await page.locator('.case-page-title', { hasText: WEILIAN }).waitFor();
  assert.ok((await text(page.locator('.case-page-title'))).includes('草稿'));

  // The facts from the records, read-only.
  const problems = page.locator('#case-sec-problems');
  assert.ok((await text(problems)).includes(FINDING), 'the real finding');
  assert.ok((await text(problems)).includes('痛点'));
  assert.ok((await text(page.locator('#case-sec-measures'))).includes(ACTION), 'the real action');
  const profile = await text(page.locator('#case-sec-profile'));
  assert.ok(profile.includes('沪联质量认证中心（演示）') && profile.includes('张江集成电路设计产业园'));
  assert.ok((await text(page.locator('#case-sec-results'))).includes('一次交验合格率'), 'baseline indicators');
  assert.equal(await page.locator('#case-sec-problems textarea[name="problems"]').count(), 1, 'a text part beside the facts');
  assert.ok((await byLabel(page, '案例简介').inputValue()).includes(WEILIAN), 'summary prefilled');

  // Submitting without 经验启示: the message under the field.
  await page.locator('#case-submit').click();
  await fieldError(page, 'lessons').waitFor();
  assert.ok((await text(fieldError(page, 'lessons'))).includes('经验启示'));
  await shot(page, 'case-edit-errors');
  await byLabel(page, '经验启示').fill(LESSONS);
  await page.locator('#case-submit').click();
  const confirm = page.locator('dialog.dialog');
  assert.ok((await text(confirm)).includes('提交后'), 'a confirmation before submitting');
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await page.locator('.case-page-title', { hasText: '已提交' }).waitFor();
  assert.equal(await page.locator('#case-save').count(), 0, 'no editing after submit');
  const stored = (await api.pudong.get(`/api/v1/cases/${caseId}`)).json;
  assert.equal(stored.status, 'submitted');
  assert.equal(stored.texts.lessons, LESSONS);
  await shot(page, 'case-submitted');
  assert.ok(await sideways(page) <= 0, 'no sideways scrolling');
  assertNoProblems(page);
});

test('the city returns a case with a reason and publishes pudong\'s case', async () => {
  assert.ok(caseId, 'the case was submitted');
  // The demo draft, submitted through the API, then returned in the browser.
  const draft = (await api.pudong.get('/api/v1/cases?status=draft')).json.items.find((c) => c.enterprise.name.startsWith('上海浦江精密'));
  assert.equal((await api.pudong.req('PUT', `/api/v1/cases/${draft.id}`, { texts: { lessons: '目标分解到班组。' } })).status, 200);
  assert.equal((await api.pudong.post(`/api/v1/cases/${draft.id}/submit`)).status, 200);

  const page = await session('city');
  await nav(page, '典型案例');
  await page.locator('.case-waiting').waitFor();
  assert.ok((await text(page.locator('.case-waiting'))).includes('2 个案例待审核'));
  await page.locator('a.case-row-link', { hasText: '上海浦江精密' }).click();
  await page.locator('#case-return').click();
  const dlg = page.locator('dialog.dialog');
  await dlg.getByRole('button', { name: '确认退回' }).click();
  await fieldError(dlg, 'reason').waitFor();
  await byLabel(dlg, '退回理由').fill('请补充改进措施完成后的指标变化。');
  await dlg.getByRole('button', { name: '确认退回' }).click();
  await page.locator('.case-page-title', { hasText: '已退回' }).waitFor();
  assert.ok((await text(page.locator('table').last())).includes('退回理由：请补充改进措施完成后的指标变化。'), 'history');

  await go(page, `#/cases/${caseId}`);
  await page.locator('#case-publish').waitFor();
  await shot(page, 'case-review');
  await page.locator('#case-publish').click();
  const confirm = page.locator('dialog.dialog');
  assert.ok((await text(confirm)).includes('公众'), 'the confirmation says it becomes public');
  await confirm.getByRole('button', { name: '确认发布' }).click();
  await page.locator('.case-page-title', { hasText: '已发布' }).waitFor();
  assert.ok(await page.locator('#case-public').isVisible(), 'a link to the public page');
  assertNoProblems(page);

  const p = await session('pudong');
  await go(p, `#/cases/${draft.id}`);
  await p.locator('.case-returned-reason', { hasText: '请补充改进措施完成后的指标变化。' }).waitFor();
  assert.ok(await p.locator('#case-submit').isVisible(), 'the returned case can be edited and resubmitted');
  await shot(p, 'case-returned');
  assertNoProblems(p);
  const phone = await session('pudong', PHONE);
  await go(phone, `#/cases/${draft.id}`);
  await phone.locator('.case-returned-reason').waitFor();
  assert.ok(await sideways(phone) <= 0, 'no sideways scrolling on a phone');
  await shot(phone, 'phone-case-edit');
  await go(phone, '#/cases');
  await phone.locator('.pager-total').waitFor();
  assert.ok(await sideways(phone) <= 0, 'no sideways scrolling on a phone');
  await shot(phone, 'phone-cases');
  assertNoProblems(phone);
});

test('the public page shows the published case without login', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await page.goto(`${env.base}/`);
    await page.locator('#login-view').waitFor({ state: 'visible' });
    const link = page.locator('#login-cases-link');
    assert.equal(await link.getAttribute('href'), '/cases.html');
    await shot(page, 'login-cases-link', { fullPage: false });
    await link.click();
    await page.waitForURL(/\/cases\.html$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    const item = page.locator('.pc-item', { hasText: WEILIAN });
    await item.waitFor();
    assert.ok(await page.locator('.pc-item', { hasText: '上海晶曜封装测试' }).count(), 'the demo case');
    assert.equal(await page.locator('.pc-item', { hasText: '上海浦江精密' }).count(), 0, 'not the returned one');
    await shot(page, 'public-cases');
    await item.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/cases\\.html\\?id=${caseId}$`));
    await page.locator('.pc-case-title').waitFor();
    const body = await text(page.locator('#pc-detail'));
    for (const want of [FINDING, ACTION, LESSONS, '沪联质量认证中心（演示）']) assert.ok(body.includes(want), `public case shows ${want}`);
    for (const secret of ['913101152XW55T1P3Y', '13600004567', '赵鹏', '演示路4号', '运营部 赵磊']) {
      assert.ok(!body.includes(secret), `public case hides ${secret}`);
    }
    await shot(page, 'public-case');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
  // The same at phone width: the demo case with its before/after and certificate.
  const phone = await newPage(env.browser, PHONE);
  try {
    const demo = (await api.city.get('/api/v1/cases?status=published')).json.items.find((c) => c.enterprise.name.startsWith('上海晶曜'));
    await phone.page.goto(`${env.base}/cases.html?id=${demo.id}`);
    await phone.page.locator('.case-cert-number', { hasText: 'HLQC-2021-Q-0018' }).waitFor();
    assert.ok(await phone.page.locator('#case-sec-results svg.radar').count(), 'the radar chart of before/after');
    assert.ok(await sideways(phone.page) <= 0, 'no sideways scrolling on a phone');
    await shot(phone.page, 'phone-public-case');
    await phone.page.goto(`${env.base}/cases.html`);
    await phone.page.locator('.pc-item').first().waitFor();
    await shot(phone.page, 'phone-public-cases');
    assertNoProblems(phone.page);
  } finally {
    await phone.context.close();
  }
});

test('benchmarks: the third nomination shows the quota error; the city scores and publishes', async () => {
  const page = await session('pudong');
  await nav(page, '标杆企业');
  await page.waitForURL(/#\/benchmarks$/);
  const quota = page.locator('tr.bench-quota-row', { hasText: '集成电路' });
  await quota.waitFor();
  assert.ok((await text(quota)).includes('2 / 2') && (await text(quota)).includes('已满'));
  assert.ok((await text(page.locator('tr.bench-quota-row', { hasText: '生物医药' }))).includes('待提名'));
  const form = page.locator('#bench-form');
  await byLabel(form, '试点企业').selectOption({ label: '上海芯途微电子有限公司（演示）（集成电路，名额已满）' });
  await byLabel(form, '推荐理由').fill('芯片设计质量稳定。');
  await page.locator('#bench-nominate').click();
  const msg = page.locator('#bench-form .field-error, #bench-form .form-error');
  await msg.first().waitFor();
  const t = await text(msg.first());
  assert.ok(t.includes('集成电路') && t.includes('已推荐 2 家'), `the server's quota message: ${t}`);
  page.problems = page.problems.filter((p) => !/status of 409/.test(p));
  assert.equal((await api.pudong.get('/api/v1/benchmarks')).json.total, 2, 'nothing saved');
  await shot(page, 'benchmarks-district-quota');
  // A nomination in the other industry goes through.
  await byLabel(form, '试点企业').selectOption({ label: '上海康源生物科技有限公司（演示）（生物医药）' });
  await byLabel(form, '推荐理由').fill('生物医药质量管理示范。');
  await page.locator('#bench-nominate').click();
  await page.locator('tr.bench-row', { hasText: '上海康源生物科技' }).waitFor();
  assert.ok((await text(page.locator('tr.bench-quota-row', { hasText: '生物医药' }))).includes('可再提名'));
  assertNoProblems(page);
  const phone = await session('pudong', PHONE);
  await go(phone, '#/benchmarks');
  await phone.locator('#bench-form').waitFor();
  assert.ok(await sideways(phone) <= 0, 'no sideways scrolling on a phone');
  await shot(phone, 'phone-benchmarks-district');

  const city = await session('city');
  await nav(city, '标杆企业');
  const row = city.locator('tr.bench-row', { hasText: '上海康源生物科技' });
  await row.waitFor();
  assert.ok((await text(row)).includes('尚无评分'));
  assert.ok(await row.locator('input[type="checkbox"]').isDisabled(), 'an unscored nomination cannot be ticked');
  await row.getByRole('button', { name: '评分' }).click();
  const dlg = city.locator('dialog.dialog');
  await byLabel(dlg, '评分').fill('101');
  await dlg.getByRole('button', { name: '保存评分' }).click();
  await fieldError(dlg, 'score').waitFor();
  await byLabel(dlg, '评分').fill('86');
  await byLabel(dlg, '评审意见').fill('质量追溯做法值得推广。');
  await dlg.getByRole('button', { name: '保存评分' }).click();
  await row.locator('.bench-mean', { hasText: '86.0' }).waitFor();
  const jy = city.locator('tr.bench-row', { hasText: '上海晶曜封装测试' });
  assert.ok((await text(jy)).includes('92'), 'the demo score');
  await shot(city, 'benchmarks-city');
  const cityPhone = await session('city', PHONE);
  await go(cityPhone, '#/benchmarks');
  await cityPhone.locator('tr.bench-row').first().waitFor();
  assert.ok(await sideways(cityPhone) <= 0, 'no sideways scrolling on a phone');
  await shot(cityPhone, 'phone-benchmarks-city');
  await jy.locator('input[type="checkbox"]').check();
  await city.locator('tr.bench-row', { hasText: '上海康源生物科技' }).locator('input[type="checkbox"]').check();
  await city.locator('#bench-publish').click();
  const confirm = city.locator('dialog.dialog');
  assert.ok((await text(confirm)).includes('入选 2 家'), await text(confirm));
  await shot(city, 'benchmarks-publish-confirm', { fullPage: false });
  await confirm.getByRole('button', { name: '确认公布' }).click();
  await city.locator('.bench-published-note').waitFor();
  assert.ok((await text(jy)).includes('入选'));
  assert.ok((await text(city.locator('tr.bench-row', { hasText: '上海锐测半导体' }))).includes('未入选'));
  assertNoProblems(city);

  const { context, page: anon } = await newPage(env.browser);
  try {
    await anon.goto(`${env.base}/cases.html?tab=benchmarks`);
    await anon.locator('.pc-bench', { hasText: '上海晶曜封装测试' }).waitFor();
    assert.equal(await anon.locator('.pc-bench').count(), 2);
    assert.equal(await anon.locator('.pc-bench', { hasText: '上海锐测半导体' }).count(), 0);
    assert.ok(await anon.locator('.pc-bench', { hasText: '上海晶曜封装测试' }).getByRole('link', { name: '查看典型案例' }).count());
    await shot(anon, 'public-benchmarks');
    assertNoProblems(anon);
  } finally {
    await context.close();
  }
});
