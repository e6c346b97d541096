// What the integration suite needs from the machine. scripts/run-tests.mjs checks it before the
// first integration file, so a missing piece fails the run with one line naming it and how to get
// it, instead of a stack trace deep inside some test. Every check is a PATH lookup or one short
// command. The order matters: without root nothing else works, and a missing command would make the
// kernel checks at the end fail for the wrong reason.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SETUP = 'run sudo npm run setup';
const PRIVILEGED = 'run as root on a host that allows it (a container needs --privileged)';

const command = (name, pkg, fix = SETUP) => ({
  need: name,
  pkg,
  fix,
  probe: () => (onPath(name) ? null : 'not found'),
});

export const CHECKS = [
  { need: 'root', fix: 'run them with sudo, e.g. sudo npm test', probe: rootProbe },
  command('ip', 'iproute2'),
  // util-linux is Essential in Debian, so the setup script does not list it.
  command('unshare', 'util-linux', 'run sudo apt-get install util-linux'),
  command('nft', 'nftables'),
  command('tcpdump', 'tcpdump'),
  command('tshark', 'tshark'),
  command('nginx', 'nginx-light'),
  command('python3', 'python3'),
  {
    need: 'scapy importable by /usr/bin/python3',
    pkg: 'python3-scapy',
    fix: SETUP,
    probe: () => fails('/usr/bin/python3', ['-c', 'import scapy']),
  },
  command('curl', 'curl'),
  command('ethtool', 'ethtool'),
  command('ss', 'iproute2'),
  { need: '/usr/bin/chromium', pkg: 'chromium', fix: SETUP, probe: () => executable('/usr/bin/chromium') },
  { need: 'working network namespaces', fix: PRIVILEGED, probe: netnsProbe },
  {
    need: 'working nftables',
    fix: 'load the nf_tables kernel module (sudo modprobe nf_tables); a container needs CAP_NET_ADMIN',
    probe: () => prefixed('nft list tables', fails('nft', ['list', 'tables'])),
  },
];

/**
 * Null when everything is there, else the one line to print. After the first failure only the
 * package checks with the same fix still run, so one line can name every package one command installs.
 */
export function preflight(checks = CHECKS) {
  const failed = [];
  for (const check of checks) {
    if (failed.length > 0 && !(check.pkg && check.fix === failed[0].check.fix)) continue;
    const why = check.probe();
    if (why !== null) failed.push({ check, why });
  }
  return failed.length === 0 ? null : describe(failed);
}

function describe(failed) {
  const { check, why } = failed[0];
  if (!check.pkg) return `integration tests need ${check.need} (${why}): ${check.fix}`;
  const pkgs = [...new Set(failed.map((f) => f.check.pkg))];
  const needs = failed.map((f) => f.check.need).join(', ');
  return `integration tests need ${needs} (Debian package${pkgs.length > 1 ? 's' : ''} ${pkgs.join(', ')}): ${check.fix}`;
}

function rootProbe() {
  return process.getuid?.() === 0 ? null : `running as uid ${process.getuid?.()}`;
}

// Adds and deletes a throwaway namespace; the name is this process's own, so nothing else's is touched.
function netnsProbe() {
  const name = `synack-preflight-${process.pid}`;
  const added = prefixed('ip netns add', fails('ip', ['netns', 'add', name]));
  if (added) return added;
  return prefixed('ip netns del', fails('ip', ['netns', 'del', name]));
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, name)) === null);
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return 'not found';
  }
}

/** Null when the command exits 0, else the last line of its stderr (where Python and ip put the reason). */
function fails(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  if (r.error) return r.error.code === 'ENOENT' ? `${cmd} not found` : r.error.message;
  if (r.status === 0) return null;
  return r.stderr.trim().split('\n').pop() || `exit status ${r.status ?? r.signal}`;
}

function prefixed(what, why) {
  return why === null ? null : `${what}: ${why}`;
}
