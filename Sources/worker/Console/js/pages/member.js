import {h, fill, table, time, message} from '../dom.js';
import {api} from '../api.js';
import {t} from '../i18n.js';

/** A member's timeline by member number; contacts come masked unless the token reveals. */
export function memberPage(main, memberNo = '') {
  const input = h('input', {id: 'member-no', placeholder: 'M00000001', value: memberNo});
  const body = h('div', {id: 'member'});
  const form = h('form', {class: 'row', id: 'member-search'}, h('div', {}, h('label', {for: 'member-no'}, t('member.number')), input),
    h('div', {}, h('button', {type: 'submit'}, t('member.search'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim()) location.hash = `#/member/${encodeURIComponent(input.value.trim())}`;
  });
  main.append(h('h1', {}, t('nav.member')), form, body);
  if (!memberNo) return;
  fill(body, t('loading'));
  api('GET', `/members/${encodeURIComponent(memberNo)}/timeline?limit=200`).then((m) => {
    fill(body, h('div', {class: 'card'}, h('h2', {}, `${m.member_no} ${m.name}`),
      h('p', {}, `${t('member.level')}: ${m.level} · ${t('member.phone')}: ${m.phone || '-'} · ${t('member.email')}: ${m.email || '-'}`
        + ` · ${t('member.messages')}: ${m.message_count}`)),
    table([t('member.at'), t('member.kind'), t('member.what')], m.timeline.map((e) => [time(e.at), e.kind, e.text]), {id: 'timeline'}));
  }).catch((error) => fill(body, message('error', error.message)));
}
