import { type NewsragError, newsragError, REBUILD_COMMAND } from '../../errors.js';
import { type PostgresLocation, qualified } from './location.js';

/** A problem of one table of a Postgres index. */
export interface TableProblem {
  /** The table, schema-qualified as messages and check reports name it (`"news"."chunks"`). */
  table: string;
  problem: string;
  /** How to recover, when a rebuild does not (a table that is missing, or not the engine's). */
  fix?: string;
}

/** `"schema"."table"`: how messages and check reports name a table of the index. */
export function tableName(where: PostgresLocation, table: string): string {
  return qualified(where.schema, table);
}

/** The check report's line for a table problem. */
export function describeProblem(p: TableProblem): string {
  return `${p.table}: ${p.problem}`;
}

/** INDEX_CORRUPT naming the table at fault and how to recover (a rebuild, unless the problem says otherwise). */
export function corruptTable(where: PostgresLocation, p: TableProblem, cause?: unknown): NewsragError {
  const fix = p.fix ?? `rebuild it with ${REBUILD_COMMAND} (or drop schema "${where.schema}" and index again)`;
  return newsragError(
    'INDEX_CORRUPT',
    { subject: `Index table ${p.table} of ${where.display}`, problem: p.problem, fix },
    cause === undefined ? undefined : { cause },
  );
}
