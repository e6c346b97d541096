// The demo needs root: it creates network namespaces, a TAP device, veth pairs and nftables rules.
// Without root it re-runs itself inside a new user + network + mount namespace (`unshare -Urnm`),
// where it is root over a private network of its own: with tmpfs over /run and /var/lib (the lab
// keeps its state and files there) the whole lab runs there and vanishes with the process.
// Where the kernel forbids unprivileged user namespaces it says exactly what to run instead.
import { spawnSync } from 'node:child_process';
import { UserError } from '../../cli/errors.js';

const MARK = 'SYNACK_DEMO_IN_USERNS';

/** undefined: go ahead (we are root); a number: the exit code of the re-run in a namespace. */
export function ensurePrivileges(): number | undefined {
  if (process.getuid?.() === 0) return undefined;
  const sudo = sudoCommand();
  if (process.env[MARK]) {
    throw new UserError('the demo is not root even inside its user namespace', `run it as root: ${sudo}`);
  }
  if (!userNamespacesWork()) {
    throw new UserError(
      'the demo needs root (namespaces, a TAP device, nftables), and this kernel does not allow unprivileged user namespaces',
      `run it as root: ${sudo}`,
    );
  }
  process.stderr.write(
    'synack demo: not root; re-running inside a private user+network namespace (unshare -Urnm)\n',
  );
  const script = 'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib && exec "$@"';
  const child = spawnSync(
    'unshare',
    [
      '-Urnm',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'sh',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, [MARK]: '1' } },
  );
  if (child.error)
    throw new UserError(`could not run unshare: ${child.error.message}`, `run it as root: ${sudo}`);
  return child.status ?? 1;
}

/** This very command line, prefixed with sudo. */
export function sudoCommand(): string {
  const script = process.argv[1] ?? '';
  const viaBin = /synack(\.js)?$/.test(script);
  const argv = viaBin
    ? ['synack', ...process.argv.slice(2)]
    : [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  return `sudo ${argv.join(' ')}`;
}

/** True in the re-run inside `unshare -Urnm` (root there, but only our own uid is mapped). */
export function insideUserNamespace(): boolean {
  return process.env[MARK] === '1';
}

function userNamespacesWork(): boolean {
  const probe = spawnSync('unshare', ['-Urnm', 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}
