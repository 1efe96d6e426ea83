// The notices domain's one door: other domains and the layers above import only this file.

export * from './broadcast.ts';
export * from './platform-alerts.ts';
export * from './targets.ts';
