// One RTP peer worker (forked by rtp-peers.ts). `streams`: every socket with a target sends
// 172-byte G.711 packets (12-byte RTP header, RFC 3550 §5.1, and 160 payload bytes, RFC 3551 §4.5)
// at 50 packets/s, the sockets' schedules spread evenly over each 20 ms so the load is smooth; the
// payload starts with the packet's due and send times. Every socket also receives what the relay
// sends it. `listen`: sockets only receive and time each packet's arrival.
import dgram from 'node:dgram';
import { Histogram } from './histogram.ts';
import type { PeerCommand, PeerReply, RunOptions, WorkerResult } from './rtp-peers.ts';

const HOST = '127.0.0.1';
const FRAME_MS = 20;
const PACKET_BYTES = 172;
/** Payload bytes 0–7: send time; 8–15: due time (performance.now of this process). */
const SENT_AT = 12;
const DUE_AT = 20;

interface Endpoint {
  socket: dgram.Socket;
  port: number;
  target: number;
  ssrc: number;
  seq: number;
  ts: number;
  highest: number | undefined;
  windowMin: number;
  windowMax: number;
  lastArrival: number;
  lastExt: number;
}

let endpoints: Endpoint[] = [];
/** The window of the run in progress; undefined between runs (packets are ignored). */
let window: { start: number; end: number; mode: RunOptions['mode']; lateMs: number } | undefined;
let counters = { sent: 0, received: 0, late: 0 };
let latency = new Histogram();
let interArrival = new Histogram();
let sendLag = new Histogram();

const template = Buffer.alloc(PACKET_BYTES, 0xff);
template[0] = 0x80;
template[1] = 0;

const reply = (m: PeerReply) => process.send!(m);

function bindOne(port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const fail = () => { socket.close(); resolve(undefined); };
    socket.once('error', fail);
    socket.bind({ port, address: HOST, exclusive: true }, () => { socket.off('error', fail); resolve(socket); });
  });
}

async function bind(count: number, range: { min: number; max: number }): Promise<number[]> {
  const ports: number[] = [];
  for (let port = range.min; port <= range.max && ports.length < count; port++) {
    const socket = await bindOne(port);
    if (!socket) continue;
    const e: Endpoint = {
      socket, port, target: 0, ssrc: (Math.random() * 0xffffffff) >>> 0, seq: (Math.random() * 0x10000) | 0, ts: (Math.random() * 0xffffffff) >>> 0,
      highest: undefined, windowMin: Infinity, windowMax: -Infinity, lastArrival: Number.NaN, lastExt: Number.NaN,
    };
    socket.on('message', (buf) => receive(e, buf));
    socket.on('error', () => {});
    endpoints.push(e);
    ports.push(port);
  }
  if (ports.length < count) throw new Error(`only ${ports.length} of ${count} UDP ports were free in ${range.min}–${range.max}`);
  return ports;
}

/** Extends a 16-bit sequence number against the highest seen (RFC 3550 §A.1, without probation). */
function extend(e: Endpoint, seq: number): number {
  const last = e.highest;
  const ext = last === undefined ? seq + 0x100000 : last + (((seq - (last & 0xffff) + 0x8000) & 0xffff) - 0x8000);
  if (last === undefined || ext > last) e.highest = ext;
  return ext;
}

function receive(e: Endpoint, buf: Buffer): void {
  const w = window;
  if (!w || buf.length < 12) return;
  // RFC 5761 §4: RTCP packet types 192–223 in the second octet (the server's reports) are not media.
  const b1 = buf[1]!;
  if (b1 >= 192 && b1 <= 223) return;
  const now = performance.now();
  const ext = extend(e, (buf[2]! << 8) | buf[3]!);
  if (w.mode === 'streams') {
    if (buf.length < DUE_AT + 8) return;
    const due = buf.readDoubleLE(DUE_AT);
    if (due < w.start || due >= w.end) return;
    const took = now - buf.readDoubleLE(SENT_AT);
    latency.add(took);
    if (took > w.lateMs) counters.late++;
  } else {
    if (now < w.start || now >= w.end) { e.lastArrival = Number.NaN; return; }
    if (ext === e.lastExt + 1) interArrival.add(Math.abs(now - e.lastArrival - FRAME_MS));
    e.lastArrival = now;
    e.lastExt = ext;
  }
  counters.received++;
  if (ext < e.windowMin) e.windowMin = ext;
  if (ext > e.windowMax) e.windowMax = ext;
}

