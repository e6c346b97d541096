// Adapts a NetInterface (src/net) to what the stack needs (TcpTransport). The interface hands TCP
// segments with a reused RxIp; the stack reads src/dst during the call and copies what it keeps.
import type { NetInterface } from '../net/interface.js';
import type { TcpTransport } from './transport.js';

export function netTransport(iface: NetInterface): TcpTransport {
  return {
    onTcp: (handler) => iface.onTcp((seg, ip) => handler(ip.src, ip.dst, seg)),
    sendTcp(src, dst, seg) {
      iface.sendTcp(src, dst, seg);
    },
    flush() {
      iface.flush();
    },
    sourceFor: (dst) => iface.sourceFor(dst) ?? null,
    mssFor: (dst) => iface.mssFor(dst),
    segmentationLimit: () => iface.segmentationLimit(),
    addresses: () => iface.addresses(),
    udp: {
      bind: (port, handler) =>
        iface.onUdp(port, (payload, srcPort, _dstPort, ip) => handler(ip.src, srcPort, payload)),
      send(src, srcPort, dst, dstPort, payload) {
        iface.sendUdp(src, dst, srcPort, dstPort, payload);
      },
    },
  };
}

/** A NetInterface, told apart from a plain TcpTransport. */
export function isNetInterface(x: object): x is NetInterface {
  return 'device' in x && 'routes' in x && typeof (x as { sendUdp?: unknown }).sendUdp === 'function';
}
