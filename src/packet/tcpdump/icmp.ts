// tcpdump -n's ICMP and ICMPv6 parts (print-icmp.c, print-icmp6.c; no -v).
import { get16, get32 } from '../../wire/bytes.js';
import { tcpdumpHexOnly } from '../hexdump.js';
import { ipv4Text, ipv6Text } from './addr.js';
import {
  ICMP_REDIRECT_FORMATS,
  ICMP_TYPE_NAMES,
  ICMP_UNREACH_FORMATS,
  ICMP6_TYPE_NAMES,
  ICMP6_UNREACH_NAMES,
} from './names.js';

const TRUNC_ICMP = ' [|icmp]';

/** "ICMP echo request, id 1, seq 2, length 64"; `plen` is the ICMP length from the IP header. */
export function formatIcmp(b: Uint8Array, o: number, end: number, plen: number): string {
  if (end - o < 2) return `ICMP${TRUNC_ICMP}`;
  const type = b[o];
  const code = b[o + 1];
  const quoted = o + 8;
  let text: string;
  switch (type) {
    case 0:
    case 8:
      if (end - o < 8) return TRUNC_ICMP.trim();
      text = `echo ${type === 8 ? 'request' : 'reply'}, id ${get16(b, o + 4)}, seq ${get16(b, o + 6)}`;
      break;
    case 3:
      if (end - o < 8 + 20) return TRUNC_ICMP.trim();
      text = unreachable(b, o, quoted, end, code);
      break;
    case 5:
      if (end - o < 8 + 20) return TRUNC_ICMP.trim();
      text = fill(
        ICMP_REDIRECT_FORMATS[code] ?? `redirect-#${code} %s to %s`,
        ipv4Text(b, quoted + 16),
        ipv4Text(b, o + 4),
      );
      break;
    case 11:
      if (end - o < 8 + 20) return TRUNC_ICMP.trim();
      text =
        code === 0
          ? 'time exceeded in-transit'
          : code === 1
            ? 'ip reassembly time exceeded'
            : `time exceeded-#${code}`;
      break;
    case 12:
      text = code ? `parameter problem - code ${code}` : `parameter problem - octet ${b[o + 4]}`;
      break;
    case 13:
      text = `time stamp query id ${get16(b, o + 4)} seq ${get16(b, o + 6)}`;
      break;
    case 18:
      text = `address mask is 0x${get32(b, o + 4)
        .toString(16)
        .padStart(8, '0')}`;
      break;
    default:
      text = ICMP_TYPE_NAMES[type] ?? `type-#${type}`;
  }
  return `ICMP ${text}, length ${plen}`;
}

function unreachable(b: Uint8Array, o: number, q: number, end: number, code: number): string {
  const dst = ipv4Text(b, q + 16);
  switch (code) {
    case 2:
      return `${dst} protocol ${b[q + 9]} unreachable`;
    case 3: {
      const hl = (b[q] & 15) * 4;
      const proto = b[q + 9];
      if (q + hl + 4 > end) return `${dst} [|icmp]`;
      const dport = get16(b, q + hl + 2);
      if (proto === 6) return `${dst} tcp port ${dport} unreachable`;
      if (proto === 17) return `${dst} udp port ${dport} unreachable`;
      return `${dst} protocol ${proto} port ${dport} unreachable`;
    }
    case 4: {
      const mtu = get16(b, o + 6);
      return mtu ? `${dst} unreachable - need to frag (mtu ${mtu})` : `${dst} unreachable - need to frag`;
    }
    default:
      return ICMP_UNREACH_FORMATS[code]
        ? fill(ICMP_UNREACH_FORMATS[code], dst)
        : `${dst} unreachable - #${code}`;
  }
}

function fill(format: string, ...args: string[]): string {
  let i = 0;
  return format.replace(/%s/g, () => args[i++] ?? '');
}

