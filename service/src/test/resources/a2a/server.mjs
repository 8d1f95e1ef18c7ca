// A remote A2A agent built with the official JavaScript SDK (npm "@a2a-js/sdk"), for the service's tests.
// Usage: node server.mjs [port]. Listens on 127.0.0.1 (a free port when none is given) and prints
// "LISTENING <port>" once it does. It serves two agents:
//   /stream/   card capabilities.streaming = true  (card at /stream/.well-known/agent-card.json)
//   /poll/     card capabilities.streaming = false (SendMessage + GetTask only)
//   /files/notes.txt  a plain file, the target of a `url` artifact part
// Both agents refuse a call without "Authorization: Bearer s3cret" with HTTP 401.
// It prints "CANCEL <task id>" when the SDK asks the executor to cancel a task, and "DROPPED <task id>" when it
// cut a stream on purpose. A task waiting for input or authorization is cancelled at once; a loop ends itself. The goal text selects what the agent does:
//   default      WORKING "Planning: <goal>" -> artifact report.md -> INPUT_REQUIRED "Which colour ...?";
//                the reply -> WORKING "Using your answer: <reply>" -> data artifact summary -> COMPLETED
//   [files]      artifacts of every part kind (raw, data, url, a text artifact in two appended chunks, a file
//                name with a path), then COMPLETED
//   [fail]       WORKING, then FAILED "the model backend is down"
//   [reject]     REJECTED "I do not write poems"
//   [auth]       AUTH_REQUIRED "sign in to the calendar first"
//   [throw]      the executor throws: the SDK ends the task FAILED
//   [message]    answers with a Message, no task
//   [endless]    WORKING "tick n" every 100 ms until cancelled; then CANCELED
//   [drop]       WORKING "step 1", then the server cuts the stream; WORKING "step 2", an artifact, COMPLETED follow
//   [silent]     WORKING, then nothing (until cancelled)
//   [big]        one text artifact of 2 MiB
'use strict';
import express from 'express';
import { AGENT_CARD_PATH, Role, TaskState } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const TOKEN = 'Bearer s3cret';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const streams = new Map(); // messageId -> express response of a SendStreamingMessage call
let baseUrl = '';

const text = (value) => ({ content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: 'text/plain' });

function agentMessage(ctx, value) {
  return { role: Role.ROLE_AGENT, messageId: crypto.randomUUID(), parts: [text(value)], taskId: ctx.taskId,
    contextId: ctx.contextId, extensions: [], metadata: {}, referenceTaskIds: [] };
}

function status(ctx, state, value) {
  return AgentEvent.statusUpdate({ taskId: ctx.taskId, contextId: ctx.contextId, metadata: {},
    status: { state, timestamp: new Date().toISOString(), message: value === undefined ? undefined : agentMessage(ctx, value) } });
}

function artifact(ctx, fields, parts, append = false, lastChunk = true) {
  return AgentEvent.artifactUpdate({ taskId: ctx.taskId, contextId: ctx.contextId, append, lastChunk, metadata: {},
    artifact: { artifactId: fields.artifactId ?? crypto.randomUUID(), name: fields.name ?? '', description: '',
      parts, metadata: {}, extensions: [] } });
}

function userText(message) {
  return message.parts.filter((p) => p.content?.$case === 'text').map((p) => p.content.value).join('\n');
}

class TestExecutor {
  cancelled = new Set();
  looping = new Set(); // tasks whose loop runs and ends itself when cancelled
  contexts = new Map(); // task id -> context id

  cancelTask = async (taskId, eventBus) => {
    console.log(`CANCEL ${taskId}`);
    this.cancelled.add(taskId);
    if (!this.looping.has(taskId)) {
      // nothing runs for this task (it waits for input or authorization): end it here
      const task = { taskId, contextId: this.contexts.get(taskId) ?? '' };
      eventBus.publish(status(task, TaskState.TASK_STATE_CANCELED, 'cancelled as asked'));
    }
  };

