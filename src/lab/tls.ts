// The lab's TLS material: a private CA and a server certificate for every server address, made
// with openssl once per lab run directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLIENT_LINK, HOST_LINK, LAB_PATHS, LAB_SERVER_NAME } from './plan.js';
import { run } from './sys.js';

/** Creates the CA and the server certificate unless both exist; returns true if it made them. */
export function ensureTls(paths: typeof LAB_PATHS = LAB_PATHS): boolean {
  if (existsSync(paths.caCert) && existsSync(paths.serverCert) && existsSync(paths.serverKey)) return false;
  const dir = dirname(paths.caCert);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = join(dir, 'ca.key');
  const csr = join(dir, 'server.csr');
  const ext = join(dir, 'server.ext');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    ['openssl', 'req', '-x509', ...ec, '-keyout', caKey, '-out', paths.caCert, '-days', '3650'].concat([
      '-subj',
      '/CN=synack lab CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]),
  );
  run(['openssl', 'req', ...ec, '-keyout', paths.serverKey, '-out', csr, '-subj', `/CN=${LAB_SERVER_NAME}`]);
  writeFileSync(ext, serverExtensions());
  run(
    ['openssl', 'x509', '-req', '-in', csr, '-CA', paths.caCert, '-CAkey', caKey].concat([
      '-CAcreateserial',
      '-out',
      paths.serverCert,
      '-days',
      '825',
      '-extfile',
      ext,
    ]),
  );
  return true;
}

/** RFC 5280 4.2.1.6: clients match IP literals against iPAddress names, host names against dNSName. */
function serverExtensions(): string {
  const ips = [
    HOST_LINK.server.ipv4,
    HOST_LINK.server.ipv6,
    CLIENT_LINK.server.ipv4,
    CLIENT_LINK.server.ipv6,
  ];
  const san = [`DNS:${LAB_SERVER_NAME}`, ...ips.map((ip) => `IP:${ip}`)].join(',');
  return [
    `subjectAltName=${san}`,
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    '',
  ].join('\n');
}