function send(e: Endpoint, due: number, inWindow: boolean): void {
  const buf = Buffer.allocUnsafe(PACKET_BYTES);
  template.copy(buf);
  e.seq = (e.seq + 1) & 0xffff;
  e.ts = (e.ts + 160) >>> 0;
  buf[2] = e.seq >>> 8;
  buf[3] = e.seq & 0xff;
  buf.writeUInt32BE(e.ts, 4);
  buf.writeUInt32BE(e.ssrc, 8);
  const now = performance.now();
  buf.writeDoubleLE(now, SENT_AT);
  buf.writeDoubleLE(due, DUE_AT);
  e.socket.send(buf);
  if (inWindow) {
    counters.sent++;
    sendLag.add(now - due);
  }
}

async function connect(targets: number[]): Promise<void> {
  await Promise.all(endpoints.map((e, i) => {
    e.target = targets[i] ?? 0;
    if (e.target === 0) return undefined;
    return new Promise<void>((resolve) => e.socket.connect(e.target, HOST, () => resolve()));
  }));
}

function run(o: RunOptions): Promise<WorkerResult> {
  for (const e of endpoints) { e.windowMin = Infinity; e.windowMax = -Infinity; e.lastArrival = Number.NaN; e.lastExt = Number.NaN; }
  counters = { sent: 0, received: 0, late: 0 };
  latency = new Histogram();
  interArrival = new Histogram();
  sendLag = new Histogram();
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpuS = 0;
  const t0 = performance.now() + 5;
  const w = { start: t0 + o.warmupMs, end: t0 + o.warmupMs + o.measureMs, mode: o.mode, lateMs: o.lateMs };
  window = w;
  const senders = o.mode === 'streams' ? endpoints.filter((e) => e.target !== 0) : [];
  const spacing = senders.length > 0 ? FRAME_MS / senders.length : 0;
  // Packet k is due at t0 + k·spacing, from socket k mod n: each socket every 20 ms, all spread out.
  let k = 0;
  return new Promise((resolve) => {
    const finish = () => {
      window = undefined;
      // A socket that heard nothing in the window lost a whole 50 packets/s stream.
      let expected = 0;
      for (const e of endpoints) expected += e.windowMax >= e.windowMin ? e.windowMax - e.windowMin + 1 : Math.round(o.measureMs / FRAME_MS);
      resolve({
        sockets: endpoints.length, sent: counters.sent, expected, received: counters.received, late: counters.late,
        latency: latency.data(), interArrival: interArrival.data(), sendLag: sendLag.data(), cpuS,
      });
    };
    const pump = () => {
      const now = performance.now();
      if (!cpuAtStart && now >= w.start) cpuAtStart = process.cpuUsage();
      if (senders.length > 0) {
        for (;;) {
          const due = t0 + k * spacing;
          if (due > now || due >= w.end) break;
          send(senders[k % senders.length]!, due, due >= w.start);
          k++;
        }
      }
      if (now >= w.end) {
        const c = process.cpuUsage(cpuAtStart);
        cpuS = (c.user + c.system) / 1e6;
        setTimeout(finish, o.lateMs + 250);
        return;
      }
      setTimeout(pump, 1);
    };
    setTimeout(pump, 5);
  });
}

async function unbind(): Promise<void> {
  await Promise.all(endpoints.map((e) => new Promise<void>((resolve) => e.socket.close(() => resolve()))));
  endpoints = [];
}

process.on('message', (cmd: PeerCommand) => {
  const handle = async (): Promise<PeerReply> => {
    switch (cmd.type) {
      case 'bind': return { type: 'bound', ports: await bind(cmd.count, cmd.ports) };
      case 'connect': await connect(cmd.targets); return { type: 'connected' };
      case 'run': return { type: 'result', result: await run(cmd.run) };
      case 'unbind': await unbind(); return { type: 'unbound' };
    }
  };
  handle().then(reply, (err: unknown) => reply({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
});
process.on('disconnect', () => { void unbind().then(() => process.exit(0)); });
reply({ type: 'ready' });
