// routes.js — every page of the app, its place in the navigation and who may
// open it. To add a page: write pages/<name>.js exporting render(ctx), then
// add one line here. `roles` hides the nav entry from other roles and makes
// the router show a no-permission message (the server refuses them anyway).

export const NAV_GROUPS = [
  { key: 'work', label: '工作台' },
  { key: 'declare', label: '申报与遴选' },
  { key: 'registry', label: '企业与方案' },
  { key: 'assist', label: '帮扶提升' },
  { key: 'cert', label: '认证实施' },
  { key: 'summary', label: '总结验收' },
  { key: 'notice', label: '通知与培训' },
  { key: 'plan', label: '计划安排' },
  { key: 'base', label: '基础数据' },
  { key: 'admin', label: '系统管理' },
  { key: 'account', label: '个人设置' },
];

const CITY = ['city_admin'];
const DECLARERS = ['district_officer', 'cb_staff'];

// path may contain :params ("/users/:id"). nav: false keeps it out of the
// left navigation; parent names the list page for the breadcrumb.
export const ROUTES = [
  // 数据看板 (pages/dashboard.js): the statistics of the caller's scope, charts drawn with ECharts.
  { path: '/dashboard', title: '数据看板', group: 'work', roles: ['city_admin', 'district_officer', 'cb_staff'],
    load: () => import('./pages/dashboard.js') },
  { path: '/home', title: '首页', group: 'work', load: () => import('./pages/home.js') },
  { path: '/declaration', title: '我的申报表', group: 'declare', roles: DECLARERS,
    load: () => import('./pages/declaration.js') },
  { path: '/declarations', title: '申报表审核', group: 'declare', roles: CITY, load: () => import('./pages/declarations.js') },
  { path: '/declarations/:id', title: '申报表详情', group: 'declare', roles: CITY, nav: false, parent: '/declarations',
    load: () => import('./pages/declaration-review.js') },
  { path: '/selections', title: '认证机构遴选', group: 'declare', roles: ['city_admin', 'district_officer'],
    load: () => import('./pages/selections.js') },
  { path: '/selections/mine', title: '我服务的试点行业', group: 'declare', roles: ['cb_staff'],
    load: () => import('./pages/selections.js') },
  // 企业与方案 (pages/enterprise*.js, pages/workplan*.js). '/enterprises' is
  // listed twice: the first entry (out of the navigation) lets enterprise
  // users in so the page can send them to their own record (#/enterprise);
  // the second is the navigation entry for the roles that see the registry.
  // Fixed paths come before '/enterprises/:id'.
  { path: '/enterprises', title: '企业名录', group: 'registry', nav: false,
    roles: ['city_admin', 'district_officer', 'cb_staff', 'enterprise'], load: () => import('./pages/enterprises.js') },
  { path: '/enterprises', title: '企业名录', group: 'registry', roles: ['city_admin', 'district_officer', 'cb_staff'],
    load: () => import('./pages/enterprises.js') },
  { path: '/enterprises/import', title: '导入企业', group: 'registry', roles: ['city_admin', 'district_officer'],
    load: () => import('./pages/enterprise-import.js') },
  { path: '/enterprises/new', title: '新建企业', group: 'registry', roles: ['city_admin', 'district_officer'], nav: false,
    parent: '/enterprises', load: () => import('./pages/enterprise-form.js') },
  { path: '/enterprises/:id', title: '企业详情', group: 'registry', nav: false, parent: '/enterprises',
    roles: ['city_admin', 'district_officer', 'cb_staff', 'enterprise'], load: () => import('./pages/enterprise.js') },
  { path: '/enterprises/:id/edit', title: '编辑企业', group: 'registry', roles: ['city_admin', 'district_officer'], nav: false,
    parent: '/enterprises', load: () => import('./pages/enterprise-form.js') },
  { path: '/workplan', title: '工作方案', group: 'registry', roles: ['district_officer'], load: () => import('./pages/workplan.js') },
  { path: '/workplans', title: '工作方案审核', group: 'registry', roles: CITY, load: () => import('./pages/workplans.js') },
  { path: '/workplans/:id', title: '工作方案详情', group: 'registry', roles: CITY, nav: false, parent: '/workplans',
    load: () => import('./pages/workplan-review.js') },
  { path: '/enterprise', title: '企业信息', group: 'registry', roles: ['enterprise'], load: () => import('./pages/enterprise.js') },
  { path: '/enterprise/edit', title: '修改企业信息', group: 'registry', roles: ['enterprise'], nav: false, parent: '/enterprise',
    load: () => import('./pages/enterprise-form.js') },
  // 帮扶提升 · 问题诊断 / 自我评价 / 再评估 (pages/diagnoses.js, diagnosis.js).
  { path: '/diagnoses', title: '问题诊断', group: 'assist', load: () => import('./pages/diagnoses.js') },
  { path: '/diagnoses/:id', title: '诊断详情', group: 'assist', nav: false, parent: '/diagnoses',
    load: () => import('./pages/diagnosis.js') },
  // 帮扶提升 · 改进措施 (pages/actions.js, action.js, action-form.js); fixed
  // paths come before '/actions/:id'.
  { path: '/actions', title: '改进措施', group: 'assist', load: () => import('./pages/actions.js') },
  { path: '/actions/new', title: '新建措施', group: 'assist', nav: false, parent: '/actions', roles: ['cb_staff'],
    load: () => import('./pages/action-form.js') },
  { path: '/actions/:id', title: '措施详情', group: 'assist', nav: false, parent: '/actions',
    load: () => import('./pages/action.js') },
  { path: '/actions/:id/edit', title: '编辑措施', group: 'assist', nav: false, parent: '/actions', roles: ['cb_staff'],
    load: () => import('./pages/action-form.js') },
  // 认证实施 (pages/certificate*.js, pages/supervision.js). '/certificates/new'
  // is listed twice: the first entry (out of the navigation) lets districts
  // and the city in for 登记已有证书 (?prior=1); the second (after 认证监管)
  // is the body's navigation entry 颁发证书. Fixed paths come before
  // '/certificates/:id'.
  { path: '/certificates', title: '认证证书', group: 'cert', load: () => import('./pages/certificates.js') },
  { path: '/certificates/new', title: '颁发证书', group: 'cert', nav: false,
    roles: ['cb_staff', 'district_officer', 'city_admin'], load: () => import('./pages/certificate-new.js') },
  { path: '/certificates/:id', title: '证书详情', group: 'cert', nav: false, parent: '/certificates',
    load: () => import('./pages/certificate.js') },
  { path: '/certification/:id', title: '认证审核', group: 'cert', nav: false, parent: '/certificates',
    load: () => import('./pages/certificate-audit.js') },
  { path: '/supervision', title: '认证监管', group: 'cert', roles: ['city_admin', 'cb_staff'], load: () => import('./pages/supervision.js') },
  { path: '/certificates/new', title: '颁发证书', group: 'cert', roles: ['cb_staff'], load: () => import('./pages/certificate-new.js') },
  // 通知与培训 (pages/notice*.js, pages/training*.js, pages/checkin.js).
  // Fixed paths come before '/notices/:id' and '/trainings/:id'.
  { path: '/notices', title: '通知公告', group: 'notice', load: () => import('./pages/notices.js') },
  { path: '/notices/new', title: '发布通知', group: 'notice', nav: false, parent: '/notices',
    roles: ['city_admin', 'district_officer'], load: () => import('./pages/notice-form.js') },
  { path: '/notices/:id', title: '通知详情', group: 'notice', nav: false, parent: '/notices',
    load: () => import('./pages/notice.js') },
  { path: '/notices/:id/edit', title: '编辑通知', group: 'notice', nav: false, parent: '/notices',
    roles: ['city_admin', 'district_officer'], load: () => import('./pages/notice-form.js') },
  { path: '/trainings', title: '宣传培训', group: 'notice', load: () => import('./pages/trainings.js') },
  { path: '/trainings/new', title: '新建培训', group: 'notice', nav: false, parent: '/trainings',
    roles: ['city_admin', 'district_officer', 'cb_staff'], load: () => import('./pages/training-form.js') },
  { path: '/trainings/stats', title: '培训统计', group: 'notice',
    roles: ['city_admin', 'district_officer', 'cb_staff'], load: () => import('./pages/training-stats.js') },
  { path: '/trainings/:id', title: '培训详情', group: 'notice', nav: false, parent: '/trainings',
    load: () => import('./pages/training.js') },
  { path: '/trainings/:id/edit', title: '编辑培训', group: 'notice', nav: false, parent: '/trainings',
    roles: ['city_admin', 'district_officer', 'cb_staff'], load: () => import('./pages/training-form.js') },
  { path: '/checkin/:token', title: '培训签到', group: 'notice', nav: false, parent: '/trainings',
    load: () => import('./pages/checkin.js') },
  // 总结验收 · 中期推进情况 / 年度总结 (pages/reports.js, report.js).
  { path: '/reports', title: '中期推进与年度总结', group: 'summary', roles: ['city_admin', 'district_officer', 'cb_staff'], load: () => import('./pages/reports.js') },
  { path: '/reports/:id', title: '报告详情', group: 'summary', nav: false, parent: '/reports', roles: ['city_admin', 'district_officer', 'cb_staff'], load: () => import('./pages/report.js') },
  // 总结验收 · 典型案例 / 标杆企业 (pages/cases.js, case.js, benchmarks.js).
  { path: '/cases', title: '典型案例', group: 'summary', load: () => import('./pages/cases.js') },
  { path: '/cases/:id', title: '案例详情', group: 'summary', nav: false, parent: '/cases', load: () => import('./pages/case.js') },
  { path: '/benchmarks', title: '标杆企业', group: 'summary', roles: ['city_admin', 'district_officer'],
    load: () => import('./pages/benchmarks.js') },
  // 总结验收 · 评分 / 效果问卷 (pages/evaluations.js, evaluation.js, questionnaire.js).
  { path: '/evaluations', title: '总结验收评分', group: 'summary', roles: ['city_admin', 'district_officer'],
    load: () => import('./pages/evaluations.js') },
  { path: '/evaluations/:id', title: '评分表', group: 'summary', nav: false, parent: '/evaluations',
    roles: ['city_admin', 'district_officer'], load: () => import('./pages/evaluation.js') },
  { path: '/questionnaires', title: '效果问卷', group: 'summary', roles: ['city_admin', 'district_officer'],
    load: () => import('./pages/questionnaire.js') },
  { path: '/questionnaires/:id', title: '效果问卷', group: 'summary', nav: false, parent: '/questionnaires',
    roles: ['city_admin', 'district_officer'], load: () => import('./pages/questionnaire.js') },
  { path: '/questionnaire', title: '效果问卷', group: 'summary', roles: ['enterprise'],
    load: () => import('./pages/questionnaire.js') },
  { path: '/calendar', title: '工作日程', group: 'plan', load: () => import('./pages/calendar.js') },
  { path: '/industries', title: '试点行业', group: 'plan', load: () => import('./pages/industries.js') },
  { path: '/deadlines', title: '报送进度', group: 'plan', roles: ['city_admin', 'district_officer'], load: () => import('./pages/deadlines.js') },
  { path: '/reminders', title: '报送提醒', group: 'plan', roles: ['city_admin', 'district_officer', 'cb_staff'], load: () => import('./pages/reminders.js') },
  { path: '/units', title: '单位名录', group: 'base', load: () => import('./pages/units.js') },
  { path: '/users', title: '用户管理', group: 'admin', roles: CITY, load: () => import('./pages/users.js') },
  { path: '/users/new', title: '新建用户', group: 'admin', roles: CITY, nav: false, parent: '/users',
    load: () => import('./pages/user-new.js') },
  { path: '/audit', title: '操作日志', group: 'admin', roles: CITY, load: () => import('./pages/audit.js') },
  { path: '/password', title: '修改密码', group: 'account', load: () => import('./pages/password.js') },
];

export function routeAllowed(route, user) {
  return !route.roles || (user && route.roles.includes(user.role));
}

// Find the route for a path; returns { route, params } or null.
export function matchRoute(path) {
  for (const route of ROUTES) {
    const want = route.path.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length; i++) {
      if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
      else if (want[i] !== got[i]) { ok = false; break; }
    }
    if (ok) return { route, params };
  }
  return null;
}

export function routeByPath(path) {
  return ROUTES.find((r) => r.path === path) || null;
}
