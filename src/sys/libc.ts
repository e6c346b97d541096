// The libc calls synack needs, through koffi (FFI, no build step). Each wrapper throws SysError on
// failure, except the hot-path calls (readInto, recvInto, writeFrom), which return -1 for EAGAIN so
// a drain loop costs no exception. Linux x86-64/arm64 ABI; constants from the kernel headers.

import koffi from 'koffi';
import { SysError } from './errors.js';

// Kernel constants (include/uapi). Values measured and listed in PLATFORM.md.
export const O_RDWR = 2;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const SOCK_RAW = 3;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const AF_PACKET = 17;
export const ETH_P_ALL = 0x0003;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SO_SNDBUF = 7;
export const SO_RCVBUFFORCE = 33;
export const SOL_PACKET = 263;
export const PACKET_ADD_MEMBERSHIP = 1;
export const PACKET_DROP_MEMBERSHIP = 2;
export const PACKET_MR_PROMISC = 1;
export const PACKET_AUXDATA = 8;
export const PACKET_STATISTICS = 6;
export const PACKET_IGNORE_OUTGOING = 23;
export const POLLIN = 0x001;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const EFD_NONBLOCK = 0o4000;
export const EFD_CLOEXEC = 0o2000000;
export const MSG_DONTWAIT = 0x40;
export const EAGAIN = 11;
export const EINTR = 4;
export const ENETDOWN = 100;
export const ENOBUFS = 105;

/** A pointer to native memory (koffi 3 represents it as an external value). */
export type NativePointer = unknown;

const lib = koffi.load('libc.so.6');

// Fixed-argument prototypes for open/ioctl/fcntl: on the SysV ABIs this matches the variadic call.
const c = {
  open: lib.func('int open(const char *path, int flags, int mode)'),
  close: lib.func('int close(int fd)'),
  read: lib.func('long read(int fd, void *buf, unsigned long count)'),
  write: lib.func('long write(int fd, const void *buf, unsigned long count)'),
  ioctl: lib.func('int ioctl(int fd, unsigned long request, void *arg)'),
  ioctlValue: lib.func('int ioctl(int fd, unsigned long request, unsigned long arg)'),
  socket: lib.func('int socket(int domain, int type, int protocol)'),
  bind: lib.func('int bind(int fd, const void *addr, uint32_t len)'),
  setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)'),
  getsockopt: lib.func('int getsockopt(int fd, int level, int name, void *value, _Inout_ uint32_t *len)'),
  poll: lib.func('int poll(void *fds, unsigned long nfds, int timeout)'),
  eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
  ifNameToIndex: lib.func('unsigned int if_nametoindex(const char *name)'),
  recvmsg: lib.func('long recvmsg(int fd, void *msg, int flags)'),
};

function check(syscall: string, result: number | bigint, detail?: string): number {
  const n = Number(result);
  if (n < 0) throw new SysError(syscall, koffi.errno(), detail);
  return n;
}

export function open(path: string, flags: number): number {
  return check('open', c.open(path, flags, 0), path);
}

export function close(fd: number): void {
  check('close', c.close(fd));
}

export function ioctl(fd: number, request: number, arg: Uint8Array, detail?: string): number {
  return check('ioctl', c.ioctl(fd, request, arg), detail);
}

/** ioctl whose argument is a plain integer (TUNSETOFFLOAD, TUNSETPERSIST). */
export function ioctlValue(fd: number, request: number, value: number, detail?: string): number {
  return check('ioctl', c.ioctlValue(fd, request, value), detail);
}

export function socket(domain: number, type: number, protocol: number): number {
  return check('socket', c.socket(domain, type, protocol));
}

export function bind(fd: number, addr: Uint8Array): void {
  check('bind', c.bind(fd, addr, addr.length));
}

export function setsockopt(fd: number, level: number, name: number, value: Uint8Array, what: string): void {
  check('setsockopt', c.setsockopt(fd, level, name, value, value.length), what);
}

export function setsockoptInt(fd: number, level: number, name: number, value: number, what: string): void {
  const buf = new Uint8Array(4);
  new DataView(buf.buffer).setInt32(0, value, true);
  setsockopt(fd, level, name, buf, what);
}

export function getsockopt(fd: number, level: number, name: number, value: Uint8Array, what: string): number {
  const len = [value.length];
  check('getsockopt', c.getsockopt(fd, level, name, value, len), what);
  return len[0];
}

export function getsockoptInt(fd: number, level: number, name: number, what: string): number {
  const buf = new Uint8Array(4);
  getsockopt(fd, level, name, buf, what);
  return new DataView(buf.buffer).getInt32(0, true);
}

/** poll() on a pollfd array (8 bytes each: i32 fd, i16 events, i16 revents). EINTR returns 0. */
export function poll(fds: Uint8Array | NativePointer, count: number, timeoutMs: number): number {
  const n = Number(c.poll(fds, count, timeoutMs));
  if (n < 0) {
    const errno = koffi.errno();
    if (errno === EINTR) return 0;
    throw new SysError('poll', errno);
  }
  return n;
}

export function eventfd(initval: number, flags: number): number {
  return check('eventfd', c.eventfd(initval, flags));
}

export function ifNameToIndex(name: string): number {
  const index = c.ifNameToIndex(name) as number;
  if (index === 0) throw new SysError('if_nametoindex', koffi.errno(), name);
  return index;
}

/** Non-blocking read into native memory or a buffer: bytes read, or -1 when nothing is waiting. */
export function readInto(fd: number, buf: NativePointer | Uint8Array, length: number): number {
  const n = Number(c.read(fd, buf, length));
  if (n >= 0) return n;
  const errno = koffi.errno();
  if (errno === EAGAIN || errno === EINTR) return -1;
  throw new SysError('read', errno);
}

/** recvmsg(MSG_DONTWAIT) with a prepared native msghdr: bytes read, or -1 when nothing is waiting. */
export function recvInto(fd: number, msghdr: NativePointer): number {
  const n = Number(c.recvmsg(fd, msghdr, MSG_DONTWAIT));
  if (n >= 0) return n;
  const errno = koffi.errno();
  if (errno === EAGAIN || errno === EINTR) return -1;
  throw new SysError('recvmsg', errno);
}

/**
 * Non-blocking write of one frame: bytes written, or -1 when the kernel queue is full (EAGAIN or
 * ENOBUFS: retry later). Other errors throw.
 */
export function writeFrom(fd: number, buf: Uint8Array, length: number): number {
  const n = Number(c.write(fd, buf, length));
  if (n >= 0) return n;
  const errno = koffi.errno();
  if (errno === EAGAIN || errno === ENOBUFS || errno === EINTR) return -1;
  throw new SysError('write', errno);
}

/** Write the 8-byte counter of an eventfd (wakes a poll() on it). */
export function eventfdSignal(fd: number): void {
  const one = new Uint8Array(8);
  one[0] = 1;
  c.write(fd, one, 8);
}

/** Native memory that does not move; `bytes` views it without copies. Freed with freeNative. */
export interface NativeBuffer {
  pointer: NativePointer;
  address: bigint;
  bytes: Uint8Array;
}

export function allocNative(size: number): NativeBuffer {
  const pointer = koffi.alloc('uint8_t', size);
  const bytes = new Uint8Array(koffi.view(pointer, size));
  bytes.fill(0);
  return { pointer, address: koffi.address(pointer), bytes };
}

export function freeNative(buf: NativeBuffer): void {
  koffi.free(buf.pointer);
}
