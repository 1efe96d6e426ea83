// The duty-record domain's one door: other domains and the layers above import only this file.

export * from './events.ts';
export * from './summary.ts';
