// The calendar domain's one door: other domains and the layers above import only this file.

export * from './calendar.ts';
export * from './holidays.ts';
export * from './notice-import.ts';
export * from './recompute.ts';
