// The congresses domain's one door: other domains and the layers above import only this file.

export * from './congresses.ts';
export * from './groups.ts';
export * from './office-word.ts';
export * from './principal.ts';
export * from './sign-in.ts';
export * from './staff.ts';
export * from './tokens.ts';
