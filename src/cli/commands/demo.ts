// `synack demo`: the seed article's three experiments against real servers in the lab, every
// packet printed and explained (the work is in src/app/demo.ts).
import type { Command } from 'commander';
import { runDemo } from '../../app/demo.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      "bring the lab up, replay the article's scenarios (HTTP/1.0 close, HTTP/1.1 keep-alive, a burst with loss) with every packet explained, write pcaps and HTML reports, take the lab down",
    )
    .option('--out <dir>', 'where to write the pcaps, traces and reports', 'synack-demo')
    .option('--only <ids>', 'run only these scenarios, e.g. A,C')
    .action(async (opts: { out: string; only?: string }) => {
      process.exitCode = await runDemo({ out: opts.out, only: opts.only });
    });
}
