// Phone width (390×844): the navigation hides behind ☰ 菜单, tables turn into
// stacked cards, nothing scrolls sideways. Also the print stylesheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, login, logout, shot, text, assertNoProblems, PHONE } from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { if (env) await env.teardown(); });

const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('menu button toggles the navigation and tables stack as cards', async () => {
  const { context, page } = await newPage(env.browser, PHONE);
  try {
    await login(page, env.base, 'pudong');
    await page.waitForURL(/#\/home$/);
    await page.locator('#home-deadlines .dl-home-list').waitFor();
    const menu = page.getByRole('button', { name: '☰ 菜单' });
    const nav = page.locator('#sidenav');
    assert.ok(await menu.isVisible());
    assert.equal(await nav.isVisible(), false, 'navigation collapsed');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.ok(await page.locator('#shell-demo-banner').isVisible());
    await shot(page, 'phone-home');
    assert.ok((await sideways(page)) <= 0, `home fits the phone width (${await sideways(page)}px too wide)`);

    await menu.click();
    assert.ok(await nav.isVisible(), 'navigation shown');
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await shot(page, 'phone-nav');
    await menu.click();
    assert.equal(await nav.isVisible(), false, 'second click hides it');

    await menu.click();
    await nav.getByRole('link', { name: '单位名录' }).click();
    await page.waitForURL(/#\/units$/);
    assert.equal(await nav.isVisible(), false, 'choosing a page closes the menu');
    await page.locator('tbody tr').first().waitFor();
    // Stacked cards: rows are blocks, the header row is visually hidden and
    // every cell shows its column label.
    const layout = await page.evaluate(() => {
      const tr = document.querySelector('tbody tr');
      const kind = tr.querySelector('td[data-label="类别"]');
      const title = tr.querySelector('td.td-primary');
      return {
        tr: getComputedStyle(tr).display,
        theadHeight: document.querySelector('thead').getBoundingClientRect().height,
        label: getComputedStyle(kind, '::before').content,
        titleFirst: title.getBoundingClientRect().top < kind.getBoundingClientRect().top,
        width: tr.getBoundingClientRect().width,
      };
    });
    assert.equal(layout.tr, 'flex');
    assert.ok(layout.theadHeight <= 1, `thead hidden (${layout.theadHeight})`);
    assert.equal(layout.label, '"类别"', 'each value shows its column label');
    assert.ok(layout.titleFirst, 'the unit name heads its card');
    assert.ok(layout.width <= 390, `card fits the screen (${layout.width})`);
    await shot(page, 'phone-units', { fullPage: false });
    assert.ok((await sideways(page)) <= 0, 'units fit the phone width');

    await page.evaluate(() => { location.hash = '#/calendar'; });
    await page.locator('.deadline-row').first().waitFor();
    await shot(page, 'phone-calendar');
    assert.ok((await sideways(page)) <= 0, 'calendar fits the phone width');
    assert.ok((await text(page.locator('.deadline-row', { hasText: '2021-05-18' }))).includes('还剩 8 天'));

    // User menu works at phone width too.
    await logout(page);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('print hides the navigation and the top bar', async () => {
  const { context, page } = await newPage(env.browser);
  try {
    await login(page, env.base, 'city');
    await page.evaluate(() => { location.hash = '#/calendar'; });
    await page.locator('.deadline-row').first().waitFor();
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.topbar').isVisible(), false);
    assert.equal(await page.locator('#sidenav').isVisible(), false);
    assert.ok(await page.locator('.deadline-row').first().isVisible());
    await page.emulateMedia({ media: 'screen' });
    assert.ok(await page.locator('.topbar').isVisible());
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});
