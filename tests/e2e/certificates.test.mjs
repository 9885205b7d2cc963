// Certification (认证实施) and certificates (认证证书) in the browser: a body
// tries to issue before recording an audit (409 with the way to the audit
// form), records the certification audit (the server's refusal under 认证决定,
// then 批准认证), issues a certificate through the form (an expiry beyond
// 3 years refused under 有效期至), finds it in the list and the detail with its
// QR code; the public verification page (no login) shows it 有效; the body
// suspends it with a reason and the public page shows 暂停. The city's
// 认证监管 lists the demo certificates that must be suspended or withdrawn,
// its certificate list has the statistics, and it withdraws a prior
// certificate. The public page refuses an unknown number; the login page
// links to it. Screenshots of every page at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
let city; // API client of the city, for independent checks
const pages = {}; // username → { context, page }

const NUMBER = 'HLQC-2021-Q-0031';
const HOLDER = '上海芯途微电子有限公司（演示）';
const SUSPEND_REASON = '获证组织未按期提交不符合项整改材料';
const MUST_SUSPEND = '00219Q21001R0S';
const MUST_WITHDRAW = '00220Q20456R0S';
let certId = null;
let holderId = null;

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

before(async () => {
  env = await setup();
  city = new Client(env.base);
  assert.equal((await city.login('city')).status, 200);
  const ents = (await city.get(`/api/v1/enterprises?q=${encodeURIComponent(HOLDER)}`)).json.items;
  holderId = ents[0].id;
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
});

