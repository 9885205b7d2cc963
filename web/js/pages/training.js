// pages/training.js — 培训详情 (#/trainings/{id}): the session (type,
// industry, organiser, time, place or link, seats), its materials, the
// registration form (an enterprise registers its staff; a district officer or
// the city may register for an enterprise in its scope), the registrations
// (phones masked) with attendance toggles for the organiser, and for the
// organiser and the city the venue's check-in QR code with its link and the
// attendance sheet (导出签到表).
import { get, post, del } from '../api.js';
import { h, tag, fmtDateTime } from '../util.js';
import {
  card, button, dataTable, field, confirmDialog, openDialog, setFieldError, clearFormErrors, showFormError, toast, emptyState,
} from '../ui.js';
import { info } from './certificate-common.js';
import { richText, clearErrorsOnInput } from './notice-common.js';
import {
  kindTag, timeRange, stateTag, sessionState, placeCell, seats, isFull, isOrganiser, checkinToken, PHONE_RE,
} from './training-common.js';

export async function render(ctx) {
  const { el, params, user, site } = ctx;
  const t = await get(`/trainings/${encodeURIComponent(params.id)}`);
  if (!ctx.isCurrent()) return;
  const today = site && site.today;
  const reload = () => ctx.navigate(location.hash);
  const organiser = isOrganiser(t, user);
  const isCity = user.role === 'city_admin';
  const manager = organiser || isCity;
  document.title = `${t.title} - ${document.title.split(' - ').pop()}`;

  const actions = [h('a.btn', { href: '#/trainings' }, '返回列表')];
  if (manager) actions.push(h('a.btn', { href: `/api/v1/trainings/${t.id}/attendance.xlsx`, download: true, id: 'training-attendance-xlsx' }, '导出签到表'));
  if (organiser) actions.push(h('a.btn.btn-primary', { href: `#/trainings/${t.id}/edit`, id: 'training-edit' }, '编辑'));
  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.training-title', h('span', { text: t.title }), kindTag(t), stateTag(t, today)),
      h('p.page-sub', { text: `主办单位：${t.organiser ? t.organiser.name : '—'}` })),
    h('div.page-actions.training-actions', actions)));

  const infoCard = card('培训信息', h('dl.cert-info.training-info',
    info('培训类型', kindTag(t)),
    info('面向行业', t.industry || '不限行业'),
    info('主办单位', t.organiser ? t.organiser.name : null),
    info('时间', timeRange(t), { wide: true }),
    info('名额（已报名 / 容量）', seats(t)),
    info(t.kind === 'online' ? '地点/线上链接' : '地点', placeCell(t), { wide: true }),
    info('已签到', `${Number(t.attended) || 0} 人`)));
  const qr = manager && t.checkin_url ? qrCard(t) : null;
  el.append(qr ? h('div.training-detail-grid', infoCard, qr) : infoCard);

  if (t.materials) el.append(card('培训资料', richText(t.materials, 'training-materials')));

  const state = sessionState(t, today);
  const canRegister = ['enterprise', 'district_officer', 'city_admin'].includes(user.role);
  if (canRegister) el.append(await registerCard(t, user, state, reload));
  if (!ctx.isCurrent()) return;
  el.append(registrationsCard(t, user, organiser, reload));
}

// ---- 签到二维码 ------------------------------------------------------------

function qrCard(t) {
  const token = checkinToken(t.checkin_url);
  const hash = token ? `#/checkin/${token}` : null;
  const url = hash ? `${location.origin}/${hash}` : t.checkin_url;
  return card('现场签到', h('div.training-qr',
    h('img.training-qr-img', {
      src: `/api/v1/trainings/${t.id}/checkin-qr.svg`,
      alt: `“${t.title}”的签到二维码`,
      width: '168', height: '168',
    }),
    h('div.training-qr-text',
      h('p', '培训当天在会场展示此二维码。企业人员用手机扫码、登录后即可为本企业报名的人员签到；只能在培训当天签到。'),
      hash ? h('p', h('a.training-checkin-link', { href: hash, id: 'training-checkin-link' }, '打开签到页面 →')) : null,
      h('p.cell-muted.training-checkin-url', { text: `签到地址：${url}` }))));
}

// ---- 报名 ------------------------------------------------------------------

