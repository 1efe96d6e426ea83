// The reception domain's one door: other domains and the layers above import only this file.

export * from './booking.ts';
export * from './item-source.ts';
export * from './month-overview.ts';
