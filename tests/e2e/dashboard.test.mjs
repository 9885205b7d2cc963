// 数据看板 in the browser: the city opens it from the navigation (first entry of 工作台);
// each chart's data, read back from ECharts (echarts.getInstanceByDom(el).getOption()),
// equals the statistics API's answer fetched independently; the 数据表 toggle shows the
// same numbers; the district filter changes the numbers to that district's; a district
// officer sees only its own district (no filter), a certification body its assigned
// enterprises; an enterprise has no entry and is refused. No script error or CSP
// violation anywhere (ECharts draws on a canvas; tooltips are rich text, not HTML).
// Screenshots at 1366×768 and phone width; the phone layout stacks the charts, fits the
// width, and the charts follow the window's size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { join } from 'node:path';
import { setup, newPage, login, text, assertNoProblems, DESKTOP, PHONE, SHOTS, assertBreadcrumb } from './browser.mjs';

let env;
const api = {}; // API clients by username, for independent checks
const pages = {}; // username → { context, page }

const PUDONG = '浦东新区';
const HUANGPU = '黄浦区';
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const go = (page, hash) => page.evaluate((x) => { location.hash = x; }, hash);

// The whole page: the viewport is made as tall as the page and the charts are given a
// moment to follow the resize (a fullPage capture catches the canvases mid-redraw,
// squashed), then the viewport is put back.
async function shot(page, name) {
  const vp = page.viewportSize();
  await page.evaluate(() => window.scrollTo(0, 0));
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: vp.width, height });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  await page.setViewportSize(vp);
}

async function session(username, viewport = DESKTOP) {
  const key = `${username}@${viewport.width}`;
  if (!pages[key]) {
    pages[key] = await newPage(env.browser, viewport);
    await login(pages[key].page, env.base, username);
  }
  return pages[key].page;
}

