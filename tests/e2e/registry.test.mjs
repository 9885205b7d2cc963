// Enterprise registry (企业名录), assistance ledger (帮扶台账) and work plans
// (试点工作方案) in the browser: a district registers an enterprise through the
// form (client and server messages under the field), imports a CSV (refused
// rows listed first, a re-import only finds duplicates, a GBK file explained),
// writes its work plan, saves, submits late; the city returns it with a
// reason, compares versions and approves; a certification body sees only its
// assigned enterprises; an enterprise contact edits its baseline indicators;
// a district assigns a body and opens a contact account; the Excel ledger.
// Screenshots of every page at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
let city; // API client of the city, for set-up and independent checks
const pages = {}; // username → { context, page }
const CB_NAME = '沪联质量认证中心（演示）';
const RETURN_REASON = '请补充各试点企业的帮扶时间安排，并核实第 6 家企业是否确有参加意愿';

// GB 32100 check character, computed here independently of the UI.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(first17) {
  const sum = [...first17].reduce((s, ch, i) => s + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  const c = 31 - (sum % 31);
  return first17 + ALPHABET[c === 31 ? 0 : c];
}
const FORM_USCC = uscc('91310101MA1RG0001'); // 310101 黄浦区
const IMPORT_USCC = [uscc('91310101MA1RG0002'), uscc('91310101MA1RG0003')];
const PUDONG_USCC = uscc('91310115MA1RG0004'); // 310115 浦东新区
const FORM_NAME = '上海外滩丝路服饰设计有限公司（测试）';
const IMPORT_NAMES = ['上海南京路皮具有限公司（测试）', '上海豫园香扇工艺有限公司（测试）'];

const content = (page) => page.locator('#content');
async function shot(page, name, opts) {
  // From the top, without a toast left over from the previous step.
  await page.evaluate(() => { window.scrollTo(0, 0); document.getElementById('toast').hidden = true; });
  await fullShot(page, name, opts);
}
const fieldError = (page, name) => page.locator(`.field[data-field="${name}"] .field-error`);
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const go = (page, hash) => page.evaluate((h) => { location.hash = h; }, hash);
const nav = (page, name) => page.locator('#sidenav').getByRole('link', { name, exact: true }).click();
const dialog = (page) => page.getByRole('dialog');
const listBody = (page) => page.getByRole('table', { name: '企业名录' }).locator('tbody');
const pageTag = (page, label) => page.locator('.wp-page-title .tag', { hasText: label });

async function session(username) {
  if (!pages[username]) {
    pages[username] = await newPage(env.browser);
    await login(pages[username].page, env.base, username);
  }
  return pages[username].page;
}

// A phone-width look at a page: no sideways scrolling, then a screenshot.
async function phoneShot(username, hash, ready, name) {
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    await login(page, env.base, username);
    await go(page, hash);
    await page.locator(ready).first().waitFor();
    assert.ok((await sideways(page)) <= 0, `${name} fits the phone width (${await sideways(page)}px too wide)`);
    await shot(page, name);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
}

// The import template's columns, then rows; UTF-8 with a BOM, CRLF.
function csv(rows) {
  const head = '企业名称,统一社会信用代码,地址,所属区,试点行业,所属园区/基地/创新中心,划型行业,从业人员（人）,营业收入（万元）,资产总额（万元）,联系人,联系电话,自愿参加（是/否）';
  return Buffer.from(`\uFEFF${[head, ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`, 'utf8');
}

before(async () => {
  env = await setup();
  city = new Client(env.base);
  assert.equal((await city.login('city')).status, 200);
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
});

