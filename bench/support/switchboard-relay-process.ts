// The Switchboard relay process (forked by switchboard-relay.ts): the real MediaEngine on
// 127.0.0.1, two sessions and a bridge per stream, set up as ExtensionCalls sets up a call's legs
// (openSession, configure from the negotiated SDP, bridge). Argv: the RTP port range.
import { silentLogger } from '../../src/kernel/index.ts';
import { MediaEngine, type Bridge, type RtpFormat, type RtpSession } from '../../src/media/index.ts';
import type { RelayCommand, RelayReply } from './switchboard-relay.ts';

const HOST = '127.0.0.1';
const engine = new MediaEngine({ bindHost: HOST, ports: { min: Number(process.argv[2]), max: Number(process.argv[3]) }, log: silentLogger });
let bridges: Bridge[] = [];
let sessions: RtpSession[] = [];

/** PCMU with RFC 4733 events both ways, as two phones that offer telephone-event/8000 negotiate. */
const withEvents: RtpFormat = { codec: 'PCMU', payloadType: 0, telephoneEventPt: 101, telephoneEventReceivePts: [101] };
/** PCMU alone: digits must be detected in band (every packet decoded and run through Goertzel). */
const withoutEvents: RtpFormat = { codec: 'PCMU', payloadType: 0, telephoneEventPt: undefined, telephoneEventReceivePts: [] };

async function open(pairs: [number, number][], inbandDtmf: boolean): Promise<[number, number][]> {
  const format = inbandDtmf ? withoutEvents : withEvents;
  const ports: [number, number][] = [];
  for (const [a, b] of pairs) {
    const sa = await engine.openSession();
    const sb = await engine.openSession();
    // The far end's RTCP port is its RTP port: the peers drop RTCP (RFC 5761 §4) instead of
    // answering it with ICMP port unreachable.
    sa.configure({ address: HOST, port: a, rtcpPort: a }, format);
    sb.configure({ address: HOST, port: b, rtcpPort: b }, format);
    bridges.push(engine.bridge(sa, sb));
    sessions.push(sa, sb);
    ports.push([sa.port, sb.port]);
  }
  return ports;
}

function close(): void {
  for (const b of bridges) b.close();
  for (const s of sessions) s.close();
  bridges = [];
  sessions = [];
}

process.on('message', (cmd: RelayCommand) => {
  const handle = async (): Promise<RelayReply> => {
    if (cmd.type === 'open') return { type: 'opened', ports: await open(cmd.pairs, cmd.inbandDtmf) };
    close();
    return { type: 'closed' };
  };
  handle().then((r) => process.send!(r), (err: unknown) => process.send!({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies RelayReply));
});
process.on('disconnect', () => {
  close();
  engine.close();
  // Let the RTCP BYEs leave and the sockets close, then exit normally (a CPU profile is written on exit).
  setTimeout(() => process.exit(0), 200);
});
process.send!({ type: 'ready' } satisfies RelayReply);
