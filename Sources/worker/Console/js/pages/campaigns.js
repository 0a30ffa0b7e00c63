import {h, fill, table, number, time, message} from '../dom.js';
import {api, ApiFailure} from '../api.js';
import {t} from '../i18n.js';
import {renderSection, total} from '../report.js';

export function campaignsPage(main) {
  const body = h('div', {}, t('loading'));
  main.append(h('div', {class: 'row'}, h('h1', {}, t('nav.campaigns')),
    h('div', {}, h('a', {class: 'button', href: '#/new', id: 'new-campaign'}, t('nav.new')))), body);
  api('GET', '/campaigns').then(({campaigns}) => {
    fill(body, campaigns.length ? table(
      [t('campaign.name'), t('campaign.title'), t('campaign.status'), t('campaign.category'), t('campaign.created'),
        t('campaign.launched'), t('figure.pending'), t('figure.sent'), t('figure.delivered'), t('figure.failed')],
      campaigns.map((c) => [h('a', {href: `#/campaign/${encodeURIComponent(c.name)}`}, c.name), c.title || '',
        h('span', {class: `badge ${c.status}`}, t(`status.${c.status}`)), t(`category.${c.category}`),
        time(c.created_at), time(c.launched_at), c.messages.queued, c.messages.sent, c.messages.delivered,
        c.messages.failed]), {id: 'campaigns'}) : h('p', {class: 'hint'}, t('campaigns.none')));
  }).catch((error) => fill(body, message('error', error.message)));
}

const actions = ['pause', 'resume', 'cancel'];

/** A campaign's status and figures (from its report, as `tidings report campaign` prints them), refreshed every 2 s. */
export function campaignPage(main, name) {
  const head = h('div', {});
  const controls = h('div', {class: 'actions'});
  const actionStatus = h('div', {id: 'campaign-action-status'});
  const figures = h('div', {class: 'card'});
  const report = h('div', {});
  main.append(head, controls, actionStatus, figures, report);
  let stopped = false;
  let timer = null;

  for (const action of actions) {
    controls.append(h('button', {
      type: 'button', id: `campaign-${action}`, class: action === 'resume' ? null : 'secondary',
      onclick: async () => {
        if (action === 'cancel' && !window.confirm(t('campaign.confirmCancel', {name}))) return;
        try {
          const answer = await api('POST', `/campaigns/${encodeURIComponent(name)}/${action}`);
          fill(actionStatus, message('ok', t(answer.changed ? 'campaign.changed' : 'campaign.unchanged',
            {status: t(`status.${answer.status}`)})));
        } catch (error) {
          fill(actionStatus, message('error', error instanceof ApiFailure && error.status === 403
            ? `${t('campaign.forbidden')}: ${error.message}` : error.message));
        }
        refresh(false);
      },
    }, t(`campaign.${action}`)));
  }

  async function refresh(again = true) {
    try {
      const [detail, doc] = await Promise.all([
        api('GET', `/campaigns/${encodeURIComponent(name)}`),
        api('GET', `/reports/campaigns/${encodeURIComponent(name)}`),
      ]);
      if (stopped) return;
      fill(head, h('h1', {}, detail.name, detail.definition.title ? ` — ${detail.definition.title}` : '', ' ',
        h('span', {class: `badge ${detail.status}`, id: 'campaign-status', 'data-status': detail.status},
          t(`status.${detail.status}`))),
      h('p', {class: 'hint'}, `${t(`category.${detail.category}`)} · ${t('campaign.audience')}: ${detail.definition.audience}`
        + ` · ${t('campaign.launched')}: ${time(detail.launched_at)}`));
      const variants = doc.sections.find((s) => s.id === 'variants') || doc.sections[0];
      const sum = (key) => (variants ? total(variants, key) : 0);
      const messages = sum('messages');
      const done = messages - sum('pending');
      fill(figures,
        h('div', {class: 'figures'}, ['messages', 'pending', 'sent', 'delivered', 'failed', 'replies'].map((key) =>
          h('div', {class: 'figure'}, h('div', {class: 'value', id: `figure-${key}`, 'data-value': sum(key)}, number(sum(key))),
            h('div', {class: 'label'}, t(`figure.${key}`))))),
        h('label', {}, t('campaign.progress')),
        h('progress', {max: Math.max(1, messages), value: done, id: 'campaign-progress'}));
      fill(report, doc.sections.map(renderSection));
    } catch (error) {
      if (!stopped) fill(report, message('error', error.message));
    }
    if (again && !stopped) timer = setTimeout(refresh, 2000);
  }
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
