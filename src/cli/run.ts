// Process entry: `node --import tsx src/cli/run.ts ARGS` in development and tests; bin/synack.js in use.
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(
      `synack: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exitCode = 70;
  },
);
