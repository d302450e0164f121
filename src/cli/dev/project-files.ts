import { sep } from "node:path";

/** Which files `dev` loads fresh on each reload (and watches): the project's own. */
export interface ProjectScope {
  /** The project root: files under it are the project's… */
  root: string;
  /** …except under these directories (nitrokit's own `dist`, whatever the project layout). */
  exclude: string[];
}

/**
 * True for a file of the user's project: under the root, outside `node_modules` and
 * the excluded directories. Packages are never reloaded: a second copy of `nitrokit`
 * (or of h3) would not recognise the first one's apps and errors.
 */
export function isProjectFile(path: string, scope: ProjectScope): boolean {
  if (!path.startsWith(scope.root + sep)) return false;
  if (path.includes(`${sep}node_modules${sep}`)) return false;
  return !scope.exclude.some((dir) => path.startsWith(dir + sep));
}
