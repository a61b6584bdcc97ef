// Keeps the /api/events WebSocket open while logged in. The server closes it on logout or when the
// user is disabled (close code 4401), which ends the session here too.
import { useEffect, useState } from 'react';

export type LiveState = 'connecting' | 'open' | 'closed';

export function useLiveEvents(onSessionEnded: () => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`;
      socket = new WebSocket(url);
      setState('connecting');
      socket.onopen = () => setState('open');
      socket.onclose = (ev) => {
        setState('closed');
        if (stopped) return;
        if (ev.code === 4401 || ev.code === 1008) { onSessionEnded(); return; }
        retry = setTimeout(connect, 2000);
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      socket?.close();
    };
  }, [onSessionEnded]);
  return state;
}
