// pages/enterprise-import.js — 导入企业 (#/enterprises/import): a CSV file in
// the template's columns, checked first without writing (预检) and then
// imported after a confirmation. The file goes as the raw request body
// (Content-Type: text/csv). The answer lists every refused and duplicate row
// (refused first) with its reason; a GBK file is refused with the advice to
// save it as "CSV UTF-8".
import { upload } from '../api.js';
import { h, tag, fmtSize } from '../util.js';
import {
  pageHeader, card, button, dataTable, confirmDialog, setFieldError, clearFormErrors, toast,
} from '../ui.js';

const MAX_IMPORT = 64 * 1024 * 1024;
const RESULT = {
  refused: ['拒绝', 'red'],
  duplicate: ['重复', 'orange'],
  accepted: ['已导入', 'green'],
};
const ORDER = { refused: 0, duplicate: 1, accepted: 2 };

export async function render(ctx) {
  const { el } = ctx;
  el.append(pageHeader('导入企业', {
    sub: '按导入模板整理企业名单后批量登记。先“预检”查看每一行的检查结果（不写入），确认无误后再导入；已登记的统一社会信用代码会跳过，重复导入不会重复登记。',
    actions: [
      h('a.btn', { href: '/api/v1/enterprises/template.csv', download: true, id: 'import-template' }, '下载导入模板'),
      h('a.btn', { href: '#/enterprises' }, '返回企业名录'),
    ],
  }));
  el.querySelector('.page-actions').classList.add('reg-actions');

  // A native file input drawn as a 选择文件 button with the chosen name beside it.
  const file = h('input.reg-file-native', { type: 'file', name: 'file', id: 'import-file', accept: '.csv,text/csv' });
  const chosen = h('span.reg-file-chosen', '未选择文件');
  file.addEventListener('change', () => {
    const f = file.files && file.files[0];
    chosen.textContent = f ? `${f.name}（${fmtSize(f.size)}）` : '未选择文件';
    clearFormErrors(form);
  });
  const dryBtn = button('预检（不写入）', { kind: 'default', type: 'button', id: 'import-dry' });
  const goBtn = button('导入', { kind: 'primary', type: 'submit', id: 'import-go' });
  const form = h('form.reg-import-form', { novalidate: true },
    h('div.field', { dataset: { field: 'file' } },
      h('label', { for: file.id }, 'CSV 文件', h('span.req', { 'aria-hidden': 'true' }, '*')),
      h('div.reg-file-pick', file, h('label.btn.reg-file-btn', { for: file.id, 'aria-hidden': 'true' }, '选择文件'), chosen),
      h('p.field-hint', '列：企业名称、统一社会信用代码、地址、所属区、试点行业、所属园区/基地/创新中心、划型行业、从业人员（人）、营业收入（万元）、资产总额（万元）、联系人、联系电话、自愿参加（是/否）。')),
    h('div.form-actions', dryBtn, goBtn));
  const tips = h('ul.reg-tips',
    h('li', '用 Excel 编辑后，请“另存为 → CSV UTF-8（逗号分隔）”，不要保存为普通 CSV（GBK 编码）。'),
    h('li', '营业收入、资产总额以万元为单位；只登记小型、微型企业，“自愿参加”须为“是”。'),
    h('li', '有问题的行不会写入，其他行照常导入；请按原因修改后重新导入即可。'));
  el.append(card(null, form, tips));
  const result = h('div.reg-import-result', { 'aria-live': 'polite' });
  el.append(result);

  const pick = () => {
    clearFormErrors(form);
    const f = file.files && file.files[0];
    if (!f) { setFieldError(form, 'file', '请选择要导入的 CSV 文件'); return null; }
    if (!/\.csv$/i.test(f.name)) { setFieldError(form, 'file', '请选择 .csv 格式的文件（Excel 文件请先另存为 CSV UTF-8）'); return null; }
    if (f.size === 0) { setFieldError(form, 'file', '文件是空的，请重新选择'); return null; }
    if (f.size > MAX_IMPORT) { setFieldError(form, 'file', '文件不能超过 64 MB，请分批导入'); return null; }
    return f;
  };
  const busy = (on) => { dryBtn.disabled = on; goBtn.disabled = on; };
  const run = async (f, dryRun) => {
    busy(true);
    result.replaceChildren(h('p.loading', dryRun ? '正在预检…' : '正在导入…'));
    try {
      const body = new Blob([f], { type: 'text/csv' });
      const r = await upload(`/enterprises/import?dry_run=${dryRun ? 'true' : 'false'}`, body, { method: 'POST' });
      result.replaceChildren(summary(r, f.name));
      if (!dryRun) toast(`导入完成：导入 ${r.accepted} 家`);
    } catch (err) {
      result.replaceChildren();
      if (err.status === 415) {
        result.append(h('div.alert.alert-error.reg-import-encoding', { role: 'alert' },
          h('p.reg-alert-title', '文件编码不正确，未导入'),
          h('p', { text: err.message })));
      } else if (!(err.field && setFieldError(form, err.field, err.message))) {
        result.append(h('div.alert.alert-error', { role: 'alert', text: err.message }));
      }
    } finally {
      busy(false);
    }
  };
  dryBtn.addEventListener('click', () => { const f = pick(); if (f) run(f, true); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = pick();
    if (!f) return;
    const ok = await confirmDialog({
      title: '导入企业',
      message: h('div',
        h('p', { text: `确定导入文件“${f.name}”吗？` }),
        h('p.dialog-note', '检查通过的行将登记到企业名录；有问题的行不写入，已登记的统一社会信用代码跳过。')),
      confirmLabel: '确认导入',
    });
    if (ok) run(f, false);
  });
}

