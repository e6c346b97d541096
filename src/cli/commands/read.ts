// `synack read FILE [--json]`: placeholder until the packet toolkit lands.
import type { Command } from 'commander';
import { UserError } from '../errors.js';

export function registerRead(program: Command): void {
  program
    .command('read')
    .description('print every packet of a pcap/pcapng file as tcpdump -n does')
    .argument('<file>', 'pcap or pcapng file')
    .option('--json', 'one JSON object a line with every layer and field')
    .action(() => {
      throw new UserError('read is not implemented yet');
    });
}
