// pages/calendar.js — 工作日程: the programme's phases (timeline and table)
// and its statutory deadlines.
import { h, fmtDate, daysBetween, tag, PHASE_STATE } from '../util.js';
import { pageHeader, card, dataTable } from '../ui.js';
import { loadProgramme, deadlinesTable, noProgramme } from '../programme.js';

// A bar split into the phases, each roughly as wide as its length in days
// (with a minimum so short phases stay readable), and a marker at today
// placed inside the phase it falls in.
function timeline(phases, today) {
  if (!phases.length) return null;
  const bar = h('div.timeline-bar', { 'aria-hidden': 'true' });
  for (const p of phases) {
    const len = daysBetween(p.start, p.end) + 1;
    const seg = h(`div.timeline-seg.phase-${p.state}`,
      h('span.timeline-name', p.name),
      h('span.timeline-dates', `${fmtDate(p.start).slice(5)} ~ ${fmtDate(p.end).slice(5)}`));
    seg.style.flexGrow = String(len);
    const pos = daysBetween(p.start, today);
    if (pos >= 0 && pos < len) {
      const mark = h('div.timeline-today', h('span', `今天 ${today}`));
      mark.style.left = `${(pos / len) * 100}%`;
      seg.append(mark);
    }
    bar.append(seg);
  }
  return h('div.timeline', bar);
}

export async function render(ctx) {
  const { el, site } = ctx;
  const prog = await loadProgramme(site);
  if (!ctx.isCurrent()) return;
  if (!prog) { el.append(pageHeader('工作日程'), noProgramme()); return; }
  const today = prog.today || (site && site.today);
  el.append(pageHeader('工作日程', {
    sub: [prog.name, prog.notice ? `（${prog.notice}）` : '', today ? ` · 今天 ${today}` : ''].join(''),
  }));
  const phases = prog.phases || [];
  el.append(card('行动阶段',
    timeline(phases, today),
    dataTable([
      { primary: true, label: '阶段', render: (p) => h('span.cell-strong', p.name) },
      { label: '开始日期', render: (p) => fmtDate(p.start), cls: 'nowrap' },
      { label: '结束日期', render: (p) => fmtDate(p.end), cls: 'nowrap' },
      { label: '状态', render: (p) => { const [l, c] = PHASE_STATE[p.state] || [p.state, 'grey']; return tag(l, c); }, cls: 'nowrap' },
    ], phases, { caption: '行动阶段', rowClass: (p) => (p.state === 'current' ? 'row-current' : undefined) })));
  el.append(card('报送截止日期', deadlinesTable(prog.deadlines || []),
    prog.allow_late ? h('p.card-foot-note', '逾期报送仍可提交，系统将标注“逾期提交”。') : null));
}
