// pages/action.js — 措施详情 (#/actions/{id}): the action of an improvement
// plan with its status tags, the finding it answers, the plan fields, the
// progress, the evidence (thumbnails for images, downloads otherwise) and the
// history at the bottom. Workflow buttons only where the user may use them:
// the enterprise reports progress, uploads evidence and asks for verification;
// the assigned body verifies (effective, or not: back with a reason), closes a
// verified action, reopens and edits. Districts and the city only read.
import { get, post, upload } from '../api.js';
import { h, tag, fmtDate, fmtDateTime, fmtSize, daysBetween } from '../util.js';
import {
  card, button, openDialog, confirmDialog, field, setFieldError, clearFormErrors, showFormError, toast, emptyState,
} from '../ui.js';
import {
  actionTags, progressBar, dueCell, isActionBody, todayOf, working,
} from './actions.js';

const MAX_FILE = 10 * 1024 * 1024;
const FILE_TYPES = '.pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,application/pdf,image/jpeg,image/png';

// History events (src/api/actions.c) → label and tag colour.
const EVENTS = {
  create: ['制定措施', 'blue'],
  update: ['修改措施', 'grey'],
  progress: ['更新进度', 'blue'],
  complete: ['申请验证', 'orange'],
  evidence: ['上传证据', 'grey'],
  verify: ['验证有效', 'teal'],
  reject: ['验证无效（退回）', 'red'],
  close: ['关闭措施', 'green'],
  reopen: ['重新打开', 'orange'],
};

export async function render(ctx) {
  const { el, params, user, site } = ctx;
  const a = await get(`/actions/${encodeURIComponent(params.id)}`);
  if (!ctx.isCurrent()) return;
  const today = todayOf(site);
  const reload = () => ctx.navigate(location.hash);
  document.title = `${a.title} - ${document.title.split(' - ').pop()}`;

  const body = isActionBody(user);
  const ent = user.role === 'enterprise' && !!user.enterprise && user.enterprise.id === a.enterprise.id;
  const ready = a.status === 'in_progress' && a.ready;

  // Workflow buttons allowed from today's state.
  const actions = [];
  if (ent && working(a) && !ready) {
    actions.push(button('更新进度', { kind: 'primary', id: 'act-progress', onClick: () => progressDialog(a, reload) }));
    actions.push(button('申请验证', { kind: 'default', id: 'act-complete', onClick: () => completeDialog(a, reload) }));
  }
  if ((ent || body) && a.status !== 'closed') {
    actions.push(button('上传证据', { id: 'act-upload', onClick: () => uploadDialog(a, reload) }));
  }
  if (body && ready) {
    actions.push(button('验证有效', { kind: 'primary', id: 'act-verify', onClick: () => verifyDialog(a, true, reload) }));
    actions.push(button('验证无效（退回）', { kind: 'warning', id: 'act-reject', onClick: () => verifyDialog(a, false, reload) }));
  }
  if (body && a.status === 'verified') {
    actions.push(button('关闭措施', { kind: 'primary', id: 'act-close', onClick: () => closeAction(a, reload) }));
  }
  if (body && (a.status === 'verified' || a.status === 'closed')) {
    actions.push(button('重新打开', { id: 'act-reopen', onClick: () => reopenDialog(a, reload) }));
  }
  if (body && a.status !== 'closed') {
    actions.push(h('a.btn', { href: `#/actions/${a.id}/edit`, id: 'act-edit' }, '编辑'));
  }

  const entLine = user.role === 'enterprise'
    ? h('span', { text: a.enterprise.name })
    : h('a', { href: `#/enterprises/${a.enterprise.id}`, text: a.enterprise.name });
  el.append(h('div.page-header.act-header',
    h('div.page-header-text',
      h('h1.page-title.act-page-title', h('span.act-page-title-text', { text: a.title }), actionTags(a)),
      h('p.page-sub.act-sub', entLine, a.cb ? h('span', { text: `制定机构：${a.cb.name}` }) : null)),
    actions.length ? h('div.page-actions.act-actions', actions) : null));

  const note = stateNote(a, { body, ent, today });
  if (note) el.append(note);

  el.append(h('div.act-detail-grid',
    h('div.act-detail-main', card('措施内容', planInfo(a, today)), card('关联问题', findingBlock(a))),
    h('div.act-detail-side', card('完成进度', progressBlock(a)))));
  el.append(evidenceCard(a, ent || body, reload));
  el.append(card('处理记录', timeline(a)));
}

