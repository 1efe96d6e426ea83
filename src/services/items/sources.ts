// 查询 shows a deputy their own items of every kind (leave QJ, suggestions JY, bookings JD, activities HD).
// Each feature supplies a source; runtime.ts hands the list to the 查询 handler (Deps.wiring), so this
// domain depends on none of the domains that supply one. The contract itself is in src/deps.ts.

export type { ItemSource, ItemSummary } from '../../deps.ts';
