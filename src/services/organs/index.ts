// The organs domain's one door: other domains and the layers above import only this file.

export * from './contact.ts';
export * from './registry.ts';
export * from './text.ts';
