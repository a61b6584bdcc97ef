// Composition root: the one place that wires implementations together from config.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.ts';
import { createLogger, isDomainError, MemoryEventBus, systemClock, type Clock } from './kernel/index.ts';
import { migrateToLatest, openStorage, type Storage } from './storage/index.ts';
import { TenantStore } from './tenancy/index.ts';
import { AuditLog } from './audit/index.ts';
import { Authenticator, Directory, LoginThrottle, DEFAULT_ARGON2, type Argon2Params, type AuthEvents } from './auth/index.ts';
import { buildHttpServer, projectToBrowser, WsHub } from './http/index.ts';
import { seedContactCenter, seedDemo, type DemoSeed } from './demo/index.ts';
import { ContactCalls, ExtensionCalls, Numbers, Phones, SqlPhoneStore, Trunks, sipDomains, type AgentStations, type FlowRunner, type VoiceEvents } from './voice/index.ts';
import { CachedTextToSpeech, createRecordingKeys, decodeWavToMono8k, encodeWav, EspeakTextToSpeech, LocalRecordingStore, MediaEngine } from './media/index.ts';
import { Flows, IvrInterpreter, PromptLibrary, type IvrEvents } from './ivr/index.ts';
import { RoutingEngine, RoutingStore, type RoutingEvents } from './routing/index.ts';
import { InteractionRecorder, InteractionStore, type InteractionEvents } from './interactions/index.ts';
import { Calendars } from './calendar/index.ts';
import { Webhooks, type WebhookEvents } from './webhooks/index.ts';
import { CustomerLookup } from './integrations/index.ts';
import { RecordingPurge, RetentionPolicy } from './quality/index.ts';
import { Customers, type CrmEvents } from './crm/index.ts';
import { Tickets, type TicketEvents } from './tickets/index.ts';
import { TicketChannel, type ContactEvents } from './channels/tickets/index.ts';
import { Desktop, Recordings } from './desktop/index.ts';
import { Analytics, type AnalyticsEvents } from './analytics/index.ts';
import { networkInterfaces } from 'node:os';
import { DigestAuthenticator, DigestGate, Registrar, RegistrarService, SipStack, SqlRegistrarStore, UserAgent } from './sip/index.ts';
import { randomBytes } from 'node:crypto';