function summary(r, filename) {
  const dry = !!r.dry_run;
  const line = dry
    ? `预检结果（未写入）：共 ${r.total_rows} 行，可导入 ${r.accepted}，重复 ${r.duplicates}，拒绝 ${r.refused}`
    : `导入结果：共 ${r.total_rows} 行，导入 ${r.accepted}，重复 ${r.duplicates}，拒绝 ${r.refused}`;
  const rows = [...(r.rows || [])].sort((a, b) => (ORDER[a.status] ?? 3) - (ORDER[b.status] ?? 3) || a.line - b.line);
  const listed = rows.filter((x) => x.status === 'accepted').length;
  const kind = r.refused ? 'warning' : 'success';
  return card(h('div.card-head-row.reg-head-row', h('h2.card-title', dry ? '预检结果' : '导入结果'), h('span.card-note', { text: filename })),
    h(`div.alert.alert-${kind}.reg-import-summary`, { role: 'status' },
      h('p.reg-alert-title', { text: line }),
      r.refused
        ? h('p', dry ? '被拒绝的行导入时不会写入，请按原因修改后再导入。' : '被拒绝的行未写入，请按原因修改后重新导入（已导入的行会作为重复跳过）。')
        : null),
    h('div.reg-import-stats',
      stat('总行数', r.total_rows, 'grey'), stat(dry ? '可导入' : '导入', r.accepted, 'green'),
      stat('重复', r.duplicates, 'orange'), stat('拒绝', r.refused, 'red')),
    dataTable([
      { label: '行号', render: (x) => String(x.line), cls: 'nowrap reg-line' },
      {
        primary: true,
        label: '企业名称',
        render: (x) => (x.id
          ? h('a', { href: `#/enterprises/${x.id}` }, x.name || '（未填写）')
          : (x.name || h('span.cell-muted', '（未填写）'))),
      },
      { label: '统一社会信用代码', render: (x) => (x.uscc ? h('code.reg-uscc', x.uscc) : '—'), cls: 'nowrap' },
      {
        label: '结果',
        render: (x) => {
          const [label, colour] = RESULT[x.status] || [x.status, 'grey'];
          return tag(dry && x.status === 'accepted' ? '可导入' : label, colour);
        },
        cls: 'nowrap',
      },
      {
        label: '原因/提示',
        render: (x) => {
          const parts = [];
          if (x.message) parts.push(h('div', { class: x.status === 'refused' ? 'reg-reason' : undefined, text: x.message }));
          if (x.warning) parts.push(h('div.reg-warn-text', { text: `提示：${x.warning}` }));
          return parts.length ? parts : null;
        },
      },
    ], rows, {
      caption: dry ? '预检结果' : '导入结果',
      rowClass: (x) => `reg-import-${x.status}`,
    }),
    r.accepted > listed ? h('p.card-foot-note', `另有 ${r.accepted - listed} 行检查通过，未逐行列出。`) : null);
}

function stat(label, n, colour) {
  return h(`div.reg-stat.reg-stat-${colour}`, h('span.reg-stat-n', String(n ?? 0)), h('span.reg-stat-label', label));
}
