// Notices (通知公告) and training (宣传培训) in the browser. The city publishes a
// public notice whose body holds markup and a web address, uploads an
// attachment (another file refused with the server's 415 message); the public
// page (no login) lists it and shows the markup as text (no script runs, no
// dialog opens) and the address as a link. pudong sees the notice 未读 on its
// home page and in the list, opens it, and the count drops; its form offers
// only 公开 and 本区, and it withdraws its own notice after a confirmation.
// cb1 creates an offline session for today with 2 seats; ent1 registers
// (the same person twice → the conflict message, a third person → 容量已满),
// opens the check-in page from the organiser's link and checks one person in;
// the organiser sees 已签到 and toggles attendance; the statistics count the
// attendance (1 人次 more). Check-in on another day shows the wrong-day
// message. Screenshots of every page at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, shot as fullShot, text, byLabel, assertNoProblems, PHONE,
  assertBreadcrumb,
} from './browser.mjs';

let env;
const api = {}; // username → API client, for independent checks
const pages = {}; // username → { context, page }

const TITLE = '关于组织参加质量管理体系认证提升行动线上培训的通知';
const URL_TEXT = 'https://www.zrpx.org.cn/signup?id=7';
const BODY = [
  '各区市场监管局、各认证机构：',
  '',
  '为做好小微企业质量管理体系培训，现将有关事项通知如下。',
  `报名网址：${URL_TEXT}。`,
  '',
  '<script>alert(1)</script>',
].join('\n');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const TRAINING = '质量管理体系内审员线下培训（浦东专场）';
const PEOPLE = [
  ['陈静', '质量主管', '13800138001'],
  ['李强', '生产经理', '13800138002'],
  ['王芳', '检验员', '13800138003'],
];

let noticeId = null;
let trainingId = null;
let checkinHash = null;
let statsBefore = null;

async function shot(page, name, opts) {
  await page.evaluate(() => { window.scrollTo(0, 0); const t = document.getElementById('toast'); if (t) t.hidden = true; });
  await fullShot(page, name, opts);
}
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const go = (page, hash) => page.evaluate((x) => { location.hash = x; }, hash);
const nav = (page, name) => page.locator('#sidenav').getByRole('link', { name, exact: true }).click();
const content = (page) => page.locator('#content');
const fieldError = (scope, name) => scope.locator(`.field[data-field="${name}"] .field-error`);

async function session(username) {
  if (!pages[username]) {
    pages[username] = await newPage(env.browser);
    await login(pages[username].page, env.base, username);
  }
  return pages[username].page;
}

before(async () => {
  env = await setup();
  for (const u of ['city', 'pudong', 'cb1', 'ent1']) {
    api[u] = new Client(env.base);
    assert.equal((await api[u].login(u)).status, 200);
  }
});

after(async () => {
  for (const p of Object.values(pages)) await p.context.close();
  if (env) await env.teardown();
});

