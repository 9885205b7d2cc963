// pages/notice-form.js — 发布通知 (#/notices/new) and 编辑通知
// (#/notices/{id}/edit), city and district officers. Title, body (plain
// text: blank lines separate paragraphs, web addresses become links),
// audience with its dependent select (指定角色 → role, 指定区 → district; a
// district officer publishes 公开 or to 本区 only), publish date. The
// attachments (PDF, Word, Excel) are uploaded after the notice is saved: a new
// notice opens its edit page with the upload section.
import { get, post, put, upload } from '../api.js';
import { h, fmtSize } from '../util.js';
import {
  pageHeader, card, field, button, showFormError, clearFormErrors, setFieldError, toast, errorBox, emptyState,
} from '../ui.js';
import { retitle } from './certificate-common.js';
import { loadDistricts } from './enterprise-common.js';
import {
  AUDIENCES, ROLE_AUDIENCES, ATTACHMENT_TYPES, ATTACHMENT_ACCEPT, attachmentList, fileExt, canManage, canPublish,
  clearErrorsOnInput,
} from './notice-common.js';

const MAX_TITLE = 100;
const MAX_BODY = 20000;
const MAX_FILE = 10 * 1024 * 1024;

export async function render(ctx) {
  const { el, params, user, site, query } = ctx;
  const isNew = !params.id;
  if (!canPublish(user)) {
    el.append(pageHeader('发布通知'), emptyState('通知由市局和区市场监管局发布', '您可以在“通知公告”中阅读发给您的通知。',
      h('a.btn.btn-primary', { href: '#/notices' }, '查看通知公告')));
    return;
  }
  const isCity = user.role === 'city_admin';
  const myDistrict = user.unit && user.unit.district;
  const [n, districts] = await Promise.all([
    isNew ? Promise.resolve(null) : get(`/notices/${encodeURIComponent(params.id)}`),
    isCity ? loadDistricts().catch(() => []) : Promise.resolve([]),
  ]);
  if (!ctx.isCurrent()) return;
  if (n) retitle('编辑通知');
  if (n && !canManage(n, user)) {
    el.append(pageHeader('编辑通知'), errorBox({ message: '只有发布单位和市局可以修改本通知。' }));
    return;
  }
  const today = (site && site.today) || '';

  el.append(pageHeader(isNew ? '发布通知' : '编辑通知', {
    sub: isNew
      ? '正文为纯文本：空一行分段，网址（http:// 或 https:// 开头）自动显示为链接。保存后可上传附件。'
      : n.title,
    actions: n ? [h('a.btn', { href: `#/notices/${n.id}` }, '查看通知')] : [h('a.btn', { href: '#/notices' }, '返回列表')],
  }));
  if (n && query.get('saved') === '1') {
    el.append(h('div.alert.alert-success.notice-saved', { role: 'status' },
      h('strong', '通知已保存。'), '如有附件，请在下方“附件”中上传（PDF、Word 或 Excel）；',
      h('a', { href: `#/notices/${n.id}` }, '查看通知 →')));
  }
  if (n && n.withdrawn) {
    el.append(h('div.alert.alert-warning', { role: 'status' }, '本通知已撤回。'));
  }

  // Inputs.
  const title = h('input', { type: 'text', name: 'title', maxlength: String(MAX_TITLE), value: n ? n.title : '' });
  const body = h('textarea', { name: 'body', rows: '14', maxlength: String(MAX_BODY), class: 'notice-body-input' });
  body.value = n ? n.body : '';
  const bodyCount = h('span.notice-count');
  const syncCount = () => { bodyCount.textContent = `${body.value.length} / ${MAX_BODY} 字`; };
  body.addEventListener('input', syncCount);
  syncCount();

  // A district officer publishes 公开 or to its own district only.
  const audienceOptions = isCity
    ? Object.entries(AUDIENCES)
    : [['public', AUDIENCES.public], ['district', `本区（${myDistrict || '本区'}）`]];
  const cur = n ? n.audience : 'public';
  const audience = h('select', { name: 'audience' },
    audienceOptions.map(([v, label]) => h('option', { value: v, selected: v === cur }, label)));
  const role = h('select', { name: 'audience_role' },
    h('option', { value: '' }, '请选择角色'),
    ROLE_AUDIENCES.map(([v, label]) => h('option', { value: v, selected: n && n.audience_role === v }, label)));
  const districtNames = districts.map((d) => d.district);
  if (n && n.audience_district && !districtNames.includes(n.audience_district)) districtNames.push(n.audience_district);
  const district = h('select', { name: 'audience_district' },
    h('option', { value: '' }, '请选择区'),
    districtNames.map((d) => h('option', { value: d, selected: n && n.audience_district === d }, d)));
  const roleField = field('接收角色', role, { required: true, hint: '该角色的全部用户可以看到' });
  const districtField = field('接收区', district, { required: true, hint: '该区市场监管局和该区企业的联系人可以看到' });
  const audienceHint = h('p.field-hint.notice-audience-hint', { 'aria-live': 'polite' });
  const syncAudience = () => {
    const v = audience.value;
    roleField.hidden = !(isCity && v === 'role');
    districtField.hidden = !(isCity && v === 'district');
    audienceHint.textContent = {
      public: '所有人可见，包括未登录的公众（在“通知公告”公众页面）。',
      all: '所有登录用户可见。',
      role: '仅所选角色的用户可见。',
      district: isCity ? '仅所选区的市场监管局和该区企业联系人可见。' : `仅${myDistrict || '本区'}市场监管局和本区企业联系人可见。`,
    }[v] || '';
  };
  audience.addEventListener('change', syncAudience);

  const date = h('input', { type: 'date', name: 'publish_date', value: n ? n.publish_date : today });
  const go = button(isNew ? '发布' : '保存修改', { kind: 'primary', type: 'submit', id: 'notice-save' });
  const audienceWrap = field('发布范围', audience, { required: true });
  audienceWrap.append(audienceHint);
  const form = h('form.notice-form', { novalidate: true },
    field('标题', title, { required: true, hint: `不超过 ${MAX_TITLE} 字` }),
    field('正文', body, { required: true, hint: '空一行表示分段；网址会显示为链接。' }),
    h('div.notice-grid', audienceWrap, roleField, districtField,
      field('发布日期', date, { required: true, hint: '发布日期起，发布范围内的用户可以看到；可提前录入' })),
    h('div.form-actions', go, h('a.btn', { href: n ? `#/notices/${n.id}` : '#/notices' }, '取消')));
  // The character count sits beside the body's hint.
  const bodyHint = form.querySelector(`#${CSS.escape(body.id)}-hint`);
  if (bodyHint) bodyHint.append(' ', bodyCount);
  syncAudience();

  clearErrorsOnInput(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const data = {
      title: title.value.trim(),
      body: body.value.replace(/\s+$/, ''),
      audience: audience.value,
      audience_role: null,
      audience_district: null,
      publish_date: date.value || null,
    };
    if (data.audience === 'role') data.audience_role = role.value || null;
    if (data.audience === 'district') data.audience_district = isCity ? (district.value || null) : (myDistrict || null);
    let bad = false;
    if (!data.title) { setFieldError(form, 'title', '请填写标题'); bad = true; }
    if (!data.body.trim()) { setFieldError(form, 'body', '请填写正文'); bad = true; }
    if (data.audience === 'role' && !data.audience_role) { setFieldError(form, 'audience_role', '请选择接收角色'); bad = true; }
    if (data.audience === 'district' && isCity && !data.audience_district) { setFieldError(form, 'audience_district', '请选择接收区'); bad = true; }
    if (!data.publish_date) { setFieldError(form, 'publish_date', '请填写发布日期'); bad = true; }
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    go.disabled = true;
    try {
      if (isNew) {
        const r = await post('/notices', data);
        toast('通知已保存');
        ctx.navigate(`#/notices/${r.id}/edit?saved=1`);
      } else {
        await put(`/notices/${n.id}`, data);
        toast('通知已保存');
        ctx.navigate(`#/notices/${n.id}`);
      }
    } catch (err) {
      // The server names audience_district for a district officer's other district.
      if (err.field === 'audience_district' && !isCity) err.field = 'audience';
      showFormError(form, err);
    } finally {
      go.disabled = false;
    }
  });
  el.append(card(null, form));

  if (n) el.append(attachmentsCard(n, ctx));
  else {
    el.append(card('附件', h('p.notice-later', '保存通知后即可上传附件（PDF、Word 或 Excel，每个不超过 10 MB）。')));
  }
}

