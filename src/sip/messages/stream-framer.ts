// Stream framing (RFC 3261 §18.3): whole messages out of a TCP/TLS byte stream by Content-Length,
// with RFC 5626 §3.5.1 CRLF keep-alives. Any framing error is unrecoverable: the connection closes.
// The buffer grows by doubling and the search for the end of the headers resumes where it stopped,
// so a peer that sends one byte at a time costs linear, not quadratic, work.
import type { StreamFraming } from '../transport/transport.ts';

export interface StreamFramerOptions {
  /** Largest message, headers and body, accepted on one connection. */
  maxMessageBytes?: number;
}

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/gim;

export class StreamFramer implements StreamFraming {
  readonly #max: number;
  #store = Buffer.alloc(0);
  #start = 0;
  #end = 0;
  /** Where the search for the blank line resumes, relative to #start. */
  #scanFrom = 0;
  /** Length of the message being received, once its headers are complete. */
  #total: number | undefined;

  constructor(o: StreamFramerOptions = {}) {
    this.#max = o.maxMessageBytes ?? 65_536;
  }

  get buffered(): number {
    return this.#end - this.#start;
  }

  push(chunk: Buffer): { messages: Buffer[]; keepAlivePings: number; error?: string | undefined } {
    this.#append(chunk);
    const messages: Buffer[] = [];
    let keepAlivePings = 0;
    for (;;) {
      if (this.#total === undefined) {
        keepAlivePings += this.#skipCrlf();
        const view = this.#store.subarray(this.#start, this.#end);
        if (view.length === 0 || (view.length === 1 && view[0] === 0x0d)) break;
        const blank = view.indexOf('\r\n\r\n', this.#scanFrom, 'latin1');
        if (blank < 0) {
          if (view.length > this.#max) return this.#fail(messages, keepAlivePings, 'header section larger than the limit');
          this.#scanFrom = Math.max(0, view.length - 3);
          break;
        }
        const values = new Set([...view.toString('latin1', 0, blank).matchAll(CONTENT_LENGTH)].map((m) => m[1]!));
        if (values.size === 0) return this.#fail(messages, keepAlivePings, 'no Content-Length');
        if (values.size > 1) return this.#fail(messages, keepAlivePings, 'conflicting Content-Length values');
        const [text] = values;
        if (!/^\d{1,9}$/.test(text!)) return this.#fail(messages, keepAlivePings, 'bad Content-Length');
        this.#total = blank + 4 + Number(text);
        if (this.#total > this.#max) return this.#fail(messages, keepAlivePings, 'message larger than the limit');
      }
      if (this.#end - this.#start < this.#total) break;
      messages.push(Buffer.from(this.#store.subarray(this.#start, this.#start + this.#total)));
      this.#start += this.#total;
      this.#total = undefined;
      this.#scanFrom = 0;
    }
    return { messages, keepAlivePings };
  }

  /** Skips CRLFs before a start line; each CRLF CRLF is a keep-alive ping. */
  #skipCrlf(): number {
    let pings = 0;
    const s = this.#store;
    while (s[this.#start] === 0x0d && s[this.#start + 1] === 0x0a && this.#start + 1 < this.#end) {
      if (s[this.#start + 2] === 0x0d && s[this.#start + 3] === 0x0a && this.#start + 3 < this.#end) { pings++; this.#start += 4; } else this.#start += 2;
    }
    return pings;
  }

  #append(chunk: Buffer): void {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end + chunk.length > this.#store.length) {
      const used = this.#end - this.#start;
      const next = Buffer.alloc(Math.max(used + chunk.length, this.#store.length * 2, 1024));
      this.#store.copy(next, 0, this.#start, this.#end);
      this.#store = next;
      this.#start = 0;
      this.#end = used;
    }
    chunk.copy(this.#store, this.#end);
    this.#end += chunk.length;
  }

  #fail(messages: Buffer[], keepAlivePings: number, error: string) {
    this.#store = Buffer.alloc(0);
    this.#start = this.#end = this.#scanFrom = 0;
    this.#total = undefined;
    return { messages, keepAlivePings, error };
  }
}
