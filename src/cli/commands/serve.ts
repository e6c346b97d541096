// `synack serve [--port N] [--dir DIR]`: static files over the userspace stack (the work is in
// src/app/serve.ts).
import type { Command } from 'commander';
import { runServe, type ServeOptions } from '../../app/serve.js';
import { addDeviceOptions } from '../device-options.js';

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description(
      'serve static files over HTTP from the userspace TCP/IP stack (Node http.Server on stack sockets)',
    )
    .option('-p, --port <n>', 'TCP port', '8080')
    .option('-d, --dir <dir>', 'directory to serve', '.')
    .option('--trace', 'print every packet as a numbered tcpdump-style line on stderr')
    .option('--explain', 'like --trace, each line explained in plain words')
    .option('--pcap <file>', 'write every packet to a pcap file')
    .option('-q, --quiet', 'no per-request log lines');
  addDeviceOptions(cmd).action(async (opts: ServeOptions) => {
    process.exitCode = await runServe(opts);
  });
}
