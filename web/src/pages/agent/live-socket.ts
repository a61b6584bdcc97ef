// The desktop's own connection to /api/events. A dropped socket comes back with exponential
// backoff and jitter (0.5 s doubling to 15 s); every time it opens, `onOpen` runs so the page
// re-reads its state instead of trusting the messages it may have missed. A socket the server
// closed because the session ended (4401) stays closed: the app shell returns to the login page.
import { useEffect, useRef, useState } from 'react';
import type { LiveMessage } from './desk-api.ts';

export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'ended';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

/** The wait before reconnect attempt `n` (0-based): doubling from 0.5 s up to 15 s, each between half and all of it. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function useLiveSocket(onMessage: (m: LiveMessage) => void, onOpen: () => void): SocketStatus {
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const handlers = useRef({ onMessage, onOpen });
  handlers.current = { onMessage, onOpen };
  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    const connect = () => {
      socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`);
      socket.onopen = () => {
        attempt = 0;
        setStatus('open');
        handlers.current.onOpen();
      };
      socket.onmessage = (ev) => {
        let m: LiveMessage;
        try { m = JSON.parse(String(ev.data)) as LiveMessage; } catch { return; }
        if (typeof m.type === 'string') handlers.current.onMessage(m);
      };
      socket.onclose = (ev) => {
        if (stopped) return;
        if (ev.code === 4401 || ev.code === 1008) { setStatus('ended'); return; }
        setStatus('reconnecting');
        retry = setTimeout(connect, backoffMs(attempt++));
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      socket?.close();
    };
  }, []);
  return status;
}