async function registerCard(t, user, state, reload) {
  const title = '报名参加';
  if (state === 'past') return card(title, h('p.training-note', '本期培训已结束，不能再报名。'));
  const self = user.role === 'enterprise';
  let enterprise = null;
  if (!self) {
    // A district officer or the city registers for an enterprise in its scope.
    let ents = [];
    try {
      const r = await get('/enterprises', { per_page: 200 });
      ents = (r && r.items) || [];
    } catch { ents = []; }
    if (!ents.length) return card(title, h('p.training-note', '暂无可代为报名的企业。'));
    enterprise = h('select', { name: 'enterprise_id' }, h('option', { value: '' }, '请选择企业'),
      ents.map((e) => h('option', { value: String(e.id) }, `${e.name}${e.district ? `（${e.district}）` : ''}`)));
  }
  const name = h('input', { type: 'text', name: 'name', maxlength: '30', autocomplete: 'off' });
  const post_ = h('input', { type: 'text', name: 'post', maxlength: '30', placeholder: '如：质量主管', autocomplete: 'off' });
  const phone = h('input', { type: 'tel', name: 'phone', maxlength: '20', inputmode: 'tel', placeholder: '手机号或 021-12345678', autocomplete: 'off' });
  const go = button('提交报名', { kind: 'primary', type: 'submit', id: 'training-register' });
  const full = isFull(t);
  const form = h('form.training-register-form', { novalidate: true },
    full ? h('div.alert.alert-warning.training-full-note', { role: 'status' },
      `本期培训名额已满（${t.registered} / ${t.capacity}），如有人员取消报名可继续报名。`) : null,
    h('p.training-note', self
      ? `为${user.enterprise ? user.enterprise.name : '本企业'}的人员报名，每人填写一次。同一人（姓名和电话相同）不能重复报名。`
      : user.role === 'city_admin' ? '为试点企业的人员代为报名。' : `为${(user.unit && user.unit.district) || '本区'}试点企业的人员代为报名。`),
    h('div.training-grid.training-grid-3',
      enterprise ? h('div.training-span-all', field('企业', enterprise, { required: true })) : null,
      field('姓名', name, { required: true }),
      field('岗位', post_),
      field('联系电话', phone, { required: true, hint: '手机号或带区号的固定电话' })),
    h('div.form-actions', go));
  clearErrorsOnInput(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    for (const x of form.querySelectorAll('.training-register-error')) x.remove();
    const body = { name: name.value.trim(), post: post_.value.trim(), phone: phone.value.trim().replace(/\s+/g, '') };
    let bad = false;
    if (enterprise) {
      if (!enterprise.value) { setFieldError(form, 'enterprise_id', '请选择企业'); bad = true; } else body.enterprise_id = Number(enterprise.value);
    }
    if (!body.name) { setFieldError(form, 'name', '请填写姓名'); bad = true; }
    if (!body.phone) { setFieldError(form, 'phone', '请填写联系电话'); bad = true; } else if (!PHONE_RE.test(body.phone)) {
      setFieldError(form, 'phone', '请填写正确的手机号（11 位）或带区号的固定电话（如 021-58880001）'); bad = true;
    }
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    go.disabled = true;
    try {
      await post(`/trainings/${t.id}/registrations`, body);
      toast(`已报名：${body.name}`);
      reload();
    } catch (err) {
      if (err.code === 'capacity_full' || err.code === 'conflict') {
        const msg = err.code === 'capacity_full'
          ? ['容量已满，报名未成功。', err.message || `本期培训名额已报满（容量 ${t.capacity} 人）。`]
          : ['该人员已报名，请勿重复报名。', err.message || '同一企业的同一人（姓名和联系电话相同）只能报名一次。'];
        form.prepend(h('div.alert.alert-error.form-error.training-register-error', { role: 'alert' },
          h('strong', msg[0]), ' ', h('span', { text: msg[1] })));
      } else {
        showFormError(form, err);
      }
    } finally {
      go.disabled = false;
    }
  });
  return card(title, form);
}

// ---- 报名人员 ----------------------------------------------------------------

function registrationsCard(t, user, organiser, reload) {
  const regs = t.registrations || [];
  const self = user.role === 'enterprise';
  const canCancel = (r) => !r.attended && (organiser || self || user.role === 'district_officer');
  const columns = [
    self ? null : { label: '企业', render: (r) => (r.enterprise ? h('span', { text: r.enterprise.name }) : '—') },
    { primary: true, label: '姓名', render: (r) => h('span.cell-strong', { text: r.name }) },
    { label: '岗位', render: (r) => r.post || '—' },
    { label: '联系电话', render: (r) => r.phone || '—', cls: 'nowrap' },
    {
      label: '签到',
      cls: 'nowrap',
      render: (r) => (r.attended
        ? h('span.training-attended', tag('已签到', 'green'), r.checked_in_at ? h('span.cell-muted', ` ${fmtDateTime(r.checked_in_at)}`) : null)
        : tag('未签到', 'grey')),
    },
    organiser || regs.some(canCancel) ? {
      label: '操作',
      cls: 'col-actions',
      render: (r) => h('span.row-actions',
        organiser ? h('button.btn.btn-link', {
          type: 'button',
          dataset: { reg: String(r.id) },
          on: { click: () => setAttendance(t, r, !r.attended, reload) },
        }, r.attended ? '取消签到' : '标记签到') : null,
        canCancel(r) ? h('button.btn.btn-link.btn-link-danger', {
          type: 'button',
          on: { click: () => cancelRegistration(t, r, reload) },
        }, '取消报名') : null),
    } : null,
  ].filter(Boolean);
  const heading = self ? '本企业报名人员' : user.role === 'district_officer' && !organiser ? '本区企业报名人员' : '报名人员';
  const table = dataTable(columns, regs, {
    caption: heading,
    rowClass: (r) => `training-reg-row${r.attended ? ' training-reg-attended' : ''}`,
    empty: emptyState(self ? '本企业还没有人报名' : '还没有人报名', self ? '在上方填写姓名和联系电话即可报名。' : null),
  });
  const attended = regs.filter((r) => r.attended).length;
  return card(h('div.card-head-row.training-head-row', h('h2.card-title', heading),
    h('span.card-note', `共 ${regs.length} 人，已签到 ${attended} 人；联系电话已隐去中间四位`)), table);
}

async function setAttendance(t, r, attended, reload) {
  try {
    await post(`/trainings/${t.id}/attendance`, { registration_id: r.id, attended });
    toast(attended ? `已标记签到：${r.name}` : `已取消签到：${r.name}`);
    reload();
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
}

async function cancelRegistration(t, r, reload) {
  const ok = await confirmDialog({
    title: '取消报名',
    message: `确定取消“${r.name}”参加“${t.title}”的报名吗？`,
    confirmLabel: '确认取消报名',
    danger: true,
  });
  if (!ok) return;
  try {
    await del(`/trainings/${t.id}/registrations/${r.id}`);
    toast(`已取消报名：${r.name}`);
    reload();
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
}
