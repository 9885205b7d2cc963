// pages/declaration-form.js — the declaration form (申报表, 附件2 of the notice)
// laid out like the paper table, editable or read-only. Not a page of its own:
// shared by 我的申报表 (pages/declaration.js) and the city's review page
// (pages/declaration-review.js), together with the client-side checks that
// mirror the server's rules (docs/api.md "Declarations"), the field formatting
// used by the version comparison, and the version and history tables.
import { get } from '../api.js';
import { h, tag, statusTag, fmtDateTime, fmtSize, daysLeftText } from '../util.js';
import { uid, setFieldError, clearFormErrors, dataTable, emptyState } from '../ui.js';

export const CATEGORY_NAMES = {
  market_regulation: '市场监管部门',
  certification_body: '认证机构',
};

// 机构属性, in the order of the paper form.
export const OWNERSHIP = [
  ['public_institution', '事业单位'],
  ['state_owned', '国有企业'],
  ['joint_stock', '股份制公司'],
  ['collective', '集体所有制企业'],
  ['joint_venture', '合资企业'],
  ['private', '民营企业'],
  ['other', '其他'],
];
const OWNERSHIP_NAME = Object.fromEntries(OWNERSHIP);

export const FIELD_LABELS = {
  unit_name: '单位名称（盖章）',
  joins_pilot: '参与试点',
  industries: '试点行业（初步意向）',
  province: '所属省市',
  founded: '成立时间',
  ownership: '机构属性',
  ownership_other: '其他机构属性',
  qualifications: '认证资质',
  leader: '提升行动负责人',
  contact_phone: '联系电话',
  contact_email: '电子邮箱',
  remarks: '备注',
};

// The fields each category fills in, in the paper's order.
const CATEGORY_FIELDS = {
  market_regulation: ['industries', 'leader', 'contact_phone', 'contact_email'],
  certification_body: ['province', 'founded', 'ownership', 'qualifications', 'leader', 'contact_phone', 'contact_email'],
};

// The declaration's category follows the unit: certification bodies declare
// as 认证机构, district (and city) units as 市场监管部门.
export function categoryOfUnit(unit) {
  return unit && unit.kind === 'cb' ? 'certification_body' : 'market_regulation';
}

// Every field of a category's form, in display order (ownership_other is
// shown inside ownership).
export function formFields(category) {
  return ['unit_name', 'joins_pilot', ...(CATEGORY_FIELDS[category] || []), 'remarks'];
}

// One field of a form as display text ('' when empty).
export function formatValue(name, form) {
  const v = form ? form[name] : null;
  switch (name) {
    case 'joins_pilot': return v === true ? '是' : v === false ? '否' : '';
    case 'industries': return Array.isArray(v) ? v.join('、') : '';
    case 'ownership':
      if (!v) return '';
      return v === 'other' ? `其他（${form.ownership_other || ''}）` : OWNERSHIP_NAME[v] || v;
    default: return v === null || v === undefined ? '' : String(v);
  }
}

// ---- Checks mirroring the server ----------------------------------------

