// Uploads are judged by their bytes: signatures for binary formats, UTF-8 without binary data bytes for
// text; limits answer 400/413/415 with a message; names lose their paths and unsafe characters.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import { DomainError } from '../kernel/index.ts';
import { checkUpload, DEFAULT_ATTACHMENT_LIMITS, MAX_NAME_BYTES, safeName, sniffMime } from './attachment-check.ts';

/** A real 1x1 PNG (RFC 2083): signature, IHDR, IDAT, IEND, each chunk with its CRC-32. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

const windowsExe = () => { const b = Buffer.alloc(512); b.write('MZ', 0, 'latin1'); b.writeUInt32LE(0x80, 0x3c); b.write('PE\0\0', 0x80, 'latin1'); return b; };

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return { code: e.code, status: e.status, message: e.message };
  }
  return assert.fail('expected a rejection');
};

describe('attachment checks', () => {
  test('the type comes from the content: PNG, PDF, UTF-8 text; other bytes are octet-stream', async () => {
    assert.equal(await sniffMime(tinyPng()), 'image/png');
    assert.equal(await sniffMime(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')), 'application/pdf');
    assert.equal(await sniffMime(Buffer.from('路由器坏了，请尽快派人维修。\r\nThe router is broken.\n')), 'text/plain');
    assert.equal(await sniffMime(Buffer.from([0x68, 0x69, 0x00, 0x01, 0x02])), 'application/octet-stream', 'binary data bytes are not text');
    assert.equal(await sniffMime(Buffer.from([0xc3, 0x28, 0x41])), 'application/octet-stream', 'invalid UTF-8 is not text');
    assert.equal(await sniffMime(windowsExe()), 'application/x-msdownload');
  });

  test('accepted types pass; a program is a 415, too large a 413, empty a 400, each saying why', async () => {
    assert.equal(await checkUpload(tinyPng(), DEFAULT_ATTACHMENT_LIMITS), 'image/png');
    const exe = await rejection(checkUpload(windowsExe(), DEFAULT_ATTACHMENT_LIMITS));
    assert.deepEqual([exe.code, exe.status], ['SB_TICKETS_ATTACHMENT_TYPE', 415]);
    assert.match(exe.message, /application\/x-msdownload are not accepted; accepted: image\/png/);
    const big = await rejection(checkUpload(Buffer.alloc(1025, 0x61), { maxBytes: 1024, types: ['text/plain'] }));
    assert.deepEqual([big.code, big.status], ['SB_TICKETS_ATTACHMENT_TOO_LARGE', 413]);
    assert.match(big.message, /at most 1024 bytes/);
    assert.equal(await checkUpload(Buffer.alloc(1024, 0x61), { maxBytes: 1024, types: ['text/plain'] }), 'text/plain', 'exactly the limit is fine');
    assert.deepEqual((await rejection(checkUpload(Buffer.alloc(0), DEFAULT_ATTACHMENT_LIMITS))).status, 400);
  });

  test('names: the last path part, without control or reserved characters, never empty, bounded', () => {
    assert.equal(safeName('../../etc/passwd'), 'passwd');
    assert.equal(safeName('C:\\Users\\wei\\报告.docx'), '报告.docx');
    assert.equal(safeName('a\u0000b:c?.txt'), 'a_b_c_.txt');
    assert.equal(safeName('.htaccess'), 'htaccess');
    assert.equal(safeName('..'), 'attachment');
    assert.equal(safeName('   '), 'attachment');
    assert.equal(safeName('e\u0301.txt'), '\u00e9.txt', 'NFC');
    const long = safeName(`${'长'.repeat(300)}.txt`);
    assert.ok(Buffer.byteLength(long) <= MAX_NAME_BYTES);
  });
});
