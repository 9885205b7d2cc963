// public-notices.js — the public notice page (/notices.html, no login; linked
// from the login page): the public notices already published, newest first,
// with a keyword search and paging (?q=&page=), and one notice (?id=) with
// its body as paragraphs, web addresses as links and the attachments as
// downloads. Standalone like verify.js: it does not load the application
// shell. Uses GET /api/v1/public/notices[/{id}[/attachments/{file_id}]].
import { get } from './api.js';
import { h, clear, fmtDate } from './util.js';
import { richText, attachmentList } from './pages/notice-common.js';

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
  return `/notices.html${s ? `?${s}` : ''}`;
}

// ---- List ------------------------------------------------------------------

async function showList(q, page) {
  const box = $('pn-list');
  $('pn-q').value = q;
  clear(box).append(h('p.loading', '正在加载…'));
  let data;
  try {
    data = await get('/public/notices', { q, page, per_page: PER_PAGE });
  } catch (err) {
    if (err.status === 429) message(box, 'warning', '访问过于频繁', '请稍后再试。');
    else message(box, 'error', '通知加载失败', err.message);
    return;
  }
  const items = (data && data.items) || [];
  clear(box);
  if (!items.length) {
    message(box, 'info', q ? '没有找到相关通知' : '暂无公开通知', q ? '请换一个关键字，或清空搜索框查看全部通知。' : '市场监管部门发布公开通知后会显示在这里。');
    return;
  }
  box.append(h('ul.pn-items', items.map((n) => h('li.pn-item',
    h('a.pn-item-title', { href: pageHref({ id: n.id }), text: n.title }),
    h('span.pn-item-meta',
      h('span', { text: n.publisher ? n.publisher.name : '' }),
      h('span.pn-item-date', fmtDate(n.publish_date)),
      (n.attachments || []).length ? h('span.notice-clip', `附件 ${n.attachments.length}`) : null)))));
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

// ---- One notice ------------------------------------------------------------

async function showNotice(id) {
  $('pn-list-view').hidden = true;
  $('pn-crumb').hidden = false;
  const box = $('pn-detail');
  box.hidden = false;
  clear(box).append(h('p.loading', '正在加载…'));
  let n;
  try {
    n = await get(`/public/notices/${encodeURIComponent(id)}`);
  } catch (err) {
    clear(box).append(h('h1.login-title', '通知公告'));
    const m = h('div');
    box.append(m);
    if (err.status === 404 || err.status === 422) message(m, 'error', '通知不存在或已撤回', '请返回通知公告列表查看其他通知。');
    else if (err.status === 429) message(m, 'warning', '访问过于频繁', '请稍后再试。');
    else message(m, 'error', '通知加载失败', err.message);
    return;
  }
  document.title = `${n.title} - ${PLATFORM}`;
  const files = attachmentList(n.attachments, (f) => `/api/v1/public/notices/${n.id}/attachments/${f.id}`);
  clear(box).append(h('article.pn-article', { 'aria-labelledby': 'pn-notice-title' },
    h('h1.pn-notice-title', { id: 'pn-notice-title', text: n.title }),
    h('p.notice-meta.pn-meta',
      h('span.notice-meta-item', h('span.notice-meta-label', '发布单位'), h('span.notice-publisher', { text: n.publisher ? n.publisher.name : '—' })),
      h('span.notice-meta-item', h('span.notice-meta-label', '发布日期'), h('span.notice-date', fmtDate(n.publish_date)))),
    richText(n.body),
    files ? h('section.notice-attachments', { 'aria-label': '附件' }, h('h2.notice-files-title', `附件（${n.attachments.length}）`), files) : null));
}

// ---- Boot ------------------------------------------------------------------

async function loadSite() {
  try {
    const site = await get('/public/site');
    if (site && site.simulated) {
      $('pn-demo-banner').textContent = `演示模式 · 模拟日期 ${site.today}`;
      $('pn-demo-banner').hidden = false;
      $('pn-demo-note').textContent = '本平台当前运行演示数据，通知内容仅供演示。';
      $('pn-demo-note').hidden = false;
    }
  } catch { /* the page works without the site line */ }
}

function boot() {
  const params = new URLSearchParams(location.search);
  $('pn-search').addEventListener('submit', (e) => {
    e.preventDefault();
    location.href = pageHref({ q: $('pn-q').value.trim() });
  });
  loadSite();
  const id = params.get('id');
  if (id) showNotice(id);
  else showList((params.get('q') || '').trim(), Math.max(1, parseInt(params.get('page') || '1', 10) || 1));
}

boot();