// Mobile 1[3-9]xxxxxxxxx, or landline 0 + 2–3 digit area code, '-', a 7–8
// digit number (not starting with 0), optional '-ext' (as src/core/declaration.c).
const PHONE_RE = /^(?:1[3-9]\d{9}|0\d{2,3}-[1-9]\d{6,7}(?:-\d{1,6})?)$/;
const EMAIL_RE = /^[^\s@()<>,;:\\"[\]]+@[^\s@()<>,;:\\"[\].]+(?:\.[^\s@()<>,;:\\"[\].]+)*\.[A-Za-z0-9-]{2,}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const chars = (s) => [...(s || '')].length;
const isDate = (s) => {
  const t = DATE_RE.test(s) ? Date.parse(`${s}T00:00:00Z`) : NaN;
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
};

export const PHONE_HINT = '手机号如 13812345678，固定电话须带区号，如 021-12345678';

// checkForm(category, form, {submit, today}) → [[field, message], …].
// Drafts may be incomplete; a submission needs every field of the category
// (plus leader and phone) when the unit joins, only the unit name when not.
export function checkForm(category, f, { submit = false, today = '' } = {}) {
  const errs = [];
  const fail = (name, msg) => errs.push([name, msg]);
  if (submit && !f.unit_name) fail('unit_name', '请填写单位名称');
  else if (chars(f.unit_name) > 60) fail('unit_name', '单位名称不能超过 60 个字');
  if (submit && f.joins_pilot !== true && f.joins_pilot !== false) fail('joins_pilot', '请选择是否参与试点');
  if (f.joins_pilot === true) {
    if (category === 'market_regulation') {
      const n = (f.industries || []).length;
      if (submit && n === 0) fail('industries', '请至少选择 1 个试点行业');
      else if (n > 10) fail('industries', '试点行业最多选择 10 个');
    } else {
      if (submit && !f.province) fail('province', '请填写所属省市');
      else if (chars(f.province) > 30) fail('province', '所属省市不能超过 30 个字');
      if (f.founded && !isDate(f.founded)) fail('founded', '成立时间须为有效日期，按 年-月-日 填写，如 2003-06-18');
      else if (f.founded && today && f.founded > today) fail('founded', '成立时间不能晚于今天');
      else if (submit && !f.founded) fail('founded', '请填写成立时间');
      if (submit && !f.ownership) fail('ownership', '请选择机构属性');
      if (submit && f.ownership === 'other' && !f.ownership_other) fail('ownership_other', '选择“其他”时请填写具体的机构属性');
      if (submit && !f.qualifications) fail('qualifications', '请填写认证资质');
      else if (chars(f.qualifications) > 500) fail('qualifications', '认证资质不能超过 500 个字');
    }
    if (submit && !f.leader) fail('leader', '请填写提升行动负责人');
    else if (chars(f.leader) > 30) fail('leader', '负责人姓名不能超过 30 个字');
    if (submit && !f.contact_phone) fail('contact_phone', '请填写联系电话');
    else if (f.contact_phone && !PHONE_RE.test(f.contact_phone)) fail('contact_phone', `联系电话格式不正确：${PHONE_HINT}`);
    if (f.contact_email && (!EMAIL_RE.test(f.contact_email) || chars(f.contact_email) > 100)) fail('contact_email', '电子邮箱格式不正确，如 pilot@example.cn');
  }
  if (chars(f.remarks) > 500) fail('remarks', '备注不能超过 500 个字');
  return errs;
}

// The server names form fields plainly ("contact_phone"); accept "form.x" too.
export function fieldName(serverField) {
  if (!serverField) return null;
  return String(serverField).replace(/^form\./, '').replace(/\[\d+\]$/, '');
}

// ---- The table ---------------------------------------------------------

// A paper-style check mark: ☑ chosen / ☐ not chosen.
function mark(label, on) {
  return h(`span.decl-mark${on ? '.decl-mark-on' : ''}`, h('span.decl-box', { 'aria-hidden': 'true' }, on ? '☑' : '☐'),
    h('span', { text: label }), on ? h('span.sr-only', '（已选）') : null);
}

function req() { return h('span.req', { 'aria-hidden': 'true' }, '*'); }

function radio(name, value, label, checked, extra = {}) {
  return h('label.check', h('input', { type: 'radio', name, value, checked: !!checked, ...extra }), h('span', { text: label }));
}

// declarationTable({category, form, industries, editable, today}) →
// { el, values(), check(submit), showErrors(errs), clearErrors(), setSubmitMarks() }.
// industries: the catalogue names offered to market-regulation units.
export function declarationTable({ category, form = {}, industries = [], editable = false, today = '' }) {
  const f = form || {};
  const isCb = category === 'certification_body';
  const inputs = {};
  const required = []; // the * marks that only count when the unit joins
  const rowLabel = (text, forId, id) => (forId
    ? h('label', { for: forId, id }, text)
    : h('span', { id }, text));

  // Value cell: editable → a .field wrapper (server errors land in it).
  const valueCell = (name, content, attrs = {}) => h('td.decl-value', attrs,
    editable ? h('div.field.decl-field', { dataset: { field: name } }, content) : content);
  const readText = (name, cls = '') => {
    const t = formatValue(name, f);
    return t ? h(`div.decl-text${cls}`, { text: t }) : h('div.decl-text.decl-empty', '—');
  };

  // 单位名称（盖章）
  let unitCell;
  const unitId = uid('decl');
  if (editable) {
    inputs.unit_name = h('input', { id: unitId, name: 'unit_name', type: 'text', maxlength: '60', value: f.unit_name || '', autocomplete: 'organization' });
    unitCell = valueCell('unit_name', inputs.unit_name);
  } else {
    unitCell = h('td.decl-value', readText('unit_name', '.decl-unit-name'));
  }
  const unitRow = h('tr', h('th.decl-label', { colspan: '2', scope: 'row' },
    rowLabel('单位名称（盖章）', editable ? unitId : null), editable ? req() : null), unitCell);

  // 单位类别 — shown, never editable.
  const catRow = h('tr', h('th.decl-label', { colspan: '2', scope: 'row' }, '单位类别'),
    h('td.decl-value', h('div.decl-marks',
      mark('市场监管部门', !isCb), mark('认证机构', isCb)),
    editable ? h('p.field-hint', '由所属单位确定，不可更改') : null));

  // 参与试点 是/否
  const joinsId = uid('decl');
  let joinsCell;
  if (editable) {
    inputs.joinsYes = h('input', { type: 'radio', name: 'joins_pilot', value: 'true', checked: f.joins_pilot === true });
    inputs.joinsNo = h('input', { type: 'radio', name: 'joins_pilot', value: 'false', checked: f.joins_pilot === false });
    joinsCell = valueCell('joins_pilot', h('div.radio-group', { role: 'radiogroup', 'aria-labelledby': joinsId },
      h('label.check', inputs.joinsYes, h('span', '是')), h('label.check', inputs.joinsNo, h('span', '否'))));
  } else {
    joinsCell = h('td.decl-value', h('div.decl-marks', mark('是', f.joins_pilot === true), mark('否', f.joins_pilot === false)));
  }
  const joinsRow = h('tr', h('th.decl-label', { colspan: '2', scope: 'row' },
    rowLabel('参与试点', null, joinsId), editable ? req() : null), joinsCell);

  // The category block.
  const rows = [];
  const addRow = (label, cell, { forId, id, star = true } = {}) => {
    const r = star && editable ? req() : null;
    if (r) required.push(r);
    rows.push([h('th.decl-label', { scope: 'row' }, rowLabel(label, forId, id), r), cell]);
  };
  const textInput = (name, attrs = {}) => {
    const el = h('input', { id: uid('decl'), name, type: 'text', value: f[name] || '', ...attrs });
    inputs[name] = el;
    return el;
  };
  const textArea = (name, attrs = {}) => {
    const el = h('textarea', { id: uid('decl'), name, rows: '3', ...attrs });
    el.value = f[name] || '';
    inputs[name] = el;
    return el;
  };

  if (!isCb) {
    // 试点行业（初步意向）: checkboxes from the catalogue (plus any stored name
    // the catalogue no longer has, so nothing is silently dropped).
    const id = uid('decl');
    const chosen = new Set(f.industries || []);
    const names = [...industries, ...[...chosen].filter((n) => !industries.includes(n))];
    if (editable) {
      inputs.industries = names.map((n) => h('input', { type: 'checkbox', name: 'industries', value: n, checked: chosen.has(n) }));
      addRow('试点行业（初步意向）', valueCell('industries', [h('div.check-grid', { role: 'group', 'aria-labelledby': id },
        inputs.industries.map((cb) => h('label.check', cb, h('span', { text: cb.value })))),
      h('p.field-hint', '可多选（1–10 个），从本行动的试点行业目录中选择')]), { id });
    } else {
      addRow('试点行业（初步意向）', h('td.decl-value', readText('industries')), { id });
    }
  } else {
    const provId = uid('decl');
    addRow('所属省市', editable ? valueCell('province', textInput('province', { id: provId, maxlength: '30', placeholder: '如 上海市' }))
      : h('td.decl-value', readText('province')), { forId: editable ? provId : null });
    const fdId = uid('decl');
    // A text field in the platform's YYYY-MM-DD form rather than type=date,
    // whose look (mm/dd/yyyy …) follows the browser's language, not the page's.
    addRow('成立时间', editable ? valueCell('founded', [textInput('founded', {
      id: fdId, maxlength: '10', inputmode: 'numeric', placeholder: '如 2003-06-18', class: 'decl-date',
    }), h('p.field-hint', '按 年-月-日 填写，如 2003-06-18')])
      : h('td.decl-value', readText('founded')), { forId: editable ? fdId : null });

    const ownId = uid('decl');
    if (editable) {
      inputs.ownership = OWNERSHIP.map(([v]) => h('input', { type: 'radio', name: 'ownership', value: v, checked: f.ownership === v }));
      inputs.ownership_other = h('input', {
        id: uid('decl'), name: 'ownership_other', type: 'text', maxlength: '30', value: f.ownership_other || '',
        'aria-label': '其他机构属性（请填写）', class: 'decl-other-input',
      });
      const syncOther = () => {
        const other = inputs.ownership.find((r) => r.value === 'other').checked;
        inputs.ownership_other.disabled = !other;
      };
      for (const r of inputs.ownership) r.addEventListener('change', syncOther);
      syncOther();
      addRow('机构属性', valueCell('ownership', h('div.radio-group.decl-ownership', { role: 'radiogroup', 'aria-labelledby': ownId },
        inputs.ownership.map((r, i) => (OWNERSHIP[i][0] === 'other'
          ? h('span.decl-other', h('label.check', r, h('span', '其他（')),
            h('span.field.decl-other-field', { dataset: { field: 'ownership_other' } }, inputs.ownership_other), h('span', '）'))
          : h('label.check', r, h('span', { text: OWNERSHIP[i][1] })))))), { id: ownId });
    } else {
      addRow('机构属性', h('td.decl-value', h('div.decl-marks.decl-ownership', OWNERSHIP.map(([v, label]) => mark(
        v === 'other' ? `其他（${f.ownership === 'other' ? f.ownership_other || '' : '　　　　'}）` : label, f.ownership === v)))), { id: ownId });
    }
    const qId = uid('decl');
    addRow('认证资质', editable ? valueCell('qualifications', [textArea('qualifications', { id: qId, maxlength: '500', rows: '4' }),
      h('p.field-hint', '如 CNCA 批准号、获认可的认证领域等，不超过 500 字')])
      : h('td.decl-value', readText('qualifications', '.decl-pre')), { forId: editable ? qId : null });
  }

  // 提升行动负责人 and 联系方式 (both categories).
  const leaderId = uid('decl');
  addRow('提升行动负责人', editable ? valueCell('leader', textInput('leader', { id: leaderId, maxlength: '30', autocomplete: 'name' }))
    : h('td.decl-value', readText('leader')), { forId: editable ? leaderId : null });
  const contactId = uid('decl');
  let contactCell;
  if (editable) {
    const phone = textInput('contact_phone', { type: 'tel', maxlength: '24', autocomplete: 'tel', inputmode: 'tel', placeholder: '如 021-12345678' });
    const email = textInput('contact_email', { type: 'email', maxlength: '100', autocomplete: 'email', placeholder: '如 name@example.cn' });
    const phoneReq = req();
    required.push(phoneReq);
    contactCell = h('td.decl-value', h('div.decl-contact', { role: 'group', 'aria-labelledby': contactId },
      h('div.field.decl-field', { dataset: { field: 'contact_phone' } },
        h('label.decl-sublabel', { for: phone.id }, '联系电话', phoneReq), phone),
      h('div.field.decl-field', { dataset: { field: 'contact_email' } },
        h('label.decl-sublabel', { for: email.id }, '电子邮箱'), email)));
  } else {
    contactCell = h('td.decl-value', h('div.decl-contact-read',
      f.contact_phone ? h('div', h('span.decl-sub', '电话：'), h('span', { text: f.contact_phone })) : null,
      f.contact_email ? h('div', h('span.decl-sub', '邮箱：'), h('span', { text: f.contact_email })) : null,
      !f.contact_phone && !f.contact_email ? h('div.decl-text.decl-empty', '—') : null));
  }
  rows.push([h('th.decl-label', { scope: 'row' }, h('span', { id: contactId }, '联系方式')), contactCell]);

  const blockTitle = isCb ? '认证机构填写' : '市场监管部门填写';
  const block = h('tbody.decl-block', { dataset: { category } },
    rows.map(([th, td], i) => h('tr', i === 0
      ? h('th.decl-block-label', { rowspan: String(rows.length), scope: 'rowgroup' }, h('span', { text: blockTitle }))
      : null, th, td)));
  const blockNote = h('tbody.decl-block-note', h('tr', h('td', { colspan: '3' },
    '本单位不参与试点，无需填写“', blockTitle, '”部分。')));

  // 备注
  const remarksId = uid('decl');
  const remarksRow = h('tr', h('th.decl-label', { colspan: '2', scope: 'row' }, rowLabel('备注', editable ? remarksId : null)),
    editable ? valueCell('remarks', textArea('remarks', { id: remarksId, maxlength: '500', rows: '2' }))
      : h('td.decl-value', readText('remarks', '.decl-pre')));

  const table = h('table.decl-table', { 'aria-label': '试点工作申报表' },
    h('colgroup', h('col.decl-col-block'), h('col.decl-col-label'), h('col.decl-col-value')),
    h('tbody', unitRow, catRow, joinsRow), block, blockNote, h('tbody', remarksRow));

  const el = h('div.decl-sheet',
    h('p.decl-annex', '附件2'),
    h('h2.decl-title', h('span', '小微企业质量管理体系提升行动'), h('span', '试点工作申报表')),
    table);

  // Joins 否 (or not chosen yet in a read-only view): the block is hidden.
  const joins = () => {
    if (!editable) return f.joins_pilot;
    if (inputs.joinsYes.checked) return true;
    if (inputs.joinsNo.checked) return false;
    return null;
  };
  const syncJoins = () => {
    const j = joins();
    block.hidden = j === false;
    blockNote.hidden = j !== false;
  };
  if (editable) for (const r of [inputs.joinsYes, inputs.joinsNo]) r.addEventListener('change', syncJoins);
  syncJoins();

  const val = (name) => {
    const el2 = inputs[name];
    const v = el2 ? el2.value.trim() : '';
    return v === '' ? null : v;
  };

  function values() {
    const out = { unit_name: val('unit_name'), joins_pilot: joins() };
    if (out.joins_pilot !== false) {
      if (!isCb) {
        out.industries = inputs.industries.filter((c) => c.checked).map((c) => c.value);
      } else {
        out.province = val('province');
        out.founded = val('founded');
        const own = inputs.ownership.find((r) => r.checked);
        out.ownership = own ? own.value : null;
        out.ownership_other = out.ownership === 'other' ? val('ownership_other') : null;
        out.qualifications = val('qualifications');
      }
      out.leader = val('leader');
      out.contact_phone = val('contact_phone');
      out.contact_email = val('contact_email');
    }
    out.remarks = inputs.remarks ? inputs.remarks.value.trim() : '';
    return out;
  }

  function clearErrors() { clearFormErrors(el); }
  // Put each message under its field; returns how many were placed.
  function showErrors(errs) {
    let n = 0;
    for (const [name, msg] of errs) if (setFieldError(el, fieldName(name), msg)) n++;
    const first = el.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
    return n;
  }

  return { el, values, clearErrors, showErrors, check: (submit) => checkForm(category, values(), { submit, today }) };
}

// ---- Deadline banner, versions, history -------------------------------

// The 申报表报送 deadline relative to today, and what it means for this
// declaration. deadline: {due, days_left, state}.
export function deadlineBanner(deadline, decl, { allowLate = true } = {}) {
  if (!deadline) return null;
  const submitted = decl && (decl.status === 'submitted' || decl.status === 'accepted');
  const overdue = deadline.days_left < 0;
  const kind = submitted ? 'info' : overdue ? 'warning' : deadline.state === 'upcoming' ? 'info' : 'warning';
  let note;
  if (submitted) {
    note = decl.late ? `已于 ${fmtDateTime(decl.submitted_at)} 逾期提交。` : `已于 ${fmtDateTime(decl.submitted_at)} 按时提交。`;
  } else if (overdue) {
    note = allowLate ? '已过截止日期，仍可提交，提交后将标记为“逾期提交”。' : '已过截止日期，不能再提交，请联系市局。';
  } else {
    note = '请在截止日期前提交；提交后由市局审核。';
  }
  // Once submitted the deadline is met ('done'): the day count no longer matters.
  const days = submitted || deadline.state === 'done'
    ? (decl && decl.late ? tag('逾期提交', 'red-outline') : tag('已完成', 'green'))
    : h(`span.days.days-${deadline.state}`, { text: daysLeftText(deadline.days_left) });
  return h(`div.alert.alert-${kind}.decl-deadline`, { role: 'status' },
    h('span.decl-deadline-main', `申报表报送截止 ${deadline.due}`), days,
    h('span.decl-deadline-note', { text: note }));
}

export function lateTag(decl) {
  return decl && decl.late ? tag('逾期提交', 'red-outline') : null;
}

export function returnReasonBox(decl, { forUnit = true } = {}) {
  if (!decl || decl.status !== 'returned' || !decl.return_reason) return null;
  return h('div.alert.decl-returned', { role: 'alert' },
    h('p.decl-returned-title', '市局退回意见'),
    h('p.decl-returned-reason', { text: decl.return_reason }),
    forUnit ? h('p.decl-returned-hint', '请按意见修改申报表后重新提交。') : null);
}

const SCAN_BADGE = { 'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG' };

export function scanInfo(decl) {
  const s = decl && decl.scan;
  if (!s) return h('p.decl-scan-none', '尚未上传盖章扫描件。');
  return h('div.decl-scan',
    h('span.decl-scan-icon', { 'aria-hidden': 'true' }, SCAN_BADGE[s.content_type] || '文件'),
    h('div.decl-scan-meta',
      h('span.decl-scan-name', { text: s.filename }),
      h('span.cell-muted', `${fmtSize(s.size)} · 上传于 ${fmtDateTime(s.uploaded_at)}`)),
    h('a.btn.btn-small', { href: `/api/v1/declarations/${decl.id}/scan`, download: true }, '下载'));
}

const VERSION_RESULT = {
  submitted: ['待审核', 'blue'],
  returned: ['已退回', 'orange'],
  accepted: ['已通过', 'green'],
};

export function versionsTable(decl) {
  const list = [...(decl.versions || [])].sort((a, b) => b.version - a.version);
  const latest = list.length ? list[0].version : 0;
  return dataTable([
    { primary: true, label: '版本', render: (v) => h('span.cell-strong', `第 ${v.version} 版`), cls: 'nowrap' },
    { label: '提交时间', render: (v) => fmtDateTime(v.submitted_at), cls: 'nowrap' },
    { label: '提交人', render: (v) => (v.submitted_by ? h('code.username', v.submitted_by) : '—') },
    {
      label: '审核结果',
      render: (v) => {
        // docs/api.md names it status_after; the server sends outcome.
        const after = v.status_after || v.outcome
          || (v.version === latest && decl.status === 'submitted' ? 'submitted' : null);
        const [label, colour] = VERSION_RESULT[after] || [null];
        return label ? tag(label, colour) : after ? statusTag(after) : '—';
      },
      cls: 'nowrap',
    },
    { label: '退回意见', render: (v) => v.return_reason || '—' },
  ], list, { caption: '版本记录', empty: emptyState('还没有提交过', '每次提交都会保存一个版本。') });
}

const HISTORY_ACTIONS = {
  'declaration.create': '新建草稿',
  'declaration.update': '保存修改',
  'declaration.submit': '提交',
  'declaration.return': '退回',
  'declaration.accept': '通过',
  'declaration.scan': '上传盖章扫描件',
};
const HISTORY_COLOUR = {
  'declaration.submit': 'blue', 'declaration.return': 'orange', 'declaration.accept': 'green',
};

function historyDetail(r) {
  const d = r.detail && typeof r.detail === 'object' ? r.detail : {};
  const parts = [];
  if (d.version) parts.push(`第 ${d.version} 版`);
  if (d.late === true) parts.push('逾期提交');
  if (d.reason) parts.push(`退回意见：${d.reason}`);
  if (d.filename) parts.push(`文件：${d.filename}${d.size ? `（${fmtSize(d.size)}）` : ''}`);
  return parts.length ? parts.join('；') : '—';
}

export function historyTable(decl) {
  const list = [...(decl.history || [])].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return dataTable([
    { label: '时间', render: (r) => fmtDateTime(r.at), cls: 'nowrap' },
    { label: '操作人', render: (r) => (r.username ? h('code.username', r.username) : '—') },
    { primary: true, label: '操作', render: (r) => tag(HISTORY_ACTIONS[r.action] || r.action, HISTORY_COLOUR[r.action] || 'grey'), cls: 'nowrap' },
    { label: '说明', render: historyDetail },
  ], list, { caption: '办理记录', empty: emptyState('暂无办理记录') });
}

// The catalogue's industry names (for the checkboxes and the filters).
export async function catalogueIndustries(prog) {
  if (prog && prog.industries) return prog.industries.map((i) => i.name);
  const list = await get('/programmes', { per_page: 50 });
  const p = (list.items || [])[0];
  return p ? (p.industries || []).map((i) => i.name) : [];
}

// The declaration's 申报表报送 deadline: from the record, else from the programme.
export function declarationDeadline(decl, prog) {
  if (decl && decl.deadline) return decl.deadline;
  const d = prog && (prog.deadlines || []).find((x) => x.key === 'declaration');
  return d ? { due: d.due, days_left: d.days_left, state: d.state } : null;
}
