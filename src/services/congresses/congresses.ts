import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { writeAudit } from '../../../db/repositories/audit.ts';
import {
  findCongressByName,
  insertCongress,
  listCongresses,
  updateCongress,
} from '../../../db/repositories/congresses.ts';
import type { Congress, CongressLevel } from '../../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import {
  type CongressSettings,
  congressSettingsSchema,
  readCongressSettings,
} from '../../statute/congress-settings.ts';
import { describeZodError } from '../../zod-messages.ts';
import { recomputeAllDates } from '../calendar/index.ts';
import type { Principal } from './principal.ts';

// Congresses (one term of one 人民代表大会 each) and their settings, with Datong's defaults.

export interface CongressView {
  id: number;
  name: string;
  level: CongressLevel;
  termStartsOn: string | null;
  termEndsOn: string | null;
  archivedAt: string | null;
  /** The full effective settings: what is stored, with the defaults filled in. */
  settings: CongressSettings;
}

export const congressView = (c: Congress): CongressView => ({
  id: c.id,
  name: c.name,
  level: c.level,
  termStartsOn: c.term_starts_on,
  termEndsOn: c.term_ends_on,
  archivedAt: c.archived_at ? new Date(c.archived_at).toISOString() : null,
  settings: readCongressSettings(c.settings),
});

/** The congresses a principal may see: all, or the one its token is bound to. */
export async function listCongressViews(db: Db, by: Principal): Promise<CongressView[]> {
  return (await listCongresses(db, by.congressId)).map(congressView);
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD 格式的日期')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, '不是一个真实存在的日期');

export const congressPutSchema = z
  .object({
    level: z.enum(['province', 'city', 'county', 'township']).optional(),
    termStartsOn: isoDate.nullable().optional(),
    termEndsOn: isoDate.nullable().optional(),
    // Validated against congressSettingsSchema after merging over the stored settings.
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type CongressPut = z.infer<typeof congressPutSchema>;

export interface PutCongressResult {
  congress: CongressView;
  created: boolean;
  /** The settings whose effective value changed (what later recomputations key on). */
  changedSettings: (keyof CongressSettings)[];
}

/**
 * Merges a partial settings object over the stored one and validates the whole; a key set to null
 * goes back to its default. Throws a 400 naming the bad field.
 */
export function mergeCongressSettings(stored: unknown, patch: Record<string, unknown>): CongressSettings {
  const merged: Record<string, unknown> = { ...readCongressSettings(stored) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const r = congressSettingsSchema.safeParse(merged);
  if (!r.success) throw new AppError('invalid_body', describeZodError(r.error, 'settings'));
  return r.data;
}

/**
 * Creates or updates a congress. The name is the key (大同市第十六届人民代表大会).
 * A token bound to one congress may update only that one and create none.
 */
export async function putCongress(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log' | 'wiring'>,
  by: { principal: Principal; actor: string; requestId: string | null },
  name: string,
  input: CongressPut,
): Promise<PutCongressResult> {
  const cleanName = name.trim();
  if (cleanName === '' || cleanName.length > 100)
    throw new AppError('bad_request', '人大名称不能为空，且不超过 100 字');
  const result = await deps.db.transaction().execute(async (trx) => {
    const existing = await findCongressByName(trx, cleanName);
    if (by.principal.congressId !== null && existing?.id !== by.principal.congressId) {
      throw new AppError('forbidden', '您的令牌只能管理所属人大');
    }
    const before = existing ? readCongressSettings(existing.settings) : readCongressSettings({});
    const settings = mergeCongressSettings(existing?.settings ?? {}, input.settings ?? {});
    const starts = input.termStartsOn !== undefined ? input.termStartsOn : (existing?.term_starts_on ?? null);
    const ends = input.termEndsOn !== undefined ? input.termEndsOn : (existing?.term_ends_on ?? null);
    if (starts && ends && starts > ends) {
      throw new AppError('invalid_body', '字段「termEndsOn」不能早于 termStartsOn');
    }
    let row: Congress;
    if (!existing) {
      if (!input.level)
        throw new AppError(
          'invalid_body',
          '新建人大时字段「level」必须填写（province/city/county/township）',
        );
      row = await insertCongress(trx, {
        name: cleanName,
        level: input.level,
        termStartsOn: starts,
        termEndsOn: ends,
        settings,
      });
    } else {
      row = await updateCongress(
        trx,
        existing.id,
        {
          ...(input.level ? { level: input.level } : {}),
          termStartsOn: starts,
          termEndsOn: ends,
          settings,
        },
        deps.clock.now(),
      );
    }
    const changedSettings = (Object.keys(settings) as (keyof CongressSettings)[]).filter(
      (k) => JSON.stringify(settings[k]) !== JSON.stringify(before[k]),
    );
    await writeAudit(trx, {
      actor: by.actor,
      action: existing ? 'congress.update' : 'congress.create',
      subjectType: 'congress',
      subjectId: row.id,
      detail: { name: cleanName, input, changedSettings },
      requestId: by.requestId,
    });
    return { congress: congressView(row), created: !existing, changedSettings };
  });
  // S2 (大同 第七条(九)): a new reception day of month moves the stored future reception days; those they
  // move are told. After the commit, so a failed recompute never loses the settings change.
  if (result.changedSettings.includes('receptionDayOfMonth')) {
    await recomputeAllDates(
      deps,
      `人大设置变更：接待日改为每月${input.settings?.receptionDayOfMonth}日`,
    ).catch((err: unknown) =>
      deps.log.error({ err, congress: cleanName }, 'reception days not recomputed after a settings change'),
    );
  }
  return result;
}
