import { readCongressSettings } from './congress-settings.ts';
import { type CongressLevelName, LEVEL_WORD, type RuleId, ruleById } from './rules.ts';

// Whether a rule of the catalog binds a congress: its settings' override first (a congress whose own local
// rules differ), else the catalog's scope — the levels, and for the Datong measures only the city congress
// of 大同 (大同 第二条, 第三条: the measures govern the city congress and its standing committee).

export interface CongressForScope {
  name: string;
  level: CongressLevelName | string;
  settings: unknown;
}

/** The city congress of 大同: a city-level congress whose name starts with 大同市. */
export const isDatongCityCongress = (c: { name: string; level: string }): boolean =>
  c.level === 'city' && c.name.trim().startsWith('大同市');

export function ruleBinds(id: RuleId, c: CongressForScope): boolean {
  const override = readCongressSettings(c.settings).rules[id];
  if (override !== undefined) return override;
  const rule = ruleById(id);
  if (!rule) return false;
  if (!(rule.scope.levels as readonly string[]).includes(c.level)) return false;
  return !rule.scope.datongCityOnly || isDatongCityCongress(c);
}

/** How the scope reads (zh-CN), for `jobs list` and the docs. */
export function scopeText(id: RuleId): string {
  const rule = ruleById(id);
  if (!rule) return '';
  if (rule.scope.datongCityOnly) return '大同市人大（市级）';
  return rule.scope.levels.length === 4 ? '各级' : rule.scope.levels.map((l) => LEVEL_WORD[l]).join('、');
}
