import {h, fill, table, number, debounce, message} from '../dom.js';
import {api, ApiFailure} from '../api.js';
import {t} from '../i18n.js';

const channels = ['sms', 'email', 'voice', 'fax'];

/**
 * The campaign editor for marketing staff: the fields of a campaign file, a live member count for the audience and a
 * live preview of the messages, then Create + Launch after a confirmation. It sends the definition a campaign file
 * holds (`POST /campaigns`), so what it makes is what `tidings campaign create FILE` would make.
 */
export function editorPage(main) {
  const field = (id, attributes = {}) => h('input', {id: `editor-${id}`, ...attributes});
  const inputs = {
    name: field('name', {placeholder: 'winter-dishes', pattern: '[a-z0-9][a-z0-9-]*', required: true}),
    title: field('title', {placeholder: '冬季新菜上市'}),
    category: h('select', {id: 'editor-category'}, ['marketing', 'service', 'survey'].map((c) =>
      h('option', {value: c}, t(`category.${c}`)))),
    audience: h('textarea', {id: 'editor-audience', rows: 3, spellcheck: 'false',
      placeholder: "consent(sms, marketing) AND days_since_last_order <= 180"}),
    template: field('template', {list: 'editor-templates', placeholder: 'new-dishes'}),
    values: h('textarea', {id: 'editor-values', rows: 3, spellcheck: 'false', placeholder: 'dish: 松鼠桂鱼\noffer: 新菜八折'}),
    schedule: h('select', {id: 'editor-schedule'}, ['now', 'at', 'local_time'].map((s) =>
      h('option', {value: s}, t(`schedule.${s}`)))),
    scheduleValue: field('schedule-value', {placeholder: '2026-12-01 10:00'}),
    windowFrom: field('window-from', {placeholder: '10:00', size: 6}),
    windowTo: field('window-to', {placeholder: '20:30', size: 6}),
    throttle: field('throttle', {type: 'number', min: 1, placeholder: '6000'}),
    expires: field('expires', {placeholder: '3d', size: 6}),
    control: field('control', {type: 'number', min: 0, max: 50, step: 1, value: '0'}),
  };
  const channelBoxes = channels.map((c) => h('input', {type: 'checkbox', id: `editor-channel-${c}`, value: c, checked: c === 'sms'}));
  const templates = h('datalist', {id: 'editor-templates'});
  const variants = h('div', {class: 'variants', id: 'editor-variants'});
  const count = h('div', {id: 'audience-count', class: 'hint'});
  const preview = h('div', {id: 'preview'}, h('p', {class: 'hint'}, t('editor.previewHint')));
  const yaml = h('pre', {id: 'editor-yaml', class: 'rendered'});
  const status = h('div', {id: 'editor-status'});
  const launch = h('button', {type: 'button', id: 'editor-launch'}, t('editor.launch'));
  const dialog = h('dialog', {id: 'launch-dialog'});
  let lastPreview = null;

  function addVariant(name = '', weight = '50', template = '') {
    const row = h('div', {class: 'variant'},
      h('input', {class: 'variant-name', placeholder: t('editor.variantName'), value: name}),
      h('input', {class: 'variant-weight', type: 'number', min: 0, placeholder: t('editor.weight'), value: weight}),
      h('input', {class: 'variant-template', list: 'editor-templates', placeholder: t('editor.template'), value: template}),
      h('button', {type: 'button', class: 'secondary', onclick: () => { row.remove(); changed(); }}, '×'));
    variants.append(row);
  }

  /** The definition as a campaign file holds it (keys as in campaigns/*.yaml). */
  function definition() {
    const d = {
      name: inputs.name.value.trim(), category: inputs.category.value, audience: inputs.audience.value.trim(),
      channels: channelBoxes.filter((box) => box.checked).map((box) => box.value),
    };
    if (inputs.title.value.trim()) d.title = inputs.title.value.trim();
    if (inputs.template.value.trim()) d.template = inputs.template.value.trim();
    const values = {};
    for (const line of inputs.values.value.split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    if (Object.keys(values).length) d.values = values;
    if (inputs.schedule.value !== 'now' && inputs.scheduleValue.value.trim()) {
      d.schedule = {[inputs.schedule.value]: inputs.scheduleValue.value.trim()};
    }
    if (inputs.windowFrom.value.trim() || inputs.windowTo.value.trim()) {
      d.window = {from: inputs.windowFrom.value.trim(), to: inputs.windowTo.value.trim()};
    }
    if (inputs.throttle.value) d.throttle = Number(inputs.throttle.value);
    const list = [...variants.querySelectorAll('.variant')].map((row) => {
      const variant = {name: row.querySelector('.variant-name').value.trim(),
        weight: Number(row.querySelector('.variant-weight').value || 0)};
      const template = row.querySelector('.variant-template').value.trim();
      if (template) variant.template = template;
      return variant;
    }).filter((v) => v.name);
    if (list.length) d.variants = list;
    d.control = Number(inputs.control.value || 0);
    if (inputs.expires.value.trim()) d.expires = inputs.expires.value.trim();
    return d;
  }

  const countAudience = debounce(async () => {
    const audience = inputs.audience.value.trim();
    if (!audience) return fill(count);
    try {
      const answer = await api('POST', '/segments/count', {audience});
      if (audience !== inputs.audience.value.trim()) return;
      fill(count, h('span', {id: 'audience-members', 'data-count': answer.members}, t('editor.members', {n: number(answer.members)})));
    } catch (error) {
      fill(count, message('error', error.message.split('\n')[0], 'audience-error'), caret(audience, error.message));
    }
  }, 400);

  const refreshPreview = debounce(async () => {
    const d = definition();
    yaml.textContent = toYAML(d);
    if (!d.audience || !d.channels.length) return;
    try {
      lastPreview = await api('POST', '/campaign-previews?sample=1', {...d, name: d.name || 'draft'});
      fill(preview, renderPreview(lastPreview));
    } catch (error) {
      lastPreview = null;
      fill(preview, message('error', error.message, 'preview-error'),
        error.issues?.length ? h('ul', {}, error.issues.map((i) => h('li', {}, `${i.field}: ${i.message}`))) : null);
    }
  }, 600);

  function changed() {
    refreshPreview();
  }

  async function create() {
    const d = definition();
    try {
      await api('POST', '/campaigns', d);
      await api('POST', `/campaigns/${encodeURIComponent(d.name)}/launch`);
      dialog.close();
      location.hash = `#/campaign/${encodeURIComponent(d.name)}`;
    } catch (error) {
      dialog.close();
      fill(status, message('error', error instanceof ApiFailure && error.status === 403
        ? `${t('campaign.forbidden')}: ${error.message}` : error.message, 'editor-error'),
      error.issues?.length ? h('ul', {}, error.issues.map((i) => h('li', {}, `${i.field}: ${i.message}`))) : null);
    }
  }

  launch.addEventListener('click', () => {
    const d = definition();
    if (!d.name) return fill(status, message('error', t('editor.needsName'), 'editor-error'));
    const cost = lastPreview ? lastPreview.renderings.reduce((sum, r) => sum + (r.sms?.cost || 0), 0) : null;
    fill(dialog, h('form', {method: 'dialog'},
      h('h2', {}, t('editor.confirmTitle', {name: d.name})),
      h('p', {id: 'launch-summary'}, lastPreview
        ? t('editor.confirmText', {members: number(lastPreview.audience - lastPreview.control), control: number(lastPreview.control)})
        : t('editor.confirmUnknown')),
      cost ? h('p', {}, `${t('editor.cost')}: ¥${number(cost)}`) : null,
      h('div', {class: 'row'},
        h('button', {type: 'button', class: 'secondary', id: 'launch-cancel', onclick: () => dialog.close()}, t('cancel')),
        h('button', {type: 'button', id: 'launch-confirm', onclick: create}, t('editor.confirmLaunch')))));
    dialog.showModal();
  });

  const labelled = (key, input, hint) => h('div', {}, h('label', {for: input.id}, t(`editor.${key}`)), input,
    hint ? h('div', {class: 'hint'}, hint) : null);
  main.append(h('h1', {}, t('nav.new')), h('div', {class: 'grid'},
    h('form', {class: 'card', id: 'editor', onsubmit: (e) => e.preventDefault()},
      h('div', {class: 'row'}, labelled('name', inputs.name), labelled('title', inputs.title), labelled('category', inputs.category)),
      labelled('audience', inputs.audience, t('editor.audienceHint')), count,
      h('label', {}, t('editor.channels')),
      h('div', {}, channelBoxes.map((box) => h('span', {}, box, h('label', {for: box.id, class: 'inline'}, t(`channel.${box.value}`))))),
      h('div', {class: 'row'}, labelled('template', inputs.template), templates),
      labelled('values', inputs.values, t('editor.valuesHint')),
      h('div', {class: 'row'}, labelled('schedule', inputs.schedule), labelled('scheduleValue', inputs.scheduleValue)),
      h('div', {class: 'row'}, labelled('windowFrom', inputs.windowFrom), labelled('windowTo', inputs.windowTo),
        labelled('throttle', inputs.throttle), labelled('expires', inputs.expires)),
      h('label', {}, t('editor.variants')), variants,
      h('button', {type: 'button', class: 'secondary', id: 'editor-add-variant', onclick: () => { addVariant(); changed(); }},
        t('editor.addVariant')),
      labelled('control', inputs.control, t('editor.controlHint')),
      status, h('div', {class: 'row'}, launch)),
    h('div', {}, h('div', {class: 'card'}, h('h2', {}, t('editor.preview')), preview),
      h('details', {class: 'card'}, h('summary', {}, t('editor.yaml')), yaml))),
  dialog);

  inputs.audience.addEventListener('input', countAudience);
  main.querySelector('#editor').addEventListener('input', changed);
  main.querySelector('#editor').addEventListener('change', changed);
  api('GET', '/templates').then(({templates: list}) => {
    fill(templates, list.map((one) => h('option', {value: one.name}, `${one.name} (${one.channels.join(', ')})`)));
  }).catch(() => {});
}

/** The segment parser's "column N" as a caret under the expression. */
function caret(expression, text) {
  const match = /column (\d+)/.exec(text);
  if (!match) return null;
  const column = Number(match[1]);
  return h('div', {class: 'caret', id: 'audience-caret', 'data-column': column}, `${expression}\n${' '.repeat(Math.max(0, column - 1))}^`);
}

function renderPreview(p) {
  return [
    h('p', {id: 'preview-audience', 'data-audience': p.audience},
      t('editor.previewAudience', {audience: number(p.audience), control: number(p.control)})),
    table([t('editor.variant'), t('editor.members', {n: ''}).trim(), t('editor.template')],
      p.split.map((s) => [s.variant, s.members, s.template || '-'])),
    p.renderings.map((r) => h('div', {class: 'rendering', 'data-variant': r.variant, 'data-channel': r.channel},
      h('h2', {}, `${r.variant} · ${t(`channel.${r.channel}`)}${r.member_no ? ` · ${r.member_no}` : ''}`),
      r.error ? message('error', r.error) : null,
      r.subject ? h('p', {}, h('strong', {}, `${t('editor.subject')}: `), r.subject) : null,
      r.text ? h('pre', {class: 'rendered preview-text'}, r.text) : null,
      r.say ? h('pre', {class: 'rendered preview-text'}, r.say) : null,
      r.sms ? h('p', {class: 'hint'}, t('editor.smsFigures', {encoding: r.sms.encoding, units: r.sms.units,
        segments: r.sms.segments, total: number(r.sms.audience_segments),
        cost: r.sms.cost === null || r.sms.cost === undefined ? '-' : `¥${number(r.sms.cost)}`})) : null)),
    p.lint.length ? h('ul', {id: 'preview-lint'}, p.lint.map((f) => h('li', {}, `${f.severity} ${f.template}: ${f.message}`))) : null,
    p.sample.length ? h('p', {class: 'hint'}, `${t('editor.sample')}: `,
      p.sample.map((m) => `${m.member_no} ${m.name} ${m.phone || ''}`).join('; ')) : null,
  ];
}

/** The definition as YAML, to keep as campaigns/NAME.yaml (strings quoted the JSON way, which YAML reads). */
function toYAML(value, indent = '') {
  const scalar = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  return Object.entries(value).map(([key, v]) => {
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== 'object')) return `${indent}${key}: [${v.map(scalar).join(', ')}]`;
      return `${indent}${key}:\n${v.map((x) => `${indent}  - {${Object.entries(x).map(([k, y]) => `${k}: ${scalar(y)}`).join(', ')}}`).join('\n')}`;
    }
    if (v && typeof v === 'object') return `${indent}${key}:\n${toYAML(v, `${indent}  `)}`;
    return `${indent}${key}: ${scalar(v)}`;
  }).join('\n');
}
