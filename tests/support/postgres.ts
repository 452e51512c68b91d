/**
 * A throw-away PostgreSQL + pgvector server for the Postgres store's tests and benchmark,
 * run from the binaries of the pinned pgserver wheel (PostgreSQL 16.2, pgvector 0.6.2; see
 * scripts/pg/requirements.txt, installed by `npm run pg:install`). Each server gets its own
 * temp folder holding its data directory and its unix socket (no TCP port, so parallel test
 * files never collide), and is stopped and deleted by {@link PgServer.stop} or, failing
 * that, when the process exits.
 *
 * PostgreSQL refuses to run as root; as root (CI here) the server runs as the system user
 * `newsrag-pg` that scripts/pg/install.sh creates.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const PG_USER = 'newsrag-pg';
const INSTALL_HINT =
  'Install the pinned pgserver wheel with `npm run pg:install` (scripts/pg/install.sh), or point NEWSRAG_PG_BIN at a folder with initdb, pg_ctl and postgres of a PostgreSQL that has pgvector.';

/** Where scripts/pg/install.sh puts its venv (the same rule as the script). */
export function pgserverHome(): string {
  if (process.env.NEWSRAG_PGSERVER_HOME) return process.env.NEWSRAG_PGSERVER_HOME;
  return process.getuid?.() === 0 ? '/opt/newsrag/pgserver' : path.join(os.homedir(), '.cache', 'newsrag', 'pgserver');
}

function binIn(packageDir: string): string | null {
  const bin = path.join(packageDir, 'pginstall', 'bin');
  return existsSync(path.join(bin, 'postgres')) ? bin : null;
}

/**
 * The folder of initdb/pg_ctl/postgres: $NEWSRAG_PG_BIN, else the pgserver package in the
 * install script's venv, else one `python3` can find (`pip install --user pgserver`). The
 * package is located without importing it: only its binaries are used, and its Python
 * dependencies are not installed (--no-deps).
 * @throws Error with the install command when none is found.
 */
export function findPgBin(): string {
  const explicit = process.env.NEWSRAG_PG_BIN;
  if (explicit) {
    if (existsSync(path.join(explicit, 'postgres'))) return explicit;
    throw new Error(`NEWSRAG_PG_BIN=${explicit} has no postgres binary. ${INSTALL_HINT}`);
  }
  const libDir = path.join(pgserverHome(), 'lib');
  if (existsSync(libDir)) {
    for (const py of readdirSync(libDir)) {
      const found = binIn(path.join(libDir, py, 'site-packages', 'pgserver'));
      if (found) return found;
    }
  }
  const probe = spawnSync(
    'python3',
    [
      '-c',
      "import importlib.util as u; s = u.find_spec('pgserver'); print(s.submodule_search_locations[0] if s else '')",
    ],
    { encoding: 'utf8' },
  );
  const dir = probe.status === 0 ? probe.stdout.trim() : '';
  const found = dir ? binIn(dir) : null;
  if (found) return found;
  throw new Error(`No PostgreSQL server for the Postgres store's tests: pgserver is not installed. ${INSTALL_HINT}`);
}

/** uid/gid the server runs as: ours, or newsrag-pg's when we are root. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `Running as root, and PostgreSQL refuses to: the system user ${PG_USER} is missing. ${INSTALL_HINT}`,
    );
  }
}

export interface PgServerOptions {
  /** postgresql.conf settings (`shared_buffers`, `maintenance_work_mem`, …), passed as -c. */
  settings?: Record<string, string>;
  /** fsync off (the default) is fine for tests: a killed client never loses committed data, only an OS crash would. */
  fsync?: boolean;
}

export interface PgServer {
  /** The folder of the unix socket (the `host` of a connection). */
  readonly socketDir: string;
  readonly dataDir: string;
  /** `postgres://postgres@localhost/postgres?host=<socketDir>` (the host query parameter wins) plus `extra` query parameters (e.g. `schema=news`). */
  url(extra?: Record<string, string>): string;
  /** A client config for `pg` (database `postgres`, superuser `postgres`). */
  readonly config: pg.ClientConfig;
  /** Stops the server (fast shutdown) and deletes its folder. Idempotent. */
  stop(): Promise<void>;
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | null, what: string): void {
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    // LC_ALL=C: initdb picks the locale from the environment and fails on one the machine lacks.
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });
  if (r.status !== 0) {
    throw new Error(`${what} failed (${path.basename(bin)} exit ${r.status}): ${r.stderr || r.stdout || r.error}`);
  }
}

/**
 * Starts a fresh server (initdb, pg_ctl start on a unix socket, CREATE EXTENSION vector) and
 * returns how to reach it. About a second on this machine.
 */
export async function startPostgres(options: PgServerOptions = {}): Promise<PgServer> {
  const bin = findPgBin();
  const user = serverUser();
  const root = mkdtempSync(path.join(os.tmpdir(), 'newsrag-pg-'));
  const dataDir = path.join(root, 'data');
  if (user) chownSync(root, user.uid, user.gid);
  chmodSync(root, 0o755);
  run(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
    user,
    'initdb',
  );
  const settings: Record<string, string> = {
    listen_addresses: "''",
    unix_socket_directories: `'${root}'`,
    fsync: options.fsync ? 'on' : 'off',
    max_connections: '100',
    ...options.settings,
  };
  const opts = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  run(
    path.join(bin, 'pg_ctl'),
    ['start', '-D', dataDir, '-w', '-t', '60', '-l', path.join(root, 'server.log'), '-o', opts],
    user,
    'pg_ctl start',
  );

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    spawnSync(path.join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    rmSync(root, { recursive: true, force: true });
  };
  // A test file that dies or forgets stop() must not leave a server running.
  process.once('exit', stopSync);

  const config: pg.ClientConfig = { host: root, user: 'postgres', database: 'postgres' };
  const client = new pg.Client(config);
  try {
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    stopSync();
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
  return {
    socketDir: root,
    dataDir,
    config,
    url(extra = {}) {
      const q = new URLSearchParams({ host: root, ...extra });
      return `postgres://postgres@localhost/postgres?${q.toString()}`;
    },
    async stop() {
      process.removeListener('exit', stopSync);
      stopSync();
    },
  };
}
