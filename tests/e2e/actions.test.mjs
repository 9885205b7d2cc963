// Improvement plans (提升方案) and actions (改进措施) in the browser: the body's
// home page lists the demo's overdue, due-this-week and awaiting-verification
// actions; its list has counters that filter. cb1 creates an action from a
// finding of the enterprise's on-site diagnosis through the form (a missing
// title refused under the field first); ent1 sees it on its home page and in
// its list, reports progress, uploads evidence (a PDF and an image) and asks
// for verification; cb1 sees it 待验证, has no 关闭措施 until it verifies the
// action as effective, then closes it after a confirmation; the history shows
// every step. A stale edit is refused with "已被他人修改". The ledger of the
// re-assessed demo enterprise shows the before/after table with the radar
// chart. Screenshots of list, detail, form, ledger and home at desktop and
// phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
let api; // cb1 through the API, for independent checks
const pages = {}; // username → { context, page }

const ENT = '上海浦江精密电子有限公司（演示）';
const REASSESSED = '上海晶曜封装测试有限公司（演示）';
const TITLE = '建立客户退货台账并每月分析';
const OWNER = '质量部 陈静';
const DUE = '2021-05-14';
let entId = null;
let reassessedId = null;
let actionId = null;

// A small PDF and a 1×1 PNG as evidence.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function shot(page, name, opts) {
  await page.evaluate(() => { window.scrollTo(0, 0); const t = document.getElementById('toast'); if (t) t.hidden = true; });
  await fullShot(page, name, opts);
}
const fieldError = (scope, name) => scope.locator(`.field[data-field="${name}"] .field-error`);
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const go = (page, hash) => page.evaluate((x) => { location.hash = x; }, hash);
const nav = (page, name) => page.locator('#sidenav').getByRole('link', { name, exact: true }).click();
const dialog = (page) => page.getByRole('dialog');
const content = (page) => page.locator('#content');
const buttons = (page) => page.locator('.act-actions').locator('button, a').allInnerTexts();

async function session(username) {
  if (!pages[username]) {
    pages[username] = await newPage(env.browser);
    await login(pages[username].page, env.base, username);
  }
  return pages[username].page;
}

before(async () => {
  env = await setup();
  api = new Client(env.base);
  assert.equal((await api.login('cb1')).status, 200);
  const ents = (await api.get('/api/v1/enterprises?per_page=50')).json.items;
  entId = ents.find((e) => e.name === ENT).id;
  reassessedId = ents.find((e) => e.name === REASSESSED).id;
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
});