function attachmentsCard(n, ctx) {
  const listBox = h('div.notice-files-box');
  const showList = (notice) => {
    listBox.replaceChildren(attachmentList(notice.attachments, (f) => `/api/v1/notices/${notice.id}/attachments/${f.id}`)
      || h('p.notice-later', '尚未上传附件。'));
  };
  showList(n);

  // The native file input is kept for keyboards and screen readers but drawn
  // as a 选择文件 button with the chosen name beside it (Chinese on every browser).
  const file = h('input.file-native', { type: 'file', name: 'file', id: 'notice-file', accept: ATTACHMENT_ACCEPT });
  const chosen = h('span.file-chosen', '未选择文件');
  file.addEventListener('change', () => {
    const f = file.files && file.files[0];
    chosen.textContent = f ? `${f.name}（${fmtSize(f.size)}）` : '未选择文件';
  });
  const go = button('上传附件', { kind: 'primary', type: 'submit', id: 'notice-upload' });
  const form = h('form.notice-upload-form', { novalidate: true },
    h('div.field', { dataset: { field: 'file' } },
      h('label', { for: file.id }, '添加附件'),
      h('div.notice-pick', file, h('label.btn.file-pick', { for: file.id, 'aria-hidden': 'true' }, '选择文件'), chosen, go),
      h('p.field-hint', 'PDF、Word（.doc/.docx）或 Excel（.xls/.xlsx），每个不超过 10 MB；服务器按文件内容核对类型。')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const f = file.files && file.files[0];
    if (!f) { setFieldError(form, 'file', '请选择要上传的文件'); return; }
    if (f.size === 0) { setFieldError(form, 'file', '文件是空的，请重新选择'); return; }
    if (f.size > MAX_FILE) { setFieldError(form, 'file', '文件不能超过 10 MB'); return; }
    go.disabled = true;
    try {
      // The type of an unknown extension is left to the server (it answers 415).
      const type = ATTACHMENT_TYPES[fileExt(f.name)] || f.type || 'application/octet-stream';
      const typed = f.type === type ? f : new File([f], f.name, { type });
      const r = await upload(`/notices/${n.id}/attachments?filename=${encodeURIComponent(f.name)}`, typed);
      toast(`已上传：${f.name}`);
      if (r && Array.isArray(r.attachments)) showList(r);
      else ctx.navigate(location.hash);
      file.value = '';
      chosen.textContent = '未选择文件';
    } catch (err) {
      setFieldError(form, 'file', err.message) || form.prepend(errorBox(err));
    } finally {
      go.disabled = false;
    }
  });
  return card('附件', listBox, form);
}
