import { z } from 'zod';
import { RULES, type RuleId } from './rules.ts';

// A congress's settings, with Datong's defaults. Validated whenever they are written.

export const congressSettingsSchema = z
  .object({
    // 大同 第七条(九) (S2): 每月5日为主任或副主任接待代表日. Kept to 1–28 so every month has the day.
    receptionDayOfMonth: z.number().int().min(1).max(28).default(5),
    // Who hosts the reception day (names or chat ids of the 主任/副主任), in rotation by month.
    receptionHosts: z.array(z.string().trim().min(1)).default([]),
    // Who may book the reception day: every deputy, nobody, or the deputies of the named groups.
    whoMayBook: z.union([z.enum(['all', 'none']), z.array(z.string().trim().min(1)).min(1)]).default('all'),
    // How many working days before the reception day the host receives the booked topics.
    agendaLeadWorkingDays: z.number().int().min(1).max(10).default(3),
    // S8: re-handling after 不满意 gets its own clock (one month by default, as local 办理办法 set it).
    reHandlingMonths: z.number().int().min(1).max(6).default(1),
    // S8 / 《代表法》第五十一条第二款: an extension may not go past six months from 交办.
    extensionCapMonths: z.number().int().min(3).max(6).default(6),
    // An organ may ask to return an item (退回申请) within this many working days of 交办 (local 办理办法).
    returnWindowWorkingDays: z.number().int().min(1).max(30).default(5),
    // The classes an organ's answer is put in; offices differ, these are the common ones.
    resultClasses: z
      .array(z.object({ code: z.string().trim().min(1).max(4), label: z.string().trim().min(1).max(30) }))
      .min(1)
      .max(10)
      .default([
        { code: 'A', label: '已解决或采纳' },
        { code: 'B', label: '正在解决或列入计划' },
        { code: 'C', label: '因条件限制需以后解决' },
        { code: 'D', label: '留作参考' },
      ]),
    // Rules turned on or off for this congress where its own local rules differ from the catalog's scope
    // (src/statute/rules.ts), e.g. {"S1": true} for a county that adopted the Datong group rules.
    rules: z.partialRecord(z.enum(RULES.map((r) => r.id) as [RuleId, ...RuleId[]]), z.boolean()).default({}),
  })
  .strict();

export type CongressSettings = z.infer<typeof congressSettingsSchema>;

export const DEFAULT_CONGRESS_SETTINGS: CongressSettings = congressSettingsSchema.parse({});

/** Settings as stored (possibly partial or from an older version) with defaults filled in. */
export function readCongressSettings(stored: unknown): CongressSettings {
  const parsed = congressSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_CONGRESS_SETTINGS;
}
