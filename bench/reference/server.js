// The reference server: the v1 contract's external runs and their event streams, as little of
// them as the fan-out scenario needs, in plain Node.js (the http module only). It is the yardstick
// the benchmark holds the service against (bench/run fanout --reference), so it does nothing the
// service could not: every event is framed once and written to each subscriber as it is posted,
// one write per event per subscriber; no batching of writes, no dropping. It keeps its runs in
// memory only (the service commits each event to its store before it answers or streams it).
//
//   node bench/reference/server.js [PORT]     (or PORT=8094 node bench/reference/server.js)
'use strict';
const http = require('http');
const crypto = require('crypto');

const port = Number(process.argv[2] || process.env.PORT || 8094);
const HEARTBEAT_MS = 15000;
const RETRY_MS = 3000;
const TERMINAL = new Set(['run.completed', 'run.failed', 'run.cancelled']);
const runs = new Map();
let openStreams = 0;

const RUNS = '/api/v1/chat/runs';
const EVENTS = /^\/api\/v1\/chat\/runs\/([^/]+)\/events$/;
const RUN = /^\/api\/v1\/chat\/runs\/([^/]+)$/;

function newId() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.randomBytes(16);
  let id = 'run_';
  for (const b of bytes) id += alphabet[b % 62];
  return id;
}

function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function problem(res, status, title, detail) {
  send(res, status, { type: 'about:blank', title, status, detail });
}

function view(run, lastEventId = run.events.length) {
  return { ...run.view, status: run.status, last_event_id: lastEventId };
}

// The run as its own run.* event shows it: with that event's id as its last.
function shown(run) {
  return (id) => view(run, id);
}

// Appends one event to the run's log and writes it to every open stream of the run.
function append(run, type, payload) {
  const id = run.events.length + 1;
  if (TERMINAL.has(type)) {
    run.status = type.slice('run.'.length);
    run.view.completed_at = new Date().toISOString();
  }
  const data = typeof payload === 'function' ? payload(id) : payload;
  const envelope = { id, run_id: run.view.id, type, created_at: new Date().toISOString(), data };
  const frame = `event: ${type}\nid: ${id}\ndata: ${JSON.stringify(envelope)}\n\n`;
  run.events.push(frame);
  for (const stream of run.streams) {
    stream.write(stream.retryDue ? withRetry(frame) : frame);
    stream.retryDue = false;
    if (ended(run)) stream.end();
  }
  return id;
}

function withRetry(frame) {
  const cut = frame.indexOf('\ndata: ');
  return frame.slice(0, cut) + `\nretry: ${RETRY_MS}` + frame.slice(cut);
}

function ended(run) {
  return run.status !== 'queued' && run.status !== 'in_progress';
}

function create(req, res, body) {
  if (!body || body.responder !== 'external' || !Array.isArray(body.messages)) {
    return problem(res, 400, 'Invalid request', 'the reference takes external runs only');
  }
  const run = {
    view: {
      id: newId(),
      responder: 'external',
      model: null,
      input: { messages: body.messages },
      options: {},
      output: null,
      error: null,
      metadata: body.metadata || {},
      owner: null,
      created_at: new Date().toISOString(),
      started_at: null,
      completed_at: null,
    },
    status: 'queued',
    events: [],
    streams: new Set(),
  };
  runs.set(run.view.id, run);
  append(run, 'run.created', shown(run));
  send(res, 201, view(run), { Location: `${RUNS}/${run.view.id}` });
}

function publish(req, res, run, body) {
  if (ended(run)) return problem(res, 409, 'Run ended', 'the run has ended');
  const batch = body && Array.isArray(body.events) ? body.events : [body];
  if (batch.some((e) => !e || typeof e.type !== 'string')) {
    return problem(res, 400, 'Invalid request', 'every event needs a type');
  }
  if (run.status === 'queued') {
    run.status = 'in_progress';
    run.view.started_at = new Date().toISOString();
    append(run, 'run.in_progress', shown(run));
  }
  const ids = batch.map((e) =>
    append(run, e.type, TERMINAL.has(e.type) ? shown(run) : e.data === undefined ? {} : e.data),
  );
  if (batch.length === 1 && !Array.isArray(body.events)) {
    return send(res, 201, { id: ids[0] });
  }
  send(res, 201, { first_id: ids[0], last_id: ids[ids.length - 1] });
}

function subscribe(req, res, run, url) {
  const header = req.headers['last-event-id'];
  const given = header !== undefined ? header : url.searchParams.get('last_event_id');
  const after = given === null || given === undefined ? 0 : Number(given);
  if (!Number.isInteger(after) || after < 0 || after > run.events.length) {
    return problem(res, 400, 'Invalid request', 'Last-Event-ID is not an id of this run');
  }
  if (ended(run) && after === run.events.length) {
    res.writeHead(204);
    return res.end();
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
  });
  res.write(':\n\n');
  for (let i = after; i < run.events.length; i++) {
    res.write(i === after ? withRetry(run.events[i]) : run.events[i]);
  }
  if (ended(run)) return res.end();
  res.retryDue = after === run.events.length; // no history: the first live event carries retry:
  run.streams.add(res);
  openStreams++;
  const ping = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  res.on('close', () => {
    clearInterval(ping);
    if (run.streams.delete(res)) openStreams--;
  });
}

function list(res, url) {
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') || 20)));
  const all = [...runs.values()].reverse();
  send(res, 200, { data: all.slice(0, limit).map(view), has_more: all.length > limit });
}

function route(req, res, body) {
  const url = new URL(req.url, 'http://reference');
  const path = url.pathname;
  if (path === RUNS) {
    if (req.method === 'POST') return create(req, res, body);
    if (req.method === 'GET') return list(res, url);
  }
  if (path === '/api/v1/stats' && req.method === 'GET') {
    return send(res, 200, { runs: runs.size, open_streams: openStreams });
  }
  const events = EVENTS.exec(path);
  const one = events || RUN.exec(path);
  const run = one && runs.get(one[1]);
  if (one && !run) return problem(res, 404, 'Not found', 'no such run');
  if (events && req.method === 'POST') return publish(req, res, run, body);
  if (events && req.method === 'GET') return subscribe(req, res, run, url);
  if (one && req.method === 'GET') return send(res, 200, view(run));
  problem(res, 404, 'Not found', 'the reference does not have this call');
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body = null;
    if (chunks.length > 0) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        return problem(res, 400, 'Invalid request', 'the body is not JSON');
      }
    }
    route(req, res, body);
  });
});
server.keepAliveTimeout = 60000;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.maxConnections = Infinity;
server.listen(port, () => console.log(`reference server listening on ${port}`));
process.on('SIGTERM', () => process.exit(0));
