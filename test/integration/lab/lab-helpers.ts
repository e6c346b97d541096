// Shared by the lab's integration tests: curl inside the client namespace, and "is anything left?".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routePresent, UNREACHABLE_ROUTES } from '../../../src/lab/containment.js';
import { sha256File } from '../../../src/lab/content.js';
import { Lab } from '../../../src/lab/lab.js';
import { claimLabExclusive } from '../../../src/lab/lock.js';
import {
  HOST_LINK,
  LAB_FORWARD_TABLE,
  LAB_NAMESPACES,
  LAB_NFT_TABLE,
  LAB_PATHS,
} from '../../../src/lab/plan.js';
import { processStartTime } from '../../../src/lab/procs.js';
import { run } from '../../../src/lab/sys.js';
import { runCli } from '../../helpers/cli.js';

export interface CurlResult {
  readonly status: number | null;
  readonly headers: string;
  readonly stderr: string;
  readonly sha256: string | undefined;
  readonly size: number;
}

/** curl URL ... from the client namespace; body to a temp file, hashed. */
export async function curlFromClient(urls: string[], extra: string[] = []): Promise<CurlResult> {
  const dir = mkdtempSync(join(tmpdir(), 'synack-lab-curl-'));
  try {
    const body = join(dir, 'body');
    const headers = join(dir, 'headers');
    const r = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        LAB_NAMESPACES.client,
        'curl',
        '-sS',
        '--max-time',
        '60',
        '-o',
        body,
        '-D',
        headers,
      ].concat(extra, urls.length > 1 ? urls.flatMap((u, i) => (i === 0 ? [u] : ['-o', body, u])) : urls),
      { encoding: 'utf8' },
    );
    const sha256 = existsSync(body) ? await sha256File(body) : undefined;
    const size = existsSync(body) ? readFileSync(body).length : 0;
    return {
      status: r.status,
      headers: existsSync(headers) ? readFileSync(headers, 'utf8') : '',
      stderr: r.stderr,
      sha256,
      size,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every process the lab runs: the recorded servers plus anything inside its namespaces. */
export function labProcesses(): number[] {
  const pids = new Set<number>();
  for (const ns of [LAB_NAMESPACES.server, LAB_NAMESPACES.client]) {
    if (!existsSync(`/run/netns/${ns}`)) continue;
    for (const line of run(['ip', 'netns', 'pids', ns]).split('\n')) if (line.trim()) pids.add(Number(line));
  }
  for (const name of ['nginx', 'http10', 'chunked']) {
    const file = join(LAB_PATHS.runDir, `${name}.server.pid`);
    if (existsSync(file)) pids.add(Number(readFileSync(file, 'utf8').split(' ')[0]));
  }
  return [...pids];
}

/** What is still there of the lab (empty when it is fully gone). `pids` are checked for liveness. */
export function labLeftovers(pids: number[] = []): string[] {
  const left: string[] = [];
  const namespaces = run(['ip', 'netns', 'list']);
  for (const ns of [LAB_NAMESPACES.server, LAB_NAMESPACES.client]) {
    if (namespaces.includes(ns) || existsSync(`/run/netns/${ns}`)) left.push(`netns ${ns}`);
  }
  if (existsSync(`/sys/class/net/${HOST_LINK.host.ifname}`)) left.push(`link ${HOST_LINK.host.ifname}`);
  const tables = run(['nft', 'list', 'tables']);
  if (tables.includes(`${LAB_NFT_TABLE.name}\n`)) left.push('nft table in the host');
  if (tables.includes(LAB_FORWARD_TABLE.name)) left.push(`nft table ${LAB_FORWARD_TABLE.name}`);
  for (const route of UNREACHABLE_ROUTES) if (routePresent(route)) left.push(`route ${route.join(' ')}`);
  for (const pid of pids) if (processStartTime(pid) !== undefined) left.push(`process ${pid}`);
  const ps = run(['ps', '-eo', 'pid=,stat=,args=']).split('\n');
  for (const line of ps) {
    if (/\/run\/synack\/lab|http\.server 8000/.test(line) && !/ Z/.test(line))
      left.push(`ps: ${line.trim()}`);
  }
  if (existsSync(LAB_PATHS.runDir)) left.push(`dir ${LAB_PATHS.runDir}`);
  if (existsSync(join(LAB_PATHS.stateDir, 'lab.json'))) left.push('journal lab.json');
  return left;
}

/**
 * These tests bring the shared lab up and down: wait until no other program uses it and hold it
 * exclusively meanwhile (other Lab.up() callers wait; the CLI run by the test inherits the claim),
 * then start from no lab at all. After the tests: `lab down`, then release. One hook each, because
 * Node 20 runs a file's top-level before() hooks concurrently.
 */
export function claimLabForTest(
  hooks: { before(fn: () => unknown): void; after(fn: () => unknown): void },
  onReady: () => void = () => {},
): void {
  let release: (() => void) | undefined;
  hooks.before(async () => {
    assert.equal(process.getuid?.(), 0, 'the lab tests need root');
    release = await claimLabExclusive(() => Lab.users().length === 0);
    const down = runCli(['lab', 'down']);
    assert.equal(down.status, 0, down.stderr + down.stdout);
    onReady();
  });
  hooks.after(() => {
    runCli(['lab', 'down']);
    release?.();
  });
}
