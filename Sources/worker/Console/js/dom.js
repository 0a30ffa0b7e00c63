// Elements are built with text nodes only (never innerHTML), so nothing the API returns can become markup.

/** h('td', {class: 'number'}, 'text', child…): attributes, then text or nodes (null and false are skipped). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `element`. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A table from column titles and rows of cells (a cell is text, a node, or {text, class}). */
export function table(titles, rows, attributes = {}) {
  const cell = (tag, value, numeric) => {
    if (value && typeof value === 'object' && !(value instanceof Node)) {
      return h(tag, {class: value.class}, value.text);
    }
    return h(tag, {class: numeric ? 'number' : null}, value);
  };
  const numeric = titles.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return h('div', {class: 'scroll'}, h('table', attributes,
    h('thead', {}, h('tr', {}, titles.map((t, i) => cell('th', t, numeric[i])))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((v, i) => cell('td', typeof v === 'number' ? number(v) : v, numeric[i])))))));
}

export function number(n) {
  if (n === null || n === undefined) return '-';
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', {maximumFractionDigits: 2});
}

export function percent(x) {
  return x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`;
}

export function time(iso) {
  if (!iso) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Calls `f` once `ms` have passed without another call. */
export function debounce(f, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

export function message(kind, text, id) {
  return h('div', {class: `message ${kind}`, id, role: kind === 'error' ? 'alert' : 'status'}, text);
}
