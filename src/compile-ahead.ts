// Run before the service starts (`npm start`'s prestart, with the compile cache of compile-cache.js on):
// imports every module the service loads, without starting it, so each is compiled into the cache here and
// the service process finds them all there. Only what changed since the last start is compiled again.
// Other entry points (the bench's servers) are given as arguments, relative to the working directory.
import { flushCompileCache } from 'node:module';
import { pathToFileURL } from 'node:url';

await import('./main.ts');
for (const file of process.argv.slice(2)) await import(pathToFileURL(file).href);
flushCompileCache();
