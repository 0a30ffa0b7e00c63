// A ReportDocument rendered whatever its kind: each section's table in column order, its charts, its notes.
import {h, table, number, percent} from './dom.js';
import {drawChart} from './charts.js';

/** Fractions the report keeps as numbers from 0 to 1 (rates, conversion) are shown as percentages. */
export function isPercent(key) {
  return /(^|_)(rate|share|conversion)(_|$)/.test(key);
}

/** Differences of two fractions (lift and its interval) are shown in signed percentage points, as the CLI does. */
export function isPoints(key) {
  return /^lift(_|$)/.test(key);
}

export function cellText(key, value) {
  if (value === null || value === undefined) return '-';
  if (typeof value !== 'number') return String(value);
  if (isPercent(key)) return percent(value);
  if (isPoints(key)) return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} pt`;
  return number(value);
}

export function renderSection(section) {
  const rows = section.rows.map((row) => section.columns.map((column) => {
    const value = row[column.key];
    return typeof value === 'number' && !isPercent(column.key) && !isPoints(column.key) ? value : cellText(column.key, value);
  }));
  return h('section', {class: 'report-section', 'data-section': section.id},
    h('h2', {}, section.heading),
    section.columns.length ? table(section.columns.map((c) => c.title), rows, {'data-report-table': section.id}) : null,
    section.charts.map(drawChart),
    section.notes.length ? h('ul', {class: 'notes'}, section.notes.map((note) => h('li', {}, note))) : null);
}

export function renderReport(document) {
  return h('article', {class: 'report', 'data-kind': document.kind},
    h('h1', {}, document.title, document.subtitle ? h('span', {class: 'hint'}, ` — ${document.subtitle}`) : null),
    document.sections.map(renderSection));
}

/** Sum of a column over a section's rows (the campaign page's totals). */
export function total(section, key) {
  return section.rows.reduce((sum, row) => sum + (typeof row[key] === 'number' ? row[key] : 0), 0);
}
