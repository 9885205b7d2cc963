// Shared set-up for the browser tests: one qmslift server (demo data,
// simulated date 2021-05-10) and one headless Chromium per test file, pages
// that record script errors and CSP violations, and small helpers to log in,
// log out and take screenshots.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startServer, ROOT, DEMO_PASSWORD } from '../lib/server.mjs';

export { DEMO_PASSWORD };
export const SHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--lang=zh-CN', '--headless=new', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

// Start the server and the browser. QMSLIFT_E2E_BASE points the tests at an
// already running server instead (debugging only: the tests change data).
export async function setup() {
  mkdirSync(SHOTS, { recursive: true });
  const external = process.env.QMSLIFT_E2E_BASE;
  const [server, browser] = await Promise.all([
    external ? Promise.resolve({ base: external, stop: async () => {}, log: () => '' }) : startServer(),
    chromium.launch(LAUNCH),
  ]);
  return {
    server,
    browser,
    base: server.base,
    async teardown() {
      await browser.close();
      await server.stop();
    },
  };
}

// A fresh context (own cookies) and page. page.problems collects uncaught
// script errors, console errors (CSP violations land there) and failed
// same-origin requests other than the expected API answers.
export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const t = m.text();
    // Expected API refusals show up as "Failed to load resource: 401/403/422/429".
    if (/Failed to load resource: the server responded with a status of (401|403|404|409|422|429)/.test(t)) return;
    page.problems.push(`console: ${t}`);
  });
  return { context, page };
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], `browser problems:\n${page.problems.join('\n')}`);
}

export async function shot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

export async function openLogin(page, base, hash = '') {
  await page.goto(`${base}/${hash}`);
  await page.locator('#login-view').waitFor({ state: 'visible' });
}

// Log in through the form; resolves when the shell is shown.
export async function login(page, base, username, password = DEMO_PASSWORD, { hash = '' } = {}) {
  if (!(await page.locator('#login-view').isVisible().catch(() => false))) await openLogin(page, base, hash);
  await byLabel(page, '用户名').fill(username);
  await byLabel(page, '密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#shell').waitFor({ state: 'visible' });
}

export async function logout(page) {
  await page.locator('#user-btn').click();
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.locator('#login-view').waitFor({ state: 'visible' });
}

// The input whose label reads `label` (a trailing required mark * allowed).
export function byLabel(scope, label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}\\*?$`));
}

// Text of an element with runs of whitespace collapsed.
export async function text(locator) {
  return ((await locator.innerText()) || '').replace(/\s+/g, ' ').trim();
}

// Days from 2021-05-10 to a date, computed independently of the server.
export function daysFromToday(due, today = '2021-05-10') {
  return Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86400000);
}

// The breadcrumb reads `want` (parts joined by " / "). A link click or a hash
// change updates the URL before the app's hashchange handler redraws the
// breadcrumb, so wait for the text first; the assertion then shows the
// difference if it never comes.
export async function assertBreadcrumb(page, want, timeout = 5000) {
  const read = () => [...document.querySelectorAll('#breadcrumb li')].map((li) => li.innerText.trim()).join(' / ');
  await page.waitForFunction(`(${read})() === ${JSON.stringify(want)}`, null, { timeout }).catch(() => {});
  assert.equal((await page.locator('#breadcrumb li').allInnerTexts()).join(' / '), want);
}
