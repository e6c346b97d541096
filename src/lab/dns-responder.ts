// The lab's DNS server (Python, run inside the server namespace, UDP on IPv4 and IPv6): every name
// in the lab's zone answers with the server's addresses (A and AAAA), every other name is NXDOMAIN
// (RFC 1035 4.1.1, RCODE 3), so a test's lookup never reaches the host's resolver. One question
// per query; the answer points back at it with a compression pointer (RFC 1035 4.1.4).
export const DNS_RESPONDER_PY = `
import socket, struct, sys

PORT, ZONE, V4, V6 = int(sys.argv[1]), sys.argv[2].lower().encode(), sys.argv[3], sys.argv[4]
RDATA = {1: socket.inet_pton(socket.AF_INET, V4), 28: socket.inet_pton(socket.AF_INET6, V6)}
TTL = 60


def answer(query):
    ident, flags, qdcount = struct.unpack('!HHH', query[:6])
    if qdcount != 1 or flags & 0x8000:
        return None
    labels, i = [], 12
    while query[i]:
        labels.append(query[i + 1:i + 1 + query[i]])
        i += 1 + query[i]
    end = i + 5
    qtype, _ = struct.unpack('!HH', query[i + 1:end])
    name = b'.'.join(labels).lower()
    in_zone = name == ZONE or name.endswith(b'.' + ZONE)
    rdata = RDATA.get(qtype) if in_zone else None
    rr = struct.pack('!HHHIH', 0xC00C, qtype, 1, TTL, len(rdata)) + rdata if rdata else b''
    rcode = 0 if in_zone else 3
    reply_flags = 0x8400 | (flags & 0x0100) | rcode  # QR, AA, RD as asked
    return struct.pack('!HHHHHH', ident, reply_flags, 1, 1 if rr else 0, 0, 0) + query[12:end] + rr


s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(('::', PORT))
while True:
    data, peer = s.recvfrom(4096)
    try:
        reply = answer(data)
    except (IndexError, struct.error):
        reply = None  # malformed: dropped, as a resolver would
    if reply:
        s.sendto(reply, peer)
`;
