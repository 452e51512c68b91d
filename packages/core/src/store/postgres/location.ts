import { newsragError } from '../../errors.js';

/** The schema an index URL without `?schema=` uses. */
export const DEFAULT_SCHEMA = 'newsrag';

/** Where a Postgres index lives: the server (a connection string for `pg`) and the schema that holds it. */
export interface PostgresLocation {
  /** The URL without its `schema` parameter, as `pg` takes it. */
  connectionString: string;
  /** One schema per index, so several indexes share a database. */
  schema: string;
  /** The URL with any password masked, for messages. */
  display: string;
  /** How dense searches trade recall for speed (`?recall=` / `?ef_search=` in the URL). */
  dense: DenseSettings;
}

/**
 * The HNSW knob, in the user's terms: `recall` (0–1, recall@k against exact search wanted, from
 * which each query's `hnsw.ef_search` is derived for its k) or a fixed `efSearch`, which wins.
 */
export interface DenseSettings {
  recall?: number;
  efSearch?: number;
}

/** The URL parameters this store reads itself (the rest go to `pg`, as libpq's would). */
const OWN_PARAMETERS = ['schema', 'recall', 'ef_search'];

function denseSettingsOf(url: URL, location: string): DenseSettings {
  const dense: DenseSettings = {};
  const recall = url.searchParams.get('recall');
  if (recall !== null) {
    const r = Number(recall);
    if (!(r > 0 && r < 1)) {
      throw newsragError('BAD_OPTIONS', {
        subject: `recall=${recall} in ${maskedOf(location)}`,
        problem: 'is not a number between 0 and 1 (exclusive)',
        fix: 'say recall=0.95 for 95 % of the exact top-k',
      });
    }
    dense.recall = r;
  }
  const ef = url.searchParams.get('ef_search');
  if (ef !== null) {
    const n = Number(ef);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw newsragError('BAD_OPTIONS', {
        subject: `ef_search=${ef} in ${maskedOf(location)}`,
        problem: "is not a whole number from 1 to 1000 (pgvector's range)",
      });
    }
    dense.efSearch = n;
  }
  return dense;
}

/** `location` with its password masked (best effort: it may not parse). */
function maskedOf(location: string): string {
  try {
    const u = new URL(location);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not a URL, but it may still carry a user:password@ part.
    return location.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
  }
}

/** True for a `postgres://` or `postgresql://` index location (anything else is a folder). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Parses `postgres://user:pw@host:5432/db?schema=news` (or `?host=/socket/dir` for a unix
 * socket; `&recall=0.98` or `&ef_search=200` tune dense search, see {@link DenseSettings}). Pure. @throws BAD_OPTIONS for a URL that is not one, or a schema name that is not
 * a plain lower-case SQL identifier (it is spliced into SQL, quoted, and must round-trip).
 */
export function parsePostgresLocation(location: string): PostgresLocation {
  let url: URL;
  try {
    url = new URL(location);
  } catch (cause) {
    throw newsragError(
      'BAD_OPTIONS',
      { subject: `Index location ${maskedOf(location)}`, problem: 'is not a valid postgres:// URL' },
      { cause },
    );
  }
  if (!isPostgresUrl(location)) {
    throw newsragError('BAD_OPTIONS', {
      subject: `Index location ${maskedOf(location)}`,
      problem: 'is not a postgres:// URL',
    });
  }
  const schema = url.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  const dense = denseSettingsOf(url, location);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw newsragError('BAD_OPTIONS', {
      subject: `Schema "${schema}" in ${maskedOf(location)}`,
      problem: 'is not a lower-case SQL identifier (letters, digits, _; at most 63)',
      fix: "name the index's schema like news or bbc_2024",
    });
  }
  for (const name of OWN_PARAMETERS) url.searchParams.delete(name);
  const display = new URL(url.toString());
  if (display.password) display.password = '***';
  return {
    connectionString: url.toString(),
    schema,
    display: `${display.toString()}${display.search ? '&' : '?'}schema=${schema}`,
    dense,
  };
}

/** A schema-qualified, quoted table name. */
export function qualified(schema: string, table: string): string {
  return `"${schema}"."${table}"`;
}

/** An index location fit for logs and messages: a folder as it is, a Postgres URL with its password masked. */
export function displayLocation(location: string): string {
  return isPostgresUrl(location) ? parsePostgresLocation(location).display : location;
}
