// The items domain's one door: other domains and the layers above import only this file.

export * from './codes.ts';
export * from './sources.ts';
