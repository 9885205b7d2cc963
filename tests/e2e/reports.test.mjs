// Reports (中期推进情况 · 年度总结), the deadline matrix (报送进度), reminder
// settings (报送提醒) and the 报送事项 home card in the browser.
//
// The server runs with an SMTP test sink and a reminder offset of 8 days
// before the due date, so pudong's mid-term reminder (due 2021-05-18) goes
// out on the simulated 2021-05-10. pudong: the reminder shows 已发送; a bad
// address is refused under the list (the server's `emails` error), a good one
// saved — refused by the sink, so its reminder shows 发送失败 with the error.
// pudong opens its mid-term draft, clicks a figure and sees as many records as
// the figure says (a record links to its page), tries to submit with a section
// empty (the message under that textarea), submits after the confirmation,
// sees 已冻结 and its home card shows the mid-term 已完成. The city's matrix
// shows pudong's mid-term 已完成 and huangpu's declaration 已逾期, filters by
// unit kind and state; the city returns pudong's report with a reason and
// pudong sees the reason. huangpu: no mid-term to file; the server's 422 shown
// when it tries anyway; it starts its annual summary. Screenshots of every
// page at 1366×768 and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';
import {
  setup, newPage, login, logout, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
let server;
let sink;
let city; // API client of the city, for independent checks
let pudongApi;
const pages = {}; // username → { context, page }

const RETURN_REASON = '“存在的问题和不足”过于简略，请补充生物医药行业诊断进度落后的原因和整改时限。';
const BAD_EMAIL = 'office.pudong.example.cn';
const GOOD_EMAIL = 'bounce@pudong.example.cn';
let reportId = null;

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

async function session(username) {
  if (!pages[username]) {
    pages[username] = await newPage(env.browser);
    await login(pages[username].page, env.base, username);
  }
  return pages[username].page;
}

async function reminders(client) {
  return (await client.get('/api/v1/reminders?per_page=50')).json.items;
}

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({
    args: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-from', 'qmslift@test.example.cn',
      '--reminder-offsets', '-8,-1,1,7', '--job-period', '1', '--job-tick-ms', '100'],
  });
  // setup() then only starts the browser and uses this server.
  const prev = process.env.QMSLIFT_E2E_BASE;
  process.env.QMSLIFT_E2E_BASE = server.base;
  try { env = await setup(); } finally {
    if (prev === undefined) delete process.env.QMSLIFT_E2E_BASE; else process.env.QMSLIFT_E2E_BASE = prev;
  }
  city = new Client(env.base);
  assert.equal((await city.login('city')).status, 200);
  pudongApi = new Client(env.base);
  assert.equal((await pudongApi.login('pudong')).status, 200);
  const mine = (await pudongApi.get('/api/v1/reports')).json.items;
  reportId = mine.find((r) => r.kind === 'midterm').id;
  // The job sends pudong's mid-term reminder (8 days before 2021-05-18).
  await sink.waitFor((s) => s.messages.some((m) => m.to.includes('pilot@pudong.example.cn')), 10000, 'the mid-term reminder');
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
  if (server) await server.stop();
  if (sink) await sink.close();
});

