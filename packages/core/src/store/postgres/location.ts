import { NewsragError } from '../../errors.js';

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
}

/** True for a `postgres://` or `postgresql://` index location (anything else is a folder). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Parses `postgres://user:pw@host:5432/db?schema=news` (or `?host=/socket/dir` for a unix
 * socket). Pure. @throws BAD_OPTIONS for a URL that is not one, or a schema name that is not
 * a plain lower-case SQL identifier (it is spliced into SQL, quoted, and must round-trip).
 */
export function parsePostgresLocation(location: string): PostgresLocation {
  let url: URL;
  try {
    url = new URL(location);
  } catch (cause) {
    throw new NewsragError('BAD_OPTIONS', `Index location ${location} is not a valid postgres:// URL.`, { cause });
  }
  if (!isPostgresUrl(location)) {
    throw new NewsragError('BAD_OPTIONS', `Index location ${location} is not a postgres:// URL.`);
  }
  const schema = url.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new NewsragError(
      'BAD_OPTIONS',
      `Schema "${schema}" in ${location} is not a lower-case SQL identifier (letters, digits, _; at most 63): name the index's schema like news or bbc_2024.`,
    );
  }
  url.searchParams.delete('schema');
  const display = new URL(url.toString());
  if (display.password) display.password = '***';
  return {
    connectionString: url.toString(),
    schema,
    display: `${display.toString()}${display.search ? '&' : '?'}schema=${schema}`,
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
