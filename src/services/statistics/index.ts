// The office's numbers (《代表法》第五十一条第三款; 大同 第六条; 山西 第八条、第三十一条): suggestions handled by
// organ or category, leave and attendance, group and station activity. The only door to this domain.

export * from './duties.ts';
export * from './suggestions.ts';
export * from './text.ts';
