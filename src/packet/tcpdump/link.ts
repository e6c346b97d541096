// tcpdump -n's link part (print-ether.c, print-arp.c): nothing for Ethernet unless -e, where it is
// "src > dst, ethertype IPv4 (0x0800), length 98: "; 802.1Q tags; ARP lines.
import { formatIpv4Address, formatMac } from '../../wire/addr.js';
import { get16 } from '../../wire/bytes.js';
import { ARP_OP_NAMES, ETHERTYPE_NAMES } from './names.js';

export function etherTypeText(type: number): string {
  const name = ETHERTYPE_NAMES[type];
  return `ethertype ${name ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')})`;
}

/** "vlan 10, p 0" (+ ", DEI" when set), the 802.1Q tag control information. */
export function vlanText(tci: number): string {
  return `vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ', DEI' : ''}`;
}

export function macPair(b: Uint8Array, o: number): string {
  return `${formatMac(b, o + 6)} > ${formatMac(b, o)}`;
}

/** print-arp.c arp_print for `length` bytes (the frame after the link header). */
export function formatArp(b: Uint8Array, o: number, end: number, length: number, link: boolean): string {
  let s = link ? '' : 'ARP, ';
  if (end - o < 8) return `${s}[|arp]`;
  const hrd = get16(b, o);
  const pro = get16(b, o + 2);
  const hln = b[o + 4];
  const pln = b[o + 5];
  const op = get16(b, o + 6);
  if (end - o < 8 + 2 * (hln + pln)) return `${s}[|arp]`;
  if ((pro !== 0x0800 && pro !== 0x1000) || pln !== 4 || hln === 0) {
    const hw = hrd === 1 ? 'Ethernet' : `Unknown Hardware (${hrd})`;
    const pr = ETHERTYPE_NAMES[pro] ?? `Unknown Protocol (0x${pro.toString(16).padStart(4, '0')})`;
    return `${s}${hw} (len ${hln}), ${pr} (len ${pln}), length ${length}`;
  }
  const sha = o + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const hw = (at: number): string => (hln === 6 ? formatMac(b, at) : hexColon(b, at, hln));
  s += `${ARP_OP_NAMES[op] ?? `Unknown (${op})`} `;
  switch (op) {
    case 1:
      s += `who-has ${formatIpv4Address(b, tpa)}`;
      if (!allZero(b, tha, hln)) s += ` (${hw(tha)})`;
      s += ` tell ${formatIpv4Address(b, spa)}`;
      break;
    case 2:
      s += `${formatIpv4Address(b, spa)} is-at ${hw(sha)}`;
      break;
    case 3:
    case 8:
      s += `who-is ${hw(tha)} tell ${hw(sha)}`;
      break;
    case 4:
      s += `${hw(tha)} at ${formatIpv4Address(b, tpa)}`;
      break;
    case 9:
      s += `${hw(sha)} at ${formatIpv4Address(b, spa)}`;
      break;
    default:
      return s.trimEnd();
  }
  return `${s}, length ${length}`;
}

function allZero(b: Uint8Array, o: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[o + i] !== 0) return false;
  return true;
}

function hexColon(b: Uint8Array, o: number, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(b[o + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}