test('cb1: audit, issue a certificate, see it in the list and the detail', async () => {
  const page = await session('cb1');
  const navText = await text(page.locator('#sidenav'));
  for (const want of ['认证实施', '认证证书', '认证监管', '颁发证书']) assert.ok(navText.includes(want), `nav has ${want}`);
  await nav(page, '认证证书');
  await page.waitForURL(/#\/certificates$/);
  await page.locator('.pager-total', { hasText: '共 1 条' }).waitFor();
  await assertBreadcrumb(page, '首页 / 认证实施 / 认证证书');
  assert.ok((await text(page.locator('tbody').first())).includes('HLQC-2021-Q-0018'));
  // The body's audit list: its 10 assigned enterprises, the demo one certified.
  const audits = page.locator('section.card', { hasText: '认证审核' }).last();
  await audits.locator('tr.cert-audit-row').first().waitFor();
  assert.equal(await audits.locator('tr.cert-audit-row').count(), 10);
  assert.ok((await text(audits.locator('tr', { hasText: '上海晶曜封装测试有限公司' }))).includes('批准认证'));
  await shot(page, 'certificates-cb');

  // Issuing before any audit: the server's 409, with the way to the audit form.
  await nav(page, '颁发证书');
  await page.waitForURL(/#\/certificates\/new$/);
  const c = content(page);
  await byLabel(c, '试点企业').selectOption(String(holderId));
  await page.locator('.cert-audit-sum', { hasText: '尚未记录认证审核' }).waitFor();
  await byLabel(c, '证书编号').fill(NUMBER);
  await byLabel(c, '覆盖人数').fill('32');
  await byLabel(c, '认证范围').fill('集成电路设计及相关技术服务');
  await byLabel(c, '颁证日期').fill('2021-05-08');
  await byLabel(c, '有效期至').fill('2024-05-07');
  await page.getByRole('button', { name: '颁发证书' }).click();
  const need = page.locator('.cert-need-audit');
  await need.waitFor();
  assert.match(await text(need), /请先记录认证审核/);
  await need.getByRole('link', { name: /记录认证审核/ }).click();
  await page.waitForURL(new RegExp(`#/certification/${holderId}$`));

  // The audit: 批准认证 with an open nonconformity is refused under 认证决定.
  await page.locator('#content h1', { hasText: HOLDER }).waitFor();
  await byLabel(c, '第一阶段审核日期').fill('2021-04-06');
  await byLabel(c, '第二阶段审核日期').fill('2021-04-22');
  await byLabel(c, '审核组').fill('王强（组长）、赵琳');
  await byLabel(c, '发现不符合项').fill('2');
  await byLabel(c, '已关闭不符合项').fill('1');
  await byLabel(c, '认证决定').selectOption({ label: '批准认证' });
  await byLabel(c, '决定日期').fill('2021-04-30');
  await page.getByRole('button', { name: '保存认证审核' }).click();
  await fieldError(page, 'decision').waitFor();
  assert.match(await text(fieldError(page, 'decision')), /不符合项已全部关闭/);
  await byLabel(c, '已关闭不符合项').fill('2');
  await page.getByRole('button', { name: '保存认证审核' }).click();
  await page.locator('.cert-next', { hasText: '可以颁发证书' }).waitFor();
  assert.ok((await text(page.locator('#content h1'))).includes('批准认证'));
  await shot(page, 'certification-audit');

  // Issue: the enterprise is preselected and its audit shown.
  await page.locator('.page-actions').getByRole('link', { name: '颁发证书' }).click();
  await page.waitForURL(new RegExp(`#/certificates/new\\?enterprise=${holderId}$`));
  await page.locator('.cert-audit-sum-ok', { hasText: '批准认证' }).waitFor();
  assert.equal(await byLabel(c, '认证依据').inputValue(), 'GB/T 19001-2016/ISO 9001:2015');
  assert.equal(await byLabel(c, '认证项目').inputValue(), '质量管理体系认证');
  assert.match(await text(page.locator('.field[data-field="expiry_date"] .field-hint')), /最长 3 年/);
  await byLabel(c, '证书编号').fill(NUMBER);
  await byLabel(c, '覆盖人数').fill('32');
  await byLabel(c, '认证范围').fill('集成电路设计及相关技术服务');
  await byLabel(c, '颁证日期').fill('2021-05-08');
  await byLabel(c, '有效期至').fill('2025-05-08');
  await page.getByRole('button', { name: '颁发证书' }).click();
  await fieldError(page, 'expiry_date').waitFor();
  assert.match(await text(fieldError(page, 'expiry_date')), /3 年/);
  assert.equal(await page.locator('.form-error').count(), 0, 'under the field, not at the top');
  await shot(page, 'certificate-new-errors');
  await byLabel(c, '有效期至').fill('2024-05-07');
  await page.getByRole('button', { name: '颁发证书' }).click();
  await page.waitForURL(/#\/certificates\/\d+$/);
  certId = Number(page.url().split('/').pop());

  // The detail: number, holder, 有效, the fields and the schedule.
  const title = page.locator('.cert-title');
  await title.waitFor();
  assert.ok((await text(title)).includes(NUMBER));
  assert.ok((await text(title)).includes('有效'));
  assert.ok((await text(page.locator('.cert-holder-line'))).includes(HOLDER));
  const info = await text(page.locator('.cert-info'));
  for (const want of ['2021-05-08', '2024-05-07', '32 人', '集成电路设计及相关技术服务', '沪联质量认证中心（演示）', '浦东新区']) {
    assert.ok(info.includes(want), `detail shows ${want}: ${info}`);
  }
  assert.match(await text(page.locator('.cert-schedule')), /已做 0 \/ 应做 2.*2022-05-08.*还剩 363 天/);
  assert.equal(await page.locator('#cert-pdf').getAttribute('href'), `/api/v1/certificates/${certId}.pdf`);
  const qr = page.locator('img.cert-qr-img');
  assert.equal(await qr.getAttribute('src'), `/api/v1/public/certificates/${NUMBER}/qr.svg`);
  await page.waitForFunction(() => { const i = document.querySelector('img.cert-qr-img'); return i && i.complete && i.naturalWidth > 0; });
  assert.equal(await page.locator('a.cert-verify-link').getAttribute('href'), `/verify?number=${NUMBER}`);
  assert.ok((await text(page.locator('tr', { hasText: '颁发证书' }))).includes('cb1'));
  await shot(page, 'certificate-detail');

  // In the list.
  await nav(page, '认证证书');
  await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
  const row = page.locator('tr.cert-row', { hasText: NUMBER });
  assert.ok((await text(row)).includes(HOLDER));
  assert.ok((await text(row)).includes('2022-05-08'));
  assertNoProblems(page);
});

test('public verification (no login): 有效, then 暂停 after the body suspends', async () => {
  assert.ok(certId, 'the certificate was issued');
  const { context, page: pub } = await newPage(env.browser);
  try {
    await pub.goto(`${env.base}/verify?number=${NUMBER}`);
    assert.equal(await pub.getAttribute('html', 'lang'), 'zh-CN');
    const status = pub.locator('.verify-status-value');
    await status.waitFor();
    assert.equal(await text(status), '有效');
    const card = await text(pub.locator('.verify-cert'));
    for (const want of [HOLDER, NUMBER, '集成电路设计及相关技术服务', 'GB/T 19001-2016/ISO 9001:2015', '2024-05-07', '沪联质量认证中心（演示）', '核验日期 2021-05-10']) {
      assert.ok(card.includes(want), `verify shows ${want}: ${card}`);
    }
    assert.ok(!card.includes('张江高科技园区演示路'), 'no address on the public page');
    await pub.locator('#verify-demo-note').waitFor({ state: 'visible' }); // demo data note, after /public/site
    await shot(pub, 'verify');

    // The body suspends it: date and a required reason in the dialog.
    const page = await session('cb1');
    await go(page, `#/certificates/${certId}`);
    await page.locator('.cert-title', { hasText: NUMBER }).waitFor();
    assert.deepEqual(await page.locator('.cert-actions button').allInnerTexts(), ['暂停', '注销']);
    await page.getByRole('button', { name: '暂停', exact: true }).click();
    const dlg = dialog(page);
    await dlg.waitFor();
    assert.equal(await byLabel(dlg, '变更日期').inputValue(), '2021-05-10');
    await dlg.getByRole('button', { name: '确认暂停' }).click();
    await fieldError(dlg, 'reason').waitFor();
    assert.match(await text(fieldError(dlg, 'reason')), /请填写暂停原因/);
    // A date before the current status's date: the server's 422 under the date.
    await byLabel(dlg, '变更日期').fill('2021-05-01');
    await byLabel(dlg, '暂停原因').fill(SUSPEND_REASON);
    await dlg.getByRole('button', { name: '确认暂停' }).click();
    await fieldError(dlg, 'date').waitFor();
    await shot(page, 'certificate-suspend-dialog', { fullPage: false });
    await byLabel(dlg, '变更日期').fill('2021-05-10');
    await dlg.getByRole('button', { name: '确认暂停' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.locator('.cert-title .tag', { hasText: '暂停' }).waitFor();
    assert.deepEqual(await page.locator('.cert-actions button').allInnerTexts(), ['恢复', '撤销']);
    const hist = page.locator('tr', { hasText: SUSPEND_REASON });
    assert.match(await text(hist), /2021-05-10 有效 → 暂停/);
    assert.ok((await text(hist)).includes('cb1'));
    assertNoProblems(page);

    await pub.reload();
    await pub.locator('.verify-status-value').waitFor();
    assert.equal(await text(pub.locator('.verify-status-value')), '暂停');
    assert.ok(await pub.locator('.verify-status-orange').isVisible());
    assertNoProblems(pub);
  } finally {
    await context.close();
  }
});

test('city: 认证监管, statistics, and a prior certificate withdrawn', async () => {
  const page = await session('city');
  await nav(page, '认证监管');
  await page.waitForURL(/#\/supervision$/);
  const suspend = page.locator('#sup-suspend');
  await suspend.waitFor();
  assert.ok((await text(suspend)).includes(MUST_SUSPEND));
  assert.ok(!(await text(suspend)).includes(MUST_WITHDRAW));
  assert.match(await text(suspend.locator('tr', { hasText: MUST_SUSPEND })), /已逾期 79 天/);
  const withdraw = page.locator('#sup-withdraw');
  assert.ok((await text(withdraw)).includes(MUST_WITHDRAW));
  assert.match(await text(withdraw.locator('tr', { hasText: MUST_WITHDRAW })), /2020-10-20/);
  await shot(page, 'supervision');

  // The list with the statistics; prior certificates by filter.
  await nav(page, '认证证书');
  await page.locator('.pager-total', { hasText: '共 4 条' }).waitFor();
  const stats = page.locator('section.card', { hasText: '证书统计' });
  await stats.locator('tr.cert-stat-row').first().waitFor();
  const ic = await text(stats.locator('tr', { hasText: '集成电路' }));
  assert.match(ic, /浦东新区 集成电路 5 2 0/);
  assert.match(await text(stats.locator('tr', { hasText: '生物医药' })), /浦东新区 生物医药 5 0 2/);
  await byLabel(content(page), '参加行动前已获证').selectOption('true');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.pager-total', { hasText: '共 2 条' }).waitFor();
  assert.match(await page.locator('#cert-export').getAttribute('href'), /certificates\.xlsx\?prior=true/);
  const overdue = page.locator('tr.cert-row', { hasText: MUST_SUSPEND });
  assert.ok((await text(overdue)).includes('已逾期'));
  assert.ok(await overdue.locator('.cert-due-overdue').isVisible());
  await shot(page, 'certificates');

  // The city withdraws the prior certificate suspended since 2020-10-20.
  await page.locator('tr.cert-row', { hasText: MUST_WITHDRAW }).getByRole('link').click();
  await page.locator('.cert-title', { hasText: MUST_WITHDRAW }).waitFor();
  assert.match(await text(page.locator('.cert-warning')), /暂停已超过 6 个月/);
  await page.getByRole('button', { name: '撤销', exact: true }).click();
  await byLabel(dialog(page), '撤销原因').fill('暂停超过 6 个月未恢复');
  await dialog(page).getByRole('button', { name: '确认撤销' }).click();
  await page.locator('.cert-title .tag', { hasText: '撤销' }).waitFor();
  assert.equal(await page.locator('.cert-actions button').count(), 0, 'a withdrawn certificate has no status buttons');
  assert.equal(await page.locator('.cert-warning').count(), 0);
  assertNoProblems(page);
});

test('pudong: register a certificate held before joining; read the audit', async () => {
  const page = await session('pudong');
  const navText = await text(page.locator('#sidenav'));
  assert.ok(navText.includes('认证证书') && !navText.includes('认证监管') && !navText.includes('颁发证书'), navText);
  await nav(page, '认证证书');
  await page.locator('.pager-total').waitFor();
  await page.getByRole('link', { name: '登记已有证书' }).click();
  await page.waitForURL(/#\/certificates\/new\?prior=1$/);
  await assertBreadcrumb(page, '首页 / 认证实施 / 登记已有证书');
  const c = content(page);
  await byLabel(c, '试点企业').selectOption({ label: '上海百澄检测技术有限公司（演示）（浦东新区 · 生物医药）' });
  await byLabel(c, '证书编号').fill('00221Q00001R0S');
  await byLabel(c, '覆盖人数').fill('12');
  await byLabel(c, '认证范围').fill('医药产品的检测服务');
  await byLabel(c, '颁证日期').fill('2020-05-08');
  await byLabel(c, '有效期至').fill('2023-05-07');
  await page.getByRole('button', { name: '登记证书' }).click();
  // The issuing body's name is required for a prior certificate.
  await fieldError(page, 'issuer_name').waitFor();
  await byLabel(c, '原发证机构').fill('华东某认证有限公司（演示）');
  await shot(page, 'certificate-prior');
  await page.getByRole('button', { name: '登记证书' }).click();
  await page.waitForURL(/#\/certificates\/\d+$/);
  await page.locator('.cert-title', { hasText: '00221Q00001R0S' }).waitFor();
  assert.ok((await text(page.locator('.cert-title'))).includes('参加前已获证'));
  // First surveillance was due by 2021-05-08: suspend it, says the page.
  assert.match(await text(page.locator('.cert-warning')), /监督审核已逾期/);
  assert.deepEqual(await page.locator('.cert-actions button').allInnerTexts(), ['暂停', '注销']);
  assert.equal(await page.locator('.cert-surv-form').count(), 0, 'surveillance is recorded by bodies only');

  // The certification audit, read only for a district.
  await go(page, `#/certification/${holderId}`);
  await page.locator('.cert-info', { hasText: '批准认证' }).waitFor();
  assert.equal(await page.locator('form.cert-audit-form').count(), 0);
  assert.ok((await text(page.locator('#content'))).includes(NUMBER));
  await shot(page, 'certification-audit-readonly');
  assertNoProblems(page);
});

test('public page: unknown number; the login page links to it', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await page.goto(`${env.base}/`);
    await page.locator('#login-view').waitFor({ state: 'visible' });
    const link = page.getByRole('link', { name: '证书查询' });
    assert.equal(await link.getAttribute('href'), '/verify');
    await shot(page, 'login-verify-link', { fullPage: false });
    await link.click();
    await page.waitForURL(/\/verify$/);
    await byLabel(page, '证书编号').fill('HLQC-2099-Q-9999');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('.verify-message', { hasText: '未查到该编号的证书' }).waitFor();
    assert.match(page.url(), /\/verify\?number=HLQC-2099-Q-9999$/);
    await shot(page, 'verify-not-found');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('phone width: every certification page fits and reads', async () => {
  const looks = [
    ['cb1', '#/certificates', 'tr.cert-audit-row', 'phone-certificates'],
    ['cb1', `#/certificates/${certId}`, '.cert-schedule', 'phone-certificate-detail'],
    ['cb1', `#/certificates/new?enterprise=${holderId}`, '.cert-audit-sum', 'phone-certificate-new'],
    ['cb1', `#/certification/${holderId}`, '.cert-audit-form', 'phone-certification-audit'],
    ['city', '#/supervision', '#sup-withdraw', 'phone-supervision'],
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
    await page.goto(`${env.base}/verify?number=${NUMBER}`);
    await page.locator('.verify-status-value').waitFor();
    assert.ok((await sideways(page)) <= 0, 'verify fits the phone width');
    await shot(page, 'phone-verify');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
