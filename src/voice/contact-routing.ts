// What calls need of the routing engine (the ACD), and what the engine asks of the voice channel.
// The engine is channel-agnostic: it decides which agent gets which contact; the voice layer rings
// the agent's phones and tells the engine how the offer fared.

export interface SkillRequirement { skill: string; minProficiency: number }

/** A call (or a callback request) waiting for an agent. Its id is the interaction's id. */
export interface VoiceContact {
  id: string;
  queueId: string;
  priority: number;
  requirements: SkillRequirement[];
  kind: 'contact' | 'callback';
  /** Keeps the caller's place: a callback requested from the queue keeps its first enqueue time. */
  enqueuedAt?: number | undefined;
  data: { language?: string; number?: string; originalCallId?: string; caller?: string };
}

export interface ContactRouting {
  enqueue(tenantId: string, contact: VoiceContact): Promise<void>;
  /** The customer left while waiting or being offered (or chose a callback instead). */
  abandon(tenantId: string, contactId: string, reason?: 'abandoned' | 'callback'): Promise<void>;
  offerAccepted(tenantId: string, offerId: string): Promise<void>;
  /** The agent's phone rejected the call or could not be reached. */
  offerFailed(tenantId: string, offerId: string, reason: 'rejected' | 'unreachable'): Promise<void>;
  /** The contact was handed straight to an agent (a transfer to them). */
  assign(tenantId: string, contactId: string, agentId: string): Promise<void>;
  /** The agent's part is over (they hung up, or transferred the customer on): wrap-up begins. */
  agentReleased(tenantId: string, contactId: string, agentId: string): Promise<void>;
  /** Where a waiting contact stands: 1 = next; the expected wait when it can be estimated. */
  position(tenantId: string, contactId: string): { position: number; expectedWaitSeconds: number | null } | undefined;
  /** A queue's settings the caller hears: how often the position is announced, the hold music. */
  queueSettings(tenantId: string, queueId: string): { announceEverySeconds: number | null; holdMusicPromptId: string | null } | undefined;
}

/** An offer for the voice channel: ring this agent for this contact. */
export interface VoiceOffer {
  tenantId: string;
  offerId: string;
  contactId: string;
  agentId: string;
  queueId: string;
  /** A callback: ring the agent, then call the customer's number. */
  kind: 'contact' | 'callback';
  data: Record<string, unknown>;
}

/** What the routing engine asks of the voice channel. */
export interface VoiceChannel {
  offer(offer: VoiceOffer): void;
  /** Stop ringing (the offer timed out, or the contact left). */
  withdraw(tenantId: string, offerId: string): void;
  /** The contact left its queue after its longest wait. */
  overflow(tenantId: string, contactId: string, target: 'voicemail' | 'callback' | 'hangup'): void;
  /** After a restart: whether the contact still has a live call (callbacks need none). */
  alive(tenantId: string, contactId: string, kind: 'contact' | 'callback'): boolean;
}

/** Which of an agent's phones to ring, and whether it should answer by itself (the agent desktop's settings). */
export interface AgentStations {
  /** The phone (its user name) the agent chose to work on; undefined: every phone of theirs rings. */
  stationOf(tenantId: string, agentId: string): Promise<{ username: string } | undefined>;
  /** Ask the phone to answer at once (Call-Info answer-after=0, and Alert-Info for phones that read that). */
  autoAnswer(tenantId: string, agentId: string): Promise<boolean>;
}
