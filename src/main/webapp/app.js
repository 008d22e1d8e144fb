// The chat page: creates runs and streams their events with the browser's own EventSource.
// Runs of this browser are kept in localStorage with the text rendered so far and the id of the
// last event rendered, so a reload resumes with ?last_event_id= and nothing is shown twice.
// With identity on, the page signs in through the server (api/v1/auth/login, OpenID Connect):
// the browser then holds an HttpOnly session cookie that fetch and EventSource send by themselves;
// the page never sees a token. Each user's runs are kept apart, and the list comes from the server.

const API = 'api/v1/chat/runs'; // relative: the page works under any context root
const AUTH = 'api/v1/auth';
let STORE = 'runstream.runs';
let CURRENT = 'runstream.current';
const KEEP = 50;
const RETRY_MS = 3000;
const RUN_ID = /^run_[A-Za-z0-9]+$/;
const ENDED = new Set(['completed', 'failed', 'cancelled']);
const TERMINAL = new Set(['run.completed', 'run.failed', 'run.cancelled']);
const HANDLED = ['run.created', 'run.in_progress', 'message.delta', 'message.completed', ...TERMINAL];

const $ = (id) => document.getElementById(id);
const ui = {
  empty: $('empty'), run: $('run'), runId: $('run-id'), prompt: $('prompt'), reply: $('reply'), runError: $('run-error'),
  status: $('status'), connection: $('connection'), form: $('composer'), message: $('message'),
  responder: $('responder'), delay: $('delay'), send: $('send'), stop: $('stop'),
  formError: $('form-error'), past: $('past'), noPast: $('no-past'), pastTitle: $('past-title'),
  account: $('account'), who: $('who'), whoName: $('who-name'), signIn: $('sign-in'),
  signOut: $('sign-out'), noSignIn: $('no-sign-in'), signInError: $('sign-in-error'),
};

const SIGN_IN_FAILED = {
  provider_unreachable: 'The identity provider cannot be reached. Try again in a moment.',
  refused: 'The identity provider did not sign you in.',
  expired: 'The sign-in took too long or was started in another tab. Sign in again.',
  token_not_accepted: "The identity provider's token is not accepted by this server (its issuer or audience).",
};

let session = { identity: 'off', signed_in: false }; // what api/v1/auth/session says
let runs = []; // newest first: {id, prompt, status, text, last, error, problem}
let shown = null; // the run on screen
let source = null; // its EventSource, while one is open
let sending = false;

// ---- storage -------------------------------------------------------------------------------

function load() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORE) ?? '[]');
    return Array.isArray(stored) ? stored.filter((r) => r && typeof r.id === 'string') : [];
  } catch {
    return [];
  }
}

function save() {
  try {
    localStorage.setItem(STORE, JSON.stringify(runs.slice(0, KEEP)));
    if (shown) localStorage.setItem(CURRENT, shown.id);
  } catch {
    // storage full or disabled: the page still works, it only forgets on reload
  }
}

function record(id) {
  let run = runs.find((r) => r.id === id);
  if (!run) {
    run = { id, prompt: '', status: '', text: '', last: 0, error: null, problem: null };
    runs.unshift(run);
  }
  return run;
}

// ---- HTTP ----------------------------------------------------------------------------------

/** Calls the API; resolves to the JSON answer, rejects with {title, detail} for any error. */
async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      // every POST says JSON, even without a body: the server takes no other (no page of another
      // site can send it without asking first)
      headers: body || method === 'POST' ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw { title: 'The service cannot be reached', detail: 'Check your connection and try again.' };
  }
  const type = response.headers.get('Content-Type') ?? '';
  const json = type.includes('json') ? await response.json().catch(() => null) : null;
  if (response.status === 401 && session.identity === 'on') signedOut();
  if (!response.ok) {
    throw {
      status: response.status,
      title: json?.title ?? `HTTP ${response.status}`,
      detail: json?.detail ?? response.statusText,
    };
  }
  return json;
}

// ---- streaming -----------------------------------------------------------------------------

function open(run) {
  close();
  const url = `${API}/${encodeURIComponent(run.id)}/events` + (run.last > 0 ? `?last_event_id=${run.last}` : '');
  const es = new EventSource(url);
  source = es;
  setConnection('connecting', 'connecting…');
  es.onopen = () => es === source && setConnection('live', 'live');
  es.onerror = () => {
    if (es !== source) return;
    if (es.readyState === EventSource.CONNECTING) {
      // the connection dropped: the browser reconnects by itself, sending Last-Event-ID
      setConnection('reconnecting', 'reconnecting…');
    } else {
      refused(run); // an answer other than a stream: 204, 404, 400 ...
    }
  };
  for (const type of HANDLED) {
    es.addEventListener(type, (e) => es === source && receive(run, e));
  }
}

function close(state = 'idle', label = 'idle') {
  if (source) {
    source.close();
    source = null;
  }
  setConnection(state, label);
}

