import { createHash } from 'node:crypto';
import { decrypt as referenceDecrypt, encrypt as referenceEncrypt } from '@wecom/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWecomCipher, pkcs7Pad, pkcs7Unpad } from '../../src/channels/wecom/crypto.ts';
import { computeSignature, verifySignature } from '../../src/channels/wecom/signature.ts';
import { encryptWithRawPadding, plaintextLayout, TEST_WECOM } from '../helpers/wecom-envelope.ts';

const cipher = createWecomCipher(TEST_WECOM.encodingAesKey, TEST_WECOM.corpId);

describe('WeCom callback encryption', () => {
  // Every length modulo 32, so every pad size 1..32 occurs (Node's own padding fails past 16).
  for (const [label, unit] of [
    ['ASCII', 'a'],
    ['Chinese (3 bytes a character)', '代'],
  ] as const) {
    it(`round-trips ${label} messages of every length 0..64 characters`, () => {
      for (let n = 0; n <= 64; n++) {
        const message = unit.repeat(n);
        const encrypted = cipher.encrypt(message);
        expect(cipher.decrypt(encrypted)).toEqual({ ok: true, message });
        // The independent implementation reads what we wrote…
        const ref = referenceDecrypt(TEST_WECOM.encodingAesKey, encrypted);
        expect(ref.message).toBe(message);
        expect(ref.id).toBe(TEST_WECOM.corpId);
        // …and we read what it wrote.
        expect(
          cipher.decrypt(referenceEncrypt(TEST_WECOM.encodingAesKey, message, TEST_WECOM.corpId)),
        ).toEqual({
          ok: true,
          message,
        });
      }
    });
  }

  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (message) => {
        expect(cipher.decrypt(cipher.encrypt(message))).toEqual({ ok: true, message });
      }),
    );
  });

  it('pads to whole 32-byte blocks with pad bytes 1..32', () => {
    for (let n = 0; n < 64; n++) {
      const padded = pkcs7Pad(Buffer.alloc(n, 7));
      expect(padded.length % 32).toBe(0);
      const pad = padded[padded.length - 1]!;
      expect(pad).toBe(32 - (n % 32));
      expect(pkcs7Unpad(padded)?.length).toBe(n);
    }
  });

  it('refuses a message for another corp (receive id)', () => {
    const other = referenceEncrypt(TEST_WECOM.encodingAesKey, '<xml/>', 'wwSomeoneElse');
    expect(cipher.decrypt(other)).toEqual({ ok: false, reason: 'wrong_receiver' });
    const prefix = referenceEncrypt(TEST_WECOM.encodingAesKey, '<xml/>', `${TEST_WECOM.corpId}x`);
    expect(cipher.decrypt(prefix)).toEqual({ ok: false, reason: 'wrong_receiver' });
  });

  it('refuses a pad byte of 0', () => {
    const body = plaintextLayout('hello');
    const fill = 32 - (body.length % 32);
    const pad = Buffer.alloc(fill, fill);
    pad[pad.length - 1] = 0;
    expect(cipher.decrypt(encryptWithRawPadding(body, pad))).toEqual({ ok: false, reason: 'bad_padding' });
  });

  it('refuses a pad byte above 32', () => {
    const body = plaintextLayout('hello');
    const fill = 32 - (body.length % 32);
    const pad = Buffer.alloc(fill, fill);
    pad[pad.length - 1] = 33;
    expect(cipher.decrypt(encryptWithRawPadding(body, pad))).toEqual({ ok: false, reason: 'bad_padding' });
  });

  it('refuses inconsistent pad bytes', () => {
    const body = plaintextLayout('hello');
    const fill = 32 - (body.length % 32);
    expect(fill).toBeGreaterThan(2);
    const pad = Buffer.alloc(fill, fill);
    pad[0] = fill - 1;
    expect(cipher.decrypt(encryptWithRawPadding(body, pad))).toEqual({ ok: false, reason: 'bad_padding' });
  });

  it('refuses a length field larger than the message', () => {
    const body = plaintextLayout('hello');
    body.writeUInt32BE(10_000, 16);
    const fill = 32 - (body.length % 32);
    expect(cipher.decrypt(encryptWithRawPadding(body, Buffer.alloc(fill, fill)))).toEqual({
      ok: false,
      reason: 'bad_length',
    });
  });

  it('refuses text that is not base64 or not whole blocks', () => {
    const good = cipher.encrypt('<xml><a>1</a></xml>');
    expect(cipher.decrypt('not base64!')).toEqual({ ok: false, reason: 'bad_base64' });
    expect(cipher.decrypt('')).toEqual({ ok: false, reason: 'bad_base64' });
    // A literal `+` that became a space on the way.
    expect(cipher.decrypt(good.replace(/[A-Za-z]/, ' '))).toEqual({ ok: false, reason: 'bad_base64' });
    // Truncated by one block of 16 bytes: still base64, no longer whole 32-byte blocks.
    const raw = Buffer.from(good, 'base64');
    expect(cipher.decrypt(raw.subarray(0, raw.length - 16).toString('base64'))).toEqual({
      ok: false,
      reason: 'bad_base64',
    });
    // Truncated by a whole 32-byte block: the padding no longer checks out (or the length field).
    const cut = cipher.decrypt(raw.subarray(0, raw.length - 32).toString('base64'));
    expect(cut.ok).toBe(false);
  });

  it('refuses a ciphertext made with another key', () => {
    const otherKey = 'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3Ab4C';
    const foreign = referenceEncrypt(otherKey, '<xml/>', TEST_WECOM.corpId);
    expect(cipher.decrypt(foreign).ok).toBe(false);
  });
});

describe('WeCom callback signature', () => {
  it('is the sha1 of the sorted token, timestamp, nonce and encrypt', () => {
    // sorted: "1409659813", "1372623149", "msg_encrypt", "token" → lexical order.
    const sig = computeSignature('token', '1409659813', '1372623149', 'msg_encrypt');
    const expected = createHash('sha1')
      .update(['1372623149', '1409659813', 'msg_encrypt', 'token'].join(''))
      .digest('hex');
    expect(sig).toBe(expected);
    expect(verifySignature('token', '1409659813', '1372623149', 'msg_encrypt', sig)).toBe(true);
  });

  it('refuses any other signature, including one of another length', () => {
    const sig = computeSignature('token', '1', '2', 'x');
    expect(
      verifySignature(
        'token',
        '1',
        '2',
        'x',
        sig.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
    ).toBe(false);
    expect(verifySignature('token', '1', '2', 'x', sig.slice(0, 39))).toBe(false);
    expect(verifySignature('token', '1', '2', 'y', sig)).toBe(false);
    expect(verifySignature('other', '1', '2', 'x', sig)).toBe(false);
    expect(verifySignature('token', '1', '2', 'x', '')).toBe(false);
  });
});
