import {h, fill, message} from '../dom.js';
import {api} from '../api.js';
import {t} from '../i18n.js';
import {renderReport} from '../report.js';

/** Report kinds the API serves and what each is asked for: a window in days, or a month. */
const kinds = {campaign: null, gateways: 'days', volumes: 'days', branches: 'days', contacts: 'days', churn: 'month', managers: 'month'};

/** #/reports/KIND[/NAME]: any ReportDocument the API serves, drawn by the generic renderer. */
export function reportsPage(main, kind = 'gateways', name = '') {
  const tabs = h('div', {class: 'tabs'}, Object.keys(kinds).map((k) =>
    h('a', {href: `#/reports/${k}`, class: k === kind ? 'current' : null, id: `report-tab-${k}`}, t(`report.${k}`))));
  const controls = h('form', {class: 'row', id: 'report-controls'});
  const body = h('div', {id: 'report'});
  main.append(h('h1', {}, t('nav.reports')), tabs, controls, body);

  const show = (path) => {
    fill(body, t('loading'));
    api('GET', path).then((document) => fill(body, renderReport(document)))
      .catch((error) => fill(body, message('error', error.message)));
  };

  if (kind === 'campaign') {
    const select = h('select', {id: 'report-campaign'}, h('option', {value: ''}, t('report.pick')));
    controls.append(h('div', {}, h('label', {for: 'report-campaign'}, t('report.campaign')), select));
    select.addEventListener('change', () => { if (select.value) location.hash = `#/reports/campaign/${encodeURIComponent(select.value)}`; });
    api('GET', '/campaigns').then(({campaigns}) => {
      for (const c of campaigns) select.append(h('option', {value: c.name, selected: c.name === name}, c.name));
    }).catch(() => {});
    if (name) show(`/reports/campaigns/${encodeURIComponent(name)}`);
    return;
  }
  if (kinds[kind] === 'month') {
    const month = h('input', {id: 'report-month', type: 'month', value: new Date().toISOString().slice(0, 7)});
    controls.append(h('div', {}, h('label', {for: 'report-month'}, t('report.month')), month),
      h('div', {}, h('button', {type: 'submit'}, t('report.show'))));
    controls.addEventListener('submit', (event) => { event.preventDefault(); show(`/reports/${kind}?month=${month.value}`); });
    show(`/reports/${kind}?month=${month.value}`);
    return;
  }
  const days = h('input', {id: 'report-days', type: 'number', min: 1, max: 366, value: kind === 'gateways' ? '1' : '7'});
  controls.append(h('div', {}, h('label', {for: 'report-days'}, t('report.days')), days),
    h('div', {}, h('button', {type: 'submit'}, t('report.show'))));
  controls.addEventListener('submit', (event) => { event.preventDefault(); show(`/reports/${kind}?days=${days.value}`); });
  show(`/reports/${kind}?days=${days.value}`);
}
