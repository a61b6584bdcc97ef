// Stream framing (RFC 3261 §18.3): whole messages out of a TCP/TLS byte stream by Content-Length,
// with RFC 5626 §3.5.1 CRLF keep-alives. Any framing error is unrecoverable: the connection closes.
import type { StreamFraming } from '../transport/transport.ts';
import { headerEnd } from './parse-message.ts';

export interface StreamFramerOptions {
  /** Largest message, headers and body, accepted on one connection. */
  maxMessageBytes?: number;
}

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/gim;

export class StreamFramer implements StreamFraming {
  readonly #max: number;
  #buf: Buffer = Buffer.alloc(0);

  constructor(o: StreamFramerOptions = {}) {
    this.#max = o.maxMessageBytes ?? 65_536;
  }

  get buffered(): number {
    return this.#buf.length;
  }

  push(chunk: Buffer): { messages: Buffer[]; keepAlivePings: number; error?: string | undefined } {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const messages: Buffer[] = [];
    let keepAlivePings = 0;
    for (;;) {
      let i = 0;
      while (this.#buf[i] === 0x0d && this.#buf[i + 1] === 0x0a) {
        if (this.#buf[i + 2] === 0x0d && this.#buf[i + 3] === 0x0a) { keepAlivePings++; i += 4; } else i += 2;
      }
      if (i > 0) this.#buf = this.#buf.subarray(i);
      if (this.#buf.length === 0 || (this.#buf.length === 1 && this.#buf[0] === 0x0d)) break;
      const he = headerEnd(this.#buf);
      if (!he) {
        if (this.#buf.length > this.#max) return this.#fail(messages, keepAlivePings, 'header section larger than the limit');
        break;
      }
      const values = new Set([...this.#buf.toString('latin1', 0, he.end).matchAll(CONTENT_LENGTH)].map((m) => m[1]!));
      if (values.size === 0) return this.#fail(messages, keepAlivePings, 'no Content-Length');
      if (values.size > 1) return this.#fail(messages, keepAlivePings, 'conflicting Content-Length values');
      const [text] = values;
      if (!/^\d{1,9}$/.test(text!)) return this.#fail(messages, keepAlivePings, 'bad Content-Length');
      const total = he.bodyStart + Number(text);
      if (total > this.#max) return this.#fail(messages, keepAlivePings, 'message larger than the limit');
      if (this.#buf.length < total) break;
      messages.push(Buffer.from(this.#buf.subarray(0, total)));
      this.#buf = this.#buf.subarray(total);
    }
    if (this.#buf.length > 0 && this.#buf.byteOffset > 0 && this.#buf.length < 4096) this.#buf = Buffer.from(this.#buf);
    return { messages, keepAlivePings };
  }

  #fail(messages: Buffer[], keepAlivePings: number, error: string) {
    this.#buf = Buffer.alloc(0);
    return { messages, keepAlivePings, error };
  }
}
