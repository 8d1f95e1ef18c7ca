// A small HTTP server that the Java tests call to drive AG-UI runs with the official client, unchanged:
// POST /run {key, url, token, threadId, runId, message?, forwardedProps?, resume?} runs HttpAgent.runAgent;
// POST /connect {key, url, token, threadId} rejoins with connectAgent() through a subclass whose connect() GETs the
// server's events route (HttpAgent 1.0.0 cannot reconnect by itself). One agent per key, so that messages, state and
// pending interrupts carry from a run to its resume. Every event the agent applies is validated with @ag-ui/core's
// EventSchema; every console.warn or console.error of the client is collected and reported: the tests fail on any.
import http from 'node:http';
import { HttpAgent, runHttpRequest, transformHttpEventStream } from '@ag-ui/client';
import { EventSchema } from '@ag-ui/core/schemas';

const warnings = [];
for (const level of ['warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    warnings.push(`${level}: ${args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    original(...args);
  };
}

class RejoiningAgent extends HttpAgent {
  constructor(config, eventsUrl) {
    super(config);
    this.eventsUrl = eventsUrl;
  }

  connect() {
    return transformHttpEventStream(runHttpRequest(() => this.fetch(this.eventsUrl, {
      method: 'GET',
      headers: { ...this.headers, Accept: 'text/event-stream' },
    })));
  }
}

const agents = new Map();

function agentFor(body, eventsUrl) {
  if (eventsUrl) {
    return new RejoiningAgent({ url: body.url, headers: { Authorization: `Bearer ${body.token}` }, threadId: body.threadId }, eventsUrl);
  }
  let agent = agents.get(body.key);
  if (!agent) {
    agent = new HttpAgent({ url: body.url, headers: { Authorization: `Bearer ${body.token}` }, threadId: body.threadId });
    agents.set(body.key, agent);
  }
  return agent;
}

async function drive(body, rejoin) {
  const agent = agentFor(body, rejoin ? body.eventsUrl : null);
  if (body.message) {
    agent.addMessage({ id: `user-${body.runId}`, role: 'user', content: body.message });
  }
  const events = [];
  const schemaErrors = [];
  const warningsBefore = warnings.length;
  const subscriber = {
    onEvent({ event }) {
      events.push(event);
      const parsed = EventSchema.safeParse(event);
      if (!parsed.success) {
        schemaErrors.push(`${event.type}: ${parsed.error.message}`);
      }
    },
  };
  let error = null;
  try {
    const parameters = { runId: body.runId, forwardedProps: body.forwardedProps ?? {} };
    if (body.resume) {
      parameters.resume = body.resume;
    }
    if (rejoin) {
      await agent.connectAgent(parameters, subscriber);
    } else {
      await agent.runAgent(parameters, subscriber);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  return {
    events,
    schemaErrors,
    warnings: warnings.slice(warningsBefore),
    error,
    state: agent.state,
    messages: agent.messages,
    pendingInterrupts: agent.pendingInterrupts,
  };
}

const server = http.createServer((req, res) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { text += chunk; });
  req.on('end', async () => {
    try {
      const body = JSON.parse(text);
      const result = await drive(body, req.url === '/connect');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(result));
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: String(e) }));
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