// A one-line explanation of where the action stands and what comes next.
function stateNote(a, { body, ent, today }) {
  const ready = a.status === 'in_progress' && a.ready;
  let cls = 'alert-info'; let text = '';
  if (ready) {
    text = body ? '企业已报告整改完成并申请验证：请核查证据材料后判定措施是否有效。'
      : ent ? '已申请验证，等待认证机构核查证据后判定措施是否有效。'
        : '企业已报告整改完成，等待认证机构验证。';
  } else if (a.overdue) {
    cls = 'alert-error';
    text = `已超过完成期限 ${daysBetween(a.due_date, today)} 天（${fmtDate(a.due_date)}）。`
      + (ent ? '请尽快落实并更新进度；全部完成后上传证据并申请验证。' : '');
  } else if (a.status === 'verified') {
    cls = 'alert-success';
    text = body ? '措施已验证有效，可以关闭。' : '认证机构已验证措施有效。';
  } else if (a.status === 'closed') {
    cls = 'alert-success';
    text = `措施已于 ${fmtDateTime(a.closed_at)} 关闭。`;
  } else if (ent) {
    text = '按期落实措施，随时更新进度；全部完成后上传证据材料并申请验证。';
  }
  return text ? h(`div.alert.${cls}.act-state-note`, { role: 'status' }, text) : null;
}

function info(label, value, { wide = false } = {}) {
  const empty = value === null || value === undefined || value === '';
  return h(`div.act-info-item${wide ? '.act-info-wide' : ''}`,
    h('dt', { text: label }), h('dd', empty ? h('span.cell-muted', '未填写') : value));
}

function planInfo(a, today) {
  return h('dl.act-info',
    info('方法工具', a.method_name || a.method),
    info('责任人', a.owner),
    info('完成期限', dueCell(a, today)),
    info('具体内容', a.detail ? h('span.act-pre', { text: a.detail }) : null, { wide: true }),
    info('制定人', a.created_by),
    info('制定时间', fmtDateTime(a.created_at)),
    info('最近更新', fmtDateTime(a.updated_at)));
}

function findingBlock(a) {
  if (!a.item_key && !a.finding) {
    return h('p.cell-muted.act-none', '本措施未关联诊断发现的具体问题。');
  }
  return h('div.act-finding',
    h('p.act-finding-head',
      a.item_key ? h('code.act-item-code', { text: a.item_key }) : null,
      h('span.cell-strong', '诊断发现'),
      a.diagnosis_id ? h('a.act-diag-link', { href: `#/diagnoses/${a.diagnosis_id}` }, '查看诊断 →') : null),
    h('p.act-finding-text', { text: a.finding || '（该检查项的诊断记录中没有写明问题）' }));
}

function progressBlock(a) {
  return h('div.act-progress-block',
    progressBar(a.progress, { big: true }),
    a.progress_note
      ? h('div.act-progress-note', h('span.act-progress-note-label', '最新进展'), h('p.act-pre', { text: a.progress_note }))
      : h('p.cell-muted', '尚未报告进展。'));
}

// ---- 证据材料 ---------------------------------------------------------------

function evidenceCard(a, canUpload, reload) {
  const files = a.files || [];
  const url = (f) => `/api/v1/actions/${a.id}/files/${f.id}`;
  const list = files.length
    ? h('ul.act-files', files.map((f) => {
      const image = /^image\//.test(f.content_type || '');
      const ext = (String(f.filename).split('.').pop() || '').toUpperCase().slice(0, 4);
      return h('li.act-file',
        image
          ? h('a.act-thumb', { href: url(f), target: '_blank', rel: 'noopener', title: `查看 ${f.filename}` },
            h('img.act-thumb-img', { src: url(f), alt: f.filename, loading: 'lazy' }))
          : h('a.act-file-icon', { href: url(f), download: f.filename, 'aria-hidden': 'true', tabindex: '-1' }, ext || '文件'),
        h('div.act-file-meta',
          h('a.act-file-name', { href: url(f), ...(image ? { target: '_blank', rel: 'noopener' } : { download: f.filename }), text: f.filename }),
          h('span.cell-muted', `${fmtSize(f.size)} · ${f.uploaded_by || ''} · ${fmtDateTime(f.created_at)}`)));
    }))
    : emptyState('尚未上传证据材料', canUpload
      ? '整改完成的照片、记录、制度文件等可作为证据上传（JPG、PNG、PDF、Word、Excel，不超过 10 MB）。'
      : '企业上传的整改照片、记录和文件会显示在这里。',
      canUpload && a.status !== 'closed' ? button('上传证据', { onClick: () => uploadDialog(a, reload) }) : null);
  const c = card(h('div.card-head-row', h('h2.card-title', '证据材料'), h('span.card-note', `共 ${files.length} 份`)), list);
  c.classList.add('act-evidence');
  return c;
}

