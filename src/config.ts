import { z } from 'zod';

// The whole environment is read once, here, and passed down as a value.

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  // A database that does not answer fails a callback in time (WeCom retries after 5 s) instead of hanging it.
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  APP_TIMEZONE: z
    .string()
    .trim()
    .default('Asia/Shanghai')
    .refine(isTimeZone, 'is not a known IANA time zone'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: z.coerce.number().int().positive().optional(),
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_ENCODING_AES_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey from the WeCom console')
    .optional(),
  WECOM_API_BASE: url(['http:', 'https:']).default('https://qyapi.weixin.qq.com'),
  DINGTALK_APP_KEY: optionalText,
  DINGTALK_APP_SECRET: optionalText,
  DINGTALK_ROBOT_CODE: optionalText,
  DINGTALK_API_BASE: url(['http:', 'https:']).default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: url(['http:', 'https:']).default('https://oapi.dingtalk.com'),
  // Outbound-only channels (no inbound port): DingTalk Stream mode, WeCom's intelligent robot.
  DINGTALK_MODE: z.enum(['callback', 'stream']).default('callback'),
  WECOM_BOT_ID: optionalText,
  WECOM_BOT_SECRET: optionalText,
  WECOM_BOT_WS_URL: url(['ws:', 'wss:']).default('wss://openws.work.weixin.qq.com'),
});

type Env = z.infer<typeof envSchema>;

export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiBase: string;
}

export interface DingtalkConfig {
  appKey: string;
  appSecret: string;
  robotCode: string;
  apiBase: string;
  oapiBase: string;
  /** 'callback': DingTalk posts to /dingtalk/callback; 'stream': the service connects out (Stream mode). */
  mode?: 'callback' | 'stream';
}

/** WeCom's intelligent robot (智能机器人) over its WebSocket long connection. */
export interface WecomBotConfig {
  botId: string;
  secret: string;
  wsUrl: string;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** PostgreSQL: waiting for a connection, and for one query's answer (0: no limit), in ms. */
  databaseTimeouts: { connectMs: number; queryMs: number };
  redisUrl: string | undefined;
  timezone: string;
  adminToken: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  wecom: WecomConfig | undefined;
  dingtalk: DingtalkConfig | undefined;
  wecomBot: WecomBotConfig | undefined;
}

export class ConfigError extends Error {
  readonly lines: string[];
  constructor(lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
    this.lines = lines;
  }
}

const WECOM_VARS = [
  'WECOM_CORP_ID',
  'WECOM_AGENT_ID',
  'WECOM_SECRET',
  'WECOM_TOKEN',
  'WECOM_ENCODING_AES_KEY',
] as const;
const DINGTALK_VARS = ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_ROBOT_CODE'] as const;
const WECOM_BOT_VARS = ['WECOM_BOT_ID', 'WECOM_BOT_SECRET'] as const;

/** Reads the configuration; throws ConfigError with one readable line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means unset, as shells and .env files commonly write it.
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') cleaned[key] = v;
  }
  const parsed = envSchema.safeParse(cleaned);
  const lines: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      // Never echo a value: it may be a secret.
      lines.push(`${name}: ${issue.message}`);
    }
  }
  const partial = (names: readonly string[]) => {
    const set = names.filter((n) => cleaned[n] !== undefined);
    if (set.length > 0 && set.length < names.length) {
      for (const n of names)
        if (cleaned[n] === undefined) lines.push(`${n}: is required when ${set.join(', ')} is set`);
    }
    return set.length === names.length;
  };
  const wecomOn = partial(WECOM_VARS);
  const dingOn = partial(DINGTALK_VARS);
  const wecomBotOn = partial(WECOM_BOT_VARS);
  if (cleaned.DINGTALK_MODE?.trim() === 'stream' && !dingOn) {
    lines.push('DINGTALK_MODE: stream needs DINGTALK_APP_KEY, DINGTALK_APP_SECRET and DINGTALK_ROBOT_CODE');
  }
  if (lines.length > 0 || !parsed.success) throw new ConfigError([...new Set(lines)]);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    databaseTimeouts: { connectMs: e.DATABASE_CONNECT_TIMEOUT_MS, queryMs: e.DATABASE_QUERY_TIMEOUT_MS },
    redisUrl: e.REDIS_URL,
    timezone: e.APP_TIMEZONE,
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    wecom: wecomOn
      ? {
          corpId: e.WECOM_CORP_ID!,
          agentId: e.WECOM_AGENT_ID!,
          secret: e.WECOM_SECRET!,
          token: e.WECOM_TOKEN!,
          encodingAesKey: e.WECOM_ENCODING_AES_KEY!,
          apiBase: e.WECOM_API_BASE.replace(/\/$/, ''),
        }
      : undefined,
    dingtalk: dingOn
      ? {
          appKey: e.DINGTALK_APP_KEY!,
          appSecret: e.DINGTALK_APP_SECRET!,
          robotCode: e.DINGTALK_ROBOT_CODE!,
          apiBase: e.DINGTALK_API_BASE.replace(/\/$/, ''),
          oapiBase: e.DINGTALK_OAPI_BASE.replace(/\/$/, ''),
          mode: e.DINGTALK_MODE,
        }
      : undefined,
    wecomBot: wecomBotOn
      ? { botId: e.WECOM_BOT_ID!, secret: e.WECOM_BOT_SECRET!, wsUrl: e.WECOM_BOT_WS_URL.replace(/\/$/, '') }
      : undefined,
  };
}
