// The activities domain's one door: other domains and the layers above import only this file.

export * from './activities.ts';
export * from './attendance.ts';
export * from './inspection-links.ts';
export * from './inspection-requests.ts';
export * from './invitations.ts';
export * from './meeting-replies.ts';
export * from './text.ts';
