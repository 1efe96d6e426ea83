import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const errorsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
};

describe('configuration', () => {
  it('has the defaults of the contract', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe('./data');
    expect(c.redisUrl).toBeUndefined();
    expect(c.timezone).toBe('Asia/Shanghai');
    expect(c.adminToken).toBeUndefined();
    expect(c.wecom).toBeUndefined();
    expect(c.dingtalk).toBeUndefined();
  });

  it('bounds the wait for PostgreSQL, configurably, and refuses a nonsense bound', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ connectMs: 2000, queryMs: 3000 });
    expect(
      loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '500', DATABASE_QUERY_TIMEOUT_MS: '0' }).databaseTimeouts,
    ).toEqual({ connectMs: 500, queryMs: 0 });
    const lines = errorsOf({ DATABASE_CONNECT_TIMEOUT_MS: 'soon', DATABASE_QUERY_TIMEOUT_MS: '-1' });
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'DATABASE_CONNECT_TIMEOUT_MS',
      'DATABASE_QUERY_TIMEOUT_MS',
    ]);
  });

  it('reads a full WeCom and DingTalk configuration', () => {
    const c = loadConfig({
      WECOM_CORP_ID: 'ww1234567890',
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 's',
      WECOM_TOKEN: 't',
      WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
      WECOM_API_BASE: 'http://127.0.0.1:9999/',
      DINGTALK_APP_KEY: 'k',
      DINGTALK_APP_SECRET: 's',
      DINGTALK_ROBOT_CODE: 'r',
    });
    expect(c.wecom).toMatchObject({
      corpId: 'ww1234567890',
      agentId: 1000002,
      apiBase: 'http://127.0.0.1:9999',
    });
    expect(c.dingtalk).toMatchObject({ appKey: 'k', apiBase: 'https://api.dingtalk.com' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: ' ' }).redisUrl).toBeUndefined();
  });

  it('names each bad variable on one line of its own', () => {
    const lines = errorsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'not a url',
      APP_TIMEZONE: 'Mars/Olympus',
      ADMIN_TOKEN: 'short',
    });
    expect(lines).toHaveLength(5);
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'APP_TIMEZONE', 'ADMIN_TOKEN']) {
      expect(lines.filter((l) => l.startsWith(`${name}: `))).toHaveLength(1);
    }
    for (const l of lines) expect(l).not.toContain('\n');
  });

  it('never echoes a value, which may be a secret', () => {
    const lines = errorsOf({ ADMIN_TOKEN: 'secret12', WECOM_ENCODING_AES_KEY: 'my-secret-key' });
    expect(lines.join('\n')).not.toContain('secret12');
    expect(lines.join('\n')).not.toContain('my-secret-key');
  });

  it('asks for the rest of a half-configured channel', () => {
    const lines = errorsOf({ WECOM_CORP_ID: 'ww1', WECOM_SECRET: 's' });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^WECOM_AGENT_ID: is required/),
        expect.stringMatching(/^WECOM_TOKEN: is required/),
        expect.stringMatching(/^WECOM_ENCODING_AES_KEY: is required/),
      ]),
    );
    expect(errorsOf({ DINGTALK_APP_KEY: 'k' })).toHaveLength(2);
  });

  it('refuses an EncodingAESKey of the wrong length', () => {
    expect(errorsOf({ WECOM_ENCODING_AES_KEY: 'abc' })[0]).toMatch(
      /^WECOM_ENCODING_AES_KEY: must be the 43-character/,
    );
  });
});
