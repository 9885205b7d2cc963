// pages/workplan.js — 工作方案 (#/workplan, district_officer): the district's
// 试点工作方案 for the current programme. 工作概述; 1–2 pilot industries, each
// with the district's registered enterprises of that industry to tick (at
// least 5, counted live) and the certification bodies selected for it; the
// implementation steps. 保存草稿 / 提交 (after a confirmation); the deadline,
// the late flag and the city's return reason; read-only once submitted or
// approved; the versions and the history at the bottom.
import { get, post, put } from '../api.js';
import { h, statusTag, fmtDateTime } from '../util.js';
import {
  card, button, confirmDialog, toast, errorBox, uid, clearFormErrors, setFieldError,
} from '../ui.js';
import { loadProgramme, noProgramme } from '../programme.js';
import {
  sizeTag, industryNames, selectedBodies, allPages, minEnterprises,
} from './enterprise-common.js';
import {
  lateTag, planDeadline, deadlineBanner, returnReasonBox, planView, versionsTable, historyTable,
} from './workplan-common.js';

async function loadMine() {
  try {
    const p = await get('/workplans/mine');
    if (p && (!p.versions || !p.history)) return await get(`/workplans/${p.id}`);
    return p;
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
}

export async function render(ctx) {
  const { el, user, site } = ctx;
  const [prog, plan] = await Promise.all([loadProgramme(site), loadMine()]);
  if (!ctx.isCurrent()) return;
  if (!prog) { el.append(h('h1.page-title', '工作方案'), noProgramme()); return; }
  const status = plan ? plan.status : null;
  const editable = !plan || status === 'draft' || status === 'returned';
  const reload = () => ctx.navigate(location.hash);
  const quotas = prog.quotas || {};
  const maxInd = quotas.max_industries_per_district || 2;
  const minInd = quotas.min_industries_per_district || 1;
  const minEnt = minEnterprises(prog);

  el.append(h('div.page-header',
    h('div.page-header-text',
      h('h1.page-title.wp-page-title', '试点工作方案',
        plan ? statusTag(status) : h('span.tag.tag-grey-outline', '未编制'), lateTag(plan)),
      h('p.page-sub', [user.unit ? user.unit.name : null, plan && plan.version ? `当前第 ${plan.version} 版` : null,
        plan && plan.submitted_at ? `提交于 ${fmtDateTime(plan.submitted_at)}` : null].filter(Boolean).join(' · ')))));
  el.append(deadlineBanner(planDeadline(plan, prog), plan, { allowLate: prog.allow_late !== false }));
  const returned = returnReasonBox(plan);
  if (returned) el.append(returned);

  if (!editable) {
    el.append(card(null, planView(plan),
      h('p.card-foot-note', status === 'approved'
        ? '工作方案已通过市局审核，不能再修改。'
        : '工作方案已提交，市局审核期间不能修改；如需修改，请联系市局退回。')));
  } else {
    el.append(await editor(ctx, { prog, plan, maxInd, minInd, minEnt, reload }));
  }
  if (!plan) return;
  if ((plan.versions || []).length) el.append(card('版本记录', versionsTable(plan)));
  el.append(card('办理记录', historyTable(plan)));
}

// ---- Editor ----------------------------------------------------------------

async function editor(ctx, { prog, plan, maxInd, minInd, minEnt, reload }) {
  const catalogue = industryNames(prog);
  const content = (plan && plan.content) || {};
  const form = h('form.wp-form', { novalidate: true });

  // 工作概述
  const summary = h('textarea', { name: 'summary', rows: '4', maxlength: '2000', id: uid('sum') });
  summary.value = content.summary || '';
  form.append(h('section.wp-section',
    h('div.field', { dataset: { field: 'summary' } },
      h('label.wp-section-title', { for: summary.id }, '工作概述'),
      summary,
      h('p.field-hint', '简要说明本区试点工作的总体安排：重点推进的试点行业、依托的园区和认证机构、工作目标等。'))));

  // 试点行业 blocks
  const blocksEl = h('div.wp-blocks');
  const blocks = [];
  const addBtn = button('＋ 添加试点行业', { kind: 'default', id: 'wp-add-industry' });
  const indError = h('div.wp-error-slot', { dataset: { slot: 'industries' } });
  const usedElsewhere = (blk) => new Set(blocks.filter((b) => b !== blk).map((b) => b.sel.value).filter(Boolean));
  const refreshBlocks = () => {
    blocks.forEach((b, i) => {
      b.no.textContent = `试点行业 ${i + 1}`;
      const used = usedElsewhere(b);
      for (const o of b.sel.options) if (o.value) o.disabled = used.has(o.value);
    });
    addBtn.disabled = blocks.length >= maxInd;
    addBtn.hidden = blocks.length >= maxInd;
  };
  const addBlock = async (ind) => {
    const blk = industryBlock({ ind, catalogue, minEnt, onRemove: async () => {
      const chosen = blk.values();
      if (chosen.industry && (chosen.enterprise_ids.length || chosen.cb_unit_ids.length)) {
        const ok = await confirmDialog({
          title: '删除试点行业',
          message: `确定从方案中删除“${chosen.industry}”及已勾选的 ${chosen.enterprise_ids.length} 家企业吗？保存后生效。`,
          confirmLabel: '删除', danger: true,
        });
        if (!ok) return;
      }
      blocks.splice(blocks.indexOf(blk), 1);
      blk.el.remove();
      refreshBlocks();
    }, onIndustry: refreshBlocks });
    blocks.push(blk);
    blocksEl.append(blk.el);
    refreshBlocks();
    await blk.ready;
  };
  addBtn.addEventListener('click', () => { if (blocks.length < maxInd) addBlock(null); });
  const initial = content.industries && content.industries.length ? content.industries : [null];
  await Promise.all(initial.map((ind) => addBlock(ind)));
  form.append(h('section.wp-section',
    h('div.wp-section-head', h('h3.wp-section-title', '试点行业与试点企业'),
      h('span.card-note', `应明确 ${minInd}—${maxInd} 个重点推进的试点行业，每个行业选取 ${minEnt} 家以上小微企业`)),
    indError, blocksEl, h('div.wp-add', addBtn)));

  // 实施步骤
  const stepsBody = h('tbody');
  const stepRows = [];
  const renumber = () => stepRows.forEach((r, i) => r.setNo(i + 1));
  const addStep = (s) => {
    const row = stepRow(s || {}, () => {
      stepRows.splice(stepRows.indexOf(row), 1);
      row.el.remove();
      renumber();
    });
    stepRows.push(row);
    stepsBody.append(row.el);
    renumber();
    return row;
  };
  for (const s of content.steps || []) addStep(s);
  if (!stepRows.length) addStep({});
  const addStepBtn = button('＋ 添加步骤', { kind: 'default', id: 'wp-add-step' });
  addStepBtn.addEventListener('click', () => { const r = addStep({}); r.focus(); });
  form.append(h('section.wp-section', { dataset: { slot: 'steps' } },
    h('div.wp-section-head', h('h3.wp-section-title', '实施步骤'),
      h('span.card-note', '至少填写一个步骤，开始日期不晚于结束日期')),
    h('div.wp-error-slot', { dataset: { slot: 'steps' } }),
    h('div.table-wrap', h('table.table.table-stack.wp-steps-table',
      h('caption.sr-only', '实施步骤'),
      h('thead', h('tr',
        h('th.col-no', { scope: 'col' }, '序号'), h('th', { scope: 'col' }, '步骤名称'), h('th', { scope: 'col' }, '开始'),
        h('th', { scope: 'col' }, '结束'), h('th', { scope: 'col' }, '说明'), h('th.col-actions', { scope: 'col' }, '操作'))),
      stepsBody)),
    h('div.wp-add', addStepBtn)));

  const saveBtn = button('保存草稿', { kind: 'default', id: 'wp-save' });
  const submitBtn = button(plan && plan.status === 'returned' ? '重新提交' : '提交', { kind: 'primary', type: 'submit', id: 'wp-submit' });
  form.append(h('div.form-actions.wp-actions', submitBtn, saveBtn,
    h('span.wp-actions-note', '草稿可以分次填写；提交时检查试点行业、企业数量、认证机构和实施步骤。')));

  // ---- values, checks, errors ----
  const values = () => ({
    summary: summary.value.trim(),
    industries: blocks.map((b) => b.values()).filter((x) => x.industry),
    steps: stepRows.map((r) => r.values()).filter((s) => s.title || s.start || s.end || s.description),
  });
  const slot = (name) => form.querySelector(`.wp-error-slot[data-slot="${name}"]`);
  const showAt = (target, message) => {
    const p = h('p.field-error.wp-error', { role: 'alert', text: message });
    target.append(p);
    return p;
  };
  const blockFor = (message) => blocks.find((b) => b.sel.value && message.includes(`“${b.sel.value}”`)) || blocks[0];
  const showError = (fieldName, message) => {
    let p = null;
    if (fieldName === 'summary') { setFieldError(form, 'summary', message); summary.focus(); return; }
    if (fieldName === 'enterprises' || fieldName === 'cbs') {
      const b = blockFor(message);
      if (b) p = showAt(b.slot(fieldName), message);
    } else if (fieldName === 'steps') {
      p = showAt(slot('steps'), message);
    } else if (fieldName === 'industries') {
      p = showAt(indError, message);
    }
    if (!p) p = showAt(form.querySelector('.wp-form-error-slot') || form.insertBefore(h('div.wp-form-error-slot'), form.firstChild), message);
    p.scrollIntoView({ block: 'center' });
  };
  const clearErrors = () => {
    clearFormErrors(form);
    for (const e of form.querySelectorAll('.wp-error')) e.remove();
  };
  const check = (c, submit) => {
    const errs = [];
    for (const [i, s] of c.steps.entries()) {
      if (s.start && s.end && s.start > s.end) errs.push(['steps', `第 ${i + 1} 个实施步骤的开始日期晚于结束日期`]);
    }
    if (!submit) return errs;
    if (c.industries.length < minInd) errs.push(['industries', `请至少选择 ${minInd} 个试点行业`]);
    for (const ind of c.industries) {
      if (ind.enterprise_ids.length < minEnt) errs.push(['enterprises', `每个试点行业应选取 ${minEnt} 家以上试点企业，“${ind.industry}”目前只选了 ${ind.enterprise_ids.length} 家`]);
      if (!ind.cb_unit_ids.length) errs.push(['cbs', `请为“${ind.industry}”选择提供帮扶服务的认证机构`]);
    }
    if (!c.steps.length) errs.push(['steps', '请至少填写一个试点工作实施步骤（含起止日期）']);
    for (const [i, s] of c.steps.entries()) {
      if (!s.title) errs.push(['steps', `第 ${i + 1} 个实施步骤缺少名称`]);
      else if (!s.start || !s.end) errs.push(['steps', `第 ${i + 1} 个实施步骤请填写起止日期`]);
    }
    return errs;
  };

  let current = plan;
  const save = async (c) => {
    current = current ? await put(`/workplans/${current.id}`, { content: c }) : await post('/workplans', { content: c });
    return current;
  };
  const busy = (on) => { saveBtn.disabled = on; submitBtn.disabled = on; };

  saveBtn.addEventListener('click', async () => {
    clearErrors();
    const c = values();
    const errs = check(c, false);
    if (errs.length) { for (const [f, m] of errs) showError(f, m); return; }
    busy(true);
    try {
      await save(c);
      toast('草稿已保存');
      reload();
    } catch (err) {
      showError(err.field, err.message);
    } finally {
      busy(false);
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const c = values();
    const errs = check(c, true);
    if (errs.length) { for (const [f, m] of errs) showError(f, m); return; }
    const dl = planDeadline(current, prog);
    const late = dl && dl.days_left < 0;
    const ok = await confirmDialog({
      title: '提交工作方案',
      message: h('div',
        h('p', `提交后工作方案将报送市局审核，审核期间不能修改。本方案包括 ${c.industries.length} 个试点行业、${c.industries.reduce((n, x) => n + x.enterprise_ids.length, 0)} 家试点企业、${c.steps.length} 个实施步骤。`),
        late ? h('p.dialog-note', `已过试点工作方案报送截止日期（${dl.due}），提交后将标记为“逾期提交”。`) : null,
        h('p', '确定提交吗？')),
      confirmLabel: '确认提交',
    });
    if (!ok) return;
    busy(true);
    try {
      await save(c);
      await post(`/workplans/${current.id}/submit`);
      toast('工作方案已提交');
      reload();
    } catch (err) {
      showError(err.field, err.message);
    } finally {
      busy(false);
    }
  });
  return card(null, form);
}

// One pilot industry: the industry, its enterprises to tick (live count) and
// the bodies selected for it.
function industryBlock({ ind, catalogue, minEnt, onRemove, onIndustry }) {
  const chosenEnts = new Set((ind && ind.enterprise_ids) || []);
  const chosenCbs = new Set((ind && ind.cb_unit_ids) || []);
  const known = new Map(((ind && ind.enterprises) || []).map((e) => [e.id, e]));
  const no = h('span.wp-block-no');
  const sel = h('select', { name: 'industry', id: uid('ind') },
    h('option', { value: '' }, '请选择试点行业'),
    catalogue.map((n) => h('option', { value: n, selected: ind && ind.industry === n }, n)),
    ind && ind.industry && !catalogue.includes(ind.industry) ? h('option', { value: ind.industry, selected: true }, ind.industry) : null);
  const count = h('span.wp-need', { 'aria-live': 'polite' });
  const entsEl = h('div.wp-ents');
  const cbsEl = h('div.wp-cbs');
  const entSlot = h('div.wp-error-slot');
  const cbSlot = h('div.wp-error-slot');
  const removeBtn = button('删除此行业', { kind: 'link', class: 'btn-link-danger', onClick: onRemove });

  const updateCount = () => {
    const n = [...entsEl.querySelectorAll('input[type="checkbox"][name="enterprise"]')].filter((c) => c.checked).length;
    count.textContent = `已选 ${n} 家 / 至少 ${minEnt} 家`;
    count.className = `wp-need ${n >= minEnt ? 'wp-need-ok' : 'wp-need-low'}`;
  };

  let seq = 0;
  const load = async () => {
    const industry = sel.value;
    const my = ++seq;
    if (!industry) {
      entsEl.replaceChildren(h('p.cell-muted', '请先选择试点行业。'));
      cbsEl.replaceChildren(h('p.cell-muted', '请先选择试点行业。'));
      updateCount();
      return;
    }
    entsEl.replaceChildren(h('p.loading', '正在加载本区企业…'));
    cbsEl.replaceChildren(h('p.loading', '正在加载…'));
    let ents;
    let bodies;
    try {
      [ents, bodies] = await Promise.all([allPages('/enterprises', { industry }), selectedBodies(industry)]);
    } catch (err) {
      if (my !== seq) return;
      entsEl.replaceChildren(errorBox(err));
      cbsEl.replaceChildren();
      return;
    }
    if (my !== seq) return;
    // Ticked enterprises no longer listed under the industry stay visible.
    const ids = new Set(ents.map((e) => e.id));
    const extra = [...chosenEnts].filter((id) => !ids.has(id)).map((id) => ({ ...(known.get(id) || { id, name: `企业 #${id}` }), missing: true }));
    const list = [...ents, ...extra];
    if (!list.length) {
      entsEl.replaceChildren(h('div.wp-none',
        h('p', `本区尚未登记“${industry}”行业的企业。`),
        h('p', h('a', { href: '#/enterprises/new' }, '新建企业'), ' 或 ', h('a', { href: '#/enterprises/import' }, '导入企业'), ' 后再选择。')));
    } else {
      const all = h('input', { type: 'checkbox', id: uid('all') });
      const boxes = [];
      const rows = list.map((e) => {
        const cb = h('input', { type: 'checkbox', name: 'enterprise', value: String(e.id), id: uid('ent'), checked: chosenEnts.has(e.id) });
        boxes.push(cb);
        cb.addEventListener('change', () => {
          if (cb.checked) chosenEnts.add(e.id); else chosenEnts.delete(e.id);
          all.checked = boxes.every((b) => b.checked);
          updateCount();
        });
        return h(`li.wp-ent${e.missing ? '.wp-ent-missing' : ''}`,
          cb,
          h('label.wp-ent-label', { for: cb.id },
            h('span.wp-ent-name', { text: e.name }),
            h('span.wp-ent-meta',
              e.uscc ? h('code.reg-uscc', e.uscc) : null,
              sizeTag(e),
              e.park ? h('span', { text: e.park }) : null,
              e.missing ? h('span.reg-warn-text', '已不在本行业名录中，建议取消勾选') : null)));
      });
      all.checked = boxes.length > 0 && boxes.every((b) => b.checked);
      all.addEventListener('change', () => {
        for (const b of boxes) { b.checked = all.checked; b.dispatchEvent(new Event('change')); }
      });
      entsEl.replaceChildren(
        h('div.wp-ents-head', h('label.check', { for: all.id }, all, h('span', `全选（本区“${industry}”共 ${list.length} 家）`))),
        h('ul.wp-ent-list', rows));
    }
    if (!bodies.length) {
      cbsEl.replaceChildren(h('p.reg-warn-text', `市局尚未为“${industry}”遴选认证机构，暂不能选择；请联系市局。`));
    } else {
      cbsEl.replaceChildren(h('div.wp-cb-list', bodies.map((b) => {
        const cb = h('input', { type: 'checkbox', name: 'cb', value: String(b.id), id: uid('cb'), checked: chosenCbs.has(b.id) });
        cb.addEventListener('change', () => { if (cb.checked) chosenCbs.add(b.id); else chosenCbs.delete(b.id); });
        return h('label.check.wp-cb-check', { for: cb.id }, cb, h('span', { text: b.name }));
      })));
    }
    updateCount();
  };
  sel.addEventListener('change', () => {
    // A new industry starts with a clean list.
    chosenEnts.clear();
    chosenCbs.clear();
    onIndustry();
    load();
  });

  const el = h('div.wp-block',
    h('div.wp-block-head', no, removeBtn),
    h('div.field.wp-ind-field', { dataset: { field: 'industry' } },
      h('label', { for: sel.id }, '试点行业', h('span.req', { 'aria-hidden': 'true' }, '*')), sel),
    h('div.wp-sub',
      h('div.wp-sub-head', h('span.wp-sub-title', '试点企业'), count),
      entSlot, entsEl),
    h('div.wp-sub',
      h('div.wp-sub-head', h('span.wp-sub-title', '帮扶认证机构'), h('span.cell-muted', '从市局为本行业遴选的认证机构中选择')),
      cbSlot, cbsEl));
  const ready = load();
  return {
    el,
    sel,
    no,
    ready,
    slot: (name) => (name === 'cbs' ? cbSlot : entSlot),
    values: () => ({
      industry: sel.value,
      enterprise_ids: [...entsEl.querySelectorAll('input[name="enterprise"]')].filter((c) => c.checked).map((c) => Number(c.value)),
      cb_unit_ids: [...cbsEl.querySelectorAll('input[name="cb"]')].filter((c) => c.checked).map((c) => Number(c.value)),
    }),
  };
}

// One implementation step as a table row of inputs.
function stepRow(s, onRemove) {
  const noCell = h('td.col-no', { dataset: { label: '序号' } });
  const title = h('input', { type: 'text', name: 'step_title', value: s.title || '', maxlength: '60' });
  const start = h('input', { type: 'date', name: 'step_start', value: s.start || '' });
  const end = h('input', { type: 'date', name: 'step_end', value: s.end || '' });
  const desc = h('input', { type: 'text', name: 'step_description', value: s.description || '', maxlength: '500' });
  const remove = h('button.btn.btn-link.btn-link-danger', { type: 'button', on: { click: onRemove } }, '删除');
  const titleCell = h('td.td-primary.wp-step-title', { dataset: { label: '步骤名称' } }, title);
  const el = h('tr.wp-step',
    noCell,
    titleCell,
    h('td', { dataset: { label: '开始' } }, start),
    h('td', { dataset: { label: '结束' } }, end),
    h('td', { dataset: { label: '说明' } }, desc),
    h('td.col-actions', { dataset: { label: '操作' } }, remove));
  return {
    el,
    focus: () => title.focus(),
    setNo: (n) => {
      noCell.textContent = String(n);
      titleCell.dataset.label = `第 ${n} 步 · 步骤名称`;
      title.setAttribute('aria-label', `第 ${n} 步 步骤名称`);
      start.setAttribute('aria-label', `第 ${n} 步 开始日期`);
      end.setAttribute('aria-label', `第 ${n} 步 结束日期`);
      desc.setAttribute('aria-label', `第 ${n} 步 说明`);
      remove.setAttribute('aria-label', `删除第 ${n} 步`);
    },
    values: () => ({ title: title.value.trim(), start: start.value, end: end.value, description: desc.value.trim() }),
  };
}
