#!/usr/bin/env node
// The `tagloom` command. Sources are TypeScript run through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

// An error nothing caught ends the process with its message and stack, not with the source line
// Node prints by default: PGlite's bundle is one line of some 400 KB.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    process.stderr.write(`tagloom: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

register();
const { main } = await import('../src/cli.ts');
try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
