// Loaded before the service's modules (`node --import`): Node keeps every module it compiles, with its types
// stripped and its bytecode, in its compile cache on disk (NODE_COMPILE_CACHE, else the system's temporary
// directory), keyed by the file's content. A process whose modules are all found there never loads Node's
// type stripper, which would otherwise hold about 20 MB for the life of the process (docs/OPERATIONS.md).
// JavaScript, not TypeScript: it runs before anything could strip its types.
import { enableCompileCache } from 'node:module';

enableCompileCache();
