// Scapy's hexdump(): offset, 16 bytes in hex, then the printable ASCII ("." for the rest).
const HEX = '0123456789ABCDEF';

export function hexdump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (o + i < bytes.length) {
        const b = bytes[o + i];
        hex += `${HEX[b >> 4]}${HEX[b & 15]} `;
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
    }
    lines.push(`${o.toString(16).padStart(4, '0')}  ${hex} ${ascii}`);
  }
  return lines.join('\n');
}

/** tcpdump's hex_print: "\t0x0000:  4500 0054 ..." lines, no ASCII column. */
export function tcpdumpHexOnly(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    let line = `\t0x${o.toString(16).padStart(4, '0')}: `;
    for (let i = o; i < Math.min(o + 16, bytes.length); i += 2) {
      line += ` ${hex2(bytes[i])}${i + 1 < bytes.length ? hex2(bytes[i + 1]) : ''}`;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function hex2(b: number): string {
  return (HEX[b >> 4] + HEX[b & 15]).toLowerCase();
}

/** tcpdump -X (hex_and_ascii_print): "\t0x0000:  4500 0054 ...  E..T..", 8 groups of 2 bytes. */
export function tcpdumpHex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i += 2) {
      for (let j = i; j < i + 2; j++) {
        if (o + j < bytes.length) {
          const b = bytes[o + j];
          hex += `${HEX[b >> 4]}${HEX[b & 15]}`.toLowerCase();
          ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
        } else hex += '  ';
      }
      hex += ' ';
    }
    lines.push(`\t0x${o.toString(16).padStart(4, '0')}:  ${hex} ${ascii}`);
  }
  return lines.join('\n');
}
