// One typed bus for cross-domain events. Payloads are ids and facts, always with tenantId,
// and are published after the database commit. Every event is listed in docs/events.md.

export type EventMap = Record<string, { tenantId: string }>;

export type Listener<P> = (payload: P) => void;

export interface EventBus<M extends EventMap> {
  publish<K extends keyof M & string>(name: K, payload: M[K]): void;
  subscribe<K extends keyof M & string>(name: K, listener: Listener<M[K]>): () => void;
  /** Receives every event; used by projections such as the WebSocket hub. */
  subscribeAll(listener: (name: keyof M & string, payload: M[keyof M]) => void): () => void;
}

/** What a domain that only publishes needs (a bus of a wider event map fits). */
export type EventPublisher<M extends EventMap> = Pick<EventBus<M>, 'publish'>;
/** What a listener of named events needs. */
export type EventSubscriber<M extends EventMap> = Pick<EventBus<M>, 'subscribe'>;

/** In-process bus: listeners run synchronously in subscription order; a throwing listener is reported, not propagated. */
export class MemoryEventBus<M extends EventMap> implements EventBus<M> {
  #listeners = new Map<string, Set<Listener<never>>>();
  #all = new Set<(name: keyof M & string, payload: M[keyof M]) => void>();
  #onListenerError: (err: unknown, event: string) => void;

  constructor(onListenerError: (err: unknown, event: string) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  publish<K extends keyof M & string>(name: K, payload: M[K]): void {
    for (const l of this.#listeners.get(name) ?? []) {
      try { (l as Listener<M[K]>)(payload); } catch (err) { this.#onListenerError(err, name); }
    }
    for (const l of this.#all) {
      try { l(name, payload); } catch (err) { this.#onListenerError(err, name); }
    }
  }

  subscribe<K extends keyof M & string>(name: K, listener: Listener<M[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) { set = new Set(); this.#listeners.set(name, set); }
    set.add(listener as Listener<never>);
    return () => { set.delete(listener as Listener<never>); };
  }

  subscribeAll(listener: (name: keyof M & string, payload: M[keyof M]) => void): () => void {
    this.#all.add(listener);
    return () => { this.#all.delete(listener); };
  }
}
