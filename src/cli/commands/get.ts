// `synack get URL`: fetch over the userspace stack with curl's options and exit codes
// (the work is in src/app/get.ts).
import { type Command, Option } from 'commander';
import { type GetOptions, runGet } from '../../app/get.js';
import { addDeviceOptions } from '../device-options.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerGet(program: Command): void {
  const cmd = program
    .command('get')
    .description('fetch a URL over the userspace TCP/IP stack (curl-like), every packet visible')
    .argument('<url>', 'http:// or https:// URL')
    .option('-o, --output <file>', 'write the body to FILE instead of stdout')
    .option('-I, --head', 'HEAD request: print the response headers')
    .option('-H, --header <header>', "extra request header 'Name: value' (repeatable)", collect)
    .option('-X, --request <method>', 'request method')
    .option(
      '-d, --data <data>',
      'request body (POST); @FILE reads a file (repeatable, joined with &)',
      collect,
    )
    .option('--http1.0', 'speak HTTP/1.0 (the server closes after the response)')
    .option('-v, --verbose', 'show the request and response headers and connection steps on stderr')
    .option('-s, --silent', 'no progress bar')
    .option('-f, --fail', 'exit 22 without writing the body when the status is 400 or more')
    .option('-k, --insecure', 'HTTPS: do not verify the server certificate')
    .option('--cacert <file>', 'HTTPS: trust this CA certificate (PEM)')
    .addOption(new Option('-4, --ipv4', 'IPv4 only'))
    .addOption(new Option('-6, --ipv6', 'IPv6 only'))
    .option('--connect-timeout <seconds>', 'give up connecting after this long (exit 28)')
    .option('-m, --max-time <seconds>', 'give up on the whole transfer after this long (exit 28)')
    .option('--trace', 'print every packet as a numbered tcpdump-style line on stderr')
    .option('--explain', 'like --trace, each line explained in plain words')
    .option('--pcap <file>', 'write every packet to a pcap file (Wireshark, tcpdump -r)')
    .option('--report <file.html>', 'write an HTML report: ladder diagram, time-sequence, RTT and cwnd')
    .option('--stats', 'print one JSON line of transfer and TCP statistics on stderr')
    .option('--dns <server>', 'resolve names with DNS queries sent from the stack to SERVER');
  addDeviceOptions(cmd).action(
    async (url: string, opts: GetOptions & { 'http1.0'?: boolean; http10?: boolean }) => {
      process.exitCode = await runGet(url, { ...opts, http10: opts.http10 ?? opts['http1.0'] });
    },
  );
}