test('pudong: reminder settings — the sent reminder, a bad address refused, a good one saved', async () => {
  const page = await session('pudong');
  await nav(page, '报送提醒');
  await page.waitForURL(/#\/reminders$/);
  await assertBreadcrumb(page, '首页 / 计划安排 / 报送提醒');
  await page.locator('#rem-smtp').waitFor();
  assert.match(await text(page.locator('#rem-smtp')), /邮件服务器已配置/);
  const c = content(page);
  assert.equal(await byLabel(c, '提醒邮箱 1').inputValue(), 'pilot@pudong.example.cn');
  assert.ok(await page.getByRole('switch', { name: '启用邮件提醒' }).isChecked());
  // The reminder the job sent.
  const row = page.locator('tbody tr', { hasText: 'pilot@pudong.example.cn' });
  await row.waitFor();
  const rowText = await text(row);
  for (const want of ['已发送', '中期推进情况报送', '截止 2021-05-18', '截止前 8 天']) assert.ok(rowText.includes(want), `reminder row shows ${want}: ${rowText}`);
  await shot(page, 'reminders-unit');

  // A bad address: the server's message under the list, the input marked.
  await page.getByRole('button', { name: '＋ 添加邮箱' }).click();
  await byLabel(c, '提醒邮箱 2').fill(BAD_EMAIL);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  const err = fieldError(page, 'emails');
  await err.waitFor();
  assert.match(await text(err), new RegExp(`邮箱地址格式不正确.*${BAD_EMAIL.replace(/\./g, '\\.')}`));
  assert.equal(await byLabel(c, '提醒邮箱 2').getAttribute('aria-invalid'), 'true');
  let saved = (await pudongApi.get('/api/v1/reminders/settings')).json;
  assert.deepEqual(saved.emails, ['pilot@pudong.example.cn'], 'nothing saved');
  await shot(page, 'reminders-error');

  // A good one: saved. The sink refuses it, so its reminder fails.
  sink.failNext(100, { at: 'rcpt', code: 554 });
  await byLabel(c, '提醒邮箱 2').fill(GOOD_EMAIL);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('#toast', { hasText: '提醒设置已保存' }).waitFor();
  assert.equal(await fieldError(page, 'emails').count(), 0);
  saved = (await pudongApi.get('/api/v1/reminders/settings')).json;
  assert.deepEqual(saved.emails, ['pilot@pudong.example.cn', GOOD_EMAIL]);
  // Five rows at most: the add button is disabled at five.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '＋ 添加邮箱' }).click();
  assert.equal(await page.locator('.rem-email').count(), 5);
  assert.ok(await page.getByRole('button', { name: '＋ 添加邮箱' }).isDisabled());
  for (let i = 5; i > 2; i--) await page.getByRole('button', { name: `删除邮箱 ${i}` }).click();
  assert.equal(await page.locator('.rem-email').count(), 2);

  const deadline = Date.now() + 10000;
  for (;;) {
    const r = (await reminders(pudongApi)).find((x) => x.recipient === GOOD_EMAIL);
    if (r && r.status === 'failed' && r.last_error) break;
    assert.ok(Date.now() < deadline, 'the reminder to the refused address failed');
    await new Promise((res) => setTimeout(res, 100));
  }
  await go(page, '#/reminders?status=failed');
  const failed = page.locator('tbody tr', { hasText: GOOD_EMAIL });
  await failed.waitFor();
  assert.ok((await text(failed)).includes('发送失败'));
  assert.ok((await failed.locator('.rem-error').count()) === 1, 'the error is shown');
  assert.equal(await page.locator('tbody tr', { hasText: 'pilot@pudong.example.cn' }).count(), 0, 'filtered to 发送失败');
  await shot(page, 'reminders-failed');
  assertNoProblems(page);
});

test('pudong: the mid-term draft — figures with their records, an empty section, submit, 已冻结', async () => {
  const page = await session('pudong');
  await go(page, '#/home');
  const homeCard = page.locator('#home-deadlines');
  await homeCard.waitFor();
  assert.match(await text(homeCard.locator('[data-key="midterm"]')), /中期推进情况报送.*截止 2021-05-18.*还剩 8 天.*即将到期/);
  assert.match(await text(homeCard.locator('.dl-extra[data-key="actions"]')), /改进措施.*已逾期 1.*本周到期 1/);

  await nav(page, '中期推进与年度总结');
  await page.waitForURL(/#\/reports$/);
  await assertBreadcrumb(page, '首页 / 总结验收 / 中期推进与年度总结');
  const mid = page.locator('tr.rpt-row-midterm');
  await mid.waitFor();
  assert.match(await text(mid), /中期推进情况.*2021-05-18.*即将到期.*还剩 8 天.*草稿/);
  assert.match(await text(page.locator('tr.rpt-row-annual')), /年度总结.*2021-11-18.*未到期.*未新建.*新建/);
  await shot(page, 'reports-unit');

  await mid.getByRole('link', { name: '填写' }).click();
  await page.waitForURL(new RegExp(`#/reports/${reportId}$`));
  await page.locator('.rpt-title', { hasText: '草稿' }).waitFor();
  assert.ok((await text(page.locator('.rpt-unit-line'))).includes('浦东新区市场监管局'));
  assert.match(await text(page.locator('#rpt-meta')), /截止日期 2021-05-18 即将到期 还剩 8 天/);
  assert.match(await text(page.locator('#rpt-fig-meta')), /数据截至 2021-05-10 实时/);
  assert.equal(await page.locator('#rpt-pdf').getAttribute('href'), `/api/v1/reports/${reportId}.pdf`);
  assert.equal(await page.locator('#rpt-xlsx').getAttribute('href'), `/api/v1/reports/${reportId}/figures.xlsx`);
  assert.equal(await page.locator('#rpt-return').count(), 0, 'no 退回 for the unit');
  for (const [id, type] of [['#rpt-pdf', 'application/pdf'], ['#rpt-xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']]) {
    const res = await page.request.get(env.base + await page.locator(id).getAttribute('href'));
    assert.equal(res.status(), 200, id);
    assert.equal(res.headers()['content-type'], type, id);
  }

  // A figure and the records behind it: as many as the figure says.
  const fig = page.locator('button.rpt-figure[data-key="enterprises"]');
  const value = Number(await text(fig.locator('.rpt-figure-n')));
  assert.equal(value, 10);
  assert.match(await text(fig), /试点企业 10 家 依据 10 条记录/);
  await fig.click();
  const dlg = dialog(page);
  await dlg.locator('tbody tr').first().waitFor();
  assert.equal(await dlg.locator('tbody tr').count(), value);
  assert.equal(await text(dlg.locator('#rpt-rec-count')), `共 ${value} 条记录`);
  assert.match(await dlg.locator('tbody tr a').first().getAttribute('href'), /^#\/enterprises\/\d+$/);
  assert.ok((await text(dlg)).includes('实时'));
  await shot(page, 'report-figure-records', { fullPage: false });
  await dlg.getByRole('button', { name: '关闭' }).click();
  await dlg.waitFor({ state: 'detached' });
  // A certificate record opens the certificate (and the dialog closes).
  await page.locator('button.rpt-figure[data-key="certified"]').click();
  await dlg.locator('tbody tr a').first().waitFor();
  assert.match(await dlg.locator('tbody tr a').first().getAttribute('href'), /^#\/certificates\/\d+$/);
  await dlg.locator('tbody tr a').first().click();
  await page.waitForURL(/#\/certificates\/\d+$/);
  await dialog(page).waitFor({ state: 'detached' });
  assert.equal(await dialog(page).count(), 0);
  await page.goBack();
  await page.waitForURL(new RegExp(`#/reports/${reportId}$`));
  await page.locator('#rpt-form').waitFor();
  await shot(page, 'report-draft');

  // One section empty: the message under that textarea, nothing else.
  const c = content(page);
  await byLabel(c, '工作进展').fill('浦东新区聚焦集成电路、生物医药两个试点行业，遴选试点企业10家，已完成现场问题诊断5家。');
  await byLabel(c, '存在的问题和不足').fill('');
  await byLabel(c, '下一步举措').fill('6月底前完成全部试点企业的现场诊断；督促逾期措施按期整改。');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await fieldError(page, 'problems').waitFor();
  assert.match(await text(fieldError(page, 'problems')), /请填写“存在的问题和不足”后再提交/);
  assert.equal(await fieldError(page, 'progress').count(), 0);
  assert.equal(await fieldError(page, 'next_steps').count(), 0);
  assert.equal(await byLabel(c, '存在的问题和不足').getAttribute('aria-invalid'), 'true');
  assert.equal(await dialog(page).count(), 0, 'no confirmation before the sections are filled');
  await shot(page, 'report-errors');

  // Filled: the confirmation says the data will be frozen; then 已提交, 已冻结.
  await byLabel(c, '存在的问题和不足').fill('部分企业质量目标未量化，改进措施推进偏慢；生物医药行业诊断进度落后。');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await dlg.waitFor();
  assert.ok((await text(dlg)).includes('提交后数据将冻结'));
  await shot(page, 'report-submit-confirm', { fullPage: false });
  await dlg.getByRole('button', { name: '确认提交' }).click();
  await page.locator('.rpt-title', { hasText: '已提交' }).waitFor();
  assert.match(await text(page.locator('#rpt-fig-meta')), /数据截至 2021-05-10 已冻结/);
  assert.equal(await page.locator('textarea').count(), 0, 'read-only once submitted');
  assert.ok((await text(page.locator('.rpt-text-view'))).includes('生物医药行业诊断进度落后'));
  assert.match(await text(page.locator('tr', { hasText: '第 1 版' })), /第 1 版.*pudong.*待审核/);
  const r = (await city.get(`/api/v1/reports/${reportId}`)).json;
  assert.equal(r.status, 'submitted');
  assert.equal(r.figures_frozen, true);
  assert.equal(r.content.problems, '部分企业质量目标未量化，改进措施推进偏慢；生物医药行业诊断进度落后。');
  await shot(page, 'report-submitted');

  // The home card: the mid-term 已完成 on the simulated date.
  await nav(page, '首页');
  await page.waitForURL(/#\/home$/);
  const item = page.locator('#home-deadlines [data-key="midterm"]');
  await item.waitFor();
  assert.match(await text(item), /中期推进情况报送.*2021-05-10 报送.*已完成/);
  await shot(page, 'reports-home-pudong');
  assertNoProblems(page);
});

test('city: the matrix — pudong 已完成, huangpu 已逾期, filters; returns pudong\'s report', async () => {
  const page = await session('city');
  await nav(page, '报送进度');
  await page.waitForURL(/#\/deadlines$/);
  await assertBreadcrumb(page, '首页 / 计划安排 / 报送进度');
  await page.locator('tr.dl-row').first().waitFor();
  const total = await page.locator('tr.dl-row').count();
  assert.ok(total >= 18, `every district and body (${total})`);
  assert.equal(await page.locator('thead th').count(), 5);
  const pudong = page.locator('tr.dl-row', { hasText: '浦东新区市场监管局' });
  const midCell = pudong.locator('td[data-key="midterm"]');
  assert.equal(await midCell.getAttribute('data-state'), 'done');
  assert.match(await text(midCell), /已完成 2021-05-10/);
  assert.ok(await midCell.evaluate((td) => td.classList.contains('dl-s-done')));
  const huangpu = page.locator('tr.dl-row', { hasText: '黄浦区市场监管局' });
  assert.equal(await text(huangpu.locator('td[data-key="declaration"]')), '已逾期');
  assert.equal(await huangpu.locator('td[data-key="declaration"]').getAttribute('data-state'), 'overdue');
  assert.equal(await text(huangpu.locator('td[data-key="midterm"]')), '不适用');
  // The counts row and the legend.
  assert.match(await text(page.locator('tr.dl-counts td[data-key="midterm"]')), /已完成 2.*即将到期 3.*已报送 2 \/ 应报送 5/);
  const legend = await text(page.locator('.dl-legend'));
  for (const want of ['未到期', '即将到期', '已逾期', '已完成', '逾期完成', '不适用']) assert.ok(legend.includes(want), `legend has ${want}`);
  await shot(page, 'deadlines-city');

  // Filters: certification bodies only; units with something overdue.
  await byLabel(content(page), '单位类型').selectOption('cb');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/#\/deadlines\?kind=cb$/);
  await page.locator('#dl-summary', { hasText: '共 2 个单位' }).waitFor();
  assert.equal(await page.locator('tr.dl-row[data-kind="district"]').count(), 0);
  await page.getByRole('button', { name: '重置' }).click();
  await page.waitForURL(/#\/deadlines$/);
  await page.locator('#dl-summary', { hasText: `共 ${total} 个单位` }).waitFor();
  await byLabel(content(page), '状态').selectOption('overdue');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/#\/deadlines\?state=overdue$/);
  await page.locator('#dl-summary', { hasText: '仅列出' }).waitFor();
  assert.equal(await page.locator('tr.dl-row', { hasText: '浦东新区市场监管局' }).count(), 0);
  assert.equal(await page.locator('tr.dl-row', { hasText: '黄浦区市场监管局' }).count(), 1);
  for (const row of await page.locator('tr.dl-row').all()) {
    assert.ok(await row.locator('td[data-state="overdue"]').count() > 0, 'every listed unit has an overdue cell');
  }

  // The reports list: filters and the search box.
  await nav(page, '中期推进与年度总结');
  await page.waitForURL(/#\/reports$/);
  await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
  await byLabel(content(page), '单位').fill('浦东');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.pager-total', { hasText: '共 1 条' }).waitFor();
  const row = page.locator('tbody tr', { hasText: '浦东新区市场监管局' });
  assert.match(await text(row), /中期推进情况.*2021-05-18.*已完成.*已提交.*第 1 版/);
  await page.getByRole('button', { name: '重置' }).click();
  await page.waitForURL(/#\/reports$/);
  await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
  await byLabel(content(page), '状态').selectOption('accepted');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.empty-title', { hasText: '没有符合条件的报告' }).waitFor();
  await page.getByRole('button', { name: '重置' }).click();
  await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
  await shot(page, 'reports-city');

  // From the matrix cell to the report; 退回 needs a reason.
  await nav(page, '报送进度');
  await page.locator('tr.dl-row', { hasText: '浦东新区市场监管局' }).locator('td[data-key="midterm"] a').click();
  await page.waitForURL(new RegExp(`#/reports/${reportId}$`));
  await page.locator('.rpt-title', { hasText: '已提交' }).waitFor();
  assert.ok((await text(page.locator('.rpt-unit-line'))).includes('浦东新区市场监管局'));
  assert.deepEqual(await page.locator('.rpt-actions').locator('a, button').allInnerTexts(), ['下载PDF', '导出Excel', '退回', '通过']);
  await shot(page, 'report-city-review');
  await page.locator('#rpt-return').click();
  const dlg = dialog(page);
  await dlg.waitFor();
  await dlg.getByRole('button', { name: '确认退回' }).click();
  await fieldError(dlg, 'reason').waitFor();
  assert.match(await text(fieldError(dlg, 'reason')), /请填写退回理由/);
  await byLabel(dlg, '退回理由').fill(RETURN_REASON);
  await shot(page, 'report-return-dialog', { fullPage: false });
  await dlg.getByRole('button', { name: '确认退回' }).click();
  await page.locator('.rpt-title', { hasText: '已退回' }).waitFor();
  assert.equal(await page.locator('#rpt-return').count(), 0);
  assert.ok((await text(page.locator('#rpt-returned'))).includes(RETURN_REASON));
  assert.equal((await city.get(`/api/v1/reports/${reportId}`)).json.status, 'returned');

  // cb1's submitted report: 通过 after a confirmation, then read-only.
  await nav(page, '中期推进与年度总结');
  await page.locator('tbody tr', { hasText: '沪联质量认证中心' }).getByRole('link', { name: '审核' }).click();
  await page.waitForURL(/#\/reports\/\d+$/);
  await page.locator('#rpt-accept').click();
  await dialog(page).getByRole('button', { name: '确认通过' }).click();
  await page.locator('.rpt-title', { hasText: '已通过' }).waitFor();
  assert.deepEqual(await page.locator('.rpt-actions').locator('a, button').allInnerTexts(), ['下载PDF', '导出Excel']);
  assert.match(await text(page.locator('#rpt-meta')), /通过时间 2021-05-10/);
  assert.match(await text(page.locator('tr', { hasText: '第 1 版' })), /已通过/);
  assertNoProblems(page);
});

test('pudong: the return reason on its report, editable again', async () => {
  const page = await session('pudong');
  await go(page, `#/reports/${reportId}`);
  const banner = page.locator('#rpt-returned');
  await banner.waitFor();
  assert.match(await text(banner), new RegExp(`市局退回意见 ${RETURN_REASON}`));
  await page.locator('#rpt-form').waitFor();
  assert.equal(await page.getByRole('button', { name: '重新提交' }).count(), 1);
  assert.match(await text(page.locator('#rpt-fig-meta')), /实时/);
  assert.match(await text(page.locator('tr', { hasText: '第 1 版' })), /已退回.*存在的问题和不足/);
  await shot(page, 'report-returned');
  assertNoProblems(page);
});

test('pudong: a frozen version opens with its figures, their records and the texts', async () => {
  const page = await session('pudong');
  await go(page, `#/reports/${reportId}`);
  await page.locator('tr', { hasText: '第 1 版' }).getByRole('button', { name: '查看' }).click();
  const dlg = dialog(page);
  await dlg.locator('.rpt-version-meta').waitFor();
  assert.match(await text(dlg.locator('.rpt-version-meta')), /已冻结.*提交于 2021-05-10.*pudong.*数据截至 2021-05-10/);
  assert.ok((await text(dlg.locator('.rpt-version-returned'))).includes(RETURN_REASON));
  assert.ok((await text(dlg.locator('.rpt-text-view'))).includes('生物医药行业诊断进度落后'));
  const ents = dlg.locator('tr', { hasText: '试点企业' }).first();
  assert.match(await text(ents), /试点企业 10 家 10 条/);
  await ents.locator('summary').click();
  assert.equal(await ents.locator('details tbody tr').count(), 10, 'the records frozen with the version');
  await shot(page, 'report-version', { fullPage: false });
  await dlg.getByRole('button', { name: '关闭' }).click();
  await dlg.waitFor({ state: 'detached' });
  assertNoProblems(page);
});

test('huangpu: no mid-term to file (the server\'s 422 when forced), starts its annual summary', async () => {
  const page = await session('huangpu');
  await go(page, '#/reports');
  const mid = page.locator('tr.rpt-row-midterm');
  await mid.waitFor();
  assert.match(await text(mid), /不适用.*由参与试点的单位报送/);
  assert.equal(await mid.getByRole('button', { name: '新建' }).count(), 0);

  // Told by a stale deadline list that the mid-term applies: the server says no.
  await page.route('**/api/v1/deadlines', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    for (const d of body.items) if (d.key === 'midterm') Object.assign(d, { state: 'due_soon', state_name: '即将到期' });
    await route.fulfill({ response: res, json: body });
  });
  await go(page, '#/home');
  await go(page, '#/reports');
  await page.locator('tr.rpt-row-midterm').getByRole('button', { name: '新建' }).click();
  const msg = page.locator('#rpt-create-msg .alert-error');
  await msg.waitFor();
  assert.match(await text(msg), /无法新建中期推进情况：中期推进情况由参与试点的单位报送/);
  await page.unroute('**/api/v1/deadlines');

  // The annual summary: 新建 opens the draft with the annual sections.
  await go(page, '#/home');
  await page.locator('#home-deadlines').waitFor();
  assert.equal(await page.locator('#home-deadlines [data-key="midterm"]').count(), 0, 'not applicable: not listed');
  assert.match(await text(page.locator('#home-deadlines [data-key="declaration"]')), /申报表报送.*已逾期 79 天.*已逾期/);
  await shot(page, 'reports-home-huangpu');
  await go(page, '#/reports');
  await page.locator('tr.rpt-row-annual').getByRole('button', { name: '新建' }).click();
  await page.waitForURL(/#\/reports\/\d+$/);
  await page.locator('#rpt-form').waitFor();
  const c = content(page);
  for (const label of ['年度工作开展情况', '下一年度复制推广计划', '典型案例和标杆企业情况']) {
    assert.equal(await byLabel(c, label).count(), 1, `annual section ${label}`);
  }
  assert.match(await text(page.locator('.rpt-title')), /年度总结报告.*草稿/);
  const hp = new Client(env.base);
  await hp.login('huangpu');
  const live = (await hp.get('/api/v1/reports/figures?kind=annual')).json.figures.find((f) => f.key === 'enterprises');
  assert.equal(await page.locator('button.rpt-figure[data-key="enterprises"] .rpt-figure-n').innerText(), String(live.value));
  // Save a draft: kept.
  await byLabel(c, '年度工作开展情况').fill('黄浦区开展质量管理体系认证宣传培训2场。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.locator('#toast', { hasText: '草稿已保存' }).waitFor();
  await page.locator('#rpt-form').waitFor();
  assert.equal(await byLabel(c, '年度工作开展情况').inputValue(), '黄浦区开展质量管理体系认证宣传培训2场。');
  await shot(page, 'report-annual-draft');
  assertNoProblems(page);
});

test('city: the reminders of every unit, and a unit\'s settings', async () => {
  const page = await session('city');
  await nav(page, '报送提醒');
  await page.waitForURL(/#\/reminders$/);
  const rows = page.locator('tbody tr');
  await rows.first().waitFor();
  const all = await text(page.locator('tbody'));
  for (const want of ['pilot@pudong.example.cn', GOOD_EMAIL, '浦东新区市场监管局', '已发送', '发送失败']) {
    assert.ok(all.includes(want), `city sees ${want}`);
  }
  assert.equal(await page.locator('#rem-form').count(), 0, 'no settings before a unit is picked');
  await shot(page, 'reminders-city');
  await byLabel(content(page), '单位').selectOption({ label: '浦东新区市场监管局' });
  await page.waitForURL(/#\/reminders\?unit=\d+$/);
  await page.locator('#rem-form').waitFor();
  assert.equal(await byLabel(content(page), '提醒邮箱 2').inputValue(), GOOD_EMAIL);
  assertNoProblems(page);
});

test('phone width: the report pages, the matrix and the reminders fit', async () => {
  const looks = [
    ['pudong', '#/home', '#home-deadlines', 'phone-reports-home'],
    ['pudong', '#/reports', 'tr.rpt-row-midterm', 'phone-reports-unit'],
    ['pudong', `#/reports/${reportId}`, '#rpt-form', 'phone-report'],
    ['pudong', '#/deadlines', 'tr.dl-row', 'phone-deadlines-unit'],
    ['pudong', '#/reminders', '#rem-form', 'phone-reminders'],
    ['city', '#/deadlines', 'tr.dl-counts', 'phone-deadlines-city'],
    ['city', '#/reports', '.pager-total', 'phone-reports-city'],
    ['city', '#/home', '#home-deadlines', 'phone-reports-home-city'],
  ];
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    let who = null;
    for (const [username, hash, ready, name] of looks) {
      if (who !== username) {
        if (who) await logout(page);
        await login(page, env.base, username);
        who = username;
      }
      await go(page, hash);
      await page.locator(ready).first().waitFor();
      assert.ok((await sideways(page)) <= 0, `${name} fits the phone width (${await sideways(page)}px too wide)`);
      if (name === 'phone-deadlines-city') {
        // The matrix as stacked cards: a unit's name above its deadlines.
        const card = page.locator('tr.dl-row', { hasText: '浦东新区市场监管局' });
        assert.equal(await card.evaluate((tr) => getComputedStyle(tr).display), 'flex');
        assert.ok(await card.locator('td[data-key="midterm"]').isVisible());
      }
      await shot(page, name);
    }
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
