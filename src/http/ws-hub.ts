// Live events for browsers over one WebSocket per tab. Every socket belongs to one principal; a
// message reaches only sockets of its tenant holding the message's permission. Internal events never
// reach a browser unchanged: `projectToBrowser` decides what each becomes.
import type { WebSocket } from 'ws';
import type { Permission, Principal } from '../auth/index.ts';

export interface BrowserMessage {
  type: string;
  [key: string]: unknown;
}

interface Client {
  socket: WebSocket;
  principal: Principal;
}

export class WsHub {
  readonly #clients = new Set<Client>();

  add(socket: WebSocket, principal: Principal): void {
    const client = { socket, principal };
    this.#clients.add(client);
    socket.on('close', () => this.#clients.delete(client));
    socket.on('error', () => this.#clients.delete(client));
    socket.on('message', (data) => {
      if (String(data) === '{"type":"ping"}') this.#send(client, { type: 'pong' });
    });
    this.#send(client, { type: 'hello', userId: principal.userId, tenantId: principal.tenantId });
  }

  /** Sends to every socket of a tenant whose principal holds `permission` (or every socket when none is given). */
  broadcast(tenantId: string, message: BrowserMessage, permission?: Permission): number {
    let n = 0;
    for (const c of this.#clients) {
      if (c.principal.tenantId !== tenantId) continue;
      if (permission && !c.principal.permissions.includes(permission)) continue;
      this.#send(c, message);
      n++;
    }
    return n;
  }

  /**
   * Sends to the sockets of a tenant that are the listed users' own (holding `usersNeed`, when
   * given) or whose principal holds `holders`; each socket gets the message once.
   */
  send(tenantId: string, message: BrowserMessage, to: { users?: readonly string[]; usersNeed?: Permission; holders?: Permission }): number {
    let n = 0;
    for (const c of this.#clients) {
      if (c.principal.tenantId !== tenantId) continue;
      const own = !!to.users?.includes(c.principal.userId) && (!to.usersNeed || c.principal.permissions.includes(to.usersNeed));
      const holder = !!to.holders && c.principal.permissions.includes(to.holders);
      if (!own && !holder) continue;
      this.#send(c, message);
      n++;
    }
    return n;
  }

  /** Sends to every socket of one user of a tenant (holding `permission`, when given). */
  sendToUser(tenantId: string, userId: string, message: BrowserMessage, permission?: Permission): number {
    return this.send(tenantId, message, { users: [userId], ...(permission ? { usersNeed: permission } : {}) });
  }

  /** Closes the sockets opened with one session (logout, expiry). */
  closeSession(sessionId: string): void {
    for (const c of this.#clients) if (c.principal.credentialId === sessionId) this.#end(c);
  }

  /** Closes every socket of a user (user disabled). */
  closeUser(tenantId: string, userId: string): void {
    for (const c of this.#clients) if (c.principal.tenantId === tenantId && c.principal.userId === userId) this.#end(c);
  }

  get size(): number {
    return this.#clients.size;
  }

  closeAll(): void {
    for (const c of this.#clients) c.socket.close(1001, 'server shutting down');
    this.#clients.clear();
  }

  #send(c: Client, message: BrowserMessage): void {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(message));
  }

  #end(c: Client): void {
    this.#send(c, { type: 'session.ended' });
    // 4401: application close code meaning "authentication ended" (RFC 6455 §7.4.2 private range).
    c.socket.close(4401, 'session ended');
    this.#clients.delete(c);
  }
}
