// Each demo role logs in through the form, lands on its own home page, sees
// the demo banner, the current phase and the statutory deadlines counted from
// the simulated date 2021-05-10, opens 工作日程, and logs out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import {
  setup, newPage, login, logout, shot, text, daysFromToday, assertNoProblems,
  assertBreadcrumb,
} from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { if (env) await env.teardown(); });

// The four deadlines of the 2021 notice and what the UI must say about them.
const DEADLINES = [
  { due: '2021-02-20', days: '已逾期 79 天', tag: '已逾期' },
  { due: '2021-03-05', days: '已逾期 66 天', tag: '已逾期' },
  { due: '2021-05-18', days: '还剩 8 天', tag: '即将到期' },
  { due: '2021-11-18', days: '还剩 192 天', tag: '未到期' },
];

const ROLES = [
  { username: 'city', unit: '上海市市场监督管理局', task: '审核申报表', admin: true },
  { username: 'pudong', unit: '浦东新区市场监管局', task: '制定工作方案' },
  { username: 'huangpu', unit: '黄浦区市场监管局', task: '登记试点企业' },
  { username: 'cb1', task: '问题诊断' },
  { username: 'ent1', task: '自我评价' },
];

test('deadline expectations agree with the calendar arithmetic', () => {
  for (const d of DEADLINES) {
    const n = daysFromToday(d.due);
    assert.equal(d.days, n < 0 ? `已逾期 ${-n} 天` : `还剩 ${n} 天`);
  }
});

for (const role of ROLES) {
  test(`${role.username}: home, calendar and logout`, async () => {
    // The user as the server knows it, fetched independently of the UI.
    const api = new Client(env.base);
    assert.equal((await api.login(role.username)).status, 200);
    const me = (await api.get('/api/v1/me')).json.user;
    const unitName = role.unit || (me.unit && me.unit.name) || (me.enterprise && me.enterprise.name);
    assert.ok(unitName, 'the demo user belongs to a unit or an enterprise');

    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.base, role.username);
      await page.waitForURL(/#\/home$/);

      // Greeting with the display name and unit, role-specific tasks.
      const welcome = page.locator('.welcome');
      await welcome.waitFor();
      assert.match(await text(welcome), new RegExp(`您好，${me.display_name}`));
      assert.ok((await text(welcome)).includes(unitName), `home names the unit ${unitName}`);
      assert.equal(await text(page.locator('#user-name')), me.display_name);
      assert.equal(await text(page.locator('#user-role')), me.role_name);
      const tasks = page.locator('.task-list');
      assert.ok((await text(tasks)).includes(role.task), `${role.username} sees the task ${role.task}`);
      // Tasks whose pages do not exist yet are plain text, not dead links.
      const dead = await page.locator('.task-list a').evaluateAll((as) => as
        .map((a) => a.getAttribute('href')).filter((href) => !['#/users', '#/audit', '#/units', '#/calendar', '#/declaration', '#/declarations', '#/selections',
          '#/enterprises', '#/enterprise', '#/workplan', '#/workplans', '#/certificates', '#/supervision', '#/actions', '#/diagnoses', '#/reports', '#/deadlines'].includes(href)));
      assert.deepEqual(dead, []);

      // Demo banner, programme line and current phase.
      const banner = page.locator('#shell-demo-banner');
      assert.equal(await text(banner), '演示模式 · 模拟日期 2021-05-10');
      assert.ok((await text(page.locator('#programme-line'))).includes('当前阶段：帮扶提升'));
      assert.equal(await text(page.locator('.phase-now')), '帮扶提升');

      // Home deadlines: the city and enterprises see the calendar with day counts; a district
      // or body sees its own items with their done state (报送事项), never a done one as overdue.
      if (role.username === 'city' || role.username === 'ent1') {
        const homeDeadlines = await text(page.locator('.deadline-list'));
        for (const d of DEADLINES) assert.ok(homeDeadlines.includes(d.days), `home shows ${d.days}`);
      } else {
        const mine = page.locator('#home-deadlines');
        await mine.locator('.dl-home-list, .empty-hint').first().waitFor();
        assert.equal(await page.locator('.deadline-list').count(), 0, 'no calendar-only deadline card');
        const midterm = mine.locator('[data-key="midterm"]');
        if (await midterm.count()) assert.ok((await text(midterm)).includes('2021-05-18'));
        // The tasks that file a deadline carry its state, as the deadline service says.
        const LABEL = { upcoming: '未到期', due_soon: '即将到期', overdue: '已逾期', done: '已完成', done_late: '逾期完成' };
        const items = (await api.get('/api/v1/deadlines')).json.items;
        const marked = await page.locator('.task-link[data-deadline]').evaluateAll((as) => as
          .map((a) => [a.dataset.deadline, a.querySelector('.task-state')?.textContent ?? null]));
        assert.ok(marked.length >= 1, 'a unit has a task that files a deadline');
        for (const [key, label] of marked) {
          const d = items.find((x) => x.key === key);
          assert.equal(label, d && d.state !== 'not_applicable' ? LABEL[d.state] : null, `task of ${key}`);
        }
        if (role.username === 'pudong') {
          assert.deepEqual(Object.fromEntries(marked), { declaration: '已完成', workplan: '已完成', midterm: '即将到期' });
        }
      }

      // Navigation: admin pages only for the city administrator.
      const nav = await text(page.locator('#sidenav'));
      assert.equal(nav.includes('用户管理'), !!role.admin);
      assert.equal(nav.includes('操作日志'), !!role.admin);
      await shot(page, `home-${role.username}`);

      // 工作日程: phases and the four statutory deadlines.
      await page.locator('#sidenav').getByRole('link', { name: '工作日程' }).click();
      await page.waitForURL(/#\/calendar$/);
      await page.locator('.deadline-row').first().waitFor();
      await assertBreadcrumb(page, '首页 / 计划安排 / 工作日程');
      assert.equal(await page.locator('.deadline-row').count(), 4);
      for (const d of DEADLINES) {
        const row = page.locator('.deadline-row', { hasText: d.due });
        assert.equal(await row.count(), 1, `one row for ${d.due}`);
        const t = await text(row);
        assert.ok(t.includes(d.days), `${d.due}: expected "${d.days}" in "${t}"`);
        assert.ok(t.includes(d.tag), `${d.due}: expected tag ${d.tag} in "${t}"`);
      }
      const current = page.locator('tr.row-current');
      assert.equal(await current.count(), 1);
      assert.ok((await text(current)).includes('帮扶提升'));
      assert.ok((await text(current)).includes('进行中'));
      assert.ok((await text(page.locator('tr', { hasText: '动员部署' }))).includes('已结束'));
      assert.ok((await text(page.locator('tr', { hasText: '认证实施' }))).includes('未开始'));
      if (role.username === 'city') await shot(page, 'calendar');

      // The user menu names the user, role and unit, and offers 修改密码.
      await page.locator('#user-btn').click();
      const menu = page.locator('#user-dropdown');
      await menu.waitFor();
      const menuText = await text(menu);
      for (const want of [me.username, me.role_name, unitName, '修改密码', '退出登录']) {
        assert.ok(menuText.includes(want), `user menu shows ${want}: ${menuText}`);
      }
      if (role.username === 'city') await shot(page, 'user-menu', { fullPage: false });
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });

      await logout(page);
      assert.match(page.url(), /#\/login$/);
      assert.ok(await page.locator('#login-form').isVisible());
      assert.equal(await page.locator('#shell').isVisible(), false);
      // The session really ended on the server.
      const status = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
      assert.equal(status, 401);
      assertNoProblems(page);
    } finally {
      await context.close();
    }
  });
}
