// Tells whether a build would change anything. `wrangler dev` (4.86) runs the [build] command
// twice on start (once to find the entry, once more when its file watcher is ready: wrangler
// issue #7934), and `npm test` builds again what `npm start` just built: the second build finds
// nothing to do. Contents are compared, not times, so a checkout or a copy cannot fool it.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * One hash of every file under `paths` (files or directories, relative to `root`), names included.
 * @param {string} root
 * @param {string[]} paths
 */
export function fingerprint(root, paths) {
  const hash = createHash("sha256");
  const visit = (path) => {
    if (!existsSync(path)) return hash.update(`missing ${relative(root, path)}\0`);
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
      return;
    }
    hash.update(`${relative(root, path)}\0`).update(readFileSync(path)).update("\0");
  };
  for (const path of paths) visit(join(root, path));
  return hash.digest("hex");
}

/**
 * @param {{ root: string; stampFile: string; inputs: string[]; outputs: string[] }} build
 * @returns {{ upToDate: boolean; inputs: string }} `inputs` is what to stamp once the build is done
 */
export function checkBuild({ root, stampFile, inputs, outputs }) {
  const current = fingerprint(root, inputs);
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    return { upToDate: false, inputs: current };
  }
  // The outputs must also be as that build left them: another build may have emptied dist/ since.
  const upToDate = stamp?.inputs === current && stamp?.outputs === fingerprint(root, outputs);
  return { upToDate, inputs: current };
}

/**
 * Record a finished build. `inputs` is the fingerprint taken before it began, so a file edited
 * while it ran makes the next check build again.
 * @param {{ root: string; stampFile: string; outputs: string[]; inputs: string }} build
 */
export function stampBuild({ root, stampFile, outputs, inputs }) {
  writeFileSync(stampFile, JSON.stringify({ inputs, outputs: fingerprint(root, outputs) }));
}
