// app.js — the shell: login view, top bar, navigation, breadcrumb and the
// hash router (#/home, #/calendar, ...). Pages live in pages/*.js and are
// loaded on first use; see routes.js.
import { get, post, setCsrf, onUnauthorized } from './api.js';
import { h, clear, ROLES } from './util.js';
import { emptyState } from './ui.js';
import { NAV_GROUPS, ROUTES, matchRoute, routeByPath, routeAllowed } from './routes.js';

const PLATFORM = '小微企业质量管理体系认证提升行动服务平台';

const state = {
  site: null,     // GET /public/site
  user: null,     // the logged-in user, null on the login view
  nextHash: null, // where to go after login (a deep link or an expired session)
};

const $ = (id) => document.getElementById(id);

// ---- Hash parsing --------------------------------------------------------

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/home';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

function hashFor(path, params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

// ---- Site banner and programme line -------------------------------------

function applySite() {
  const site = state.site;
  const demo = site && site.simulated ? `演示模式 · 模拟日期 ${site.today}` : '';
  for (const id of ['login-demo-banner', 'shell-demo-banner']) {
    $(id).textContent = demo;
    $(id).hidden = !demo;
  }
  const prog = site && site.programme;
  const phase = prog && (prog.current_phase ? `当前阶段：${prog.current_phase.name}` : '当前不在行动阶段内');
  const pl = clear($('programme-line'));
  const lp = clear($('login-programme'));
  if (prog) {
    pl.append(h('span.prog-name', prog.name), h('span.prog-phase', phase));
    lp.append(h('span', prog.name), h('span', phase));
  }
}

// ---- Login view ----------------------------------------------------------

function showLogin({ notice = '', keepNext = false } = {}) {
  const { path } = parseHash();
  if (keepNext && path !== '/login') state.nextHash = location.hash || null;
  if (!keepNext) state.nextHash = null;
  state.user = null;
  setCsrf(null);
  closeMenus();
  $('toast').hidden = true;
  $('shell').hidden = true;
  $('login-view').hidden = false;
  clear($('content'));
  $('login-notice').textContent = notice;
  $('login-notice').hidden = !notice;
  $('login-error').hidden = true;
  $('login-password').value = '';
  document.title = `登录 - ${PLATFORM}`;
  if (location.hash !== '#/login') history.replaceState(null, '', '#/login');
  $('login-username').focus();
}

async function onLoginSubmit(e) {
  e.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  const errBox = $('login-error');
  errBox.hidden = true;
  if (!username || !password) {
    errBox.textContent = !username ? '请输入用户名' : '请输入密码';
    errBox.hidden = false;
    (!username ? $('login-username') : $('login-password')).focus();
    return;
  }
  const btn = $('login-submit');
  btn.disabled = true;
  btn.textContent = '正在登录…';
  try {
    const r = await post('/login', { username, password }, { silent401: true });
    $('login-notice').hidden = true;
    startSession(r);
  } catch (err) {
    errBox.textContent = err.message;
    errBox.hidden = false;
    $('login-password').value = '';
    $('login-password').focus();
  } finally {
    btn.disabled = false;
    btn.textContent = '登录';
  }
}

// ---- Shell ---------------------------------------------------------------

function startSession({ user, csrf_token: csrf }) {
  state.user = user;
  setCsrf(csrf);
  renderUserChrome();
  renderNav();
  $('login-view').hidden = true;
  $('shell').hidden = false;
  let target = state.nextHash && state.nextHash !== '#/login' ? state.nextHash : '#/home';
  state.nextHash = null;
  if (user.must_change_password) target = '#/password';
  navigate(target);
}

function unitLabel(user) {
  if (user.unit) return user.unit.name;
  if (user.enterprise) return user.enterprise.name;
  return '';
}

function renderUserChrome() {
  const u = state.user;
  $('user-name').textContent = u.display_name || u.username;
  $('user-role').textContent = u.role_name || '';
  $('user-dropdown-name').textContent = `${u.display_name || u.username}（${u.username}）`;
  $('user-dropdown-unit').textContent = [u.role_name, unitLabel(u)].filter(Boolean).join(' · ');
}

function renderNav() {
  const nav = clear($('sidenav'));
  for (const g of NAV_GROUPS) {
    const items = ROUTES.filter((r) => r.group === g.key && r.nav !== false && routeAllowed(r, state.user));
    if (!items.length) continue;
    const headId = `nav-${g.key}`;
    nav.append(h('div.nav-group',
      h('div.nav-group-title', { id: headId, text: g.label }),
      h('ul.nav-list', { 'aria-labelledby': headId },
        items.map((r) => h('li', h('a.nav-link', { href: `#${r.path}`, dataset: { path: r.path } }, r.title))))));
  }
}

function markNav(path) {
  for (const a of document.querySelectorAll('#sidenav .nav-link')) {
    if (a.dataset.path === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function renderBreadcrumb(route) {
  const bc = clear($('breadcrumb'));
  const parts = [];
  if (!route || route.path === '/home') {
    parts.push(['首页', null]);
  } else if (!routeAllowed(route, state.user)) {
    parts.push(['首页', '#/home'], [route.title, null]);
  } else {
    parts.push(['首页', '#/home']);
    const group = NAV_GROUPS.find((g) => g.key === route.group);
    if (group) parts.push([group.label, null]);
    const parent = route.parent && routeByPath(route.parent);
    if (parent) parts.push([parent.title, `#${parent.path}`]);
    parts.push([route.title, null]);
  }
  const ol = h('ol');
  parts.forEach(([label, href], i) => {
    const last = i === parts.length - 1;
    ol.append(h('li', href && !last ? h('a', { href }, label)
      : h('span', { 'aria-current': last ? 'page' : undefined }, label)));
  });
  bc.append(ol);
}

function closeMenus() {
  $('shell').classList.remove('nav-open');
  $('menu-btn').setAttribute('aria-expanded', 'false');
  $('user-dropdown').hidden = true;
  $('user-btn').setAttribute('aria-expanded', 'false');
}

function wireShell() {
  $('login-form').addEventListener('submit', onLoginSubmit);
  $('menu-btn').addEventListener('click', () => {
    const open = !$('shell').classList.contains('nav-open');
    $('shell').classList.toggle('nav-open', open);
    $('menu-btn').setAttribute('aria-expanded', String(open));
  });
  $('sidenav').addEventListener('click', (e) => { if (e.target.closest('a')) closeMenus(); });
  $('user-btn').addEventListener('click', (e) => {
    e.stopPropagation();
    const open = $('user-dropdown').hidden;
    $('user-dropdown').hidden = !open;
    $('user-btn').setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('click', (e) => {
    if (!$('user-dropdown').hidden && !e.target.closest('#usermenu')) {
      $('user-dropdown').hidden = true;
      $('user-btn').setAttribute('aria-expanded', 'false');
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('user-dropdown').hidden) {
      $('user-dropdown').hidden = true;
      $('user-btn').setAttribute('aria-expanded', 'false');
      $('user-btn').focus();
    }
  });
  $('menu-password').addEventListener('click', () => closeMenus());
  $('logout-btn').addEventListener('click', logout);
  $('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    const target = $('shell').hidden ? $('login-username') : $('main');
    target.focus();
  });
  window.addEventListener('hashchange', () => {
    if (state.user) route({ focus: true });
    else if (location.hash !== '#/login') showLogin({ keepNext: true });
  });
  onUnauthorized(() => {
    if (state.user) showLogin({ notice: '登录已失效，请重新登录。', keepNext: true });
  });
}

async function logout() {
  closeMenus();
  try { await post('/logout'); } catch { /* the session is gone either way */ }
  showLogin({ notice: '您已安全退出登录。' });
}

async function refreshUser() {
  const r = await get('/me');
  state.user = r.user;
  setCsrf(r.csrf_token);
  renderUserChrome();
  return r.user;
}

// ---- Router --------------------------------------------------------------

let renderSeq = 0;

async function route({ focus = false } = {}) {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  if (path === '/login' || path === '/') { history.replaceState(null, '', '#/home'); return route(); }
  if (state.user.must_change_password && path !== '/password') {
    history.replaceState(null, '', '#/password');
    return route();
  }
  closeMenus();
  const content = clear($('content'));
  const page = h('div.page');
  content.append(page);
  const m = matchRoute(path);
  const r = m && m.route;
  renderBreadcrumb(r);
  markNav(r ? (r.parent || r.path) : null);
  document.title = `${r ? r.title : '页面不存在'} - ${PLATFORM}`;
  if (!r) {
    page.append(h('h1.page-title', '页面不存在'),
      emptyState('您访问的页面不存在或尚未开放。', '请从左侧导航选择功能，或返回首页。', h('a.btn.btn-primary', { href: '#/home' }, '返回首页')));
    return;
  }
  if (!routeAllowed(r, state.user)) {
    page.append(h('h1.page-title', { text: r.title }),
      h('div.no-permission', { role: 'alert' },
        h('p.empty-title', '您没有访问此页面的权限'),
        h('p.empty-hint', `“${r.title}”仅向${r.roles.map((x) => ROLES[x] || x).join('、')}开放。如需办理相关事项，请联系上海市市场监督管理局。`),
        h('a.btn.btn-primary', { href: '#/home' }, '返回首页')));
    return;
  }
  page.append(h('p.loading', '正在加载…'));
  try {
    const mod = await r.load();
    if (seq !== renderSeq) return;
    clear(page);
    await mod.render({
      el: page,
      user: state.user,
      site: state.site,
      params: m.params,
      query,
      path,
      setQuery: (params) => navigate(hashFor(path, params)),
      navigate,
      refreshUser,
      isCurrent: () => seq === renderSeq,
    });
  } catch (err) {
    if (seq !== renderSeq || !state.user) return;
    clear(page).append(h('h1.page-title', { text: r.title }),
      h('div.alert.alert-error', { role: 'alert' }, err && err.message ? err.message : '页面加载失败，请刷新重试'));
  }
  if (focus && seq === renderSeq) {
    const h1 = page.querySelector('h1');
    if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
  }
}

// ---- Boot ----------------------------------------------------------------

async function boot() {
  wireShell();
  const [site, me] = await Promise.allSettled([
    get('/public/site'),
    get('/me', undefined, { silent401: true }),
  ]);
  state.site = site.status === 'fulfilled' ? site.value : null;
  applySite();
  if (me.status === 'fulfilled' && me.value && me.value.user) {
    const { path } = parseHash();
    if (path !== '/login') state.nextHash = location.hash || null;
    startSession(me.value);
  } else {
    showLogin({ keepNext: true });
  }
}

boot();
