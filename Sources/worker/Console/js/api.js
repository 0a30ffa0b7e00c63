// Every call carries the token of this tab's session; a 401 ends the session and goes back to the login page.
const key = 'tidings.token';

export const session = {
  get token() { return sessionStorage.getItem(key); },
  set token(value) { value ? sessionStorage.setItem(key, value) : sessionStorage.removeItem(key); },
  /** Why the login page is shown (an expired or refused token). */
  get notice() { return sessionStorage.getItem('tidings.notice'); },
  set notice(value) { value ? sessionStorage.setItem('tidings.notice', value) : sessionStorage.removeItem('tidings.notice'); },
};

/** A refusal with the API's code, message and field (`{"error": {…}}`). */
export class ApiFailure extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code;
    this.field = error?.field;
    this.issues = error?.issues || [];
  }
}

export async function api(method, path, body, token = session.token) {
  const headers = {Authorization: `Bearer ${token || ''}`};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  const json = await response.json().catch(() => ({}));
  if (response.status === 401 && token === session.token) {
    session.token = null;
    session.notice = json?.error?.message || 'unauthorized';
    location.hash = '#/login';
  }
  if (!response.ok) throw new ApiFailure(response.status, json?.error);
  return json;
}
