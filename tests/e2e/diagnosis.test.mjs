// Diagnosis (问题诊断) in the browser. At phone width the auditor cb1 opens
// the demo draft of 上海芯途微电子, answers items by tapping scores, writes a
// finding with its kind, attaches a photo and sees the thumbnail; goes
// offline, answers two more (shown as unsent, the banner counts them) and the
// answers reach the server once the network is back. An answer whose request
// fails survives a reload (kept in localStorage) and is sent from the
// reloaded page. Two pages as cb1 edit the same item: the version conflict
// shows both answers, 用我的覆盖 and 保留对方的 each do what they say. A new
// diagnosis is started for an enterprise without one; submitting it
// incomplete shows the server's count. A submitted diagnosis shows the radar
// and the clause table, and its PDF report downloads. The enterprise runs a
// self-assessment on the same page. Screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
let api; // cb1 through the API, for independent checks
const DRAFT_ENT = '上海芯途微电子有限公司（演示）';
const SELF_ENT = '上海浦江精密电子有限公司（演示）';
const NEW_ENT = '上海瑞济医疗器械有限公司（演示）';
let draftId;      // the demo draft of DRAFT_ENT
let submittedId;  // the submitted first diagnosis of SELF_ENT (with a self-assessment)
let reassessId;   // the submitted re-assessment (round 2)
let open = [];    // item ids of the draft not answered yet, in checklist order
const keyOf = new Map();

// A 2×2 RGB PNG, made here: signature, IHDR, IDAT (zlib), IEND.
function crc32(buf) {
  let c = ~0;
  for (const b of buf) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xEDB88320 & -(c & 1)); }
  return (~c) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const PNG = (() => {
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const rows = Buffer.from([0, 200, 40, 40, 40, 90, 200, 0, 240, 200, 60, 30, 30, 30]);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
})();

async function shot(page, name, opts) {
  await page.evaluate(() => { window.scrollTo(0, 0); const t = document.getElementById('toast'); if (t) t.hidden = true; });
  await fullShot(page, name, opts);
}
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const go = (page, hash) => page.evaluate((x) => { location.hash = x; }, hash);
const item = (page, id) => page.locator(`#diag-item-${id}`);
const scoreBtn = (page, id, n) => item(page, id).locator(`.diag-score-btn[data-score="${n}"]`);
const saveState = (page, id) => item(page, id).locator('.diag-save');
const dialog = (page) => page.getByRole('dialog');
// Failed requests are expected while the network is cut or a request is aborted.
const dropNetworkNoise = (page) => {
  page.problems = page.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_FAILED|ERR_NETWORK_CHANGED/.test(p));
};

async function answerOf(diagId, itemId) {
  const d = (await api.get(`/api/v1/diagnoses/${diagId}`)).json;
  return (d.answers || []).find((a) => a.item_id === itemId) || null;
}

before(async () => {
  env = await setup();
  api = new Client(env.base);
  assert.equal((await api.login('cb1')).status, 200);
  const list = (await api.get('/api/v1/diagnoses?per_page=100')).json.items;
  draftId = list.find((d) => d.enterprise.name === DRAFT_ENT && d.status === 'draft').id;
  submittedId = list.find((d) => d.enterprise.name === SELF_ENT && d.kind === 'onsite').id;
  reassessId = list.find((d) => d.kind === 'onsite' && d.round === 2).id;
  const d = (await api.get(`/api/v1/diagnoses/${draftId}`)).json;
  const cl = (await api.get(`/api/v1/checklists/${d.checklist_id}`)).json;
  const done = new Set(d.answers.map((a) => a.item_id));
  for (const s of cl.sections) for (const it of s.items) { keyOf.set(it.id, it.key); if (!done.has(it.id)) open.push(it.id); }
  assert.equal(d.progress.answered, 25);
  assert.equal(open.length, 34);
});

after(async () => {
  if (env) await env.teardown();
});

