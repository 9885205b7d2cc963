// Declarations (申报表) and certification-body selection (遴选) in the browser:
// a district fills the paper-style form (client and server errors under the
// field), saves a draft, submits late, uploads the stamped scan (and is
// refused a disguised executable), downloads the PDF; a certification body
// fills the CB form; the city filters, returns, compares versions, accepts,
// selects the body for an industry and exports Excel; the body then sees the
// industry it serves. Screenshots of every page at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
let tmp;
let district; // { username, unit } — a district user whose unit has no declaration yet
let industry; // a catalogue industry with no certification body selected yet
let second; // another industry the district names
const CB = { username: 'cb2', unit: '申诚认证有限公司（演示）' };
const RETURN_REASON = '认证资质请补充 CNCA 批准号及获认可的认证领域';
const pages = {}; // username → { context, page }

const content = (page) => page.locator('#content');
// Full-page screenshots from the top, so the sticky top bar stays at the top.
async function shot(page, name, opts) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name, opts);
}
const fieldError = (page, name) => page.locator(`.field[data-field="${name}"] .field-error`);
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const go = (page, hash) => page.evaluate((h) => { location.hash = h; }, hash);

const passwordOf = (username) => (district && username === district.username ? district.password : undefined);

// One logged-in desktop page per user, kept across the tests of this file.
async function session(username) {
  if (!pages[username]) {
    pages[username] = await newPage(env.browser);
    await login(pages[username].page, env.base, username, passwordOf(username));
  }
  return pages[username].page;
}

// A phone-width look at a page: no sideways scrolling, then a screenshot.
async function phoneShot(username, hash, ready, name) {
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    await login(page, env.base, username, passwordOf(username));
    await go(page, hash);
    await page.locator(ready).first().waitFor();
    assert.ok((await sideways(page)) <= 0, `${name} fits the phone width (${await sideways(page)}px too wide)`);
    await shot(page, name);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
}

