#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './cli/program.js';
import { NewsragError } from './errors.js';

/** Errors that mean the command was used wrongly (exit 2) rather than that it failed (exit 1). */
const USAGE_CODES = new Set(['BAD_OPTIONS', 'BAD_QUESTION', 'EVAL_BAD_FILE']);

async function main(argv: string[]): Promise<number> {
  const program = buildProgram({
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successes; everything else commander reports is bad usage.
      return error.exitCode === 0 ? 0 : 2;
    }
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`newsrag: ${message}${typeof code === 'string' ? ` [${code}]` : ''}\n`);
    return error instanceof NewsragError && USAGE_CODES.has(error.code) ? 2 : 1;
  }
}

process.exitCode = await main(process.argv);
