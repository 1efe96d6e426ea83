// The leave domain's one door: other domains and the layers above import only this file.

export * from './absences.ts';
export * from './item-source.ts';
export * from './requests.ts';
export * from './routing.ts';