test('district: register an enterprise through the form', async () => {
  const page = await session('huangpu');
  await nav(page, '企业名录');
  await page.waitForURL(/#\/enterprises$/);
  await page.locator('.pager-total', { hasText: '共 5 条' }).waitFor();
  await assertBreadcrumb(page, '首页 / 企业与方案 / 企业名录');
  const progress = await text(page.locator('.card', { hasText: '登记进度' }));
  assert.ok(progress.includes('时尚消费品') && progress.includes('已登记 3 家 / 目标 5 家'), progress);
  assert.ok(progress.includes('已登记 2 家 / 目标 5 家'), progress);
  // Lists mask the phone numbers.
  assert.match(await text(listBody(page)), /1\d\d\*\*\*\*\d{4}/);
  await shot(page, 'enterprises');

  await page.getByRole('link', { name: '新建企业' }).first().click();
  await page.waitForURL(/#\/enterprises\/new$/);
  const c = content(page);
  await byLabel(c, '企业名称').fill(FORM_NAME);
  // A wrong check character: told live, and under the field on saving.
  await byLabel(c, '统一社会信用代码').fill(`${FORM_USCC.slice(0, 17)}${FORM_USCC[17] === '1' ? '2' : '1'}`);
  assert.match(await text(page.locator('.reg-live')), /校验位不正确/);
  await byLabel(c, '试点行业').selectOption('时尚消费品');
  await byLabel(c, '所属园区/基地/创新中心').fill('外滩金融集聚带');
  await byLabel(c, '划型行业').selectOption({ label: '工业' });
  assert.ok((await text(page.locator('.field[data-field="sector"]'))).includes('工业按从业人员、营业收入划型'));
  await byLabel(c, '从业人员（人）').fill('500');
  await byLabel(c, '营业收入（万元）').fill('10000');
  await byLabel(c, '联系人').fill('顾敏');
  await byLabel(c, '联系电话').fill('13916660001');
  await page.getByRole('button', { name: '保存' }).click();
  await fieldError(page, 'uscc').waitFor();
  assert.match(await text(fieldError(page, 'uscc')), /校验位不正确/);
  // The consent box is required too.
  assert.match(await text(fieldError(page, 'consent')), /自愿/);

  // A valid code (region 310101 = 黄浦区) but a medium-sized firm: the
  // server's refusal, with the thresholds, under 企业规模.
  await byLabel(c, '统一社会信用代码').fill(FORM_USCC);
  assert.equal(await text(page.locator('.reg-live')), '校验通过');
  await page.getByLabel('企业自愿参加本次提升行动').check();
  await page.getByRole('button', { name: '保存' }).click();
  await fieldError(page, 'size_class').waitFor();
  const sizeMsg = await text(fieldError(page, 'size_class'));
  assert.ok(sizeMsg.includes('中型') && sizeMsg.includes('300'), sizeMsg);
  assert.equal(await page.locator('.form-error').count(), 0, 'under the field, not at the top');
  await shot(page, 'enterprise-form-errors');

  await byLabel(c, '从业人员（人）').fill('16');
  await byLabel(c, '营业收入（万元）').fill('280.5');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/#\/enterprises\/\d+$/);
  await page.locator('.reg-title', { hasText: FORM_NAME }).waitFor();
  assert.ok((await text(page.locator('.reg-title'))).includes('微型'));
  const info = await text(page.locator('.reg-info'));
  for (const want of [FORM_USCC, '黄浦区', '时尚消费品', '外滩金融集聚带', '工业', '16 人', '280.50 万元', '13916660001']) {
    assert.ok(info.includes(want), `detail shows ${want}: ${info}`);
  }
  assert.equal(await page.locator('.reg-region-warning').count(), 0, 'the region code matches 黄浦区');

  // Back in the list, found by its USCC.
  await nav(page, '企业名录');
  await byLabel(c, '关键字').fill(FORM_USCC);
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/q=/);
  await page.locator('.pager-total', { hasText: '共 1 条' }).waitFor();
  assert.ok((await text(listBody(page))).includes(FORM_NAME));
  assert.ok((await text(listBody(page))).includes('139****0001'));
  assertNoProblems(page);
});

test('district: CSV import — preview, import, re-import, GBK refused', async () => {
  const page = await session('huangpu');
  await nav(page, '导入企业');
  await page.waitForURL(/#\/enterprises\/import$/);
  const bad = uscc('91310101MA1RG0009').slice(0, 17) + 'I';
  const file = csv([
    [IMPORT_NAMES[0], IMPORT_USCC[0], '上海市黄浦区南京东路100号', '黄浦区', '时尚消费品', '南京东路商圈', '零售业', '8', '90', '30', '陆伟', '13800002001', '是'],
    ['上海错码贸易有限公司（测试）', bad, '上海市黄浦区河南中路1号', '黄浦区', '时尚消费品', '', '零售业', '6', '50', '', '钱进', '13800002002', '是'],
    [IMPORT_NAMES[1], IMPORT_USCC[1], '上海市黄浦区旧校场路2号', '黄浦区', '时尚消费品', '豫园文创园', '工业', '12', '150', '80', '孙萍', '021-63550000', '是'],
  ]);
  const input = page.locator('input[type="file"]');
  await input.setInputFiles({ name: '黄浦区试点企业.csv', mimeType: 'text/csv', buffer: file });
  assert.ok((await text(page.locator('.reg-file-chosen'))).includes('黄浦区试点企业.csv'));

  // 预检 writes nothing.
  await page.getByRole('button', { name: '预检（不写入）' }).click();
  await page.locator('.reg-import-summary').waitFor();
  assert.ok((await text(page.locator('.reg-import-summary'))).includes('共 3 行，可导入 2，重复 0，拒绝 1'));
  const before = (await city.get('/api/v1/enterprises?district=黄浦区&per_page=1')).json.total;

  await page.getByRole('button', { name: '导入', exact: true }).click();
  await dialog(page).waitFor();
  assert.ok((await text(dialog(page))).includes('黄浦区试点企业.csv'));
  await dialog(page).getByRole('button', { name: '确认导入' }).click();
  await page.locator('.reg-import-summary', { hasText: '导入结果' }).waitFor();
  const sum = await text(page.locator('.reg-import-summary'));
  assert.ok(sum.includes('共 3 行，导入 2，重复 0，拒绝 1'), sum);
  // Refused rows first, with the reason.
  const first = page.locator('tbody tr').first();
  assert.ok((await text(first)).includes('拒绝'), await text(first));
  assert.ok((await text(first)).includes('上海错码贸易有限公司'));
  assert.match(await text(first), /I、O、S、V、Z|字母|校验位|无效/);
  assert.equal(await page.locator('tbody tr', { hasText: '已导入' }).count(), 2);
  assert.equal((await city.get('/api/v1/enterprises?district=黄浦区&per_page=1')).json.total, before + 2);
  await shot(page, 'enterprise-import');

  // The same file again: nothing new, the two rows are duplicates.
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await dialog(page).getByRole('button', { name: '确认导入' }).click();
  await page.locator('.reg-import-summary', { hasText: '重复 2' }).waitFor();
  assert.ok((await text(page.locator('.reg-import-summary'))).includes('导入 0，重复 2，拒绝 1'));

  // A GBK file (Excel's plain CSV): refused with the advice to save as CSV UTF-8.
  const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: file.subarray(3) });
  await input.setInputFiles({ name: '旧格式.csv', mimeType: 'text/csv', buffer: gbk });
  await page.getByRole('button', { name: '预检（不写入）' }).click();
  await page.locator('.reg-import-encoding').waitFor();
  assert.match(await text(page.locator('.reg-import-encoding')), /CSV UTF-8/);
  page.problems = page.problems.filter((p) => !/status of 415/.test(p));
  assertNoProblems(page);
});

