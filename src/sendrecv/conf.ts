// Scapy's `conf`: defaults that send/sr/sniff use when a call names no interface or device.
import type { Device } from '../link/device.js';
import type { NetInterface } from '../net/interface.js';

export interface SendRecvConf {
  /** Interface for L3 calls (send, sr, sr1) and, through its device, for L2 calls and sniff. */
  iface: NetInterface | undefined;
  /** Device for L2 calls (sendp, srp, srp1) and sniff when no interface is set. */
  device: Device | undefined;
  /** Print Scapy's progress lines ("Begin emission:", ...) when a call does not say. */
  verbose: boolean;
}

export const conf: SendRecvConf = { iface: undefined, device: undefined, verbose: false };
