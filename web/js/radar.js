// radar.js — an SVG radar chart of clause scores (0–5), no library.
//
//   import { radarChart } from '../radar.js';
//   const svg = radarChart({
//     axes: [{ label: '4 组织环境' }, { label: '5 领导作用' }, …],         // 3 or more
//     series: [
//       { name: '本次诊断', values: [3.2, 2.7, null, …], kind: 'current' },
//       { name: '首次诊断', values: [2.0, 1.7, 2.2, …], kind: 'before' },
//       { name: '企业自评', values: [2.0, 1.8, 2.1, …], kind: 'self' },
//     ],
//   }, { values: false, max: 5, size: 420, title: '各条款得分' });   // options: all optional
//   → SVGElement (class "radar"), scales with its container (viewBox, width 100%).
//
// Stable signature: radarChart({ axes: [{label}], series: [{name, values:
// [number|null], kind: 'current'|'before'|'self'}] }, opts?) → SVGElement.
// values[i] belongs to axes[i]; null = no score (that vertex is left out and
// the line is broken there). The series are drawn in order, the first on the
// bottom; the legend lists them in order. kind picks the look: current solid
// blue with a fill, before dashed grey, self dotted orange. opts.values puts
// the first series' value under each axis label.
// Colours and sizes are presentation attributes, so the chart looks right
// without any stylesheet (and under the strict CSP: no style attributes);
// css/diagnosis.css only adds the sizing of .radar.

const NS = 'http://www.w3.org/2000/svg';

const LOOK = {
  current: { stroke: '#1a56a8', fill: '#1a56a8', fillOpacity: 0.18, dash: null, width: 2.2 },
  before: { stroke: '#7b838f', fill: '#7b838f', fillOpacity: 0.08, dash: '6 4', width: 1.8 },
  self: { stroke: '#c8620a', fill: 'none', fillOpacity: 0, dash: '2 3', width: 2 },
};

function el(name, attrs = {}, text) {
  const n = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    n.setAttribute(k, String(v));
  }
  if (text !== undefined) n.textContent = String(text);
  return n;
}

const fmt = (v) => (v === null || v === undefined || Number.isNaN(Number(v)) ? '—' : Number(v).toFixed(1));
const r2 = (x) => Math.round(x * 100) / 100;

// Rough width of a label in px (CJK ≈ 1 em, Latin ≈ .6 em).
function textWidth(s, size) {
  let w = 0;
  for (const ch of String(s)) w += /[\u0000-\u00ff]/.test(ch) ? size * 0.6 : size;
  return w;
}

