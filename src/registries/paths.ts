/**
 * Where containers/image looks for registries.conf, its drop-in directories and registries.d
 * (`pkg/sysregistriesv2.newConfigWrapperWithHomeDir`, `docker.registriesDirPathWithHomeDir`, spec §5.1).
 * Pure functions: the caller supplies `$HOME` and an existence check.
 */

/** Upstream's builtin system paths (Linux; FreeBSD uses /usr/local/etc). */
export const SYSTEM_REGISTRIES_CONF = "/etc/containers/registries.conf";
/** The system drop-in directory. */
export const SYSTEM_REGISTRIES_CONF_DIR = "/etc/containers/registries.conf.d";
/** The system registries.d. */
export const SYSTEM_REGISTRIES_D = "/etc/containers/registries.d";

/** The SystemContext fields and process facts path selection depends on. */
export interface PathContext {
  /** `SystemRegistriesConfPath` (skopeo/podman `--registries-conf`). */
  systemRegistriesConfPath?: string;
  /** `SystemRegistriesConfDirPath`. */
  systemRegistriesConfDirPath?: string;
  /** `RegistriesDirPath` (skopeo `--registries.d`). */
  registriesDirPath?: string;
  /** `RootForImplicitAbsolutePaths`. */
  rootForImplicitAbsolutePaths?: string;
  /** `$HOME` (homedir.Get()). */
  home: string;
  /** Whether a path exists (os.Stat succeeds). */
  exists: (path: string) => boolean;
}

function join(...parts: string[]): string {
  return parts
    .join("/")
    .replace(/\/+/g, "/")
    .replace(/(.)\/$/, "$1");
}

/**
 * registries.conf locations (upstream `newConfigWrapperWithHomeDir`): the main file, the drop-in directories
 * in reading order, whether the main file was named explicitly (then it must exist), and the directory
 * upstream names in "blocked" messages (`ConfigDirPath`).
 */
export function registriesConfPaths(ctx: PathContext): { confPath: string; confDirs: string[]; explicit: boolean; messageDir: string } {
  const userFile = join(ctx.home, ".config/containers/registries.conf");
  const userDir = join(ctx.home, ".config/containers/registries.conf.d");
  let confPath: string;
  let explicit = false;
  if (ctx.systemRegistriesConfPath) {
    confPath = ctx.systemRegistriesConfPath;
    explicit = true;
  } else if (ctx.exists(userFile)) {
    // A per-user registries.conf: the system file and system drop-ins are not read.
    const dir = ctx.systemRegistriesConfDirPath || userDir;
    return { confPath: userFile, confDirs: [dir], explicit: false, messageDir: dir };
  } else if (ctx.rootForImplicitAbsolutePaths) {
    confPath = join(ctx.rootForImplicitAbsolutePaths, SYSTEM_REGISTRIES_CONF);
  } else {
    confPath = SYSTEM_REGISTRIES_CONF;
  }
  if (ctx.systemRegistriesConfDirPath) {
    return { confPath, confDirs: [ctx.systemRegistriesConfDirPath], explicit, messageDir: ctx.systemRegistriesConfDirPath };
  }
  const systemDir = ctx.rootForImplicitAbsolutePaths ? join(ctx.rootForImplicitAbsolutePaths, SYSTEM_REGISTRIES_CONF_DIR) : SYSTEM_REGISTRIES_CONF_DIR;
  return { confPath, confDirs: [systemDir, userDir], explicit, messageDir: userDir };
}

/** registries.d location (upstream `registriesDirPathWithHomeDir`): a user directory shadows the system one. */
export function registriesDirPath(ctx: PathContext): string {
  if (ctx.registriesDirPath) return ctx.registriesDirPath;
  const user = join(ctx.home, ".config/containers/registries.d");
  if (ctx.exists(user)) return user;
  if (ctx.rootForImplicitAbsolutePaths) return join(ctx.rootForImplicitAbsolutePaths, SYSTEM_REGISTRIES_D);
  return SYSTEM_REGISTRIES_D;
}
