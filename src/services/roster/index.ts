// The roster domain's one door: other domains and the layers above import only this file.

export * from './csv.ts';
export * from './deputy-status.ts';
export * from './file-decoding.ts';
export * from './import.ts';
export * from './line-changes.ts';
export * from './seat-places.ts';
export * from './text.ts';
