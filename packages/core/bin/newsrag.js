#!/usr/bin/env node
// The `newsrag` bin. npm links bins when it installs, before anything is built, and links
// nothing for a bin file that does not exist yet; so the bin is this committed shim, which
// runs the built CLI (dist/cli.js runs on import) or says in one line how to build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(
    'newsrag: the CLI is not built yet (no packages/core/dist/cli.js); run `npm run build` first.\n',
  );
  process.exitCode = 1;
}
