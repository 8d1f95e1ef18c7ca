// The official A2A JavaScript SDK's CLIENT (npm "@a2a-js/sdk"), driven over HTTP by the service's tests, which use it
// against our own A2A server. Usage: node client.mjs [port]; prints "LISTENING <port>" once it listens on 127.0.0.1.
// Everything goes through the SDK's ClientFactory and Client exactly as an application would use them; requests and
// results cross this driver as ProtoJSON, converted with the SDK's own codecs (so the tests see what the SDK read).
//   POST /card        {base}                                      -> {card, endpoint, protocolVersion}
//   POST /call        {base, token, method, params}               -> {result} | {error:{name,message,code,data}}
//                     method: sendMessage | getTask | listTasks | cancelTask
//   POST /stream      {base, token, method, params, lastEventId?} -> {stream}   (method: sendMessageStream | resubscribeTask)
//   GET  /stream/:id                                              -> {events:[StreamResponse…], done, error}
//   POST /stream/:id/abort                                        -> {aborted:true}  (the client drops the stream)
'use strict';
import express from 'express';
import { ClientFactory } from '@a2a-js/sdk/client';
import {
  AgentCard, CancelTaskRequest, GetTaskRequest, ListTasksRequest, ListTasksResponse, Message, SendMessageRequest,
  StreamResponse, SubscribeToTaskRequest, Task,
} from '@a2a-js/sdk';

const factory = new ClientFactory();
const streams = new Map();
let nextStream = 0;

function options(body, signal) {
  const serviceParameters = {};
  if (body.token) serviceParameters.Authorization = `Bearer ${body.token}`;
  if (body.lastEventId) serviceParameters['Last-Event-ID'] = body.lastEventId;
  return { serviceParameters, signal };
}

function failure(e) {
  return { name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.envelopeCode ?? null, data: e?.data ?? null };
}

const app = express();
app.use(express.json({ limit: '50mb' }));

app.post('/card', async (req, res) => {
  try {
    const client = await factory.createFromUrl(req.body.base);
    res.json({ card: AgentCard.toJSON(await client.getAgentCard()), endpoint: client.transport.endpoint ?? null,
      protocolVersion: client.protocolVersion });
  } catch (e) {
    res.json({ error: failure(e) });
  }
});

app.post('/call', async (req, res) => {
  const { base, method, params } = req.body;
  try {
    const client = await factory.createFromUrl(base);
    const opts = options(req.body);
    let result;
    switch (method) {
      case 'sendMessage': {
        const answer = await client.sendMessage(SendMessageRequest.fromJSON(params), opts);
        result = answer && 'status' in answer && 'artifacts' in answer
          ? { task: Task.toJSON(answer) } : { message: Message.toJSON(answer) };
        break;
      }
      case 'getTask':
        result = Task.toJSON(await client.getTask(GetTaskRequest.fromJSON(params), opts));
        break;
      case 'listTasks':
        result = ListTasksResponse.toJSON(await client.listTasks(ListTasksRequest.fromJSON(params), opts));
        break;
      case 'cancelTask':
        result = Task.toJSON(await client.cancelTask(CancelTaskRequest.fromJSON(params), opts));
        break;
      default:
        res.status(400).json({ error: failure(new Error(`no method ${method}`)) });
        return;
    }
    res.json({ result });
  } catch (e) {
    res.json({ error: failure(e) });
  }
});

app.post('/stream', async (req, res) => {
  const { base, method, params } = req.body;
  const id = ++nextStream;
  const controller = new AbortController();
  const stream = { events: [], done: false, error: null, controller };
  streams.set(id, stream);
  res.json({ stream: id });
  try {
    const client = await factory.createFromUrl(base);
    const opts = options(req.body, controller.signal);
    const events = method === 'sendMessageStream'
      ? client.sendMessageStream(SendMessageRequest.fromJSON(params), opts)
      : client.resubscribeTask(SubscribeToTaskRequest.fromJSON(params), opts);
    for await (const event of events) {
      stream.events.push(StreamResponse.toJSON(event));
    }
  } catch (e) {
    stream.error = failure(e);
  } finally {
    stream.done = true;
  }
});

app.get('/stream/:id', (req, res) => {
  const stream = streams.get(Number(req.params.id));
  if (!stream) {
    res.status(404).json({ error: failure(new Error('no such stream')) });
    return;
  }
  res.json({ events: stream.events, done: stream.done, error: stream.error });
});

app.post('/stream/:id/abort', (req, res) => {
  streams.get(Number(req.params.id))?.controller.abort();
  res.json({ aborted: true });
});

const server = app.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
