// pages/home.js — 首页: greeting, the role's task list, the current phase and
// the statutory deadlines relative to today; the improvement actions overdue
// or due this week (and awaiting verification, for a body; counts for the
// district and the city); the latest notices with the unread count, and the
// next training sessions.
import { h, fmtDate, daysBetween, tag, PHASE_STATE } from '../util.js';
import { card } from '../ui.js';
import { get } from '../api.js';
import { loadProgramme, deadlineBadge, noProgramme } from '../programme.js';
import { kindTag, timeRange } from './training-common.js';
import { actionMiniList } from './actions.js';

// The tasks of each role. `href` only for pages that exist; the others are
// shown as plain text tagged 后续开放 until their issue lands. `deadline` names
// the unit's deadline the task files: its state (已完成, 即将到期, 已逾期…) is
// added to the task once the 报送事项 card has loaded.
const TASKS = {
  city_admin: [
    { title: '审核申报表', desc: '审核各区市场监管局和认证机构报送的试点工作申报表', href: '#/declarations' },
    { title: '遴选认证机构', desc: '为每个试点行业遴选认证机构（原则上不超过 2 家）', href: '#/selections' },
    { title: '审核工作方案', desc: '审核试点地区报送的试点工作方案', href: '#/workplans' },
    { title: '跟踪中期推进情况', desc: '查看各试点单位的工作进展、问题和下一步举措', href: '#/reports' },
    { title: '报送进度', desc: '各单位申报表、工作方案、中期和年度报告的报送情况', href: '#/deadlines' },
    { title: '认证监管', desc: '监督审核逾期应暂停、暂停超过 6 个月应撤销的证书', href: '#/supervision' },
    { title: '用户管理', desc: '开通、停用各单位账号，重置密码', href: '#/users' },
    { title: '操作日志', desc: '查看登录和账号管理记录', href: '#/audit' },
  ],
  district_officer: [
    { title: '填报申报表', desc: '明确是否参与试点，报送试点工作申报表', href: '#/declaration', deadline: 'declaration' },
    { title: '制定工作方案', desc: '确定试点行业、试点企业名单和实施步骤', href: '#/workplan', deadline: 'workplan' },
    { title: '登记试点企业', desc: '每个试点行业选取 5 家以上小微企业（企业自愿）', href: '#/enterprises' },
    { title: '认证证书', desc: '查看本区试点企业的获证情况，登记参加前已获得的证书', href: '#/certificates' },
    { title: '报送中期推进情况', desc: '报送工作进展、存在的问题和不足及下一步举措', href: '#/reports', deadline: 'midterm' },
    { title: '单位名录', desc: '查看各区市场监管局和认证机构', href: '#/units' },
  ],
  cb_staff: [
    { title: '填报申报表', desc: '报送参与意向、机构属性和认证资质', href: '#/declaration', deadline: 'declaration' },
    { title: '问题诊断', desc: '到试点企业现场调研，对照标准条款逐项诊断', href: '#/diagnoses' },
    { title: '提升方案', desc: '一企一策，制定改进措施并验证效果', href: '#/actions' },
    { title: '认证实施', desc: '依法依规开展认证，颁发证书并跟踪监督', href: '#/certificates' },
  ],
  enterprise: [
    { title: '企业信息', desc: '核对统一社会信用代码、企业规模等基本信息', href: '#/enterprise' },
    { title: '自我评价', desc: '对照质量管理体系要求开展自我评价', href: '#/diagnoses' },
    { title: '改进措施', desc: '落实提升方案中的改进措施，上传证明材料', href: '#/actions' },
    { title: '认证证书', desc: '查看本企业的认证证书和监督审核安排', href: '#/certificates' },
  ],
};

function unitName(user) {
  if (user.unit) return user.unit.name;
  if (user.enterprise) return user.enterprise.name;
  return '';
}

function taskList(user) {
  const tasks = TASKS[user.role] || [];
  return h('ul.task-list', tasks.map((t) => h('li.task',
    t.href
      ? h('a.task-link', { href: t.href, dataset: t.deadline ? { deadline: t.deadline } : undefined }, h('span.task-title', t.title), h('span.task-desc', t.desc), h('span.task-go', { 'aria-hidden': 'true' }, '进入 →'))
      : h('div.task-link.task-later', h('span.task-title', t.title, ' ', tag('后续开放', 'grey')), h('span.task-desc', t.desc)))));
}

