// Scapy's show(): "###[ TCP ]###" then one "name      = value" line per field, indented per layer.
import type { FieldSpec, Layer } from './layer.js';
import { tcpOptionsToScapyText } from './layers/tcp-options.js';

export function showPacket(layers: readonly Layer[]): string {
  const lines: string[] = [];
  layers.forEach((layer, depth) => {
    // Scapy's layout: the header at column 0 (with its trailing space), fields indented 2 + 3 per layer.
    const indent = ' '.repeat(2 + 3 * depth);
    lines.push(`###[ ${layer.name} ]### `);
    const above = layers[depth + 1];
    for (const f of layer.fields) {
      lines.push(`${indent}${f.name.padEnd(10)}= ${formatField(layer, f, above)}`);
    }
  });
  return lines.join('\n');
}

export function formatField(layer: Layer, f: FieldSpec, above?: Layer): string {
  const v = layer.field(f.name) ?? layer.autoValue(f.name, above);
  if (v === undefined || v === null) return 'None';
  switch (f.kind) {
    case 'hex':
      return typeof v === 'number' ? `0x${v.toString(16)}` : String(v);
    case 'enum':
      return typeof v === 'number' ? (f.names?.[v] ?? String(v)) : String(v);
    case 'bool':
      return v ? 'True' : 'False';
    case 'bytes':
      return v instanceof Uint8Array ? pythonBytes(v) : String(v);
    case 'list':
      return listText(layer, v);
    default:
      return String(v);
  }
}

function listText(layer: Layer, v: unknown): string {
  if (!Array.isArray(v)) return String(v);
  if (layer.name === 'TCP') return tcpOptionsToScapyText(v);
  return JSON.stringify(v, (_k, x) =>
    x instanceof Uint8Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex') : x,
  );
}

/** Python's bytes literal, as Scapy shows a load: b'GET / HTTP/1.1\r\n'. */
export function pythonBytes(b: Uint8Array): string {
  let s = "b'";
  for (const c of b) {
    if (c === 0x5c) s += '\\\\';
    else if (c === 0x27) s += "\\'";
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x09) s += '\\t';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `${s}'`;
}
