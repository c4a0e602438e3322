/**
 * Imported for its side effect, before koffi itself, by ./koffi.ts.
 *
 * Start-up: koffi's package entry (index.js) loads its installer helpers at the top — https,
 * zlib, crypto — about 8 ms before the first ioctl, for nothing the transport uses. The
 * transport needs only the prebuilt native module, whose exports are the same API. So this
 * module registers that module as koffi's entry in the require cache before the transport
 * loads it. Any mismatch (another platform, a version skew) leaves koffi to load normally.
 */
import path from 'node:path';

function preloadKoffiNative(): void {
  try {
    const main = require.resolve('koffi');
    if (require.cache[main]) return;
    const dir = path.dirname(main);
    const pkg = require(path.join(dir, 'package.json')) as { version?: string };
    const native = require(path.join(dir, 'build', 'koffi', `${process.platform}_${process.arch}`, 'koffi.node')) as { version?: string; load?: unknown };
    if (!pkg.version || native.version !== pkg.version || typeof native.load !== 'function') return;
    const NodeModule = require('node:module') as { new(id: string, parent?: NodeModule): NodeModule };
    const m = new NodeModule(main, module);
    m.filename = main;
    m.exports = native;
    m.loaded = true;
    require.cache[main] = m;
  } catch {
    // Not fatal: the transport's own require('koffi') loads the package as usual.
  }
}

preloadKoffiNative();