function phaseCard(prog, today) {
  const cur = prog.current_phase;
  const body = cur
    ? [h('p.phase-now', { text: cur.name }),
      h('p.phase-dates', `${fmtDate(cur.start)} 至 ${fmtDate(cur.end)}`),
      h('p.phase-left', `距本阶段结束还有 ${Math.max(0, daysBetween(today, cur.end))} 天`)]
    : [h('p.phase-now', '当前不在行动阶段内'), h('p.phase-dates', '请查看工作日程了解各阶段安排')];
  const steps = h('ol.phase-steps', { 'aria-label': '行动阶段' }, (prog.phases || []).map((p) => {
    const [label] = PHASE_STATE[p.state] || [''];
    return h(`li.phase-step.phase-${p.state}`, h('span.phase-step-name', p.name), h('span.sr-only', `（${label}）`));
  }));
  return card(h('div.card-head-row', h('h2.card-title', '当前阶段'), h('a.card-link', { href: '#/calendar' }, '工作日程 →')),
    h('div.phase-card', body), steps);
}

function deadlineCard(prog) {
  const order = (d) => (d.days_left >= 0 ? d.days_left : 100000 - d.days_left);
  const list = [...(prog.deadlines || [])].sort((a, b) => order(a) - order(b));
  return card(h('div.card-head-row', h('h2.card-title', '报送截止日期'), h('a.card-link', { href: '#/calendar' }, '查看全部 →')),
    list.length
      ? h('ul.deadline-list', list.map((d) => h(`li.deadline-item.deadline-${d.state}`,
        h('div.deadline-main', h('span.deadline-name', d.name), h('span.deadline-meta', `截止 ${fmtDate(d.due)} · ${d.audience_name || ''}`)),
        deadlineBadge(d))))
      : h('p.empty-hint', '本行动没有设置报送截止日期。'));
}

// 通知公告: the unread count (GET /notices → unread) and the latest notices.
function noticesCard(res) {
  const head = (count) => h('div.card-head-row.home-notice-head',
    h('h2.card-title', '通知公告', count ? h('span.home-unread', { id: 'home-unread' }, `未读 ${count}`) : null),
    h('a.card-link', { href: '#/notices' }, '全部通知 →'));
  if (res.status !== 'fulfilled') return card(head(0), h('p.empty-hint', '通知暂时无法加载，请稍后刷新。'));
  const data = res.value || {};
  const items = (data.items || []).slice(0, 5);
  return card(head(Number(data.unread) || 0),
    items.length
      ? h('ul.home-notices', items.map((n) => h(`li.home-notice${n.read === false ? '.home-notice-unread' : ''}`,
        h('a.home-notice-title', { href: `#/notices/${n.id}`, text: n.title }),
        n.read === false ? tag('未读', 'red') : null,
        h('span.home-notice-date', fmtDate(n.publish_date)))))
      : h('p.empty-hint', '暂无通知公告。'));
}

// 宣传培训: the next sessions from today.
function trainingsCard(res, today) {
  const head = h('div.card-head-row', h('h2.card-title', '宣传培训'), h('a.card-link', { href: '#/trainings' }, '全部培训 →'));
  if (res.status !== 'fulfilled') return card(head, h('p.empty-hint', '培训安排暂时无法加载，请稍后刷新。'));
  const items = [...((res.value && res.value.items) || [])]
    .filter((t) => !today || String(t.ends_at || t.starts_at || '').slice(0, 10) >= today)
    .sort((a, b) => String(a.starts_at).localeCompare(String(b.starts_at))).slice(0, 3);
  return card(head,
    items.length
      ? h('ul.home-trainings', items.map((t) => h('li.home-training',
        h('a.home-training-title', { href: `#/trainings/${t.id}`, text: t.title }),
        h('span.home-training-meta', kindTag(t), h('span', timeRange(t)),
          h('span', `名额 ${Number(t.registered) || 0} / ${Number(t.capacity) || 0}`)))))
      : h('p.empty-hint', '近期没有培训安排。'));
}

// 本周到期与已逾期的改进措施: GET /actions?overdue=true, ?due=week and, for a
// body, ?ready=true (待验证). A body and an enterprise see the actions; a
// district and the city the counts.
const ACTION_LISTS = [
  ['overdue', '已逾期', { overdue: 'true' }, 'red'],
  ['week', '本周到期', { due: 'week' }, 'orange'],
  ['ready', '待验证', { ready: 'true' }, 'orange'],
];