/** "ICMP6, echo request, id 1, seq 2, length 64"; `length` is the ICMPv6 length. */
export function formatIcmp6(b: Uint8Array, o: number, end: number, length: number): string {
  if (length === 0) return 'ICMP6, length 0 (invalid)';
  if (end - o < 1) return 'ICMP6 [|icmp6]';
  const type = b[o];
  const code = end - o > 1 ? b[o + 1] : 0;
  let s = `ICMP6, ${ICMP6_TYPE_NAMES[type] ?? `unknown icmp6 type (${type})`}`;
  const q = o + 8;
  switch (type) {
    case 1:
      s += `, ${ICMP6_UNREACH_NAMES[code] ?? `unknown unreach code (${code})`}`;
      if (code === 0 || code === 1 || code === 3) s += ` ${ipv6Text(b, q + 24)}`;
      else if (code === 2) s += ` ${ipv6Text(b, q + 24)}, source address ${ipv6Text(b, q + 8)}`;
      else if (code === 4) s += quotedPort(b, q, end);
      // print_unknown_data: the message in hex on the following lines, and no length.
      else return `${s}\n${tcpdumpHexOnly(b.subarray(o, Math.min(end, o + length)))}`;
      break;
    case 2:
      s += `, mtu ${get32(b, o + 4)}`;
      break;
    case 3:
      if (code === 0) s += ` for ${ipv6Text(b, q + 24)}`;
      else if (code === 1) s += ' (reassembly)';
      else s += `, unknown code (${code})`;
      break;
    case 4: {
      const names = ['erroneous', 'next header', 'option', 'incomplete header chain'];
      s += code < 4 ? `, ${names[code]} - octet ${get32(b, o + 4)}` : `, code-#${code}`;
      break;
    }
    case 128:
    case 129:
      s += `, id ${get16(b, o + 4)}, seq ${get16(b, o + 6)}`;
      break;
    case 130:
      if (length === 24) s += mld(b, o);
      else if (length >= 28) s += ' v2';
      else s += ` unknown-version (len ${length}) `;
      break;
    case 131:
    case 132:
      s += mld(b, o);
      break;
    case 135:
      s += `, who has ${ipv6Text(b, o + 8)}`;
      break;
    case 136:
      s += `, tgt is ${ipv6Text(b, o + 8)}`;
      break;
    case 137:
      s += `, ${ipv6Text(b, o + 24)} to ${ipv6Text(b, o + 8)}`;
      break;
    case 143:
      s += length < 8 ? ` [invalid len ${length}]` : `, ${get16(b, o + 6)} group record(s)`;
      break;
    case 133:
    case 134:
    case 141:
    case 142:
      break;
    default:
      return `${s}, length ${length}\n${tcpdumpHexOnly(b.subarray(o, Math.min(end, o + length)))}`;
  }
  return `${s}, length ${length}`;
}

function mld(b: Uint8Array, o: number): string {
  return `max resp delay: ${get16(b, o + 4)} addr: ${ipv6Text(b, o + 8)}`;
}

/** print-icmp6.c get_upperlayer: the quoted packet's transport, behind its extension headers. */
function quotedPort(b: Uint8Array, q: number, end: number): string {
  if (q + 40 > end) return ' [|icmp6]';
  const dst = ipv6Text(b, q + 24);
  let nh = b[q + 6];
  let p = q + 40;
  for (let i = 0; i < 32 && p < end; i++) {
    if (nh === 6 || nh === 17) {
      if (p + 4 > end) return ' [|icmp6]';
      return `, ${dst} ${nh === 6 ? 'tcp' : 'udp'} port ${get16(b, p + 2)}`;
    }
    if (nh === 0 || nh === 60 || nh === 43) {
      nh = b[p];
      p += (b[p + 1] + 1) * 8;
    } else if (nh === 44) {
      if (get16(b, p + 2) & 0xfff8) return ' [|icmp6]';
      nh = b[p];
      p += 8;
    } else if (nh === 51) {
      nh = b[p];
      p += (b[p + 1] + 2) * 4;
    } else return ' [|icmp6]';
  }
  return ' [|icmp6]';
}
