import { migrateToLatest } from '../../db/migrate.ts';
import type { CliCommand } from './command.ts';

export const migrateCommand: CliCommand = {
  words: ['migrate'],
  usage: 'migrate',
  summary: '把数据库结构更新到最新',
  needsDeps: true,
  autoMigrate: false,
  async run(_args, io, deps) {
    const { applied } = await migrateToLatest(deps!.db);
    io.out(applied.length === 0 ? '数据库已是最新，无需迁移' : `已执行迁移: ${applied.join(', ')}`);
    return 0;
  },
};
