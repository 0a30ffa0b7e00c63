import {h, fill, table, message} from '../dom.js';
import {api, ApiFailure} from '../api.js';
import {t} from '../i18n.js';
import {renderReport} from '../report.js';

/** #/branches[/CODE]: the branches, and one branch's figures where the server has a branch report. */
export function branchesPage(main, code = '') {
  const list = h('div', {id: 'branches'}, t('loading'));
  const days = h('input', {id: 'branch-days', type: 'number', min: 1, max: 366, value: '30'});
  const report = h('div', {id: 'branch-report'});
  main.append(h('h1', {}, t('nav.branches')), list, report);
  api('GET', '/branches').then(({branches}) => {
    fill(list, table([t('branch.code'), t('branch.name'), t('branch.district'), t('branch.seats'), t('branch.phone')],
      branches.map((b) => [h('a', {href: `#/branches/${encodeURIComponent(b.code)}`}, b.code), b.name, b.district, b.seats,
        b.phone || '-']), {id: 'branches-table'}));
  }).catch((error) => fill(list, message('error', error.message)));
  if (!code) return;

  const show = () => {
    fill(report, t('loading'));
    api('GET', `/reports/branches?branch=${encodeURIComponent(code)}&days=${days.value}`)
      .then((document) => fill(report, controls, renderReport(document)))
      .catch((error) => fill(report, controls, error instanceof ApiFailure && error.status === 404
        ? message('info', `${t('branch.unavailable')} (${error.message})`, 'branch-unavailable') : message('error', error.message)));
  };
  const controls = h('form', {class: 'row'}, h('h2', {}, code),
    h('div', {}, h('label', {for: 'branch-days'}, t('report.days')), days),
    h('div', {}, h('button', {type: 'submit'}, t('report.show'))));
  controls.addEventListener('submit', (event) => { event.preventDefault(); show(); });
  show();
}
