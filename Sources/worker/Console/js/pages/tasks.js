import {h, fill, table, time, message} from '../dom.js';
import {api, ApiFailure} from '../api.js';
import {t} from '../i18n.js';

/** Follow-ups for a manager: filtered as `tidings task list`, each open one closed with a note. */
export function tasksPage(main) {
  const status = h('select', {id: 'tasks-status'}, ['open', 'done', 'any'].map((s) => h('option', {value: s}, t(`task.${s}`))));
  const manager = h('input', {id: 'tasks-manager', placeholder: 'S0001'});
  const branch = h('input', {id: 'tasks-branch', placeholder: 'B01'});
  const result = h('div', {id: 'tasks-result'});
  const body = h('div', {id: 'tasks'});
  const form = h('form', {class: 'row'},
    h('div', {}, h('label', {for: 'tasks-status'}, t('task.status')), status),
    h('div', {}, h('label', {for: 'tasks-manager'}, t('task.manager')), manager),
    h('div', {}, h('label', {for: 'tasks-branch'}, t('task.branch')), branch),
    h('div', {}, h('button', {type: 'submit'}, t('task.show'))));
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  main.append(h('h1', {}, t('nav.tasks')), form, result, body);

  async function close(task, note) {
    try {
      await api('POST', `/tasks/${task.id}/close`, {note: note || undefined});
      fill(result, message('ok', t('task.closed', {id: task.id})));
    } catch (error) {
      fill(result, message('error', error instanceof ApiFailure && error.status === 403
        ? `${t('campaign.forbidden')}: ${error.message}` : error.message));
    }
    load();
  }

  async function load() {
    const query = new URLSearchParams({status: status.value});
    if (manager.value.trim()) query.set('manager', manager.value.trim());
    if (branch.value.trim()) query.set('branch', branch.value.trim());
    try {
      const {tasks} = await api('GET', `/tasks?${query}`);
      fill(body, tasks.length ? table(
        [t('task.id'), t('task.member'), t('task.reason'), t('task.due'), t('task.owner'), t('task.score'), t('task.comment'),
          t('task.status'), t('task.note')],
        tasks.map((task) => {
          const note = h('input', {class: 'task-note', id: `task-note-${task.id}`, placeholder: t('task.notePlaceholder')});
          return [task.id, `${task.member_no} ${task.member_name}`, task.reason, time(task.due_at),
            task.staff_name || task.staff_no || '-', task.score ?? '-', task.comment || '',
            t(`task.${task.status}`),
            task.status === 'open'
              ? h('span', {class: 'row'}, note, h('button', {type: 'button', id: `task-close-${task.id}`,
                onclick: () => close(task, note.value.trim())}, t('task.close')))
              : task.note || ''];
        }), {id: 'tasks-table'}) : h('p', {class: 'hint', id: 'tasks-none'}, t('task.none')));
    } catch (error) {
      fill(body, message('error', error.message));
    }
  }
  load();
}
