import {h, message} from '../dom.js';
import {api, session, ApiFailure} from '../api.js';
import {t} from '../i18n.js';

/** A token from `tidings token create`, checked with one read before it is kept (in this tab only). */
export function loginPage(main) {
  const input = h('input', {type: 'password', id: 'token', autocomplete: 'off', placeholder: 'tdg_…'});
  const status = h('div', {id: 'login-status'});
  if (session.notice) status.append(message('error', `${t('login.expired')} (${session.notice})`));
  session.notice = null;
  const form = h('form', {class: 'card login', id: 'login-form'},
    h('h1', {}, t('login.title')),
    h('label', {for: 'token'}, t('login.token')), input,
    h('p', {class: 'hint'}, t('login.hint')),
    status,
    h('button', {type: 'submit', id: 'login-submit'}, t('login.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    try {
      await api('GET', '/dashboard', undefined, token);
      session.token = token;
      location.hash = '#/dashboard';
    } catch (error) {
      status.replaceChildren(message('error', error instanceof ApiFailure ? `${t('login.refused')}: ${error.message}` : String(error)));
    }
  });
  main.append(form);
  input.focus();
}