function loadActions(user) {
  const lists = ACTION_LISTS.filter(([key]) => key !== 'ready' || user.role !== 'enterprise');
  const perPage = user.role === 'cb_staff' || user.role === 'enterprise' ? 5 : 1;
  return Promise.all(lists.map(([key, label, params, colour]) => get('/actions', { ...params, per_page: perPage })
    .then((r) => ({ key, label, params, colour, items: r.items || [], total: Number(r.total) || 0 }))));
}

function homeCard(c) {
  c.classList.add('act-home-card');
  c.id = 'home-actions';
  return c;
}

function actionsCard(res, user, today) {
  const head = h('div.card-head-row', h('h2.card-title', '本周到期与已逾期的改进措施'),
    h('a.card-link', { href: '#/actions' }, '全部措施 →'));
  const href = (params) => `#/actions?${new URLSearchParams(params).toString()}`;
  if (res.status !== 'fulfilled') return homeCard(card(head, h('p.empty-hint', '改进措施暂时无法加载，请稍后刷新。')));
  const groups = res.value;
  if (user.role !== 'cb_staff' && user.role !== 'enterprise') {
    return homeCard(card(head, h('div.act-home-counts', groups.map((g) => h(`a.act-home-count.act-home-count-${g.colour}`,
      { href: href(g.params), dataset: { key: g.key } },
      h('span.act-home-count-n', String(g.total)), h('span.act-home-count-label', `${g.label}的措施`))))));
  }
  const shown = groups.filter((g) => g.total);
  return homeCard(card(head, shown.length
    ? shown.map((g) => h(`div.act-home-group.act-home-${g.key}`,
      h('h3.act-home-group-title', tag(g.label, g.colour), h('span', `${g.total} 项`),
        g.total > g.items.length ? h('a.act-home-more', { href: href(g.params) }, '查看全部 →') : null),
      actionMiniList(g.items, today, { showEnterprise: user.role !== 'enterprise' })))
    : h('p.empty-hint', user.role === 'enterprise'
      ? '没有本周到期或已逾期的改进措施。请继续按期落实提升方案。'
      : '帮扶企业没有本周到期、已逾期或待验证的改进措施。')));
}

// 报送事项 (pages/deadlines.js): the unit's deadline items and extras, or the
// city's counts per deadline; added to the side column once the page is drawn.
// The tasks that file a deadline (a[data-deadline]) then get its state.
function addDeadlinesCard(el, user) {
  import('./deadlines.js').then(async (m) => {
    const data = await m.mountHomeCard(el, user);
    if (data && user.role !== 'city_admin') markTasks(el, data.items || [], m.dlTag);
  }).catch(() => {});
}

function markTasks(el, items, dlTag) {
  for (const a of el.querySelectorAll('.task-link[data-deadline]')) {
    const d = items.find((x) => x.key === a.dataset.deadline);
    const title = a.querySelector('.task-title');
    if (!d || !title || d.state === 'not_applicable') continue;
    const t = dlTag(d.state);
    t.classList.add('task-state');
    title.append(' ', t);
  }
}

export async function render(ctx) {
  const { el, user, site } = ctx;
  const siteToday = (site && site.today) || '';
  const extras = Promise.allSettled([
    get('/notices', { per_page: 5 }),
    get('/trainings', { from: siteToday, per_page: 50 }),
    loadActions(user),
  ]);
  const prog = await loadProgramme(site);
  const [noticesRes, trainingsRes, actionsRes] = await extras;
  if (!ctx.isCurrent()) return;
  const today = (prog && prog.today) || (site && site.today) || '';
  const unit = unitName(user);
  el.append(h('section.welcome',
    h('h1.page-title', `您好，${user.display_name || user.username}`),
    h('p.welcome-sub',
      unit ? h('span.welcome-unit', unit) : null,
      h('span.welcome-role', user.role_name || ''),
      today ? h('span.welcome-date', `今天是 ${today}${site && site.simulated ? '（模拟日期）' : ''}`) : null)));
  const notices = noticesCard(noticesRes);
  const trainings = trainingsCard(trainingsRes, today);
  const actions = actionsCard(actionsRes, user, today);
  if (!prog) { el.append(card('我的任务', taskList(user)), actions, noProgramme(), notices, trainings); return; }
  el.append(h('div.home-grid',
    h('div.home-main', card('我的任务', taskList(user)), actions, notices),
    // A district or body sees its own deadlines with their done state (报送事项, added
    // below); the calendar's dates alone would call a done deadline overdue.
    h('div.home-side', phaseCard(prog, today),
      user.role === 'district_officer' || user.role === 'cb_staff' ? null : deadlineCard(prog), trainings)));
  addDeadlinesCard(el, user);
}