export function radarChart({ axes = [], series = [] } = {}, opts = {}) {
  const max = opts.max || 5;
  const size = opts.size || 420;
  const font = 13;
  const n = axes.length;
  const R = Math.round(size * 0.28);
  const cx = size / 2;
  const cy = R + 40;
  const legendY = cy + R + (opts.values ? 58 : 46);
  const svg = el('svg', {
    xmlns: NS, viewBox: `0 0 ${size} ${legendY + 22}`, class: 'radar', role: 'img',
    'font-family': '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif',
  });
  const summary = series.map((s) => `${s.name}：${axes.map((a, i) => `${a.label} ${fmt(s.values[i])}`).join('，')}`).join('；');
  const title = `${opts.title || '各条款得分雷达图'}（满分 ${max} 分）。${summary}`;
  svg.setAttribute('aria-label', title);
  svg.append(el('title', {}, title));
  if (n < 3) {
    svg.append(el('text', { x: cx, y: cy, 'text-anchor': 'middle', fill: '#5a6270', 'font-size': font }, '条款不足，无法绘制雷达图'));
    return svg;
  }

  const angle = (i) => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const point = (i, v) => {
    const r = (R * Math.max(0, Math.min(max, v))) / max;
    return [r2(cx + r * Math.cos(angle(i))), r2(cy + r * Math.sin(angle(i)))];
  };

  // Rings (1…max) and their values along the first axis.
  const grid = el('g', { class: 'radar-grid' });
  for (let k = 1; k <= max; k++) {
    const pts = axes.map((_, i) => point(i, k).join(',')).join(' ');
    grid.append(el('polygon', {
      points: pts, fill: k === max ? '#fafbfc' : 'none', stroke: k === max ? '#b9c0ca' : '#dfe3e8', 'stroke-width': 1,
    }));
  }
  for (let i = 0; i < n; i++) {
    const [x, y] = point(i, max);
    grid.append(el('line', { x1: cx, y1: cy, x2: x, y2: y, stroke: '#dfe3e8', 'stroke-width': 1 }));
  }
  svg.append(grid);
  const ticks = el('g', { class: 'radar-ticks', fill: '#8a919b', 'font-size': 10, 'text-anchor': 'start' });
  for (let k = 1; k <= max; k++) {
    const [x, y] = point(0, k);
    ticks.append(el('text', { x: x + 3, y: y + 3.5 }, k));
  }

  // Series.
  series.forEach((s, si) => {
    const look = LOOK[s.kind] || LOOK.current;
    const g = el('g', { class: `radar-series radar-${s.kind || 'current'}`, 'data-series': si });
    const vals = axes.map((_, i) => {
      const v = s.values ? s.values[i] : null;
      return v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v);
    });
    const line = {
      stroke: look.stroke, 'stroke-width': look.width, 'stroke-dasharray': look.dash, 'stroke-linejoin': 'round',
    };
    if (vals.every((v) => v !== null)) {
      g.append(el('polygon', {
        points: vals.map((v, i) => point(i, v).join(',')).join(' '),
        fill: look.fill, 'fill-opacity': look.fillOpacity, ...line,
      }));
    } else {
      // Broken line: segments between neighbouring scored axes only.
      let d = '';
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        if (vals[i] === null || vals[j] === null) continue;
        const [x1, y1] = point(i, vals[i]);
        const [x2, y2] = point(j, vals[j]);
        d += `M${x1} ${y1}L${x2} ${y2}`;
      }
      if (d) g.append(el('path', { d, fill: 'none', ...line }));
    }
    vals.forEach((v, i) => {
      if (v === null) return;
      const [x, y] = point(i, v);
      g.append(el('circle', {
        cx: x, cy: y, r: s.kind === 'current' || !s.kind ? 3.2 : 2.6,
        fill: s.kind === 'self' ? '#fff' : look.stroke, stroke: look.stroke, 'stroke-width': 1.5,
      }));
    });
    svg.append(g);
  });
  svg.append(ticks);

  // Axis labels, outside the outer ring; the first series' value under each.
  const labels = el('g', { class: 'radar-labels', fill: '#1f2329', 'font-size': font });
  let minX = 0;
  let maxX = size;
  axes.forEach((a, i) => {
    const ang = angle(i);
    const cos = Math.cos(ang);
    const sin = Math.sin(ang);
    const x = r2(cx + (R + 12) * cos);
    let y = r2(cy + (R + 12) * sin);
    const anchor = Math.abs(cos) < 0.2 ? 'middle' : (cos > 0 ? 'start' : 'end');
    if (sin < -0.8) y -= opts.values ? 18 : 4;
    else if (sin > 0.8) y += 12;
    else y += 4;
    const t = el('text', { x, y, 'text-anchor': anchor }, a.label);
    labels.append(t);
    const w = textWidth(a.label, font);
    const left = anchor === 'start' ? x : (anchor === 'end' ? x - w : x - w / 2);
    minX = Math.min(minX, left - 4);
    maxX = Math.max(maxX, left + w + 4);
    if (opts.values && series.length) {
      const v = series[0].values ? series[0].values[i] : null;
      labels.append(el('text', {
        x, y: y + 16, 'text-anchor': anchor, 'font-weight': 700, 'font-size': 12,
        fill: (LOOK[series[0].kind] || LOOK.current).stroke,
      }, fmt(v)));
    }
  });
  svg.append(labels);

  // Legend, centred under the chart; wraps onto more rows when it is wide.
  let height = legendY + 22;
  if (series.length) {
    const items = series.map((s) => ({ s, w: 30 + textWidth(s.name, 12) + 18 }));
    const rows = [[]];
    let rowW = 0;
    for (const it of items) {
      if (rows[rows.length - 1].length && rowW + it.w > size - 8) { rows.push([]); rowW = 0; }
      rows[rows.length - 1].push(it);
      rowW += it.w;
    }
    const legend = el('g', { class: 'radar-legend', 'font-size': 12, fill: '#3b424c' });
    rows.forEach((row, ri) => {
      const y = legendY + ri * 22;
      let x = Math.max(4, (size - row.reduce((sum, it) => sum + it.w, 0) + 18) / 2);
      for (const { s, w } of row) {
        const look = LOOK[s.kind] || LOOK.current;
        legend.append(el('line', {
          x1: x, y1: y, x2: x + 24, y2: y,
          stroke: look.stroke, 'stroke-width': look.width + 0.6, 'stroke-dasharray': look.dash,
        }));
        legend.append(el('circle', { cx: x + 12, cy: y, r: 3, fill: s.kind === 'self' ? '#fff' : look.stroke, stroke: look.stroke, 'stroke-width': 1.5 }));
        legend.append(el('text', { x: x + 30, y: y + 4 }, s.name));
        x += w;
      }
    });
    height += (rows.length - 1) * 22;
    svg.append(legend);
  }
  // Long labels: widen the view rather than cut them off.
  svg.setAttribute('viewBox', `${r2(Math.min(0, minX))} 0 ${r2(Math.max(size, maxX) - Math.min(0, minX))} ${height}`);
  return svg;
}
