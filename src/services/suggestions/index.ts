// The suggestions domain's one door: other domains and the layers above import only this file.

export * from './answer.ts';
export * from './assignment-correction.ts';
export * from './extension-undo.ts';
export * from './follow-ups.ts';
export * from './handling.ts';
export * from './letter.ts';
export * from './organ-side.ts';
export * from './own-items.ts';
export * from './query.ts';
export * from './records.ts';
export * from './review.ts';
export * from './staff-audit.ts';
export * from './submission.ts';
export * from './supplement.ts';
export * from './text.ts';
export * from './urging.ts';