// ---- 处理记录 ---------------------------------------------------------------

function timeline(a) {
  const rows = [...(a.history || [])].reverse();
  if (!rows.length) return emptyState('暂无处理记录');
  return h('ol.act-timeline', rows.map((r) => {
    const [label, colour] = EVENTS[r.event] || [r.event, 'grey'];
    const showProgress = (r.event === 'progress' || r.event === 'complete') && r.progress !== null && r.progress !== undefined;
    const noteText = r.event === 'create' || r.event === 'update' ? '' : r.note;
    return h(`li.act-tl-item.act-tl-${r.event}`,
      h('div.act-tl-head', tag(label, colour), h('span.act-tl-who', { text: r.username || '—' }),
        h('time.act-tl-at', { datetime: r.at || '' }, fmtDateTime(r.at))),
      showProgress ? h('div.act-tl-progress', `完成进度 ${r.progress}%`) : null,
      noteText ? h('p.act-tl-note', { text: r.event === 'evidence' ? `文件：${noteText}` : noteText }) : null);
  }));
}

// ---- Dialogs ------------------------------------------------------------------

// A dialog with a form; send() returns the promise of the request. On success
// the page reloads with a toast.
function formDialog({ title, intro, fields, confirmLabel, kind = 'primary', check, send, done }) {
  const box = h('form.dialog-form.act-dialog-form', { novalidate: true },
    intro ? h('p.act-dialog-intro', intro) : null, fields);
  box.addEventListener('submit', (e) => e.preventDefault());
  const p = openDialog({
    title,
    body: box,
    className: 'dialog-wide',
    actions: [
      { label: '取消', value: false },
      {
        label: confirmLabel,
        kind,
        value: true,
        before: async () => {
          clearFormErrors(box);
          const errs = check ? check() : [];
          if (errs.length) {
            for (const [name, msg] of errs) setFieldError(box, name, msg);
            const first = box.querySelector('[aria-invalid="true"]');
            if (first) first.focus();
            return false;
          }
          try {
            await send();
            return true;
          } catch (err) {
            showFormError(box, err);
            return false;
          }
        },
      },
    ],
  });
  const first = box.querySelector('input:not([type=hidden]), textarea, select');
  if (first) first.focus();
  p.then((ok) => { if (ok) done(); });
  return p;
}

function progressDialog(a, reload) {
  const value = h('input', { type: 'number', name: 'progress', min: '0', max: '100', step: '5', inputmode: 'numeric', value: String(a.progress || 0) });
  const note = h('textarea', { name: 'note', rows: '3', maxlength: '2000', placeholder: '本次完成了哪些工作，还有哪些待办' });
  return formDialog({
    title: '更新进度',
    intro: `措施：${a.title}`,
    fields: [
      field('完成进度（%）', value, { required: true, hint: '0–100 的整数；全部完成请使用“申请验证”' }),
      field('进展说明', note, { hint: '不超过 2000 字' }),
    ],
    confirmLabel: '保存进度',
    check: () => {
      const n = Number(value.value);
      if (value.value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 100) return [['progress', '完成进度应为 0–100 的整数']];
      return [];
    },
    send: () => post(`/actions/${a.id}/progress`, { progress: Number(value.value), note: note.value.trim(), done: false }),
    done: () => { toast('进度已更新'); reload(); },
  });
}

function completeDialog(a, reload) {
  const note = h('textarea', { name: 'note', rows: '4', maxlength: '2000', placeholder: '整改完成情况，证据材料说明' });
  const noFiles = !(a.files && a.files.length);
  return formDialog({
    title: '申请验证',
    intro: h('span', '申请验证后完成进度记为 100%，由认证机构核查证据材料后判定措施是否有效。',
      noFiles ? h('strong.act-warn', ' 本措施尚未上传证据材料，建议先上传整改照片或记录。') : null),
    fields: [field('整改完成情况', note, { required: true, hint: '不超过 2000 字' })],
    confirmLabel: '确认申请验证',
    check: () => (note.value.trim() ? [] : [['note', '请填写整改完成情况']]),
    send: () => post(`/actions/${a.id}/progress`, { progress: 100, note: note.value.trim(), done: true }),
    done: () => { toast('已申请验证'); reload(); },
  });
}