test('phone: cb1 answers, writes a finding, attaches a photo, works offline', async () => {
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    await login(page, env.base, 'cb1');
    await page.getByRole('button', { name: '☰ 菜单' }).click();
    await page.locator('#sidenav').getByRole('link', { name: '问题诊断', exact: true }).click();
    await page.waitForURL(/#\/diagnoses$/);
    await page.locator('.pager-total', { hasText: '共 8 条' }).waitFor();
    const row = page.locator('tr.diag-row', { hasText: DRAFT_ENT });
    assert.match(await text(row), /现场诊断.*首次诊断.*2021-05-08.*25\/59.*草稿/);
    assert.ok((await sideways(page)) <= 0, 'list fits the phone width');
    await shot(page, 'phone-diagnoses');

    await row.getByRole('link', { name: DRAFT_ENT }).click();
    await page.waitForURL(new RegExp(`#/diagnoses/${draftId}$`));
    const progress = page.locator('.diag-progress-text');
    await progress.waitFor();
    assert.equal(await text(progress), '已答 25 / 59');
    assert.equal(await text(page.locator('.diag-overall-num')), '3.0');
    await assertBreadcrumb(page, '首页 / 帮扶提升 / 问题诊断 / 诊断详情');
    // The progress bar stays in view while scrolling.
    assert.equal(await page.locator('.diag-sticky').evaluate((e) => getComputedStyle(e).position), 'sticky');

    // Tap scores: each saves at once.
    const [a, b, c, dd, e, f] = open;
    await scoreBtn(page, a, 4).click();
    await page.locator(`#diag-item-${a} .diag-save-saved`).waitFor();
    assert.equal(await scoreBtn(page, a, 4).getAttribute('aria-pressed'), 'true');
    assert.match(await text(item(page, a).locator('.diag-scale-line')), /4 分 · 有效运行/);
    await item(page, b).getByRole('button', { name: '不适用' }).click();
    await page.locator(`#diag-item-${b} .diag-save-saved`).waitFor();
    await scoreBtn(page, c, 2).click();
    await page.locator(`#diag-item-${c} .diag-save-saved`).waitFor();
    assert.equal(await text(progress), '已答 28 / 59');
    // Buttons are big enough to tap.
    const box = await scoreBtn(page, c, 3).boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `tap target ${box.width}×${box.height}`);

    // A finding and its kind; text is saved after a pause or on leaving the field.
    const finding = item(page, a).locator('textarea');
    await finding.fill('出厂检验用的卡尺没有校准记录。');
    await item(page, a).getByRole('button', { name: '痛点' }).click();
    await page.locator(`#diag-item-${a} .diag-save-saved`).waitFor();
    await page.waitForFunction(async ([d, i]) => {
      const r = await fetch(`/api/v1/diagnoses/${d}`); const j = await r.json();
      const x = j.answers.find((y) => y.item_id === i); return x && x.kind === 'pain';
    }, [draftId, a]);
    let got = await answerOf(draftId, a);
    assert.deepEqual([got.score, got.na, got.finding, got.kind], [4, false, '出厂检验用的卡尺没有校准记录。', 'pain']);
    assert.equal((await answerOf(draftId, b)).na, true);

    // A photo as evidence: the thumbnail comes from the server.
    assert.equal(await item(page, a).locator('input[type=file][capture="environment"]').getAttribute('accept'), 'image/*');
    await item(page, a).locator(`#diag-file-${a}`).setInputFiles({ name: '卡尺.png', mimeType: 'image/png', buffer: PNG });
    const img = item(page, a).locator('.diag-thumb img');
    await img.waitFor();
    await page.waitForFunction((id) => { const i = document.querySelector(`#diag-item-${id} .diag-thumb img`); return i && i.complete && i.naturalWidth === 2; }, a);
    const files = (await api.get(`/api/v1/diagnoses/${draftId}`)).json.files;
    const photo = files.find((x) => x.item_id === a);
    assert.ok(photo, 'the server has the photo');
    assert.equal(photo.filename, '卡尺.png');
    assert.equal(await img.getAttribute('src'), `/api/v1/diagnoses/${draftId}/files/${photo.id}`);
    assert.ok((await sideways(page)) <= 0, 'the diagnosis page fits the phone width');
    await item(page, a).scrollIntoViewIfNeeded();
    await fullShot(page, 'phone-diagnosis-item', { fullPage: false });

    // Offline: two more answers stay in this browser, marked unsent.
    await context.setOffline(true);
    await scoreBtn(page, dd, 2).click();
    await scoreBtn(page, e, 5).click();
    await item(page, e).locator('textarea').fill('离线时记录的发现');
    await item(page, e).locator('textarea').blur();
    await page.locator(`#diag-item-${dd} .diag-save-unsent`).waitFor();
    await page.locator(`#diag-item-${e} .diag-save-unsent`).waitFor();
    const banner = page.locator('.diag-unsent');
    await banner.locator('.diag-unsent-count', { hasText: '2 条未发送' }).waitFor();
    assert.equal(await text(banner), '当前离线 2 条未发送 已保存在本机，联网后自动发送 查看');
    assert.equal(await text(progress), '已答 30 / 59', 'progress follows the offline answers');
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('qmslift.unsent.v1.cb1.')).length);
    assert.equal(kept, 2, 'both answers kept in localStorage');
    assert.equal(await answerOf(draftId, dd), null, 'not on the server yet');
    await fullShot(page, 'phone-diagnosis-offline', { fullPage: false });

    // Back online: sent without the user doing anything.
    await context.setOffline(false);
    await banner.waitFor({ state: 'hidden', timeout: 15000 });
    await page.locator(`#diag-item-${e} .diag-save-saved`).waitFor();
    got = await answerOf(draftId, dd);
    assert.equal(got.score, 2);
    got = await answerOf(draftId, e);
    assert.deepEqual([got.score, got.finding], [5, '离线时记录的发现']);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('qmslift.unsent.')).length), 0);

    // A request that fails (the line drops mid-request): the answer survives a reload.
    await page.route('**/api/v1/diagnoses/*/answers/*', (r) => r.abort('failed'));
    await scoreBtn(page, f, 3).click();
    await page.locator(`#diag-item-${f} .diag-save-unsent`).waitFor();
    await page.reload();
    await progress.waitFor();
    assert.equal(await scoreBtn(page, f, 3).getAttribute('aria-pressed'), 'true', 'the unsent answer is shown after the reload');
    await page.locator(`#diag-item-${f} .diag-save-unsent`).waitFor();
    await page.locator('.diag-unsent-count', { hasText: '1 条未发送' }).waitFor();
    await page.unroute('**/api/v1/diagnoses/*/answers/*');
    await page.locator('.diag-unsent').getByRole('button', { name: '立即重试' }).click();
    await page.locator(`#diag-item-${f} .diag-save-saved`).waitFor();
    assert.equal((await answerOf(draftId, f)).score, 3);
    assert.equal(await text(progress), '已答 31 / 59');
    await shot(page, 'phone-diagnosis', { fullPage: false });
    dropNetworkNoise(page);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('two auditors on one item: the version conflict lets the user choose', async () => {
  const one = await newPage(env.browser);
  const two = await newPage(env.browser);
  try {
    const [p1, p2] = [one.page, two.page];
    for (const p of [p1, p2]) {
      await login(p, env.base, 'cb1', undefined, { hash: `#/diagnoses/${draftId}` });
      await p.locator('.diag-progress-text').waitFor();
    }
    const id = open[10];
    // p1 answers first; p2 still shows the item unanswered and answers it too.
    await scoreBtn(p1, id, 3).click();
    await item(p1, id).locator('textarea').fill('一号审核员的发现');
    await item(p1, id).locator('textarea').blur();
    await p1.locator(`#diag-item-${id} .diag-save-saved`).waitFor();
    await p1.waitForFunction(() => !document.querySelector('.diag-save-saving, .diag-save-pending'));
    await scoreBtn(p2, id, 4).click();
    const conflict = item(p2, id).locator('.diag-conflict');
    await conflict.waitFor();
    assert.equal(await text(saveState(p2, id)), '有冲突');
    const ct = await text(conflict);
    assert.match(ct, /已被 cb1 于 \d{4}-\d\d-\d\d \d\d:\d\d 修改/);
    assert.match(ct, /对方的 3 分 · 基本规范 一号审核员的发现/);
    assert.match(ct, /我的（未发送） 4 分 · 有效运行/);
    await p2.locator('.diag-unsent-count', { hasText: '1 条未发送' }).waitFor();
    await item(p2, id).scrollIntoViewIfNeeded();
    await fullShot(p2, 'diagnosis-conflict', { fullPage: false });
    // 用我的覆盖: sent again over the current version.
    await conflict.getByRole('button', { name: '用我的覆盖' }).click();
    await p2.locator(`#diag-item-${id} .diag-save-saved`).waitFor();
    assert.equal((await answerOf(draftId, id)).score, 4);

    // Now p1 is the stale one: 保留对方的 takes the server's answer.
    await scoreBtn(p1, id, 2).click();
    const c1 = item(p1, id).locator('.diag-conflict');
    await c1.waitFor();
    await c1.getByRole('button', { name: '保留对方的' }).click();
    await c1.waitFor({ state: 'hidden' });
    assert.equal(await scoreBtn(p1, id, 4).getAttribute('aria-pressed'), 'true');
    assert.equal(await scoreBtn(p1, id, 2).getAttribute('aria-pressed'), 'false');
    // p2 overwrote the whole answer, its (empty) finding included.
    assert.equal(await item(p1, id).locator('textarea').inputValue(), '');
    assert.equal((await answerOf(draftId, id)).score, 4);
    assert.equal(await p1.locator('.diag-unsent').isVisible(), false);
    // And p1 can go on editing from the new version.
    await scoreBtn(p1, id, 5).click();
    await p1.locator(`#diag-item-${id} .diag-save-saved`).waitFor();
    assert.equal((await answerOf(draftId, id)).score, 5);
    assertNoProblems(p1);
    assertNoProblems(p2);
  } finally {
    await one.context.close();
    await two.context.close();
  }
});