function receive(run, message) {
  const id = Number(message.lastEventId);
  if (!(id > run.last)) return; // already rendered
  const event = JSON.parse(message.data);
  const data = event.data ?? {};
  switch (event.type) {
    case 'message.delta':
      run.text += data.delta ?? '';
      break;
    case 'message.completed':
      if (!run.text) run.text = data.content ?? ''; // a producer that sent no deltas
      break;
    default: // run.created, run.in_progress and the terminal events carry the run
      run.status = data.status ?? event.type.slice('run.'.length);
      run.error = data.error ?? null;
      if (!run.prompt) run.prompt = lastUserMessage(data);
  }
  run.last = id;
  if (TERMINAL.has(event.type)) {
    close('closed', 'closed'); // else the browser would reconnect when the server ends the stream
  }
  save();
  render();
}

/**
 * The server answered without a stream (204 nothing left, 404, 503 ...): the browser gives up,
 * so ask for the run itself, show why, and try again later if the run is still going.
 */
async function refused(run) {
  close('closed', 'closed');
  try {
    const current = await call('GET', `${API}/${encodeURIComponent(run.id)}`);
    Object.assign(run, { status: current.status, error: current.error, problem: null });
    if (!run.text && current.output) run.text = current.output.content;
  } catch (problem) {
    if (problem.status === 404) run.status = 'gone';
    run.problem = problem;
  }
  save();
  render();
  if (run === shown && active()) {
    setConnection('reconnecting', 'reconnecting…');
    setTimeout(() => run === shown && active() && !source && open(run), RETRY_MS);
  }
}

function lastUserMessage(run) {
  const messages = run.input?.messages ?? [];
  return [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

// ---- actions -------------------------------------------------------------------------------

async function send(event) {
  event.preventDefault();
  const content = ui.message.value.trim();
  if (!content || sending || active()) return;
  showFormError(null);
  const body = { messages: [{ role: 'user', content }], responder: ui.responder.value };
  if (ui.delay.value !== '' && ui.responder.value === 'echo') {
    body.options = { token_delay_ms: Number(ui.delay.value) };
  }
  sending = true;
  render();
  try {
    const created = await call('POST', API, body);
    const run = record(created.id);
    Object.assign(run, { prompt: content, status: created.status });
    ui.message.value = '';
    show(run);
  } catch (problem) {
    showFormError(problem);
  } finally {
    sending = false;
    render();
  }
}

async function stop() {
  if (!active()) return;
  const run = shown;
  try {
    const answer = await call('POST', `${API}/${encodeURIComponent(run.id)}/cancel`);
    if (!source) {
      run.status = answer.status; // no stream to tell us: take the answer's word
      save();
      render();
    }
  } catch (problem) {
    if (problem.status !== 409) showFormError(problem); // 409: it ended meanwhile; the stream says how
  }
}

/** Puts a run on screen and streams what it has not rendered yet, unless it has ended. */
function show(run, stream = !ENDED.has(run.status) && run.status !== 'gone') {
  shown = run;
  if (location.hash !== `#${run.id}`) history.replaceState(null, '', `#${run.id}`);
  save();
  if (stream) open(run);
  else close();
  render();
}

/** Opening a past run replays it from the start of its stream. */
function replay(run) {
  Object.assign(run, { text: '', last: 0, error: null, problem: null });
  show(run, true);
}

function mayChat() {
  return session.identity !== 'on' || session.signed_in;
}

function active() {
  return shown !== null && !ENDED.has(shown.status) && shown.status !== 'gone';
}

// ---- rendering -----------------------------------------------------------------------------

function setConnection(state, label) {
  ui.connection.dataset.state = state;
  ui.connection.textContent = label;
}

function describe(run) {
  if (run.problem) return `${run.problem.title}: ${run.problem.detail}`;
  if (run.error) return `Run failed (${run.error.code}): ${run.error.message}`;
  return '';
}

function showFormError(problem) {
  ui.formError.hidden = !problem;
  ui.formError.textContent = problem ? `${problem.title}: ${problem.detail}` : '';
}

function render() {
  ui.empty.hidden = shown !== null;
  ui.run.hidden = shown === null;
  if (shown) {
    ui.run.dataset.runId = shown.id;
    ui.runId.textContent = shown.id;
    ui.reply.dataset.lastEventId = String(shown.last);
    ui.prompt.textContent = shown.prompt;
    const rendered = ui.reply.textContent;
    if (shown.text.startsWith(rendered)) {
      ui.reply.append(shown.text.slice(rendered.length)); // screen readers announce the new words
    } else {
      ui.reply.textContent = shown.text;
    }
    ui.reply.classList.toggle('streaming', active());
    const error = describe(shown);
    ui.runError.hidden = !error;
    if (ui.runError.textContent !== error) ui.runError.textContent = error;
  } else {
    ui.reply.textContent = '';
  }
  const status = shown?.status || 'none';
  ui.status.dataset.status = status;
  ui.status.textContent = status.replace('_', ' ');
  const focused = document.activeElement;
  ui.send.disabled = sending || active() || !mayChat();
  ui.stop.disabled = !active();
  if (focused?.disabled) ui.message.focus(); // a disabled button would drop keyboard focus on the page
  renderPast();
}

let listed = '';

function renderPast() {
  const list = runs.slice(0, KEEP);
  const key = JSON.stringify(list.map((r) => [r.id, r.status, r.prompt, r === shown]));
  if (key === listed) return; // deltas change nothing here
  listed = key;
  ui.noPast.hidden = list.length > 0;
  const items = list.map((run) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.runId = run.id;
    if (run === shown) button.setAttribute('aria-current', 'true');
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = run.prompt || run.id;
    const status = document.createElement('span');
    status.className = 'badge';
    status.dataset.status = run.status;
    status.textContent = (run.status || 'unknown').replace('_', ' ');
    button.append(title, status);
    button.setAttribute('aria-label', `${title.textContent}, ${status.textContent}`);
    button.addEventListener('click', () => replay(run));
    item.append(button);
    return item;
  });
  const focused = document.activeElement?.dataset?.runId;
  ui.past.replaceChildren(...items);
  if (focused) ui.past.querySelector(`[data-run-id="${CSS.escape(focused)}"]`)?.focus();
}

// ---- start ---------------------------------------------------------------------------------

ui.form.addEventListener('submit', send);
ui.stop.addEventListener('click', stop);
ui.message.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.form.requestSubmit();
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && active()) stop();
});
window.addEventListener('hashchange', () => {
  const id = location.hash.slice(1);
  if (RUN_ID.test(id) && id !== shown?.id) replay(record(id));
});