function uploadDialog(a, reload) {
  const file = h('input.file-native', { type: 'file', name: 'file', accept: FILE_TYPES });
  const chosen = h('span.file-chosen', '未选择文件');
  file.addEventListener('change', () => {
    const f = file.files && file.files[0];
    chosen.textContent = f ? `${f.name}（${fmtSize(f.size)}）` : '未选择文件';
  });
  const fileId = `act-file-${a.id}`;
  file.id = fileId;
  const wrap = h('div.field', { dataset: { field: 'file' } },
    h('label', { for: fileId }, '证据文件', h('span.req', { 'aria-hidden': 'true' }, '*')),
    h('div.act-file-pick', file, h('label.btn.file-pick', { for: fileId, 'aria-hidden': 'true' }, '选择文件'), chosen),
    h('p.field-hint', 'JPG、PNG 图片或 PDF、Word、Excel 文件，不超过 10 MB；按文件内容识别类型。'));
  return formDialog({
    title: '上传证据',
    intro: `措施：${a.title}`,
    fields: [wrap],
    confirmLabel: '上传',
    check: () => {
      const f = file.files && file.files[0];
      if (!f) return [['file', '请选择要上传的文件']];
      if (f.size === 0) return [['file', '文件是空的，请重新选择']];
      if (f.size > MAX_FILE) return [['file', '文件不能超过 10 MB']];
      return [];
    },
    send: () => {
      const f = file.files[0];
      return upload(`/actions/${a.id}/files?filename=${encodeURIComponent(f.name)}`, f);
    },
    done: () => { toast('证据已上传'); reload(); },
  });
}

function verifyDialog(a, effective, reload) {
  const note = h('textarea', { name: 'note', rows: '4', maxlength: '2000',
    placeholder: effective ? '核查了哪些证据，措施效果如何' : '为什么判定无效，企业还需要做什么' });
  return formDialog({
    title: effective ? '验证有效' : '验证无效（退回）',
    intro: effective
      ? `判定“${a.title}”有效：措施将变为“已验证”，之后可以关闭。`
      : `判定“${a.title}”无效：措施退回企业继续整改（进行中），企业会看到退回原因。`,
    fields: [field(effective ? '验证意见' : '退回原因', note, { required: !effective, hint: '不超过 2000 字，记入处理记录' })],
    confirmLabel: effective ? '确认有效' : '确认退回',
    kind: effective ? 'primary' : 'warning',
    check: () => (!effective && !note.value.trim() ? [['note', '请填写退回原因']] : []),
    send: () => post(`/actions/${a.id}/verify`, { effective, note: note.value.trim() }),
    done: () => { toast(effective ? '已验证有效' : '已退回企业继续整改'); reload(); },
  });
}

async function closeAction(a, reload) {
  const ok = await confirmDialog({
    title: '关闭措施',
    message: `确定关闭“${a.title}”吗？关闭后不能再修改或上传证据；如需继续整改，须重新打开。`,
    confirmLabel: '确认关闭',
  });
  if (!ok) return;
  try {
    await post(`/actions/${a.id}/close`, {});
    toast('措施已关闭');
    reload();
  } catch (err) {
    await openDialog({ title: '操作未完成', body: h('p', { text: err.message }), actions: [{ label: '知道了', kind: 'primary', value: true }] });
  }
}

function reopenDialog(a, reload) {
  const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '500', placeholder: '如：复查发现问题再次出现' });
  return formDialog({
    title: '重新打开',
    intro: `重新打开“${a.title}”：措施回到“进行中”，企业须继续整改并再次申请验证。`,
    fields: [field('重新打开原因', reason, { required: true, hint: '不超过 500 字，记入处理记录' })],
    confirmLabel: '确认重新打开',
    kind: 'warning',
    check: () => (reason.value.trim() ? [] : [['reason', '请填写重新打开原因']]),
    send: () => post(`/actions/${a.id}/reopen`, { reason: reason.value.trim() }),
    done: () => { toast('措施已重新打开'); reload(); },
  });
}