test('city publishes a public notice with an attachment', async () => {
  const page = await session('city');
  const navText = await text(page.locator('#sidenav'));
  for (const want of ['通知与培训', '通知公告', '宣传培训', '培训统计']) assert.ok(navText.includes(want), `nav has ${want}`);
  await nav(page, '通知公告');
  await page.waitForURL(/#\/notices$/);
  await page.locator('.pager-total').waitFor();
  await assertBreadcrumb(page, '首页 / 通知与培训 / 通知公告');
  await page.getByRole('link', { name: '发布通知' }).first().click();
  await page.waitForURL(/#\/notices\/new$/);
  const c = content(page);
  // Required fields are checked before sending.
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await fieldError(page, 'title').waitFor();
  assert.deepEqual(await byLabel(c, '发布范围').locator('option').allInnerTexts(), ['公开', '全部登录用户', '指定角色', '指定区']);
  await byLabel(c, '发布范围').selectOption('district');
  assert.ok(await byLabel(c, '接收区').isVisible(), 'the district select follows 指定区');
  await byLabel(c, '发布范围').selectOption('role');
  assert.ok(await byLabel(c, '接收角色').isVisible(), 'the role select follows 指定角色');
  assert.equal(await byLabel(c, '接收区').isVisible(), false);
  await byLabel(c, '发布范围').selectOption('public');
  await byLabel(c, '标题').fill(TITLE);
  await byLabel(c, '正文').fill(BODY);
  assert.equal(await byLabel(c, '发布日期').inputValue(), '2021-05-10');
  await shot(page, 'notice-new');
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await page.waitForURL(/#\/notices\/\d+\/edit\?saved=1$/);
  noticeId = Number(/notices\/(\d+)\/edit/.exec(page.url())[1]);
  await page.locator('.notice-saved').waitFor();

  // Attachments after saving: a PDF, then an HTML file named .pdf (415).
  await page.locator('#notice-file').setInputFiles({ name: '培训安排.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: '上传附件' }).click();
  await page.locator('.notice-file-link', { hasText: '培训安排.pdf' }).waitFor();
  await page.locator('#notice-file').setInputFiles({ name: '伪装.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
  await page.getByRole('button', { name: '上传附件' }).click();
  await fieldError(page, 'file').waitFor();
  const refusal = await text(fieldError(page, 'file'));
  assert.ok(refusal.length > 2, `415 message under the file input: ${refusal}`);
  // The refusal is expected: not a browser problem.
  page.problems = page.problems.filter((p) => !/status of 415/.test(p));
  const stored = (await api.city.get(`/api/v1/notices/${noticeId}`)).json;
  assert.equal(stored.attachments.length, 1, 'the refused file was not stored');
  assert.equal(stored.body, BODY);
  await shot(page, 'notice-edit');

  await page.getByRole('link', { name: '查看通知' }).first().click();
  await page.waitForURL(new RegExp(`#/notices/${noticeId}$`));
  await page.locator('.notice-title', { hasText: TITLE }).waitFor();
  assert.equal(await page.locator('.notice-body p').count(), 3, 'three paragraphs');
  assert.equal(await page.locator('.notice-body p').nth(1).locator('br').count(), 1, 'a single line break is kept');
  assert.ok((await text(page.locator('.notice-meta'))).includes('上海市市场监督管理局'));
  assert.ok(await page.locator('#notice-withdraw').isVisible());
  await shot(page, 'notice-detail');
  assertNoProblems(page);
});

test('public page (no login): the notice, markup as text, the address as a link', async () => {
  assert.ok(noticeId, 'the notice was published');
  const { context, page } = await newPage(env.browser);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  try {
    await page.goto(`${env.base}/`);
    await page.locator('#login-view').waitFor({ state: 'visible' });
    const link = page.getByRole('link', { name: '通知公告' });
    assert.equal(await link.getAttribute('href'), '/notices.html');
    await shot(page, 'login-notices-link', { fullPage: false });
    await link.click();
    await page.waitForURL(/\/notices\.html$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    const item = page.locator('.pn-item', { hasText: TITLE });
    await item.waitFor();
    assert.ok((await text(item)).includes('2021-05-10'));
    await page.locator('#pn-demo-banner').waitFor({ state: 'visible' }); // its own request (/public/site)
    await shot(page, 'public-notices');
    await item.getByRole('link').click();
    await page.waitForURL(new RegExp(`/notices\\.html\\?id=${noticeId}$`));
    const body = page.locator('.notice-body');
    await body.waitFor();
    assert.ok((await text(body)).includes('<script>alert(1)</script>'), 'markup shown as text');
    assert.equal(await page.locator('.notice-body script, .pn-detail script').count(), 0, 'no script element');
    const a = body.locator('a.notice-link');
    assert.equal(await a.count(), 1);
    assert.equal(await a.getAttribute('href'), URL_TEXT);
    assert.equal(await text(a), URL_TEXT, 'the Chinese full stop stays outside the link');
    assert.equal(await a.getAttribute('rel'), 'noopener noreferrer');
    const file = page.locator('.notice-file-link', { hasText: '培训安排.pdf' });
    const href = await file.getAttribute('href');
    assert.match(href, new RegExp(`^/api/v1/public/notices/${noticeId}/attachments/\\d+$`));
    const dl = await page.request.get(`${env.base}${href}`);
    assert.equal(dl.status(), 200);
    assert.ok((await dl.body()).equals(PDF), 'the attachment downloads unchanged');
    await shot(page, 'public-notice');
    await page.waitForTimeout(100);
    assert.deepEqual(dialogs, [], 'no dialog fired');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('pudong: 未读 on the home page and in the list; opening reads it; 本区 notice withdrawn', async () => {
  const before = (await api.pudong.get('/api/v1/notices?per_page=1')).json.unread;
  assert.ok(before >= 1, 'pudong has unread notices');
  const page = await session('pudong');
  await page.locator('#home-unread').waitFor();
  assert.equal(await text(page.locator('#home-unread')), `未读 ${before}`);
  assert.ok((await text(page.locator('.home-notices'))).includes(TITLE));
  await shot(page, 'home-notices');

  await nav(page, '通知公告');
  await page.locator('.notice-unread-count', { hasText: `未读 ${before} 条` }).waitFor();
  const row = page.locator('tr.notice-row', { hasText: TITLE });
  assert.ok((await text(row)).includes('未读'));
  assert.ok((await row.getAttribute('class')).includes('notice-row-unread'));
  await shot(page, 'notices');
  await row.getByRole('link').click();
  await page.locator('.notice-title', { hasText: TITLE }).waitFor();
  assert.equal(await page.locator('#notice-withdraw').count(), 0, 'pudong may not withdraw the city\'s notice');
  await page.getByRole('link', { name: '返回列表' }).click();
  await page.locator('.notice-unread-count', { hasText: before - 1 ? `未读 ${before - 1} 条` : '全部已读' }).waitFor();
  assert.ok(!(await text(page.locator('tr.notice-row', { hasText: TITLE }))).includes('未读'), 'read now');
  assert.equal((await api.pudong.get('/api/v1/notices?per_page=1')).json.unread, before - 1);

  // A district officer publishes 公开 or to its own district only.
  await page.getByRole('link', { name: '发布通知' }).first().click();
  const c = content(page);
  await byLabel(c, '发布范围').waitFor();
  assert.deepEqual(await byLabel(c, '发布范围').locator('option').allInnerTexts(), ['公开', '本区（浦东新区）']);
  await byLabel(c, '标题').fill('浦东新区试点企业台账更新提醒');
  await byLabel(c, '正文').fill('各试点企业：\n\n请于 5 月 20 日前更新基线指标。');
  await byLabel(c, '发布范围').selectOption('district');
  await shot(page, 'notice-new-district');
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await page.waitForURL(/#\/notices\/\d+\/edit\?saved=1$/);
  const own = Number(/notices\/(\d+)\/edit/.exec(page.url())[1]);
  assert.equal((await api.pudong.get(`/api/v1/notices/${own}`)).json.audience_district, '浦东新区');
  await go(page, `#/notices/${own}`);
  await page.locator('#notice-withdraw').click();
  const dlg = page.getByRole('dialog');
  await dlg.waitFor();
  assert.match(await text(dlg), /撤回后/);
  await shot(page, 'notice-withdraw-dialog', { fullPage: false });
  await dlg.getByRole('button', { name: '确认撤回' }).click();
  await page.locator('.notice-title-tags .tag', { hasText: '已撤回' }).waitFor();
  assert.equal(await page.locator('#notice-withdraw').count(), 0);
  assert.equal((await api.ent1.get(`/api/v1/notices/${own}`)).status, 404, 'hidden from the district\'s enterprises');
  assertNoProblems(page);
});

test('cb1 creates an offline session for today with 2 seats', async () => {
  statsBefore = (await api.cb1.get('/api/v1/trainings/stats')).json;
  assert.ok(statsBefore && statsBefore.totals, `stats: ${JSON.stringify(statsBefore)}`);
  const page = await session('cb1');
  await nav(page, '宣传培训');
  await page.waitForURL(/#\/trainings$/);
  await page.locator('.pager-total').waitFor();
  await shot(page, 'trainings');
  await page.getByRole('link', { name: '新建培训' }).first().click();
  await page.waitForURL(/#\/trainings\/new$/);
  const c = content(page);
  await byLabel(c, '培训名称').fill(TRAINING);
  await byLabel(c, '培训类型').selectOption('offline');
  await byLabel(c, '开始时间').fill('2021-05-10T14:00');
  await byLabel(c, '结束时间').fill('2021-05-10T17:00');
  await byLabel(c, '名额').fill('2');
  // An offline session needs a place.
  await page.getByRole('button', { name: '发布培训' }).click();
  await fieldError(page, 'place').waitFor();
  await byLabel(c, '地点').fill('张江科学城会议中心 3 楼报告厅');
  await byLabel(c, '培训资料').fill('课程：GB/T 19001-2016 内部审核实务。\n讲义下载：https://www.zrpx.org.cn/material/7');
  await shot(page, 'training-new');
  await page.getByRole('button', { name: '发布培训' }).click();
  await page.waitForURL(/#\/trainings\/\d+$/);
  trainingId = Number(page.url().split('/').pop());
  await page.locator('.training-title', { hasText: TRAINING }).waitFor();
  assert.match(await text(page.locator('.training-title')), /线下培训.*今日举办/);
  assert.match(await text(page.locator('.training-info')), /0 \/ 2/);
  assert.equal(await page.locator('img.training-qr-img').getAttribute('src'), `/api/v1/trainings/${trainingId}/checkin-qr.svg`);
  await page.waitForFunction(() => { const i = document.querySelector('img.training-qr-img'); return i && i.complete && i.naturalWidth > 0; });
  checkinHash = await page.locator('#training-checkin-link').getAttribute('href');
  assert.match(checkinHash, /^#\/checkin\/[^/]+$/);
  assert.equal(await page.locator('#training-attendance-xlsx').getAttribute('href'), `/api/v1/trainings/${trainingId}/attendance.xlsx`);
  assert.equal(await page.locator('.training-materials a.notice-link').getAttribute('href'), 'https://www.zrpx.org.cn/material/7');
  assertNoProblems(page);
});

test('ent1 registers: a repeated person and a full session are refused with clear messages', async () => {
  assert.ok(trainingId, 'the session exists');
  const page = await session('ent1');
  await nav(page, '宣传培训');
  const row = page.locator('tr.training-row', { hasText: TRAINING });
  await row.waitFor();
  assert.match(await text(row), /张江科学城会议中心.*0 \/ 2/);
  await row.getByRole('link', { name: TRAINING }).click();
  await page.waitForURL(new RegExp(`#/trainings/${trainingId}$`));
  const c = content(page);
  const register = async ([name, post, phone]) => {
    await byLabel(c, '姓名').fill(name);
    await byLabel(c, '岗位').fill(post);
    await byLabel(c, '联系电话').fill(phone);
    await page.getByRole('button', { name: '提交报名' }).click();
  };
  await byLabel(c, '姓名').waitFor();
  assert.equal(await page.locator('#training-checkin-link').count(), 0, 'the check-in code is the organiser\'s');
  // A bad phone number is caught under the field.
  await register(['陈静', '质量主管', '12345']);
  await fieldError(page, 'phone').waitFor();
  await register(PEOPLE[0]);
  await page.locator('tr.training-reg-row', { hasText: PEOPLE[0][0] }).waitFor();
  assert.match(await text(page.locator('tr.training-reg-row', { hasText: PEOPLE[0][0] })), /138\*{4}8001/);
  await register(PEOPLE[0]);
  const err = page.locator('.training-register-error');
  await err.waitFor();
  assert.match(await text(err), /已报名/);
  await shot(page, 'training-register-conflict');
  await register(PEOPLE[1]);
  await page.locator('tr.training-reg-row', { hasText: PEOPLE[1][0] }).waitFor();
  assert.match(await text(page.locator('.training-info')), /2 \/ 2/);
  await register(PEOPLE[2]);
  await page.locator('.training-register-error', { hasText: '容量已满' }).waitFor();
  assert.equal(await page.locator('tr.training-reg-row').count(), 2);
  await shot(page, 'training-detail-enterprise');
  assertNoProblems(page);
});

test('ent1 checks in from the organiser\'s link; the organiser sees 已签到; the statistics count it', async () => {
  assert.ok(checkinHash, 'the check-in link was shown');
  const page = await session('ent1');
  await go(page, checkinHash);
  await page.locator('.checkin-title', { hasText: TRAINING }).waitFor();
  await assertBreadcrumb(page, '首页 / 通知与培训 / 宣传培训 / 培训签到');
  const item = page.locator('.checkin-item', { hasText: PEOPLE[0][0] });
  assert.equal(await page.locator('.checkin-item').count(), 2);
  await shot(page, 'checkin');
  await item.getByRole('button', { name: `为${PEOPLE[0][0]}签到` }).click();
  await item.locator('.checkin-done', { hasText: '已签到' }).waitFor();
  assert.ok(await page.locator('.checkin-item', { hasText: PEOPLE[1][0] }).getByRole('button').isVisible());
  assertNoProblems(page);

  const org = await session('cb1');
  await org.reload(); // still on the session's page since it was created
  await org.locator('.training-title', { hasText: TRAINING }).waitFor();
  const done = org.locator('tr.training-reg-row', { hasText: PEOPLE[0][0] });
  await done.waitFor();
  assert.ok((await text(done)).includes('已签到'));
  assert.match(await text(org.locator('.training-info')), /已签到 1 人/);
  // The organiser marks the second person and takes it back.
  const second = org.locator('tr.training-reg-row', { hasText: PEOPLE[1][0] });
  await second.getByRole('button', { name: '标记签到' }).click();
  await org.locator('tr.training-reg-row', { hasText: PEOPLE[1][0] }).getByRole('button', { name: '取消签到' }).waitFor();
  assert.match(await text(org.locator('.training-info')), /已签到 2 人/);
  await org.locator('tr.training-reg-row', { hasText: PEOPLE[1][0] }).getByRole('button', { name: '取消签到' }).click();
  await org.locator('tr.training-reg-row', { hasText: PEOPLE[1][0] }).getByRole('button', { name: '标记签到' }).waitFor();
  await shot(org, 'training-detail-organiser');

  // Statistics: one attendance more than before, as the API says.
  const after = (await api.cb1.get('/api/v1/trainings/stats')).json;
  assert.equal(after.totals.person_times - statsBefore.totals.person_times, 1, '1 人次 more');
  await nav(org, '培训统计');
  await org.waitForURL(/#\/trainings\/stats$/);
  const total = org.locator('.training-total-person_times .training-total-n');
  await total.waitFor();
  assert.equal(await text(total), String(after.totals.person_times));
  assert.equal(await text(org.locator('.training-total-sessions .training-total-n')), String(after.totals.sessions));
  const offline = (after.by_kind || []).find((r) => r.kind === 'offline');
  if (offline) {
    const r = org.locator('tr.training-stat-kind', { hasText: '线下培训' });
    assert.ok((await text(r)).includes(String(offline.person_times)), `线下培训 row: ${await text(r)}`);
  }
  assert.equal(await org.locator('#training-stats-export').getAttribute('href'), '/api/v1/trainings.xlsx');
  await shot(org, 'training-stats');
  assertNoProblems(org);
});

test('check-in on another day: the wrong-day message', async () => {
  const t = await api.cb1.post('/api/v1/trainings', {
    title: '小班化定制培训：来料检验', kind: 'small_class', industry: null, starts_at: '2021-05-12 09:00',
    ends_at: '2021-05-12 11:00', place: '浦江精密电子会议室', link: null, capacity: 10, materials: '',
  });
  assert.equal(t.status, 201, t.text);
  const r = await api.ent1.post(`/api/v1/trainings/${t.json.id}/registrations`, { name: '陈静', post: '质量主管', phone: '13800138001' });
  assert.equal(r.status, 201, r.text);
  const full = (await api.cb1.get(`/api/v1/trainings/${t.json.id}`)).json;
  const token = /#\/checkin\/([^/?#]+)/.exec(full.checkin_url)[1];
  const page = await session('ent1');
  await go(page, `#/checkin/${token}`);
  await page.locator('.checkin-title', { hasText: '来料检验' }).waitFor();
  await page.getByRole('button', { name: '为陈静签到' }).click();
  const msg = page.locator('.checkin-error');
  await msg.waitFor();
  assert.match(await text(msg), /今天不是培训日期.*2021-05-12/);
  await shot(page, 'checkin-wrong-day');
  assertNoProblems(page);
});

test('the enterprise ledger lists the training', async () => {
  const page = await session('ent1');
  await nav(page, '企业信息');
  const cardEl = page.locator('section.card', { hasText: '培训记录' });
  await cardEl.locator('tbody tr').first().waitFor();
  const row = cardEl.locator('tr', { hasText: TRAINING });
  assert.ok((await text(row)).includes(PEOPLE[0][0]));
  await shot(page, 'enterprise-trainings');
  assertNoProblems(page);
});

test('phone width: every notice and training page fits and reads', async () => {
  const looks = [
    ['pudong', '#/home', '.home-notices', 'phone-home-notices'],
    ['pudong', '#/notices', 'tr.notice-row', 'phone-notices'],
    ['pudong', `#/notices/${noticeId}`, '.notice-body', 'phone-notice-detail'],
    ['pudong', '#/notices/new', '.notice-form', 'phone-notice-new'],
    ['cb1', '#/trainings', 'tr.training-row', 'phone-trainings'],
    ['cb1', `#/trainings/${trainingId}`, 'tr.training-reg-row', 'phone-training-detail'],
    ['cb1', '#/trainings/new', '.training-form', 'phone-training-new'],
    ['cb1', '#/trainings/stats', '.training-totals', 'phone-training-stats'],
    ['ent1', checkinHash, '.checkin-item', 'phone-checkin'],
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
    for (const [url, ready, name] of [
      ['/notices.html', '.pn-item', 'phone-public-notices'],
      [`/notices.html?id=${noticeId}`, '.notice-body', 'phone-public-notice'],
      ['/', '#login-notices-link', 'phone-login-links'],
    ]) {
      if (url === '/') await context.clearCookies();
      await page.goto(`${env.base}${url}`);
      await page.locator(ready).first().waitFor();
      assert.ok((await sideways(page)) <= 0, `${name} fits the phone width`);
      await shot(page, name);
    }
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