async function stats(username, path, params = {}) {
  const qs = new URLSearchParams(params).toString();
  const r = await api[username].get(`/api/v1/stats/${path}${qs ? `?${qs}` : ''}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// The option ECharts holds for the chart element #id (after the page has drawn it).
async function option(page, id) {
  await page.locator(`#${id} canvas`).first().waitFor();
  return page.evaluate((x) => {
    const inst = window.echarts.getInstanceByDom(document.getElementById(x));
    const o = inst.getOption();
    return { series: o.series, xAxis: o.xAxis, yAxis: o.yAxis, radar: o.radar, width: inst.getWidth() };
  }, id);
}

// Wait for a fresh rendering of the dashboard (all charts drawn).
async function ready(page) {
  await page.locator('.dash-grid').waitFor();
  for (const id of ['chart-funnel', 'chart-actions']) await page.locator(`#${id} canvas`).first().waitFor();
}

const STAGE_KEYS = ['enrolled', 'diagnosed', 'improving', 'certified'];
const fmt = (n) => Number(n).toLocaleString('zh-CN'); // 100015 → "100,015", as the page shows counts

// Every chart of the page against the API's answers for the same scope.
async function assertChartsMatch(page, username, params = {}) {
  const ov = await stats(username, 'overview', params);
  const funnel = await option(page, 'chart-funnel');
  assert.deepEqual(funnel.series[0].data.map((d) => d.value), STAGE_KEYS.map((k) => ov.funnel[k]), 'funnel = overview.funnel');

  const actions = await option(page, 'chart-actions');
  assert.deepEqual(actions.series[0].data.map((d) => d.value),
    [...['open', 'in_progress', 'verified', 'closed'].map((k) => ov.actions[k]), ov.actions.overdue], 'actions = overview.actions');

  for (const by of ['district', 'industry']) {
    const st = await stats(username, 'stages', { by, ...params });
    const o = await option(page, `chart-stages-${by}`);
    assert.deepEqual(o.yAxis[0].data, st.items.map((r) => r.key), `stages by ${by}: categories`);
    STAGE_KEYS.forEach((k, i) => assert.deepEqual(o.series[i].data, st.items.map((r) => r[k]), `stages by ${by}: ${k}`));
    const target = o.series.find((s) => s.name === '计划目标');
    if (st.items.some((r) => r.target > 0)) {
      assert.deepEqual(target.data, st.items.filter((r) => r.target > 0).map((r) => [r.target, r.key]), `stages by ${by}: target (none drawn at 0)`);
    }
  }

  const oneDistrict = !!ov.scope.district;
  const sc = await stats(username, 'scores', { by: oneDistrict ? 'industry' : 'district', ...params });
  if (sc.items.length) {
    const o = await option(page, 'chart-scores');
    assert.deepEqual(o.yAxis[0].data, sc.items.map((r) => r.key), 'scores: categories');
    assert.deepEqual(o.series[0].data, sc.items.map((r) => r.avg_first), 'scores: first');
    assert.deepEqual(o.series[1].data, sc.items.map((r) => r.avg_latest), 'scores: latest');
    const radar = await option(page, 'chart-radar');
    assert.deepEqual(radar.radar[0].indicator.map((x) => x.name), sc.clauses.map((c) => `${c.clause} ${c.title}`), 'radar: clauses');
    assert.deepEqual(radar.series[0].data[0].value, sc.clauses.map((c) => c.avg_first), 'radar: first');
    assert.deepEqual(radar.series[0].data[1].value, sc.clauses.map((c) => c.avg_latest), 'radar: latest');
  } else {
    assert.equal(await page.locator('#chart-scores').count(), 0, 'no score chart without diagnoses');
  }

  // Key figures.
  const kpi = async (k) => text(page.locator(`.dash-kpi[data-kpi="${k}"] .dash-kpi-n`));
  assert.equal(await kpi('enrolled'), fmt(ov.funnel.enrolled));
  assert.equal(await kpi('diagnosed'), fmt(ov.funnel.diagnosed));
  assert.equal(await kpi('certified'), fmt(ov.funnel.certified));
  assert.equal(await kpi('overdue'), fmt(ov.actions.overdue));
  return ov;
}

before(async () => {
  env = await setup();
  for (const u of ['city', 'pudong', 'cb1']) {
    api[u] = new Client(env.base);
    assert.equal((await api[u].login(u)).status, 200);
  }
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
});

test('city: 数据看板 first in 工作台, every chart equals the statistics API, 数据表 shows the numbers', async () => {
  const page = await session('city');
  const first = page.locator('#sidenav .nav-group').first().locator('.nav-link').first();
  assert.equal(await text(first), '数据看板');
  await first.click();
  await page.waitForURL(/#\/dashboard$/);
  await ready(page);
  await assertBreadcrumb(page, '首页 / 工作台 / 数据看板');
  assert.ok((await text(page.locator('.page-sub'))).includes('全市试点企业'));
  const ov = await assertChartsMatch(page, 'city');
  assert.ok(ov.funnel.enrolled > ov.funnel.diagnosed && ov.funnel.diagnosed > 0, 'demo data has diagnosed enterprises');
  // ECharts came from qmslift itself, loaded once.
  const scripts = await page.evaluate(() => [...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')));
  assert.deepEqual(scripts.filter((s) => s.includes('echarts')), ['vendor/echarts.min.js']);

  // 数据表: the stage table by district lists the same numbers as the API.
  const card = page.locator('section.dash-card[data-chart="stages-district"]');
  const toggle = card.getByRole('button', { name: '数据表' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const st = await stats('city', 'stages', { by: 'district' });
  const rows = card.locator('.dash-table tbody tr');
  assert.equal(await rows.count(), st.items.length);
  const pudong = st.items.find((r) => r.key === PUDONG);
  const cells = await card.locator('.dash-table tbody tr', { hasText: PUDONG }).locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 6).map((s) => s.trim()),
    [PUDONG, fmt(pudong.target), ...STAGE_KEYS.map((k) => fmt(pudong[k]))]);
  // The deadline table: one row per programme deadline with the API's counts.
  const dl = await stats('city', 'deadlines');
  const dlRows = page.locator('section[data-chart="deadlines"] tbody tr');
  assert.equal(await dlRows.count(), dl.items.length);
  const firstRow = await dlRows.first().locator('td').allInnerTexts();
  assert.ok(firstRow[0].includes(dl.items[0].name));
  assert.equal(firstRow[1].trim(), fmt(dl.items[0].counts.done));
  await toggle.click();
  assert.ok(await card.locator('.dash-table').isHidden());
  // Tooltips are drawn on the canvas (no HTML with inline styles for the CSP to refuse):
  // hovering the charts must log no CSP violation (assertNoProblems below).
  for (const id of ['chart-actions', 'chart-stages-district', 'chart-radar']) {
    const box = await page.locator(`#${id}`).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(150);
  }
  await shot(page, 'dashboard-city');
  assertNoProblems(page);
});

test('city: the district filter changes every number to that district\'s', async () => {
  const page = await session('city');
  await go(page, '#/dashboard');
  await ready(page);
  const before = await text(page.locator('.dash-kpi[data-kpi="enrolled"] .dash-kpi-n'));
  await page.getByLabel('所属区').selectOption(HUANGPU);
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/#\/dashboard\?district=/);
  await page.locator('.page-sub', { hasText: HUANGPU }).waitFor();
  await ready(page);
  const ov = await assertChartsMatch(page, 'city', { district: HUANGPU });
  assert.notEqual(fmt(ov.funnel.enrolled), before, 'the numbers changed');
  const byDistrict = await option(page, 'chart-stages-district');
  assert.deepEqual(byDistrict.yAxis[0].data, [HUANGPU]);
  await page.getByRole('button', { name: '重置' }).click();
  await page.waitForURL(/#\/dashboard$/);
  await page.locator('.page-sub', { hasText: '全市' }).waitFor();
  await ready(page);
  assert.equal(await text(page.locator('.dash-kpi[data-kpi="enrolled"] .dash-kpi-n')), before);
  assertNoProblems(page);
});

test('district officer: only its own district, no filter; a body: its enterprises; an enterprise: refused', async () => {
  const page = await session('pudong');
  const first = page.locator('#sidenav .nav-group').first().locator('.nav-link').first();
  assert.equal(await text(first), '数据看板');
  await go(page, `#/dashboard?district=${encodeURIComponent(HUANGPU)}`); // ignored: its own district only
  await ready(page);
  assert.equal(await page.locator('.dash-filter').count(), 0, 'no district filter for a district');
  assert.ok((await text(page.locator('.page-sub'))).includes(PUDONG));
  const ov = await assertChartsMatch(page, 'pudong');
  assert.equal(ov.scope.district, PUDONG);
  const byDistrict = await option(page, 'chart-stages-district');
  assert.deepEqual(byDistrict.yAxis[0].data, [PUDONG]);
  const city = await stats('city', 'overview', { district: PUDONG });
  assert.deepEqual(ov.funnel, city.funnel, 'the same figures the city sees for 浦东新区');
  await shot(page, 'dashboard-district');
  assertNoProblems(page);

  const cb = await session('cb1');
  await go(cb, '#/dashboard');
  await ready(cb);
  assert.ok((await text(cb.locator('.page-sub'))).includes('沪联质量认证中心（演示）'));
  await assertChartsMatch(cb, 'cb1');
  assertNoProblems(cb);

  const ent = await session('ent1');
  assert.ok(!(await text(ent.locator('#sidenav'))).includes('数据看板'));
  await go(ent, '#/dashboard');
  await ent.locator('.no-permission').waitFor();
  assertNoProblems(ent);
});

test('phone width: charts stacked, nothing wider than the screen, charts follow the window', async () => {
  const page = await session('city', PHONE);
  await go(page, '#/dashboard');
  await ready(page);
  await option(page, 'chart-radar');
  assert.ok((await sideways(page)) <= 0, `fits the phone width (${await sideways(page)}px too wide)`);
  const boxes = await page.evaluate(() => [...document.querySelectorAll('.dash-grid > .card')]
    .map((c) => { const r = c.getBoundingClientRect(); return { x: Math.round(r.x), w: Math.round(r.width) }; }));
  assert.ok(boxes.length >= 6);
  assert.equal(new Set(boxes.map((b) => `${b.x}/${b.w}`)).size, 1, 'one column of equal cards');
  const narrow = (await option(page, 'chart-funnel')).width;
  assert.ok(narrow <= PHONE.width, `chart width ${narrow}`);
  await shot(page, 'phone-dashboard');
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.waitForFunction((w) => window.echarts.getInstanceByDom(document.getElementById('chart-funnel')).getWidth() > w, narrow);
  await page.setViewportSize(PHONE);
  assertNoProblems(page);
});
