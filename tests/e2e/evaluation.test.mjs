// Evaluation 总结验收 in the browser, on 2021-11-20 (the summary phase). The city
// opens 总结验收评分 (ranking with subtotals, the questionnaire rates card), opens
// 浦东新区's score sheet, enters 6 for 组织领导与部署 (max 5) and sees the server's
// 422 message under that field, enters 4.5 and the total and the ranking rise by
// 4.5; after entering 宣传报道 it confirms the sheet through the dialog (已确认) and
// reopens it. ent1 answers its effect questionnaire from the navigation (radio
// buttons, stars), the summary counts one more answer. Screenshots at 1366×768
// and phone width; no script errors or CSP violations; nothing wider than a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer, Client } from '../lib/server.mjs';
import { newPage, login, shot as fullShot, text, assertNoProblems, PHONE, SHOTS } from './browser.mjs';

const TODAY = '2021-11-20';
let server;
let browser;
const api = {};
const pages = {};

async function shot(page, name, opts) {
  await page.evaluate(() => { window.scrollTo(0, 0); const t = document.getElementById('toast'); if (t) t.hidden = true; });
  await fullShot(page, name, opts);
}
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const nav = (page, name) => page.locator('#sidenav').getByRole('link', { name, exact: true }).click();
const content = (page) => page.locator('#content');

