// A ReportChart ({kind, title, labels, series: [{name, values}], unit}) drawn as SVG; colours come from CSS classes.
import {h, number} from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attributes = {}, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = String(text);
  return element;
}

function svg(width, height, title) {
  const root = s('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img'});
  root.append(s('title', {}, title));
  return root;
}

function legend(series) {
  if (series.length < 2) return null;
  return h('div', {class: 'legend'}, series.map((one, i) => h('span', {}, h('span', {class: `swatch s${i % 6}`}), one.name)));
}

/** Grouped bars: one group per label, one bar per series. */
function bars(chart) {
  const width = 720, height = 260, left = 56, bottom = 40, top = 12;
  const max = Math.max(1, ...chart.series.flatMap((one) => one.values));
  const root = svg(width, height, chart.title);
  const plot = width - left - 10, tall = height - bottom - top;
  const group = plot / Math.max(1, chart.labels.length);
  const bar = Math.max(2, (group * 0.8) / Math.max(1, chart.series.length));
  root.append(s('line', {x1: left, y1: top + tall, x2: width - 10, y2: top + tall, class: 'axis'}));
  root.append(s('text', {x: left - 6, y: top + 10, 'text-anchor': 'end'}, number(max)));
  root.append(s('text', {x: left - 6, y: top + tall, 'text-anchor': 'end'}, '0'));
  chart.labels.forEach((label, i) => {
    chart.series.forEach((one, j) => {
      const value = one.values[i] || 0;
      const barHeight = (value / max) * tall;
      const x = left + i * group + group * 0.1 + j * bar;
      const rect = s('rect', {x, y: top + tall - barHeight, width: bar - 1, height: barHeight, class: `s${j % 6}`});
      rect.append(s('title', {}, `${one.name} ${label}: ${number(value)}`));
      root.append(rect);
    });
    const every = Math.ceil(chart.labels.length / 12);
    if (i % every === 0) {
      root.append(s('text', {x: left + i * group + group / 2, y: height - bottom + 16, 'text-anchor': 'middle'}, label));
    }
  });
  return [root, legend(chart.series)];
}

/** Lines over ordered labels. */
function lines(chart) {
  const width = 720, height = 240, left = 56, bottom = 36, top = 12;
  const max = Math.max(1, ...chart.series.flatMap((one) => one.values));
  const root = svg(width, height, chart.title);
  const plot = width - left - 10, tall = height - bottom - top;
  const step = plot / Math.max(1, chart.labels.length - 1);
  root.append(s('line', {x1: left, y1: top + tall, x2: width - 10, y2: top + tall, class: 'axis'}));
  root.append(s('text', {x: left - 6, y: top + 10, 'text-anchor': 'end'}, number(max)));
  root.append(s('text', {x: left - 6, y: top + tall, 'text-anchor': 'end'}, '0'));
  chart.series.forEach((one, j) => {
    const points = one.values.map((v, i) => `${left + i * step},${top + tall - ((v || 0) / max) * tall}`).join(' ');
    root.append(s('polyline', {points, class: `s${j % 6}`}));
  });
  const every = Math.ceil(chart.labels.length / 12);
  chart.labels.forEach((label, i) => {
    if (i % every === 0) root.append(s('text', {x: left + i * step, y: height - bottom + 16, 'text-anchor': 'middle'}, label));
  });
  return [root, legend(chart.series)];
}

/** Each series a column of steps; each step's bar is its share of the first, with its share of the step before. */
function funnel(chart) {
  const rowHeight = 26, labelWidth = 90, width = 720;
  const height = chart.series.length * (chart.labels.length * rowHeight + 24) + 8;
  const root = svg(width, height, chart.title);
  let y = 8;
  chart.series.forEach((one, j) => {
    root.append(s('text', {x: 0, y: y + 12, class: 'value'}, one.name));
    y += 18;
    const first = Math.max(1, one.values[0] || 0);
    chart.labels.forEach((label, i) => {
      const value = one.values[i] || 0;
      const barWidth = ((width - labelWidth - 170) * value) / first;
      root.append(s('text', {x: labelWidth - 8, y: y + 15, 'text-anchor': 'end'}, label));
      root.append(s('rect', {x: labelWidth, y, width: Math.max(1, barWidth), height: rowHeight - 6, class: `s${j % 6}`}));
      const before = i > 0 ? one.values[i - 1] : null;
      const share = before ? ` (${((value / before) * 100).toFixed(1)}%)` : '';
      root.append(s('text', {x: labelWidth + barWidth + 6, y: y + 15, class: 'value'}, `${number(value)}${share}`));
      y += rowHeight;
    });
    y += 6;
  });
  return [root];
}

export function drawChart(chart) {
  const draw = {bars, lines, funnel}[chart.kind];
  if (!draw) return h('p', {class: 'hint'}, `${chart.title}: ${chart.kind}`);
  return h('figure', {class: 'card', 'data-chart': chart.kind}, h('figcaption', {}, chart.title), draw(chart));
}
