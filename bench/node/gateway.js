'use strict';
// The Node ws+Redis gateway issue 8 compares against, written the way such gateways usually are:
//   GET /sub/{id}?token=<HS256 JWT>   WebSocket; the token is verified before the upgrade (401 otherwise)
//   one shared Redis subscriber connection; SUBSCRIBE <prefix>{id} when the first local socket of {id} arrives,
//   UNSUBSCRIBE after the last one left; every message is forwarded unchanged, as a text frame, to {id}'s sockets
//   a text "PING" is answered "PONG" once the socket's channel is subscribed (the bench's app-level round trip)
//   a socket with more than SLOW_CONSUMER_BYTES queued in user space is terminated (it stopped reading)
//   GET /health -> 200; GET /heap -> {"heapUsed":…} after a full GC when node runs with --expose-gc
// Configuration from the environment: PORT, HOST, REDIS_URL, JWT_SECRET, CHANNEL_PREFIX, SLOW_CONSUMER_BYTES.

const http = require('node:http');
const Redis = require('ioredis');
const jwt = require('jsonwebtoken');
const { WebSocketServer } = require('ws');

const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';
const secret = process.env.JWT_SECRET;
const prefix = process.env.CHANNEL_PREFIX || 'exec/';
const slowConsumerBytes = Number(process.env.SLOW_CONSUMER_BYTES || 1024 * 1024);
const PATH = /^\/sub\/([A-Za-z0-9_-]+)$/;
const PONG = Buffer.from('PONG');

if (!secret) {
  console.error('JWT_SECRET is required');
  process.exit(2);
}

const subscriber = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { lazyConnect: false });
subscriber.on('error', (err) => console.error('redis:', err.message));

/** id -> { sockets: Set<WebSocket>, ready: Promise<void> } */
const channels = new Map();

function join(id, ws) {
  let channel = channels.get(id);
  if (!channel) {
    channel = { sockets: new Set(), ready: subscriber.subscribe(prefix + id) };
    channel.ready.catch((err) => console.error('subscribe', id, err.message));
    channels.set(id, channel);
  }
  channel.sockets.add(ws);
  return channel;
}

function leave(id, ws) {
  const channel = channels.get(id);
  if (!channel || !channel.sockets.delete(ws) || channel.sockets.size > 0) {
    return;
  }
  channels.delete(id);
  subscriber.unsubscribe(prefix + id).catch((err) => console.error('unsubscribe', id, err.message));
}

subscriber.on('messageBuffer', (channelName, message) => {
  const channel = channels.get(channelName.toString('latin1').slice(prefix.length));
  if (!channel) {
    return;
  }
  for (const ws of channel.sockets) {
    if (ws.bufferedAmount > slowConsumerBytes) {
      ws.terminate();
    } else {
      ws.send(message, { binary: false });
    }
  }
});

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });

wss.on('connection', (ws, request, id) => {
  const channel = join(id, ws);
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.length === 4 && data.toString('latin1') === 'PING') {
      channel.ready.then(() => ws.send(PONG, { binary: false }), () => ws.close(1011, 'subscribe failed'));
    }
  });
  ws.on('close', () => leave(id, ws));
  ws.on('error', () => ws.terminate());
});

function reject(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function tokenOf(request, url) {
  const auth = request.headers.authorization;
  if (auth && auth.startsWith('Bearer ')) {
    return auth.slice(7);
  }
  return url.searchParams.get('token');
}

const server = http.createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  } else if (request.url === '/heap' && typeof global.gc === 'function') {
    global.gc();
    const memory = process.memoryUsage();
    response.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ heapUsed: memory.heapUsed, external: memory.external, rss: memory.rss }));
  } else {
    response.writeHead(404).end();
  }
});

server.on('upgrade', (request, socket, head) => {
  socket.on('error', () => socket.destroy());
  const url = new URL(request.url, 'http://gateway');
  const match = PATH.exec(url.pathname);
  if (!match) {
    reject(socket, 404, 'Not Found');
    return;
  }
  const token = tokenOf(request, url);
  try {
    jwt.verify(token || '', secret, { algorithms: ['HS256'], audience: 'authenticated' });
  } catch (err) {
    reject(socket, 401, 'Unauthorized');
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, match[1]));
});

server.listen(port, host, () => console.log(`LISTENING ${server.address().port}`));

function shutdown() {
  server.close();
  subscriber.disconnect();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