async function session(username, viewport) {
  const key = `${username}${viewport ? '-phone' : ''}`;
  if (!pages[key]) {
    pages[key] = await newPage(browser, viewport);
    await login(pages[key].page, server.base, username);
  }
  return pages[key].page;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([
    startServer({ today: TODAY }),
    chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--lang=zh-CN', '--headless=new', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    }),
  ]);
  for (const u of ['city', 'ent1']) {
    api[u] = new Client(server.base);
    assert.equal((await api[u].login(u)).status, 200);
  }
});
after(async () => {
  for (const p of Object.values(pages)) await p.context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

async function pudongId() {
  const r = await api.city.get('/api/v1/evaluations');
  return r.json.items.find((x) => x.district === '浦东新区');
}

test('the city sees the ranking with subtotals, ranks and the questionnaire rates', async () => {
  const page = await session('city');
  await nav(page, '总结验收评分');
  await page.locator('tr.eval-row').first().waitFor();
  assert.equal(await page.locator('#content h1').innerText(), '总结验收评分');
  const rows = page.locator('tr.eval-row');
  const api0 = (await api.city.get('/api/v1/evaluations')).json;
  assert.equal(await rows.count(), api0.total);
  const first = rows.first();
  assert.match(await text(first), /浦东新区/);
  assert.match(await text(first.locator('td').nth(0)), /^1$/);
  assert.match(await text(first), new RegExp(`${api0.items[0].total.toFixed(1)}`));
  assert.match(await text(first), /待评定 2 项/);
  // the summary card
  const tiles = page.locator('.eval-tiles');
  assert.match(await text(tiles), /明显改善率 80\.0%/);
  assert.match(await text(tiles), /满意度 88\.0%/);
  assert.ok(await page.locator('#eval-export').isVisible());
  assert.equal(await page.locator('#eval-export').getAttribute('href'), '/api/v1/evaluations.xlsx');
  await shot(page, 'evaluations');
  assertNoProblems(page);
});

test('the city enters points: a 422 under the field, then the total and the ranking rise', async () => {
  const page = await session('city');
  const before0 = await pudongId();
  await page.locator('a.eval-row-link', { hasText: '浦东新区' }).click();
  await page.locator('input[name="leadership"]').waitFor();
  assert.match(await page.locator('#content h1').innerText(), /浦东新区 总结验收评分/);
  assert.match(await text(page.locator('.eval-title .tag')), /草稿/);
  // computed items show their source and figures
  const diag = page.locator('tr.eval-item', { hasText: '诊断完成率' });
  assert.match(await text(diag), /系统计算/);
  assert.match(await text(diag), /5 \/ 10（50\.0%）/);
  // out of range: the server's message under the field
  await page.locator('input[name="leadership"]').fill('6');
  await page.locator('#eval-save').click();
  const err = page.locator('.field[data-field="leadership"] .field-error');
  await err.waitFor();
  assert.match(await err.innerText(), /组织领导与部署.*0 到 5 分/);
  assert.equal(await page.locator('input[name="leadership"]').getAttribute('aria-invalid'), 'true');
  await shot(page, 'evaluation-entry-error');
  // a valid value
  await page.locator('input[name="leadership"]').fill('4.5');
  await page.locator('#eval-comment').fill('组织有力，试点企业覆盖两个行业。');
  await page.locator('#eval-save').click();
  await page.locator('#toast', { hasText: '评分已保存' }).waitFor();
  await page.locator('#eval-total', { hasText: (before0.total + 4.5).toFixed(1) }).waitFor();
  assert.equal(await page.locator('input[name="leadership"]').inputValue(), '4.5');
  // the ranking shows the new total
  await nav(page, '总结验收评分');
  const row = page.locator('tr.eval-row', { hasText: '浦东新区' });
  await row.waitFor();
  assert.match(await text(row), new RegExp((before0.total + 4.5).toFixed(1).replace('.', '\\.')));
  assert.match(await text(row), /待评定 1 项/);
  assertNoProblems(page);
});

test('confirming the sheet asks first, freezes it (已确认); reopening thaws it', async () => {
  const page = await session('city');
  await page.locator('a.eval-row-link', { hasText: '浦东新区' }).click();
  await page.locator('input[name="publicity"]').waitFor();
  // Without 宣传报道 the server refuses and names the field.
  await page.locator('#eval-finalise').click();
  await page.getByRole('dialog').getByRole('button', { name: '确认评分' }).click();
  await page.locator('.field[data-field="publicity"] .field-error').waitFor();
  await page.locator('input[name="publicity"]').fill('3');
  await page.locator('#eval-save').click();
  await page.locator('#toast', { hasText: '评分已保存' }).waitFor();
  await page.locator('#eval-finalise').click();
  const dlg = page.getByRole('dialog');
  assert.match(await text(dlg), /冻结/);
  await shot(page, 'evaluation-finalise-dialog', { fullPage: false });
  await dlg.getByRole('button', { name: '确认评分' }).click();
  await page.locator('.eval-title .tag', { hasText: '已确认' }).waitFor();
  assert.equal(await page.locator('input.eval-entry').count(), 0, 'no inputs once confirmed');
  assert.ok(await page.locator('#eval-reopen').isVisible());
  assert.match(await text(page.locator('.page-sub')), /冻结于 2021-11-20/);
  assert.match(await text(page.locator('.eval-comment')), /组织有力/);
  await shot(page, 'evaluation-final');
  await page.locator('#eval-reopen').click();
  await page.getByRole('dialog').getByRole('button', { name: '撤销确认' }).click();
  await page.locator('.eval-title .tag', { hasText: '草稿' }).waitFor();
  assertNoProblems(page);
});

test('ent1 answers its effect questionnaire from the navigation', async () => {
  const page = await session('ent1');
  await nav(page, '效果问卷');
  await page.locator('form.quest-form').waitFor();
  assert.equal(await page.locator('#content h1').innerText(), '企业效果问卷');
  // nothing chosen: messages under both questions
  await page.locator('#quest-submit').click();
  await page.locator('[data-field="improvement"] .field-error').waitFor();
  assert.match(await text(page.locator('[data-field="satisfaction"] .field-error')), /满意度/);
  await page.getByLabel('比较明显').check();
  await page.getByRole('button', { name: '4 分 满意' }).click();
  assert.equal(await page.getByRole('button', { name: '4 分 满意' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('.quest-star.is-on').count(), 4);
  await page.locator('textarea[name="comments"]').fill('认证机构上门指导很细致。');
  await shot(page, 'questionnaire');
  await page.locator('#quest-submit').click();
  await page.locator('.quest-answered').waitFor();
  assert.match(await text(page.locator('.quest-answered')), /ent1/);
  assert.ok(await page.getByLabel('比较明显').isChecked());
  const q = (await api.ent1.get(`/api/v1/enterprises/${(await api.ent1.get('/api/v1/me')).json.user.enterprise.id}/questionnaire`)).json;
  assert.equal(q.improvement, 'fairly');
  assert.equal(q.satisfaction, 4);
  const s = (await api.city.get('/api/v1/questionnaires/summary')).json;
  assert.equal(s.answered, 6);
  assertNoProblems(page);
});

test('phone width: ranking cards, the score sheet and the questionnaire fit the screen', async () => {
  const city = await session('city', PHONE);
  await city.locator('#menu-btn').click();
  await nav(city, '总结验收评分');
  await city.locator('tr.eval-row').first().waitFor();
  assert.ok(await sideways(city) <= 0, 'ranking wider than the phone');
  await shot(city, 'evaluations-phone');
  await city.locator('a.eval-row-link', { hasText: '浦东新区' }).click();
  await city.locator('input[name="leadership"]').waitFor();
  assert.ok(await sideways(city) <= 0, 'score sheet wider than the phone');
  await shot(city, 'evaluation-phone');
  assertNoProblems(city);
  const ent = await session('ent1', PHONE);
  await ent.locator('#menu-btn').click();
  await nav(ent, '效果问卷');
  await ent.locator('form.quest-form').waitFor();
  assert.ok(await sideways(ent) <= 0, 'questionnaire wider than the phone');
  await shot(ent, 'questionnaire-phone');
  assertNoProblems(ent);
});

test('the district officer reads its own sheet and answers on behalf of an enterprise', async () => {
  const page = await session('pudong');
  await nav(page, '总结验收评分');
  await page.locator('tr.eval-row').first().waitFor();
  assert.equal(await page.locator('tr.eval-row').count(), 1);
  assert.equal(await page.locator('#eval-export').count(), 0);
  await page.locator('a.eval-row-link').click();
  await page.locator('.eval-scoreboard').waitFor();
  assert.equal(await page.locator('input.eval-entry').count(), 0);
  assert.equal(await page.locator('#eval-finalise').count(), 0);
  await nav(page, '效果问卷');
  await page.locator('tr.quest-row').first().waitFor();
  const row = page.locator('tr.quest-row', { hasText: '上海浦江精密电子' });
  assert.match(await text(row), /已填写/);
  await shot(page, 'questionnaires-district');
  assertNoProblems(page);
});
