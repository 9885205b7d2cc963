// pages/declaration.js — 我的申报表 (district_officer, cb_staff): the unit's
// declaration form (附件2) for the current programme. Fill in, save as draft,
// submit (after a confirmation); when the city returns it, the reason is shown
// and the form opens again; once submitted: the stamped scan upload, the PDF,
// the versions and the history.
import { get, post, put, upload } from '../api.js';
import { h, statusTag, fmtSize } from '../util.js';
import {
  card, button, confirmDialog, showFormError, clearFormErrors, setFieldError, toast, errorBox,
} from '../ui.js';
import { loadProgramme } from '../programme.js';
import {
  declarationTable, categoryOfUnit, catalogueIndustries, CATEGORY_NAMES, declarationDeadline, deadlineBanner,
  lateTag, returnReasonBox, scanInfo, versionsTable, historyTable, fieldName,
} from './declaration-form.js';

const MAX_SCAN = 10 * 1024 * 1024;
const SCAN_TYPES = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };

async function loadMine() {
  try {
    const d = await get('/declarations/mine');
    // The list shape may leave out versions and history: fetch the record.
    if (d && (!d.versions || !d.history)) return await get(`/declarations/${d.id}`);
    return d;
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
}

export async function render(ctx) {
  const { el, user, site } = ctx;
  const [prog, decl] = await Promise.all([loadProgramme(site), loadMine()]);
  const industries = await catalogueIndustries(prog);
  if (!ctx.isCurrent()) return;
  const today = (prog && prog.today) || (site && site.today) || '';
  const category = decl ? decl.category : categoryOfUnit(user.unit);
  const status = decl ? decl.status : null;
  const editable = !decl || status === 'draft' || status === 'returned';
  const reload = () => ctx.navigate(location.hash);

  // Header: title, status and late tags, the PDF.
  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.decl-page-title', '我的申报表',
        decl ? statusTag(status) : h('span.tag.tag-grey-outline', '未填报'), lateTag(decl)),
      h('p.page-sub', [user.unit ? user.unit.name : null, decl ? decl.category_name : CATEGORY_NAMES[category]].filter(Boolean).join(' · '))),
    decl ? h('div.page-actions',
      h('a.btn', { href: `/api/v1/declarations/${decl.id}.pdf`, download: true, id: 'decl-pdf' }, '下载PDF')) : null));

  el.append(deadlineBanner(declarationDeadline(decl, prog), decl, { allowLate: !prog || prog.allow_late !== false }));
  const returned = returnReasonBox(decl);
  if (returned) el.append(returned);

  const sheet = declarationTable({ category, form: decl ? decl.form : { unit_name: user.unit ? user.unit.name : '' }, industries, editable, today });
  if (!editable) {
    el.append(card(null, sheet.el,
      h('p.card-foot-note', status === 'accepted'
        ? '申报表已通过市局审核，不能再修改。'
        : '申报表已提交，市局审核期间不能修改；如需修改，请联系市局退回。')));
  } else {
    const form = h('form.decl-form', { novalidate: true }, sheet.el);
    const saveBtn = button('保存草稿', { kind: 'default', type: 'button' });
    const submitBtn = button(status === 'returned' ? '重新提交' : '提交', { kind: 'primary', type: 'submit' });
    form.append(h('div.form-actions.decl-actions', submitBtn, saveBtn,
      h('span.decl-actions-note', '带 * 的为提交时必填项；草稿可以分次填写。')));
    el.append(card(null, form));

    let current = decl;
    const busy = (on) => { saveBtn.disabled = on; submitBtn.disabled = on; };
    const showErr = (err) => {
      const name = fieldName(err && err.field);
      showFormError(form, name ? Object.assign(err, { field: name }) : err);
    };
    const save = async () => {
      const body = { form: sheet.values() };
      current = current ? await put(`/declarations/${current.id}`, body) : await post('/declarations', body);
      return current;
    };

    saveBtn.addEventListener('click', async () => {
      clearFormErrors(form);
      const errs = sheet.check(false);
      if (errs.length) { sheet.showErrors(errs); return; }
      busy(true);
      try {
        await save();
        toast('草稿已保存');
        reload();
      } catch (err) {
        showErr(err);
      } finally {
        busy(false);
      }
    });

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormErrors(form);
      const errs = sheet.check(true);
      if (errs.length) { sheet.showErrors(errs); return; }
      const dl = declarationDeadline(current, prog);
      const late = dl && dl.days_left < 0;
      const ok = await confirmDialog({
        title: '提交申报表',
        message: h('div',
          h('p', '提交后申报表将报送市局审核，审核期间不能修改。'),
          late ? h('p.dialog-note', `已过申报表报送截止日期（${dl.due}），提交后将标记为“逾期提交”。`) : null,
          h('p', '确定提交吗？')),
        confirmLabel: '确认提交',
      });
      if (!ok) return;
      busy(true);
      try {
        await save();
        await post(`/declarations/${current.id}/submit`);
        toast('申报表已提交');
        reload();
      } catch (err) {
        showErr(err);
      } finally {
        busy(false);
      }
    });
  }

  if (!decl) return;

  // The stamped scan: after the first submission.
  if (status !== 'draft') el.append(scanCard(decl, reload));
  if ((decl.versions || []).length) el.append(card('版本记录', versionsTable(decl)));
  el.append(card('办理记录', historyTable(decl)));
}