before(async () => {
  env = await setup();
  tmp = mkdtempSync(join(tmpdir(), 'qmslift-decl-'));
  // The demo may already hold declarations for some units: use huangpu when
  // its unit has none, else open an account for a district that has none.
  const city = new Client(env.base);
  assert.equal((await city.login('city')).status, 200);
  const hp = new Client(env.base);
  await hp.login('huangpu');
  if ((await hp.get('/api/v1/declarations/mine')).status === 404) {
    district = { username: 'huangpu', unit: '黄浦区市场监管局' };
  } else {
    const declared = new Set((await city.get('/api/v1/declarations?per_page=200')).json.items.map((d) => d.unit.id));
    const units = (await city.get('/api/v1/units?kind=district&per_page=200')).json.items;
    const free = units.find((u) => !declared.has(u.id));
    assert.ok(free, 'a district without a declaration');
    const r = await city.post('/api/v1/users', {
      username: 'e2e_district', display_name: `${free.name} 测试`, role: 'district_officer', unit_id: free.id, password: 'e2e-district-pass',
    });
    assert.equal(r.status, 201, r.text);
    district = { username: 'e2e_district', unit: free.name, password: 'e2e-district-pass' };
  }
  const cb = new Client(env.base);
  await cb.login(CB.username);
  assert.equal((await cb.get('/api/v1/declarations/mine')).status, 404, `${CB.username} has no declaration in the demo data`);
  const summary = (await city.get('/api/v1/selections/summary')).json.items;
  industry = summary.find((s) => s.count === 0).industry;
  assert.ok(industry, 'an industry without selections');
  second = ['养老', '人力资源'].find((n) => n !== industry);
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('district: fill, draft, submit late, scan upload, PDF', async () => {
  const page = await session(district.username);
  await page.locator('#sidenav').getByRole('link', { name: '我的申报表' }).click();
  await page.waitForURL(/#\/declaration$/);
  const sheet = page.locator('.decl-sheet');
  await sheet.waitFor();
  await assertBreadcrumb(page, '首页 / 申报与遴选 / 我的申报表');
  const banner = await text(page.locator('.decl-deadline'));
  assert.ok(banner.includes('申报表报送截止 2021-02-20') && banner.includes('已逾期 79 天'), banner);
  assert.equal(await byLabel(content(page), '单位名称（盖章）').inputValue(), district.unit);
  // 单位类别 follows the unit and cannot be chosen.
  assert.ok((await text(sheet.locator('.decl-mark-on').first())).includes('市场监管部门'));
  assert.equal(await sheet.locator('input[name="province"]').count(), 0, 'no certification-body block');
  await shot(page, 'declaration-new');

  // 否 hides the market-regulation block; 是 shows it.
  const joins = page.locator('.field[data-field="joins_pilot"]');
  await joins.getByLabel('否').check();
  assert.equal(await page.locator('tbody.decl-block').isVisible(), false);
  await joins.getByLabel('是').check();
  assert.ok(await page.locator('tbody.decl-block').isVisible());
  const inds = page.locator('.field[data-field="industries"]');
  await inds.getByLabel(industry).check();
  await inds.getByLabel(second).check();
  await byLabel(content(page), '提升行动负责人').fill('李娜');
  await byLabel(content(page), '联系电话').fill('6321');
  await byLabel(content(page), '电子邮箱').fill('pilot@huangpu.example.cn');

  // A bad phone number: the client's message under 联系电话.
  await page.getByRole('button', { name: '保存草稿' }).click();
  await fieldError(page, 'contact_phone').waitFor();
  assert.match(await text(fieldError(page, 'contact_phone')), /联系电话格式不正确/);
  assert.equal(await byLabel(content(page), '联系电话').getAttribute('aria-invalid'), 'true');
  await shot(page, 'declaration-errors');

  // The server's 422 lands under its field too: let a bad number slip past
  // the client's check by rewriting the request on its way to the server.
  const rewrite = async (route) => {
    const req = route.request();
    if (req.method() !== 'POST') return route.continue();
    const body = JSON.parse(req.postData());
    body.form.contact_phone = '021-0000';
    return route.continue({ postData: JSON.stringify(body) });
  };
  await page.route('**/api/v1/declarations', rewrite);
  await byLabel(content(page), '联系电话').fill('021-63210000');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.locator('.field[data-field="contact_phone"] .field-error', { hasText: '手机号（11 位）' }).waitFor();
  assert.equal(await page.locator('.form-error').count(), 0, 'not a form-level error');
  await page.unroute('**/api/v1/declarations', rewrite);

  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.locator('.decl-page-title .tag', { hasText: '草稿' }).waitFor();
  await page.reload();
  await page.locator('.decl-page-title .tag', { hasText: '草稿' }).waitFor();
  assert.equal(await byLabel(content(page), '提升行动负责人').inputValue(), '李娜');
  assert.equal(await byLabel(content(page), '联系电话').inputValue(), '021-63210000');
  assert.ok(await inds.getByLabel(industry).isChecked());
  assert.ok(await inds.getByLabel(second).isChecked());
  assert.equal(await inds.getByLabel('集成电路').isChecked(), false);

  // Submit after a confirmation that warns about the passed deadline.
  await page.getByRole('button', { name: '提交', exact: true }).click();
  const dlg = page.getByRole('dialog');
  await dlg.waitFor();
  assert.ok((await text(dlg)).includes('逾期提交'), await text(dlg));
  await dlg.getByRole('button', { name: '确认提交' }).click();
  await page.locator('.decl-page-title .tag', { hasText: '已提交' }).waitFor();
  assert.ok(await page.locator('.decl-page-title .tag-red-outline', { hasText: '逾期提交' }).isVisible());
  assert.equal(await page.locator('.decl-sheet input').count(), 0, 'read-only after submission');
  assert.equal(await page.getByRole('button', { name: '保存草稿' }).count(), 0);
  const chosen = await text(sheet);
  assert.ok(chosen.includes(`${industry}、${second}`) || chosen.includes(`${second}、${industry}`), chosen);

  // The stamped scan: a real PDF (the server's own rendering of this declaration).
  const pdfHref = await page.locator('#decl-pdf').getAttribute('href');
  const id = /declarations\/(\d+)\.pdf$/.exec(pdfHref)[1];
  const pdfBytes = await page.evaluate(async (u) => Array.from(new Uint8Array(await (await fetch(u)).arrayBuffer())), pdfHref);
  assert.equal(Buffer.from(pdfBytes.slice(0, 5)).toString(), '%PDF-');
  await page.locator('input[type="file"]').setInputFiles({ name: '申报表盖章.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdfBytes) });
  assert.ok((await text(page.locator('.file-chosen'))).includes('申报表盖章.pdf'));
  await page.getByRole('button', { name: '上传', exact: true }).click();
  await page.locator('.decl-scan-name', { hasText: '申报表盖章.pdf' }).waitFor();
  assert.equal(await page.locator('.decl-scan a', { hasText: '下载' }).getAttribute('href'), `/api/v1/declarations/${id}/scan`);
  assert.ok((await text(page.locator('.card', { hasText: '办理记录' }))).includes('上传盖章扫描件'));

  // An executable named x.pdf: the server looks at the bytes and refuses (415).
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200, 0)]);
  await page.locator('input[type="file"]').setInputFiles({ name: 'x.pdf', mimeType: 'application/pdf', buffer: exe });
  await page.getByRole('button', { name: '上传并替换' }).click();
  await fieldError(page, 'scan').waitFor();
  assert.match(await text(fieldError(page, 'scan')), /只能上传 PDF、JPEG 或 PNG/);
  assert.ok(await page.locator('.decl-scan-name', { hasText: '申报表盖章.pdf' }).isVisible(), 'the previous scan stays');
  // That refusal is expected: Chromium logs every non-2xx answer.
  page.problems = page.problems.filter((p) => !/status of 415/.test(p));
  await shot(page, 'declaration-submitted');

  // 下载PDF: the print-ready form names the unit.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#decl-pdf').click()]);
  const pdfFile = join(tmp, 'declaration.pdf');
  await download.saveAs(pdfFile);
  assert.equal(readFileSync(pdfFile).subarray(0, 5).toString(), '%PDF-');
  const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' });
  assert.ok(pdfText.includes(district.unit), `PDF names ${district.unit}`);
  assertNoProblems(page);
});

test('certification body: 机构属性 其他 needs its text; submit', async () => {
  // The empty CB form at phone width first.
  await phoneShot(CB.username, '#/declaration', '.decl-sheet', 'phone-declaration-form');

  const page = await session(CB.username);
  await go(page, '#/declaration');
  await page.locator('.decl-sheet').waitFor();
  assert.equal(await page.locator('input[name="industries"]').count(), 0, 'no market-regulation block');
  await page.locator('.field[data-field="joins_pilot"]').getByLabel('是').check();
  await byLabel(content(page), '所属省市').fill('上海市');
  await byLabel(content(page), '成立时间').fill('2030-01-01');
  const own = page.locator('.field[data-field="ownership"]');
  const otherText = page.getByLabel('其他机构属性（请填写）');
  assert.ok(await otherText.isDisabled(), '其他 text disabled until 其他 is chosen');
  await own.getByLabel('其他（').check();
  assert.equal(await otherText.isDisabled(), false);
  await byLabel(content(page), '认证资质').fill('CNCA-R-2099-002；质量管理体系认证');
  await byLabel(content(page), '提升行动负责人').fill('赵敏');
  await byLabel(content(page), '联系电话').fill('13812345678');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await fieldError(page, 'ownership_other').waitFor();
  assert.match(await text(fieldError(page, 'ownership_other')), /其他/);
  assert.match(await text(fieldError(page, 'founded')), /不能晚于今天/);
  assert.equal(await page.getByRole('dialog').count(), 0, 'no confirmation while the form has errors');
  await shot(page, 'declaration-cb-errors');

  await byLabel(content(page), '成立时间').fill('2010-03-15');
  await otherText.fill('社会团体');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByRole('button', { name: '确认提交' }).click();
  await page.locator('.decl-page-title .tag', { hasText: '已提交' }).waitFor();
  assert.ok((await text(page.locator('.decl-sheet'))).includes('其他（社会团体）'));
  assertNoProblems(page);
});

test('city: filter, return with a reason, resubmission, compare versions, accept', async () => {
  const city = await session('city');
  await city.locator('#sidenav').getByRole('link', { name: '申报表审核' }).click();
  await city.waitForURL(/#\/declarations$/);
  await city.locator('tbody tr').first().waitFor();
  assert.ok((await text(city.locator('tbody'))).includes(district.unit));
  assert.match(await text(city.locator('.pager-total')), /^共 \d+ 条$/);

  await byLabel(content(city), '单位类别').selectOption('certification_body');
  await city.getByRole('button', { name: '查询' }).click();
  await city.waitForURL(/category=certification_body/);
  await city.waitForFunction(() => !document.querySelector('#content tbody')?.textContent.includes('市场监管局'));
  const rows = await text(city.locator('tbody'));
  assert.ok(rows.includes(CB.unit), rows);
  const row = city.locator('tbody tr', { hasText: CB.unit });
  assert.ok((await text(row)).includes('已提交'));
  assert.ok((await text(row)).includes('逾期提交'));
  await shot(city, 'declarations');

  await row.getByRole('link', { name: CB.unit }).click();
  await city.waitForURL(/#\/declarations\/\d+$/);
  await city.locator('.decl-sheet').waitFor();
  const reviewHash = new URL(city.url()).hash;
  await assertBreadcrumb(city, '首页 / 申报与遴选 / 申报表审核 / 申报表详情');
  await shot(city, 'declaration-review');

  // 退回 needs a reason.
  await city.getByRole('button', { name: '退回' }).click();
  const dlg = city.getByRole('dialog');
  await dlg.getByRole('button', { name: '确认退回' }).click();
  await dlg.locator('.field-error', { hasText: '请填写退回理由' }).waitFor();
  await dlg.getByLabel('退回理由').fill(RETURN_REASON);
  await dlg.getByRole('button', { name: '确认退回' }).click();
  await city.locator('.decl-page-title .tag', { hasText: '已退回' }).waitFor();
  assert.equal(await city.getByRole('button', { name: '通过' }).count(), 0, 'no workflow buttons once returned');

  // The body sees the reason, edits 认证资质 and resubmits.
  const cb = await session(CB.username);
  await cb.reload();
  await cb.locator('.decl-returned').waitFor();
  assert.ok((await text(cb.locator('.decl-returned'))).includes(RETURN_REASON));
  await shot(cb, 'declaration-returned');
  await byLabel(content(cb), '认证资质').fill('CNCA-R-2099-002；质量管理体系认证（CNAS 认可，领域 17、19、29）');
  await cb.getByRole('button', { name: '重新提交' }).click();
  await cb.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
  await cb.locator('.decl-page-title .tag', { hasText: '已提交' }).waitFor();
  assert.equal(await cb.locator('.decl-returned').count(), 0);

  // Compare version 1 with version 2: only 认证资质 changed.
  await go(city, '#/declarations');
  await go(city, reviewHash);
  await city.locator('.decl-page-title .tag', { hasText: '已提交' }).waitFor();
  const cmp = city.locator('.decl-compare');
  await cmp.getByLabel('比较版本').selectOption('1');
  await cmp.getByLabel('与').selectOption('2');
  await cmp.getByRole('button', { name: '比较' }).click();
  await cmp.locator('thead th', { hasText: '第 2 版' }).waitFor();
  const changed = cmp.locator('tr.diff-changed');
  assert.equal(await changed.count(), 1);
  assert.ok((await text(changed)).includes('认证资质'));
  assert.ok((await text(changed)).includes('CNAS 认可'));
  assert.ok((await text(cmp.locator('.decl-compare-summary'))).includes('共有 1 项不同'));
  assert.ok(await cmp.locator('tr.diff-same', { hasText: '提升行动负责人' }).isVisible());
  await shot(city, 'declaration-compare');
  await cmp.getByLabel('只显示不同项').check();
  assert.equal(await cmp.locator('tbody tr:visible').count(), 1, 'only the changed field is left');
  await cmp.getByLabel('只显示不同项').uncheck();

  await city.getByRole('button', { name: '通过' }).click();
  await city.getByRole('dialog').getByRole('button', { name: '确认通过' }).click();
  await city.locator('.decl-page-title .tag', { hasText: '已通过' }).waitFor();
  const history = await text(city.locator('.card', { hasText: '办理记录' }));
  for (const a of ['提交', '退回', '通过']) assert.ok(history.includes(a), `history shows ${a}`);
  assert.ok(history.includes(RETURN_REASON));
  assertNoProblems(city);
  assertNoProblems(cb);
});

test('city selects the body for an industry; the body sees it', async () => {
  const city = await session('city');
  await city.locator('#sidenav').getByRole('link', { name: '认证机构遴选' }).click();
  await city.waitForURL(/#\/selections$/);
  const row = city.locator('tr.sel-row', { hasText: industry });
  await row.waitFor();
  assert.ok((await text(row)).includes('已选 0 / 2'));

  await city.getByRole('button', { name: '新增遴选' }).click();
  const dlg = city.getByRole('dialog');
  await dlg.getByLabel('试点行业').selectOption(industry);
  await dlg.getByLabel('认证机构').selectOption({ label: CB.unit });
  // Criteria not confirmed: refused in the dialog.
  await dlg.getByRole('button', { name: '确认遴选' }).click();
  await dlg.locator('.field-error', { hasText: '请逐项确认遴选条件' }).waitFor();
  for (const c of ['资质', '社会责任', '无不良信用记录', '帮扶意愿']) {
    await dlg.getByRole('radiogroup', { name: new RegExp(`^${c}`) }).getByLabel('是').check();
  }
  await dlg.getByLabel('资质说明').fill('CNCA-R-2099-002 有效');
  await dlg.getByLabel('无不良信用记录说明').fill('信用中国查询无不良记录');
  assert.equal(await dlg.getByLabel('例外理由').isVisible(), false, 'no exception reason below the quota');
  await shot(city, 'selection-new', { fullPage: false });
  await dlg.getByRole('button', { name: '确认遴选' }).click();
  await dlg.waitFor({ state: 'detached' });
  await city.locator('tr.sel-row', { hasText: CB.unit }).first().waitFor();
  const after = await text(city.locator('tr.sel-row', { hasText: industry }));
  assert.ok(after.includes(CB.unit), after);
  assert.ok(after.includes('已选 1 / 2'), after);
  await shot(city, 'selections');

  // The district reads the same page without the city's buttons.
  const dist = await session(district.username);
  await dist.locator('#sidenav').getByRole('link', { name: '认证机构遴选' }).click();
  await dist.locator('tr.sel-row', { hasText: industry }).waitFor();
  assert.ok((await text(dist.locator('tr.sel-row', { hasText: industry }))).includes(CB.unit));
  assert.equal(await dist.getByRole('button', { name: '新增遴选' }).count(), 0);
  assert.equal(await dist.getByRole('button', { name: /撤销/ }).count(), 0);

  const cb = await session(CB.username);
  await cb.locator('#sidenav').getByRole('link', { name: '我服务的试点行业' }).click();
  await cb.waitForURL(/#\/selections\/mine$/);
  await cb.locator('tbody tr').first().waitFor();
  const mine = await text(cb.locator('tbody'));
  assert.ok(mine.includes(industry), mine);
  assert.ok(mine.includes('CNCA-R-2099-002 有效'), mine);
  await shot(cb, 'selections-mine');
  assertNoProblems(city);
  assertNoProblems(dist);
  assertNoProblems(cb);
});

test('导出Excel with the city session', async () => {
  const city = await session('city');
  await go(city, '#/declarations');
  await city.locator('tbody tr').first().waitFor();
  const href = await city.locator('#decl-export').getAttribute('href');
  assert.equal(href, '/api/v1/declarations.xlsx');
  const cookies = await pages.city.context.cookies();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const r = await fetch(env.base + href, { headers: { cookie } });
  assert.equal(r.status, 200);
  const bytes = Buffer.from(await r.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const file = join(tmp, 'declarations.xlsx');
  writeFileSync(file, bytes);
  const xml = execFileSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  assert.ok(xml.includes(district.unit), `the sheet lists ${district.unit}`);

  // Filters travel with the export link.
  await byLabel(content(city), '单位类别').selectOption('certification_body');
  await city.getByRole('button', { name: '查询' }).click();
  await city.waitForURL(/category=certification_body/);
  await city.waitForFunction(() => document.querySelector('#decl-export')?.getAttribute('href').includes('category=certification_body'));
  assertNoProblems(city);
});

test('phone width: every page fits and reads', async () => {
  await phoneShot(district.username, '#/declaration', '.decl-scan', 'phone-declaration');
  await phoneShot('city', '#/declarations', 'tbody tr', 'phone-declarations');
  const city = await session('city');
  const id = await city.evaluate(() => fetch('/api/v1/declarations?category=certification_body&status=accepted')
    .then((r) => r.json()).then((d) => d.items.find((x) => x.version >= 2).id));
  await phoneShot('city', `#/declarations/${id}`, '.decl-compare tbody tr', 'phone-declaration-review');
  await phoneShot('city', '#/selections', 'tr.sel-row', 'phone-selections');
  await phoneShot(CB.username, '#/selections/mine', 'tbody tr', 'phone-selections-mine');
});
