// TCP options in two accepted forms: src/wire's typed objects (what dissect gives and build writes)
// and Scapy's tuples ([['MSS', 1460], ['SAckOK', ''], ['Timestamp', [1, 0]], ['NOP'], ['WScale', 7]]).
import type { TcpOption } from '../../wire/tcp-options.js';

export type ScapyTcpOption =
  | readonly ['MSS', number]
  | readonly ['WScale', number]
  | readonly ['SAckOK', ('' | Uint8Array)?]
  | readonly ['SAck', readonly number[]]
  | readonly ['Timestamp', readonly [number, number]]
  | readonly ['NOP', unknown?]
  | readonly ['EOL', unknown?]
  | readonly [number, Uint8Array];

export type TcpOptionInput = TcpOption | ScapyTcpOption;

function fromScapy(o: ScapyTcpOption): TcpOption {
  switch (o[0]) {
    case 'MSS':
      return { kind: 'mss', mss: o[1] };
    case 'WScale':
      return { kind: 'window-scale', shift: o[1] };
    case 'SAckOK':
      return { kind: 'sack-permitted' };
    case 'SAck': {
      const edges = o[1];
      const blocks = [];
      for (let i = 0; i + 1 < edges.length; i += 2) blocks.push({ left: edges[i], right: edges[i + 1] });
      return { kind: 'sack', blocks };
    }
    case 'Timestamp':
      return { kind: 'timestamps', tsVal: o[1][0], tsEcr: o[1][1] };
    case 'NOP':
      return { kind: 'nop' };
    case 'EOL':
      return { kind: 'eol' };
    default:
      if (typeof o[0] === 'number') return { kind: 'unknown', type: o[0], data: o[1] as Uint8Array };
      throw new TypeError(`unknown TCP option ${JSON.stringify(o[0])}`);
  }
}

export function normalizeTcpOptions(list: readonly TcpOptionInput[]): TcpOption[] {
  return list.map((o) => (Array.isArray(o) ? fromScapy(o as ScapyTcpOption) : (o as TcpOption)));
}

/** Scapy's text for an option list: [('MSS', 1460), ('SAckOK', b''), ...]. */
export function tcpOptionsToScapyText(list: readonly TcpOption[]): string {
  const parts = list.map((o) => {
    switch (o.kind) {
      case 'mss':
        return `('MSS', ${o.mss})`;
      case 'window-scale':
        return `('WScale', ${o.shift})`;
      case 'sack-permitted':
        return `('SAckOK', b'')`;
      case 'sack':
        return `('SAck', (${o.blocks.flatMap((b) => [b.left, b.right]).join(', ')}))`;
      case 'timestamps':
        return `('Timestamp', (${o.tsVal}, ${o.tsEcr}))`;
      case 'nop':
        return `('NOP', None)`;
      case 'eol':
        return `('EOL', None)`;
      case 'unknown':
        return `(${o.type}, ${hex(o.data)})`;
      default:
        return `('Padding', ${hex(o.data)})`;
    }
  });
  return `[${parts.join(', ')}]`;
}

function hex(b: Uint8Array): string {
  return `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;
}
