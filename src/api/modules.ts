import type { ApiModule } from './module.ts';

// Every staff API module, in the order they are mounted.
export const apiModules: ApiModule[] = [];
