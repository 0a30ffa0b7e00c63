// The console's shell: hash routes to pages, the navigation, the language toggle and the session.
import {h, fill} from './dom.js';
import {session} from './api.js';
import {t, language, setLanguage} from './i18n.js';
import {loginPage} from './pages/login.js';
import {dashboardPage} from './pages/dashboard.js';
import {campaignsPage, campaignPage} from './pages/campaigns.js';
import {editorPage} from './pages/editor.js';
import {memberPage} from './pages/member.js';
import {tasksPage} from './pages/tasks.js';
import {reportsPage} from './pages/reports.js';
import {branchesPage} from './pages/branches.js';

/** Route name → page; a page renders into `main` and may return a function that stops its timers. */
const pages = {
  login: loginPage, dashboard: dashboardPage, campaigns: campaignsPage, campaign: campaignPage, new: editorPage,
  member: memberPage, tasks: tasksPage, reports: reportsPage, branches: branchesPage,
};
const navigation = ['dashboard', 'campaigns', 'new', 'tasks', 'member', 'reports', 'branches'];
let stop = null;

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return {name: pages[name] ? name : 'dashboard', parameters: rest.map(decodeURIComponent)};
}

function render() {
  if (stop) stop();
  stop = null;
  const {name, parameters} = route();
  if (!session.token && name !== 'login') {
    location.hash = '#/login';
    return;
  }
  document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
  document.title = `Tidings — ${t(`nav.${name}`)}`;
  fill(document.getElementById('nav'), session.token ? navigation.map((page) =>
    h('a', {href: `#/${page}`, class: page === name ? 'current' : null, id: `nav-${page}`}, t(`nav.${page}`))) : []);
  const toggle = document.getElementById('language');
  toggle.textContent = t('language.other');
  const logout = document.getElementById('logout');
  logout.textContent = t('logout');
  logout.hidden = !session.token;
  const main = document.getElementById('main');
  main.replaceChildren();
  stop = pages[name](main, ...parameters) || null;
}

document.getElementById('language').addEventListener('click', () => {
  setLanguage(language() === 'zh' ? 'en' : 'zh');
  render();
});
document.getElementById('logout').addEventListener('click', () => {
  session.token = null;
  location.hash = '#/login';
});
window.addEventListener('hashchange', render);
render();