test('cb1 starts a diagnosis; submitting it incomplete shows what is missing', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await login(page, env.base, 'cb1', undefined, { hash: '#/diagnoses' });
    await page.locator('.pager-total').waitFor();
    await shot(page, 'diagnoses');
    await page.getByRole('button', { name: '开始诊断' }).click();
    const dlg = dialog(page);
    await dlg.waitFor();
    assert.equal(await byLabel(dlg, '诊断日期').inputValue(), '2021-05-10');
    await dlg.getByRole('button', { name: '开始诊断' }).click();
    await dlg.locator('.field[data-field="enterprise_id"] .field-error', { hasText: '请选择企业' }).waitFor();
    await dlg.locator('.field[data-field="team"] .field-error', { hasText: '请填写诊断组成员' }).waitFor();
    await byLabel(dlg, '试点企业').selectOption({ label: `${NEW_ENT}（首次诊断）` });
    await byLabel(dlg, '诊断组成员').fill('王强（组长）、赵琳');
    await dlg.getByRole('button', { name: '开始诊断' }).click();
    await page.waitForURL(/#\/diagnoses\/\d+$/);
    await page.locator('.diag-progress-text').waitFor();
    assert.equal(await text(page.locator('.diag-progress-text')), '已答 0 / 59');
    assert.equal(await text(page.locator('.diag-overall-num')), '—');
    assert.ok((await text(page.locator('.diag-title'))).includes(NEW_ENT));
    assert.match(await text(page.locator('.diag-meta')), /现场诊断 首次诊断 诊断日期 2021-05-10 诊断组 王强（组长）、赵琳/);
    const newId = Number(page.url().split('/').pop());
    const first = (await api.get(`/api/v1/diagnoses/${newId}`)).json;
    assert.equal(first.status, 'draft');
    assert.equal(first.enterprise.name, NEW_ENT);

    await page.locator('.diag-item').first().locator('.diag-score-btn[data-score="3"]').click();
    await page.locator('.diag-item').first().locator('.diag-save-saved').waitFor();
    await page.locator('#diag-submit').click();
    const confirm = dialog(page);
    assert.match(await text(confirm), /已答 1 \/ 59 项.*还有 58 项未回答/);
    await confirm.getByRole('button', { name: '确认提交' }).click();
    const err = page.locator('.diag-submit-error');
    await err.waitFor();
    assert.match(await text(err), /还有 58 个检查项未回答/);
    assert.equal(await page.locator('.diag-only-open').getAttribute('aria-pressed'), 'true', 'only the open items are shown');
    assert.equal(await page.locator('.diag-item').first().isVisible(), false);
    assert.equal((await api.get(`/api/v1/diagnoses/${newId}`)).json.status, 'draft');
    await shot(page, 'diagnosis-draft', { fullPage: false });

    // From the assistance ledger (?start=): an enterprise with an open draft gets that draft.
    const entId = (await api.get(`/api/v1/diagnoses/${draftId}`)).json.enterprise.id;
    await go(page, `#/diagnoses?start=${entId}`);
    const dlg2 = dialog(page);
    await dlg2.locator('.diag-start-note', { hasText: '已有一份 2021-05-08 的诊断草稿' }).waitFor();
    assert.equal(await byLabel(dlg2, '试点企业').inputValue(), String(entId));
    await dlg2.getByRole('button', { name: '开始诊断' }).click();
    await page.waitForURL(new RegExp(`#/diagnoses/${draftId}$`));
    await page.locator('.diag-title', { hasText: DRAFT_ENT }).waitFor();
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('a submitted diagnosis: radar, clause table and the PDF report', async () => {
  const { context, page } = await newPage(env.browser);
  const dir = mkdtempSync(join(tmpdir(), 'qmslift-pdf-'));
  try {
    await login(page, env.base, 'cb1', undefined, { hash: `#/diagnoses/${submittedId}` });
    const radar = page.locator('svg.radar');
    await radar.waitFor();
    assert.equal(await page.locator('.diag-score-btn').count(), 0, 'read-only');
    assert.equal(await page.locator('#diag-submit').count(), 0);
    // Current and the enterprise's self-assessment, with a legend.
    assert.equal(await radar.locator('g.radar-series').count(), 2);
    assert.deepEqual(await radar.locator('.radar-legend text').allTextContents(), ['本次诊断', '企业自评']);
    assert.equal(await radar.locator('.radar-labels text').first().textContent(), '4 组织环境');
    const table = page.locator('.diag-clause-table');
    assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['条款', '得分', '自评']);
    assert.match(await text(table.locator('tr', { hasText: '领导作用' })), /5\s*领导作用 1\.7 1\.7/);
    assert.match(await text(page.locator('.diag-findings')), /堵点 2 项.*6\.2-1.*质量目标只有/);
    assert.match(await text(page.locator('#diag-sec-7 summary')), /7 支持 已答 14\/14 得分\s*1\.7 自评 1\.9/);
    await shot(page, 'diagnosis-submitted');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#diag-pdf').click()]);
    const file = join(dir, 'report.pdf');
    await download.saveAs(file);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const pdfText = r.stdout.replace(/\s+/g, '');
    assert.ok(pdfText.includes('问题诊断报告'), 'report title');
    assert.ok(pdfText.includes(SELF_ENT.replace(/\s+/g, '')), 'enterprise name');

    // The re-assessment: before/after on the radar and in the table.
    await go(page, `#/diagnoses/${reassessId}`);
    await page.locator('.diag-clause-table thead th', { hasText: '首次诊断' }).waitFor();
    assert.deepEqual(await page.locator('.radar-legend text').allTextContents(), ['本次再评估', '首次诊断']);
    assert.match(await text(page.locator('.diag-clause-table tr', { hasText: '组织环境' })), /4\s*组织环境 4\.0 2\.0 \+2\.0/);
    assert.match(await text(page.locator('.diag-meta')), /再评估（第 2 轮）/);
    await shot(page, 'diagnosis-reassessment');
    assertNoProblems(page);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('phone: the submitted diagnosis reads on a phone', async () => {
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    await login(page, env.base, 'cb1', undefined, { hash: `#/diagnoses/${submittedId}` });
    await page.locator('svg.radar').waitFor();
    assert.ok((await sideways(page)) <= 0, 'fits the phone width');
    const w = await page.locator('svg.radar').evaluate((s) => s.getBoundingClientRect().width);
    assert.ok(w >= 300, `radar is readable (${w}px)`);
    await page.locator('#diag-sec-8 summary').click();
    await page.locator('#diag-sec-8 .diag-item').first().waitFor();
    await shot(page, 'phone-diagnosis-submitted');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('the enterprise runs a self-assessment on the same page', async () => {
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    await login(page, env.base, 'ent1', undefined, { hash: '#/diagnoses' });
    await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
    const rows = await page.locator('tr.diag-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('自我评价')) && rows.some((r) => r.includes('现场诊断')), rows.join('\n'));
    assert.equal(await page.locator('input[name="q"]').count(), 0, 'no name search for one enterprise');
    await page.getByRole('button', { name: '开始自我评价' }).click();
    const dlg = dialog(page);
    await byLabel(dlg, '参加评价人员').fill('陈静（质量主管）');
    await dlg.getByRole('button', { name: '开始自我评价' }).click();
    await page.waitForURL(/#\/diagnoses\/\d+$/);
    await page.locator('.diag-progress-text').waitFor();
    assert.ok((await text(page.locator('.diag-meta'))).includes('自我评价'));
    assert.equal(await page.locator('#diag-submit').innerText(), '提交自我评价');
    const firstItem = page.locator('.diag-item').first();
    await firstItem.locator('.diag-score-btn[data-score="2"]').click();
    await firstItem.locator('.diag-save-saved').waitFor();
    assert.equal(await text(page.locator('.diag-progress-text')), '已答 1 / 59');
    const id = Number(page.url().split('/').pop());
    const ent = new Client(env.base);
    await ent.login('ent1');
    const d = (await ent.get(`/api/v1/diagnoses/${id}`)).json;
    assert.equal(d.kind, 'self');
    assert.equal(d.answers[0].score, 2);
    // The list now offers to continue it.
    await go(page, '#/diagnoses');
    await page.getByRole('link', { name: '继续自我评价' }).waitFor();
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