function scanCard(decl, reload) {
  // The native file input says "Choose File / No file chosen" in the
  // browser's language: it stays (keyboard, screen readers) but is drawn as
  // a 选择文件 button and the chosen name beside it.
  const file = h('input.file-native', {
    type: 'file', name: 'scan', id: 'decl-scan-file', accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png',
  });
  const chosen = h('span.file-chosen', '未选择文件');
  file.addEventListener('change', () => {
    const f = file.files && file.files[0];
    chosen.textContent = f ? `${f.name}（${fmtSize(f.size)}）` : '未选择文件';
  });
  const go = button(decl.scan ? '上传并替换' : '上传', { kind: 'primary', type: 'submit' });
  const form = h('form.decl-scan-form', { novalidate: true },
    h('div.field', { dataset: { field: 'scan' } },
      h('label', { for: file.id }, decl.scan ? '重新上传盖章扫描件' : '上传盖章扫描件'),
      h('div.decl-scan-pick', file, h('label.btn.file-pick', { for: file.id, 'aria-hidden': 'true' }, '选择文件'), chosen, go),
      h('p.field-hint', '请上传加盖公章的申报表扫描件：PDF、JPG 或 PNG 格式，不超过 10 MB。上传新文件将替换原文件。')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const f = file.files && file.files[0];
    const ext = f ? (f.name.split('.').pop() || '').toLowerCase() : '';
    if (!f) { setFieldError(form, 'scan', '请选择要上传的文件'); return; }
    if (!SCAN_TYPES[ext]) { setFieldError(form, 'scan', '仅支持 PDF、JPG、PNG 格式的文件'); return; }
    if (f.size === 0) { setFieldError(form, 'scan', '文件是空的，请重新选择'); return; }
    if (f.size > MAX_SCAN) { setFieldError(form, 'scan', '文件不能超过 10 MB'); return; }
    go.disabled = true;
    try {
      const typed = f.type ? f : new File([f], f.name, { type: SCAN_TYPES[ext] });
      await upload(`/declarations/${decl.id}/scan?filename=${encodeURIComponent(f.name)}`, typed);
      toast('盖章扫描件已上传');
      reload();
    } catch (err) {
      setFieldError(form, 'scan', err.message) || form.prepend(errorBox(err));
    } finally {
      go.disabled = false;
    }
  });
  return card('盖章扫描件', scanInfo(decl), form);
}