  async execute(requestContext, bus) {
    const ctx = { taskId: requestContext.taskId, contextId: requestContext.contextId };
    const message = requestContext.userMessage;
    const existing = requestContext.task;
    const said = userText(message);
    this.contexts.set(ctx.taskId, ctx.contextId);
    if (said.includes('[message]')) {
      bus.publish(AgentEvent.message({ ...agentMessage(ctx, `Echo: ${said}`), taskId: '' }));
      bus.finished();
      return;
    }
    bus.publish(AgentEvent.task(existing ?? { id: ctx.taskId, contextId: ctx.contextId, artifacts: [], history: [message],
      metadata: {}, status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: new Date().toISOString(), message: undefined } }));
    const goal = existing ? userText(existing.history[0]) : said;
    if (goal.includes('[throw]')) {
      throw new Error('the executor broke');
    }
    if (existing) {
      bus.publish(status(ctx, TaskState.TASK_STATE_WORKING, `Using your answer: ${said}`));
      await sleep(20);
      bus.publish(artifact(ctx, { name: 'summary' }, [{ content: { $case: 'data', value: { colour: said, goal } },
        metadata: undefined, filename: 'summary.json', mediaType: 'application/json' }]));
      bus.publish(status(ctx, TaskState.TASK_STATE_COMPLETED, 'All done'));
      bus.finished();
      return;
    }
    bus.publish(status(ctx, TaskState.TASK_STATE_WORKING, `Planning: ${goal}`));
    await sleep(20);
    if (goal.includes('[fail]')) {
      bus.publish(status(ctx, TaskState.TASK_STATE_FAILED, 'the model backend is down'));
    } else if (goal.includes('[reject]')) {
      bus.publish(status(ctx, TaskState.TASK_STATE_REJECTED, 'I do not write poems'));
    } else if (goal.includes('[auth]')) {
      bus.publish(status(ctx, TaskState.TASK_STATE_AUTH_REQUIRED, 'sign in to the calendar first'));
    } else if (goal.includes('[files]')) {
      bus.publish(artifact(ctx, { name: 'logo' }, [{ content: { $case: 'raw', value: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]) },
        metadata: undefined, filename: 'logo.png', mediaType: 'image/png' }]));
      bus.publish(artifact(ctx, { name: 'facts.json' }, [{ content: { $case: 'data', value: { answer: 42, list: [1, 2] } },
        metadata: undefined, filename: '', mediaType: 'application/json' }]));
      bus.publish(artifact(ctx, { name: 'notes' }, [{ content: { $case: 'url', value: `${baseUrl}/files/notes.txt` },
        metadata: undefined, filename: 'notes.txt', mediaType: 'text/plain' }]));
      bus.publish(artifact(ctx, { artifactId: 'story', name: 'story.md' }, [text('Once upon a time')], false, false));
      bus.publish(artifact(ctx, { artifactId: 'story', name: 'story.md' }, [text(', the end.\n')], true, true));
      bus.publish(artifact(ctx, { name: 'evil' }, [{ ...text('kept inside'), filename: '../../etc/evil.txt' }]));
      bus.publish(status(ctx, TaskState.TASK_STATE_COMPLETED, 'Files written'));
    } else if (goal.includes('[big]')) {
      bus.publish(artifact(ctx, { name: 'big.txt' }, [text('x'.repeat(2 * 1024 * 1024))]));
      bus.publish(status(ctx, TaskState.TASK_STATE_COMPLETED, 'Big file written'));
    } else if (goal.includes('[endless]') || goal.includes('[silent]')) {
      this.looping.add(ctx.taskId);
      for (let tick = 1; !this.cancelled.has(ctx.taskId); tick++) {
        if (goal.includes('[endless]')) {
          bus.publish(status(ctx, TaskState.TASK_STATE_WORKING, `tick ${tick}`));
        }
        await sleep(100);
      }
      this.looping.delete(ctx.taskId);
      bus.publish(status(ctx, TaskState.TASK_STATE_CANCELED, 'cancelled as asked'));
    } else if (goal.includes('[drop]')) {
      await sleep(100);
      const response = streams.get(message.messageId);
      console.log(`DROPPED ${ctx.taskId}`);
      response?.socket?.destroy();
      await sleep(500);
      bus.publish(status(ctx, TaskState.TASK_STATE_WORKING, 'step 2'));
      bus.publish(artifact(ctx, { name: 'after-drop.txt' }, [text('written after the drop')]));
      await sleep(500);
      bus.publish(status(ctx, TaskState.TASK_STATE_COMPLETED, 'Finished after the drop'));
    } else {
      bus.publish(artifact(ctx, { name: 'report.md' }, [{ ...text(`# Report\n\n${goal}\n`), filename: 'report.md', mediaType: 'text/markdown' }]));
      bus.publish(status(ctx, TaskState.TASK_STATE_INPUT_REQUIRED, 'Which colour should the summary use?'));
    }
    bus.finished();
  }
}

function card(path, streaming) {
  return {
    name: streaming ? 'Streaming Test Agent' : 'Polling Test Agent',
    description: 'An agent of the service tests', version: '1.0.0',
    supportedInterfaces: [{ url: `${baseUrl}${path}`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    capabilities: { streaming, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {}, securityRequirements: [], defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'],
    skills: [{ id: 'test', name: 'test', description: 'test behaviours', tags: ['test'], examples: [], inputModes: [],
      outputModes: [], securityRequirements: [] }],
    documentationUrl: '', signatures: [],
  };
}

const cards = [];
const app = express();
app.get('/files/notes.txt', (req, res) => res.type('text/plain').send('notes fetched by url\n'));
app.use(express.json({ limit: '10mb' }));
for (const [path, streaming] of [['/stream/', true], ['/poll/', false]]) {
  const agentCard = card(path, streaming);
  cards.push([agentCard, path]);
  const handler = new DefaultRequestHandler(agentCard, new InMemoryTaskStore(), new TestExecutor());
  const router = express.Router();
  router.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: handler }));
  router.use((req, res, next) => {
    if (req.headers.authorization !== TOKEN) {
      res.status(401).json({ error: 'missing or wrong bearer token' });
      return;
    }
    if (req.body?.method === 'SendStreamingMessage' && req.body.params?.message?.messageId) {
      streams.set(req.body.params.message.messageId, res);
    }
    next();
  });
  router.use(jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  app.use(path, router);
}
const server = app.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  cards.forEach(([agentCard, path]) => { agentCard.supportedInterfaces[0].url = `${baseUrl}${path}`; });
  console.log(`LISTENING ${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