// A reload (or a link to #run_id) picks up the run where the page left it.
function startingRun() {
  const linked = location.hash.slice(1);
  if (RUN_ID.test(linked)) return linked;
  try {
    return localStorage.getItem(CURRENT);
  } catch {
    return null;
  }
}

// ---- identity ------------------------------------------------------------------------------

async function whoAmI() {
  try {
    const response = await fetch(`${AUTH}/session`, { headers: { Accept: 'application/json' } });
    if (response.ok) session = await response.json();
  } catch {
    // an older server, or none: the page works as with identity off, and the API will say
  }
}

function renderAccount() {
  const on = session.identity === 'on';
  ui.account.hidden = !on;
  ui.who.hidden = !session.signed_in;
  ui.whoName.textContent = session.subject ?? '';
  ui.signOut.hidden = !session.signed_in;
  ui.signIn.hidden = !on || session.signed_in || !session.sign_in;
  ui.noSignIn.hidden = !on || session.signed_in || session.sign_in;
  ui.pastTitle.textContent = on ? 'Your runs' : 'Past runs of this browser';
  ui.message.disabled = !mayChat();
}

function signedOut() {
  session = { identity: 'on', sign_in: session.sign_in, signed_in: false };
  close('closed', 'closed');
  renderAccount();
  render();
}

/** Renews the session cookie shortly before its token expires. */
function scheduleRefresh() {
  if (!session.signed_in || !session.expires_at) return;
  const wait = Math.max(5000, Date.parse(session.expires_at) - Date.now() - 30000);
  setTimeout(async () => {
    try {
      const response = await fetch(`${AUTH}/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      });
      if (!response.ok) throw new Error(String(response.status));
      session = await response.json();
      scheduleRefresh();
    } catch {
      signedOut();
    }
  }, wait);
}

async function signOut() {
  try {
    await fetch(`${AUTH}/logout`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  } finally {
    signedOut();
  }
}

/** The runs the server keeps for this user, after those this browser knows. */
async function fetchListed() {
  try {
    const page = await call('GET', `${API}?limit=${KEEP}`);
    for (const stored of [...(page?.data ?? [])].reverse()) {
      if (runs.some((r) => r.id === stored.id)) continue;
      runs.push({ id: stored.id, prompt: lastUserMessage(stored), status: stored.status, text: '', last: 0, error: stored.error ?? null, problem: null });
    }
  } catch {
    // the list is a convenience: the page works without it
  }
}

function showSignInFailure() {
  const params = new URLSearchParams(location.search);
  const failed = params.get('sign_in');
  if (!failed) return;
  ui.signInError.hidden = false;
  ui.signInError.textContent = SIGN_IN_FAILED[failed] ?? 'The sign-in failed. Try again.';
  history.replaceState(null, '', location.pathname + location.hash);
}

ui.signOut.addEventListener('click', signOut);

async function begin() {
  await whoAmI();
  showSignInFailure();
  if (session.signed_in) {
    const scope = `.${encodeURIComponent(session.subject)}`;
    STORE += scope;
    CURRENT += scope;
  }
  runs = load();
  if (session.signed_in) {
    await fetchListed();
    scheduleRefresh();
  }
  renderAccount();
  const start = mayChat() ? startingRun() : null;
  if (start) show(record(start));
  else render();
  document.documentElement.dataset.ready = 'true';
}

begin();
