// The registrar's storage port (RFC 3261 §10.3): bindings of an address-of-record to contacts.
import type { TransportProtocol } from '../transport/transport.ts';

export interface Binding {
  /** The tenant the AOR's domain belongs to; every query is scoped by it. */
  tenantId: string;
  /** Canonical AOR, e.g. `sip:alice@demo.example` (scheme, user and host; §10.3 step 5). */
  aor: string;
  /** Contact URI as the UA registered it. */
  contact: string;
  /** Call-ID and CSeq of the REGISTER that last refreshed it (§10.3 step 7 ordering). */
  callId: string;
  cseq: number;
  /** Expiry, epoch ms. */
  expiresAt: number;
  /** q-value 0..1 (1 when absent). */
  q: number;
  /** Where the REGISTER came from: requests to the contact go there (symmetric, works behind NAT). */
  source: { protocol: TransportProtocol; address: string; port: number; connectionId?: string | undefined };
  /** RFC 5626 +sip.instance, when the UA sent one. */
  instanceId?: string | undefined;
  updatedAt: number;
}

export interface RegistrarStore {
  /** Live bindings of an AOR (expired ones are not returned). */
  list(tenantId: string, aor: string, now: number): Promise<Binding[]>;
  /** Inserts or replaces the binding of (aor, contact). */
  put(binding: Binding): Promise<void>;
  remove(tenantId: string, aor: string, contact: string): Promise<void>;
  removeAll(tenantId: string, aor: string): Promise<void>;
  /** Deletes expired bindings; returns how many. */
  purgeExpired(now: number): Promise<number>;
}
