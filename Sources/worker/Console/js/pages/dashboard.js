import {h, fill, table, number, time, message} from '../dom.js';
import {api} from '../api.js';
import {t} from '../i18n.js';
import {drawChart} from '../charts.js';

/** GET /dashboard every two seconds until the page is left. */
export function dashboardPage(main) {
  const body = h('div', {id: 'dashboard'});
  const updated = h('p', {class: 'hint', id: 'dashboard-updated'});
  main.append(h('h1', {}, t('nav.dashboard')), updated, body);
  let timer = null;
  let stopped = false;
  async function refresh() {
    try {
      const view = await api('GET', '/dashboard');
      if (stopped) return;
      fill(body, render(view));
      updated.textContent = `${t('dashboard.updated')} ${time(view.at)}`;
    } catch (error) {
      if (!stopped) fill(body, message('error', error.message));
    }
    if (!stopped) timer = setTimeout(refresh, 2000);
  }
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

function figure(label, value, id) {
  return h('div', {class: 'figure'}, h('div', {class: 'value', id}, value), h('div', {class: 'label'}, label));
}

const waiting = ['queued', 'retrying', 'deferred', 'unknown'];
const lanes = ['transactional', 'reminder', 'marketing'];
const statuses = [...waiting, 'sending', 'submitted'];

function render(view) {
  const count = (lane, status) => view.queue.counts
    .filter((c) => (!lane || c.lane === lane) && (!status || c.status === status)).reduce((sum, c) => sum + c.messages, 0);
  const due = waiting.reduce((sum, status) => sum + count(null, status), 0);
  const sending = count(null, 'sending');
  const awaiting = count(null, 'submitted');
  const throughput = view.throughput;
  return [
    h('div', {class: 'grid'},
      h('div', {class: 'card wide'}, h('h2', {}, t('dashboard.queue')),
        h('div', {class: 'figures'}, figure(t('dashboard.due'), number(due), 'queue-due'),
          figure(t('dashboard.sending'), number(sending), 'queue-sending'),
          figure(t('dashboard.awaiting'), number(awaiting), 'queue-awaiting')),
        table([t('dashboard.lane'), ...statuses.map((status) => t(`message.${status}`))],
          lanes.map((lane) => [t(`lane.${lane}`), ...statuses.map((status) => count(lane, status))]), {id: 'queue-lanes'})),
      h('div', {class: 'card'}, h('h2', {}, t('dashboard.throughput')),
        throughput ? [
          h('div', {class: 'figures'},
            figure(t('dashboard.lastMinute'), number(throughput.last_minute), 'throughput-minute'),
            figure(t('dashboard.quarterHour'), number(throughput.last_quarter_hour), 'throughput-quarter'),
            figure(t('dashboard.perMinute'), number(Math.round(throughput.per_minute)), 'throughput-average')),
          drawChart({kind: 'lines', title: t('dashboard.perMinuteChart'),
            labels: throughput.minutes.map((_, i) => `-${throughput.minutes.length - 1 - i}`),
            series: [{name: t('dashboard.accepted'), values: throughput.minutes}], unit: 'messages'}),
        ] : h('p', {class: 'hint'}, t('dashboard.noDispatcher'))),
      h('div', {class: 'card'}, h('h2', {}, t('dashboard.errors')),
        view.errors.length
          ? table([t('dashboard.kind'), t('dashboard.messages')], view.errors.map((e) => [e.kind, e.messages]), {id: 'errors'})
          : h('p', {class: 'hint', id: 'errors'}, t('dashboard.noErrors')))),
    h('div', {class: 'card'}, h('h2', {}, t('dashboard.gateways')),
      table([t('gateway.name'), t('gateway.kind'), t('gateway.channels'), t('gateway.breaker'), t('gateway.inFlight'),
        t('dashboard.accepted'), t('gateway.refused')],
      view.gateways.map((g) => [g.name, g.kind, g.channels.join(', '),
        g.breaker ? h('span', {class: `badge ${g.breaker}`}, t(`breaker.${g.breaker}`)) : '-',
        g.in_flight ?? '-', g.accepted ?? '-', g.refused ?? '-']), {id: 'gateways'})),
    h('div', {class: 'card'}, h('h2', {}, t('dashboard.campaigns')),
      view.campaigns.length ? table(
        [t('campaign.name'), t('campaign.status'), t('campaign.progress'), t('figure.messages'), t('figure.pending'),
          t('figure.sent'), t('figure.delivered'), t('figure.failed')],
        view.campaigns.map((c) => [
          h('a', {href: `#/campaign/${encodeURIComponent(c.name)}`}, c.title ? `${c.name} (${c.title})` : c.name),
          h('span', {class: `badge ${c.status}`}, t(`status.${c.status}`)),
          h('progress', {max: 1, value: c.progress ?? 0, title: c.progress === null ? '-' : `${(c.progress * 100).toFixed(0)}%`}),
          c.messages, c.pending, c.sent, c.delivered, c.failed]), {id: 'running-campaigns'})
        : h('p', {class: 'hint'}, t('dashboard.noCampaigns'))),
  ];
}
