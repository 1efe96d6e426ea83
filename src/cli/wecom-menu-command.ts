import { WecomClient } from '../channels/wecom/client.ts';
import { appMenu } from '../channels/wecom/menu.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/index.ts';
import type { CliCommand, CliIo } from './command.ts';

/**
 * Publishes the app menu (请假 · 提建议 · 查进度 · 接待日 · 我的履职). It needs only the WeCom settings and the
 * store (for the shared access token), not the database.
 */
export async function runWecomMenu(env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines) io.err(`配置错误 ${line}`);
      return 1;
    }
    throw err;
  }
  if (!config.wecom) {
    io.err(
      '未配置企业微信：请设置 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET、WECOM_TOKEN、WECOM_ENCODING_AES_KEY 后再发布菜单',
    );
    return 1;
  }
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const store = openStore(config.redisUrl);
  try {
    const client = new WecomClient({ config: config.wecom, store, log });
    const menu = appMenu();
    const result = await client.createMenu(menu);
    if (!result.ok) {
      io.err(`发布菜单失败：${result.message}`);
      return 1;
    }
    const labels = menu.flatMap((b) => ('sub_button' in b ? b.sub_button.map((s) => s.name) : [b.name]));
    io.out(`已发布企业微信应用菜单：${labels.join('、')}`);
    return 0;
  } finally {
    await store.close();
  }
}

export const wecomMenuCommand: CliCommand = {
  words: ['wecom', 'menu'],
  usage: 'wecom menu',
  summary: '发布企业微信应用菜单（请假、提建议、查进度、接待日、我的履职）',
  needsDeps: false,
  run: (_args, io) => runWecomMenu(process.env, io),
};
