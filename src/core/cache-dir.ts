import { join } from 'node:path'
import { packageRoot } from './package-root.js'

/**
 * Where built indexes are cached: `KEPU_CACHE_DIR`, else `<package>/node_modules/.cache/kepu` (a place
 * every npm project already ignores). Deleting it only costs one rebuild.
 */
export function cacheDir(): string {
  return process.env.KEPU_CACHE_DIR || join(packageRoot(), 'node_modules', '.cache', 'kepu')
}
