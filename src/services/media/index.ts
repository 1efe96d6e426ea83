// The media domain's one door: what deputies send (photos, voice, files), kept in our own storage.

export * from './fetcher.ts';
export * from './keep.ts';