test('district writes the work plan; the city returns it, compares versions and approves', async () => {
  // The city selects cb1's body for 时尚消费品, so huangpu can name it.
  const criteria = Object.fromEntries(['qualification', 'social_responsibility', 'credit', 'willingness']
    .map((k) => [k, { ok: true, note: '' }]));
  const sel = await city.post('/api/v1/selections', { industry: '时尚消费品', cb_unit_id: 20, criteria, exception_reason: null });
  assert.equal(sel.status, 201, sel.text);

  const page = await session('huangpu');
  await nav(page, '工作方案');
  await page.waitForURL(/#\/workplan$/);
  await page.locator('.wp-page-title .tag', { hasText: '未编制' }).waitFor();
  const banner = await text(page.locator('.wp-deadline'));
  assert.ok(banner.includes('截止 2021-03-05') && banner.includes('已逾期 66 天'), banner);

  await page.getByLabel('工作概述').fill('以外滩、豫园两大商圈为依托，聚焦时尚消费品行业开展“一企一策”帮扶。');
  const block = page.locator('.wp-block').first();
  await block.getByLabel('试点行业').selectOption('时尚消费品');
  const boxes = block.locator('input[name="enterprise"]');
  await boxes.first().waitFor();
  assert.equal(await boxes.count(), 6, '3 demo + 1 from the form + 2 imported');
  const need = block.locator('.wp-need');
  assert.equal(await text(need), '已选 0 家 / 至少 5 家');
  assert.ok(await need.evaluate((e) => e.classList.contains('wp-need-low')));
  for (let i = 0; i < 4; i++) await boxes.nth(i).check();
  assert.equal(await text(need), '已选 4 家 / 至少 5 家');
  assert.ok(await need.evaluate((e) => e.classList.contains('wp-need-low')), 'red below 5');
  for (let i = 4; i < 6; i++) await boxes.nth(i).check();
  assert.equal(await text(need), '已选 6 家 / 至少 5 家');
  assert.ok(await need.evaluate((e) => e.classList.contains('wp-need-ok')));
  await block.getByLabel(CB_NAME).check();
  await page.getByLabel('第 1 步 步骤名称').fill('现场诊断与帮扶提升');
  await page.getByLabel('第 1 步 开始日期').fill('2021-05-15');
  await page.getByLabel('第 1 步 结束日期').fill('2021-08-31');
  await page.getByLabel('第 1 步 说明').fill('认证机构逐家上门诊断，制定提升方案');
  await shot(page, 'workplan-editor');

  await page.getByRole('button', { name: '保存草稿' }).click();
  await pageTag(page, '草稿').waitFor();
  // The page reloads and lists the district's enterprises again (a request of its own).
  const ticked = page.locator('.wp-block input[name="enterprise"]:checked');
  await ticked.nth(5).waitFor();
  assert.equal(await ticked.count(), 6, 'the ticks are kept');
  assert.equal(await page.getByLabel('第 1 步 步骤名称').inputValue(), '现场诊断与帮扶提升');
  await phoneShot('huangpu', '#/workplan', '.wp-block input[name="enterprise"]', 'phone-workplan-editor');

  await page.getByRole('button', { name: '提交', exact: true }).click();
  await dialog(page).waitFor();
  assert.ok((await text(dialog(page))).includes('逾期提交'));
  await dialog(page).getByRole('button', { name: '确认提交' }).click();
  await pageTag(page, '已提交').waitFor();
  assert.ok(await page.locator('.wp-page-title .tag-red-outline', { hasText: '逾期提交' }).isVisible());
  assert.equal(await page.locator('.wp-form').count(), 0, 'read-only once submitted');
  assert.equal(await page.getByRole('button', { name: '保存草稿' }).count(), 0);
  assert.ok((await text(page.locator('.wp-view'))).includes(CB_NAME));
  await shot(page, 'workplan-submitted');

  // The city returns it with a reason.
  const cp = await session('city');
  await nav(cp, '工作方案审核');
  await cp.waitForURL(/#\/workplans$/);
  const row = cp.locator('tbody tr', { hasText: '黄浦区' });
  await row.waitFor();
  const rowText = await text(row);
  for (const want of ['时尚消费品', '6/5', '已提交', '逾期提交']) assert.ok(rowText.includes(want), `${want} in ${rowText}`);
  assert.ok((await text(cp.locator('tbody tr', { hasText: '浦东新区' }))).includes('已通过'));
  await shot(cp, 'workplans');
  await byLabel(content(cp), '状态').selectOption('approved');
  await cp.getByRole('button', { name: '查询' }).click();
  await cp.waitForURL(/status=approved/);
  await cp.waitForFunction(() => !document.querySelector('#content tbody')?.textContent.includes('黄浦区'));
  await byLabel(content(cp), '状态').selectOption('');
  await cp.getByRole('button', { name: '查询' }).click();
  await cp.locator('tbody tr', { hasText: '黄浦区' }).getByRole('link', { name: '审核' }).click();
  await cp.waitForURL(/#\/workplans\/\d+$/);
  await cp.locator('.wp-view').waitFor();
  await assertBreadcrumb(cp, '首页 / 企业与方案 / 工作方案审核 / 工作方案详情');
  await cp.getByRole('button', { name: '退回' }).click();
  await dialog(cp).getByRole('button', { name: '确认退回' }).click();
  await fieldError(cp, 'reason').waitFor();
  await dialog(cp).getByLabel('退回理由').fill(RETURN_REASON);
  await dialog(cp).getByRole('button', { name: '确认退回' }).click();
  await pageTag(cp, '已退回').waitFor();
  assert.equal(await cp.getByRole('button', { name: '通过' }).count(), 0, 'no workflow buttons once returned');

  // The district sees the reason, unticks one enterprise and resubmits.
  await page.reload();
  await page.locator('.wp-returned').waitFor();
  assert.ok((await text(page.locator('.wp-returned'))).includes(RETURN_REASON));
  await pageTag(page, '已退回').waitFor();
  const again = page.locator('.wp-block input[name="enterprise"]');
  await again.first().waitFor();
  await page.locator('.wp-block').first().getByLabel(IMPORT_NAMES[1]).uncheck();
  assert.equal(await text(page.locator('.wp-need')), '已选 5 家 / 至少 5 家');
  await shot(page, 'workplan-returned');
  await page.getByRole('button', { name: '重新提交' }).click();
  await dialog(page).getByRole('button', { name: '确认提交' }).click();
  await pageTag(page, '已提交').waitFor();
  assert.equal(await page.locator('.card', { hasText: '版本记录' }).locator('tbody tr').count(), 2);

  // The city compares the two versions and approves.
  await cp.reload();
  await cp.locator('.wp-compare-result table').waitFor();
  const changed = cp.locator('tr.wp-diff-changed');
  assert.ok((await changed.count()) >= 1, 'a changed row is highlighted');
  assert.ok((await text(changed.first())).includes('时尚消费品 · 试点企业'), await text(changed.first()));
  assert.ok((await text(cp.locator('.wp-diff-removed'))).includes(IMPORT_NAMES[1]));
  await shot(cp, 'workplan-review');
  await cp.getByRole('button', { name: '通过' }).click();
  await dialog(cp).getByRole('button', { name: '确认通过' }).click();
  await pageTag(cp, '已通过').waitFor();
  await page.reload();
  await pageTag(page, '已通过').waitFor();
  assert.ok((await text(page.locator('.card-foot-note'))).includes('不能再修改'));
  assertNoProblems(page);
  assertNoProblems(cp);
});

test('certification body sees only its assigned enterprises; enterprise edits its indicators', async () => {
  const cb = await session('cb1');
  await nav(cb, '企业名录');
  await cb.locator('.pager-total', { hasText: '共 10 条' }).waitFor();
  const list = await text(listBody(cb));
  assert.ok(!list.includes('黄浦区'), 'no 黄浦区 enterprise');
  assert.equal(await cb.getByRole('link', { name: '新建企业' }).count(), 0);
  assert.equal(await cb.locator('.card', { hasText: '登记进度' }).count(), 0);
  await shot(cb, 'enterprises-cb');
  const hp = (await city.get('/api/v1/enterprises?district=黄浦区&per_page=1')).json.items[0];
  await go(cb, `#/enterprises/${hp.id}`);
  await cb.locator('#content .alert-error').waitFor();
  assert.equal(await cb.locator('.reg-info').count(), 0);
  assertNoProblems(cb);

  const ent = await session('ent1');
  await nav(ent, '企业信息');
  await ent.waitForURL(/#\/enterprise$/);
  await ent.locator('.reg-title', { hasText: '上海浦江精密电子有限公司（演示）' }).waitFor();
  assert.equal(await ent.locator('.card', { hasText: '企业联系人账号' }).count(), 0);
  assert.equal(await ent.locator('.reg-assign-form').count(), 0, 'an enterprise cannot assign');
  await ent.locator('section.card h2', { hasText: '问题诊断' }).waitFor();
  await ent.getByRole('button', { name: '修改基线指标' }).click();
  const dlg = dialog(ent);
  await dlg.getByLabel('一次交验合格率（%）').fill('95.5');
  await dlg.getByLabel('顾客投诉（次）').fill('3');
  await dlg.getByRole('button', { name: '保存' }).click();
  await dlg.waitFor({ state: 'detached' });
  await ent.locator('tr.reg-ind-baseline', { hasText: '95.5%' }).waitFor();
  const baseline = (await city.get('/api/v1/enterprises/1')).json.indicators.baseline;
  assert.equal(baseline.first_pass_yield, 95.5);
  assert.equal(baseline.complaints, 3);
  await shot(ent, 'enterprise-self');
  // The registry itself sends the enterprise to its own record.
  await go(ent, '#/enterprises');
  await ent.waitForURL(/#\/enterprise$/);
  // Its edit form offers only what it may change.
  await ent.getByRole('link', { name: '修改企业信息' }).click();
  await ent.waitForURL(/#\/enterprise\/edit$/);
  assert.ok(await byLabel(content(ent), '企业名称').isDisabled());
  assert.ok(await byLabel(content(ent), '统一社会信用代码').isDisabled());
  await byLabel(content(ent), '所属园区/基地/创新中心').fill('张江高科技园区');
  await ent.getByRole('button', { name: '保存修改' }).click();
  await ent.waitForURL(/#\/enterprise$/);
  await ent.locator('.reg-info', { hasText: '张江高科技园区' }).waitFor();
  assertNoProblems(ent);
});

test('district assigns a new enterprise to a body and opens a contact account; Excel ledger', async () => {
  const pd = new Client(env.base);
  await pd.login('pudong');
  const r = await pd.post('/api/v1/enterprises', {
    name: '上海张江芯测科技有限公司（测试）', uscc: PUDONG_USCC, industry: '集成电路', park: '张江高科技园区',
    sector: '工业', employees: 18, revenue: 240, total_assets: 150, contact_name: '何琳', contact_phone: '13917770002', consent: true,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;

  const page = await session('pudong');
  await go(page, `#/enterprises/${id}`);
  await page.locator('.reg-unassigned').waitFor();
  const form = page.locator('.reg-assign-form');
  await form.getByLabel('指派认证机构').selectOption({ label: CB_NAME });
  await form.getByRole('button', { name: '指派' }).click();
  await dialog(page).getByRole('button', { name: '确认指派' }).click();
  await page.locator('.reg-assigned-name', { hasText: CB_NAME }).waitFor();
  const cb = new Client(env.base);
  await cb.login('cb1');
  assert.equal((await cb.get('/api/v1/enterprises?per_page=1')).json.total, 11, 'the body now sees it');
  // 取消指派 (after a confirmation), then assigned again.
  await page.getByRole('button', { name: '取消指派' }).click();
  await dialog(page).getByRole('button', { name: '确认取消指派' }).click();
  await page.locator('.reg-unassigned').waitFor();
  assert.equal((await cb.get('/api/v1/enterprises?per_page=1')).json.total, 10);
  await form.getByLabel('指派认证机构').selectOption({ label: CB_NAME });
  await form.getByRole('button', { name: '指派' }).click();
  await dialog(page).getByRole('button', { name: '确认指派' }).click();
  await page.locator('.reg-assigned-name', { hasText: CB_NAME }).waitFor();

  // 企业联系人账号: the temporary password is shown once.
  const acct = page.locator('.reg-account-form');
  await acct.getByLabel('用户名').fill('zj_heling');
  await acct.getByRole('button', { name: '开通账号' }).click();
  await dialog(page).waitFor();
  assert.match(await text(dialog(page).locator('.secret-value')), /^\S{8,}$/);
  await shot(page, 'enterprise-account', { fullPage: false });
  await dialog(page).getByRole('button', { name: '我已记下' }).click();
  await shot(page, 'enterprise-detail');

  // 导出帮扶台账(Excel) carries the list's filters; the file is an xlsx (zip).
  await go(page, '#/enterprises?industry=集成电路');
  await page.locator('.pager-total', { hasText: '共 6 条' }).waitFor();
  const href = await page.locator('#ledger-xlsx').getAttribute('href');
  assert.ok(href.startsWith('/api/v1/ledger.xlsx?') && decodeURIComponent(href).includes('industry=集成电路'), href);
  const head = await page.evaluate(async (u) => {
    const res = await fetch(u, { credentials: 'same-origin' });
    return [res.status, Array.from(new Uint8Array(await res.arrayBuffer()).slice(0, 2))];
  }, href);
  assert.equal(head[0], 200);
  assert.equal(Buffer.from(head[1]).toString(), 'PK');
  assertNoProblems(page);
});

test('phone width: every new page stacks and fits', async () => {
  const plan = (await city.get('/api/v1/workplans?per_page=50')).json.items.find((p) => p.unit.district === '黄浦区');
  await phoneShot('huangpu', '#/enterprises', '.pager-total', 'phone-enterprises');
  await phoneShot('huangpu', '#/enterprises/new', '.reg-form', 'phone-enterprise-form');
  await phoneShot('huangpu', '#/enterprises/import', '.reg-import-form', 'phone-enterprise-import');
  await phoneShot('pudong', '#/enterprises/1', '.reg-info', 'phone-enterprise-detail');
  await phoneShot('huangpu', '#/workplan', '.wp-view', 'phone-workplan');
  await phoneShot('city', '#/workplans', 'tbody tr', 'phone-workplans');
  await phoneShot('city', `#/workplans/${plan.id}`, '.wp-compare-result table', 'phone-workplan-review');
});