test('cb1: home lists the overdue, due and waiting actions; the list counters filter', async () => {
  const page = await session('cb1');
  await page.waitForURL(/#\/home$/);
  const card = page.locator('#home-actions');
  await card.waitFor();
  assert.match(await text(card.locator('h2')), /本周到期与已逾期的改进措施/);
  const overdue = card.locator('.act-home-overdue');
  assert.match(await text(overdue), /已逾期 1 项.*清理并统一作业指导书.*上海浦江精密电子有限公司（演示）.*2021-05-05.*已逾期 5 天/);
  assert.equal(await overdue.getByRole('link', { name: '清理并统一作业指导书' }).getAttribute('href'), '#/actions/4');
  assert.match(await text(card.locator('.act-home-week')), /本周到期 1 项.*培训内审员并开展首次内审.*还剩 4 天/);
  assert.match(await text(card.locator('.act-home-ready')), /待验证 1 项.*开展供方评价/);
  // The home page keeps its other cards.
  await page.locator('#home-deadlines').waitFor();
  for (const want of ['我的任务', '当前阶段', '报送事项', '通知公告']) {
    assert.equal(await page.locator('section.card', { hasText: want }).count() > 0, true, `home has ${want}`);
  }
  await shot(page, 'actions-home-cb');

  await nav(page, '改进措施');
  await page.waitForURL(/#\/actions$/);
  await page.locator('.pager-total', { hasText: '共 11 条' }).waitFor();
  await assertBreadcrumb(page, '首页 / 帮扶提升 / 改进措施');
  const counters = await text(page.locator('.act-counters'));
  assert.match(counters, /11 全部 3 待开始 3 进行中 1 待验证 1 已逾期 1 本周到期 1 已验证 4 已关闭/);
  const row = page.locator('tr.act-row', { hasText: '清理并统一作业指导书' });
  assert.match(await text(row), /文件控制.*技术部 孙磊.*2021-05-05.*已逾期 5 天.*60%.*进行中.*已逾期/);
  assert.match(await text(page.locator('tr.act-row', { hasText: '开展供方评价' })), /100%.*进行中.*待验证/);
  await shot(page, 'actions-list');

  // A counter is a filter: 已逾期 → ?overdue=true, one row; the counters stay.
  await page.locator('.act-counter[data-state="overdue"]').click();
  await page.waitForURL(/#\/actions\?overdue=true$/);
  await page.locator('.pager-total', { hasText: '共 1 条' }).waitFor();
  assert.equal(await page.locator('.act-counter[data-state="overdue"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await byLabel(content(page), '状态').inputValue(), 'overdue');
  assert.equal(await page.locator('tr.act-row').count(), 1);
  assert.match(await text(page.locator('.act-counters')), /11 全部/);
  // The filter bar: 已关闭 of one enterprise.
  await byLabel(content(page), '状态').selectOption('closed');
  await byLabel(content(page), '企业').selectOption({ label: REASSESSED });
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(new RegExp(`#/actions\\?enterprise_id=${reassessedId}&status=closed$`));
  await page.locator('.pager-total', { hasText: '共 3 条' }).waitFor();
  assert.ok((await text(page.locator('#content h1'))).includes(REASSESSED));
  assertNoProblems(page);
});

test('cb1 creates an action from a finding through the form', async () => {
  const page = await session('cb1');
  await go(page, '#/actions');
  await page.locator('.pager-total').waitFor();
  await page.locator('#act-new').click();
  await page.waitForURL(/#\/actions\/new$/);
  const c = content(page);
  await byLabel(c, '企业').selectOption({ label: ENT });
  // The findings of the submitted on-site diagnosis, grouped by diagnosis.
  const finding = byLabel(c, '诊断发现的问题');
  await page.locator('select[name="finding"] optgroup').first().waitFor({ state: 'attached' });
  assert.match(await page.locator('select[name="finding"] optgroup').first().getAttribute('label'), /现场诊断（2021-04-08）/);
  const options = await page.locator('select[name="finding"] option').allInnerTexts();
  assert.equal(options.length, 7, `no link + the 6 findings: ${options}`);
  const opt = options.find((o) => o.startsWith('10.2-1'));
  assert.ok(opt, '10.2-1 is offered');
  await finding.selectOption({ label: opt });
  await page.locator('.act-finding-preview .act-finding', { hasText: '客户退货只做返工处理' }).waitFor();
  assert.ok((await text(page.locator('.act-finding-preview'))).includes('难点'));

  // Everything but the title: refused under 措施名称.
  await byLabel(c, '具体内容').fill('建立退货登记台账，每月统计退货原因，前三位原因制定纠正措施。');
  await byLabel(c, '方法工具').selectOption({ label: 'QC七种工具' });
  await byLabel(c, '责任人').fill(OWNER);
  await byLabel(c, '完成期限').fill(DUE);
  await page.locator('#act-save').click();
  await fieldError(page, 'title').waitFor();
  assert.match(await text(fieldError(page, 'title')), /请填写措施名称/);
  assert.equal(await byLabel(c, '措施名称').getAttribute('aria-invalid'), 'true');
  await shot(page, 'action-form-error');

  await byLabel(c, '措施名称').fill(TITLE);
  await page.locator('#act-save').click();
  await page.waitForURL(/#\/actions\/\d+$/);
  actionId = Number(page.url().split('/').pop());
  const title = page.locator('.act-page-title');
  await title.waitFor();
  assert.match(await text(title), new RegExp(`${TITLE}.*待开始`));
  assert.match(await text(page.locator('.act-finding')), /10\.2-1.*客户退货只做返工处理/);
  assert.match(await text(page.locator('.act-info')), new RegExp(`QC七种工具.*${OWNER}.*${DUE}.*还剩 4 天`));
  assert.deepEqual(await buttons(page), ['上传证据', '编辑']);
  const saved = (await api.get(`/api/v1/actions/${actionId}`)).json;
  assert.equal(saved.item_key, '10.2-1');
  assert.equal(saved.method, 'qc_tools');
  assert.equal(saved.status, 'open');
  assertNoProblems(page);
});

test('ent1 reports progress, uploads evidence and asks for verification', async () => {
  assert.ok(actionId, 'the action was created');
  const page = await session('ent1');
  // Due within the week: on the enterprise's home page.
  const card = page.locator('#home-actions');
  await card.waitFor();
  assert.match(await text(card.locator('.act-home-week')), new RegExp(`本周到期 2 项.*${TITLE}.*还剩 4 天`));
  assert.equal(await card.locator('.act-home-ready').count(), 0, 'an enterprise has no 待验证 list');
  await shot(page, 'actions-home-ent');

  await nav(page, '改进措施');
  await page.locator('.pager-total', { hasText: '共 7 条' }).waitFor();
  assert.equal(await page.locator('th', { hasText: '企业' }).count(), 0, 'no enterprise column for the enterprise');
  assert.equal(await page.locator('#act-new').count(), 0);
  await page.locator('tr.act-row', { hasText: TITLE }).getByRole('link').click();
  await page.waitForURL(new RegExp(`#/actions/${actionId}$`));
  await page.locator('.act-page-title', { hasText: TITLE }).waitFor();
  assert.deepEqual(await buttons(page), ['更新进度', '申请验证', '上传证据']);

  // 更新进度: 120 refused in the dialog, then 40 with a note.
  await page.locator('#act-progress').click();
  let dlg = dialog(page);
  await byLabel(dlg, '完成进度（%）').fill('120');
  await dlg.getByRole('button', { name: '保存进度' }).click();
  await fieldError(dlg, 'progress').waitFor();
  await byLabel(dlg, '完成进度（%）').fill('40');
  await byLabel(dlg, '进展说明').fill('退货登记表已下发到仓库和客服。');
  await dlg.getByRole('button', { name: '保存进度' }).click();
  await dlg.waitFor({ state: 'detached' });
  await page.locator('.act-page-title .tag', { hasText: '进行中' }).waitFor();
  assert.match(await text(page.locator('.act-progress-block')), /40%.*退货登记表已下发/);

  // 上传证据: a PDF, then a photo (thumbnail).
  for (const [name, mimeType, buffer] of [['退货台账.pdf', 'application/pdf', PDF], ['现场照片.png', 'image/png', PNG]]) {
    await page.locator('#act-upload').click();
    dlg = dialog(page);
    await dlg.locator('input[type="file"]').setInputFiles({ name, mimeType, buffer });
    await dlg.getByRole('button', { name: '上传' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.locator('.act-file-name', { hasText: name }).waitFor();
  }
  const pdf = page.locator('.act-file', { hasText: '退货台账.pdf' });
  assert.match(await pdf.locator('a.act-file-name').getAttribute('href'), new RegExp(`^/api/v1/actions/${actionId}/files/\\d+$`));
  assert.equal(await pdf.locator('a.act-file-name').getAttribute('download'), '退货台账.pdf');
  await page.waitForFunction(() => { const i = document.querySelector('img.act-thumb-img'); return i && i.complete && i.naturalWidth > 0; });
  const got = await page.evaluate(async (href) => { const r = await fetch(href); return [r.status, r.headers.get('content-type')]; },
    await pdf.locator('a.act-file-name').getAttribute('href'));
  assert.deepEqual(got, [200, 'application/pdf']);

  // 申请验证: done, progress 100; then only evidence can be added.
  await page.locator('#act-complete').click();
  dlg = dialog(page);
  await dlg.getByRole('button', { name: '确认申请验证' }).click();
  await fieldError(dlg, 'note').waitFor();
  await byLabel(dlg, '整改完成情况').fill('4 月退货已全部登记并分析，纠正措施已落实。');
  await dlg.getByRole('button', { name: '确认申请验证' }).click();
  await dlg.waitFor({ state: 'detached' });
  await page.locator('.act-page-title .tag', { hasText: '待验证' }).waitFor();
  assert.match(await text(page.locator('.act-progress-block')), /100%/);
  assert.deepEqual(await buttons(page), ['上传证据']);
  assert.match(await text(page.locator('.act-state-note')), /等待认证机构/);
  await shot(page, 'action-detail-ent');
  assertNoProblems(page);
});

test('cb1 sees 待验证, verifies the action as effective and closes it; the history shows each step', async () => {
  assert.ok(actionId, 'the action was created');
  const page = await session('cb1');
  await go(page, '#/actions?ready=true');
  await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
  assert.equal(await page.locator('.act-counter[data-state="ready"] .act-counter-n').innerText(), '2');
  await page.locator('tr.act-row', { hasText: TITLE }).getByRole('link').click();
  await page.locator('.act-page-title', { hasText: '待验证' }).waitFor();
  // No 关闭措施 before the verification.
  assert.deepEqual(await buttons(page), ['上传证据', '验证有效', '验证无效（退回）', '编辑']);
  assert.equal(await page.getByRole('button', { name: '关闭措施' }).count(), 0);
  assert.equal(await page.locator('.act-file').count(), 2);

  await page.locator('#act-verify').click();
  let dlg = dialog(page);
  await byLabel(dlg, '验证意见').fill('抽查 4 月退货台账，原因分析和纠正措施完整。');
  await dlg.getByRole('button', { name: '确认有效' }).click();
  await dlg.waitFor({ state: 'detached' });
  await page.locator('.act-page-title .tag', { hasText: '已验证' }).waitFor();
  assert.deepEqual(await buttons(page), ['上传证据', '关闭措施', '重新打开', '编辑']);

  // 关闭措施 asks first; 取消 leaves it verified.
  await page.locator('#act-close').click();
  dlg = dialog(page);
  assert.match(await text(dlg), /确定关闭/);
  await dlg.getByRole('button', { name: '取消' }).click();
  await dlg.waitFor({ state: 'detached' });
  assert.equal((await api.get(`/api/v1/actions/${actionId}`)).json.status, 'verified');
  await page.locator('#act-close').click();
  await dialog(page).getByRole('button', { name: '确认关闭' }).click();
  await page.locator('.act-page-title .tag', { hasText: '已关闭' }).waitFor();
  assert.deepEqual(await buttons(page), ['重新打开']);
  assert.equal((await api.get(`/api/v1/actions/${actionId}`)).json.status, 'closed');

  // History, newest first: who did what.
  const items = await page.locator('.act-tl-item').evaluateAll((els) => els.map((e) => e.querySelector('.act-tl-head').innerText.replace(/\s+/g, ' ')));
  const steps = items.map((s) => s.split(' ').slice(0, 2).join(' '));
  assert.deepEqual(steps, ['关闭措施 cb1', '验证有效 cb1', '申请验证 ent1', '上传证据 ent1', '上传证据 ent1', '更新进度 ent1', '制定措施 cb1']);
  const hist = await text(page.locator('.act-timeline'));
  for (const want of ['抽查 4 月退货台账', '完成进度 100%', '文件：退货台账.pdf', '完成进度 40%', '退货登记表已下发']) {
    assert.ok(hist.includes(want), `history shows ${want}`);
  }
  await shot(page, 'action-detail');
  assertNoProblems(page);
});

test('a stale edit is refused: 已被他人修改，请刷新', async () => {
  const page = await session('cb1');
  await go(page, '#/actions/6/edit');
  const c = content(page);
  await byLabel(c, '措施名称').waitFor();
  assert.equal(await byLabel(c, '措施名称').inputValue(), '建立退货原因分析和纠正措施流程');
  // The linked finding is preselected once the findings have loaded.
  await page.waitForFunction(() => /^\d+:\d+$/.test(document.querySelector('select[name="finding"]').value));
  assert.match(await text(page.locator('.act-finding-preview')), /10\.2-1.*客户退货/);
  await shot(page, 'action-form-edit');
  // Someone else saves first.
  const cur = (await api.get('/api/v1/actions/6')).json;
  const r = await api.req('PUT', '/api/v1/actions/6', {
    title: cur.title, detail: cur.detail, method: cur.method, owner: '生产部 王强', due_date: cur.due_date,
    diagnosis_id: cur.diagnosis_id, item_id: cur.item_id, version: cur.version,
  });
  assert.equal(r.status, 200);
  await byLabel(c, '责任人').fill('生产部 陈静、王强');
  await page.locator('#act-save').click();
  const conflict = page.locator('.act-conflict');
  await conflict.waitFor();
  assert.match(await text(conflict), /已被他人修改，请刷新/);
  await conflict.getByRole('button', { name: '刷新' }).click();
  await page.waitForFunction(() => document.querySelector('input[name="owner"]') && document.querySelector('input[name="owner"]').value === '生产部 王强');
  await page.locator('#act-save').click();
  await page.waitForURL(/#\/actions\/6$/);
  await page.locator('.act-page-title').waitFor();
  assert.ok((await text(page.locator('.act-timeline'))).includes('修改措施'));
  assertNoProblems(page);
});

test('the ledger of the re-assessed enterprise shows the before/after table and the radar chart', async () => {
  const page = await session('cb1');
  await go(page, `#/enterprises/${reassessedId}`);
  const effect = page.locator('section.card', { hasText: '提升效果' });
  await effect.locator('tr.imp-row').first().waitFor();
  const rows = effect.locator('tr.imp-row');
  assert.equal(await rows.count(), 7, 'clauses 4–10');
  for (const r of await rows.all()) {
    const change = await text(r.locator('.imp-change'));
    assert.match(change, /^▲ \+\d\.\d$/, `a positive change: ${change}`);
    assert.ok(await r.locator('.imp-up').isVisible());
  }
  assert.match(await text(effect.locator('tr.imp-row', { hasText: '4 组织环境' })), /2\.0 4\.0 ▲ \+2\.0/);
  assert.match(await text(effect.locator('tr.imp-total')), /综合得分 1\.9 3\.9 ▲ \+2\.0/);
  assert.ok(await effect.locator('svg.radar').isVisible(), 'the radar chart');
  assert.match(await effect.locator('svg.radar').getAttribute('aria-label'), /首次诊断.*再评估/);
  assert.match(await text(effect.locator('tr.imp-ind-first_pass_yield')), /93\.6%.*97\.5%.*\+3\.9/);
  assert.ok(await effect.locator('tr.imp-ind-complaints .imp-up').isVisible(), 'fewer complaints is better');
  // 问题诊断 and 提升方案 beside it.
  const diag = page.locator('section.card', { hasText: '问题诊断' }).first();
  assert.equal(await diag.locator('tbody tr').count(), 2);
  assert.match(await text(diag.locator('tbody tr').first()), /现场诊断 再评估 第 2 轮 2021-05-06.*3\.9 已提交/);
  assert.ok(await diag.getByRole('link', { name: '开始诊断' }).isVisible());
  const plan = page.locator('section.card', { hasText: '提升方案' });
  assert.match(await text(plan.locator('#ledger-action-counts')), /共 3.*已关闭 3/);
  assert.equal(await plan.locator('tbody tr').count(), 3);
  assert.equal(await plan.locator('#ledger-actions-all').getAttribute('href'), `#/actions?enterprise_id=${reassessedId}`);
  // The earlier cards still work.
  for (const want of ['基本信息', '基线指标与跟踪指标', '帮扶认证机构', '认证实施', '培训记录']) {
    assert.ok(await page.locator('section.card', { hasText: want }).count() > 0, `ledger has ${want}`);
  }
  await shot(page, 'ledger-improvement');
  assertNoProblems(page);

  // The enterprise's own record: no body buttons, the first diagnosis only.
  const ent = await session('ent1');
  await go(ent, '#/enterprise');
  const own = ent.locator('section.card', { hasText: '提升效果' });
  await own.locator('tr.imp-row').first().waitFor();
  assert.ok((await text(own)).includes('再评估（第 2 轮现场诊断）提交后'));
  assert.equal(await ent.locator('#ledger-diag-start, #ledger-action-new').count(), 0);
  assert.match(await text(ent.locator('#ledger-action-counts')), /共 7/);
  await shot(ent, 'ledger-self');
  assertNoProblems(ent);
});

test('district and city: the counts on the home page, the list read only', async () => {
  const page = await session('pudong');
  const card = page.locator('#home-actions');
  await card.waitFor();
  assert.match(await text(card), /1 已逾期的措施 .*本周到期的措施/);
  assert.equal(await card.locator('a[data-key="overdue"]').getAttribute('href'), '#/actions?overdue=true');
  await card.locator('a[data-key="overdue"]').click();
  await page.locator('.pager-total', { hasText: '共 1 条' }).waitFor();
  await page.locator('tr.act-row').getByRole('link').click();
  await page.locator('.act-page-title').waitFor();
  assert.equal(await page.locator('.act-actions').count(), 0, 'no workflow buttons for a district');
  await go(page, '#/actions/new');
  await page.locator('.no-permission').waitFor();
  assertNoProblems(page);
});

test('phone width: every action page fits and reads', async () => {
  const looks = [
    ['cb1', '#/home', '#home-actions', 'phone-actions-home'],
    ['cb1', '#/actions', 'tr.act-row', 'phone-actions-list'],
    ['cb1', `#/actions/${actionId || 3}`, '.act-timeline', 'phone-action-detail'],
    // The form preselects the finding of the link (8.4-1 of the demo diagnosis).
    ['cb1', `#/actions/new?enterprise_id=${entId}&diagnosis_id=2&item_id=36`, '.act-finding-preview .act-finding', 'phone-action-form'],
    ['cb1', `#/enterprises/${reassessedId}`, 'svg.radar', 'phone-ledger'],
    ['ent1', '#/actions/3', '.act-timeline', 'phone-action-detail-ent'],
  ];
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    let who = null;
    for (const [username, hash, ready, name] of looks) {
      if (who !== username) {
        if (who) {
          await page.locator('#user-btn').click();
          await page.getByRole('button', { name: '退出登录' }).click();
          await page.locator('#login-view').waitFor({ state: 'visible' });
        }
        await login(page, env.base, username);
        who = username;
      }
      await go(page, hash);
      await page.locator(ready).first().waitFor();
      assert.ok((await sideways(page)) <= 0, `${name} fits the phone width (${await sideways(page)}px too wide)`);
      await shot(page, name);
    }
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