export const VERSION = (JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface AppOverrides {
  clock?: Clock;
  /** Cheaper hashing for tests; production always uses the defaults. */
  argon2?: Argon2Params;
  /** An already-open, migrated storage (tests); otherwise opened from config. */
  storage?: Storage;
  webRoot?: string;
  /** A SIP message trace (tests, debugging). */
  sipTrace?: (direction: 'in' | 'out', bytes: Buffer, peer: { protocol: string; address: string; port: number }) => void;
}

export type AppEvents = AuthEvents & VoiceEvents & IvrEvents & RoutingEvents & InteractionEvents & CrmEvents & TicketEvents & AnalyticsEvents & WebhookEvents & ContactEvents;

export interface App {
  readonly config: Config;
  readonly http: FastifyInstance;
  readonly storage: Storage;
  readonly bus: MemoryEventBus<AppEvents>;
  readonly hub: WsHub;
  readonly tenants: TenantStore;
  readonly directory: Directory;
  readonly auth: Authenticator;
  readonly audit: AuditLog;
  readonly phones: Phones;
  readonly trunks: Trunks;
  readonly numbers: Numbers;
  readonly calendars: Calendars;
  readonly customers: Customers;
  readonly tickets: Tickets;
  /** The task channel of the ACD: tickets of a type with a queue, routed to agents and accepted on the desktop. */
  readonly ticketChannel: TicketChannel;
  readonly flows: Flows;
  readonly prompts: PromptLibrary;
  readonly routing: RoutingEngine;
  readonly interactions: { store: InteractionStore; recorder: InteractionRecorder };
  /** SIP signalling; undefined when SB_SIP_ENABLED=false. */
  readonly sip: { stack: SipStack; ua: UserAgent; registrar: Registrar; calls: ExtensionCalls; contactCalls: ContactCalls } | undefined;
  /** RTP media (with SIP); recordings are encrypted under dataDir/recordings. */
  readonly media: { engine: MediaEngine; recordings: LocalRecordingStore } | undefined;
  readonly demo: DemoSeed | undefined;
  /** The agent desktop: stations, auto-answer, what agents are doing now, their history. */
  readonly desktop: Desktop;
  /** Contact-center analytics: rollups, reports, the wallboard, survey scores. */
  readonly analytics: Analytics;
  /** Outbound webhooks (subscriptions, outbox, delivery worker). */
  readonly webhooks: Webhooks;
  /** The external customer lookup (screen pop, IVR). */
  readonly customerLookup: CustomerLookup;
  /** Starts listening (HTTP, then SIP when enabled); returns the bound HTTP address. */
  listen(): Promise<string>;
  stop(): Promise<void>;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const storage = overrides.storage ?? await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (!overrides.storage) await migrateToLatest(storage.db, storage.schema, storage.dialect);

  const bus = new MemoryEventBus<AppEvents>((err, event) => logger.error({ err, event }, 'event listener failed'));
  const hub = new WsHub();
  const tenants = new TenantStore(storage.db);
  const audit = new AuditLog(storage.db, clock);
  const argon2 = overrides.argon2 ?? DEFAULT_ARGON2;
  const directory = new Directory({ db: storage.db, clock, audit, bus, argon2 });
  const throttle = new LoginThrottle({
    clock,
    maxFailuresPerAccount: config.loginMaxFailuresPerAccount,
    maxFailuresPerIp: config.loginMaxFailuresPerIp,
    windowMs: config.loginLockoutMinutes * 60_000,
    lockoutMs: config.loginLockoutMinutes * 60_000,
  });
  const sessionTtlMs = config.sessionTtlMinutes * 60_000;
  const auth = new Authenticator({ db: storage.db, clock, audit, bus, tenants, throttle, sessionTtlMs, argon2 });
  const phoneStore = new SqlPhoneStore(storage.db, clock);
  const trunks = new Trunks({ db: storage.db, clock, audit });
  const phones = new Phones({
    store: phoneStore,
    audit,
    realmOf: async (tenantId) => (await tenants.byId(tenantId))?.slug ?? tenantId,
    assertUser: async (tenantId, userId) => { await directory.getUser(tenantId, userId); },
  });

  const numbers = new Numbers({ db: storage.db, clock, audit });
  const calendars = new Calendars({ db: storage.db, clock, audit });
  const routing = new RoutingEngine({ store: new RoutingStore(storage.db), bus, clock, log: logger.child({ module: 'routing' }) });
  const prompts = new PromptLibrary({
    db: storage.db, clock, audit, directory: resolve(config.dataDir, 'prompts'),
    decode: (bytes) => decodeWavToMono8k(bytes), encode: (samples) => Buffer.from(encodeWav(samples, 8000, 1)),
  });
  const flowReferences = (tenantId: string) => ({
    queueExists: (id: string) => routing.queue(tenantId, id).then(() => true, () => false),
    calendarExists: (id: string) => calendars.get(tenantId, id).then(() => true, () => false),
    recordingExists: (id: string) => prompts.exists(tenantId, id),
  });
  const flows = new Flows({ db: storage.db, clock, audit, references: flowReferences });
  const customers = new Customers({ db: storage.db, clock, audit, bus });
  const interactionStore = new InteractionStore(storage.db);
  const webhooks = new Webhooks({ db: storage.db, clock, audit, bus, interactions: interactionStore, log: logger.child({ module: 'webhooks' }) });
  webhooks.start();
  const customerLookup = new CustomerLookup({ db: storage.db, clock, audit, log: logger.child({ module: 'integrations' }) });
  const found = (lookup: Promise<unknown>) => lookup.then(() => true, (err: unknown) => { if (isDomainError(err) && err.status === 404) return false; throw err; });
  const ticketChannel = new TicketChannel({
    routing, tickets: () => tickets, bus, clock, log: logger.child({ module: 'tasks' }),
    customerName: async (tenantId, id) => (await customers.get(tenantId, id)).name,
  });
  routing.registerChannel('task', ticketChannel);
  const tickets = new Tickets({
    db: storage.db, clock, bus, audit, log: logger.child({ module: 'tickets' }), calendars, attachmentsDir: resolve(config.dataDir, 'attachments'),
    references: {
      hasUser: (tenantId, id) => found(directory.getUser(tenantId, id)),
      hasTeam: (tenantId, id) => found(directory.getTeam(tenantId, id)),
      hasCustomer: (tenantId, id) => found(customers.get(tenantId, id)),
      hasInteraction: (tenantId, id) => found(interactionStore.get(tenantId, id)),
      hasQueue: (tenantId, id) => found(routing.queue(tenantId, id)),
    },
    router: ticketChannel,
  });
  customers.addTimelineSource(tickets.timelineSource);
  bus.subscribe('CustomerErased', (e) => {
    tickets.eraseCustomer(e.tenantId, e.customerId).catch((err: unknown) => logger.error({ err, customerId: e.customerId }, 'tickets of an erased customer could not be erased'));
  });
  const recorder = new InteractionRecorder({
    store: interactionStore, bus, log: logger.child({ module: 'interactions' }),
    resolveCustomer: async (tenantId, address) => (await customers.resolve(tenantId, { kind: 'phone', value: address }))?.id,
    removeRecording: (tenantId, recordingId) => media ? media.recordings.remove(tenantId, recordingId) : Promise.resolve(false),
    now: () => clock.now(),
  });
  customers.addTimelineSource(recorder.timeline());
  const desktop = new Desktop({
    db: storage.db, clock, log: logger.child({ module: 'desktop' }), bus,
    phonesOf: async (tenantId, userId) => (await phoneStore.byUser(tenantId, userId)).map((p) => ({ id: p.id, username: p.username, displayName: p.displayName })),
    interactions: interactionStore, queue: (tenantId, queueId) => routing.queue(tenantId, queueId),
    timeZoneOf: async (tenantId) => (await tenants.byId(tenantId))?.timeZone ?? 'UTC',
    taskTicket: (tenantId, ticketId) => ticketChannel.task(tenantId, ticketId),
    ticketOfTask: (tenantId, contactId) => ticketChannel.ticketOf(tenantId, contactId),
  });
  // The wallboard's figures come from analytics, built below; only its own WallboardChanged asks for them.
  const unproject = projectToBrowser(bus, hub, {
    desktop, log: logger.child({ module: 'http' }), wallboard: { queue: (tenantId, queueId) => analytics.wallboard.queue(tenantId, queueId) },
  });
  const interpreter = new IvrInterpreter({
    bus, log: logger.child({ module: 'ivr' }), now: () => clock.now(),
    hours: { isOpen: (tenantId, calendarId, at) => calendars.status(tenantId, calendarId, at).then((st) => st.open, () => undefined) },
  });
  const runner: FlowRunner = {
    async run(call, flowId) {
      const flow = await flows.published(call.tenantId, flowId);
      if (!flow) return false;
      await interpreter.run(flow, call);
      return true;
    },
  };

  const demo = config.seedDemo
    ? await seedDemo({ tenants, directory, phones, now: new Date(clock.now()) }, config.demoPassword)
    : undefined;
  if (demo) {
    await seedContactCenter({ calendars, routing, flows, numbers }, demo.tenantId, { agent1: demo.userIds['agent1']!, agent2: demo.userIds['agent2']! });
  }

  const media = config.sipEnabled ? await buildMedia(config, logger) : undefined;
  // Recordings older than a workspace's retention are deleted (none are, until it sets one).
  const purge = media ? new RecordingPurge({
    db: storage.db, bus, clock, policy: new RetentionPolicy({ db: storage.db, audit }), recordings: media.recordings, audit, log: logger.child({ module: 'quality' }),
  }) : undefined;
  purge?.start();
  const sip = media ? buildSip(config, { storage, tenants, phoneStore, trunks, numbers, routing, runner, prompts, stations: desktop, clock, logger, trace: overrides.sipTrace, media: media.engine, bus }) : undefined;
  if (sip) routing.registerChannel('voice', sip.contactCalls);
  const analytics = new Analytics({
    db: storage.db, dialect: storage.dialect, interactions: interactionStore, acd: routing, directory, bus, clock, log: logger.child({ module: 'analytics' }),
    timeZoneOf: async (tenantId) => (await tenants.byId(tenantId))?.timeZone ?? 'UTC',
  });
  await routing.start();
  await tickets.start();
  const recordings = new Recordings({ interactions: interactionStore, store: media?.recordings, audit });

  const http = await buildHttpServer({
    logger, storage, auth, directory, tenants, audit, phones, trunks, hub, numbers, calendars, customers, flows, prompts, routing,
    interactions: interactionStore, tickets, calls: sip?.contactCalls, tasks: ticketChannel, flowReferences, desktop, recordings, analytics,
    webhooks, customerLookup,
    bodyLimit: config.httpBodyLimitBytes, trustProxy: config.trustProxy, cookieSecure: config.cookieSecure, sessionTtlMs,
    webRoot: overrides.webRoot ?? resolve(import.meta.dirname, '..', 'web', 'dist'),
    version: VERSION,
  });

  return {
    config, http, storage, bus, hub, tenants, directory, auth, audit, phones, trunks, numbers, calendars, customers, tickets, ticketChannel, flows, prompts, routing,
    interactions: { store: interactionStore, recorder }, sip, media, demo, desktop, analytics, webhooks, customerLookup,
    async listen() {
      const address = await http.listen({ host: config.httpHost, port: config.httpPort });
      await sip?.stack.start();
      return address;
    },
    async stop() {
      routing.stop();
      await tickets.stop();
      ticketChannel.stop();
      await ticketChannel.settled();
      await sip?.stack.stop();
      await recorder.settled();
      recorder.stop();
      purge?.stop();
      await purge?.settled();
      await analytics.settled();
      analytics.stop();
      media?.engine.close();
      await webhooks.stop();
      unproject();
      desktop.stop();
      await desktop.settled();
      hub.closeAll();
      await http.close();
      if (!overrides.storage) await storage.close();
    },
  };
}

/** SIP: transports and transactions, the user agent core, the registrar with digest auth, extension calls. */
/** The address SDP advertises: configured, else the bind address, else (wildcard) the first external IPv4. */
function mediaAddresses(config: Config): { bindHost: string; advertise: string } {
  const bindHost = config.mediaHost ?? config.sipHost;
  if (config.mediaAdvertise) return { bindHost, advertise: config.mediaAdvertise };
  if (bindHost !== '0.0.0.0' && bindHost !== '::') return { bindHost, advertise: bindHost };
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
  return { bindHost, advertise: external?.address ?? '127.0.0.1' };
}

/** RTP media: port range, encrypted recording store, text-to-speech (espeak-ng, cached). */
async function buildMedia(config: Config, logger: ReturnType<typeof createLogger>) {
  const log = logger.child({ module: 'media' });
  const keys = await createRecordingKeys({ masterKeyBase64: config.recordingKey, keyFile: resolve(config.dataDir, 'keys', 'recording-master.key') });
  const recordings = new LocalRecordingStore({ root: resolve(config.dataDir, 'recordings'), keys });
  const tts = config.tts === 'espeak'
    ? new CachedTextToSpeech(new EspeakTextToSpeech(), { directory: resolve(config.dataDir, 'cache', 'tts') })
    : undefined;
  const engine = new MediaEngine({ ...mediaAddresses(config), ports: config.rtpPorts, log, recordings, tts });
  return { engine, recordings };
}

function buildSip(config: Config, d: {
  storage: Storage; tenants: TenantStore; phoneStore: SqlPhoneStore; trunks: Trunks; numbers: Numbers; routing: RoutingEngine; runner: FlowRunner; prompts: PromptLibrary; stations: AgentStations;
  clock: Clock; logger: ReturnType<typeof createLogger>; trace: AppOverrides['sipTrace']; media: MediaEngine; bus: MemoryEventBus<AppEvents>;
}) {
  const log = d.logger.child({ module: 'sip' });
  const allow = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'NOTIFY', 'REFER'];
  const stack = new SipStack({
    listen: { address: config.sipHost, port: config.sipPort, wsPort: config.sipWsPort },
    clock: d.clock, log, floodLimitPerSecond: config.sipFloodLimit, trace: d.trace,
    policy: { allow, supported: ['replaces'], accept: ['application/sdp', 'multipart/mixed'] },
  });
  const domains = sipDomains({ phones: d.phoneStore, tenants: d.tenants, clock: d.clock, defaultTenant: config.sipDefaultTenant });
  const registrar = new Registrar(new SqlRegistrarStore(d.storage.db));
  const digest = new DigestAuthenticator({
    clock: d.clock,
    secret: config.sipNonceSecret ?? randomBytes(32),
    lookupHa1: async (realm, username, hash) => {
      const tenantId = await domains.tenantOfRealm(realm);
      return tenantId ? d.phoneStore.ha1(tenantId, username, hash) : undefined;
    },
    nonceTtlMs: 5 * 60_000,
    failureLimit: config.sipAuthFailures,
    failureWindowMs: 10 * 60_000,
    blockMs: 15 * 60_000,
  });
  const gate = new DigestGate(digest, config.sipDigestAlgorithms);
  let ua: UserAgent | undefined;
  const contactCalls = new ContactCalls({
    ua: () => ua!, media: d.media, registrar, phones: d.phoneStore, trunks: d.trunks, numbers: d.numbers, routing: () => d.routing, flows: () => d.runner,
    prompts: d.prompts, bus: d.bus, clock: d.clock, log: d.logger.child({ module: 'calls' }), record: config.recordCalls,
    realmOf: async (tenantId) => (await d.tenants.byId(tenantId))?.slug ?? tenantId,
    stations: () => d.stations,
  });
  const calls = new ExtensionCalls({
    ua: () => ua!, domains, registrar, phones: d.phoneStore, trunks: d.trunks, gate, clock: d.clock, log,
    media: d.media, bus: d.bus, record: config.recordCalls,
    contactCenter: { numbers: d.numbers, calls: contactCalls, realmOf: (tenantId) => contactCalls.realmOf(tenantId) },
  });
  ua = new UserAgent({ stack, clock: d.clock, log, allow, calls, registrar: new RegistrarService({ registrar, gate, domains, clock: d.clock, log }) });
  return { stack, ua, registrar, calls, contactCalls };
}
