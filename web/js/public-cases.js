// public-cases.js — the public page of typical cases and benchmark enterprises
// (/cases.html, no login; linked from the login page): the published cases,
// newest first, with a keyword search and paging (?q=&page=); one case (?id=)
// with its facts and texts; and the published benchmark enterprises
// (?tab=benchmarks) grouped by district and industry, each linked to its
// case when there is one. Standalone like public-notices.js: it does not load
// the application shell. Uses GET /api/v1/public/cases[/{id}] and
// GET /api/v1/public/benchmarks. The server never sends contacts, phones or
// the USCC here.
import { get } from './api.js';
import { h, clear, fmtDate, fmtDateTime } from './util.js';
import { caseBody } from './pages/case-common.js';

const $ = (id) => document.getElementById(id);
const PER_PAGE = 20;
const PLATFORM = '小微企业质量管理体系认证提升行动服务平台';

function message(box, kind, title, detail) {
  clear(box).append(h(`div.alert.alert-${kind}.pn-message`, { role: kind === 'error' ? 'alert' : 'status' },
    h('strong', { text: title }), detail ? h('p', { text: detail }) : null));
}

function pageHref(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) u.set(k, String(v));
  const s = u.toString();
  return `/cases.html${s ? `?${s}` : ''}`;
}

function selectTab(which) {
  for (const t of ['cases', 'benchmarks']) {
    const on = t === which;
    $(`pc-tab-${t}`).setAttribute('aria-selected', String(on));
    $(`pc-tab-${t}`).classList.toggle('pc-tab-on', on);
    $(`pc-${t}-panel`).hidden = !on;
  }
}

// ---- Cases -----------------------------------------------------------------

async function showList(q, page) {
  selectTab('cases');
  const box = $('pc-list');
  $('pc-q').value = q;
  clear(box).append(h('p.loading', '正在加载…'));
  let data;
  try {
    data = await get('/public/cases', { q, page, per_page: PER_PAGE });
  } catch (err) {
    message(box, 'error', '典型案例加载失败', err.message);
    return;
  }
  const items = (data && data.items) || [];
  clear(box);
  if (!items.length) {
    message(box, 'info', q ? '没有找到相关案例' : '暂无发布的典型案例',
      q ? '请换一个关键字，或清空搜索框查看全部案例。' : '市场监管部门审核发布典型案例后会显示在这里。');
    return;
  }
  box.append(h('ul.pc-items', items.map((c) => h('li.pc-item',
    h('a.pc-item-title', { href: pageHref({ id: c.id }), text: c.title }),
    h('span.pc-item-meta',
      h('span', { text: c.enterprise ? c.enterprise.name : '' }),
      h('span', { text: `${c.district} · ${c.industry}` }),
      h('span.pc-item-date', `发布于 ${fmtDate(fmtDateTime(c.published_at))}`)),
    c.summary ? h('p.pc-item-summary', { text: c.summary }) : null))));
  const total = Number(data.total) || 0;
  const pages = Math.max(1, Math.ceil(total / (data.per_page || PER_PAGE)));
  const cur = data.page || page;
  box.append(h('nav.pager.pn-pager', { 'aria-label': '分页' },
    h('span.pager-total', `共 ${total} 条`),
    pages > 1 ? [
      cur > 1 ? h('a.btn.btn-small', { href: pageHref({ q, page: cur - 1 }) }, '上一页') : null,
      h('span.pager-page', `第 ${cur} / ${pages} 页`),
      cur < pages ? h('a.btn.btn-small', { href: pageHref({ q, page: cur + 1 }) }, '下一页') : null,
    ] : null));
}

async function showCase(id) {
  $('pc-list-view').hidden = true;
  $('pc-crumb').hidden = false;
  const box = $('pc-detail');
  box.hidden = false;
  clear(box).append(h('p.loading', '正在加载…'));
  let c;
  try {
    c = await get(`/public/cases/${encodeURIComponent(id)}`);
  } catch (err) {
    clear(box).append(h('h1.login-title', '典型案例'));
    const m = h('div');
    box.append(m);
    if (err.status === 404) message(m, 'error', '案例不存在或尚未发布', '请返回典型案例列表查看其他案例。');
    else message(m, 'error', '案例加载失败', err.message);
    return;
  }
  document.title = `${c.title} - ${PLATFORM}`;
  clear(box).append(h('article.pc-article.case-article', { 'aria-labelledby': 'pc-case-title' },
    h('h1.pc-case-title', { id: 'pc-case-title', text: c.title }),
    h('p.pc-case-meta',
      h('span', { text: c.enterprise ? c.enterprise.name : '' }),
      h('span', { text: `${c.district} · ${c.industry}` }),
      h('span', `发布于 ${fmtDate(fmtDateTime(c.published_at))}`)),
    caseBody(c)));
}

// ---- Benchmarks --------------------------------------------------------------

async function showBenchmarks() {
  selectTab('benchmarks');
  const box = $('pc-benchmarks');
  clear(box).append(h('p.loading', '正在加载…'));
  let data;
  try {
    data = await get('/public/benchmarks', { per_page: 200 });
  } catch (err) {
    message(box, 'error', '标杆企业加载失败', err.message);
    return;
  }
  const items = (data && data.items) || [];
  clear(box);
  if (!items.length) {
    message(box, 'info', '标杆企业名单尚未公布', '各试点地区推荐、市局评审后统一公布入选的标杆企业。');
    return;
  }
  const groups = new Map();
  for (const b of items) {
    const k = `${b.district} · ${b.industry}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(b);
  }
  box.append(h('p.pc-bench-intro', `共 ${items.length} 家企业入选标杆企业（每个试点地区每个试点行业 1–2 家）。`));
  for (const [k, list] of groups) {
    box.append(h('section.pc-bench-group', { 'aria-label': k },
      h('h2.pc-bench-head', { text: k }),
      h('ul.pc-bench-list', list.map((b) => h('li.pc-bench',
        h('div.pc-bench-name', h('span.pc-bench-mark', { 'aria-hidden': 'true' }, '标杆'), h('strong', { text: b.enterprise.name })),
        h('p.pc-bench-reason', { text: b.reason }),
        h('p.pc-bench-meta', `公布于 ${fmtDate(fmtDateTime(b.published_at))}`,
          b.case_id ? h('a.pc-bench-case', { href: pageHref({ id: b.case_id }) }, '查看典型案例') : null))))));
  }
}

// ---- Boot ------------------------------------------------------------------

async function loadSite() {
  try {
    const site = await get('/public/site');
    if (site && site.simulated) {
      $('pc-demo-banner').textContent = `演示模式 · 模拟日期 ${site.today}`;
      $('pc-demo-banner').hidden = false;
      $('pc-demo-note').textContent = '本平台当前运行演示数据，案例和名单仅供演示。';
      $('pc-demo-note').hidden = false;
    }
  } catch { /* the page works without the site line */ }
}

function boot() {
  const params = new URLSearchParams(location.search);
  $('pc-search').addEventListener('submit', (e) => {
    e.preventDefault();
    location.href = pageHref({ q: $('pc-q').value.trim() });
  });
  loadSite();
  const id = params.get('id');
  if (id) showCase(id);
  else if (params.get('tab') === 'benchmarks') showBenchmarks();
  else showList((params.get('q') || '').trim(), Math.max(1, parseInt(params.get('page') || '1', 10) || 1));
}

boot();
